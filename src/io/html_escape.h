/*
 * html_escape.h - escaping text for HTML and SVG written by io/ (the
 * readiness report). Every interpolated value goes through it.
 */
#ifndef AIMS_IO_HTML_ESCAPE_H
#define AIMS_IO_HTML_ESCAPE_H

#include "util/buf.h"

/* Appends s (NULL: nothing) with & < > " ' replaced by entities. */
void html_escape_put(struct buf *b, const char *s);
/* printf-style, every %s argument escaped: the format itself is trusted. */
void html_escape_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
