/*
 * sqlite_commit.c - the floor for durable writes on this disk: SQLite alone
 * committing one INSERT per transaction, opened as aims opens its store
 * (WAL, synchronous=FULL, so every commit is an fsync of the WAL), for a
 * number of seconds. bench/records.sh compares the server's create rate
 * under 16 concurrent clients with this rate, measured in the same run on
 * the same disk.
 *
 *   build/rel/bench/sqlite_commit DB SECONDS
 *
 * Prints "commits_per_second N".
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROW_TEXT	"{\"name\":\"Bench system\",\"lifecycle_stage\":\"deployment\"}"

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
must(int rc, sqlite3 *db, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE) {
		fprintf(stderr, "sqlite_commit: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	double t0, seconds;
	long n = 0;

	if (argc != 3 || (seconds = atof(argv[2])) <= 0) {
		fprintf(stderr, "usage: sqlite_commit DB SECONDS\n");
		return 2;
	}
	must(sqlite3_open(argv[1], &db), db, "open");
	must(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
	    "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, data TEXT NOT NULL)",
	    NULL, NULL, NULL), db, "setup");
	must(sqlite3_prepare_v2(db, "INSERT INTO t (data) VALUES (?)", -1, &ins, NULL), db,
	    "prepare");
	t0 = now_sec();
	while (now_sec() - t0 < seconds) {
		/* An explicit transaction per row, as a request's change is. */
		must(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db, "begin");
		sqlite3_bind_text(ins, 1, ROW_TEXT, -1, SQLITE_STATIC);
		must(sqlite3_step(ins), db, "insert");
		sqlite3_reset(ins);
		must(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db, "commit");
		n++;
	}
	printf("commits_per_second %.0f\n", (double)n / (now_sec() - t0));
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return 0;
}
