/*
 * web_concerns.c - the public pages of the concern reporting channel
 * (A.3.3, core/concern.h): the report form of an organisation whose channel
 * is open, and the page where a reporter reads the replies.
 *
 * Nobody is signed in here, so each form carries a random token that is
 * also set as a short-lived SameSite=Strict cookie (as the sign-in form
 * does), on top of the same-site check every POST goes through
 * (web_routes.c): a post whose token does not match did not come from our
 * page. The report key is posted, never put in a URL, so it stays out of
 * the history, Referer headers and the access log. Both forms count
 * against the same per-network limits as the API (api_concerns.c).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/concern.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/server.h"
#include "http/webui.h"
#include "util/error.h"
#include "web/html.h"

#define WEBUI_CONCERN_COOKIE	"aims_concern"
#define WEBUI_CONCERN_MAX_AGE	7200	/* time to write a report */

/* A fresh form token, set as the cookie it must match. */
static void
webui_concern_token(struct http_ctx *c, char token[WEBUI_TOKEN_BYTES * 2 + 1])
{
	unsigned char raw[WEBUI_TOKEN_BYTES];
	char cookie[WEBUI_COOKIE_MAX];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, WEBUI_TOKEN_BYTES * 2 + 1, raw, sizeof(raw));
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/public/; HttpOnly; SameSite=Strict; "
	    "Max-Age=%d%s", WEBUI_CONCERN_COOKIE, token, WEBUI_CONCERN_MAX_AGE,
	    c->cfg != NULL && c->cfg->secure_cookies ? "; Secure" : "");
	http_resp_add_header(&c->resp, "Set-Cookie", cookie);
}

/* The posted form token equals the cookie (constant time). */
static int
webui_concern_token_check(struct http_ctx *c)
{
	const char *cookie = http_header(c->req, "Cookie");
	const char *posted = webui_posted(c, WEB_CSRF_FIELD);
	char value[WEBUI_COOKIE_MAX];
	size_t n;

	if (cookie != NULL && posted != NULL &&
	    auth_cookie_value(value, sizeof(value), cookie, WEBUI_CONCERN_COOKIE) &&
	    (n = strlen(value)) > 0 && strlen(posted) == n &&
	    sodium_memcmp(value, posted, n) == 0)
		return 0;
	return aims_error_set(AIMS_EFORBIDDEN, WEB_CSRF_FIELD,
	    "This form has expired or was not sent from this site. Open the page again and "
	    "send the form from there.");
}

static void
webui_concern_page(struct http_ctx *c, int status, struct web_concern *v,
    void (*draw)(struct buf *, const struct web_concern *))
{
	char token[WEBUI_TOKEN_BYTES * 2 + 1];
	struct buf page = BUF_INIT;

	webui_concern_token(c, token);
	v->csrf = token;
	v->text_min = CONCERN_TEXT_MIN;
	v->text_max = CONCERN_TEXT_MAX;
	draw(&page, v);
	webui_send(c, status, &page);
}

int
webui_concern_form(struct http_ctx *c)
{
	struct web_concern v = { .org = http_param(c, "org") };
	char *name = NULL;
	int64_t org_id;
	int rc;

	if ((rc = concern_channel_find(&org_id, &name, c->db, v.org)) != 0)
		return rc;
	v.org_name = name;
	webui_concern_page(c, 200, &v, web_page_concern_form);
	free(name);
	return 0;
}

int
webui_concern_send(struct http_ctx *c)
{
	struct web_concern v = { .org = http_param(c, "org"), .text = webui_posted(c, "text") };
	char key[CONCERN_KEY_LEN], why[AIMS_ERROR_MSG_MAX], *name = NULL;
	struct buf page = BUF_INIT;
	int64_t org_id;
	int rc, status;

	if ((rc = concern_channel_find(&org_id, &name, c->db, v.org)) != 0)
		return rc;
	v.org_name = name;
	if ((rc = webui_concern_token_check(c)) != 0 ||
	    (rc = http_concern_limit(c, "concern", CONCERN_PER_HOUR, 3600)) != 0 ||
	    (rc = concern_submit(key, c->db, v.org, v.text != NULL ? v.text : "")) != 0) {
		status = http_status_of(rc);
		if (status >= 500)
			goto done;
		/* Shown on the form again, with what was written kept. */
		snprintf(why, sizeof(why), "%s", aims_error_message());
		v.error = why;
		webui_concern_page(c, status, &v, web_page_concern_form);
		rc = 0;
		goto done;
	}
	v.key = key;
	web_page_concern_sent(&page, &v);
	webui_send(c, 201, &page);
	sodium_memzero(key, sizeof(key));
done:
	free(name);
	return rc;
}

/* A member opens or closes the channel (the route table asks org write: manager, admin). */
int
webui_concern_channel(struct http_ctx *c)
{
	const char *open = webui_posted(c, "open");
	struct buf url = BUF_INIT;
	int rc;

	if (open == NULL || (strcmp(open, "1") != 0 && strcmp(open, "0") != 0))
		return aims_error_set(AIMS_EINVALID, "open", "Say whether to open (1) or close (0) "
		    "the channel.");
	if ((rc = concern_channel_set(NULL, c->db, &c->actor, c->org_id, open[0] == '1')) != 0)
		return rc;
	web_url_kind(&url, &c->web->ctx, CONCERN_KIND);
	webui_flash(c, "channel", "-");
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
	return 0;
}

int
webui_concern_lookup(struct http_ctx *c)
{
	struct web_concern v = { 0 };

	webui_concern_page(c, 200, &v, web_page_concern_lookup);
	return 0;
}

int
webui_concern_read(struct http_ctx *c)
{
	struct web_concern v = { 0 };
	struct buf page = BUF_INIT;
	json_t *report = NULL;
	int64_t org_id = 0;
	int rc, status;

	if ((rc = webui_concern_token_check(c)) != 0 ||
	    (rc = http_concern_limit(c, "concern-read", CONCERN_READS_PER_MINUTE, 60)) != 0 ||
	    (rc = concern_read(&report, &org_id, c->db, webui_posted(c, "key"))) != 0) {
		status = http_status_of(rc);
		if (status >= 500)
			return rc;
		v.error = rc == AIMS_ENOTFOUND ? "No report has this key. Check that you copied "
		    "all of it." : aims_error_message();
		webui_concern_page(c, status, &v, web_page_concern_lookup);
		return 0;
	}
	/* The times in the organisation's own zone, as its members see them. */
	web_page_concern_read(&page, report, webui_org_zone(c->db, org_id));
	webui_send(c, 200, &page);
	json_decref(report);
	return 0;
}
