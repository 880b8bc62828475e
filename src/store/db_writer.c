/*
 * db_writer.c - group commit: one writer per database (one connection)
 * takes write requests from a queue and applies all that are waiting in
 * one transaction, each under a savepoint of its own (one failing request
 * undoes only its own changes), commits once, and only then answers each
 * caller. A success still means on disk (the commit is the group's one
 * fsync), callers never meet in SQLite's busy handler (they queue here),
 * and N waiting changes cost one commit instead of N. It sits above the
 * backend (db.h's transactions and savepoints), so any backend gets it.
 *
 * The writer is not a thread of its own: a caller that finds it idle
 * becomes it, applies the group (its own request and every one queued
 * behind it) on the writer's connection, answers them, and returns; a
 * caller that finds it busy queues and waits, and becomes the next writer
 * if its request is not in the group being applied. A lone change thus
 * costs no hand-over between threads, and the connection is only ever
 * used by the one caller that holds the writer.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/error.h"
#include "util/mem.h"

struct db_write_req {
	db_write_fn		 fn;
	void			*arg;
	int64_t			 org_id;	/* the organisation it changes; 0: the store */
	int			 rc;
	bool			 done;
	char			 field[AIMS_ERROR_FIELD_MAX];
	char			 msg[AIMS_ERROR_MSG_MAX];
	struct db_write_req	*next;
};

struct db_writer {
	struct db		*db;
	pthread_mutex_t		 lock;
	pthread_cond_t		 answered;	/* a group was answered */
	struct db_write_req	*head, *tail;
	bool			 busy;		/* a caller is applying a group */
	bool			 stop;
	/* Figures for the server's metrics and the benchmarks. */
	int64_t			 groups, requests;
};

/* Keeps what fn reported, to give it back on the caller's thread. */
static void
writer_keep_error(struct db_write_req *r, int rc)
{
	r->rc = rc;
	if (rc == 0)
		return;
	snprintf(r->msg, sizeof(r->msg), "%s", aims_error_message());
	snprintf(r->field, sizeof(r->field), "%s", aims_error_field());
}

/*
 * Begins the group's transaction: when every request names its organisation,
 * it locks those organisations only (db_begin_orgs()), so another server's
 * group of other organisations commits meanwhile; else the whole store.
 */
static int
writer_begin(struct db_writer *w, struct db_write_req *group)
{
	int64_t orgs[DB_WRITER_GROUP_MAX];
	struct db_write_req *r;
	size_t n = 0;

	for (r = group; r; r = r->next) {
		if (r->org_id <= 0 || n == DB_WRITER_GROUP_MAX)
			return db_begin(w->db);
		orgs[n++] = r->org_id;
	}
	return db_begin_orgs(w->db, orgs, n);
}

/* Applies one group: every request under its savepoint, then one commit. */
static void
writer_apply(struct db_writer *w, struct db_write_req *group)
{
	struct db_write_req *r;
	int rc;

	if ((rc = writer_begin(w, group)) != 0) {
		for (r = group; r; r = r->next)
			writer_keep_error(r, rc);
		return;
	}
	for (r = group; r; r = r->next) {
		aims_error_clear();
		if ((rc = db_savepoint_begin(w->db)) == 0)
			rc = db_savepoint_end(w->db, r->fn(w->db, r->arg));
		writer_keep_error(r, rc);
	}
	/* A failed commit (disk full, a hook) fails every request it held. */
	if ((rc = db_commit(w->db)) != 0)
		for (r = group; r; r = r->next)
			if (r->rc == 0)
				writer_keep_error(r, rc);
}

/* With the lock held: takes up to DB_WRITER_GROUP_MAX queued requests. */
static struct db_write_req *
writer_take(struct db_writer *w, int *n)
{
	struct db_write_req *group = w->head, *r;

	for (r = group, *n = 1; r->next && *n < DB_WRITER_GROUP_MAX; r = r->next)
		(*n)++;
	w->head = r->next;
	if (w->head == NULL)
		w->tail = NULL;
	r->next = NULL;
	return group;
}

int
db_writer_start(struct db_writer **out, const char *path)
{
	struct db_writer *w;
	int rc;

	*out = NULL;
	w = xcalloc(1, sizeof(*w));
	if ((rc = db_open(&w->db, path, DB_OPEN_NO_MIGRATE)) != 0) {
		free(w);
		return rc;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->answered, NULL);
	*out = w;
	return 0;
}

void
db_writer_stop(struct db_writer *w)
{
	if (w == NULL)
		return;
	/* Callers inside finish their group; later ones are refused. */
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	while (w->busy || w->head != NULL)
		pthread_cond_wait(&w->answered, &w->lock);
	pthread_mutex_unlock(&w->lock);
	db_close(w->db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->answered);
	free(w);
}

/* Without a writer (the CLI, tests): fn in a transaction of its own on db. */
static int
writer_direct(struct db *db, int64_t org_id, db_write_fn fn, void *arg)
{
	int rc;

	if ((rc = org_id > 0 ? db_begin_orgs(db, &org_id, 1) : db_begin(db)) != 0)
		return rc;
	if ((rc = fn(db, arg)) != 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int
db_writer_run(struct db_writer *w, struct db *db, db_write_fn fn, void *arg)
{
	return db_writer_run_org(w, db, 0, fn, arg);
}

int
db_writer_run_org(struct db_writer *w, struct db *db, int64_t org_id, db_write_fn fn,
    void *arg)
{
	struct db_write_req r, *group, *g;
	int n;

	if (w == NULL)
		return writer_direct(db, org_id, fn, arg);
	memset(&r, 0, sizeof(r));
	r.fn = fn;
	r.arg = arg;
	r.org_id = org_id;
	/* The caller's snapshot must not outlive the change it is waiting for. */
	if (db != NULL)
		db_read_refresh(db);
	pthread_mutex_lock(&w->lock);
	if (w->stop) {
		pthread_mutex_unlock(&w->lock);
		return aims_error_set(AIMS_ERROR, NULL, "the database writer is stopping");
	}
	if (w->tail)
		w->tail->next = &r;
	else
		w->head = &r;
	w->tail = &r;
	while (!r.done) {
		if (w->busy) {
			pthread_cond_wait(&w->answered, &w->lock);
			continue;
		}
		/* Idle: this caller applies what is queued, its own request first or among them. */
		w->busy = true;
		group = writer_take(w, &n);
		pthread_mutex_unlock(&w->lock);

		writer_apply(w, group);

		pthread_mutex_lock(&w->lock);
		w->groups++;
		w->requests += n;
		for (g = group; g; g = g->next)
			g->done = true;
		w->busy = false;
		pthread_cond_broadcast(&w->answered);
	}
	pthread_mutex_unlock(&w->lock);
	/* Its own thread's message, set again here for a request another caller applied. */
	if (r.rc != 0)
		return aims_error_set(r.rc, r.field[0] ? r.field : NULL, "%s", r.msg);
	return 0;
}

void
db_writer_stats(const struct db_writer *w, int64_t *groups, int64_t *requests)
{
	struct db_writer *m = (struct db_writer *)w;

	*groups = *requests = 0;
	if (w == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	*groups = w->groups;
	*requests = w->requests;
	pthread_mutex_unlock(&m->lock);
}
