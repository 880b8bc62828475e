/*
 * current.c - answers of the engine kept while they stay true (current.h):
 * a small table of slots under one lock, keyed by organisation and name,
 * checked against the organisation's ledger size, the day and the age.
 * Expired answers are let go when a new one is kept, so the memory held is
 * that of the organisations looked at in the last CURRENT_SECONDS.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "engine/current.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"

struct current_slot {
	int64_t		 org_id, ledger_size;
	time_t		 at;
	uint64_t	 used;		/* when last kept or read, in current_clock ticks */
	char		 day[CLOCK_RFC3339_LEN];
	char		 key[CURRENT_KEY_MAX];
	json_t		*answer;	/* NULL: the slot is free */
};

static struct current_slot current_slots[CURRENT_SLOTS];
static uint64_t current_clock;	/* orders the slots' use: the least recent goes first */
static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;

static int
current_ledger_size(int64_t *out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = 0;
	if ((rc = db_prepare(&st, db, "SELECT size FROM ledger_heads WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

static bool
current_fresh(const struct current_slot *s, time_t now)
{
	return s->answer != NULL && now - s->at < CURRENT_SECONDS && now >= s->at;
}

/* The kept answer for the key (a copy, or shared), or NULL. */
static json_t *
current_find(int64_t org_id, const char *key, int64_t size, const char *day, time_t now,
    enum current_use use)
{
	struct current_slot *s;
	json_t *out = NULL;
	size_t i;

	pthread_mutex_lock(&current_lock);
	for (i = 0; i < CURRENT_SLOTS && out == NULL; i++) {
		s = &current_slots[i];
		if (current_fresh(s, now) && s->org_id == org_id && s->ledger_size == size &&
		    strcmp(s->key, key) == 0 && strcmp(s->day, day) == 0) {
			out = use == CURRENT_SHARED ? json_incref(s->answer) :
			    json_deep_copy(s->answer);
			s->used = ++current_clock;
		}
	}
	pthread_mutex_unlock(&current_lock);
	return out;
}

/* Keeps answer (shared) in the key's slot, else a free one, else the least recently used. */
static void
current_keep(int64_t org_id, const char *key, int64_t size, const char *day, time_t now,
    json_t *answer)
{
	struct current_slot *s, *same = NULL, *free_slot = NULL, *oldest = &current_slots[0];
	size_t i;

	pthread_mutex_lock(&current_lock);
	for (i = 0; i < CURRENT_SLOTS; i++) {
		s = &current_slots[i];
		if (s->answer != NULL && !current_fresh(s, now)) {
			json_decref(s->answer);
			s->answer = NULL;
		}
		if (s->answer == NULL) {
			if (free_slot == NULL)
				free_slot = s;
			continue;
		}
		if (s->org_id == org_id && strcmp(s->key, key) == 0)
			same = s;
		if (s->used < oldest->used || oldest->answer == NULL)
			oldest = s;
	}
	s = same != NULL ? same : free_slot != NULL ? free_slot : oldest;
	json_decref(s->answer);
	s->org_id = org_id;
	s->ledger_size = size;
	s->at = now;
	s->used = ++current_clock;
	snprintf(s->day, sizeof(s->day), "%s", day);
	snprintf(s->key, sizeof(s->key), "%s", key);
	s->answer = json_incref(answer);
	pthread_mutex_unlock(&current_lock);
}

int
current_get(json_t **out, struct db *db, int64_t org_id, const char *key,
    enum current_use use, current_fn fn, const void *arg)
{
	char day[CLOCK_RFC3339_LEN];
	time_t now = clock_now();
	json_t *answer = NULL;
	int64_t size;
	int rc;

	*out = NULL;
	if (strlen(key) >= CURRENT_KEY_MAX)
		return aims_error_set(AIMS_ERROR, NULL, "current: key '%s' is too long", key);
	clock_format(day, now);
	day[10] = '\0';
	if ((rc = current_ledger_size(&size, db, org_id)) != 0)
		return rc;
	if ((*out = current_find(org_id, key, size, day, now, use)) != NULL)
		return 0;
	if ((rc = fn(&answer, db, org_id, arg)) != 0)
		return rc;
	current_keep(org_id, key, size, day, now, answer);
	if (use == CURRENT_SHARED) {
		*out = answer;
		return 0;
	}
	/* The kept one is shared from now on: the caller changes a copy. */
	*out = json_deep_copy(answer);
	json_decref(answer);
	return 0;
}
