/*
 * page_dashboard.c - the organisation's dashboard: records and progress
 * per area, the SoA bars, the heat maps and bar charts the kinds declare
 * (inherent risk cells link to the risks they count; bars to the list
 * filtered by their value), what is due soon or past due, recent activity,
 * readiness as evaluated now, and while Stage 1 is not ready the getting-
 * started steps. The figures come in one JSON document (see web.h); this
 * draws it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/record.h"
#include "io/svg.h"
#include "util/buf.h"
#include "util/mem.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

#define DASH_BARS_MAX		16

static bool
dash_plain(const char *s)
{
	return s != NULL && *s != '\0' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(s);
}

/*
 * prefix-a-b ("d-ai-systems-category") when a and b are plain words, which
 * names a declared chart stably; else prefix-index.
 */
static void
dash_id(struct buf *out, const char *prefix, const char *a, const char *b, size_t index)
{
	if (dash_plain(a) && (b == NULL || dash_plain(b)))
		buf_printf(out, "%s-%s%s%s", prefix, a, b != NULL ? "-" : "", b != NULL ? b : "");
	else
		buf_printf(out, "%s-%zu", prefix, index);
}

static void
dash_card_open(struct buf *out, const char *id, const char *title, const char *cls)
{
	html_printf(out, "<section class=\"card %s\" aria-labelledby=\"%s\"><h2 id=\"%s\">%s</h2>",
	    cls, id, id, title);
}

static void
dash_areas(struct buf *out, const struct web_ctx *ctx, const json_t *given)
{
	struct buf url = BUF_INIT;
	const char *section = NULL, *s;
	const json_t *areas = given, *a;
	size_t i;

	dash_card_open(out, "d-areas", "Records by area", "wide");
	if (json_array_size(areas) == 0) {
		buf_puts(out, "<p class=\"empty\">No records yet.</p></section>\n");
		return;
	}
	buf_puts(out, "<div class=\"table-wrap\"><table class=\"areas\"><thead><tr>"
	    "<th scope=\"col\">Record</th><th scope=\"col\">Count</th>"
	    "<th scope=\"col\">Progress</th></tr></thead><tbody>");
	json_array_foreach(areas, i, a) {
		long long done = json_integer_value(json_object_get(a, "done"));
		long long total = json_integer_value(json_object_get(a, "total"));

		s = json_string_value(json_object_get(a, "section"));
		if (s != NULL && (section == NULL || strcmp(s, section) != 0)) {
			section = s;
			html_printf(out, "<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"3\">%s"
			    "</th></tr>", s);
		}
		buf_reset(&url);
		web_url_kind(&url, ctx, json_string_value(json_object_get(a, "kind")));
		html_printf(out, "<tr><th scope=\"row\"><a href=\"%s\">", buf_str(&url));
		web_label(out, json_string_value(json_object_get(a, "label")));
		html_printf(out, "</a></th><td>%lld</td><td>",
		    (long long)json_integer_value(json_object_get(a, "count")));
		if (total > 0)
			html_printf(out, "<progress max=\"%lld\" value=\"%lld\">%lld of %lld</progress> "
			    "<span class=\"small\">%lld of %lld</span>", total, done, done, total,
			    done, total);
		buf_puts(out, "</td></tr>");
	}
	buf_puts(out, "</tbody></table></div></section>\n");
	buf_free(&url);
}

static void
dash_soa(struct buf *out, const struct web_ctx *ctx, const json_t *soa)
{
	struct buf url = BUF_INIT, url2 = BUF_INIT;
	long long controls = json_integer_value(json_object_get(soa, "controls"));
	long long applicable = json_integer_value(json_object_get(soa, "applicable"));

	const char *kind = json_string_value(json_object_get(soa, "kind"));

	if (kind == NULL)
		return;
	web_url_kind(&url, ctx, kind);
	web_url_kind(&url2, ctx, kind);
	buf_puts(&url2, "?filter=not_implemented");
	{
		struct svg_bar bars[] = {
			{ "Decided", json_integer_value(json_object_get(soa, "decided")), controls,
			    buf_str(&url) },
			{ "Implemented", json_integer_value(json_object_get(soa, "implemented")),
			    applicable, buf_str(&url2) },
		};

		dash_card_open(out, "d-soa", "Statement of Applicability", "wide");
		svg_progress(out, "soa-bars", "Annex A controls decided and implemented", bars, 2);
		html_printf(out, "<p class=\"small\">%lld of %lld controls apply. "
		    "<a href=\"%s\">Open the Statement of Applicability</a></p></section>\n",
		    applicable, controls, buf_str(&url));
	}
	buf_free(&url);
	buf_free(&url2);
}

