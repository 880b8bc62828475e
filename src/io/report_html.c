/*
 * report_html.c - the readiness answer as one self-contained HTML file:
 * inline CSS (screen and print), inline SVG charts (scores by clause and by
 * Annex A area, the trend), the gaps and every requirement with its reasons.
 * No script and no external resource; every value is escaped.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "io/report.h"
#include "io/svg.h"
#include "util/error.h"
#include "util/html.h"

#define REPORT_LABEL_MAX	256	/* bytes of "A.10 " + a title: more than a bar shows */

static const char report_css[] =
    ":root{--ok:#1a7f37;--warn:#b26b00;--bad:#c62828;--na:#8c959f;--ink:#1f2328;"
    "--line:#d0d7de}"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--ink);"
    "margin:2rem auto;max-width:1000px;padding:0 1rem}"
    "h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;"
    "border-bottom:1px solid var(--line);padding-bottom:.2rem}"
    ".meta{color:#57606a;margin:0 0 1.2rem}"
    ".cards{display:flex;gap:1rem;flex-wrap:wrap}"
    ".card{border:1px solid var(--line);border-radius:8px;padding:.8rem 1.1rem;min-width:180px}"
    ".card b{display:block;font-size:1.8rem}"
    ".ready{color:var(--ok)}.not_ready{color:var(--bad)}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;"
    "padding:.35rem .5rem;border-bottom:1px solid var(--line)}th{font-weight:600}"
    "tr{page-break-inside:avoid}"
    ".pill{display:inline-block;border-radius:10px;padding:0 .5rem;font-size:.8rem;"
    "color:#fff;white-space:nowrap}"
    ".met{background:var(--ok)}.partly_met{background:var(--warn)}"
    ".not_met{background:var(--bad)}.not_applicable{background:var(--na)}"
    ".blocking{background:var(--bad)}.major{background:var(--warn)}.minor{background:var(--na)}"
    ".d1{padding-left:1.5rem}.d2{padding-left:3rem}.d3{padding-left:4.5rem}"
    ".group td{font-weight:600;background:#f6f8fa}"
    "ul.r{margin:0;padding-left:1.1rem}code{font-size:.85em}"
    "@media print{body{margin:0;max-width:none}.card,.pill{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}h2{page-break-after:avoid}}";

