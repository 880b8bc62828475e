/*
 * page_coverage.c - the crosswalk coverage page: for one framework (EU AI
 * Act, NIST AI RMF, ISO/IEC 27001 Annex A, OWASP LLM, MITRE ATLAS) how much
 * the organisation's ISO/IEC 42001 records cover, requirement by
 * requirement, with the ISO/IEC 42001 requirements behind each (their
 * records linked) and what is missing. It renders the answer of
 * engine/coverage.h and decides nothing itself.
 */
#include <stdio.h>
#include <string.h>

#include "core/crosswalk.h"
#include "core/record.h"
#include "web/html.h"
#include "web/web.h"

/* The frameworks' short names for the tabs, in crosswalk_frameworks[] order. */
static const char *const cov_tab_labels[] = {
	"EU AI Act", "NIST AI RMF", "ISO/IEC 27001", "OWASP LLM", "MITRE ATLAS", NULL
};

/* Status words shown with a sign beside the colour, so colour is never the only signal. */
static const char *
cov_status_label(const char *s)
{
	static const char *const labels[][2] = {
		{ "covered", "\xe2\x9c\x93 Covered" },		/* check mark */
		{ "met", "\xe2\x9c\x93 Met" },
		{ "partial", "\xe2\x97\x90 Partial" },		/* half circle */
		{ "not_covered", "\xe2\x9c\x97 Not covered" },	/* ballot x */
		{ "none", "\xe2\x9c\x97 None" },
		{ "excluded", "\xe2\x80\x93 Excluded" },		/* en dash */
	};
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(s, labels[i][0]) == 0)
			return labels[i][1];
	return s;
}

static const char *
cov_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

