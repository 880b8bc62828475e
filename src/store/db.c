/*
 * db.c - backend-independent part of the store: the statement cache,
 * nested transactions, read scopes and commit hooks; the backend
 * (db_sqlite.c, db_pg.c) maps its own errors. See db.h.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

/* Time this thread spent stepping statements (for the server's metrics). */
static _Thread_local int64_t db_thread_usec;
/*
 * Whether this thread counts its database time (db_time_track): the clock
 * reads are a few percent of a long scan (`aims verify` steps once per
 * ledger entry), and only the server reads them.
 */
static _Thread_local bool db_thread_timed;
/*
 * This thread's timed statement runs open now (db_step), and the clock
 * when the first of them began: runs that overlap (a statement stepped
 * between the rows of another) count once, from the first one's start to
 * the last one's end.
 */
static _Thread_local int db_thread_runs;
static _Thread_local int64_t db_thread_runs_t0;

struct db_stmt {
	struct db	*db;
	void		*impl;
	char		*sql;
	int		 in_use;
	int		 writes;	/* not a read: ends a read scope's snapshot */
	/*
	 * A timed run of the statement is open: runs are timed whole, from
	 * the first step to the last one or to db_done(), with two clock
	 * reads rather than two per row. A page of 50 rows read the clock 102
	 * times, 3 % of a list request's CPU; what the caller does between the
	 * rows (copying a row out) now counts as database time, and it is
	 * small beside the step.
	 */
	bool		 timed_run;
	bool		 stepping;	/* stepped since its last db_done() */
	unsigned	 deferred_seen;	/* deferred kinds whose tables were looked for */
	unsigned	 deferred_hit;	/* ... and which of them the SQL names */
};

static void db_read_close(struct db *db);

static void
db_run_begin(struct db_stmt *st)
{
	st->timed_run = true;
	if (db_thread_runs++ == 0)
		db_thread_runs_t0 = clock_mono_usec();
}

static void
db_run_end(struct db_stmt *st)
{
	st->timed_run = false;
	/* A statement closed on another thread than the one that stepped it. */
	if (db_thread_runs == 0)
		return;
	if (--db_thread_runs == 0)
		db_thread_usec += clock_mono_usec() - db_thread_runs_t0;
}

struct db_hook {
	db_commit_fn	 fn;		/* or: */
	db_commit_text_fn text_fn;	/* with text, the last one given for arg */
	int64_t		 arg;
	char		*text;
};

struct db {
	const struct db_ops	*ops;
	void			*conn;
	char			*path;
	struct db_stmt		*cache[DB_STMT_CACHE_MAX];
	size_t			 ncache;
	int			 tx_depth;
	int			 tx_failed;
	int			 read_depth;	/* db_read_begin() scopes open */
	bool			 read_open;	/* the scope's deferred BEGIN is open */
	struct db_hook		*hooks;		/* run before the outermost COMMIT */
	size_t			 nhooks, hookcap;
	bool			 sp_open;	/* db_savepoint_begin() is open */
	int			 sp_depth;	/* tx_depth when it began */
	size_t			 sp_nhooks;	/* hooks registered before it */
	bool			 guarded;	/* db_guard_writes(): writes are counted */
	void			*deferred[DB_DEFERRED_MAX];	/* by kind (db_deferred_id) */
	unsigned		 deferred_pending;	/* kinds db_deferred() gave out */
	void			*deferred_mark[DB_DEFERRED_MAX];	/* copies at the savepoint */
	unsigned		 deferred_mark_pending;	/* and which kinds were given out */
	bool			 deferred_flushing;
};

/* Drops the hooks registered from the n-th on, with their texts. */
static void
db_hooks_cut(struct db *db, size_t n)
{
	while (db->nhooks > n)
		free(db->hooks[--db->nhooks].text);
}

/* The kinds of deferred state, numbered in the order first used. */
static const struct db_deferred *db_deferred_kinds[DB_DEFERRED_MAX];
static int db_deferred_nkinds;
static pthread_mutex_t db_deferred_mu = PTHREAD_MUTEX_INITIALIZER;

