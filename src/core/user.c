/*
 * user.c - users and their passwords (argon2id via libsodium). User events go
 * to the instance ledger (org 0) since a user is not owned by one organisation.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/session.h"
#include "core/token.h"
#include "core/totp.h"
#include "core/user.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

/*
 * Interactive limits: about 0.1 s and 64 MiB per hash on this class of
 * machine. Test builds (AIMS_TEST_HOOKS) lower them to libsodium's minimum
 * with AIMS_FAST_HASH=1, so a test suite that logs in hundreds of times runs
 * in seconds; a release build has no such switch.
 */
static bool
user_fast_hash(void)
{
#ifdef AIMS_TEST_HOOKS
	return getenv("AIMS_FAST_HASH") != NULL;
#else
	return false;
#endif
}

static unsigned long long
user_opslimit(void)
{
	return user_fast_hash() ? crypto_pwhash_OPSLIMIT_MIN :
	    crypto_pwhash_OPSLIMIT_INTERACTIVE;
}

static size_t
user_memlimit(void)
{
	return user_fast_hash() ? crypto_pwhash_MEMLIMIT_MIN :
	    crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

int
user_check_password_policy(const char *pw)
{
	size_t n = pw ? strlen(pw) : 0;

	if (n < USER_PASSWORD_MIN)
		return aims_error_set(AIMS_EINVALID, "password",
		    "password must be at least %d characters", USER_PASSWORD_MIN);
	if (n > USER_PASSWORD_MAX)
		return aims_error_set(AIMS_EINVALID, "password",
		    "password must be at most %d characters", USER_PASSWORD_MAX);
	return 0;
}

void
user_generate_password(char out[USER_GENERATED_PASSWORD_LEN + 1])
{
	/* No 0/O, 1/l/I: people copy these from a terminal. */
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	int i;

	for (i = 0; i < USER_GENERATED_PASSWORD_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[USER_GENERATED_PASSWORD_LEN] = '\0';
}

_Static_assert(USER_HASH_MAX == crypto_pwhash_STRBYTES, "USER_HASH_MAX is libsodium's");

static int
user_hash(char out[crypto_pwhash_STRBYTES], const char *pw)
{
	if (crypto_pwhash_str(out, pw, strlen(pw), user_opslimit(), user_memlimit()) != 0)
		return aims_error_set(AIMS_ERROR, NULL, "password hashing ran out of memory");
	return 0;
}

int
user_password_hash(char out[USER_HASH_MAX], const char *password)
{
	int rc;

	out[0] = '\0';
	if ((rc = user_check_password_policy(password)) != 0)
		return rc;
	return user_hash(out, password);
}

/* A new user's address and name (NULL: the address), checked before anything is hashed. */
static int
user_check_new(const char *email, const char *display_name)
{
	if (email == NULL || !str_is_email(email))
		return aims_error_set(AIMS_EINVALID, "email", "'%s' is not a valid email address",
		    email ? email : "");
	if (display_name != NULL && (strlen(display_name) > USER_NAME_MAX ||
	    !str_is_utf8(display_name, strlen(display_name))))
		return aims_error_set(AIMS_EINVALID, "display_name",
		    "display name must be at most %d characters of UTF-8 text", USER_NAME_MAX);
	return 0;
}

int
user_ledger_state(json_t **out, struct db *db, const char *email)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	int64_t id = 0;

	if ((rc = db_prepare(&st, db, "SELECT email, display_name, password_hash, disabled, id"
	    " FROM users WHERE email = ?")) != 0)
		return rc;
	db_bind_text(st, 1, email);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = json_pack("{s:s, s:s, s:s, s:b}", "email", db_column_text(st, 0),
		    "display_name", db_column_text(st, 1), "password_hash", db_column_text(st, 2),
		    "disabled", (int)db_column_int64(st, 3));
		id = db_column_int64(st, 4);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "email", "no user '%s'", email);
	db_done(st);
	/* A second factor is committed to when on; without one the state is as it always was. */
	if (rc == 0 && (rc = totp_ledger_state(*out, db, id)) != 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

static int
user_append(struct db *db, const struct actor *actor, const char *action, const char *email,
    int64_t version)
{
	struct ledger_event ev = { 0 };
	int64_t seq;
	json_t *state = NULL;
	int rc;

	if ((rc = user_ledger_state(&state, db, email)) != 0)
		return rc;
	ev.org_id = 0;
	ev.actor = actor->name;
	ev.action = action;
	ev.kind = "user";
	ev.ref = json_string_value(json_object_get(state, "email"));
	ev.version = version;
	ev.record = state;
	rc = ledger_append(&seq, db, &ev);
	json_decref(state);
	return rc;
}

int
user_ledger_import(struct db *db, const char *email)
{
	static const struct actor importer = { .name = USER_IMPORT_ACTOR };
	int64_t version = 0;
	int rc;

	if ((rc = db_query_int64_text(&version, db, "SELECT version FROM users WHERE email = ?",
	    email)) != 0)
		return rc == AIMS_ENOTFOUND ?
		    aims_error_set(rc, "email", "no user '%s'", email) : rc;
	return user_append(db, &importer, "import", email, version);
}

int
user_add(int64_t *id_out, struct db *db, const struct actor *actor, const char *email,
    const char *display_name, const char *password)
{
	char hash[USER_HASH_MAX];
	int rc;

	if ((rc = user_check_new(email, display_name)) == 0 &&
	    (rc = user_password_hash(hash, password)) == 0)
		rc = user_add_hashed(id_out, db, actor, email, display_name, hash);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int
user_add_hashed(int64_t *id_out, struct db *db, const struct actor *actor, const char *email,
    const char *display_name, const char *hash)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	char *lower = NULL;
	int64_t id = 0;
	int rc;

	if ((rc = user_check_new(email, display_name)) != 0)
		return rc;
	if (display_name == NULL || *display_name == '\0')
		display_name = email;
	lower = str_lower(email);
	if ((rc = db_begin(db)) != 0)
		goto out;
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "INSERT INTO users (email, display_name, password_hash,"
	    " created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id")) != 0)
		goto done;
	db_bind_text(st, 1, lower);
	db_bind_text(st, 2, display_name);
	db_bind_text(st, 3, hash);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, now);
	rc = db_step(st);
	if (rc == AIMS_EEXISTS) {
		rc = aims_error_set(AIMS_EEXISTS, "email", "a user '%s' already exists", lower);
		goto done;
	}
	if (rc != DB_ROW)
		goto done;
	id = db_column_int64(st, 0);
	db_done(st);
	st = NULL;
	rc = user_append(db, actor, "create", lower, 1);
