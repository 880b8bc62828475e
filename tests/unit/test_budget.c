/*
 * test_budget.c - unit tests for src/http/budget.c: the burst, the refill,
 * Retry-After, callers apart, and no budget at 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "http/budget.h"
#include "util/error.h"

#define SEC	INT64_C(1000000)

static void
test_budget__burst_then_refill(void **state)
{
	int64_t t = 1000 * SEC;
	int retry, i;

	(void)state;
	budget_reset();
	for (i = 0; i < 6; i++)
		assert_int_equal(budget_take(&retry, "user:1", 6, t), 0);
	assert_int_equal(budget_take(&retry, "user:1", 6, t), AIMS_ETHROTTLED);
	/* Six a minute: the next one in ten seconds. */
	assert_true(retry >= 10 && retry <= 11);
	assert_non_null(strstr(aims_error_message(), "6 a minute"));
	/* Another caller has its own bucket. */
	assert_int_equal(budget_take(&retry, "token:1", 6, t), 0);
	assert_int_equal(budget_take(&retry, "user:1", 6, t + 9 * SEC), AIMS_ETHROTTLED);
	assert_int_equal(budget_take(&retry, "user:1", 6, t + 10 * SEC), 0);
	assert_int_equal(budget_take(&retry, "user:1", 6, t + 10 * SEC), AIMS_ETHROTTLED);
	/* An hour later the bucket is full again, not fuller. */
	t += 3600 * SEC;
	for (i = 0; i < 6; i++)
		assert_int_equal(budget_take(&retry, "user:1", 6, t), 0);
	assert_int_equal(budget_take(&retry, "user:1", 6, t), AIMS_ETHROTTLED);
}

static void
test_budget__zero_means_no_budget(void **state)
{
	int retry, i;

	(void)state;
	budget_reset();
	for (i = 0; i < 1000; i++)
		assert_int_equal(budget_take(&retry, "user:2", 0, 0), 0);
	assert_int_equal(retry, 0);
}

static void
test_budget__full_table_forgets_refilled_callers(void **state)
{
	char caller[BUDGET_CALLER_MAX];
	int64_t t = 50 * SEC;
	int retry, i;

	(void)state;
	budget_reset();
	for (i = 0; i < BUDGET_CALLERS_MAX; i++) {
		snprintf(caller, sizeof(caller), "addr:%d", i);
		assert_int_equal(budget_take(&retry, caller, 60, t), 0);
	}
	/* Every bucket is in use right now: a new caller waits a second. */
	assert_int_equal(budget_take(&retry, "user:new", 60, t), AIMS_ETHROTTLED);
	assert_int_equal(retry, 1);
	/* A second later they have all refilled: room again. */
	assert_int_equal(budget_take(&retry, "user:new", 60, t + 2 * SEC), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_budget__burst_then_refill),
		cmocka_unit_test(test_budget__zero_means_no_budget),
		cmocka_unit_test(test_budget__full_table_forgets_refilled_callers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
