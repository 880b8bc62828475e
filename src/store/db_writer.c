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
 * The writer is a thread of its own, the only user of the writer's
 * connection: a caller queues its request, wakes the thread if it is
 * idle, and sleeps until its answer is there. The thread goes from one
 * group to the next without giving up its CPU while requests keep coming.
 * Until 2026-12 a caller that found the writer idle became it, and handed
 * it to the next queued caller after its commit: the group after it then
 * waited for that caller's thread to be scheduled, about 150 µs of every
 * group cycle under 16 writing clients on 2 CPUs, and the new writer
 * started on cold caches. The thread made those creates 1.23 to 1.31 times
 * as fast, and a lone client's 1.10 to 1.22 times (docs/performance.md).
 *
 * Each waiting caller sleeps on a wake-up of its own, and the writer, after
 * the commit, wakes exactly the callers it answered. One wake-up shared by
 * every waiter (a broadcast after each group) woke also those still
 * queued, all to fight for the lock and most to sleep again. An answered
 * caller finds its answer in its request, published before its wake-up,
 * and returns without the lock.
 *
 * Checkpoints (SQLite's log copied into the database file) are kept off
 * the commits: SQLite runs one in the committing connection each time the
 * log passes 1,000 pages, which under steady creates was every few groups,
 * each a burst of random writes and an fsync of the database file that
 * every caller queued behind waited for (the tail of the latency). Here a
 * thread of its own copies the log, passively, every DB_LOG_CHECKPOINT_PAGES
 * new pages, while groups go on committing. A passive copy cannot start
 * the log again from the beginning while commits keep coming (they always
 * add pages it has not copied), so past DB_LOG_RESTART_PAGES the writer
 * itself, between two groups, copies what is left (the pages committed
 * since the last copy) and waits briefly for readers to leave the log:
 * the next commit starts it again. The log thus stays bounded and the
 * writer's own stall is the small remainder, not the whole copy.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/mem.h"

/*
 * A caller's request, on its stack. The writer stores the answer (rc,
 * field, msg, usec), then posts wake once; the caller, back from
 * sem_wait(), sees the answer, as sem_post() and sem_wait() order memory
 * (POSIX, "Memory Synchronization"). A semaphore, unlike a condition variable, wakes it without a mutex to take
 * again, and the caller may return (ending wake) as soon as the token is
 * there: glibc's sem_post() touches the semaphore after that only to wake
 * its futex, harmless once the semaphore is gone (glibc 2.21 and later,
 * its bug 12674).
 */
struct db_write_req {
	db_write_fn		 fn;
	void			*arg;
	int64_t			 org_id;	/* the organisation it changes; 0: the store */
	int			 rc;
	int64_t			 usec;	/* the database time it took: its own and the commit's */
	sem_t			 wake;
	char			 field[AIMS_ERROR_FIELD_MAX];
	char			 msg[AIMS_ERROR_MSG_MAX];
	struct db_write_req	*next;
};

struct db_writer {
	struct db		*db;
	pthread_mutex_t		 lock;
	pthread_t		 thread;	/* the writer (writer_main()) */
	bool			 running;	/* thread was started */
	pthread_cond_t		 work;		/* a request was queued while it was idle, or stop */
	struct db_write_req	*head, *tail;
	/*
	 * The thread is applying a group, or has requests to go on with: a
	 * caller that queues wakes it only when this is not set.
	 */
	bool			 busy;
	bool			 stop;
	/* The log (see the top): its length after the last commit, the copier. */
	int			 log_pages;	/* set by the commit, on the writer's connection */
	int			 log_copied_at;	/* its length when the last copy was asked for */
	int			 restart_at;	/* the writer restarts it past this length */
	struct db		*ckdb;		/* the copier's connection; NULL: no copier */
	pthread_t		 ckthread;
	pthread_cond_t		 ckwake;
	bool			 ckdue, ckbusy;
	bool			 restart_due;	/* the next group restarts the log first */
	int64_t			 grow_usec;	/* db_writer_set_grow() */
	/* Figures for the server's metrics and the benchmarks. */
	int64_t			 groups, requests, copies, restarts;
	/*
	 * Microseconds spent applying and committing groups, and committing
	 * alone: the share of the time the writer is busy says how close the
	 * server is to its ceiling for changes (only one group is written at a
	 * time), and the commit's share how much of that is the log's flush.
	 */
	int64_t			 busy_usec, commit_usec;
};

static void *writer_main(void *arg);

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
 * What a group's transaction locks: the whole store, or the organisations
 * in orgs (db_begin_orgs()). A request that arrives while the group is
 * applied joins it only if this covers its organisation.
 */
struct writer_scope {
	bool	whole;
	size_t	n;
	int64_t	orgs[DB_WRITER_GROUP_MAX];
};

static bool
writer_scope_covers(const struct writer_scope *s, int64_t org_id)
{
	size_t i;

	if (s->whole)
		return true;
	for (i = 0; i < s->n && org_id > 0; i++)
		if (s->orgs[i] == org_id)
			return true;
	return false;
}

/*
 * Begins the group's transaction: when every request names its organisation,
 * it locks those organisations only (db_begin_orgs()), so another server's
 * group of other organisations commits meanwhile; else the whole store.
 */
static int
writer_begin(struct writer_scope *scope, struct db_writer *w, struct db_write_req *group)
{
	struct db_write_req *r;

	scope->whole = !db_begin_orgs_locks_orgs(w->db);
	scope->n = 0;
	for (r = group; r && !scope->whole; r = r->next) {
		if (r->org_id <= 0 || scope->n == DB_WRITER_GROUP_MAX)
			scope->whole = true;
		else
			scope->orgs[scope->n++] = r->org_id;
	}
	if (scope->whole)
		return db_begin(w->db);
	return db_begin_orgs(w->db, scope->orgs, scope->n);
}

/*
 * With the lock held: takes requests from the head of the queue while the
 * group has room (*n so far, counted on) and, for a group begun (scope),
 * while its transaction covers their organisation: the first one it does
 * not cover, and all behind it, wait for the next group. NULL: none.
 */
static struct db_write_req *
writer_take(struct db_writer *w, const struct writer_scope *scope, int *n)
{
	struct db_write_req *taken = w->head, *last = NULL, *r;

	for (r = w->head; r && *n < DB_WRITER_GROUP_MAX &&
	    (scope == NULL || writer_scope_covers(scope, r->org_id)); r = r->next) {
		last = r;
		(*n)++;
	}
	if (last == NULL)
		return NULL;
	w->head = last->next;
	if (w->head == NULL)
		w->tail = NULL;
	last->next = NULL;
	return taken;
}

/*
 * Applies one group: every request under its savepoint, then one commit.
 * Requests queued meanwhile join it (writer_take()) until the queue
 * has none it may take or grow_usec have passed: under steady
 * load a caller answered by one commit is back before the next group is
 * applied, and a group that takes it commits once for more changes.
 * *n: the group's size (updated); *commit_usec: how long the commit took.
 */
static void
writer_apply(int64_t *commit_usec, int *n, struct db_writer *w, struct db_write_req *group,
    int64_t grow_usec)
{
	struct writer_scope scope;
	struct db_write_req *r, *last = NULL;
	int64_t t0, t1, start = clock_mono_usec();
	int rc;

	*commit_usec = 0;
	if ((rc = writer_begin(&scope, w, group)) != 0) {
		for (r = group; r; r = r->next)
			writer_keep_error(r, rc);
		return;
	}
	for (r = group, t0 = start; r; t0 = t1) {
		aims_error_clear();
		if ((rc = db_savepoint_begin(w->db)) == 0)
			rc = db_savepoint_end(w->db, r->fn(w->db, r->arg));
		writer_keep_error(r, rc);
		t1 = clock_mono_usec();
		r->usec = t1 - t0;
		last = r;
		r = r->next;
		if (r == NULL && t1 - start < grow_usec) {
			pthread_mutex_lock(&w->lock);
			r = last->next = writer_take(w, &scope, n);
			pthread_mutex_unlock(&w->lock);
		}
	}
	/* A failed commit (disk full, a hook) fails every request it held. */
	t0 = clock_mono_usec();
	rc = db_commit(w->db);
	*commit_usec = clock_mono_usec() - t0;
	for (r = group; r; r = r->next) {
		r->usec += *commit_usec;
		if (rc != 0 && r->rc == 0)
			writer_keep_error(r, rc);
	}
}

/* The copier: a passive checkpoint each time the writer asks for one. */
static void *
writer_copier_main(void *arg)
{
	struct db_writer *w = arg;
	int log, copied, rc;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->ckdue && !w->stop)
			pthread_cond_wait(&w->ckwake, &w->lock);
		if (w->stop)
			break;
		w->ckdue = false;
		w->ckbusy = true;
		pthread_mutex_unlock(&w->lock);
		if ((rc = db_checkpoint(w->ckdb, 0, &log, &copied)) != 0)
			log_warn("copying the database log failed: %s", aims_error_message());
		pthread_mutex_lock(&w->lock);
		w->ckbusy = false;
		w->copies++;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * With the lock held, after a group's commit: asks the copier for a copy
 * every DB_LOG_CHECKPOINT_PAGES new pages. Returns whether the log is long
 * enough for the writer to restart it before the next group.
 */
static bool
writer_log_committed(struct db_writer *w)
{
	if (w->ckdb == NULL)
		return false;
	if (w->log_pages < w->log_copied_at)	/* the log started again */
		w->log_copied_at = 0;
	if (w->log_pages - w->log_copied_at >= DB_LOG_CHECKPOINT_PAGES && !w->ckbusy) {
		w->log_copied_at = w->log_pages;
		w->ckdue = true;
		pthread_cond_signal(&w->ckwake);
	}
	return w->log_pages >= w->restart_at && !w->ckbusy && !w->ckdue;
}

/*
 * Between groups, on the writer's connection: copies what the copier has
 * not and lets the next commit start the log again. When readers keep it
 * (a long read), it is tried again after another DB_LOG_CHECKPOINT_PAGES.
 */
static void
writer_log_restart(struct db_writer *w)
{
	int log, copied;

	if (db_checkpoint(w->db, 1, &log, &copied) != 0)
		log_warn("restarting the database log failed: %s", aims_error_message());
	pthread_mutex_lock(&w->lock);
	w->restarts++;
	w->restart_at = log <= 0 || copied == log ? DB_LOG_RESTART_PAGES :
	    log + DB_LOG_CHECKPOINT_PAGES;
	pthread_mutex_unlock(&w->lock);
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
	pthread_cond_init(&w->ckwake, NULL);
	pthread_cond_init(&w->work, NULL);
	w->restart_at = DB_LOG_RESTART_PAGES;
	w->grow_usec = DB_WRITER_GROW_USEC;
	/* Without a copier (no log, or no thread) SQLite's own checkpoints stay on. */
	if (db_has_log(w->db) && db_open(&w->ckdb, path, DB_OPEN_NO_MIGRATE) == 0) {
		if (pthread_create(&w->ckthread, NULL, writer_copier_main, w) != 0) {
			db_close(w->ckdb);
			w->ckdb = NULL;
		} else if ((rc = db_log_watch(w->db, &w->log_pages)) != 0) {
			db_writer_stop(w);
			return rc;
		}
	}
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot start the database writer: %s",
		    strerror(errno));
		db_writer_stop(w);
		return rc;
	}
	w->running = true;
	*out = w;
	return 0;
}

