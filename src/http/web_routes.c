/*
 * web_routes.c - the web pages' route table and what every page request
 * goes through before its handler: matching, who is signed in, the
 * same-site and CSRF checks of a POST and the decoding of its form, the
 * organisation and the caller's role in it, the permission for the kind of
 * record, and the page context (navigation, organisation switcher, flash
 * message). Also the replies shared by the handlers: pages, redirects,
 * flash messages and error pages.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/member.h"
#include "core/notify.h"
#include "core/perm.h"
#include "core/session.h"
#include "http/auth.h"
#include "http/server.h"
#include "http/web_admin.h"
#include "http/webui.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"
#include "web/html.h"

#define WEBUI_REFERRER_POLICY	"same-origin"
#define WEBUI_FORM_TYPE		"application/x-www-form-urlencoded"
#define WEBUI_MULTIPART_TYPE	"multipart/form-data"

#define W_PUB(m, p, h) \
	{ m, p, h, ROUTE_PUBLIC, PERM_READ, PERM_KIND_ORG, NULL, NULL, ROUTE_RAW, 200, NULL, \
	    "web", p }
#define W_USER(m, p, h) \
	{ m, p, h, ROUTE_USER, PERM_READ, PERM_KIND_ORG, NULL, NULL, ROUTE_RAW, 200, NULL, \
	    "web", p }
/* kind: the permission kind, or PERM_KIND_COUNT when the path's {kind} decides. */
#define W_ORG(m, p, h, act, kind) \
	{ m, p, h, ROUTE_ORG, act, kind, NULL, NULL, ROUTE_RAW, 200, NULL, "web", p }
/* A page that costs one of the caller's heavy reads (budget.h). */
#define W_ORG_HEAVY(m, p, h, act, kind) \
	{ m, p, h, ROUTE_ORG, act, kind, NULL, NULL, ROUTE_RAW | ROUTE_HEAVY, 200, NULL, "web", p }
#define BY_KIND	PERM_KIND_COUNT

