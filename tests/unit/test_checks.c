/* test_checks.c - unit tests for src/engine/checks.c: each check kind passing and failing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/query.h"
#include "engine/checks.h"
#include "readiness_fixture.h"
#include "util/clock.h"

static json_t *fx_vars;

/* Runs the check (JSON text) for org 1; the result is left in *r. */
static void
run(struct check_result *r, struct db *db, const char *check_json)
{
	struct query_scope s;
	struct check_env env;
	json_error_t jerr;
	json_t *check = json_loads(check_json, 0, &jerr);
	time_t now;

	if (check == NULL)
		fail_msg("bad test JSON: %s", jerr.text);
	clock_parse(&now, FX_NOW);
	query_scope_init(&s, db, FX_ORG, now, fx_vars);
	env.scope = &s;
	env.refs_max = 2;
	if (check_run(r, &env, check) != 0)
		fail_msg("check failed to run: %s", aims_error_message());
	json_decref(check);
}

static void
assert_finding(const struct check_result *r, const char *code, int64_t count,
    const char *first_ref)
{
	size_t i;

	assert_int_equal(r->status, CHECK_FAIL);
	for (i = 0; i < r->nfindings; i++) {
		if (strcmp(r->findings[i].code, code) != 0)
			continue;
		assert_int_equal(r->findings[i].count, count);
		if (first_ref)
			assert_string_equal(json_string_value(json_array_get(r->findings[i].refs, 0)),
			    first_ref);
		return;
	}
	fail_msg("no finding %s", code);
}

static void
test_checks__not_recorded_yet_always_fails(void **state)
{
	struct db *db = fx_open();
	struct check_result r;

	(void)state;
	run(&r, db, "{\"kind\": \"not_recorded_yet\", \"what\": \"internal audits\"}");
	assert_finding(&r, "nothing_recorded", 0, NULL);
	assert_true(r.score == 0.0);
	check_result_free(&r);
	db_close(db);
}

static void
test_checks__exists(void **state)
{
	struct db *db = fx_open();
	const char *approved_scope = "{\"kind\": \"exists\", \"records\": \"scope\", "
	    "\"where\": [{\"field\": \"status\", \"eq\": \"approved\"}]}";
	struct check_result r;

	(void)state;
	run(&r, db, approved_scope);
	assert_finding(&r, "missing", 0, NULL);
	check_result_free(&r);
	fx_put(db, "scope", "SCOPE", "{\"statement\": \"All AI\", \"status\": \"draft\"}");
	run(&r, db, approved_scope);
	assert_int_equal(r.status, CHECK_FAIL);
	check_result_free(&r);
	fx_put(db, "scope", "SCOPE", "{\"statement\": \"All AI\", \"status\": \"approved\"}");
	run(&r, db, approved_scope);
	assert_int_equal(r.status, CHECK_PASS);
	assert_true(r.score == 1.0);
	check_result_free(&r);
	run(&r, db, "{\"kind\": \"exists\", \"records\": \"scope\", \"min\": 2}");
	assert_finding(&r, "missing", 1, NULL);
	check_result_free(&r);
	db_close(db);
}

