/*
 * web_links.c - the pages a link opens: accepting an invitation, asking
 * for a password reset link, and setting a new password from one. They
 * are public routes (the person may have no account or session yet): the
 * secret token in the path is what they prove, and unknown, used and
 * expired tokens all get the same page.
 *
 * CSRF: a form posting to a token's path cannot be forged by another site
 * without the token; when the person is signed in the session's form token
 * is checked too. The request form of /reset has no session and no secret,
 * so it carries a random token also set as a short-lived cookie scoped to
 * /reset (as the sign-in form does): a post whose token does not match did
 * not come from our page. Asking for links is throttled per network, and
 * the answer is the same whether or not the address has an account.
 */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/invite.h"
#include "core/notify.h"
#include "core/pwreset.h"
#include "core/throttle.h"
#include "core/user.h"
#include "http/auth.h"
#include "http/server.h"
#include "http/web_admin.h"
#include "http/webui.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"
#include "web/admin.h"

#define WEBUI_FORM_MAX_AGE	3600

static const struct throttle_policy webui_reset_policy = WEBUI_RESET_POLICY;
static const struct throttle_policy webui_reset_mail_policy = WEBUI_RESET_MAIL_POLICY;

/* A signed-in person's session (web pages do not take API tokens). */
static void
webui_link_identify(struct http_ctx *c)
{
	if (auth_identify(c) != 0 || c->who.kind != HTTP_SESSION)
		memset(&c->who, 0, sizeof(c->who));
	aims_error_clear();
}

/* A signed-in post must carry the session's form token. */
static int
webui_link_csrf(struct http_ctx *c)
{
	const char *tok = webui_posted(c, WEB_CSRF_FIELD);
	size_t n = strlen(c->who.csrf);

	if (c->who.kind != HTTP_SESSION)
		return 0;
	if (tok != NULL && n > 0 && strlen(tok) == n && sodium_memcmp(tok, c->who.csrf, n) == 0)
		return 0;
	return aims_error_set(AIMS_EFORBIDDEN, WEB_CSRF_FIELD,
	    "This form has expired or was not sent from this site. Open the link again.");
}

/* ---- invitations -------------------------------------------------------- */

static int
webui_invite_show(struct http_ctx *c, int status, struct web_invite_view *v)
{
	struct buf page = BUF_INIT;
	json_t *inv = NULL;
	char msg[AIMS_ERROR_MSG_MAX + 2];
	int rc;

	v->token = http_param(c, "token");
	v->min_length = USER_PASSWORD_MIN;
	if (c->who.kind == HTTP_SESSION) {
		v->signed_in = c->who.email;
		v->csrf = c->who.csrf;
	}
	if ((rc = invite_find(&inv, c->db, v->token, clock_now())) != 0) {
		if (rc != AIMS_ENOTFOUND)
			return rc;
		webui_sentence(msg, sizeof(msg));
		v->error = msg;
		status = 404;
	}
	v->invite = inv;
	web_page_invite(&page, v);
	webui_send(c, status, &page);
	json_decref(inv);
	return 0;
}

int
webui_invite_page(struct http_ctx *c)
{
	struct web_invite_view v = { 0 };

	webui_link_identify(c);
	return webui_invite_show(c, 200, &v);
}

/*
 * Accepting, as one change of the server's writer (the store's: it may make
 * an account), the password hashed before it.
 */
struct webui_accept {
	const char	*token, *display_name;
	int64_t		 user_id;
	char		 hash[USER_HASH_MAX];
	char		*slug;
};

static int
webui_invite_accept_apply(struct db *db, void *arg)
{
	struct webui_accept *a = arg;

	return invite_accept_hashed(&a->slug, NULL, db, a->token, a->user_id, a->display_name,
	    a->hash, clock_now());
}

