/*
 * token.c - API tokens (see token.h).
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "core/token.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define TOKEN_COLUMNS \
	"t.id, t.name, t.hint, t.role, coalesce(u.email, 'cli'), t.expires_at, " \
	"t.last_used_at, t.revoked_at, t.version, t.created_at, t.updated_at"

static json_t *
token_row_json(struct db_stmt *st)
{
	char ref[24];

	snprintf(ref, sizeof(ref), "%" PRId64, db_column_int64(st, 0));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:I, s:s, s:s}",
	    "id", (json_int_t)db_column_int64(st, 0),
	    "ref", ref,
	    "name", db_column_text(st, 1),
	    "hint", db_column_text(st, 2),
	    "role", db_column_text(st, 3),
	    "created_by", db_column_text(st, 4),
	    "expires_at", db_column_text(st, 5),
	    "last_used_at", db_column_text(st, 6),
	    "revoked_at", db_column_text(st, 7),
	    "version", (json_int_t)db_column_int64(st, 8),
	    "created_at", db_column_text(st, 9),
	    "updated_at", db_column_text(st, 10));
}

int
token_get(json_t **out, struct db *db, int64_t org_id, int64_t id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " TOKEN_COLUMNS " FROM api_tokens t "
	    "LEFT JOIN users u ON u.id = t.created_by WHERE t.org_id = ? AND t.id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, id);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = token_row_json(st);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, NULL, "no such token");
	db_done(st);
	return rc;
}

/* The ledger commits to a token without last_used_at, which every use changes. */
static json_t *
token_ledger_record(const json_t *rec)
{
	json_t *copy = json_copy((json_t *)rec);

	json_object_del(copy, "last_used_at");
	return copy;
}

