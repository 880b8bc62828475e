/*
 * fuzz_cyclonedx.c - libFuzzer harness for the CycloneDX ML-BOM reader
 * (io/cyclonedx.c) and the JSON Schema checker under it (io/jsonschema.c):
 * any bytes must be answered with the plain BOM or an error naming a JSON
 * path, never a crash, a leak, unbounded recursion or a read past the input.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "io/cyclonedx.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *out = NULL;

	if (cyclonedx_parse(&out, (const char *)data, size) == 0) {
		/* A read BOM always has its three lists. */
		if (!json_is_array(json_object_get(out, "models")) ||
		    !json_is_array(json_object_get(out, "datasets")) ||
		    !json_is_array(json_object_get(out, "components")))
			__builtin_trap();
		json_decref(out);
	} else if (out != NULL || aims_error_field()[0] != '$') {
		/* A refusal keeps nothing and names a JSON path. */
		__builtin_trap();
	}
	return 0;
}