int
webui_invite_accept(struct http_ctx *c)
{
	struct webui_accept a = { 0 };
	char field[WEB_FORM_NAME_MAX];
	struct web_invite_view v = { .display_name = webui_posted(c, "display_name") };
	const char *pw = webui_posted(c, "password"), *again = webui_posted(c, "password_again");
	char msg[AIMS_ERROR_MSG_MAX + 2], *slug = NULL;
	struct buf url = BUF_INIT;
	int rc;

	if ((rc = webui_link_csrf(c)) != 0)
		return rc;
	a.token = http_param(c, "token");
	a.user_id = c->who.kind == HTTP_SESSION ? c->who.user_id : 0;
	a.display_name = v.display_name;
	if (c->who.kind != HTTP_SESSION && (pw == NULL || again == NULL || strcmp(pw, again) != 0))
		rc = aims_error_set(AIMS_EINVALID, "password_again", "the two passwords differ");
	else if ((rc = invite_prepare(a.hash, a.token, a.user_id, pw)) == 0)
		rc = http_server_write(c->db, 0, webui_invite_accept_apply, &a);
	sodium_memzero(a.hash, sizeof(a.hash));
	slug = a.slug;
	if (rc == 0) {
		/* A new account signs in with its new password; a signed-in one goes straight in. */
		if (c->who.kind == HTTP_SESSION) {
			buf_puts(&url, "/o/");
			buf_puts(&url, slug);
			buf_puts(&url, "/");
		} else {
			buf_puts(&url, "/sign-in?next=%2Fo%2F");
			buf_puts(&url, slug);
			buf_puts(&url, "%2F");
			webui_flash(c, "joined", NULL);
		}
		webui_redirect(c, buf_str(&url));
		buf_free(&url);
		free(slug);
		return 0;
	}
	if (http_status_of(rc) >= 500)
		return rc;
	webui_sentence(msg, sizeof(msg));
	v.error = msg;
	snprintf(field, sizeof(field), "%s", aims_error_field());
	v.error_field = field;
	return webui_invite_show(c, http_status_of(rc) == 400 ? 422 : http_status_of(rc), &v);
}

/* ---- password reset ----------------------------------------------------- */

/* The request form's token, also set as a cookie for /reset. */
static void
webui_reset_form(struct http_ctx *c, int status, struct web_reset_view *v)
{
	unsigned char raw[WEBUI_TOKEN_BYTES];
	char token[WEBUI_TOKEN_BYTES * 2 + 1], cookie[WEBUI_COOKIE_MAX];
	struct buf page = BUF_INIT;

	/* Reset links are mailed only to the operator's site_url (webui_mail_base). */
	v->mail = webui_mails(c) && c->cfg->site_url != NULL;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/reset; HttpOnly; SameSite=Strict; "
	    "Max-Age=%d%s", WEBUI_FORM_COOKIE, token, WEBUI_FORM_MAX_AGE,
	    c->cfg != NULL && c->cfg->secure_cookies ? "; Secure" : "");
	http_resp_add_header(&c->resp, "Set-Cookie", cookie);
	v->csrf = token;
	v->min_length = USER_PASSWORD_MIN;
	web_page_reset(&page, v);
	webui_send(c, status, &page);
}

static bool
webui_reset_form_ok(struct http_ctx *c)
{
	const char *cookie = http_header(c->req, "Cookie");
	const char *posted = webui_posted(c, WEB_CSRF_FIELD);
	char value[WEBUI_COOKIE_MAX];
	size_t n;

	if (cookie == NULL || posted == NULL ||
	    !auth_cookie_value(value, sizeof(value), cookie, WEBUI_FORM_COOKIE))
		return false;
	n = strlen(value);
	return n > 0 && strlen(posted) == n && sodium_memcmp(value, posted, n) == 0;
}

int
webui_reset_page(struct http_ctx *c)
{
	struct web_reset_view v = { 0 };

	webui_reset_form(c, 200, &v);
	return 0;
}

/* A failure counted under key, as one change of the server's writer (the store's). */
struct webui_count {
	const char			*key;
	const struct throttle_policy	*policy;
};

