/*
 * api_records.c - /api/v1/orgs/{org}/{kind}[/{ref}]: the planning records
 * of core/record.h over JSON. The routes are declared once in routes.c with
 * ROUTE_RECORD: {kind} names a record kind, and the kind's own field
 * declarations (the single place they live) say which query filters and body
 * fields are accepted; the record engine checks them and names the field.
 * Each kind's permission kind (governance or operational) is checked here on
 * top of the route's, through the same permission table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "core/record.h"
#include "http/api.h"
#include "http/list_cache.h"
#include "http/router.h"
#include "http/server.h"
#include "io/export.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"

/* Resolves {kind} and checks the caller may act on it; 404 for unknown kinds. */
static int
api_record_kind(const struct record_kind **out, struct http_ctx *c, enum perm_action action)
{
	const struct record_kind *k = record_kind_find(http_param(c, "kind"));
	enum perm_kind pk;

	*out = NULL;
	if (k == NULL)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such resource");
	if (perm_kind_parse(&pk, k->perm_kind) != 0)
		return aims_error_set(AIMS_ERROR, NULL, "kind %s has no permission kind", k->name);
	if (!perm_allows(c->role, action, pk))
		return aims_error_set(AIMS_EFORBIDDEN, NULL,
		    "your role (%s) may not %s %s in this organisation", role_name(c->role),
		    perm_action_name(action), k->plural);
	*out = k;
	return 0;
}

static void
api_record_location(char *out, size_t len, struct http_ctx *c, const struct record_kind *k,
    const json_t *rec)
{
	snprintf(out, len, "/api/v1/orgs/%s/%s/%s", http_param(c, "org"), k->name,
	    json_string_value(json_object_get(rec, "ref")));
}

/* The whole filtered list as a CSV or XLSX file. */
static int
api_records_download(struct http_ctx *c, const struct record_kind *k,
    const struct record_query *q, const char *format)
{
	enum export_format fmt;
	struct buf out = BUF_INIT;
	char disposition[160];
	int rc;

	/* Every matching record: a heavy read, like the other exports. */
	if ((rc = export_parse_format(&fmt, format)) != 0 ||
	    (rc = router_charge_heavy(c)) != 0 ||
	    (rc = export_records_to_buf(&out, c->db, c->org_id, k, q, fmt)) != 0)
		goto done;
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s-%s.%s\"",
	    http_param(c, "org"), k->name, export_format_name(fmt));
	http_reply_text(c, 200, export_media_type(fmt), buf_str(&out), out.len);
	http_resp_header(&c->resp, "Content-Disposition", disposition);
done:
	buf_free(&out);
	return rc;
}

/*
 * The key of a list's kept answer (http/list_cache.c): the kind and every
 * query parameter in the order given, each part NUL-terminated.
 */
static void
api_list_key(struct buf *key, const struct record_kind *k, const struct http_req *req)
{
	size_t i;

	buf_append(key, k->name, strlen(k->name) + 1);
	for (i = 0; i < req->nquery; i++) {
		buf_append(key, req->query[i].name, strlen(req->query[i].name) + 1);
		/* "?a" and "?a=" are told apart: a value starts with '='. */
		if (req->query[i].value) {
			buf_putc(key, '=');
			buf_append(key, req->query[i].value, strlen(req->query[i].value));
		}
		buf_putc(key, '\0');
	}
}

/*
 * Whether a list's answer may be kept: it depends only on the records and
 * their counts, which change only with the organisation's log. Not a
 * search (its index is rebuilt by a migration without the log moving) nor
 * a kind whose list goes on with items generated from the date.
 */
static bool
api_list_keepable(const struct record_kind *k, const struct record_query *q)
{
	return list_cache_enabled() && q->q == NULL && k->list_extra == NULL;
}

