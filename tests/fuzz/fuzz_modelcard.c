/*
 * fuzz_modelcard.c - libFuzzer harness for the Hugging Face model card
 * reader (io/modelcard.c) and libyaml under it: any bytes must be answered
 * with the plain BOM of one model or an error naming a path, never a
 * crash, a leak, unbounded recursion, an unbounded tree built from aliases
 * or a read past the input.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "io/modelcard.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *out = NULL;

	if (modelcard_parse(&out, (const char *)data, size) == 0) {
		/* A read card is one named model, its data sets and no components. */
		if (json_array_size(json_object_get(out, "models")) != 1 ||
		    !json_is_string(json_object_get(json_object_get(json_array_get(
		    json_object_get(out, "models"), 0), "fields"), "name")) ||
		    !json_is_array(json_object_get(out, "datasets")) ||
		    json_array_size(json_object_get(out, "components")) != 0)
			__builtin_trap();
		json_decref(out);
	} else if (out != NULL || aims_error_field()[0] != '$') {
		/* A refusal keeps nothing and names a path. */
		__builtin_trap();
	}
	return 0;
}