static int
webui_count_apply(struct db *db, void *arg)
{
	const struct webui_count *n = arg;

	return throttle_fail(db, n->key, n->policy, clock_now());
}

static int
webui_count(struct http_ctx *c, const char *key, const struct throttle_policy *policy)
{
	struct webui_count n = { key, policy };

	return http_server_write(c->db, 0, webui_count_apply, &n);
}

/*
 * The asking counted and, when there is a link to send (url: the site's
 * base), the link and its mail: one change of the server's writer, so that
 * the link exists only with its mail (the outbox retries the mail).
 */
struct webui_reset_mail {
	const char	*email, *key;
	struct buf	*url;		/* NULL: count only */
};

static int
webui_reset_mail_apply(struct db *db, void *arg)
{
	const struct webui_reset_mail *m = arg;
	char token[PWRESET_TOKEN_LEN] = "";
	struct buf text = BUF_INIT;
	json_t *user = NULL;
	int64_t uid = 0;
	int rc;

	if ((rc = throttle_fail(db, m->key, &webui_reset_mail_policy, clock_now())) != 0 ||
	    m->url == NULL)
		return rc;
	if ((rc = pwreset_create(token, db, m->email, true, clock_now())) != 0 || *token == '\0')
		goto done;
	if ((rc = user_id_by_email(&uid, db, m->email)) != 0 ||
	    (rc = user_get(&user, db, uid)) != 0)
		goto done;
	buf_puts(m->url, WEB_RESET_PATH);
	buf_puts(m->url, token);
	buf_printf(&text, "Someone (we hope you) asked to set a new password for %s on "
	    "OpenAIMS.\n\nSet it here (the link works once, within an hour):\n\n%s\n\n"
	    "If you did not ask, ignore this mail: your password stays as it is.\n",
	    json_string_value(json_object_get(user, "email")), buf_str(m->url));
	rc = notify_mail_link(db, 0, uid, NOTIFY_PASSWORD_RESET,
	    json_string_value(json_object_get(user, "email")), "Set a new password for OpenAIMS",
	    buf_str(&text));
done:
	sodium_memzero(token, sizeof(token));
	if (text.data != NULL)
		sodium_memzero(text.data, text.len);
	buf_free(&text);
	json_decref(user);
	return rc;
}

/*
 * Mails a reset link to email's account, if there is one and the address
 * has not asked too often; nothing tells the caller which.
 */
static int
webui_reset_mail(struct http_ctx *c, const char *email)
{
	char key[THROTTLE_KEY_MAX];
	struct buf url = BUF_INIT;
	struct webui_reset_mail m = { .email = email, .key = key };
	size_t i;
	int wait = 0, rc;

	/* Per address too: many networks asking for one address mail it a few times at most. */
	snprintf(key, sizeof(key), "reset-mail:%s", email);
	for (i = 0; key[i] != '\0'; i++)
		key[i] = (char)tolower((unsigned char)key[i]);
	if ((rc = throttle_check(&wait, c->db, key, clock_now())) != 0) {
		if (rc != AIMS_ETHROTTLED)
			return rc;
		aims_error_clear();
		return 0;
	}
	/* Without site_url no link: a stranger's Host header must not choose it. */
	if (webui_mail_base(&url, c, false))
		m.url = &url;
	rc = http_server_write(c->db, 0, webui_reset_mail_apply, &m);
	if (url.data != NULL)
		sodium_memzero(url.data, url.len);
	buf_free(&url);
	return rc;
}