static const char **
dash_labels(const json_t *arr, int n)
{
	const char **labels = xcalloc((size_t)n + 1, sizeof(*labels));
	int i;

	for (i = 0; i < n; i++)
		labels[i] = json_string_value(json_array_get(arr, (size_t)i));
	return labels;
}

/* Flattens rows x cols of a JSON matrix (missing cells: 0). */
static void
dash_matrix(long long *out, const json_t *m, int rows, int cols)
{
	int r, c;

	for (r = 0; r < rows; r++)
		for (c = 0; c < cols; c++)
			out[r * cols + c] = json_integer_value(json_array_get(
			    json_array_get(m, (size_t)r), (size_t)c));
}

static void
dash_heatmap(struct buf *out, const struct web_ctx *ctx, const json_t *risk, const json_t *map,
    size_t index)
{
	int rows = (int)json_array_size(json_object_get(risk, "likelihood_labels"));
	int cols = (int)json_array_size(json_object_get(risk, "impact_labels"));
	long long counts[SVG_GRID_MAX * SVG_GRID_MAX] = { 0 }, b[SVG_GRID_MAX * SVG_GRID_MAX];
	int bands[SVG_GRID_MAX * SVG_GRID_MAX] = { 0 }, i;
	const char **rl, **cl, **bl;
	const char *dim = json_string_value(json_object_get(map, "dim"));
	struct buf url = BUF_INIT, id = BUF_INIT, card = BUF_INIT;
	struct svg_heatmap hm = {
		.title = json_string_value(json_object_get(map, "label")),
		.row_axis = "Likelihood", .col_axis = "Impact",
		.row_param = json_string_value(json_object_get(map, "filter_rows")),
		.col_param = json_string_value(json_object_get(map, "filter_cols")),
	};

	if (rows > SVG_GRID_MAX || cols > SVG_GRID_MAX)
		rows = cols = 0;
	dash_id(&id, "hm", dim, NULL, index);
	dash_id(&card, "d-hm", dim, NULL, index);
	hm.id = buf_str(&id);
	rl = dash_labels(json_object_get(risk, "likelihood_labels"), rows);
	cl = dash_labels(json_object_get(risk, "impact_labels"), cols);
	hm.nbands = (int)json_array_size(json_object_get(risk, "band_labels"));
	if (hm.nbands > SVG_BANDS_MAX)
		hm.nbands = SVG_BANDS_MAX;
	bl = dash_labels(json_object_get(risk, "band_labels"), hm.nbands);
	dash_matrix(counts, json_object_get(map, "cells"), rows, cols);
	dash_matrix(b, json_object_get(risk, "bands"), rows, cols);
	for (i = 0; i < rows * cols; i++)
		bands[i] = (int)b[i];
	web_url_kind(&url, ctx, json_string_value(json_object_get(risk, "kind")));
	hm.rows = rows;
	hm.cols = cols;
	hm.counts = counts;
	hm.bands = bands;
	hm.row_labels = rl;
	hm.col_labels = cl;
	hm.band_labels = bl;
	/* A map links its cells only where its fields are list filters. */
	hm.href = hm.row_param != NULL && hm.col_param != NULL ? buf_str(&url) : NULL;
	dash_card_open(out, buf_str(&card), hm.title, "");
	svg_heatmap(out, &hm);
	buf_puts(out, "</section>\n");
	free(rl);
	free(cl);
	free(bl);
	buf_free(&url);
	buf_free(&id);
	buf_free(&card);
}

