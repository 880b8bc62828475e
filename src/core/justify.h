/*
 * justify.h - what counts as a justification: the reason a control is
 * included in or excluded from the Statement of Applicability (6.1.3), or an
 * AI system left out of the AIMS scope (4.3). An auditor reads "N/A", "-" or
 * "none" as no justification at all, so such texts are refused on input,
 * and the readiness rules flag existing ones (query.h, "justified").
 *
 * A justification is meaningful when, with the characters of
 * JUSTIFY_TRIM removed from both ends, it has at least JUSTIFY_MIN_CHARS
 * characters and is none of justify_empty_words (compared in lower case).
 */
#ifndef AIMS_CORE_JUSTIFY_H
#define AIMS_CORE_JUSTIFY_H

#include <stdbool.h>

#define JUSTIFY_MIN_CHARS	10		/* characters, not bytes */
#define JUSTIFY_TRIM		" \t\r\n.,;:!?-_*/"	/* ignored at both ends */
#define JUSTIFY_WORD_MAX	32		/* longest entry of the list, with NUL */

/* Placeholders that say nothing, in lower case, NULL-terminated. */
extern const char *const justify_empty_words[];

/* Whether text (UTF-8, may be NULL) is a meaningful justification. */
bool justify_ok(const char *text);
/*
 * 0 when text is meaningful, else AIMS_EINVALID naming field, with a message
 * saying what is missing; `what` completes "justify why ..." in it.
 */
int justify_check(const char *field, const char *text, const char *what);

#endif