const struct route webui_routes[] = {
	W_USER("GET", "/", webui_home),
	W_PUB("GET", "/sign-in", webui_sign_in_page),
	W_PUB("POST", "/sign-in", webui_sign_in),
	W_USER("POST", "/sign-out", webui_sign_out),
	W_USER("GET", WEB_PASSWORD_PATH, webui_password_page),
	W_USER("POST", WEB_PASSWORD_PATH, webui_password_change),
	W_PUB("GET", "/sso", webui_sso_start),
	W_PUB("GET", "/sso/callback", webui_sso_callback),
	W_PUB("GET", "/sign-in/code", webui_sign_in_code_page),
	W_PUB("POST", "/sign-in/code", webui_sign_in_code),
	W_USER("GET", "/account", webui_account),
	W_USER("GET", "/account/second-factor", webui_second_factor),
	W_USER("POST", "/account/second-factor/start", webui_second_factor_start),
	W_USER("POST", "/account/second-factor/confirm", webui_second_factor_confirm),
	W_USER("POST", "/account/second-factor/disable", webui_second_factor_disable),
	W_USER("POST", "/account/sessions/end-others", webui_sessions_end_others),
	W_USER("POST", "/account/sessions/{id}/end", webui_session_end),
	W_USER("GET", "/orgs/new", webui_org_new),
	W_USER("POST", "/orgs/new", webui_org_create),
	W_USER("GET", "/portfolio", webui_portfolio),
	W_PUB("GET", "/invite/{token}", webui_invite_page),
	W_PUB("POST", "/invite/{token}", webui_invite_accept),
	W_PUB("GET", "/reset", webui_reset_page),
	W_PUB("POST", "/reset", webui_reset_request),
	W_PUB("GET", "/reset/{token}", webui_reset_link_page),
	W_PUB("POST", "/reset/{token}", webui_reset_use),
	W_PUB("GET", "/static/{name}", webui_static),
	W_PUB("GET", "/public/orgs/{org}/concerns", webui_concern_form),
	W_PUB("POST", "/public/orgs/{org}/concerns", webui_concern_send),
	W_PUB("GET", "/public/concerns", webui_concern_lookup),
	W_PUB("POST", "/public/concerns", webui_concern_read),
	W_ORG("GET", "/o/{org}", webui_org_home, PERM_READ, PERM_KIND_ORG),
	W_ORG("GET", "/o/{org}/", webui_dashboard, PERM_READ, PERM_KIND_ORG),
	W_ORG_HEAVY("GET", "/o/{org}/readiness", webui_readiness, PERM_READ, PERM_KIND_GOVERNANCE),
	W_ORG("GET", "/o/{org}/ai-roles", webui_ai_roles, PERM_READ, PERM_KIND_ORG),
	W_ORG("POST", "/o/{org}/ai-roles", webui_ai_roles_save, PERM_WRITE, PERM_KIND_ORG),
	W_ORG_HEAVY("GET", "/o/{org}/coverage", webui_coverage, PERM_READ, PERM_KIND_GOVERNANCE),
	W_ORG("GET", "/o/{org}/ai-systems/{ref}/eu-ai-act", webui_euact, PERM_READ,
	    PERM_KIND_OPERATIONAL),
	W_ORG("POST", "/o/{org}/ai-systems/{ref}/eu-ai-act", webui_euact_obligations, PERM_WRITE,
	    PERM_KIND_OPERATIONAL),
	W_ORG("GET", "/o/{org}/soa", webui_soa_page, PERM_READ, PERM_KIND_GOVERNANCE),
	W_ORG("GET", "/o/{org}/soa/versions", webui_soa_versions, PERM_READ, PERM_KIND_GOVERNANCE),
	W_ORG("POST", "/o/{org}/soa/versions", webui_soa_publish, PERM_APPROVE,
	    PERM_KIND_GOVERNANCE),
	W_ORG("POST", "/o/{org}/soa/bulk", webui_soa_bulk, PERM_WRITE, PERM_KIND_GOVERNANCE),
	W_ORG("POST", "/o/{org}/soa/{ctl}", webui_soa_save, PERM_WRITE, PERM_KIND_GOVERNANCE),
	W_ORG("GET", "/o/{org}/members", webui_members, PERM_READ, PERM_KIND_MEMBERSHIP),
	W_ORG("POST", "/o/{org}/members/invite", webui_member_invite, PERM_WRITE,
	    PERM_KIND_MEMBERSHIP),
	W_ORG("POST", "/o/{org}/members/invites/{id}/withdraw", webui_invite_withdraw, PERM_WRITE,
	    PERM_KIND_MEMBERSHIP),
	W_ORG("POST", "/o/{org}/members/{email}/role", webui_member_role, PERM_WRITE,
	    PERM_KIND_MEMBERSHIP),
	W_ORG("POST", "/o/{org}/members/{email}/remove", webui_member_remove, PERM_DELETE,
	    PERM_KIND_MEMBERSHIP),
	W_ORG("POST", "/o/{org}/members/{email}/reset-link", webui_member_reset_link, PERM_ADMIN,
	    PERM_KIND_MEMBERSHIP),
	W_ORG("GET", "/o/{org}/settings", webui_settings, PERM_READ, PERM_KIND_ORG),
	W_ORG("POST", "/o/{org}/settings", webui_settings_save, PERM_WRITE, PERM_KIND_ORG),
	W_ORG("POST", "/o/{org}/settings/sso", webui_sso_save, PERM_ADMIN, PERM_KIND_ORG),
	W_ORG("GET", "/o/{org}/tokens", webui_tokens, PERM_READ, PERM_KIND_TOKEN),
	W_ORG("POST", "/o/{org}/tokens", webui_token_create, PERM_WRITE, PERM_KIND_TOKEN),
	W_ORG("POST", "/o/{org}/tokens/{id}/revoke", webui_token_revoke, PERM_DELETE,
	    PERM_KIND_TOKEN),
	W_ORG("GET", "/o/{org}/competence-gaps", webui_competence_gaps, PERM_READ,
	    PERM_KIND_GOVERNANCE),
	W_ORG("POST", "/o/{org}/members/{email}/disable", webui_member_disable, PERM_ADMIN,
	    PERM_KIND_MEMBERSHIP),
	W_ORG("POST", "/o/{org}/members/{email}/enable", webui_member_enable, PERM_ADMIN,
	    PERM_KIND_MEMBERSHIP),
	W_ORG("GET", "/o/{org}/pack", webui_pack_page, PERM_READ, PERM_KIND_LEDGER),
	W_ORG_HEAVY("POST", "/o/{org}/pack", webui_pack_start, PERM_READ, PERM_KIND_LEDGER),
	W_ORG_HEAVY("GET", "/o/{org}/pack/{id}/download", webui_pack_download, PERM_READ,
	    PERM_KIND_LEDGER),
	W_ORG("POST", "/o/{org}/concern-channel", webui_concern_channel, PERM_WRITE,
	    PERM_KIND_ORG),
	W_ORG("GET", "/o/{org}/my-audits", webui_my_audits, PERM_READ, PERM_KIND_AUDIT),
	W_ORG("GET", "/o/{org}/my-work", webui_my_work, PERM_READ, PERM_KIND_ORG),
	W_ORG("POST", "/o/{org}/my-work/mail", webui_my_mail, PERM_READ, PERM_KIND_ORG),
	W_ORG("POST", "/o/{org}/my-work/feeds", webui_feed_create, PERM_READ, PERM_KIND_ORG),
	W_ORG("POST", "/o/{org}/my-work/feeds/{id}/revoke", webui_feed_revoke, PERM_READ,
	    PERM_KIND_ORG),
	W_ORG("GET", "/o/{org}/notifications", webui_notifications, PERM_READ, PERM_KIND_ORG),
	W_ORG("POST", "/o/{org}/notifications/read", webui_notifications_read, PERM_READ,
	    PERM_KIND_ORG),
	W_ORG("GET", "/o/{org}/webhooks", webui_webhooks, PERM_ADMIN, PERM_KIND_ORG),
	W_ORG("POST", "/o/{org}/webhooks", webui_webhook_create, PERM_ADMIN, PERM_KIND_ORG),
	W_ORG("POST", "/o/{org}/webhooks/{id}/enable", webui_webhook_enable, PERM_ADMIN,
	    PERM_KIND_ORG),
	W_ORG("POST", "/o/{org}/webhooks/{id}/delete", webui_webhook_delete, PERM_ADMIN,
	    PERM_KIND_ORG),
	W_ORG("GET", "/o/{org}/calendar", webui_calendar, PERM_READ, PERM_KIND_ORG),
	W_ORG("GET", "/o/{org}/audits/{ref}/checklist", webui_audit_checklist, PERM_READ,
	    PERM_KIND_AUDIT),
	W_ORG("POST", "/o/{org}/audits/{ref}/checklist/{req}", webui_audit_checklist_save,
	    PERM_WRITE, PERM_KIND_AUDIT),
	W_ORG("GET", "/o/{org}/audits/{ref}/report", webui_audit_report, PERM_READ,
	    PERM_KIND_AUDIT),
	W_ORG("GET", "/o/{org}/audit-programmes/{ref}/coverage", webui_audit_coverage, PERM_READ,
	    PERM_KIND_AUDIT),
	W_ORG("GET", "/o/{org}/ai-systems/{ref}/import", webui_bom_page, PERM_WRITE,
	    PERM_KIND_OPERATIONAL),
	W_ORG("POST", "/o/{org}/ai-systems/{ref}/import", webui_bom_import, PERM_WRITE,
	    PERM_KIND_OPERATIONAL),
	W_ORG("GET", "/o/{org}/search", webui_search, PERM_READ, PERM_KIND_ORG),
	W_ORG("GET", "/o/{org}/{kind}", webui_list, PERM_READ, BY_KIND),
	W_ORG("POST", "/o/{org}/{kind}", webui_create, PERM_WRITE, BY_KIND),
	W_ORG("GET", "/o/{org}/{kind}/new", webui_new, PERM_WRITE, BY_KIND),
	W_ORG("GET", "/o/{org}/{kind}/{ref}", webui_record, PERM_READ, BY_KIND),
	W_ORG("POST", "/o/{org}/{kind}/{ref}", webui_update, PERM_WRITE, BY_KIND),
	W_ORG("GET", "/o/{org}/{kind}/{ref}/edit", webui_edit, PERM_WRITE, BY_KIND),
	W_ORG("POST", "/o/{org}/{kind}/{ref}/workflow", webui_workflow, PERM_WRITE, BY_KIND),
	W_ORG("POST", "/o/{org}/{kind}/{ref}/delete", webui_delete, PERM_DELETE, BY_KIND),
	W_ORG("POST", "/o/{org}/{kind}/{ref}/acknowledge", webui_acknowledge, PERM_READ, BY_KIND),
	W_ORG("GET", "/o/{org}/{kind}/{ref}/download", webui_download, PERM_READ, BY_KIND),
	W_ORG("GET", "/o/{org}/{kind}/{ref}/preview", webui_preview, PERM_READ, BY_KIND),
	W_ORG("POST", "/o/{org}/{kind}/{ref}/comments", webui_comment, PERM_READ, BY_KIND),
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, NULL, NULL },
};

