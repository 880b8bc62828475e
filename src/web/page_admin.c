/*
 * page_admin.c - the administration pages but the members page: API
 * tokens and settings of an organisation; and, outside any organisation,
 * the account page, the pages a link opens (invitation, password reset), a
 * new organisation and the portfolio (see web/admin.h). The pages outside
 * an organisation have no organisation navigation: they share a small
 * card-shaped shell with links to the person's other such pages.
 */
#include <stdio.h>
#include <string.h>

#include "core/org.h"
#include "core/role.h"
#include "util/clock.h"
#include "web/admin.h"
#include "web/html.h"
#include "web/web.h"

#define WEB_ADMIN_ERROR_ID	"form-error"

static const char *
web_str(const json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));

	return s != NULL ? s : "";
}

void
web_link_box(struct buf *out, const struct web_link *l)
{
	html_printf(out, "<div class=\"flash ok link-once\" role=\"status\"><p>The %s is "
	    "ready. Copy the link now: it is shown only this once and works once, %s.</p>"
	    "<p><label for=\"link-once\">Link</label> <input id=\"link-once\" type=\"text\" "
	    "readonly class=\"copy\" value=\"%s\"></p></div>\n", l->what,
	    l->expires != NULL ? l->expires : "", l->url);
}

/* The page's error, pointed at by the invalid field. */
static void
web_admin_error(struct buf *out, const char *error)
{
	if (error != NULL)
		html_printf(out, "<div class=\"flash error\" role=\"alert\" id=\""
		    WEB_ADMIN_ERROR_ID "\">%s</div>\n", error);
}

/*
 * One labelled input; when field names it, marked invalid with the message
 * error under it (the page's alert at the top says it too).
 */
static void
web_admin_input(struct buf *out, const char *type, const char *name, const char *label,
    const char *value, const char *field, const char *error, const char *attrs_help,
    bool required)
{
	bool invalid = field != NULL && strcmp(field, name) == 0;

	html_printf(out, "<div class=\"field%s\"><label for=\"f-%s\">%s</label><input "
	    "type=\"%s\" id=\"f-%s\" name=\"%s\" value=\"%s\"", invalid ? " invalid" : "",
	    name, label, type, name, name, value != NULL ? value : "");
	html_attr_if(out, required, "required", NULL);
	html_attr_if(out, strcmp(type, "password") == 0, "autocomplete", "new-password");
	html_attr_if(out, invalid, "aria-invalid", "true");
	if (invalid && error != NULL)
		html_printf(out, " aria-describedby=\"f-%s-error\"", name);
	else
		html_attr_if(out, invalid, "aria-errormessage", WEB_ADMIN_ERROR_ID);
	buf_puts(out, ">");
	if (invalid && error != NULL)
		html_printf(out, "<p class=\"error\" id=\"f-%s-error\">%s</p>", name, error);
	if (attrs_help != NULL)
		html_printf(out, "<p class=\"help\">%s</p>", attrs_help);
	buf_puts(out, "</div>\n");
}

/* A time of o in the organisation's zone, or "Never". */
static void
web_admin_when(struct buf *out, const struct web_ctx *ctx, const json_t *o, const char *key)
{
	if (json_is_string(json_object_get(o, key)))
		web_time(out, ctx, json_string_value(json_object_get(o, key)));
	else
		buf_puts(out, "Never");
}

static void
web_csrf_field(struct buf *out, const char *csrf)
{
	html_printf(out, "<input type=\"hidden\" name=\"" WEB_CSRF_FIELD "\" value=\"%s\">",
	    csrf != NULL ? csrf : "");
}

/* The shell of a signed-in page outside an organisation. */
static void
web_plain_begin(struct buf *out, const char *title, const char *email, const char *csrf)
{
	web_page_begin_bare(out, title);
	buf_puts(out, "<div class=\"card plain\">\n<p class=\"brand\">OpenAIMS</p>\n");
	if (email != NULL) {
		html_printf(out, "<nav class=\"plain-nav\" aria-label=\"Account\"><a href=\"/\">"
		    "Home</a> <a href=\"/portfolio\">Portfolio</a> <a href=\"/orgs/new\">New "
		    "organisation</a> <a href=\"/account\">Account (%s)</a> <form method=\"post\" "
		    "action=\"/sign-out\" class=\"inline\">", email);
		web_csrf_field(out, csrf);
		buf_puts(out, "<button type=\"submit\" class=\"btn quiet\">Sign out</button></form>"
		    "</nav>\n");
	}
}

static void
web_plain_end(struct buf *out)
{
	buf_puts(out, "</div>\n");
	web_page_end_bare(out);
}

/* ---- tokens ------------------------------------------------------------- */

static void
web_role_options(struct buf *out, const char *const *roles, const char *current)
{
	size_t i;

	for (i = 0; roles != NULL && roles[i] != NULL; i++) {
		html_printf(out, "<option value=\"%s\"", roles[i]);
		html_attr_if(out, current != NULL && strcmp(current, roles[i]) == 0, "selected", NULL);
		buf_puts(out, ">");
		web_enum_label(out, roles[i]);
		buf_puts(out, "</option>");
	}
}

