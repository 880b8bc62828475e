/*
 * pwreset.h - password reset links. A link holds a random 256-bit token
 * (only its SHA-256 is stored) for one account; it expires after
 * PWRESET_TTL_SEC, works once, and a newer link for the same account
 * voids the older ones. Using it sets the new password and ends every
 * session of the account. It does not bypass a second factor: signing in
 * afterwards still asks for the code.
 *
 * Who gets a link: the account's owner by mail (when the server sends
 * mail), an admin of every organisation the account belongs to
 * (member_check_account_admin), or the operator with `aims user
 * reset-link`. Asking for one by address answers the same whether or not
 * the address has an account (pwreset_create with quiet set).
 */
#ifndef AIMS_CORE_PWRESET_H
#define AIMS_CORE_PWRESET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/session.h"

struct db;

#define PWRESET_TTL_SEC		3600
#define PWRESET_TOKEN_LEN	SESSION_TOKEN_LEN

/*
 * Makes a link for email's account. quiet: an unknown or disabled account
 * answers 0 with token[0] == '\0' (nothing to send) instead of
 * AIMS_ENOTFOUND, so that the caller's answer cannot tell them apart.
 */
int pwreset_create(char token[PWRESET_TOKEN_LEN], struct db *db, const char *email,
    bool quiet, time_t now);
/* The account a live token resets: {email}. Otherwise AIMS_ENOTFOUND, one message. */
int pwreset_find(json_t **out, struct db *db, const char *token, time_t now);
/* Sets password for the token's account (once) and ends its sessions. */
int pwreset_use(struct db *db, const char *token, const char *password, time_t now);
/*
 * pwreset_use() in two steps, so that a server's writer does not wait for
 * the hashing: pwreset_prepare() checks the token's form and the password
 * and hashes it (hash: USER_HASH_MAX), pwreset_use_hashed() spends the link
 * and sets the hash. A refused password keeps the link usable.
 */
int pwreset_prepare(char *hash, const char *token, const char *password);
int pwreset_use_hashed(struct db *db, const char *token, const char *hash, time_t now);

#endif
