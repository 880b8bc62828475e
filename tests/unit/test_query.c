/* test_query.c - unit tests for src/core/query.c: the condition grammar as SQL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/query.h"
#include "readiness_fixture.h"
#include "util/clock.h"

struct hits {
	char	 refs[512];
	int	 n;
	int	 flagged;
};

static int
collect(void *arg, const char *ref, const bool *flags)
{
	struct hits *h = arg;

	if (h->n++)
		strcat(h->refs, " ");
	strcat(h->refs, ref);
	if (flags && flags[0])
		h->flagged++;
	return 0;
}

/* The refs of kind matching where (JSON text), space separated. */
static const char *
match(struct db *db, const char *kind, const char *where_json, const json_t *vars)
{
	static struct hits h;
	struct query_scope s;
	json_error_t jerr;
	json_t *where = json_loads(where_json, 0, &jerr);
	time_t now;

	assert_non_null(where);
	memset(&h, 0, sizeof(h));
	clock_parse(&now, FX_NOW);
	query_scope_init(&s, db, FX_ORG, now, vars);
	assert_int_equal(query_select(&s, kind, where, NULL, 0, collect, &h), 0);
	json_decref(where);
	return h.refs;
}

static struct db *
setup_systems(void)
{
	struct db *db = fx_open();

	fx_put(db, "ai-systems", "AIS-1", "{\"name\": \"Chat\", \"in_scope\": true, "
	    "\"lifecycle_stage\": \"deployment\", \"eu_ai_act_roles\": [\"deployer\"], "
	    "\"components\": [{\"kind\": \"model\", \"name\": \"m\"}], \"owner\": \"a@x.org\"}");
	fx_put(db, "ai-systems", "AIS-2", "{\"name\": \"Scoring\", \"in_scope\": false, "
	    "\"lifecycle_stage\": \"design_development\", \"components\": [], \"owner\": \"\"}");
	fx_put(db, "ai-systems", "AIS-3", "{\"name\": \"Vision\", \"in_scope\": true, "
	    "\"lifecycle_stage\": \"retirement\"}");
	fx_put(db, "risks", "RISK-1", "{\"title\": \"Bias\", \"ai_systems\": [\"AIS-1\"], "
	    "\"likelihood\": 4, \"impact\": 4, \"inherent_score\": 16, \"next_review\": "
	    "\"2026-02-01\", \"treatment\": {\"option\": \"modify\", \"measures\": [\"MEAS-1\"]}}");
	fx_put(db, "risks", "RISK-2", "{\"title\": \"Drift\", \"ai_systems\": [\"AIS-2\"], "
	    "\"likelihood\": 1, \"impact\": 2, \"inherent_score\": 2, \"next_review\": "
	    "\"2026-06-01\"}");
	fx_put(db, "measures", "MEAS-1", "{\"title\": \"Fairness tests\", \"status\": "
	    "\"implemented\", \"requirements\": [\"A.7.4\"]}");
	fx_put(db, "ai-systems", "AIS-4", "{\"name\": \"Elsewhere\", \"in_scope\": true}");
	fx_put_org(db, FX_OTHER_ORG, "ai-systems", "AIS-9", "{\"name\": \"Theirs\", "
	    "\"in_scope\": true}");
	fx_retire(db, "ai-systems", "AIS-4");
	return db;
}

static void
test_query__compare_and_missing_fields(void **state)
{
	struct db *db = setup_systems();

	(void)state;
	assert_string_equal(match(db, "ai-systems", "[{\"field\": \"in_scope\", \"eq\": true}]", NULL),
	    "AIS-1 AIS-3");
	/* A missing field is "not equal" to anything. */
	assert_string_equal(match(db, "ai-systems",
	    "[{\"field\": \"lifecycle_stage\", \"ne\": \"retirement\"}]", NULL), "AIS-1 AIS-2");
	assert_string_equal(match(db, "risks", "[{\"field\": \"inherent_score\", \"gt\": 9}]", NULL),
	    "RISK-1");
	assert_string_equal(match(db, "risks", "[{\"field\": \"inherent_score\", \"lte\": 2}]", NULL),
	    "RISK-2");
	assert_string_equal(match(db, "ai-systems", "[{\"field\": \"lifecycle_stage\", \"in\": "
	    "[\"deployment\", \"retirement\"]}]", NULL), "AIS-1 AIS-3");
	assert_string_equal(match(db, "ai-systems", "[{\"field\": \"lifecycle_stage\", \"not_in\": "
	    "[\"deployment\"]}]", NULL), "AIS-2 AIS-3");
	/* Columns and nested paths. */
	assert_string_equal(match(db, "ai-systems", "[{\"field\": \"ref\", \"eq\": \"AIS-2\"}]",
	    NULL), "AIS-2");
	assert_string_equal(match(db, "risks", "[{\"field\": \"treatment.option\", \"eq\": "
	    "\"modify\"}]", NULL), "RISK-1");
	db_close(db);
}

