/*
 * page_readiness.c - the certification readiness page: the Stage 1 and
 * Stage 2 verdicts, the score and its trend, bars per clause and per Annex A
 * area, and every requirement with its status and the reasons it is not met,
 * each reason linking to the records to fix. It renders the answer of
 * engine/readiness.h and decides nothing itself.
 */
#include <stdio.h>
#include <string.h>

#include "core/record.h"
#include "io/report.h"
#include "web/html.h"
#include "web/web.h"

static const char *
rd_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

static long long
rd_int(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) :
	    json_is_real(v) ? (long long)json_real_value(v) : 0;
}

static void
rd_verdicts(struct buf *out, const json_t *r)
{
	const json_t *s;
	size_t i;

	buf_puts(out, "<div class=\"grid\">");
	html_printf(out, "<section class=\"card\" aria-labelledby=\"rd-score\"><h2 id=\"rd-score\">"
	    "Score</h2><p class=\"big\">%lld%%</p><p class=\"small\">clauses %lld%%, Annex A "
	    "%lld%%</p></section>", rd_int(r, "score"), rd_int(r, "clause_score"),
	    rd_int(r, "annex_score"));
	json_array_foreach(json_object_get(r, "stages"), i, s) {
		int ready = strcmp(rd_str(s, "verdict"), "ready") == 0;

		html_printf(out, "<section class=\"card\" aria-labelledby=\"rd-stage%lld\">"
		    "<h2 id=\"rd-stage%lld\">Stage %lld audit</h2><p><span class=\"tag %s\">%s</span>"
		    "</p><p class=\"small\">%lld blocking, %lld major, %lld minor gaps</p></section>",
		    rd_int(s, "stage"), rd_int(s, "stage"), rd_int(s, "stage"),
		    ready ? "t-approved" : "t-high", ready ? "Ready" : "Not ready",
		    rd_int(s, "blocking_gaps"), rd_int(s, "major_gaps"), rd_int(s, "minor_gaps"));
	}
	buf_puts(out, "</div>\n");
}

static void
rd_bars(struct buf *out, const char *id, const char *title, const json_t *groups)
{
	html_printf(out, "<section class=\"card\" aria-labelledby=\"%s-h\"><h2 id=\"%s-h\">%s</h2>",
	    id, id, title);
	report_chart_scores(out, id, title, groups);
	buf_puts(out, "</section>\n");
}

static void
rd_trend(struct buf *out, const json_t *trend)
{
	buf_puts(out, "<section class=\"card\" aria-labelledby=\"rd-trend-h\">"
	    "<h2 id=\"rd-trend-h\">Trend</h2>");
	if (!report_chart_trend(out, "rd-trend", trend))
		buf_puts(out, "<p class=\"empty\">The trend appears after evaluations on two "
		    "different days.</p>");
	buf_puts(out, "</section>\n");
}

/* A record reference as a link to the record, when its kind is known. */
static void
rd_ref(struct buf *out, const struct web_ctx *ctx, const char *ref)
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
rd_findings(struct buf *out, const struct web_ctx *ctx, const json_t *req)
{
	const json_t *chk, *f, *ref;
	size_t i, j, k;

	buf_puts(out, "<ul class=\"items\">");
	json_array_foreach(json_object_get(req, "checks"), i, chk) {
		json_array_foreach(json_object_get(chk, "findings"), j, f) {
			html_printf(out, "<li><span class=\"tag t-%s\">%s</span> %s",
			    rd_str(chk, "severity"), rd_str(chk, "severity"), rd_str(f, "reason"));
			json_array_foreach(json_object_get(f, "refs"), k, ref) {
				buf_puts(out, k ? ", " : " ");
				rd_ref(out, ctx, json_string_value(ref));
			}
			if (rd_int(f, "more") > 0)
				html_printf(out, " <span class=\"more\">and %lld more</span>",
				    rd_int(f, "more"));
			buf_puts(out, "</li>");
		}
	}
	buf_puts(out, "</ul>");
}

static bool
rd_shown(const json_t *req, const char *filter)
{
	const char *st = rd_str(req, "status");

	if (!json_is_true(json_object_get(req, "leaf")))
		return false;
	if (filter == NULL || *filter == '\0')
		return true;
	if (strcmp(filter, "gaps") == 0)
		return strcmp(st, "not_met") == 0 || strcmp(st, "partly_met") == 0;
	return strcmp(st, filter) == 0;
}