void
web_page_tokens(struct buf *out, const struct web_ctx *ctx, const struct web_tokens_view *v)
{
	const struct web_crumb crumbs[] = { { "API tokens", NULL } };
	struct buf url = BUF_INIT;
	const json_t *t;
	bool revoked;
	size_t i;

	web_page_begin(out, ctx, "API tokens", "tokens", crumbs, 1);
	html_printf(out, "<div class=\"page-head\"><h1>API tokens</h1></div>\n<p class=\"lede\">"
	    "Tokens let machines (CI, monitoring) use the API of %s. A token acts with at most "
	    "the role of the person who made it, now: demoting or removing them narrows or "
	    "revokes it at once.</p>\n", ctx->org_name);
	web_admin_error(out, v->error);
	if (v->created != NULL)
		html_printf(out, "<div class=\"flash ok link-once\" role=\"status\"><p>Token %s "
		    "created. Copy its secret now: it is shown only this once and cannot be "
		    "recovered.</p><p><label for=\"token-secret\">Secret</label> <input "
		    "id=\"token-secret\" type=\"text\" readonly class=\"copy\" value=\"%s\"></p>"
		    "</div>\n", web_str(v->created, "name"), web_str(v->created, "token"));
	buf_puts(out, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"API tokens\">"
	    "<table><thead><tr><th scope=\"col\">Name</th>"
	    "<th scope=\"col\">Starts with</th><th scope=\"col\">Role</th><th scope=\"col\">"
	    "Made by</th><th scope=\"col\">Expires</th><th scope=\"col\">Last used</th>"
	    "<th scope=\"col\">State</th>");
	if (v->write)
		buf_puts(out, "<th scope=\"col\">Actions</th>");
	buf_puts(out, "</tr></thead><tbody>");
	json_array_foreach(v->tokens, i, t) {
		revoked = json_is_string(json_object_get(t, "revoked_at"));
		html_printf(out, "<tr><th scope=\"row\">%s</th><td><code>%s</code></td><td>",
		    web_str(t, "name"), web_str(t, "hint"));
		web_enum_label(out, web_str(t, "role"));
		html_printf(out, "</td><td>%s</td><td>", web_actor(web_str(t, "created_by")));
		web_admin_when(out, ctx, t, "expires_at");
		buf_puts(out, "</td><td>");
		web_admin_when(out, ctx, t, "last_used_at");
		html_printf(out, "</td><td><span class=\"tag t-%s\">%s</span></td>",
		    revoked ? "disabled" : "active", revoked ? "Revoked" : "Active");
		if (v->write) {
			buf_puts(out, "<td>");
			if (!revoked) {
				buf_reset(&url);
				web_url_kind(&url, ctx, "tokens");
				buf_printf(&url, "/%lld/revoke",
				    (long long)json_integer_value(json_object_get(t, "id")));
				html_printf(out, "<form method=\"post\" action=\"%s\" class=\"inline\" "
				    "data-confirm=\"Revoke the token %s? Whatever uses it stops at "
				    "once.\">", buf_str(&url), web_str(t, "name"));
				web_csrf_input(out, ctx);
				html_printf(out, "<input type=\"hidden\" name=\"" WEB_VERSION_FIELD "\" "
				    "value=\"%lld\"><button type=\"submit\" class=\"btn danger\">Revoke"
				    "<span class=\"sr\"> %s</span></button></form>",
				    (long long)json_integer_value(json_object_get(t, "version")),
				    web_str(t, "name"));
			}
			buf_puts(out, "</td>");
		}
		buf_puts(out, "</tr>\n");
	}
	if (json_array_size(v->tokens) == 0)
		html_printf(out, "<tr><td colspan=\"%d\" class=\"empty\">No tokens yet.</td></tr>",
		    v->write ? 8 : 7);
	buf_puts(out, "</tbody></table></div>\n");
	if (v->write) {
		buf_reset(&url);
		web_url_kind(&url, ctx, "tokens");
		html_printf(out, "<h2>New token</h2>\n<form method=\"post\" action=\"%s\" "
		    "class=\"record-form\">", buf_str(&url));
		web_csrf_input(out, ctx);
		web_admin_input(out, "text", "name", "Name", v->name, v->error_field, v->error,
		    "What uses it, to recognise it later: \"CI pipeline\".", true);
		buf_puts(out, "<div class=\"field\"><label for=\"f-role\">Role</label>"
		    "<select id=\"f-role\" name=\"role\">");
		web_role_options(out, v->roles, v->role != NULL ? v->role : "contributor");
		buf_puts(out, "</select><p class=\"help\">At most your own role.</p></div>\n");
		web_admin_input(out, "date", "expires_at", "Expires on (optional)", v->expires,
		    v->error_field, v->error, "Empty: never. It stops at the start of that day (UTC).",
		    false);
		buf_puts(out, "<div class=\"form-actions\"><button type=\"submit\" class=\"btn "
		    "primary\">Create token</button></div></form>\n");
	}
	web_page_end(out, ctx);
	buf_free(&url);
}

/* ---- settings ----------------------------------------------------------- */

