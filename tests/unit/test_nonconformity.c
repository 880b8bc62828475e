/*
 * test_nonconformity.c - unit tests for nonconformities and corrective
 * actions (core/kind_nonconformity.c, 10.2): the effectiveness review is
 * recorded by someone other than the owner (compared by user id, whatever
 * the role), a not-effective review reopens the nonconformity and is kept,
 * closing needs an effective review, the actions' due dates reach the
 * dashboard, and a nonconformity is retained, never erased.
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
	*state = fx_open("nonconformity.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

/* NC-n owned by bob, with one corrective action of his, taken to verifying. */
static void
nc_to_verifying(struct db *db, const char *ref)
{
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "nonconformities", ref, 0,
	    "{\"status\": \"in_progress\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "nonconformities", ref, 0,
	    "{\"corrective_actions\": [{\"action\": \"Add the review to the calendar\","
	    " \"owner\": \"bob@example.org\", \"due\": \"2026-02-01\","
	    " \"done_on\": \"2026-01-20\"}]}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "nonconformities", ref, 0,
	    "{\"status\": \"verifying\"}"), 0);
}

static void
nc_create(struct db *db, const char *owner)
{
	char in[512];

	snprintf(in, sizeof(in), "{\"title\": \"Supplier review skipped\", \"source\": "
	    "\"self_identified\", \"description\": \"The yearly supplier review was not held.\","
	    " \"requirements\": [\"A.10.3\"], \"severity\": \"minor\", \"owner\": \"%s\"}", owner);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "nonconformities", in), 0);
}

/* The owner cannot review the effectiveness, even as a manager; another person can. */
static void
test_nonconformity__reviewer_is_not_the_owner(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	nc_create(db, "alice@example.org");
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "nonconformities", "NC-1", 0,
	    "{\"status\": \"in_progress\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "nonconformities", "NC-1", 0,
	    "{\"corrective_actions\": [{\"action\": \"Plan the reviews\", \"owner\": "
	    "\"alice@example.org\", \"due\": \"2026-03-01\"}]}"), 0);
	/* Not to review while an action is not done; the message names it. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "nonconformities", "NC-1", 0,
	    "{\"status\": \"verifying\"}"), AIMS_ECONFLICT);
	assert_non_null(strstr(aims_error_message(), "corrective_actions[0].done_on"));
	/* Nor reviewed before it awaits review. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "nonconformities", "NC-1", 0,
	    "{\"effective\": true}"), AIMS_ECONFLICT);
	assert_string_equal(aims_error_field(), "effective");
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "nonconformities", "NC-1", 0,
	    "{\"corrective_actions\": [{\"action\": \"Plan the reviews\", \"owner\": "
	    "\"alice@example.org\", \"due\": \"2026-03-01\", \"done_on\": \"2026-02-20\"}],"
	    " \"status\": \"verifying\"}"), 0);
	/* Alice owns it: refused, by user id, although she is a manager. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "nonconformities", "NC-1", 0,
	    "{\"effective\": true}"), AIMS_EFORBIDDEN);
	assert_string_equal(aims_error_field(), "effectiveness_reviewer");
	assert_non_null(strstr(aims_error_message(), "alice@example.org owns this"));
	/* The system has no person behind it. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &ACTOR_SYSTEM, "nonconformities", "NC-1", 0,
	    "{\"effective\": true}"), AIMS_EFORBIDDEN);
	/* The reviewer cannot be given; it is whoever records the review. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "nonconformities", "NC-1", 0,
	    "{\"effective\": true, \"effectiveness_reviewer\": \"erin@example.org\"}"),
	    AIMS_EINVALID);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_bob, "nonconformities", "NC-1", 0,
	    "{\"effective\": true, \"effectiveness_reviewed_on\": \"2026-03-05\"}"), 0);
	assert_string_equal(fx_str(rec, "effectiveness_reviewer"), "bob@example.org");
	assert_string_equal(fx_str(rec, "effectiveness_reviewed_on"), "2026-03-05");
	assert_string_equal(fx_str(rec, "status"), "verifying");
	json_decref(rec);
	/* Another change leaves the review and its reviewer as they were. */
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_erin, "nonconformities", "NC-1", 0,
	    "{\"root_cause\": \"No calendar entry\"}"), 0);
	assert_string_equal(fx_str(rec, "effectiveness_reviewer"), "bob@example.org");
	json_decref(rec);
	/* The reviewer cannot then become the owner. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "nonconformities", "NC-1", 0,
	    "{\"owner\": \"bob@example.org\"}"), AIMS_ECONFLICT);
	assert_string_equal(aims_error_field(), "owner");
}

/* Not effective reopens it; the review is kept when it comes back for review. */
static void
test_nonconformity__not_effective_reopens(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL, *prev;

	nc_create(db, "bob@example.org");
	nc_to_verifying(db, "NC-1");
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "nonconformities", "NC-1", 0,
	    "{\"effective\": false, \"effectiveness_notes\": \"Skipped again in March\"}"), 0);
	assert_string_equal(fx_str(rec, "status"), "open");
	assert_true(json_is_false(json_object_get(rec, "effective")));
	assert_string_equal(fx_str(rec, "effectiveness_reviewer"), "alice@example.org");
	json_decref(rec);
	/* Closed? Not from open, and never without an effective review. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "nonconformities", "NC-1", 0,
	    "{\"status\": \"closed\"}"), AIMS_ECONFLICT);
	nc_to_verifying(db, "NC-1");
	assert_int_equal(record_get(&rec, db, FX_ORG, record_kind_find("nonconformities"),
	    "NC-1"), 0);
	assert_true(json_is_null(json_object_get(rec, "effective")));
	prev = json_object_get(rec, "previous_reviews");
	assert_int_equal(json_array_size(prev), 1);
	assert_true(json_is_false(json_object_get(json_array_get(prev, 0), "effective")));
	assert_string_equal(fx_str(json_array_get(prev, 0), "notes"), "Skipped again in March");
	json_decref(rec);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "nonconformities", "NC-1", 0,
	    "{\"status\": \"closed\"}"), AIMS_ECONFLICT);
	assert_string_equal(aims_error_field(), "effective");
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "nonconformities", "NC-1", 0,
	    "{\"effective\": true}"), 0);
	/* Closing is a manager's: a contributor may not. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "nonconformities", "NC-1", 0,
	    "{\"status\": \"closed\"}"), AIMS_EFORBIDDEN);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_erin, "nonconformities", "NC-1", 0,
	    "{\"status\": \"closed\"}"), 0);
	assert_string_equal(fx_str(rec, "closed_by"), "erin@example.org");
	assert_non_null(fx_str(rec, "closed_at"));
	json_decref(rec);
	/* Closed is final. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "nonconformities", "NC-1", 0,
	    "{\"description\": \"changed\"}"), AIMS_ECONFLICT);
}

/* The earliest open action is what is due; done actions and closure clear it. */
static void
test_nonconformity__actions_are_due(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	nc_create(db, "bob@example.org");
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_bob, "nonconformities", "NC-1", 0,
	    "{\"corrective_actions\": ["
	    "{\"action\": \"A\", \"owner\": \"bob@example.org\", \"due\": \"2026-05-01\"},"
	    "{\"action\": \"B\", \"owner\": \"alice@example.org\", \"due\": \"2026-04-01\"},"
	    "{\"action\": \"C\", \"owner\": \"alice@example.org\", \"due\": \"2026-03-01\","
	    " \"done_on\": \"2026-02-01\"}]}"), 0);
	assert_string_equal(fx_str(rec, "next_action_due"), "2026-04-01");
	json_decref(rec);
	/* An action names its owner and due date. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "nonconformities", "NC-1", 0,
	    "{\"corrective_actions\": [{\"action\": \"A\", \"owner\": \"bob@example.org\"}]}"),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "corrective_actions[0].due");
	/* The due date is declared, so the dashboard lists it. */
	assert_non_null(record_kind_find("nonconformities")->due);
	assert_string_equal(record_kind_find("nonconformities")->due[0].field, "next_action_due");
}

