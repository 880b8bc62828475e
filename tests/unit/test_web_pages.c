/*
 * test_web_pages.c - unit tests for the pages of src/web, rendered from
 * fixture JSON and record kinds declared here: escaping of a script payload
 * in every field, a label for every control, no write buttons for a viewer,
 * the CSRF token in every POST form, balanced markup, page weight, and the
 * decoding of posted forms.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/record.h"
#include "io/svg.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/jscan.h"
#include "web/page.h"
#include "web/web.h"
#include "testutil.h"

#define XSS		"<script>alert(1)</script>\"><img src=x onerror=alert(2)>'"
#define PAGE_MAX	(100 * 1024)
#define CSRF		"csrf-token-123"

/* Fixture kinds, shaped like the real ones. */
static const char *const stages[] = { "design_development", "deployment", "retirement", NULL };
static const char *const categories[] = { "prohibited", "high_risk", "limited", "minimal",
    "gpai", NULL };
static const char *const component_kinds[] = { "model", "dataset", "service", NULL };
static const char *const doc_status[] = { "draft", "in_review", "approved", "retired", NULL };
static const char *const doc_kinds[] = { "policy", "procedure", "record", NULL };
static const char *const issue_kinds[] = { "internal", "external", NULL };
static const char *const soa_status[] = { "not_started", "planned", "partial", "implemented",
    NULL };
static const char *const risk_status[] = { "identified", "treated", "accepted", NULL };
static const char *const sources[] = { "person", "ci", "monitoring", NULL };
static const char *const areas[] = { "fundamental_rights", "safety", "privacy", NULL };

static const struct field component_fields[] = {
	{ "kind", "Kind", FIELD_ENUM, 0, component_kinds },
	{ "name", "Name", FIELD_STRING, FIELD_REQUIRED, .max = 200 },
	{ "version", "Version", FIELD_STRING, 0, .max = 64 },
	{ "open_source", "Open source", FIELD_BOOL, 0 },
	{ NULL },
};

static const struct field ais_fields[] = {
	{ "name", "Name", FIELD_STRING, FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT,
	    .max = 200, .help = "What people call it." },
	{ "purpose", "Purpose", FIELD_TEXT, FIELD_SEARCH },
	{ "lifecycle_stage", "Life-cycle stage", FIELD_ENUM,
	    FIELD_FILTER | FIELD_LIST | FIELD_SORT, stages, .section = "Classification" },
	{ "eu_ai_act_category", "EU AI Act category", FIELD_ENUM, FIELD_FILTER | FIELD_LIST,
	    categories },
	{ "in_scope", "In scope", FIELD_BOOL, FIELD_FILTER },
	{ "owner", "Owner", FIELD_USER, FIELD_LIST | FIELD_MANAGER },
	{ "affected_people", "Affected people", FIELD_STRING_LIST, 0 },
	{ "impact_areas", "Impact areas", FIELD_ENUM_LIST, 0, areas },
	{ "components", "Components", FIELD_OBJECT_LIST, 0, .subfields = component_fields },
	{ "go_live", "Go-live", FIELD_DATETIME, 0 },
	{ "next_review", "Next review", FIELD_DATE, FIELD_LIST },
	{ "risk_count", "Risks", FIELD_INT, FIELD_READONLY },
	{ NULL },
};

static const struct field risk_fields[] = {
	{ "title", "Title", FIELD_STRING, FIELD_REQUIRED | FIELD_TITLE | FIELD_SORT, .max = 200 },
	{ "description", "Description", FIELD_TEXT, 0 },
	{ "ai_systems", "AI systems", FIELD_REF_LIST, FIELD_LIST, .target = "ai-systems" },
	{ "likelihood", "Likelihood", FIELD_INT, FIELD_FILTER | FIELD_SORT, .min = 1, .max = 5 },
	{ "impact", "Impact", FIELD_INT, FIELD_FILTER | FIELD_SORT, .min = 1, .max = 5 },
	{ "controls", "Annex A controls", FIELD_REQUIREMENT_LIST, 0, .req_kinds = "control" },
	{ "source", "Risk source", FIELD_REQUIREMENT, 0, .req_kinds = "risk_source" },
	{ "parent", "Parent risk", FIELD_REF, 0, .target = "risks" },
	{ "residual_score", "Residual score", FIELD_INT, FIELD_READONLY },
	{ "status", "Status", FIELD_ENUM, 0, risk_status },
	{ "accepted_by", "Accepted by", FIELD_USER, FIELD_READONLY },
	{ NULL },
};

static const struct field doc_fields[] = {
	{ "title", "Title", FIELD_STRING, FIELD_REQUIRED | FIELD_TITLE, .max = 200 },
	{ "kind", "Kind", FIELD_ENUM, FIELD_FILTER | FIELD_LIST, doc_kinds },
	{ "body", "Body", FIELD_TEXT, 0 },
	{ "status", "Status", FIELD_ENUM, FIELD_FILTER | FIELD_LIST | FIELD_READONLY, doc_status },
	{ NULL },
};

static const struct field issue_fields[] = {
	{ "title", "Title", FIELD_STRING, FIELD_REQUIRED | FIELD_TITLE, .max = 200 },
	{ "kind", "Internal or external", FIELD_ENUM, FIELD_FILTER | FIELD_LIST, issue_kinds },
	{ NULL },
};

static const struct field soa_fields[] = {
	{ "applicable", "Applicable", FIELD_BOOL, 0 },
	{ "justification", "Justification", FIELD_TEXT, 0 },
	{ "status", "Status", FIELD_ENUM, 0, soa_status },
	{ "owner", "Owner", FIELD_USER, 0 },
	{ "measures", "Measures", FIELD_REF_LIST, 0, .target = "measures" },
	{ NULL },
};

static const struct field evidence_fields[] = {
	{ "title", "Title", FIELD_STRING, FIELD_REQUIRED | FIELD_TITLE, .max = 200 },
	{ "source", "Source", FIELD_ENUM, FIELD_FILTER | FIELD_LIST, sources },
	{ "valid_until", "Valid until", FIELD_DATE, FIELD_LIST },
	{ "requirements", "Requirements", FIELD_REQUIREMENT_LIST, FIELD_FILTER,
	    .req_kinds = "control" },
	{ NULL },
};

static const struct record_kind k_issues = { "context-issues", "context issue",
    "Context issues", "CI", "4.1", "Context", false, true, "context", issue_fields };
static const struct record_kind k_docs = { "documents", "document", "Documents", "DOC", "7.5",
    "Leadership", false, true, "documents", doc_fields };
static const struct record_kind k_ais = { "ai-systems", "AI system", "AI systems", "AIS", "8.2",
    "Planning", false, true, "ai-systems", ais_fields };
static const struct record_kind k_risks = { "risks", "risk", "Risks", "RISK", "6.1.2",
    "Planning", false, true, "risks", risk_fields, .nav_key = 'r' };
static const struct record_kind k_soa = { "soa", "SoA entry", "Statement of Applicability",
    "SOA", "6.1.3", "Planning", false, true, "soa", soa_fields };
static const struct record_kind k_evidence = { "evidence", "evidence item", "Evidence", "EV",
    "7.5.3", "Support & operation", false, true, "evidence", evidence_fields, .files = true };

static const struct record_kind *const kinds[] = { &k_issues, &k_docs, &k_ais, &k_risks,
    &k_soa, &k_evidence, &(const struct record_kind){ NULL } };

static const struct web_org orgs[] = { { "acme", "Acme <AI>" }, { "beta", "Beta & Co" } };

static bool
fake_can(const struct web_ctx *ctx, enum web_action act, const struct record_kind *k)
{
	(void)k;
	if (act == WEB_ACT_DELETE)
		return ctx->role >= ROLE_MANAGER;
	return ctx->role >= ROLE_CONTRIBUTOR;
}

static struct web_ctx
ctx_for(enum role role)
{
	return (struct web_ctx){ .org = "acme", .org_name = "Acme <AI>", .orgs = orgs, .norgs = 2,
	    .user = "alice@example.org", .role = role, .csrf = CSRF, .kinds = kinds,
	    .can = fake_can, .today = "2026-03-01", .may_comment = role != ROLE_VIEWER };
}

/* With AIMS_WEB_DUMP=DIR set, pages are also written to DIR/NAME.html. */
static void
dump(const char *name, const char *html)
{
	const char *dir = getenv("AIMS_WEB_DUMP");
	char path[512];
	FILE *f;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s.html", dir, name);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(html, f);
		fclose(f);
	}
}

