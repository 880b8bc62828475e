/*
 * db_sqlite.c - the SQLite backend of db.h.
 *
 * WAL journal, synchronous=FULL (a success reported to a user is on disk),
 * foreign keys on, a busy timeout so concurrent writers wait their turn.
 * A database it creates is readable by its owner only (DB_FILE_MODE).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"
#include "util/error.h"

#define DB_FILE_MODE	0600	/* records and password hashes: the owner only */

static int
sq_error(sqlite3 *conn, int rc, const char *what)
{
	int ext = sqlite3_extended_errcode(conn);

	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return aims_error_set(AIMS_EEXISTS, NULL, "%s: already exists (%s)", what,
		    sqlite3_errmsg(conn));
	if (rc == SQLITE_CONSTRAINT)
		return aims_error_set(AIMS_ECONFLICT, NULL, "%s: %s", what, sqlite3_errmsg(conn));
	if (rc == SQLITE_NOTADB)
		return aims_error_set(AIMS_ERROR, "db", "%s: the file is not an OpenAIMS database (%s)",
		    what, sqlite3_errmsg(conn));
	return aims_error_set(AIMS_ERROR, NULL, "%s: %s", what, sqlite3_errmsg(conn));
}

/*
 * Before SQLite starts: no memory statistics. They are kept under one mutex
 * for the whole process, taken on every allocation of every connection,
 * and nothing here reads them.
 */
static void
sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/*
 * Creates a new database file readable by its owner only. SQLite would make
 * it 0644 less the umask, and gives the -wal and -shm files the database
 * file's mode, so this one mode covers all three. An existing file keeps
 * the mode its operator chose.
 */
static int
sq_create_private(const char *path)
{
	int fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    DB_FILE_MODE)) >= 0)
		return close(fd) == 0 ? 0 : aims_error_set(AIMS_ERROR, "db",
		    "cannot create database %s: %s", path, strerror(errno));
	if (errno == EEXIST)
		return 0;
	return aims_error_set(AIMS_ERROR, "db", "cannot create database %s: %s", path,
	    strerror(errno));
}

