/*
 * fuzz_notify.c - libFuzzer harness for the parsers of work and delivery
 * input: the settings file beside the database (conf_parse), a calendar
 * feed's key (feed_key_split), a webhook URL (webhook_check_url), and the
 * iCalendar writer given any text, whose every line must stay within 75
 * octets, end in CRLF and never break a UTF-8 character.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/feed.h"
#include "core/webhook.h"
#include "io/ical.h"
#include "util/conf.h"
#include "util/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every line: CRLF-ended, at most 75 octets; for valid UTF-8, never folded inside a character. */
static void
check_ical(const char *s, bool utf8)
{
	const char *p = s, *eol;

	while (*p) {
		if ((eol = strstr(p, "\r\n")) == NULL || eol - p > ICAL_LINE_OCTETS)
			abort();
		for (const char *q = p; q < eol; q++)
			if (*q == '\r' || *q == '\n')
				abort();
		if (utf8 && p != s && *p == ' ' && ((unsigned char)p[1] & 0xC0) == 0x80)
			abort();
		p = eol + 2;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[CONF_VALUE_MAX];
	const char *const *k, *secret;
	struct buf b = BUF_INIT;
	int64_t id;

	memcpy(s, data, size);
	s[size] = '\0';
	for (k = conf_keys; *k != NULL; k++)
		conf_parse(out, (const char *)data, size, *k);
	feed_key_split(&id, &secret, s);
	webhook_check_url(s);
	ical_line(&b, "SUMMARY", s, 1);
	ical_line(&b, "UID", s, 0);
	check_ical(buf_str(&b), str_is_utf8(s, strlen(s)));
	buf_free(&b);
	free(s);
	return 0;
}
