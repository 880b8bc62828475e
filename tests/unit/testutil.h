/*
 * testutil.h - shared set-up for unit tests: a fresh migrated database in the
 * test's working directory with a ledger signing key loaded.
 */
#ifndef AIMS_TESTS_TESTUTIL_H
#define AIMS_TESTS_TESTUTIL_H

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ledger/ledger.h"
#include "store/db.h"
#include "util/error.h"

static struct ledger_key *testutil_key;

/* How many times needle occurs in hay, not overlapping. */
static inline int
count_of(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/*
 * How many rows of sql (no parameter) hold needle anywhere in column 0, read
 * as bytes: works alike for text and blobs on either backend (SQLite's
 * instr() has no PostgreSQL twin for bytea). -1 when the query fails.
 */
static inline int
testutil_rows_holding(struct db *db, const char *sql, const char *needle)
{
	struct db_stmt *st;
	const unsigned char *p;
	size_t len, i, nlen = strlen(needle);
	int n = 0, rc;

	if (db_prepare(&st, db, sql) != 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		p = db_column_blob(st, 0, &len);
		for (i = 0; p != NULL && i + nlen <= len; i++)
			if (memcmp(p + i, needle, nlen) == 0) {
				n++;
				break;
			}
	}
	db_done(st);
	return rc < 0 ? -1 : n;
}

/* Opens (recreating) path with a new key in use; 0 or -1 after printing why. */
static inline int
testutil_open_db(struct db **out, const char *path)
{
	char keypath[512];

	if (sodium_init() < 0)
		return -1;
	unlink(path);
	snprintf(keypath, sizeof(keypath), "%s.key", path);
	unlink(keypath);
	snprintf(keypath, sizeof(keypath), "%s.pub", path);
	unlink(keypath);
	if (db_open(out, path, DB_OPEN_CREATE) != 0 || ledger_key_create(path) != 0 ||
	    ledger_key_load(&testutil_key, path) != 0) {
		fprintf(stderr, "testutil: %s\n", aims_error_message());
		return -1;
	}
	ledger_key_use(testutil_key);
	return 0;
}

static inline void
testutil_close_db(struct db *db)
{
	db_close(db);
	ledger_key_use(NULL);
	ledger_key_free(testutil_key);
	testutil_key = NULL;
}

#endif
