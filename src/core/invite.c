/*
 * invite.c - invitations to join an organisation (see invite.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/invite.h"
#include "core/member.h"
#include "core/org.h"
#include "core/perm.h"
#include "core/user.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

#define INVITE_GONE	"this invitation link is not valid: it was used, withdrawn or has " \
			"expired. Ask for a new one"

int
invite_create(char token[INVITE_TOKEN_LEN], struct db *db, const struct actor *actor,
    int64_t org_id, const char *email, enum role role, time_t now)
{
	unsigned char hash[32];
	struct db_stmt *st = NULL;
	char *lower = NULL;
	int64_t uid = 0;
	enum role have;
	int rc;

	token[0] = '\0';
	if (email == NULL || !str_is_email(email))
		return aims_error_set(AIMS_EINVALID, "email", "'%s' is not a valid email address",
		    email != NULL ? email : "");
	if (role < ROLE_VIEWER || role > ROLE_ADMIN)
		return aims_error_set(AIMS_EINVALID, "role", "unknown role");
	if (actor->user_id > 0 && !perm_role_covers(actor->role, role))
		return aims_error_set(AIMS_EFORBIDDEN, "role",
		    "your role (%s) may not invite someone as %s", role_name(actor->role),
		    role_name(role));
	lower = str_lower(email);
	if ((rc = user_id_by_email(&uid, db, lower)) == 0 &&
	    member_role(&have, db, org_id, uid) == 0) {
		rc = aims_error_set(AIMS_EEXISTS, "email", "'%s' is already a member", lower);
		goto done;
	}
	aims_error_clear();
	session_random_token(token);
	session_hash_token(hash, token);
	if ((rc = db_prepare(&st, db, "INSERT INTO invites (org_id, token_hash, email, role, "
	    "created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_blob(st, 2, hash, sizeof(hash));
	db_bind_text(st, 3, lower);
	db_bind_text(st, 4, role_name(role));
	if (actor->user_id > 0)
		db_bind_int64(st, 5, actor->user_id);
	else
		db_bind_null(st, 5);
	db_bind_int64(st, 6, (int64_t)now);
	db_bind_int64(st, 7, (int64_t)now + INVITE_TTL_SEC);
	rc = db_step(st);
	rc = rc < 0 ? rc : 0;
done:
	db_done(st);
	free(lower);
	if (rc != 0)
		sodium_memzero(token, INVITE_TOKEN_LEN);
	return rc;
}

int
invite_list(json_t **out, struct db *db, int64_t org_id, time_t now)
{
	struct db_stmt *st = NULL;
	json_t *arr = json_array();
	char when[CLOCK_RFC3339_LEN];
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT i.id, i.email, i.role, coalesce(u.email, 'cli'), "
	    "i.expires_at FROM invites i LEFT JOIN users u ON u.id = i.created_by "
	    "WHERE i.org_id = ? AND i.used_at IS NULL AND i.expires_at > ? "
	    "ORDER BY i.id DESC LIMIT ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, (int64_t)now);
	db_bind_int64(st, 3, INVITE_LIST_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		clock_format(when, (time_t)db_column_int64(st, 4));
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s}",
		    "id", (json_int_t)db_column_int64(st, 0), "email", db_column_text(st, 1),
		    "role", db_column_text(st, 2), "invited_by", db_column_text(st, 3),
		    "expires_at", when));
	}
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
invite_withdraw(struct db *db, int64_t org_id, int64_t id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "UPDATE invites SET used_at = expires_at, expires_at = 0 "
	    "WHERE id = ? AND org_id = ? AND used_at IS NULL RETURNING id")) != 0)
		return rc;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, org_id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE)
		return aims_error_set(AIMS_ENOTFOUND, "invite", "no such pending invitation");
	return rc < 0 ? rc : 0;
}

int
invite_find(json_t **out, struct db *db, const char *token, time_t now)
{
	unsigned char hash[32];
	struct db_stmt *st = NULL;
	int64_t uid = 0;
	int rc;

	*out = NULL;
	if (token == NULL || strlen(token) != INVITE_TOKEN_LEN - 1)
		return aims_error_set(AIMS_ENOTFOUND, NULL, INVITE_GONE);
	session_hash_token(hash, token);
	if ((rc = db_prepare(&st, db, "SELECT o.slug, o.name, i.email, i.role FROM invites i "
	    "JOIN orgs o ON o.id = i.org_id WHERE i.token_hash = ? AND i.used_at IS NULL "
	    "AND i.expires_at > ?")) != 0)
		return rc;
	db_bind_blob(st, 1, hash, sizeof(hash));
	db_bind_int64(st, 2, (int64_t)now);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = json_pack("{s:s, s:s, s:s, s:s, s:b}", "org", db_column_text(st, 0),
		    "org_name", db_column_text(st, 1), "email", db_column_text(st, 2),
		    "role", db_column_text(st, 3), "has_account",
		    user_id_by_email(&uid, db, db_column_text(st, 2)) == 0);
		aims_error_clear();
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, NULL, INVITE_GONE);
	db_done(st);
	return rc;
}

/* Marks the invitation used (once: a second accept finds nothing) and reads it. */
static int
invite_take(int64_t *org_id, char email[EMAIL_MAX + 1], enum role *role, int64_t *by,
    struct db *db, const unsigned char hash[32], time_t now)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "UPDATE invites SET used_at = ? WHERE token_hash = ? "
	    "AND used_at IS NULL AND expires_at > ? "
	    "RETURNING org_id, email, role, coalesce(created_by, 0)")) != 0)
		return rc;
	db_bind_int64(st, 1, (int64_t)now);
	db_bind_blob(st, 2, hash, 32);
	db_bind_int64(st, 3, (int64_t)now);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*org_id = db_column_int64(st, 0);
		snprintf(email, EMAIL_MAX + 1, "%s", db_column_text(st, 1));
		*by = db_column_int64(st, 3);
		rc = role_parse(role, db_column_text(st, 2));
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, NULL, INVITE_GONE);
	db_done(st);
	return rc;
}