static void
test_checks__none_failing_with_codes(void **state)
{
	struct db *db = fx_open();
	const char *check = "{\"kind\": \"none_failing\", \"records\": \"ai-systems\", "
	    "\"where\": [{\"field\": \"in_scope\", \"eq\": true}], \"fail_when\": {"
	    "\"none\": [{\"not\": {\"linked_from\": {\"kind\": \"impact-assessments\"}}}], "
	    "\"not_approved\": [{\"not\": {\"linked_from\": {\"kind\": \"impact-assessments\", "
	    "\"where\": [{\"field\": \"status\", \"eq\": \"approved\"}]}}}]}, \"empty\": \"no_systems\"}";
	struct check_result r;

	(void)state;
	run(&r, db, check);
	assert_finding(&r, "no_systems", 0, NULL);
	check_result_free(&r);
	fx_put(db, "ai-systems", "AIS-1", "{\"name\": \"a\", \"in_scope\": true}");
	fx_put(db, "ai-systems", "AIS-2", "{\"name\": \"b\", \"in_scope\": true}");
	fx_put(db, "ai-systems", "AIS-3", "{\"name\": \"c\", \"in_scope\": true}");
	fx_put(db, "ai-systems", "AIS-4", "{\"name\": \"d\", \"in_scope\": true}");
	fx_put(db, "ai-systems", "AIS-5", "{\"name\": \"out\", \"in_scope\": false}");
	fx_put(db, "impact-assessments", "IA-1", "{\"ai_system\": \"AIS-2\", \"status\": \"draft\"}");
	fx_put(db, "impact-assessments", "IA-2", "{\"ai_system\": \"AIS-3\", \"status\": "
	    "\"approved\"}");
	run(&r, db, check);
	assert_int_equal(r.total, 4);
	assert_int_equal(r.failed, 3);
	/* First matching code wins: AIS-1 and AIS-4 have none, AIS-2 only a draft. */
	assert_finding(&r, "none", 2, "AIS-1");
	assert_int_equal(json_array_size(r.findings[0].refs), 2);
	assert_finding(&r, "not_approved", 1, "AIS-2");
	assert_true(r.score > 0.24 && r.score < 0.26);
	check_result_free(&r);
	fx_put(db, "impact-assessments", "IA-3", "{\"ai_system\": \"AIS-1\", \"status\": "
	    "\"approved\"}");
	fx_put(db, "impact-assessments", "IA-4", "{\"ai_system\": \"AIS-4\", \"status\": "
	    "\"approved\"}");
	fx_put(db, "impact-assessments", "IA-1", "{\"ai_system\": \"AIS-2\", \"status\": "
	    "\"approved\"}");
	run(&r, db, check);
	assert_int_equal(r.status, CHECK_PASS);
	assert_int_equal(r.total, 4);
	check_result_free(&r);
	db_close(db);
}

static void
test_checks__none_failing_list_and_empty_pass(void **state)
{
	struct db *db = fx_open();
	const char *check = "{\"kind\": \"none_failing\", \"records\": \"responsibilities\", "
	    "\"fail_when\": [{\"field\": \"assignee\", \"set\": false}]}";
	struct check_result r;

	(void)state;
	run(&r, db, check);
	assert_int_equal(r.status, CHECK_NA);	/* nothing to examine without "empty" */
	check_result_free(&r);
	fx_put(db, "responsibilities", "ROLE-1", "{\"role_name\": \"AIMS manager\", "
	    "\"assignee\": \"alice@example.org\"}");
	fx_put(db, "responsibilities", "ROLE-2", "{\"role_name\": \"Risk owner\"}");
	run(&r, db, check);
	assert_finding(&r, "failing", 1, "ROLE-2");
	check_result_free(&r);
	db_close(db);
}

static void
test_checks__current_approved(void **state)
{
	struct db *db = fx_open();
	const char *check = "{\"kind\": \"current_approved\", \"records\": \"documents\", "
	    "\"where\": [{\"field\": \"is_ai_policy\", \"eq\": true}]}";
	struct check_result r;

	(void)state;
	run(&r, db, check);
	assert_finding(&r, "missing", 0, NULL);
	check_result_free(&r);
	fx_put(db, "documents", "DOC-1", "{\"title\": \"Handbook\", \"kind\": \"other\", "
	    "\"status\": \"approved\"}");
	fx_put(db, "documents", "DOC-2", "{\"title\": \"AI policy\", \"kind\": \"policy\", "
	    "\"is_ai_policy\": true, \"status\": \"in_review\"}");
	run(&r, db, check);
	assert_finding(&r, "not_approved", 1, "DOC-2");
	check_result_free(&r);
	fx_put(db, "documents", "DOC-2", "{\"title\": \"AI policy\", \"kind\": \"policy\", "
	    "\"is_ai_policy\": true, \"status\": \"approved\", \"next_review\": \"2026-02-28\"}");
	run(&r, db, check);
	assert_finding(&r, "overdue", 1, "DOC-2");
	check_result_free(&r);
	fx_put(db, "documents", "DOC-2", "{\"title\": \"AI policy\", \"kind\": \"policy\", "
	    "\"is_ai_policy\": true, \"status\": \"approved\", \"next_review\": \"2026-03-01\"}");
	run(&r, db, check);
	assert_int_equal(r.status, CHECK_PASS);
	check_result_free(&r);
	db_close(db);
}

