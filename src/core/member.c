/*
 * member.c - memberships (user x organisation x role). Changes are ledgered
 * in the organisation's log; the last admin cannot be removed or demoted, so
 * an organisation is never left without someone who can manage it. Removing
 * a member revokes the API tokens they made in the organisation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/member.h"
#include "core/perm.h"
#include "core/token.h"
#include "core/user.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

int
member_ledger_state(json_t **out, struct db *db, int64_t org_id, const char *email)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT u.email, m.role FROM memberships m"
	    " JOIN users u ON u.id = m.user_id WHERE m.org_id = ? AND u.email = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, email);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = json_pack("{s:s, s:s}", "email", db_column_text(st, 0),
		    "role", db_column_text(st, 1));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "email", "'%s' is not a member", email);
	db_done(st);
	return rc;
}

static int
member_append(struct db *db, const struct actor *actor, int64_t org_id, const char *action,
    const char *email, int64_t version, int deleted)
{
	struct ledger_event ev = { 0 };
	int64_t seq;
	json_t *state = NULL;
	int rc;

	if (!deleted && (rc = member_ledger_state(&state, db, org_id, email)) != 0)
		return rc;
	ev.org_id = org_id;
	ev.actor = actor->name;
	ev.action = action;
	ev.kind = "membership";
	ev.ref = email;
	ev.version = version;
	ev.record = state;
	rc = ledger_append(&seq, db, &ev);
	json_decref(state);
	return rc;
}

/* Nobody grants, changes or removes a role higher than their own. */
static int
member_check_rank(const struct actor *actor, enum role target)
{
	if (target != ROLE_NONE && !perm_may_assign(actor->role, target))
		return aims_error_set(AIMS_EFORBIDDEN, "role",
		    "you cannot grant, change or remove a role higher than your own (%s)",
		    role_name(actor->role));
	return 0;
}

/* Refuses a change that would leave the organisation with no admin. */
static int
member_check_last_admin(struct db *db, int64_t org_id, int64_t user_id)
{
	int64_t others = 0;
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT count(*) FROM memberships WHERE org_id = ?"
	    " AND role = 'admin' AND user_id <> ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, user_id);
	if ((rc = db_step(st)) == DB_ROW) {
		others = db_column_int64(st, 0);
		rc = 0;
	}
	db_done(st);
	if (rc == 0 && others == 0)
		rc = aims_error_set(AIMS_ECONFLICT, "role",
		    "this is the organisation's last admin: make someone else admin first");
	return rc;
}

int
member_add(struct db *db, const struct actor *actor, int64_t org_id, const char *email,
    enum role role)
{
	char now[CLOCK_RFC3339_LEN], *lower = NULL;
	struct db_stmt *st = NULL;
	int64_t user_id;
	int rc;

	if (role < ROLE_VIEWER || role > ROLE_ADMIN)
		return aims_error_set(AIMS_EINVALID, "role", "unknown role");
	if ((rc = member_check_rank(actor, role)) != 0)
		return rc;
	if ((rc = db_begin(db)) != 0)
		return rc;
	lower = str_lower(email ? email : "");
	if ((rc = user_id_by_email(&user_id, db, lower)) != 0)
		goto done;
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "INSERT INTO memberships (org_id, user_id, role,"
	    " created_at, updated_at) VALUES (?, ?, ?, ?, ?)")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, user_id);
	db_bind_text(st, 3, role_name(role));
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, now);
	rc = db_step(st);
	db_done(st);
	st = NULL;
	if (rc == AIMS_EEXISTS) {
		rc = aims_error_set(AIMS_EEXISTS, "email", "'%s' is already a member", lower);
		goto done;
	}
	if (rc < 0)
		goto done;
	rc = member_append(db, actor, org_id, "create", lower, 1, 0);
done:
	db_done(st);
	free(lower);
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

