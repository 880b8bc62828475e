/*
 * ical.h - iCalendar (RFC 5545) out: a VCALENDAR of all-day VEVENTs, with
 * TEXT values escaped (backslash, semicolon, comma, line breaks), content
 * lines folded at 75 octets without splitting a UTF-8 character, CRLF line
 * ends, and every time stamp in UTC. Written by hand: the format is a page
 * of rules and no C library in Debian writes it without pulling in a
 * calendar server's worth of dependencies.
 */
#ifndef AIMS_IO_ICAL_H
#define AIMS_IO_ICAL_H

#include <jansson.h>
#include <time.h>

#include "util/buf.h"

#define ICAL_LINE_OCTETS	75	/* RFC 5545 3.1: content lines, CRLF excluded */
#define ICAL_CONTENT_TYPE	"text/calendar; charset=utf-8"

/*
 * Appends the calendar named name with one all-day event per element of
 * events: {uid, date (YYYY-MM-DD), summary, description (may be absent),
 * url (may be absent), categories (may be absent)}; stamped at now. An
 * element without a valid date is left out.
 */
void ical_write(struct buf *out, const char *name, const json_t *events, time_t now);
/* Appends one content line "NAME:VALUE" (value escaped as TEXT when text), folded. */
void ical_line(struct buf *out, const char *name, const char *value, int text);

#endif