static void
test_checks__org_ai_roles(void **state)
{
	struct db *db = fx_open();
	struct check_result r;

	(void)state;
	run(&r, db, "{\"kind\": \"org_ai_roles\"}");
	assert_finding(&r, "missing", 0, NULL);
	check_result_free(&r);
	fx_exec(db, "UPDATE orgs SET ai_roles = '[\"provider\", \"customer\"]' WHERE id = 1");
	run(&r, db, "{\"kind\": \"org_ai_roles\"}");
	assert_int_equal(r.status, CHECK_PASS);
	check_result_free(&r);
	run(&r, db, "{\"kind\": \"org_ai_roles\", \"min\": 3}");
	assert_int_equal(r.status, CHECK_FAIL);
	check_result_free(&r);
	db_close(db);
}

/*
 * Stores version 1 of the SoA as soa_publish() would with every control
 * undecided: the rows built here, in control order, for either store.
 */
static void
publish_undecided(struct db *db)
{
	struct db_stmt *st;
	json_t *rows = json_array();
	char *text;

	assert_int_equal(db_prepare(&st, db, "SELECT id, title FROM requirements "
	    "WHERE framework = 'iso42001' AND kind = 'control' ORDER BY position"), 0);
	while (db_step(st) == DB_ROW)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:n, s:s, s:s, s:s, s:[]}",
		    "control", db_column_text(st, 0), "title", db_column_text(st, 1),
		    "applicable", "justification", "", "status", "not_started", "owner", "",
		    "measures"));
	db_done(st);
	text = json_dumps(rows, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_int_equal(db_prepare(&st, db, "INSERT INTO soa_versions (org_id, version, "
	    "published_at, published_by, approver, edition, rows) VALUES (1, 1, "
	    "'2026-02-01T00:00:00Z', 'cli', 'alice@example.org', 'ISO/IEC 42001:2023', ?)"), 0);
	db_bind_text(st, 1, text);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	free(text);
	json_decref(rows);
}

static void
test_checks__soa_published(void **state)
{
	struct db *db = fx_open();
	struct check_result r;

	(void)state;
	fx_soa_init(db, FX_ORG);
	run(&r, db, "{\"kind\": \"soa_published\"}");
	assert_finding(&r, "never_published", 0, NULL);
	check_result_free(&r);
	/* A published version (as soa_publish() stores it) equal to the draft. */
	publish_undecided(db);
	run(&r, db, "{\"kind\": \"soa_published\", \"unchanged\": true}");
	assert_int_equal(r.status, CHECK_PASS);
	check_result_free(&r);
	fx_put(db, "soa", "A.7.4", "{\"control\": \"A.7.4\", \"applicable\": true, "
	    "\"justification\": \"We train models\", \"status\": \"planned\"}");
	run(&r, db, "{\"kind\": \"soa_published\", \"unchanged\": true}");
	assert_finding(&r, "changed", 1, "A.7.4");
	check_result_free(&r);
	run(&r, db, "{\"kind\": \"soa_published\"}");
	assert_int_equal(r.status, CHECK_PASS);
	check_result_free(&r);
	db_close(db);
}

static void
test_checks__missing_variable_is_a_finding(void **state)
{
	struct db *db = fx_open();
	const char *check = "{\"kind\": \"none_failing\", \"records\": \"risks\", \"where\": "
	    "[{\"field\": \"inherent_score\", \"gt\": \"$threshold\"}], \"fail_when\": "
	    "[{\"field\": \"accepted_by\", \"set\": false}]}";
	struct check_result r;

	(void)state;
	fx_put(db, "risks", "RISK-1", "{\"title\": \"x\", \"inherent_score\": 12}");
	fx_vars = json_pack("{s:n}", "threshold");
	run(&r, db, check);
	assert_finding(&r, "no_value", 0, NULL);
	check_result_free(&r);
	json_decref(fx_vars);
	fx_vars = json_pack("{s:i}", "threshold", 9);
	run(&r, db, check);
	assert_finding(&r, "failing", 1, "RISK-1");
	check_result_free(&r);
	json_decref(fx_vars);
	fx_vars = json_pack("{s:i}", "threshold", 12);
	run(&r, db, check);
	assert_int_equal(r.status, CHECK_NA);
	check_result_free(&r);
	json_decref(fx_vars);
	fx_vars = NULL;
	db_close(db);
}

