/*
 * db_writer.c - group commit: one writer thread per database takes write
 * requests from a queue and applies all that are waiting in one
 * transaction, each under a savepoint of its own (one failing request
 * undoes only its own changes), commits once, and only then answers each
 * caller. A success still means on disk (the commit is the group's one
 * fsync), callers never meet in SQLite's busy handler (they queue here),
 * and N waiting changes cost one commit instead of N. It sits above the
 * backend (db.h's transactions and savepoints), so any backend gets it.
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
	int			 rc;
	bool			 done;
	char			 field[AIMS_ERROR_FIELD_MAX];
	char			 msg[AIMS_ERROR_MSG_MAX];
	struct db_write_req	*next;
};

struct db_writer {
	struct db		*db;
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;		/* the queue has requests, or stop */
	pthread_cond_t		 answered;	/* a group was answered */
	struct db_write_req	*head, *tail;
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

/* Applies one group: every request under its savepoint, then one commit. */
static void
writer_apply(struct db_writer *w, struct db_write_req *group)
{
	struct db_write_req *r;
	int rc;

	if ((rc = db_begin(w->db)) != 0) {
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

static void *
writer_main(void *arg)
{
	struct db_writer *w = arg;
	struct db_write_req *group, *r;
	int n;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->head == NULL && !w->stop)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->head == NULL)
			break;	/* stopping, and nothing left to apply */
		/* Take up to DB_WRITER_GROUP_MAX: later ones wait for the next group. */
		group = w->head;
		for (r = group, n = 1; r->next && n < DB_WRITER_GROUP_MAX; r = r->next)
			n++;
		w->head = r->next;
		if (w->head == NULL)
			w->tail = NULL;
		r->next = NULL;
		pthread_mutex_unlock(&w->lock);

		writer_apply(w, group);

		pthread_mutex_lock(&w->lock);
		w->groups++;
		w->requests += n;
		for (r = group; r; r = r->next)
			r->done = true;
		pthread_cond_broadcast(&w->answered);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
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
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->answered, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		db_close(w->db);
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->wake);
		pthread_cond_destroy(&w->answered);
		free(w);
		return aims_error_set(AIMS_ERROR, NULL, "cannot start the database writer");
	}
	*out = w;
	return 0;
}

void
db_writer_stop(struct db_writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	db_close(w->db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->answered);
	free(w);
}

/* Without a writer (the CLI, tests): fn in a transaction of its own on db. */
static int
writer_direct(struct db *db, db_write_fn fn, void *arg)
{
	int rc;

	if ((rc = db_begin(db)) != 0)
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
	struct db_write_req r;

	if (w == NULL)
		return writer_direct(db, fn, arg);
	memset(&r, 0, sizeof(r));
	r.fn = fn;
	r.arg = arg;
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
	pthread_cond_signal(&w->wake);
	while (!r.done)
		pthread_cond_wait(&w->answered, &w->lock);
	pthread_mutex_unlock(&w->lock);
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
