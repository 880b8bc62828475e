/*
 * test_euact.c - unit tests for core/euact: the classification worked out
 * from the answers (and the answers refused), where Art. 27 applies, and
 * the obligations list of the compiled-in EU AI Act catalog.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/crosswalk.h"
#include "core/euact.h"
#include "util/error.h"

static json_t *
ai(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);

	assert_non_null(v);
	return v;
}

static const char *
category(json_t *a)
{
	return json_string_value(json_object_get(a, "eu_ai_act_category"));
}

static void
test_euact__classification_order(void **state)
{
	json_t *a;

	(void)state;
	/* Prohibited wins over everything else. */
	a = ai("{\"eu_prohibited_checked\": true, \"eu_prohibited_practices\": [\"c_social_scoring\"],"
	    " \"eu_annex_iii\": [\"5a_public_benefits\"], \"eu_gpai\": \"model\"}");
	assert_int_equal(euact_classify(a), 0);
	assert_string_equal(category(a), "prohibited");
	json_decref(a);
	/* High-risk before GPAI before limited. */
	a = ai("{\"eu_prohibited_checked\": true, \"eu_annex_iii\": [\"8a_judicial_authority\"],"
	    " \"eu_gpai\": \"model\", \"eu_transparency\": [\"50_4_deep_fake\"]}");
	assert_int_equal(euact_classify(a), 0);
	assert_string_equal(category(a), "high_risk");
	json_decref(a);
	a = ai("{\"eu_prohibited_checked\": true, \"eu_gpai\": \"model\","
	    " \"eu_transparency\": [\"50_4_deep_fake\"]}");
	assert_int_equal(euact_classify(a), 0);
	assert_string_equal(category(a), "gpai");
	json_decref(a);
	a = ai("{\"eu_prohibited_checked\": true, \"eu_gpai\": \"none\","
	    " \"eu_transparency\": [\"50_4_deep_fake\"]}");
	assert_int_equal(euact_classify(a), 0);
	assert_string_equal(category(a), "limited");
	json_decref(a);
	/* The derogation takes an Annex III system out; Annex I keeps it in. */
	a = ai("{\"eu_prohibited_checked\": true, \"eu_annex_iii\": [\"4a_recruitment_selection\"],"
	    " \"eu_art6_3_derogation\": true, \"eu_art6_3_conditions\": [\"d_preparatory_task\"],"
	    " \"eu_art6_3_reasons\": \"Only sorts the applications by arrival date for HR.\"}");
	assert_int_equal(euact_classify(a), 0);
	assert_string_equal(category(a), "minimal");
	json_decref(a);
	a = ai("{\"eu_prohibited_checked\": true, \"eu_annex_iii\": [\"4a_recruitment_selection\"],"
	    " \"eu_annex_i\": true, \"eu_annex_i_legislation\": \"Machinery Regulation\","
	    " \"eu_art6_3_derogation\": true, \"eu_art6_3_conditions\": [\"d_preparatory_task\"],"
	    " \"eu_art6_3_reasons\": \"Only sorts the applications by arrival date for HR.\"}");
	assert_int_equal(euact_classify(a), 0);
	assert_string_equal(category(a), "high_risk");
	json_decref(a);
	/* Not checked: the category stays as given. */
	a = ai("{\"eu_ai_act_category\": \"limited\", \"eu_annex_iii\": [\"4a_recruitment_selection\"]}");
	assert_int_equal(euact_classify(a), 0);
	assert_string_equal(category(a), "limited");
	assert_non_null(strstr(json_string_value(json_object_get(a, "eu_ai_act_reasoning")),
	    "Not classified yet"));
	json_decref(a);
}

static void
test_euact__answers_the_act_refuses(void **state)
{
	static const struct { const char *json, *field; } bad[] = {
		{ "{\"eu_art6_3_derogation\": true, \"eu_art6_3_conditions\": [\"a_narrow_procedural_task\"],"
		  " \"eu_art6_3_reasons\": \"a long enough reason for the derogation\"}",
		  "eu_art6_3_derogation" },
		{ "{\"eu_annex_iii\": [\"5a_public_benefits\"], \"eu_profiling\": true,"
		  " \"eu_art6_3_derogation\": true, \"eu_art6_3_conditions\": [\"a_narrow_procedural_task\"],"
		  " \"eu_art6_3_reasons\": \"a long enough reason for the derogation\"}",
		  "eu_art6_3_derogation" },
		{ "{\"eu_annex_iii\": [\"5a_public_benefits\"], \"eu_art6_3_derogation\": true,"
		  " \"eu_art6_3_reasons\": \"a long enough reason for the derogation\"}",
		  "eu_art6_3_conditions" },
		{ "{\"eu_annex_iii\": [\"5a_public_benefits\"], \"eu_art6_3_derogation\": true,"
		  " \"eu_art6_3_conditions\": [\"a_narrow_procedural_task\"], \"eu_art6_3_reasons\": \"-\"}",
		  "eu_art6_3_reasons" },
		{ "{\"eu_annex_i\": true}", "eu_annex_i_legislation" },
	};
	size_t i;
	json_t *a;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = ai(bad[i].json);
		assert_int_equal(euact_classify(a), AIMS_EINVALID);
		assert_string_equal(aims_error_field(), bad[i].field);
		json_decref(a);
	}
}