static bool
web_json_has(const json_t *arr, const char *s)
{
	const json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* The organisation's OpenID provider, for admins. */
static void
web_settings_sso(struct buf *out, const struct web_ctx *ctx, const struct web_settings_view *v)
{
	struct buf url = BUF_INIT;

	web_url_kind(&url, ctx, "settings");
	buf_puts(&url, "/sso");
	html_printf(out, "<h2 id=\"sso\">Single sign-on (OpenID Connect)</h2>\n<p>Members sign in "
	    "with your identity provider: the sign-in page's single sign-on, or <code>"
	    WEB_SSO_PATH "?org=%s</code>. Accounts are matched by verified e-mail address; "
	    "nobody is added by signing in. Register this redirect URI with the provider: "
	    "<code>%s</code></p>\n<form method=\"post\" action=\"%s\" class=\"record-form\">",
	    ctx->org, v->redirect_uri != NULL ? v->redirect_uri : "", buf_str(&url));
	web_csrf_input(out, ctx);
	web_admin_input(out, "url", "issuer", "Issuer", web_str(v->sso, "issuer"), v->error_field, v->error,
	    "The provider's issuer URL (https://); its discovery document is read from there. "
	    "Empty: no single sign-on.", false);
	web_admin_input(out, "text", "client_id", "Client ID", web_str(v->sso, "client_id"),
	    v->error_field, v->error, NULL, false);
	web_admin_input(out, "password", "client_secret", "Client secret", NULL, v->error_field, v->error,
	    v->sso != NULL ? "Stored: leave empty to keep it." : NULL, false);
	buf_puts(out, "<div class=\"form-actions\"><button type=\"submit\" class=\"btn\">Save "
	    "single sign-on</button></div></form>\n");
	buf_free(&url);
}

void
web_page_sso_continue(struct buf *out, const char *url)
{
	html_printf(out, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"refresh\" content=\"0;url=%s\">\n<title>Single sign-on \xc2\xb7 "
	    "OpenAIMS</title>\n</head>\n<body>\n<main id=\"main\"><h1>Single sign-on</h1>\n"
	    "<p><a id=\"sso-continue\" href=\"%s\">Continue to your organisation's sign-in</a>"
	    "</p></main>\n</body>\n</html>\n", html_safe_url(url), html_safe_url(url));
}

void
web_page_sso_error(struct buf *out, const char *message)
{
	web_page_begin_bare(out, "Single sign-on");
	html_printf(out, "<div class=\"signin card\">\n<p class=\"brand\">OpenAIMS</p>\n"
	    "<h1>Single sign-on</h1>\n<div class=\"flash error\" role=\"alert\">%s</div>\n"
	    "<p><a class=\"btn\" href=\"/sign-in\">Back to sign-in</a></p>\n</div>\n", message);
	web_page_end_bare(out);
}

/*
 * A setting's value for the form: as posted after an error (values, keyed by
 * the input's name), or the organisation's ("readiness.KEY" read from its
 * readiness object); "" for none.
 */
static const char *
web_settings_value(char *buf, size_t len, const struct web_settings_view *v, const char *name)
{
	const json_t *x;

	if (v->values != NULL)
		return json_string_value(json_object_get(v->values, name)) ?
		    json_string_value(json_object_get(v->values, name)) : "";
	if (strncmp(name, "readiness.", 10) == 0)
		x = json_object_get(json_object_get(v->org, "readiness"), name + 10);
	else
		x = json_object_get(v->org, name);
	if (json_is_integer(x)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(x));
		return buf;
	}
	if (json_is_true(x))
		return "1";
	return json_is_string(x) ? json_string_value(x) : "";
}

