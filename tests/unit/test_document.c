/*
 * test_document.c - unit tests for documents (core/kind_document.c,
 * record_workflow.c): the status workflow, approval by a manager who is not
 * the author, and approved versions kept unchanged.
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
	*state = fx_open("document.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static void
test_document__workflow(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "documents",
	    "{\"title\": \"AI policy\", \"kind\": \"policy\", \"status\": \"approved\"}"),
	    AIMS_ECONFLICT);
	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_alice, "documents",
	    "{\"title\": \"AI policy\", \"kind\": \"policy\", \"is_ai_policy\": true,"
	    " \"body\": \"# Policy\\nWe use AI responsibly.\", \"requirements\": [\"5.2\", \"A.2.2\"]}"),
	    0);
	assert_string_equal(fx_str(rec, "ref"), "DOC-1");
	assert_string_equal(fx_str(rec, "status"), "draft");
	json_decref(rec);
	/* Not straight to approved; the message lists where it can go. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), AIMS_ECONFLICT);
	assert_non_null(strstr(aims_error_message(), "in_review, retired"));
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"in_review\"}"), 0);
	/* A contributor cannot approve; nor can the author. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), AIMS_EFORBIDDEN);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), AIMS_EFORBIDDEN);
	assert_string_equal(aims_error_field(), "approved_by");
	assert_non_null(strstr(aims_error_message(), "Alice wrote it; another manager must approve"));
	/* approved_by cannot be given: it is the actor. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\", \"approved_by\": \"bob@example.org\"}"), AIMS_EINVALID);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_string_equal(fx_str(rec, "approved_by"), "erin@example.org");
	assert_non_null(fx_str(rec, "approved_at"));
	json_decref(rec);
	/* Review dates change without a new revision. */
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"next_review\": \"2027-01-31\"}"), 0);
	assert_string_equal(fx_str(rec, "status"), "approved");
	json_decref(rec);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"retired\"}"), 0);
	json_decref(rec);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"body\": \"new\"}"), AIMS_ECONFLICT);
}

static void
test_document__approved_versions_are_kept(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("documents");
	json_t *rec = NULL, *versions = NULL, *v1;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_erin, "documents",
	    "{\"title\": \"Procedure\", \"kind\": \"procedure\", \"body\": \"first text\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"in_review\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	/* Editing the approved text starts a new draft revision. */
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"body\": \"second text\"}"), 0);
	assert_string_equal(fx_str(rec, "status"), "draft");
	assert_true(json_is_null(json_object_get(rec, "approved_by")));
	json_decref(rec);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"in_review\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_carol, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_int_equal(record_history(&versions, db, FX_ORG, k, "DOC-1", "approved"), 0);
	assert_int_equal(json_array_size(versions), 2);
	v1 = json_object_get(json_array_get(versions, 1), "record");
	assert_string_equal(fx_str(v1, "body"), "first text");
	assert_string_equal(fx_str(v1, "approved_by"), "alice@example.org");
	assert_string_equal(fx_str(json_object_get(json_array_get(versions, 0), "record"), "body"),
	    "second text");
	/* The stored version is exactly what record_version_get returns. */
	assert_int_equal(record_version_get(&rec, db, FX_ORG, k, "DOC-1",
	    fx_int(json_array_get(versions, 1), "version")), 0);
	assert_true(json_equal(rec, v1));
	json_decref(rec);
	json_decref(versions);
	assert_int_equal(record_version_get(&rec, db, FX_ORG, k, "DOC-1", 99), AIMS_ENOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_document__workflow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_document__approved_versions_are_kept, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
