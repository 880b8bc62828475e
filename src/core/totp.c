/*
 * totp.c - the TOTP second factor and its recovery codes (see totp.h).
 * The arithmetic of RFC 4226/6238 is liboath's; this file keeps the
 * secret, the replay rule and the recovery codes.
 */
#include <ctype.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/totp.h"
#include "core/user.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/html.h"
#include "util/str.h"

#define TOTP_WRONG	"that code is not right (or was already used): type the code your " \
			"authenticator shows now, or a recovery code"
/* No 0/o, 1/l/i: people copy recovery codes from paper. 32 characters: 5 bits each. */
static const char totp_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789_";

static pthread_once_t totp_once = PTHREAD_ONCE_INIT;
static int totp_init_rc;

static void
totp_init(void)
{
	totp_init_rc = oath_init();
}

static int
totp_ready(void)
{
	pthread_once(&totp_once, totp_init);
	if (totp_init_rc != OATH_OK)
		return aims_error_set(AIMS_ERROR, NULL, "liboath did not start: %s",
		    oath_strerror(totp_init_rc));
	return 0;
}

int
totp_enabled(bool *out, struct db *db, int64_t user_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = false;
	if ((rc = db_prepare(&st, db, "SELECT 1 FROM user_totp WHERE user_id = ? "
	    "AND enabled_at IS NOT NULL")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	rc = db_step(st);
	*out = rc == DB_ROW;
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* The stored secret (enabled: the one in force, else the one being set up). */
static int
totp_secret(unsigned char secret[TOTP_SECRET_BYTES], int64_t *last, struct db *db,
    int64_t user_id, bool enabled)
{
	struct db_stmt *st = NULL;
	const void *blob;
	size_t len = 0;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT secret, last_counter FROM user_totp "
	    "WHERE user_id = ? AND CASE WHEN enabled_at IS NULL THEN 0 ELSE 1 END = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	db_bind_int64(st, 2, enabled ? 1 : 0);
	rc = db_step(st);
	if (rc == DB_ROW && (blob = db_column_blob(st, 0, &len)) != NULL &&
	    len == TOTP_SECRET_BYTES) {
		memcpy(secret, blob, TOTP_SECRET_BYTES);
		if (last != NULL)
			*last = db_column_int64(st, 1);
		rc = 0;
	} else if (rc == DB_ROW || rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "code", enabled ?
		    "no second factor is on for this account" :
		    "no second factor is being set up: start again");
	db_done(st);
	return rc;
}

static void
totp_uri(char uri[TOTP_URI_MAX], const char *b32, const char *email)
{
	struct buf label = BUF_INIT;

	html_url_escape(&label, email);
	snprintf(uri, TOTP_URI_MAX, "otpauth://totp/" TOTP_ISSUER ":%s?secret=%s&issuer="
	    TOTP_ISSUER "&algorithm=SHA1&digits=%d&period=%d", buf_str(&label), b32, TOTP_DIGITS,
	    TOTP_STEP_SEC);
	buf_free(&label);
}

static int
totp_b32(char out[TOTP_SECRET_B32_MAX], const unsigned char secret[TOTP_SECRET_BYTES])
{
	char *b32 = NULL;
	size_t n = 0;
	int rc;

	if ((rc = oath_base32_encode((const char *)secret, TOTP_SECRET_BYTES, &b32, &n)) != OATH_OK)
		return aims_error_set(AIMS_ERROR, NULL, "base32: %s", oath_strerror(rc));
	snprintf(out, TOTP_SECRET_B32_MAX, "%.*s", (int)n, b32);
	sodium_memzero(b32, n);
	free(b32);
	return 0;
}

int
totp_setup(char secret_b32[TOTP_SECRET_B32_MAX], char uri[TOTP_URI_MAX], struct db *db,
    int64_t user_id, const char *email, bool fresh)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	struct db_stmt *st = NULL;
	bool on = false;
	int rc;

	secret_b32[0] = uri[0] = '\0';
	if ((rc = totp_ready()) != 0 || (rc = totp_enabled(&on, db, user_id)) != 0)
		return rc;
	if (on)
		return aims_error_set(AIMS_ECONFLICT, NULL,
		    "the second factor is already on: turn it off first to change authenticator");
	if (!fresh) {
		if ((rc = totp_secret(secret, NULL, db, user_id, false)) != 0)
			return rc;
	} else {
		randombytes_buf(secret, sizeof(secret));
		if ((rc = db_prepare(&st, db, "INSERT INTO user_totp (user_id, secret) "
		    "VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, "
		    "last_counter = -1 WHERE user_totp.enabled_at IS NULL")) != 0)
			goto done;
		db_bind_int64(st, 1, user_id);
		db_bind_blob(st, 2, secret, sizeof(secret));
		rc = db_step(st);
		db_done(st);
		if (rc < 0)
			goto done;
	}
	if ((rc = totp_b32(secret_b32, secret)) == 0)
		totp_uri(uri, secret_b32, email);
done:
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

/* The code as typed, digits only (spaces allowed); false if it cannot be one. */
static bool
totp_digits(char out[TOTP_DIGITS + 1], const char *code)
{
	size_t n = 0;

	for (; code != NULL && *code != '\0'; code++) {
		if (*code == ' ')
			continue;
		if (!isdigit((unsigned char)*code) || n == TOTP_DIGITS)
			return false;
		out[n++] = *code;
	}
	out[n] = '\0';
	return n == TOTP_DIGITS;
}

/* The step a code matches around now, or AIMS_EUNAUTH. */
static int
totp_match(uint64_t *step, const unsigned char secret[TOTP_SECRET_BYTES], const char *code,
    time_t now)
{
	char digits[TOTP_DIGITS + 1];
	int pos = 0, rc;

	if ((rc = totp_ready()) != 0)
		return rc;
	if (!totp_digits(digits, code))
		return aims_error_set(AIMS_EUNAUTH, "code", TOTP_WRONG);
	rc = oath_totp_validate4((const char *)secret, TOTP_SECRET_BYTES, now, TOTP_STEP_SEC, 0,
	    TOTP_WINDOW, &pos, step, 0, digits);
	if (rc < 0)
		return aims_error_set(AIMS_EUNAUTH, "code", TOTP_WRONG);
	return 0;
}

/* A recovery code as typed, lower case without separators; false if it cannot be one. */
static bool
totp_recovery_norm(char out[TOTP_RECOVERY_LEN + 1], const char *code)
{
	size_t n = 0;

	for (; code != NULL && *code != '\0'; code++) {
		if (*code == '-' || *code == ' ')
			continue;
		if (n == TOTP_RECOVERY_LEN - 3 ||
		    strchr(totp_alphabet, tolower((unsigned char)*code)) == NULL)
			return false;
		out[n++] = (char)tolower((unsigned char)*code);
	}
	out[n] = '\0';
	return n == TOTP_RECOVERY_LEN - 3;
}

static void
totp_recovery_hash(unsigned char out[crypto_generichash_BYTES], const char *norm)
{
	crypto_generichash(out, crypto_generichash_BYTES, (const unsigned char *)norm,
	    strlen(norm), NULL, 0);
}

/* Spends a recovery code of user_id: 0, or AIMS_EUNAUTH. */
static int
totp_recovery_use(struct db *db, int64_t user_id, const char *code, time_t now)
{
	unsigned char hash[crypto_generichash_BYTES];
	char norm[TOTP_RECOVERY_LEN + 1];
	struct db_stmt *st = NULL;
	int rc;

	if (!totp_recovery_norm(norm, code))
		return aims_error_set(AIMS_EUNAUTH, "code", TOTP_WRONG);
	totp_recovery_hash(hash, norm);
	sodium_memzero(norm, sizeof(norm));
	if ((rc = db_prepare(&st, db, "UPDATE totp_recovery_codes SET used_at = ? "
	    "WHERE user_id = ? AND code_hash = ? AND used_at IS NULL RETURNING id")) != 0)
		return rc;
	db_bind_int64(st, 1, (int64_t)now);
	db_bind_int64(st, 2, user_id);
	db_bind_blob(st, 3, hash, sizeof(hash));
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE)
		return aims_error_set(AIMS_EUNAUTH, "code", TOTP_WRONG);
	return rc < 0 ? rc : 0;
}

int
totp_verify(struct db *db, int64_t user_id, const char *code, time_t now)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	struct db_stmt *st = NULL;
	int64_t last = -1;
	uint64_t step = 0;
	int rc;

	if (code == NULL || strlen(code) > TOTP_CODE_MAX)
		return aims_error_set(AIMS_EUNAUTH, "code", TOTP_WRONG);
	if ((rc = totp_secret(secret, &last, db, user_id, true)) != 0)
		return rc == AIMS_ENOTFOUND ? aims_error_set(AIMS_EUNAUTH, "code", TOTP_WRONG) : rc;
	rc = totp_match(&step, secret, code, now);
	sodium_memzero(secret, sizeof(secret));
	if (rc == AIMS_EUNAUTH && strlen(code) > TOTP_DIGITS + 2)
		return totp_recovery_use(db, user_id, code, now);
	if (rc != 0)
		return rc;
	/* A step is spent once: the same code, or an older one, never works again. */
	if ((rc = db_prepare(&st, db, "UPDATE user_totp SET last_counter = ? "
	    "WHERE user_id = ? AND last_counter < ? RETURNING user_id")) != 0)
		return rc;
	db_bind_int64(st, 1, (int64_t)step);
	db_bind_int64(st, 2, user_id);
	db_bind_int64(st, 3, (int64_t)step);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE)
		return aims_error_set(AIMS_EUNAUTH, "code", TOTP_WRONG);
	return rc < 0 ? rc : 0;
}

