/*
 * test_soa.c - unit tests for the Statement of Applicability
 * (core/kind_soa.c, record_org.c): 38 entries from the start, addressed by
 * control id, justification and measure rules, and exclusions refused while
 * a treated risk relies on the control.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "record_fixture.h"

static int
setup(void **state)
{
	*state = fx_open("soa.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static void
test_soa__38_entries_from_the_start(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("soa");
	struct record_query q = { .limit = 100 };
	json_t *items = NULL, *rec = NULL;
	char *next = NULL;
	int64_t total = 0;

	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(total, 38);
	assert_int_equal(json_array_size(items), 38);
	assert_null(next);
	/* Catalog order, addressed by control id. */
	assert_string_equal(fx_str(json_array_get(items, 0), "ref"), "A.2.2");
	assert_string_equal(fx_str(json_array_get(items, 37), "ref"), "A.10.4");
	json_decref(items);
	assert_int_equal(record_get(&rec, db, FX_ORG, k, "A.6.2.6"), 0);
	assert_string_equal(fx_str(rec, "control"), "A.6.2.6");
	assert_string_equal(fx_str(rec, "title"), "AI system operation and monitoring");
	assert_string_equal(fx_str(rec, "status"), "not_started");
	assert_true(json_is_null(json_object_get(rec, "applicable")));
	json_decref(rec);
	/* Every organisation has its own. */
	assert_int_equal(record_get(&rec, db, FX_OTHER_ORG, k, "A.6.2.6"), 0);
	json_decref(rec);
	/* Entries are neither created nor deleted by users, and keep their control. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "soa", "{\"applicable\": true}"),
	    AIMS_ECONFLICT);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.6.2.6", 0,
	    "{\"control\": \"A.2.2\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "control");
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.9.9", 0,
	    "{\"applicable\": true}"), AIMS_ENOTFOUND);
}

static void
test_soa__justification_and_measures(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.6.2.6", 0,
	    "{\"applicable\": false}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "justification");
	assert_non_null(strstr(aims_error_message(), "excluded"));
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.6.2.6", 0,
	    "{\"applicable\": true}"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "included"));
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.6.2.6", 0,
	    "{\"applicable\": true, \"justification\": \"we operate models\", "
	    "\"status\": \"implemented\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "measures");
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "measures",
	    "{\"title\": \"Drift monitoring\", \"requirements\": [\"A.6.2.6\"]}"), 0);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "soa", "A.6.2.6", 1,
	    "{\"applicable\": true, \"justification\": \"we operate models\", "
	    "\"status\": \"implemented\", \"measures\": [\"MEA-1\"], "
	    "\"owner\": \"bob@example.org\"}"), 0);
	assert_int_equal(fx_int(rec, "version"), 2);
	json_decref(rec);
	/* Removing the last measure of an implemented control is refused. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.6.2.6", 0,
	    "{\"measures\": []}"), AIMS_EINVALID);
	/* Filter by applicability. */
	{
		struct record_query q = { .limit = 100, .nfilters = 1,
		    .filter_names = { "applicable" }, .filter_values = { "true" } };
		json_t *items = NULL;
		char *next = NULL;
		int64_t total;

		assert_int_equal(record_list(&items, &next, &total, db, FX_ORG,
		    record_kind_find("soa"), &q), 0);
		assert_int_equal(json_array_size(items), 1);
		json_decref(items);
	}
}

static void
test_soa__exclusion_refused_naming_the_risk(void **state)
{
	struct db *db = *state;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Unnoticed drift\", \"likelihood\": 3, \"impact\": 3,"
	    " \"treatment\": {\"option\": \"modify\", \"controls\": [\"A.6.2.6\", \"A.6.2.8\"]}}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.6.2.6", 0,
	    "{\"applicable\": false, \"justification\": \"Drift is watched by the vendor\"}"),
	    AIMS_ECONFLICT);
	assert_string_equal(aims_error_field(), "applicable");
	assert_non_null(strstr(aims_error_message(), "RISK-1 (Unnoticed drift)"));
	/* Other controls can be excluded. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.7.3", 0,
	    "{\"applicable\": false, \"justification\": \"we acquire no data\"}"), 0);
	/* ...and then cannot be named in a treatment. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Bad data\", \"treatment\": {\"option\": \"modify\","
	    " \"controls\": [\"A.7.3\"]}}"), AIMS_ECONFLICT);
	assert_string_equal(aims_error_field(), "treatment.controls");
	/* Once the treatment no longer relies on it, the exclusion goes through. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "risks", "RISK-1", 0,
	    "{\"treatment\": {\"option\": \"modify\", \"controls\": [\"A.6.2.8\"]}}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.6.2.6", 0,
	    "{\"applicable\": false, \"justification\": \"Drift is watched by the vendor\"}"), 0);
}

/* "N/A", "-" or a few characters justify nothing: refused naming the field. */
static void
test_soa__justification_must_say_something(void **state)
{
	static const char *const empty[] = { "N/A", " - ", "none", "Needed", "n/a.",
	    "Not applicable", "x" };
	struct db *db = *state;
	char body[128];
	size_t i;

	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		snprintf(body, sizeof(body), "{\"applicable\": false, \"justification\": \"%s\"}",
		    empty[i]);
		assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.10.4", 0, body),
		    AIMS_EINVALID);
		assert_string_equal(aims_error_field(), "justification");
	}
	assert_non_null(strstr(aims_error_message(), "is not a justification"));
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.10.4", 0,
	    "{\"applicable\": true, \"justification\": \"Needed\"}"), AIMS_EINVALID);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.10.4", 0,
	    "{\"applicable\": false, \"justification\": \"We sell no AI product to customers\"}"),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_soa__38_entries_from_the_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_soa__justification_and_measures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_soa__exclusion_refused_naming_the_risk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_soa__justification_must_say_something, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
