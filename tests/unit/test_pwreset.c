/* test_pwreset.c - unit tests for src/core/pwreset.c: one live link per account, once, within its hour. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/pwreset.h"
#include "core/session.h"
#include "core/user.h"
#include "testutil.h"

#define T0	1800000000

static int
setup(void **state)
{
	struct db *db = NULL;
	struct actor cli = ACTOR_CLI;

	setenv("AIMS_FAST_HASH", "1", 1);
	if (testutil_open_db(&db, "pwreset.db") != 0 ||
	    user_add(NULL, db, &cli, "rae@example.com", "Rae", "the old password") != 0 ||
	    user_add(NULL, db, &cli, "off@example.com", "Off", "the old password") != 0 ||
	    user_set_disabled(db, &cli, "off@example.com", true) != 0)
		return -1;
	*state = db;
	return 0;
}

static int
teardown(void **state)
{
	testutil_close_db(*state);
	return 0;
}

static void
test_pwreset__link_sets_password_once_and_ends_sessions(void **state)
{
	struct db *db = *state;
	char token[PWRESET_TOKEN_LEN], sess[SESSION_TOKEN_LEN];
	struct session s;
	json_t *r = NULL;
	int64_t uid = 0;

	assert_int_equal(user_authenticate(&uid, db, "rae@example.com", "the old password"), 0);
	assert_int_equal(session_create(sess, &s, db, uid, "", T0), 0);
	assert_int_equal(pwreset_create(token, db, "Rae@example.com", false, T0), 0);
	assert_int_equal(pwreset_find(&r, db, token, T0 + 1), 0);
	assert_string_equal(json_string_value(json_object_get(r, "email")), "rae@example.com");
	json_decref(r);
	assert_int_equal(pwreset_use(db, token, "short", T0 + 2), AIMS_EINVALID);
	assert_int_equal(pwreset_use(db, token, "a brand new password", T0 + 3), 0);
	assert_int_equal(user_authenticate(&uid, db, "rae@example.com", "a brand new password"), 0);
	assert_int_equal(user_authenticate(&uid, db, "rae@example.com", "the old password"),
	    AIMS_EUNAUTH);
	assert_int_equal(session_lookup(&s, db, sess, T0 + 4), AIMS_ENOTFOUND);
	assert_int_equal(pwreset_use(db, token, "yet another password", T0 + 5), AIMS_ENOTFOUND);
}

static void
test_pwreset__newer_link_voids_older_and_links_expire(void **state)
{
	struct db *db = *state;
	char a[PWRESET_TOKEN_LEN], b[PWRESET_TOKEN_LEN];
	json_t *r = NULL;

	assert_int_equal(pwreset_create(a, db, "rae@example.com", false, T0), 0);
	assert_int_equal(pwreset_create(b, db, "rae@example.com", false, T0 + 1), 0);
	assert_int_equal(pwreset_find(&r, db, a, T0 + 2), AIMS_ENOTFOUND);
	assert_int_equal(pwreset_find(&r, db, b, T0 + 2), 0);
	json_decref(r);
	assert_int_equal(pwreset_use(db, b, "a brand new password", T0 + 1 + PWRESET_TTL_SEC),
	    AIMS_ENOTFOUND);
}

static void
test_pwreset__unknown_and_disabled_accounts(void **state)
{
	struct db *db = *state;
	char token[PWRESET_TOKEN_LEN];
	int64_t n = -1;

	/* Quiet: the same answer as for an account, and nothing to send. */
	assert_int_equal(pwreset_create(token, db, "nobody@example.com", true, T0), 0);
	assert_string_equal(token, "");
	assert_int_equal(pwreset_create(token, db, "off@example.com", true, T0), 0);
	assert_string_equal(token, "");
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM password_resets"), 0);
	assert_int_equal(n, 0);
	assert_int_equal(pwreset_create(token, db, "nobody@example.com", false, T0),
	    AIMS_ENOTFOUND);
	assert_int_equal(pwreset_create(token, db, "not-an-address", true, T0), AIMS_EINVALID);
	assert_int_equal(pwreset_use(db, "x", "a brand new password", T0), AIMS_ENOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pwreset__link_sets_password_once_and_ends_sessions,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_pwreset__newer_link_voids_older_and_links_expire,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_pwreset__unknown_and_disabled_accounts, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
