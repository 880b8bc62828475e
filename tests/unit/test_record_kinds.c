/*
 * test_record_kinds.c - unit tests of the record kind declarations
 * (core/record.h, core/record_kind.c): every declared kind is whole, the
 * check refuses what the rest of the application could not use, and every
 * kind gets what its declaration promises from each consumer: an API route,
 * an OpenAPI schema and path, a web list page, a navigation entry under its
 * section, a dashboard area (with done/total where it declares done states),
 * its due dates and its counts. A kind declared only here is counted by the
 * same code, which is how a new kind costs one declaration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/org.h"
#include "core/record.h"
#include "core/record_counts.h"
#include "core/record_private.h"
#include "engine/dashboard.h"
#include "http/api.h"
#include "http/router.h"
#include "http/webui.h"
#include "testutil.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embed.h"
#include "util/error.h"
#include "web/web.h"

static struct db *db;
static int64_t org;
static const struct actor cli = ACTOR_CLI;

static int
setup(void **state)
{
	(void)state;
	setenv("AIMS_FAKE_NOW", "2026-03-01T12:00:00Z", 1);
	if (testutil_open_db(&db, "k.db") != 0 || org_create(&org, db, &cli, "acme", "Acme") != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	testutil_close_db(db);
	return 0;
}

static json_t *
create(const char *kind, const char *json)
{
	json_error_t jerr;
	json_t *in = json_loads(json, 0, &jerr), *rec = NULL;

	assert_non_null(in);
	if (record_create(&rec, db, org, &cli, record_kind_find(kind), in) != 0)
		fail_msg("create %s: %s", kind, aims_error_message());
	json_decref(in);
	return rec;
}

static void
test_record_kinds__every_declaration_is_whole(void **state)
{
	const struct record_kind *const *k, *const *j;
	int nfiles = 0;

	(void)state;
	for (k = record_kinds; (*k)->name != NULL; k++) {
		if (record_kind_check(*k) != 0)
			fail_msg("%s", aims_error_message());
		for (j = record_kinds; j != k; j++) {
			if (strcmp((*j)->name, (*k)->name) == 0 ||
			    strcmp((*j)->prefix, (*k)->prefix) == 0)
				fail_msg("kinds %s and %s share a name or prefix", (*j)->name,
				    (*k)->name);
			if ((*k)->nav_key != 0 && (*j)->nav_key == (*k)->nav_key)
				fail_msg("kinds %s and %s share the key %c", (*j)->name, (*k)->name,
				    (*k)->nav_key);
		}
		nfiles += (*k)->files;
	}
	/* The file store (core/evidence.h) serves one kind. */
	assert_int_equal(nfiles, 1);
	assert_non_null(record_kind_with_files());
	assert_non_null(record_kind_with_evidence());
	/* Kinds of one section are listed together, so each section is one heading. */
	for (k = record_kinds; (*k)->name != NULL; k++)
		for (j = k + 1; (*j)->name != NULL; j++)
			if (strcmp((*j)->section, (*k)->section) == 0 && j != k + 1 &&
			    strcmp((*(j - 1))->section, (*k)->section) != 0)
				fail_msg("section %s is split around %s", (*k)->section,
				    (*(j - 1))->name);
}

static const char *const t_status[] = { "open", "closed", NULL };
static const char *const t_done[] = { "closed", NULL };
static const char *const t_done_bad[] = { "finished", NULL };

static const struct field t_fields[] = {
	{ .name = "title", .label = "Title", .type = FIELD_STRING, .flags = FIELD_TITLE },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM, .flags = FIELD_FILTER,
	  .values = t_status },
	{ .name = "due_on", .label = "Due", .type = FIELD_DATE, .flags = FIELD_FILTER },
	{ .name = "note", .label = "Note", .type = FIELD_TEXT },
	{ .name = "level", .label = "Level", .type = FIELD_INT, .flags = FIELD_FILTER },
	{ .name = "size", .label = "Size", .type = FIELD_INT, .flags = FIELD_FILTER },
	{ .name = "tags", .label = "Tags", .type = FIELD_STRING_LIST, .flags = FIELD_FILTER },
	{ .name = NULL },
};