static void
test_euact__art27_truth_table(void **state)
{
	static const struct {
		const char	*ai;
		const char	*profile;
		bool		 applies;
	} cases[] = {
		/* 5(b) and 5(c): any deployer. */
		{ "{\"eu_ai_act_category\": \"high_risk\", \"eu_ai_act_roles\": [\"deployer\"],"
		  " \"eu_annex_iii\": [\"5b_creditworthiness_credit_scoring\"]}", NULL, true },
		{ "{\"eu_ai_act_category\": \"high_risk\", \"org_role\": \"customer\","
		  " \"eu_annex_iii\": [\"5c_life_health_insurance_pricing\"]}", NULL, true },
		/* Not the deployer, or not high-risk. */
		{ "{\"eu_ai_act_category\": \"high_risk\", \"eu_ai_act_roles\": [\"provider\"],"
		  " \"eu_annex_iii\": [\"5b_creditworthiness_credit_scoring\"]}", NULL, false },
		{ "{\"eu_ai_act_category\": \"minimal\", \"eu_ai_act_roles\": [\"deployer\"],"
		  " \"eu_annex_iii\": [\"5b_creditworthiness_credit_scoring\"]}", NULL, false },
		/* Other Annex III points: only public bodies and public-service providers. */
		{ "{\"eu_ai_act_category\": \"high_risk\", \"eu_ai_act_roles\": [\"deployer\"],"
		  " \"eu_annex_iii\": [\"4a_recruitment_selection\"]}", NULL, false },
		{ "{\"eu_ai_act_category\": \"high_risk\", \"eu_ai_act_roles\": [\"deployer\"],"
		  " \"eu_annex_iii\": [\"4a_recruitment_selection\"]}", "{\"public_body\": true}", true },
		{ "{\"eu_ai_act_category\": \"high_risk\", \"eu_ai_act_roles\": [\"deployer\"],"
		  " \"eu_annex_iii\": [\"3a_education_access\"]}", "{\"public_service\": true}", true },
		/* Point 2 (critical infrastructure) is excepted; Annex I alone is not Art. 6(2). */
		{ "{\"eu_ai_act_category\": \"high_risk\", \"eu_ai_act_roles\": [\"deployer\"],"
		  " \"eu_annex_iii\": [\"2_critical_infrastructure\"]}", "{\"public_body\": true}", false },
		{ "{\"eu_ai_act_category\": \"high_risk\", \"eu_ai_act_roles\": [\"deployer\"],"
		  " \"eu_annex_i\": true}", "{\"public_body\": true}", false },
	};
	char why[EUACT_WHY_MAX];
	json_t *a, *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		a = ai(cases[i].ai);
		p = cases[i].profile ? ai(cases[i].profile) : NULL;
		if (euact_art27_applies(a, p, why) != cases[i].applies)
			fail_msg("case %zu: expected %s", i, cases[i].applies ? "applies" : "not");
		assert_true(cases[i].applies == (why[0] != '\0'));
		json_decref(a);
		json_decref(p);
	}
}

static void
test_euact__catalog_obligations_check_out(void **state)
{
	const json_t *cat, *map;
	json_t *copy, *o;

	(void)state;
	assert_int_equal(crosswalk_get(&cat, &map, "eu-ai-act"), 0);
	assert_int_equal(euact_catalog_check(cat), 0);
	copy = json_deep_copy(cat);
	o = json_array_get(json_object_get(copy, "obligations"), 0);
	json_object_set_new(o, "article", json_string("III"));
	assert_int_equal(euact_catalog_check(copy), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "obligation #1 names no article"));
	json_object_set_new(o, "article", json_string("4"));
	json_object_set_new(o, "when", json_string("sometimes"));
	assert_int_equal(euact_catalog_check(copy), AIMS_EINVALID);
	json_object_set_new(o, "when", json_string("any"));
	json_object_set_new(o, "applies_from", json_string("2026-13-45"));
	assert_int_equal(euact_catalog_check(copy), AIMS_EINVALID);
	json_decref(copy);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_euact__classification_order),
		cmocka_unit_test(test_euact__answers_the_act_refuses),
		cmocka_unit_test(test_euact__art27_truth_table),
		cmocka_unit_test(test_euact__catalog_obligations_check_out),
	};

	return cmocka_run_group_tests_name("euact", tests, NULL, NULL);
}
