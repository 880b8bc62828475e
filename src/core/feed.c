/*
 * feed.c - secret calendar feeds (core/feed.h).
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/feed.h"
#include "core/perm.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define FEED_TEXT_MAX	64	/* base64url of FEED_SECRET_BYTES, with room */

#define FEED_COLUMNS "f.id, f.scope, u.email, f.revoked_at, f.version, f.created_at"

static json_t *
feed_row_json(struct db_stmt *st)
{
	char ref[24];

	snprintf(ref, sizeof(ref), "%" PRId64, db_column_int64(st, 0));
	return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:I, s:s}", "id",
	    (json_int_t)db_column_int64(st, 0), "ref", ref, "scope", db_column_text(st, 1),
	    "person", db_column_text(st, 2), "revoked_at", db_column_text(st, 3),
	    "version", (json_int_t)db_column_int64(st, 4), "created_at", db_column_text(st, 5));
}

static int
feed_get(json_t **out, struct db *db, int64_t org_id, int64_t id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " FEED_COLUMNS ", f.user_id FROM calendar_feeds f "
	    "JOIN users u ON u.id = f.user_id WHERE f.org_id = ? AND f.id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, id);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = feed_row_json(st);
		json_object_set_new(*out, "user_id", json_integer(db_column_int64(st, 6)));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "id", "no calendar feed %lld", (long long)id);
	db_done(st);
	return rc;
}

static json_t *
feed_ledger_state(const json_t *f)
{
	json_t *copy = json_copy((json_t *)f);

	json_object_del(copy, "user_id");
	return copy;
}

static int
feed_log(struct db *db, int64_t org_id, const struct actor *actor, const char *action,
    const json_t *f)
{
	json_t *state = feed_ledger_state(f);
	struct ledger_event ev = {
		.org_id = org_id, .actor = actor->name, .action = action, .kind = FEED_LEDGER_KIND,
		.ref = json_string_value(json_object_get(f, "ref")),
		.version = json_integer_value(json_object_get(f, "version")), .record = state,
	};
	int64_t seq;
	int rc;

	rc = ledger_append(&seq, db, &ev);
	json_decref(state);
	return rc;
}

int
feed_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	json_t *f = NULL;
	int64_t id;
	int rc;

	*out = NULL;
	if (str_to_int64(&id, ref, 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such calendar feed");
	if ((rc = feed_get(&f, db, org_id, id)) != 0)
		return rc;
	*out = feed_ledger_state(f);
	json_decref(f);
	return 0;
}

int
feed_enumerate(struct db *db, int64_t org_id, feed_visit_fn fn, void *arg)
{
	struct db_stmt *st = NULL;
	char ref[24];
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT id FROM calendar_feeds WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(ref, sizeof(ref), "%" PRId64, db_column_int64(st, 0));
		if ((rc = fn(arg, FEED_LEDGER_KIND, ref)) != 0)
			break;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

static int
feed_create_now(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *scope)
{
	char now[CLOCK_RFC3339_LEN], text[FEED_TEXT_MAX];
	unsigned char raw[FEED_SECRET_BYTES], hash[crypto_hash_sha256_BYTES];
	struct buf url = BUF_INIT;
	struct db_stmt *st = NULL;
	int64_t id = 0, n = 0;
	int rc;

	*out = NULL;
	if (scope == NULL || (strcmp(scope, "me") != 0 && strcmp(scope, "org") != 0))
		return aims_error_set(AIMS_EINVALID, "scope", "field 'scope': \"me\" (your work) "
		    "or \"org\" (the certification calendar)");
	if (actor->user_id <= 0)
		return aims_error_set(AIMS_EINVALID, "scope", "a calendar feed belongs to a person");
	if (strcmp(scope, "org") == 0 && !perm_allows(actor->role, PERM_WRITE, PERM_KIND_ORG))
		return aims_error_set(AIMS_EFORBIDDEN, "scope", "an organisation's calendar feed is "
		    "made by a manager or an admin");
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(text, sizeof(text), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	crypto_hash_sha256(hash, (const unsigned char *)text, strlen(text));
	clock_format(now, clock_now());
	if ((rc = db_begin(db)) != 0)
		goto done;
	if ((rc = db_prepare(&st, db, "SELECT count(*) FROM calendar_feeds WHERE org_id = ? "
	    "AND user_id = ? AND revoked_at IS NULL")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, actor->user_id);
	if (db_step(st) == DB_ROW)
		n = db_column_int64(st, 0);
	db_done(st);
	if (n >= FEED_PER_PERSON_MAX) {
		rc = aims_error_set(AIMS_ECONFLICT, NULL, "you hold %d calendar feeds already: "
		    "revoke one first", FEED_PER_PERSON_MAX);
		goto done;
	}
	if ((rc = db_prepare(&st, db, "INSERT INTO calendar_feeds (org_id, user_id, scope, "
	    "secret_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, actor->user_id);
	db_bind_text(st, 3, scope);
	db_bind_blob(st, 4, hash, sizeof(hash));
	db_bind_text(st, 5, now);
	db_bind_text(st, 6, now);
	if ((rc = db_step(st)) == DB_ROW) {
		id = db_column_int64(st, 0);
		rc = 0;
	}
	db_done(st);
	if (rc != 0 || (rc = feed_get(out, db, org_id, id)) != 0 ||
	    (rc = feed_log(db, org_id, actor, "create", *out)) != 0 || (rc = db_commit(db)) != 0)
		goto done;
	buf_printf(&url, FEED_PATH_PREFIX "%lld-%s" FEED_PATH_SUFFIX, (long long)id, text);
	json_object_del(*out, "user_id");
	json_object_set_new(*out, "url", json_string(buf_str(&url)));
done:
	if (rc != 0) {
		if (db_in_transaction(db))
			db_rollback(db);
		json_decref(*out);
		*out = NULL;
	}
	sodium_memzero(text, sizeof(text));
	buf_free(&url);
	return rc;
}

int
feed_list(json_t **out, struct db *db, int64_t org_id, const struct actor *actor)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " FEED_COLUMNS " FROM calendar_feeds f "
	    "JOIN users u ON u.id = f.user_id WHERE f.org_id = ? AND f.user_id = ? "
	    "AND f.revoked_at IS NULL ORDER BY f.id")) != 0) {
		json_decref(items);
		return rc;
	}
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, actor->user_id);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, feed_row_json(st));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = items;
	return 0;
}

static int
feed_revoke_now(struct db *db, int64_t org_id, const struct actor *actor, int64_t id)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	json_t *f = NULL;
	int rc;

	clock_format(now, clock_now());
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = feed_get(&f, db, org_id, id)) != 0)
		goto done;
	/* Someone else's feed is not theirs to see: 404, as for another organisation's. */
	if ((json_integer_value(json_object_get(f, "user_id")) != actor->user_id &&
	    !perm_allows(actor->role, PERM_ADMIN, PERM_KIND_ORG)) ||
	    !json_is_null(json_object_get(f, "revoked_at"))) {
		rc = aims_error_set(AIMS_ENOTFOUND, "id", "no calendar feed %lld", (long long)id);
		goto done;
	}
	if ((rc = db_prepare(&st, db, "UPDATE calendar_feeds SET revoked_at = ?, updated_at = ?, "
	    "version = version + 1 WHERE org_id = ? AND id = ?")) != 0)
		goto done;
	db_bind_text(st, 1, now);
	db_bind_text(st, 2, now);
	db_bind_int64(st, 3, org_id);
	db_bind_int64(st, 4, id);
	rc = db_step(st);
	db_done(st);
	json_decref(f);
	f = NULL;
	if (rc < 0 || (rc = feed_get(&f, db, org_id, id)) != 0)
		goto done;
	rc = feed_log(db, org_id, actor, "revoke", f);
