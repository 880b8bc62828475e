/*
 * web_records.c - the pages of every record kind: the list (search,
 * filters, sort, pages), the record with its links and history, the create
 * and edit forms and what they post, the workflow buttons and deleting.
 * Everything a form sends is turned into the JSON that core takes
 * (web_form_to_json) and core decides; a refusal comes back as the form
 * with the message next to the field it names and the values as typed. An
 * edit of a record that changed meanwhile (its version moved on) shows the
 * form again with the current values beside the user's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/acknowledge.h"
#include "core/comment.h"
#include "core/concern.h"
#include "core/evidence.h"
#include "core/lifecycle.h"
#include "core/metric.h"
#include "core/perm.h"
#include "core/record_counts.h"
#include "http/server.h"
#include "http/webui.h"
#include "io/export.h"

#define WEBUI_PREFILL_MAX	200	/* a value given to a new form in its URL */
#include "util/clock.h"
#include "util/error.h"
#include "util/jscan.h"
#include "util/mem.h"
#include "util/str.h"
#include "web/html.h"

#define WEBUI_Q_MAX		200
#define WEBUI_CURSOR_MAX	512
#define WEBUI_FILTER_MAX	200
#define WEBUI_ACTION_MAX	32
#define WEBUI_KEY_MAX		160
#define WEBUI_OVERDUE_MAX	50	/* past-due records listed above a list */

static const char *const webui_sorts[] = { "ref", "title", "created_at", "updated_at", NULL };

static bool
webui_ref_param_ok(const char *ref)
{
	return ref != NULL && *ref != '\0' && strlen(ref) <= WEBUI_REF_MAX;
}

static void
webui_record_url(struct buf *url, struct http_ctx *c, const struct record_kind *k,
    const json_t *rec)
{
	web_url_record(url, &c->web->ctx, k->name, json_string_value(json_object_get(rec, "ref")));
}

/* ---- lists --------------------------------------------------------------- */

static bool
webui_sort_ok(const struct record_kind *k, const char *sort)
{
	const struct field *f;
	const char *name = sort[0] == '-' ? sort + 1 : sort;
	size_t i;

	for (i = 0; webui_sorts[i] != NULL; i++)
		if (strcmp(webui_sorts[i], name) == 0)
			return true;
	f = record_field_find(k, name);
	return f != NULL && (f->flags & FIELD_SORT);
}

/* ?limit=: one of WEB_LIST_LIMITS, else the default. */
static int
webui_list_limit(struct http_ctx *c)
{
	static const int sizes[] = WEB_LIST_LIMITS;
	int64_t n = http_query_int(c, WEB_LIST_LIMIT_PARAM, WEB_LIST_LIMIT_DEFAULT);
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (n == sizes[i])
			return sizes[i];
	return WEB_LIST_LIMIT_DEFAULT;
}

/* ?back=: cursors (URL-safe base64) joined by WEB_LIST_BACK_SEP, or NULL. */
static const char *
webui_list_back(struct http_ctx *c)
{
	const char *s = http_query(c, WEB_LIST_BACK_PARAM), *p;

	if (s == NULL || *s == '\0' || strlen(s) > WEB_LIST_BACK_MAX)
		return NULL;
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == WEB_LIST_BACK_SEP))
			return NULL;
	return s;
}

static void
webui_list_query(struct record_query *q, struct http_ctx *c, const struct record_kind *k)
{
	const char *s;
	const struct field *f;

	q->limit = webui_list_limit(c);
	if ((s = http_query(c, "q")) != NULL && *s != '\0' && strlen(s) <= WEBUI_Q_MAX)
		q->q = s;
	if ((s = http_query(c, "sort")) != NULL && webui_sort_ok(k, s))
		q->sort = s;
	if ((s = http_query(c, "cursor")) != NULL && *s != '\0' && strlen(s) <= WEBUI_CURSOR_MAX)
		q->cursor = s;
	for (f = k->fields; f->name != NULL && q->nfilters < WEBUI_FILTERS_MAX; f++) {
		if (!(f->flags & FIELD_FILTER) || (s = http_query(c, f->name)) == NULL ||
		    *s == '\0' || strlen(s) > WEBUI_FILTER_MAX)
			continue;
		q->filter_names[q->nfilters] = f->name;
		q->filter_values[q->nfilters++] = s;
	}
}

