/*
 * test_readiness_records.c - unit tests for src/engine/readiness.c over records
 * written by the record engine itself (record_create/record_update, with its
 * workflows, computed scores and links): an organisation reaches Stage 1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/audit.h"
#include "engine/readiness.h"
#include "record_fixture.h"

static json_t *
evaluate(struct db *db)
{
	json_t *out = NULL;

	if (readiness_evaluate(&out, db, FX_ORG, 0) != 0)
		fail_msg("readiness_evaluate: %s", aims_error_message());
	return out;
}

static const json_t *
check_of(const json_t *res, const char *req, const char *rule)
{
	const json_t *r, *c;
	size_t i, j;

	json_array_foreach(json_object_get(res, "requirements"), i, r) {
		if (strcmp(fx_str(r, "id"), req) != 0)
			continue;
		json_array_foreach(json_object_get(r, "checks"), j, c)
			if (strcmp(fx_str(c, "rule"), rule) == 0)
				return c;
	}
	fail_msg("no check %s on %s", rule, req);
	return NULL;
}

static long long
blocking(const json_t *res, size_t stage)
{
	return fx_int(json_array_get(json_object_get(res, "stages"), stage - 1), "blocking_gaps");
}

static void
ok(int rc)
{
	if (rc != 0)
		fail_msg("record call failed: %s", aims_error_message());
}

/* Every Annex A control decided, as the SoA entries record_org_init() made. */
static void
decide_soa(struct db *db)
{
	json_t *list = NULL;
	const json_t *row;
	struct record_query q = { .limit = 100, .sort = "ref" };
	char *next = NULL;
	int64_t total;
	size_t i;

	ok(record_list(&list, &next, &total, db, FX_ORG, record_kind_find("soa"), &q));
	assert_int_equal(json_array_size(list), 38);
	json_array_foreach(list, i, row)
		ok(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", fx_str(row, "ref"), 0,
		    "{\"applicable\": true, \"justification\": \"Needed for our products\"}"));
	json_decref(list);
	free(next);
}

