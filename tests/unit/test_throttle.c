/* test_throttle.c - unit tests for src/core/throttle.c: counting, pausing, windows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/throttle.h"
#include "store/db.h"
#include "util/error.h"

static void
test_throttle__pauses_after_max_failures(void **state)
{
	struct db *db = NULL;
	int retry, i;

	(void)state;
	unlink("t.db");
	assert_int_equal(db_open(&db, "t.db", DB_OPEN_CREATE), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(throttle_check(&retry, db, "account:a", 100 + i), 0);
		assert_int_equal(throttle_fail(db, "account:a", 5, 100 + i), 0);
	}
	assert_int_equal(throttle_check(&retry, db, "account:a", 104), 0);
	assert_int_equal(throttle_fail(db, "account:a", 5, 104), 0);
	assert_int_equal(throttle_check(&retry, db, "account:a", 105), AIMS_ETHROTTLED);
	assert_int_equal(retry, THROTTLE_BLOCK_SEC - 1);
	assert_int_equal(throttle_check(&retry, db, "account:b", 105), 0);
	assert_int_equal(throttle_check(&retry, db, "account:a", 104 + THROTTLE_BLOCK_SEC), 0);
	assert_int_equal(throttle_clear(db, "account:a"), 0);
	db_close(db);
}

static void
test_throttle__window_resets_count(void **state)
{
	struct db *db = NULL;
	int retry, i;
	time_t t = 1000;

	(void)state;
	unlink("w.db");
	assert_int_equal(db_open(&db, "w.db", DB_OPEN_CREATE), 0);
	/* Four failures per window never reach five. */
	for (i = 0; i < 12; i++) {
		if (i % 4 == 0)
			t += THROTTLE_WINDOW_SEC;
		assert_int_equal(throttle_fail(db, "addr:1", 5, t + i), 0);
		assert_int_equal(throttle_check(&retry, db, "addr:1", t + i), 0);
	}
	db_close(db);
}

static void
test_throttle__expire_keeps_live_counts(void **state)
{
	struct db *db = NULL;
	int64_t n = 0;

	(void)state;
	unlink("e.db");
	assert_int_equal(db_open(&db, "e.db", DB_OPEN_CREATE), 0);
	assert_int_equal(throttle_fail(db, "old", 5, 100), 0);
	assert_int_equal(throttle_fail(db, "new", 5, 100 + THROTTLE_WINDOW_SEC), 0);
	assert_int_equal(throttle_expire(db, 100 + THROTTLE_WINDOW_SEC + 1), 0);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM login_throttle"), 0);
	assert_int_equal(n, 1);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_throttle__pauses_after_max_failures),
		cmocka_unit_test(test_throttle__window_resets_count),
		cmocka_unit_test(test_throttle__expire_keeps_live_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