/* Every control that is not hidden has an id with a <label for> naming it. */
static void
assert_labelled(const char *html)
{
	static const char *const tags[] = { "<input", "<select", "<textarea", NULL };
	char id[256], want[300];
	const char *p, *end, *q;
	int t;

	for (t = 0; tags[t] != NULL; t++) {
		for (p = html; (p = strstr(p, tags[t])) != NULL; p++) {
			end = strchr(p, '>');
			assert_non_null(end);
			if (strncmp(p, "<input type=\"hidden\"", 20) == 0)
				continue;
			q = strstr(p, " id=\"");
			if (q == NULL || q > end) {
				fprintf(stderr, "control without id: %.120s\n", p);
				fail();
			}
			q += 5;
			snprintf(id, sizeof(id), "%.*s", (int)(strchr(q, '"') - q), q);
			snprintf(want, sizeof(want), "for=\"%s\"", id);
			if (strstr(html, want) == NULL) {
				fprintf(stderr, "no label for id %s\n", id);
				fail();
			}
		}
	}
}

/* Every POST form carries the CSRF token. */
static void
assert_forms_have_csrf(const char *html)
{
	const char *p, *end;

	for (p = html; (p = strstr(p, "<form method=\"post\"")) != NULL; p++) {
		end = strstr(p, "</form>");
		assert_non_null(end);
		if (strstr(p, "name=\"_csrf\" value=\"" CSRF "\"") == NULL ||
		    strstr(p, "name=\"_csrf\" value=\"" CSRF "\"") > end) {
			fprintf(stderr, "form without CSRF token: %.160s\n", p);
			fail();
		}
	}
}

static void
assert_balanced(const char *html, const char *tag)
{
	char open[32], close[32];
	int a, b;

	snprintf(open, sizeof(open), "<%s", tag);
	snprintf(close, sizeof(close), "</%.*s>", (int)strcspn(tag, " "), tag);
	a = count_of(html, open);
	b = count_of(html, close);
	if (a != b) {
		fprintf(stderr, "<%s>: %d opened, %d closed\n", tag, a, b);
		fail();
	}
}

/* No id is given twice. */
static void
assert_unique_ids(const char *html)
{
	char id[256], want[300];
	const char *p, *q, *end;

	for (p = html; (p = strstr(p, " id=\"")) != NULL; p = end) {
		q = p + 5;
		end = strchr(q, '"');
		assert_non_null(end);
		snprintf(id, sizeof(id), "%.*s", (int)(end - q), q);
		snprintf(want, sizeof(want), " id=\"%s\"", id);
		if (strstr(end, want) != NULL) {
			fprintf(stderr, "id given twice: %s\n", id);
			fail();
		}
	}
}

/* What every page must be: escaped, no inline script or style, sane. */
static void
assert_page_ok(const char *html)
{
	static const char *const tags[] = { "div", "form", "section", "table", "ul", "select",
	    "textarea", "fieldset", "a ", "svg", "main", "nav", "details", "dl", "label", NULL };
	int i;

	assert_true(strncmp(html, "<!doctype html>", 15) == 0);
	assert_int_equal(count_of(html, "<script"), 1);
	assert_non_null(strstr(html, "<script src=\"/static/app.js?v="));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, " style="));
	assert_null(strstr(html, "\"><img"));
	assert_null(strstr(html, "<script>alert"));
	assert_null(strstr(html, "=&quot;"));	/* markup passed through an escaping %s */
	assert_null(strstr(html, "' onmouseover"));
	assert_null(strstr(html, "javascript:"));
	assert_true(strlen(html) < PAGE_MAX);
	assert_non_null(strstr(html, "<main id=\"main\""));
	assert_non_null(strstr(html, "href=\"#main\""));
	for (i = 0; tags[i] != NULL; i++)
		assert_balanced(html, tags[i]);
	assert_labelled(html);
	assert_forms_have_csrf(html);
	assert_unique_ids(html);
}

/* A viewer's page has no POST form but signing out, and no write link. */
static void
assert_read_only(const char *html)
{
	assert_int_equal(count_of(html, "<form method=\"post\""), 1);
	assert_non_null(strstr(html, "action=\"/sign-out\""));
	assert_null(strstr(html, "/new\""));
	assert_null(strstr(html, "/edit\""));
}

static json_t *
load(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	if (j == NULL) {
		fprintf(stderr, "fixture: %s at %d:%d\n", err.text, err.line, err.column);
		fail();
	}
	return j;
}

/* j as stored text (what the pages read in place): *text to free, *out its span. */
static void
span_of(struct jscan_value *out, char **text, const json_t *j)
{
	*text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	assert_non_null(*text);
	assert_int_equal(jscan_value(out, *text, strlen(*text)), 0);
}

/* Replaces every string in j (recursively) by the payload, but identifiers. */
static void
poison(json_t *j)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_object(j)) {
		json_object_foreach(j, key, v) {
			if (json_is_string(v) && strcmp(key, "ref") != 0 &&
			    strcmp(key, "control") != 0)
				json_object_set_new(j, key, json_string(XSS));
			else
				poison(v);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v) {
			if (json_is_string(v))
				json_array_set_new(j, i, json_string(XSS));
			else
				poison(v);
		}
	}
}

#define AIS_JSON "{\"ref\":\"AIS-7\",\"version\":3,\"name\":\"Loan scorer\"," \
	"\"purpose\":\"Scores **loan** applications.\",\"lifecycle_stage\":\"deployment\"," \
	"\"eu_ai_act_category\":\"high_risk\",\"in_scope\":true,\"owner\":\"bob@example.org\"," \
	"\"affected_people\":[\"applicants\",\"staff\"],\"impact_areas\":[\"privacy\"]," \
	"\"components\":[{\"kind\":\"model\",\"name\":\"gbm\",\"version\":\"2.1\"}]," \
	"\"go_live\":\"2026-01-02T03:04:05Z\",\"next_review\":\"2026-06-01\",\"risk_count\":2," \
	"\"created_at\":\"2026-01-01T10:00:00Z\",\"updated_at\":\"2026-02-01T11:00:00Z\"," \
	"\"created_by\":\"user:alice@example.org\",\"updated_by\":\"user:bob@example.org\"}"

static void
test_web_pages__layout_nav_in_order_of_the_standard(void **state)
{
	struct web_ctx ctx = ctx_for(ROLE_MANAGER);
	struct buf b = BUF_INIT;
	const char *s, *ctxs, *lead, *plan, *sup;

	(void)state;
	web_page_begin(&b, &ctx, "Risks", "risks", NULL, 0);
	web_page_end(&b, &ctx);
	s = buf_str(&b);
	dump("layout", s);
	assert_page_ok(s);
	ctxs = strstr(s, "<h2>Context</h2>");
	lead = strstr(s, "<h2>Leadership</h2>");
	plan = strstr(s, "<h2>Planning</h2>");
	sup = strstr(s, "<h2>Support &amp; operation</h2>");
	assert_non_null(ctxs);
	assert_true(ctxs < lead && lead < plan && plan < sup);
	assert_non_null(strstr(s, "<a href=\"/o/acme/risks\" aria-current=\"page\" data-key=\"r\">"));
	assert_non_null(strstr(s, "<title>Risks \xc2\xb7 Acme &lt;AI&gt; \xc2\xb7 OpenAIMS</title>"));
	assert_non_null(strstr(s, "<a href=\"/o/beta/\">Beta &amp; Co</a>"));
	assert_non_null(strstr(s, "alice@example.org"));
	assert_non_null(strstr(s, "<span class=\"role\">manager</span>"));
	assert_non_null(strstr(s, "/static/app.css?v="));
	/* The SoA is a kind here, so it is not added a second time. */
	assert_int_equal(count_of(s, "href=\"/o/acme/soa\""), 1);
	buf_free(&b);
}