/* The time zone and the readiness options (core/org.h struct org_readiness). */
static void
web_settings_options(struct buf *out, const struct web_settings_view *v)
{
	static const char *const stages[][2] = {
		{ "", "None chosen" }, { "1", "Stage 1: the documentation" },
		{ "2", "Stage 2: the AIMS operating" },
	};
	const char *stage, *f = v->error_field;
	char b1[32], b2[32], b3[32];
	size_t i;
	bool inv;

	web_admin_input(out, "text", "timezone", "Time zone",
	    web_settings_value(b1, sizeof(b1), v, "timezone"), f, v->error,
	    "A tz database name such as Europe/Berlin or America/New_York; UTC when empty. "
	    "Pages show times in it with the zone's abbreviation (CET, CEST); the API, "
	    "exports and the ledger stay in UTC.", false);
	buf_puts(out, "<fieldset class=\"field\"><legend>Readiness</legend>"
	    "<p class=\"help\">How readiness judges this organisation (see the readiness "
	    "page).</p>");
	stage = web_settings_value(b1, sizeof(b1), v, "readiness.target_stage");
	inv = f != NULL && strcmp(f, "readiness.target_stage") == 0;
	html_printf(out, "<div class=\"field%s\"><label for=\"f-readiness.target_stage\">"
	    "Target stage</label><select id=\"f-readiness.target_stage\" "
	    "name=\"readiness.target_stage\"", inv ? " invalid" : "");
	html_attr_if(out, inv, "aria-invalid", "true");
	html_attr_if(out, !v->write, "disabled", NULL);
	buf_puts(out, ">");
	for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
		html_printf(out, "<option value=\"%s\"", stages[i][0]);
		html_attr_if(out, strcmp(stage, stages[i][0]) == 0, "selected", NULL);
		html_printf(out, ">%s</option>", stages[i][1]);
	}
	buf_puts(out, "</select>");
	if (inv && v->error != NULL)
		html_printf(out, "<p class=\"error\">%s</p>", v->error);
	buf_puts(out, "<p class=\"help\">The certification audit stage you prepare for: "
	    "readiness shows its verdict first.</p></div>\n");
	web_admin_input(out, "date", "readiness.audit_date", "Audit date",
	    web_settings_value(b1, sizeof(b1), v, "readiness.audit_date"), f, v->error,
	    "The audit's first day: readiness counts the days left. Empty: none.", false);
	web_admin_input(out, "number", "readiness.evidence_max_age_days",
	    "Evidence freshness window (days)",
	    web_settings_value(b2, sizeof(b2), v, "readiness.evidence_max_age_days"), f, v->error,
	    "Evidence without a valid-until date counts as stale once collected (or, without "
	    "a collection date, recorded) longer ago: 30 to 1825. Empty: it never goes stale.",
	    false);
	web_admin_input(out, "number", "readiness.metric_window_days",
	    "Metric evaluation window (days)",
	    web_settings_value(b3, sizeof(b3), v, "readiness.metric_window_days"), f, v->error,
	    "A metric of an AI system in operation counts as evaluated this long after its "
	    "evaluation: 7 to 366 (default 92, a quarter).", false);
	buf_puts(out, "<div class=\"field check\"><input type=\"checkbox\" "
	    "id=\"f-readiness.manual_as_gaps\" name=\"readiness.manual_as_gaps\" value=\"1\"");
	html_attr_if(out, strcmp(web_settings_value(b1, sizeof(b1), v,
	    "readiness.manual_as_gaps"), "1") == 0, "checked", NULL);
	html_attr_if(out, !v->write, "disabled", NULL);
	buf_puts(out, "><label for=\"f-readiness.manual_as_gaps\">Count items to confirm by "
	    "hand as gaps</label><p class=\"help\">Requirements no record settles (to confirm "
	    "with an attestation) are then listed as gaps and count in the Stage 1 and Stage 2 "
	    "verdicts, until an attestation confirms them.</p></div></fieldset>\n");
}

void
web_page_settings(struct buf *out, const struct web_ctx *ctx,
    const struct web_settings_view *v)
{
	const struct web_crumb crumbs[] = { { "Settings", NULL } };
	const json_t *vals = v->values != NULL ? v->values : v->org;
	const json_t *roles = json_object_get(vals, "ai_roles");
	struct buf url = BUF_INIT;
	size_t i;

	web_page_begin(out, ctx, "Settings", "settings", crumbs, 1);
	buf_puts(out, "<div class=\"page-head\"><h1>Settings</h1></div>\n");
	web_admin_error(out, v->error);
	web_url_kind(&url, ctx, "settings");
	html_printf(out, "<form method=\"post\" action=\"%s\" class=\"record-form\">",
	    buf_str(&url));
	web_csrf_input(out, ctx);
	html_printf(out, "<input type=\"hidden\" name=\"" WEB_VERSION_FIELD "\" value=\"%lld\">",
	    (long long)json_integer_value(json_object_get(v->org, "version")));
	html_printf(out, "<div class=\"field\"><span class=\"label\">Address</span>"
	    "<p><code>/o/%s/</code> (the short name cannot change: links and API clients use "
	    "it)</p></div>\n", web_str(v->org, "slug"));
	web_admin_input(out, "text", "name", "Name", web_str(vals, "name"), v->error_field, v->error,
	    NULL, true);
	buf_puts(out, "<fieldset class=\"field\"><legend>AI roles (ISO/IEC 22989)</legend>"
	    "<p class=\"help\">The roles the organisation holds for AI: they decide which "
	    "controls and obligations apply (clause 4.1). None ticked: the roles it holds for "
	    "its AI systems in use count.</p>");
	if (json_array_size(roles) == 0 && json_array_size(v->derived) > 0) {
		buf_puts(out, "<p class=\"help\">Now derived from its AI systems: ");
		for (i = 0; i < json_array_size(v->derived); i++)
			html_printf(out, "%s%s", i > 0 ? "; " : "",
			    org_ai_role_label(json_string_value(json_array_get(v->derived, i))));
		buf_puts(out, ".</p>");
	}
	for (i = 0; v->ai_roles != NULL && v->ai_roles[i] != NULL; i++) {
		html_printf(out, "<div class=\"field check\"><input type=\"checkbox\" "
		    "id=\"ai-role-%s\" name=\"ai_roles\" value=\"%s\"", v->ai_roles[i],
		    v->ai_roles[i]);
		html_attr_if(out, web_json_has(roles, v->ai_roles[i]), "checked", NULL);
		html_attr_if(out, !v->write, "disabled", NULL);
		html_printf(out, "><label for=\"ai-role-%s\">%s</label></div>", v->ai_roles[i],
		    org_ai_role_label(v->ai_roles[i]));
	}
	buf_puts(out, "</fieldset>\n<fieldset class=\"field\"><legend>Sign-in</legend>"
	    "<div class=\"field check\"><input type=\"checkbox\" id=\"f-require_second_factor\" "
	    "name=\"require_second_factor\" value=\"1\"");
	html_attr_if(out, v->require_second_factor, "checked", NULL);
	html_attr_if(out, !v->write, "disabled", NULL);
	buf_puts(out, "><label for=\"f-require_second_factor\">Require a second factor</label>"
	    "<p class=\"help\">Members without one, you included, are asked to set it up "
	    "(Account, Second factor) before they can open this organisation again. API tokens "
	    "are not affected.</p>"
	    "</div></fieldset>\n");
	web_settings_options(out, v);
	if (v->write)
		buf_puts(out, "<div class=\"form-actions\"><button type=\"submit\" class=\"btn "
		    "primary\">Save settings</button></div>");
	buf_puts(out, "</form>\n");
	if (v->admin)
		web_settings_sso(out, ctx, v);
	web_page_end(out, ctx);
	buf_free(&url);
}

