/*
 * html.h - the HTML helpers of the pages, over the escaping writer and URL
 * helpers of util/html.h (html_printf, html_escape, html_safe_url...),
 * which every page goes through.
 */
#ifndef AIMS_WEB_HTML_H
#define AIMS_WEB_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/html.h"

/* Appends ` name="value"` (value escaped; NULL: bare name) when cond holds. */
void html_attr_if(struct buf *out, bool cond, const char *name, const char *value);

/*
 * Renders Markdown to HTML with cmark-gfm in safe mode: raw HTML is
 * dropped and links or images with script-capable schemes are removed.
 * Headings move down HTML_MARKDOWN_HEADING_SHIFT levels ("# A" is an h4,
 * h6 at most): they sit under the page's h1, h2 and h3.
 */
#define HTML_MARKDOWN_HEADING_SHIFT	3
void html_markdown_UNSAFE_OK(struct buf *out, const char *markdown);

#endif
