/*
 * test_risk.c - unit tests for risk criteria and risks (core/kind_risk*.c):
 * scoring under the default 5 x 5 and a 3 x 3 matrix, criteria versions,
 * criteria validation, treatment and residual scores, and who may accept a
 * residual risk when.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/risk.h"
#include "record_fixture.h"

static const struct actor fx_dave = { 4, "user:dave@example.org", ROLE_VIEWER };

static int
setup(void **state)
{
	*state = fx_open("risk.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

/* A 3 x 3 criteria with an explicit matrix (scores 1..9, not l*i). */
static const char criteria_3x3[] =
    "{\"likelihood_labels\": [\"Low\", \"Medium\", \"High\"],"
    " \"impact_labels\": [\"Minor\", \"Serious\", \"Critical\"],"
    " \"scoring\": \"matrix\","
    " \"matrix\": ["
    "  {\"likelihood\": 1, \"impact\": 1, \"score\": 1}, {\"likelihood\": 1, \"impact\": 2, \"score\": 2},"
    "  {\"likelihood\": 1, \"impact\": 3, \"score\": 4}, {\"likelihood\": 2, \"impact\": 1, \"score\": 3},"
    "  {\"likelihood\": 2, \"impact\": 2, \"score\": 5}, {\"likelihood\": 2, \"impact\": 3, \"score\": 7},"
    "  {\"likelihood\": 3, \"impact\": 1, \"score\": 6}, {\"likelihood\": 3, \"impact\": 2, \"score\": 8},"
    "  {\"likelihood\": 3, \"impact\": 3, \"score\": 9}],"
    " \"bands\": [{\"name\": \"green\", \"min\": 1, \"max\": 3},"
    "  {\"name\": \"amber\", \"min\": 4, \"max\": 6}, {\"name\": \"red\", \"min\": 7, \"max\": 9}],"
    " \"acceptance_threshold\": 3}";

static void
test_risk__default_5x5_scoring(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Drift\", \"likelihood\": 4, \"impact\": 4, \"risk_source\": \"C.3.4\","
	    " \"objective\": \"C.2.5\", \"treatment\": {\"option\": \"modify\","
	    " \"controls\": [\"A.6.2.6\"], \"residual_likelihood\": 2, \"residual_impact\": 2}}"), 0);
	assert_int_equal(fx_int(rec, "inherent_score"), 16);
	assert_string_equal(fx_str(rec, "inherent_level"), "high");
	assert_int_equal(fx_int(rec, "residual_score"), 4);
	assert_string_equal(fx_str(rec, "residual_level"), "low");
	assert_int_equal(fx_int(rec, "criteria_version"), 1);
	assert_string_equal(fx_str(rec, "status"), "identified");
	json_decref(rec);
	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Max\", \"likelihood\": 5, \"impact\": 5}"), 0);
	assert_int_equal(fx_int(rec, "inherent_score"), 25);
	assert_string_equal(fx_str(rec, "inherent_level"), "very high");
	assert_true(json_is_null(json_object_get(rec, "residual_score")));
	json_decref(rec);
	/* Levels beyond the scale are refused, naming the field. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"x\", \"likelihood\": 6, \"impact\": 1}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "likelihood");
	assert_non_null(strstr(aims_error_message(), "above the 5 levels"));
}

static void
test_risk__3x3_matrix_and_criteria_version(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Before\", \"likelihood\": 5, \"impact\": 5}"), 0);
	/* Only managers set the criteria. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "risk-criteria", NULL, 0, criteria_3x3),
	    AIMS_EFORBIDDEN);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "risk-criteria", NULL, 1,
	    criteria_3x3), 0);
	assert_int_equal(fx_int(rec, "version"), 2);
	json_decref(rec);
	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"After\", \"likelihood\": 3, \"impact\": 1}"), 0);
	assert_int_equal(fx_int(rec, "inherent_score"), 6);
	assert_string_equal(fx_str(rec, "inherent_level"), "amber");
	assert_int_equal(fx_int(rec, "criteria_version"), 2);
	json_decref(rec);
	/* The earlier risk keeps the score and version it was assessed under... */
	assert_int_equal(record_get(&rec, db, FX_ORG, record_kind_find("risks"), "RISK-1"), 0);
	assert_int_equal(fx_int(rec, "inherent_score"), 25);
	assert_int_equal(fx_int(rec, "criteria_version"), 1);
	json_decref(rec);
	/* ...until it is reassessed, which needs levels on the new scales. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "risks", "RISK-1", 0,
	    "{\"title\": \"Before, again\"}"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "above the 3 levels"));
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_bob, "risks", "RISK-1", 0,
	    "{\"likelihood\": 3, \"impact\": 3}"), 0);
	assert_int_equal(fx_int(rec, "inherent_score"), 9);
	assert_string_equal(fx_str(rec, "inherent_level"), "red");
	assert_int_equal(fx_int(rec, "criteria_version"), 2);
	json_decref(rec);
}

static void
test_risk__criteria_are_checked(void **state)
{
	struct risk_criteria c;
	json_t *d = risk_criteria_default();

	(void)state;
	assert_int_equal(risk_criteria_parse(&c, d), 0);
	assert_int_equal(c.nlikelihood, 5);
	assert_int_equal(risk_criteria_score(&c, 3, 4), 12);
	assert_string_equal(risk_criteria_level(&c, 12), "high");
	/* A gap between bands. */
	json_object_set_new(json_array_get(json_object_get(d, "bands"), 1), "max", json_integer(8));
	assert_int_equal(risk_criteria_parse(&c, d), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "bands");
	assert_non_null(strstr(aims_error_message(), "no level holds score 9"));
	json_decref(d);
	/* Too few levels. */
	d = risk_criteria_default();
	json_object_set_new(d, "impact_labels", json_pack("[s,s]", "a", "b"));
	assert_int_equal(risk_criteria_parse(&c, d), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "impact_labels");
	json_decref(d);
	/* Threshold outside the possible scores. */
	d = risk_criteria_default();
	json_object_set_new(d, "acceptance_threshold", json_integer(30));
	assert_int_equal(risk_criteria_parse(&c, d), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "acceptance_threshold");
	json_decref(d);
	/* Adding instead of multiplying: 2..10. */
	d = risk_criteria_default();
	json_object_set_new(d, "scoring", json_string("add"));
	json_object_set_new(d, "bands", json_pack("[{s:s,s:i,s:i},{s:s,s:i,s:i}]", "name", "low",
	    "min", 2, "max", 6, "name", "high", "min", 7, "max", 10));
	json_object_set_new(d, "acceptance_threshold", json_integer(6));
	assert_int_equal(risk_criteria_parse(&c, d), 0);
	assert_int_equal(risk_criteria_score(&c, 5, 5), 10);
	json_decref(d);
}

