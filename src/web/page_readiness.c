/*
 * page_readiness.c - the certification readiness page: the Stage 1 and
 * Stage 2 verdicts, the score and its trend, bars per clause and per Annex A
 * area, the next things to do, what is to confirm by hand, the organisation's
 * AI roles, and every requirement grouped by clause and Annex A area with its
 * status (a colour, a word and a symbol, so that colour is never the only
 * sign) and the reasons it is not met, each reason linking to the records to
 * fix or the form that fixes it. It renders the answer of engine/readiness.h
 * and decides nothing itself; the AI roles form is here too.
 */
#include <stdio.h>
#include <string.h>

#include "core/org.h"
#include "core/perm.h"
#include "core/record.h"
#include "io/report.h"
#include "web/html.h"
#include "web/web.h"

#define RD_KIND_NAME_MAX	64	/* a kind's name in a fix path */

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

/* A status as a tag: its colour, a symbol for who cannot tell colours, and a word. */
void
web_status_tag(struct buf *out, const char *status)
{
	static const char *const marks[][3] = {
		{ "met", "\u2713", "Met" },
		{ "partly_met", "\u25d0", "Partly met" },
		{ "not_met", "\u2717", "Not met" },
		{ "not_applicable", "\u2013", "Not applicable" },
		{ "confirm_manually", "?", "Confirm manually" },
	};
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strcmp(marks[i][0], status) == 0) {
			html_printf(out, "<span class=\"tag st st-%s\"><span class=\"st-mark\" "
			    "aria-hidden=\"true\">%s</span> %s</span>", status, marks[i][1],
			    marks[i][2]);
			return;
		}
	html_printf(out, "<span class=\"tag\">%s</span>", status);
}

/* An auditor's grade of a gap, in words. */
static const char *
rd_grade(const char *grade)
{
	if (strcmp(grade, "major_nonconformity") == 0)
		return "Major nonconformity";
	if (strcmp(grade, "minor_nonconformity") == 0)
		return "Minor nonconformity";
	return "Observation";
}

/* Does the path end at s ("new", "edit"), with or without a query? */
static bool
rd_path_is(const char *rest, const char *s)
{
	size_t n = strcspn(rest, "?");

	return n > strlen(s) && rest[n - strlen(s) - 1] == '/' &&
	    strncmp(rest + n - strlen(s), s, strlen(s)) == 0;
}

/*
 * May the reader take the fix? A form creating or changing records of a
 * kind is the permission table's to answer (ctx->can); any other path is a
 * page of the organisation, which whoever reads readiness may read.
 */
static bool
rd_fix_allowed(const struct web_ctx *ctx, const char *fix)
{
	char name[RD_KIND_NAME_MAX];
	size_t n = strcspn(fix, "/?");
	const struct record_kind *k;

	if (n >= sizeof(name))
		return true;
	memcpy(name, fix, n);
	name[n] = '\0';
	if ((k = record_kind_find(name)) == NULL)
		return true;
	if (rd_path_is(fix, "new"))
		return web_can(ctx, WEB_ACT_CREATE, k);
	if (rd_path_is(fix, "edit"))
		return web_can(ctx, WEB_ACT_UPDATE, k);
	return true;
}

/* A fix path of the answer as a link under the organisation, for who may take it. */
static void
rd_fix(struct buf *out, const struct web_ctx *ctx, const char *fix, const char *label)
{
	struct buf url = BUF_INIT;

	if (fix == NULL || *fix == '\0' || !rd_fix_allowed(ctx, fix))
		return;
	web_url_org(&url, ctx);
	buf_putc(&url, '/');
	buf_puts(&url, fix);
	html_printf(out, " <a class=\"fix\" href=\"%s\">%s</a>", buf_str(&url), label);
	buf_free(&url);
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
		    "<h2 id=\"rd-stage%lld\">Stage %lld audit</h2><p><span class=\"tag st v-%s\">"
		    "<span class=\"st-mark\" aria-hidden=\"true\">%s</span> %s</span></p>"
		    "<p class=\"small\">%lld major nonconformities, %lld minor, %lld observations "
		    "(distinct causes)</p></section>",
		    rd_int(s, "stage"), rd_int(s, "stage"), rd_int(s, "stage"),
		    ready ? "ready" : "not_ready", ready ? "\u2713" : "\u2717",
		    ready ? "Ready" : "Not ready",
		    rd_int(s, "blocking_gaps"), rd_int(s, "major_gaps"), rd_int(s, "minor_gaps"));
	}
	buf_puts(out, "</div>\n");
}

/*
 * The organisation's target (its readiness options): the stage prepared for
 * and its verdict, the days left to the audit; a line pointing to the
 * settings when none is set.
 */
