/*
 * web_members.c - the members page and what is done from it: invite (the
 * link is shown once to copy: this server sends no mail), change a role,
 * remove a member, withdraw an invitation, and an admin's Disable, Enable
 * and Reset link. Who may do what to whom is core's rule (invite_create,
 * member_set_role, member_remove, member_check_account_admin); a refusal
 * comes back on the members page naming why.
 */
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/competence.h"
#include "core/invite.h"
#include "core/member.h"
#include "core/notify.h"
#include "core/perm.h"
#include "core/pwreset.h"
#include "core/user.h"
#include "store/db.h"
#include "http/server.h"
#include "http/web_admin.h"
#include "http/webui.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"
#include "web/admin.h"

/* The page, with the person's controls and, after a change, a link or an error. */
static int
webui_members_show(struct http_ctx *c, int status, struct web_members_view *v)
{
	const char *roles[ROLE_ADMIN + 1];
	struct buf page = BUF_INIT;
	json_t *members = NULL, *invites = NULL;
	int r, n = 0, rc;

	if ((rc = member_list(&members, c->db, c->org_id)) != 0)
		return rc;
	v->write = perm_allows(c->role, PERM_WRITE, PERM_KIND_MEMBERSHIP);
	v->manage = perm_allows(c->role, PERM_ADMIN, PERM_KIND_MEMBERSHIP);
	v->mail = webui_mails(c);
	if (v->write && (rc = invite_list(&invites, c->db, c->org_id, clock_now())) != 0)
		goto done;
	for (r = ROLE_ADMIN; r >= ROLE_VIEWER; r--)
		if (perm_role_covers(c->role, (enum role)r))
			roles[n++] = role_name((enum role)r);
	roles[n] = NULL;
	v->members = members;
	v->invites = invites;
	v->roles = roles;
	web_page_members(&page, &c->web->ctx, v);
	webui_send(c, status, &page);
done:
	json_decref(members);
	json_decref(invites);
	return rc;
}

int
webui_members(struct http_ctx *c)
{
	struct web_members_view v = { 0 };

	return webui_members_show(c, 200, &v);
}

/* A refusal shown on the members page (a server fault is the error page's). */
static int
webui_members_refused(struct http_ctx *c, int rc, struct web_members_view *v)
{
	char msg[AIMS_ERROR_MSG_MAX + 2], field[WEB_FORM_NAME_MAX];
	int status = http_status_of(rc);

	if (status >= 500 || status == 404)
		return rc;
	v->error = webui_sentence(msg, sizeof(msg));
	snprintf(field, sizeof(field), "%s", aims_error_field());
	v->error_field = field;
	return webui_members_show(c, status == 400 ? 422 : status, v);
}

static void
webui_members_back(struct http_ctx *c, const char *flash)
{
	struct buf url = BUF_INIT;

	webui_flash(c, flash, NULL);
	web_url_kind(&url, &c->web->ctx, "members");
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
}

/*
 * Invites email and queues the mail with its link, in one change of the
 * server's writer: the invitation exists only with its mail, which the
 * outbox retries until the mail server takes it. The inviter is a signed-in
 * member posting from this site, so without a configured site_url the link
 * may use the request's own address.
 */
struct webui_invite {
	struct http_ctx	*c;
	const char	*email;
	enum role	 role;
	bool		 mail;
	char		 token[INVITE_TOKEN_LEN];
};

static int
webui_invite_mail(struct db *db, struct webui_invite *w)
{
	struct http_ctx *c = w->c;
	struct buf url = BUF_INIT, subject = BUF_INIT, text = BUF_INIT;
	int64_t uid = 0;
	int rc;

	if (user_id_by_email(&uid, db, w->email) != 0) {
		aims_error_clear();
		uid = 0;
	}
	webui_mail_base(&url, c, true);
	buf_puts(&url, WEB_INVITE_PATH);
	buf_puts(&url, w->token);
	buf_printf(&subject, "Invitation to join %s on OpenAIMS", c->web->ctx.org_name);
	buf_printf(&text, "%s invites you to join %s (%s) on OpenAIMS, its AI management "
	    "system, as %s.\n\nAccept the invitation here (it works once, within 7 days):\n\n"
	    "%s\n\nIf you do not expect it, ignore this mail: nothing happens without the "
	    "link.\n", c->who.email, c->web->ctx.org_name, c->web->ctx.org, role_name(w->role),
	    buf_str(&url));
	rc = notify_mail_link(db, c->org_id, uid, NOTIFY_INVITATION, w->email, buf_str(&subject),
	    buf_str(&text));
	if (url.data != NULL)
		sodium_memzero(url.data, url.len);
	if (text.data != NULL)
		sodium_memzero(text.data, text.len);
	buf_free(&url);
	buf_free(&subject);
	buf_free(&text);
	return rc;
}

static int
webui_invite_apply(struct db *db, void *arg)
{
	struct webui_invite *w = arg;
	int rc;

	if ((rc = invite_create(w->token, db, &w->c->actor, w->c->org_id, w->email, w->role,
	    clock_now())) != 0)
		return rc;
	return w->mail ? webui_invite_mail(db, w) : 0;
}

/* A membership's change, through the server's writer (member_change_apply). */
static int
webui_member_change(struct http_ctx *c, enum member_op op, enum role role, int64_t version)
{
	struct member_change m = { .op = op, .actor = &c->actor, .org_id = c->org_id,
	    .email = http_param(c, "email"), .role = role, .if_version = version };
	bool account = op == MEMBER_DISABLE || op == MEMBER_ENABLE;

	return http_server_write(c->db, account ? 0 : c->org_id, member_change_apply, &m);
}