static void db_deferred_drop(struct db *db);
static unsigned db_deferred_sql_names(const char *sql, unsigned kinds);
static unsigned db_deferred_named(struct db_stmt *st);
static int db_deferred_write(struct db *db, unsigned kinds);
static unsigned db_deferred_held(void);
static void db_deferred_mark(struct db *db);
static void db_deferred_unmark(struct db *db);
static void db_deferred_restore(struct db *db);

/* Writes made on guarded connections (db_guard_writes) since the start. */
static int64_t db_stray_count;

#ifdef AIMS_TEST_HOOKS
#define DB_TEST_SCHEMA_MAX	63	/* PostgreSQL's longest name */

/*
 * Test builds with $AIMS_TEST_PG_URL set: a SQLite file path the unit tests
 * use ("fx.db") stands for a schema of that cluster, so every unit test runs
 * on PostgreSQL unchanged (make test-pg). The schema is named after the
 * working directory (each test runs in a temporary one) and the file name;
 * the file itself is an empty marker, so that a test that removes the file
 * to start again starts from an empty schema, and one that opens a missing
 * file without DB_OPEN_CREATE is told it is missing.
 */
static int
db_test_pg_path(char **out, const char *path, int flags)
{
	const char *base = getenv("AIMS_TEST_PG_URL");
	char cwd[4096], schema[DB_TEST_SCHEMA_MAX + 1];
	struct buf sql = BUF_INIT, url = BUF_INIT;
	struct stat sb;
	uint32_t h = 2166136261u;	/* FNV-1a of the directory */
	void *conn = NULL;
	size_t i, n;
	int rc = 0, fd;

	*out = NULL;
	if (base == NULL || *base == '\0' || db_path_is_url(path) || strchr(path, '/') ||
	    getcwd(cwd, sizeof(cwd)) == NULL)
		return 0;
	for (i = 0; cwd[i]; i++)
		h = (h ^ (unsigned char)cwd[i]) * 16777619u;
	n = (size_t)snprintf(schema, sizeof(schema), "t%08x_", h);
	for (i = 0; path[i] && n < DB_TEST_SCHEMA_MAX; i++)
		schema[n++] = isalnum((unsigned char)path[i]) ? (char)tolower(path[i]) : '_';
	schema[n] = '\0';
	if (stat(path, &sb) != 0) {
		if (!(flags & DB_OPEN_CREATE))
			return aims_error_set(AIMS_ENOTFOUND, "db",
			    "no database at %s (run 'aims init' first)", path);
		if ((rc = db_pg_ops.open(&conn, base, 0)) != 0)
			return rc;
		buf_printf(&sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", schema,
		    schema);
		rc = db_pg_ops.exec(conn, buf_str(&sql));
		db_pg_ops.close(conn);
		buf_free(&sql);
		if (rc != 0)
			return rc;
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0)
			close(fd);
	}
	buf_printf(&url, "%s%soptions=-csearch_path%%3D%s", base, strchr(base, '?') ? "&" : "?",
	    schema);
	*out = buf_detach(&url);
	return 0;
}
#endif

int
db_open(struct db **out, const char *path, int flags)
{
	struct db *db;
	char *target = NULL;
	int rc, applied;

	*out = NULL;
	if (path == NULL || *path == '\0')
		return aims_error_set(AIMS_EINVALID, "db", "no database path given");
#ifdef AIMS_TEST_HOOKS
	if ((rc = db_test_pg_path(&target, path, flags)) != 0)
		return rc;
#endif
	db = xcalloc(1, sizeof(*db));
	db->ops = db_path_is_url(target ? target : path) ? &db_pg_ops : &db_sqlite_ops;
	db->path = xstrdup(path);
	rc = db->ops->open(&db->conn, target ? target : path, flags);
	free(target);
	if (rc != 0)
		goto fail;
	if (!(flags & (DB_OPEN_NO_MIGRATE | DB_OPEN_READONLY)) &&
	    (rc = db_migrate(db, &applied)) != 0)
		goto fail;
	*out = db;
	return 0;
fail:
	db_close(db);
	return rc;
}

