/*
 * web_choices.c - the options behind a form's pickers: the organisation's
 * members for user fields, the records of the target kind for references,
 * catalog requirements for requirement fields. A kind with more records
 * than a select can usefully hold (WEB_CHOICES_MAX) gets no list: the page
 * falls back to a text input, and the list is never read.
 */
#include <stdio.h>
#include <string.h>

#include "core/catalog.h"
#include "core/member.h"
#include "http/webui.h"
#include "util/error.h"
#include "util/mem.h"

#define WEBUI_REQ_FRAMEWORK	CATALOG_ISO42001

static int
webui_choices_users(json_t *out, struct http_ctx *c)
{
	json_t *members = NULL, *list, *m;
	size_t i;
	int rc;

	if (json_object_get(out, "users") != NULL)
		return 0;
	if ((rc = member_list(&members, c->db, c->org_id)) != 0)
		return rc;
	list = json_array();
	json_array_foreach(members, i, m)
		json_array_append_new(list, json_pack("{s:O, s:O}", "email",
		    json_object_get(m, "email"), "name", json_object_get(m, "display_name")));
	json_object_set_new(out, "users", list);
	json_decref(members);
	return 0;
}

static int
webui_choices_refs(json_t *out, struct http_ctx *c, const char *target)
{
	const struct record_kind *k = target != NULL ? record_kind_find(target) : NULL;
	struct record_query q = { .limit = 1, .sort = "ref" };
	json_t *items = NULL, *list, *r;
	char *cursor = NULL;
	int64_t total = 0;
	size_t i;
	int rc;

	if (k == NULL || json_object_get(out, target) != NULL)
		return 0;
	if ((rc = record_list(&items, &cursor, &total, c->db, c->org_id, k, &q)) != 0)
		return rc;
	json_decref(items);
	free(cursor);
	items = NULL;
	cursor = NULL;
	if (total > WEB_CHOICES_MAX)
		return 0;	/* too many for a select: the form shows a text input */
	q.limit = WEB_CHOICES_MAX;
	if ((rc = record_list(&items, &cursor, NULL, c->db, c->org_id, k, &q)) != 0)
		return rc;
	list = json_array();
	json_array_foreach(items, i, r)
		json_array_append_new(list, json_pack("{s:O, s:s}", "ref", json_object_get(r, "ref"),
		    "title", web_record_title(k, r)));
	json_object_set_new(out, target, list);
	json_decref(items);
	free(cursor);
	return 0;
}

static int
webui_choices_reqs(json_t *out, struct http_ctx *c, const char *kinds)
{
	char key[WEB_FORM_NAME_MAX], *copy, *kind, *save = NULL;
	json_t *list, *reqs = NULL, *r;
	size_t i;
	int rc = 0;

	snprintf(key, sizeof(key), "requirements:%s", kinds != NULL ? kinds : "");
	if (json_object_get(out, key) != NULL)
		return 0;
	list = json_array();
	/* No kinds: any requirement of the framework. */
	copy = xstrdup(kinds != NULL ? kinds : "");
	kind = kinds != NULL ? strtok_r(copy, ",", &save) : NULL;
	do {
		if ((rc = catalog_list(&reqs, c->db, WEBUI_REQ_FRAMEWORK, kind)) != 0)
			break;
		json_array_foreach(reqs, i, r)
			json_array_append_new(list, json_pack("{s:O, s:O}", "id",
			    json_object_get(r, "id"), "title", json_object_get(r, "title")));
		json_decref(reqs);
		reqs = NULL;
	} while (kind != NULL && (kind = strtok_r(NULL, ",", &save)) != NULL);
	free(copy);
	if (rc == 0 && json_array_size(list) <= WEB_CHOICES_MAX)
		json_object_set_new(out, key, list);
	else
		json_decref(list);
	return rc;
}

static int
webui_choices_fields(json_t *out, struct http_ctx *c, const struct field *fields,
    bool filters_only)
{
	const struct field *f;
	int rc = 0;

	for (f = fields; f != NULL && f->name != NULL && rc == 0; f++) {
		if (filters_only && !(f->flags & FIELD_FILTER))
			continue;
		if (!filters_only && (f->flags & FIELD_READONLY))
			continue;
		switch (f->type) {
		case FIELD_USER:
			rc = webui_choices_users(out, c);
			break;
		case FIELD_REF:
		case FIELD_REF_LIST:
			rc = webui_choices_refs(out, c, f->target);
			break;
		case FIELD_REQUIREMENT:
		case FIELD_REQUIREMENT_LIST:
			rc = webui_choices_reqs(out, c, f->req_kinds);
			break;
		case FIELD_OBJECT:
		case FIELD_OBJECT_LIST:
			if (!filters_only)
				rc = webui_choices_fields(out, c, f->subfields, false);
			break;
		default:
			break;
		}
	}
	return rc;
}

int
webui_choices(json_t **out, struct http_ctx *c, const struct record_kind *k,
    bool filters_only)
{

	json_t *hints = NULL;
	int rc;

	*out = json_object();
	if ((rc = webui_choices_fields(*out, c, k->fields, filters_only)) == 0 &&
	    k->hooks.form_hints != NULL &&
	    (rc = k->hooks.form_hints(&hints, c->db, c->org_id)) == 0 && hints != NULL)
		json_object_set_new(*out, WEB_CHOICES_HINTS, hints);
	if (rc != 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- requirement titles of one record ------------------------------------ */

static int
webui_req_title(json_t *out, struct http_ctx *c, const json_t *id)
{
	json_t *req = NULL;
	int rc;

	if (!json_is_string(id) || json_object_get(out, json_string_value(id)) != NULL)
		return 0;
	rc = catalog_get(&req, c->db, WEBUI_REQ_FRAMEWORK, json_string_value(id));
	if (rc == AIMS_ENOTFOUND)
		return 0;	/* another framework's id: shown as it is */
	if (rc == 0 && json_is_string(json_object_get(req, "title")))
		json_object_set(out, json_string_value(id), json_object_get(req, "title"));
	json_decref(req);
	return rc;
}

static int
webui_req_titles_fields(json_t *out, struct http_ctx *c, const struct field *fields,
    const json_t *obj)
{
	const struct field *f;
	const json_t *v, *e;
	size_t i;
	int rc = 0;

	for (f = fields; f != NULL && f->name != NULL && rc == 0; f++) {
		v = json_object_get(obj, f->name);
		switch (f->type) {
		case FIELD_REQUIREMENT:
			rc = webui_req_title(out, c, v);
			break;
		case FIELD_REQUIREMENT_LIST:
			json_array_foreach(v, i, e)
				if ((rc = webui_req_title(out, c, e)) != 0)
					break;
			break;
		case FIELD_OBJECT:
			rc = webui_req_titles_fields(out, c, f->subfields, v);
			break;
		case FIELD_OBJECT_LIST:
			json_array_foreach(v, i, e)
				if ((rc = webui_req_titles_fields(out, c, f->subfields, e)) != 0)
					break;
			break;
		default:
			break;
		}
	}
	return rc;
}

int
webui_req_titles(json_t **out, struct http_ctx *c, const struct record_kind *k,
    const json_t *rec)
{
	int rc;

	*out = json_object();
	if ((rc = webui_req_titles_fields(*out, c, k->fields, rec)) != 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
