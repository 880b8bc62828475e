/*
 * page_members.c - an organisation's members: who belongs, with which role,
 * and whether their account may sign in; the invitations still waiting.
 * Whoever may add members invites an address (the link is shown once to
 * copy when the server sends no mail), changes roles and removes members;
 * an admin disables or enables an account and makes a password reset link
 * for it. The rules (who may grant which role, never the last admin, whose
 * account an admin may touch) are core's; the page offers the controls the
 * handler says the person has, and shows core's refusal as it came.
 */
#include <string.h>
#include <strings.h>

#include "web/admin.h"
#include "web/html.h"
#include "web/web.h"

static const char *
web_member_str(const json_t *m, const char *name)
{
	const char *s = json_string_value(json_object_get(m, name));

	return s != NULL ? s : "";
}

/* "/o/ORG/members/EMAIL/VERB" */
static void
web_member_url(struct buf *url, const struct web_ctx *ctx, const char *email, const char *verb)
{
	web_url_kind(url, ctx, "members");
	buf_putc(url, '/');
	html_url_escape(url, email);
	buf_printf(url, "/%s", verb);
}

/* A POST button to /o/ORG/members/EMAIL/VERB, asking first. */
static void
web_member_button(struct buf *out, const struct web_ctx *ctx, const char *email,
    const char *verb, const char *label, const char *confirm, const char *cls)
{
	struct buf url = BUF_INIT;

	web_member_url(&url, ctx, email, verb);
	html_printf(out, "<form method=\"post\" action=\"%s\" class=\"inline\" "
	    "data-confirm=\"%s %s?\">", buf_str(&url), confirm, email);
	web_csrf_input(out, ctx);
	html_printf(out, "<button type=\"submit\" class=\"btn %s\">%s</button></form>", cls, label);
	buf_free(&url);
}

/* The role select (id unique per row) with the roles the person may grant. */
static void
web_member_role_select(struct buf *out, const char *id, const char *const *roles,
    const char *current)
{
	size_t i;

	html_printf(out, "<select id=\"%s\" name=\"role\">", id);
	for (i = 0; roles != NULL && roles[i] != NULL; i++) {
		html_printf(out, "<option value=\"%s\"", roles[i]);
		html_attr_if(out, current != NULL && strcmp(current, roles[i]) == 0, "selected", NULL);
		buf_puts(out, ">");
		web_enum_label(out, roles[i]);
		buf_puts(out, "</option>");
	}
	buf_puts(out, "</select>");
}

static bool
web_member_grantable(const char *const *roles, const char *role)
{
	size_t i;

	for (i = 0; roles != NULL && roles[i] != NULL; i++)
		if (strcmp(roles[i], role) == 0)
			return true;
	return false;
}

/* Change role (a small form) and Remove, for a member whose role the person may grant. */
static void
web_member_write_controls(struct buf *out, const struct web_ctx *ctx,
    const struct web_members_view *v, const json_t *m, size_t row)
{
	const char *email = web_member_str(m, "email"), *role = web_member_str(m, "role");
	struct buf url = BUF_INIT;
	char id[32];

	if (!web_member_grantable(v->roles, role))
		return;
	web_member_url(&url, ctx, email, "role");
	snprintf(id, sizeof(id), "role-%zu", row);
	html_printf(out, "<form method=\"post\" action=\"%s\" class=\"inline\">", buf_str(&url));
	web_csrf_input(out, ctx);
	html_printf(out, "<input type=\"hidden\" name=\"" WEB_VERSION_FIELD "\" value=\"%lld\">",
	    (long long)json_integer_value(json_object_get(m, "version")));
	html_printf(out, "<label class=\"sr\" for=\"%s\">Role of %s</label>", id, email);
	web_member_role_select(out, id, v->roles, role);
	buf_puts(out, " <button type=\"submit\" class=\"btn\">Change role</button></form> ");
	web_member_button(out, ctx, email, "remove", "Remove",
	    "Remove from this organisation (their API tokens here are revoked):", "danger");
	buf_free(&url);
}

static void
web_members_invites(struct buf *out, const struct web_ctx *ctx,
    const struct web_members_view *v)
{
	struct buf url = BUF_INIT;
	const json_t *inv;
	size_t i;

	if (v->invites == NULL || json_array_size(v->invites) == 0)
		return;
	buf_puts(out, "<h2>Waiting invitations</h2>\n<div class=\"table-wrap\" tabindex=\"0\" "
	    "role=\"region\" aria-label=\"Waiting invitations\"><table><thead><tr>"
	    "<th scope=\"col\">Email</th><th scope=\"col\">Role</th><th scope=\"col\">Invited by"
	    "</th><th scope=\"col\">Expires</th><th scope=\"col\">Actions</th></tr></thead>"
	    "<tbody>");
	json_array_foreach(v->invites, i, inv) {
		buf_reset(&url);
		web_url_kind(&url, ctx, "members");
		buf_printf(&url, "/invites/%lld/withdraw",
		    (long long)json_integer_value(json_object_get(inv, "id")));
		html_printf(out, "<tr><th scope=\"row\">%s</th><td>", web_member_str(inv, "email"));
		web_enum_label(out, web_member_str(inv, "role"));
		html_printf(out, "</td><td>%s</td><td>", web_member_str(inv, "invited_by"));
		web_time(out, ctx, web_member_str(inv, "expires_at"));
		html_printf(out, "</td><td><form method=\"post\" action=\"%s\" class=\"inline\">",
		    buf_str(&url));
		web_csrf_input(out, ctx);
		buf_puts(out, "<button type=\"submit\" class=\"btn\">Withdraw</button></form></td>"
		    "</tr>\n");
	}
	buf_puts(out, "</tbody></table></div>\n");
	buf_free(&url);
}