/* A singleton's list is the record itself, or its create form. */
static int
webui_singleton(struct http_ctx *c, const struct record_kind *k)
{
	struct buf url = BUF_INIT;
	json_t *rec = NULL;
	int rc;

	rc = record_get(&rec, c->db, c->org_id, k, NULL);
	if (rc != 0 && rc != AIMS_ENOTFOUND)
		return rc;
	if (rc == 0) {
		webui_record_url(&url, c, k, rec);
	} else if (web_can(&c->web->ctx, WEB_ACT_CREATE, k)) {
		web_url_kind(&url, &c->web->ctx, k->name);
		buf_puts(&url, "/new");
	} else {
		json_decref(rec);
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no %s yet.", k->singular);
	}
	webui_redirect(c, buf_str(&url));
	json_decref(rec);
	buf_free(&url);
	return 0;
}

static int
webui_overdue_row(void *arg, const char *ref, const char *title, const char *date)
{
	json_t *e = arg;

	json_array_append_new(json_object_get(e, "items"), json_pack("{s:s, s:s, s:s, s:s}",
	    "ref", ref, "title", title, "what", json_string_value(json_object_get(e, "what")),
	    "date", date));
	return 0;
}

/*
 * What is past its declared due dates (core/record.h), the longest overdue
 * first, for the first page of an unfiltered list. Index reads, at most
 * WEBUI_OVERDUE_MAX per due date.
 */
static int
webui_overdue(json_t **out, struct http_ctx *c, const struct record_kind *k,
    const struct record_query *q)
{
	char today[CLOCK_RFC3339_LEN];
	const struct record_due *d;
	json_t *acc;
	int rc = 0;

	*out = NULL;
	if (k->due == NULL || q->cursor != NULL || q->nfilters > 0 || q->q != NULL)
		return 0;
	clock_format(today, clock_now());
	today[10] = '\0';
	acc = json_pack("{s:[], s:s}", "items", "what", "");
	for (d = k->due; d->field != NULL && rc == 0; d++) {
		json_object_set_new(acc, "what", json_string(d->what));
		rc = record_due_between(c->db, c->org_id, k, d, "0", today, false,
		    WEBUI_OVERDUE_MAX, webui_overdue_row, acc);
	}
	if (rc == 0)
		*out = json_incref(json_object_get(acc, "items"));
	json_decref(acc);
	return rc;
}

/*
 * ?format=csv or xlsx: every record the list's search and filters match,
 * in its sort, as a file (io/export.h), the same as the API's download.
 */
static int
webui_list_download(struct http_ctx *c, const struct record_kind *k,
    const struct record_query *q, const char *format)
{
	enum export_format fmt;
	struct buf out = BUF_INIT;
	char disposition[160];
	int rc;

	if ((rc = export_parse_format(&fmt, format)) != 0 ||
	    (fmt != EXPORT_CSV && fmt != EXPORT_XLSX &&
	    (rc = aims_error_set(AIMS_EINVALID, "format", "lists download as csv or xlsx")) != 0) ||
	    (rc = router_charge_heavy(c)) != 0 ||
	    (rc = export_records_to_buf(&out, c->db, c->org_id, k, q, fmt)) != 0)
		goto done;
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s-%s.%s\"",
	    c->web->ctx.org, k->name, export_format_name(fmt));
	http_reply_text(c, 200, export_media_type(fmt), buf_str(&out), out.len);
	http_resp_header(&c->resp, "Content-Disposition", disposition);
	http_resp_header(&c->resp, "Referrer-Policy", "same-origin");
done:
	buf_free(&out);
	return rc;
}

