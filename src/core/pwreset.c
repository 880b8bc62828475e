/*
 * pwreset.c - password reset links (see pwreset.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pwreset.h"
#include "core/user.h"
#include "store/db.h"
#include "util/error.h"
#include "util/str.h"

#define PWRESET_GONE	"this password reset link is not valid: it was used, replaced by a " \
			"newer one or has expired. Ask for a new one"

/* The account of email that may be reset: enabled. */
static int
pwreset_account(int64_t *user_id, struct db *db, const char *email)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db,
	    "SELECT id FROM users WHERE email = ? AND disabled = 0")) != 0)
		return rc;
	db_bind_text(st, 1, email);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*user_id = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "email", "no enabled account '%s'", email);
	db_done(st);
	return rc;
}

int
pwreset_create(char token[PWRESET_TOKEN_LEN], struct db *db, const char *email, bool quiet,
    time_t now)
{
	unsigned char hash[32];
	struct db_stmt *st = NULL;
	char *lower = NULL;
	int64_t uid = 0;
	int rc;

	token[0] = '\0';
	if (email == NULL || !str_is_email(email))
		return aims_error_set(AIMS_EINVALID, "email", "'%s' is not a valid email address",
		    email != NULL ? email : "");
	lower = str_lower(email);
	if ((rc = db_begin(db)) != 0)
		goto out;
	if ((rc = pwreset_account(&uid, db, lower)) != 0) {
		if (rc == AIMS_ENOTFOUND && quiet) {
			aims_error_clear();
			rc = 0;
		}
		goto done;
	}
	/* One live link per account: a newer one voids the older. */
	if ((rc = db_prepare(&st, db, "UPDATE password_resets SET used_at = ? "
	    "WHERE user_id = ? AND used_at IS NULL")) != 0)
		goto done;
	db_bind_int64(st, 1, (int64_t)now);
	db_bind_int64(st, 2, uid);
	rc = db_step(st);
	db_done(st);
	st = NULL;
	if (rc < 0)
		goto done;
	session_random_token(token);
	session_hash_token(hash, token);
	if ((rc = db_prepare(&st, db, "INSERT INTO password_resets (token_hash, user_id, "
	    "created_at, expires_at) VALUES (?, ?, ?, ?)")) != 0)
		goto done;
	db_bind_blob(st, 1, hash, sizeof(hash));
	db_bind_int64(st, 2, uid);
	db_bind_int64(st, 3, (int64_t)now);
	db_bind_int64(st, 4, (int64_t)now + PWRESET_TTL_SEC);
	rc = db_step(st);
	rc = rc < 0 ? rc : 0;
done:
	db_done(st);
	if (rc != 0) {
		db_rollback(db);
		sodium_memzero(token, PWRESET_TOKEN_LEN);
	} else if ((rc = db_commit(db)) != 0)
		sodium_memzero(token, PWRESET_TOKEN_LEN);
out:
	free(lower);
	return rc;
}

int
pwreset_find(json_t **out, struct db *db, const char *token, time_t now)
{
	unsigned char hash[32];
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if (token == NULL || strlen(token) != PWRESET_TOKEN_LEN - 1)
		return aims_error_set(AIMS_ENOTFOUND, NULL, PWRESET_GONE);
	session_hash_token(hash, token);
	if ((rc = db_prepare(&st, db, "SELECT u.email FROM password_resets r "
	    "JOIN users u ON u.id = r.user_id WHERE r.token_hash = ? AND r.used_at IS NULL "
	    "AND r.expires_at > ? AND u.disabled = 0")) != 0)
		return rc;
	db_bind_blob(st, 1, hash, sizeof(hash));
	db_bind_int64(st, 2, (int64_t)now);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = json_pack("{s:s}", "email", db_column_text(st, 0));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, NULL, PWRESET_GONE);
	db_done(st);
	return rc;
}

int
pwreset_prepare(char *hash, const char *token, const char *password)
{
	hash[0] = '\0';
	if (token == NULL || strlen(token) != PWRESET_TOKEN_LEN - 1)
		return aims_error_set(AIMS_ENOTFOUND, NULL, PWRESET_GONE);
	/* Before the link is spent: a refused password keeps it usable. */
	return user_password_hash(hash, password);
}

int
pwreset_use(struct db *db, const char *token, const char *password, time_t now)
{
	char hash[USER_HASH_MAX];
	int rc;

	if ((rc = pwreset_prepare(hash, token, password)) == 0)
		rc = pwreset_use_hashed(db, token, hash, now);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int
pwreset_use_hashed(struct db *db, const char *token, const char *hash, time_t now)
{
	char email[EMAIL_MAX + 1], name[EMAIL_MAX + 8];
	unsigned char th[32];
	struct db_stmt *st = NULL;
	struct actor self = { 0 };
	int rc;

	if (token == NULL || strlen(token) != PWRESET_TOKEN_LEN - 1)
		return aims_error_set(AIMS_ENOTFOUND, NULL, PWRESET_GONE);
	session_hash_token(th, token);
	/* One statement marks it used and reads it: two uses at once cannot both win. */
	if ((rc = db_prepare(&st, db, "UPDATE password_resets SET used_at = ? "
	    "WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? "
	    "AND user_id IN (SELECT id FROM users WHERE disabled = 0) "
	    "RETURNING (SELECT email FROM users WHERE id = password_resets.user_id), "
	    "user_id")) != 0)
		return rc;
	db_bind_int64(st, 1, (int64_t)now);
	db_bind_blob(st, 2, th, sizeof(th));
	db_bind_int64(st, 3, (int64_t)now);
	rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(email, sizeof(email), "%s", db_column_text(st, 0));
		self.user_id = db_column_int64(st, 1);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, NULL, PWRESET_GONE);
	db_done(st);
	if (rc != 0)
		return rc;
	snprintf(name, sizeof(name), "user:%s", email);
	self.name = name;
	return user_set_password_hashed(db, &self, email, hash, 0);
}
