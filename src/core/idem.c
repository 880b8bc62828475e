/*
 * idem.c - Idempotency-Key storage (see idem.h).
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/idem.h"
#include "store/db.h"
#include "util/error.h"
#include "util/mem.h"

void
idem_hash_request(unsigned char out[IDEM_HASH_LEN], const char *method, const char *path,
    const char *body, size_t body_len)
{
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)method, strlen(method) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)path, strlen(path) + 1);
	if (body != NULL)
		crypto_hash_sha256_update(&st, (const unsigned char *)body, body_len);
	crypto_hash_sha256_final(&st, out);
}

/* Reads the row for the key: 1 found (fills e), 0 none, <0 error. */
static int
idem_load(struct idem_entry *e, struct db *db, int64_t org_id, const char *principal,
    const char *key, int64_t *created_at)
{
	struct db_stmt *st = NULL;
	const void *hash;
	size_t hlen;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT request_hash, status, body, location, created_at "
	    "FROM idempotency_keys WHERE org_id = ? AND principal = ? AND key = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, principal);
	db_bind_text(st, 3, key);
	if ((rc = db_step(st)) != DB_ROW)
		goto done;
	hash = db_column_blob(st, 0, &hlen);
	e->status = (int)db_column_int64(st, 1);
	*created_at = db_column_int64(st, 4);
	if (hlen != IDEM_HASH_LEN || sodium_memcmp(hash, e->request_hash, IDEM_HASH_LEN) != 0)
		e->state = IDEM_MISMATCH;
	else if (e->status == 0)
		e->state = IDEM_BUSY;
	else {
		e->state = IDEM_DONE;
		e->body = xstrdup(db_column_text(st, 2) ? db_column_text(st, 2) : "");
		e->location = db_column_text(st, 3) ? xstrdup(db_column_text(st, 3)) : NULL;
	}
	rc = 1;
done:
	db_done(st);
	return rc;
}

static int
idem_reserve(struct db *db, int64_t org_id, const char *principal, const char *key,
    const unsigned char hash[IDEM_HASH_LEN], time_t now)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO idempotency_keys "
	    "(org_id, principal, key, request_hash, created_at) VALUES (?, ?, ?, ?, ?) "
	    "ON CONFLICT (org_id, principal, key) DO UPDATE SET request_hash = excluded.request_hash, "
	    "created_at = excluded.created_at, status = 0, body = NULL, location = NULL "
	    "WHERE idempotency_keys.status = 0 AND idempotency_keys.created_at < ? "
	    "OR idempotency_keys.created_at < ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, principal);
	db_bind_text(st, 3, key);
	db_bind_blob(st, 4, hash, IDEM_HASH_LEN);
	db_bind_int64(st, 5, (int64_t)now);
	db_bind_int64(st, 6, (int64_t)now - IDEM_STALE_SEC);
	db_bind_int64(st, 7, (int64_t)now - IDEM_TTL_SEC);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
idem_begin(struct idem_entry *e, struct db *db, int64_t org_id, const char *principal,
    const char *key, time_t now)
{
	int64_t created_at = 0;
	int rc;

	e->state = IDEM_NEW;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = idem_load(e, db, org_id, principal, key, &created_at)) < 0)
		goto fail;
	/*
	 * Nothing written: committed, not rolled back, since inside the server's
	 * writer this is one request of a group and a rollback would fail it.
	 */
	if (rc == 1 && created_at >= (int64_t)now - IDEM_TTL_SEC &&
	    !(e->state == IDEM_BUSY && created_at < (int64_t)now - IDEM_STALE_SEC))
		return db_commit(db);
	free(e->body);
	free(e->location);
	e->body = e->location = NULL;
	e->state = IDEM_NEW;
	if ((rc = idem_reserve(db, org_id, principal, key, e->request_hash, now)) != 0)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return rc;
}

int
idem_finish(struct db *db, int64_t org_id, const char *principal, const char *key,
    int status, const char *body, const char *location)
{
	struct db_stmt *st = NULL;
	int rc;

	if (strlen(body) > IDEM_BODY_MAX)
		return aims_error_set(AIMS_ETOOBIG, NULL, "answer too large to keep for replay");
	if ((rc = db_prepare(&st, db, "UPDATE idempotency_keys SET status = ?, body = ?, "
	    "location = ? WHERE org_id = ? AND principal = ? AND key = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, status);
	db_bind_text(st, 2, body);
	db_bind_text(st, 3, location);
	db_bind_int64(st, 4, org_id);
	db_bind_text(st, 5, principal);
	db_bind_text(st, 6, key);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

void
idem_release(struct db *db, int64_t org_id, const char *principal, const char *key)
{
	struct db_stmt *st = NULL;

	if (db_prepare(&st, db, "DELETE FROM idempotency_keys "
	    "WHERE org_id = ? AND principal = ? AND key = ? AND status = 0") != 0)
		return;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, principal);
	db_bind_text(st, 3, key);
	db_step(st);
	db_done(st);
}

void
idem_entry_free(struct idem_entry *e)
{
	free(e->body);
	free(e->location);
	e->body = e->location = NULL;
}

int
idem_expire(struct db *db, time_t now)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "DELETE FROM idempotency_keys WHERE created_at < ?")) != 0)
		return rc;
	db_bind_int64(st, 1, (int64_t)now - IDEM_TTL_SEC);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}