void
db_writer_stop(struct db_writer *w)
{
	if (w == NULL)
		return;
	/* The writer applies what is queued, then ends; later callers are refused. */
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->ckwake);
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	if (w->running)
		pthread_join(w->thread, NULL);
	if (w->ckdb != NULL) {
		pthread_join(w->ckthread, NULL);
		db_close(w->ckdb);
	}
	db_close(w->db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->ckwake);
	free(w);
}

/*
 * Without a writer (the CLI, tests): fn in a transaction of its own on db,
 * which is its own writer for it (not a write beside one: db_guard_writes).
 */
static int
writer_direct(struct db *db, int64_t org_id, db_write_fn fn, void *arg)
{
	bool guarded = db_guard_writes(db, false);
	int rc;

	if ((rc = org_id > 0 ? db_begin_orgs(db, &org_id, 1) : db_begin(db)) != 0)
		goto done;
	if ((rc = fn(db, arg)) != 0) {
		db_rollback(db);
		goto done;
	}
	rc = db_commit(db);
done:
	db_guard_writes(db, guarded);
	return rc;
}

int
db_writer_run(struct db_writer *w, struct db *db, db_write_fn fn, void *arg)
{
	return db_writer_run_org(w, db, 0, fn, arg);
}

/* Wakes a caller whose answer is in its request. */
static void
writer_wake(struct db_write_req *r)
{
	sem_post(&r->wake);
}

