/*
 * db.h - the portable database API every layer above store/ uses.
 *
 * SQL is written once, portably: positional '?' placeholders, RETURNING,
 * and INSERT ... ON CONFLICT for upserts, so that most of it carries over to
 * another backend (core/query.c names the SQLite-only forms it uses). A
 * backend implements struct db_ops: SQLite (db_sqlite.c) for a file path,
 * PostgreSQL (db_pg.c) for a "postgres://" or "postgresql://" URL.
 *
 * Statements come from a per-connection cache: db_prepare() returns a
 * statement owned by the connection; the caller must call db_done() when
 * finished with it (that resets it and clears its bindings). A connection is
 * used by one thread at a time.
 */
#ifndef AIMS_STORE_DB_H
#define AIMS_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_open_flags {
	DB_OPEN_CREATE = 1 << 0,	/* create the file if missing */
	DB_OPEN_READONLY = 1 << 1,
	DB_OPEN_NO_MIGRATE = 1 << 2,	/* do not apply pending migrations */
};

enum db_step_result { DB_DONE = 0, DB_ROW = 1 };

#define DB_BUSY_TIMEOUT_MS	5000
#define DB_STMT_CACHE_MAX	256
#define DB_MMAP_SIZE_STR	"268435456"	/* 256 MiB of the file mapped for reads */
#define DB_LOCAL_DIR_DEFAULT	"aims-data"	/* PostgreSQL store: key files, evidence temp */

/* db.c */
int db_open(struct db **out, const char *path, int flags);
void db_close(struct db *db);
const char *db_path(const struct db *db);
/* "sqlite" or "postgres". */
const char *db_backend(const struct db *db);
/* Is path a PostgreSQL connection URL (rather than a SQLite file)? */
int db_path_is_url(const char *path);
/*
 * Where files that belong beside the store live: the database file itself
 * for SQLite ("aims.db" -> "aims.db.key"); for PostgreSQL, $AIMS_DATA_DIR
 * (default ./aims-data) followed by "/aims". The caller frees it.
 */
char *db_local_base(const char *path);
/*
 * Serialises writers of one organisation's ledger across servers (inside a
 * transaction; held until it ends). SQLite has one writer already: a no-op.
 */
int db_lock_org(struct db *db, int64_t org_id);
/*
 * The write-ahead log (SQLite; a backend without one does nothing and
 * reports 0 pages). db_log_watch() turns off the checkpoint a commit on
 * this connection would run itself once the log is long, and has each
 * commit store the log's length in pages in *log_pages (which must outlive
 * the connection's commits; NULL: only turn that checkpoint off, for the
 * other connections of a process whose writer copies the log itself).
 * db_checkpoint() copies the log into the
 * database: passive (beside readers and the writer), or, with restart,
 * also waiting up to DB_CHECKPOINT_WAIT_MS for readers to leave the log so
 * that the next commit starts it again from the beginning (the writer's
 * own connection only, between transactions). *log_pages and *copied:
 * the log's length in pages and how many of them the database holds now
 * (equal: all of it; -1: the copy could not run).
 */
int db_log_watch(struct db *db, int *log_pages);
int db_checkpoint(struct db *db, int restart, int *log_pages, int *copied);
int db_has_log(const struct db *db);
/*
 * Before a long run of lookups by key on db (aims verify): the planner's
 * statistics of the tables it reads brought up to date (PostgreSQL:
 * ANALYZE; SQLite keeps none to refresh). Outside a transaction; a role
 * that may not analyse them is warned by the server and goes on.
 */
int db_refresh_statistics(struct db *db);

int db_prepare(struct db_stmt **out, struct db *db, const char *sql);
void db_done(struct db_stmt *st);
int db_bind_int64(struct db_stmt *st, int idx, int64_t v);	/* idx from 1 */
int db_bind_double(struct db_stmt *st, int idx, double v);
int db_bind_text(struct db_stmt *st, int idx, const char *s);	/* NULL binds NULL */
int db_bind_textn(struct db_stmt *st, int idx, const char *s, size_t len);
int db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t len);
int db_bind_null(struct db_stmt *st, int idx);
/* DB_ROW, DB_DONE or a negative code (AIMS_EEXISTS on unique violations). */
int db_step(struct db_stmt *st);
int64_t db_column_int64(struct db_stmt *st, int col);
double db_column_double(struct db_stmt *st, int col);
const char *db_column_text(struct db_stmt *st, int col);	/* borrowed; NULL if null */
const void *db_column_blob(struct db_stmt *st, int col, size_t *len);	/* borrowed */
int db_column_is_null(struct db_stmt *st, int col);