done:
	json_decref(f);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int
feed_key_split(int64_t *id, const char **secret, const char *key)
{
	const char *dash;
	char idtext[24];

	*id = 0;
	*secret = NULL;
	if (key == NULL || (dash = strchr(key, '-')) == NULL || dash == key ||
	    (size_t)(dash - key) >= sizeof(idtext) || dash[1] == '\0')
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such calendar feed");
	memcpy(idtext, key, (size_t)(dash - key));
	idtext[dash - key] = '\0';
	if (str_to_int64(id, idtext, 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such calendar feed");
	*secret = dash + 1;
	return 0;
}

int
feed_resolve(struct feed_grant *out, struct db *db, const char *key)
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	struct db_stmt *st = NULL;
	const char *secret;
	const void *stored;
	size_t len = 0;
	int64_t id;
	int rc, match = 0;

	memset(out, 0, sizeof(*out));
	if ((rc = feed_key_split(&id, &secret, key)) != 0)
		return rc;
	crypto_hash_sha256(hash, (const unsigned char *)secret, strlen(secret));
	if ((rc = db_prepare(&st, db, "SELECT f.org_id, f.user_id, f.scope, f.secret_hash, o.name "
	    "FROM calendar_feeds f JOIN orgs o ON o.id = f.org_id "
	    "JOIN memberships m ON m.org_id = f.org_id AND m.user_id = f.user_id "
	    "JOIN users u ON u.id = f.user_id "
	    "WHERE f.id = ? AND f.revoked_at IS NULL AND u.disabled = 0")) != 0)
		return rc;
	db_bind_int64(st, 1, id);
	if ((rc = db_step(st)) == DB_ROW) {
		stored = db_column_blob(st, 3, &len);
		match = len == sizeof(hash) && sodium_memcmp(stored, hash, sizeof(hash)) == 0;
		out->org_id = db_column_int64(st, 0);
		out->user_id = db_column_int64(st, 1);
		snprintf(out->scope, sizeof(out->scope), "%s", db_column_text(st, 2));
		snprintf(out->org_name, sizeof(out->org_name), "%s", db_column_text(st, 4));
	}
	db_done(st);
	if (rc < 0)
		return rc;
	if (!match) {
		memset(out, 0, sizeof(*out));
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such calendar feed");
	}
	return 0;
}

/* A feed made or revoked from a request goes through the server's writer (db_write_via()). */
struct feed_change {
	json_t			**out;	/* NULL: revoke */
	int64_t			 org_id, id;
	const struct actor	*actor;
	const char		*scope;
};

static int
feed_change_apply(struct db *db, void *arg)
{
	const struct feed_change *f = arg;

	if (f->out == NULL)
		return feed_revoke_now(db, f->org_id, f->actor, f->id);
	return feed_create_now(f->out, db, f->org_id, f->actor, f->scope);
}

int
feed_create(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *scope)
{
	struct feed_change f = { .out = out, .org_id = org_id, .actor = actor, .scope = scope };

	return db_write_via(db, org_id, feed_change_apply, &f);
}

int
feed_revoke(struct db *db, int64_t org_id, const struct actor *actor, int64_t id)
{
	struct feed_change f = { .org_id = org_id, .id = id, .actor = actor };

	return db_write_via(db, org_id, feed_change_apply, &f);
}