/* Sleeps until the writer has answered r. */
static void
writer_wait(struct db_write_req *r)
{
	/* One post per request: only a signal interrupts the wait early. */
	while (sem_wait(&r->wake) != 0 && errno == EINTR)
		;
}

/*
 * On the writer's thread, with the lock held: applies the requests at the
 * head of the queue (and those that join them, writer_apply()), answers
 * them, and counts the group. Returns with the lock held.
 */
static void
writer_run_group(struct db_writer *w)
{
	struct db_write_req *group, *g, *next;
	int64_t t0, busy, commit, grow;
	bool restart;
	int n = 0;

	group = writer_take(w, NULL, &n);
	grow = w->grow_usec;
	restart = w->restart_due;
	w->restart_due = false;
	pthread_mutex_unlock(&w->lock);

	t0 = clock_mono_usec();
	if (restart)
		writer_log_restart(w);
	writer_apply(&commit, &n, w, group, grow);
	busy = clock_mono_usec() - t0;

	/* Counted before the answers: a caller answered reads figures that hold its change. */
	pthread_mutex_lock(&w->lock);
	w->groups++;
	w->requests += n;
	w->busy_usec += busy;
	w->commit_usec += commit;
	w->restart_due = writer_log_committed(w);
	pthread_mutex_unlock(&w->lock);
	for (g = group; g; g = next) {
		next = g->next;		/* g may be gone once woken */
		writer_wake(g);
	}
	pthread_mutex_lock(&w->lock);
}

