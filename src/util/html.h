/*
 * html.h - the one HTML-escaping writer: web pages (web/), the readiness
 * report (io/) and the SVG charts all write markup through it.
 *
 * Markup is appended to a struct buf. html_printf() takes a format that
 * must be a string literal (the macro refuses anything else at compile
 * time); every %s and %c it interpolates is HTML-escaped so that it is safe
 * both as text and inside a double- or single-quoted attribute. Numbers
 * (%d %i %u %x %ld %lu %lld %llu %zu, with flags and widths) are written in
 * full, whatever their width. The only ways to write unescaped bytes are
 * html_raw_UNSAFE() and web/'s html_markdown_UNSAFE_OK() (whose output is
 * made safe by cmark-gfm's safe mode), so an audit for injection is
 * `grep -rn UNSAFE src`.
 *
 * URLs: html_url_escape() percent-encodes one component, html_url_query()
 * appends "?name=value" / "&name=value" to a URL being built, and
 * html_safe_url() answers "#" instead of any URL whose scheme could run
 * script (javascript:, data:, vbscript:, ...).
 */
#ifndef AIMS_UTIL_HTML_H
#define AIMS_UTIL_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

void html__printf(struct buf *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The "" forces fmt to be a string literal: formats are never data. */
#define html_printf(out, fmt, ...) html__printf((out), "" fmt, ##__VA_ARGS__)

/* Appends s (NULL: nothing) HTML-escaped: & < > " ' */
void html_escape(struct buf *out, const char *s);
void html_escape_n(struct buf *out, const char *s, size_t len);
/* Appends trusted markup as is. Only for output of the writers built on this one. */
void html_raw_UNSAFE(struct buf *out, const char *markup);

/* Percent-encodes s as one URL component (RFC 3986 unreserved kept). */
void html_url_escape(struct buf *out, const char *s);
/* Appends "?name=value" or "&name=value" (both encoded) to the URL in url. */
void html_url_query(struct buf *url, const char *name, const char *value);
/* True for relative URLs and http:, https:, mailto:; false for anything else. */
bool html_url_is_safe(const char *url);
/* url when html_url_is_safe(url), else "#". Borrowed. */
const char *html_safe_url(const char *url);

#endif