int
api_records_list(struct http_ctx *c)
{
	const struct record_kind *k;
	struct record_query q = { 0 };
	struct ledger_mark mark;
	struct buf key = BUF_INIT;
	json_t *v;
	char *next = NULL, *cur = NULL;
	int64_t total = 0, limit = RECORD_LIST_DEFAULT;
	const char *s;
	bool keep;
	size_t i;
	int rc;

	if ((rc = api_record_kind(&k, c, PERM_READ)) != 0)
		return rc;
	if ((s = http_query(c, "limit")) != NULL &&
	    (rc = str_to_int64(&limit, s, 1, RECORD_LIST_MAX)) != 0)
		return aims_error_set(rc, "limit", "limit must be 1 to %d", RECORD_LIST_MAX);
	q.limit = (int)limit;
	q.cursor = http_query(c, "cursor");
	q.sort = http_query(c, "sort");
	q.q = http_query(c, "q");
	q.include_retired = (s = http_query(c, "retired")) != NULL && strcmp(s, "true") == 0;
	for (i = 0; i < c->req->nquery; i++) {
		const char *name = c->req->query[i].name;

		if (router_spec_find(c->route->query, name) != NULL)
			continue;
		if (q.nfilters == (int)(sizeof(q.filter_names) / sizeof(q.filter_names[0])))
			return aims_error_set(AIMS_EINVALID, name, "too many filters");
		q.filter_names[q.nfilters] = name;
		q.filter_values[q.nfilters++] = c->req->query[i].value ? c->req->query[i].value : "";
	}
	if ((s = http_query(c, "format")) != NULL)
		return api_records_download(c, k, &q, s);
	/* The listing shows what follows the kind's records (the generated tasks). */
	q.with_extra = true;
	buf_reset(&c->resp.body);
	/* Read in the request's read transaction, before the rows the answer shows. */
	if ((keep = api_list_keepable(k, &q))) {
		if ((rc = ledger_head_mark(&mark, c->db, c->org_id)) != 0)
			goto out;
		api_list_key(&key, k, c->req);
		if (list_cache_get(&c->resp.body, c->org_id, key.data, key.len, &mark)) {
			keep = false;
			goto answered;
		}
	}
	/*
	 * The page is spliced from the records' stored views: the same bytes
	 * the tree would give, without parsing and writing every record again.
	 */
	buf_puts(&c->resp.body, "{\"items\":");
	if ((rc = record_list_text(&c->resp.body, &next, &total, c->db, c->org_id, k, &q)) != 0)
		goto out;
	buf_puts(&c->resp.body, ",\"next_cursor\":");
	v = next ? json_string(next) : json_null();
	cur = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(v);
	buf_puts(&c->resp.body, cur ? cur : "null");
	buf_printf(&c->resp.body, ",\"total\":%lld}\n", (long long)total);
answered:
	c->resp.status = 200;
	c->resp.content_type = HTTP_JSON_UTF8;
	if (keep)
		list_cache_put(c->org_id, key.data, key.len, &mark, c->resp.body.data,
		    c->resp.body.len);
out:
	free(cur);
	free(next);
	buf_free(&key);
	return rc;
}

static const char *api_record_ref(struct http_ctx *c);

/* One change of a record, applied by the server's writer (group commit). */
enum api_write_op { API_WRITE_CREATE, API_WRITE_UPDATE, API_WRITE_PUT, API_WRITE_DELETE };

struct api_write {
	enum api_write_op		 op;
	struct http_ctx			*c;
	const struct record_kind	*k;
	int64_t				 version;
	json_t				*rec;	/* the record as changed */
	char				*text;	/* rec's answer as text, or NULL: write rec */
};

static int
api_write_apply(struct db *db, void *arg)
{
	struct api_write *w = arg;
	struct http_ctx *c = w->c;
	const char *ref = api_record_ref(c);
	int rc;

	switch (w->op) {
	case API_WRITE_CREATE:
		return record_create_text(&w->rec, &w->text, db, c->org_id, &c->actor, w->k,
		    c->body);
	case API_WRITE_PUT:
		/*
		 * A singleton that does not exist yet is created by its first
		 * PATCH. Looked up first: a failed update inside the group's
		 * transaction would undo this whole change.
		 */
		if ((rc = record_get(&w->rec, db, c->org_id, w->k, ref)) == AIMS_ENOTFOUND)
			return record_create_text(&w->rec, &w->text, db, c->org_id, &c->actor,
			    w->k, c->body);
		json_decref(w->rec);
		w->rec = NULL;
		if (rc != 0)
			return rc;
		/* FALLTHROUGH */
	case API_WRITE_UPDATE:
		return record_update_text(&w->rec, &w->text, db, c->org_id, &c->actor, w->k, ref,
		    w->version, c->body);
	case API_WRITE_DELETE:
		return record_delete(db, c->org_id, &c->actor, w->k, ref, w->version);
	}
	return aims_error_set(AIMS_ERROR, NULL, "unknown change");
}

/* Runs the change; answered only once it is committed. w->rec is set on success. */
static int
api_write(struct http_ctx *c, struct api_write *w)
{
	int rc;

	w->c = c;
	w->rec = NULL;
	w->text = NULL;
	if ((rc = http_server_write(c->db, c->org_id, api_write_apply, w)) != 0) {
		json_decref(w->rec);	/* set, but its group did not commit */
		w->rec = NULL;
		free(w->text);
		w->text = NULL;
	}
	return rc;
}

/* Answers the record as changed, from the stored view's text when the change gave it. */
static void
api_write_reply(struct http_ctx *c, struct api_write *w, int status, const char *location)
{
	if (w->text != NULL)
		http_reply_record_text(c, status, w->rec, w->text, location);
	else
		http_reply_record(c, status, w->rec, location);
	w->rec = NULL;
	free(w->text);
	w->text = NULL;
}

int
api_records_create(struct http_ctx *c)
{
	const struct record_kind *k;
	struct api_write w = { 0 };
	char loc[512];
	int rc;

	if ((rc = api_record_kind(&k, c, PERM_WRITE)) != 0)
		return rc;
	if (c->req->upload != NULL)	/* only a kind with files gets here with one */
		return api_evidence_create(c);
	w.op = API_WRITE_CREATE;
	w.k = k;
	if ((rc = api_write(c, &w)) != 0)
		return rc;
	api_record_location(loc, sizeof(loc), c, k, w.rec);
	api_write_reply(c, &w, 201, loc);
	return 0;
}

