/*
 * html.h - the HTML writer every page goes through.
 *
 * Markup is appended to a struct buf. html_printf() takes a format that
 * must be a string literal (the macro refuses anything else at compile
 * time); every %s and %c it interpolates is HTML-escaped so that it is safe
 * both as text and inside a double- or single-quoted attribute. Numbers
 * (%d %i %u %ld %lu %lld %llu %zu) are written as numbers. The only ways to
 * write unescaped bytes are html_raw_UNSAFE() and html_markdown_UNSAFE_OK()
 * (whose output is made safe by cmark-gfm's safe mode), so an audit of the
 * UI for injection is `grep -rn UNSAFE src/web`.
 *
 * URLs: html_url_escape() percent-encodes one component, html_url_query()
 * appends "?name=value" / "&name=value" to a URL being built, and
 * html_safe_url() answers "#" instead of any URL whose scheme could run
 * script (javascript:, data:, vbscript:, ...).
 */
#ifndef AIMS_WEB_HTML_H
#define AIMS_WEB_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* html.c */
void html__printf(struct buf *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The "" forces fmt to be a string literal: formats are never data. */
#define html_printf(out, fmt, ...) html__printf((out), "" fmt, ##__VA_ARGS__)

/* Appends s (NULL: nothing) HTML-escaped: & < > " ' */
void html_escape(struct buf *out, const char *s);
void html_escape_n(struct buf *out, const char *s, size_t len);
/* Appends trusted markup as is. Only for output of this module's writers. */
void html_raw_UNSAFE(struct buf *out, const char *markup);

/* Appends ` name="value"` (value escaped; NULL: bare name) when cond holds. */
void html_attr_if(struct buf *out, bool cond, const char *name, const char *value);

/* Percent-encodes s as one URL component (RFC 3986 unreserved kept). */
void html_url_escape(struct buf *out, const char *s);
/* Appends "?name=value" or "&name=value" (both encoded) to the URL in url. */
void html_url_query(struct buf *url, const char *name, const char *value);
/* True for relative URLs and http:, https:, mailto:; false for anything else. */
bool html_url_is_safe(const char *url);
/* url when html_url_is_safe(url), else "#". Borrowed. */
const char *html_safe_url(const char *url);

/* <a href="URL">TEXT</a>, URL checked with html_safe_url(), both escaped. */
void html_link(struct buf *out, const char *url, const char *text);

/*
 * Renders Markdown to HTML with cmark-gfm in safe mode: raw HTML is
 * dropped and links or images with script-capable schemes are removed.
 */
void html_markdown_UNSAFE_OK(struct buf *out, const char *markdown);

#endif
