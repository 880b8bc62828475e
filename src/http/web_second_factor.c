/*
 * web_second_factor.c - the second factor in the browser: the second step
 * of signing in (a code or a recovery code, throttled per account by
 * auth_sign_in_code), and the account's page that sets the factor up (QR
 * code, then a code to confirm, then the recovery codes shown once) and
 * turns it off. The rules are core/totp.c's.
 *
 * The pending sign-in lives in a cookie scoped to /sign-in, HttpOnly and
 * SameSite=Strict, for TOTP_CHALLENGE_SEC: another site's form cannot
 * carry it, so it is the code form's protection against forgery too.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/org.h"
#include "core/totp.h"
#include "http/auth.h"
#include "http/server.h"
#include "http/web_admin.h"
#include "http/webui.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"
#include "web/admin.h"
#include "web/html.h"

static void
webui_code_cookie(struct http_ctx *c, const char *value, int max_age)
{
	char cookie[WEBUI_COOKIE_MAX + 128];

	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/sign-in; HttpOnly; SameSite=Strict; "
	    "Max-Age=%d%s", WEBUI_CODE_COOKIE, value, max_age,
	    c->cfg != NULL && c->cfg->secure_cookies ? "; Secure" : "");
	http_resp_add_header(&c->resp, "Set-Cookie", cookie);
}

void
webui_code_challenge(struct http_ctx *c, const char *challenge, const char *next)
{
	struct buf url = BUF_INIT;

	webui_code_cookie(c, challenge, TOTP_CHALLENGE_SEC);
	buf_puts(&url, WEB_SIGN_IN_CODE_PATH);
	if (next != NULL)
		html_url_query(&url, "next", next);
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
}

/* A local path to go to after signing in, or NULL. */
static const char *
webui_code_next(const char *next)
{
	if (!web_next_is_local(next) || strlen(next) > WEBUI_NEXT_MAX)
		return NULL;
	return next;
}

static void
webui_code_form(struct http_ctx *c, int status, struct web_sign_in_code_view *v)
{
	struct buf page = BUF_INIT;

	web_page_sign_in_code(&page, v);
	webui_send(c, status, &page);
}

int
webui_sign_in_code_page(struct http_ctx *c)
{
	struct web_sign_in_code_view v = { .next = webui_code_next(http_query(c, "next")) };

	webui_code_form(c, 200, &v);
	return 0;
}

int
webui_sign_in_code(struct http_ctx *c)
{
	struct web_sign_in_code_view v = { .next = webui_code_next(webui_posted(c, "next")) };
	const char *cookie = http_header(c->req, "Cookie");
	char challenge[WEBUI_COOKIE_MAX], token[SESSION_TOKEN_LEN];
	struct session sess;
	int rc;

	if (cookie == NULL ||
	    !auth_cookie_value(challenge, sizeof(challenge), cookie, WEBUI_CODE_COOKIE)) {
		v.error = "This sign-in has expired. Please sign in again.";
		webui_code_form(c, 403, &v);
		return 0;
	}
	rc = auth_sign_in_code(token, &sess, &v.retry_after, c, challenge,
	    webui_posted(c, "code"));
	sodium_memzero(token, sizeof(token));
	sodium_memzero(challenge, sizeof(challenge));
	if (rc == 0) {
		webui_code_cookie(c, "", 0);
		webui_redirect(c, v.next != NULL ? v.next : "/");
		return 0;
	}
	if (rc == AIMS_ENOTFOUND) {
		v.error = "This sign-in has expired. Please sign in again.";
		webui_code_cookie(c, "", 0);
	} else if (rc == AIMS_EUNAUTH) {
		v.error = "That code is not right, or was already used. Type the code your app "
		    "shows now, or a recovery code.";
	} else if (rc != AIMS_ETHROTTLED) {
		return rc;
	}
	webui_code_form(c, http_status_of(rc), &v);
	return 0;
}

/* ---- the account's second factor ------------------------------------------ */

static int
webui_second_factor_show(struct http_ctx *c, int status, struct web_second_factor_view *v)
{
	struct buf page = BUF_INIT;
	int rc;

	v->email = c->who.email;
	v->csrf = c->who.csrf;
	if ((rc = totp_enabled(&v->enabled, c->db, c->who.user_id)) != 0)
		return rc;
	web_page_second_factor(&page, v);
	webui_send(c, status, &page);
	return 0;
}