static bool
t_parity(char out[RECORD_COUNT_VALUE_MAX], const json_t *record)
{
	json_int_t n = json_integer_value(json_object_get(record, "level"));

	if (!json_is_integer(json_object_get(record, "level")))
		return false;
	snprintf(out, RECORD_COUNT_VALUE_MAX, "%s", n % 2 == 0 ? "even" : "odd");
	return true;
}

static const struct record_due t_due[] = { { "due_on", "follow-up" }, { NULL, NULL } };
static const struct record_due t_due_bad[] = { { "note", "follow-up" }, { NULL, NULL } };
static const struct record_count t_counts[] = {
	{ .dim = "level", .label = "By level", .fields = { "level" },
	  .chart = RECORD_CHART_BARS },
	{ .dim = "cell", .label = "Level x size", .fields = { "level", "size" },
	  .chart = RECORD_CHART_HEATMAP },
	{ .dim = "parity", .label = "By parity", .value = t_parity },
	{ .dim = NULL },
};
static const struct record_count t_counts_bad[] = {
	{ .dim = "colour", .label = "By colour", .fields = { "colour" } },
	{ .dim = NULL },
};
static const struct record_count t_counts_unlinked[] = {
	{ .dim = "note", .label = "By note", .fields = { "note" }, .chart = RECORD_CHART_BARS },
	{ .dim = NULL },
};
static const struct record_count t_counts_list[] = {
	{ .dim = "tags", .label = "By tag", .fields = { "tags" }, .chart = RECORD_CHART_BARS },
	{ .dim = NULL },
};
static const struct record_step t_steps_bad[] = {
	{ .action = "finish", .label = "Finish", .to = "finished", .perm = PERM_WRITE },
	{ .action = NULL },
};
static const struct record_workflow t_flow_bad = { .field = "status", .initial = "open",
	.steps = t_steps_bad };
static const struct record_count t_counts_reserved[] = {
	{ .dim = "in_force", .label = "In force", .fields = { "level" } },
	{ .dim = NULL },
};
static const struct record_nav_view t_view_bad = { "Notes", NULL, "note", "x" };

#define T_KIND(...) (struct record_kind){ .name = "test-items", .singular = "test item", \
	.plural = "test items", .prefix = "TI", .clause = "9.9", .section = "Testing", \
	.perm_kind = "operational", .fields = t_fields, __VA_ARGS__ }

static void
assert_check_refuses(struct record_kind k, const char *member)
{
	assert_int_equal(record_kind_check(&k), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), member);
	assert_non_null(strstr(aims_error_message(), "test-items"));
}

static void
test_record_kinds__check_refuses_what_cannot_be_used(void **state)
{
	(void)state;
	assert_int_equal(record_kind_check(&T_KIND(.done = t_done, .due = t_due,
	    .counts = t_counts)), 0);
	assert_check_refuses(T_KIND(.done = t_done_bad), "done");
	assert_check_refuses(T_KIND(.due = t_due_bad), "due");
	assert_check_refuses(T_KIND(.counts = t_counts_bad), "counts");
	assert_check_refuses(T_KIND(.counts = t_counts_unlinked), "counts");
	assert_check_refuses(T_KIND(.counts = t_counts_list), "counts");
	assert_check_refuses(T_KIND(.counts = t_counts_reserved), "counts");
	assert_check_refuses(T_KIND(.nav_view = &t_view_bad), "nav_view");
	assert_check_refuses(T_KIND(.evidence_for = "note"), "evidence_for");
	/* The workflow is part of the declaration: one whole check. */
	assert_int_equal(record_kind_check(&T_KIND(.workflow = &t_flow_bad)), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "workflow");
	assert_non_null(strstr(aims_error_message(), "step 'finish'"));
	{
		struct record_kind k = T_KIND(.done = NULL);

		k.section = NULL;
		assert_check_refuses(k, "section");
	}
}

