/* test_store.c - unit tests for src/store: open, migrations, statements, transactions, sqlb. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/db.h"
#include "store/sqlb.h"
#include "util/clock.h"
#include "util/error.h"

static void
test_store__open_missing_without_create_fails(void **state)
{
	struct db *db = NULL;

	(void)state;
	unlink("missing.db");
	assert_int_equal(db_open(&db, "missing.db", 0), AIMS_ENOTFOUND);
	assert_null(db);
	assert_non_null(strstr(aims_error_message(), "aims init"));
}

static void
test_store__not_a_database_is_refused(void **state)
{
	struct db *db = NULL;
	FILE *f = fopen("junk.db", "w");

	(void)state;
	fputs("this is not sqlite, it is just some text that is long enough......\n"
	    "more text to fill the header page of a database file\n", f);
	fclose(f);
	assert_true(db_open(&db, "junk.db", 0) < 0);
	assert_non_null(strstr(aims_error_message(), "not a database"));
}

static void
test_store__migrates_and_is_wal(void **state)
{
	struct db *db = NULL;
	struct db_stmt *st;
	int v, applied;

	(void)state;
	unlink("m.db");
	assert_int_equal(db_open(&db, "m.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_schema_version(&v, db), 0);
	assert_int_equal(v, db_schema_latest());
	assert_true(v >= 1);
	assert_int_equal(db_migrate(db, &applied), 0);
	assert_int_equal(applied, 0);	/* idempotent */
	assert_int_equal(db_prepare(&st, db, "PRAGMA journal_mode"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_column_text(st, 0), "wal");
	db_done(st);
	assert_int_equal(db_prepare(&st, db, "PRAGMA synchronous"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int64(st, 0), 2);	/* FULL */
	db_done(st);
	assert_int_equal(db_prepare(&st, db, "PRAGMA foreign_keys"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int64(st, 0), 1);
	db_done(st);
	db_close(db);
}

/* A new database and its -wal and -shm are the owner's only, whatever the umask. */
static void
test_store__new_database_is_private(void **state)
{
	static const char *const files[] = { "p.db", "p.db-wal", "p.db-shm" };
	struct db *db = NULL;
	struct stat sb;
	mode_t old;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		unlink(files[i]);
	old = umask(022);
	assert_int_equal(db_open(&db, "p.db", DB_OPEN_CREATE), 0);
	umask(old);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x)"), 0);
	assert_int_equal(db_commit(db), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(stat(files[i], &sb), 0);
		if ((sb.st_mode & 0777) != 0600)
			fail_msg("%s has mode %04o, not 0600", files[i], (unsigned)(sb.st_mode & 0777));
	}
	db_close(db);
	/* An existing file keeps the mode its operator gave it. */
	assert_int_equal(chmod("p.db", 0640), 0);
	assert_int_equal(db_open(&db, "p.db", DB_OPEN_CREATE), 0);
	assert_int_equal(stat("p.db", &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0640);
	db_close(db);
}

/* A migration numbered below the newest applied one (merged later) is applied too. */
static void
test_store__late_lower_migration_is_applied(void **state)
{
	struct db *db = NULL;
	int64_t n = -1;
	int applied;

	(void)state;
	unlink("l.db");
	assert_int_equal(db_open(&db, "l.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "DROP TABLE readiness_snapshots; "
	    "DELETE FROM schema_migrations WHERE version = 30"), 0);
	assert_int_equal(db_migrate(db, &applied), 0);
	assert_int_equal(applied, 1);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM schema_migrations "
	    "WHERE version = 30"), 0);
	assert_int_equal(n, 1);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM readiness_snapshots"), 0);
	assert_int_equal(db_migrate(db, &applied), 0);
	assert_int_equal(applied, 0);
	db_close(db);
}