static void
test_checks__validation(void **state)
{
	static const char *const bad[] = {
		"{\"kind\": \"nope\"}",
		"{\"kind\": \"exists\"}",
		"{\"kind\": \"exists\", \"records\": \"risks\", \"fail_when\": []}",
		"{\"kind\": \"exists\", \"records\": \"risks\", \"min\": -1}",
		"{\"kind\": \"none_failing\", \"records\": \"risks\"}",
		"{\"kind\": \"none_failing\", \"records\": \"risks\", \"fail_when\": {}}",
		"{\"kind\": \"none_failing\", \"records\": \"risks\", \"fail_when\": "
		    "[{\"field\": \"x\", \"bogus\": 1}]}",
		"{\"kind\": \"not_recorded_yet\"}",
		"{\"kind\": \"current_approved\", \"records\": \"documents\", \"approved\": 3}",
		/* a kind nothing declares */
		"{\"kind\": \"exists\", \"records\": \"riskz\"}",
		NULL,
	};
	const char *const *b;
	json_error_t jerr;
	json_t *c;

	(void)state;
	for (b = bad; *b; b++) {
		c = json_loads(*b, 0, &jerr);
		if (check_validate(c) == 0)
			fail_msg("accepted: %s", *b);
		json_decref(c);
	}
}

static void
assert_same_result(const struct check_result *a, const struct check_result *b)
{
	size_t i;

	assert_int_equal(a->status, b->status);
	assert_int_equal(a->total, b->total);
	assert_int_equal(a->failed, b->failed);
	assert_true(a->score == b->score);
	assert_int_equal(a->nfindings, b->nfindings);
	for (i = 0; i < a->nfindings; i++) {
		assert_string_equal(a->findings[i].code, b->findings[i].code);
		assert_int_equal(a->findings[i].count, b->findings[i].count);
		assert_true(json_equal(a->findings[i].refs, b->findings[i].refs));
	}
}

static void
test_checks__one_pass_equals_one_by_one(void **state)
{
	static const char *const texts[] = {
		"{\"kind\": \"exists\", \"records\": \"risks\"}",
		"{\"kind\": \"exists\", \"records\": \"risks\", \"min\": 5}",
		"{\"kind\": \"none_failing\", \"records\": \"risks\", \"where\": [{\"field\": "
		    "\"inherent_score\", \"gt\": \"$threshold\"}], \"fail_when\": {\"untreated\": "
		    "[{\"field\": \"treatment.option\", \"set\": false}], \"unaccepted\": "
		    "[{\"field\": \"accepted_by\", \"set\": false}]}}",
		"{\"kind\": \"none_failing\", \"records\": \"risks\", \"fail_when\": "
		    "[{\"field\": \"next_review\", \"past\": true}]}",
		"{\"kind\": \"none_failing\", \"records\": \"risks\", \"where\": [{\"field\": "
		    "\"status\", \"eq\": \"closed\"}], \"fail_when\": [{\"field\": \"title\", "
		    "\"set\": false}], \"empty\": \"none_closed\"}",
		"{\"kind\": \"none_failing\", \"records\": \"risks\", \"fail_when\": "
		    "[{\"field\": \"tags\", \"contains\": \"legacy\"}]}",
		"{\"kind\": \"none_failing\", \"records\": \"risks\", \"where\": [{\"field\": "
		    "\"status\", \"eq\": \"nothing\"}], \"fail_when\": [{\"field\": \"title\", "
		    "\"set\": false}]}",
	};
	enum { N = sizeof(texts) / sizeof(texts[0]) };
	struct check_result one[N], all[N];
	const json_t *checks[N];
	json_t *parsed[N];
	struct query_scope s;
	struct check_env env;
	json_error_t jerr;
	struct db *db = fx_open();
	time_t now;
	size_t i;

	(void)state;
	fx_put(db, "risks", "RISK-1", "{\"title\": \"a\", \"inherent_score\": 16, "
	    "\"next_review\": \"2026-01-01\", \"tags\": [\"legacy\"]}");
	fx_put(db, "risks", "RISK-2", "{\"title\": \"b\", \"inherent_score\": 12, "
	    "\"treatment\": {\"option\": \"modify\"}, \"next_review\": \"2027-01-01\"}");
	fx_put(db, "risks", "RISK-3", "{\"title\": \"c\", \"inherent_score\": 4}");
	fx_put(db, "risks", "RISK-4", "{\"title\": \"d\", \"inherent_score\": 20, "
	    "\"accepted_by\": \"x\", \"treatment\": {\"option\": \"retain\"}}");
	fx_vars = json_pack("{s:i}", "threshold", 9);
	clock_parse(&now, FX_NOW);
	query_scope_init(&s, db, FX_ORG, now, fx_vars);
	env.scope = &s;
	env.refs_max = 2;
	for (i = 0; i < N; i++) {
		parsed[i] = json_loads(texts[i], 0, &jerr);
		assert_non_null(parsed[i]);
		checks[i] = parsed[i];
		assert_true(check_batchable(checks[i]));
		assert_int_equal(check_run(&one[i], &env, checks[i]), 0);
	}
	assert_int_equal(check_run_batch(all, &env, checks, N), 0);
	assert_finding(&all[2], "untreated", 1, "RISK-1");
	assert_finding(&all[2], "unaccepted", 1, "RISK-2");
	assert_finding(&all[4], "none_closed", 0, NULL);
	assert_finding(&all[5], "failing", 1, "RISK-1");
	assert_int_equal(all[6].status, CHECK_NA);
	for (i = 0; i < N; i++) {
		assert_same_result(&one[i], &all[i]);
		check_result_free(&one[i]);
		check_result_free(&all[i]);
	}
	/* A check about one named record does not share a pass. */
	json_decref(parsed[0]);
	parsed[0] = json_loads("{\"kind\": \"exists\", \"records\": \"soa\", \"where\": "
	    "[{\"field\": \"ref\", \"eq\": \"$control\"}]}", 0, &jerr);
	assert_false(check_batchable(parsed[0]));
	for (i = 0; i < N; i++)
		json_decref(parsed[i]);
	json_decref(fx_vars);
	fx_vars = NULL;
	db_close(db);
}