/* Fresh recovery codes for user_id, replacing the old ones; shown once from codes. */
static int
totp_recovery_make(char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1], struct db *db,
    int64_t user_id)
{
	unsigned char hash[crypto_generichash_BYTES];
	char norm[TOTP_RECOVERY_LEN + 1];
	struct db_stmt *st = NULL;
	int i, j, k, rc;

	if ((rc = db_prepare(&st, db, "DELETE FROM totp_recovery_codes WHERE user_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	for (i = 0; i < TOTP_RECOVERY_COUNT; i++) {
		for (j = k = 0; j < TOTP_RECOVERY_LEN; j++) {
			if (j % 5 == 4) {
				codes[i][j] = '-';
				continue;
			}
			codes[i][j] = totp_alphabet[randombytes_uniform(sizeof(totp_alphabet) - 1)];
			norm[k++] = codes[i][j];
		}
		codes[i][TOTP_RECOVERY_LEN] = '\0';
		norm[k] = '\0';
		totp_recovery_hash(hash, norm);
		if ((rc = db_prepare(&st, db, "INSERT INTO totp_recovery_codes (user_id, code_hash) "
		    "VALUES (?, ?)")) != 0)
			break;
		db_bind_int64(st, 1, user_id);
		db_bind_blob(st, 2, hash, sizeof(hash));
		rc = db_step(st);
		db_done(st);
		if (rc < 0)
			break;
		rc = 0;
	}
	sodium_memzero(norm, sizeof(norm));
	return rc;
}

int
totp_enable(char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1], struct db *db,
    const struct actor *actor, int64_t user_id, const char *code, int64_t keep_session,
    time_t now)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	struct db_stmt *st = NULL;
	uint64_t step = 0;
	int rc;

	memset(codes, 0, sizeof(codes[0]) * TOTP_RECOVERY_COUNT);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = totp_secret(secret, NULL, db, user_id, false)) != 0)
		goto done;
	if ((rc = totp_match(&step, secret, code, now)) != 0) {
		rc = aims_error_set(AIMS_EINVALID, "code", "that code does not match: type the "
		    "six digits your authenticator shows for %s now", TOTP_ISSUER);
		goto done;
	}
	if ((rc = db_prepare(&st, db, "UPDATE user_totp SET enabled_at = ?, last_counter = ? "
	    "WHERE user_id = ? AND enabled_at IS NULL")) != 0)
		goto done;
	db_bind_int64(st, 1, (int64_t)now);
	db_bind_int64(st, 2, (int64_t)step);
	db_bind_int64(st, 3, user_id);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		goto done;
	if ((rc = totp_recovery_make(codes, db, user_id)) != 0 ||
	    (rc = session_delete_user(db, user_id, keep_session)) != 0)
		goto done;
	rc = user_record_event(db, actor, user_id, "second-factor-on");