static void
test_query__set_past_older_contains(void **state)
{
	struct db *db = setup_systems();

	(void)state;
	assert_string_equal(match(db, "ai-systems", "[{\"field\": \"components\", \"set\": true}]",
	    NULL), "AIS-1");
	assert_string_equal(match(db, "ai-systems", "[{\"field\": \"owner\", \"set\": false}]",
	    NULL), "AIS-2 AIS-3");
	/* Today is 2026-03-01. */
	assert_string_equal(match(db, "risks", "[{\"field\": \"next_review\", \"past\": true}]",
	    NULL), "RISK-1");
	assert_string_equal(match(db, "risks", "[{\"field\": \"next_review\", \"past\": false}]",
	    NULL), "RISK-2");
	assert_string_equal(match(db, "ai-systems", "[{\"field\": \"next_review\", \"past\": false}]",
	    NULL), "AIS-1 AIS-2 AIS-3");
	assert_string_equal(match(db, "risks", "[{\"field\": \"next_review\", "
	    "\"older_than_days\": 27}]", NULL), "RISK-1");
	assert_string_equal(match(db, "risks", "[{\"field\": \"next_review\", "
	    "\"older_than_days\": 28}]", NULL), "");
	assert_string_equal(match(db, "ai-systems", "[{\"field\": \"eu_ai_act_roles\", "
	    "\"contains\": \"deployer\"}]", NULL), "AIS-1");
	db_close(db);
}

/* "justified": the limits of core/justify.c, compiled into SQL; absent is not. */
static void
test_query__justified(void **state)
{
	struct db *db = fx_open();
	json_t *bad;

	(void)state;
	fx_put(db, "soa", "A.2.2", "{\"control\": \"A.2.2\", \"justification\": \"N/A\"}");
	fx_put(db, "soa", "A.2.3", "{\"control\": \"A.2.3\", \"justification\": "
	    "\"  Not applicable. \"}");
	fx_put(db, "soa", "A.2.4", "{\"control\": \"A.2.4\", \"justification\": \"Needed.\"}");
	fx_put(db, "soa", "A.3.2", "{\"control\": \"A.3.2\", \"justification\": "
	    "\"We allocate AI roles to named people\"}");
	fx_put(db, "soa", "A.3.3", "{\"control\": \"A.3.3\"}");
	fx_put(db, "soa", "A.4.2", "{\"control\": \"A.4.2\", \"justification\": "
	    "\"-----------------\"}");
	assert_string_equal(match(db, "soa", "[{\"field\": \"justification\", \"justified\": "
	    "true}]", NULL), "A.3.2");
	assert_string_equal(match(db, "soa", "[{\"field\": \"justification\", \"justified\": "
	    "false}]", NULL), "A.2.2 A.2.3 A.2.4 A.3.3 A.4.2");
	bad = json_pack("[{s:s, s:s}]", "field", "justification", "justified", "yes");
	assert_int_equal(query_conds_check(bad), AIMS_EINVALID);
	json_decref(bad);
	db_close(db);
}

static void
test_query__any_all_not(void **state)
{
	struct db *db = setup_systems();

	(void)state;
	assert_string_equal(match(db, "ai-systems", "[{\"any\": [{\"field\": \"ref\", \"eq\": "
	    "\"AIS-1\"}, {\"field\": \"ref\", \"eq\": \"AIS-3\"}]}]", NULL), "AIS-1 AIS-3");
	assert_string_equal(match(db, "ai-systems", "[{\"not\": {\"field\": \"in_scope\", "
	    "\"eq\": true}}]", NULL), "AIS-2");
	/* "not" of a comparison on a missing field is true, not unknown. */
	assert_string_equal(match(db, "ai-systems", "[{\"not\": {\"field\": \"eu_ai_act_category\", "
	    "\"eq\": \"high_risk\"}}]", NULL), "AIS-1 AIS-2 AIS-3");
	assert_string_equal(match(db, "ai-systems", "[{\"all\": []}, {\"any\": []}]", NULL), "");
	db_close(db);
}