static void
test_readiness_records__stage1_reached_through_the_record_engine(void **state)
{
	struct db *db = fx_open("rr.db");
	json_t *res, *risk = NULL;

	(void)state;
	res = evaluate(db);
	/* record_org_init() gave default criteria and 38 undecided SoA entries. */
	assert_string_equal(fx_str(check_of(res, "6.1.2", "6.1.2-criteria"), "status"), "pass");
	assert_string_equal(fx_str(check_of(res, "A.7.4", "soa-decided@A.7.4"), "status"), "fail");
	json_decref(res);

	ok(fx_create(NULL, db, FX_ORG, &fx_alice, "scope", "{\"statement\": \"All AI products\"}"));
	ok(fx_update(NULL, db, FX_ORG, &fx_erin, "scope", "SCOPE", 0, "{\"status\": \"approved\"}"));
	ok(fx_create(NULL, db, FX_ORG, &fx_alice, "ai-systems", "{\"name\": \"Support chat\", "
	    "\"in_scope\": true, \"lifecycle_stage\": \"operation_monitoring\"}"));
	/* The engine scores the risk under the default criteria (threshold 9). */
	ok(fx_create(&risk, db, FX_ORG, &fx_alice, "risks", "{\"title\": \"Wrong answers\", "
	    "\"ai_systems\": [\"AIS-1\"], \"likelihood\": 4, \"impact\": 4}"));
	assert_int_equal(fx_int(risk, "inherent_score"), 16);
	json_decref(risk);
	res = evaluate(db);
	assert_string_equal(fx_str(check_of(res, "6.1.3", "6.1.3-treated-or-accepted"), "status"),
	    "fail");
	json_decref(res);
	ok(fx_update(NULL, db, FX_ORG, &fx_alice, "risks", "RISK-1", 0, "{\"treatment\": "
	    "{\"option\": \"modify\", \"plan\": \"Retrieval checks\", \"controls\": [\"A.6.2.4\"]}}"));
	ok(fx_create(NULL, db, FX_ORG, &fx_alice, "impact-assessments", "{\"ai_system\": \"AIS-1\", "
	    "\"title\": \"Chat\"}"));
	ok(fx_update(NULL, db, FX_ORG, &fx_erin, "impact-assessments", "IA-1", 0,
	    "{\"status\": \"approved\"}"));
	ok(fx_create(NULL, db, FX_ORG, &fx_alice, "responsibilities", "{\"role_name\": "
	    "\"AIMS manager\", \"assignee\": \"alice@example.org\", \"requirements\": [\"5.3\"]}"));
	decide_soa(db);
	/* Internal audits planned (9.2): Alice's programme approved by Erin, an audit under it. */
	ok(fx_create(NULL, db, FX_ORG, &fx_alice, "audit-programmes", "{\"title\": "
	    "\"Programme\", \"period_start\": \"2026-01-01\", \"period_end\": \"2099-12-31\"}"));
	ok(fx_update(NULL, db, FX_ORG, &fx_alice, "audit-programmes", "PROG-1", 0,
	    "{\"status\": \"in_review\"}"));
	ok(fx_update(NULL, db, FX_ORG, &fx_erin, "audit-programmes", "PROG-1", 0,
	    "{\"status\": \"approved\"}"));
	ok(fx_create(NULL, db, FX_ORG, &fx_alice, "audits", "{\"title\": \"Planning audit\", "
	    "\"programme\": \"PROG-1\", \"requirements\": [\"9.2.1\"], "
	    "\"lead_auditor\": \"bob@example.org\"}"));

	/*
	 * Stage 1 also looks for internal audits and management reviews performed
	 * (ISO/IEC 17021-1 9.3.1.2): Erin leads an audit of 9.2.1, Carol issues its
	 * report; a management review is held with top management.
	 */
	ok(fx_create(NULL, db, FX_ORG, &fx_alice, "audits", "{\"title\": \"First audit\", "
	    "\"programme\": \"PROG-1\", \"requirements\": [\"9.2.1\"], "
	    "\"lead_auditor\": \"erin@example.org\"}"));
	ok(fx_update(NULL, db, FX_ORG, &fx_erin, "audits", "AUD-2", 0, "{\"status\": "
	    "\"in_progress\"}"));
	{
		json_t *row = json_loads("{\"notes\": \"Programme seen\", \"conclusion\": "
		    "\"conforming\"}", 0, NULL), *audit = NULL;

		ok(audit_checklist_save(&audit, db, FX_ORG, &fx_erin, "AUD-2", "9.2.1", row));
		json_decref(audit);
		json_decref(row);
	}
	ok(fx_update(NULL, db, FX_ORG, &fx_erin, "audits", "AUD-2", 0, "{\"actual_start\": "
	    "\"2026-01-12\", \"actual_end\": \"2026-01-13\", \"conclusion\": "
	    "\"The programme is in place and followed.\"}"));
	ok(fx_update(NULL, db, FX_ORG, &fx_carol, "audits", "AUD-2", 0, "{\"status\": "
	    "\"reported\"}"));
	ok(fx_create(NULL, db, FX_ORG, &fx_alice, "management-reviews", "{\"title\": "
	    "\"Review 2026\", \"planned_date\": \"2026-01-20\", \"attendees\": [{\"name\": "
	    "\"Carol\", \"top_management\": true}]}"));
	ok(fx_update(NULL, db, FX_ORG, &fx_alice, "management-reviews", "MR-1", 0,
	    "{\"held_on\": \"2026-01-20\", \"status\": \"held\"}"));

	/* The AI policy: written by Alice, approved by Erin (not its author). */
	ok(fx_create(NULL, db, FX_ORG, &fx_alice, "documents", "{\"title\": \"AI policy\", "
	    "\"kind\": \"policy\", \"is_ai_policy\": true, \"next_review\": \"2099-01-01\"}"));
	res = evaluate(db);
	assert_int_equal(blocking(res, 1), 1);	/* one cause, 5.2 and A.2.2: not approved */
	assert_string_equal(fx_str(json_array_get(json_object_get(check_of(res, "5.2",
	    "5.2-ai-policy"), "findings"), 0), "code"), "not_approved");
	json_decref(res);
	ok(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"in_review\"}"));
	ok(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"));
	res = evaluate(db);
	assert_int_equal(blocking(res, 1), 0);
	assert_string_equal(fx_str(json_array_get(json_object_get(res, "stages"), 0), "verdict"),
	    "ready");
	assert_string_equal(fx_str(json_array_get(json_object_get(res, "stages"), 1), "verdict"),
	    "not_ready");
	json_decref(res);

	/* Retiring the policy takes Stage 1 away again. */
	ok(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"retired\"}"));
	res = evaluate(db);
	assert_int_equal(blocking(res, 1), 1);
	json_decref(res);
	fx_close(db);
}

/* The dashboard's current readiness: reused until a change, then evaluated again. */
static void
test_readiness_records__current_follows_every_change(void **state)
{
	struct db *db = fx_open("rc.db");
	json_t *a = NULL, *b = NULL;
	const json_t *step;

	(void)state;
	ok(readiness_current(&a, db, FX_ORG));
	ok(readiness_current(&b, db, FX_ORG));
	assert_true(json_equal(a, b));
	assert_null(json_object_get(a, "requirements"));	/* a summary */
	step = json_array_get(json_object_get(a, "getting_started"), 2);
	assert_string_equal(fx_str(step, "fix"), "scope");
	assert_false(json_is_true(json_object_get(step, "done")));
	json_decref(b);
	ok(fx_create(NULL, db, FX_ORG, &fx_alice, "scope", "{\"statement\": \"All AI products\"}"));
	ok(fx_update(NULL, db, FX_ORG, &fx_erin, "scope", "SCOPE", 0, "{\"status\": \"approved\"}"));
	ok(readiness_current(&b, db, FX_ORG));
	assert_false(json_equal(a, b));
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(b,
	    "getting_started"), 2), "done")));
	json_decref(a);
	json_decref(b);
	fx_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readiness_records__stage1_reached_through_the_record_engine),
		cmocka_unit_test(test_readiness_records__current_follows_every_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