static void
test_store__newer_schema_is_refused(void **state)
{
	struct db *db = NULL;

	(void)state;
	unlink("n.db");
	assert_int_equal(db_open(&db, "n.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "INSERT INTO schema_migrations VALUES (9999, 'future', 'x')"), 0);
	db_close(db);
	assert_int_equal(db_open(&db, "n.db", 0), AIMS_ECONFLICT);
	assert_non_null(strstr(aims_error_message(), "newer"));
}

static void
test_store__rollback_discards_and_unique_maps(void **state)
{
	struct db *db = NULL;
	struct db_stmt *st;
	int64_t n = -1;

	(void)state;
	unlink("t.db");
	assert_int_equal(db_open(&db, "t.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (k TEXT UNIQUE)"), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_begin(db), 0);	/* nested */
	assert_int_equal(db_prepare(&st, db, "INSERT INTO t (k) VALUES (?) RETURNING rowid"), 0);
	assert_int_equal(db_bind_text(st, 1, "a"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int64(st, 0), 1);
	db_done(st);
	db_rollback(db);	/* inner failure */
	assert_true(db_commit(db) < 0);	/* outer commit refuses */
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t"), 0);
	assert_int_equal(n, 0);

	assert_int_equal(db_prepare(&st, db, "INSERT INTO t (k) VALUES (?)"), 0);
	db_bind_text(st, 1, "x");
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(db_prepare(&st, db, "INSERT INTO t (k) VALUES (?)"), 0);
	db_bind_text(st, 1, "x");
	assert_int_equal(db_step(st), AIMS_EEXISTS);
	db_done(st);
	db_close(db);
}

static int64_t
count_rows(struct db *db)
{
	int64_t n = -1;

	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t"), 0);
	return n;
}

static void
insert_row(struct db *db)
{
	assert_int_equal(db_exec(db, "INSERT INTO t (k) VALUES (1)"), 0);
}

/*
 * A read scope sees one snapshot; a write statement or a db_begin() inside
 * it ends the snapshot first, so it runs on the latest state (never a stale
 * read upgraded to a write) and is committed at once.
 */
static void
test_store__read_scope_one_snapshot(void **state)
{
	struct db *a = NULL, *b = NULL;
	struct db_stmt *st;

	(void)state;
	unlink("r.db");
	assert_int_equal(db_open(&a, "r.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(a, "CREATE TABLE t (k INTEGER)"), 0);
	insert_row(a);
	assert_int_equal(db_open(&b, "r.db", 0), 0);

	assert_int_equal(db_read_begin(a), 0);
	assert_int_equal(db_read_begin(a), 0);		/* nested */
	assert_int_equal(count_rows(a), 1);
	insert_row(b);
	assert_int_equal(count_rows(a), 1);		/* the same snapshot */
	db_read_end(a);
	assert_int_equal(count_rows(a), 1);		/* still inside the outer one */
	db_read_end(a);
	assert_int_equal(count_rows(a), 2);

	/* A write statement: committed at once, on the latest state. */
	assert_int_equal(db_read_begin(a), 0);
	assert_int_equal(count_rows(a), 2);
	insert_row(b);
	assert_int_equal(db_prepare(&st, a, "INSERT INTO t (k) VALUES (2)"), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(count_rows(b), 4);
	assert_int_equal(count_rows(a), 4);
	db_read_end(a);

	/* A statement run whole (db_exec) too. */
	assert_int_equal(db_read_begin(a), 0);
	assert_int_equal(count_rows(a), 4);
	insert_row(b);
	insert_row(a);
	assert_int_equal(count_rows(a), 6);
	db_read_end(a);
	assert_int_equal(db_exec(a, "DELETE FROM t WHERE rowid > 4"), 0);

	/* A write transaction inside a scope. */
	assert_int_equal(db_read_begin(a), 0);
	assert_int_equal(count_rows(a), 4);
	insert_row(b);
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(count_rows(a), 5);
	insert_row(a);
	assert_int_equal(db_commit(a), 0);
	assert_int_equal(count_rows(b), 6);
	db_read_end(a);
	/* A scope inside a write transaction costs nothing and ends nothing. */
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_read_begin(a), 0);
	insert_row(a);
	db_read_end(a);
	assert_true(db_in_transaction(a));
	assert_int_equal(db_commit(a), 0);
	assert_int_equal(count_rows(b), 7);
	db_close(b);
	db_close(a);
}

static void
test_store__statement_cache_reuses(void **state)
{
	struct db *db = NULL;
	struct db_stmt *a, *b, *c;

	(void)state;
	unlink("c.db");
	assert_int_equal(db_open(&db, "c.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_prepare(&a, db, "SELECT 1"), 0);
	assert_int_equal(db_prepare(&b, db, "SELECT 1"), 0);	/* a in use: new one */
	assert_ptr_not_equal(a, b);
	db_done(a);
	assert_int_equal(db_prepare(&c, db, "SELECT 1"), 0);
	assert_ptr_equal(a, c);
	db_done(b);
	db_done(c);
	assert_true(db_prepare(&a, db, "SELEC nonsense") < 0);
	assert_non_null(strstr(aims_error_message(), "SQL error"));
	db_close(db);
}

/* 200,000 rows made and sorted before the first one comes out. */
#define SLOW_SQL	"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c " \
			"WHERE x < 200000) SELECT x FROM c ORDER BY x DESC"

/*
 * The server's database time (db_time_usec): nothing on a thread that did
 * not ask; a statement's run counts whole, from its first step to its last
 * row or to db_done() when it stops early (two clock reads a run, not two
 * a row), nothing after that, and runs that overlap once.
 */
static void
test_store__database_time_counts_whole_runs(void **state)
{
	struct db *db = NULL;
	struct db_stmt *st, *in;
	int64_t t0, t1, wall;
	int rc;

	(void)state;
	unlink("tm.db");
	assert_int_equal(db_open(&db, "tm.db", DB_OPEN_CREATE), 0);
	t0 = db_time_usec();
	assert_int_equal(db_prepare(&st, db, SLOW_SQL), 0);
	assert_int_equal(db_step(st), DB_ROW);
	db_done(st);
	assert_true(db_time_usec() == t0);

	db_time_track(true);
	/* Stopped after its first row: the run ends at db_done(). */
	assert_int_equal(db_prepare(&st, db, SLOW_SQL), 0);
	assert_int_equal(db_step(st), DB_ROW);
	db_done(st);
	t1 = db_time_usec();
	assert_true(t1 > t0);
	usleep(2000);
	assert_true(db_time_usec() == t1);
	/*
	 * Read to its end: the run ends with the last step, and db_done() adds
	 * nothing. What the caller does between rows is inside the run.
	 */
	assert_int_equal(db_prepare(&st, db, "SELECT 1 UNION ALL SELECT 2"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	usleep(2000);
	while ((rc = db_step(st)) == DB_ROW)
		;
	assert_int_equal(rc, DB_DONE);
	t0 = db_time_usec();
	assert_true(t0 - t1 >= 2000);
	usleep(2000);
	db_done(st);
	assert_true(db_time_usec() == t0);
	/*
	 * A statement run between the rows of another counts once: the time
	 * counted is never more than the time that passed.
	 */
	wall = clock_mono_usec();
	assert_int_equal(db_prepare(&st, db, "SELECT 1 UNION ALL SELECT 2"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_prepare(&in, db, "SELECT 3 UNION ALL SELECT 4"), 0);
	assert_int_equal(db_step(in), DB_ROW);
	usleep(2000);
	assert_int_equal(db_step(in), DB_ROW);
	assert_int_equal(db_step(in), DB_DONE);
	db_done(in);
	assert_true(db_time_usec() == t0);	/* the outer run is still open */
	db_done(st);
	t1 = db_time_usec();
	assert_true(t1 - t0 >= 2000);
	assert_true(t1 - t0 <= clock_mono_usec() - wall);
	db_time_track(false);
	db_close(db);
}

static int hook_runs;

static int
hook_count(struct db *db, int64_t arg)
{
	hook_runs++;
	return db_exec(db, arg ? "INSERT INTO t VALUES (99)" : "SELECT 1");
}

static int
hook_fail(struct db *db, int64_t arg)
{
	(void)db;
	(void)arg;
	return aims_error_set(AIMS_ECONFLICT, NULL, "hook refused");
}

static void
test_store__commit_hooks_run_once_before_commit(void **state)
{
	struct db *db = NULL;
	int64_t n;

	(void)state;
	unlink("h.db");
	assert_int_equal(db_open(&db, "h.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	assert_true(db_on_commit(db, hook_count, 0) < 0);	/* outside a transaction */
	hook_runs = 0;
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_on_commit(db, hook_count, 1), 0);
	assert_int_equal(db_on_commit(db, hook_count, 1), 0);	/* deduplicated */
	assert_int_equal(db_commit(db), 0);			/* inner: no hook yet */
	assert_int_equal(hook_runs, 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(hook_runs, 1);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t WHERE x = 99"), 0);
	assert_int_equal(n, 1);
	/* A failing hook rolls everything back and keeps its message. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO t VALUES (1)"), 0);
	assert_int_equal(db_on_commit(db, hook_fail, 0), 0);
	assert_int_equal(db_commit(db), AIMS_ECONFLICT);
	assert_string_equal(aims_error_message(), "hook refused");
	assert_false(db_in_transaction(db));
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t"), 0);
	assert_int_equal(n, 1);
	/* A rollback discards registered hooks. */
	hook_runs = 0;
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_on_commit(db, hook_count, 0), 0);
	db_rollback(db);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(hook_runs, 0);
	db_close(db);
}

/* A savepoint undoes its own change only: an error, or a nested rollback, and its hooks. */
static void
test_store__savepoint_undoes_one_change(void **state)
{
	struct db *db = NULL;
	int64_t n;

	(void)state;
	unlink("sp.db");
	assert_int_equal(db_open(&db, "sp.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	assert_true(db_savepoint_begin(db) < 0);	/* outside a transaction */
	hook_runs = 0;
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_savepoint_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO t VALUES (1)"), 0);
	assert_int_equal(db_savepoint_end(db, 0), 0);
	/* A nested transaction that rolled back fails its change, hooks and all. */
	assert_int_equal(db_savepoint_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO t VALUES (2)"), 0);
	assert_int_equal(db_on_commit(db, hook_count, 0), 0);
	assert_int_equal(db_begin(db), 0);
	db_rollback(db);
	assert_true(db_savepoint_end(db, 0) < 0);
	/* An error undoes it and keeps the caller's code and message. */
	assert_int_equal(db_savepoint_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO t VALUES (3)"), 0);
	assert_int_equal(db_savepoint_end(db, aims_error_set(AIMS_EINVALID, "x", "refused")),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_message(), "refused");
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(hook_runs, 0);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t"), 0);
	assert_int_equal(n, 1);
	assert_int_equal(db_query_int64(&n, db, "SELECT x FROM t"), 0);
	assert_int_equal(n, 1);
	db_close(db);
}

/* The writer's figures now (a value: the tests read one or two of them). */
static struct db_writer_figures
writer_figures(const struct db_writer *w)
{
	struct db_writer_figures f;

	db_writer_figures(&f, w);
	return f;
}

#define WRITER_THREADS	8
#define WRITER_EACH	25

/* Inserts its number; refuses every third after inserting (the insert must not stay). */
static int
writer_insert(struct db *db, void *arg)
{
	int64_t x = *(int64_t *)arg;
	struct db_stmt *st;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO t VALUES (?)")) != 0)
		return rc;
	db_bind_int64(st, 1, x);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	if (x % 3 == 0)
		return aims_error_set(AIMS_EINVALID, "x", "refused %lld", (long long)x);
	return db_on_commit(db, hook_count, 0);
}

struct writer_client {
	struct db_writer	*w;
	int			 id;
	int			 ok, refused, wrong;
};

static void *
writer_client_main(void *arg)
{
	struct writer_client *c = arg;
	char want[64];
	int64_t x;
	int i, rc;

	for (i = 0; i < WRITER_EACH; i++) {
		x = (int64_t)c->id * 1000 + i + 1;
		rc = db_writer_run(c->w, NULL, writer_insert, &x);
		snprintf(want, sizeof(want), "refused %lld", (long long)x);
		if (x % 3 == 0 && rc == AIMS_EINVALID && strcmp(aims_error_message(), want) == 0 &&
		    strcmp(aims_error_field(), "x") == 0)
			c->refused++;
		else if (x % 3 != 0 && rc == 0)
			c->ok++;
		else
			c->wrong++;
	}
	return NULL;
}

/*
 * Concurrent callers through one writer: each gets its own answer (and
 * message, on its own thread), refused changes leave nothing, and every
 * other change is committed once its caller is answered.
 */
static void
test_store__writer_applies_each_change_on_its_own(void **state)
{
	struct writer_client c[WRITER_THREADS];
	pthread_t t[WRITER_THREADS];
	struct db_writer *w = NULL;
	struct db *db = NULL;
	struct db_writer_figures f;
	int64_t n, x = 7;
	int i, ok = 0, refused = 0;

	(void)state;
	unlink("w.db");
	assert_int_equal(db_open(&db, "w.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	/* Without a writer the change runs on the caller's connection. */
	assert_int_equal(db_writer_run(NULL, db, writer_insert, &x), 0);
	assert_int_equal(db_writer_start(&w, "w.db"), 0);
	hook_runs = 0;
	for (i = 0; i < WRITER_THREADS; i++) {
		c[i] = (struct writer_client){ .w = w, .id = i + 1 };
		assert_int_equal(pthread_create(&t[i], NULL, writer_client_main, &c[i]), 0);
	}
	for (i = 0; i < WRITER_THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(c[i].wrong, 0);
		ok += c[i].ok;
		refused += c[i].refused;
	}
	/* Answered means committed: another connection sees every change now. */
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t"), 0);
	assert_int_equal(n, 1 + ok);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t WHERE x % 3 = 0"), 0);
	assert_int_equal(n, 0);
	f = writer_figures(w);
	assert_int_equal(f.requests, WRITER_THREADS * WRITER_EACH);
	assert_true(f.groups >= 1 && f.groups <= f.requests);
	/* One hook run per committed group that held a kept change. */
	assert_true(hook_runs >= 1 && hook_runs <= f.groups);
	assert_int_equal(ok + refused, WRITER_THREADS * WRITER_EACH);
	db_writer_stop(w);
	db_close(db);
}

#define SLOW_APPLY_USEC		20000
#define SLOW_COMMIT_USEC	10000

/* A commit hook that takes SLOW_COMMIT_USEC: time inside the group's commit. */
static int
hook_slow(struct db *db, int64_t arg)
{
	(void)db;
	(void)arg;
	usleep(SLOW_COMMIT_USEC);
	return 0;
}

/* A change that takes SLOW_APPLY_USEC to apply and asks for the slow hook. */
static int
writer_slow(struct db *db, void *arg)
{
	(void)arg;
	usleep(SLOW_APPLY_USEC);
	if (db_exec(db, "INSERT INTO t VALUES (1)") != 0)
		return AIMS_ERROR;
	return db_on_commit(db, hook_slow, 0);
}

/*
 * The writer's time figures (/metrics): busy covers applying and committing
 * the group, commit only the commit, and nothing is left queued. The
 * caller's own database time (the access log's) counts both, though the
 * writer's thread spent it.
 */
static void
test_store__writer_times_its_groups(void **state)
{
	struct db_writer *w = NULL;
	struct db *db = NULL;
	struct db_writer_figures f;
	int64_t before;

	(void)state;
	unlink("s.db");
	assert_int_equal(db_open(&db, "s.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	f = writer_figures(NULL);
	assert_true(f.busy_usec == 0 && f.commit_usec == 0 && f.groups == 0);
	assert_int_equal(db_writer_start(&w, "s.db"), 0);
	f = writer_figures(w);
	assert_true(f.busy_usec == 0 && f.commit_usec == 0);
	db_time_track(true);
	before = db_time_usec();
	assert_int_equal(db_writer_run(w, db, writer_slow, NULL), 0);
	assert_true(db_time_usec() - before >= SLOW_APPLY_USEC + SLOW_COMMIT_USEC);
	db_time_track(false);
	f = writer_figures(w);
	assert_true(f.commit_usec >= SLOW_COMMIT_USEC);
	assert_true(f.busy_usec >= f.commit_usec + SLOW_APPLY_USEC);
	assert_int_equal(f.groups, 1);
	assert_int_equal(f.queued, 0);
	db_writer_stop(w);
	db_close(db);
}

#define LOG_ROW_BYTES	60000		/* about 15 pages of the log per change */
#define LOG_THREADS	4

static int
writer_insert_large(struct db *db, void *arg)
{
	struct db_stmt *st;
	int rc;

	(void)arg;
	if ((rc = db_prepare(&st, db, "INSERT INTO big (pad) VALUES (randomblob(?))")) != 0)
		return rc;
	db_bind_int64(st, 1, LOG_ROW_BYTES);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

static void *
writer_large_main(void *arg)
{
	struct writer_client *c = arg;
	int i;

	/* Twice the restart length in all, so the log has to start again. */
	for (i = 0; i < 2 * DB_LOG_RESTART_PAGES / 15 / LOG_THREADS + 1; i++) {
		if (db_writer_run(c->w, NULL, writer_insert_large, NULL) == 0)
			c->ok++;
		else
			c->wrong++;
	}
	return NULL;
}

/*
 * The writer's commits do not copy SQLite's log into the database: a
 * thread of its own does, and the writer restarts the log past
 * DB_LOG_RESTART_PAGES, so it stays bounded under writes that never pause.
 */
static void
test_store__writer_keeps_the_log_bounded(void **state)
{
	struct writer_client c[LOG_THREADS];
	pthread_t t[LOG_THREADS];
	struct db_writer *w = NULL;
	struct db *db = NULL;
	struct stat sb;
	struct db_writer_figures f;
	int64_t n, page;
	int i, ok = 0;

	(void)state;
	unlink("log.db");
	assert_int_equal(db_open(&db, "log.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE big (id INTEGER PRIMARY KEY, pad BLOB)"), 0);
	assert_int_equal(db_writer_start(&w, "log.db"), 0);
	for (i = 0; i < LOG_THREADS; i++) {
		c[i] = (struct writer_client){ .w = w, .id = i + 1 };
		assert_int_equal(pthread_create(&t[i], NULL, writer_large_main, &c[i]), 0);
	}
	for (i = 0; i < LOG_THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(c[i].wrong, 0);
		ok += c[i].ok;
	}
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM big"), 0);
	assert_int_equal(n, ok);
	f = writer_figures(w);
	if (db_has_log(db)) {
		assert_true(f.copies >= 1);
		assert_true(f.restarts >= 1);
		/*
		 * Bounded: the restart length, plus what may be committed while
		 * a restart waits for the copier (a copy's worth) and one group.
		 */
		assert_int_equal(db_query_int64(&page, db, "PRAGMA page_size"), 0);
		assert_int_equal(stat("log.db-wal", &sb), 0);
		assert_true(sb.st_size <= (DB_LOG_RESTART_PAGES + 2 * DB_LOG_CHECKPOINT_PAGES +
		    LOG_THREADS * 16) * (page + 24) + 32);
	} else {
		assert_int_equal(f.copies + f.restarts, 0);
	}
	db_writer_stop(w);
	db_close(db);
}

/* The writer of test_store__write_via_routes_guarded_connections, counting its uses. */
static struct db_writer *via_writer;
static int via_hooked;

static int
via_insert(struct db *db, void *arg)
{
	struct db_stmt *st;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO t VALUES (?)")) != 0)
		return rc;
	db_bind_int64(st, 1, *(int64_t *)arg);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int
via_hook(struct db *db, int64_t org_id, db_write_fn fn, void *arg)
{
	via_hooked++;
	return db_writer_run_org(via_writer, db, org_id, fn, arg);
}

/*
 * db_write_via(): a change made below a request's handler goes through the
 * hook (the server's writer) on a guarded connection, and runs on the
 * connection itself on any other, or inside a transaction open there.
 */
static void
test_store__write_via_routes_guarded_connections(void **state)
{
	struct db *db = NULL;
	int64_t n, before, x = 5;

	(void)state;
	unlink("v.db");
	assert_int_equal(db_open(&db, "v.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	assert_int_equal(db_writer_start(&via_writer, "v.db"), 0);
	db_set_write_hook(via_hook);
	via_hooked = 0;
	before = db_stray_writes();
	/* Unguarded (a command): on the connection, not through the hook. */
	assert_int_equal(db_write_via(db, 0, via_insert, &x), 0);
	assert_int_equal(via_hooked, 0);
	/* Guarded (a request's): through the hook, nothing counted. */
	db_guard_writes(db, true);
	assert_int_equal(db_write_via(db, 7, via_insert, &x), 0);
	assert_int_equal(via_hooked, 1);
	assert_int_equal(db_stray_writes(), before);
	/* Inside its own transaction: joins it (the transaction is the stray write). */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_write_via(db, 7, via_insert, &x), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(via_hooked, 1);
	assert_int_equal(db_stray_writes(), before + 1);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t WHERE x = 5"), 0);
	assert_int_equal(n, 3);
	db_set_write_hook(NULL);
	db_writer_stop(via_writer);
	via_writer = NULL;
	db_close(db);
}

#define ROUND_THREADS	16
#define ROUNDS		200

struct round_client {
	struct db_writer	*w;
	pthread_barrier_t	*start;
	int			 id;
	int			 ok, refused, wrong;
};

/* One change a round, every client starting the round together. */
static void *
round_client_main(void *arg)
{
	struct round_client *c = arg;
	int64_t x;
	int i, rc;

	for (i = 0; i < ROUNDS; i++) {
		pthread_barrier_wait(c->start);
		x = (int64_t)i * 1000 + c->id;
		rc = db_writer_run(c->w, NULL, writer_insert, &x);
		if (x % 3 == 0 ? rc == AIMS_EINVALID : rc == 0)
			(x % 3 == 0 ? c->refused++ : c->ok++);
		else
			c->wrong++;
	}
	return NULL;
}

/*
 * Callers arriving together, round after round, so the queue fills and
 * empties many times and the writer passes from caller to caller: every
 * caller is answered (a caller left waiting would keep its round's barrier,
 * and this test, from ending) with its own answer, and each change kept
 * is there.
 */
static void
test_store__writer_answers_every_caller_in_rounds(void **state)
{
	struct round_client c[ROUND_THREADS];
	pthread_t t[ROUND_THREADS];
	pthread_barrier_t start;
	struct db_writer *w = NULL;
	struct db *db = NULL;
	struct db_writer_figures f;
	int64_t n;
	int i, ok = 0, refused = 0;

	(void)state;
	unlink("r.db");
	assert_int_equal(db_open(&db, "r.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	assert_int_equal(db_writer_start(&w, "r.db"), 0);
	assert_int_equal(pthread_barrier_init(&start, NULL, ROUND_THREADS), 0);
	for (i = 0; i < ROUND_THREADS; i++) {
		c[i] = (struct round_client){ .w = w, .start = &start, .id = i + 1 };
		assert_int_equal(pthread_create(&t[i], NULL, round_client_main, &c[i]), 0);
	}
	for (i = 0; i < ROUND_THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(c[i].wrong, 0);
		ok += c[i].ok;
		refused += c[i].refused;
	}
	assert_int_equal(ok + refused, ROUND_THREADS * ROUNDS);
	f = writer_figures(w);
	assert_int_equal(f.queued, 0);
	assert_int_equal(f.requests, ROUND_THREADS * ROUNDS);
	assert_true(f.groups >= ROUNDS && f.groups <= f.requests);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t"), 0);
	assert_int_equal(n, ok);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t WHERE x % 3 = 0"), 0);
	assert_int_equal(n, 0);
	pthread_barrier_destroy(&start);
	db_writer_stop(w);
	db_close(db);
}

/* The change that holds the writer until the test lets it go. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static bool gate_entered, gate_open;

static int
writer_insert_gated(struct db *db, void *arg)
{
	pthread_mutex_lock(&gate_lock);
	gate_entered = true;
	pthread_cond_broadcast(&gate_cond);
	while (!gate_open)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	return via_insert(db, arg);
}

struct queued_client {
	struct db_writer	*w;
	db_write_fn		 fn;
	int64_t			 x;
	int			 rc;
};

static void *
queued_client_main(void *arg)
{
	struct queued_client *c = arg;

	c->rc = db_writer_run(c->w, NULL, c->fn, &c->x);
	return NULL;
}

#define QUEUED	(DB_WRITER_GROUP_MAX + 1)

/*
 * While one change holds the writer, more than a group's worth queue
 * behind it; the writer lets groups grow for grow microseconds
 * (db_writer_set_grow()). Every change is applied, in the order queued,
 * in want_groups groups.
 */
static void
writer_run_gated(int64_t grow, int want_groups)
{
	struct queued_client *c;
	pthread_t *t;
	struct db_writer *w = NULL;
	struct db *db = NULL;
	struct db_stmt *st = NULL;
	struct db_writer_figures f;
	int64_t n;
	int i;

	c = calloc(QUEUED + 1, sizeof(*c));
	t = calloc(QUEUED + 1, sizeof(*t));
	assert_non_null(c);
	assert_non_null(t);
	unlink("q.db");
	assert_int_equal(db_open(&db, "q.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	assert_int_equal(db_writer_start(&w, "q.db"), 0);
	db_writer_set_grow(w, grow);
	gate_entered = gate_open = false;
	c[0] = (struct queued_client){ .w = w, .fn = writer_insert_gated, .x = 0 };
	assert_int_equal(pthread_create(&t[0], NULL, queued_client_main, &c[0]), 0);
	pthread_mutex_lock(&gate_lock);
	while (!gate_entered)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	/* One at a time, so the queue's order is known. */
	for (i = 1; i <= QUEUED; i++) {
		c[i] = (struct queued_client){ .w = w, .fn = via_insert, .x = i };
		assert_int_equal(pthread_create(&t[i], NULL, queued_client_main, &c[i]), 0);
		while (writer_figures(w).queued < i)
			sched_yield();
	}
	pthread_mutex_lock(&gate_lock);
	gate_open = true;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
	for (i = 0; i <= QUEUED; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(c[i].rc, 0);
	}
	f = writer_figures(w);
	assert_int_equal(f.requests, QUEUED + 1);
	assert_int_equal(f.groups, want_groups);
	assert_int_equal(f.queued, 0);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t"), 0);
	assert_int_equal(n, QUEUED + 1);
	assert_int_equal(db_prepare(&st, db, "SELECT x FROM t ORDER BY rowid"), 0);
	for (i = 0; i <= QUEUED; i++) {
		assert_int_equal(db_step(st), DB_ROW);
		assert_int_equal(db_column_int64(st, 0), i);
	}
	db_done(st);
	db_writer_stop(w);
	db_close(db);
	free(c);
	free(t);
}

/*
 * Groups that do not grow: the gated change alone, then a full group of
 * those queued behind it, then the one left over.
 */
static void
test_store__writer_applies_a_change_queued_behind_a_full_group(void **state)
{
	(void)state;
	writer_run_gated(0, 3);
}

/*
 * Changes queued while a group is applied join it, up to a full group
 * (the gated change and DB_WRITER_GROUP_MAX - 1 of them); the one left
 * over makes a group of its own.
 */
static void
test_store__writer_group_takes_changes_queued_while_it_applies(void **state)
{
	(void)state;
	writer_run_gated(60 * 1000000LL, 2);
}

/* Values are copied when bound, bound in order, and read back as bound. */
/*
 * A guarded connection (a server's request worker) counts each write made
 * on it, transaction or single change, and nothing else: its reads, and
 * the writer's changes for it, are not counted.
 */
static void
test_store__guarded_connection_counts_its_writes(void **state)
{
	struct db_writer *w = NULL;
	struct db *db = NULL;
	struct db_stmt *st = NULL;
	int64_t n, before, x = 4;

	(void)state;
	unlink("g.db");
	assert_int_equal(db_open(&db, "g.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	assert_int_equal(db_writer_start(&w, "g.db"), 0);
	before = db_stray_writes();
	/* Not guarded: its writes are its own business. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_stray_writes(), before);
	db_guard_writes(db, true);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t"), 0);
	assert_int_equal(db_read_begin(db), 0);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM t"), 0);
	db_read_end(db);
	assert_int_equal(db_writer_run(w, db, writer_insert, &x), 0);
	/* Without a writer, the connection is its own writer. */
	assert_int_equal(db_writer_run(NULL, db, writer_insert, &x), 0);
	assert_int_equal(db_stray_writes(), before);
	/* A change alone, then a transaction of two: one each. */
	assert_int_equal(db_prepare(&st, db, "INSERT INTO t (x) VALUES (1)"), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(db_stray_writes(), before + 1);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_prepare(&st, db, "INSERT INTO t (x) VALUES (2)"), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_stray_writes(), before + 2);
	db_writer_stop(w);
	db_close(db);
}

static void
test_store__sqlb_binds_in_order(void **state)
{
	struct sqlb q = { 0 };
	struct db_stmt *st;
	struct db *db;
	char word[8] = "first";

	(void)state;
	assert_int_equal(db_open(&db, "sqlb.db", DB_OPEN_CREATE), 0);
	buf_puts(&q.sql, "SELECT ");
	assert_int_equal(sqlb_text(&q, "?", word), 0);
	strcpy(word, "later");	/* the builder kept its own copy */
	assert_int_equal(sqlb_int(&q, " || '/' || ?", 42), 0);
	assert_int_equal(sqlb_text(&q, " || coalesce(?, '-')", NULL), 0);
	assert_int_equal(sqlb_prepare(&st, db, &q), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_column_text(st, 0), "first/42-");
	db_done(st);
	sqlb_free(&q);
	db_close(db);
}

/* Past SQLB_BINDS_MAX every call fails and the statement is never prepared. */
static void
test_store__sqlb_refuses_too_many_values(void **state)
{
	struct sqlb q = { 0 };
	struct db_stmt *st = NULL;
	struct db *db;
	int i;

	(void)state;
	assert_int_equal(db_open(&db, "sqlb-max.db", DB_OPEN_CREATE), 0);
	buf_puts(&q.sql, "SELECT 1");
	for (i = 0; i < SQLB_BINDS_MAX; i++)
		assert_int_equal(sqlb_int(&q, " + ?", 1), 0);
	assert_int_equal(sqlb_text(&q, " + ?", "1"), AIMS_ETOOBIG);
	assert_string_equal(aims_error_field(), "where");
	assert_int_equal(sqlb_bind_int(&q, 1), AIMS_ETOOBIG);	/* sticky */
	assert_int_equal(sqlb_prepare(&st, db, &q), AIMS_ETOOBIG);
	assert_null(st);
	sqlb_free(&q);
	assert_int_equal(q.nparams, 0);
	db_close(db);
}

/*
 * SQLite: nothing to refresh, and nothing written. ANALYZE there would
 * leave sqlite_stat1 behind, which changes every later plan of the store.
 */
static void
test_store__statistics_refresh_leaves_sqlite_alone(void **state)
{
	struct db *db;
	int64_t n = -1;

	(void)state;
	unlink("stat.db");
	assert_int_equal(db_open(&db, "stat.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_refresh_statistics(db), 0);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE name LIKE 'sqlite_stat%'"), 0);
	assert_int_equal(n, 0);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store__open_missing_without_create_fails),
		cmocka_unit_test(test_store__not_a_database_is_refused),
		cmocka_unit_test(test_store__migrates_and_is_wal),
		cmocka_unit_test(test_store__new_database_is_private),
		cmocka_unit_test(test_store__late_lower_migration_is_applied),
		cmocka_unit_test(test_store__newer_schema_is_refused),
		cmocka_unit_test(test_store__read_scope_one_snapshot),
		cmocka_unit_test(test_store__rollback_discards_and_unique_maps),
		cmocka_unit_test(test_store__statement_cache_reuses),
		cmocka_unit_test(test_store__database_time_counts_whole_runs),
		cmocka_unit_test(test_store__commit_hooks_run_once_before_commit),
		cmocka_unit_test(test_store__savepoint_undoes_one_change),
		cmocka_unit_test(test_store__writer_applies_each_change_on_its_own),
		cmocka_unit_test(test_store__writer_keeps_the_log_bounded),
		cmocka_unit_test(test_store__writer_answers_every_caller_in_rounds),
		cmocka_unit_test(test_store__writer_times_its_groups),
		cmocka_unit_test(test_store__writer_applies_a_change_queued_behind_a_full_group),
		cmocka_unit_test(test_store__writer_group_takes_changes_queued_while_it_applies),
		cmocka_unit_test(test_store__guarded_connection_counts_its_writes),
		cmocka_unit_test(test_store__write_via_routes_guarded_connections),
		cmocka_unit_test(test_store__sqlb_binds_in_order),
		cmocka_unit_test(test_store__sqlb_refuses_too_many_values),
		cmocka_unit_test(test_store__statistics_refresh_leaves_sqlite_alone),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
