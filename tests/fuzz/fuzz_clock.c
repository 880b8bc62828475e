/* fuzz_clock.c - libFuzzer harness for the RFC 3339 date parser and the string checks. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char out[CLOCK_RFC3339_LEN];
	int64_t v;
	time_t t;

	memcpy(s, data, size);
	s[size] = '\0';
	if (clock_parse(&t, s) == 0)
		clock_format(out, t);
	str_to_int64(&v, s, INT64_MIN, INT64_MAX);
	str_is_slug(s);
	str_is_email(s);
	str_is_utf8((const char *)data, size);
	free(s);
	return 0;
}