/* ---- account ------------------------------------------------------------ */

void
web_page_account(struct buf *out, const struct web_account_view *v)
{
	const struct web_ctx ctx = { .tz = v->zone };
	const json_t *s;
	size_t i;
	int64_t id;

	web_plain_begin(out, "Your account", v->email, v->csrf);
	html_printf(out, "<h1>Your account</h1>\n<p>Signed in as %s.</p>\n", v->email);
	if (v->flash != NULL)
		html_printf(out, "<div class=\"flash ok\" role=\"status\">%s</div>\n", v->flash);
	web_admin_error(out, v->error);
	buf_puts(out, "<h2>Password</h2>\n<p><a class=\"btn\" href=\"" WEB_PASSWORD_PATH "\">"
	    "Change your password</a> (it signs you out everywhere else)</p>\n"
	    "<h2>Second factor</h2>\n");
	html_printf(out, "<p>%s <a class=\"btn\" href=\"" WEB_SECOND_FACTOR_PATH "\">%s</a></p>\n",
	    v->second_factor ? "On: signing in asks for a code from your authenticator app." :
	    "Off: signing in asks only for your password.",
	    v->second_factor ? "Manage the second factor" : "Set up a second factor");
	buf_puts(out, "<h2>Sessions</h2>\n<p>Where you are signed "
	    "in now. Ending a session signs that browser out at once.</p>\n"
	    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Sessions\">"
	    "<table><thead><tr><th scope=\"col\">Signed in</th>"
	    "<th scope=\"col\">Last active</th><th scope=\"col\">From</th><th scope=\"col\">"
	    "Actions</th></tr></thead><tbody>");
	json_array_foreach(v->sessions, i, s) {
		id = json_integer_value(json_object_get(s, "id"));
		buf_puts(out, "<tr><td>");
		web_time_t(out, &ctx, (time_t)json_integer_value(json_object_get(s, "created_at")));
		buf_puts(out, "</td><td>");
		web_time_t(out, &ctx, (time_t)json_integer_value(json_object_get(s, "last_seen")));
		html_printf(out, "</td><td>%s</td><td>", web_str(s, "client_addr"));
		if (id == v->current) {
			buf_puts(out, "<span class=\"small\">This session</span>");
		} else {
			html_printf(out, "<form method=\"post\" action=\"/account/sessions/%lld/end\" "
			    "class=\"inline\">", (long long)id);
			web_csrf_field(out, v->csrf);
			buf_puts(out, "<button type=\"submit\" class=\"btn\">Sign out</button></form>");
		}
		buf_puts(out, "</td></tr>\n");
	}
	buf_puts(out, "</tbody></table></div>\n");
	if (json_array_size(v->sessions) > 1) {
		buf_puts(out, "<form method=\"post\" action=\"/account/sessions/end-others\">");
		web_csrf_field(out, v->csrf);
		buf_puts(out, "<button type=\"submit\" class=\"btn danger\">Sign out everywhere "
		    "else</button></form>\n");
	}
	web_plain_end(out);
}

/* ---- invitation --------------------------------------------------------- */