/* One declared bar chart: a bar per value, each linked to the list filtered by it. */
static void
dash_bars(struct buf *out, const struct web_ctx *ctx, const json_t *chart, size_t index)
{
	const json_t *groups = json_object_get(chart, "groups"), *g;
	const char *kind = json_string_value(json_object_get(chart, "kind"));
	const char *filter = json_string_value(json_object_get(chart, "filter"));
	const char *title = json_string_value(json_object_get(chart, "label"));
	struct svg_bar bars[DASH_BARS_MAX];
	struct buf urls[DASH_BARS_MAX], labels[DASH_BARS_MAX], chart_id = BUF_INIT;
	struct buf card = BUF_INIT;
	size_t i, n = json_array_size(groups);

	if (n > DASH_BARS_MAX)
		n = DASH_BARS_MAX;
	dash_id(&card, "d", kind, json_string_value(json_object_get(chart, "dim")), index);
	dash_card_open(out, buf_str(&card), title, "");
	for (i = 0; i < n; i++) {
		const char *value = json_string_value(json_object_get(g = json_array_get(groups, i),
		    "value"));

		urls[i] = (struct buf)BUF_INIT;
		labels[i] = (struct buf)BUF_INIT;
		web_url_kind(&urls[i], ctx, kind);
		html_url_query(&urls[i], filter, value != NULL ? value : "");
		/* The chart escapes its labels: keep the plain text here. */
		web_enum_label_text(&labels[i], value);
		bars[i] = (struct svg_bar){ buf_str(&labels[i]),
		    json_integer_value(json_object_get(g, "count")), 0, buf_str(&urls[i]) };
	}
	if (n == 0) {
		buf_puts(out, "<p class=\"empty\">No ");
		web_label(out, json_string_value(json_object_get(chart, "empty")));
		buf_puts(out, " yet.</p>");
	} else {
		buf_printf(&chart_id, "%s-chart", buf_str(&card));
		svg_bar_chart(out, buf_str(&chart_id), title, bars, n);
	}
	buf_puts(out, "</section>\n");
	buf_free(&chart_id);
	buf_free(&card);
	for (i = 0; i < n; i++) {
		buf_free(&urls[i]);
		buf_free(&labels[i]);
	}
}

static void
dash_due(struct buf *out, const struct web_ctx *ctx, const json_t *items, const char *id,
    const char *title, bool overdue)
{
	struct buf url = BUF_INIT;
	const json_t *it;
	size_t i;

	dash_card_open(out, id, title, overdue ? "due overdue" : "due");
	if (json_array_size(items) == 0) {
		html_printf(out, "<p class=\"empty\">%s</p></section>\n",
		    overdue ? "Nothing is past due." : "Nothing due in the coming weeks.");
		return;
	}
	buf_puts(out, "<ul class=\"due-list\">");
	json_array_foreach(items, i, it) {
		const char *date = json_string_value(json_object_get(it, "date"));

		buf_reset(&url);
		web_url_record(&url, ctx, json_string_value(json_object_get(it, "kind")),
		    json_string_value(json_object_get(it, "ref")));
		html_printf(out, "<li><time datetime=\"%s\">%s</time> <a class=\"ref\" href=\"%s\">%s"
		    "</a> %s <span class=\"small\">%s</span></li>", date, date, buf_str(&url),
		    json_string_value(json_object_get(it, "ref")),
		    json_string_value(json_object_get(it, "title")),
		    json_string_value(json_object_get(it, "what")));
	}
	buf_puts(out, "</ul></section>\n");
	buf_free(&url);
}

static bool
dash_is_record_kind(const struct web_ctx *ctx, const char *kind)
{
	size_t i;

	for (i = 0; kind != NULL && ctx->kinds != NULL && ctx->kinds[i] != NULL &&
	    ctx->kinds[i]->name != NULL; i++)
		if (strcmp(ctx->kinds[i]->name, kind) == 0)
			return true;
	return false;
}

static void
dash_activity(struct buf *out, const struct web_ctx *ctx, const json_t *items)
{
	static const struct field when = { .type = FIELD_DATETIME };
	struct buf url = BUF_INIT;
	const json_t *it;
	size_t i;

	dash_card_open(out, "d-activity", "Recent activity", "wide");
	if (json_array_size(items) == 0) {
		buf_puts(out, "<p class=\"empty\">No activity yet.</p></section>\n");
		return;
	}
	buf_puts(out, "<ul class=\"activity\">");
	json_array_foreach(items, i, it) {
		const char *kind = json_string_value(json_object_get(it, "kind"));
		const char *ref = json_string_value(json_object_get(it, "ref"));

		buf_puts(out, "<li>");
		web_value(out, ctx, &when, json_object_get(it, "time"));
		html_printf(out, " <span class=\"who\">%s</span> ",
		    web_actor(json_string_value(json_object_get(it, "actor"))));
		web_enum_label(out, json_string_value(json_object_get(it, "action")));
		if (dash_is_record_kind(ctx, kind) && ref != NULL) {
			buf_reset(&url);
			web_url_record(&url, ctx, kind, ref);
			html_printf(out, " <a class=\"ref\" href=\"%s\">%s</a>", buf_str(&url), ref);
		} else {
			buf_puts(out, " ");
			web_enum_label(out, kind);
			html_printf(out, " <span class=\"ref\">%s</span>", ref);
		}
		html_printf(out, " %s</li>", json_string_value(json_object_get(it, "title")));
	}
	buf_puts(out, "</ul></section>\n");
	buf_free(&url);
}

#define DASH_TREND_MAX	90