int
webui_second_factor(struct http_ctx *c)
{
	struct web_second_factor_view v = { .required_by = http_query(c, "for") };

	if (v.required_by != NULL && !str_is_slug(v.required_by))
		v.required_by = NULL;
	return webui_second_factor_show(c, 200, &v);
}

/*
 * Setting the factor up (a fresh secret), turning it on and off: each one
 * change of the server's writer, the account's (the store's).
 */
enum webui_factor_op { WEBUI_FACTOR_SETUP, WEBUI_FACTOR_ENABLE, WEBUI_FACTOR_DISABLE };

struct webui_factor {
	enum webui_factor_op	 op;
	struct http_ctx		*c;
	const struct actor	*self;
	char			*secret, *uri;	/* SETUP */
	char			(*codes)[TOTP_RECOVERY_LEN + 1];	/* ENABLE */
};

static int
webui_factor_apply(struct db *db, void *arg)
{
	const struct webui_factor *f = arg;
	struct http_ctx *c = f->c;

	switch (f->op) {
	case WEBUI_FACTOR_SETUP:
		return totp_setup(f->secret, f->uri, db, c->who.user_id, c->who.email, true);
	case WEBUI_FACTOR_ENABLE:
		return totp_enable(f->codes, db, f->self, c->who.user_id, webui_posted(c, "code"),
		    c->who.session_id, clock_now());
	case WEBUI_FACTOR_DISABLE:
		return totp_disable(db, f->self, c->who.user_id, webui_posted(c, "code"),
		    clock_now());
	}
	return aims_error_set(AIMS_ERROR, NULL, "unknown change of a second factor");
}

int
webui_second_factor_start(struct http_ctx *c)
{
	struct web_second_factor_view v = { 0 };
	char secret[TOTP_SECRET_B32_MAX], uri[TOTP_URI_MAX];
	struct webui_factor f = { .op = WEBUI_FACTOR_SETUP, .c = c, .secret = secret,
	    .uri = uri };
	int rc;

	if ((rc = http_server_write(c->db, 0, webui_factor_apply, &f)) != 0)
		return rc;
	v.secret = secret;
	v.uri = uri;
	rc = webui_second_factor_show(c, 200, &v);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(uri, sizeof(uri));
	return rc;
}

int
webui_second_factor_confirm(struct http_ctx *c)
{
	struct actor self = { c->who.user_id, c->who.name, ROLE_NONE };
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	char secret[TOTP_SECRET_B32_MAX], uri[TOTP_URI_MAX];
	const char *list[TOTP_RECOVERY_COUNT + 1];
	struct web_second_factor_view v = { 0 };
	struct webui_factor f = { .op = WEBUI_FACTOR_ENABLE, .c = c, .self = &self,
	    .codes = codes };
	int i, rc;

	rc = http_server_write(c->db, 0, webui_factor_apply, &f);
	if (rc == 0) {
		for (i = 0; i < TOTP_RECOVERY_COUNT; i++)
			list[i] = codes[i];
		list[i] = NULL;
		v.codes = list;
		rc = webui_second_factor_show(c, 200, &v);
		sodium_memzero(codes, sizeof(codes));
		return rc;
	}
	if (rc != AIMS_EINVALID)
		return rc;
	/* A wrong code: the same secret again, with the error. */
	v.error = "That code does not match. Type the six digits your authenticator shows now.";
	if ((rc = totp_setup(secret, uri, c->db, c->who.user_id, c->who.email, false)) != 0)
		return rc;
	v.secret = secret;
	v.uri = uri;
	rc = webui_second_factor_show(c, 422, &v);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(uri, sizeof(uri));
	return rc;
}

int
webui_second_factor_disable(struct http_ctx *c)
{
	struct actor self = { c->who.user_id, c->who.name, ROLE_NONE };
	struct web_second_factor_view v = { 0 };
	struct webui_factor f = { .op = WEBUI_FACTOR_DISABLE, .c = c, .self = &self };
	int rc;

	rc = http_server_write(c->db, 0, webui_factor_apply, &f);
	if (rc == 0) {
		webui_redirect(c, "/account");
		return 0;
	}
	if (rc != AIMS_EUNAUTH)
		return rc;
	v.error = "That code is not right, or was already used: the second factor stays on.";
	return webui_second_factor_show(c, 403, &v);
}