void
web_page_invite(struct buf *out, const struct web_invite_view *v)
{
	const json_t *inv = v->invite;
	char help[64];

	web_plain_begin(out, "Invitation", v->signed_in, v->csrf);
	buf_puts(out, "<h1>Invitation</h1>\n");
	web_admin_error(out, v->error);
	if (inv == NULL) {
		buf_puts(out, "<p><a href=\"/sign-in\">Sign in</a></p>\n");
		web_plain_end(out);
		return;
	}
	html_printf(out, "<p>%s is invited to join <strong>%s</strong> as ", web_str(inv, "email"),
	    web_str(inv, "org_name"));
	web_enum_label(out, web_str(inv, "role"));
	buf_puts(out, ".</p>\n");
	if (json_is_true(json_object_get(inv, "has_account")) && v->signed_in == NULL) {
		buf_puts(out, "<p>This address has an account: sign in as it, then open this link "
		    "again to accept.</p>\n<p><a class=\"btn primary\" href=\"/sign-in?next=");
		html_url_escape(out, WEB_INVITE_PATH);
		html_url_escape(out, v->token);
		buf_puts(out, "\">Sign in</a></p>\n");
		web_plain_end(out);
		return;
	}
	buf_puts(out, "<form method=\"post\" class=\"record-form\" action=\"" WEB_INVITE_PATH);
	html_url_escape(out, v->token);
	buf_puts(out, "\">");
	if (v->csrf != NULL)
		web_csrf_field(out, v->csrf);
	if (!json_is_true(json_object_get(inv, "has_account"))) {
		snprintf(help, sizeof(help), "At least %d characters.", v->min_length);
		web_admin_input(out, "text", "display_name", "Your name", v->display_name,
		    v->error_field, v->error, NULL, true);
		web_admin_input(out, "password", "password", "Choose a password", NULL,
		    v->error_field, v->error, help, true);
		web_admin_input(out, "password", "password_again", "Password again", NULL,
		    v->error_field, v->error, NULL, true);
	}
	buf_puts(out, "<div class=\"form-actions\"><button type=\"submit\" class=\"btn primary\">"
	    "Accept the invitation</button></div></form>\n");
	web_plain_end(out);
}

/* ---- password reset ----------------------------------------------------- */

static void
web_reset_request(struct buf *out, const struct web_reset_view *v)
{
	buf_puts(out, "<h1>Forgot your password?</h1>\n");
	if (v->retry_after > 0)
		html_printf(out, "<div class=\"flash error\" role=\"alert\">Too many requests from "
		    "this network: try again in %d minute%s.</div>\n", (v->retry_after + 59) / 60,
		    (v->retry_after + 59) / 60 == 1 ? "" : "s");
	else if (v->asked && v->mail)
		html_printf(out, "<div class=\"flash ok\" role=\"status\" id=\"reset-asked\">If "
		    "%s has an account here, a link to set a new password is mailed to it. It "
		    "works once, within an hour; a newer one replaces it.</div>\n",
		    v->email != NULL ? v->email : "the address");
	else if (v->asked)
		html_printf(out, "<div class=\"flash ok\" role=\"status\" id=\"reset-asked\">If "
		    "%s has an account here, ask an administrator of your organisation for a "
		    "password reset link: this server does not send mail.</div>\n",
		    v->email != NULL ? v->email : "the address");
	web_admin_error(out, v->error);
	if (v->mail)
		buf_puts(out, "<p>Give the address you sign in with: a link to set a new "
		    "password is mailed to it, which works once, within an hour. An administrator "
		    "of your organisation (Members, Reset link) can also give you one.</p>\n");
	else
		buf_puts(out, "<p>This server sends no mail: an administrator of your organisation "
		    "(Members, Reset link) or the operator (aims user reset-link) gives you a link "
		    "to set a new password, which works once, within an hour.</p>\n");
	buf_puts(out, "<form method=\"post\" action=\"/reset\" class=\"record-form\">");
	web_csrf_field(out, v->csrf);
	web_admin_input(out, "email", "email", "Email", v->email, v->error_field, v->error, NULL, true);
	buf_puts(out, "<div class=\"form-actions\"><button type=\"submit\" class=\"btn primary\">"
	    "Ask for a link</button> <a class=\"btn\" href=\"/sign-in\">Back to sign-in</a></div>"
	    "</form>\n");
}

void
web_page_reset(struct buf *out, const struct web_reset_view *v)
{
	char help[64];

	web_page_begin_bare(out, "Reset your password");
	buf_puts(out, "<div class=\"signin card\">\n<p class=\"brand\">OpenAIMS</p>\n");
	if (v->token == NULL) {
		web_reset_request(out, v);
		goto done;
	}
	buf_puts(out, "<h1>Set a new password</h1>\n");
	web_admin_error(out, v->error);
	if (!v->valid) {
		buf_puts(out, "<p><a href=\"/reset\">Ask for a new link</a></p>\n");
		goto done;
	}
	html_printf(out, "<p>For %s. Setting it signs you out everywhere.</p>\n"
	    "<form method=\"post\" class=\"record-form\" action=\"" WEB_RESET_PATH,
	    v->email != NULL ? v->email : "");
	html_url_escape(out, v->token);
	buf_puts(out, "\">");
	snprintf(help, sizeof(help), "At least %d characters.", v->min_length);
	web_admin_input(out, "password", "password", "New password", NULL, v->error_field, v->error, help,
	    true);
	web_admin_input(out, "password", "password_again", "New password again", NULL,
	    v->error_field, v->error, NULL, true);
	buf_puts(out, "<div class=\"form-actions\"><button type=\"submit\" class=\"btn primary\">"
	    "Set password</button></div></form>\n");
done:
	buf_puts(out, "</div>\n");
	web_page_end_bare(out);
}

/* ---- new organisation --------------------------------------------------- */

