/* test_util.c - unit tests for src/util: buf, str, clock, error, the HTML writer. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/html.h"
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

/* A buffer holding len bytes of 'x' in a capacity of cap (a power of two from 64). */
static void
buf_fill(struct buf *b, size_t len, size_t cap)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf_putc(b, 'x');
	assert_int_equal(b->len, len);
	assert_int_equal(b->cap, cap);
}

static void
test_util__buf_printf_fits_in_the_room_left(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_fill(&b, 50, 64);
	buf_printf(&b, "[%d|%s]", 42, "ok");
	assert_int_equal(b.len, 57);
	assert_int_equal(b.cap, 64);
	assert_string_equal(buf_str(&b) + 50, "[42|ok]");
	buf_free(&b);
}

static void
test_util__buf_printf_exact_fit_keeps_the_capacity(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	/* 60 bytes in 64: room for 3 more and the NUL. */
	buf_fill(&b, 60, 64);
	buf_printf(&b, "%d", 123);
	assert_int_equal(b.len, 63);
	assert_int_equal(b.cap, 64);
	assert_int_equal(b.data[63], '\0');
	assert_string_equal(buf_str(&b) + 60, "123");
	buf_free(&b);
}

static void
test_util__buf_printf_grows_when_it_does_not_fit(void **state)
{
	struct buf b = BUF_INIT;
	char want[300];

	(void)state;
	/* One byte over the exact fit: the NUL has no room. */
	buf_fill(&b, 60, 64);
	buf_printf(&b, "%d", 1234);
	assert_int_equal(b.len, 64);
	assert_int_equal(b.cap, 128);
	assert_string_equal(buf_str(&b) + 60, "1234");
	/* Far over: several doublings at once, the text whole. */
	memset(want, 'y', 256);
	want[256] = '\0';
	buf_printf(&b, "<%s>", want);
	assert_int_equal(b.len, 64 + 258);
	assert_int_equal(b.cap, 512);
	assert_int_equal(strncmp(buf_str(&b) + 60, "1234<y", 6), 0);
	assert_string_equal(buf_str(&b) + 64 + 257, ">");
	buf_free(&b);
}

static void
test_util__buf_printf_into_an_empty_buffer(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_printf(&b, "%s", "");
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
	buf_printf(&b, "%0100d", 7);
	assert_int_equal(b.len, 100);
	assert_int_equal(b.cap, 128);
	assert_int_equal(strspn(buf_str(&b), "0"), 99);
	assert_string_equal(buf_str(&b) + 99, "7");
	buf_free(&b);
}

static void
test_util__buf_printf_error_adds_nothing(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_puts(&b, "kept");
	/* A wide character the C locale cannot write: vsnprintf fails. */
	buf_printf(&b, "abc%ls", L"\u00e9");
	assert_int_equal(b.len, 4);
	assert_string_equal(buf_str(&b), "kept");
	buf_free(&b);
}

static void
test_util__buf_put_int_writes_as_printf(void **state)
{
	static const long long vals[] = { 0, 7, -7, 10, 99, -100, 2026, 36550,
	    LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };
	struct buf b = BUF_INIT, want = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		buf_put_int(&b, vals[i]);
		buf_putc(&b, '|');
		buf_printf(&want, "%lld|", vals[i]);
	}
	assert_string_equal(buf_str(&b), buf_str(&want));
	assert_string_equal(buf_str(&b) + b.len - 21, "-9223372036854775807|");
	buf_free(&b);
	buf_free(&want);
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

/*
 * The closed-form day count agrees with the C library's timegm() on every
 * day from 1970 to 9999 (leap years and centuries included), and fields
 * are digits only: sscanf once let a sign or a space through.
 */
