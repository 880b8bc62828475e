/*
 * api_orgs.c - /api/v1/orgs: the organisations the caller belongs to, and
 * creating one (its creator becomes its first admin).
 */
#include <stdio.h>

#include "core/member.h"
#include "core/org.h"
#include "http/api.h"
#include "http/server.h"
#include "store/db.h"
#include "util/error.h"

/* The org record as the API shows it: ref = slug, plus the caller's role. */
static int
api_org_record(json_t **out, struct http_ctx *c, int64_t org_id, const char *role)
{
	struct org_ai_roles roles;
	json_t *o = NULL;
	int rc;

	*out = NULL;
	if ((rc = org_get(&o, c->db, org_id)) != 0)
		return rc;
	json_object_del(o, "id");
	json_object_set(o, "ref", json_object_get(o, "slug"));
	if ((rc = org_ai_roles_get(&roles, c->db, org_id)) != 0) {
		json_decref(o);
		return rc;
	}
	json_object_set(o, "ai_roles_derived", roles.derived);
	json_object_set(o, "ai_roles_effective", roles.effective);
	org_ai_roles_free(&roles);
	if (role != NULL)
		json_object_set_new(o, "role", json_string(role));
	*out = o;
	return 0;
}

int
api_orgs_list(struct http_ctx *c)
{
	json_t *mine = NULL, *all = json_array(), *m, *rec;
	int64_t id;
	size_t i;
	int rc;

	if (c->who.kind == HTTP_TOKEN) {
		if ((rc = api_org_record(&rec, c, c->who.token_org_id,
		    role_name(c->who.token_role))) != 0)
			goto fail;
		json_array_append_new(all, rec);
		return http_reply_page(c, all);
	}
	if ((rc = member_orgs_of_user(&mine, c->db, c->who.user_id)) != 0)
		goto fail;
	json_array_foreach(mine, i, m) {
		if ((rc = org_id_by_slug(&id, c->db, json_string_value(json_object_get(m,
		    "slug")))) != 0 ||
		    (rc = api_org_record(&rec, c, id, json_string_value(json_object_get(m,
		    "role")))) != 0)
			goto fail;
		json_array_append_new(all, rec);
	}
	json_decref(mine);
	return http_reply_page(c, all);
fail:
	json_decref(mine);
	json_decref(all);
	return rc;
}

/*
 * An organisation made, or its settings changed, as one change of the
 * server's writer. A new organisation has no id to lock yet: the store's.
 */
struct api_org_change {
	struct http_ctx		*c;
	const struct actor	*actor;
	const char		*slug, *name;	/* create */
	int64_t			 id;		/* create: the new one's */
	int64_t			 version;	/* update */
};

static int
api_org_create_apply(struct db *db, void *arg)
{
	struct api_org_change *o = arg;

	return org_create_owned(&o->id, db, o->actor, o->slug, o->name, o->c->who.email);
}

/* Settings first: the version checked is the one the caller read. */
static int
api_org_update_apply(struct db *db, void *arg)
{
	struct api_org_change *o = arg;
	struct http_ctx *c = o->c;
	const char *tz = http_body_str(c, "timezone");
	const json_t *readiness = json_object_get(c->body, "readiness");
	int64_t version = o->version;
	json_t *out = NULL;
	int rc;

	if ((tz != NULL || readiness != NULL) && (rc = org_update_settings(NULL, db,
	    &c->actor, c->org_id, version, tz, readiness)) != 0)
		return rc;
	if (http_body_str(c, "name") != NULL || json_object_get(c->body, "ai_roles") != NULL) {
		if (tz != NULL || readiness != NULL)
			version = 0;	/* checked above; the settings' change moved it on */
		if ((rc = org_update(&out, db, &c->actor, c->org_id, version,
		    http_body_str(c, "name"), json_object_get(c->body, "ai_roles"))) != 0)
			return rc;
		json_decref(out);
	}
	return 0;
}

int
api_orgs_create(struct http_ctx *c)
{
	struct actor actor = { c->who.user_id, c->who.name, ROLE_ADMIN };
	const char *slug = http_body_str(c, "slug"), *name = http_body_str(c, "name");
	struct api_org_change o = { .c = c, .actor = &actor, .slug = slug,
	    .name = name ? name : slug };
	json_t *rec = NULL;
	char loc[128];
	int rc;

	if ((rc = http_server_write(c->db, 0, api_org_create_apply, &o)) != 0 ||
	    (rc = api_org_record(&rec, c, o.id, "admin")) != 0)
		return rc;
	snprintf(loc, sizeof(loc), "/api/v1/orgs/%s", slug);
	http_reply_record(c, 201, rec, loc);
	return 0;
}

int
api_orgs_get(struct http_ctx *c)
{
	json_t *rec = NULL;
	int rc;

	if ((rc = api_org_record(&rec, c, c->org_id, role_name(c->role))) != 0)
		return rc;
	http_reply_record(c, 200, rec, NULL);
	return 0;
}

int
api_orgs_update(struct http_ctx *c)
{
	const char *tz = http_body_str(c, "timezone");
	const json_t *readiness = json_object_get(c->body, "readiness");
	struct api_org_change o = { .c = c };
	json_t *rec = NULL;
	int rc;

	if ((rc = http_if_match_or_reply(&o.version, c)) != 0)
		return rc;
	if (http_body_str(c, "name") == NULL && json_object_get(c->body, "ai_roles") == NULL &&
	    tz == NULL && readiness == NULL)
		return aims_error_set(AIMS_EINVALID, "name", "give at least one of name, ai_roles, "
		    "timezone and readiness");
	/* One change: all the fields given change, or none. */
	if ((rc = http_server_write(c->db, c->org_id, api_org_update_apply, &o)) != 0)
		return rc;
	if ((rc = api_org_record(&rec, c, c->org_id, role_name(c->role))) != 0)
		return rc;
	http_reply_record(c, 200, rec, NULL);
	return 0;
}