int
webui_member_invite(struct http_ctx *c)
{
	struct web_members_view v = { .email = webui_posted(c, "email"),
	    .role = webui_posted(c, "role") };
	struct webui_invite w = { .c = c, .email = v.email, .mail = webui_mails(c) };
	char what[EMAIL_MAX + 32];
	struct web_link link = { .what = what, .expires = "within 7 days" };
	struct buf url = BUF_INIT;
	int rc;

	if (role_parse(&w.role, v.role) != 0)
		rc = aims_error_set(AIMS_EINVALID, "role", "choose the role to invite as");
	else
		rc = http_server_write(c->db, c->org_id, webui_invite_apply, &w);
	if (rc != 0) {
		sodium_memzero(w.token, sizeof(w.token));
		return webui_members_refused(c, rc, &v);
	}
	if (w.mail) {
		sodium_memzero(w.token, sizeof(w.token));
		v.mailed = v.email;
		v.email = v.role = NULL;
		return webui_members_show(c, 201, &v);
	}
	webui_site_url(&url, c);
	buf_puts(&url, WEB_INVITE_PATH);
	buf_puts(&url, w.token);
	snprintf(what, sizeof(what), "invitation for %s", v.email);
	link.url = buf_str(&url);
	v.link = &link;
	v.email = v.role = NULL;
	rc = webui_members_show(c, 201, &v);
	sodium_memzero(w.token, sizeof(w.token));
	buf_free(&url);
	return rc;
}

int
webui_member_role(struct http_ctx *c)
{
	struct web_members_view v = { 0 };
	enum role role;
	int rc;

	if (role_parse(&role, webui_posted(c, "role")) != 0)
		rc = aims_error_set(AIMS_EINVALID, "role", "choose a role");
	else
		rc = webui_member_change(c, MEMBER_SET_ROLE, role, webui_posted_version(c));
	if (rc != 0)
		return webui_members_refused(c, rc, &v);
	webui_members_back(c, "role-changed");
	return 0;
}

int
webui_member_remove(struct http_ctx *c)
{
	struct web_members_view v = { 0 };
	int rc;

	if ((rc = webui_member_change(c, MEMBER_REMOVE, ROLE_NONE, 0)) != 0)
		return webui_members_refused(c, rc, &v);
	webui_members_back(c, "removed");
	return 0;
}

struct webui_withdraw {
	int64_t	org_id, id;
};

static int
webui_withdraw_apply(struct db *db, void *arg)
{
	const struct webui_withdraw *w = arg;

	return invite_withdraw(db, w->org_id, w->id);
}

int
webui_invite_withdraw(struct http_ctx *c)
{
	struct webui_withdraw w;
	int64_t id;
	int rc;

	if (str_to_int64(&id, http_param(c, "id"), 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such invitation.");
	w.org_id = c->org_id;
	w.id = id;
	if ((rc = http_server_write(c->db, c->org_id, webui_withdraw_apply, &w)) != 0)
		return rc;
	webui_members_back(c, "withdrawn");
	return 0;
}

/* The check and the link, one change of the writer: the account's, so the store's. */
struct webui_reset_link {
	struct http_ctx	*c;
	const char	*email;
	char		*token;		/* PWRESET_TOKEN_LEN */
};

static int
webui_reset_link_apply(struct db *db, void *arg)
{
	const struct webui_reset_link *r = arg;
	int rc;

	if ((rc = member_check_account_admin(db, &r->c->actor, r->c->org_id, r->email,
	    "make a password reset link for")) != 0)
		return rc;
	return pwreset_create(r->token, db, r->email, false, clock_now());
}

int
webui_member_reset_link(struct http_ctx *c)
{
	struct webui_reset_link r;
	struct web_members_view v = { 0 };
	char token[PWRESET_TOKEN_LEN], what[EMAIL_MAX + 40], *lower;
	struct web_link link = { .what = what, .expires = "within an hour" };
	struct buf url = BUF_INIT;
	int rc;

	lower = str_lower(http_param(c, "email") != NULL ? http_param(c, "email") : "");
	r.c = c;
	r.email = lower;
	r.token = token;
	rc = http_server_write(c->db, 0, webui_reset_link_apply, &r);
	if (rc != 0) {
		free(lower);
		return webui_members_refused(c, rc, &v);
	}
	webui_site_url(&url, c);
	buf_puts(&url, WEB_RESET_PATH);
	buf_puts(&url, token);
	snprintf(what, sizeof(what), "password reset link for %s", lower);
	link.url = buf_str(&url);
	v.link = &link;
	rc = webui_members_show(c, 201, &v);
	sodium_memzero(token, sizeof(token));
	buf_free(&url);
	free(lower);
	return rc;
}

int
webui_member_disable(struct http_ctx *c)
{
	int rc;

	if ((rc = webui_member_change(c, MEMBER_DISABLE, ROLE_NONE, 0)) != 0)
		return rc;
	webui_members_back(c, "disabled");
	return 0;
}

int
webui_member_enable(struct http_ctx *c)
{
	int rc;

	if ((rc = webui_member_change(c, MEMBER_ENABLE, ROLE_NONE, 0)) != 0)
		return rc;
	webui_members_back(c, "enabled");
	return 0;
}

int
webui_competence_gaps(struct http_ctx *c)
{
	struct buf page = BUF_INIT;
	json_t *view = NULL;
	int rc;

	if ((rc = competence_gaps(&view, c->db, c->org_id, NULL)) != 0)
		return rc;
	web_page_competence_gaps(&page, &c->web->ctx, view);
	webui_send(c, 200, &page);
	json_decref(view);
	return 0;
}
