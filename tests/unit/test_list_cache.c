/*
 * test_list_cache.c - unit tests for src/http/list_cache.c: an answer is
 * given back only for its organisation, its key and the log mark it was read
 * at; a stale one is forgotten; the byte budget and the slots evict the
 * least recently used; 0 keeps nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "http/list_cache.h"

static struct ledger_mark
mark_at(int64_t size, uint8_t tag)
{
	struct ledger_mark m;

	memset(&m, 0, sizeof(m));
	m.size = size;
	m.digest[0] = tag;
	return m;
}

/* The kept answer of (org, key) at m as a string, or NULL. */
static char *
get(int64_t org, const char *key, size_t keylen, struct ledger_mark m)
{
	static struct buf b;

	buf_free(&b);
	if (!list_cache_get(&b, org, key, keylen, &m))
		return NULL;
	return b.data;
}

static void
test_list_cache__given_back_only_at_its_mark(void **state)
{
	struct ledger_mark m1 = mark_at(10, 1), m2 = mark_at(11, 1), m3 = mark_at(10, 2);
	struct list_cache_stats st;

	(void)state;
	list_cache_configure(1024 * 1024);
	list_cache_put(1, "risks\0", 6, &m1, "{\"items\":[1]}", 13);
	assert_string_equal(get(1, "risks\0", 6, m1), "{\"items\":[1]}");
	/* Another organisation, another key, a key that is a prefix of it. */
	assert_null(get(2, "risks\0", 6, m1));
	assert_null(get(1, "risks\0limit\0=2\0", 15, m1));
	assert_null(get(1, "risks", 5, m1));
	/* The log grew: not given, and forgotten. */
	assert_null(get(1, "risks\0", 6, m2));
	assert_null(get(1, "risks\0", 6, m1));
	/* Same size, another head (a log rebuilt to the same length). */
	list_cache_put(1, "risks\0", 6, &m1, "a", 1);
	assert_null(get(1, "risks\0", 6, m3));
	list_cache_stats(&st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.answers, 0);
	assert_int_equal(st.bytes, 0);
	list_cache_configure(0);
}

static void
test_list_cache__newer_answer_replaces(void **state)
{
	struct ledger_mark m1 = mark_at(1, 0), m2 = mark_at(2, 0);
	struct list_cache_stats st;

	(void)state;
	list_cache_configure(1024 * 1024);
	list_cache_put(7, "k", 1, &m1, "old", 3);
	list_cache_put(7, "k", 1, &m2, "new", 3);
	assert_null(get(7, "k", 1, m1));
	list_cache_put(7, "k", 1, &m2, "new", 3);
	assert_string_equal(get(7, "k", 1, m2), "new");
	list_cache_stats(&st);
	assert_int_equal(st.answers, 1);
	list_cache_configure(0);
}

static void
test_list_cache__budget_evicts_least_recently_used(void **state)
{
	struct ledger_mark m = mark_at(5, 5);
	char body[1000];
	struct list_cache_stats st;

	(void)state;
	memset(body, 'x', sizeof(body));
	/* Room for two answers of 1,000 bytes and their keys, not three. */
	list_cache_configure(2 * (sizeof(body) + 200));
	list_cache_put(1, "a", 1, &m, body, sizeof(body));
	list_cache_put(1, "b", 1, &m, body, sizeof(body));
	assert_non_null(get(1, "a", 1, m));	/* a is now the more recent */
	list_cache_put(1, "c", 1, &m, body, sizeof(body));
	assert_null(get(1, "b", 1, m));
	assert_non_null(get(1, "a", 1, m));
	assert_non_null(get(1, "c", 1, m));
	list_cache_stats(&st);
	assert_int_equal(st.answers, 2);
	assert_true(st.bytes <= (int64_t)(2 * (sizeof(body) + 200)));
	/* Larger than the whole budget: not kept, and nothing else dropped. */
	{
		static char big[4000];

		list_cache_put(1, "d", 1, &m, big, sizeof(big));
		assert_null(get(1, "d", 1, m));
		assert_non_null(get(1, "a", 1, m));
	}
	/* 0 forgets everything and keeps nothing. */
	list_cache_configure(0);
	assert_false(list_cache_enabled());
	list_cache_put(1, "a", 1, &m, body, sizeof(body));
	assert_null(get(1, "a", 1, m));
	list_cache_stats(&st);
	assert_int_equal(st.answers, 0);
	assert_int_equal(st.bytes, 0);
}

static void
test_list_cache__slots_bound_the_count(void **state)
{
	struct ledger_mark m = mark_at(3, 3);
	struct list_cache_stats st;
	char key[32];
	int i, n;

	(void)state;
	list_cache_configure(64 * 1024 * 1024);
	for (i = 0; i < LIST_CACHE_SLOTS + 10; i++) {
		n = snprintf(key, sizeof(key), "key%d", i);
		list_cache_put(1, key, (size_t)n, &m, "v", 1);
	}
	list_cache_stats(&st);
	assert_int_equal(st.answers, LIST_CACHE_SLOTS);
	/* The first ten, the least recently used, went. */
	assert_null(get(1, "key0", 4, m));
	n = snprintf(key, sizeof(key), "key%d", LIST_CACHE_SLOTS + 9);
	assert_non_null(get(1, key, (size_t)n, m));
	list_cache_configure(0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_cache__given_back_only_at_its_mark),
		cmocka_unit_test(test_list_cache__newer_answer_replaces),
		cmocka_unit_test(test_list_cache__budget_evicts_least_recently_used),
		cmocka_unit_test(test_list_cache__slots_bound_the_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