/*
 * Readiness as evaluated now: the score, the two verdicts with their distinct
 * gaps, and the trend of the stored daily snapshots.
 */
static void
dash_readiness(struct buf *out, const struct web_ctx *ctx, const json_t *r)
{
	const json_t *trend = json_object_get(r, "trend"), *p, *st, *days;
	double values[DASH_TREND_MAX];
	struct buf url = BUF_INIT;
	size_t i, n = 0, skip;
	bool ready;

	web_url_org(&url, ctx);
	buf_puts(&url, "/readiness");
	dash_card_open(out, "d-readiness", "Certification readiness", "wide");
	html_printf(out, "<p><strong>%lld%%</strong> now. ",
	    (long long)json_integer_value(json_object_get(r, "score")));
	json_array_foreach(json_object_get(r, "stages"), i, st) {
		ready = strcmp(json_string_value(json_object_get(st, "verdict")), "ready") == 0;
		html_printf(out, "Stage %lld: <span class=\"tag st v-%s\"><span class=\"st-mark\" "
		    "aria-hidden=\"true\">%s</span> %s</span> ",
		    (long long)json_integer_value(json_object_get(st, "stage")),
		    ready ? "ready" : "not_ready", ready ? "\u2713" : "\u2717",
		    ready ? "Ready" : "Not ready");
		if (!ready)
			html_printf(out, "(%lld major nonconformities) ",
			    (long long)json_integer_value(json_object_get(st, "blocking_gaps")));
	}
	html_printf(out, "<a href=\"%s\">See every gap</a></p>", buf_str(&url));
	/* The organisation's audit date (its readiness options), when it has one. */
	days = json_object_get(json_object_get(r, "target"), "days_left");
	if (json_is_integer(days))
		html_printf(out, "<p id=\"d-days-left\">Audit on <time datetime=\"%s\">%s</time>: "
		    "<strong>%lld</strong> day%s %s.</p>", json_string_value(json_object_get(
		    json_object_get(r, "target"), "audit_date")), json_string_value(json_object_get(
		    json_object_get(r, "target"), "audit_date")),
		    (long long)llabs(json_integer_value(days)),
		    llabs(json_integer_value(days)) == 1 ? "" : "s",
		    json_integer_value(days) >= 0 ? "left" : "ago");
	skip = json_array_size(trend) > DASH_TREND_MAX ? json_array_size(trend) - DASH_TREND_MAX : 0;
	json_array_foreach(trend, i, p)
		if (i >= skip)
			values[n++] = (double)json_integer_value(json_object_get(p, "score"));
	if (n >= 2)
		svg_sparkline(out, "d-trend", "Readiness score by day", values, n);
	buf_puts(out, "</section>\n");
	buf_free(&url);
}

/*
 * Getting started: while Stage 1 is not ready, the steps in the order that
 * unblocks readiness (the rules document's getting_started), each ticked
 * when done, the next one linking to where it is done.
 */
static void
dash_getting_started(struct buf *out, const struct web_ctx *ctx, const json_t *r)
{
	const json_t *steps = json_object_get(r, "getting_started"), *s;
	struct buf url = BUF_INIT;
	size_t i, done = 0;
	bool next = true;

	if (strcmp(json_string_value(json_object_get(json_array_get(json_object_get(r, "stages"),
	    0), "verdict")) ?: "", "ready") == 0 || json_array_size(steps) == 0)
		return;
	json_array_foreach(steps, i, s)
		done += json_is_true(json_object_get(s, "done"));
	dash_card_open(out, "d-start", "Getting started", "wide");
	html_printf(out, "<p class=\"small\">%zu of %zu done. In this order, each step unblocks "
	    "the next for a Stage 1 audit.</p><ol class=\"checklist\">", done,
	    json_array_size(steps));
	json_array_foreach(steps, i, s) {
		bool is_done = json_is_true(json_object_get(s, "done"));

		html_printf(out, "<li class=\"%s\"><span class=\"st-mark\" aria-hidden=\"true\">%s"
		    "</span> <span class=\"visually-hidden\">%s: </span>%s <span class=\"req\">%s"
		    "</span>", is_done ? "done" : "todo", is_done ? "\u2713" : "\u25cb",
		    is_done ? "Done" : "To do", json_string_value(json_object_get(s, "title")),
		    json_string_value(json_object_get(s, "requirement")));
		if (!is_done && next) {
			buf_reset(&url);
			web_url_org(&url, ctx);
			buf_putc(&url, '/');
			buf_puts(&url, json_string_value(json_object_get(s, "fix")));
			html_printf(out, " <a class=\"btn primary\" href=\"%s\">Do it now</a>",
			    buf_str(&url));
			next = false;
		}
		buf_puts(out, "</li>");
	}
	buf_puts(out, "</ol></section>\n");
	buf_free(&url);
}

