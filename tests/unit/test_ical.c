/*
 * test_ical.c - unit tests for the iCalendar writer (io/ical.c): content
 * lines folded at 75 octets with a fold never inside a UTF-8 character,
 * TEXT escaped, line breaks and other control characters never raw, CRLF
 * line ends, all-day dates with the next day as their end (across a month
 * and a year), DTSTAMP in UTC, and an element without a valid date left out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "io/ical.h"

/* Every physical line: at most 75 octets, CRLF-terminated, no bare CR or LF. */
static void
check_lines(const char *s)
{
	const char *p = s, *eol;

	while (*p) {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		assert_true(eol - p <= ICAL_LINE_OCTETS);
		for (const char *q = p; q < eol; q++)
			assert_true(*q != '\r' && *q != '\n');
		/* A continuation line never starts inside a UTF-8 sequence. */
		if (p != s && *p == ' ')
			assert_true(((unsigned char)p[1] & 0xC0) != 0x80);
		p = eol + 2;
	}
}

/* The content of s with folds removed. */
static void
unfold(char *out, size_t n, const char *s)
{
	size_t o = 0;

	for (; *s && o + 1 < n; s++) {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ') {
			s += 2;
			continue;
		}
		out[o++] = *s;
	}
	out[o] = '\0';
}

static void
test_ical__fold_at_75_octets_never_inside_a_character(void **state)
{
	struct buf b = BUF_INIT;
	char flat[4096], value[400];
	size_t i;

	(void)state;
	/* 'é' is two octets: a 75-octet boundary falls inside one of them for some offset. */
	for (i = 0; i + 2 < sizeof(value); i += 2)
		memcpy(value + i, "\xc3\xa9", 2);
	value[i] = '\0';
	for (i = 0; i < 4; i++) {
		buf_reset(&b);
		ical_line(&b, i % 2 ? "SUMMARY" : "X", value + (i * 2), 1);
		check_lines(buf_str(&b));
		unfold(flat, sizeof(flat), buf_str(&b));
		assert_non_null(strstr(flat, value + (i * 2)));
	}
	buf_free(&b);
}

static void
test_ical__text_is_escaped(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	ical_line(&b, "SUMMARY", "a,b;c\\d\ne\r\nf\x01g", 1);
	assert_string_equal(buf_str(&b), "SUMMARY:a\\,b\\;c\\\\d\\ne\\nfg\r\n");
	buf_reset(&b);
	/* Other value types carry no line break either. */
	ical_line(&b, "UID", "x\r\nBEGIN:VEVENT", 0);
	assert_string_equal(buf_str(&b), "UID:xBEGIN:VEVENT\r\n");
	buf_free(&b);
}

static void
test_ical__calendar_dates_and_stamp(void **state)
{
	struct buf b = BUF_INIT;
	json_t *ev = json_pack("[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}]",
	    "uid", "a@x", "date", "2026-12-31", "summary", "Year end", "description", "D",
	    "uid", "b@x", "date", "2026-02-28", "summary", "Feb",
	    "uid", "c@x", "date", "2026-02-30", "summary", "No such day");
	const char *s;

	(void)state;
	ical_write(&b, "Acme: my work", ev, (time_t)1781092800);
	s = buf_str(&b);
	check_lines(s);
	assert_true(strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
	assert_non_null(strstr(s, "X-WR-CALNAME:Acme: my work\r\n"));
	assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
	assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20260228\r\nDTEND;VALUE=DATE:20260301\r\n"));
	assert_null(strstr(s, "No such day"));
	assert_non_null(strstr(s, "DTSTAMP:20260610T120000Z\r\n"));
	assert_int_equal(strlen(s) >= 15, 1);
	assert_string_equal(s + strlen(s) - 15, "END:VCALENDAR\r\n");
	json_decref(ev);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ical__fold_at_75_octets_never_inside_a_character),
		cmocka_unit_test(test_ical__text_is_escaped),
		cmocka_unit_test(test_ical__calendar_dates_and_stamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
