/*
 * token.h - API tokens for machines (CI, monitoring): "aims_" followed by
 * the base64url text of 32 random bytes, shown once at creation and stored
 * only as its SHA-256. A token acts in one organisation with a role its
 * creator's role covers (perm_role_covers) when it is made, and on each use
 * with the meet of its role and its creator's current role
 * (perm_role_meet), so demoting the creator narrows it at once. It stops
 * when its creator leaves the organisation or is disabled: both revoke it
 * (token_revoke_created_by), and a use checks again. A token made from the
 * CLI has no creator and acts with its own role. Revoking is immediate.
 * Creation and revocation are ledger events.
 */
#ifndef AIMS_CORE_TOKEN_H
#define AIMS_CORE_TOKEN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/actor.h"
#include "core/role.h"

struct db;

#define TOKEN_PREFIX		"aims_"
#define TOKEN_SECRET_BYTES	32
#define TOKEN_TEXT_LEN		(5 + 43 + 1)	/* prefix + base64url + NUL */
#define TOKEN_HINT_LEN		9		/* "aims_" + 4 characters */
#define TOKEN_NAME_MAX		100
#define TOKEN_USE_WRITE_SEC	60		/* last_used_at is written at most this often */
#define TOKEN_LIST_MAX		500

/* What a presented token grants. */
struct token_grant {
	int64_t		id;
	int64_t		org_id;
	int64_t		created_by;	/* user id, 0 when made from the CLI */
	enum role	role;		/* what it may do now: see token.h's top */
	enum role	token_role;	/* the role it was made with */
	char		name[TOKEN_NAME_MAX + 1];
	bool		touch;		/* last_used_at is due: token_touch() */
};

/*
 * Creates a token. *out is the token record plus "token", the secret, which
 * is never available again. expires_at: RFC 3339 or NULL for no expiry.
 */
int token_create(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *name, enum role role, const char *expires_at);
/* Tokens of an org, newest first, without secrets. *next_cursor: caller frees. */
int token_list(json_t **items, char **next_cursor, struct db *db, int64_t org_id, int limit,
    const char *cursor);
int token_get(json_t **out, struct db *db, int64_t org_id, int64_t id);
/* if_version 0: no check. */
int token_revoke(struct db *db, int64_t org_id, const struct actor *actor, int64_t id,
    int64_t if_version);
/*
 * A token created (out set) or revoked, as one request of the server's
 * writer (db_write_fn; arg: a struct token_change).
 */
struct token_change {
	bool			 revoke;
	int64_t			 org_id;
	const struct actor	*actor;
	const char		*name, *expires_at;	/* create */
	enum role		 role;			/* create */
	int64_t			 id, if_version;	/* revoke */
	json_t			*out;			/* create: as token_create()'s */
};

int token_change_apply(struct db *db, void *arg);
/*
 * Revokes the live tokens user_id created, in org_id or, when org_id is 0,
 * in every organisation: each is a "revoke" ledger event by actor in its
 * organisation. Joins the caller's transaction. *count (may be NULL): how many.
 */
int token_revoke_created_by(int *count, struct db *db, const struct actor *actor,
    int64_t org_id, int64_t user_id);
/*
 * Checks a presented token: AIMS_EUNAUTH when unknown, revoked or expired,
 * or when its creator is no longer a member of its organisation or is
 * disabled. out->role is the role it acts with now.
 */
int token_authenticate(struct token_grant *out, struct db *db, const char *secret, time_t now);
/*
 * token_authenticate() without its one write: out->touch says last_used_at
 * is due, and the caller writes it with token_touch() through the
 * database writer (a server's requests never write beside the writer,
 * where they would wait in SQLite's busy handler).
 */
int token_find(struct token_grant *out, struct db *db, const char *secret, time_t now);
/* Records that token id was used at now. */
int token_touch(struct db *db, int64_t id, time_t now);
/* The record as the ledger commits to it: token_get without last_used_at. */
int token_load(json_t **out, struct db *db, int64_t org_id, const char *kind, const char *ref);

#endif
