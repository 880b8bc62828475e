/* fuzz_catalog.c - libFuzzer harness for the catalog parser and validator. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);

	if (doc != NULL) {
		catalog_validate(doc, "fuzz");
		json_decref(doc);
	}
	return 0;
}