int
webui_reset_request(struct http_ctx *c)
{
	struct web_reset_view v = { .email = webui_posted(c, "email"),
	    .mail = webui_mails(c) && c->cfg->site_url != NULL };
	char key[THROTTLE_KEY_MAX], net[AUTH_NET_MAX];
	int rc;

	if (!webui_reset_form_ok(c)) {
		v.error = "This form has expired or was not sent from this site. Please try again.";
		webui_reset_form(c, 403, &v);
		return 0;
	}
	auth_client_net(net, c->req->client_addr != NULL ? c->req->client_addr : "");
	snprintf(key, sizeof(key), "reset:%s", net);
	if ((rc = throttle_check(&v.retry_after, c->db, key, clock_now())) != 0) {
		if (rc != AIMS_ETHROTTLED)
			return rc;
		webui_reset_form(c, 429, &v);
		return 0;
	}
	/* Every request counts, found or not: the budget is per network, not per account. */
	if ((rc = webui_count(c, key, &webui_reset_policy)) != 0)
		return rc;
	if (v.email == NULL || !str_is_email(v.email)) {
		v.error = "Enter a valid email address.";
		v.error_field = "email";
		webui_reset_form(c, 422, &v);
		return 0;
	}
	/*
	 * Without mail no link is made here: one made for whoever asked could
	 * not be delivered to the address, and would void a link an admin has
	 * just handed its owner (a newer link voids the older). The page says
	 * who can give one. With mail, the link goes to the address. The same
	 * page either way, whether or not the address has an account.
	 */
	if (v.mail && (rc = webui_reset_mail(c, v.email)) != 0)
		return rc;
	v.asked = true;
	webui_reset_form(c, 200, &v);
	return 0;
}

static int
webui_reset_show(struct http_ctx *c, int status, struct web_reset_view *v)
{
	json_t *r = NULL;
	char msg[AIMS_ERROR_MSG_MAX + 2];
	struct buf page = BUF_INIT;
	int rc;

	v->token = http_param(c, "token");
	v->min_length = USER_PASSWORD_MIN;
	if ((rc = pwreset_find(&r, c->db, v->token, clock_now())) == 0) {
		v->valid = true;
		v->email = json_string_value(json_object_get(r, "email"));
	} else if (rc == AIMS_ENOTFOUND) {
		webui_sentence(msg, sizeof(msg));
		v->error = msg;
		status = 404;
	} else
		return rc;
	web_page_reset(&page, v);
	webui_send(c, status, &page);
	json_decref(r);
	return 0;
}

int
webui_reset_link_page(struct http_ctx *c)
{
	struct web_reset_view v = { 0 };

	return webui_reset_show(c, 200, &v);
}

/* The link spent and the password set, one change of the writer, hashed before it. */
struct webui_reset {
	const char	*token;
	char		 hash[USER_HASH_MAX];
};

static int
webui_reset_use_apply(struct db *db, void *arg)
{
	const struct webui_reset *r = arg;

	return pwreset_use_hashed(db, r->token, r->hash, clock_now());
}

int
webui_reset_use(struct http_ctx *c)
{
	struct webui_reset r = { 0 };
	char field[WEB_FORM_NAME_MAX];
	struct web_reset_view v = { 0 };
	const char *pw = webui_posted(c, "password"), *again = webui_posted(c, "password_again");
	char msg[AIMS_ERROR_MSG_MAX + 2];
	int rc;

	r.token = http_param(c, "token");
	if (pw == NULL || again == NULL || strcmp(pw, again) != 0)
		rc = aims_error_set(AIMS_EINVALID, "password_again", "the two passwords differ");
	else if ((rc = pwreset_prepare(r.hash, r.token, pw)) == 0)
		rc = http_server_write(c->db, 0, webui_reset_use_apply, &r);
	sodium_memzero(r.hash, sizeof(r.hash));
	if (rc == 0) {
		webui_flash(c, "password-reset", NULL);
		webui_redirect(c, "/sign-in");
		return 0;
	}
	if (http_status_of(rc) >= 500)
		return rc;
	webui_sentence(msg, sizeof(msg));
	v.error = msg;
	snprintf(field, sizeof(field), "%s", aims_error_field());
	v.error_field = field;
	return webui_reset_show(c, http_status_of(rc) == 400 ? 422 : http_status_of(rc), &v);
}
