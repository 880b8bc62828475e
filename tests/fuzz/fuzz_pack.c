/*
 * fuzz_pack.c - libFuzzer harness for the audit pack reader: any bytes as a
 * zip given to pack_verify_memory() (zip parsing by libarchive, then the
 * manifest, index, key, checkpoints, ledger and records checks). The seed
 * corpus holds a real pack, so mutations reach the checks past the zip.
 */
#include <stddef.h>
#include <stdint.h>

#include "io/pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pack_report r;

	pack_verify_memory(&r, data, size, NULL);
	return 0;
}
