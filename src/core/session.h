/*
 * session.h - sign-in sessions: a random 256-bit token the browser holds in a
 * cookie; the store keeps only its SHA-256, a per-session CSRF token for
 * forms, and idle and absolute expiry.
 */
#ifndef AIMS_CORE_SESSION_H
#define AIMS_CORE_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include <time.h>

struct db;

#define SESSION_TOKEN_BYTES	32
#define SESSION_TOKEN_LEN	44	/* base64url, no padding, + NUL */
#define SESSION_CSRF_LEN	44
#define SESSION_IDLE_SEC	(8 * 3600)
#define SESSION_ABSOLUTE_SEC	(7 * 24 * 3600)
#define SESSION_TOUCH_SEC	60	/* last_seen is written at most this often */
#define SESSION_LIST_MAX	100	/* sessions an account page lists */

struct session {
	int64_t	id;
	int64_t	user_id;
	char	csrf[SESSION_CSRF_LEN];
	int64_t	created_at;
	int64_t	last_seen;
	int64_t	expires_at;
	bool	touch;		/* last_seen is due: session_touch() */
};

/* Creates a session; token (the cookie value) is returned once. */
int session_create(char token[SESSION_TOKEN_LEN], struct session *out, struct db *db,
    int64_t user_id, const char *client_addr, time_t now);
/* Finds a live session by its token; AIMS_ENOTFOUND when unknown or expired. */
int session_lookup(struct session *out, struct db *db, const char *token, time_t now);
/*
 * session_lookup() without its one write: out->touch says last_seen is
 * due, and the caller writes it with session_touch() through the database
 * writer (a server's requests never write beside the writer).
 */
int session_find(struct session *out, struct db *db, const char *token, time_t now);
/* Records that session id was seen at now (it stays alive SESSION_IDLE_SEC more). */
int session_touch(struct db *db, int64_t id, time_t now);
int session_delete(struct db *db, const char *token);
/*
 * Ends every session of a user but keep_id (0: all), after a password
 * change or when the user is disabled.
 */
int session_delete_user(struct db *db, int64_t user_id, int64_t keep_id);
/* Deletes expired sessions; returns 0 or a negative code. */
int session_expire(struct db *db, time_t now);
/* Fills out with the base64url text of SESSION_TOKEN_BYTES random bytes. */
void session_random_token(char out[SESSION_TOKEN_LEN]);
/* A user's live sessions, most recently used first: [{id, created_at, last_seen, client_addr}]. */
int session_list_user(json_t **out, struct db *db, int64_t user_id, time_t now);
/* Ends session id if it is user_id's; AIMS_ENOTFOUND otherwise (someone else's too). */
int session_delete_own(struct db *db, int64_t user_id, int64_t id);
/* SHA-256 of a token's text, as stored. */
void session_hash_token(unsigned char out[32], const char *token);

#endif