void
web_page_org_new(struct buf *out, const struct web_org_new_view *v)
{
	const json_t *o;
	size_t i;

	web_plain_begin(out, "New organisation", v->email, v->csrf);
	buf_puts(out, "<h1>New organisation</h1>\n<p>You become its admin.</p>\n");
	web_admin_error(out, v->error);
	buf_puts(out, "<form method=\"post\" action=\"/orgs/new\" class=\"record-form\">");
	web_csrf_field(out, v->csrf);
	web_admin_input(out, "text", "name", "Name", v->name, v->error_field, v->error, NULL, true);
	web_admin_input(out, "text", "slug", "Short name (in its address)", v->slug,
	    v->error_field, v->error, "2 to 63 characters of a-z, 0-9 and '-': /o/SHORT-NAME/. It cannot "
	    "change later.", true);
	if (v->sources != NULL && json_array_size(v->sources) > 0) {
		buf_puts(out, "<div class=\"field\"><label for=\"f-from\">Start from the setup of"
		    "</label><select id=\"f-from\" name=\"from\"><option value=\"\">Nothing: an "
		    "empty organisation</option>");
		json_array_foreach(v->sources, i, o) {
			html_printf(out, "<option value=\"%s\"", web_str(o, "slug"));
			html_attr_if(out, v->from != NULL && strcmp(v->from, web_str(o, "slug")) == 0,
			    "selected", NULL);
			html_printf(out, ">%s</option>", web_str(o, "name"));
		}
		buf_puts(out, "</select><p class=\"help\">Copies its risk criteria, its documents "
		    "(as drafts, to review and approve again) and its Statement of Applicability "
		    "decisions (applicable or not, with the justification). Only organisations "
		    "you are admin or manager of.</p></div>\n");
	}
	buf_puts(out, "<div class=\"form-actions\"><button type=\"submit\" class=\"btn primary\">"
	    "Create organisation</button></div></form>\n");
	web_plain_end(out);
}

/* ---- portfolio ---------------------------------------------------------- */

void
web_page_portfolio(struct buf *out, const struct web_portfolio_view *v)
{
	struct web_ctx ctx = { .tz = NULL };
	const json_t *o, *st;
	size_t i, j;

	web_plain_begin(out, "Portfolio", v->email, v->csrf);
	buf_puts(out, "<h1>Portfolio</h1>\n<p>Every organisation you belong to, with its "
	    "certification readiness as last evaluated (opening its readiness page evaluates "
	    "it again).</p>\n");
	if (v->flash != NULL)
		html_printf(out, "<div class=\"flash ok\" role=\"status\">%s</div>\n", v->flash);
	buf_puts(out, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Organisations\">"
	    "<table><thead><tr><th scope=\"col\">Organisation</th><th scope=\"col\">Your role</th><th scope=\"col\">Readiness</th>"
	    "<th scope=\"col\">Stage 1</th><th scope=\"col\">Stage 2</th><th scope=\"col\">"
	    "Evaluated</th></tr></thead><tbody>");
	json_array_foreach(v->orgs, i, o) {
		buf_puts(out, "<tr><th scope=\"row\"><a href=\"/o/");
		html_url_escape(out, web_str(o, "slug"));
		html_printf(out, "/\">%s</a></th><td>", web_str(o, "name"));
		web_enum_label(out, web_str(o, "role"));
		html_printf(out, "</td><td><a href=\"/o/");
		html_url_escape(out, web_str(o, "slug"));
		html_printf(out, "/readiness\">%lld%%<span class=\"sr\"> ready: %s</span></a></td>",
		    (long long)json_number_value(json_object_get(o, "score")), web_str(o, "name"));
		json_array_foreach(json_object_get(o, "stages"), j, st) {
			if (j >= 2)
				break;
			html_printf(out, "<td>%s", strcmp(web_str(st, "verdict"), "ready") == 0 ?
			    "Ready" : "Not ready");
			if (json_integer_value(json_object_get(st, "blocking_gaps")) > 0)
				html_printf(out, " (%lld blocking gap%s)",
				    (long long)json_integer_value(json_object_get(st, "blocking_gaps")),
				    json_integer_value(json_object_get(st, "blocking_gaps")) == 1 ?
				    "" : "s");
			buf_puts(out, "</td>");
		}
		for (; j < 2; j++)
			buf_puts(out, "<td></td>");
		/* Each organisation's time in its own zone (UTC when it is not known). */
		if (tz_load(&ctx.tz, web_str(o, "timezone")) != 0)
			ctx.tz = NULL;
		buf_puts(out, "<td>");
		web_time(out, &ctx, web_str(o, "as_of"));
		buf_puts(out, "</td></tr>\n");
	}
	if (json_array_size(v->orgs) == 0)
		buf_puts(out, "<tr><td colspan=\"6\" class=\"empty\">You belong to no organisation "
		    "yet: <a href=\"/orgs/new\">create one</a>.</td></tr>");
	buf_puts(out, "</tbody></table></div>\n");
	web_plain_end(out);
}

/* ---- second factor ------------------------------------------------------ */