void
db_close(struct db *db)
{
	size_t i;

	if (db == NULL)
		return;
	db_read_close(db);
	db_deferred_drop(db);
	db_deferred_unmark(db);
	for (i = 0; i < db->ncache; i++) {
		if (db->cache[i]->timed_run)
			db_run_end(db->cache[i]);
		db->ops->finalize(db->cache[i]->impl);
		free(db->cache[i]->sql);
		free(db->cache[i]);
	}
	if (db->conn)
		db->ops->close(db->conn);
	db_hooks_cut(db, 0);
	free(db->hooks);
	free(db->path);
	free(db);
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

const char *
db_backend(const struct db *db)
{
	return db->ops->name;
}

int
db_path_is_url(const char *path)
{
	return str_has_prefix(path, "postgres://") || str_has_prefix(path, "postgresql://");
}

char *
db_local_base(const char *path)
{
	const char *dir = getenv("AIMS_DATA_DIR");
	struct buf b = BUF_INIT;

	if (!db_path_is_url(path))
		return xstrdup(path);
	dir = dir && *dir ? dir : DB_LOCAL_DIR_DEFAULT;
	/* Made on first use, private: the ledger's signing key is kept there. */
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		log_warn("cannot create %s: %s", dir, strerror(errno));
	buf_printf(&b, "%s/aims", dir);
	return buf_detach(&b);
}

int
db_lock_org(struct db *db, int64_t org_id)
{
	if (db->ops->lock_org == NULL)
		return 0;
	if (db->tx_depth == 0)
		return aims_error_set(AIMS_ERROR, NULL, "organisation lock outside a transaction");
	return db->ops->lock_org(db->conn, org_id);
}

bool
db_guard_writes(struct db *db, bool on)
{
	bool was = db->guarded;

	db->guarded = on;
	return was;
}

static db_write_hook_fn db_write_hook;

void
db_set_write_hook(db_write_hook_fn hook)
{
	__atomic_store_n(&db_write_hook, hook, __ATOMIC_RELEASE);
}

int
db_write_via(struct db *db, int64_t org_id, db_write_fn fn, void *arg)
{
	db_write_hook_fn hook = __atomic_load_n(&db_write_hook, __ATOMIC_ACQUIRE);

	/*
	 * Inside a transaction of its own the change joins it: the writer would
	 * wait for the lock that transaction holds (and it is counted as stray).
	 */
	if (hook != NULL && db->guarded && db->tx_depth == 0)
		return hook(db, org_id, fn, arg);
	return fn(db, arg);
}

int64_t
db_stray_writes(void)
{
	return __atomic_load_n(&db_stray_count, __ATOMIC_RELAXED);
}

/* A write on a guarded connection: counted, and named in the log the first time. */
static void
db_stray_write(const char *what)
{
	if (__atomic_fetch_add(&db_stray_count, 1, __ATOMIC_RELAXED) == 0)
		log_warn("a change beside the database writer: %.120s", what);
}

int
db_has_log(const struct db *db)
{
	return db->ops->checkpoint != NULL;
}

/*
 * PostgreSQL plans a statement prepared once (verify prepares each lookup
 * once and runs it for every record) from the statistics it has then; right
 * after a burst of writes that autovacuum has not analysed yet, those still
 * describe small tables, and verify's lookups by reference became scans of
 * a kind's whole range: 158 s for 20,000 records, against 12.7 s after an
 * ANALYZE that took 333 ms (tests/e2e/pg_servers.test.mjs). SQLite's
 * planner here has no sampled statistics (no sqlite_stat1) to go stale.
 */
int
db_refresh_statistics(struct db *db)
{
	if (db->ops != &db_pg_ops)
		return 0;
	if (db->tx_depth > 0)
		return aims_error_set(AIMS_ERROR, NULL, "statistics refreshed inside a transaction");
	return db_exec(db, "ANALYZE ledger_entries, ledger_checkpoints, records, record_versions, "
	    "record_fields, record_links");
}

int
db_log_watch(struct db *db, int *log_pages)
{
	if (log_pages != NULL)
		*log_pages = 0;
	if (db->ops->log_watch == NULL)
		return 0;
	return db->ops->log_watch(db->conn, log_pages);
}

int
db_checkpoint(struct db *db, int restart, int *log_pages, int *copied)
{
	int64_t t0 = clock_mono_usec();
	int rc;

	*log_pages = *copied = 0;
	if (db->ops->checkpoint == NULL)
		return 0;
	if (db->tx_depth > 0 || db->read_open)
		return aims_error_set(AIMS_ERROR, NULL, "a checkpoint inside a transaction");
	rc = db->ops->checkpoint(db->conn, restart, log_pages, copied);
	db_thread_usec += clock_mono_usec() - t0;
	return rc;
}

int
db_prepare(struct db_stmt **out, struct db *db, const char *sql)
{
	struct db_stmt *st;
	size_t i;
	int rc;

	*out = NULL;
	for (i = 0; i < db->ncache; i++) {
		st = db->cache[i];
		/*
		 * By text: the cache holds its own copy of each statement, and
		 * built statements (store/sqlb.h) are new strings every time.
		 */
		if (!st->in_use && strcmp(st->sql, sql) == 0) {
			st->in_use = 1;
			st->stepping = false;
			*out = st;
			return 0;
		}
	}
	st = xcalloc(1, sizeof(*st));
	if ((rc = db->ops->prepare(&st->impl, db->conn, sql)) != 0) {
		free(st);
		return rc;
	}
	st->db = db;
	st->sql = xstrdup(sql);
	st->in_use = 1;
	st->writes = db->ops->writes(st->impl);
	if (db->ncache == DB_STMT_CACHE_MAX) {
		/* Cache full: evict the idle statement prepared first. */
		for (i = 0; i < db->ncache && db->cache[i]->in_use; i++)
			;
		if (i == db->ncache) {
			/* All in use (a bug upstream); keep it uncached but usable. */
			st->in_use = 2;
			*out = st;
			return 0;
		}
		db->ops->finalize(db->cache[i]->impl);
		free(db->cache[i]->sql);
		free(db->cache[i]);
		memmove(&db->cache[i], &db->cache[i + 1], (db->ncache - i - 1) * sizeof(st));
		db->ncache--;
	}
	db->cache[db->ncache++] = st;
	*out = st;
	return 0;
}

void
db_done(struct db_stmt *st)
{
	if (st == NULL)
		return;
	if (st->timed_run)
		db_run_end(st);
	st->stepping = false;
	st->db->ops->reset(st->impl);
	if (st->in_use == 2) {
		st->db->ops->finalize(st->impl);
		free(st->sql);
		free(st);
		return;
	}
	st->in_use = 0;
}

int
db_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
	return st->db->ops->bind_int64(st->impl, idx, v);
}