/* The one-shot messages a flash cookie may name. */
static const struct {
	const char	*what;
	const char	*before;
	const char	*after;
} webui_flashes[] = {
	{ "created", "", " created." },
	{ "saved", "", " saved." },
	{ "measure-added", "", " is created and linked to the control." },
	{ "deleted", "", " deleted." },
	{ "retired", "", " retired." },
	{ "submit", "", " submitted for review." },
	{ "approve", "", " approved." },
	{ "return", "", " returned to draft." },
	{ "retire", "", " retired." },
	{ "revise", "A revision of ", " is open; the approved version stays in force." },
	{ "accept", "The residual risk of ", " is accepted." },
	{ "uploaded", "New file stored in ", "." },
	{ "acknowledged", "You acknowledged the version of ", " in force." },
	{ "commented", "Your comment on ", " is saved." },
	{ "published", "Version ", " of the Statement of Applicability is published." },
	{ "decided", "The decision is saved for ", " controls." },
	{ "signed-out", "You are signed out", "." },
	{ "disabled", "The account is disabled: its sessions ended and its API tokens were "
	    "revoked", "." },
	{ "enabled", "The account may sign in again", "." },
	{ "channel", "The public concern reporting channel is updated", "." },
	{ "ai-roles", "The organisation's AI roles are saved", "." },
	{ "mail", "Your mail choice is saved", "." },
	{ "feed-revoked", "The calendar feed is revoked: its address no longer answers", "." },
	{ "read", "Your notifications are marked read", "." },
	{ "webhook-enabled", "The webhook is enabled: what was pending for it goes out", "." },
	{ "webhook-deleted", "The webhook is deleted", "." },
	{ "settings", "The settings are saved", "." },
	{ "sso-saved", "Single sign-on is saved: try it from the sign-in page", "." },
	{ "sso-removed", "Single sign-on is off", "." },
	{ "org-created", "The organisation is created and you are its admin", "." },
	{ "org-copied", "The organisation is created from the other's setup and you are its "
	    "admin: its risk criteria and documents are drafts to review and approve", "." },
	{ "revoked", "The token is revoked: whatever used it stops at once", "." },
	{ "role-changed", "The role is changed", "." },
	{ "removed", "The member is removed; the API tokens they made here are revoked", "." },
	{ "withdrawn", "The invitation is withdrawn: its link no longer works", "." },
	{ "joined", "You joined the organisation: sign in with your new password", "." },
	{ "password-reset", "Your password is set: sign in with it", "." },
};

