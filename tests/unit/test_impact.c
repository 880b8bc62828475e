/*
 * test_impact.c - unit tests for impact assessments (core/kind_impact.c):
 * impacts validation, approval, and the EU AI Act Art. 27 fields required
 * to approve exactly where Art. 27 applies: the organisation deploys a
 * high-risk system of Annex III point 5(b) or 5(c), or is a public body or
 * a provider of public services deploying one listed in Annex III (outside
 * point 2).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "record_fixture.h"

static const char fria[] =
    "\"fria_process_description\": \"screening of applications\","
    " \"fria_period_frequency\": \"daily, from 2026\","
    " \"fria_affected_categories\": \"job applicants\","
    " \"fria_specific_risks\": \"indirect discrimination\","
    " \"fria_human_oversight\": \"a recruiter reviews every rejection\","
    " \"fria_risk_measures\": \"complaints desk; suspension procedure\"";

static int
setup(void **state)
{
	struct db *db = fx_open("impact.db");

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Credit scorer\", \"eu_ai_act_category\": \"high_risk\","
	    " \"eu_annex_iii\": [\"5b_creditworthiness_credit_scoring\"],"
	    " \"eu_ai_act_roles\": [\"deployer\"]}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Own model\", \"eu_ai_act_category\": \"high_risk\","
	    " \"eu_annex_iii\": [\"5b_creditworthiness_credit_scoring\"],"
	    " \"eu_ai_act_roles\": [\"provider\"], \"org_role\": \"customer\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Bought tool\", \"eu_ai_act_category\": \"high_risk\","
	    " \"eu_annex_iii\": [\"5c_life_health_insurance_pricing\"],"
	    " \"org_role\": \"customer\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Chatbot\", \"eu_ai_act_category\": \"limited\","
	    " \"eu_ai_act_roles\": [\"deployer\"]}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"CV screener\", \"eu_ai_act_category\": \"high_risk\","
	    " \"eu_annex_iii\": [\"4a_recruitment_selection\"],"
	    " \"eu_ai_act_roles\": [\"deployer\"]}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Grid balancer\", \"eu_ai_act_category\": \"high_risk\","
	    " \"eu_annex_iii\": [\"2_critical_infrastructure\"],"
	    " \"eu_ai_act_roles\": [\"deployer\"]}"), 0);
	*state = db;
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static void
test_impact__impacts_and_default_title(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "impact-assessments",
	    "{\"ai_system\": \"AIS-4\", \"impacts\": [{\"on\": \"individuals\","
	    " \"area\": \"fairness\", \"kind\": \"harm\"}, {\"on\": \"society\","
	    " \"area\": \"climate\", \"kind\": \"harm\"}]}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "impacts[1].area");
	assert_non_null(strstr(aims_error_message(), "allowed: fundamental_rights, safety"));
	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_bob, "impact-assessments",
	    "{\"ai_system\": \"AIS-4\", \"impacts\": [{\"on\": \"individuals\","
	    " \"area\": \"privacy\", \"kind\": \"harm\", \"severity\": \"minor\","
	    " \"likelihood\": \"possible\", \"measures\": \"no logging of content\"}]}"), 0);
	assert_string_equal(fx_str(rec, "title"), "Impact assessment of Chatbot");
	assert_string_equal(fx_str(rec, "status"), "draft");
	json_decref(rec);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "impact-assessments",
	    "{\"ai_system\": \"AIS-99\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "ai_system");
	/* Not high-risk: approval needs no Art. 27 fields; only managers approve. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "impact-assessments", "IA-1", 0,
	    "{\"status\": \"approved\"}"), AIMS_EFORBIDDEN);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "impact-assessments", "IA-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_string_equal(fx_str(rec, "approved_by"), "alice@example.org");
	json_decref(rec);
}

static void
test_impact__art27_for_high_risk_deployers(void **state)
{
	struct db *db = *state;
	char body[1024];

	/* Drafts are saved without them; approval needs every one. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "impact-assessments",
	    "{\"ai_system\": \"AIS-1\", \"scope\": \"recruitment\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "impact-assessments", "IA-1", 0,
	    "{\"status\": \"approved\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "fria_process_description");
	assert_non_null(strstr(aims_error_message(), "Annex III point 5(b) (EU AI Act Art. 27(1))"));
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "impact-assessments", "IA-1", 0,
	    "{\"status\": \"approved\", \"fria_process_description\": \"x\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "fria_period_frequency");
	/* Whoever writes them in does not also approve: the author fills in, Alice approves. */
	snprintf(body, sizeof(body), "{\"status\": \"approved\", %s}", fria);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "impact-assessments", "IA-1", 0,
	    body), AIMS_EFORBIDDEN);
	assert_string_equal(aims_error_message(), "Alice wrote it; another manager must approve it");
	snprintf(body, sizeof(body), "{%s}", fria);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "impact-assessments", "IA-1", 0,
	    body), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "impact-assessments", "IA-1", 0,
	    "{\"status\": \"approved\"}"), 0);

	/* Deployer through org_role customer when no EU AI Act roles are given. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "impact-assessments",
	    "{\"ai_system\": \"AIS-3\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "impact-assessments", "IA-2", 0,
	    "{\"status\": \"approved\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "fria_process_description");

	/* A provider (the roles given win over org_role) needs none. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "impact-assessments",
	    "{\"ai_system\": \"AIS-2\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "impact-assessments", "IA-3", 0,
	    "{\"status\": \"approved\"}"), 0);
}

/*
 * A private company deploying a CV screener is not asked (Art. 27 is not for
 * every deployer of a high-risk system); once the organisation declares it
 * is a body governed by public law it is, but still not for critical
 * infrastructure (Annex III point 2 is excepted).
 */
static void
test_impact__art27_only_where_it_applies(void **state)
{
	struct db *db = *state;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "impact-assessments",
	    "{\"ai_system\": \"AIS-5\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "impact-assessments", "IA-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "eu-ai-act-profile",
	    "{\"public_body\": true}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "impact-assessments",
	    "{\"ai_system\": \"AIS-5\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "impact-assessments", "IA-2", 0,
	    "{\"status\": \"approved\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "fria_process_description");
	assert_non_null(strstr(aims_error_message(), "a body governed by public law"));
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "impact-assessments",
	    "{\"ai_system\": \"AIS-6\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "impact-assessments", "IA-3", 0,
	    "{\"status\": \"approved\"}"), 0);
	/* A private entity providing public services is asked the same, and says which. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "eu-ai-act-profile", NULL, 0,
	    "{\"public_body\": false, \"public_service\": true}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "public_service_description");
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "eu-ai-act-profile", NULL, 0,
	    "{\"public_body\": false, \"public_service\": true,"
	    " \"public_service_description\": \"municipal housing allocation\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "impact-assessments", "IA-2", 0,
	    "{\"status\": \"approved\"}"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "providing public services"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_impact__impacts_and_default_title, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_impact__art27_for_high_risk_deployers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_impact__art27_only_where_it_applies, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