int
db_bind_double(struct db_stmt *st, int idx, double v)
{
	return st->db->ops->bind_double(st->impl, idx, v);
}

int
db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		return st->db->ops->bind_null(st->impl, idx);
	return st->db->ops->bind_text(st->impl, idx, s, strlen(s));
}

int
db_bind_textn(struct db_stmt *st, int idx, const char *s, size_t len)
{
	return st->db->ops->bind_text(st->impl, idx, s, len);
}

int
db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t len)
{
	return st->db->ops->bind_blob(st->impl, idx, p, len);
}

int
db_bind_null(struct db_stmt *st, int idx)
{
	return st->db->ops->bind_null(st->impl, idx);
}

int
db_step(struct db_stmt *st)
{
	int rc;

	/*
	 * A statement that names a table with changes kept in memory runs
	 * after they are written (once, before its first step: a statement
	 * already under way does not see later changes on any backend).
	 */
	if (!st->stepping && st->db->deferred_pending != 0 && !st->db->deferred_flushing &&
	    (rc = db_deferred_write(st->db, db_deferred_named(st))) != 0)
		return rc;
	st->stepping = true;
	if (db_thread_timed && !st->timed_run)
		db_run_begin(st);
	/* A write in a read scope (a token's last use, say) runs on the latest state. */
	if (st->writes && st->db->read_open)
		db_read_close(st->db);
	if (st->writes && st->db->guarded && st->db->tx_depth == 0)
		db_stray_write(st->sql);
	rc = st->db->ops->step(st->impl);
	/* The run ends with its last row; db_done() ends one stopped early. */
	if (rc != DB_ROW && st->timed_run)
		db_run_end(st);
	return rc;
}

int64_t
db_column_int64(struct db_stmt *st, int col)
{
	return st->db->ops->column_int64(st->impl, col);
}

double
db_column_double(struct db_stmt *st, int col)
{
	return st->db->ops->column_double(st->impl, col);
}

const char *
db_column_text(struct db_stmt *st, int col)
{
	return st->db->ops->column_text(st->impl, col);
}

