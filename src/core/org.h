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

/* The ISO/IEC 22989 roles an organisation can hold for AI. */
extern const char *const org_ai_roles[];	/* NULL-terminated */

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
/* {id?, slug, name, ai_roles, version, created_at, updated_at}; caller owns. */
int org_get(json_t **out, struct db *db, int64_t org_id);
int org_list(json_t **out, struct db *db);
/* Changes name and/or ai_roles (NULL: keep); if_version 0 skips the check. */
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
