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
#define BUDGET_IDLE_MAX	(INT64_C(3600) * 1000000)	/* longer idle refills as much */

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
budget_level(const struct budget_bucket *b, unsigned per_minute, int64_t now)
{
	int64_t idle = now - b->last_usec, full = (int64_t)per_minute * BUDGET_UNIT, level;

	if (idle < 0)
		idle = 0;
	if (idle > BUDGET_IDLE_MAX)
		idle = BUDGET_IDLE_MAX;
	/* per_minute reads a minute: per_minute / 60 millionths a microsecond. */
	level = b->level + idle * (int64_t)per_minute / 60;
	return level > full ? full : level;
}

/*
 * The caller's bucket, made full if new. A full table first drops the
 * buckets that have refilled completely (the same as having none).
 */
static struct budget_bucket *
budget_find(const char *caller, unsigned per_minute, int64_t now)
{
	struct budget_bucket *b;
	size_t i, j;

	for (i = 0; i < budget_n; i++)
		if (strcmp(budget_buckets[i].caller, caller) == 0)
			return &budget_buckets[i];
	if (budget_n == BUDGET_CALLERS_MAX) {
		for (i = j = 0; i < budget_n; i++)
			if (budget_level(&budget_buckets[i], per_minute, now) <
			    (int64_t)per_minute * BUDGET_UNIT)
				budget_buckets[j++] = budget_buckets[i];
		budget_n = j;
		if (budget_n == BUDGET_CALLERS_MAX)
			return NULL;
	}
	b = &budget_buckets[budget_n++];
	snprintf(b->caller, sizeof(b->caller), "%s", caller);
	b->level = (int64_t)per_minute * BUDGET_UNIT;
	b->last_usec = now;
	return b;
}

int
budget_take(int *retry_after, const char *caller, unsigned per_minute, int64_t now_usec)
{
	struct budget_bucket *b;
	int64_t level, wait_usec;
	bool ok;

	*retry_after = 0;
	if (per_minute == 0)
		return 0;
	pthread_mutex_lock(&budget_lock);
	if ((b = budget_find(caller, per_minute, now_usec)) == NULL) {
		/* Thousands of callers are spending their budgets at once: everyone waits. */
		pthread_mutex_unlock(&budget_lock);
		*retry_after = 1;
		return aims_error_set(AIMS_ETHROTTLED, NULL,
		    "too many heavy requests at once: try again in 1 second");
	}
	level = budget_level(b, per_minute, now_usec);
	if ((ok = level >= BUDGET_UNIT)) {
		level -= BUDGET_UNIT;
	} else {
		wait_usec = (BUDGET_UNIT - level) * 60 / per_minute;
		*retry_after = (int)((wait_usec + BUDGET_UNIT - 1) / BUDGET_UNIT);
		if (*retry_after < 1)
			*retry_after = 1;
	}
	b->level = level;
	b->last_usec = now_usec;
	pthread_mutex_unlock(&budget_lock);
	if (ok)
		return 0;
	return aims_error_set(AIMS_ETHROTTLED, NULL,
	    "too many heavy requests (readiness, exports, verification, long lists): "
	    "%u a minute; try again in %d seconds", per_minute, *retry_after);
}

void
budget_reset(void)
{
	pthread_mutex_lock(&budget_lock);
	budget_n = 0;
	pthread_mutex_unlock(&budget_lock);
}
