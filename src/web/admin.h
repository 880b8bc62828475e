/*
 * admin.h - the administration pages: an organisation's settings, members
 * (with invitations), API tokens; the signed-in person's account; the
 * pages reached from a link (accept an invitation, reset a password); a
 * new organisation; the portfolio of every organisation a person belongs
 * to. Like every page (web.h) they draw what the handler fetched through
 * core, escaped, and hold no rule: what a person may do arrives as flags.
 *
 * URLs (the route table is http/web_routes.c):
 *   /o/ORG/settings              name and AI roles (GET, POST)
 *   /o/ORG/members               members; invite (POST .../members/invite),
 *                                EMAIL/role, EMAIL/remove, EMAIL/reset-link,
 *                                invites/ID/withdraw (POST)
 *   /o/ORG/tokens                API tokens (GET, POST); ID/revoke (POST)
 *   /account                     password, sessions (GET); sessions/ID/end,
 *                                sessions/end-others (POST)
 *   /invite/TOKEN                accept an invitation (GET, POST)
 *   /reset                       ask for a password reset link (GET, POST)
 *   /reset/TOKEN                 set a new password from a link (GET, POST)
 *   /orgs/new                    a new organisation (GET, POST)
 *   /portfolio                   every organisation of the person, with readiness
 */
#ifndef AIMS_WEB_ADMIN_H
#define AIMS_WEB_ADMIN_H

#include <jansson.h>
#include <stdbool.h>

#include "util/buf.h"
#include "web/web.h"

#define WEB_INVITE_PATH	"/invite/"	/* + the invitation's token */
#define WEB_RESET_PATH	"/reset/"	/* + the reset link's token */
#define WEB_SECOND_FACTOR_PATH	"/account/second-factor"	/* /start, /confirm, /disable */
#define WEB_SIGN_IN_CODE_PATH	"/sign-in/code"	/* the second step of signing in */
#define WEB_SSO_PATH		"/sso"		/* ?org=SLUG: sign in with its OpenID provider */
#define WEB_SSO_CALLBACK_PATH	"/sso/callback"	/* where the provider sends the browser back */

/* A link shown once to copy: the full URL, and what it is for. */
struct web_link {
	const char	*url;
	const char	*what;		/* "invitation for pat@example.com" */
	const char	*expires;	/* "in 7 days" */
};

/* qr.c: text as a QR code in inline SVG, label its accessible name. */
int web_qr_svg(struct buf *out, const char *text, const char *label);

/* The box showing a link once, to copy (page_admin.c). */
void web_link_box(struct buf *out, const struct web_link *l);

struct web_members_view {
	const json_t		*members;	/* member_list() */
	const json_t		*invites;	/* invite_list(), or NULL when not shown */
	bool			 manage;	/* admin: disable, enable, reset links */
	bool			 write;		/* invite, change roles, remove */
	const char *const	*roles;		/* roles the person may grant; NULL ends */
	const struct web_link	*link;		/* a link just made, or NULL */
	const char		*mailed;	/* the address an invitation was just mailed to */
	bool			 mail;		/* the server mails invitations */
	const char		*error;		/* a refused change (full sentence), or NULL */
	const char		*error_field;
	const char		*email;		/* the invite form's values as typed */
	const char		*role;
};
void web_page_members(struct buf *out, const struct web_ctx *ctx,
    const struct web_members_view *v);

struct web_tokens_view {
	const json_t		*tokens;	/* token_list() */
	const json_t		*created;	/* the token just made, with its secret; or NULL */
	const char *const	*roles;		/* roles the person may give a token; NULL ends */
	bool			 write;
	const char		*error;
	const char		*error_field;
	const char		*name;		/* the form as typed */
	const char		*role;
	const char		*expires;
};
void web_page_tokens(struct buf *out, const struct web_ctx *ctx,
    const struct web_tokens_view *v);