const void *
db_column_blob(struct db_stmt *st, int col, size_t *len)
{
	return st->db->ops->column_blob(st->impl, col, len);
}

int
db_column_is_null(struct db_stmt *st, int col)
{
	return st->db->ops->column_is_null(st->impl, col);
}

int
db_exec(struct db *db, const char *sql)
{
	int64_t t0 = clock_mono_usec();
	int rc;

	/* Statements run whole (writes among them) start from the latest state. */
	if (db->read_open)
		db_read_close(db);
	if (db->deferred_pending != 0 && !db->deferred_flushing &&
	    (rc = db_deferred_write(db, db_deferred_sql_names(sql, db->deferred_pending))) != 0)
		return rc;
	rc = db->ops->exec(db->conn, sql);

	db_thread_usec += clock_mono_usec() - t0;
	return rc;
}

/*
 * A transaction command run once a request or a group (BEGIN IMMEDIATE,
 * COMMIT, a request's SAVEPOINT and RELEASE): on SQLite from the statement
 * cache, as db_read_exec() does, since compiling the text anew each time
 * cost more than running it. PostgreSQL runs it as text.
 */
static int
db_exec_cached(struct db *db, const char *sql)
{
	struct db_stmt *st;
	int64_t t0;
	int rc;

	if (db->ops != &db_sqlite_ops)
		return db_exec(db, sql);
	t0 = clock_mono_usec();
	if (db->read_open)
		db_read_close(db);
	if ((rc = db_prepare(&st, db, sql)) == 0) {
		rc = db->ops->step(st->impl);
		db_done(st);
	}
	db_thread_usec += clock_mono_usec() - t0;
	return rc < 0 ? rc : 0;
}

void
db_time_charge(int64_t usec)
{
	if (db_thread_timed && usec > 0)
		db_thread_usec += usec;
}

int64_t
db_time_usec(void)
{
	return db_thread_usec;
}

void
db_time_track(bool on)
{
	db_thread_timed = on;
}

int
db_query_int64(int64_t *out, struct db *db, const char *sql)
{
	struct db_stmt *st;
	int rc;

	if ((rc = db_prepare(&st, db, sql)) != 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, NULL, "query returned no row");
	db_done(st);
	return rc;
}

int
db_query_int64_text(int64_t *out, struct db *db, const char *sql, const char *param)
{
	struct db_stmt *st;
	int rc;

	if ((rc = db_prepare(&st, db, sql)) != 0)
		return rc;
	db_bind_text(st, 1, param);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = AIMS_ENOTFOUND;
	db_done(st);
	return rc;
}

/*
 * A read scope's BEGIN or COMMIT. On SQLite from the statement cache:
 * sqlite3_exec() compiles the text anew each time, 2 % of the CPU of a
 * list request that runs one other statement. PostgreSQL runs it as it
 * comes.
 */