/* Who the membership is added as: the inviter with their role now (the CLI: admin). */
static int
invite_inviter(struct actor *a, char name[EMAIL_MAX + 8], struct db *db, int64_t org_id,
    int64_t by)
{
	json_t *u = NULL;
	int rc;

	if (by == 0) {
		*a = ACTOR_CLI;
		return 0;
	}
	a->user_id = by;
	if ((rc = member_role(&a->role, db, org_id, by)) != 0 ||
	    (rc = user_get(&u, db, by)) != 0 ||
	    json_is_true(json_object_get(u, "disabled"))) {
		json_decref(u);
		return aims_error_set(AIMS_ENOTFOUND, NULL, INVITE_GONE);
	}
	snprintf(name, EMAIL_MAX + 8, "user:%s", json_string_value(json_object_get(u, "email")));
	a->name = name;
	json_decref(u);
	return 0;
}

int
invite_prepare(char *hash, const char *token, int64_t user_id, const char *password)
{
	hash[0] = '\0';
	if (token == NULL || strlen(token) != INVITE_TOKEN_LEN - 1)
		return aims_error_set(AIMS_ENOTFOUND, NULL, INVITE_GONE);
	/* Before the write lock: a refused password must not cost the link. */
	return user_id == 0 ? user_password_hash(hash, password) : 0;
}

int
invite_accept(char **org_slug, int64_t *user_id_out, struct db *db, const char *token,
    int64_t user_id, const char *display_name, const char *password, time_t now)
{
	char hash[USER_HASH_MAX];
	int rc;

	*org_slug = NULL;
	if ((rc = invite_prepare(hash, token, user_id, password)) == 0)
		rc = invite_accept_hashed(org_slug, user_id_out, db, token, user_id,
		    display_name, hash, now);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int
invite_accept_hashed(char **org_slug, int64_t *user_id_out, struct db *db,
    const char *token, int64_t user_id, const char *display_name, const char *password_hash,
    time_t now)
{
	char email[EMAIL_MAX + 1], inviter[EMAIL_MAX + 8];
	unsigned char hash[32];
	struct actor by = { 0 };
	int64_t org_id = 0, created_by = 0, owner = 0;
	json_t *org = NULL;
	enum role role;
	int rc;

	*org_slug = NULL;
	if (token == NULL || strlen(token) != INVITE_TOKEN_LEN - 1)
		return aims_error_set(AIMS_ENOTFOUND, NULL, INVITE_GONE);
	session_hash_token(hash, token);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = invite_take(&org_id, email, &role, &created_by, db, hash, now)) != 0 ||
	    (rc = invite_inviter(&by, inviter, db, org_id, created_by)) != 0)
		goto done;
	if (by.user_id > 0 && !perm_role_covers(by.role, role)) {
		rc = aims_error_set(AIMS_EFORBIDDEN, NULL, "whoever invited you may no longer "
		    "grant the role %s: ask for a new invitation", role_name(role));
		goto done;
	}
	if ((rc = user_id_by_email(&owner, db, email)) == 0) {
		if (user_id != owner) {
			rc = aims_error_set(AIMS_EFORBIDDEN, NULL, "this invitation is for %s: "
			    "sign in as %s to accept it", email, email);
			goto done;
		}
	} else if (rc == AIMS_ENOTFOUND) {
		aims_error_clear();
		if (user_id > 0) {
			rc = aims_error_set(AIMS_EFORBIDDEN, NULL, "this invitation is for %s: "
			    "sign out, then open the link again to create that account", email);
			goto done;
		}
		if ((rc = user_add_hashed(&owner, db, &by, email, display_name,
		    password_hash)) != 0)
			goto done;
	} else
		goto done;
	if ((rc = member_add(db, &by, org_id, email, role)) != 0)
		goto done;
	rc = org_get(&org, db, org_id);
done:
	if (rc != 0) {
		db_rollback(db);
		json_decref(org);
		return rc;
	}
	if ((rc = db_commit(db)) == 0) {
		*org_slug = strdup(json_string_value(json_object_get(org, "slug")));
		if (user_id_out != NULL)
			*user_id_out = owner;
	}
	json_decref(org);
	return rc;
}
