/*
 * budget.c - token buckets of heavy reads, one per caller (see budget.h).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "http/budget.h"
#include "util/error.h"

/* Levels in millionths of a read, so that refills add up exactly. */
#define BUDGET_UNIT	INT64_C(1000000)
#define BUDGET_IDLE_MAX	((int64_t)BUDGET_IDLE_SEC * 1000000)	/* longer idle refills as much */

struct budget_bucket {
	char	caller[BUDGET_CALLER_MAX];
	int64_t	level;		/* millionths */
	int64_t	last_usec;
};

static pthread_mutex_t budget_lock = PTHREAD_MUTEX_INITIALIZER;
static struct budget_bucket budget_buckets[BUDGET_CALLERS_MAX];
static size_t budget_n;

/* The bucket's level now: what it had plus the refill since, at most full. */
static int64_t
budget_level(const struct budget_bucket *b, unsigned n, unsigned period, int64_t now)
{
	int64_t idle = now - b->last_usec, full = (int64_t)n * BUDGET_UNIT, level;

	if (idle < 0)
		idle = 0;
	if (idle > BUDGET_IDLE_MAX)
		idle = BUDGET_IDLE_MAX;
	/* n a period: n / period millionths a microsecond. */
	level = b->level + idle * (int64_t)n / period;
	return level > full ? full : level;
}

/*
 * The caller's bucket, made full if new. A full table first drops the
 * buckets that have refilled completely (the same as having none).
 */
static struct budget_bucket *
budget_find(const char *caller, unsigned n, unsigned period, int64_t now)
{
	struct budget_bucket *b;
	size_t i, j;

	for (i = 0; i < budget_n; i++)
		if (strcmp(budget_buckets[i].caller, caller) == 0)
			return &budget_buckets[i];
	if (budget_n == BUDGET_CALLERS_MAX) {
		for (i = j = 0; i < budget_n; i++)
			if (budget_level(&budget_buckets[i], n, period, now) <
			    (int64_t)n * BUDGET_UNIT)
				budget_buckets[j++] = budget_buckets[i];
		budget_n = j;
		if (budget_n == BUDGET_CALLERS_MAX)
			return NULL;
	}
	b = &budget_buckets[budget_n++];
	snprintf(b->caller, sizeof(b->caller), "%s", caller);
	b->level = (int64_t)n * BUDGET_UNIT;
	b->last_usec = now;
	return b;
}

/* Takes one from caller's bucket of n a period: true, or false with *retry_after. */
static bool
budget_take_one(int *retry_after, const char *caller, unsigned n, unsigned period,
    int64_t now_usec)
{
	struct budget_bucket *b;
	int64_t level, wait_usec;
	bool ok;

	pthread_mutex_lock(&budget_lock);
	if ((b = budget_find(caller, n, period, now_usec)) == NULL) {
		/* Thousands of callers are spending their budgets at once: everyone waits. */
		pthread_mutex_unlock(&budget_lock);
		*retry_after = 1;
		return false;
	}
	level = budget_level(b, n, period, now_usec);
	if ((ok = level >= BUDGET_UNIT)) {
		level -= BUDGET_UNIT;
	} else {
		wait_usec = (BUDGET_UNIT - level) * period / n;
		*retry_after = (int)((wait_usec + BUDGET_UNIT - 1) / BUDGET_UNIT);
		if (*retry_after < 1)
			*retry_after = 1;
	}
	b->level = level;
	b->last_usec = now_usec;
	pthread_mutex_unlock(&budget_lock);
	return ok;
}

int
budget_take(int *retry_after, const char *caller, unsigned per_minute, int64_t now_usec)
{
	*retry_after = 0;
	if (per_minute == 0 || budget_take_one(retry_after, caller, per_minute, 60, now_usec))
		return 0;
	return aims_error_set(AIMS_ETHROTTLED, NULL,
	    "too many heavy requests (readiness, exports, verification, long lists): "
	    "%u a minute; try again in %d seconds", per_minute, *retry_after);
}

int
budget_take_per(int *retry_after, const char *caller, unsigned n, unsigned period_sec,
    int64_t now_usec)
{
	*retry_after = 0;
	if (n == 0 || period_sec == 0 ||
	    budget_take_one(retry_after, caller, n, period_sec, now_usec))
		return 0;
	return aims_error_set(AIMS_ETHROTTLED, NULL,
	    "too many requests from your network: %u in %u minutes; try again in %d seconds",
	    n, period_sec / 60, *retry_after);
}

void
budget_reset(void)
{
	pthread_mutex_lock(&budget_lock);
	budget_n = 0;
	pthread_mutex_unlock(&budget_lock);
}
