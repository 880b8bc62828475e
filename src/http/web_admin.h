/*
 * web_admin.h - the handlers of the administration pages (web/admin.h):
 * settings, members and invitations, API tokens, the account, password
 * reset, new organisations and the portfolio. Routes: web_routes.c.
 */
#ifndef AIMS_HTTP_WEB_ADMIN_H
#define AIMS_HTTP_WEB_ADMIN_H

#include "http/http.h"

#define WEBUI_FORM_COOKIE	"aims_form"	/* a public form's token (no session yet) */
#define WEBUI_RESET_POLICY	{ 4, 60, 3600, 900 }	/* asking for reset links, per network */
/* Mailed reset links, per address: a few, then one an hour, so nobody is mail-bombed. */
#define WEBUI_RESET_MAIL_POLICY	{ 1, 900, 3600, 3600 }

#define WEBUI_CODE_COOKIE	"aims_code"	/* a sign-in waiting for its second factor */

/* web_second_factor.c */
/* Password accepted, code to come: sets the pending sign-in's cookie and goes to its page. */
void webui_code_challenge(struct http_ctx *c, const char *challenge, const char *next);
int webui_sign_in_code_page(struct http_ctx *c);
int webui_sign_in_code(struct http_ctx *c);
int webui_second_factor(struct http_ctx *c);
int webui_second_factor_start(struct http_ctx *c);
int webui_second_factor_confirm(struct http_ctx *c);
int webui_second_factor_disable(struct http_ctx *c);

/* web_members.c */
int webui_member_invite(struct http_ctx *c);
int webui_member_role(struct http_ctx *c);
int webui_member_remove(struct http_ctx *c);
int webui_member_reset_link(struct http_ctx *c);
int webui_invite_withdraw(struct http_ctx *c);
/* web_sso.c */
int webui_sso_start(struct http_ctx *c);
int webui_sso_callback(struct http_ctx *c);
int webui_sso_save(struct http_ctx *c);
/* web_admin.c */
int webui_settings(struct http_ctx *c);
/* The settings page again with the last error (rc), for a refused change. */
int webui_settings_refused(struct http_ctx *c, int rc);
int webui_settings_save(struct http_ctx *c);
int webui_tokens(struct http_ctx *c);
int webui_token_create(struct http_ctx *c);
int webui_token_revoke(struct http_ctx *c);
int webui_account(struct http_ctx *c);
int webui_session_end(struct http_ctx *c);
int webui_sessions_end_others(struct http_ctx *c);
int webui_org_new(struct http_ctx *c);
int webui_org_create(struct http_ctx *c);
int webui_portfolio(struct http_ctx *c);
/* web_links.c: the pages a link opens, without a session. */
int webui_invite_page(struct http_ctx *c);
int webui_invite_accept(struct http_ctx *c);
int webui_reset_page(struct http_ctx *c);
int webui_reset_request(struct http_ctx *c);
int webui_reset_link_page(struct http_ctx *c);
int webui_reset_use(struct http_ctx *c);
/* The last error (aims_error_message) as a sentence for a page, in buf: capital, full stop. */
const char *webui_sentence(char *buf, size_t len);
/* The site's own address for links: "http://HOST" (Host of the request). */
void webui_site_url(struct buf *out, const struct http_ctx *c);
/* Does the server send mail (a mail server is configured)? */
bool webui_mails(const struct http_ctx *c);
/*
 * The address a mailed link starts with: the operator's site_url; without
 * one, the request's own address only when host_ok (a signed-in member's
 * same-site request), else false: a stranger's Host header must not decide
 * where a secret link points.
 */
bool webui_mail_base(struct buf *out, const struct http_ctx *c, bool host_ok);

#endif
