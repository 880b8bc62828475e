/*
 * fuzz_task_cursor.c - libFuzzer harness for the cursor of the generated
 * tasks' pages (core/work_tasks.c): any text is refused or parsed into the
 * four keys, and what is parsed encodes back to a cursor that parses the same.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/work.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *again;
	json_t *a = NULL, *b = NULL;

	memcpy(text, data, size);
	text[size] = '\0';
	if (work_task_cursor_parse(&a, text) == 0) {
		if (json_array_size(a) != 4)
			abort();
		again = work_task_cursor_encode(json_string_value(json_array_get(a, 0)),
		    json_string_value(json_array_get(a, 1)),
		    json_integer_value(json_array_get(a, 2)),
		    json_string_value(json_array_get(a, 3)));
		if (work_task_cursor_parse(&b, again) != 0 || !json_equal(a, b))
			abort();
		free(again);
	}
	json_decref(a);
	json_decref(b);
	free(text);
	return 0;
}
