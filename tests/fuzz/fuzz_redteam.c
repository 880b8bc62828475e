/*
 * fuzz_redteam.c - libFuzzer harness for the garak and promptfoo report
 * readers (io/redteam.c): the first byte picks the reader, the rest is the
 * report. Any bytes must be answered with a run whose counts add up, or an
 * error naming where, never a crash, a leak or a read past the input.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "io/redteam.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum redteam_format f;
	json_t *out = NULL, *r;
	json_int_t attempts = 0, failed = 0;
	size_t i;

	if (size == 0)
		return 0;
	f = (data[0] & 1) ? REDTEAM_PROMPTFOO : REDTEAM_GARAK;
	if (redteam_parse(&out, f, (const char *)data + 1, size - 1) != 0) {
		/* A refusal keeps nothing and says where. */
		if (out != NULL || aims_error_field()[0] == '\0')
			__builtin_trap();
		return 0;
	}
	/* The totals are the families' sums; no family fails more than it tried. */
	json_array_foreach(json_object_get(out, "results"), i, r) {
		if (json_integer_value(json_object_get(r, "failed")) >
		    json_integer_value(json_object_get(r, "attempts")))
			__builtin_trap();
		attempts += json_integer_value(json_object_get(r, "attempts"));
		failed += json_integer_value(json_object_get(r, "failed"));
	}
	if (attempts != json_integer_value(json_object_get(out, "attempts")) ||
	    failed != json_integer_value(json_object_get(out, "failed")) ||
	    json_array_size(json_object_get(out, "results")) == 0)
		__builtin_trap();
	json_decref(out);
	return 0;
}
