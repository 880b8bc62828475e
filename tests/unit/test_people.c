/*
 * test_people.c - unit tests of the rules over people, changes and the AI
 * system life cycle: the competence gap view and AI-literacy share
 * (core/competence.c), awareness acknowledgements (core/acknowledge.c), the
 * deployment rule (kind_ai_system.c, kind_lifecycle.c) and the review a
 * significant change asks for (kind_change.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/acknowledge.h"
#include "core/competence.h"
#include "core/query.h"
#include "engine/checks.h"
#include "record_fixture.h"
#include "util/clock.h"

/* Runs readiness check check_json for org 1 on day (noon UTC); *r holds the result. */
static void
run_check(struct check_result *r, struct db *db, const char *day, const char *check_json)
{
	char when[CLOCK_RFC3339_LEN];
	struct query_scope s;
	struct check_env env;
	json_t *check = fx_json(check_json);
	time_t now;

	snprintf(when, sizeof(when), "%sT12:00:00Z", day);
	assert_int_equal(clock_parse(&now, when), 0);
	query_scope_init(&s, db, FX_ORG, now, NULL);
	env.scope = &s;
	env.refs_max = 5;
	memset(r, 0, sizeof(*r));
	assert_int_equal(check_validate(check), 0);
	assert_int_equal(check_run(r, &env, check), 0);
	json_decref(check);
}

static int
setup(void **state)
{
	*state = fx_open("people.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static void
test_people__competence_gaps(void **state)
{
	struct db *db = *state;
	json_t *view = NULL, *g;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "responsibilities",
	    "{\"role_name\": \"Validator\", \"assignee\": \"Bob\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "competences",
	    "{\"title\": \"Validation\", \"roles\": [\"ROLE-1\"]}"), 0);
	assert_int_equal(competence_gaps(&view, db, FX_ORG, "2026-06-01"), 0);
	assert_int_equal(json_array_size(json_object_get(view, "gaps")), 1);
	g = json_array_get(json_object_get(view, "gaps"), 0);
	/* The assignee named by display name is the member. */
	assert_string_equal(fx_str(g, "person"), "bob@example.org");
	assert_string_equal(fx_str(g, "reason"), "missing");
	json_decref(view);

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "trainings",
	    "{\"person\": \"bob@example.org\", \"competence\": \"COMP-1\","
	    " \"completed_on\": \"2025-01-01\", \"valid_until\": \"2026-01-01\"}"), 0);
	assert_int_equal(competence_gaps(&view, db, FX_ORG, "2026-06-01"), 0);
	g = json_array_get(json_object_get(view, "gaps"), 0);
	assert_string_equal(fx_str(g, "reason"), "expired");
	assert_string_equal(fx_str(g, "valid_until"), "2026-01-01");
	json_decref(view);
	/* The same training was current on an earlier day. */
	assert_int_equal(competence_gaps(&view, db, FX_ORG, "2025-06-01"), 0);
	assert_int_equal(json_array_size(json_object_get(view, "gaps")), 0);
	json_decref(view);

	/* valid_until before completed_on is refused, naming the field. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "trainings",
	    "{\"person\": \"bob@example.org\", \"completed_on\": \"2026-01-02\","
	    " \"valid_until\": \"2026-01-01\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "valid_until");
}

static void
test_people__ai_literacy_share(void **state)
{
	struct db *db = *state;
	json_t *view = NULL, *lit;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "trainings",
	    "{\"person\": \"alice@example.org\", \"ai_literacy\": true,"
	    " \"completed_on\": \"2026-01-01\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "trainings",
	    "{\"person\": \"bob@example.org\", \"ai_literacy\": true,"
	    " \"completed_on\": \"2026-01-01\", \"valid_until\": \"2026-02-01\"}"), 0);
	assert_int_equal(competence_gaps(&view, db, FX_ORG, "2026-03-01"), 0);
	lit = json_object_get(view, "ai_literacy");
	/* Five members in org 1; Bob's training has expired. */
	assert_int_equal(json_integer_value(json_object_get(lit, "members")), 5);
	assert_int_equal(json_integer_value(json_object_get(lit, "covered")), 1);
	assert_int_equal(json_integer_value(json_object_get(lit, "share")), 20);
	json_decref(view);
	/* The other organisation's members are not counted here, nor its trainings there. */
	assert_int_equal(competence_gaps(&view, db, FX_OTHER_ORG, "2026-03-01"), 0);
	lit = json_object_get(view, "ai_literacy");
	assert_int_equal(json_integer_value(json_object_get(lit, "members")), 1);
	assert_int_equal(json_integer_value(json_object_get(lit, "covered")), 0);
	json_decref(view);
}

