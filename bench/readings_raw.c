/*
 * readings_raw.c - the baseline bench/metrics.mjs divides by: the rate at
 * which SQLite alone stores readings in the same table shape (primary key
 * org, metric, time; text value) and the same durability (WAL,
 * synchronous=FULL, one transaction per batch of 1,000), inserted one row
 * per statement from memory: no HTTP, no JSON, no ledger, no roll-ups.
 *
 *   build/rel/bench/readings_raw DB N
 *
 * Prints "raw: N readings ... readings/s" on one line.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RAW_BATCH	1000

static int
raw_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "readings_raw: %s: %s\n", sql, err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char value[32];
	long n, i;
	double secs;
	int rc = 1;

	if (argc != 3 || (n = strtol(argv[2], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: readings_raw DB N\n");
		return 2;
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    raw_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;") ||
	    raw_exec(db, "CREATE TABLE r (org_id INTEGER NOT NULL, metric TEXT NOT NULL, "
	    "at INTEGER NOT NULL, value TEXT NOT NULL, batch INTEGER NOT NULL, "
	    "PRIMARY KEY (org_id, metric, at)) WITHOUT ROWID") ||
	    sqlite3_prepare_v2(db, "INSERT INTO r VALUES (1, 'MET-1', ?, ?, ?)", -1, &st,
	    NULL) != SQLITE_OK)
		goto done;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		if (i % RAW_BATCH == 0 && raw_exec(db, "BEGIN IMMEDIATE"))
			goto done;
		snprintf(value, sizeof(value), "%.15g", 90 + (double)(i % 997) / 100);
		sqlite3_bind_int64(st, 1, 946684800 + (sqlite3_int64)i * 60);
		sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, i / RAW_BATCH + 1);
		if (sqlite3_step(st) != SQLITE_DONE) {
			fprintf(stderr, "readings_raw: %s\n", sqlite3_errmsg(db));
			goto done;
		}
		sqlite3_reset(st);
		if ((i % RAW_BATCH == RAW_BATCH - 1 || i == n - 1) && raw_exec(db, "COMMIT"))
			goto done;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("raw: %ld readings in %ld transactions of %d: %.1f s, %.0f readings/s\n", n,
	    (n + RAW_BATCH - 1) / RAW_BATCH, RAW_BATCH, secs, (double)n / secs);
	rc = 0;
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}