/* A singleton kind (scope, risk-criteria) is addressed without a ref. */
static const char *
api_record_ref(struct http_ctx *c)
{
	return http_param(c, "ref");
}

int
api_records_get(struct http_ctx *c)
{
	const struct record_kind *k;
	int64_t version;
	char etag[32];
	int rc;

	if ((rc = api_record_kind(&k, c, PERM_READ)) != 0)
		return rc;
	if (api_record_ref(c) == NULL && !k->singleton)
		return api_records_list(c);
	/* The record's stored view, as record_get() would write it. */
	buf_reset(&c->resp.body);
	if ((rc = record_get_text(&c->resp.body, &version, c->db, c->org_id, k,
	    api_record_ref(c))) != 0) {
		buf_reset(&c->resp.body);
		return rc;
	}
	buf_putc(&c->resp.body, '\n');
	snprintf(etag, sizeof(etag), "\"%lld\"", (long long)version);
	http_resp_header(&c->resp, "ETag", etag);
	c->resp.status = 200;
	c->resp.content_type = HTTP_JSON_UTF8;
	return 0;
}

int
api_records_update(struct http_ctx *c)
{
	const struct record_kind *k;
	struct api_write w = { 0 };
	int64_t version;
	int rc;

	if ((rc = http_if_match_or_reply(&version, c)) != 0)
		return rc;
	if ((rc = api_record_kind(&k, c, PERM_WRITE)) != 0)
		return rc;
	if (api_record_ref(c) == NULL && !k->singleton)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such resource");
	w.op = k->singleton && version == 0 ? API_WRITE_PUT : API_WRITE_UPDATE;
	w.k = k;
	w.version = version;
	if ((rc = api_write(c, &w)) != 0)
		return rc;
	api_write_reply(c, &w, 200, NULL);
	return 0;
}

int
api_records_delete(struct http_ctx *c)
{
	const struct record_kind *k;
	struct api_write w = { 0 };
	int64_t version;
	int rc;

	if ((rc = http_if_match_or_reply(&version, c)) != 0)
		return rc;
	if ((rc = api_record_kind(&k, c, PERM_DELETE)) != 0)
		return rc;
	w.op = API_WRITE_DELETE;
	w.k = k;
	w.version = version;
	if ((rc = api_write(c, &w)) != 0)
		return rc;
	http_reply_empty(c, 204);
	return 0;
}

int
api_records_versions(struct http_ctx *c)
{
	const struct record_kind *k;
	int rc;

	if ((rc = api_record_kind(&k, c, PERM_READ)) != 0)
		return rc;
	/* Written from the versions' stored text: the bytes the trees would give. */
	buf_reset(&c->resp.body);
	buf_puts(&c->resp.body, "{\"items\":");
	if ((rc = record_history_text(&c->resp.body, c->db, c->org_id, k, api_record_ref(c),
	    http_query(c, "status"))) != 0) {
		buf_reset(&c->resp.body);
		return rc;
	}
	buf_puts(&c->resp.body, ",\"next_cursor\":null}\n");
	c->resp.status = 200;
	c->resp.content_type = HTTP_JSON_UTF8;
	return 0;
}

int
api_records_version_get(struct http_ctx *c)
{
	const struct record_kind *k;
	int64_t v;
	int rc;

	if ((rc = api_record_kind(&k, c, PERM_READ)) != 0)
		return rc;
	if (str_to_int64(&v, http_param(c, "id"), 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such version");
	buf_reset(&c->resp.body);
	if ((rc = record_version_get_text(&c->resp.body, c->db, c->org_id, k, api_record_ref(c),
	    v)) != 0) {
		buf_reset(&c->resp.body);
		return rc;
	}
	buf_putc(&c->resp.body, '\n');
	c->resp.status = 200;
	c->resp.content_type = HTTP_JSON_UTF8;
	return 0;
}

int
api_records_links(struct http_ctx *c)
{
	const struct record_kind *k;
	json_t *items = NULL;
	int rc;

	if ((rc = api_record_kind(&k, c, PERM_READ)) != 0)
		return rc;
	if ((rc = record_links(&items, c->db, c->org_id, k, api_record_ref(c))) != 0)
		return rc;
	http_reply_list(c, items, NULL);
	return 0;
}

/* The workflow steps of the record for the caller, each with allowed and the reason. */
int
api_records_steps(struct http_ctx *c)
{
	const struct record_kind *k;
	json_t *items = NULL;
	int rc;

	if ((rc = api_record_kind(&k, c, PERM_READ)) != 0)
		return rc;
	if ((rc = record_steps(&items, c->db, c->org_id, &c->actor, k, api_record_ref(c))) != 0)
		return rc;
	http_reply_list(c, items, NULL);
	return 0;
}