static void
test_web_pages__list_escapes_sorts_filters_pages(void **state)
{
	struct web_ctx ctx = ctx_for(ROLE_CONTRIBUTOR);
	struct record_query q = { .limit = 50, .q = XSS, .sort = "name", .nfilters = 1,
	    .filter_names = { "lifecycle_stage" }, .filter_values = { "deployment" } };
	json_t *items = json_array(), *rec = load(AIS_JSON);
	struct jscan_value span;
	struct web_list l = { .items = &span, .total = 120, .offset = 50,
	    .next_cursor = "CURSOR==", .query = &q };
	struct buf b = BUF_INIT;
	const char *s;
	char *text;
	int i;

	(void)state;
	poison(rec);
	for (i = 0; i < 50; i++)
		json_array_append(items, rec);
	span_of(&span, &text, items);
	web_page_list(&b, &ctx, &k_ais, &l);
	s = buf_str(&b);
	dump("list-xss", s);
	assert_page_ok(s);
	assert_non_null(strstr(s, "href=\"/o/acme/ai-systems/new\""));
	assert_non_null(strstr(s, "Showing 51\xe2\x80\x93" "100 of 120 AI systems"));
	assert_non_null(strstr(s, "rel=\"next\" href=\"/o/acme/ai-systems?q=%3Cscript%3E"));
	assert_non_null(strstr(s, "cursor=CURSOR%3D%3D&amp;at=100\""));
	assert_non_null(strstr(s, "First page"));
	/* Sorted by name ascending: its header says so and links to descending. */
	assert_non_null(strstr(s, "aria-sort=\"ascending\""));
	assert_non_null(strstr(s, "lifecycle_stage=deployment&amp;sort=-name\""));
	assert_non_null(strstr(s, "<option value=\"deployment\" selected>Deployment</option>"));
	assert_non_null(strstr(s, "<label for=\"flt-eu_ai_act_category\">"));
	assert_non_null(strstr(s, "<option value=\"true\">True</option>"));
	assert_non_null(strstr(s, "value=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;"));
	assert_int_equal(count_of(s, "<tr><td class=\"ref\">"), 50);
	/* Downloads carry the search and filters; page three goes back to page two. */
	assert_non_null(strstr(s, "lifecycle_stage=deployment&amp;sort=name&amp;format=csv\""));
	assert_non_null(strstr(s, "&amp;format=xlsx\""));
	buf_reset(&b);
	q.cursor = "PAGE3";
	q.limit = 25;
	l.back = "PAGE2";
	web_page_list(&b, &ctx, &k_ais, &l);
	s = buf_str(&b);
	assert_non_null(strstr(s, "sort=name&amp;limit=25&amp;cursor=PAGE2&amp;at=25\">Previous page"));
	assert_non_null(strstr(s, "limit=25&amp;cursor=CURSOR%3D%3D&amp;at=100&amp;back=PAGE2.PAGE3\""));
	assert_non_null(strstr(s, "<option value=\"25\" selected>25</option>"));
	free(text);
	json_decref(items);
	json_decref(rec);
	buf_free(&b);
}

static void
test_web_pages__list_viewer_has_no_write_buttons(void **state)
{
	struct web_ctx ctx = ctx_for(ROLE_VIEWER);
	struct jscan_value span;
	struct web_list l = { .items = &span };
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(jscan_value(&span, "[]", 2), 0);
	web_page_list(&b, &ctx, &k_ais, &l);
	assert_page_ok(buf_str(&b));
	assert_read_only(buf_str(&b));
	assert_non_null(strstr(buf_str(&b), "There are no AI systems yet."));
	buf_free(&b);
}

/* Times in the organisation's zone on the page; UTC stays in datetime=. */
static void
test_web_pages__times_in_the_org_time_zone(void **state)
{
	struct web_ctx ctx = ctx_for(ROLE_MANAGER);
	json_t *rec = load(AIS_JSON);
	struct web_record_view v = { rec, NULL, NULL };
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	assert_int_equal(tz_load(&ctx.tz, "Asia/Tokyo"), 0);
	web_page_record(&b, &ctx, &k_ais, &v);
	s = buf_str(&b);
	assert_non_null(strstr(s, "datetime=\"2026-01-02T03:04:05Z\">2026-01-02 12:04 JST</time>"));
	assert_null(strstr(s, "03:04 UTC"));
	buf_free(&b);
	json_decref(rec);
}

/* A view that writes (an import) is linked for who may change the kind; a reading view for all. */
static void
test_web_pages__record_views_by_role(void **state)
{
	static const struct record_view views[] = {
		{ "import", "Import a file", .writes = true },
		{ "obligations", "Obligations" },
		{ NULL, NULL },
	};
	struct record_kind k = k_ais;
	struct web_ctx ctx = ctx_for(ROLE_CONTRIBUTOR);
	json_t *rec = load(AIS_JSON);
	struct web_record_view v = { rec, NULL, NULL };
	struct buf b = BUF_INIT;

	(void)state;
	k.views = views;
	web_page_record(&b, &ctx, &k, &v);
	assert_non_null(strstr(buf_str(&b), "href=\"/o/acme/ai-systems/AIS-7/import\""));
	assert_non_null(strstr(buf_str(&b), "href=\"/o/acme/ai-systems/AIS-7/obligations\""));
	buf_reset(&b);
	ctx = ctx_for(ROLE_VIEWER);
	web_page_record(&b, &ctx, &k, &v);
	assert_null(strstr(buf_str(&b), "/import\""));
	assert_non_null(strstr(buf_str(&b), "href=\"/o/acme/ai-systems/AIS-7/obligations\""));
	buf_free(&b);
	json_decref(rec);
}

/* web_time(): summer and winter time of one zone, a date as it is, nothing as a dash. */
static void
test_web_pages__web_time_summer_and_winter(void **state)
{
	struct web_ctx ctx = ctx_for(ROLE_MANAGER);
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(tz_load(&ctx.tz, "Europe/Berlin"), 0);
	web_time(&b, &ctx, "2026-01-15T10:30:00Z");
	assert_string_equal(buf_str(&b),
	    "<time datetime=\"2026-01-15T10:30:00Z\">2026-01-15 11:30 CET</time>");
	buf_reset(&b);
	web_time(&b, &ctx, "2026-07-15T22:30:00Z");
	assert_string_equal(buf_str(&b),
	    "<time datetime=\"2026-07-15T22:30:00Z\">2026-07-16 00:30 CEST</time>");
	buf_reset(&b);
	web_time(&b, &ctx, "2026-07-15");
	assert_string_equal(buf_str(&b), "<time datetime=\"2026-07-15\">2026-07-15</time>");
	buf_reset(&b);
	web_time(&b, &ctx, "");
	assert_string_equal(buf_str(&b), "\xe2\x80\x94");
	buf_reset(&b);
	web_time_t(&b, NULL, 0);
	assert_string_equal(buf_str(&b),
	    "<time datetime=\"1970-01-01T00:00:00Z\">1970-01-01 00:00 UTC</time>");
	buf_free(&b);
}