static void
web_members_invite_form(struct buf *out, const struct web_ctx *ctx,
    const struct web_members_view *v)
{
	struct buf url = BUF_INIT;
	bool bad_email = v->error_field != NULL && strcmp(v->error_field, "email") == 0;

	web_url_kind(&url, ctx, "members");
	buf_puts(&url, "/invite");
	html_printf(out, "<h2 id=\"invite\">Invite someone</h2>\n<form method=\"post\" "
	    "action=\"%s\" class=\"record-form\">", buf_str(&url));
	web_csrf_input(out, ctx);
	html_printf(out, "<div class=\"field%s\"><label for=\"invite-email\">Email</label>"
	    "<input type=\"email\" id=\"invite-email\" name=\"email\" required "
	    "autocomplete=\"off\" value=\"%s\"", bad_email ? " invalid" : "",
	    v->email != NULL ? v->email : "");
	html_attr_if(out, bad_email, "aria-invalid", "true");
	html_attr_if(out, bad_email, "aria-describedby", "invite-email-error");
	buf_puts(out, ">");
	if (bad_email && v->error != NULL)
		html_printf(out, "<p class=\"error\" id=\"invite-email-error\">%s</p>", v->error);
	html_printf(out, "<p class=\"help\">The invitation is a link that works once and "
	    "expires after 7 days%s.</p></div>\n<div class=\"field\"><label for=\"invite-role\">"
	    "Role</label>", v->mail ? "; it is mailed to the address" : ": copy it to the "
	    "person (this server sends no mail)");
	web_member_role_select(out, "invite-role", v->roles,
	    v->role != NULL ? v->role : "viewer");
	buf_puts(out, "</div>\n<div class=\"form-actions\"><button type=\"submit\" "
	    "class=\"btn primary\">Invite</button></div></form>\n");
	buf_free(&url);
}

void
web_page_members(struct buf *out, const struct web_ctx *ctx, const struct web_members_view *v)
{
	const struct web_crumb crumbs[] = { { "Members", NULL } };
	struct buf link = BUF_INIT;
	const char *email;
	const json_t *m;
	bool disabled, actions = v->manage || v->write, self;
	size_t i;

	web_page_begin(out, ctx, "Members", "members", crumbs, 1);
	html_printf(out, "<div class=\"page-head\"><h1>Members</h1></div>\n"
	    "<p class=\"lede\">Who belongs to %s, with which role.%s</p>\n", ctx->org_name,
	    v->manage ? " Disabling an account stops its sign-in, ends its sessions and revokes "
	    "every API token it made, at once." : "");
	if (v->error != NULL)
		html_printf(out, "<div class=\"flash error\" role=\"alert\" id=\"members-error\">%s"
		    "</div>\n", v->error);
	if (v->link != NULL)
		web_link_box(out, v->link);
	if (v->mailed != NULL)
		html_printf(out, "<div class=\"flash ok\" role=\"status\" id=\"invite-mailed\">"
		    "An invitation is mailed to %s: its link works once, within 7 days. It waits "
		    "below until it is accepted.</div>\n", v->mailed);
	web_url_kind(&link, ctx, "competence-gaps");
	html_printf(out, "<p><a href=\"%s\">Competence gaps and AI literacy (7.2)</a></p>\n",
	    buf_str(&link));
	buf_puts(out, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Members\">"
	    "<table><thead><tr><th scope=\"col\">Email</th><th scope=\"col\">Name</th><th scope=\"col\">Role</th>"
	    "<th scope=\"col\">Account</th>");
	if (actions)
		buf_puts(out, "<th scope=\"col\">Actions</th>");
	buf_puts(out, "</tr></thead><tbody>");
	json_array_foreach(v->members, i, m) {
		email = web_member_str(m, "email");
		disabled = json_is_true(json_object_get(m, "disabled"));
		self = ctx->user != NULL && strcasecmp(ctx->user, email) == 0;
		html_printf(out, "<tr><th scope=\"row\">%s</th><td>%s</td><td>", email,
		    web_member_str(m, "display_name"));
		web_enum_label(out, web_member_str(m, "role"));
		html_printf(out, "</td><td><span class=\"tag t-%s\">%s</span></td>",
		    disabled ? "disabled" : "active", disabled ? "Disabled" : "Active");
		if (actions) {
			buf_puts(out, "<td>");
			if (self)
				buf_puts(out, "<span class=\"small\">You</span>");
			else {
				if (v->write)
					web_member_write_controls(out, ctx, v, m, i);
				if (v->manage && disabled)
					web_member_button(out, ctx, email, "enable", "Enable",
					    "Let this account sign in again:", "");
				else if (v->manage)
					web_member_button(out, ctx, email, "disable", "Disable",
					    "Disable this account, end its sessions and revoke its API "
					    "tokens:", "danger");
				if (v->manage && !disabled)
					web_member_button(out, ctx, email, "reset-link",
					    "Reset link", "Make a password reset link (it replaces any "
					    "earlier one) for", "");
			}
			buf_puts(out, "</td>");
		}
		buf_puts(out, "</tr>\n");
	}
	if (json_array_size(v->members) == 0)
		html_printf(out, "<tr><td colspan=\"%d\" class=\"empty\">No members.</td></tr>",
		    actions ? 5 : 4);
	buf_puts(out, "</tbody></table></div>\n");
	web_members_invites(out, ctx, v);
	if (v->write)
		web_members_invite_form(out, ctx, v);
	web_page_end(out, ctx);
	buf_free(&link);
}
