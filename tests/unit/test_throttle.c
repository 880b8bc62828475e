/*
 * test_throttle.c - unit tests for src/core/throttle.c: free failures, the
 * exponential back-off and its cap, forgetting over time, expiry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/throttle.h"
#include "store/db.h"
#include "util/error.h"

static const struct throttle_policy pair = THROTTLE_PAIR_POLICY;
static const struct throttle_policy addr = THROTTLE_ADDR_POLICY;

static struct db *
open_db(const char *path)
{
	struct db *db = NULL;

	unlink(path);
	assert_int_equal(db_open(&db, path, DB_OPEN_CREATE), 0);
	return db;
}

static void
test_throttle__pause_doubles_up_to_the_cap(void **state)
{
	(void)state;
	assert_int_equal(throttle_pause(&pair, 1), 0);
	assert_int_equal(throttle_pause(&pair, pair.free), 0);
	assert_int_equal(throttle_pause(&pair, pair.free + 1), pair.base_sec);
	assert_int_equal(throttle_pause(&pair, pair.free + 2), pair.base_sec * 2);
	assert_int_equal(throttle_pause(&pair, pair.free + 3), pair.base_sec * 4);
	assert_int_equal(throttle_pause(&pair, pair.free + 40), pair.max_sec);
	assert_int_equal(throttle_pause(&addr, addr.free + 1), addr.base_sec);
}

static void
test_throttle__backs_off_exponentially(void **state)
{
	struct db *db = open_db("b.db");
	time_t t = 1000;
	int retry, i, want, pause;

	(void)state;
	for (i = 0; i < pair.free; i++) {
		assert_int_equal(throttle_check(&retry, db, "pair:a|1", t), 0);
		assert_int_equal(throttle_fail(db, "pair:a|1", &pair, t), 0);
		t++;
	}
	/* Each further failure, once its pause is over, doubles the next pause. */
	for (want = pair.base_sec; want < pair.max_sec * 2; want *= 2) {
		assert_int_equal(throttle_check(&retry, db, "pair:a|1", t), 0);
		assert_int_equal(throttle_fail(db, "pair:a|1", &pair, t), 0);
		assert_int_equal(throttle_check(&retry, db, "pair:a|1", t), AIMS_ETHROTTLED);
		pause = want < pair.max_sec ? want : pair.max_sec;
		assert_int_equal(retry, pause);
		assert_int_equal(throttle_check(&retry, db, "pair:a|1", t + pause - 1),
		    AIMS_ETHROTTLED);
		assert_int_equal(retry, 1);
		t += pause;
	}
	/* Another key (the same account from elsewhere) is untouched. */
	assert_int_equal(throttle_check(&retry, db, "pair:a|2", t - 1), 0);
	assert_int_equal(retry, 0);
	assert_int_equal(throttle_clear(db, "pair:a|1"), 0);
	assert_int_equal(throttle_fail(db, "pair:a|1", &pair, t), 0);
	assert_int_equal(throttle_check(&retry, db, "pair:a|1", t), 0);
	db_close(db);
}

static void
test_throttle__failures_are_forgotten_over_time(void **state)
{
	struct db *db = open_db("d.db");
	time_t t = 5000;
	int retry, i;

	(void)state;
	for (i = 0; i < addr.free; i++)
		assert_int_equal(throttle_fail(db, "addr:9", &addr, t), 0);
	assert_int_equal(throttle_check(&retry, db, "addr:9", t), 0);
	/* One failure per decay_sec is forgiven: a slow pace never pauses. */
	for (i = 0; i < 50; i++) {
		t += addr.decay_sec;
		assert_int_equal(throttle_fail(db, "addr:9", &addr, t), 0);
		assert_int_equal(throttle_check(&retry, db, "addr:9", t), 0);
	}
	/* A faster one does. */
	assert_int_equal(throttle_fail(db, "addr:9", &addr, t + 1), 0);
	assert_int_equal(throttle_check(&retry, db, "addr:9", t + 1), AIMS_ETHROTTLED);
	assert_int_equal(retry, addr.base_sec);
	db_close(db);
}

static void
test_throttle__expire_keeps_live_counts(void **state)
{
	struct db *db = open_db("e.db");
	int64_t n = 0;

	(void)state;
	assert_int_equal(throttle_fail(db, "old", &pair, 100), 0);
	assert_int_equal(throttle_fail(db, "new", &pair, 100 + THROTTLE_FORGET_SEC), 0);
	assert_int_equal(throttle_expire(db, 100 + THROTTLE_FORGET_SEC + 1), 0);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM login_throttle"), 0);
	assert_int_equal(n, 1);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_throttle__pause_doubles_up_to_the_cap),
		cmocka_unit_test(test_throttle__backs_off_exponentially),
		cmocka_unit_test(test_throttle__failures_are_forgotten_over_time),
		cmocka_unit_test(test_throttle__expire_keeps_live_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
