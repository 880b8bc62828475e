/*
 * api_members.c - /api/v1/orgs/{org}/members: who belongs, with which role.
 * The rules (nobody grants, changes or removes a role higher than their
 * own; the last admin stays) live in core/member.c. Admins also disable
 * and enable a member's account here: sessions and tokens end at once.
 * /competence-gaps: who lacks a competence their role requires;
 * /documents/{ref}/acknowledgements: awareness (core/acknowledge.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/acknowledge.h"
#include "core/competence.h"
#include "core/member.h"
#include "core/perm.h"
#include "http/api.h"
#include "http/server.h"
#include "util/error.h"

/* The member record with ref = email, or AIMS_ENOTFOUND. Caller owns *out. */
static int
api_member_find(json_t **out, struct http_ctx *c, const char *email)
{
	json_t *all = NULL, *m;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = member_list(&all, c->db, c->org_id)) != 0)
		return rc;
	json_array_foreach(all, i, m) {
		if (strcasecmp(json_string_value(json_object_get(m, "email")), email) == 0) {
			json_object_set(m, "ref", json_object_get(m, "email"));
			*out = json_incref(m);
			break;
		}
	}
	json_decref(all);
	return *out ? 0 : aims_error_set(AIMS_ENOTFOUND, NULL, "no such member");
}

/*
 * A membership's change, through the server's writer (member_change_apply).
 * Disabling or enabling changes the account, its sessions and its tokens in
 * every organisation: the store's, not one organisation's.
 */
static int
api_member_change(struct http_ctx *c, enum member_op op, const char *email, enum role role,
    int64_t version)
{
	struct member_change m = { .op = op, .actor = &c->actor, .org_id = c->org_id,
	    .email = email, .role = role, .if_version = version };
	bool account = op == MEMBER_DISABLE || op == MEMBER_ENABLE;

	return http_server_write(c->db, account ? 0 : c->org_id, member_change_apply, &m);
}

int
api_members_list(struct http_ctx *c)
{
	json_t *all = NULL, *m;
	size_t i;
	int rc;

	if ((rc = member_list(&all, c->db, c->org_id)) != 0)
		return rc;
	json_array_foreach(all, i, m)
		json_object_set(m, "ref", json_object_get(m, "email"));
	return http_reply_page(c, all);
}

int
api_competence_gaps(struct http_ctx *c)
{
	json_t *view = NULL;
	int rc;

	if ((rc = competence_gaps(&view, c->db, c->org_id, NULL)) != 0)
		return rc;
	http_reply_json(c, 200, view);
	return 0;
}

int
api_ack_add(struct http_ctx *c)
{
	struct ack_change a = { .org_id = c->org_id, .actor = &c->actor,
	    .ref = http_param(c, "ref") };
	int rc;

	if ((rc = http_server_write(c->db, c->org_id, ack_change_apply, &a)) != 0)
		return rc;
	http_reply_json(c, 201, a.out);
	return 0;
}

int
api_ack_status(struct http_ctx *c)
{
	json_t *st = NULL;
	int rc;

	if ((rc = ack_status(&st, c->db, c->org_id, http_param(c, "ref"))) != 0)
		return rc;
	http_reply_json(c, 200, st);
	return 0;
}

int
api_members_add(struct http_ctx *c)
{
	const char *email = http_body_str(c, "email");
	json_t *rec = NULL;
	enum role role;
	char loc[400];
	int rc;

	if ((rc = role_parse(&role, http_body_str(c, "role"))) != 0)
		return rc;
	if (api_member_find(&rec, c, email) == 0) {
		json_decref(rec);
		return aims_error_set(AIMS_EEXISTS, "email",
		    "%s is already a member: change their role with PATCH", email);
	}
	if ((rc = api_member_change(c, MEMBER_ADD, email, role, 0)) != 0 ||
	    (rc = api_member_find(&rec, c, email)) != 0)
		return rc;
	snprintf(loc, sizeof(loc), "/api/v1/orgs/%s/members/%s", http_param(c, "org"), email);
	http_reply_record(c, 201, rec, loc);
	return 0;
}

int
api_members_get(struct http_ctx *c)
{
	json_t *rec = NULL;
	int rc;

	if ((rc = api_member_find(&rec, c, http_param(c, "email"))) != 0)
		return rc;
	http_reply_record(c, 200, rec, NULL);
	return 0;
}

int
api_members_update(struct http_ctx *c)
{
	const char *email = http_param(c, "email");
	json_t *rec = NULL;
	int64_t version;
	enum role role;
	int rc;

	if ((rc = http_if_match_or_reply(&version, c)) != 0)
		return rc;
	if ((rc = role_parse(&role, http_body_str(c, "role"))) != 0 ||
	    (rc = api_member_change(c, MEMBER_SET_ROLE, email, role, version)) != 0 ||
	    (rc = api_member_find(&rec, c, email)) != 0)
		return rc;
	http_reply_record(c, 200, rec, NULL);
	return 0;
}

int
api_members_remove(struct http_ctx *c)
{
	const char *email = http_param(c, "email");
	int64_t version;
	int rc;

	if ((rc = http_if_match_or_reply(&version, c)) != 0 ||
	    (rc = api_member_change(c, MEMBER_REMOVE, email, ROLE_NONE, version)) != 0)
		return rc;
	http_reply_empty(c, 204);
	return 0;
}

/* POST .../members/{email}/disable and .../enable: answers the membership. */
static int
api_members_set_disabled(struct http_ctx *c, bool disabled)
{
	const char *email = http_param(c, "email");
	json_t *rec = NULL;
	int rc;

	if ((rc = api_member_change(c, disabled ? MEMBER_DISABLE : MEMBER_ENABLE, email,
	    ROLE_NONE, 0)) != 0 ||
	    (rc = api_member_find(&rec, c, email)) != 0)
		return rc;
	http_reply_record(c, 200, rec, NULL);
	return 0;
}

int
api_members_disable(struct http_ctx *c)
{
	return api_members_set_disabled(c, true);
}

int
api_members_enable(struct http_ctx *c)
{
	return api_members_set_disabled(c, false);
}