done:
	db_done(st);
	if (rc != 0)
		db_rollback(db);
	else if ((rc = db_commit(db)) == 0 && id_out)
		*id_out = id;
out:
	free(lower);
	return rc;
}

int
user_set_password(struct db *db, const struct actor *actor, const char *email,
    const char *password, int64_t keep_session)
{
	char hash[USER_HASH_MAX];
	int rc;

	if ((rc = user_password_hash(hash, password)) == 0)
		rc = user_set_password_hashed(db, actor, email, hash, keep_session);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int
user_set_password_hashed(struct db *db, const struct actor *actor, const char *email,
    const char *hash, int64_t keep_session)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	int64_t version = 0, id = 0;
	int rc;

	if ((rc = db_begin(db)) != 0)
		return rc;
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "UPDATE users SET password_hash = ?, updated_at = ?,"
	    " version = version + 1 WHERE email = ? RETURNING version, id")) != 0)
		goto done;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, email);
	rc = db_step(st);
	if (rc == DB_DONE) {
		rc = aims_error_set(AIMS_ENOTFOUND, "email", "no user '%s'", email);
		goto done;
	}
	if (rc != DB_ROW)
		goto done;
	version = db_column_int64(st, 0);
	id = db_column_int64(st, 1);
	db_done(st);
	st = NULL;
	if ((rc = session_delete_user(db, id, keep_session)) != 0)
		goto done;
	rc = user_append(db, actor, "password", email, version);
done:
	db_done(st);
	if (rc != 0)
		db_rollback(db);
	else
		rc = db_commit(db);
	return rc;
}

int
user_set_disabled(struct db *db, const struct actor *actor, const char *email, bool disabled)
{
	char now[CLOCK_RFC3339_LEN], *lower = str_lower(email ? email : "");
	struct db_stmt *st = NULL;
	int64_t id = 0, version = 0;
	int rc, was = 0;

	if ((rc = db_begin(db)) != 0)
		goto out;
	if ((rc = db_prepare(&st, db, "SELECT id, disabled FROM users WHERE email = ?")) != 0)
		goto done;
	db_bind_text(st, 1, lower);
	if ((rc = db_step(st)) == DB_ROW) {
		id = db_column_int64(st, 0);
		was = db_column_int64(st, 1) != 0;
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "email", "no user '%s'", lower);
	db_done(st);
	st = NULL;
	if (rc != 0)
		goto done;
	if (was == (int)disabled) {
		rc = aims_error_set(AIMS_ECONFLICT, "email", "'%s' is already %s", lower,
		    disabled ? "disabled" : "enabled");
		goto done;
	}
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "UPDATE users SET disabled = ?, updated_at = ?,"
	    " version = version + 1 WHERE id = ? RETURNING version")) != 0)
		goto done;
	db_bind_int64(st, 1, disabled ? 1 : 0);
	db_bind_text(st, 2, now);
	db_bind_int64(st, 3, id);
	if ((rc = db_step(st)) == DB_ROW) {
		version = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ERROR, NULL, "user update returned no version");
	db_done(st);
	st = NULL;
	if (rc == 0)
		rc = user_append(db, actor, disabled ? "disable" : "enable", lower, version);
	if (rc == 0 && disabled && (rc = session_delete_user(db, id, 0)) == 0)
		rc = token_revoke_created_by(NULL, db, actor, 0, id);
