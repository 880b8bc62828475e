/* test_session.c - unit tests for src/core/session.c: tokens, hashing at rest, expiry. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/session.h"
#include "store/db.h"
#include "util/error.h"

static struct db *
test_db(void)
{
	struct db *db = NULL;

	unlink("s.db");
	assert_int_equal(db_open(&db, "s.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "INSERT INTO users (id, email, display_name, password_hash, "
	    "created_at, updated_at) VALUES (1, 'a@example.com', 'A', 'x', 't', 't')"), 0);
	return db;
}

static void
test_session__create_and_lookup(void **state)
{
	char token[SESSION_TOKEN_LEN];
	struct session s, l;
	struct db *db = test_db();
	int64_t n;

	(void)state;
	assert_int_equal(session_create(token, &s, db, 1, "127.0.0.1", 1000), 0);
	assert_int_equal(strlen(token), 43);
	assert_int_equal(strlen(s.csrf), 43);
	assert_int_equal(session_lookup(&l, db, token, 1001), 0);
	assert_int_equal(l.user_id, 1);
	assert_string_equal(l.csrf, s.csrf);
	/* Only the hash is stored. */
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM sessions WHERE "
	    "length(token_hash) = 32"), 0);
	assert_int_equal(n, 1);
	assert_int_equal(session_lookup(&l, db, "not-a-token", 1001), AIMS_ENOTFOUND);
	db_close(db);
}

static void
test_session__idle_and_absolute_expiry(void **state)
{
	char token[SESSION_TOKEN_LEN];
	struct session s, l;
	struct db *db = test_db();
	time_t t = 1000000;

	(void)state;
	assert_int_equal(session_create(token, &s, db, 1, "", t), 0);
	assert_int_equal(session_lookup(&l, db, token, t + SESSION_IDLE_SEC - 1), 0);
	/* That use moved the idle clock. */
	assert_int_equal(session_lookup(&l, db, token, t + 2 * SESSION_IDLE_SEC - 2), 0);
	assert_int_equal(session_lookup(&l, db, token, t + 4 * SESSION_IDLE_SEC), AIMS_ENOTFOUND);
	assert_int_equal(session_create(token, &s, db, 1, "", t), 0);
	for (t += SESSION_IDLE_SEC / 2; t < 1000000 + SESSION_ABSOLUTE_SEC; t += SESSION_IDLE_SEC / 2)
		assert_int_equal(session_lookup(&l, db, token, t), 0);
	assert_int_equal(session_lookup(&l, db, token, 1000000 + SESSION_ABSOLUTE_SEC),
	    AIMS_ENOTFOUND);
	db_close(db);
}

/*
 * session_find() reads only (a server writes the last use through its
 * database writer) and says when the last use is due; session_lookup()
 * writes it itself.
 */
static void
test_session__find_leaves_the_write_to_the_caller(void **state)
{
	char token[SESSION_TOKEN_LEN];
	struct session s, l;
	struct db *db = test_db();
	int64_t seen;

	(void)state;
	assert_int_equal(session_create(token, &s, db, 1, "", 1000), 0);
	assert_int_equal(session_find(&l, db, token, 1000 + SESSION_TOUCH_SEC - 1), 0);
	assert_false(l.touch);
	assert_int_equal(session_find(&l, db, token, 1000 + SESSION_TOUCH_SEC), 0);
	assert_true(l.touch);
	assert_int_equal(db_query_int64(&seen, db, "SELECT last_seen FROM sessions"), 0);
	assert_int_equal(seen, 1000);
	assert_int_equal(session_touch(db, l.id, 1000 + SESSION_TOUCH_SEC), 0);
	assert_int_equal(session_find(&l, db, token, 1000 + SESSION_TOUCH_SEC + 1), 0);
	assert_false(l.touch);
	assert_int_equal(session_lookup(&l, db, token, 1000 + 3 * SESSION_TOUCH_SEC), 0);
	assert_false(l.touch);
	assert_int_equal(db_query_int64(&seen, db, "SELECT last_seen FROM sessions"), 0);
	assert_int_equal(seen, 1000 + 3 * SESSION_TOUCH_SEC);
	db_close(db);
}

static void
test_session__delete(void **state)
{
	char a[SESSION_TOKEN_LEN], b[SESSION_TOKEN_LEN];
	struct session s;
	struct db *db = test_db();

	(void)state;
	assert_int_equal(session_create(a, &s, db, 1, "", 10), 0);
	assert_int_equal(session_create(b, &s, db, 1, "", 10), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(session_delete(db, a), 0);
	assert_int_equal(session_lookup(&s, db, a, 11), AIMS_ENOTFOUND);
	assert_int_equal(session_lookup(&s, db, b, 11), 0);
	/* Ending the others keeps the one named. */
	assert_int_equal(session_create(a, &s, db, 1, "", 10), 0);
	assert_int_equal(session_delete_user(db, 1, s.id), 0);
	assert_int_equal(session_lookup(&s, db, a, 11), 0);
	assert_int_equal(session_lookup(&s, db, b, 11), AIMS_ENOTFOUND);
	assert_int_equal(session_delete_user(db, 1, 0), 0);
	assert_int_equal(session_lookup(&s, db, a, 11), AIMS_ENOTFOUND);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session__create_and_lookup),
		cmocka_unit_test(test_session__find_leaves_the_write_to_the_caller),
		cmocka_unit_test(test_session__idle_and_absolute_expiry),
		cmocka_unit_test(test_session__delete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