static int
db_read_exec(struct db *db, const char *sql)
{
	struct db_stmt *st;
	int rc;

	if (db->ops != &db_sqlite_ops)
		return db_exec(db, sql);
	if ((rc = db_prepare(&st, db, sql)) != 0)
		return rc;
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* Ends a read scope's snapshot (its statements are done: nothing to keep). */
static void
db_read_close(struct db *db)
{
	if (!db->read_open)
		return;
	db->read_open = false;
	db_read_exec(db, "COMMIT");
}

int
db_read_begin(struct db *db)
{
	int rc;

	if (db->read_depth++ > 0 || db->tx_depth > 0)
		return 0;
	if ((rc = db_read_exec(db, "BEGIN")) != 0) {
		db->read_depth--;
		return rc;
	}
	db->read_open = true;
	return 0;
}

void
db_read_end(struct db *db)
{
	if (db->read_depth == 0 || --db->read_depth > 0)
		return;
	db_read_close(db);
}

void
db_read_refresh(struct db *db)
{
	db_read_close(db);
}

int
db_savepoint_begin(struct db *db)
{
	int rc;

	if (db->tx_depth == 0 || db->sp_open)
		return aims_error_set(AIMS_ERROR, NULL, "savepoint outside a transaction, or nested");
	/*
	 * What is kept in memory then belongs to the savepoint alone: written
	 * now, or, for a kind that can copy its state, copied to be put back
	 * if the savepoint is rolled back, and written once for the group.
	 */
	if ((rc = db_deferred_write(db, ~db_deferred_held())) != 0 ||
	    (rc = db_exec_cached(db, "SAVEPOINT aims_request")) != 0)
		return rc;
	db_deferred_mark(db);
	db->sp_open = true;
	db->sp_depth = db->tx_depth;
	db->sp_nhooks = db->nhooks;
	return 0;
}

int
db_savepoint_end(struct db *db, int rc)
{
	int xrc;

	if (!db->sp_open)
		return rc != 0 ? rc : aims_error_set(AIMS_ERROR, NULL, "no savepoint open");
	db->sp_open = false;
	if (rc == 0 && db->tx_failed)
		rc = aims_error_set(AIMS_ERROR, NULL, "the change was rolled back by an inner failure");
	if (rc == 0 && db->tx_depth != db->sp_depth)
		rc = aims_error_set(AIMS_ERROR, NULL, "the change left a transaction open");
	if (rc == 0 && (rc = db_deferred_write(db, ~db_deferred_held())) == 0) {
		db_deferred_unmark(db);
		return db_exec_cached(db, "RELEASE aims_request");
	}
	/* Undo this request only; the message stays the request's own. */
	db_deferred_drop(db);
	if ((xrc = db->ops->exec(db->conn, "ROLLBACK TO aims_request; RELEASE aims_request")) != 0)
		db->tx_failed = 1;	/* cannot undo it alone: the whole group fails */
	else
		db->tx_failed = 0;
	db_deferred_restore(db);
	db->tx_depth = db->sp_depth;
	db_hooks_cut(db, db->sp_nhooks);
	return rc;
}

int
db_begin(struct db *db)
{
	return db_begin_orgs(db, NULL, 0);
}

static int
db_cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

bool
db_begin_orgs_locks_orgs(const struct db *db)
{
	return db->ops->begin_orgs != NULL;
}

int
db_begin_orgs(struct db *db, const int64_t *orgs, size_t n)
{
	int64_t *sorted = NULL;
	size_t i, m = 0;
	int64_t t0;
	int rc;

	if (db->tx_depth++ > 0)
		return 0;
	if (db->guarded)
		db_stray_write("a write transaction");
	db_read_close(db);
	db_deferred_drop(db);
	db->tx_failed = 0;
	db_hooks_cut(db, 0);
	if (n > 0 && db->ops->begin_orgs != NULL) {
		/* Ascending and distinct: two writers never wait for each other in a cycle. */
		sorted = xcalloc(n, sizeof(*sorted));
		memcpy(sorted, orgs, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), db_cmp_int64);
		for (i = 0; i < n; i++)
			if (m == 0 || sorted[m - 1] != sorted[i])
				sorted[m++] = sorted[i];
		t0 = clock_mono_usec();
		rc = db->ops->begin_orgs(db->conn, sorted, m);
		db_thread_usec += clock_mono_usec() - t0;
		free(sorted);
	} else
		rc = db_exec_cached(db, "BEGIN IMMEDIATE");
	if (rc != 0)
		db->tx_depth = 0;
	return rc;
}

/* Runs the commit hooks in registration order; a hook may register more. */
static int
db_run_hooks(struct db *db)
{
	struct db_hook *h;
	size_t i, j;
	int rc;

	for (i = 0; i < db->nhooks; i++) {
		h = &db->hooks[i];
		if (h->fn != NULL) {
			if ((rc = h->fn(db, h->arg)) != 0)
				return rc;
			continue;
		}
		/* A text given again later (or withdrawn: NULL) replaces this one. */
		for (j = i + 1; j < db->nhooks; j++)
			if (db->hooks[j].text_fn == h->text_fn && db->hooks[j].arg == h->arg)
				break;
		if (j == db->nhooks && h->text != NULL &&
		    (rc = h->text_fn(db, h->arg, h->text)) != 0)
			return rc;
	}
	return 0;
}

