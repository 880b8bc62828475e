/*
 * justify.c - the test of a meaningful justification (see justify.h). The
 * same limits are compiled into SQL by core/query.c ("justified"), so a text
 * refused on input is also what readiness flags in records made earlier.
 */
#include <ctype.h>
#include <string.h>

#include "core/justify.h"
#include "util/error.h"

const char *const justify_empty_words[] = {
	"n/a", "na", "n.a", "n a", "none", "nil", "null", "no", "yes", "ok", "x", "tbd",
	"todo", "to do", "later", "test", "justification", "not applicable",
	"not relevant", "not needed", "not required", "needed", "required", "applicable",
	"see above", "as above", "same as above", "no justification", NULL,
};

/* The text without JUSTIFY_TRIM at both ends: *start and its length in bytes. */
static size_t
justify_trim(const char **start, const char *text)
{
	const char *s = text, *e = text + strlen(text);

	while (*s && strchr(JUSTIFY_TRIM, *s))
		s++;
	while (e > s && strchr(JUSTIFY_TRIM, e[-1]))
		e--;
	*start = s;
	return (size_t)(e - s);
}

/* UTF-8 characters: bytes that do not continue a sequence. */
static size_t
justify_chars(const char *s, size_t n)
{
	size_t i, chars = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			chars++;
	return chars;
}

static bool
justify_is_placeholder(const char *s, size_t n)
{
	char low[JUSTIFY_WORD_MAX];
	size_t i;

	if (n >= sizeof(low))
		return false;
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[n] = '\0';
	for (i = 0; justify_empty_words[i]; i++)
		if (strcmp(low, justify_empty_words[i]) == 0)
			return true;
	return false;
}

bool
justify_ok(const char *text)
{
	const char *s;
	size_t n;

	if (text == NULL)
		return false;
	n = justify_trim(&s, text);
	return justify_chars(s, n) >= JUSTIFY_MIN_CHARS && !justify_is_placeholder(s, n);
}

int
justify_check(const char *field, const char *text, const char *what)
{
	const char *s;
	size_t n;

	if (justify_ok(text))
		return 0;
	n = text ? justify_trim(&s, text) : 0;
	if (n > 0 && justify_is_placeholder(s, n))
		return aims_error_set(AIMS_EINVALID, field, "field '%s': \"%.*s\" is not a "
		    "justification; say why %s", field, (int)n, s, what);
	return aims_error_set(AIMS_EINVALID, field, "field '%s': a justification of at least "
	    "%d characters is required; say why %s", field, JUSTIFY_MIN_CHARS, what);
}