static long long
cov_int(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static void
cov_tabs(struct buf *out, const struct web_ctx *ctx, const char *current)
{
	struct buf url = BUF_INIT;
	size_t i;

	buf_puts(out, "<nav class=\"states\" aria-label=\"Framework\">");
	for (i = 0; crosswalk_frameworks[i] != NULL; i++) {
		buf_reset(&url);
		web_url_org(&url, ctx);
		buf_puts(&url, "/coverage");
		html_url_query(&url, "framework", crosswalk_frameworks[i]);
		/* Attributes are markup: written by the format, never through %s (escaped). */
		if (strcmp(current, crosswalk_frameworks[i]) == 0)
			html_printf(out, "<a href=\"%s\" aria-current=\"page\">%s</a>",
			    buf_str(&url), cov_tab_labels[i]);
		else
			html_printf(out, "<a href=\"%s\">%s</a>", buf_str(&url), cov_tab_labels[i]);
	}
	buf_puts(out, "</nav>\n");
	buf_free(&url);
}

static void
cov_ref(struct buf *out, const struct web_ctx *ctx, const char *ref)
{
	const struct record_kind *k = record_kind_of_ref(ref);
	struct buf url = BUF_INIT;

	if (k == NULL) {
		html_printf(out, "<span class=\"ref\">%s</span>", ref);
		return;
	}
	web_url_record(&url, ctx, k->name, ref);
	html_printf(out, "<a class=\"ref\" href=\"%s\">%s</a>", buf_str(&url), ref);
	buf_free(&url);
}

static void
cov_refs(struct buf *out, const struct web_ctx *ctx, const char *label, const json_t *refs)
{
	const json_t *r;
	size_t i;

	if (json_array_size(refs) == 0)
		return;
	html_printf(out, " <span class=\"small\">%s:</span>", label);
	json_array_foreach(refs, i, r) {
		buf_puts(out, i ? ", " : " ");
		cov_ref(out, ctx, json_string_value(r));
	}
}

static void
cov_iso(struct buf *out, const struct web_ctx *ctx, const json_t *isos)
{
	const json_t *t;
	size_t i;

	if (json_array_size(isos) == 0) {
		buf_puts(out, "<span class=\"empty\">No counterpart</span>");
		return;
	}
	buf_puts(out, "<ul class=\"items\">");
	json_array_foreach(isos, i, t) {
		html_printf(out, "<li><span class=\"req\">%s</span> %s <span class=\"tag t-%s\">%s"
		    "</span>", cov_str(t, "id"), cov_str(t, "title"), cov_str(t, "state"),
		    cov_status_label(cov_str(t, "state")));
		cov_refs(out, ctx, "implemented by", json_object_get(t, "implemented_by"));
		cov_refs(out, ctx, "in progress", json_object_get(t, "in_progress"));
		cov_refs(out, ctx, "evidence", json_object_get(t, "evidence"));
		buf_puts(out, "</li>");
	}
	buf_puts(out, "</ul>");
}

static void
cov_table(struct buf *out, const struct web_ctx *ctx, const json_t *res)
{
	const json_t *item, *m;
	size_t i, j;

	buf_puts(out, "<section aria-labelledby=\"cov-reqs\"><h2 id=\"cov-reqs\">Requirements</h2>"
	    "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Requirement</th>"
	    "<th scope=\"col\">Coverage</th><th scope=\"col\">Relationship</th>"
	    "<th scope=\"col\">ISO/IEC 42001 behind it</th><th scope=\"col\">What is missing</th>"
	    "</tr></thead><tbody>");
	json_array_foreach(json_object_get(res, "items"), i, item) {
		/* Articles are said with their word: "Art. 9", not a bare "9". */
		html_printf(out, "<tr><th scope=\"row\"><span class=\"req\">%s%s</span> %s</th>"
		    "<td><span class=\"tag t-%s\">%s</span></td><td>%s</td><td>",
		    strcmp(cov_str(item, "kind"), "article") == 0 ? "Art. " : "",
		    cov_str(item, "id"), cov_str(item, "title"), cov_str(item, "status"),
		    cov_status_label(cov_str(item, "status")), cov_str(item, "relationship"));
		cov_iso(out, ctx, json_object_get(item, "iso42001"));
		buf_puts(out, "</td><td><ul class=\"items\">");
		json_array_foreach(json_object_get(item, "missing"), j, m)
			html_printf(out, "<li>%s</li>", json_string_value(m));
		buf_puts(out, "</ul></td></tr>\n");
	}
	buf_puts(out, "</tbody></table></div></section>\n");
}

void
web_page_coverage(struct buf *out, const struct web_ctx *ctx, const json_t *res)
{
	const struct web_crumb crumbs[] = { { "Crosswalk coverage", NULL } };
	const json_t *counts = json_object_get(res, "counts");
	const char *fw = cov_str(res, "framework");
	char url[256];

	web_page_begin(out, ctx, "Crosswalk coverage", "coverage", crumbs, 1);
	html_printf(out, "<div class=\"page-head\"><h1>Crosswalk coverage</h1></div>\n"
	    "<p class=\"lede\">How much of %s the AI management system of %s covers, read "
	    "through typed mappings to ISO/IEC 42001 (%s), evaluated ",
	    cov_str(res, "title"), ctx->org_name,
	    cov_str(json_object_get(res, "mapping"), "title"));
	web_time(out, ctx, cov_str(res, "evaluated_at"));
	buf_puts(out, ".</p>\n");
	cov_tabs(out, ctx, fw);
	buf_puts(out, "<p class=\"actions\">");
	snprintf(url, sizeof(url), "/api/v1/orgs/%s/coverage?framework=%s", ctx->org, fw);
	html_printf(out, "<a class=\"btn\" href=\"%s\" download>Coverage (JSON)</a> ", url);
	snprintf(url, sizeof(url), "/api/v1/orgs/%s/exports/oscal/mapping.json?framework=%s",
	    ctx->org, fw);
	html_printf(out, "<a class=\"btn\" href=\"%s\" download>OSCAL mapping collection</a>"
	    "</p>\n", url);
	html_printf(out, "<div class=\"grid\"><section class=\"card\" aria-labelledby=\"cov-score\">"
	    "<h2 id=\"cov-score\">Coverage</h2><p class=\"big\">%lld%%</p><p class=\"small\">"
	    "covered counts whole, partial half</p></section>"
	    "<section class=\"card\" aria-labelledby=\"cov-counts\"><h2 id=\"cov-counts\">"
	    "Requirements</h2><p><span class=\"tag t-covered\">%s</span> %lld "
	    "<span class=\"tag t-partial\">%s</span> %lld "
	    "<span class=\"tag t-not_covered\">%s</span> %lld</p><p class=\"small\">of %lld</p>"
	    "</section></div>\n", cov_int(res, "score"), cov_status_label("covered"),
	    cov_int(counts, "covered"), cov_status_label("partial"), cov_int(counts, "partial"),
	    cov_status_label("not_covered"), cov_int(counts, "not_covered"),
	    cov_int(counts, "total"));
	html_printf(out, "<p class=\"small\">%s</p>\n",
	    cov_str(json_object_get(res, "mapping"), "description"));
	cov_table(out, ctx, res);
	web_page_end(out, ctx);
}