static void
test_query__links_both_ways(void **state)
{
	struct db *db = setup_systems();

	(void)state;
	assert_string_equal(match(db, "ai-systems", "[{\"linked_from\": {\"kind\": \"risks\", "
	    "\"field\": \"ai_systems\"}}]", NULL), "AIS-1 AIS-2");
	assert_string_equal(match(db, "ai-systems", "[{\"linked_from\": {\"kind\": \"risks\", "
	    "\"where\": [{\"field\": \"inherent_score\", \"gt\": 9}]}}]", NULL), "AIS-1");
	assert_string_equal(match(db, "ai-systems", "[{\"not\": {\"linked_from\": {\"kind\": "
	    "\"risks\"}}}]", NULL), "AIS-3");
	assert_string_equal(match(db, "risks", "[{\"links_to\": {\"kind\": \"measures\", "
	    "\"field\": \"treatment.measures\", \"where\": [{\"field\": \"status\", \"eq\": "
	    "\"implemented\"}]}}]", NULL), "RISK-1");
	assert_string_equal(match(db, "measures", "[{\"links_to\": {\"kind\": \"requirement\", "
	    "\"ref\": \"A.7.4\"}}]", NULL), "MEAS-1");
	assert_string_equal(match(db, "measures", "[{\"links_to\": {\"kind\": \"requirement\", "
	    "\"ref\": \"A.7.5\"}}]", NULL), "");
	/* A retired linking record does not count. */
	fx_retire(db, "risks", "RISK-2");
	assert_string_equal(match(db, "ai-systems", "[{\"linked_from\": {\"kind\": \"risks\"}}]",
	    NULL), "AIS-1");
	db_close(db);
}

/* org_has: a setting kept as a singleton record decides for every row; another org's does not. */
static void
test_query__org_has(void **state)
{
	struct db *db = setup_systems();
	const char *public = "[{\"field\": \"in_scope\", \"eq\": true}, {\"org_has\": "
	    "{\"kind\": \"eu-ai-act-profile\", \"where\": [{\"field\": \"public_body\", "
	    "\"eq\": true}]}}]";

	(void)state;
	assert_string_equal(match(db, "ai-systems", public, NULL), "");
	fx_put_org(db, FX_OTHER_ORG, "eu-ai-act-profile", "EUAIA", "{\"public_body\": true}");
	assert_string_equal(match(db, "ai-systems", public, NULL), "");
	fx_put(db, "eu-ai-act-profile", "EUAIA", "{\"public_body\": false}");
	assert_string_equal(match(db, "ai-systems", public, NULL), "");
	fx_put(db, "eu-ai-act-profile", "EUAIA", "{\"public_body\": true}");
	assert_string_equal(match(db, "ai-systems", public, NULL), "AIS-1 AIS-3");
	assert_string_equal(match(db, "ai-systems", "[{\"not\": {\"org_has\": {\"kind\": "
	    "\"eu-ai-act-profile\"}}}]", NULL), "");
	db_close(db);
}

static void
test_query__variables(void **state)
{
	struct db *db = setup_systems();
	json_t *vars = json_pack("{s:i, s:s, s:n}", "threshold", 9, "control", "AIS-2",
	    "empty");
	struct query_scope s;
	struct hits h;
	json_t *where;
	time_t now;

	(void)state;
	assert_string_equal(match(db, "risks", "[{\"field\": \"inherent_score\", \"gt\": "
	    "\"$threshold\"}]", vars), "RISK-1");
	assert_string_equal(match(db, "ai-systems", "[{\"field\": \"ref\", \"eq\": \"$control\"}]",
	    vars), "AIS-2");
	/* A variable without a value is a conflict naming it. */
	where = json_pack("[{s:s, s:s}]", "field", "inherent_score", "gt", "$empty");
	clock_parse(&now, FX_NOW);
	query_scope_init(&s, db, FX_ORG, now, vars);
	memset(&h, 0, sizeof(h));
	assert_int_equal(query_select(&s, "risks", where, NULL, 0, collect, &h), AIMS_ECONFLICT);
	assert_string_equal(aims_error_field(), "empty");
	json_decref(where);
	json_decref(vars);
	db_close(db);
}

