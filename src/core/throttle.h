/*
 * throttle.h - counting failed sign-ins per account and per client address,
 * and refusing further attempts for a while after too many (soft lockout).
 * Kept in the store so that several server processes share the counts.
 */
#ifndef AIMS_CORE_THROTTLE_H
#define AIMS_CORE_THROTTLE_H

#include <time.h>

struct db;

#define THROTTLE_WINDOW_SEC	900	/* failures are counted over this window */
#define THROTTLE_ACCOUNT_MAX	5	/* failures per account before a pause */
#define THROTTLE_ADDR_MAX	20	/* failures per client address before a pause */
#define THROTTLE_BLOCK_SEC	900	/* length of the pause */
#define THROTTLE_KEY_MAX	300

/* 0 when attempts are allowed; AIMS_ETHROTTLED with *retry_after seconds. */
int throttle_check(int *retry_after, struct db *db, const char *key, time_t now);
/* Counts a failure; starts a pause when it reaches max. */
int throttle_fail(struct db *db, const char *key, int max, time_t now);
/* Forgets the failures of key (after a successful sign-in). */
int throttle_clear(struct db *db, const char *key);
/* Deletes counts whose window and pause are both over. */
int throttle_expire(struct db *db, time_t now);

#endif