/* A kind declared here only is counted by its declaration, by the same code. */
static void
test_record_kinds__counts_follow_a_new_declaration(void **state)
{
	const struct record_kind k = T_KIND(.done = t_done, .counts = t_counts);
	struct record_row r = { .status = "open" };
	json_t *dims = NULL, *d;

	(void)state;
	r.data = json_pack("{s:s, s:i, s:i}", "title", "one", "level", 3, "size", 2);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(record__counts_add(db, org, &k, &r, 1), 0);
	json_object_set_new(r.data, "level", json_integer(4));
	assert_int_equal(record__counts_add(db, org, &k, &r, 1), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(record_counts_dims(&dims, db, org), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(dims,
	    "test-items/status"), "open")), 2);
	d = json_object_get(dims, "test-items/level");
	assert_int_equal(json_integer_value(json_object_get(d, "3")), 1);
	assert_int_equal(json_integer_value(json_object_get(d, "4")), 1);
	d = json_object_get(dims, "test-items/cell");
	assert_int_equal(json_integer_value(json_object_get(d, "3:2")), 1);
	assert_int_equal(json_integer_value(json_object_get(d, "4:2")), 1);
	d = json_object_get(dims, "test-items/parity");
	assert_int_equal(json_integer_value(json_object_get(d, "even")), 1);
	assert_int_equal(json_integer_value(json_object_get(d, "odd")), 1);
	json_decref(dims);
	/* Taking the record out removes the rows it alone was counted in. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(record__counts_add(db, org, &k, &r, -1), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(record_counts_dims(&dims, db, org), 0);
	assert_null(json_object_get(json_object_get(dims, "test-items/level"), "4"));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(dims,
	    "test-items/level"), "3")), 1);
	json_decref(dims);
	/* A retired record counts for nothing. */
	r.retired = true;
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(record__counts_add(db, org, &k, &r, 1), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(record_counts_dims(&dims, db, org), 0);
	assert_null(json_object_get(json_object_get(dims, "test-items/level"), "4"));
	json_decref(dims);
	json_decref(r.data);
}

static bool
t_can(const struct web_ctx *ctx, enum web_action act, const struct record_kind *k)
{
	(void)ctx;
	(void)act;
	(void)k;
	return true;
}

