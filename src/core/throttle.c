/*
 * throttle.c - sign-in failure counting with exponential back-off (see throttle.h).
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
throttle_pause(const struct throttle_policy *policy, int failures)
{
	int over = failures - policy->free, pause = policy->base_sec;

	if (over <= 0)
		return 0;
	while (--over > 0 && pause < policy->max_sec)
		pause *= 2;
	return pause < policy->max_sec ? pause : policy->max_sec;
}

int
throttle_fail(struct db *db, const char *key, const struct throttle_policy *policy,
    time_t now)
{
	struct db_stmt *st = NULL;
	int64_t level = 0, last, blocked = 0;
	int rc;

	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_prepare(&st, db, "SELECT failures, window_start, blocked_until "
	    "FROM login_throttle WHERE key = ?")) != 0)
		goto done;
	db_bind_text(st, 1, key);
	if ((rc = db_step(st)) == DB_ROW) {
		/* Forget one failure per decay_sec since the last one. */
		level = db_column_int64(st, 0);
		last = db_column_int64(st, 1);
		if ((int64_t)now > last)
			level -= ((int64_t)now - last) / policy->decay_sec;
		if (level < 0)
			level = 0;
		blocked = db_column_int64(st, 2);
	}
	db_done(st);
	if (rc < 0)
		goto done;
	if (level < THROTTLE_LEVEL_MAX)
		level++;
	if (throttle_pause(policy, (int)level) > 0 &&
	    (int64_t)now + throttle_pause(policy, (int)level) > blocked)
		blocked = (int64_t)now + throttle_pause(policy, (int)level);
	if ((rc = db_prepare(&st, db, "INSERT INTO login_throttle (key, failures, window_start, "
	    "blocked_until) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
	    "failures = excluded.failures, window_start = excluded.window_start, "
	    "blocked_until = excluded.blocked_until")) != 0)
		goto done;
	db_bind_text(st, 1, key);
	db_bind_int64(st, 2, level);
	db_bind_int64(st, 3, (int64_t)now);
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
	db_bind_int64(st, 1, (int64_t)now - THROTTLE_FORGET_SEC);
	db_bind_int64(st, 2, (int64_t)now);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}