/* any: one alternative passing is enough; else the first failing one speaks. */
static void
test_checks__any(void **state)
{
	struct db *db = fx_open();
	struct check_result r;
	json_t *bad;
	const char *chk = "{\"kind\": \"any\", \"checks\": ["
	    "{\"kind\": \"exists\", \"records\": \"measures\"},"
	    "{\"kind\": \"exists\", \"records\": \"evidence\", \"where\": [{\"links_to\": "
	    "{\"kind\": \"requirement\", \"ref\": \"A.8.2\"}}, {\"field\": \"valid_until\", "
	    "\"past\": false}]}]}";

	(void)state;
	run(&r, db, chk);
	assert_finding(&r, "missing", 0, NULL);
	check_result_free(&r);
	fx_put(db, "evidence", "EV-1", "{\"title\": \"Guide\", \"requirements\": [\"A.8.2\"], "
	    "\"valid_until\": \"2026-01-01\"}");
	run(&r, db, chk);
	assert_int_equal(r.status, CHECK_FAIL);	/* expired */
	check_result_free(&r);
	fx_put(db, "evidence", "EV-1", "{\"title\": \"Guide\", \"requirements\": [\"A.8.2\"], "
	    "\"valid_until\": \"2027-01-01\"}");
	run(&r, db, chk);
	assert_int_equal(r.status, CHECK_PASS);
	check_result_free(&r);
	/* Another organisation's evidence does not count. */
	fx_put(db, "evidence", "EV-1", "{\"title\": \"Guide\", \"requirements\": [\"A.8.2\"], "
	    "\"valid_until\": \"2026-01-01\"}");
	fx_put_org(db, FX_OTHER_ORG, "evidence", "EV-7", "{\"title\": \"Theirs\", "
	    "\"requirements\": [\"A.8.2\"], \"valid_until\": \"2027-01-01\"}");
	run(&r, db, chk);
	assert_int_equal(r.status, CHECK_FAIL);
	check_result_free(&r);
	/* An any takes 2 to 4 checks, none of them an any. */
	bad = json_pack("{s:s, s:[{s:s}]}", "kind", "any", "checks", "kind", "concern_channel");
	assert_int_equal(check_validate(bad), AIMS_EINVALID);
	json_decref(bad);
	bad = json_pack("{s:s, s:[{s:s}, {s:s, s:[]}]}", "kind", "any", "checks", "kind",
	    "concern_channel", "kind", "any", "checks");
	assert_int_equal(check_validate(bad), AIMS_EINVALID);
	json_decref(bad);
	db_close(db);
}

