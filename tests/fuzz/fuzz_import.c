/*
 * fuzz_import.c - libFuzzer harness for the import readers (io/import.c):
 * the CSV of metric readings a monitor pushes over the API, read by hand,
 * and a file of records (CSV through libcsv, or a JSON array) for a kind.
 * The first byte picks the reader. Any bytes must give readings that are
 * each a time and a finite number, or rows with a list of errors, or a
 * refusal that keeps nothing; never a crash, a leak or a read past the input.
 */
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/record.h"
#include "io/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_readings(const char *data, size_t size)
{
	json_t *r = NULL, *e;
	size_t i;

	if (import_readings_csv(&r, data, size) != 0) {
		if (r != NULL)
			__builtin_trap();
		return;
	}
	json_array_foreach(r, i, e)
		if (!json_is_string(json_object_get(e, "at")) ||
		    !isfinite(json_real_value(json_object_get(e, "value"))))
			__builtin_trap();
	json_decref(r);
}

static void
fuzz_records(const char *data, size_t size)
{
	const struct record_kind *k = record_kind_find("risks");
	json_t *rows = NULL, *errors = NULL;
	int base = 0, rc;

	rc = import_parse(&rows, &base, &errors, k, data, size);
	/* Errors are always a list; rows only when the file was read. */
	if (!json_is_array(errors) || (rc == 0) != json_is_array(rows) ||
	    (rc == 0 && base != 1 && base != 2))
		__builtin_trap();
	json_decref(rows);
	json_decref(errors);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		fuzz_readings((const char *)data + 1, size - 1);
	else
		fuzz_records((const char *)data + 1, size - 1);
	return 0;
}
