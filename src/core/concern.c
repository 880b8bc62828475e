/*
 * concern.c - the public concern reporting channel (see concern.h): its
 * open/closed setting, taking a report and giving its key, and reading a
 * report back with the key.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/concern.h"
#include "core/org.h"
#include "core/record.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define CONCERN_LEDGER_REF	"channel"

static const char concern_not_found[] =
    "there is no open reporting channel at this address";

static void
concern_key_hash(unsigned char out[crypto_hash_sha256_BYTES], const char *key)
{
	crypto_hash_sha256(out, (const unsigned char *)key, strlen(key));
}

int
concern_channel_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *kind,
    const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	(void)kind;
	*out = NULL;
	if (ref == NULL || strcmp(ref, CONCERN_LEDGER_REF) != 0)
		return aims_error_set(AIMS_ENOTFOUND, "ref", "no such channel");
	if ((rc = db_prepare(&st, db, "SELECT open FROM concern_channels WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = json_pack("{s:b}", "open", db_column_int64(st, 0) != 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "ref", "no such channel");
	db_done(st);
	return rc;
}

int
concern_channel_get(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT open, version, updated_at, updated_by"
	    " FROM concern_channels WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = json_pack("{s:b, s:I, s:s, s:s}", "open", db_column_int64(st, 0) != 0,
		    "version", (json_int_t)db_column_int64(st, 1), "updated_at",
		    db_column_text(st, 2), "updated_by", db_column_text(st, 3));
		rc = 0;
	} else if (rc == DB_DONE) {
		*out = json_pack("{s:b, s:I, s:n, s:n}", "open", 0, "version", (json_int_t)0,
		    "updated_at", "updated_by");
		rc = 0;
	}
	db_done(st);
	return rc;
}

static int
concern_channel_set_now(json_t **out, struct db *db, const struct actor *actor, int64_t org_id,
    bool open)
{
	char now[CLOCK_RFC3339_LEN];
	struct ledger_event ev = { 0 };
	struct db_stmt *st = NULL;
	json_t *state = NULL;
	int64_t version = 0, seq;
	int rc;

	if (out)
		*out = NULL;
	if ((rc = db_begin(db)) != 0)
		return rc;
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "INSERT INTO concern_channels"
	    " (org_id, open, version, updated_at, updated_by) VALUES (?, ?, 1, ?, ?)"
	    " ON CONFLICT (org_id) DO UPDATE SET open = excluded.open,"
	    " version = concern_channels.version + 1, updated_at = excluded.updated_at,"
	    " updated_by = excluded.updated_by RETURNING version")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, open ? 1 : 0);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, actor->name);
	if ((rc = db_step(st)) != DB_ROW)
		goto done;
	version = db_column_int64(st, 0);
	db_done(st);
	st = NULL;
	if ((rc = concern_channel_load_for_ledger(&state, db, org_id, CONCERN_LEDGER_KIND,
	    CONCERN_LEDGER_REF)) != 0)
		goto done;
	ev.org_id = org_id;
	ev.actor = actor->name;
	ev.action = open ? "open" : "close";
	ev.kind = CONCERN_LEDGER_KIND;
	ev.ref = CONCERN_LEDGER_REF;
	ev.version = version;
	ev.record = state;
	rc = ledger_append(&seq, db, &ev);
done:
	db_done(st);
	json_decref(state);
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db)) == 0 && out)
		rc = concern_channel_get(out, db, org_id);
	return rc;
}

/* The org of slug whose channel is open; AIMS_ENOTFOUND alike for none and closed. */
static int
concern_open_org(int64_t *org_id, struct db *db, const char *slug)
{
	struct db_stmt *st = NULL;
	int rc;

	*org_id = 0;
	if (slug == NULL || !str_is_slug(slug))
		return aims_error_set(AIMS_ENOTFOUND, NULL, concern_not_found);
	if ((rc = db_prepare(&st, db, "SELECT o.id FROM orgs o JOIN concern_channels c"
	    " ON c.org_id = o.id WHERE o.slug = ? AND c.open = 1")) != 0)
		return rc;
	db_bind_text(st, 1, slug);
	if ((rc = db_step(st)) == DB_ROW) {
		*org_id = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, NULL, concern_not_found);
	db_done(st);
	return rc;
}