/* exists of records linked to a requirement: counted from its links, up to min. */
static void
test_checks__exists_linked_to_a_requirement(void **state)
{
	struct db *db = fx_open();
	struct check_result r;
	char ref[16], json[160];
	int i;

	(void)state;
	for (i = 1; i <= 5; i++) {
		snprintf(ref, sizeof(ref), "EV-%d", i);
		snprintf(json, sizeof(json), "{\"title\": \"E%d\", \"requirements\": [\"7.1\"], "
		    "\"valid_until\": \"%s\"}", i, i < 4 ? "2026-01-01" : "2027-01-01");
		fx_put(db, "evidence", ref, json);
	}
	run(&r, db, "{\"kind\": \"exists\", \"records\": \"evidence\", \"min\": 2, \"where\": "
	    "[{\"links_to\": {\"kind\": \"requirement\", \"ref\": \"7.1\"}}, "
	    "{\"field\": \"valid_until\", \"past\": false}]}");
	assert_int_equal(r.status, CHECK_PASS);
	assert_int_equal(r.total, 2);
	check_result_free(&r);
	run(&r, db, "{\"kind\": \"exists\", \"records\": \"evidence\", \"min\": 3, \"where\": "
	    "[{\"links_to\": {\"kind\": \"requirement\", \"ref\": \"7.1\"}}, "
	    "{\"field\": \"valid_until\", \"past\": false}]}");
	assert_finding(&r, "missing", 2, NULL);
	check_result_free(&r);
	fx_retire(db, "evidence", "EV-5");
	run(&r, db, "{\"kind\": \"exists\", \"records\": \"evidence\", \"min\": 2, \"where\": "
	    "[{\"links_to\": {\"kind\": \"requirement\", \"ref\": \"7.1\"}}, "
	    "{\"field\": \"valid_until\", \"past\": false}]}");
	assert_int_equal(r.status, CHECK_FAIL);
	check_result_free(&r);
	db_close(db);
}

/* org_ai_roles: declared, or derived from the systems; undeclared roles found. */
static void
test_checks__org_ai_roles_derived_and_declared(void **state)
{
	struct db *db = fx_open();
	struct check_result r;

	(void)state;
	run(&r, db, "{\"kind\": \"org_ai_roles\"}");
	assert_finding(&r, "missing", 0, NULL);
	check_result_free(&r);
	fx_put(db, "ai-systems", "AIS-1", "{\"name\": \"Chat\", \"in_scope\": true, "
	    "\"org_role\": \"customer\"}");
	fx_put(db, "ai-systems", "AIS-2", "{\"name\": \"Old\", \"in_scope\": true, "
	    "\"org_role\": \"producer\", \"lifecycle_stage\": \"retirement\"}");
	run(&r, db, "{\"kind\": \"org_ai_roles\"}");
	assert_int_equal(r.status, CHECK_PASS);
	check_result_free(&r);
	assert_int_equal(db_exec(db, "UPDATE orgs SET ai_roles = '[\"provider\"]' WHERE id = 1"), 0);
	run(&r, db, "{\"kind\": \"org_ai_roles\"}");
	assert_finding(&r, "undeclared", 1, "customer");	/* the retired producer is not */
	check_result_free(&r);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checks__any),
		cmocka_unit_test(test_checks__exists_linked_to_a_requirement),
		cmocka_unit_test(test_checks__org_ai_roles_derived_and_declared),
		cmocka_unit_test(test_checks__not_recorded_yet_always_fails),
		cmocka_unit_test(test_checks__exists),
		cmocka_unit_test(test_checks__none_failing_with_codes),
		cmocka_unit_test(test_checks__none_failing_list_and_empty_pass),
		cmocka_unit_test(test_checks__current_approved),
		cmocka_unit_test(test_checks__org_ai_roles),
		cmocka_unit_test(test_checks__soa_published),
		cmocka_unit_test(test_checks__missing_variable_is_a_finding),
		cmocka_unit_test(test_checks__validation),
		cmocka_unit_test(test_checks__one_pass_equals_one_by_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