int
db_commit(struct db *db)
{
	int rc;

	if (db->tx_depth == 0)
		return aims_error_set(AIMS_ERROR, NULL, "commit without a transaction");
	/* Deferred changes are written before the hooks (the checkpoint reads the head). */
	if (db->tx_depth == 1 && !db->tx_failed && ((rc = db_deferred_flush(db)) != 0 ||
	    (rc = db_run_hooks(db)) != 0 || (rc = db_deferred_flush(db)) != 0)) {
		db->tx_depth = 0;
		db_hooks_cut(db, 0);
		db_deferred_drop(db);
		db_exec(db, "ROLLBACK");
		return rc;
	}
	if (--db->tx_depth > 0)
		return 0;
	db_hooks_cut(db, 0);
	if (db->tx_failed) {
		db_deferred_drop(db);
		db_exec(db, "ROLLBACK");
		return aims_error_set(AIMS_ERROR, NULL, "transaction was rolled back by an inner failure");
	}
	if ((rc = db_exec_cached(db, "COMMIT")) != 0)
		db_exec(db, "ROLLBACK");
	return rc;
}

void
db_rollback(struct db *db)
{
	if (db->tx_depth == 0)
		return;
	db->tx_failed = 1;
	if (--db->tx_depth > 0)
		return;
	db_hooks_cut(db, 0);
	db_deferred_drop(db);
	db_exec(db, "ROLLBACK");
}

int
db_on_commit(struct db *db, db_commit_fn fn, int64_t arg)
{
	size_t i;

	if (db->tx_depth == 0)
		return aims_error_set(AIMS_ERROR, NULL, "commit hook outside a transaction");
	for (i = 0; i < db->nhooks; i++)
		if (db->hooks[i].fn == fn && db->hooks[i].arg == arg)
			return 0;
	if (db->nhooks == db->hookcap) {
		db->hookcap = db->hookcap ? db->hookcap * 2 : 8;
		db->hooks = xrealloc(db->hooks, db->hookcap * sizeof(*db->hooks));
	}
	db->hooks[db->nhooks] = (struct db_hook){ .fn = fn, .arg = arg };
	db->nhooks++;
	return 0;
}

int
db_on_commit_text(struct db *db, db_commit_text_fn fn, int64_t arg, const char *text)
{
	if (db->tx_depth == 0)
		return aims_error_set(AIMS_ERROR, NULL, "commit hook outside a transaction");
	/* Appended, not replaced: a savepoint rolled back takes its texts with it. */
	if (db->nhooks == db->hookcap) {
		db->hookcap = db->hookcap ? db->hookcap * 2 : 8;
		db->hooks = xrealloc(db->hooks, db->hookcap * sizeof(*db->hooks));
	}
	db->hooks[db->nhooks] = (struct db_hook){ .text_fn = fn, .arg = arg,
	    .text = text ? xstrdup(text) : NULL };
	db->nhooks++;
	return 0;
}

bool
db_commit_text_pending(const struct db *db, db_commit_text_fn fn, int64_t arg)
{
	size_t i;

	for (i = 0; i < db->nhooks; i++)
		if (db->hooks[i].text_fn == fn && db->hooks[i].arg == arg)
			return true;
	return false;
}

bool
db_in_savepoint(const struct db *db)
{
	return db->sp_open;
}

int
db_in_transaction(const struct db *db)
{
	return db->tx_depth > 0;
}