/* Retained: deleting retires it, and the source and finding are checked. */
static void
test_nonconformity__retained_and_checked(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("nonconformities");
	json_t *rec = NULL;

	assert_true(k->retain);
	nc_create(db, "bob@example.org");
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, k, "NC-1", 0), 0);
	assert_int_equal(record_get(&rec, db, FX_ORG, k, "NC-1"), 0);
	assert_true(json_is_true(json_object_get(rec, "retired")));
	json_decref(rec);
	/* Another organisation does not see it. */
	assert_int_equal(record_get(&rec, db, FX_OTHER_ORG, k, "NC-1"), AIMS_ENOTFOUND);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "nonconformities",
	    "{\"title\": \"x\", \"source\": \"rumour\", \"description\": \"y\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "source");
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "nonconformities",
	    "{\"title\": \"x\", \"source\": \"audit_finding\", \"description\": \"y\"}"),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "finding");
	/* The finding named is an audit finding, not any record. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "nonconformities",
	    "{\"title\": \"x\", \"source\": \"audit_finding\", \"description\": \"y\","
	    " \"finding\": \"NC-1\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "finding");
	/* Work on it starts once somebody owns it. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "nonconformities",
	    "{\"title\": \"Nobody's\", \"source\": \"complaint\", \"description\": \"y\"}"),
	    0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "nonconformities", "NC-2", 0,
	    "{\"status\": \"in_progress\"}"), AIMS_ECONFLICT);
	assert_non_null(strstr(aims_error_message(), "name its owner first"));
	/* A new one starts open, whatever is asked. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "nonconformities",
	    "{\"title\": \"x\", \"source\": \"complaint\", \"description\": \"y\","
	    " \"status\": \"closed\"}"), AIMS_ECONFLICT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nonconformity__reviewer_is_not_the_owner,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_nonconformity__not_effective_reopens,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_nonconformity__actions_are_due, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nonconformity__retained_and_checked, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