bool
webui_owns(const char *path)
{
	if (str_has_prefix(path, "/api/") || strcmp(path, "/api") == 0)
		return false;
	return !router_path_known(http_routes, path);
}

static bool
webui_can(const struct web_ctx *ctx, enum web_action act, const struct record_kind *k)
{
	static const enum perm_action map[] = {
		[WEB_ACT_CREATE] = PERM_WRITE, [WEB_ACT_UPDATE] = PERM_WRITE,
		[WEB_ACT_DELETE] = PERM_DELETE,
	};
	enum perm_kind pk;

	if (k == NULL || k->perm_kind == NULL || perm_kind_parse(&pk, k->perm_kind) != 0)
		return false;
	if (k->fixed && (act == WEB_ACT_CREATE || act == WEB_ACT_DELETE))
		return false;
	return perm_allows(ctx->role, map[act], pk);
}

/* ---- replies ------------------------------------------------------------ */

static void
webui_cookie(struct http_ctx *c, const char *name, const char *value, const char *path,
    int max_age)
{
	char cookie[WEBUI_COOKIE_MAX + 128];

	snprintf(cookie, sizeof(cookie), "%s=%s; Path=%s; HttpOnly; SameSite=Lax; Max-Age=%d%s",
	    name, value, path, max_age, c->cfg != NULL && c->cfg->secure_cookies ? "; Secure" : "");
	http_resp_add_header(&c->resp, "Set-Cookie", cookie);
}

void
webui_send(struct http_ctx *c, int status, struct buf *page)
{
	buf_free(&c->resp.body);
	c->resp.body = *page;
	*page = (struct buf)BUF_INIT;
	c->resp.status = status;
	c->resp.content_type = WEBUI_HTML;
	http_resp_header(&c->resp, "Referrer-Policy", WEBUI_REFERRER_POLICY);
}

