/*
 * html.c - escaping HTML writer, URL helpers and safe Markdown (see html.h).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "util/buf.h"
#include "web/html.h"

#define HTML_SPEC_MAX	16	/* longest conversion spec we copy: "%-020lld" */

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

/* Copies one conversion spec starting at *p ('%') into spec; returns its conversion char. */
static char
html_spec_copy(char spec[HTML_SPEC_MAX], const char **p)
{
	const char *s = *p;
	size_t n = 0;

	do {
		if (n + 2 > HTML_SPEC_MAX)
			abort();	/* programmer error: absurd format */
		spec[n++] = *s++;
	} while (*s != '\0' && strchr("diucsxX%", *s) == NULL);
	if (*s == '\0')
		abort();
	spec[n++] = *s;
	spec[n] = '\0';
	*p = s + 1;
	return *s;
}

static void
html_put_number(struct buf *out, const char *spec, va_list *ap)
{
	size_t n = strlen(spec);
	char c = spec[n - 1];
	bool is_unsigned = (c == 'u' || c == 'x' || c == 'X');

	if (strstr(spec, "ll") != NULL) {
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
html_attr_if(struct buf *out, bool cond, const char *name, const char *value)
{
	if (!cond)
		return;
	if (value != NULL)
		html_printf(out, " %s=\"%s\"", name, value);
	else
		html_printf(out, " %s", name);
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

void
html_link(struct buf *out, const char *url, const char *text)
{
	html_printf(out, "<a href=\"%s\">%s</a>", html_safe_url(url), text);
}

static pthread_once_t html_markdown_once = PTHREAD_ONCE_INIT;

static void
html_markdown_register(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

static void
html_markdown_attach(cmark_parser *parser, const char *name)
{
	cmark_syntax_extension *ext = cmark_find_syntax_extension(name);

	if (ext != NULL)
		cmark_parser_attach_syntax_extension(parser, ext);
}

void
html_markdown_UNSAFE_OK(struct buf *out, const char *markdown)
{
	/* CMARK_OPT_UNSAFE is deliberately absent: raw HTML and bad URLs are dropped. */
	const int opts = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
	cmark_parser *parser;
	cmark_node *doc;
	char *html;

	if (markdown == NULL)
		return;
	pthread_once(&html_markdown_once, html_markdown_register);
	parser = cmark_parser_new(opts);
	html_markdown_attach(parser, "table");
	html_markdown_attach(parser, "strikethrough");
	html_markdown_attach(parser, "autolink");
	html_markdown_attach(parser, "tagfilter");
	cmark_parser_feed(parser, markdown, strlen(markdown));
	doc = cmark_parser_finish(parser);
	html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(parser));
	buf_puts(out, html);
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(parser);
}
