/* test_comment.c - comments on records (core/comment.h): mentions found in
 * the text and matched to members, the record found in its organisation
 * only, empty and oversized text refused, a person required, the list in
 * order, and the ledger entry each comment makes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/comment.h"
#include "ledger/ledger.h"
#include "record_fixture.h"

static int
setup(void **state)
{
	*state = fx_open("comment.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static int64_t
entries(struct db *db, int64_t org)
{
	struct db_stmt *st = NULL;
	int64_t n = -1;

	assert_int_equal(db_prepare(&st, db, "SELECT count(*) FROM ledger_entries"
	    " WHERE org_id = ? AND kind = 'comment'"), 0);
	db_bind_int64(st, 1, org);
	if (db_step(st) == DB_ROW)
		n = db_column_int64(st, 0);
	db_done(st);
	return n;
}

static void
test_comment__scan_mentions(void **state)
{
	const char *text = "Ask @ann@example.com, not bob@example.com; cc @Carol@Example.org. "
	    "And @ nobody, @plainword, (@dave@example.org)";
	const char *p = text;
	char email[COMMENT_EMAIL_MAX + 1];

	(void)state;
	assert_true(comment_scan_mention(&p, email));
	assert_string_equal(email, "ann@example.com");
	/* bob@... has no "@" starting a word: it is not a mention. */
	assert_true(comment_scan_mention(&p, email));
	assert_string_equal(email, "Carol@Example.org");
	assert_true(comment_scan_mention(&p, email));
	assert_string_equal(email, "dave@example.org");
	assert_false(comment_scan_mention(&p, email));
	assert_null(p);
	p = "@";
	assert_false(comment_scan_mention(&p, email));
}

static void
test_comment__add_list_and_ledger(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("risks");
	json_t *c = NULL, *list = NULL, *again = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "risks",
	    "{\"title\": \"Drift\", \"likelihood\": 2, \"impact\": 2}"), 0);
	assert_int_equal(entries(db, FX_ORG), 0);
	assert_int_equal(comment_add(&c, db, FX_ORG, &fx_bob, k, "RISK-1",
	    "Checked with @Carol@example.org and @zed@example.org.", NULL, 0), 0);
	assert_int_equal(entries(db, FX_ORG), 1);
	assert_string_equal(json_string_value(json_object_get(c, "author")), "bob@example.org");
	/* Members only, as registered; an unknown address stays text. */
	assert_int_equal(json_array_size(json_object_get(c, "mentions")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(c, "mentions"), 0)),
	    "carol@example.org");
	assert_true(json_is_null(json_object_get(c, "step")));
	assert_int_equal(comment_add(&again, db, FX_ORG, &fx_alice, k, "RISK-1", "Agreed.",
	    "accept", 2), 0);
	assert_string_equal(json_string_value(json_object_get(again, "step")), "accept");
	assert_int_equal(json_integer_value(json_object_get(again, "version")), 2);
	assert_int_equal(comment_list(&list, db, FX_ORG, k, "RISK-1"), 0);
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), 1);
	json_decref(c);
	json_decref(again);
	json_decref(list);
}

static void
test_comment__refusals(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("risks");
	char big[COMMENT_BODY_MAX + 2];
	json_t *c = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "risks",
	    "{\"title\": \"Drift\", \"likelihood\": 2, \"impact\": 2}"), 0);
	assert_int_equal(comment_add(&c, db, FX_ORG, &fx_bob, k, "RISK-1", " \n\t", NULL, 0),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "body");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(comment_add(&c, db, FX_ORG, &fx_bob, k, "RISK-1", big, NULL, 0),
	    AIMS_EINVALID);
	assert_int_equal(comment_add(&c, db, FX_ORG, &fx_bob, k, "RISK-1", NULL, NULL, 0),
	    AIMS_EINVALID);
	/* The record of another organisation is not found from this one. */
	assert_int_equal(comment_add(&c, db, FX_OTHER_ORG, &fx_alice, k, "RISK-1", "Hello",
	    NULL, 0), AIMS_ENOTFOUND);
	/* Nobody in person (the command line without --as). */
	assert_int_equal(comment_add(&c, db, FX_ORG, &ACTOR_CLI, k, "RISK-1", "Hello", NULL, 0),
	    AIMS_EFORBIDDEN);
	assert_null(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comment__scan_mentions),
		cmocka_unit_test_setup_teardown(test_comment__add_list_and_ledger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comment__refusals, setup, teardown),
	};

	return cmocka_run_group_tests_name("comment", tests, NULL, NULL);
}