void
webui_redirect(struct http_ctx *c, const char *url)
{
	http_reply_empty(c, 303);
	http_resp_header(&c->resp, "Location", url);
	http_resp_header(&c->resp, "Referrer-Policy", WEBUI_REFERRER_POLICY);
}

static bool
webui_ref_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > WEBUI_REF_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

void
webui_flash(struct http_ctx *c, const char *what, const char *ref)
{
	char value[WEBUI_COOKIE_MAX];

	if (ref == NULL || !webui_ref_ok(ref))
		ref = "-";
	snprintf(value, sizeof(value), "%s:%s", what, ref);
	webui_cookie(c, WEBUI_FLASH_COOKIE, value, "/", WEBUI_FLASH_MAX_AGE);
}

/* Reads the flash cookie into w->flash and clears it. */
static void
webui_flash_take(struct http_ctx *c, struct webui *w)
{
	const char *cookie = http_header(c->req, "Cookie");
	char value[WEBUI_COOKIE_MAX], *ref;
	const struct record_step *step;
	size_t i;

	if (cookie == NULL || !auth_cookie_value(value, sizeof(value), cookie, WEBUI_FLASH_COOKIE))
		return;
	webui_cookie(c, WEBUI_FLASH_COOKIE, "", "/", 0);
	if ((ref = strchr(value, ':')) == NULL)
		return;
	*ref++ = '\0';
	if (strcmp(ref, "-") != 0 && !webui_ref_ok(ref))
		return;
	for (i = 0; i < sizeof(webui_flashes) / sizeof(webui_flashes[0]); i++)
		if (strcmp(value, webui_flashes[i].what) == 0) {
			snprintf(w->flash, sizeof(w->flash), "%s%s%s", webui_flashes[i].before,
			    strcmp(ref, "-") != 0 ? ref : "", webui_flashes[i].after);
			w->ctx.flash = w->flash;
			w->ctx.flash_kind = WEB_FLASH_OK;
			return;
		}
	/* A workflow step without a message of its own: the step's label. */
	if (w->kind != NULL && (step = record_step_find(w->kind, value)) != NULL) {
		snprintf(w->flash, sizeof(w->flash), "%s: %s done.",
		    strcmp(ref, "-") != 0 ? ref : w->kind->singular, step->label);
		w->ctx.flash = w->flash;
		w->ctx.flash_kind = WEB_FLASH_OK;
	}
}

int
webui_fail(struct http_ctx *c, int code)
{
	struct webui *w = c->web;
	int status = http_status_of(code);
	const char *msg = aims_error_message();
	struct buf page = BUF_INIT;

	if (status == 500) {
		log_error("%s %s: %s", c->req->method, c->req->path, msg);
		msg = "Something went wrong on the server; its log has the details.";
	} else if (status == 404 && (msg == NULL || *msg == '\0')) {
		msg = "There is no such page.";
	}
	web_page_error(&page, w != NULL && w->ctx.org != NULL ? &w->ctx : NULL, status, msg);
	webui_send(c, status, &page);
	return 0;
}

void
webui_reply_error(struct http_ctx *c, int code)
{
	webui_fail(c, code);
}

const char *
webui_posted(const struct http_ctx *c, const char *name)
{
	const struct webui *w = c->web;

	return w != NULL && w->posted != NULL ? web_form_get(w->posted, name) : NULL;
}

const struct tz *
webui_org_zone(struct db *db, int64_t org_id)
{
	char name[ORG_TIMEZONE_MAX];
	const struct tz *z;

	/* A zone the system does not know shows UTC rather than failing the page. */
	if (org_timezone(name, db, org_id) != 0 || tz_load(&z, name) != 0)
		return NULL;
	return z;
}

int64_t
webui_posted_version(const struct http_ctx *c)
{
	const char *s = webui_posted(c, WEB_VERSION_FIELD);
	int64_t v;

	if (s == NULL || str_to_int64(&v, s, 1, INT64_MAX) != 0)
		return 0;
	return v;
}

/* ---- checks ------------------------------------------------------------- */

/* "http://host/..." with the same host as the request. */
static bool
webui_referer_same(const char *referer, const char *host)
{
	char origin[WEBUI_NEXT_MAX];
	const char *p = strstr(referer, "://");
	size_t n;

	if (p == NULL)
		return false;
	n = strcspn(p + 3, "/?#") + (size_t)(p + 3 - referer);
	if (n >= sizeof(origin))
		return false;
	memcpy(origin, referer, n);
	origin[n] = '\0';
	return auth_same_origin(origin, host);
}

