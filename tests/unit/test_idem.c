/*
 * test_idem.c - unit tests for src/core/idem.c: reserve, replay, mismatch,
 * expiry, and a replay as one request of the server writer's group.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/idem.h"
#include "store/db.h"
#include "util/error.h"

static void
test_idem__first_runs_retry_replays(void **state)
{
	struct idem_entry e = { 0 };
	struct db *db = NULL;

	(void)state;
	unlink("i.db");
	assert_int_equal(db_open(&db, "i.db", DB_OPEN_CREATE), 0);
	idem_hash_request(e.request_hash, "POST", "/x", "{}", 2);
	assert_int_equal(idem_begin(&e, db, 1, "user:a", "k1", 100), 0);
	assert_int_equal(e.state, IDEM_NEW);
	/* A second request while the first runs. */
	assert_int_equal(idem_begin(&e, db, 1, "user:a", "k1", 101), 0);
	assert_int_equal(e.state, IDEM_BUSY);
	assert_int_equal(idem_finish(db, 1, "user:a", "k1", 201, "{\"ref\":\"A-1\"}", "/x/A-1"), 0);
	assert_int_equal(idem_begin(&e, db, 1, "user:a", "k1", 102), 0);
	assert_int_equal(e.state, IDEM_DONE);
	assert_int_equal(e.status, 201);
	assert_string_equal(e.body, "{\"ref\":\"A-1\"}");
	assert_string_equal(e.location, "/x/A-1");
	idem_entry_free(&e);
	/* Another principal or org has its own keys. */
	assert_int_equal(idem_begin(&e, db, 1, "user:b", "k1", 102), 0);
	assert_int_equal(e.state, IDEM_NEW);
	assert_int_equal(idem_begin(&e, db, 2, "user:a", "k1", 102), 0);
	assert_int_equal(e.state, IDEM_NEW);
	db_close(db);
}

static void
test_idem__different_request_same_key(void **state)
{
	struct idem_entry e = { 0 };
	struct db *db = NULL;

	(void)state;
	unlink("j.db");
	assert_int_equal(db_open(&db, "j.db", DB_OPEN_CREATE), 0);
	idem_hash_request(e.request_hash, "POST", "/x", "{\"a\":1}", 7);
	assert_int_equal(idem_begin(&e, db, 1, "p", "k", 100), 0);
	assert_int_equal(idem_finish(db, 1, "p", "k", 201, "{}", NULL), 0);
	idem_hash_request(e.request_hash, "POST", "/x", "{\"a\":2}", 7);
	assert_int_equal(idem_begin(&e, db, 1, "p", "k", 101), 0);
	assert_int_equal(e.state, IDEM_MISMATCH);
	/* After the time to live the key is free again. */
	assert_int_equal(idem_begin(&e, db, 1, "p", "k", 101 + IDEM_TTL_SEC), 0);
	assert_int_equal(e.state, IDEM_NEW);
	idem_entry_free(&e);
	db_close(db);
}

static void
test_idem__released_and_stale_reservations(void **state)
{
	struct idem_entry e = { 0 };
	struct db *db = NULL;

	(void)state;
	unlink("k.db");
	assert_int_equal(db_open(&db, "k.db", DB_OPEN_CREATE), 0);
	idem_hash_request(e.request_hash, "POST", "/y", NULL, 0);
	assert_int_equal(idem_begin(&e, db, 0, "p", "k", 100), 0);
	idem_release(db, 0, "p", "k");
	assert_int_equal(idem_begin(&e, db, 0, "p", "k", 100), 0);
	assert_int_equal(e.state, IDEM_NEW);
	/* Its request died: after IDEM_STALE_SEC another may take the key. */
	assert_int_equal(idem_begin(&e, db, 0, "p", "k", 100 + IDEM_STALE_SEC + 1), 0);
	assert_int_equal(e.state, IDEM_NEW);
	assert_int_equal(idem_expire(db, 100 + IDEM_TTL_SEC + IDEM_STALE_SEC + 2), 0);
	db_close(db);
}

/*
 * The server's writer runs idem_begin() under a savepoint of a group's
 * transaction (store/db_writer.c): finding a key must leave the group
 * usable, and a reservation must be kept with the group's commit.
 */
static int
idem_group_begin(struct db *db, struct idem_entry *e, const char *key, time_t now)
{
	int rc;

	if ((rc = db_savepoint_begin(db)) != 0)
		return rc;
	return db_savepoint_end(db, idem_begin(e, db, 1, "p", key, now));
}

static void
test_idem__begin_inside_a_writer_group(void **state)
{
	struct idem_entry e = { 0 };
	struct db *db = NULL;

	(void)state;
	unlink("g.db");
	assert_int_equal(db_open(&db, "g.db", DB_OPEN_CREATE), 0);
	idem_hash_request(e.request_hash, "POST", "/z", "{}", 2);
	assert_int_equal(idem_begin(&e, db, 1, "p", "done", 100), 0);
	assert_int_equal(idem_finish(db, 1, "p", "done", 201, "{}", NULL), 0);
	assert_int_equal(db_begin(db), 0);
	/* A replay, a request still running and a new key, in one transaction. */
	assert_int_equal(idem_group_begin(db, &e, "done", 101), 0);
	assert_int_equal(e.state, IDEM_DONE);
	idem_entry_free(&e);
	assert_int_equal(idem_group_begin(db, &e, "new", 101), 0);
	assert_int_equal(e.state, IDEM_NEW);
	assert_int_equal(idem_group_begin(db, &e, "new", 102), 0);
	assert_int_equal(e.state, IDEM_BUSY);
	assert_int_equal(db_commit(db), 0);
	/* The group committed the new key's reservation. */
	assert_int_equal(idem_begin(&e, db, 1, "p", "new", 103), 0);
	assert_int_equal(e.state, IDEM_BUSY);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idem__first_runs_retry_replays),
		cmocka_unit_test(test_idem__different_request_same_key),
		cmocka_unit_test(test_idem__released_and_stale_reservations),
		cmocka_unit_test(test_idem__begin_inside_a_writer_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
