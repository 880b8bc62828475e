/*
 * session.c - sign-in sessions (see session.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/session.h"
#include "store/db.h"
#include "util/error.h"

void
session_hash_token(unsigned char out[32], const char *token)
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

void
session_random_token(char out[SESSION_TOKEN_LEN])
{
	unsigned char raw[SESSION_TOKEN_BYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, SESSION_TOKEN_LEN, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

int
session_create(char token[SESSION_TOKEN_LEN], struct session *out, struct db *db,
    int64_t user_id, const char *client_addr, time_t now)
{
	unsigned char hash[32];
	struct db_stmt *st = NULL;
	int rc;

	session_random_token(token);
	session_hash_token(hash, token);
	memset(out, 0, sizeof(*out));
	session_random_token(out->csrf);
	out->user_id = user_id;
	out->created_at = out->last_seen = now;
	out->expires_at = (int64_t)now + SESSION_ABSOLUTE_SEC;
	if ((rc = db_prepare(&st, db, "INSERT INTO sessions (token_hash, user_id, csrf, "
	    "created_at, last_seen, expires_at, client_addr) VALUES (?, ?, ?, ?, ?, ?, ?) "
	    "RETURNING id")) != 0)
		return rc;
	db_bind_blob(st, 1, hash, sizeof(hash));
	db_bind_int64(st, 2, user_id);
	db_bind_text(st, 3, out->csrf);
	db_bind_int64(st, 4, out->created_at);
	db_bind_int64(st, 5, out->last_seen);
	db_bind_int64(st, 6, out->expires_at);
	db_bind_text(st, 7, client_addr ? client_addr : "");
	if ((rc = db_step(st)) == DB_ROW) {
		out->id = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ERROR, NULL, "session insert returned no id");
	db_done(st);
	if (rc != 0)
		sodium_memzero(token, SESSION_TOKEN_LEN);
	return rc;
}

int
session_touch(struct db *db, int64_t id, time_t now)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "UPDATE sessions SET last_seen = ? WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, (int64_t)now);
	db_bind_int64(st, 2, id);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
session_find(struct session *out, struct db *db, const char *token, time_t now)
{
	unsigned char hash[32];
	struct db_stmt *st = NULL;
	const char *csrf;
	int rc;

	memset(out, 0, sizeof(*out));
	session_hash_token(hash, token);
	if ((rc = db_prepare(&st, db, "SELECT id, user_id, csrf, created_at, last_seen, "
	    "expires_at FROM sessions WHERE token_hash = ?")) != 0)
		return rc;
	db_bind_blob(st, 1, hash, sizeof(hash));
	if ((rc = db_step(st)) != DB_ROW) {
		db_done(st);
		return rc < 0 ? rc : aims_error_set(AIMS_ENOTFOUND, NULL, "no such session");
	}
	out->id = db_column_int64(st, 0);
	out->user_id = db_column_int64(st, 1);
	csrf = db_column_text(st, 2);
	snprintf(out->csrf, sizeof(out->csrf), "%s", csrf ? csrf : "");
	out->created_at = db_column_int64(st, 3);
	out->last_seen = db_column_int64(st, 4);
	out->expires_at = db_column_int64(st, 5);
	db_done(st);
	if ((int64_t)now >= out->expires_at || (int64_t)now - out->last_seen >= SESSION_IDLE_SEC)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "the session has expired");
	out->touch = (int64_t)now - out->last_seen >= SESSION_TOUCH_SEC;
	return 0;
}

int
session_lookup(struct session *out, struct db *db, const char *token, time_t now)
{
	int rc;

	if ((rc = session_find(out, db, token, now)) != 0 || !out->touch)
		return rc;
	if ((rc = session_touch(db, out->id, now)) != 0)
		return rc;
	out->last_seen = now;
	out->touch = false;
	return 0;
}

int
session_delete(struct db *db, const char *token)
{
	unsigned char hash[32];
	struct db_stmt *st = NULL;
	int rc;

	session_hash_token(hash, token);
	if ((rc = db_prepare(&st, db, "DELETE FROM sessions WHERE token_hash = ?")) != 0)
		return rc;
	db_bind_blob(st, 1, hash, sizeof(hash));
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
session_delete_user(struct db *db, int64_t user_id, int64_t keep_id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	db_bind_int64(st, 2, keep_id);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
session_expire(struct db *db, time_t now)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "DELETE FROM sessions WHERE expires_at <= ? "
	    "OR last_seen <= ?")) != 0)
		return rc;
	db_bind_int64(st, 1, (int64_t)now);
	db_bind_int64(st, 2, (int64_t)now - SESSION_IDLE_SEC);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
session_list_user(json_t **out, struct db *db, int64_t user_id, time_t now)
{
	struct db_stmt *st = NULL;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT id, created_at, last_seen, client_addr "
	    "FROM sessions WHERE user_id = ? AND expires_at > ? AND last_seen > ? "
	    "ORDER BY last_seen DESC, id DESC LIMIT ?")) != 0)
		goto done;
	db_bind_int64(st, 1, user_id);
	db_bind_int64(st, 2, (int64_t)now);
	db_bind_int64(st, 3, (int64_t)now - SESSION_IDLE_SEC);
	db_bind_int64(st, 4, SESSION_LIST_MAX);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:I, s:I, s:s}",
		    "id", (json_int_t)db_column_int64(st, 0),
		    "created_at", (json_int_t)db_column_int64(st, 1),
		    "last_seen", (json_int_t)db_column_int64(st, 2),
		    "client_addr", db_column_text(st, 3) ? db_column_text(st, 3) : ""));
	if (rc == DB_DONE) {
		*out = arr;
		arr = NULL;
		rc = 0;
	}
done:
	db_done(st);
	json_decref(arr);
	return rc;
}

int
session_delete_own(struct db *db, int64_t user_id, int64_t id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db,
	    "DELETE FROM sessions WHERE id = ? AND user_id = ? RETURNING id")) != 0)
		return rc;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, user_id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE)
		return aims_error_set(AIMS_ENOTFOUND, "session", "no such session of yours");
	return rc < 0 ? rc : 0;
}