done:
	if (rc != 0)
		db_rollback(db);
	else
		rc = db_commit(db);
out:
	free(lower);
	return rc;
}

static int64_t user_verifications;	/* atomic: read by /metrics */

int
user_record_event(struct db *db, const struct actor *actor, int64_t user_id,
    const char *action)
{
	char now[CLOCK_RFC3339_LEN], email[EMAIL_MAX + 1];
	struct db_stmt *st = NULL;
	int64_t version = 0;
	int rc;

	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "UPDATE users SET version = version + 1, updated_at = ?"
	    " WHERE id = ? RETURNING version, email")) != 0)
		return rc;
	db_bind_text(st, 1, now);
	db_bind_int64(st, 2, user_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		version = db_column_int64(st, 0);
		snprintf(email, sizeof(email), "%s", db_column_text(st, 1));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "user", "no such user");
	db_done(st);
	if (rc != 0)
		return rc;
	return user_append(db, actor, action, email, version);
}

int64_t
user_password_verifications(void)
{
	return __atomic_load_n(&user_verifications, __ATOMIC_RELAXED);
}

/* The hash verified for unknown users; made once, whichever thread asks first. */
static char user_dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t user_dummy_once = PTHREAD_ONCE_INIT;

static void
user_dummy_init(void)
{
	if (user_hash(user_dummy_hash, "not a password of anyone") != 0)
		user_dummy_hash[0] = '\0';
}

int
user_authenticate(int64_t *id_out, struct db *db, const char *email, const char *password)
{
	const char *dummy = user_dummy_hash;
	char hash[crypto_pwhash_STRBYTES] = "";
	struct db_stmt *st = NULL;
	int64_t id = 0;
	int rc, disabled = 1, ok;

	pthread_once(&user_dummy_once, user_dummy_init);
	if (dummy[0] == '\0')
		return aims_error_set(AIMS_ERROR, NULL, "password hashing ran out of memory");
	if ((rc = db_prepare(&st, db,
	    "SELECT id, password_hash, disabled FROM users WHERE email = ?")) != 0)
		return rc;
	db_bind_text(st, 1, email ? email : "");
	rc = db_step(st);
	if (rc == DB_ROW) {
		id = db_column_int64(st, 0);
		snprintf(hash, sizeof(hash), "%s", db_column_text(st, 1));
		disabled = (int)db_column_int64(st, 2);
	}
	db_done(st);
	if (rc < 0)
		return rc;
	/* Same work whether or not the user exists: no timing oracle. */
	__atomic_add_fetch(&user_verifications, 1, __ATOMIC_RELAXED);
	ok = crypto_pwhash_str_verify(id ? hash : dummy, password ? password : "",
	    password ? strlen(password) : 0) == 0;
	if (!ok || id == 0 || disabled)
		return aims_error_set(AIMS_EUNAUTH, NULL, "wrong email or password");
	if (id_out)
		*id_out = id;
	return 0;
}

int
user_id_by_email(int64_t *out, struct db *db, const char *email)
{
	int rc = db_query_int64_text(out, db, "SELECT id FROM users WHERE email = ?", email);

	if (rc == AIMS_ENOTFOUND)
		aims_error_set(rc, "email", "no user '%s'", email);
	return rc;
}

static json_t *
user_row_json(struct db_stmt *st)
{
	return json_pack("{s:s, s:s, s:b, s:I, s:s, s:s}", "email", db_column_text(st, 0),
	    "display_name", db_column_text(st, 1), "disabled", (int)db_column_int64(st, 2),
	    "version", (json_int_t)db_column_int64(st, 3), "created_at", db_column_text(st, 4),
	    "updated_at", db_column_text(st, 5));
}

#define USER_COLUMNS "email, display_name, disabled, version, created_at, updated_at"

int
user_get(json_t **out, struct db *db, int64_t user_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " USER_COLUMNS " FROM users WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = user_row_json(st);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "user", "no such user");
	db_done(st);
	return rc;
}

int
user_list(json_t **out, struct db *db)
{
	struct db_stmt *st = NULL;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " USER_COLUMNS " FROM users ORDER BY email")) != 0)
		goto done;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(arr, user_row_json(st));
	if (rc == DB_DONE) {
		*out = arr;
		arr = NULL;
		rc = 0;
	}
done:
	db_done(st);
	json_decref(arr);
	return rc;
}