struct web_settings_view {
	const json_t		*org;		/* org_get() */
	bool			 require_second_factor;
	bool			 admin;		/* may set single sign-on */
	const json_t		*sso;		/* oidc_config_get(), or NULL */
	const char		*redirect_uri;	/* to register with the provider */
	const char *const	*ai_roles;	/* every ISO/IEC 22989 role; NULL ends */
	const json_t		*derived;	/* the roles its AI systems give it (org_ai_roles_get) */
	bool			 write;
	const char		*error;
	const char		*error_field;
	const json_t		*values;	/* as posted after an error, or NULL */
};
void web_page_settings(struct buf *out, const struct web_ctx *ctx,
    const struct web_settings_view *v);

/* The pages outside an organisation share a small header (signed in) or none. */
struct web_account_view {
	bool			 second_factor;	/* on for this account */
	const char		*email;
	const char		*csrf;
	const json_t		*sessions;	/* session_list_user() */
	int64_t			 current;	/* this session's id */
	const struct tz		*zone;		/* times are shown in it; NULL: UTC */
	const char		*flash;
	const char		*error;
	const char		*error_field;
	int			 min_length;
};
void web_page_account(struct buf *out, const struct web_account_view *v);

/*
 * The second factor: off (offer to set it up), being set up (the QR code,
 * the secret as text, a code to confirm), just turned on (the recovery
 * codes, shown once), or on (offer to turn it off with a code).
 */
struct web_second_factor_view {
	const char		*email;
	const char		*csrf;
	bool			 enabled;
	const char		*secret;	/* base32, while being set up */
	const char		*uri;		/* otpauth:// URI, while being set up */
	const char *const	*codes;		/* recovery codes just made; NULL ends */
	const char		*error;
	const char		*required_by;	/* an organisation that requires it, or NULL */
};
void web_page_second_factor(struct buf *out, const struct web_second_factor_view *v);

/* On the way to the provider: moves on by itself (meta refresh), with a link. */
void web_page_sso_continue(struct buf *out, const char *url);
/* A single sign-on that did not complete, and why. */
void web_page_sso_error(struct buf *out, const char *message);

/* The second step of signing in: a code from the authenticator or a recovery code. */
struct web_sign_in_code_view {
	const char		*error;
	int			 retry_after;
	const char		*next;
};
void web_page_sign_in_code(struct buf *out, const struct web_sign_in_code_view *v);

struct web_invite_view {
	const json_t		*invite;	/* invite_find(), or NULL when not valid */
	const char		*token;
	const char		*signed_in;	/* email of the session, or NULL */
	const char		*csrf;		/* the session's, when signed in */
	const char		*error;
	const char		*error_field;
	const char		*display_name;
	int			 min_length;
};
void web_page_invite(struct buf *out, const struct web_invite_view *v);

struct web_reset_view {
	const char		*token;		/* NULL: the page that asks for a link */
	const char		*email;		/* the account a link resets; the address typed */
	bool			 valid;		/* the token is live */
	bool			 asked;		/* the request was taken */
	bool			 mail;		/* the server mails reset links */
	int			 retry_after;	/* asking is paused for this many seconds */
	const char		*error;
	const char		*error_field;
	const char		*csrf;
	int			 min_length;
};
void web_page_reset(struct buf *out, const struct web_reset_view *v);

struct web_org_new_view {
	const char		*email;
	const char		*csrf;
	const json_t		*sources;	/* organisations to start from: [{slug, name}] */
	const char		*error;
	const char		*error_field;
	const char		*slug;		/* as typed */
	const char		*name;
	const char		*from;
};
void web_page_org_new(struct buf *out, const struct web_org_new_view *v);

struct web_portfolio_view {
	const char		*email;
	const char		*csrf;
	/*
	 * [{slug, name, role, timezone, score, as_of, stages [{verdict,
	 * blocking_gaps}] (1, 2)}]; as_of is shown in the organisation's timezone.
	 */
	const json_t		*orgs;
	const char		*flash;
};
void web_page_portfolio(struct buf *out, const struct web_portfolio_view *v);

#endif