int
token_load(json_t **out, struct db *db, int64_t org_id, const char *kind, const char *ref)
{
	json_t *rec = NULL;
	int64_t id;
	int rc;

	*out = NULL;
	if (strcmp(kind, "token") != 0 || str_to_int64(&id, ref, 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such token");
	if ((rc = token_get(&rec, db, org_id, id)) != 0)
		return rc;
	*out = token_ledger_record(rec);
	json_decref(rec);
	return 0;
}

static int
token_check_input(const struct actor *actor, const char *name, enum role role,
    const char *expires_at, char norm[CLOCK_RFC3339_LEN])
{
	time_t t;
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > TOKEN_NAME_MAX || !str_is_utf8(name, n) || strpbrk(name, "\r\n\t"))
		return aims_error_set(AIMS_EINVALID, "name",
		    "name must be 1 to %d characters on one line", TOKEN_NAME_MAX);
	if (!perm_may_assign(actor->role, role))
		return aims_error_set(AIMS_EFORBIDDEN, "role",
		    "a token's role cannot be higher than your own (%s)", role_name(actor->role));
	norm[0] = '\0';
	if (expires_at == NULL)
		return 0;
	if (clock_parse(&t, expires_at) != 0)
		return aims_error_set(AIMS_EINVALID, "expires_at",
		    "expires_at must be an RFC 3339 time such as 2027-01-31T00:00:00Z");
	if (t <= clock_now())
		return aims_error_set(AIMS_EINVALID, "expires_at", "expires_at is in the past");
	clock_format(norm, t);
	return 0;
}

static void
token_new_secret(char text[TOKEN_TEXT_LEN], unsigned char hash[32])
{
	unsigned char raw[TOKEN_SECRET_BYTES];

	randombytes_buf(raw, sizeof(raw));
	memcpy(text, TOKEN_PREFIX, strlen(TOKEN_PREFIX));
	sodium_bin2base64(text + strlen(TOKEN_PREFIX), TOKEN_TEXT_LEN - strlen(TOKEN_PREFIX), raw,
	    sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	crypto_hash_sha256(hash, (const unsigned char *)text, strlen(text));
}

static int
token_insert(int64_t *id, struct db *db, int64_t org_id, const struct actor *actor,
    const char *name, enum role role, const char *expires_at, const char *text,
    const unsigned char hash[32])
{
	char now[CLOCK_RFC3339_LEN], hint[TOKEN_HINT_LEN + 1];
	struct db_stmt *st = NULL;
	int rc;

	clock_format(now, clock_now());
	memcpy(hint, text, TOKEN_HINT_LEN);
	hint[TOKEN_HINT_LEN] = '\0';
	if ((rc = db_prepare(&st, db, "INSERT INTO api_tokens (org_id, name, token_hash, hint, "
	    "role, created_by, expires_at, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, name);
	db_bind_blob(st, 3, hash, 32);
	db_bind_text(st, 4, hint);
	db_bind_text(st, 5, role_name(role));
	if (actor->user_id > 0)
		db_bind_int64(st, 6, actor->user_id);
	else
		db_bind_null(st, 6);
	db_bind_text(st, 7, expires_at && *expires_at ? expires_at : NULL);
	db_bind_text(st, 8, now);
	db_bind_text(st, 9, now);
	if ((rc = db_step(st)) == DB_ROW) {
		*id = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ERROR, NULL, "token insert returned no id");
	db_done(st);
	return rc;
}

static int
token_log(struct db *db, int64_t org_id, const struct actor *actor, const char *action,
    const json_t *rec)
{
	json_t *state = token_ledger_record(rec);
	struct ledger_event ev = {
		.org_id = org_id,
		.actor = actor->name,
		.action = action,
		.kind = "token",
		.ref = json_string_value(json_object_get(rec, "ref")),
		.version = json_integer_value(json_object_get(rec, "version")),
		.record = state,
	};
	int64_t seq;
	int rc;

	rc = ledger_append(&seq, db, &ev);
	json_decref(state);
	return rc;
}

int
token_create(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *name, enum role role, const char *expires_at)
{
	char norm[CLOCK_RFC3339_LEN], text[TOKEN_TEXT_LEN];
	unsigned char hash[32];
	json_t *rec = NULL;
	int64_t id = 0;
	int rc;

	*out = NULL;
	if ((rc = token_check_input(actor, name, role, expires_at, norm)) != 0)
		return rc;
	token_new_secret(text, hash);
	if ((rc = db_begin(db)) != 0)
		goto done;
	if ((rc = token_insert(&id, db, org_id, actor, name, role, norm, text, hash)) != 0 ||
	    (rc = token_get(&rec, db, org_id, id)) != 0 ||
	    (rc = token_log(db, org_id, actor, "create", rec)) != 0) {
		db_rollback(db);
		goto done;
	}
	if ((rc = db_commit(db)) != 0)
		goto done;
	json_object_set_new(rec, "token", json_string(text));
	*out = rec;
	rec = NULL;
done:
	sodium_memzero(text, sizeof(text));
	json_decref(rec);
	return rc;
}

int
token_list(json_t **items, char **next_cursor, struct db *db, int64_t org_id, int limit,
    const char *cursor)
{
	struct db_stmt *st = NULL;
	int64_t after = INT64_MAX, last = 0;
	int rc, n = 0;

	*items = NULL;
	*next_cursor = NULL;
	if (limit < 1 || limit > TOKEN_LIST_MAX)
		return aims_error_set(AIMS_EINVALID, "limit", "limit must be from 1 to %d",
		    TOKEN_LIST_MAX);
	if (cursor != NULL && str_to_int64(&after, cursor, 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_EINVALID, "cursor", "cursor is not one this server gave");
	if ((rc = db_prepare(&st, db, "SELECT " TOKEN_COLUMNS " FROM api_tokens t "
	    "LEFT JOIN users u ON u.id = t.created_by WHERE t.org_id = ? AND t.id < ? "
	    "ORDER BY t.id DESC LIMIT ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, after);
	db_bind_int64(st, 3, limit + 1);
	*items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		if (n++ == limit) {
			char buf[24];

			snprintf(buf, sizeof(buf), "%" PRId64, last);
			*next_cursor = xstrdup(buf);
			break;
		}
		last = db_column_int64(st, 0);
		json_array_append_new(*items, token_row_json(st));
	}
	db_done(st);
	if (rc < 0) {
		json_decref(*items);
		*items = NULL;
		free(*next_cursor);
		*next_cursor = NULL;
		return rc;
	}
	return 0;
}

/* Role and revocation state of a token, for revoke's checks. */
static int
token_state(enum role *role, int64_t *version, int *revoked, struct db *db, int64_t org_id,
    int64_t id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT role, version, revoked_at IS NOT NULL "
	    "FROM api_tokens WHERE org_id = ? AND id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, id);
	if ((rc = db_step(st)) == DB_ROW) {
		rc = role_parse(role, db_column_text(st, 0));
		*version = db_column_int64(st, 1);
		*revoked = (int)db_column_int64(st, 2);
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, NULL, "no such token");
	db_done(st);
	return rc;
}

static int
token_mark_revoked(struct db *db, int64_t org_id, int64_t id)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	int rc;

	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "UPDATE api_tokens SET revoked_at = ?, updated_at = ?, "
	    "version = version + 1 WHERE org_id = ? AND id = ?")) != 0)
		return rc;
	db_bind_text(st, 1, now);
	db_bind_text(st, 2, now);
	db_bind_int64(st, 3, org_id);
	db_bind_int64(st, 4, id);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
token_revoke(struct db *db, int64_t org_id, const struct actor *actor, int64_t id,
    int64_t if_version)
{
	enum role role = ROLE_NONE;
	int64_t version = 0;
	json_t *rec = NULL;
	int revoked = 0, rc;

	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = token_state(&role, &version, &revoked, db, org_id, id)) != 0)
		goto fail;
	if (!perm_may_assign(actor->role, role)) {
		rc = aims_error_set(AIMS_EFORBIDDEN, "role",
		    "this token's role (%s) is higher than yours", role_name(role));
		goto fail;
	}
	if (if_version != 0 && if_version != version) {
		rc = aims_error_set(AIMS_ESTALE, NULL,
		    "the token changed since you read it (version %lld, you had %lld)",
		    (long long)version, (long long)if_version);
		goto fail;
	}
	if (revoked) {
		rc = aims_error_set(AIMS_ECONFLICT, NULL, "the token is already revoked");
		goto fail;
	}
	if ((rc = token_mark_revoked(db, org_id, id)) != 0 ||
	    (rc = token_get(&rec, db, org_id, id)) != 0 ||
	    (rc = token_log(db, org_id, actor, "revoke", rec)) != 0)
		goto fail;
	json_decref(rec);
	return db_commit(db);
fail:
	json_decref(rec);
	db_rollback(db);
	return rc;
}

/* The live tokens to revoke, read before any is changed. */
struct token_refs {
	struct {
		int64_t	org_id, id;
	}	*v;
	size_t	 n, cap;
};

static int
token_find_created_by(struct token_refs *t, struct db *db, int64_t org_id, int64_t user_id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT org_id, id FROM api_tokens WHERE created_by = ? "
	    "AND revoked_at IS NULL AND (? = 0 OR org_id = ?) ORDER BY org_id, id")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	db_bind_int64(st, 2, org_id);
	db_bind_int64(st, 3, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 8;
			t->v = xrealloc(t->v, t->cap * sizeof(t->v[0]));
		}
		t->v[t->n].org_id = db_column_int64(st, 0);
		t->v[t->n++].id = db_column_int64(st, 1);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
token_revoke_created_by(int *count, struct db *db, const struct actor *actor, int64_t org_id,
    int64_t user_id)
{
	struct token_refs t = { NULL, 0, 0 };
	json_t *rec = NULL;
	size_t i;
	int rc;

	if (count != NULL)
		*count = 0;
	if (user_id <= 0)
		return 0;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = token_find_created_by(&t, db, org_id, user_id)) != 0)
		goto fail;
	for (i = 0; i < t.n; i++) {
		if ((rc = token_mark_revoked(db, t.v[i].org_id, t.v[i].id)) != 0 ||
		    (rc = token_get(&rec, db, t.v[i].org_id, t.v[i].id)) != 0 ||
		    (rc = token_log(db, t.v[i].org_id, actor, "revoke", rec)) != 0)
			goto fail;
		json_decref(rec);
		rec = NULL;
	}
	if ((rc = db_commit(db)) == 0 && count != NULL)
		*count = (int)t.n;
	free(t.v);
	return rc;
fail:
	json_decref(rec);
	free(t.v);
	db_rollback(db);
	return rc;
}

int
token_touch(struct db *db, int64_t id, time_t now)
{
	char ts[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	int rc;

	clock_format(ts, now);
	if ((rc = db_prepare(&st, db, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?")) != 0)
		return rc;
	db_bind_text(st, 1, ts);
	db_bind_int64(st, 2, id);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int
token_unauth(void)
{
	return aims_error_set(AIMS_EUNAUTH, NULL, "the API token is unknown, revoked or expired");
}

/*
 * What the token may do now, from its creator's standing: the meet of its
 * role and the creator's current role, or AIMS_EUNAUTH naming why not.
 */
static int
token_check_creator(struct token_grant *g, const char *member_role, int disabled)
{
	enum role mrole;

	if (g->created_by == 0)
		return 0;	/* made from the CLI: the operator stands behind it */
	if (disabled)
		return aims_error_set(AIMS_EUNAUTH, NULL,
		    "the API token's creator is disabled: the token no longer works");
	if (member_role == NULL || role_parse(&mrole, member_role) != 0)
		return aims_error_set(AIMS_EUNAUTH, NULL, "the API token's creator is no longer a "
		    "member of its organisation: the token no longer works");
	if ((g->role = perm_role_meet(g->token_role, mrole)) == ROLE_NONE)
		return aims_error_set(AIMS_EUNAUTH, NULL,
		    "the API token's creator no longer holds any of its role's rights");
	return 0;
}

int
token_find(struct token_grant *out, struct db *db, const char *secret, time_t now)
{
	unsigned char hash[32];
	struct db_stmt *st = NULL;
	const char *exp, *used;
	size_t len = strlen(secret);
	time_t texp, tused = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len != TOKEN_TEXT_LEN - 1 || !str_has_prefix(secret, TOKEN_PREFIX))
		return token_unauth();
	crypto_hash_sha256(hash, (const unsigned char *)secret, len);
	if ((rc = db_prepare(&st, db, "SELECT t.id, t.org_id, coalesce(t.created_by, 0), t.role, "
	    "t.name, t.expires_at, t.last_used_at, m.role, coalesce(u.disabled, 0) "
	    "FROM api_tokens t "
	    "LEFT JOIN memberships m ON m.org_id = t.org_id AND m.user_id = t.created_by "
	    "LEFT JOIN users u ON u.id = t.created_by "
	    "WHERE t.token_hash = ? AND t.revoked_at IS NULL")) != 0)
		return rc;
	db_bind_blob(st, 1, hash, sizeof(hash));
	if ((rc = db_step(st)) != DB_ROW) {
		db_done(st);
		return rc < 0 ? rc : token_unauth();
	}
	out->id = db_column_int64(st, 0);
	out->org_id = db_column_int64(st, 1);
	out->created_by = db_column_int64(st, 2);
	rc = role_parse(&out->token_role, db_column_text(st, 3));
	out->role = out->token_role;
	snprintf(out->name, sizeof(out->name), "%s", db_column_text(st, 4));
	exp = db_column_text(st, 5);
	used = db_column_text(st, 6);
	if (exp != NULL && (clock_parse(&texp, exp) != 0 || texp <= now))
		rc = token_unauth();
	if (rc == 0)
		rc = token_check_creator(out, db_column_text(st, 7), (int)db_column_int64(st, 8));
	if (used == NULL || clock_parse(&tused, used) != 0 || now - tused >= TOKEN_USE_WRITE_SEC)
		out->touch = true;
	db_done(st);
	return rc;
}

int
token_authenticate(struct token_grant *out, struct db *db, const char *secret, time_t now)
{
	int rc;

	if ((rc = token_find(out, db, secret, now)) == 0 && out->touch)
		rc = token_touch(db, out->id, now);
	return rc;
}

int
token_change_apply(struct db *db, void *arg)
{
	struct token_change *t = arg;

	if (t->revoke)
		return token_revoke(db, t->org_id, t->actor, t->id, t->if_version);
	return token_create(&t->out, db, t->org_id, t->actor, t->name, t->role, t->expires_at);
}
