/* test_util.c - unit tests for src/util: buf, str, clock, error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

static void
test_util__buf_grows_and_detaches(void **state)
{
	struct buf b = BUF_INIT;
	char *s;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	assert_int_equal(strncmp(buf_str(&b), "0,1,2,", 6), 0);
	assert_true(b.len > 2000);
	s = buf_detach(&b);
	assert_null(b.data);
	assert_string_equal(buf_str(&b), "");
	free(s);
}

static void
test_util__int_parse_is_bounded(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(str_to_int64(&v, "42", 0, 100), 0);
	assert_int_equal(v, 42);
	assert_int_equal(str_to_int64(&v, "101", 0, 100), AIMS_EINVALID);
	assert_int_equal(str_to_int64(&v, "4x", 0, 100), AIMS_EINVALID);
	assert_int_equal(str_to_int64(&v, "", 0, 100), AIMS_EINVALID);
	assert_int_equal(str_to_int64(&v, " 1", 0, 100), AIMS_EINVALID);
	assert_int_equal(str_to_int64(&v, "99999999999999999999", 0, INT64_MAX), AIMS_EINVALID);
}

static void
test_util__slug_and_email(void **state)
{
	(void)state;
	assert_true(str_is_slug("demo"));
	assert_true(str_is_slug("acme-ai-2"));
	assert_false(str_is_slug("-bad"));
	assert_false(str_is_slug("Bad"));
	assert_false(str_is_slug("a"));
	assert_false(str_is_slug("has space"));
	assert_true(str_is_email("a@b.co"));
	assert_false(str_is_email("a@b"));
	assert_false(str_is_email("@b.co"));
	assert_false(str_is_email("a b@c.de"));
	assert_false(str_is_email("a@@c.de"));
}

static void
test_util__utf8_validation(void **state)
{
	(void)state;
	assert_true(str_is_utf8("h\xc3\xa9llo", 6));
	assert_false(str_is_utf8("\xc3", 1));		/* truncated */
	assert_false(str_is_utf8("\xc0\x80", 2));	/* overlong */
	assert_false(str_is_utf8("\xed\xa0\x80", 3));	/* surrogate */
	assert_true(str_is_utf8("\xf0\x9f\x98\x80", 4));
}

static void
test_util__clock_roundtrip(void **state)
{
	char s[CLOCK_RFC3339_LEN];
	time_t t;

	(void)state;
	assert_int_equal(clock_parse(&t, "2026-02-28T12:34:56Z"), 0);
	clock_format(s, t);
	assert_string_equal(s, "2026-02-28T12:34:56Z");
	assert_int_equal(clock_parse(&t, "2026-02-28T14:34:56.123+02:00"), 0);
	clock_format(s, t);
	assert_string_equal(s, "2026-02-28T12:34:56Z");
	assert_int_equal(clock_parse(&t, "2026-03-01"), 0);
	assert_int_equal(clock_parse(&t, "2026-02-30"), AIMS_EINVALID);
	assert_int_equal(clock_parse(&t, "2026-02-28T12:34"), AIMS_EINVALID);
	assert_int_equal(clock_parse(&t, "yesterday"), AIMS_EINVALID);
}

static void
test_util__error_keeps_field(void **state)
{
	(void)state;
	assert_int_equal(aims_error_set(AIMS_EINVALID, "name", "bad %s", "name"), AIMS_EINVALID);
	assert_string_equal(aims_error_message(), "bad name");
	assert_string_equal(aims_error_field(), "name");
	assert_string_equal(aims_error_name(AIMS_ENOTFOUND), "not_found");
	aims_error_clear();
	assert_string_equal(aims_error_field(), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util__buf_grows_and_detaches),
		cmocka_unit_test(test_util__int_parse_is_bounded),
		cmocka_unit_test(test_util__slug_and_email),
		cmocka_unit_test(test_util__utf8_validation),
		cmocka_unit_test(test_util__clock_roundtrip),
		cmocka_unit_test(test_util__error_keeps_field),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
