/*
 * org.h - organisations (tenants). Every other record belongs to one.
 */
#ifndef AIMS_CORE_ORG_H
#define AIMS_CORE_ORG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"

struct db;

#define ORG_NAME_MAX	200

/*
 * The ISO/IEC 22989 (5.19) roles an organisation can hold for AI: provider,
 * producer (the developer), customer (the deployer or user), partner,
 * subject, relevant_authority. NULL-terminated, in this order.
 */
extern const char *const org_ai_roles[];
/* A role in words, for forms and reports ("AI producer (... the developer)"). */
const char *org_ai_role_label(const char *role);

/*
 * The organisation's AI roles (4.1): `declared` by a person (org_update()),
 * `derived` from the roles it holds for its in-scope AI systems in use (their
 * org_role field), and `effective`: the declared ones, or the derived ones
 * while none is declared. Each a JSON array of role names in org_ai_roles[]
 * order; org_ai_roles_free() releases them.
 */
struct org_ai_roles {
	json_t	*declared, *derived, *effective;
};
int org_ai_roles_get(struct org_ai_roles *out, struct db *db, int64_t org_id);
void org_ai_roles_free(struct org_ai_roles *r);
bool org_ai_roles_has(const json_t *roles, const char *role);

/* Creates the org, its Statement of Applicability rows and its ledger entry. */
int org_create(int64_t *id_out, struct db *db, const struct actor *actor, const char *slug,
    const char *name);
/* The same, with email (a user) as its first admin, in one transaction. */
int org_create_owned(int64_t *id_out, struct db *db, const struct actor *actor, const char *slug,
    const char *name, const char *email);
/*
 * org_copy.c: the same, started from the setup of from_slug (an
 * organisation where the actor may write governance records): its risk
 * criteria and documents as drafts, and its SoA decisions. *copied counts
 * what was copied, by kind: {"risk-criteria": 1, "documents": 4, "soa": 38}.
 */
int org_create_copy(int64_t *id_out, json_t **copied, struct db *db, const struct actor *actor,
    const char *slug, const char *name, const char *email, const char *from_slug);
int org_id_by_slug(int64_t *out, struct db *db, const char *slug);
/*
 * The organisation's time zone for showing times (a tz database name such
 * as "Europe/Paris", its "timezone" setting), "UTC" when it has none.
 * Storage and the API stay in UTC. out holds ORG_TIMEZONE_MAX bytes.
 */
#define ORG_TIMEZONE_MAX	65
int org_timezone(char *out, struct db *db, int64_t org_id);
/* {id?, slug, name, ai_roles, version, created_at, updated_at}; caller owns. */
int org_get(json_t **out, struct db *db, int64_t org_id);
int org_list(json_t **out, struct db *db);
/*
 * Changes name and/or ai_roles (NULL: keep; [] clears the declared roles, so
 * the derived ones count); if_version 0 skips the check. Unknown or repeated
 * roles are refused naming ai_roles.
 */
int org_update(json_t **out, struct db *db, const struct actor *actor, int64_t org_id,
    int64_t if_version, const char *name, const json_t *ai_roles);
/*
 * Records a change of the organisation kept outside its row (its single
 * sign-on provider): the version goes up and an "update" is ledgered with
 * the state then. Joins the caller's transaction.
 */
int org_record_event(struct db *db, const struct actor *actor, int64_t org_id);
/* Does the organisation require a second factor of members signing in with a password? */
int org_second_factor_required(bool *out, struct db *db, int64_t org_id);
/* Sets that option (a ledgered change of the organisation; nothing when already so). */
int org_set_second_factor(struct db *db, const struct actor *actor, int64_t org_id,
    bool require);
/* What the store holds, for the CLI's one-line summaries. */
struct org_instance_counts {
	int64_t	orgs, users, requirements, ledger_entries;
};
int org_instance_counts(struct org_instance_counts *out, struct db *db);
/* The state the ledger commits to. */
int org_ledger_state(json_t **out, struct db *db, int64_t org_id);

#endif
