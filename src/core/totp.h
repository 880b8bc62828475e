/*
 * totp.h - the TOTP second factor (RFC 6238 with liboath): HMAC-SHA1, six
 * digits, 30-second steps, what every authenticator app reads from an
 * otpauth:// URI. A code is accepted one step either side of now, and only
 * for a step later than the last one accepted, so a code seen over a
 * shoulder cannot be used again. Ten recovery codes, each usable once,
 * are shown when the factor is turned on and stored as BLAKE2b hashes
 * (libsodium): 80 random bits each, so a fast hash is enough.
 *
 * Setting up is two steps: totp_setup() makes a secret (not yet in force),
 * the person scans it and types a code, and totp_enable() turns it on.
 * Turning it on or off is a ledger event of the user (the ledger commits
 * to the secret's SHA-256 and to the recovery codes' hashes: see
 * totp_ledger_state()). Signing in with a password then opens a
 * challenge (a short-lived random token) that a code completes.
 */
#ifndef AIMS_CORE_TOTP_H
#define AIMS_CORE_TOTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/actor.h"
#include "core/session.h"

struct db;

#define TOTP_SECRET_BYTES	20	/* 160 bits, RFC 4226's recommendation */
#define TOTP_SECRET_B32_MAX	40	/* base32 text of the secret, with NUL */
#define TOTP_DIGITS		6
#define TOTP_STEP_SEC		30
#define TOTP_WINDOW		1	/* steps accepted either side of now */
#define TOTP_ISSUER		"OpenAIMS"
#define TOTP_URI_MAX		600
#define TOTP_RECOVERY_COUNT	10
#define TOTP_RECOVERY_LEN	19	/* "xxxx-xxxx-xxxx-xxxx": 16 characters of 32 */
#define TOTP_CODE_MAX		64	/* longest input looked at */
#define TOTP_CHALLENGE_SEC	300	/* time to type the code after the password */
/* Wrong codes at one pending sign-in or account: the fifth pauses 30 s, doubling to 15 min. */
#define TOTP_THROTTLE_POLICY	{ 4, 30, 900, 900 }

/* Is the second factor on for user_id? */
int totp_enabled(bool *out, struct db *db, int64_t user_id);
/*
 * The secret being set up for user_id as base32 and as an otpauth:// URI
 * (label: email). fresh: make a new one; else the one being set up
 * (AIMS_ENOTFOUND when none). AIMS_ECONFLICT when the factor is already on.
 */
int totp_setup(char secret_b32[TOTP_SECRET_B32_MAX], char uri[TOTP_URI_MAX], struct db *db,
    int64_t user_id, const char *email, bool fresh);
/*
 * Turns the factor on when code matches the secret being set up (field
 * "code" otherwise); fills the recovery codes, shown once. Ends the user's
 * other sessions but keep_session.
 */
int totp_enable(char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1], struct db *db,
    const struct actor *actor, int64_t user_id, const char *code, int64_t keep_session,
    time_t now);
/* Turns it off; code (a current code or a recovery code) proves the person holds it. */
int totp_disable(struct db *db, const struct actor *actor, int64_t user_id, const char *code,
    time_t now);
/*
 * The operator turns off email's second factor without a code (lost phone
 * and codes): ledgered, and every session of the account ends.
 * AIMS_ENOTFOUND when it is not on.
 */
int totp_remove(struct db *db, const struct actor *actor, const char *email);
/*
 * Checks a code or a recovery code for user_id: 0, or AIMS_EUNAUTH (field
 * "code") when wrong, replayed or already used. A code's step, or a
 * recovery code, is spent by the check.
 */
int totp_verify(struct db *db, int64_t user_id, const char *code, time_t now);
/* Adds the factor's commitments to a user's ledger state (nothing when off). */
int totp_ledger_state(json_t *state, struct db *db, int64_t user_id);

/* Pending sign-ins: the token is the cookie value, returned once. */
int totp_challenge_create(char token[SESSION_TOKEN_LEN], struct db *db, int64_t user_id,
    const char *client_addr, time_t now);
/* The user of a live challenge; AIMS_ENOTFOUND when unknown or expired. */
int totp_challenge_find(int64_t *user_id, struct db *db, const char *token, time_t now);
int totp_challenge_delete(struct db *db, const char *token);

#endif
