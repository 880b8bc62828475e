/*
 * outbox.c - claiming and settling outbox rows (core/outbox.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/outbox.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"

#define OUTBOX_ERROR_MAX	300

int
outbox_claim(json_t **out, struct db *db, time_t now, int limit, bool mail)
{
	char at[CLOCK_RFC3339_LEN], until[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int rc;

	*out = NULL;
	clock_format(at, now);
	clock_format(until, now + OUTBOX_LEASE_SEC);
	if ((rc = db_begin(db)) != 0)
		goto done;
	/* One statement claims: a second server's claim waits for this one's commit. */
	if ((rc = db_prepare(&st, db, "UPDATE outbox SET next_at = ?, attempts = attempts + 1 "
	    "WHERE id IN (SELECT o.id FROM outbox o LEFT JOIN webhooks w "
	    "ON o.channel = 'webhook' AND w.id = o.target AND w.org_id = o.org_id "
	    "WHERE o.state = 'pending' AND o.next_at <= ? "
	    "AND ((o.channel = 'webhook' AND w.enabled = 1) OR (o.channel = 'mail' AND ? = 1)) "
	    "ORDER BY o.next_at, o.id LIMIT ?) "
	    "RETURNING id, org_id, channel, target, event, body, attempts")) != 0)
		goto done;
	db_bind_text(st, 1, until);
	db_bind_text(st, 2, at);
	db_bind_int64(st, 3, mail);
	db_bind_int64(st, 4, limit);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:I}",
		    "id", (json_int_t)db_column_int64(st, 0), "org_id",
		    (json_int_t)db_column_int64(st, 1), "channel", db_column_text(st, 2),
		    "target", (json_int_t)db_column_int64(st, 3), "event", db_column_text(st, 4),
		    "body", db_column_text(st, 5), "attempts", (json_int_t)db_column_int64(st, 6)));
	db_done(st);
	rc = rc < 0 ? rc : db_commit(db);
done:
	if (rc != 0) {
		if (db_in_transaction(db))
			db_rollback(db);
		json_decref(items);
		return rc;
	}
	*out = items;
	return 0;
}

int
outbox_finish(struct db *db, int64_t id, bool ok, int attempts, int max_attempts,
    int retry_base, const char *error, time_t now)
{
	char at[CLOCK_RFC3339_LEN], next[CLOCK_RFC3339_LEN], cut[OUTBOX_ERROR_MAX + 1];
	struct db_stmt *st = NULL;
	long long wait = retry_base > 0 ? retry_base : 1;
	int i, rc;

	for (i = 1; i < attempts && wait < OUTBOX_BACKOFF_MAX_SEC; i++)
		wait *= 2;
	if (wait > OUTBOX_BACKOFF_MAX_SEC)
		wait = OUTBOX_BACKOFF_MAX_SEC;
	clock_format(at, now);
	clock_format(next, now + (time_t)wait);
	snprintf(cut, sizeof(cut), "%s", error != NULL ? error : "");
	/*
	 * A sealed body (a mail carrying a link, core/notify.h) is erased once
	 * the row is done with: its secret is not kept for the 30 days the row is.
	 */
	if ((rc = db_prepare(&st, db, ok ?
	    "UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL, "
	    "body = CASE WHEN body LIKE '{\"sealed\":%' THEN '{\"sealed\":null}' ELSE body END "
	    "WHERE id = ?" :
	    "UPDATE outbox SET state = CASE WHEN attempts >= ? THEN 'failed' ELSE 'pending' END, "
	    "body = CASE WHEN attempts >= ? AND body LIKE '{\"sealed\":%' "
	    "THEN '{\"sealed\":null}' ELSE body END, "
	    "next_at = ?, last_error = ? WHERE id = ?")) != 0)
		return rc;
	if (ok) {
		db_bind_text(st, 1, at);
		db_bind_int64(st, 2, id);
	} else {
		db_bind_int64(st, 1, max_attempts);
		db_bind_int64(st, 2, max_attempts);
		db_bind_text(st, 3, next);
		db_bind_text(st, 4, cut);
		db_bind_int64(st, 5, id);
	}
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
outbox_counts(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	json_t *o = json_pack("{s:{s:i, s:i, s:i}, s:{s:i, s:i, s:i}}", "mail", "pending", 0,
	    "sent", 0, "failed", 0, "webhook", "pending", 0, "sent", 0, "failed", 0);
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT channel, state, count(*) FROM outbox "
	    "WHERE org_id = ? GROUP BY channel, state")) != 0) {
		json_decref(o);
		return rc;
	}
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW)
		json_object_set_new(json_object_get(o, db_column_text(st, 0)),
		    db_column_text(st, 1), json_integer(db_column_int64(st, 2)));
	db_done(st);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int
outbox_expire(struct db *db, time_t now)
{
	char rows[CLOCK_RFC3339_LEN], log[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	int rc;

	clock_format(rows, now - (time_t)OUTBOX_KEEP_DAYS * 86400);
	clock_format(log, now - (time_t)OUTBOX_LOG_KEEP_DAYS * 86400);
	if ((rc = db_prepare(&st, db, "DELETE FROM outbox WHERE state <> 'pending' "
	    "AND created_at < ?")) != 0)
		return rc;
	db_bind_text(st, 1, rows);
	rc = db_step(st);
	db_done(st);
	if (rc < 0 || (rc = db_prepare(&st, db, "DELETE FROM webhook_deliveries WHERE at < ?")) != 0)
		return rc;
	db_bind_text(st, 1, log);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}