static void
test_web_pages__record_shows_fields_links_history(void **state)
{
	struct web_ctx ctx = ctx_for(ROLE_MANAGER);
	json_t *rec = load(AIS_JSON);
	json_t *links = load("[{\"kind\":\"risks\",\"ref\":\"RISK-3\",\"title\":\"Bias\","
	    "\"field\":\"ai_systems\",\"direction\":\"in\"},{\"kind\":\"documents\",\"ref\":"
	    "\"DOC-1\",\"title\":\"Policy\",\"field\":\"owner\",\"direction\":\"out\"}]");
	json_t *hist = load("[{\"time\":\"2026-02-01T11:00:00Z\",\"actor\":\"user:bob@example.org\","
	    "\"by\":\"Bob Jones\",\"action\":\"update\",\"version\":3,"
	    "\"fields\":[\"purpose\",\"owner\"],\"changes\":[{\"field\":\"purpose\","
	    "\"from\":\"Old purpose\",\"to\":\"New purpose\"},{\"field\":\"owner\","
	    "\"from\":null,\"to\":\"bob@example.org\"}]}]");
	struct jscan_value span;
	struct web_record_view v = { rec, links, &span, .history_max = 100 };
	struct buf b = BUF_INIT;
	const char *s;
	char *text;

	(void)state;
	span_of(&span, &text, hist);
	web_page_record(&b, &ctx, &k_ais, &v);
	s = buf_str(&b);
	dump("record", s);
	assert_page_ok(s);
	/* The declared sections divide the details as they divide the form. */
	assert_non_null(strstr(s, "</dl>\n<h3 class=\"fields-section\">Classification</h3>"));
	assert_non_null(strstr(s, "<span class=\"ref\">AIS-7</span> Loan scorer</h1>"));
	assert_non_null(strstr(s, "<strong>loan</strong>"));
	assert_non_null(strstr(s, "<span class=\"tag t-high_risk\">High-risk</span>"));
	assert_non_null(strstr(s, "<td>gbm</td>"));
	assert_non_null(strstr(s, "2026-01-02 03:04 UTC"));
	assert_non_null(strstr(s, "Referred to by"));
	assert_non_null(strstr(s, "href=\"/o/acme/risks/RISK-3\""));
	assert_non_null(strstr(s, "<td>AI systems</td>"));	/* the risk's field label */
	assert_non_null(strstr(s, "This record refers to"));
	assert_non_null(strstr(s, "by bob@example.org"));
	/* History: the person's name and each field's old and new value. */
	assert_non_null(strstr(s, "<td>Bob Jones</td>"));
	assert_non_null(strstr(s, "<li><span class=\"change-field\">Purpose</span>: "
	    "<span class=\"change-from\">Old purpose</span> \xe2\x86\x92 "
	    "<span class=\"change-to\">New purpose</span></li>"));
	assert_non_null(strstr(s, "<span class=\"change-field\">Owner</span>: "
	    "<span class=\"change-from\"><em>empty</em></span>"));
	assert_non_null(strstr(s, "href=\"/o/acme/ai-systems/AIS-7/edit\""));
	assert_non_null(strstr(s, "action=\"/o/acme/ai-systems/AIS-7/delete\""));
	assert_non_null(strstr(s, "data-confirm=\"Retire AIS-7?"));
	assert_non_null(strstr(s, "name=\"_version\" value=\"3\""));
	buf_reset(&b);
	poison(rec);
	poison(links);
	poison(hist);
	free(text);
	span_of(&span, &text, hist);
	web_page_record(&b, &ctx, &k_ais, &v);
	assert_page_ok(buf_str(&b));
	buf_reset(&b);
	ctx = ctx_for(ROLE_VIEWER);
	web_page_record(&b, &ctx, &k_ais, &v);
	assert_page_ok(buf_str(&b));
	assert_read_only(buf_str(&b));
	free(text);
	json_decref(rec);
	json_decref(links);
	json_decref(hist);
	buf_free(&b);
}

/*
 * A value read in place from its stored text (web/value_span.c) shows as
 * its tree does (web/value.c), for every type of field, in full and brief,
 * with values of the shape the field expects and of shapes it does not.
 */
static void
test_web_pages__stored_text_shows_as_the_tree(void **state)
{
	static const struct field sub[] = {
		{ "kind", "Kind", FIELD_ENUM, 0, component_kinds },
		{ "name", "Name", FIELD_STRING, 0 },
		{ "likelihood", "Likelihood", FIELD_INT, 0 },
		{ NULL },
	};
	static const struct field parts[] = {
		{ "a", "Part A", FIELD_OBJECT, 0, .subfields = sub },
		{ "b", "Part B", FIELD_OBJECT, 0, .subfields = sub },
		{ NULL },
	};
	static const struct field fields[] = {
		{ "s", "String", FIELD_STRING, 0 }, { "t", "Text", FIELD_TEXT, 0 },
		{ "b", "Bool", FIELD_BOOL, 0 }, { "likelihood", "Likelihood", FIELD_INT, 0 },
		{ "e", "Enum", FIELD_ENUM, 0, component_kinds }, { "d", "Date", FIELD_DATE, 0 },
		{ "dt", "Moment", FIELD_DATETIME, 0 },
		{ "r", "Ref", FIELD_REF, 0, .target = "risks" }, { "u", "User", FIELD_USER, 0 },
		{ "q", "Requirement", FIELD_REQUIREMENT, 0 },
		{ "el", "Enums", FIELD_ENUM_LIST, 0, areas }, { "sl", "Strings", FIELD_STRING_LIST, 0 },
		{ "rl", "Refs", FIELD_REF_LIST, 0, .target = "ai-systems" },
		{ "ql", "Requirements", FIELD_REQUIREMENT_LIST, 0 },
		{ "o", "Object", FIELD_OBJECT, 0, .subfields = sub },
		{ "p", "Parts", FIELD_OBJECT, 0, .subfields = parts },
		{ "ol", "Objects", FIELD_OBJECT_LIST, 0, .subfields = sub },
		{ NULL },
	};
	static const char *const values[] = {
		"null", "\"\"", "[]", "{}", "true", "false", "0", "4", "-3", "-0", "2.5", "1e3",
		"\"<script>alert(1)</script>\\\"><img src=x onerror=alert(2)>'\"",
		"\"https://example.org/a?b=1&c=<2>\"", "\"javascript:alert(1)\"",
		"\"bob@example.org\"", "\"2026-03-01\"", "\"2026-07-01T10:00:00Z\"", "\"not a time\"",
		"\"A.6.2.4\"", "\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\n\\t\"",
		"\"# Head\\n\\n*em* <b>raw</b> [x](javascript:alert(1))\"",
		"[\"a\",\"b<\"]", "[\"A.6.2.4\",\"A.2.2\",1,null,\"\"]",
		"[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\",\"12\"]",
		"{\"kind\":\"model\",\"name\":\"gbm\",\"likelihood\":2}",
		"{\"name\":\"first\",\"name\":\"last\",\"kind\":[]}",
		"[{\"kind\":\"model\",\"name\":\"x\"},{\"name\":\"\"},3,[]]",
		"{\"a\":{\"name\":\"p\"},\"b\":{},\"c\":1}", "[[1,2],{\"a\":[true]}]",
	};
	struct web_ctx ctx = ctx_for(ROLE_MANAGER);
	json_t *scales = load("{\"likelihood\":[{\"title\":\"Rare\"},{\"title\":\"Unlikely <\"},"
	    "{\"title\":\"Possible\"},{\"title\":\"Likely\"},{\"title\":\"Certain\"}]}");
	json_t *titles = load("{\"A.6.2.4\":\"Verification & validation\"}");
	struct buf tree = BUF_INIT, text = BUF_INIT, longer = BUF_INIT;
	struct jscan_value v;
	const struct field *f;
	json_t *j;
	size_t i;
	int brief, n;

	(void)state;
	ctx.scales = scales;
	ctx.req_titles = titles;
	assert_int_equal(tz_load(&ctx.tz, "Europe/Paris"), 0);
	/* A text longer than a table cell shows, cut on a character. */
	buf_puts(&longer, "\"");
	for (n = 0; n < 130; n++)
		buf_puts(&longer, n % 10 ? "x" : "\xc3\xa9");
	buf_puts(&longer, "\"");
	for (f = fields; f->name != NULL; f++)
		for (i = 0; i <= sizeof(values) / sizeof(values[0]); i++)
			for (brief = 0; brief < 2; brief++) {
				const char *value = i < sizeof(values) / sizeof(values[0]) ?
				    values[i] : buf_str(&longer);

				j = json_loads(value, JSON_DECODE_ANY, NULL);
				assert_non_null(j);
				assert_int_equal(jscan_value(&v, value, strlen(value)), 0);
				buf_reset(&tree);
				buf_reset(&text);
				if (brief) {
					web_value_brief(&tree, &ctx, f, j);
					web__span_brief(&text, &ctx, f, &v);
				} else {
					web_value(&tree, &ctx, f, j);
					web__span(&text, &ctx, f, &v);
				}
				if (strcmp(buf_str(&tree), buf_str(&text)) != 0)
					fprintf(stderr, "%s %s%s:\n tree %s\n text %s\n", f->name,
					    value, brief ? " (brief)" : "", buf_str(&tree),
					    buf_str(&text));
				assert_string_equal(buf_str(&tree), buf_str(&text));
				json_decref(j);
			}
	/* Absent: as json_object_get()'s NULL. */
	buf_reset(&tree);
	buf_reset(&text);
	web_value_brief(&tree, &ctx, fields, NULL);
	web__span_brief(&text, &ctx, fields, NULL);
	assert_string_equal(buf_str(&tree), buf_str(&text));
	assert_non_null(strstr(buf_str(&text), "\xe2\x80\x94"));
	json_decref(scales);
	json_decref(titles);
	buf_free(&tree);
	buf_free(&text);
	buf_free(&longer);
}