static void
test_query__flags_count_and_isolation(void **state)
{
	struct db *db = setup_systems();
	struct query_scope s;
	const json_t *flags[1];
	json_t *f, *v = NULL;
	struct hits h;
	int64_t n;
	time_t now;

	(void)state;
	clock_parse(&now, FX_NOW);
	query_scope_init(&s, db, FX_ORG, now, NULL);
	assert_int_equal(query_count(&n, &s, "ai-systems", NULL), 0);
	assert_int_equal(n, 3);	/* retired AIS-4 and the other org's AIS-9 are left out */
	f = json_pack("[{s:s, s:b}]", "field", "in_scope", "eq", 1);
	flags[0] = f;
	memset(&h, 0, sizeof(h));
	assert_int_equal(query_select(&s, "ai-systems", NULL, flags, 1, collect, &h), 0);
	assert_int_equal(h.n, 3);
	assert_int_equal(h.flagged, 2);
	json_decref(f);
	assert_int_equal(query_field_value(&v, &s, "risks", "inherent_score"), 0);
	assert_int_equal(json_integer_value(v), 16);
	json_decref(v);
	assert_int_equal(query_field_value(&v, &s, "risks", "title"), 0);
	assert_string_equal(json_string_value(v), "Bias");
	json_decref(v);
	assert_int_equal(query_field_value(&v, &s, "risk-criteria", "acceptance_threshold"), 0);
	assert_null(v);
	db_close(db);
}

static int
stop_after_first(void *arg, const char *ref, const bool *flags)
{
	(void)flags;
	strcpy(arg, ref);
	return 1;	/* a positive value of the caller's: "found, stop" */
}

static int
stop_record_after_first(void *arg, const struct query_record *rec)
{
	strcpy(arg, rec->ref);
	return 7;
}

/* fn's non-zero return stops the walk and comes back as it is, 1 included. */
static void
test_query__callback_result_is_returned(void **state)
{
	struct db *db = setup_systems();
	struct query_scope s;
	char first[32] = "";
	time_t now;

	(void)state;
	clock_parse(&now, FX_NOW);
	query_scope_init(&s, db, FX_ORG, now, NULL);
	assert_int_equal(query_select(&s, "ai-systems", NULL, NULL, 0, stop_after_first, first), 1);
	assert_string_equal(first, "AIS-1");
	first[0] = '\0';
	assert_int_equal(query_records_each(db, FX_ORG, "risks", stop_record_after_first, first), 7);
	assert_string_equal(first, "RISK-1");
	db_close(db);
}

static void
test_query__bad_conditions_are_refused(void **state)
{
	static const char *const bad[] = {
		"{\"field\": \"x\"}",
		"[{\"field\": \"x\", \"like\": \"a\"}]",
		"[{\"field\": \"x; DROP TABLE records\", \"eq\": 1}]",
		"[{\"field\": \"x\", \"eq\": 1, \"ne\": 2}]",
		"[{\"field\": \"x\", \"in\": []}]",
		"[{\"field\": \"x\", \"set\": 1}]",
		"[{\"field\": \"x\", \"eq\": 1.5}]",
		"[{\"any\": {}}]",
		"[{\"linked_from\": {\"kind\": \"Risks!\"}}]",
		"[{\"linked_from\": {\"kind\": \"risks\", \"via\": \"x\"}}]",
		"[{\"links_to\": {\"kind\": \"requirement\", \"where\": []}}]",
		"[{\"field\": \"ref\", \"contains\": \"x\"}]",
		"[{\"org_has\": {\"kind\": \"eu-ai-act-profile\", \"field\": \"x\"}}]",
		"[{\"org_has\": {\"where\": []}}]",
		"[{\"org_has\": {\"kind\": \"x'--\"}}]",
		"[{\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": "
		    "{\"field\": \"x\", \"set\": true}}}}}}}}}]",
		NULL,
	};
	const char *const *b;
	json_error_t jerr;
	json_t *c;

	(void)state;
	for (b = bad; *b; b++) {
		c = json_loads(*b, 0, &jerr);
		assert_non_null(c);
		if (query_conds_check(c) == 0)
			fail_msg("accepted: %s", *b);
		json_decref(c);
	}
	c = json_loads("[{\"field\": \"a.b_c\", \"older_than_days\": 30}]", 0, &jerr);
	assert_int_equal(query_conds_check(c), 0);
	json_decref(c);
	assert_int_equal(query_conds_check(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query__compare_and_missing_fields),
		cmocka_unit_test(test_query__set_past_older_contains),
		cmocka_unit_test(test_query__any_all_not),
		cmocka_unit_test(test_query__justified),
		cmocka_unit_test(test_query__links_both_ways),
		cmocka_unit_test(test_query__org_has),
		cmocka_unit_test(test_query__variables),
		cmocka_unit_test(test_query__flags_count_and_isolation),
		cmocka_unit_test(test_query__bad_conditions_are_refused),
		cmocka_unit_test(test_query__callback_result_is_returned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
