/* fuzz_tz.c - libFuzzer harness for the TZif parser (util/tz.c) and zone names. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const time_t moments[] = { -5000000000LL, 0, 1767225600, 2147483647, 4102444800LL };
	char abbr[TZ_ABBR_MAX], *name;
	struct tz *z = NULL;
	size_t i;

	if (tz_parse(&z, data, size) == 0) {
		for (i = 0; i < sizeof(moments) / sizeof(moments[0]); i++)
			tz_offset(z, moments[i], abbr);
		tz_free(z);
	}
	name = malloc(size + 1);
	memcpy(name, data, size);
	name[size] = '\0';
	tz_name_ok(name);
	free(name);
	return 0;
}