/* The buttons are core's steps: allowed ones post, refused ones say why, readers see none. */
static void
test_web_pages__workflow_steps_from_core(void **state)
{
	struct web_ctx mgr = ctx_for(ROLE_MANAGER), viewer = ctx_for(ROLE_VIEWER);
	json_t *doc = load("{\"ref\":\"DOC-1\",\"version\":4,\"title\":\"AI policy\","
	    "\"status\":\"in_review\"}");
	json_t *steps = load("[{\"action\":\"return\",\"label\":\"Return to draft\","
	    "\"from\":\"in_review\",\"to\":\"draft\",\"allowed\":true,\"reason\":null},"
	    "{\"action\":\"approve\",\"label\":\"Approve\",\"from\":\"in_review\","
	    "\"to\":\"approved\",\"allowed\":false,\"reason\":\"Ann <Smith> wrote it; another "
	    "manager must approve it\"},{\"action\":\"retire\",\"label\":\"Retire\",\"to\":"
	    "\"retired\",\"allowed\":true,\"reason\":null,\"confirm\":\"Retire\"}]");
	struct web_record_view v = { .record = doc, .steps = steps };
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	web_page_record(&b, &mgr, &k_docs, &v);
	s = buf_str(&b);
	assert_page_ok(s);
	assert_non_null(strstr(s, "action=\"/o/acme/documents/DOC-1/workflow\""));
	assert_non_null(strstr(s, "<button type=\"submit\" class=\"btn primary\" name=\"action\" "
	    "value=\"return\">Return to draft</button>"));
	/* One form for the steps, with the reviewer's note for who may comment. */
	assert_int_equal(count_of(s, "/workflow\""), 1);
	assert_non_null(strstr(s, "<textarea id=\"step-note\" name=\"note\""));
	/* The author's Approve is disabled, with the reason in words (escaped). */
	assert_non_null(strstr(s, "<button type=\"button\" class=\"btn\" disabled "
	    "aria-describedby=\"why-approve\" data-step=\"approve\">Approve</button>"));
	assert_non_null(strstr(s, "id=\"why-approve\">Ann &lt;Smith&gt; wrote it; another "
	    "manager must approve it.</small>"));
	assert_null(strstr(s, "value=\"approve\""));
	assert_non_null(strstr(s, "data-confirm=\"Retire DOC-1?\""));
	/* Someone who only reads sees no step at all. */
	buf_reset(&b);
	web_page_record(&b, &viewer, &k_docs, &v);
	s = buf_str(&b);
	assert_null(strstr(s, ">Approve</button>"));
	assert_null(strstr(s, ">Return to draft</button>"));
	assert_read_only(s);
	json_decref(doc);
	json_decref(steps);
	buf_free(&b);
}

/* A revision in progress names the version in force; earlier approved versions show whole. */
static void
test_web_pages__revision_in_force_and_history(void **state)
{
	const struct record_kind *k = record_kind_find("documents");
	struct web_ctx mgr = ctx_for(ROLE_MANAGER);
	json_t *rec = load("{\"ref\":\"DOC-2\",\"version\":6,\"title\":\"AI policy\","
	    "\"status\":\"draft\",\"body\":\"Second text\",\"in_force_version\":4}");
	json_t *in_force = load("{\"ref\":\"DOC-2\",\"version\":4,\"title\":\"AI policy\","
	    "\"status\":\"approved\",\"body\":\"First text\",\"approved_by\":"
	    "\"erin@example.org\",\"approved_at\":\"2026-02-01T10:00:00Z\"}");
	json_t *hist = load("[{\"time\":\"2026-02-02T10:00:00Z\",\"actor\":\"user:a@x.org\","
	    "\"by\":\"Alice\",\"action\":\"update\",\"status\":\"draft\",\"version\":5,"
	    "\"changes\":[{\"field\":\"body\",\"from\":\"First text\",\"to\":"
	    "\"Second text\"}]},{\"time\":\"2026-02-01T10:00:00Z\",\"actor\":\"user:e@x.org\","
	    "\"by\":\"Erin\",\"action\":\"approve\",\"status\":\"approved\",\"version\":4,"
	    "\"changes\":[],\"record\":{\"ref\":\"DOC-2\",\"title\":\"AI policy\","
	    "\"body\":\"First text\",\"status\":\"approved\"}}]");
	struct jscan_value span;
	struct web_record_view v = { .record = rec, .history = &span, .history_max = 100,
	    .in_force = in_force };
	struct web_form_view fv = { .ref = "DOC-2", .version = 6, .values = rec };
	json_t *approved = load("{\"ref\":\"DOC-2\",\"version\":4,\"status\":\"approved\"}");
	struct buf b = BUF_INIT;
	const char *s;

	char *text;

	(void)state;
	assert_non_null(k);
	span_of(&span, &text, hist);
	web_page_record(&b, &mgr, k, &v);
	s = buf_str(&b);
	dump("revision", s);
	assert_page_ok(s);
	assert_non_null(strstr(s, "id=\"in-force\""));
	assert_non_null(strstr(s, "Version 4, as approved by erin@example.org on <time "
	    "datetime=\"2026-02-01T10:00:00Z\">2026-02-01 10:00 UTC</time>, stays in force"));
	assert_non_null(strstr(s, "<summary>Version 4 as approved</summary>"));
	assert_non_null(strstr(strstr(s, "<summary>Version 4 as approved"), "First text"));
	buf_reset(&b);
	/* The edit form of a revision, and of an approved record, says so before saving. */
	web_page_form(&b, &mgr, k, &fv);
	assert_non_null(strstr(buf_str(&b), "A revision is open.</strong> Version 4"));
	buf_reset(&b);
	fv.values = approved;
	fv.version = 4;
	web_page_form(&b, &mgr, k, &fv);
	s = buf_str(&b);
	assert_non_null(strstr(s, "This document is approved.</strong> Saving a change to its "
	    "content starts a revision: version 4 stays in force"));
	assert_non_null(strstr(s, "Changing only Owner, Next review changes the approved version "
	    "without a revision."));
	json_decref(rec);
	json_decref(in_force);
	json_decref(hist);
	free(text);
	json_decref(approved);
	buf_free(&b);
}

static void
test_web_pages__form_has_labels_csrf_version_and_errors(void **state)
{
	struct web_ctx ctx = ctx_for(ROLE_CONTRIBUTOR);
	json_t *rec = load(AIS_JSON);
	json_t *errors = load("{\"name\":\"must not be empty\",\"\":\"Check the dates.\"}");
	json_t *choices = load("{\"users\":[{\"email\":\"bob@example.org\",\"name\":\"Bob\"}]}");
	struct web_form_view v = { "AIS-7", 3, rec, errors, NULL, choices };
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	web_page_form(&b, &ctx, &k_ais, &v);
	s = buf_str(&b);
	dump("form-edit", s);
	assert_page_ok(s);
	assert_non_null(strstr(s, "<form method=\"post\" action=\"/o/acme/ai-systems/AIS-7\""));
	/* The declared form section heads the fields from lifecycle_stage on. */
	assert_non_null(strstr(s, "<section class=\"form-section\" aria-labelledby=\"fs-0\">"
	    "<h2 id=\"fs-0\">Classification</h2>"));
	assert_true(strstr(s, ">Purpose<") < strstr(s, ">Classification</h2>") &&
	    strstr(s, ">Classification</h2>") < strstr(s, ">Life-cycle stage<"));
	assert_non_null(strstr(s, "name=\"_version\" value=\"3\""));
	assert_non_null(strstr(s, "<a href=\"#f-name\">Name: must not be empty</a>"));
	assert_non_null(strstr(s, "<li>Check the dates.</li>"));
	assert_non_null(strstr(s, "<p class=\"error\" id=\"f-name-err\">must not be empty</p>"));
	assert_non_null(strstr(s, "aria-describedby=\"f-name-help f-name-err\" aria-invalid=\"true\""));
	assert_non_null(strstr(s, "value=\"Loan scorer\""));
	assert_non_null(strstr(s, "<textarea id=\"f-affected_people\" name=\"affected_people\" "
	    "rows=\"4\">\napplicants\nstaff</textarea>"));
	assert_non_null(strstr(s, "type=\"datetime-local\" id=\"f-go_live\" name=\"go_live\" "
	    "value=\"2026-01-02T03:04\""));
	assert_non_null(strstr(s, "name=\"components.0.name\""));
	assert_non_null(strstr(s, "name=\"components.1.name\""));	/* the blank row */
	assert_non_null(strstr(s, "value=\"privacy\" checked"));
	/* Owner is a manager's field: shown, disabled, not submitted. */
	assert_non_null(strstr(s, "name=\"owner\" disabled"));
	assert_null(strstr(s, "name=\"_f\" value=\"owner\""));
	assert_non_null(strstr(s, "name=\"_f\" value=\"components\""));
	assert_null(strstr(s, "name=\"risk_count\""));			/* read-only */
	buf_reset(&b);
	poison(rec);
	poison(errors);
	web_page_form(&b, &ctx, &k_ais, &v);
	assert_page_ok(buf_str(&b));
	json_decref(rec);
	json_decref(errors);
	json_decref(choices);
	buf_free(&b);
}

