/*
 * html.c - the page helpers over util/html.c: attributes, links and safe
 * Markdown (see html.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "util/buf.h"
#include "web/html.h"

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

/*
 * A page has one h1 (its title) and its own h2 and h3 sections; headings
 * written in a record's Markdown go below them (WCAG 1.3.1), h6 at most.
 */
static void
html_markdown_shift_headings(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *node;
	int level;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_HEADING)
			continue;
		level = cmark_node_get_heading_level(node) + HTML_MARKDOWN_HEADING_SHIFT;
		cmark_node_set_heading_level(node, level > 6 ? 6 : level);
	}
	cmark_iter_free(it);
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
	html_markdown_shift_headings(doc);
	html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(parser));
	buf_puts(out, html);
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(parser);
}