static void
web_second_factor_setup(struct buf *out, const struct web_second_factor_view *v)
{
	buf_puts(out, "<h2>Set up</h2>\n<ol><li>Scan this code with an authenticator app "
	    "(or type the key below into it).</li><li>Type the six digits it shows.</li></ol>\n"
	    "<div class=\"qr-box\">");
	if (web_qr_svg(out, v->uri, "QR code of the authenticator key") != 0)
		buf_puts(out, "<p>The QR code could not be drawn: type the key.</p>");
	html_printf(out, "</div>\n<p><label for=\"totp-key\">Key</label> <input id=\"totp-key\" "
	    "type=\"text\" readonly class=\"copy\" value=\"%s\"></p>\n<form method=\"post\" "
	    "action=\"" WEB_SECOND_FACTOR_PATH "/confirm\" class=\"record-form\">", v->secret);
	web_csrf_field(out, v->csrf);
	buf_puts(out, "<div class=\"field\"><label for=\"f-code\">Code</label><input "
	    "type=\"text\" id=\"f-code\" name=\"code\" inputmode=\"numeric\" "
	    "autocomplete=\"one-time-code\" required pattern=\"[0-9 ]{6,7}\"");
	html_attr_if(out, v->error != NULL, "aria-invalid", "true");
	html_attr_if(out, v->error != NULL, "aria-errormessage", WEB_ADMIN_ERROR_ID);
	buf_puts(out, "></div><div class=\"form-actions\"><button type=\"submit\" class=\"btn "
	    "primary\">Turn on</button></div></form>\n");
}

void
web_page_second_factor(struct buf *out, const struct web_second_factor_view *v)
{
	size_t i;

	web_plain_begin(out, "Second factor", v->email, v->csrf);
	buf_puts(out, "<h1>Second factor</h1>\n");
	if (v->required_by != NULL && !v->enabled)
		html_printf(out, "<div class=\"flash error\" role=\"alert\">%s requires a second "
		    "factor of its members: set it up to open it.</div>\n", v->required_by);
	web_admin_error(out, v->error);
	if (v->codes != NULL) {
		buf_puts(out, "<div class=\"flash ok\" role=\"status\"><p>The second factor is on. "
		    "These recovery codes are shown only this once: keep them somewhere safe. Each "
		    "signs you in once if you lose your authenticator.</p><ul class=\"codes\">");
		for (i = 0; v->codes[i] != NULL; i++)
			html_printf(out, "<li><code>%s</code></li>", v->codes[i]);
		buf_puts(out, "</ul></div>\n<p><a class=\"btn\" href=\"/account\">Back to your "
		    "account</a></p>\n");
	} else if (v->enabled) {
		buf_puts(out, "<p>On: signing in asks for a code from your authenticator app.</p>\n"
		    "<form method=\"post\" action=\"" WEB_SECOND_FACTOR_PATH "/disable\" "
		    "class=\"record-form\">");
		web_csrf_field(out, v->csrf);
		buf_puts(out, "<div class=\"field\"><label for=\"f-code\">A current code or a "
		    "recovery code</label><input type=\"text\" id=\"f-code\" name=\"code\" "
		    "autocomplete=\"one-time-code\" required></div><div class=\"form-actions\">"
		    "<button type=\"submit\" class=\"btn danger\">Turn off</button></div></form>\n");
	} else if (v->uri != NULL) {
		web_second_factor_setup(out, v);
	} else {
		buf_puts(out, "<p>Off. With a second factor, signing in asks for your password and "
		    "a code from an authenticator app on your phone (TOTP, RFC 6238).</p>\n"
		    "<form method=\"post\" action=\"" WEB_SECOND_FACTOR_PATH "/start\">");
		web_csrf_field(out, v->csrf);
		buf_puts(out, "<button type=\"submit\" class=\"btn primary\">Set up</button>"
		    "</form>\n");
	}
	web_plain_end(out);
}

void
web_page_sign_in_code(struct buf *out, const struct web_sign_in_code_view *v)
{
	web_page_begin_bare(out, "Sign in: code");
	buf_puts(out, "<div class=\"signin card\">\n<p class=\"brand\">OpenAIMS</p>\n"
	    "<h1>Your code</h1>\n");
	if (v->retry_after > 0)
		html_printf(out, "<div class=\"flash error\" role=\"alert\" id=\"" WEB_ADMIN_ERROR_ID
		    "\">Too many wrong codes: try again in %d second%s.</div>\n", v->retry_after,
		    v->retry_after == 1 ? "" : "s");
	else
		web_admin_error(out, v->error);
	buf_puts(out, "<p>Type the code your authenticator app shows, or one of your recovery "
	    "codes.</p>\n<form method=\"post\" action=\"" WEB_SIGN_IN_CODE_PATH "\" "
	    "class=\"record-form\">");
	if (v->next != NULL)
		html_printf(out, "<input type=\"hidden\" name=\"next\" value=\"%s\">", v->next);
	buf_puts(out, "<div class=\"field\"><label for=\"f-code\">Code</label><input "
	    "type=\"text\" id=\"f-code\" name=\"code\" autocomplete=\"one-time-code\" "
	    "required autofocus");
	html_attr_if(out, v->error != NULL, "aria-invalid", "true");
	html_attr_if(out, v->error != NULL, "aria-errormessage", WEB_ADMIN_ERROR_ID);
	buf_puts(out, "></div><div class=\"form-actions\"><button type=\"submit\" class=\"btn "
	    "primary\">Sign in</button> <a class=\"btn\" href=\"/sign-in\">Start again</a></div>"
	    "</form>\n</div>\n");
	web_page_end_bare(out);
}
