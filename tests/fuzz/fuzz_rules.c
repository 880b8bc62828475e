/*
 * fuzz_rules.c - libFuzzer harness for the readiness rules document parser
 * (named conditions expanded, every rule and getting-started step checked)
 * and for the test of a meaningful justification, which sees whatever a
 * user types.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/justify.h"
#include "engine/readiness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = NULL;
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	(void)justify_ok(text);
	(void)justify_check("justification", text, "fuzz");
	if (readiness_rules_parse(&doc, text, size, "fuzz") == 0)
		json_decref(doc);
	free(text);
	return 0;
}