/* The writer's thread: a group at a time while requests are queued, until stopped. */
static void *
writer_main(void *arg)
{
	struct db_writer *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->head == NULL && !w->stop) {
			w->busy = false;
			pthread_cond_wait(&w->work, &w->lock);
		}
		if (w->head == NULL)	/* stopping, and nothing is left to apply */
			break;
		w->busy = true;
		writer_run_group(w);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int
db_writer_run_org(struct db_writer *w, struct db *db, int64_t org_id, db_write_fn fn,
    void *arg)
{
	struct db_write_req r;
	int rc;

	if (w == NULL)
		return writer_direct(db, org_id, fn, arg);
	memset(&r, 0, sizeof(r));
	r.fn = fn;
	r.arg = arg;
	r.org_id = org_id;
	if (sem_init(&r.wake, 0, 0) != 0)
		return aims_error_set(AIMS_ERROR, NULL, "a write's wake-up: %s", strerror(errno));
	/* The caller's snapshot must not outlive the change it is waiting for. */
	if (db != NULL)
		db_read_refresh(db);
	pthread_mutex_lock(&w->lock);
	if (w->stop) {
		pthread_mutex_unlock(&w->lock);
		rc = aims_error_set(AIMS_ERROR, NULL, "the database writer is stopping");
		goto done;
	}
	if (w->tail)
		w->tail->next = &r;
	else
		w->head = &r;
	w->tail = &r;
	/* An idle writer is woken once; a busy one finds the request after its group. */
	if (!w->busy) {
		w->busy = true;
		pthread_cond_signal(&w->work);
	}
	pthread_mutex_unlock(&w->lock);
	writer_wait(&r);
	db_time_charge(r.usec);
	/* The writer's message, set again on the caller's thread. */
	rc = r.rc == 0 ? 0 : aims_error_set(r.rc, r.field[0] ? r.field : NULL, "%s", r.msg);
done:
	sem_destroy(&r.wake);
	return rc;
}

void
db_writer_set_grow(struct db_writer *w, int64_t usec)
{
	pthread_mutex_lock(&w->lock);
	w->grow_usec = usec;
	pthread_mutex_unlock(&w->lock);
}

void
db_writer_figures(struct db_writer_figures *out, const struct db_writer *w)
{
	struct db_writer *m = (struct db_writer *)w;
	struct db_write_req *r;

	memset(out, 0, sizeof(*out));
	if (w == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	out->groups = w->groups;
	out->requests = w->requests;
	out->copies = w->copies;
	out->restarts = w->restarts;
	out->busy_usec = w->busy_usec;
	out->commit_usec = w->commit_usec;
	for (r = w->head; r; r = r->next)
		out->queued++;
	pthread_mutex_unlock(&m->lock);
}
