/*
 * fuzz_oscal.c - libFuzzer harness for the OSCAL import parser
 * (io/oscal_import.c): any bytes, as a catalog or assessment results
 * document, must be answered with a parsed document or an error naming a
 * path, never a crash, a leak or a read past the input.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "io/oscal.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *out = NULL;

	if (oscal_parse(&out, (const char *)data, size) == 0) {
		/* A parsed document always says what it is. */
		if (json_object_get(out, "model") == NULL)
			__builtin_trap();
		json_decref(out);
	} else if (out != NULL || aims_error_field()[0] != '$') {
		/* A refusal keeps nothing and names a JSON path. */
		__builtin_trap();
	}
	return 0;
}