static void
test_people__acknowledgements(void **state)
{
	struct db *db = *state;
	json_t *st = NULL, *ack = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "documents",
	    "{\"title\": \"AI policy\", \"kind\": \"policy\", \"is_ai_policy\": true}"), 0);
	assert_int_equal(ack_add(&ack, db, FX_ORG, &fx_bob, "DOC-1"), AIMS_ECONFLICT);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"in_review\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_int_equal(ack_add(&ack, db, FX_ORG, &fx_bob, "DOC-1"), 0);
	assert_int_equal(json_integer_value(json_object_get(ack, "version")), 3);
	json_decref(ack);
	assert_int_equal(ack_add(&ack, db, FX_ORG, &fx_bob, "DOC-1"), AIMS_ECONFLICT);
	/* Nobody in person (the command line without --as) is refused. */
	assert_int_equal(ack_add(&ack, db, FX_ORG, &ACTOR_CLI, "DOC-1"), AIMS_EFORBIDDEN);
	/* Another organisation has no DOC-1 of ours. */
	assert_int_equal(ack_add(&ack, db, FX_OTHER_ORG, &fx_alice, "DOC-1"), AIMS_ENOTFOUND);
	assert_int_equal(ack_status(&st, db, FX_ORG, "DOC-1"), 0);
	assert_int_equal(json_array_size(json_object_get(st, "acknowledged")), 1);
	assert_int_equal(json_array_size(json_object_get(st, "pending")), 4);
	json_decref(st);

	/* A revision keeps version 3 in force; its approval asks everyone again. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"body\": \"new text\"}"), 0);
	assert_int_equal(ack_status(&st, db, FX_ORG, "DOC-1"), 0);
	assert_int_equal(json_integer_value(json_object_get(st, "version")), 3);
	assert_int_equal(json_array_size(json_object_get(st, "acknowledged")), 1);
	json_decref(st);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"in_review\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_int_equal(ack_status(&st, db, FX_ORG, "DOC-1"), 0);
	assert_int_equal(json_integer_value(json_object_get(st, "version")), 6);
	assert_int_equal(json_array_size(json_object_get(st, "acknowledged")), 0);
	json_decref(st);

	/* A document that does not ask is refused. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "documents",
	    "{\"title\": \"Procedure\", \"kind\": \"procedure\"}"), 0);
	assert_int_equal(ack_add(&ack, db, FX_ORG, &fx_bob, "DOC-2"), AIMS_ECONFLICT);
}

static void
test_people__deployment_rule(void **state)
{
	struct db *db = *state;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Bot\", \"lifecycle_stage\": \"design_development\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "ai-systems", "AIS-1", 0,
	    "{\"lifecycle_stage\": \"operation_monitoring\"}"), AIMS_ECONFLICT);
	assert_string_equal(aims_error_field(), "lifecycle_stage");
	assert_non_null(strstr(aims_error_message(), "verification and validation"));
	/* A draft V&V record does not count. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "lifecycle-records",
	    "{\"ai_system\": \"AIS-1\", \"stage\": \"verification_validation\","
	    " \"acceptance_criteria\": \"c\", \"results\": \"r\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "ai-systems", "AIS-1", 0,
	    "{\"lifecycle_stage\": \"deployment\"}"), AIMS_ECONFLICT);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "lifecycle-records", "LC-1", 0,
	    "{\"status\": \"in_review\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "lifecycle-records", "LC-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "ai-systems", "AIS-1", 0,
	    "{\"lifecycle_stage\": \"deployment\"}"), AIMS_ECONFLICT);
	assert_non_null(strstr(aims_error_message(), "deployment plan"));
	/* The waiver is a manager's, with a reason. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "ai-systems", "AIS-1", 0,
	    "{\"deploy_without_approval\": true, \"deploy_without_approval_reason\": \"x\"}"),
	    AIMS_EFORBIDDEN);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "ai-systems", "AIS-1", 0,
	    "{\"deploy_without_approval\": true}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "deploy_without_approval_reason");
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "ai-systems", "AIS-1", 0,
	    "{\"deploy_without_approval\": true, \"deploy_without_approval_reason\":"
	    " \"pilot on test data only\", \"lifecycle_stage\": \"deployment\"}"), 0);
}

static void
test_people__significant_change(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Scorer\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Bias\", \"ai_systems\": [\"AIS-1\"]}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "impact-assessments",
	    "{\"ai_system\": \"AIS-1\"}"), 0);
	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_bob, "changes",
	    "{\"title\": \"Retrain\", \"ai_systems\": [\"AIS-1\"], \"significant\": true}"), 0);
	assert_int_equal(json_array_size(json_object_get(rec, "reviews_pending")), 2);
	json_decref(rec);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "changes", "CHG-1", 0,
	    "{\"status\": \"done\"}"), AIMS_ECONFLICT);
	assert_non_null(strstr(aims_error_message(), "review RISK-1, IA-1"));
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "risks", "RISK-1", 0,
	    "{\"description\": \"reviewed for the retraining\"}"), 0);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_bob, "changes", "CHG-1", 0,
	    "{\"purpose\": \"fresher data\"}"), 0);
	assert_int_equal(json_array_size(json_object_get(rec, "reviews_pending")), 1);
	json_decref(rec);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "impact-assessments", "IA-1", 0,
	    "{\"title\": \"Reviewed\"}"), 0);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_bob, "changes", "CHG-1", 0,
	    "{\"status\": \"done\"}"), 0);
	assert_true(json_is_null(json_object_get(rec, "reviews_pending")));
	json_decref(rec);
	/* reviews_pending is computed: input is refused. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "changes",
	    "{\"title\": \"x\", \"reviews_pending\": [\"RISK-1\"]}"), AIMS_EINVALID);
}

/* The readiness check kinds over the same records: 7.2 and 7.3 move with them. */
static void
test_people__readiness_checks(void **state)
{
	struct db *db = *state;
	struct check_result r;
	const char *const all[] = { "alice", "bob", "carol", "dave", "erin" };
	char who[64];
	size_t i;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "responsibilities",
	    "{\"role_name\": \"Validator\", \"assignee\": \"bob@example.org\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "competences",
	    "{\"title\": \"Validation\", \"roles\": [\"ROLE-1\"]}"), 0);
	run_check(&r, db, "2026-06-01", "{\"kind\": \"competence_gaps\"}");
	assert_int_equal(r.status, CHECK_FAIL);
	assert_string_equal(r.findings[0].code, "missing");
	assert_string_equal(json_string_value(json_array_get(r.findings[0].refs, 0)), "COMP-1");
	check_result_free(&r);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "trainings",
	    "{\"person\": \"bob@example.org\", \"competence\": \"COMP-1\","
	    " \"completed_on\": \"2026-01-01\", \"valid_until\": \"2026-12-31\"}"), 0);
	run_check(&r, db, "2026-06-01", "{\"kind\": \"competence_gaps\"}");
	assert_int_equal(r.status, CHECK_PASS);
	check_result_free(&r);
	/* Readiness judged on a later day sees the training expired. */
	run_check(&r, db, "2027-02-01", "{\"kind\": \"competence_gaps\"}");
	assert_int_equal(r.status, CHECK_FAIL);
	assert_string_equal(r.findings[0].code, "expired");
	check_result_free(&r);

	/* AI literacy: 100% asked, 1 of 5 members covered. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "trainings",
	    "{\"person\": \"bob@example.org\", \"ai_literacy\": true,"
	    " \"completed_on\": \"2026-01-01\"}"), 0);
	run_check(&r, db, "2026-06-01", "{\"kind\": \"ai_literacy\", \"min\": 100}");
	assert_int_equal(r.status, CHECK_FAIL);
	assert_int_equal(r.total, 5);
	assert_int_equal(r.failed, 4);
	check_result_free(&r);
	run_check(&r, db, "2026-06-01", "{\"kind\": \"ai_literacy\", \"min\": 20}");
	assert_int_equal(r.status, CHECK_PASS);
	check_result_free(&r);

	/* Awareness: nothing to acknowledge, then 5 missing, then none. */
	run_check(&r, db, "2026-06-01", "{\"kind\": \"acknowledged\"}");
	assert_int_equal(r.status, CHECK_FAIL);
	assert_string_equal(r.findings[0].code, "nothing_to_acknowledge");
	check_result_free(&r);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "documents",
	    "{\"title\": \"AI policy\", \"kind\": \"policy\", \"is_ai_policy\": true,"
	    " \"status\": \"in_review\"}"), AIMS_ECONFLICT);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "documents",
	    "{\"title\": \"AI policy\", \"kind\": \"policy\", \"is_ai_policy\": true}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"in_review\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	run_check(&r, db, "2026-06-01", "{\"kind\": \"acknowledged\"}");
	assert_int_equal(r.status, CHECK_FAIL);
	assert_string_equal(r.findings[0].code, "pending");
	assert_int_equal(r.findings[0].count, 5);
	check_result_free(&r);
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		struct actor a = { (int64_t)i + 1, NULL, ROLE_VIEWER };
		json_t *ack = NULL;

		snprintf(who, sizeof(who), "user:%s@example.org", all[i]);
		a.name = who;
		assert_int_equal(ack_add(&ack, db, FX_ORG, &a, "DOC-1"), 0);
		json_decref(ack);
	}
	run_check(&r, db, "2026-06-01", "{\"kind\": \"acknowledged\"}");
	assert_int_equal(r.status, CHECK_PASS);
	check_result_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_people__competence_gaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_people__ai_literacy_share, setup, teardown),
		cmocka_unit_test_setup_teardown(test_people__acknowledgements, setup, teardown),
		cmocka_unit_test_setup_teardown(test_people__deployment_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_people__significant_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_people__readiness_checks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
