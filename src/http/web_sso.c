/*
 * web_sso.c - single sign-on with an organisation's OpenID provider: the
 * page that starts it (/sso?org=SLUG), the callback the provider sends the
 * browser back to (/sso/callback), and the admin's form in the settings.
 * The protocol is core/oidc.c's.
 *
 * The state is also set as a cookie for /sso (HttpOnly, SameSite=Lax: the
 * provider's redirect back is a top-level GET, which Lax lets through) and
 * the callback compares the two: a callback started in another browser,
 * or forged by another site, finds no matching cookie (login CSRF). An
 * account with a second factor still gives its code afterwards.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/oidc.h"
#include "core/totp.h"
#include "http/auth.h"
#include "http/server.h"
#include "http/web_admin.h"
#include "http/webui.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "web/admin.h"
#include "web/html.h"

#define WEBUI_SSO_COOKIE	"aims_sso"

static void
webui_sso_cookie(struct http_ctx *c, const char *value, int max_age)
{
	char cookie[WEBUI_COOKIE_MAX + 128];

	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/sso; HttpOnly; SameSite=Lax; Max-Age=%d%s",
	    WEBUI_SSO_COOKIE, value, max_age,
	    c->cfg != NULL && c->cfg->secure_cookies ? "; Secure" : "");
	http_resp_add_header(&c->resp, "Set-Cookie", cookie);
}

static void
webui_sso_error(struct http_ctx *c, int status, const char *message)
{
	struct buf page = BUF_INIT;

	web_page_sso_error(&page, message);
	webui_send(c, status, &page);
}

int
webui_sso_start(struct http_ctx *c)
{
	const char *slug = http_query(c, "org"), *next = http_query(c, "next");
	char state[OIDC_STATE_LEN], msg[AIMS_ERROR_MSG_MAX + 2], *url = NULL;
	struct buf cb = BUF_INIT, page = BUF_INIT;
	int rc;

	if (!web_next_is_local(next) || strlen(next) > WEBUI_NEXT_MAX)
		next = NULL;
	webui_site_url(&cb, c);
	buf_puts(&cb, WEB_SSO_CALLBACK_PATH);
	rc = oidc_begin(&url, state, c->db, slug, buf_str(&cb), next, clock_now());
	buf_free(&cb);
	if (rc != 0) {
		if (http_status_of(rc) >= 500)
			return rc;
		webui_sentence(msg, sizeof(msg));
		webui_sso_error(c, rc == AIMS_ENOTFOUND ? 404 : 502, msg);
		return 0;
	}
	webui_sso_cookie(c, state, OIDC_LOGIN_SEC);
	sodium_memzero(state, sizeof(state));
	/*
	 * A page that moves on by itself rather than a redirect: the sign-in
	 * form's Content-Security-Policy (form-action 'self') forbids a form
	 * submission to end at another site, and the provider is one.
	 */
	web_page_sso_continue(&page, url);
	webui_send(c, 200, &page);
	http_resp_header(&c->resp, "Referrer-Policy", "no-referrer");
	free(url);
	return 0;
}

int
webui_sso_callback(struct http_ctx *c)
{
	const char *state = http_query(c, "state"), *cookie = http_header(c->req, "Cookie");
	const char *error = http_query(c, "error");
	char bound[WEBUI_COOKIE_MAX], msg[AIMS_ERROR_MSG_MAX + 2], token[SESSION_TOKEN_LEN];
	char *slug = NULL, *next = NULL;
	struct buf url = BUF_INIT;
	struct session sess;
	int64_t user_id = 0;
	bool second = false;
	int rc;

	webui_sso_cookie(c, "", 0);
	if (cookie == NULL || state == NULL ||
	    !auth_cookie_value(bound, sizeof(bound), cookie, WEBUI_SSO_COOKIE) ||
	    strlen(bound) != strlen(state) || sodium_memcmp(bound, state, strlen(state)) != 0) {
		webui_sso_error(c, 403, "This sign-in was not started in this browser (state). "
		    "Start it again from the sign-in page.");
		return 0;
	}
	if (error != NULL) {
		snprintf(msg, sizeof(msg), "The provider did not sign you in: %.200s.", error);
		webui_sso_error(c, 401, msg);
		return 0;
	}
	rc = oidc_finish(&user_id, &slug, &next, c->db, state, http_query(c, "code"),
	    clock_now());
	if (rc != 0) {
		if (rc != AIMS_EUNAUTH)
			return rc;
		log_info("single sign-on refused: %s", aims_error_message());
		webui_sentence(msg, sizeof(msg));
		webui_sso_error(c, 401, msg);
		return 0;
	}
	if (*next == '\0') {
		buf_puts(&url, "/o/");
		buf_puts(&url, slug);
		buf_puts(&url, "/");
	} else
		buf_puts(&url, next);
	if ((rc = totp_enabled(&second, c->db, user_id)) != 0)
		goto done;
	if (second) {
		if ((rc = auth_challenge_start(token, c, user_id)) == 0)
			webui_code_challenge(c, token, buf_str(&url));
	} else if ((rc = auth_session_start(token, &sess, c, user_id)) == 0)
		webui_redirect(c, buf_str(&url));
	sodium_memzero(token, sizeof(token));
done:
	buf_free(&url);
	free(slug);
	free(next);
	return rc;
}

/* The provider's settings, as one change of the server's writer. */
static int
webui_sso_save_apply(struct db *db, void *arg)
{
	struct http_ctx *c = arg;

	return oidc_config_set(db, &c->actor, c->org_id, webui_posted(c, "issuer"),
	    webui_posted(c, "client_id"), webui_posted(c, "client_secret"));
}

int
webui_sso_save(struct http_ctx *c)
{
	const char *issuer = webui_posted(c, "issuer");
	struct buf url = BUF_INIT;
	int rc;

	rc = http_server_write(c->db, c->org_id, webui_sso_save_apply, c);
	if (rc != 0)
		return webui_settings_refused(c, rc);
	webui_flash(c, issuer != NULL && *issuer != '\0' ? "sso-saved" : "sso-removed", NULL);
	web_url_kind(&url, &c->web->ctx, "settings");
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
	return 0;
}