static void
test_risk__acceptance_rules(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	/* Bob proposes a retained risk above the threshold, owned by Alice. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Retained\", \"likelihood\": 5, \"impact\": 4, \"owner\": \"alice@example.org\","
	    " \"treatment\": {\"option\": \"retain\", \"plan\": \"live with it\"}}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "risks", "RISK-1", 0,
	    "{\"status\": \"closed\"}"), AIMS_ECONFLICT);
	assert_non_null(strstr(aims_error_message(), "acceptance required"));
	/* The proposer cannot accept, whatever their role. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "risks", "RISK-1", 0,
	    "{\"status\": \"accepted\"}"), AIMS_EFORBIDDEN);
	assert_non_null(strstr(aims_error_message(), "proposed"));
	/* accepted_by is recorded from the actor, never given. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "risks", "RISK-1", 0,
	    "{\"accepted_by\": \"alice@example.org\"}"), AIMS_EINVALID);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "risks", "RISK-1", 0,
	    "{\"status\": \"accepted\", \"acceptance_expires\": \"2027-01-01\"}"), 0);
	assert_string_equal(fx_str(rec, "accepted_by"), "alice@example.org");
	assert_non_null(fx_str(rec, "accepted_at"));
	assert_int_equal(fx_int(rec, "residual_score"), 20);
	json_decref(rec);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_bob, "risks", "RISK-1", 0,
	    "{\"status\": \"closed\"}"), 0);
	json_decref(rec);
	/* A changed residual needs a new acceptance. */
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_bob, "risks", "RISK-1", 0,
	    "{\"status\": \"assessed\", \"impact\": 5}"), 0);
	assert_true(json_is_null(json_object_get(rec, "accepted_by")));
	json_decref(rec);

	/* Owner who is only a contributor may accept; a viewer who is not the owner may not. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "risks",
	    "{\"title\": \"Bob's\", \"likelihood\": 2, \"impact\": 2, \"owner\": \"bob@example.org\","
	    " \"treatment\": {\"option\": \"retain\"}}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_dave, "risks", "RISK-2", 0,
	    "{\"status\": \"accepted\"}"), AIMS_EFORBIDDEN);
	assert_non_null(strstr(aims_error_message(), "owner or a manager"));
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_bob, "risks", "RISK-2", 0,
	    "{\"status\": \"accepted\"}"), 0);
	assert_string_equal(fx_str(rec, "accepted_by"), "bob@example.org");
	json_decref(rec);

	/* A manager who proposed it cannot accept; another manager can. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "risks",
	    "{\"title\": \"Alice's\", \"likelihood\": 5, \"impact\": 5, \"owner\": \"alice@example.org\","
	    " \"treatment\": {\"option\": \"retain\"}}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "risks", "RISK-3", 0,
	    "{\"status\": \"accepted\"}"), AIMS_EFORBIDDEN);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "risks", "RISK-3", 0,
	    "{\"status\": \"accepted\"}"), 0);
	/* Accepting at creation is accepting one's own proposal. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "risks",
	    "{\"title\": \"Self\", \"likelihood\": 1, \"impact\": 1, \"status\": \"accepted\","
	    " \"treatment\": {\"option\": \"retain\"}}"), AIMS_EFORBIDDEN);

	/* Below the threshold, a retained risk may be closed without acceptance. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Small\", \"likelihood\": 3, \"impact\": 3,"
	    " \"treatment\": {\"option\": \"retain\"}, \"status\": \"closed\"}"), 0);
	/* Above it, with a modify option, too. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Modified\", \"likelihood\": 5, \"impact\": 5, \"status\": \"treated\","
	    " \"treatment\": {\"option\": \"modify\", \"residual_likelihood\": 4,"
	    " \"residual_impact\": 4}}"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_risk__default_5x5_scoring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_risk__3x3_matrix_and_criteria_version, setup,
		    teardown),
		cmocka_unit_test(test_risk__criteria_are_checked),
		cmocka_unit_test_setup_teardown(test_risk__acceptance_rules, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