done:
	sodium_memzero(secret, sizeof(secret));
	if (rc != 0) {
		db_rollback(db);
		sodium_memzero(codes, sizeof(codes[0]) * TOTP_RECOVERY_COUNT);
		return rc;
	}
	if ((rc = db_commit(db)) != 0)
		sodium_memzero(codes, sizeof(codes[0]) * TOTP_RECOVERY_COUNT);
	return rc;
}

/* Deletes the factor and its recovery codes and records it; inside a transaction. */
static int
totp_delete(struct db *db, const struct actor *actor, int64_t user_id)
{
	static const char *const sql[] = {
		"DELETE FROM user_totp WHERE user_id = ?",
		"DELETE FROM totp_recovery_codes WHERE user_id = ?",
	};
	struct db_stmt *st = NULL;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		if ((rc = db_prepare(&st, db, sql[i])) != 0)
			return rc;
		db_bind_int64(st, 1, user_id);
		rc = db_step(st);
		db_done(st);
		if (rc < 0)
			return rc;
	}
	return user_record_event(db, actor, user_id, "second-factor-off");
}

int
totp_disable(struct db *db, const struct actor *actor, int64_t user_id, const char *code,
    time_t now)
{
	int rc;

	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = totp_verify(db, user_id, code, now)) == 0)
		rc = totp_delete(db, actor, user_id);
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int
totp_remove(struct db *db, const struct actor *actor, const char *email)
{
	char *lower = str_lower(email != NULL ? email : "");
	int64_t user_id = 0;
	bool on = false;
	int rc;

	if ((rc = db_begin(db)) != 0)
		goto out;
	if ((rc = user_id_by_email(&user_id, db, lower)) != 0) {
		rc = aims_error_set(AIMS_ENOTFOUND, "email", "no user '%s'", lower);
		goto done;
	}
	if ((rc = totp_enabled(&on, db, user_id)) != 0)
		goto done;
	if (!on) {
		rc = aims_error_set(AIMS_ENOTFOUND, "email", "'%s' has no second factor on", lower);
		goto done;
	}
	if ((rc = totp_delete(db, actor, user_id)) == 0)
		rc = session_delete_user(db, user_id, 0);
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
totp_ledger_state(json_t *state, struct db *db, int64_t user_id)
{
	unsigned char secret[TOTP_SECRET_BYTES], digest[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256_state sha;
	struct db_stmt *st = NULL;
	size_t len = 0;
	int rc;

	if ((rc = totp_secret(secret, NULL, db, user_id, true)) != 0) {
		if (rc != AIMS_ENOTFOUND)
			return rc;
		aims_error_clear();
		return 0;
	}
	crypto_hash_sha256(digest, secret, sizeof(secret));
	sodium_memzero(secret, sizeof(secret));
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	json_object_set_new(state, "second_factor", json_string(hex));
	/* The recovery codes as issued (spending one is not a change of the account). */
	crypto_hash_sha256_init(&sha);
	if ((rc = db_prepare(&st, db, "SELECT code_hash FROM totp_recovery_codes "
	    "WHERE user_id = ? ORDER BY code_hash")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	while ((rc = db_step(st)) == DB_ROW) {
		const void *blob = db_column_blob(st, 0, &len);

		if (blob != NULL)
			crypto_hash_sha256_update(&sha, blob, (unsigned long long)len);
	}
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	crypto_hash_sha256_final(&sha, digest);
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	json_object_set_new(state, "recovery_codes", json_string(hex));
	return 0;
}

int
totp_challenge_create(char token[SESSION_TOKEN_LEN], struct db *db, int64_t user_id,
    const char *client_addr, time_t now)
{
	unsigned char hash[32];
	struct db_stmt *st = NULL;
	int rc;

	/* Old challenges go first: the table holds only live ones. */
	if ((rc = db_prepare(&st, db, "DELETE FROM sign_in_challenges WHERE expires_at <= ?")) != 0)
		return rc;
	db_bind_int64(st, 1, (int64_t)now);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	session_random_token(token);
	session_hash_token(hash, token);
	if ((rc = db_prepare(&st, db, "INSERT INTO sign_in_challenges (token_hash, user_id, "
	    "client_addr, expires_at) VALUES (?, ?, ?, ?)")) != 0)
		return rc;
	db_bind_blob(st, 1, hash, sizeof(hash));
	db_bind_int64(st, 2, user_id);
	db_bind_text(st, 3, client_addr != NULL ? client_addr : "");
	db_bind_int64(st, 4, (int64_t)now + TOTP_CHALLENGE_SEC);
	rc = db_step(st);
	db_done(st);
	if (rc < 0) {
		sodium_memzero(token, SESSION_TOKEN_LEN);
		return rc;
	}
	return 0;
}

int
totp_challenge_find(int64_t *user_id, struct db *db, const char *token, time_t now)
{
	unsigned char hash[32];
	struct db_stmt *st = NULL;
	int rc;

	*user_id = 0;
	if (token == NULL || strlen(token) != SESSION_TOKEN_LEN - 1)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no pending sign-in");
	session_hash_token(hash, token);
	if ((rc = db_prepare(&st, db, "SELECT c.user_id FROM sign_in_challenges c "
	    "JOIN users u ON u.id = c.user_id WHERE c.token_hash = ? AND c.expires_at > ? "
	    "AND u.disabled = 0")) != 0)
		return rc;
	db_bind_blob(st, 1, hash, sizeof(hash));
	db_bind_int64(st, 2, (int64_t)now);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*user_id = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, NULL, "no pending sign-in");
	db_done(st);
	return rc;
}

int
totp_challenge_delete(struct db *db, const char *token)
{
	unsigned char hash[32];
	struct db_stmt *st = NULL;
	int rc;

	session_hash_token(hash, token);
	if ((rc = db_prepare(&st, db, "DELETE FROM sign_in_challenges WHERE token_hash = ?")) != 0)
		return rc;
	db_bind_blob(st, 1, hash, sizeof(hash));
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}