/*
 * The page's records as record_list_text() wrote them, for the page to read
 * in place, each row only the members it shows (web/page_list.c), never a
 * tree per record.
 */
static int
webui_list_items(struct jscan_value *out, const struct buf *text, const struct record_kind *k)
{
	if (jscan_open(out, text->data, text->len) != 0)
		return aims_error_set(AIMS_ERROR, NULL, "a stored %s is not valid JSON",
		    k->singular);
	return 0;
}

int
webui_list(struct http_ctx *c)
{
	const struct record_kind *k = c->web->kind;
	struct record_query q = { 0 };
	struct web_list l = { .query = &q };
	json_t *choices = NULL, *overdue = NULL, *channel = NULL;
	struct jscan_value items;
	struct buf page = BUF_INIT, text = BUF_INIT;
	const char *format;
	char *next = NULL;
	int64_t total = 0, at;
	int rc;

	if (k->singleton)
		return webui_singleton(c, k);
	webui_list_query(&q, c, k);
	if ((format = http_query(c, "format")) != NULL)
		return webui_list_download(c, k, &q, format);
	q.with_extra = true;
	at = q.cursor != NULL ? http_query_int(c, "at", 0) : 0;
	if ((rc = record_list_text(&text, &next, &total, c->db, c->org_id, k, &q)) != 0 ||
	    (rc = webui_list_items(&items, &text, k)) != 0 ||
	    (rc = webui_choices(&choices, c, k, true)) != 0 ||
	    (rc = webui_overdue(&overdue, c, k, &q)) != 0)
		goto done;
	l.overdue = overdue;
	l.items = &items;
	l.total = total;
	l.offset = at >= 0 && at < total ? at : 0;
	l.next_cursor = next;
	l.back = q.cursor != NULL ? webui_list_back(c) : NULL;
	l.choices = choices;
	if (strcmp(k->name, CONCERN_KIND) == 0) {
		if ((rc = concern_channel_get(&channel, c->db, c->org_id)) != 0)
			goto done;
		l.channel = channel;
		l.channel_can = perm_allows(c->role, PERM_WRITE, PERM_KIND_ORG);
	}
	web_page_list(&page, &c->web->ctx, k, &l);
	webui_send(c, 200, &page);
done:
	buf_free(&text);
	json_decref(choices);
	json_decref(overdue);
	json_decref(channel);
	free(next);
	return rc;
}

/* ---- one record ---------------------------------------------------------- */

