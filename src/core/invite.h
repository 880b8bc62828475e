/*
 * invite.h - invitations to join an organisation. Whoever may add members
 * (perm: write on membership) invites an address with a role their own role
 * covers; the invitation is a link holding a random 256-bit token (only its
 * SHA-256 is stored) that expires after INVITE_TTL_SEC and works once.
 * Accepting it adds the membership as the inviter, whose current role must
 * still cover the invited one: an inviter since demoted or removed cannot
 * hand out more than they now hold. An address without an account creates
 * it while accepting (name and password); an address with one must be
 * signed in as that address, so a forwarded link grants nothing to anyone
 * else.
 */
#ifndef AIMS_CORE_INVITE_H
#define AIMS_CORE_INVITE_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "core/actor.h"
#include "core/role.h"
#include "core/session.h"

struct db;

#define INVITE_TTL_SEC		(7 * 24 * 3600)
#define INVITE_TOKEN_LEN	SESSION_TOKEN_LEN
#define INVITE_LIST_MAX		200	/* pending invitations listed */

/*
 * Invites email to org_id with role; token (the link's secret) is returned
 * once. AIMS_EEXISTS (field email) when the address is already a member.
 */
int invite_create(char token[INVITE_TOKEN_LEN], struct db *db, const struct actor *actor,
    int64_t org_id, const char *email, enum role role, time_t now);
/* Invitations not yet accepted nor expired: [{id, email, role, invited_by, expires_at}]. */
int invite_list(json_t **out, struct db *db, int64_t org_id, time_t now);
/* Withdraws a pending invitation of org_id; AIMS_ENOTFOUND when there is none. */
int invite_withdraw(struct db *db, int64_t org_id, int64_t id);
/*
 * What a live token invites to: {org, org_name, email, role, has_account}.
 * Unknown, used and expired tokens all answer AIMS_ENOTFOUND with the same
 * message.
 */
int invite_find(json_t **out, struct db *db, const char *token, time_t now);
/*
 * Checks an invitation's token form and, for a new account (user_id 0), the
 * password, and hashes it into hash (USER_HASH_MAX; "" for user_id > 0):
 * the slow part of accepting, done before the change. A refused password
 * keeps the link usable.
 */
int invite_prepare(char *hash, const char *token, int64_t user_id, const char *password);
/*
 * Accepts the invitation: user_id > 0 is the signed-in person (who must own
 * the invited address); 0 creates the account with display_name and
 * password. On success *org_slug (caller frees) names the organisation.
 * invite_prepare() then invite_accept_hashed() with its hash.
 */
int invite_accept(char **org_slug, int64_t *user_id_out, struct db *db, const char *token,
    int64_t user_id, const char *display_name, const char *password, time_t now);
int invite_accept_hashed(char **org_slug, int64_t *user_id_out, struct db *db,
    const char *token, int64_t user_id, const char *display_name, const char *hash,
    time_t now);

#endif