static int
sq_open(void **out, const char *path, int flags)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	sqlite3 *conn = NULL;
	struct stat sb;
	int rc, oflags;

	pthread_once(&once, sq_configure);
	*out = NULL;
	if (!(flags & DB_OPEN_CREATE) && stat(path, &sb) != 0)
		return aims_error_set(AIMS_ENOTFOUND, "db",
		    "no database at %s (run 'aims init' first)", path);
	if ((flags & DB_OPEN_CREATE) && (rc = sq_create_private(path)) != 0)
		return rc;
	oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	oflags |= (flags & DB_OPEN_READONLY) ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | ((flags & DB_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(path, &conn, oflags, NULL);
	if (rc != SQLITE_OK) {
		rc = aims_error_set(AIMS_ERROR, "db", "cannot open database %s: %s", path,
		    conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
		sqlite3_close(conn);
		return rc;
	}
	sqlite3_busy_timeout(conn, DB_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(conn, 1);
	/* Touch the file: a non-database fails here with a clear message. */
	rc = sqlite3_exec(conn,
	    "PRAGMA foreign_keys=ON;"
	    "PRAGMA synchronous=FULL;"
	    "PRAGMA temp_store=MEMORY;"
	    "PRAGMA cache_size=-16000;"
	    /*
	     * Reads of a large store come from the page cache through a memory
	     * map instead of a copy per page: p99 of reads on a 1.5 GB store fell
	     * from up to 13.7 ms to under 5 ms for most lists (bench/README.md).
	     */
	    "PRAGMA mmap_size=" DB_MMAP_SIZE_STR ";", NULL, NULL, NULL);
	if (rc == SQLITE_OK && !(flags & DB_OPEN_READONLY))
		rc = sqlite3_exec(conn, "PRAGMA journal_mode=WAL;", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = (rc == SQLITE_NOTADB) ?
		    aims_error_set(AIMS_ERROR, "db", "%s is not a database", path) :
		    aims_error_set(AIMS_ERROR, "db", "cannot use database %s: %s", path,
		    sqlite3_errmsg(conn));
		sqlite3_close(conn);
		return rc;
	}
	*out = conn;
	return 0;
}

static void
sq_close(void *conn)
{
	sqlite3_close(conn);
}

static int
sq_prepare(void **out, void *conn, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK)
		return aims_error_set(AIMS_ERROR, NULL, "SQL error: %s in: %.200s",
		    sqlite3_errmsg(conn), sql);
	*out = st;
	return 0;
}

static void
sq_finalize(void *st)
{
	sqlite3_finalize(st);
}

static void
sq_reset(void *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int
sq_bind_rc(void *st, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	return sq_error(sqlite3_db_handle(st), rc, "bind");
}

static int
sq_bind_int64(void *st, int idx, int64_t v)
{
	return sq_bind_rc(st, sqlite3_bind_int64(st, idx, v));
}

static int
sq_bind_double(void *st, int idx, double v)
{
	return sq_bind_rc(st, sqlite3_bind_double(st, idx, v));
}

static int
sq_bind_text(void *st, int idx, const char *s, size_t len)
{
	return sq_bind_rc(st, sqlite3_bind_text64(st, idx, s, len, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int
sq_bind_blob(void *st, int idx, const void *p, size_t len)
{
	return sq_bind_rc(st, sqlite3_bind_blob64(st, idx, p, len, SQLITE_TRANSIENT));
}

static int
sq_bind_null(void *st, int idx)
{
	return sq_bind_rc(st, sqlite3_bind_null(st, idx));
}

static int
sq_step(void *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return sq_error(sqlite3_db_handle(st), rc, "database");
}

static int64_t
sq_column_int64(void *st, int col)
{
	return sqlite3_column_int64(st, col);
}

static double
sq_column_double(void *st, int col)
{
	return sqlite3_column_double(st, col);
}

static const char *
sq_column_text(void *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static const void *
sq_column_blob(void *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(st, col);

	*len = (size_t)sqlite3_column_bytes(st, col);
	return p;
}

static int
sq_column_is_null(void *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

static int
sq_exec(void *conn, const char *sql)
{
	int rc = sqlite3_exec(conn, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : sq_error(conn, rc, "database");
}

static int
sq_writes(void *stmt)
{
	return !sqlite3_stmt_readonly(stmt);
}

/* Each commit's log length, for the writer (db_log_watch). */
static int
sq_wal_hook(void *arg, sqlite3 *conn, const char *name, int pages)
{
	(void)conn;
	(void)name;
	*(int *)arg = pages;
	return SQLITE_OK;
}

/* Replaces SQLite's own hook, which checkpoints in the committing connection. */
static int
sq_log_watch(void *conn, int *log_pages)
{
	if (log_pages == NULL)
		sqlite3_wal_autocheckpoint(conn, 0);
	else
		sqlite3_wal_hook(conn, sq_wal_hook, log_pages);
	return 0;
}

static int
sq_checkpoint(void *conn, int restart, int *log_pages, int *copied)
{
	int rc;

	/* A restart waits briefly for readers: the writer is waiting too. */
	if (restart)
		sqlite3_busy_timeout(conn, DB_CHECKPOINT_WAIT_MS);
	rc = sqlite3_wal_checkpoint_v2(conn, NULL, restart ? SQLITE_CHECKPOINT_RESTART :
	    SQLITE_CHECKPOINT_PASSIVE, log_pages, copied);
	if (restart)
		sqlite3_busy_timeout(conn, DB_BUSY_TIMEOUT_MS);
	/* Busy: readers or another checkpoint were in the way; what could be copied was. */
	if (rc == SQLITE_BUSY)
		return 0;
	return rc == SQLITE_OK ? 0 : sq_error(conn, rc, "checkpoint");
}

const struct db_ops db_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.writes = sq_writes,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.column_is_null = sq_column_is_null,
	.exec = sq_exec,
	.log_watch = sq_log_watch,
	.checkpoint = sq_checkpoint,
};
