/*
 * member.h - memberships: which users belong to which organisation, with
 * which role. The last admin of an organisation cannot be removed or demoted.
 */
#ifndef AIMS_CORE_MEMBER_H
#define AIMS_CORE_MEMBER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/role.h"

struct db;

int member_add(struct db *db, const struct actor *actor, int64_t org_id, const char *email,
    enum role role);
int member_set_role(struct db *db, const struct actor *actor, int64_t org_id,
    const char *email, enum role role, int64_t if_version);
int member_remove(struct db *db, const struct actor *actor, int64_t org_id,
    const char *email, int64_t if_version);
/*
 * An organisation's admin disables (or enables) one of its members: see
 * user_set_disabled(). Users are instance-wide, so a signed-in actor may do
 * it only to someone else, and only when they are admin of every
 * organisation that member belongs to (AIMS_EFORBIDDEN naming why not);
 * anyone else is the operator's call ('aims user disable').
 */
int member_set_user_disabled(struct db *db, const struct actor *actor, int64_t org_id,
    const char *email, bool disabled);
/*
 * May actor act on the account of member email (lower case) of org_id, an
 * instance-wide thing (disable it, make a password reset link)? Never on
 * oneself; and a signed-in actor must be admin of every organisation the
 * member belongs to. verb names the act in the refusal.
 */
int member_check_account_admin(struct db *db, const struct actor *actor, int64_t org_id,
    const char *email, const char *verb);
/*
 * One change of a membership, as one request of the server's writer
 * (db_write_fn): its arguments are checked by the function it names, on
 * the writer's connection, so that the check and the change see one state.
 */
enum member_op { MEMBER_ADD, MEMBER_SET_ROLE, MEMBER_REMOVE, MEMBER_DISABLE, MEMBER_ENABLE };

struct member_change {
	enum member_op		 op;
	const struct actor	*actor;
	int64_t			 org_id;
	const char		*email;
	enum role		 role;		/* MEMBER_ADD, MEMBER_SET_ROLE */
	int64_t			 if_version;	/* MEMBER_SET_ROLE, MEMBER_REMOVE; 0: any */
};

/* arg: a struct member_change. */
int member_change_apply(struct db *db, void *arg);
/* AIMS_ENOTFOUND when the user is not a member. */
int member_role(enum role *out, struct db *db, int64_t org_id, int64_t user_id);
/* [{email, display_name, role, disabled, version, created_at, updated_at}]; caller owns. */
int member_list(json_t **out, struct db *db, int64_t org_id);
/* The organisations a user belongs to: [{slug, name, role}]; caller owns. */
int member_orgs_of_user(json_t **out, struct db *db, int64_t user_id);
int member_ledger_state(json_t **out, struct db *db, int64_t org_id, const char *email);

#endif
