/*
 * ical.c - iCalendar writer (io/ical.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "io/ical.h"
#include "util/clock.h"

#define ICAL_PRODID	"-//OpenAIMS//Work and certification calendar//EN"
#define ICAL_REFRESH	"PT1H"	/* work changes during the day; an hour is fresh enough */

/* Appends line (no CRLF yet) folded: CRLF and a space before each 75th octet. */
static void
ical_fold(struct buf *out, const char *line, size_t n)
{
	size_t i = 0, width = 0, clen;

	while (i < n) {
		clen = 1;
		/* The length of the UTF-8 sequence starting here; a fold never splits one. */
		if (((unsigned char)line[i] & 0xE0) == 0xC0)
			clen = 2;
		else if (((unsigned char)line[i] & 0xF0) == 0xE0)
			clen = 3;
		else if (((unsigned char)line[i] & 0xF8) == 0xF0)
			clen = 4;
		if (i + clen > n)
			clen = n - i;
		if (width + clen > ICAL_LINE_OCTETS) {
			buf_puts(out, "\r\n ");
			width = 1;	/* the space starts the continuation line */
		}
		buf_append(out, line + i, clen);
		width += clen;
		i += clen;
	}
	buf_puts(out, "\r\n");
}

void
ical_line(struct buf *out, const char *name, const char *value, int text)
{
	struct buf line = BUF_INIT;
	const char *p;

	buf_puts(&line, name);
	buf_putc(&line, ':');
	for (p = value != NULL ? value : ""; *p; p++) {
		if (!text) {
			/* Values of other types are ours (dates, UIDs, paths): no line breaks. */
			if ((unsigned char)*p >= 0x20 && *p != 0x7f)
				buf_putc(&line, *p);
			continue;
		}
		switch (*p) {
		case '\\': buf_puts(&line, "\\\\"); break;
		case ';': buf_puts(&line, "\\;"); break;
		case ',': buf_puts(&line, "\\,"); break;
		case '\n': buf_puts(&line, "\\n"); break;
		case '\r':
			if (p[1] != '\n')
				buf_puts(&line, "\\n");
			break;
		default:
			/* Other control characters are not allowed in TEXT (RFC 5545 3.3.11). */
			if ((unsigned char)*p >= 0x20 && *p != 0x7f)
				buf_putc(&line, *p);
		}
	}
	ical_fold(out, line.data != NULL ? line.data : "", line.len);
	buf_free(&line);
}

/* "YYYY-MM-DD" as "YYYYMMDD" and the day after; false when it is not a date. */
static int
ical_dates(char start[9], char end[9], const char *date)
{
	char stamp[CLOCK_RFC3339_LEN];
	time_t t;
	int i;

	if (date == NULL || strlen(date) != 10 || date[4] != '-' || date[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)date[i]))
			return 0;
	snprintf(stamp, sizeof(stamp), "%.10sT00:00:00Z", date);
	if (clock_parse(&t, stamp) != 0)
		return 0;
	snprintf(start, 9, "%.4s%.2s%.2s", date, date + 5, date + 8);
	clock_format(stamp, t + 86400);
	snprintf(end, 9, "%.4s%.2s%.2s", stamp, stamp + 5, stamp + 8);
	return 1;
}

void
ical_write(struct buf *out, const char *name, const json_t *events, time_t now)
{
	char stamp[CLOCK_RFC3339_LEN], dtstamp[17], start[9], end[9];
	const json_t *e;
	const char *s;
	size_t i;

	clock_format(stamp, now);
	/* 2026-06-10T12:00:00Z -> 20260610T120000Z: UTC, as RFC 5545's FORM #2. */
	snprintf(dtstamp, sizeof(dtstamp), "%.4s%.2s%.2sT%.2s%.2s%.2sZ", stamp, stamp + 5,
	    stamp + 8, stamp + 11, stamp + 14, stamp + 17);
	buf_puts(out, "BEGIN:VCALENDAR\r\n");
	ical_line(out, "VERSION", "2.0", 0);
	ical_line(out, "PRODID", ICAL_PRODID, 0);
	ical_line(out, "CALSCALE", "GREGORIAN", 0);
	ical_line(out, "METHOD", "PUBLISH", 0);
	ical_line(out, "X-WR-CALNAME", name, 1);
	/* How often subscribing applications read it again (RFC 7986; Outlook's own name). */
	ical_line(out, "REFRESH-INTERVAL;VALUE=DURATION", ICAL_REFRESH, 0);
	ical_line(out, "X-PUBLISHED-TTL", ICAL_REFRESH, 0);
	json_array_foreach(events, i, e) {
		if (!ical_dates(start, end, json_string_value(json_object_get(e, "date"))))
			continue;
		buf_puts(out, "BEGIN:VEVENT\r\n");
		ical_line(out, "UID", json_string_value(json_object_get(e, "uid")), 0);
		ical_line(out, "DTSTAMP", dtstamp, 0);
		ical_line(out, "DTSTART;VALUE=DATE", start, 0);
		ical_line(out, "DTEND;VALUE=DATE", end, 0);
		ical_line(out, "SUMMARY", json_string_value(json_object_get(e, "summary")), 1);
		if ((s = json_string_value(json_object_get(e, "description"))) != NULL)
			ical_line(out, "DESCRIPTION", s, 1);
		if ((s = json_string_value(json_object_get(e, "categories"))) != NULL)
			ical_line(out, "CATEGORIES", s, 1);
		if ((s = json_string_value(json_object_get(e, "url"))) != NULL)
			ical_line(out, "URL", s, 0);
		ical_line(out, "TRANSP", "TRANSPARENT", 0);
		buf_puts(out, "END:VEVENT\r\n");
	}
	buf_puts(out, "END:VCALENDAR\r\n");
}
