/*
 * test_review.c - unit tests for management reviews (core/review.c,
 * core/kind_management_review.c, 9.3): holding a review compiles one input
 * per 9.3.2 item from the records as they are then and freezes it; a later
 * review counts changes since the earlier one and reports the status of its
 * actions; kinds not declared are named as not kept; the minutes are
 * approved by someone who did not write them; and improvements (10.1) are
 * decided with an owner.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/review.h"
#include "record_fixture.h"

static int
setup(void **state)
{
	*state = fx_open("review.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static const json_t *
input_of(const json_t *rec, const char *name)
{
	return json_object_get(json_object_get(rec, "inputs"), name);
}

/* The item of input `name` about ref, or NULL. */
static const json_t *
item_of(const json_t *rec, const char *name, const char *ref)
{
	const json_t *it;
	size_t i;

	json_array_foreach(json_object_get(input_of(rec, name), "items"), i, it)
		if (strcmp(fx_str(it, "ref"), ref) == 0)
			return it;
	return NULL;
}

static long long
figure_of(const json_t *rec, const char *name, const char *what)
{
	const json_t *c;
	size_t i;

	json_array_foreach(json_object_get(input_of(rec, name), "counts"), i, c)
		if (strcmp(fx_str(c, "what"), what) == 0)
			return json_integer_value(json_object_get(c, "count"));
	return 0;
}

static bool
names(const json_t *list, const char *v)
{
	const json_t *e;
	size_t i;

	json_array_foreach(list, i, e)
		if (strcmp(json_string_value(e), v) == 0)
			return true;
	return false;
}

static void
hold(json_t **out, struct db *db, const char *ref, const char *held_on)
{
	char in[256];

	snprintf(in, sizeof(in), "{\"held_on\": \"%s\", \"attendees\": [{\"name\": \"Carol\","
	    " \"user\": \"carol@example.org\", \"role\": \"CEO\", \"top_management\": true}],"
	    " \"status\": \"held\"}", held_on);
	assert_int_equal(fx_update(out, db, FX_ORG, &fx_alice, "management-reviews", ref, 0,
	    in), 0);
}

