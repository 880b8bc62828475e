/*
 * web_members.c - the members page and an admin's Disable / Enable buttons
 * on it. Who may disable whom is core's rule (member_set_user_disabled);
 * a refusal comes back as an error page naming why.
 */
#include <stdbool.h>
#include <string.h>

#include "core/competence.h"
#include "core/member.h"
#include "core/perm.h"
#include "http/webui.h"
#include "util/error.h"

int
webui_members(struct http_ctx *c)
{
	struct buf page = BUF_INIT;
	json_t *members = NULL;
	int rc;

	if ((rc = member_list(&members, c->db, c->org_id)) != 0)
		return rc;
	web_page_members(&page, &c->web->ctx, members,
	    perm_allows(c->role, PERM_ADMIN, PERM_KIND_MEMBERSHIP));
	webui_send(c, 200, &page);
	json_decref(members);
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

static int
webui_member_set_disabled(struct http_ctx *c, bool disabled)
{
	struct buf url = BUF_INIT;
	int rc;

	if ((rc = member_set_user_disabled(c->db, &c->actor, c->org_id, http_param(c, "email"),
	    disabled)) != 0)
		return rc;
	webui_flash(c, disabled ? "disabled" : "enabled", NULL);
	web_url_kind(&url, &c->web->ctx, "members");
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
	return 0;
}

int
webui_member_disable(struct http_ctx *c)
{
	return webui_member_set_disabled(c, true);
}

int
webui_member_enable(struct http_ctx *c)
{
	return webui_member_set_disabled(c, false);
}
