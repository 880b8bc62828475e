/*
 * fuzz_crosswalk.c - libFuzzer harness for the crosswalk mapping checker
 * (core/crosswalk.h) and the EU AI Act classification (core/euact.h): the
 * input is a JSON document, checked as a mapping of the EU AI Act catalog,
 * classified as an AI system's fields, and judged for Art. 27 with itself
 * as the organisation's profile.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/crosswalk.h"
#include "core/euact.h"
#include "util/embed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct embed_file *iso = embed_find(catalog_files, "iso42001.json");
	const json_t *cat, *map;
	char why[EUACT_WHY_MAX];
	json_error_t err;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	json_t *iso_doc;

	if (doc == NULL || !json_is_object(doc) || crosswalk_get(&cat, &map, "eu-ai-act") != 0) {
		json_decref(doc);
		return 0;
	}
	iso_doc = json_loadb((const char *)iso->data, iso->len, 0, &err);
	crosswalk_check(doc, cat, iso_doc, "fuzz");
	euact_classify(doc);
	euact_art27_applies(doc, doc, why);
	json_decref(iso_doc);
	json_decref(doc);
	return 0;
}
