/* fuzz_note.c - libFuzzer harness for signed notes, checkpoints and inclusion proofs. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char origin[NOTE_ORIGIN_MAX + 1], summary[LEDGER_REPORT_MAX];
	struct note_verifier v;
	struct merkle_hash root;
	json_error_t err;
	uint64_t n;
	size_t tlen;
	json_t *proof;

	memset(&v, 0, sizeof(v));
	memcpy(v.name, "openaims", 9);
	note_verify(&tlen, (const char *)data, size, &v);
	note_checkpoint_parse(origin, &n, &root, (const char *)data, size);
	if ((proof = json_loadb((const char *)data, size, 0, &err)) != NULL) {
		ledger_proof_verify(summary, proof, NULL);
		json_decref(proof);
	}
	return 0;
}
