/*
 * page_members.c - an organisation's members: who belongs, with which role,
 * and whether their account may sign in. An admin disables or enables
 * another member's account from here (the rule of who may is core's:
 * member_set_user_disabled); the page only offers the buttons to admins.
 */
#include <string.h>
#include <strings.h>

#include "web/html.h"
#include "web/web.h"

static const char *
web_member_str(const json_t *m, const char *name)
{
	const char *s = json_string_value(json_object_get(m, name));

	return s != NULL ? s : "";
}

/* A POST button to /o/ORG/members/EMAIL/VERB, asking first. */
static void
web_member_button(struct buf *out, const struct web_ctx *ctx, const char *email,
    const char *verb, const char *label, const char *confirm, const char *cls)
{
	struct buf url = BUF_INIT;

	web_url_kind(&url, ctx, "members");
	buf_putc(&url, '/');
	html_url_escape(&url, email);
	buf_printf(&url, "/%s", verb);
	html_printf(out, "<form method=\"post\" action=\"%s\" class=\"inline\" "
	    "data-confirm=\"%s %s?\">", buf_str(&url), confirm, email);
	web_csrf_input(out, ctx);
	html_printf(out, "<button type=\"submit\" class=\"btn %s\">%s</button></form>", cls, label);
	buf_free(&url);
}

void
web_page_members(struct buf *out, const struct web_ctx *ctx, const json_t *members,
    bool manage)
{
	const struct web_crumb crumbs[] = { { "Members", NULL } };
	struct buf link = BUF_INIT;
	const char *email;
	const json_t *m;
	bool disabled;
	size_t i;

	web_page_begin(out, ctx, "Members", "members", crumbs, 1);
	html_printf(out, "<div class=\"page-head\"><h1>Members</h1></div>\n"
	    "<p class=\"lede\">Who belongs to %s, with which role.%s</p>\n", ctx->org_name,
	    manage ? " Disabling an account stops its sign-in, ends its sessions and revokes "
	    "every API token it made, at once." : "");
	buf_reset(&link);
	web_url_kind(&link, ctx, "competence-gaps");
	html_printf(out, "<p><a href=\"%s\">Competence gaps and AI literacy (7.2)</a></p>\n",
	    buf_str(&link));
	buf_puts(out, "<div class=\"table-wrap\"><table><thead><tr>"
	    "<th scope=\"col\">Email</th><th scope=\"col\">Name</th><th scope=\"col\">Role</th>"
	    "<th scope=\"col\">Account</th>");
	if (manage)
		buf_puts(out, "<th scope=\"col\">Actions</th>");
	buf_puts(out, "</tr></thead><tbody>");
	json_array_foreach(members, i, m) {
		email = web_member_str(m, "email");
		disabled = json_is_true(json_object_get(m, "disabled"));
		html_printf(out, "<tr><th scope=\"row\">%s</th><td>%s</td><td>", email,
		    web_member_str(m, "display_name"));
		web_enum_label(out, web_member_str(m, "role"));
		html_printf(out, "</td><td><span class=\"tag t-%s\">%s</span></td>",
		    disabled ? "disabled" : "active", disabled ? "Disabled" : "Active");
		if (manage) {
			buf_puts(out, "<td>");
			if (ctx->user != NULL && strcasecmp(ctx->user, email) == 0)
				buf_puts(out, "<span class=\"small\">You</span>");
			else if (disabled)
				web_member_button(out, ctx, email, "enable", "Enable",
				    "Let this account sign in again:", "");
			else
				web_member_button(out, ctx, email, "disable", "Disable",
				    "Disable this account, end its sessions and revoke its API tokens:",
				    "danger");
			buf_puts(out, "</td>");
		}
		buf_puts(out, "</tr>\n");
	}
	if (json_array_size(members) == 0)
		html_printf(out, "<tr><td colspan=\"%d\" class=\"empty\">No members.</td></tr>",
		    manage ? 5 : 4);
	buf_puts(out, "</tbody></table></div>\n");
	web_page_end(out, ctx);
	buf_free(&link);
}
