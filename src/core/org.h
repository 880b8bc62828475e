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

/*
 * Readiness options (docs/readiness.md), kept on the organisation and read
 * by the readiness engine. Each has a default that is what the engine did
 * before the option existed, so an organisation that never set one is
 * judged as before.
 */
#define ORG_DATE_LEN			11	/* "YYYY-MM-DD" and its NUL */
#define ORG_AUDIT_AHEAD_MAX_DAYS	(3 * 366)	/* an audit date at most three years on */
#define ORG_EVIDENCE_AGE_MIN		30	/* a month: shorter windows make noise */
#define ORG_EVIDENCE_AGE_MAX		1825	/* five years */
#define ORG_METRIC_WINDOW_DEFAULT	92	/* a quarter */
#define ORG_METRIC_WINDOW_MIN		7
#define ORG_METRIC_WINDOW_MAX		366
struct org_readiness {
	int	target_stage;			/* 1 or 2; 0: none chosen */
	char	audit_date[ORG_DATE_LEN];	/* the certification audit's first day; "": none */
	int	evidence_max_age_days;		/* evidence without a valid-until date is stale once
						   collected (or recorded) longer ago; 0: never */
	int	metric_window_days;		/* a metric's evaluation counts this long */
	bool	manual_as_gaps;			/* failing "confirm manually" items count as gaps */
};
/* The defaults: no target, no audit date, no window, 92 days, manual items apart. */
void org_readiness_default(struct org_readiness *r);
int org_readiness_get(struct org_readiness *out, struct db *db, int64_t org_id);
/*
 * As the API shows them: {target_stage, audit_date, evidence_max_age_days,
 * metric_window_days, manual_as_gaps}, null where none is chosen.
 */
json_t *org_readiness_json(const struct org_readiness *r);
/*
 * Applies the keys of in (an object; a key set to null resets that option)
 * onto *r, checking each against its bounds; an unknown key, a wrong type or
 * a value out of bounds is AIMS_EINVALID naming "readiness.KEY". A new
 * audit_date must not be before today ("YYYY-MM-DD"); the one already set
 * may be given again once past.
 */
int org_readiness_apply(struct org_readiness *r, const json_t *in, const char *today);
/*
 * Sets the time zone (NULL: keep; "" or "UTC": UTC; otherwise a zone of the
 * system's tz database, AIMS_EINVALID naming "timezone" when there is no
 * such zone) and the readiness options (NULL: keep; the keys given change,
 * org_readiness_apply). One ledgered change; if_version 0 skips the check;
 * nothing is written when nothing changes.
 */
int org_update_settings(json_t **out, struct db *db, const struct actor *actor,
    int64_t org_id, int64_t if_version, const char *timezone, const json_t *readiness);

/*
 * {id?, slug, name, ai_roles, timezone ("UTC" when none), readiness
 * (org_readiness_json), version, created_at, updated_at}; caller owns.
 */
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