static void
test_web_pages__stale_form_shows_newer_values(void **state)
{
	struct web_ctx ctx = ctx_for(ROLE_MANAGER);
	json_t *mine = load("{\"name\":\"Mine\",\"purpose\":\"same\"}");
	json_t *newer = load("{\"ref\":\"AIS-7\",\"version\":5,\"name\":\"Theirs\","
	    "\"purpose\":\"same\",\"updated_by\":\"user:carol@example.org\","
	    "\"updated_at\":\"2026-02-02T09:00:00Z\"}");
	struct web_form_view v = { "AIS-7", 4, mine, NULL, newer, NULL };
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	web_page_form(&b, &ctx, &k_ais, &v);
	s = buf_str(&b);
	dump("form-stale", s);
	assert_page_ok(s);
	assert_non_null(strstr(s, "was changed while you were editing it"));
	assert_non_null(strstr(s, "now version 5, by carol@example.org"));
	assert_non_null(strstr(s, "name=\"_version\" value=\"5\""));
	assert_non_null(strstr(s, "value=\"Mine\""));
	assert_non_null(strstr(s, "Current value:</span> Theirs"));
	assert_int_equal(count_of(s, "Current value:"), 1);	/* purpose is unchanged */
	json_decref(mine);
	json_decref(newer);
	buf_free(&b);
}

static void
test_web_pages__create_form_pickers_and_upload(void **state)
{
	struct web_ctx ctx = ctx_for(ROLE_CONTRIBUTOR);
	json_t *values = json_object();
	json_t *choices = load("{\"ai-systems\":[{\"ref\":\"AIS-1\",\"title\":\"Chatbot\"}],"
	    "\"requirements:control\":[{\"id\":\"A.2.2\",\"title\":\"AI policy\"}]}");
	struct web_form_view v = { NULL, 0, values, NULL, NULL, choices };
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	web_page_form(&b, &ctx, &k_risks, &v);
	s = buf_str(&b);
	dump("form-new-risk", s);
	assert_page_ok(s);
	assert_non_null(strstr(s, "action=\"/o/acme/risks\""));
	assert_null(strstr(s, "name=\"_version\""));
	assert_non_null(strstr(s, "<select id=\"f-ai_systems\" name=\"ai_systems\" multiple"));
	assert_non_null(strstr(s, "<option value=\"AIS-1\">AIS-1 \xe2\x80\x94 Chatbot</option>"));
	assert_non_null(strstr(s, "<option value=\"A.2.2\">A.2.2 \xe2\x80\x94 AI policy</option>"));
	/* No list of risks given: the reference is typed. */
	assert_non_null(strstr(s, "<input type=\"text\" id=\"f-parent\" name=\"parent\""));
	assert_non_null(strstr(s, "type=\"number\" id=\"f-likelihood\" name=\"likelihood\" "
	    "min=\"1\" max=\"5\""));
	assert_non_null(strstr(s, "name=\"title\" required"));
	buf_reset(&b);
	web_page_form(&b, &ctx, &k_evidence, &v);
	s = buf_str(&b);
	dump("form-evidence", s);
	assert_page_ok(s);
	assert_non_null(strstr(s, "enctype=\"multipart/form-data\" data-upload"));
	assert_non_null(strstr(s, "<input type=\"file\" id=\"f-file\" name=\"file\""));
	json_decref(values);
	json_decref(choices);
	buf_free(&b);
}

static void
test_web_pages__form_parse_urlencoded(void **state)
{
	struct web_form f;
	const char *body = "a=1&b=hello+world&c=%3Cx%3E&d=&e&a=2&f=caf%C3%A9";

	(void)state;
	assert_int_equal(web_form_parse(&f, body, strlen(body)), 0);
	assert_int_equal(f.n, 7);
	assert_string_equal(web_form_get(&f, "a"), "1");
	assert_string_equal(web_form_get(&f, "b"), "hello world");
	assert_string_equal(web_form_get(&f, "c"), "<x>");
	assert_string_equal(web_form_get(&f, "d"), "");
	assert_string_equal(web_form_get(&f, "e"), "");
	assert_string_equal(web_form_get(&f, "f"), "caf\xc3\xa9");
	assert_null(web_form_get(&f, "zz"));
	web_form_free(&f);
	assert_int_equal(web_form_parse(&f, "a=%zz", 5), AIMS_EINVALID);
	assert_int_equal(web_form_parse(&f, "a=%4", 4), AIMS_EINVALID);
	assert_int_equal(web_form_parse(&f, "a=%00", 5), AIMS_EINVALID);
	assert_int_equal(web_form_parse(&f, "a=%C3", 5), AIMS_EINVALID);
}

static void
test_web_pages__form_to_json_converts_by_type(void **state)
{
	struct web_form f = { 0 };
	json_t *v, *e;

	(void)state;
	web_form_add(&f, "_csrf", CSRF);
	web_form_add(&f, "_f", "name");
	web_form_add(&f, "name", "  Loan scorer  ");
	web_form_add(&f, "_f", "purpose");
	web_form_add(&f, "purpose", "line 1\r\nline 2\r\n");
	web_form_add(&f, "_f", "in_scope");			/* unticked: false */
	web_form_add(&f, "_f", "impact_areas");
	web_form_add(&f, "impact_areas", "privacy");
	web_form_add(&f, "impact_areas", "safety");
	web_form_add(&f, "_f", "affected_people");
	web_form_add(&f, "affected_people", "applicants\r\n\r\n staff \r\n");
	web_form_add(&f, "_f", "go_live");
	web_form_add(&f, "go_live", "2026-01-02T03:04");
	web_form_add(&f, "_f", "next_review");
	web_form_add(&f, "next_review", "");
	web_form_add(&f, "_f", "components");
	web_form_add(&f, "components.1.name", "second");
	web_form_add(&f, "components.0.name", "first");
	web_form_add(&f, "components.0.kind", "model");
	web_form_add(&f, "components.0.open_source", "true");
	web_form_add(&f, "components.2.name", "");		/* the blank row */
	web_form_add(&f, "components.9999.name", "out of range");
	web_form_add(&f, "owner", "not declared by _f");
	assert_int_equal(web_form_to_json(&v, &e, &k_ais, &f, false), 0);
	assert_int_equal(json_object_size(e), 0);
	assert_string_equal(json_string_value(json_object_get(v, "name")), "Loan scorer");
	assert_string_equal(json_string_value(json_object_get(v, "purpose")), "line 1\nline 2\n");
	assert_true(json_is_false(json_object_get(v, "in_scope")));
	assert_int_equal(json_array_size(json_object_get(v, "impact_areas")), 2);
	assert_int_equal(json_array_size(json_object_get(v, "affected_people")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(v,
	    "affected_people"), 1)), "staff");
	assert_string_equal(json_string_value(json_object_get(v, "go_live")),
	    "2026-01-02T03:04:00Z");
	assert_true(json_is_null(json_object_get(v, "next_review")));	/* cleared */
	assert_int_equal(json_array_size(json_object_get(v, "components")), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(v, "components"), 0), "name")), "first");
	assert_true(json_is_true(json_object_get(json_array_get(
	    json_object_get(v, "components"), 0), "open_source")));
	assert_null(json_object_get(v, "owner"));
	json_decref(v);
	json_decref(e);
	web_form_free(&f);
}