/* The number of deferred kind d, numbered on first use. */
static int
db_deferred_id(const struct db_deferred *d)
{
	int i, n = __atomic_load_n(&db_deferred_nkinds, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++)
		if (db_deferred_kinds[i] == d)
			return i;
	pthread_mutex_lock(&db_deferred_mu);
	for (i = 0; i < db_deferred_nkinds && db_deferred_kinds[i] != d; i++)
		;
	if (i == db_deferred_nkinds) {
		if (i == DB_DEFERRED_MAX) {
			/* A compile-time count of the modules that defer: a bug if exceeded. */
			log_error("more than %d kinds of deferred writes", DB_DEFERRED_MAX);
			abort();
		}
		db_deferred_kinds[i] = d;
		__atomic_store_n(&db_deferred_nkinds, i + 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&db_deferred_mu);
	return i;
}

/* The pending kinds (a mask) whose tables sql names. */
static unsigned
db_deferred_sql_names(const char *sql, unsigned kinds)
{
	const char *const *t;
	unsigned hit = 0;
	int i;

	for (i = 0; i < DB_DEFERRED_MAX; i++)
		if (kinds & (1u << i))
			for (t = db_deferred_kinds[i]->tables; *t != NULL; t++)
				if (strstr(sql, *t) != NULL)
					hit |= 1u << i;
	return hit;
}

/* The pending kinds whose tables st names. Looked up once per statement and kind. */
static unsigned
db_deferred_named(struct db_stmt *st)
{
	unsigned pending = st->db->deferred_pending, todo = pending & ~st->deferred_seen;

	if (todo != 0) {
		st->deferred_hit |= db_deferred_sql_names(st->sql, todo);
		st->deferred_seen |= todo;
	}
	return st->deferred_hit & pending;
}

void **
db_deferred(struct db *db, const struct db_deferred *d)
{
	int id;

	if (db->tx_depth == 0)
		return NULL;
	id = db_deferred_id(d);
	db->deferred_pending |= 1u << id;
	return &db->deferred[id];
}

/* Releases the pending states of kinds unwritten. */
static void
db_deferred_release(struct db *db, unsigned kinds)
{
	int i;

	for (i = 0; i < DB_DEFERRED_MAX; i++) {
		if (!(db->deferred_pending & kinds & (1u << i)))
			continue;
		if (db->deferred[i] != NULL)
			db_deferred_kinds[i]->drop(db->deferred[i]);
		db->deferred[i] = NULL;
		db->deferred_pending &= ~(1u << i);
	}
}

/* The kinds whose state can be copied, kept across a group's savepoints. */
static unsigned
db_deferred_held(void)
{
	int i, n = __atomic_load_n(&db_deferred_nkinds, __ATOMIC_ACQUIRE);
	unsigned held = 0;

	for (i = 0; i < n; i++)
		if (db_deferred_kinds[i]->copy != NULL)
			held |= 1u << i;
	return held;
}

/* At a savepoint's beginning: copies of the states kept over it. */
static void
db_deferred_mark(struct db *db)
{
	unsigned held = db_deferred_held() & db->deferred_pending;
	int i;

	db_deferred_unmark(db);
	db->deferred_mark_pending = held;
	for (i = 0; i < DB_DEFERRED_MAX; i++)
		if ((held & (1u << i)) && db->deferred[i] != NULL)
			db->deferred_mark[i] = db_deferred_kinds[i]->copy(db->deferred[i]);
}

/* The savepoint is kept (or never was): its copies go. */
static void
db_deferred_unmark(struct db *db)
{
	int i;

	for (i = 0; i < DB_DEFERRED_MAX; i++) {
		if (db->deferred_mark[i] != NULL)
			db_deferred_kinds[i]->drop(db->deferred_mark[i]);
		db->deferred_mark[i] = NULL;
	}
	db->deferred_mark_pending = 0;
}

/*
 * The savepoint is rolled back (its states dropped): the copies made at
 * its beginning are the states again, unwritten as they were then; what
 * was written from them since is undone with the savepoint.
 */
static void
db_deferred_restore(struct db *db)
{
	int i;

	for (i = 0; i < DB_DEFERRED_MAX; i++) {
		if (!(db->deferred_mark_pending & (1u << i)))
			continue;
		db->deferred[i] = db->deferred_mark[i];
		db->deferred_mark[i] = NULL;
		db->deferred_pending |= 1u << i;
	}
	db->deferred_mark_pending = 0;
}

/* Releases every pending state unwritten (its transaction or savepoint is undone). */
static void
db_deferred_drop(struct db *db)
{
	db_deferred_release(db, ~0u);
}

/*
 * Writes the pending states of kinds (a mask), and only those: a module's
 * own statements name its tables, and must not write (and release) the
 * state of another module that is in the middle of using it.
 */
static int
db_deferred_write(struct db *db, unsigned kinds)
{
	int i, rc = 0;

	kinds &= db->deferred_pending;
	if (kinds == 0 || db->deferred_flushing)
		return 0;
	db->deferred_flushing = true;
	for (i = 0; i < DB_DEFERRED_MAX && rc == 0; i++)
		if ((kinds & (1u << i)) && db->deferred[i] != NULL)
			rc = db_deferred_kinds[i]->flush(db, db->deferred[i]);
	db->deferred_flushing = false;
	db_deferred_release(db, kinds);
	/* Changes the transaction made are lost: it must not commit without them. */
	if (rc != 0)
		db->tx_failed = 1;
	return rc;
}

int
db_deferred_flush(struct db *db)
{
	return db_deferred_write(db, ~0u);
}