/* Runs statements without parameters (schema, pragmas). */
int db_exec(struct db *db, const char *sql);
/*
 * Microseconds this thread has spent in db_step()/db_exec() so far; steps
 * count once the thread has asked for it with db_time_track(true). A
 * statement's run counts whole, from its first step to its last or to
 * db_done(), rows read in between included; runs that overlap count once.
 */
int64_t db_time_usec(void);
void db_time_track(bool on);
/*
 * Adds usec to this thread's database time, when it counts it: the time
 * the writer's thread spent on a change this thread asked for (db_writer.c).
 */
void db_time_charge(int64_t usec);
/* Single-value helpers: run sql (no parameter, or one text parameter); read column 0. */
int db_query_int64(int64_t *out, struct db *db, const char *sql);
/* AIMS_ENOTFOUND (no message set: the caller names what is missing) when no row. */
int db_query_int64_text(int64_t *out, struct db *db, const char *sql, const char *param);

/*
 * Transactions. db_begin() takes the write lock at once (BEGIN IMMEDIATE), so
 * writers queue instead of failing half way. Nested calls are counted: only
 * the outermost commit commits; any rollback marks the whole as failed.
 */
int db_begin(struct db *db);
/*
 * A write transaction that changes only the data of the organisations in
 * orgs (n of them, any order; rows of store-wide tables only where a
 * constraint keeps them apart: a user's unique e-mail, say). db_begin()
 * serialises every writer of the store; this one only writers of the same
 * organisations, so on PostgreSQL servers writing different organisations
 * commit in parallel (db_pg.c: a shared store-wide lock, then each
 * organisation's lock in ascending order). SQLite has one writer: it is
 * db_begin(). Nested calls are db_begin()'s: the outermost chose the locks.
 */