/* Every kind has its API route, OpenAPI schema and path, list page and nav entry. */
static void
test_record_kinds__every_kind_is_served(void **state)
{
	const struct web_ctx ctx = { .org = "acme", .org_name = "Acme", .user = "a@example.org",
	    .role = ROLE_ADMIN, .csrf = "x", .kinds = record_kinds, .can = t_can,
	    .today = "2026-03-01" };
	json_t *doc = openapi_document(), *paths = json_object_get(doc, "paths");
	const json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
	const struct record_kind *const *k;
	const struct route *r;
	const char *params[HTTP_PARAMS_MAX];
	char url[256], allow[64], *pbuf, want[300];
	struct buf page = BUF_INIT;
	const char *html;
	int code;

	(void)state;
	web_page_begin(&page, &ctx, "Dashboard", "dashboard", NULL, 0);
	web_page_end(&page, &ctx);
	html = buf_str(&page);
	for (k = record_kinds; (*k)->name != NULL; k++) {
		snprintf(url, sizeof(url), "/api/v1/orgs/acme/%s", (*k)->name);
		r = router_match("GET", url, params, &pbuf, &code, allow, sizeof(allow));
		if (r == NULL || !(r->flags & ROUTE_RECORD))
			fail_msg("kind %s: no API route %s", (*k)->name, url);
		free(pbuf);
		snprintf(url, sizeof(url), "/o/acme/%s", (*k)->name);
		r = router_match_in(webui_routes, "GET", url, params, &pbuf, &code, allow,
		    sizeof(allow));
		if (r == NULL)
			fail_msg("kind %s: no page %s", (*k)->name, url);
		free(pbuf);
		if (json_object_get(schemas, (*k)->name) == NULL)
			fail_msg("kind %s: no OpenAPI schema", (*k)->name);
		snprintf(url, sizeof(url), "/api/v1/orgs/{org}/%s", (*k)->name);
		if (json_object_get(json_object_get(paths, url), "get") == NULL)
			fail_msg("kind %s: no OpenAPI path %s", (*k)->name, url);
		snprintf(want, sizeof(want), "<a href=\"/o/acme/%s\"", (*k)->name);
		if (strstr(html, want) == NULL)
			fail_msg("kind %s: not in the navigation", (*k)->name);
		snprintf(want, sizeof(want), "<h2>%s</h2>", (*k)->section);
		if (strstr(html, want) == NULL && strchr((*k)->section, '&') == NULL)
			fail_msg("kind %s: section %s not in the navigation", (*k)->name,
			    (*k)->section);
		if ((*k)->nav_key != 0) {
			snprintf(want, sizeof(want), "data-key=\"%c\"", (*k)->nav_key);
			assert_non_null(strstr(html, want));
		}
	}
	assert_non_null(strstr(html, "<h2>Support &amp; operation</h2>"));
	/* The declared filtered view (the AI policy) comes before its kind. */
	assert_non_null(strstr(html, "?is_ai_policy=true\">AI policy"));
	assert_true(strstr(html, "?is_ai_policy=true\">") < strstr(html,
	    "<a href=\"/o/acme/documents\""));
	buf_free(&page);
	json_decref(doc);
}

static const json_t *
area_of(const json_t *d, const char *kind)
{
	const json_t *a;
	size_t i;

	json_array_foreach(json_object_get(d, "areas"), i, a)
		if (strcmp(json_string_value(json_object_get(a, "kind")), kind) == 0)
			return a;
	return NULL;
}

static bool
due_has(const json_t *d, const char *list, const char *ref, const char *what)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(d, list), i, e)
		if (strcmp(json_string_value(json_object_get(e, "ref")), ref) == 0 &&
		    strcmp(json_string_value(json_object_get(e, "what")), what) == 0)
			return true;
	return false;
}

/* The dashboard counts, finishes and lists due dates as each kind declares. */
static void
test_record_kinds__dashboard_follows_the_declarations(void **state)
{
	const struct record_kind *const *k;
	const struct record_due *due;
	const json_t *a;
	json_t *d = NULL;

	(void)state;
	json_decref(create("risks", "{\"title\":\"Drift\",\"likelihood\":2,\"impact\":2,"
	    "\"next_review\":\"2026-03-10\",\"treatment\":{\"option\":\"modify\","
	    "\"residual_likelihood\":1,\"residual_impact\":1},\"status\":\"treated\"}"));
	json_decref(create("risks", "{\"title\":\"Bias\"}"));
	json_decref(create("suppliers", "{\"name\":\"Acme Models\","
	    "\"next_assessment\":\"2026-02-01\"}"));
	json_decref(create("evidence", "{\"title\":\"Log\",\"kind\":\"link\","
	    "\"url\":\"https://example.org/l\",\"valid_until\":\"2026-03-05\"}"));
	assert_int_equal(dashboard_compute(&d, db, org, clock_now()), 0);
	for (k = record_kinds; (*k)->name != NULL; k++) {
		a = area_of(d, (*k)->name);
		if ((*k)->fixed || (*k)->singleton) {
			assert_null(a);
			continue;
		}
		if (a == NULL)
			fail_msg("kind %s has no dashboard area", (*k)->name);
		assert_string_equal(json_string_value(json_object_get(a, "section")),
		    (*k)->section);
		/* done/total exactly where the kind declares done states */
		if (((*k)->done != NULL) != (json_object_get(a, "total") != NULL))
			fail_msg("kind %s: done/total does not follow its declaration", (*k)->name);
		for (due = (*k)->due; due != NULL && due->field != NULL; due++)
			assert_non_null(record_field_find(*k, due->field));
	}
	a = area_of(d, "risks");
	assert_int_equal(json_integer_value(json_object_get(a, "count")), 2);
	assert_int_equal(json_integer_value(json_object_get(a, "done")), 1);	/* treated */
	assert_true(due_has(d, "upcoming", "RISK-1", "risk review"));
	assert_true(due_has(d, "upcoming", "EV-1", "evidence expires"));
	assert_true(due_has(d, "overdue", "SUP-1", "supplier assessment"));
	json_decref(d);
}