/* The range of a record page's charts: ?range=DAYS, one of WEB_CHART_RANGES. */
static int
webui_chart_range(struct http_ctx *c)
{
	static const int ranges[] = WEB_CHART_RANGES;
	const char *r = http_query(c, "range");
	size_t i;

	for (i = 0; r != NULL && i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (atoi(r) == ranges[i])
			return ranges[i];
	return WEB_CHART_RANGE_DEFAULT;
}

/* The record page; error (may be NULL) shown as a message above it. */
static int
webui_record_show(struct http_ctx *c, int status, const char *ref, const char *error)
{
	const struct record_kind *k = c->web->kind;
	struct web_record_view v = { 0 };
	json_t *rec = NULL, *links = NULL, *files = NULL, *steps = NULL;
	json_t *in_force = NULL, *charts = NULL, *acks = NULL, *lifecycle = NULL;
	json_t *titles = NULL, *hints = NULL, *comments = NULL;
	char *preview = NULL;
	struct buf page = BUF_INIT, history = BUF_INIT;
	struct jscan_value versions;
	json_int_t iv;
	int rc;

	if ((rc = record_get(&rec, c->db, c->org_id, k, ref)) != 0 ||
	    (rc = record_links(&links, c->db, c->org_id, k, ref)) != 0 ||
	    (rc = record_history_text(&history, c->db, c->org_id, k, ref, NULL)) != 0 ||
	    (rc = record_steps(&steps, c->db, c->org_id, &c->actor, k, ref)) != 0)
		goto done;
	/* The page reads the versions in place, each checked as it is reached. */
	if (jscan_open(&versions, history.data, history.len) != 0) {
		rc = aims_error_set(AIMS_ERROR, NULL, "a stored version is not valid JSON");
		goto done;
	}
	if ((iv = json_integer_value(json_object_get(rec, "in_force_version"))) > 0 &&
	    (rc = record_version_get(&in_force, c->db, c->org_id, k, ref, iv)) != 0)
		goto done;
	if (k->files &&
	    ((rc = evidence_file_list(&files, c->db, c->org_id, ref)) != 0 ||
	    (rc = webui_preview_text(&preview, &v.preview_cut, c, ref, files)) != 0))
		goto done;
	v.preview_text = preview;
	v.range_days = webui_chart_range(c);
	if ((rc = metric_charts(&charts, c->db, c->org_id, k, rec,
	    clock_now() - (time_t)v.range_days * 24 * 3600, clock_now(), WEB_CHART_POINTS)) != 0)
		goto done;
	v.charts = charts;
	v.record = rec;
	v.links = links;
	v.history = &versions;
	v.history_max = WEBUI_HISTORY_MAX;
	v.files = files;
	v.steps = steps;
	v.in_force = in_force;
	if ((rc = ack_view(&acks, c->db, c->org_id, k, rec)) != 0 ||
	    (rc = lifecycle_of(&lifecycle, c->db, c->org_id, k, ref)) != 0)
		goto done;
	v.acks = acks;
	v.lifecycle = lifecycle;
	if ((rc = webui_req_titles(&titles, c, k, rec)) != 0 ||
	    (rc = comment_list(&comments, c->db, c->org_id, k, ref)) != 0)
		goto done;
	v.comments = comments;
	c->web->ctx.req_titles = titles;
	if (k->hooks.form_hints != NULL &&
	    (rc = k->hooks.form_hints(&hints, c->db, c->org_id)) != 0)
		goto done;
	c->web->ctx.scales = json_object_get(hints, "scales");
	if (error != NULL) {
		c->web->ctx.flash = error;
		c->web->ctx.flash_kind = WEB_FLASH_ERROR;
	}
	web_page_record(&page, &c->web->ctx, k, &v);
	webui_send(c, status, &page);
done:
	json_decref(rec);
	json_decref(links);
	buf_free(&history);
	json_decref(files);
	json_decref(steps);
	json_decref(in_force);
	json_decref(charts);
	json_decref(acks);
	json_decref(lifecycle);
	c->web->ctx.req_titles = NULL;
	c->web->ctx.scales = NULL;
	free(preview);
	json_decref(comments);
	json_decref(titles);
	json_decref(hints);
	return rc;
}

int
webui_record(struct http_ctx *c)
{
	const char *ref = http_param(c, "ref");

	if (!webui_ref_param_ok(ref))
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such record.");
	return webui_record_show(c, 200, ref, NULL);
}

/* ---- forms --------------------------------------------------------------- */

/* "impacts[2].area" (core's path) -> "impacts.2.area" (the form's name). */
static void
webui_error_key(char out[WEBUI_KEY_MAX], const char *field)
{
	size_t n = 0;

	for (; *field != '\0' && n + 1 < WEBUI_KEY_MAX; field++) {
		if (*field == '[')
			out[n++] = '.';
		else if (*field != ']')
			out[n++] = *field;
	}
	out[n] = '\0';
}

/* Core's refusal as {field: message}; "" for the form as a whole. */
static json_t *
webui_core_errors(const struct record_kind *k, int rc)
{
	char key[WEBUI_KEY_MAX];
	const char *field = aims_error_field();
	const char *msg = aims_error_message();
	const struct field *f;

	webui_error_key(key, field);
	if (strcmp(key, "filename") == 0 || strcmp(key, "sha256") == 0)
		snprintf(key, sizeof(key), "%s", WEB_FILE_FIELD);	/* about the uploaded file */
	if (rc == AIMS_ERROR || http_status_of(rc) >= 500)
		msg = "The server could not save this; its log has the details.";
	/* A field the form does not show (unknown, or set by core: approved_by) is form-wide. */
	if (*key != '\0' && strchr(key, '.') == NULL && strcmp(key, WEB_FILE_FIELD) != 0 &&
	    ((f = record_field_find(k, key)) == NULL || (f->flags & FIELD_READONLY)))
		key[0] = '\0';
	return json_pack("{s:s}", key, msg);
}

static int
webui_form_show(struct http_ctx *c, int status, const struct web_form_view *in)
{
	struct web_form_view v = *in;
	json_t *choices = NULL;
	struct buf page = BUF_INIT;
	int rc;

	if ((rc = webui_choices(&choices, c, c->web->kind, false)) != 0)
		return rc;
	v.choices = choices;
	web_page_form(&page, &c->web->ctx, c->web->kind, &v);
	webui_send(c, status, &page);
	json_decref(choices);
	return 0;
}

/*
 * A new record's form starts with the one-value fields the query names
 * (a checklist row's "Record a finding" link: ?audit=AUD-1&requirement=6.1.2),
 * single values of requirement lists (a readiness fix link:
 * ?requirements=6.1.2), and its FIELD_TICKED checkboxes ticked; the engine
 * checks them when the form is saved.
 */
static void
webui_new_prefill(json_t *values, struct http_ctx *c, const struct record_kind *k)
{
	const struct field *f;
	const char *s;

	for (f = k->fields; f->name != NULL; f++) {
		if (f->type == FIELD_REQUIREMENT_LIST && !(f->flags & FIELD_READONLY) &&
		    (s = http_query(c, f->name)) != NULL && *s != '\0' &&
		    strlen(s) <= WEBUI_PREFILL_MAX)
			json_object_set_new(values, f->name, json_pack("[s]", s));
		if (f->type == FIELD_BOOL && (f->flags & FIELD_TICKED) &&
		    http_query(c, f->name) == NULL)
			json_object_set_new(values, f->name, json_true());
		if ((f->flags & FIELD_READONLY) || (f->type != FIELD_STRING &&
		    f->type != FIELD_ENUM && f->type != FIELD_REF && f->type != FIELD_REQUIREMENT &&
		    f->type != FIELD_USER && f->type != FIELD_DATE &&
		    f->type != FIELD_REF_LIST && f->type != FIELD_REQUIREMENT_LIST))
			continue;
		if ((s = http_query(c, f->name)) == NULL || *s == '\0' ||
		    strlen(s) > WEBUI_PREFILL_MAX)
			continue;
		/* A list starts with the one value given (SoA: a measure for its control). */
		if (f->type == FIELD_REF_LIST || f->type == FIELD_REQUIREMENT_LIST)
			json_object_set_new(values, f->name, json_pack("[s]", s));
		else
			json_object_set_new(values, f->name, json_string(s));
	}
}

int
webui_new(struct http_ctx *c)
{
	const struct record_kind *k = c->web->kind;
	struct web_form_view v = { 0 };
	json_t *values = json_object();
	int rc;

	if (!web_can(&c->web->ctx, WEB_ACT_CREATE, k)) {
		json_decref(values);
		return aims_error_set(AIMS_EFORBIDDEN, NULL, "%s records cannot be created here.",
		    k->plural);
	}
	webui_new_prefill(values, c, k);
	v.values = values;
	rc = webui_form_show(c, 200, &v);
	json_decref(values);
	return rc;
}

static bool
webui_has_file(const struct http_ctx *c)
{
	return c->req->upload != NULL && c->req->upload->file_path != NULL;
}

/* A change from a form, applied by the server's writer (group commit). */
enum webui_write_op { WEBUI_WRITE_SAVE, WEBUI_WRITE_STEP, WEBUI_WRITE_DELETE };

struct webui_write {
	enum webui_write_op	 op;
	struct http_ctx		*c;
	const char		*ref;		/* NULL: create */
	int64_t			 version;
	const json_t		*values;
	const char		*action;
	json_t			*out;
};

static int
webui_write_apply(struct db *db, void *arg)
{
	struct webui_write *w = arg;
	struct http_ctx *c = w->c;
	const struct record_kind *k = c->web->kind;

	switch (w->op) {
	case WEBUI_WRITE_SAVE:
		return w->ref == NULL ?
		    record_create(&w->out, db, c->org_id, &c->actor, k, w->values) :
		    record_update(&w->out, db, c->org_id, &c->actor, k, w->ref, w->version,
		    w->values);
	case WEBUI_WRITE_STEP:
		return record_step_take(&w->out, db, c->org_id, &c->actor, k, w->ref, w->version,
		    w->action);
	case WEBUI_WRITE_DELETE:
		return record_delete(db, c->org_id, &c->actor, k, w->ref, w->version);
	}
	return aims_error_set(AIMS_ERROR, NULL, "unknown change");
}

/* Runs w; *out (may be NULL) gets what it returned, once committed. */
static int
webui_write(json_t **out, struct http_ctx *c, struct webui_write *w)
{
	int rc;

	w->c = c;
	w->out = NULL;
	rc = http_server_write(c->db, c->org_id, webui_write_apply, w);
	if (rc == 0 && out != NULL)
		*out = w->out;
	else
		json_decref(w->out);
	return rc;
}

static int
webui_save(json_t **out, struct http_ctx *c, const char *ref, int64_t version,
    const json_t *values)
{
	struct webui_write w = { .op = WEBUI_WRITE_SAVE, .ref = ref, .version = version,
	    .values = values };
	const struct record_kind *k = c->web->kind;

	if (k->files)
		return ref == NULL ? webui_evidence_create(out, c, values) :
		    webui_evidence_update(out, c, ref, version, values);
	if (webui_has_file(c))
		return aims_error_set(AIMS_EINVALID, "file", "%s keep no files.", k->plural);
	return webui_write(out, c, &w);
}

int
webui_create(struct http_ctx *c)
{
	const struct record_kind *k = c->web->kind;
	json_t *values = NULL, *errors = NULL, *rec = NULL;
	struct web_form_view v = { 0 };
	struct buf url = BUF_INIT;
	int rc;

	if (!web_can(&c->web->ctx, WEB_ACT_CREATE, k))
		return aims_error_set(AIMS_EFORBIDDEN, NULL, "%s records cannot be created here.",
		    k->plural);
	rc = web_form_to_json(&values, &errors, k, c->web->posted, true);
	if (rc == 0 && (rc = webui_save(&rec, c, NULL, 0, values)) != 0) {
		json_decref(errors);
		errors = webui_core_errors(k, rc);
	}
	if (rc == 0) {
		webui_flash(c, "created", json_string_value(json_object_get(rec, "ref")));
		webui_record_url(&url, c, k, rec);
		webui_redirect(c, buf_str(&url));
	} else {
		v.values = values;
		v.errors = errors;
		rc = webui_form_show(c, rc == AIMS_EINVALID ? 422 : http_status_of(rc), &v);
	}
	json_decref(values);
	json_decref(errors);
	json_decref(rec);
	buf_free(&url);
	return rc;
}

int
webui_edit(struct http_ctx *c)
{
	const char *ref = http_param(c, "ref");
	struct web_form_view v = { .ref = ref };
	json_t *rec = NULL;
	int rc;

	if (!webui_ref_param_ok(ref))
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such record.");
	if ((rc = record_get(&rec, c->db, c->org_id, c->web->kind, ref)) != 0)
		return rc;
	v.ref = json_string_value(json_object_get(rec, "ref"));
	v.version = json_integer_value(json_object_get(rec, "version"));
	v.values = rec;
	rc = webui_form_show(c, 200, &v);
	json_decref(rec);
	return rc;
}

/* The edit form again after a refusal: the typed values, and on a stale edit the newer ones. */
static int
webui_update_refused(struct http_ctx *c, int rc, const char *ref, int64_t version,
    const json_t *values, json_t *errors)
{
	struct web_form_view v = { .ref = ref, .version = version, .values = values,
	    .errors = errors };
	json_t *now = NULL;
	int status = rc == AIMS_EINVALID ? 422 : http_status_of(rc);

	if (rc == AIMS_ESTALE) {
		if ((rc = record_get(&now, c->db, c->org_id, c->web->kind, ref)) != 0)
			return rc;
		v.newer = now;
		v.errors = NULL;
		status = 409;
	}
	rc = webui_form_show(c, status, &v);
	json_decref(now);
	return rc;
}

int
webui_update(struct http_ctx *c)
{
	const struct record_kind *k = c->web->kind;
	const char *ref = http_param(c, "ref");
	int64_t version = webui_posted_version(c);
	json_t *values = NULL, *errors = NULL, *rec = NULL;
	struct buf url = BUF_INIT;
	int rc;

	if (!webui_ref_param_ok(ref))
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such record.");
	rc = web_form_to_json(&values, &errors, k, c->web->posted, false);
	if (rc == 0 && (rc = webui_save(&rec, c, ref, version, values)) != 0) {
		json_decref(errors);
		errors = webui_core_errors(k, rc);
	}
	if (rc == 0) {
		webui_flash(c, webui_has_file(c) ? "uploaded" : "saved",
		    json_string_value(json_object_get(rec, "ref")));
		webui_record_url(&url, c, k, rec);
		webui_redirect(c, buf_str(&url));
	} else if (rc != AIMS_ENOTFOUND) {
		rc = webui_update_refused(c, rc, ref, version, values, errors);
	}
	json_decref(values);
	json_decref(errors);
	json_decref(rec);
	buf_free(&url);
	return rc;
}

/* ---- workflow and delete -------------------------------------------------- */

/* A refused step: the record page with the reason on top. */
static int
webui_step_refused(struct http_ctx *c, int rc, const char *ref)
{
	char msg[AIMS_ERROR_MSG_MAX];
	int status = http_status_of(rc);

	if (rc == AIMS_ENOTFOUND || status >= 500)
		return rc;
	if (rc == AIMS_ESTALE)
		snprintf(msg, sizeof(msg), "%s was changed meanwhile; this is its current state. "
		    "Check it and try again.", ref);
	else
		snprintf(msg, sizeof(msg), "%s", aims_error_message());
	return webui_record_show(c, rc == AIMS_ESTALE ? 409 : status, ref, msg);
}

static bool
webui_blank(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* A reviewer's note is checked before its step is taken, so a step never loses its note. */
static int
webui_note_check(struct http_ctx *c, const char *note)
{
	if (webui_blank(note))
		return 0;
	if (!c->web->ctx.may_comment)
		return aims_error_set(AIMS_EFORBIDDEN, WEB_NOTE_FIELD, "Your role (%s) may not add "
		    "notes in this organisation.", role_name(c->role));
	if (strlen(note) > COMMENT_BODY_MAX)
		return aims_error_set(AIMS_EINVALID, WEB_NOTE_FIELD, "The note is longer than %d "
		    "bytes.", COMMENT_BODY_MAX);
	return 0;
}

int
webui_workflow(struct http_ctx *c)
{
	const struct record_kind *k = c->web->kind;
	const char *ref = http_param(c, "ref"), *action = webui_posted(c, "action");
	const char *note = webui_posted(c, WEB_NOTE_FIELD);
	struct webui_write w = { .op = WEBUI_WRITE_STEP };
	struct comment_change cw;
	json_t *done = NULL;
	struct buf url = BUF_INIT;
	int rc;

	if (!webui_ref_param_ok(ref))
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such record.");
	if (action == NULL || strlen(action) > WEBUI_ACTION_MAX)
		action = "";
	if ((rc = webui_note_check(c, note)) != 0)
		return webui_step_refused(c, rc, ref);
	/* Core judges the step, whoever offered the button. */
	w.ref = ref;
	w.version = webui_posted_version(c);
	w.action = action;
	if ((rc = webui_write(&done, c, &w)) != 0)
		return webui_step_refused(c, rc, ref);
	/* The note after the step it goes with, naming the version the step made. */
	if (!webui_blank(note)) {
		cw = (struct comment_change){ .org_id = c->org_id, .actor = &c->actor, .k = k,
		    .ref = ref, .body = note, .step = action,
		    .version = json_integer_value(json_object_get(done, "version")) };
		if ((rc = http_server_write(c->db, c->org_id, comment_change_apply, &cw)) != 0) {
			json_decref(done);
			return webui_step_refused(c, rc, ref);
		}
		json_decref(cw.out);
	}
	webui_flash(c, action, json_string_value(json_object_get(done, "ref")));
	webui_record_url(&url, c, k, done);
	webui_redirect(c, buf_str(&url));
	json_decref(done);
	buf_free(&url);
	return rc;
}

/* The signed-in member comments on the record; a refusal shows the page with why. */
int
webui_comment(struct http_ctx *c)
{
	const struct record_kind *k = c->web->kind;
	const char *ref = http_param(c, "ref");
	struct comment_change cw = { .org_id = c->org_id, .actor = &c->actor, .k = k,
	    .ref = ref, .body = webui_posted(c, WEB_COMMENT_FIELD) };
	struct buf url = BUF_INIT;
	int rc;

	if (!webui_ref_param_ok(ref))
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such record.");
	if (!c->web->ctx.may_comment)
		return aims_error_set(AIMS_EFORBIDDEN, NULL, "Your role (%s) may not comment in "
		    "this organisation.", role_name(c->role));
	if ((rc = http_server_write(c->db, c->org_id, comment_change_apply, &cw)) != 0) {
		if (rc == AIMS_EINVALID)
			return webui_record_show(c, 422, ref, aims_error_message());
		return rc;
	}
	webui_flash(c, "commented", ref);
	web_url_record(&url, &c->web->ctx, k->name, ref);
	buf_puts(&url, "#comments");
	webui_redirect(c, buf_str(&url));
	json_decref(cw.out);
	buf_free(&url);
	return 0;
}

/* The signed-in member acknowledges the document's approved version in force (7.3). */
int
webui_acknowledge(struct http_ctx *c)
{
	const struct record_kind *k = c->web->kind;
	const char *ref = http_param(c, "ref");
	struct ack_change a = { .org_id = c->org_id, .actor = &c->actor, .ref = ref };
	struct buf url = BUF_INIT;
	int rc;

	if (!webui_ref_param_ok(ref) || !ack_kind(k))
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such record.");
	if ((rc = http_server_write(c->db, c->org_id, ack_change_apply, &a)) != 0)
		return webui_step_refused(c, rc, ref);
	json_decref(a.out);
	webui_flash(c, "acknowledged", ref);
	web_url_record(&url, &c->web->ctx, k->name, ref);
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
	return 0;
}

int
webui_delete(struct http_ctx *c)
{
	const struct record_kind *k = c->web->kind;
	const char *ref = http_param(c, "ref");
	struct buf url = BUF_INIT;
	struct webui_write w = { .op = WEBUI_WRITE_DELETE };
	int rc;

	if (!webui_ref_param_ok(ref))
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such record.");
	if (!web_can(&c->web->ctx, WEB_ACT_DELETE, k))
		return aims_error_set(AIMS_EFORBIDDEN, NULL, "%s records cannot be deleted.",
		    k->plural);
	w.ref = ref;
	w.version = webui_posted_version(c);
	if ((rc = webui_write(NULL, c, &w)) != 0)
		return webui_step_refused(c, rc, ref);
	webui_flash(c, k->retain ? "retired" : "deleted", ref);
	if (k->retain) {
		web_url_record(&url, &c->web->ctx, k->name, ref);
	} else {
		web_url_kind(&url, &c->web->ctx, k->name);
	}
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
	return 0;
}