/* Metrics in breach, in warning or stale, each linking to its chart. */
static void
dash_monitoring(struct buf *out, const struct web_ctx *ctx, const json_t *mon)
{
	const json_t *list = json_object_get(mon, "attention"), *m;
	struct buf url = BUF_INIT;
	const char *state;
	size_t i;

	if (json_integer_value(json_object_get(mon, "metrics")) == 0)
		return;
	dash_card_open(out, "d-monitoring", "Monitoring", "");
	if (json_array_size(list) == 0) {
		buf_puts(out, "<p class=\"empty\">Every metric is within its thresholds and "
		    "up to date.</p></section>\n");
		return;
	}
	buf_puts(out, "<ul class=\"due\">");
	json_array_foreach(list, i, m) {
		buf_reset(&url);
		web_url_record(&url, ctx, "metrics", json_string_value(json_object_get(m, "ref")));
		state = json_string_value(json_object_get(m, "state"));
		html_printf(out, "<li><a class=\"ref\" href=\"%s#monitoring\">%s</a> %s ",
		    buf_str(&url), json_string_value(json_object_get(m, "ref")),
		    json_string_value(json_object_get(m, "title")));
		if (strcmp(state, "breach") == 0)
			buf_puts(out, "<span class=\"tag t-high\">Breach</span>");
		else if (strcmp(state, "warn") == 0)
			buf_puts(out, "<span class=\"tag t-medium\">Warning</span>");
		if (json_is_true(json_object_get(m, "stale")))
			buf_puts(out, " <span class=\"tag t-draft\">Stale</span>");
		buf_puts(out, "</li>");
	}
	buf_puts(out, "</ul></section>\n");
	buf_free(&url);
}

/* Days to the next external audit of the certification cycle. */
static void
dash_next_audit(struct buf *out, const struct web_ctx *ctx, const json_t *next)
{
	struct buf url = BUF_INIT;

	web_url_org(&url, ctx);
	buf_puts(&url, "/calendar");
	dash_card_open(out, "d-next-audit", "Next external audit", "");
	if (json_is_object(next))
		html_printf(out, "<p class=\"figure\" data-days><strong>%lld</strong> days</p>"
		    "<p class=\"small\">%s on <time datetime=\"%s\">%s</time>. "
		    "<a href=\"%s\">Open the certification calendar</a></p></section>\n",
		    (long long)json_integer_value(json_object_get(next, "days")),
		    json_string_value(json_object_get(next, "what")),
		    json_string_value(json_object_get(next, "date")),
		    json_string_value(json_object_get(next, "date")), buf_str(&url));
	else
		html_printf(out, "<p class=\"small\">None planned. <a href=\"%s\">Open the "
		    "certification calendar</a></p></section>\n", buf_str(&url));
	buf_free(&url);
}

void
web_page_dashboard(struct buf *out, const struct web_ctx *ctx, const json_t *d)
{
	const json_t *risk = json_object_get(d, "risk"), *m;
	size_t i;

	web_page_begin(out, ctx, "Dashboard", "dashboard", NULL, 0);
	html_printf(out, "<div class=\"page-head\"><h1>Dashboard</h1></div>\n"
	    "<p class=\"lede\">%s: where the AI management system stands today.</p>\n"
	    "<div class=\"grid\">\n", ctx->org_name);
	dash_getting_started(out, ctx, json_object_get(d, "readiness"));
	dash_readiness(out, ctx, json_object_get(d, "readiness"));
	dash_soa(out, ctx, json_object_get(d, "soa"));
	dash_next_audit(out, ctx, json_object_get(d, "next_external_audit"));
	dash_due(out, ctx, json_object_get(d, "overdue"), "d-overdue", "Past due", true);
	dash_due(out, ctx, json_object_get(d, "upcoming"), "d-upcoming", "Coming up", false);
	dash_monitoring(out, ctx, json_object_get(d, "monitoring"));
	json_array_foreach(json_object_get(risk, "maps"), i, m)
		dash_heatmap(out, ctx, risk, m, i);
	json_array_foreach(json_object_get(d, "charts"), i, m)
		dash_bars(out, ctx, m, i);
	dash_areas(out, ctx, json_object_get(d, "areas"));
	dash_activity(out, ctx, json_object_get(d, "activity"));
	buf_puts(out, "</div>\n");
	web_page_end(out, ctx);
}
