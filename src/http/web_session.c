/*
 * web_session.c - the pages around a session: signing in (with the same
 * throttling and session as the API's POST /api/v1/session), signing out,
 * the start page that leads to the user's first organisation, and the
 * compiled-in static files.
 *
 * The sign-in form has no session to take a CSRF token from, so it carries
 * a random token that is also set as a short-lived cookie; a post whose
 * token does not match the cookie did not come from our form.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/member.h"
#include "core/session.h"
#include "http/auth.h"
#include "http/server.h"
#include "http/web_admin.h"
#include "http/webui.h"
#include "util/error.h"
#include "util/str.h"
#include "web/html.h"

#define WEBUI_SIGNIN_ERROR	"Wrong email or password."

int
webui_static(struct http_ctx *c)
{
	const struct web_asset *a = web_asset_find(http_param(c, "name"));

	if (a == NULL)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such file.");
	http_reply_text(c, 200, a->content_type, (const char *)a->data, a->len);
	http_resp_header(&c->resp, "Cache-Control", web_asset_cache_control(a,
	    http_query(c, "v")));
	c->resp.cacheable = true;
	return 0;
}

/* A local path to go to after signing in, or NULL. */
static const char *
webui_next(const char *next)
{
	if (!web_next_is_local(next) || strlen(next) > WEBUI_NEXT_MAX)
		return NULL;
	return next;
}

static int
webui_first_org(struct http_ctx *c)
{
	json_t *orgs = NULL;
	const char *slug;
	struct buf url = BUF_INIT, page = BUF_INIT;
	int rc;

	if ((rc = member_orgs_of_user(&orgs, c->db, c->who.user_id)) != 0)
		return rc;
	slug = json_string_value(json_object_get(json_array_get(orgs, 0), "slug"));
	if (slug != NULL) {
		buf_puts(&url, "/o/");
		html_url_escape(&url, slug);
		buf_putc(&url, '/');
		webui_redirect(c, buf_str(&url));
	} else {
		web_page_error(&page, NULL, 403, "You are signed in, but you are not a member of any "
		    "organisation yet. Ask an administrator to add you.");
		webui_send(c, 403, &page);
	}
	json_decref(orgs);
	buf_free(&url);
	return 0;
}

int
webui_home(struct http_ctx *c)
{
	return webui_first_org(c);
}

static void
webui_sign_in_form(struct http_ctx *c, int status, const struct web_sign_in *in)
{
	unsigned char raw[WEBUI_TOKEN_BYTES];
	char token[WEBUI_TOKEN_BYTES * 2 + 1], cookie[WEBUI_COOKIE_MAX];
	struct web_sign_in s = *in;
	struct buf page = BUF_INIT;

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/sign-in; HttpOnly; SameSite=Strict; "
	    "Max-Age=%d%s", WEBUI_SIGNIN_COOKIE, token, WEBUI_SIGNIN_MAX_AGE,
	    c->cfg != NULL && c->cfg->secure_cookies ? "; Secure" : "");
	http_resp_add_header(&c->resp, "Set-Cookie", cookie);
	s.csrf = token;
	web_page_sign_in(&page, &s);
	webui_send(c, status, &page);
}

int
webui_sign_in_page(struct http_ctx *c)
{
	struct web_sign_in s = { .next = webui_next(http_query(c, "next")) };

	if (c->who.kind == HTTP_SESSION) {
		if (s.next != NULL) {
			webui_redirect(c, s.next);
			return 0;
		}
		return webui_first_org(c);
	}
	s.notice = c->web->ctx.flash;
	webui_sign_in_form(c, 200, &s);
	return 0;
}

/* The posted form token equals the sign-in cookie. */
static bool
webui_sign_in_token_ok(struct http_ctx *c)
{
	const char *cookie = http_header(c->req, "Cookie");
	const char *posted = webui_posted(c, WEB_CSRF_FIELD);
	char value[WEBUI_COOKIE_MAX];
	size_t n;

	if (cookie == NULL || posted == NULL ||
	    !auth_cookie_value(value, sizeof(value), cookie, WEBUI_SIGNIN_COOKIE))
		return false;
	n = strlen(value);
	return n > 0 && strlen(posted) == n && sodium_memcmp(value, posted, n) == 0;
}

int
webui_sign_in(struct http_ctx *c)
{
	const char *email = webui_posted(c, "email"), *password = webui_posted(c, "password");
	struct web_sign_in s = { .email = email, .next = webui_next(webui_posted(c, "next")) };
	char token[SESSION_TOKEN_LEN];
	struct session sess;
	int rc, status;

	if (!webui_sign_in_token_ok(c)) {
		s.error = "This sign-in form has expired. Please sign in again.";
		webui_sign_in_form(c, 403, &s);
		return 0;
	}
	if (email == NULL || password == NULL || *email == '\0' || *password == '\0' ||
	    strlen(email) > EMAIL_MAX || strlen(password) > AUTH_PASSWORD_MAX) {
		s.error = "Enter your email and your password.";
		webui_sign_in_form(c, 400, &s);
		return 0;
	}
	rc = auth_sign_in(token, &sess, &s.retry_after, c, email, password);
	if (rc == 0 && sess.id == 0) {
		webui_code_challenge(c, token, s.next);
		sodium_memzero(token, sizeof(token));
		return 0;
	}
	sodium_memzero(token, sizeof(token));
	if (rc == 0) {
		http_resp_add_header(&c->resp, "Set-Cookie", WEBUI_SIGNIN_COOKIE "=; Path=/sign-in; "
		    "HttpOnly; SameSite=Strict; Max-Age=0");
		if (s.next != NULL)
			webui_redirect(c, s.next);
		else
			webui_redirect(c, "/");
		return 0;
	}
	status = http_status_of(rc);
	if (rc == AIMS_EUNAUTH)
		s.error = WEBUI_SIGNIN_ERROR;
	else if (rc != AIMS_ETHROTTLED)
		s.error = status >= 500 ? "Signing in is not possible right now; try again shortly." :
		    aims_error_message();
	webui_sign_in_form(c, status, &s);
	return 0;
}

int
webui_sign_out(struct http_ctx *c)
{
	const char *cookie = http_header(c->req, "Cookie");
	char token[WEBUI_COOKIE_MAX];
	int rc = 0;

	if (cookie != NULL && auth_cookie_value(token, sizeof(token), cookie, AUTH_COOKIE))
		rc = auth_session_end(c, token);
	sodium_memzero(token, sizeof(token));
	if (rc != 0)
		return rc;
	auth_session_cookie(c, "", 0);
	webui_flash(c, "signed-out", NULL);
	webui_redirect(c, "/sign-in");
	return 0;
}
