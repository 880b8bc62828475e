/* str.c - bounded parsing and string checks (see str.h). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

int
str_to_int64(int64_t *out, const char *s, int64_t min, int64_t max)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return aims_error_set(AIMS_EINVALID, NULL, "not a number: '%s'", s ? s : "");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return aims_error_set(AIMS_EINVALID, NULL, "not a whole number: '%s'", s);
	if (v < min || v > max)
		return aims_error_set(AIMS_EINVALID, NULL,
		    "%s is out of range (%lld to %lld)", s, (long long)min, (long long)max);
	*out = v;
	return 0;
}

bool
str_is_slug(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > SLUG_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return false;
	return true;
}

bool
str_is_email(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = strlen(s), i;

	if (n < 3 || n > EMAIL_MAX || at == NULL || at == s || strchr(at + 1, '@'))
		return false;
	if (strchr(at + 1, '.') == NULL || s[n - 1] == '.' || at[1] == '.')
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '<' || s[i] == '>' || s[i] == '"')
			return false;
	return true;
}

bool
str_is_utf8(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80) { i++; continue; }
		if ((s[i] & 0xe0) == 0xc0) { n = 1; cp = s[i] & 0x1f; }
		else if ((s[i] & 0xf0) == 0xe0) { n = 2; cp = s[i] & 0x0f; }
		else if ((s[i] & 0xf8) == 0xf0) { n = 3; cp = s[i] & 0x07; }
		else return false;
		if (n >= len - i)	/* needs n continuation bytes after s[i] */
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

bool
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *
str_lower(const char *s)
{
	char *p = xstrdup(s), *q;

	for (q = p; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return p;
}