static void
test_web_pages__form_to_json_reports_bad_numbers(void **state)
{
	struct web_form f = { 0 };
	json_t *v, *e;

	(void)state;
	web_form_add(&f, "_f", "title");
	web_form_add(&f, "title", "");
	web_form_add(&f, "_f", "likelihood");
	web_form_add(&f, "likelihood", "4x");
	web_form_add(&f, "_f", "ai_systems");
	web_form_add(&f, "ai_systems", "AIS-1, AIS-2");
	web_form_add(&f, "_f", "controls");
	web_form_add(&f, "_f", "no_such_field");
	assert_int_equal(web_form_to_json(&v, &e, &k_risks, &f, true), AIMS_EINVALID);
	assert_string_equal(json_string_value(json_object_get(e, "likelihood")),
	    "Enter a whole number.");
	assert_non_null(json_object_get(e, ""));
	/* The text stays for the form to show again; empties are left out on create. */
	assert_string_equal(json_string_value(json_object_get(v, "likelihood")), "4x");
	assert_null(json_object_get(v, "title"));
	assert_null(json_object_get(v, "controls"));
	assert_int_equal(json_array_size(json_object_get(v, "ai_systems")), 2);
	json_decref(v);
	json_decref(e);
	web_form_free(&f);
}

/* The 38 Annex A controls, shaped as the SoA page takes them. */
static json_t *
soa_fixture(void)
{
	static const int per_area[] = { 3, 2, 5, 4, 5, 9, 5, 4, 1 };	/* A.2 .. A.10 */
	json_t *arr = json_array(), *e;
	char ctl[32], area[16];
	int a, i, n = 0;

	for (a = 0; a < 9; a++) {
		snprintf(area, sizeof(area), "A.%d", a + 2);
		for (i = 0; i < per_area[a]; i++, n++) {
			snprintf(ctl, sizeof(ctl), "A.%d.%d", a + 2, i + 2);
			e = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "control", ctl,
			    "title", "Control title", "area", area, "area_title", "Area title",
			    "justification", "", "evidence_count", n % 3, "version", 1);
			if (n % 4 == 0)
				json_object_set_new(e, "applicable", json_null());
			else
				json_object_set_new(e, "applicable", json_boolean(n % 4 != 1));
			json_object_set_new(e, "status", json_string(n % 2 ? "implemented" :
			    "planned"));
			json_array_append_new(arr, e);
		}
	}
	return arr;
}

static void
test_web_pages__soa_rows_filters_and_roles(void **state)
{
	struct web_ctx ctx = ctx_for(ROLE_CONTRIBUTOR);
	json_t *entries = soa_fixture();
	json_t *errors = load("{\"A.6.2\":{\"justification\":\"Say why.\"}}");
	json_t *choices = load("{\"users\":[{\"email\":\"bob@example.org\"}],"
	    "\"measures\":[{\"ref\":\"MEA-1\",\"title\":\"Model cards\"}]}");
	struct web_soa_view v = { &k_soa, entries, NULL, NULL, NULL, choices };
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	assert_int_equal(json_array_size(entries), 38);
	web_page_soa(&b, &ctx, &v);
	s = buf_str(&b);
	dump("soa", s);
	assert_page_ok(s);
	/* Rows are text with an Edit link each until one is opened. */
	assert_int_equal(count_of(s, "<form method=\"post\" action=\"/o/acme/soa/A."), 0);
	assert_int_equal(count_of(s, "data-soa-swap>Edit<span class=\"sr\">"), 38);
	assert_non_null(strstr(s, "href=\"/o/acme/soa?edit=A.2.2#ctl-A.2.2\""));
	assert_int_equal(count_of(s, "<section class=\"card soa-area\""), 9);
	assert_non_null(strstr(s, "Not decided <span class=\"count\">10</span>"));
	assert_non_null(strstr(s, "href=\"/o/acme/evidence?requirements=A.2.2\""));
	assert_true(strlen(s) < PAGE_MAX / 2);
	/* Opened row, and a row that failed to save, are forms. */
	buf_reset(&b);
	v.edit = "A.3.2";
	v.errors = errors;
	web_page_soa(&b, &ctx, &v);
	s = buf_str(&b);
	dump("soa-edit", s);
	assert_page_ok(s);
	assert_int_equal(count_of(s, "<form method=\"post\" action=\"/o/acme/soa/A."), 2);
	assert_non_null(strstr(s, "id=\"ctl-A.6.2\" data-soa>"));
	assert_non_null(strstr(s, "id=\"ctl-A.3.2\" data-soa>"));
	assert_non_null(strstr(s, "<label for=\"soa-A.6.2-justification\">"));
	assert_non_null(strstr(s, "<p class=\"error\">Say why.</p>"));
	assert_non_null(strstr(s, "name=\"_f\" value=\"applicable,justification,status,owner,"
	    "measures\""));
	assert_non_null(strstr(s, "<datalist id=\"soa-users\"><option value=\"bob@example.org\">"));
	assert_non_null(strstr(s, "list=\"soa-measures\""));
	/* Filters. */
	buf_reset(&b);
	v.edit = NULL;
	v.errors = NULL;
	v.filter = "undecided";
	web_page_soa(&b, &ctx, &v);
	assert_int_equal(count_of(buf_str(&b), "<div class=\"soa-row\""), 10);
	assert_non_null(strstr(buf_str(&b), "href=\"/o/acme/soa?filter=undecided\" "
	    "aria-current=\"page\""));
	assert_non_null(strstr(buf_str(&b), "href=\"/o/acme/soa?filter=undecided&amp;edit="));
	buf_reset(&b);
	v.filter = "no_evidence";
	web_page_soa(&b, &ctx, &v);
	assert_page_ok(buf_str(&b));
	assert_int_equal(count_of(buf_str(&b), "<div class=\"soa-row\""), 6);
	/* A viewer: no edit links, even when asked for one. */
	buf_reset(&b);
	ctx = ctx_for(ROLE_VIEWER);
	v.filter = NULL;
	v.edit = "A.2.2";
	poison(entries);
	web_page_soa(&b, &ctx, &v);
	assert_page_ok(buf_str(&b));
	assert_read_only(buf_str(&b));
	assert_null(strstr(buf_str(&b), "data-soa-swap"));
	json_decref(entries);
	json_decref(errors);
	json_decref(choices);
	buf_free(&b);
}

#define DASH_JSON "{\"areas\":[{\"section\":\"Planning\",\"kind\":\"ai-systems\"," \
	"\"label\":\"AI systems\",\"count\":12,\"done\":8,\"total\":12}]," \
	"\"soa\":{\"kind\":\"soa\",\"controls\":38,\"decided\":20,\"applicable\":30," \
	"\"implemented\":10}," \
	"\"risk\":{\"kind\":\"risks\",\"likelihood_labels\":[\"Rare\",\"Possible\",\"Likely\"]," \
	"\"impact_labels\":[\"Minor\",\"Major\",\"Severe\"],\"band_labels\":[\"Low\",\"High\"]," \
	"\"bands\":[[0,0,1],[0,1,1],[1,1,1]],\"maps\":[{\"dim\":\"inherent\"," \
	"\"label\":\"Inherent risk\",\"filter_rows\":\"likelihood\",\"filter_cols\":\"impact\"," \
	"\"cells\":[[1,0,0],[0,2,0],[0,0,3]]},{\"dim\":\"residual\",\"label\":\"Residual risk\"," \
	"\"cells\":[[4,0,0],[0,1,0],[0,0,1]]}]}," \
	"\"charts\":[{\"kind\":\"ai-systems\",\"dim\":\"category\"," \
	"\"label\":\"AI systems by EU AI Act category\",\"filter\":\"eu_ai_act_category\"," \
	"\"empty\":\"AI systems\",\"groups\":[{\"value\":\"high_risk\",\"count\":3}," \
	"{\"value\":\"minimal\",\"count\":9}]},{\"kind\":\"ai-systems\",\"dim\":\"stage\"," \
	"\"label\":\"AI systems by life-cycle stage\",\"filter\":\"lifecycle_stage\"," \
	"\"empty\":\"AI systems\",\"groups\":[{\"value\":\"deployment\",\"count\":5}]}]," \
	"\"upcoming\":[{\"kind\":\"documents\",\"ref\":\"DOC-1\",\"title\":\"AI policy\"," \
	"\"what\":\"review\",\"date\":\"2026-03-20\"}],\"overdue\":[{\"kind\":\"risks\"," \
	"\"ref\":\"RISK-2\",\"title\":\"Drift\",\"what\":\"review\",\"date\":\"2026-01-01\"}]," \
	"\"activity\":[{\"time\":\"2026-02-28T10:00:00Z\",\"actor\":\"user:bob@example.org\"," \
	"\"action\":\"create\",\"kind\":\"risks\",\"ref\":\"RISK-9\",\"title\":\"New risk\"}]}"

