/* test_tz.c - time zones from the tz database: offsets and abbreviations
 * across daylight saving changes, UTC without a file, names that could
 * reach outside the database refused, and damaged TZif data refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/clock.h"
#include "util/error.h"
#include "util/tz.h"

static time_t
at(const char *s)
{
	time_t t;

	assert_int_equal(clock_parse(&t, s), 0);
	return t;
}

static void
test_tz__offsets_follow_daylight_saving(void **state)
{
	const struct tz *paris, *ny, *again;
	char abbr[TZ_ABBR_MAX];

	(void)state;
	assert_int_equal(tz_load(&paris, "Europe/Paris"), 0);
	assert_int_equal(tz_offset(paris, at("2026-01-15T12:00:00Z"), abbr), 3600);
	assert_string_equal(abbr, "CET");
	assert_int_equal(tz_offset(paris, at("2026-07-15T12:00:00Z"), abbr), 7200);
	assert_string_equal(abbr, "CEST");
	/* 2026-03-29 01:00 UTC: clocks go forward in the EU. */
	assert_int_equal(tz_offset(paris, at("2026-03-29T00:59:59Z"), NULL), 3600);
	assert_int_equal(tz_offset(paris, at("2026-03-29T01:00:00Z"), NULL), 7200);
	assert_int_equal(tz_load(&ny, "America/New_York"), 0);
	assert_int_equal(tz_offset(ny, at("2026-12-04T22:00:00Z"), abbr), -5 * 3600);
	assert_string_equal(abbr, "EST");
	/* Parsed once: the same zone again is the cached one. */
	assert_int_equal(tz_load(&again, "Europe/Paris"), 0);
	assert_ptr_equal(again, paris);
	assert_string_equal(tz_name(paris), "Europe/Paris");
}

static void
test_tz__utc_needs_no_file(void **state)
{
	const struct tz *z;
	char abbr[TZ_ABBR_MAX];

	(void)state;
	assert_int_equal(tz_load(&z, NULL), 0);
	assert_int_equal(tz_offset(z, at("2026-07-15T12:00:00Z"), abbr), 0);
	assert_string_equal(abbr, "UTC");
	assert_int_equal(tz_load(&z, "UTC"), 0);
	assert_string_equal(tz_name(z), "UTC");
	assert_int_equal(tz_offset(NULL, 0, abbr), 0);
}

static void
test_tz__names_stay_inside_the_database(void **state)
{
	const struct tz *z;

	(void)state;
	assert_false(tz_name_ok("../../etc/passwd"));
	assert_false(tz_name_ok("/etc/localtime"));
	assert_false(tz_name_ok("Europe/"));
	assert_false(tz_name_ok("Europe//Paris"));
	assert_false(tz_name_ok("Europe/Paris\n"));
	assert_false(tz_name_ok(""));
	assert_true(tz_name_ok("America/Argentina/Buenos_Aires"));
	assert_true(tz_name_ok("Etc/GMT+5"));
	assert_int_equal(tz_load(&z, "../../etc/passwd"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "timezone");
	assert_int_equal(tz_load(&z, "Mars/Olympus_Mons"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "Mars/Olympus_Mons"));
	/* A directory of the database is not a zone. */
	assert_int_equal(tz_load(&z, "Europe"), AIMS_EINVALID);
}

static void
test_tz__damaged_data_refused(void **state)
{
	unsigned char buf[4096];
	struct tz *z = NULL;
	size_t len;
	FILE *f;

	(void)state;
	f = fopen(TZ_DIR "/Europe/Paris", "rb");
	assert_non_null(f);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(tz_parse(&z, buf, len), 0);
	assert_int_equal(tz_offset(z, at("2026-07-15T12:00:00Z"), NULL), 7200);
	tz_free(z);
	/* Cut short, a wrong magic, a type index out of range. */
	assert_int_equal(tz_parse(&z, buf, 100), AIMS_EINVALID);
	assert_null(z);
	buf[0] = 'X';
	assert_int_equal(tz_parse(&z, buf, len), AIMS_EINVALID);
	assert_int_equal(tz_parse(&z, (const unsigned char *)"TZif", 4), AIMS_EINVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tz__offsets_follow_daylight_saving),
		cmocka_unit_test(test_tz__utc_needs_no_file),
		cmocka_unit_test(test_tz__names_stay_inside_the_database),
		cmocka_unit_test(test_tz__damaged_data_refused),
	};

	return cmocka_run_group_tests_name("tz", tests, NULL, NULL);
}
