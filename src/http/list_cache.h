/*
 * list_cache.h - answers of record lists kept while their organisation's
 * log stands still (see list_cache.c).
 */
#ifndef AIMS_HTTP_LIST_CACHE_H
#define AIMS_HTTP_LIST_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/ledger.h"
#include "util/buf.h"

/* serve --list-cache MB: the default budget, and the largest answer kept. */
#define LIST_CACHE_DEFAULT_MB	32
#define LIST_CACHE_MAX_MB	4096
#define LIST_CACHE_ANSWER_MAX	(1024 * 1024)
/* Answers kept at most, whatever their size. */
#define LIST_CACHE_SLOTS	256

struct list_cache_stats {
	int64_t	hits;
	int64_t	misses;
	int64_t	answers;	/* kept now */
	int64_t	bytes;		/* kept now */
};

/* Keeps up to bytes of answers from now on (0: none, and forgets all kept). */
void list_cache_configure(size_t bytes);
bool list_cache_enabled(void);
/*
 * Appends to out the answer kept for (org_id, key) if it was read at mark;
 * true when it did. Counts a hit or a miss.
 */
bool list_cache_get(struct buf *out, int64_t org_id, const void *key, size_t keylen,
    const struct ledger_mark *mark);
/* Keeps a copy of body as the answer for (org_id, key) read at mark. */
void list_cache_put(int64_t org_id, const void *key, size_t keylen,
    const struct ledger_mark *mark, const char *body, size_t len);
void list_cache_stats(struct list_cache_stats *out);

#endif