static void
rd_target(struct buf *out, const struct web_ctx *ctx, const json_t *r)
{
	const json_t *t = json_object_get(r, "target");
	const json_t *stage = json_object_get(t, "stage"), *days = json_object_get(t, "days_left");
	struct buf url = BUF_INIT;
	bool ready;

	web_url_kind(&url, ctx, "settings");
	if (!json_is_integer(stage) && !json_is_integer(days)) {
		html_printf(out, "<p class=\"small\" id=\"rd-target\">No target stage or audit "
		    "date is set: <a href=\"%s\">set them in the settings</a> to see the days "
		    "left.</p>\n", buf_str(&url));
		buf_free(&url);
		return;
	}
	buf_puts(out, "<section class=\"card target\" id=\"rd-target\" "
	    "aria-labelledby=\"rd-target-h\"><h2 id=\"rd-target-h\">Target</h2><p>");
	if (json_is_integer(stage)) {
		ready = strcmp(rd_str(t, "verdict"), "ready") == 0;
		html_printf(out, "Stage %lld audit: <span class=\"tag st v-%s\"><span "
		    "class=\"st-mark\" aria-hidden=\"true\">%s</span> %s</span>",
		    (long long)json_integer_value(stage), ready ? "ready" : "not_ready",
		    ready ? "\u2713" : "\u2717", ready ? "Ready" : "Not ready");
	} else
		buf_puts(out, "Certification audit");
	if (json_is_integer(days)) {
		json_int_t n = json_integer_value(days);

		html_printf(out, " on <time datetime=\"%s\">%s</time>: ", rd_str(t, "audit_date"),
		    rd_str(t, "audit_date"));
		if (n > 0)
			html_printf(out, "<strong class=\"days-left\">%lld day%s left</strong>",
			    (long long)n, n == 1 ? "" : "s");
		else if (n == 0)
			buf_puts(out, "<strong class=\"days-left\">today</strong>");
		else
			html_printf(out, "<strong class=\"days-left\">%lld day%s ago</strong>",
			    (long long)-n, n == -1 ? "" : "s");
	}
	html_printf(out, ". <a href=\"%s\">Change</a></p></section>\n", buf_str(&url));
	buf_free(&url);
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

/* The records a finding names, each a link to its page. */
static void
rd_refs(struct buf *out, const struct web_ctx *ctx, const json_t *f)
{
	const json_t *ref;
	size_t k;

	json_array_foreach(json_object_get(f, "refs"), k, ref) {
		buf_puts(out, k ? ", " : " Fix: ");
		rd_ref(out, ctx, json_string_value(ref));
	}
	if (rd_int(f, "more") > 0)
		html_printf(out, " <span class=\"more\">and %lld more</span>", rd_int(f, "more"));
}

static void
rd_findings(struct buf *out, const struct web_ctx *ctx, const json_t *req)
{
	const json_t *chk, *f;
	const char *st;
	size_t i, j;

	buf_puts(out, "<ul class=\"items\">");
	json_array_foreach(json_object_get(req, "checks"), i, chk) {
		st = rd_str(chk, "status");
		if (strcmp(st, "fail") != 0 && strcmp(st, "confirm") != 0)
			continue;
		json_array_foreach(json_object_get(chk, "findings"), j, f) {
			if (strcmp(st, "confirm") == 0)
				buf_puts(out, "<li><span class=\"tag st st-confirm_manually\">"
				    "Confirm</span> ");
			else
				html_printf(out, "<li><span class=\"tag t-%s\">%s</span> ",
				    rd_str(chk, "severity"), rd_grade(rd_str(chk, "grade")));
			html_printf(out, "%s", rd_str(f, "reason"));
			rd_refs(out, ctx, f);
			if (json_array_size(json_object_get(f, "refs")) == 0)
				rd_fix(out, ctx, rd_str(chk, "fix"), strcmp(st, "confirm") == 0 ?
				    "Confirm it" : "Fix it");
			buf_puts(out, "</li>");
		}
	}
	buf_puts(out, "</ul>");
}

/* What to do first: the causes that unblock most, most severe first. */
static void
rd_next(struct buf *out, const struct web_ctx *ctx, const json_t *r)
{
	const json_t *g, *f;
	size_t i, n;

	if (json_array_size(json_object_get(r, "next")) == 0)
		return;
	buf_puts(out, "<section class=\"card\" aria-labelledby=\"rd-next\"><h2 id=\"rd-next\">"
	    "The next things to do</h2><ol class=\"next\">");
	json_array_foreach(json_object_get(r, "next"), i, g) {
		f = json_array_get(json_object_get(g, "findings"), 0);
		n = json_array_size(json_object_get(g, "affects"));
		html_printf(out, "<li><span class=\"tag t-%s\">%s, stage %lld</span> "
		    "<a class=\"req\" href=\"#req-%s\">%s</a> %s", rd_str(g, "severity"),
		    rd_grade(rd_str(g, "grade")), rd_int(g, "stage"), rd_str(g, "requirement"),
		    rd_str(g, "requirement"), rd_str(f, "reason"));
		if (n > 1)
			html_printf(out, " <span class=\"more\">(affects %zu requirements)</span>", n);
		rd_fix(out, ctx, rd_str(g, "fix"), "Fix it");
		buf_puts(out, "</li>");
	}
	buf_puts(out, "</ol></section>\n");
}

/* Requirements records cannot settle: each confirmed by an attestation. */
static void
rd_confirm(struct buf *out, const struct web_ctx *ctx, const json_t *r)
{
	const json_t *c;
	size_t i;

	if (json_array_size(json_object_get(r, "to_confirm")) == 0)
		return;
	buf_puts(out, "<section class=\"card\" aria-labelledby=\"rd-confirm\"><h2 "
	    "id=\"rd-confirm\">To confirm by hand</h2><p class=\"small\">Records cannot settle "
	    "these; an auditor asks. Confirm each with an attestation (what you verified, the "
	    "evidence, until when), approved by someone else. They are not counted as gaps."
	    "</p><ul class=\"items\">");
	json_array_foreach(json_object_get(r, "to_confirm"), i, c) {
		html_printf(out, "<li><a class=\"req\" href=\"#req-%s\">%s</a> %s",
		    rd_str(c, "requirement"), rd_str(c, "requirement"), rd_str(json_array_get(
		    json_object_get(c, "findings"), 0), "reason"));
		rd_fix(out, ctx, rd_str(c, "fix"), "Confirm it");
		buf_puts(out, "</li>");
	}
	buf_puts(out, "</ul></section>\n");
}

static void
rd_roles_list(struct buf *out, const json_t *roles)
{
	const json_t *v;
	size_t i;

	if (json_array_size(roles) == 0)
		buf_puts(out, "none");
	json_array_foreach(roles, i, v)
		html_printf(out, "%s%s", i ? "; " : "", org_ai_role_label(json_string_value(v)));
}

/* The organisation's AI roles (4.1), and where they are set. */
static void
rd_roles(struct buf *out, const struct web_ctx *ctx, const json_t *r)
{
	const json_t *roles = json_object_get(json_object_get(r, "organisation"), "ai_roles");

	buf_puts(out, "<section class=\"card\" aria-labelledby=\"rd-roles\"><h2 "
	    "id=\"rd-roles\">AI roles (4.1)</h2><p>");
	rd_roles_list(out, json_object_get(roles, "effective"));
	buf_puts(out, "</p><p class=\"small\">");
	if (json_array_size(json_object_get(roles, "declared")) == 0)
		buf_puts(out, "Not declared: derived from the AI systems. ");
	buf_puts(out, "</p>");
	rd_fix(out, ctx, "ai-roles", "Set the AI roles");
	buf_puts(out, "</section>\n");
}

/* The documented information the requirement asks for, under its title. */
static void
rd_documented(struct buf *out, const json_t *req)
{
	const json_t *d = json_object_get(req, "documented_information"), *v;
	size_t i;

	if (json_array_size(d) == 0)
		return;
	buf_puts(out, "<span class=\"small docinfo\">Documented information: ");
	json_array_foreach(d, i, v)
		html_printf(out, "%s%s", i ? "; " : "", json_string_value(v));
	buf_puts(out, "</span>");
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
		{ "confirm_manually", "To confirm" }, { "not_applicable", "Not applicable" },
	};
	struct buf url = BUF_INIT;
	const json_t *req, *group = NULL;
	size_t i, shown = 0;

	buf_puts(out, "<section aria-labelledby=\"rd-reqs\"><h2 id=\"rd-reqs\">Requirements by "
	    "clause and Annex A area</h2>"
	    "<nav class=\"filters\" aria-label=\"Show requirements\"><ul class=\"inline\">");
	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		buf_reset(&url);
		web_url_org(&url, ctx);
		buf_puts(&url, "/readiness");
		if (*filters[i][0])
			html_url_query(&url, "status", filters[i][0]);
		/* The attribute is markup, not a value: written apart, never through %s. */
		html_printf(out, "<li><a href=\"%s\"", buf_str(&url));
		if (strcmp(filter ? filter : "", filters[i][0]) == 0)
			buf_puts(out, " aria-current=\"page\"");
		html_printf(out, ">%s</a></li>", filters[i][1]);
	}
	buf_puts(out, "</ul></nav><div class=\"table-wrap\"><table><thead><tr>"
	    "<th scope=\"col\">Requirement</th><th scope=\"col\">Status</th>"
	    "<th scope=\"col\">What stands in the way</th></tr></thead><tbody>");
	json_array_foreach(json_object_get(r, "requirements"), i, req) {
		if (json_is_null(json_object_get(req, "parent"))) {
			group = req;	/* a clause (4 to 10) or an Annex A area */
			continue;
		}
		if (!rd_shown(req, filter))
			continue;
		shown++;
		if (group != NULL) {
			/* A filtered view shows the groups' titles only: their status is mixed. */
			html_printf(out, "<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"2\">"
			    "<span class=\"req\">%s</span> %s</th><td>", rd_str(group, "id"),
			    rd_str(group, "title"));
			if (filter == NULL || *filter == '\0')
				web_status_tag(out, rd_str(group, "status"));
			buf_puts(out, "</td></tr>\n");
			group = NULL;
		}
		html_printf(out, "<tr id=\"req-%s\"><th scope=\"row\"><span class=\"req\">%s</span> "
		    "%s", rd_str(req, "id"), rd_str(req, "id"), rd_str(req, "title"));
		rd_documented(out, req);
		buf_puts(out, "</th><td>");
		web_status_tag(out, rd_str(req, "status"));
		buf_puts(out, "</td><td>");
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
	    "against %s, evaluated ", ctx->org_name, rd_str(r, "edition"));
	web_time(out, ctx, rd_str(r, "evaluated_at"));
	buf_puts(out, ".</p>\n");
	rd_downloads(out, ctx);
	rd_target(out, ctx, r);
	rd_verdicts(out, r);
	buf_puts(out, "<div class=\"grid\">");
	rd_next(out, ctx, r);
	rd_confirm(out, ctx, r);
	rd_roles(out, ctx, r);
	buf_puts(out, "</div>\n<div class=\"grid\">");
	rd_bars(out, "rd-clauses", "By clause", json_object_get(r, "clauses"));
	rd_bars(out, "rd-areas", "By Annex A area", json_object_get(r, "areas"));
	rd_trend(out, json_object_get(r, "trend"));
	buf_puts(out, "</div>\n");
	rd_requirements(out, ctx, r, filter);
	web_page_end(out, ctx);
}