int
concern_channel_find(int64_t *org_id, char **name, struct db *db, const char *slug)
{
	struct db_stmt *st = NULL;
	int rc;

	*name = NULL;
	if ((rc = concern_open_org(org_id, db, slug)) != 0)
		return rc;
	if ((rc = db_prepare(&st, db, "SELECT name FROM orgs WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, *org_id);
	if ((rc = db_step(st)) == DB_ROW) {
		*name = xstrdup(db_column_text(st, 0));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, NULL, concern_not_found);
	db_done(st);
	return rc;
}

static int
concern_submit_now(char key[CONCERN_KEY_LEN], struct db *db, const char *slug, const char *text)
{
	const struct actor actor = CONCERN_ACTOR;
	unsigned char raw[CONCERN_KEY_BYTES], hash[crypto_hash_sha256_BYTES];
	struct db_stmt *st = NULL;
	json_t *input = NULL, *rec = NULL;
	int64_t org_id;
	int rc;

	key[0] = '\0';
	if (text == NULL || strlen(text) > CONCERN_TEXT_MAX)
		return aims_error_set(AIMS_EINVALID, "text",
		    "field 'text' must be at most %d characters", CONCERN_TEXT_MAX);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = concern_open_org(&org_id, db, slug)) != 0)
		goto done;
	input = json_pack("{s:s, s:s}", "text", text, "channel", "public_form");
	if (input == NULL) {
		rc = aims_error_set(AIMS_EINVALID, "text", "field 'text' must be UTF-8 text");
		goto done;
	}
	if ((rc = record_create(&rec, db, org_id, &actor, record_kind_find(CONCERN_KIND),
	    input)) != 0)
		goto done;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(key, CONCERN_KEY_LEN, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	concern_key_hash(hash, key);
	if ((rc = db_prepare(&st, db, "INSERT INTO concern_keys (org_id, ref, key_hash)"
	    " VALUES (?, ?, ?)")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, json_string_value(json_object_get(rec, "ref")));
	db_bind_blob(st, 3, hash, sizeof(hash));
	rc = db_step(st) == DB_DONE ? 0 : aims_error_set(AIMS_ERROR, NULL,
	    "cannot store the report key");
done:
	db_done(st);
	json_decref(input);
	json_decref(rec);
	if (rc != 0) {
		db_rollback(db);
		sodium_memzero(key, CONCERN_KEY_LEN);
		key[0] = '\0';
		return rc;
	}
	if ((rc = db_commit(db)) != 0) {
		sodium_memzero(key, CONCERN_KEY_LEN);
		key[0] = '\0';
	}
	return rc;
}

int
concern_read(json_t **out, int64_t *org_of, struct db *db, const char *key)
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	struct db_stmt *st = NULL;
	json_t *rec = NULL, *replies, *r;
	char *ref = NULL;
	int64_t org_id = 0;
	size_t i;
	int rc;

	*out = NULL;
	if (key == NULL || strlen(key) != CONCERN_KEY_LEN - 1)
		return aims_error_set(AIMS_ENOTFOUND, "key", "no report has this key");
	concern_key_hash(hash, key);
	if ((rc = db_prepare(&st, db, "SELECT org_id, ref FROM concern_keys"
	    " WHERE key_hash = ?")) != 0)
		return rc;
	db_bind_blob(st, 1, hash, sizeof(hash));
	if ((rc = db_step(st)) == DB_ROW) {
		org_id = db_column_int64(st, 0);
		ref = xstrdup(db_column_text(st, 1));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "key", "no report has this key");
	db_done(st);
	if (rc != 0)
		return rc;
	rc = record_get(&rec, db, org_id, record_kind_find(CONCERN_KIND), ref);
	free(ref);
	if (rc != 0)
		return rc == AIMS_ENOTFOUND ? aims_error_set(AIMS_ENOTFOUND, "key",
		    "no report has this key") : rc;
	replies = json_array();
	json_array_foreach(json_object_get(rec, "replies"), i, r)
		json_array_append_new(replies, json_pack("{s:O?, s:O?}", "at",
		    json_object_get(r, "at"), "text", json_object_get(r, "text")));
	*out = json_pack("{s:O, s:O, s:O, s:o}", "received_at", json_object_get(rec, "created_at"),
	    "text", json_object_get(rec, "text"), "status", json_object_get(rec, "status"),
	    "replies", replies);
	json_decref(rec);
	if (*out == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "cannot read the report");
	if (org_of != NULL)
		*org_of = org_id;
	return 0;
}

/*
 * The channel opened or closed, and a report received, from a request: through
 * the server's writer (db_write_via()). A report names its organisation by
 * slug, so it is the store's change.
 */
struct concern_change {
	json_t			**out;
	const struct actor	*actor;
	int64_t			 org_id;
	bool			 open;
	char			*key;		/* submit: CONCERN_KEY_LEN */
	const char		*slug, *text;
};

static int
concern_change_apply(struct db *db, void *arg)
{
	const struct concern_change *c = arg;

	if (c->key != NULL)
		return concern_submit_now(c->key, db, c->slug, c->text);
	return concern_channel_set_now(c->out, db, c->actor, c->org_id, c->open);
}

int
concern_channel_set(json_t **out, struct db *db, const struct actor *actor, int64_t org_id,
    bool open)
{
	struct concern_change c = { .out = out, .actor = actor, .org_id = org_id, .open = open };

	return db_write_via(db, org_id, concern_change_apply, &c);
}

int
concern_submit(char key[CONCERN_KEY_LEN], struct db *db, const char *slug, const char *text)
{
	struct concern_change c = { .key = key, .slug = slug, .text = text };

	return db_write_via(db, 0, concern_change_apply, &c);
}
