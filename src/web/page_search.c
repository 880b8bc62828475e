/*
 * page_search.c - the header's search across every record kind: for each
 * kind with a match, its newest few records (reference and title) and a
 * link to its list filtered by the same text, where the rest are.
 */
#include <string.h>

#include "core/record.h"
#include "util/buf.h"
#include "web/html.h"
#include "web/web.h"

static void
web_search_kind(struct buf *out, const struct web_ctx *ctx, const char *q, const json_t *r)
{
	const struct record_kind *k = record_kind_find(json_string_value(json_object_get(r,
	    "kind")));
	bool more = json_is_true(json_object_get(r, "more"));
	size_t n = json_array_size(json_object_get(r, "items"));
	struct buf url = BUF_INIT;
	const json_t *rec;
	size_t i;

	if (k == NULL)
		return;
	html_printf(out, "<section class=\"card found\" aria-labelledby=\"found-%s\">"
	    "<h2 id=\"found-%s\">", k->name, k->name);
	web_label(out, k->plural);
	html_printf(out, " <span class=\"count\">%zu%s</span></h2><ul class=\"found-list\">",
	    n, more ? "+" : "");
	json_array_foreach(json_object_get(r, "items"), i, rec) {
		buf_reset(&url);
		web_url_record(&url, ctx, k->name, json_string_value(json_object_get(rec, "ref")));
		html_printf(out, "<li><a href=\"%s\"><span class=\"ref\">%s</span> %s</a></li>",
		    buf_str(&url), json_string_value(json_object_get(rec, "ref")),
		    json_string_value(json_object_get(rec, "title")));
	}
	buf_puts(out, "</ul>");
	if (more) {
		buf_reset(&url);
		web_url_kind(&url, ctx, k->name);
		html_url_query(&url, "q", q);
		html_printf(out, "<p><a href=\"%s\">All the %s that match</a></p>", buf_str(&url),
		    k->plural);
	}
	buf_puts(out, "</section>\n");
	buf_free(&url);
}

void
web_page_search(struct buf *out, const struct web_ctx *ctx, const char *q,
    const json_t *results)
{
	struct web_crumb crumbs[] = { { "Search", NULL } };
	const json_t *r;
	size_t i, shown = 0, kinds = json_array_size(results);
	bool more = false;

	web_page_begin(out, ctx, "Search", "search", crumbs, 1);
	buf_puts(out, "<h1>Search all records</h1>\n");
	if (q == NULL || *q == '\0') {
		buf_puts(out, "<p class=\"lede\">Type words from a record's title or text in the "
		    "search box at the top of every page.</p>\n");
		web_page_end(out, ctx);
		return;
	}
	json_array_foreach(results, i, r) {
		shown += json_array_size(json_object_get(r, "items"));
		more |= json_is_true(json_object_get(r, "more"));
	}
	if (kinds == 0)
		html_printf(out, "<p class=\"empty\" role=\"status\">Nothing matches \xe2\x80\x9c%s"
		    "\xe2\x80\x9d. Try fewer words, or part of a word.</p>\n", q);
	else if (more)
		html_printf(out, "<p class=\"summary\" role=\"status\">Matches for \xe2\x80\x9c%s"
		    "\xe2\x80\x9d in %zu kind%s; the first %d of each are shown.</p>\n", q, kinds,
		    kinds == 1 ? "" : "s", WEB_SEARCH_PER_KIND);
	else
		html_printf(out, "<p class=\"summary\" role=\"status\">%zu %s \xe2\x80\x9c%s"
		    "\xe2\x80\x9d in %zu kind%s.</p>\n", shown,
		    shown == 1 ? "record matches" : "records match", q, kinds, kinds == 1 ? "" : "s");
	json_array_foreach(results, i, r)
		web_search_kind(out, ctx, q, r);
	web_page_end(out, ctx);
}
