/*
 * list_cache.c - answers of record lists kept while their organisation's
 * log stands still.
 *
 * A list page is read from dozens of rows and spliced into one answer;
 * asked for again while nothing in the organisation changed, it is the
 * same bytes. Every change of a record appends to its organisation's log
 * in the change's own transaction (core/record.c), so the log's head
 * (ledger_head_mark()), read in the request's read transaction, tells
 * whether anything a list shows may have changed: an answer is kept with
 * the mark it was read at and given again only to a request that reads the
 * same mark. The mark is read from the database each time, so a change
 * made by another process (the command line, another server on the same
 * PostgreSQL database) is seen on the next request as it would be without
 * the cache.
 *
 * Bounded by a byte budget (serve --list-cache) and LIST_CACHE_SLOTS
 * answers; the least recently used answer goes first. An answer being
 * copied out is reference-counted, so the lock is held only to find it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http/list_cache.h"
#include "util/mem.h"

struct lc_entry {
	uint64_t		 hash;
	int64_t			 org_id;
	struct ledger_mark	 mark;
	char			*key;
	size_t			 keylen;
	char			*body;
	size_t			 len;
	uint64_t		 used;	/* lc_clock when last given */
	int			 refs;	/* the slot's and each reader's */
};

static pthread_mutex_t lc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lc_entry *lc_slots[LIST_CACHE_SLOTS];
static size_t lc_budget;
static size_t lc_bytes;
static int64_t lc_answers;
static uint64_t lc_clock;
static int64_t lc_hits, lc_misses;

/* FNV-1a over the organisation and the key: only to skip unequal keys fast. */
static uint64_t
lc_hash(int64_t org_id, const void *key, size_t keylen)
{
	const unsigned char *p = key;
	uint64_t h = 14695981039346656037ULL ^ (uint64_t)org_id;
	size_t i;

	for (i = 0; i < keylen; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t
lc_size(const struct lc_entry *e)
{
	return sizeof(*e) + e->keylen + e->len;
}

static void
lc_release(struct lc_entry *e)
{
	if (--e->refs > 0)
		return;
	free(e->key);
	free(e->body);
	free(e);
}

/* Empties slot i (lc_lock held). */
static void
lc_drop(int i)
{
	struct lc_entry *e = lc_slots[i];

	lc_slots[i] = NULL;
	lc_bytes -= lc_size(e);
	lc_answers--;
	lc_release(e);
}

/* The slot of (org_id, key), or -1 (lc_lock held). */
static int
lc_find(uint64_t hash, int64_t org_id, const void *key, size_t keylen)
{
	struct lc_entry *e;
	int i;

	for (i = 0; i < LIST_CACHE_SLOTS; i++) {
		e = lc_slots[i];
		if (e && e->hash == hash && e->org_id == org_id && e->keylen == keylen &&
		    memcmp(e->key, key, keylen) == 0)
			return i;
	}
	return -1;
}

/* Drops the least recently used answer; -1 when none is kept (lc_lock held). */
static int
lc_evict(void)
{
	int i, oldest = -1;

	for (i = 0; i < LIST_CACHE_SLOTS; i++)
		if (lc_slots[i] && (oldest < 0 || lc_slots[i]->used < lc_slots[oldest]->used))
			oldest = i;
	if (oldest >= 0)
		lc_drop(oldest);
	return oldest;
}

void
list_cache_configure(size_t bytes)
{
	pthread_mutex_lock(&lc_lock);
	__atomic_store_n(&lc_budget, bytes, __ATOMIC_RELAXED);
	while (lc_bytes > lc_budget && lc_evict() >= 0)
		;
	pthread_mutex_unlock(&lc_lock);
}

bool
list_cache_enabled(void)
{
	return __atomic_load_n(&lc_budget, __ATOMIC_RELAXED) > 0;
}

static bool
lc_same_mark(const struct ledger_mark *a, const struct ledger_mark *b)
{
	return a->size == b->size && memcmp(a->digest, b->digest, sizeof(a->digest)) == 0;
}

bool
list_cache_get(struct buf *out, int64_t org_id, const void *key, size_t keylen,
    const struct ledger_mark *mark)
{
	uint64_t hash = lc_hash(org_id, key, keylen);
	struct lc_entry *e = NULL;
	int i;

	pthread_mutex_lock(&lc_lock);
	if ((i = lc_find(hash, org_id, key, keylen)) >= 0) {
		if (lc_same_mark(&lc_slots[i]->mark, mark)) {
			e = lc_slots[i];
			e->refs++;
			e->used = ++lc_clock;
		} else
			lc_drop(i);	/* read before a change: never good again */
	}
	pthread_mutex_unlock(&lc_lock);
	if (e == NULL) {
		__atomic_add_fetch(&lc_misses, 1, __ATOMIC_RELAXED);
		return false;
	}
	buf_append(out, e->body, e->len);
	__atomic_add_fetch(&lc_hits, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&lc_lock);
	lc_release(e);
	pthread_mutex_unlock(&lc_lock);
	return true;
}

void
list_cache_put(int64_t org_id, const void *key, size_t keylen,
    const struct ledger_mark *mark, const char *body, size_t len)
{
	struct lc_entry *e;
	int i;

	if (len > LIST_CACHE_ANSWER_MAX ||
	    sizeof(*e) + keylen + len > __atomic_load_n(&lc_budget, __ATOMIC_RELAXED))
		return;
	e = xcalloc(1, sizeof(*e));
	e->hash = lc_hash(org_id, key, keylen);
	e->org_id = org_id;
	e->mark = *mark;
	e->key = xmalloc(keylen ? keylen : 1);
	memcpy(e->key, key, keylen);
	e->keylen = keylen;
	e->body = xmalloc(len ? len : 1);
	memcpy(e->body, body, len);
	e->len = len;
	e->refs = 1;
	pthread_mutex_lock(&lc_lock);
	if ((i = lc_find(e->hash, org_id, key, keylen)) >= 0)
		lc_drop(i);
	while (lc_bytes + lc_size(e) > lc_budget && lc_evict() >= 0)
		;
	for (i = 0; i < LIST_CACHE_SLOTS && lc_slots[i]; i++)
		;
	if (i == LIST_CACHE_SLOTS)
		i = lc_evict();
	if (lc_bytes + lc_size(e) > lc_budget || i < 0) {
		pthread_mutex_unlock(&lc_lock);
		lc_release(e);	/* larger than the whole budget */
		return;
	}
	e->used = ++lc_clock;
	lc_slots[i] = e;
	lc_bytes += lc_size(e);
	lc_answers++;
	pthread_mutex_unlock(&lc_lock);
}

void
list_cache_stats(struct list_cache_stats *out)
{
	pthread_mutex_lock(&lc_lock);
	out->answers = lc_answers;
	out->bytes = (int64_t)lc_bytes;
	pthread_mutex_unlock(&lc_lock);
	out->hits = __atomic_load_n(&lc_hits, __ATOMIC_RELAXED);
	out->misses = __atomic_load_n(&lc_misses, __ATOMIC_RELAXED);
}
