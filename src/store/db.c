/*
 * db.c - backend-independent part of the store: the statement cache,
 * nested transactions, read scopes and commit hooks; the backend
 * (db_sqlite.c) maps its own errors. See db.h.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

/* Time this thread spent stepping statements (for the server's metrics). */
static _Thread_local int64_t db_thread_usec;

struct db_stmt {
	struct db	*db;
	void		*impl;
	char		*sql;
	int		 in_use;
	int		 writes;	/* not a read: ends a read scope's snapshot */
};

static void db_read_close(struct db *db);

struct db_hook {
	db_commit_fn	 fn;
	int64_t		 arg;
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
};

int
db_open(struct db **out, const char *path, int flags)
{
	struct db *db;
	int rc, applied;

	*out = NULL;
	if (path == NULL || *path == '\0')
		return aims_error_set(AIMS_EINVALID, "db", "no database path given");
	if (str_has_prefix(path, "postgres://") || str_has_prefix(path, "postgresql://"))
		return aims_error_set(AIMS_EUNSUPPORTED, "db",
		    "the PostgreSQL store is not available in this build: use a SQLite file path");
	db = xcalloc(1, sizeof(*db));
	db->ops = &db_sqlite_ops;
	db->path = xstrdup(path);
	if ((rc = db->ops->open(&db->conn, path, flags)) != 0)
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
	for (i = 0; i < db->ncache; i++) {
		db->ops->finalize(db->cache[i]->impl);
		free(db->cache[i]->sql);
		free(db->cache[i]);
	}
	if (db->conn)
		db->ops->close(db->conn);
	free(db->hooks);
	free(db->path);
	free(db);
}

const char *
db_path(const struct db *db)
{
	return db->path;
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
	int64_t t0 = clock_mono_usec();
	int rc;

	/* A write in a read scope (a token's last use, say) runs on the latest state. */
	if (st->writes && st->db->read_open)
		db_read_close(st->db);
	rc = st->db->ops->step(st->impl);

	db_thread_usec += clock_mono_usec() - t0;
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
	rc = db->ops->exec(db->conn, sql);

	db_thread_usec += clock_mono_usec() - t0;
	return rc;
}

int64_t
db_time_usec(void)
{
	return db_thread_usec;
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

/* Ends a read scope's snapshot (its statements are done: nothing to keep). */
static void
db_read_close(struct db *db)
{
	if (!db->read_open)
		return;
	db->read_open = false;
	db_exec(db, "COMMIT");
}

int
db_read_begin(struct db *db)
{
	int rc;

	if (db->read_depth++ > 0 || db->tx_depth > 0)
		return 0;
	if ((rc = db_exec(db, "BEGIN")) != 0) {
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

int
db_begin(struct db *db)
{
	int rc;

	if (db->tx_depth++ > 0)
		return 0;
	db_read_close(db);
	db->tx_failed = 0;
	db->nhooks = 0;
	if ((rc = db_exec(db, "BEGIN IMMEDIATE")) != 0)
		db->tx_depth = 0;
	return rc;
}

/* Runs the commit hooks in registration order; a hook may register more. */
static int
db_run_hooks(struct db *db)
{
	size_t i;
	int rc;

	for (i = 0; i < db->nhooks; i++)
		if ((rc = db->hooks[i].fn(db, db->hooks[i].arg)) != 0)
			return rc;
	return 0;
}

int
db_commit(struct db *db)
{
	int rc;

	if (db->tx_depth == 0)
		return aims_error_set(AIMS_ERROR, NULL, "commit without a transaction");
	if (db->tx_depth == 1 && !db->tx_failed && (rc = db_run_hooks(db)) != 0) {
		db->tx_depth = 0;
		db->nhooks = 0;
		db_exec(db, "ROLLBACK");
		return rc;
	}
	if (--db->tx_depth > 0)
		return 0;
	db->nhooks = 0;
	if (db->tx_failed) {
		db_exec(db, "ROLLBACK");
		return aims_error_set(AIMS_ERROR, NULL, "transaction was rolled back by an inner failure");
	}
	if ((rc = db_exec(db, "COMMIT")) != 0)
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
	db->nhooks = 0;
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
	db->hooks[db->nhooks].fn = fn;
	db->hooks[db->nhooks].arg = arg;
	db->nhooks++;
	return 0;
}

int
db_in_transaction(const struct db *db)
{
	return db->tx_depth > 0;
}