static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static long long
num(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static const char *
label_of(const char *s)
{
	return strcmp(s, "met") == 0 ? "met" : strcmp(s, "partly_met") == 0 ? "partly met" :
	    strcmp(s, "not_met") == 0 ? "not met" : "not applicable";
}

static void
html_head(struct buf *b, const json_t *r)
{
	const json_t *org = json_object_get(r, "organisation");

	html_printf(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	    "<title>Certification readiness - %s</title><style>", str(org, "name"));
	buf_puts(b, report_css);
	buf_puts(b, svg_css);
	/* Wider charts than on a page: the report has the whole width. */
	buf_puts(b, "svg.progress{max-width:40rem}svg.spark{width:100%;max-width:40rem}");
	html_printf(b, "</style></head><body><h1>Certification readiness: %s</h1>"
	    "<p class=\"meta\">%s &middot; evaluated %s &middot; organisation <code>%s</code></p>\n",
	    str(org, "name"), str(r, "edition"), str(r, "evaluated_at"), str(org, "slug"));
}

static void
html_cards(struct buf *b, const json_t *r)
{
	const json_t *st;
	size_t i;

	html_printf(b, "<div class=\"cards\"><div class=\"card\">Score<b>%lld%%</b>"
	    "clauses %lld%% &middot; Annex A %lld%%</div>", num(r, "score"),
	    num(r, "clause_score"), num(r, "annex_score"));
	json_array_foreach(json_object_get(r, "stages"), i, st)
		html_printf(b, "<div class=\"card\">Stage %lld<b class=\"%s\">%s</b>"
		    "%lld blocking &middot; %lld major &middot; %lld minor</div>",
		    num(st, "stage"), strcmp(str(st, "verdict"), "ready") == 0 ? "ready" :
		    "not_ready", strcmp(str(st, "verdict"), "ready") == 0 ? "Ready" : "Not ready",
		    num(st, "blocking_gaps"), num(st, "major_gaps"), num(st, "minor_gaps"));
	html_printf(b, "<div class=\"card\">Requirements<b>%lld met</b>%lld partly "
	    "&middot; %lld not met &middot; %lld n/a</div></div>\n",
	    num(json_object_get(r, "counts"), "met"),
	    num(json_object_get(r, "counts"), "partly_met"),
	    num(json_object_get(r, "counts"), "not_met"),
	    num(json_object_get(r, "counts"), "not_applicable"));
}

void
report_chart_scores(struct buf *out, const char *id, const char *title, const json_t *groups)
{
	struct svg_bar bars[REPORT_BARS_MAX];
	char labels[REPORT_BARS_MAX][REPORT_LABEL_MAX];
	const json_t *g, *score;
	size_t i, n = 0;

	json_array_foreach(groups, i, g) {
		if (n == REPORT_BARS_MAX)
			break;
		score = json_object_get(g, "score");
		snprintf(labels[n], sizeof(labels[n]), "%s %s", str(g, "id"), str(g, "title"));
		/* A group without a score (nothing applicable) has no 100 % mark. */
		bars[n] = (struct svg_bar){ labels[n], (long long)json_integer_value(score),
		    json_is_integer(score) ? 100 : 0, NULL };
		n++;
	}
	svg_progress(out, id, title, bars, n);
}

bool
report_chart_trend(struct buf *out, const char *id, const json_t *trend)
{
	double values[REPORT_TREND_MAX];
	size_t i, n = 0, skip;
	const json_t *t;

	skip = json_array_size(trend) > REPORT_TREND_MAX ?
	    json_array_size(trend) - REPORT_TREND_MAX : 0;
	json_array_foreach(trend, i, t)
		if (i >= skip)
			values[n++] = (double)num(t, "score");
	if (n < 2)
		return false;
	svg_sparkline(out, id, "Readiness score by day", values, n);
	return true;
}

static void
html_trend(struct buf *b, const json_t *trend)
{
	size_t n = json_array_size(trend);

	if (!report_chart_trend(b, "rp-trend", trend)) {
		buf_puts(b, "<p>The trend appears once readiness has been evaluated on two "
		    "different days.</p>\n");
		return;
	}
	html_printf(b, "<p class=\"meta\">From %s to %s.</p>\n",
	    str(json_array_get(trend, 0), "day"), str(json_array_get(trend, n - 1), "day"));
}

static void
html_findings(struct buf *b, const json_t *findings)
{
	const json_t *f;
	size_t i;

	buf_puts(b, "<ul class=\"r\">");
	json_array_foreach(findings, i, f)
		html_printf(b, "<li>%s</li>", str(f, "reason"));
	buf_puts(b, "</ul>");
}

static void
html_gaps(struct buf *b, const json_t *gaps)
{
	const json_t *g;
	size_t i;

	html_printf(b, "<h2>Gaps (%zu)</h2>\n", json_array_size(gaps));
	if (json_array_size(gaps) == 0) {
		buf_puts(b, "<p>No gaps.</p>\n");
		return;
	}
	buf_puts(b, "<table><thead><tr><th>Severity</th><th>Stage</th><th>Requirement</th>"
	    "<th>Why</th></tr></thead><tbody>\n");
	json_array_foreach(gaps, i, g) {
		html_printf(b, "<tr><td><span class=\"pill %s\">%s</span></td><td>%lld</td>"
		    "<td><b>%s</b> %s<br><code>%s</code></td><td>", str(g, "severity"),
		    str(g, "severity"), num(g, "stage"), str(g, "requirement"), str(g, "title"),
		    str(g, "rule"));
		html_findings(b, json_object_get(g, "findings"));
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody></table>\n");
}

static int
depth_of(const json_t *reqs, const json_t *r)
{
	const char *parent = json_string_value(json_object_get(r, "parent")), *next;
	const json_t *p;
	size_t i;
	int d = 0;

	while (parent && d < 3) {
		d++;
		next = NULL;
		json_array_foreach(reqs, i, p)
			if (strcmp(str(p, "id"), parent) == 0) {
				next = json_string_value(json_object_get(p, "parent"));
				break;
			}
		parent = next;
	}
	return d;
}

static void
html_requirements(struct buf *b, const json_t *reqs)
{
	const json_t *r, *c, *score;
	size_t i, j;
	int d;

	buf_puts(b, "<h2>Every requirement</h2>\n<table><thead><tr><th>Requirement</th>"
	    "<th>Status</th><th>Score</th><th>Failing checks</th></tr></thead><tbody>\n");
	json_array_foreach(reqs, i, r) {
		d = depth_of(reqs, r);
		score = json_object_get(r, "score");
		html_printf(b, "<tr%s><td class=\"d%d\">%s %s</td><td><span class=\"pill "
		    "%s\">%s</span></td><td>", json_is_true(json_object_get(r, "leaf")) ? "" :
		    " class=\"group\"", d, str(r, "id"), str(r, "title"), str(r, "status"),
		    label_of(str(r, "status")));
		if (json_is_integer(score))
			html_printf(b, "%lld%%", (long long)json_integer_value(score));
		buf_puts(b, "</td><td>");
		json_array_foreach(json_object_get(r, "checks"), j, c)
			if (strcmp(str(c, "status"), "fail") == 0)
				html_findings(b, json_object_get(c, "findings"));
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody></table>\n");
}

int
report_readiness_html(struct buf *out, const json_t *r)
{
	if (!json_is_object(r) || !json_is_array(json_object_get(r, "requirements")))
		return aims_error_set(AIMS_EINVALID, "readiness", "not a readiness answer");
	html_head(out, r);
	html_cards(out, r);
	buf_puts(out, "<h2>Scores by clause</h2>\n");
	report_chart_scores(out, "rp-clauses", "Readiness score by clause",
	    json_object_get(r, "clauses"));
	buf_puts(out, "<h2>Scores by Annex A area</h2>\n");
	report_chart_scores(out, "rp-areas", "Readiness score by Annex A area",
	    json_object_get(r, "areas"));
	buf_puts(out, "<h2>Trend</h2>\n");
	html_trend(out, json_object_get(r, "trend"));
	html_gaps(out, json_object_get(r, "gaps"));
	html_requirements(out, json_object_get(r, "requirements"));
	buf_puts(out, "</body></html>\n");
	return 0;
}
