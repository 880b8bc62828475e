/*
 * html.c - the HTML-escaping writer (see html.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/html.h"

#define HTML_SPEC_MAX	16	/* longest conversion spec: "%-0200lld" fits */

static const char *const html_safe_schemes[] = { "http", "https", "mailto", NULL };

void
html_escape_n(struct buf *out, const char *s, size_t len)
{
	size_t i, start;
	const char *rep;

	buf_grow(out, len);
	for (i = start = 0; i < len; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_append(out, s + start, len - start);
}

void
html_escape(struct buf *out, const char *s)
{
	if (s != NULL)
		html_escape_n(out, s, strlen(s));
}

void
html_raw_UNSAFE(struct buf *out, const char *markup)
{
	if (markup != NULL)
		buf_puts(out, markup);
}

/*
 * Copies one conversion spec starting at *p ('%') into spec: flags, width,
 * precision, the l, ll and z modifiers, then the conversion, which it
 * returns. Anything else (*, h, L, n, p...) is a programmer error the
 * format attribute lets through: it aborts rather than write a wrong page.
 */
static char
html_spec_copy(char spec[HTML_SPEC_MAX], const char **p)
{
	const char *s = *p;
	size_t n = 0;

	spec[n++] = *s++;
	while (*s != '\0' && strchr("-+ #0123456789.lz", *s) != NULL) {
		if (n + 2 >= HTML_SPEC_MAX)
			abort();	/* absurd format */
		spec[n++] = *s++;
	}
	if (*s == '\0' || strchr("diuxXcsfge%", *s) == NULL)
		abort();
	spec[n++] = *s;
	spec[n] = '\0';
	*p = s + 1;
	return *s;
}

/* Numbers in full: buf_printf() grows the buffer to any width. */
static void
html_put_number(struct buf *out, const char *spec, va_list *ap)
{
	size_t n = strlen(spec);
	char c = spec[n - 1];
	bool is_unsigned = (c == 'u' || c == 'x' || c == 'X');

	if (c == 'f' || c == 'g' || c == 'e')
		buf_printf(out, spec, va_arg(*ap, double));
	else if (strstr(spec, "ll") != NULL) {
		if (is_unsigned)
			buf_printf(out, spec, va_arg(*ap, unsigned long long));
		else
			buf_printf(out, spec, va_arg(*ap, long long));
	} else if (strchr(spec, 'z') != NULL) {
		buf_printf(out, spec, va_arg(*ap, size_t));
	} else if (strchr(spec, 'l') != NULL) {
		if (is_unsigned)
			buf_printf(out, spec, va_arg(*ap, unsigned long));
		else
			buf_printf(out, spec, va_arg(*ap, long));
	} else if (is_unsigned) {
		buf_printf(out, spec, va_arg(*ap, unsigned int));
	} else {
		buf_printf(out, spec, va_arg(*ap, int));
	}
}

void
html__printf(struct buf *out, const char *fmt, ...)
{
	char spec[HTML_SPEC_MAX], ch;
	const char *p = fmt, *lit;
	va_list ap;

	va_start(ap, fmt);
	while (*p != '\0') {
		lit = p;
		while (*p != '\0' && *p != '%')
			p++;
		buf_append(out, lit, (size_t)(p - lit));
		if (*p == '\0')
			break;
		switch (html_spec_copy(spec, &p)) {
		case '%':
			buf_putc(out, '%');
			break;
		case 's':
			if (strcmp(spec, "%s") != 0)
				abort();	/* widths would cut inside an entity */
			html_escape(out, va_arg(ap, const char *));
			break;
		case 'c':
			ch = (char)va_arg(ap, int);
			html_escape_n(out, &ch, 1);
			break;
		default:
			html_put_number(out, spec, &ap);
			break;
		}
	}
	va_end(ap);
}

void
html_url_escape(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	if (s == NULL)
		return;
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
			buf_putc(out, (char)c);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hex[c >> 4]);
			buf_putc(out, hex[c & 15]);
		}
	}
}

void
html_url_query(struct buf *url, const char *name, const char *value)
{
	buf_putc(url, strchr(buf_str(url), '?') != NULL ? '&' : '?');
	html_url_escape(url, name);
	buf_putc(url, '=');
	html_url_escape(url, value);
}

bool
html_url_is_safe(const char *url)
{
	const char *p;
	size_t n;
	int i;

	if (url == NULL || *url == '\0')
		return false;
	/* Browsers drop tabs and newlines inside URLs: "java\tscript:". */
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	n = strcspn(url, ":/?#");
	if (url[n] != ':')
		return true;	/* relative: no scheme */
	for (i = 0; html_safe_schemes[i] != NULL; i++)
		if (strlen(html_safe_schemes[i]) == n &&
		    strncasecmp(url, html_safe_schemes[i], n) == 0)
			return true;
	return false;
}

const char *
html_safe_url(const char *url)
{
	return html_url_is_safe(url) ? url : "#";
}
