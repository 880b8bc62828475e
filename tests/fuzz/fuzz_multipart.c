/*
 * fuzz_multipart.c - libFuzzer harness for the parsers of posted web forms:
 * the streaming multipart/form-data parser (the input split into pieces at
 * a point taken from its first byte, so that state carried between pieces
 * is exercised) and the urlencoded form parser with its conversion to a
 * record's JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/record.h"
#include "http/multipart.h"
#include "web/web.h"

#define FUZZ_CT		"multipart/form-data; boundary=XyZ"
#define FUZZ_FILE_MAX	4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_multipart(const uint8_t *data, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	struct multipart *mp = NULL;
	struct http_upload *up = NULL;
	size_t split = size > 0 ? data[0] % (size + 1) : 0;

	if (multipart_begin(&mp, FUZZ_CT, tmp != NULL ? tmp : "/tmp", FUZZ_FILE_MAX) != 0)
		return;
	if (multipart_feed(mp, (const char *)data, split) == 0 &&
	    multipart_feed(mp, (const char *)data + split, size - split) == 0 &&
	    multipart_finish(&up, mp) == 0)
		http_upload_free(up);
	multipart_free(mp);
}

static void
fuzz_form(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { "risks", "ai-systems", "soa", "scope" };
	struct web_form f;
	json_t *values = NULL, *errors = NULL;
	size_t i;

	if (web_form_parse(&f, (const char *)data, size) != 0)
		return;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		web_form_to_json(&values, &errors, record_kind_find(kinds[i]), &f, i % 2 == 0);
		json_decref(values);
		json_decref(errors);
	}
	web_form_free(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_multipart(data, size);
	fuzz_form(data, size);
	return 0;
}