static void
rd_requirements(struct buf *out, const struct web_ctx *ctx, const json_t *r,
    const char *filter)
{
	static const char *const filters[][2] = {
		{ "", "All" }, { "gaps", "Gaps" }, { "not_met", "Not met" },
		{ "partly_met", "Partly met" }, { "met", "Met" },
		{ "not_applicable", "Not applicable" },
	};
	struct buf url = BUF_INIT;
	const json_t *req;
	size_t i, shown = 0;

	buf_puts(out, "<section aria-labelledby=\"rd-reqs\"><h2 id=\"rd-reqs\">Requirements</h2>"
	    "<nav class=\"filters\" aria-label=\"Show requirements\"><ul class=\"inline\">");
	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		buf_reset(&url);
		web_url_org(&url, ctx);
		buf_puts(&url, "/readiness");
		if (*filters[i][0])
			html_url_query(&url, "status", filters[i][0]);
		html_printf(out, "<li><a href=\"%s\"%s>%s</a></li>", buf_str(&url),
		    strcmp(filter ? filter : "", filters[i][0]) == 0 ? " aria-current=\"page\"" : "",
		    filters[i][1]);
	}
	buf_puts(out, "</ul></nav><div class=\"table-wrap\"><table><thead><tr>"
	    "<th scope=\"col\">Requirement</th><th scope=\"col\">Status</th>"
	    "<th scope=\"col\">What stands in the way</th></tr></thead><tbody>");
	json_array_foreach(json_object_get(r, "requirements"), i, req) {
		if (!rd_shown(req, filter))
			continue;
		shown++;
		html_printf(out, "<tr id=\"req-%s\"><th scope=\"row\"><span class=\"req\">%s</span> "
		    "%s</th><td><span class=\"tag t-%s\">", rd_str(req, "id"), rd_str(req, "id"),
		    rd_str(req, "title"), rd_str(req, "status"));
		web_enum_label(out, rd_str(req, "status"));
		buf_puts(out, "</span></td><td>");
		rd_findings(out, ctx, req);
		buf_puts(out, "</td></tr>\n");
	}
	if (shown == 0)
		buf_puts(out, "<tr><td colspan=\"3\" class=\"empty\">No requirement in this "
		    "view.</td></tr>");
	buf_puts(out, "</tbody></table></div></section>\n");
	buf_free(&url);
}

static void
rd_downloads(struct buf *out, const struct web_ctx *ctx)
{
	static const char *const files[][2] = {
		{ "readiness.html", "Readiness report (HTML)" },
		{ "soa.xlsx", "Statement of Applicability (XLSX)" },
		{ "risks.xlsx", "Risk register (XLSX)" },
		{ "ai-systems.xlsx", "AI system inventory (XLSX)" },
	};
	char url[256];
	size_t i;

	buf_puts(out, "<p class=\"actions\">");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(url, sizeof(url), "/api/v1/orgs/%s/exports/%s", ctx->org, files[i][0]);
		html_printf(out, "<a class=\"btn\" href=\"%s\" download>%s</a> ", url, files[i][1]);
	}
	buf_puts(out, "</p>\n");
}

void
web_page_readiness(struct buf *out, const struct web_ctx *ctx, const json_t *r,
    const char *filter)
{
	const struct web_crumb crumbs[] = { { "Readiness", NULL } };

	web_page_begin(out, ctx, "Certification readiness", "readiness", crumbs, 1);
	html_printf(out, "<div class=\"page-head\"><h1>Certification readiness</h1></div>\n"
	    "<p class=\"lede\">What still stands between %s and a Stage 1 and a Stage 2 audit "
	    "against %s, evaluated %s.</p>\n", ctx->org_name, rd_str(r, "edition"),
	    rd_str(r, "evaluated_at"));
	rd_downloads(out, ctx);
	rd_verdicts(out, r);
	buf_puts(out, "<div class=\"grid\">");
	rd_bars(out, "rd-clauses", "By clause", json_object_get(r, "clauses"));
	rd_bars(out, "rd-areas", "By Annex A area", json_object_get(r, "areas"));
	rd_trend(out, json_object_get(r, "trend"));
	buf_puts(out, "</div>\n");
	rd_requirements(out, ctx, r, filter);
	web_page_end(out, ctx);
}
