/*
 * auth.h - who is calling and from where: the session cookie, bearer
 * tokens, the same-origin / CSRF rule for cookie-authenticated writes, the
 * caller's role in {org}, and the sign-in endpoints (/api/v1/session).
 */
#ifndef AIMS_HTTP_AUTH_H
#define AIMS_HTTP_AUTH_H

#include "http/http.h"

#define AUTH_COOKIE		"aims_session"
#define AUTH_PWHASH_CONCURRENCY	4	/* argon2id verifications at once, at most */
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

/* Handlers of /api/v1/session. */
int auth_session_create(struct http_ctx *c);
int auth_session_get(struct http_ctx *c);
int auth_session_delete(struct http_ctx *c);

#endif