/* Every input is there, from the records as they were; later changes do not move it. */
static void
test_review__inputs_compiled_and_frozen(void **state)
{
	struct db *db = *state;
	const struct review_input_name *n;
	json_t *rec = NULL, *again = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "nonconformities",
	    "{\"title\": \"Late supplier review\", \"source\": \"monitoring\", \"description\":"
	    " \"d\", \"owner\": \"bob@example.org\", \"corrective_actions\": [{\"action\": \"a\","
	    " \"owner\": \"bob@example.org\", \"due\": \"2026-01-10\"}]}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "risks",
	    "{\"title\": \"Model drift\", \"likelihood\": 3, \"impact\": 4}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "improvements",
	    "{\"title\": \"Automate drift alerts\", \"source\": \"suggestion\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "context-issues",
	    "{\"title\": \"New AI regulation\", \"kind\": \"external\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "management-reviews",
	    "{\"title\": \"Review 2026\", \"planned_date\": \"2026-01-15\"}"), 0);
	/* Not held without top management among the attendees. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "management-reviews", "MR-1", 0,
	    "{\"held_on\": \"2026-01-15\", \"attendees\": [{\"name\": \"Bob\"}],"
	    " \"status\": \"held\"}"), AIMS_ECONFLICT);
	assert_string_equal(aims_error_field(), "attendees");
	/* Nor held in the future. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "management-reviews", "MR-1", 0,
	    "{\"held_on\": \"2999-01-01\"}"), AIMS_EINVALID);
	hold(&rec, db, "MR-1", "2026-01-15");
	assert_string_equal(fx_str(rec, "status"), "held");
	assert_non_null(fx_str(rec, "inputs_compiled_at"));
	for (n = review_input_names; n->name != NULL; n++) {
		assert_non_null(input_of(rec, n->name));
		assert_string_equal(fx_str(input_of(rec, n->name), "clause"), n->clause);
	}
	assert_int_equal(json_object_size(json_object_get(rec, "inputs")), 10);
	/* The nonconformity with its overdue action, also under monitoring (its source). */
	assert_non_null(item_of(rec, "nonconformities", "NC-1"));
	assert_string_equal(fx_str(item_of(rec, "nonconformities", "NC-1"), "note"),
	    "corrective action overdue");
	assert_int_equal(figure_of(rec, "nonconformities", "with overdue actions"), 1);
	assert_non_null(item_of(rec, "monitoring", "NC-1"));
	assert_non_null(item_of(rec, "risks", "RISK-1"));
	assert_non_null(item_of(rec, "improvements", "IMP-1"));
	assert_non_null(item_of(rec, "context_changes", "CI-1"));
	/* The first review: no earlier one to count changes from. */
	assert_null(fx_str(input_of(rec, "context_changes"), "since"));
	/* Kinds not declared are named as not kept, the input is there all the same. */
	if (record_kind_find("objectives") == NULL)
		assert_true(names(json_object_get(input_of(rec, "objectives"), "not_kept"),
		    "objectives"));
	if (record_kind_find("audits") == NULL)
		assert_true(names(json_object_get(input_of(rec, "audits"), "not_kept"),
		    "audits"));
	assert_true(names(json_object_get(input_of(rec, "nonconformities"), "kinds"),
	    "nonconformities"));
	/* The inputs cannot be given ... */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "management-reviews", "MR-1", 0,
	    "{\"inputs\": {}}"), AIMS_EINVALID);
	/* ... and stay as they were when records change afterwards. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "nonconformities",
	    "{\"title\": \"Second\", \"source\": \"complaint\", \"description\": \"d\"}"), 0);
	assert_int_equal(fx_update(&again, db, FX_ORG, &fx_alice, "management-reviews", "MR-1", 0,
	    "{\"minutes\": \"Discussed every input.\"}"), 0);
	assert_true(json_equal(json_object_get(rec, "inputs"), json_object_get(again, "inputs")));
	assert_null(item_of(again, "nonconformities", "NC-2"));
	json_decref(rec);
	json_decref(again);
}

/* A later review: changes since the earlier one, and the status of its actions. */
static void
test_review__since_the_last_review(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL, *again = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "management-reviews",
	    "{\"title\": \"Review 1\", \"planned_date\": \"2026-01-15\"}"), 0);
	hold(NULL, db, "MR-1", "2026-01-15");
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "management-reviews", "MR-1", 0,
	    "{\"decisions\": ["
	    "{\"decision\": \"Train staff\", \"action\": \"Run training\", \"owner\":"
	    " \"bob@example.org\", \"due\": \"2026-02-01\", \"done_on\": \"2026-01-30\"},"
	    "{\"decision\": \"Audit suppliers\", \"action\": \"Audit two suppliers\", \"owner\":"
	    " \"alice@example.org\", \"due\": \"2026-03-01\"}]}"), 0);
	/* The author does not approve the minutes; another manager does. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "management-reviews", "MR-1", 0,
	    "{\"status\": \"approved\"}"), AIMS_EFORBIDDEN);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_erin, "management-reviews", "MR-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_string_equal(fx_str(rec, "approved_by"), "erin@example.org");
	assert_string_equal(fx_str(rec, "next_decision_due"), "2026-03-01");
	/* Changing approved minutes is a revision: held again, the inputs as they were. */
	assert_int_equal(fx_update(&again, db, FX_ORG, &fx_alice, "management-reviews", "MR-1", 0,
	    "{\"minutes\": \"Corrected the attendance.\"}"), 0);
	assert_string_equal(fx_str(again, "status"), "held");
	assert_true(json_equal(json_object_get(rec, "inputs"), json_object_get(again, "inputs")));
	assert_true(json_integer_value(json_object_get(again, "in_force_version")) > 0);
	json_decref(again);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "management-reviews", "MR-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	json_decref(rec);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "management-reviews",
	    "{\"title\": \"Review 2\", \"planned_date\": \"2026-06-15\"}"), 0);
	hold(&rec, db, "MR-2", "2026-06-15");
	assert_string_equal(fx_str(input_of(rec, "previous_actions"), "since"), "2026-01-15");
	assert_int_equal(figure_of(rec, "previous_actions", "done"), 1);
	assert_int_equal(figure_of(rec, "previous_actions", "overdue"), 1);
	assert_int_equal(json_integer_value(json_object_get(input_of(rec, "previous_actions"),
	    "total")), 2);
	json_decref(rec);
	/* Approving needs decisions. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "management-reviews", "MR-2", 0,
	    "{\"status\": \"approved\"}"), AIMS_ECONFLICT);
	/* Another organisation's review is not there. */
	assert_int_equal(record_get(&rec, db, FX_OTHER_ORG, record_kind_find("management-reviews"),
	    "MR-1"), AIMS_ENOTFOUND);
}