/* A POST must come from a page of this site. */
static int
webui_check_site(const struct http_req *req)
{
	const char *site = http_header(req, "Sec-Fetch-Site");
	const char *origin = http_header(req, "Origin"), *referer = http_header(req, "Referer");
	const char *host = http_header(req, "Host");

	if (site != NULL && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		goto refuse;
	if (origin != NULL ? !auth_same_origin(origin, host) :
	    referer != NULL && !webui_referer_same(referer, host))
		goto refuse;
	return 0;
refuse:
	return aims_error_set(AIMS_EFORBIDDEN, "Origin",
	    "This form was sent from another site, so it was refused. Open the page on this "
	    "site and send the form from there.");
}

static int
webui_read_form(struct http_ctx *c, struct webui *w)
{
	const char *ct = http_header(c->req, "Content-Type");
	int rc;

	if (c->req->upload != NULL) {
		w->posted = &c->req->upload->fields;
		return 0;
	}
	/* Read and dropped (webui_upload_wanted): webui_prepare says why. */
	if (ct != NULL && strncasecmp(ct, WEBUI_MULTIPART_TYPE, strlen(WEBUI_MULTIPART_TYPE)) == 0) {
		w->dropped = true;
		w->posted = &w->form;
		return 0;
	}
	if (c->req->body_len > 0 && (ct == NULL ||
	    strncasecmp(ct, WEBUI_FORM_TYPE, strlen(WEBUI_FORM_TYPE)) != 0))
		return aims_error_set(AIMS_EUNSUPPORTED, "Content-Type",
		    "A form must be sent as " WEBUI_FORM_TYPE " or " WEBUI_MULTIPART_TYPE ".");
	if ((rc = web_form_parse(&w->form, c->req->body ? c->req->body : "",
	    c->req->body_len)) != 0)
		return rc;
	w->posted = &w->form;
	return 0;
}

/* The posted token equals the session's (constant time). */
static int
webui_check_token(struct http_ctx *c)
{
	const char *tok = webui_posted(c, WEB_CSRF_FIELD);
	size_t n = strlen(c->who.csrf);

	if (tok != NULL && n > 0 && strlen(tok) == n && sodium_memcmp(tok, c->who.csrf, n) == 0)
		return 0;
	return aims_error_set(AIMS_EFORBIDDEN, WEB_CSRF_FIELD,
	    "This form has expired or was not sent from this site. Open the page again and "
	    "send the form from there.");
}

/* Who is signed in: a session only (API tokens are for the API). */
static void
webui_identify(struct http_ctx *c)
{
	if (auth_identify(c) != 0 || c->who.kind != HTTP_SESSION)
		memset(&c->who, 0, sizeof(c->who));
	aims_error_clear();
}

/* A decoded path encoded again, segment by segment. */
static void
webui_path_escape(struct buf *out, const char *path)
{
	char seg[WEBUI_NEXT_MAX];
	size_t n;

	while (*path == '/') {
		buf_putc(out, '/');
		path++;
		n = strcspn(path, "/");
		snprintf(seg, sizeof(seg), "%.*s", (int)(n < sizeof(seg) ? n : sizeof(seg) - 1), path);
		html_url_escape(out, seg);
		path += n;
	}
}

static int
webui_signed_out(struct http_ctx *c)
{
	struct buf url = BUF_INIT;
	const char *q = NULL;
	size_t i;

	if (strcmp(c->req->method, "GET") != 0 && strcmp(c->req->method, "HEAD") != 0)
		return aims_error_set(AIMS_EUNAUTH, NULL,
		    "You are not signed in (or your session has ended). Sign in and try again.");
	buf_puts(&url, "/sign-in");
	if (strcmp(c->req->path, "/") != 0) {
		struct buf next = BUF_INIT;

		webui_path_escape(&next, c->req->path);
		for (i = 0; i < c->req->nquery; i++) {
			buf_putc(&next, q == NULL ? '?' : '&');
			html_url_escape(&next, c->req->query[i].name);
			buf_putc(&next, '=');
			html_url_escape(&next, c->req->query[i].value ? c->req->query[i].value : "");
			q = "";
		}
		if (next.len < WEBUI_NEXT_MAX)
			html_url_query(&url, "next", buf_str(&next));
		buf_free(&next);
	}
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
	return 0;
}

/* The user's organisations for the switcher; fills the org name. */
static int
webui_load_orgs(struct http_ctx *c, struct webui *w, const char *slug)
{
	const json_t *o;
	size_t i;
	int rc;

	if ((rc = member_orgs_of_user(&w->orgs_json, c->db, c->who.user_id)) != 0)
		return rc;
	w->orgs = xcalloc(json_array_size(w->orgs_json) + 1, sizeof(*w->orgs));
	json_array_foreach(w->orgs_json, i, o) {
		w->orgs[i].slug = json_string_value(json_object_get(o, "slug"));
		w->orgs[i].name = json_string_value(json_object_get(o, "name"));
		if (w->orgs[i].name == NULL)
			w->orgs[i].name = w->orgs[i].slug;
		if (w->orgs[i].slug != NULL && strcmp(w->orgs[i].slug, slug) == 0)
			w->ctx.org_name = w->orgs[i].name;
	}
	w->ctx.orgs = w->orgs;
	w->ctx.norgs = json_array_size(w->orgs_json);
	if (w->ctx.org_name == NULL)
		w->ctx.org_name = slug;
	return 0;
}

/* The organisation of the path and the caller's role in it (a member, or 404). */
static int
webui_org_member(struct http_ctx *c)
{
	const char *slug = http_param(c, "org");
	int rc;

	if (!str_is_slug(slug))
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such organisation.");
	if ((rc = auth_org_role(c, slug)) != 0)
		return rc == AIMS_ENOTFOUND ? aims_error_set(AIMS_ENOTFOUND, NULL,
		    "There is no such organisation, or you are not a member of it.") : rc;
	return 0;
}

/*
 * The kind of record of the path (*kind, NULL for a page without one) and
 * whether the caller's role has the route's permission for it: what a page
 * needs before its handler, and an upload before its body is stored
 * (webui_upload_wanted).
 */
static int
webui_org_permit(struct http_ctx *c, const struct record_kind **kind)
{
	const char *name = http_param(c, "kind");
	enum perm_kind pk = c->route->kind;

	*kind = NULL;
	if (name != NULL) {
		if ((*kind = record_kind_find(name)) == NULL || (*kind)->perm_kind == NULL ||
		    perm_kind_parse(&pk, (*kind)->perm_kind) != 0)
			return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such page.");
	}
	if (!perm_allows(c->role, c->route->action, pk))
		return aims_error_set(AIMS_EFORBIDDEN, NULL,
		    "Your role (%s) may not %s %s in this organisation.", role_name(c->role),
		    perm_action_name(c->route->action), *kind != NULL ? (*kind)->plural :
		    perm_kind_name(pk));
	return 0;
}

/* A member's page context (the error page of a refusal shows it too), then the permission. */
static int
webui_org(struct http_ctx *c, struct webui *w)
{
	const char *slug = http_param(c, "org");
	struct buf url = BUF_INIT;
	int rc;

	rc = webui_org_member(c);
	if (rc == AIMS_EFORBIDDEN && strcmp(aims_error_field(), "second_factor") == 0) {
		/* The organisation requires a second factor this person has not set up. */
		buf_puts(&url, "/account/second-factor");
		html_url_query(&url, "for", slug);
		webui_redirect(c, buf_str(&url));
		buf_free(&url);
		return 0;
	}
	if (rc != 0 || (rc = webui_load_orgs(c, w, slug)) != 0)
		return rc;
	w->ctx.org = slug;
	w->ctx.user = c->who.email;
	w->ctx.role = c->role;
	w->ctx.csrf = c->who.csrf;
	w->ctx.kinds = record_kinds;
	w->ctx.can = webui_can;
	if ((rc = notify_unread(&w->ctx.unread, c->db, c->org_id, c->who.user_id)) != 0)
		return rc;
	w->ctx.may_comment = perm_allows(c->role, PERM_WRITE, PERM_KIND_COMMENT);
	w->ctx.tz = webui_org_zone(c->db, c->org_id);
	return webui_org_permit(c, &w->kind);
}

static int
webui_prepare(struct http_ctx *c, struct webui *w)
{
	bool post = strcmp(c->req->method, "POST") == 0;
	char day[CLOCK_RFC3339_LEN];
	int rc;

	clock_format(day, clock_now());
	snprintf(w->today, sizeof(w->today), "%.10s", day);
	w->ctx.today = w->today;
	if (c->route->auth == ROUTE_PUBLIC && !post && strcmp(c->route->pattern, "/sign-in") != 0)
		return 0;	/* static files: nobody needs to be known */
	webui_identify(c);
	if (post) {
		if ((rc = webui_check_site(c->req)) != 0 || (rc = webui_read_form(c, w)) != 0)
			return rc;
		if (c->route->auth != ROUTE_PUBLIC && c->who.kind == HTTP_SESSION &&
		    !w->dropped && (rc = webui_check_token(c)) != 0)
			return rc;
	}
	if (c->route->auth != ROUTE_PUBLIC && c->who.kind != HTTP_SESSION)
		return webui_signed_out(c);
	if (c->route->auth == ROUTE_ORG && ((rc = webui_org(c, w)) != 0 || c->resp.status != 0))
		return rc;
	/* Signed in and allowed, yet not stored: a page that takes no file. */
	if (w->dropped)
		return aims_error_set(AIMS_EUNSUPPORTED, WEB_FILE_FIELD,
		    "This page does not take a file: only evidence forms do. Send the form "
		    "without one.");
	if (!post)
		webui_flash_take(c, w);
	return 0;
}

void
webui_handle(struct http_ctx *c)
{
	struct webui w;
	char allow[64];
	int code = 0, rc;

	memset(&w, 0, sizeof(w));
	c->web = &w;
	c->route = router_match_in(webui_routes, c->req->method, c->req->path, c->params,
	    &c->param_buf, &code, allow, sizeof(allow));
	if (c->route == NULL) {
		if (code == HTTP_EMETHOD)
			http_resp_header(&c->resp, "Allow", allow);
		webui_fail(c, aims_error_set(code, NULL, code == HTTP_EMETHOD ?
		    "This page does not take that kind of request." : "There is no such page."));
		goto done;
	}
	rc = webui_prepare(c, &w);
	if (rc == 0 && c->resp.status == 0 && c->who.kind == HTTP_SESSION)
		rc = router_charge(c);
	if (rc == 0 && c->resp.status == 0)
		rc = c->route->handler(c);
	if (rc != 0 && c->resp.status == 0)
		webui_fail(c, rc);
	if (c->resp.status == 0)
		webui_fail(c, aims_error_set(AIMS_ERROR, NULL, "%s %s gave no answer",
		    c->req->method, c->route->pattern));
done:
	web_form_free(&w.form);
	free(w.orgs);
	json_decref(w.orgs_json);
	c->web = NULL;
}

/* ---- uploads ------------------------------------------------------------ */

bool
webui_upload_wanted(const struct http_req *req, struct db *db,
    const struct http_server_config *cfg)
{
	const struct record_kind *kind = NULL;
	struct http_ctx c;
	char allow[64];
	int code = 0;
	bool ok = false;

	if (strcmp(req->method, "POST") != 0 || !webui_owns(req->path) ||
	    webui_check_site(req) != 0)
		goto done;
	http_ctx_init(&c, req, db, cfg);
	c.route = router_match_in(webui_routes, req->method, req->path, c.params,
	    &c.param_buf, &code, allow, sizeof(allow));
	/* An AI system's import page takes the file it imports. */
	if (c.route != NULL && c.route->handler == webui_bom_import) {
		webui_identify(&c);
		ok = c.who.kind == HTTP_SESSION && webui_org_member(&c) == 0 &&
		    webui_org_permit(&c, &kind) == 0;
	}
	/* Only the record forms take a file: creating one, or saving it with a new file. */
	if (c.route != NULL && (c.route->handler == webui_create ||
	    c.route->handler == webui_update)) {
		webui_identify(&c);
		ok = c.who.kind == HTTP_SESSION && webui_org_member(&c) == 0 &&
		    webui_org_permit(&c, &kind) == 0 && kind != NULL && kind->files;
	}
	http_ctx_free(&c);
done:
	aims_error_clear();
	return ok;
}

static int
webui_mkdir(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	return aims_error_set(AIMS_ERROR, NULL, "cannot create %s: %s", path, strerror(errno));
}

int
webui_upload_dir(char **out, const char *db_path)
{
	char *data = NULL;
	struct buf dir = BUF_INIT;
	int rc;

	*out = NULL;
	evidence_data_dir(&data, db_path);
	buf_printf(&dir, "%s/" EVIDENCE_UPLOAD_DIR, data);
	if ((rc = webui_mkdir(data)) == 0 && (rc = webui_mkdir(buf_str(&dir))) == 0)
		*out = buf_detach(&dir);
	buf_free(&dir);
	free(data);
	return rc;
}
