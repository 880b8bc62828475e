/*
 * db.h - the portable database API every layer above store/ uses.
 *
 * SQL is written once, portably: positional '?' placeholders, RETURNING,
 * and INSERT ... ON CONFLICT for upserts, so that most of it carries over to
 * another backend (core/query.c names the SQLite-only forms it uses). A
 * backend implements struct db_ops; the one in this build is SQLite
 * (db_sqlite.c), and db_open() refuses a "postgres://" path with a message
 * saying so.
 *
 * Statements come from a per-connection cache: db_prepare() returns a
 * statement owned by the connection; the caller must call db_done() when
 * finished with it (that resets it and clears its bindings). A connection is
 * used by one thread at a time.
 */
#ifndef AIMS_STORE_DB_H
#define AIMS_STORE_DB_H

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

/* db.c */
int db_open(struct db **out, const char *path, int flags);
void db_close(struct db *db);
const char *db_path(const struct db *db);

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
/* Microseconds this thread has spent in db_step()/db_exec() so far. */
int64_t db_time_usec(void);
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

/* Backend interface: db_sqlite.c implements it. */
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
};

extern const struct db_ops db_sqlite_ops;

#endif
