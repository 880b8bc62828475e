/*
 * user.h - people who sign in. Users are instance-wide; what they may do in
 * an organisation is their membership's role (member.h). Passwords are
 * stored as argon2id hashes (libsodium crypto_pwhash_str). Changing a
 * password or disabling a user ends their sessions.
 */
#ifndef AIMS_CORE_USER_H
#define AIMS_CORE_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"

struct db;

#define USER_PASSWORD_MIN	12
#define USER_PASSWORD_MAX	1024
#define USER_NAME_MAX		200
#define USER_GENERATED_PASSWORD_LEN 20

int user_add(int64_t *id_out, struct db *db, const struct actor *actor, const char *email,
    const char *display_name, const char *password);
/*
 * A password checked against the policy and hashed (argon2id), for the
 * _hashed forms below: the hashing is the slow part, done before a change
 * that would otherwise hold the server's writer while it runs.
 */
#define USER_HASH_MAX 128
int user_password_hash(char out[USER_HASH_MAX], const char *password);
/* user_add() and user_set_password() with the password hashed already. */
int user_add_hashed(int64_t *id_out, struct db *db, const struct actor *actor,
    const char *email, const char *display_name, const char *hash);
int user_set_password_hashed(struct db *db, const struct actor *actor, const char *email,
    const char *hash, int64_t keep_session);
/*
 * Sets a password and ends the user's sessions but keep_session (0: all),
 * so whoever held an old session or knew the old password is out.
 */
int user_set_password(struct db *db, const struct actor *actor, const char *email,
    const char *password, int64_t keep_session);
/*
 * Disables (or enables) a user: a disabled user cannot sign in, and
 * disabling ends all their sessions and revokes every API token they made,
 * in one transaction with a "disable" event in the instance ledger (and a
 * "revoke" in each token's organisation). Enabling lets them sign in again;
 * revoked tokens stay revoked. AIMS_ECONFLICT when already in that state.
 */
int user_set_disabled(struct db *db, const struct actor *actor, const char *email,
    bool disabled);
/*
 * Checks a password. Unknown user and wrong password both answer AIMS_EUNAUTH
 * with the same message, after the same work (a dummy hash is verified).
 */
int user_authenticate(int64_t *id_out, struct db *db, const char *email, const char *password);
/* How many password verifications this process ran (unknown users included). */
int64_t user_password_verifications(void);
int user_id_by_email(int64_t *out, struct db *db, const char *email);
/* {email, display_name, disabled, created_at, ...} without the hash; caller owns. */
int user_get(json_t **out, struct db *db, int64_t user_id);
int user_list(json_t **out, struct db *db);
/* Refuses passwords shorter than USER_PASSWORD_MIN (field "password"). */
int user_check_password_policy(const char *password);
/* Fills out with a random password from an unambiguous alphabet. */
void user_generate_password(char out[USER_GENERATED_PASSWORD_LEN + 1]);
int user_ledger_state(json_t **out, struct db *db, const char *email);
/*
 * Enters a user copied from another store in this store's instance log
 * (action "import", by USER_IMPORT_ACTOR), as it is now: verify then
 * checks the user against it. Inside a transaction.
 */
#define USER_IMPORT_ACTOR	"system:migrate-store"
int user_ledger_import(struct db *db, const char *email);
/*
 * Records a change of the account kept outside the users row (its second
 * factor): the version goes up and action is ledgered with the state then.
 * Joins the caller's transaction.
 */
int user_record_event(struct db *db, const struct actor *actor, int64_t user_id,
    const char *action);

#endif