static int
member_lookup(int64_t *user_id, int64_t *version, enum role *role, struct db *db,
    int64_t org_id, const char *email)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT m.user_id, m.version, m.role FROM memberships m"
	    " JOIN users u ON u.id = m.user_id WHERE m.org_id = ? AND u.email = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, email);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*user_id = db_column_int64(st, 0);
		*version = db_column_int64(st, 1);
		rc = role_parse(role, db_column_text(st, 2));
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "email", "'%s' is not a member", email);
	db_done(st);
	return rc;
}

/*
 * The membership of email that actor is about to change or remove: it
 * exists, is at if_version (0: any) and holds a role actor may assign.
 */
static int
member_lookup_to_change(int64_t *user_id, int64_t *version, enum role *role, struct db *db,
    const struct actor *actor, int64_t org_id, const char *email, int64_t if_version)
{
	int rc;

	if ((rc = member_lookup(user_id, version, role, db, org_id, email)) != 0)
		return rc;
	if (if_version && if_version != *version)
		return aims_error_set(AIMS_ESTALE, "version",
		    "the membership was changed by someone else (now version %lld)",
		    (long long)*version);
	return member_check_rank(actor, *role);
}

int
member_set_role(struct db *db, const struct actor *actor, int64_t org_id, const char *email,
    enum role role, int64_t if_version)
{
	char now[CLOCK_RFC3339_LEN], *lower = str_lower(email ? email : "");
	struct db_stmt *st = NULL;
	int64_t user_id, version;
	enum role old;
	int rc;

	if ((rc = db_begin(db)) != 0)
		goto out;
	if ((rc = member_lookup_to_change(&user_id, &version, &old, db, actor, org_id, lower,
	    if_version)) != 0 || (rc = member_check_rank(actor, role)) != 0)
		goto done;
	if (old == ROLE_ADMIN && role != ROLE_ADMIN &&
	    (rc = member_check_last_admin(db, org_id, user_id)) != 0)
		goto done;
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "UPDATE memberships SET role = ?, version = version + 1,"
	    " updated_at = ? WHERE org_id = ? AND user_id = ?")) != 0)
		goto done;
	db_bind_text(st, 1, role_name(role));
	db_bind_text(st, 2, now);
	db_bind_int64(st, 3, org_id);
	db_bind_int64(st, 4, user_id);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		goto done;
	rc = member_append(db, actor, org_id, "update", lower, version + 1, 0);
done:
	if (rc != 0)
		db_rollback(db);
	else
		rc = db_commit(db);
out:
	free(lower);
	return rc;
}