static void
test_util__clock_parse_matches_timegm(void **state)
{
	char in[64];
	struct tm tm = { 0 }, got;
	time_t t, want;
	unsigned int step = 0;
	int y, m, d;

	(void)state;
	for (y = 1970; y <= 9999; y++)
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= 31; d++) {
				snprintf(in, sizeof(in), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
				    (int)(step % 24), (int)(step % 60), (int)((step * 7) % 60));
				memset(&tm, 0, sizeof(tm));
				tm.tm_year = y - 1900;
				tm.tm_mon = m - 1;
				tm.tm_mday = d;
				tm.tm_hour = (int)(step % 24);
				tm.tm_min = (int)(step % 60);
				tm.tm_sec = (int)((step * 7) % 60);
				want = timegm(&tm);
				gmtime_r(&want, &got);
				step++;
				if (got.tm_mday != d) {		/* no such day */
					assert_int_equal(clock_parse(&t, in), AIMS_EINVALID);
					continue;
				}
				assert_int_equal(clock_parse(&t, in), 0);
				assert_true(t == want);
			}
	assert_int_equal(clock_parse(&t, "2026-03-01T00:00:60Z"), 0);
	assert_int_equal(clock_parse(&want, "2026-03-01T00:01:00Z"), 0);
	assert_true(t == want);
	assert_int_equal(clock_parse(&t, "2024-02-29T10:00:00-01:30"), 0);
	assert_int_equal(clock_parse(&want, "2024-02-29T11:30:00Z"), 0);
	assert_true(t == want);
	assert_int_equal(clock_parse(&t, "+026-03-01"), AIMS_EINVALID);
	assert_int_equal(clock_parse(&t, " 2026-03-01"), AIMS_EINVALID);
	assert_int_equal(clock_parse(&t, "2026-3-01"), AIMS_EINVALID);
	assert_int_equal(clock_parse(&t, "2026-03-01T1:00:00Z"), AIMS_EINVALID);
	assert_int_equal(clock_parse(&t, "2026-03-01T10:00:00+1:00"), AIMS_EINVALID);
	assert_int_equal(clock_parse(&t, "2026-03-01T10:00:00+01:00x"), AIMS_EINVALID);
	assert_int_equal(clock_parse(&t, "2026-03-01T10:00:00"), AIMS_EINVALID);
	assert_int_equal(clock_parse(&t, "1969-12-31"), AIMS_EINVALID);
	assert_int_equal(clock_parse(&t, "2026-03-01T24:00:00Z"), AIMS_EINVALID);
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

static void
test_util__html_escapes_every_string(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	html_escape(&b, "a<b>&\"c'");
	assert_string_equal(buf_str(&b), "a&lt;b&gt;&amp;&quot;c&#39;");
	buf_reset(&b);
	html_printf(&b, "<p class=\"%s\">%d%% %lld %zu %c %s</p>", "x\"y", -3,
	    1234567890123LL, (size_t)7, '<', "<i>");
	assert_string_equal(buf_str(&b),
	    "<p class=\"x&quot;y\">-3% 1234567890123 7 &lt; &lt;i&gt;</p>");
	buf_reset(&b);
	html_escape(&b, NULL);
	html_escape(&b, "");
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

/*
 * The report's former escaper formatted each number into a 64-byte buffer
 * and silently cut what did not fit, and stopped at the first conversion it
 * did not know (dropping the rest of the page). One writer, nothing cut.
 */
static void
test_util__html_printf_writes_numbers_in_full(void **state)
{
	struct buf b = BUF_INIT, want = BUF_INIT;

	(void)state;
	html_printf(&b, "[%100lld]%s", -1234567890123LL, "<end>");
	buf_printf(&want, "[%100lld]&lt;end&gt;", -1234567890123LL);
	assert_int_equal(b.len, 102 + strlen("&lt;end&gt;"));
	assert_string_equal(buf_str(&b), buf_str(&want));
	buf_reset(&b);
	html_printf(&b, "%.2f %g %x %-4u|", 3.14159, 0.5, 255u, 7u);
	assert_string_equal(buf_str(&b), "3.14 0.5 ff 7   |");
	buf_free(&b);
	buf_free(&want);
}

static void
test_util__html_urls(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_puts(&b, "/risks");
	html_url_query(&b, "q", "a b&c");
	html_url_query(&b, "likelihood", "3");
	assert_string_equal(buf_str(&b), "/risks?q=a%20b%26c&likelihood=3");
	assert_string_equal(html_safe_url("JavaScript:alert(1)"), "#");
	assert_string_equal(html_safe_url("java\tscript:alert(1)"), "#");
	assert_string_equal(html_safe_url("https://example.com/a"), "https://example.com/a");
	assert_string_equal(html_safe_url("../records?x=1"), "../records?x=1");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util__buf_grows_and_detaches),
		cmocka_unit_test(test_util__buf_printf_fits_in_the_room_left),
		cmocka_unit_test(test_util__buf_printf_exact_fit_keeps_the_capacity),
		cmocka_unit_test(test_util__buf_printf_grows_when_it_does_not_fit),
		cmocka_unit_test(test_util__buf_printf_into_an_empty_buffer),
		cmocka_unit_test(test_util__buf_printf_error_adds_nothing),
		cmocka_unit_test(test_util__buf_put_int_writes_as_printf),
		cmocka_unit_test(test_util__int_parse_is_bounded),
		cmocka_unit_test(test_util__slug_and_email),
		cmocka_unit_test(test_util__utf8_validation),
		cmocka_unit_test(test_util__clock_roundtrip),
		cmocka_unit_test(test_util__clock_parse_matches_timegm),
		cmocka_unit_test(test_util__error_keeps_field),
		cmocka_unit_test(test_util__html_escapes_every_string),
		cmocka_unit_test(test_util__html_printf_writes_numbers_in_full),
		cmocka_unit_test(test_util__html_urls),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
