/* html_escape.c - HTML/SVG text escaping for io/ (see html_escape.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "io/html_escape.h"

#define HTML_ESCAPE_CONV_MAX	32	/* length of one conversion spec */

void
html_escape_put(struct buf *b, const char *s)
{
	const char *p, *run;

	if (s == NULL)
		return;
	for (run = p = s; *p; p++) {
		const char *ent = NULL;

		switch (*p) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		buf_append(b, run, (size_t)(p - run));
		buf_puts(b, ent);
		run = p + 1;
	}
	buf_append(b, run, (size_t)(p - run));
}

/*
 * Walks the format: literal text is copied, %s arguments are escaped, other
 * conversions (numbers) are formatted as given. Supports flags, width,
 * precision and the l/ll/z length modifiers.
 */
void
html_escape_printf(struct buf *b, const char *fmt, ...)
{
	char spec[HTML_ESCAPE_CONV_MAX], tmp[64];
	const char *p, *start;
	va_list ap;
	size_t n;
	int longs;

	va_start(ap, fmt);
	for (p = fmt; *p; p++) {
		if (*p != '%') {
			buf_putc(b, *p);
			continue;
		}
		if (p[1] == '%') {
			buf_putc(b, '%');
			p++;
			continue;
		}
		start = p++;
		while (*p && strchr("-+ #0123456789.", *p))
			p++;
		for (longs = 0; *p == 'l' || *p == 'z'; p++)
			longs += *p == 'l' ? 1 : 3;
		n = (size_t)(p - start) + 1;
		if (n >= sizeof(spec))
			break;
		memcpy(spec, start, n);
		spec[n] = '\0';
		switch (*p) {
		case 's':
			html_escape_put(b, va_arg(ap, const char *));
			break;
		case 'd': case 'i': case 'u': case 'x':
			if (longs >= 3)
				snprintf(tmp, sizeof(tmp), spec, va_arg(ap, size_t));
			else if (longs == 2)
				snprintf(tmp, sizeof(tmp), spec, va_arg(ap, long long));
			else if (longs == 1)
				snprintf(tmp, sizeof(tmp), spec, va_arg(ap, long));
			else
				snprintf(tmp, sizeof(tmp), spec, va_arg(ap, int));
			buf_puts(b, tmp);
			break;
		case 'f': case 'g':
			snprintf(tmp, sizeof(tmp), spec, va_arg(ap, double));
			buf_puts(b, tmp);
			break;
		default:
			va_end(ap);
			return;
		}
	}
	va_end(ap);
}