/* review_inputs_compile() on its own: every member, even with no records at all. */
static void
test_review__compile_every_input(void **state)
{
	struct db *db = *state;
	const struct review_input_name *n;
	json_t *in = NULL;

	assert_int_equal(review_inputs_compile(&in, db, FX_OTHER_ORG, NULL, "2026-01-01"), 0);
	for (n = review_input_names; n->name != NULL; n++) {
		assert_non_null(json_object_get(in, n->name));
		assert_string_equal(fx_str(json_object_get(in, n->name), "title"), n->title);
	}
	/* The other organisation has no risks: none of this one's are listed. */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(in, "risks"),
	    "total")), 0);
	json_decref(in);
}

/* Nonconformities with overdue actions come first in their input. */
static void
test_review__overdue_first(void **state)
{
	struct db *db = *state;
	const json_t *items;
	json_t *in = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "nonconformities",
	    "{\"title\": \"On time\", \"source\": \"complaint\", \"description\": \"d\","
	    " \"corrective_actions\": [{\"action\": \"a\", \"owner\": \"bob@example.org\","
	    " \"due\": \"2026-09-01\"}]}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "nonconformities",
	    "{\"title\": \"No action yet\", \"source\": \"complaint\", \"description\": \"d\"}"),
	    0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "nonconformities",
	    "{\"title\": \"Late\", \"source\": \"incident\", \"description\": \"d\","
	    " \"corrective_actions\": [{\"action\": \"a\", \"owner\": \"bob@example.org\","
	    " \"due\": \"2026-01-01\"}]}"), 0);
	assert_int_equal(review_inputs_compile(&in, db, FX_ORG, NULL, "2026-06-01"), 0);
	items = json_object_get(json_object_get(in, "nonconformities"), "items");
	assert_int_equal(json_array_size(items), 3);
	assert_string_equal(fx_str(json_array_get(items, 0), "ref"), "NC-3");
	assert_string_equal(fx_str(json_array_get(items, 1), "ref"), "NC-1");
	assert_null(json_object_get(json_object_get(in, "nonconformities"), "urgent"));
	/* The incident input lists the one raised by an incident. */
	items = json_object_get(json_object_get(in, "incidents"), "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(fx_str(json_array_get(items, 0), "ref"), "NC-3");
	json_decref(in);
}

/* Improvements: accepted with an owner by a manager, or rejected with reasons. */
static void
test_review__improvements_decided(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "improvements",
	    "{\"title\": \"Drift alerts\", \"source\": \"suggestion\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "improvements", "IMP-1", 0,
	    "{\"status\": \"accepted\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "owner");
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "improvements", "IMP-1", 0,
	    "{\"status\": \"accepted\", \"owner\": \"bob@example.org\"}"), AIMS_EFORBIDDEN);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "improvements", "IMP-1", 0,
	    "{\"status\": \"accepted\", \"owner\": \"bob@example.org\", \"due\": \"2026-09-01\"}"),
	    0);
	assert_string_equal(fx_str(rec, "decided_by"), "alice@example.org");
	assert_string_equal(fx_str(rec, "action_due"), "2026-09-01");
	json_decref(rec);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_bob, "improvements", "IMP-1", 0,
	    "{\"status\": \"implemented\"}"), 0);
	assert_null(fx_str(rec, "action_due"));
	assert_non_null(fx_str(rec, "implemented_on"));
	json_decref(rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_review__inputs_compiled_and_frozen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_review__since_the_last_review, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_review__compile_every_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_review__overdue_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_review__improvements_decided, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
