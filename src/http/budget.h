/*
 * budget.h - a per-caller budget for heavy reads.
 *
 * Some reads cost far more than others: readiness (every rule over every
 * record), exports, starting a ledger verification, lists of more than
 * BUDGET_LIGHT_LIMIT items. Anyone who may read them, down to a viewer's
 * API token, could otherwise run them in a loop and slow every other
 * request. Each caller (a user, a token, or for anonymous requests an
 * address) has a token bucket: per_minute heavy reads at once, refilled at
 * per_minute a minute; past it the answer is 429 with Retry-After.
 *
 * The buckets live in memory: each server process keeps its own.
 */
#ifndef AIMS_HTTP_BUDGET_H
#define AIMS_HTTP_BUDGET_H

#include <stdint.h>

#define BUDGET_PER_MINUTE	30	/* default of --heavy-reads-per-minute */
#define BUDGET_PER_MINUTE_MAX	100000
#define BUDGET_LIGHT_LIMIT	100	/* a list of more items than this is heavy */
#define BUDGET_CALLERS_MAX	4096	/* callers tracked at once */
#define BUDGET_CALLER_MAX	80	/* "token:123", "user:45", "addr:2001:db8::1" */
#define BUDGET_IDLE_SEC		3600	/* an idle bucket refills for this long at most */

/*
 * Takes one heavy read from caller's bucket: 0, or AIMS_ETHROTTLED with
 * *retry_after the seconds until the next one (the message says so).
 * per_minute 0: no budget.
 */
int budget_take(int *retry_after, const char *caller, unsigned per_minute, int64_t now_usec);
/*
 * The same bucket for any other limit: n at once, refilled at n every
 * period_sec (at most BUDGET_IDLE_SEC); caller names the limit and who
 * ("concern:2001:db8::/64"). n or period_sec 0: no limit.
 */
int budget_take_per(int *retry_after, const char *caller, unsigned n, unsigned period_sec,
    int64_t now_usec);
/* Forgets every bucket. */
void budget_reset(void);

#endif
