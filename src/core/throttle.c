/*
 * throttle.c - sign-in failure counting (see throttle.h).
 */
#include "core/throttle.h"
#include "store/db.h"
#include "util/error.h"

int
throttle_check(int *retry_after, struct db *db, const char *key, time_t now)
{
	struct db_stmt *st = NULL;
	int64_t until = 0;
	int rc;

	*retry_after = 0;
	if ((rc = db_prepare(&st, db, "SELECT blocked_until FROM login_throttle WHERE key = ?")) != 0)
		return rc;
	db_bind_text(st, 1, key);
	if ((rc = db_step(st)) == DB_ROW)
		until = db_column_int64(st, 0);
	db_done(st);
	if (rc < 0)
		return rc;
	if (until > (int64_t)now) {
		*retry_after = (int)(until - (int64_t)now);
		return aims_error_set(AIMS_ETHROTTLED, NULL,
		    "too many failed sign-ins: try again in %d seconds", *retry_after);
	}
	return 0;
}

int
throttle_fail(struct db *db, const char *key, int max, time_t now)
{
	struct db_stmt *st = NULL;
	int64_t failures = 1, window_start = now, blocked = 0;
	int rc;

	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_prepare(&st, db, "SELECT failures, window_start, blocked_until "
	    "FROM login_throttle WHERE key = ?")) != 0)
		goto done;
	db_bind_text(st, 1, key);
	if ((rc = db_step(st)) == DB_ROW &&
	    db_column_int64(st, 1) > (int64_t)now - THROTTLE_WINDOW_SEC) {
		/* Still inside the window: keep counting. */
		failures = db_column_int64(st, 0) + 1;
		window_start = db_column_int64(st, 1);
		blocked = db_column_int64(st, 2);
	}
	db_done(st);
	if (rc < 0)
		goto done;
	if (failures >= max)
		blocked = (int64_t)now + THROTTLE_BLOCK_SEC;
	if ((rc = db_prepare(&st, db, "INSERT INTO login_throttle (key, failures, window_start, "
	    "blocked_until) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
	    "failures = excluded.failures, window_start = excluded.window_start, "
	    "blocked_until = excluded.blocked_until")) != 0)
		goto done;
	db_bind_text(st, 1, key);
	db_bind_int64(st, 2, failures);
	db_bind_int64(st, 3, window_start);
	db_bind_int64(st, 4, blocked);
	rc = db_step(st);
	db_done(st);
	rc = rc < 0 ? rc : 0;
done:
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int
throttle_clear(struct db *db, const char *key)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "DELETE FROM login_throttle WHERE key = ?")) != 0)
		return rc;
	db_bind_text(st, 1, key);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
throttle_expire(struct db *db, time_t now)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "DELETE FROM login_throttle WHERE window_start <= ? "
	    "AND blocked_until <= ?")) != 0)
		return rc;
	db_bind_int64(st, 1, (int64_t)now - THROTTLE_WINDOW_SEC);
	db_bind_int64(st, 2, (int64_t)now);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}