int db_begin_orgs(struct db *db, const int64_t *orgs, size_t n);
/* Does db_begin_orgs() lock only the organisations it names (PostgreSQL)? */
bool db_begin_orgs_locks_orgs(const struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
int db_in_transaction(const struct db *db);
/*
 * A read scope: the reads between db_read_begin() and db_read_end() see one
 * snapshot and take the store's read lock once (a deferred BEGIN), instead
 * of once per statement. Scopes nest and cost nothing inside a write
 * transaction. A db_begin() inside a scope ends the snapshot first, so the
 * write sees the latest state and never has to upgrade a stale read; reads
 * after it run as separate statements until the scope ends.
 */
int db_read_begin(struct db *db);
void db_read_end(struct db *db);
/* Ends the scope's snapshot now (if one is open): later reads see the latest state. */
void db_read_refresh(struct db *db);

/*
 * One savepoint inside a transaction, for a group of changes each of which
 * may fail alone (db_writer.c): db_savepoint_end(db, rc) keeps what was done
 * since db_savepoint_begin() when rc is 0 and no nested transaction rolled
 * back, and otherwise undoes it (commit hooks registered since included)
 * and leaves the outer transaction usable. Returns rc, or the code of the
 * nested rollback. Not nestable.
 */
int db_savepoint_begin(struct db *db);
int db_savepoint_end(struct db *db, int rc);

/*
 * Commit hooks: fn(db, arg) runs once just before the outermost transaction
 * commits, inside it, after every statement of the transaction (the ledger
 * signs its checkpoint there). Registering the same (fn, arg) twice in one
 * transaction runs it once. A hook that fails rolls the whole transaction
 * back and db_commit() returns its code; a rollback discards the hooks.
 * Only callable inside a transaction.
 */
typedef int (*db_commit_fn)(struct db *db, int64_t arg);
int db_on_commit(struct db *db, db_commit_fn fn, int64_t arg);
/*
 * A write held until the commit, for what is cheaper written once for a
 * whole group than once per request (SQLite's full-text index flushes what
 * it holds in memory at every savepoint). fn(db, arg, text) runs among the
 * commit hooks with the text last given for (fn, arg) that the transaction
 * keeps: a savepoint rolled back takes back the texts given under it, and a
 * NULL text withdraws an earlier one (fn does not run). The text is copied.
 * db_commit_text_pending() says whether (fn, arg) has a text waiting.
 */
typedef int (*db_commit_text_fn)(struct db *db, int64_t arg, const char *text);
int db_on_commit_text(struct db *db, db_commit_text_fn fn, int64_t arg, const char *text);
bool db_commit_text_pending(const struct db *db, db_commit_text_fn fn, int64_t arg);
/* Is a request's savepoint (db_savepoint_begin()) open? */
bool db_in_savepoint(const struct db *db);

/*
 * Deferred writes. A row that one transaction would change again and again
 * (an organisation's ledger head, its reference and dashboard counters,
 * once per record an import creates) is kept in memory by the module that
 * owns it and written once. PostgreSQL keeps every version of a row a
 * transaction changes until it ends, and each later lookup of the row walks
 * them all: changed n times, the row costs n^2/2 steps; SQLite is spared
 * the statements.
 *
 * db_deferred() returns the slot of d's state on this connection (NULL the
 * first time in a transaction: the caller allocates it), or NULL outside a
 * transaction (the caller then writes at once). The state is written by
 * d->flush and released by d->drop: before the outermost commit (and its
 * commit hooks), before a savepoint begins and when it is kept, and before
 * any statement that names one of d->tables, so a read in the transaction
 * sees every change it made. It is released unwritten by a rollback, and by
 * the rollback of the savepoint it was made in, with what the savepoint
 * undoes. db_deferred_flush() writes every pending state now.
 *
 * A kind with d->copy is not written at a savepoint's beginning and end
 * (a group's requests, db_writer.c) but once for the group: a copy of its
 * state is taken when a savepoint begins, and becomes the state again if
 * the savepoint is rolled back. A failure to write it then fails the group.
 */
#define DB_DEFERRED_MAX	8	/* kinds of deferred state in a process */
struct db_deferred {
	const char *const	*tables;	/* the tables flush writes; NULL-terminated */
	int			(*flush)(struct db *db, void *state);
	void			(*drop)(void *state);
	void			*(*copy)(const void *state);	/* optional, see below */
};
void **db_deferred(struct db *db, const struct db_deferred *d);
int db_deferred_flush(struct db *db);

/*
 * db_writer.c: group commit. One writer per database (the server starts
 * it) runs write requests from a queue: all that are waiting go into one
 * transaction, each under its own savepoint, so do those that arrive while
 * it is applied (DB_WRITER_GROW_USEC), and all are answered after the
 * one commit. db_writer_run() returns fn's code (its message set on the
 * caller's thread) or the commit's; 0 means committed. fn runs on the
 * writer's connection, inside the transaction, on the writer's own thread:
 * its own db_begin()/db_commit() nest, and it must not rely on the calling
 * thread's state. The time it and the commit took counts as the caller's
 * database time (db_time_usec()). With w NULL, fn runs on db
 * in a transaction of its own. db (may be NULL with a writer) is the
 * caller's connection, whose read snapshot is ended first so it sees the
 * change afterwards.
 */
#define DB_WRITER_GROUP_MAX	256	/* requests in one transaction at most */
/*
 * Requests that arrive while a group is applied join it, before its commit,
 * when its transaction covers their organisation, for up to this long
 * after the group began: the wait it adds to the group's first request.
 */
#define DB_WRITER_GROW_USEC	10000
/*
 * The writer's log (db_writer.c): a thread of its own copies it into the
 * database every DB_LOG_CHECKPOINT_PAGES new pages, beside the commits;
 * past DB_LOG_RESTART_PAGES the writer finishes the copy itself between
 * two groups (only what was committed since the last copy is left) so the
 * log starts again from the beginning and stays bounded.
 */
#define DB_LOG_CHECKPOINT_PAGES	1000
#define DB_LOG_RESTART_PAGES	8000
#define DB_CHECKPOINT_WAIT_MS	20	/* a restart waits this long for readers at most */
struct db_writer;
typedef int (*db_write_fn)(struct db *db, void *arg);
int db_writer_start(struct db_writer **out, const char *path);
void db_writer_stop(struct db_writer *w);	/* waits for the group applied, then stops */
int db_writer_run(struct db_writer *w, struct db *db, db_write_fn fn, void *arg);
/*
 * The same for a change to organisation org_id's data only (db_begin_orgs()):
 * a group of such requests locks its organisations, not the whole store.
 */
int db_writer_run_org(struct db_writer *w, struct db *db, int64_t org_id, db_write_fn fn,
    void *arg);
/*
 * How long after a group began requests that arrive may still join it
 * (DB_WRITER_GROW_USEC from the start; 0: none), for the tests that need
 * groups of a known shape.
 */
void db_writer_set_grow(struct db_writer *w, int64_t usec);
/* What the writer has done since the start, and what waits for it now. */
struct db_writer_figures {
	int64_t	groups;		/* transactions committed */
	int64_t	requests;	/* changes applied in them */
	int64_t	copies;		/* log copies by the checkpoint thread */
	int64_t	restarts;	/* log restarts by the writer between two groups */
	/*
	 * Microseconds spent writing groups (applying, committing, restarting
	 * the log between them), and the part of it in their commits.
	 */
	int64_t	busy_usec;
	int64_t	commit_usec;
	int	queued;		/* changes waiting now, behind the group being applied */
};
/* All zero without a writer (w NULL). */
void db_writer_figures(struct db_writer_figures *out, const struct db_writer *w);

/*
 * A connection that must not write by itself: a server's request worker,
 * whose changes go through the writer (each would otherwise wait in
 * SQLite's busy handler, or for PostgreSQL's locks, beside the writer's
 * groups). Each write transaction begun on it and each change run outside
 * one still runs, and is counted in db_stray_writes() (the server's
 * /metrics), so that a path that bypasses the writer shows. Returns
 * whether it was guarded before (db_writer.c's run without a writer, the
 * connection's own writer then, lifts the guard for the change).
 */
bool db_guard_writes(struct db *db, bool on);
/*
 * A change made by code below a request (a page's evaluation saving today's
 * snapshot, a sign-in's state row) that cannot know whether it runs on a
 * request's connection: on a guarded connection (db_guard_writes) it goes
 * through the hook set by db_set_write_hook() (the server's writer, in
 * http_server_write()'s form); on any other (a command, a job, the writer's
 * own), or inside a transaction open on db, fn runs on db itself, joining
 * that transaction.
 */
typedef int (*db_write_hook_fn)(struct db *db, int64_t org_id, db_write_fn fn, void *arg);
void db_set_write_hook(db_write_hook_fn hook);
int db_write_via(struct db *db, int64_t org_id, db_write_fn fn, void *arg);
int64_t db_stray_writes(void);

/* migrate.c */
int db_migrate(struct db *db, int *applied);	/* applies pending; counts them */
int db_schema_version(int *out, struct db *db);
int db_schema_latest(void);
/*
 * Compares the database's triggers with the ones the compiled-in migrations
 * create (the last definition of each name; a DROP TRIGGER removes it):
 * AIMS_EVERIFY naming the first trigger that is missing, changed, or not
 * one of them. The append-only tables rely on these triggers, so their
 * absence is a finding, not a detail.
 */
int db_schema_check_triggers(struct db *db);
/*
 * The first SQLite-only form in migration text (outside comments), or NULL
 * when it is portable: a migration that uses one has a PostgreSQL form in
 * schema/pg/ (migrate.c).
 */
const char *db_schema_sqlite_only(const char *sql);

/* Backend interface: db_sqlite.c and db_pg.c implement it. */
struct db_ops {
	const char *name;
	int (*open)(void **conn, const char *path, int flags);
	void (*close)(void *conn);
	int (*prepare)(void **stmt, void *conn, const char *sql);
	void (*finalize)(void *stmt);
	void (*reset)(void *stmt);
	int (*bind_int64)(void *stmt, int idx, int64_t v);
	int (*bind_double)(void *stmt, int idx, double v);
	int (*bind_text)(void *stmt, int idx, const char *s, size_t len);
	int (*bind_blob)(void *stmt, int idx, const void *p, size_t len);
	int (*bind_null)(void *stmt, int idx);
	int (*step)(void *stmt);
	int (*writes)(void *stmt);	/* may the statement change the database? */
	int64_t (*column_int64)(void *stmt, int col);
	double (*column_double)(void *stmt, int col);
	const char *(*column_text)(void *stmt, int col);
	const void *(*column_blob)(void *stmt, int col, size_t *len);
	int (*column_is_null)(void *stmt, int col);
	int (*exec)(void *conn, const char *sql);
	int (*lock_org)(void *conn, int64_t org_id);	/* NULL: nothing to do */
	/* The write-ahead log, as db_log_watch()/db_checkpoint(); NULL: none. */
	int (*log_watch)(void *conn, int *log_pages);
	int (*checkpoint)(void *conn, int restart, int *log_pages, int *copied);
	/* BEGIN of a write for orgs (sorted, distinct; n > 0); NULL: "BEGIN IMMEDIATE". */
	int (*begin_orgs)(void *conn, const int64_t *orgs, size_t n);
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

/*
 * db_pg.c: the SQL of this API in PostgreSQL's form ('?' to $1..., the
 * SQLite forms it translates); appends to out, counts the parameters in
 * *nparams (the caller zeroes it). Exposed for its fuzz harness.
 */
struct buf;
void db_pg_translate(struct buf *out, int *nparams, const char *sql);

#endif
