/*
 * test_current.c - unit tests for engine/current.c: an answer is kept for
 * its organisation and key while nothing is written to the organisation,
 * the same day and for CURRENT_SECONDS at most; a copy is the caller's to
 * change, a shared one is the kept one; a failure keeps nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "engine/current.h"
#include "testutil.h"

static int computed;

/* The answer is the count of computations so far: a recomputation shows. */
static int
count_compute(json_t **out, struct db *db, int64_t org_id, const void *arg)
{
	(void)db;
	if (arg != NULL)
		return aims_error_set(AIMS_ERROR, NULL, "%s", (const char *)arg);
	*out = json_pack("{s:i, s:I}", "n", ++computed, "org", (json_int_t)org_id);
	return 0;
}

static int
answer_n(struct db *db, int64_t org, const char *key, enum current_use use)
{
	json_t *a = NULL;
	int n;

	assert_int_equal(current_get(&a, db, org, key, use, count_compute, NULL), 0);
	n = (int)json_integer_value(json_object_get(a, "n"));
	json_decref(a);
	return n;
}

static void
set_ledger_size(struct db *db, int64_t org, int64_t size)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "DELETE FROM ledger_heads WHERE org_id = %lld; INSERT INTO "
	    "ledger_heads (org_id, size, frontier) VALUES (%lld, %lld, x'')", (long long)org,
	    (long long)org, (long long)size);
	assert_int_equal(db_exec(db, sql), 0);
}

static void
test_current__kept_while_true(void **state)
{
	struct db *db = NULL;
	json_t *a = NULL, *b = NULL;

	(void)state;
	assert_int_equal(testutil_open_db(&db, "current.db"), 0);
	setenv("AIMS_FAKE_NOW", "2026-03-01T12:00:00Z", 1);
	set_ledger_size(db, 1, 10);
	set_ledger_size(db, 2, 10);

	/* Kept for the organisation and key. */
	assert_int_equal(answer_n(db, 1, "readiness", CURRENT_COPY), 1);
	assert_int_equal(answer_n(db, 1, "readiness", CURRENT_SHARED), 1);
	assert_int_equal(answer_n(db, 2, "readiness", CURRENT_COPY), 2);
	assert_int_equal(answer_n(db, 1, "coverage:eu-ai-act", CURRENT_COPY), 3);
	assert_int_equal(answer_n(db, 1, "readiness", CURRENT_COPY), 1);

	/* A copy is the caller's; a shared answer is the kept one. */
	assert_int_equal(current_get(&a, db, 1, "readiness", CURRENT_COPY, count_compute, NULL), 0);
	json_object_set_new(a, "n", json_integer(99));
	json_decref(a);
	assert_int_equal(current_get(&a, db, 1, "readiness", CURRENT_SHARED, count_compute, NULL),
	    0);
	assert_int_equal(current_get(&b, db, 1, "readiness", CURRENT_SHARED, count_compute, NULL),
	    0);
	assert_ptr_equal(a, b);
	assert_int_equal(json_integer_value(json_object_get(a, "n")), 1);
	json_decref(a);
	json_decref(b);

	/* A write to the organisation (its ledger grows): computed again; the other stays. */
	set_ledger_size(db, 1, 11);
	assert_int_equal(answer_n(db, 1, "readiness", CURRENT_COPY), 4);
	assert_int_equal(answer_n(db, 2, "readiness", CURRENT_COPY), 2);

	/* At most CURRENT_SECONDS, and never across a day. */
	setenv("AIMS_FAKE_NOW", "2026-03-01T12:00:59Z", 1);
	assert_int_equal(answer_n(db, 1, "readiness", CURRENT_COPY), 4);
	setenv("AIMS_FAKE_NOW", "2026-03-01T12:01:00Z", 1);
	assert_int_equal(answer_n(db, 1, "readiness", CURRENT_COPY), 5);
	setenv("AIMS_FAKE_NOW", "2026-03-01T23:59:59Z", 1);
	assert_int_equal(answer_n(db, 1, "readiness", CURRENT_COPY), 6);
	setenv("AIMS_FAKE_NOW", "2026-03-02T00:00:00Z", 1);
	assert_int_equal(answer_n(db, 1, "readiness", CURRENT_COPY), 7);

	/* A failure is the caller's and keeps nothing; a key too long is refused. */
	assert_int_equal(current_get(&a, db, 1, "other", CURRENT_COPY, count_compute, "no"),
	    AIMS_ERROR);
	assert_null(a);
	assert_int_equal(answer_n(db, 1, "other", CURRENT_COPY), 8);
	assert_int_equal(current_get(&a, db, 1, "a key much longer than any the engine would "
	    "ever use for a kept answer", CURRENT_COPY, count_compute, NULL), AIMS_ERROR);
	assert_null(a);
	unsetenv("AIMS_FAKE_NOW");
	testutil_close_db(db);
}

/* More keys than slots: the oldest go, and what is asked again is computed again. */
static void
test_current__slots_bounded(void **state)
{
	struct db *db = NULL;
	char key[CURRENT_KEY_MAX];
	int i, before;

	(void)state;
	assert_int_equal(testutil_open_db(&db, "current2.db"), 0);
	setenv("AIMS_FAKE_NOW", "2026-04-01T08:00:00Z", 1);
	set_ledger_size(db, 1, 3);
	for (i = 0; i < CURRENT_SLOTS + 5; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		(void)answer_n(db, 1, key, CURRENT_COPY);
	}
	before = computed;
	(void)answer_n(db, 1, "k0", CURRENT_COPY);	/* replaced: computed again */
	assert_int_equal(computed, before + 1);
	snprintf(key, sizeof(key), "k%d", CURRENT_SLOTS + 4);
	(void)answer_n(db, 1, key, CURRENT_COPY);	/* the newest is still kept */
	assert_int_equal(computed, before + 1);
	unsetenv("AIMS_FAKE_NOW");
	testutil_close_db(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_current__kept_while_true),
		cmocka_unit_test(test_current__slots_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
