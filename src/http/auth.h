/*
 * auth.h - who is calling and from where: the session cookie, bearer
 * tokens, the same-origin / CSRF rule for cookie-authenticated writes, the
 * caller's role in {org}, and the sign-in endpoints (/api/v1/session).
 */
#ifndef AIMS_HTTP_AUTH_H
#define AIMS_HTTP_AUTH_H

#include "core/session.h"
#include "http/http.h"

#define AUTH_COOKIE		"aims_session"
#define AUTH_PWHASH_CONCURRENCY	4	/* argon2id verifications at once, at most */
#define AUTH_TOUCH_SLOTS	1024	/* tokens and sessions whose last write is remembered */
#define AUTH_PASSWORD_MAX	1024
#define AUTH_CSRF_HEADER	"X-CSRF-Token"

/* Fills c->who from Authorization: Bearer or the session cookie. */
int auth_identify(struct http_ctx *c);
/*
 * A cookie-authenticated write must be JSON with a same-origin Origin (or
 * Referer), or carry the session's CSRF token: AIMS_EFORBIDDEN otherwise.
 */
int auth_check_csrf(struct http_ctx *c);
/* Resolves {org}: fills c->org_id, c->role, c->actor; 404 when not a member. */
int auth_org_role(struct http_ctx *c, const char *slug);

/* Finds name=value in a Cookie header and copies the value; false if absent or too long. */
bool auth_cookie_value(char *out, size_t outlen, const char *header, const char *name);
/* Is origin ("http://HOST") the site the request was sent to (Host)? */
bool auth_same_origin(const char *origin, const char *host);
/*
 * Whom a limit counts for an anonymous caller: an IPv4 address, or an IPv6
 * address's /64 (one subscriber's network holds 2^64 addresses).
 */
#define AUTH_NET_MAX		(46 + 4)	/* INET6_ADDRSTRLEN + "/64" */
void auth_client_net(char out[AUTH_NET_MAX], const char *addr);
/* Sets (max_age > 0) or clears (0) the session cookie. */
void auth_session_cookie(struct http_ctx *c, const char *token, int max_age);
/*
 * Signs in with email and password, the one way for the API and the web
 * pages: refuses while throttled (AIMS_ETHROTTLED, *retry_after seconds,
 * Retry-After set), counts failures (AIMS_EUNAUTH, the same answer for an
 * unknown email), and on success creates the session, sets its cookie and
 * fills *s (user_id, csrf) and token (zero it after use). An account with a
 * second factor gets no session yet: see auth_sign_in_code().
 */
int auth_sign_in(char token[SESSION_TOKEN_LEN], struct session *s, int *retry_after,
    struct http_ctx *c, const char *email, const char *password);

/*
 * When the account has a second factor, auth_sign_in creates no session:
 * s->id is 0 and token is the pending sign-in (totp_challenge_create),
 * which this completes with a code or a recovery code. Wrong codes are
 * counted per account (TOTP_THROTTLE_POLICY): AIMS_ETHROTTLED with
 * *retry_after while paused. On success as auth_sign_in.
 */
int auth_sign_in_code(char token[SESSION_TOKEN_LEN], struct session *s, int *retry_after,
    struct http_ctx *c, const char *challenge, const char *code);

/*
 * Opens a session for user_id, whose identity another step established
 * (a second-factor code, the organisation's OpenID provider): the
 * session's cookie is set and c->who filled.
 */
int auth_session_start(char token[SESSION_TOKEN_LEN], struct session *s, struct http_ctx *c,
    int64_t user_id);
/*
 * The pending sign-in of user_id, whose identity another step established,
 * when a second factor must complete it: token is what the code form
 * carries. Through the writer, as a session is.
 */
int auth_challenge_start(char token[SESSION_TOKEN_LEN], struct http_ctx *c, int64_t user_id);
/* Ends the session whose cookie value is token (signing out), through the writer. */
int auth_session_end(struct http_ctx *c, const char *token);

/* Handlers of /api/v1/session. */
int auth_session_create(struct http_ctx *c);
int auth_session_get(struct http_ctx *c);
int auth_session_delete(struct http_ctx *c);
/*
 * The signed-in person changes their own password, the one way for the API
 * and the pages: the current one is checked (a wrong one answers
 * AIMS_EFORBIDDEN naming current_password and counts as a failed sign-in,
 * so a stolen session cannot guess it), then every other session of theirs
 * ends and this one stays.
 */
int auth_change_password(struct http_ctx *c, const char *current, const char *next);
/* POST /api/v1/session/password {current_password, new_password}: 204. */
int auth_password_change(struct http_ctx *c);

#endif