static void
test_record_kinds__describe_lists_the_declaration(void **state)
{
	const struct record_kind *k = record_kind_find("risks");
	json_t *j = record_kind_describe(k), *counts;
	const struct field *f;
	size_t n = 0;

	(void)state;
	for (f = k->fields; f->name != NULL; f++)
		n++;
	assert_int_equal(json_array_size(json_object_get(j, "fields")), n);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "risks");
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "done"), 0)),
	    k->done[0]);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j,
	    "due"), 0), "what")), k->due[0].what);
	counts = json_object_get(j, "counts");
	assert_string_equal(json_string_value(json_object_get(json_array_get(counts, 0), "dim")),
	    "status");
	assert_string_equal(json_string_value(json_object_get(json_array_get(counts, 1), "chart")),
	    "heatmap");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "nav"),
	    "section")), k->section);
	assert_true(json_is_true(json_object_get(j, "retain")) == k->retain);
	json_decref(j);
	j = record_kind_describe(record_kind_find("evidence"));
	assert_true(json_is_true(json_object_get(j, "files")));
	assert_string_equal(json_string_value(json_object_get(j, "evidence_for")), "requirements");
	json_decref(j);
}

/*
 * Migration 110 removes the record_fields rows of reference fields, which
 * are filtered through their links since: every field it names must be one
 * that record__field_linked() keeps out of record_fields (a filterable,
 * not sortable reference), or it would delete rows lists still read; and it
 * names every such field declared when it was written (47).
 */
static void
test_record_kinds__linked_filters_migration(void **state)
{
	const struct embed_file *m = embed_find(schema_files, "110_linked_filters.sql");
	const struct record_kind *k;
	const struct field *f;
	char kind[64], field[64];
	const char *p, *end;
	int named = 0;

	(void)state;
	assert_non_null(m);
	for (p = (const char *)m->data; (p = strstr(p, "(kind = '")) != NULL; ) {
		assert_int_equal(sscanf(p, "(kind = '%63[^']' AND field IN (", kind), 1);
		assert_non_null(k = record_kind_find(kind));
		p = strstr(p, "field IN (") + strlen("field IN (");
		end = strchr(p, ')');
		assert_non_null(end);
		while (p < end && sscanf(p, " '%63[^']'", field) == 1) {
			f = record_field_find(k, field);
			assert_non_null(f);
			assert_true(f->flags & FIELD_FILTER);
			assert_null(record__field_column(k, f));
			assert_true(record__field_linked(f));
			named++;
			p = strchr(strchr(p, '\'') + 1, '\'') + 1;
			p += strspn(p, ", ");
		}
	}
	assert_int_equal(named, 47);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_kinds__every_declaration_is_whole),
		cmocka_unit_test(test_record_kinds__check_refuses_what_cannot_be_used),
		cmocka_unit_test(test_record_kinds__counts_follow_a_new_declaration),
		cmocka_unit_test(test_record_kinds__every_kind_is_served),
		cmocka_unit_test(test_record_kinds__dashboard_follows_the_declarations),
		cmocka_unit_test(test_record_kinds__describe_lists_the_declaration),
		cmocka_unit_test(test_record_kinds__linked_filters_migration),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
