/*
 * throttle.h - slowing down password guessing without locking anyone out.
 *
 * Failed sign-ins are counted per key with an exponential back-off: a
 * policy lets `free` failures pass, then each further failure starts a
 * pause of base_sec, doubling up to max_sec; one failure is forgotten per
 * decay_sec without failures. Sign-in keeps two keys (http/auth.c): the
 * pair (account, client address), so guessing one account's password from
 * one place slows down only that place, never the account's owner
 * elsewhere; and the client address alone, a budget across accounts that
 * slows password spraying. There is deliberately no key for the account
 * alone: that would let anyone lock its owner out.
 *
 * Kept in the store so that several server processes share the counts.
 * The row's window_start column holds the time of the last failure.
 */
#ifndef AIMS_CORE_THROTTLE_H
#define AIMS_CORE_THROTTLE_H

#include <time.h>

struct db;

struct throttle_policy {
	int	free;		/* failures before the first pause */
	int	base_sec;	/* the first pause; each further failure doubles it */
	int	max_sec;	/* the longest pause */
	int	decay_sec;	/* one failure forgotten per this long without failures */
};

/* One account from one address: the fifth failure pauses 30 s, then 60 s, ... 15 min. */
#define THROTTLE_PAIR_POLICY	{ 4, 30, 900, 900 }
/* One address, whatever the accounts: the twentieth failure pauses 60 s, ... 15 min. */
#define THROTTLE_ADDR_POLICY	{ 19, 60, 900, 60 }
#define THROTTLE_FORGET_SEC	86400	/* rows without a failure for this long are deleted */
#define THROTTLE_LEVEL_MAX	64	/* failures remembered at most */
#define THROTTLE_KEY_MAX	600

/* 0 when attempts are allowed; AIMS_ETHROTTLED with *retry_after seconds. */
int throttle_check(int *retry_after, struct db *db, const char *key, time_t now);
/* Counts a failure under policy; starts (or lengthens) a pause past its free failures. */
int throttle_fail(struct db *db, const char *key, const struct throttle_policy *policy,
    time_t now);
/* The pause policy starts after failures (1 for the first) in a row: 0 for none. */
int throttle_pause(const struct throttle_policy *policy, int failures);
/* Forgets the failures of key (after a successful sign-in). */
int throttle_clear(struct db *db, const char *key);
/* Deletes counts without a failure for THROTTLE_FORGET_SEC whose pause is over. */
int throttle_expire(struct db *db, time_t now);

#endif