void
web_page_ai_roles(struct buf *out, const struct web_ctx *ctx, const json_t *roles,
    const char *error)
{
	const struct web_crumb crumbs[] = { { "Readiness", NULL }, { "AI roles", NULL } };
	const json_t *declared = json_object_get(roles, "declared");
	bool can = perm_allows(ctx->role, PERM_WRITE, PERM_KIND_ORG);
	struct buf url = BUF_INIT, back = BUF_INIT;
	size_t k;

	web_url_org(&back, ctx);
	buf_puts(&back, "/readiness");
	web_page_begin(out, ctx, "AI roles", "readiness", crumbs, 2);
	html_printf(out, "<div class=\"page-head\"><h1>The organisation's AI roles</h1></div>\n"
	    "<p class=\"lede\">ISO/IEC 42001 4.1 asks the organisation to determine its roles "
	    "with respect to AI systems (ISO/IEC 22989 5.19). Until you declare them, the roles "
	    "it holds for its AI systems in scope count: <strong>");
	rd_roles_list(out, json_object_get(roles, "derived"));
	buf_puts(out, "</strong>.</p>\n");
	if (error)
		html_printf(out, "<div class=\"flash error\" role=\"alert\"><p>%s</p></div>", error);
	web_url_org(&url, ctx);
	buf_puts(&url, "/ai-roles");
	html_printf(out, "<form method=\"post\" action=\"%s\" class=\"card\"><fieldset%s>"
	    "<legend>Roles declared</legend>", buf_str(&url), can ? "" : " disabled");
	web_csrf_input(out, ctx);
	for (k = 0; org_ai_roles[k]; k++)
		html_printf(out, "<p><label><input type=\"checkbox\" name=\"role_%s\" value=\"1\"%s> "
		    "%s</label></p>", org_ai_roles[k], org_ai_roles_has(declared, org_ai_roles[k]) ?
		    " checked" : "", org_ai_role_label(org_ai_roles[k]));
	buf_puts(out, "</fieldset>");
	if (can)
		buf_puts(out, "<p class=\"actions\"><button type=\"submit\" class=\"btn primary\">"
		    "Save the AI roles</button></p>");
	else
		buf_puts(out, "<p class=\"small\">A manager or an admin sets them.</p>");
	html_printf(out, "</form>\n<p><a href=\"%s\">Back to readiness</a></p>\n",
	    buf_str(&back));
	web_page_end(out, ctx);
	buf_free(&url);
	buf_free(&back);
}