int
member_remove(struct db *db, const struct actor *actor, int64_t org_id, const char *email,
    int64_t if_version)
{
	char *lower = str_lower(email ? email : "");
	struct db_stmt *st = NULL;
	int64_t user_id, version;
	enum role old;
	int rc;

	if ((rc = db_begin(db)) != 0)
		goto out;
	if ((rc = member_lookup_to_change(&user_id, &version, &old, db, actor, org_id, lower,
	    if_version)) != 0)
		goto done;
	if (old == ROLE_ADMIN && (rc = member_check_last_admin(db, org_id, user_id)) != 0)
		goto done;
	if ((rc = db_prepare(&st, db,
	    "DELETE FROM memberships WHERE org_id = ? AND user_id = ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, user_id);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		goto done;
	if ((rc = member_append(db, actor, org_id, "delete", lower, version + 1, 1)) != 0)
		goto done;
	/* A token stops with its creator's membership: revoked, so re-adding does not revive it. */
	rc = token_revoke_created_by(NULL, db, actor, org_id, user_id);
done:
	if (rc != 0)
		db_rollback(db);
	else
		rc = db_commit(db);
out:
	free(lower);
	return rc;
}

/* How many organisations of user_id the actor is not admin of. */
static int
member_orgs_not_administered(int64_t *out, struct db *db, int64_t user_id, int64_t actor_id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT count(*) FROM memberships m WHERE m.user_id = ? "
	    "AND NOT EXISTS (SELECT 1 FROM memberships a WHERE a.org_id = m.org_id "
	    "AND a.user_id = ? AND a.role = 'admin')")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	db_bind_int64(st, 2, actor_id);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = db_column_int64(st, 0);
		rc = 0;
	}
	db_done(st);
	return rc;
}

int
member_check_account_admin(struct db *db, const struct actor *actor, int64_t org_id,
    const char *email, const char *verb)
{
	int64_t user_id, version, others = 0;
	enum role role;
	int rc;

	if ((rc = member_lookup(&user_id, &version, &role, db, org_id, email)) != 0)
		return rc;
	if (actor->user_id > 0 && user_id == actor->user_id)
		return aims_error_set(AIMS_EFORBIDDEN, "email", "you cannot %s yourself", verb);
	if (actor->user_id > 0 &&
	    (rc = member_orgs_not_administered(&others, db, user_id, actor->user_id)) != 0)
		return rc;
	if (others > 0)
		return aims_error_set(AIMS_EFORBIDDEN, "email", "%s also belongs to %lld "
		    "organisation(s) you are not admin of: only the operator can %s them "
		    "(aims user %s)", email, (long long)others, verb, verb);
	return 0;
}

int
member_set_user_disabled(struct db *db, const struct actor *actor, int64_t org_id,
    const char *email, bool disabled)
{
	char *lower = str_lower(email ? email : "");
	int rc;

	if ((rc = db_begin(db)) != 0)
		goto out;
	if ((rc = member_check_account_admin(db, actor, org_id, lower,
	    disabled ? "disable" : "enable")) != 0)
		goto done;
	rc = user_set_disabled(db, actor, lower, disabled);
done:
	if (rc != 0)
		db_rollback(db);
	else
		rc = db_commit(db);
out:
	free(lower);
	return rc;
}

int
member_role(enum role *out, struct db *db, int64_t org_id, int64_t user_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = ROLE_NONE;
	if ((rc = db_prepare(&st, db,
	    "SELECT role FROM memberships WHERE org_id = ? AND user_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, user_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		rc = role_parse(out, db_column_text(st, 0));
	else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "org", "not a member of this organisation");
	db_done(st);
	return rc;
}

int
member_list(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT u.email, u.display_name, m.role, m.version,"
	    " m.created_at, m.updated_at, u.disabled FROM memberships m"
	    " JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY u.email")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:I, s:s, s:s}",
		    "email", db_column_text(st, 0), "display_name", db_column_text(st, 1),
		    "role", db_column_text(st, 2), "disabled", (int)db_column_int64(st, 6),
		    "version", (json_int_t)db_column_int64(st, 3),
		    "created_at", db_column_text(st, 4), "updated_at", db_column_text(st, 5)));
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
member_orgs_of_user(json_t **out, struct db *db, int64_t user_id)
{
	struct db_stmt *st = NULL;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT o.slug, o.name, m.role FROM memberships m"
	    " JOIN orgs o ON o.id = m.org_id WHERE m.user_id = ? ORDER BY o.slug")) != 0)
		goto done;
	db_bind_int64(st, 1, user_id);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "slug",
		    db_column_text(st, 0), "name", db_column_text(st, 1), "role",
		    db_column_text(st, 2)));
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
member_change_apply(struct db *db, void *arg)
{
	const struct member_change *m = arg;

	switch (m->op) {
	case MEMBER_ADD:
		return member_add(db, m->actor, m->org_id, m->email, m->role);
	case MEMBER_SET_ROLE:
		return member_set_role(db, m->actor, m->org_id, m->email, m->role, m->if_version);
	case MEMBER_REMOVE:
		return member_remove(db, m->actor, m->org_id, m->email, m->if_version);
	case MEMBER_DISABLE:
	case MEMBER_ENABLE:
		return member_set_user_disabled(db, m->actor, m->org_id, m->email,
		    m->op == MEMBER_DISABLE);
	}
	return aims_error_set(AIMS_ERROR, NULL, "unknown change of a membership");
}