static void
test_web_pages__dashboard_charts_and_lists(void **state)
{
	struct web_ctx ctx = ctx_for(ROLE_VIEWER);
	json_t *d = load(DASH_JSON);
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	web_page_dashboard(&b, &ctx, d);
	s = buf_str(&b);
	dump("dashboard", s);
	assert_page_ok(s);
	assert_read_only(s);
	assert_non_null(strstr(s, "id=\"hm-inherent\""));
	assert_non_null(strstr(s, "id=\"hm-residual\""));
	assert_non_null(strstr(s, "href=\"/o/acme/risks?likelihood=3&amp;impact=3\""));
	assert_null(strstr(s, "residual_likelihood="));	/* no filter to link residual cells to */
	assert_non_null(strstr(s, "href=\"/o/acme/ai-systems?eu_ai_act_category=high_risk\""));
	assert_non_null(strstr(s, ">High-risk</text>"));
	assert_non_null(strstr(s, "href=\"/o/acme/ai-systems?lifecycle_stage=deployment\""));
	assert_non_null(strstr(s, ">AI systems by life-cycle stage</h2>"));
	/* Cards are named after the kind and dimension they draw. */
	assert_non_null(strstr(s, "aria-labelledby=\"d-ai-systems-category\""));
	assert_non_null(strstr(s, "aria-labelledby=\"d-hm-residual\""));
	assert_non_null(strstr(s, "20 / 38 (52%)"));
	assert_non_null(strstr(s, "10 / 30 (33%)"));
	assert_non_null(strstr(s, "href=\"/o/acme/risks/RISK-2\""));
	assert_non_null(strstr(s, "<progress max=\"12\" value=\"8\">"));
	assert_non_null(strstr(s, "New risk"));
	buf_reset(&b);
	poison(d);
	web_page_dashboard(&b, &ctx, d);
	assert_page_ok(buf_str(&b));
	buf_reset(&b);
	web_page_dashboard(&b, &ctx, NULL);		/* nothing at all */
	assert_page_ok(buf_str(&b));
	json_decref(d);
	/* An empty organisation: its declared charts, with nothing in them. */
	d = load("{\"charts\":[{\"kind\":\"ai-systems\",\"dim\":\"category\",\"label\":\"By "
	    "category\",\"filter\":\"eu_ai_act_category\",\"empty\":\"AI systems\",\"groups\":[]}]}");
	buf_reset(&b);
	web_page_dashboard(&b, &ctx, d);
	assert_page_ok(buf_str(&b));
	assert_non_null(strstr(buf_str(&b), "No AI systems yet."));
	json_decref(d);
	buf_free(&b);
}

static void
test_web_pages__sign_in_and_error_pages(void **state)
{
	struct web_sign_in si = { XSS, "Wrong email or password.", 0, CSRF, "//evil.example" };
	struct web_ctx ctx = ctx_for(ROLE_VIEWER);
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	web_page_sign_in(&b, &si);
	s = buf_str(&b);
	dump("sign-in", s);
	assert_page_ok(s);
	assert_non_null(strstr(s, "Wrong email or password."));
	assert_non_null(strstr(s, "autocomplete=\"current-password\""));
	assert_null(strstr(s, "evil.example"));		/* only local paths are kept */
	buf_reset(&b);
	si.retry_after = 125;
	si.next = "/o/acme/risks";
	web_page_sign_in(&b, &si);
	s = buf_str(&b);
	assert_non_null(strstr(s, "try again in 3 minutes"));
	assert_non_null(strstr(s, "name=\"next\" value=\"/o/acme/risks\""));
	buf_reset(&b);
	web_page_error(&b, &ctx, 404, XSS);
	assert_page_ok(buf_str(&b));
	assert_non_null(strstr(buf_str(&b), "<h1>Not found</h1>"));
	buf_reset(&b);
	web_page_error(&b, NULL, 500, "boom");
	assert_page_ok(buf_str(&b));
	assert_non_null(strstr(buf_str(&b), "Something went wrong"));
	buf_free(&b);
}

static void
test_web_pages__assets_are_compiled_in_with_versions(void **state)
{
	static const char *const names[] = { "app.css", "app.js", "icons.svg", "favicon.svg",
	    NULL };
	const struct web_asset *a;
	struct buf b = BUF_INIT;
	int i;

	(void)state;
	for (i = 0; names[i] != NULL; i++) {
		a = web_asset_find(names[i]);
		assert_non_null(a);
		assert_true(a->len > 100);
		assert_int_equal(strlen(a->version), 16);
	}
	assert_string_equal(web_asset_find("app.css")->content_type, "text/css; charset=utf-8");
	assert_string_equal(web_asset_find("app.js")->content_type,
	    "text/javascript; charset=utf-8");
	assert_null(web_asset_find("../app.css"));
	assert_null(web_asset_find(NULL));
	a = web_asset_find("app.css");
	assert_string_equal(web_asset_cache_control(a, a->version), WEB_ASSET_CACHE_LONG);
	assert_string_equal(web_asset_cache_control(a, "stale"), WEB_ASSET_CACHE_SHORT);
	web_asset_url(&b, "app.css");
	assert_true(strncmp(buf_str(&b), "/static/app.css?v=", 18) == 0);
	assert_string_equal(buf_str(&b) + 18, a->version);
	/* No inline-script habits in the script, no remote fonts in the stylesheet. */
	assert_null(strstr((const char *)web_asset_find("app.js")->data, "eval("));
	assert_null(strstr((const char *)web_asset_find("app.js")->data, "innerHTML"));
	assert_null(strstr((const char *)web_asset_find("app.css")->data, "@import"));
	assert_null(strstr((const char *)web_asset_find("app.css")->data, "url(http"));
	assert_non_null(strstr((const char *)web_asset_find("app.css")->data, "@media print"));
	/* The charts' rules are io/svg.c's, at the end of the stylesheet, and hashed with it. */
	a = web_asset_find("app.css");
	assert_non_null(strstr((const char *)a->data, svg_css));
	assert_int_equal(strlen((const char *)a->data), a->len);
	assert_string_equal((const char *)a->data + a->len - strlen(svg_css), svg_css);
	buf_free(&b);
}

static void
test_web_pages__enum_labels(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	web_enum_label(&b, "in_review");
	buf_putc(&b, '|');
	web_enum_label(&b, "high_risk");
	buf_putc(&b, '|');
	web_enum_label(&b, "eu_ai_act");
	buf_putc(&b, '|');
	web_enum_label(&b, "<b>");
	assert_string_equal(buf_str(&b), "In review|High-risk|EU AI act|&lt;b&gt;");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_web_pages__layout_nav_in_order_of_the_standard),
		cmocka_unit_test(test_web_pages__list_escapes_sorts_filters_pages),
		cmocka_unit_test(test_web_pages__list_viewer_has_no_write_buttons),
		cmocka_unit_test(test_web_pages__record_shows_fields_links_history),
		cmocka_unit_test(test_web_pages__record_views_by_role),
		cmocka_unit_test(test_web_pages__times_in_the_org_time_zone),
		cmocka_unit_test(test_web_pages__web_time_summer_and_winter),
		cmocka_unit_test(test_web_pages__workflow_steps_from_core),
		cmocka_unit_test(test_web_pages__revision_in_force_and_history),
		cmocka_unit_test(test_web_pages__stored_text_shows_as_the_tree),
		cmocka_unit_test(test_web_pages__form_has_labels_csrf_version_and_errors),
		cmocka_unit_test(test_web_pages__stale_form_shows_newer_values),
		cmocka_unit_test(test_web_pages__create_form_pickers_and_upload),
		cmocka_unit_test(test_web_pages__form_parse_urlencoded),
		cmocka_unit_test(test_web_pages__form_to_json_converts_by_type),
		cmocka_unit_test(test_web_pages__form_to_json_reports_bad_numbers),
		cmocka_unit_test(test_web_pages__soa_rows_filters_and_roles),
		cmocka_unit_test(test_web_pages__dashboard_charts_and_lists),
		cmocka_unit_test(test_web_pages__sign_in_and_error_pages),
		cmocka_unit_test(test_web_pages__assets_are_compiled_in_with_versions),
		cmocka_unit_test(test_web_pages__enum_labels),
	};

	return cmocka_run_group_tests_name("web_pages", tests, NULL, NULL);
}
