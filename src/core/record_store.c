/*
 * record_store.c - the SQL side of the record engine: the records row, its
 * versions, reference numbers, live counts, and what is derived from it and
 * kept in step with every write: the record's answer as text (the view that
 * reads and lists splice), and the three indexes (filter/sort values, q=
 * search text, links).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/record_private.h"
#include "ledger/canon.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

static char *
dup_col(struct db_stmt *st, int col)
{
	const char *s = db_column_text(st, col);

	return xstrdup(s ? s : "");
}

/* Fills r from a statement selecting RECORD_ROW_COLUMNS first. */
int
record__row_read(struct record_row *r, struct db_stmt *st)
{
	json_error_t jerr;

	memset(r, 0, sizeof(*r));
	r->id = db_column_int64(st, 0);
	r->num = db_column_int64(st, 1);
	r->ref = dup_col(st, 2);
	r->version = db_column_int64(st, 3);
	r->title = dup_col(st, 4);
	r->status = dup_col(st, 5);
	r->owner = dup_col(st, 6);
	r->data = json_loads(db_column_text(st, 7) ? db_column_text(st, 7) : "{}", 0, &jerr);
	r->created_at = dup_col(st, 8);
	r->updated_at = dup_col(st, 9);
	r->created_by = dup_col(st, 10);
	r->updated_by = dup_col(st, 11);
	r->retired = db_column_int64(st, 12) != 0;
	r->created_by_id = db_column_int64(st, 13);
	r->in_force = db_column_int64(st, 14);
	if (r->data == NULL || !json_is_object(r->data)) {
		json_decref(r->data);
		r->data = json_object();
		return aims_error_set(AIMS_ERROR, NULL, "stored record %s is not valid JSON: %s",
		    r->ref, jerr.text);
	}
	return 0;
}

int
record__row_load(struct record_row *out, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(&st, db, "SELECT " RECORD_ROW_COLUMNS " FROM records "
	    "WHERE org_id = ? AND kind = ? AND ref = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, ref);
	rc = db_step(st);
	if (rc == DB_ROW)
		rc = record__row_read(out, st);
	else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "ref", "%s %.64s does not exist", k->singular, ref);
	db_done(st);
	if (rc != 0)
		record__row_free(out);
	return rc;
}

void
record__row_free(struct record_row *r)
{
	free(r->ref);
	free(r->title);
	free(r->status);
	free(r->owner);
	free(r->created_at);
	free(r->updated_at);
	free(r->created_by);
	free(r->updated_by);
	json_decref(r->data);
	memset(r, 0, sizeof(*r));
}

void
record__row_copy(struct record_row *dst, const struct record_row *src)
{
	dst->id = src->id;
	dst->num = src->num;
	dst->version = src->version;
	dst->ref = xstrdup(src->ref);
	dst->title = xstrdup(src->title);
	dst->status = xstrdup(src->status);
	dst->owner = xstrdup(src->owner);
	dst->created_at = xstrdup(src->created_at);
	dst->updated_at = xstrdup(src->updated_at);
	dst->created_by = xstrdup(src->created_by);
	dst->updated_by = xstrdup(src->updated_by);
	dst->data = json_incref(src->data);
	dst->retired = src->retired;
	dst->created_by_id = src->created_by_id;
	dst->in_force = src->in_force;
}

static bool store_view_plain(const struct record_kind *k);
static int64_t store_view_shape(const struct record_kind *k);

/* The members record__row_json() sets besides the fields, in its order. */
static const char *const store_view_members[] = { "ref", "version", "created_at",
    "updated_at", "created_by", "updated_by", "retired", "in_force_version", NULL };
/* Their indexes above. */
enum store_own {
	STORE_OWN_REF, STORE_OWN_VERSION, STORE_OWN_CREATED_AT, STORE_OWN_UPDATED_AT,
	STORE_OWN_CREATED_BY, STORE_OWN_UPDATED_BY, STORE_OWN_RETIRED, STORE_OWN_IN_FORCE,
	STORE_OWN_COUNT
};
_Static_assert(sizeof(store_view_members) / sizeof(store_view_members[0]) == STORE_OWN_COUNT + 1,
    "store_own names each of store_view_members");

/*
 * What a kind's field declarations say about its views, worked out once
 * for the declarations a thread last wrote or read a view of: every change
 * and every row read goes through it, and the checks walk all the names.
 * Both depend on the fields alone, declared once and never changed (kept
 * by the array's address, which a kind declared for a test shares too).
 */
struct store_kind_view {
	const struct field	*fields;
	int64_t			 shape;
	bool			 plain;
};

static _Thread_local struct store_kind_view store_last_kind;

static const struct store_kind_view *
store_kind_view(const struct record_kind *k)
{
	struct store_kind_view *v = &store_last_kind;

	if (v->fields != k->fields) {
		v->shape = store_view_shape(k);
		v->plain = store_view_plain(k);
		v->fields = k->fields;
	}
	return v;
}

json_t *
record__row_json(const struct record_kind *k, const struct record_row *r)
{
	const struct field *f;
	json_t *o = json_object(), *v;
	/* With distinct names, the data's members are all found before its end. */
	size_t left = store_kind_view(k)->plain ? json_object_size(r->data) : (size_t)-1;

	/*
	 * The keys are declared names, snake_case ASCII (test_record checks
	 * them): set without jansson checking each one is UTF-8 again.
	 */
	json_object_set_new_nocheck(o, "ref", json_string(r->ref));
	for (f = k->fields; f->name; f++) {
		/* Shared with r->data, which nobody changes after reading it. */
		v = left > 0 ? json_object_get(r->data, f->name) : NULL;
		if (v != NULL)
			left--;
		json_object_set_new_nocheck(o, f->name, v ? json_incref(v) : json_null());
	}
	json_object_set_new_nocheck(o, "version", json_integer(r->version));
	json_object_set_new_nocheck(o, "created_at", json_string(r->created_at));
	json_object_set_new_nocheck(o, "updated_at", json_string(r->updated_at));
	json_object_set_new_nocheck(o, "created_by", json_string(r->created_by));
	json_object_set_new_nocheck(o, "updated_by", json_string(r->updated_by));
	json_object_set_new_nocheck(o, "retired", json_boolean(r->retired));
	/* Only while a revision is open, so records that never had one keep their form. */
	if (r->in_force > 0)
		json_object_set_new_nocheck(o, "in_force_version", json_integer(r->in_force));
	return o;
}

/*
 * The canonical form of a record (record__row_canon()) names its members in
 * the order canon_json() sorts them. That order depends on the kind's
 * declarations alone, so it is worked out once, at the first change, for
 * every kind in record_kinds[]: a change costs a lookup, not a sort of its
 * forty-odd names (nor any reader of a view, which shares store_kind_view()).
 * Each entry is a field's index, or STORE_CANON_OWN plus the index of one
 * of store_view_members[]. A kind declared elsewhere (a test's) has no
 * order here, nor one whose names are not all distinct (store_view_plain()).
 */
#define STORE_CANON_MAX		128	/* members of a kind with an order kept */
#define STORE_CANON_OWN		200	/* above any field's index (STORE_CANON_MAX) */

struct store_canon_order {
	const struct field	*fields;
	size_t			 n;
	uint8_t			 at[STORE_CANON_MAX];
};

static struct store_canon_order *store_canon_orders;
static size_t store_canon_norders;
static pthread_once_t store_canon_once = PTHREAD_ONCE_INIT;

static const char *
store_canon_name(const struct field *fields, uint8_t at)
{
	return at >= STORE_CANON_OWN ? store_view_members[at - STORE_CANON_OWN] :
	    fields[at].name;
}

/* qsort_r(): two entries of a kind's order, by their names; arg is its fields. */
static int
store_canon_cmp(const void *a, const void *b, void *arg)
{
	const char *x = store_canon_name(arg, *(const uint8_t *)a);
	const char *y = store_canon_name(arg, *(const uint8_t *)b);

	return canon_key_cmp(x, strlen(x), y, strlen(y));
}

static void
store_canon_init(void)
{
	const struct record_kind *const *k;
	struct store_canon_order *o;
	const struct field *f;
	size_t n = 0, i;

	for (k = record_kinds; (*k)->name; k++)
		n++;
	store_canon_orders = xcalloc(n, sizeof(*store_canon_orders));
	for (k = record_kinds; (*k)->name; k++) {
		o = &store_canon_orders[store_canon_norders];
		for (f = (*k)->fields; f->name && o->n < STORE_CANON_MAX; f++)
			o->at[o->n++] = (uint8_t)(f - (*k)->fields);
		if (f->name || !store_view_plain(*k) || o->n + STORE_OWN_COUNT > STORE_CANON_MAX) {
			memset(o, 0, sizeof(*o));
			continue;
		}
		for (i = 0; i < STORE_OWN_COUNT; i++)
			o->at[o->n++] = (uint8_t)(STORE_CANON_OWN + i);
		qsort_r(o->at, o->n, 1, store_canon_cmp, (void *)(*k)->fields);
		o->fields = (*k)->fields;
		store_canon_norders++;
	}
}

static const struct store_canon_order *
store_canon_order(const struct record_kind *k)
{
	size_t i;

	pthread_once(&store_canon_once, store_canon_init);
	for (i = 0; i < store_canon_norders; i++)
		if (store_canon_orders[i].fields == k->fields)
			return &store_canon_orders[i];
	return NULL;
}

/* The text of a row's own member (enum store_own) that is text; NULL for the others. */
static const char *
store_canon_text(const struct record_row *r, int own)
{
	switch (own) {
	case STORE_OWN_REF:
		return r->ref;
	case STORE_OWN_CREATED_AT:
		return r->created_at;
	case STORE_OWN_UPDATED_AT:
		return r->updated_at;
	case STORE_OWN_CREATED_BY:
		return r->created_by;
	case STORE_OWN_UPDATED_BY:
		return r->updated_by;
	}
	return NULL;
}

/*
 * Appends member at of r's canonical form, its name and value, as
 * record__row_json() sets it; *absent: that sets no such member (a text
 * json_string() refuses, an in-force version while no revision is open),
 * and nothing is appended.
 */
static int
store_canon_member(bool *absent, struct buf *out, const struct record_kind *k,
    const struct record_row *r, uint8_t at)
{
	const char *name = store_canon_name(k->fields, at), *text;
	const json_t *v = NULL;
	int own = at - STORE_CANON_OWN, rc;
	bool is_text = own != STORE_OWN_VERSION && own != STORE_OWN_RETIRED &&
	    own != STORE_OWN_IN_FORCE;

	*absent = false;
	if (at < STORE_CANON_OWN)
		v = json_object_get(r->data, name);
	else if ((is_text && ((text = store_canon_text(r, own)) == NULL ||
	    !str_is_utf8(text, strlen(text)))) || (own == STORE_OWN_IN_FORCE && r->in_force <= 0)) {
		*absent = true;
		return 0;
	}
	if ((rc = canon_string(out, name, strlen(name))) != 0)
		return rc;
	buf_putc(out, ':');
	if (at < STORE_CANON_OWN) {
		if (v == NULL) {
			buf_puts(out, "null");
			return 0;
		}
		return canon_json_member(out, v);
	}
	if (is_text)
		return canon_string(out, text, strlen(text));
	if (own == STORE_OWN_RETIRED)
		buf_puts(out, r->retired ? "true" : "false");
	else
		buf_printf(out, "%lld", (long long)(own == STORE_OWN_VERSION ? r->version :
		    r->in_force));
	return 0;
}

int
record__row_canon(bool *written, struct buf *out, const struct record_kind *k,
    const struct record_row *r)
{
	const struct store_canon_order *o = store_canon_order(k);
	size_t i, start = out->len, mark;
	bool absent;
	int rc;

	*written = false;
	if (o == NULL)
		return 0;
	buf_putc(out, '{');
	for (i = 0; i < o->n; i++) {
		mark = out->len;
		if (mark > start + 1)
			buf_putc(out, ',');
		if ((rc = store_canon_member(&absent, out, k, r, o->at[i])) != 0) {
			out->len = start;
			return rc;
		}
		if (absent)
			out->len = mark;
	}
	buf_putc(out, '}');
	*written = true;
	return 0;
}

static int64_t
store_view_shape(const struct record_kind *k)
{
	const struct field *f;
	const unsigned char *p;
	uint32_t h = 2166136261u;	/* FNV-1a: a name for the list, not a defence */

	for (f = k->fields; f->name; f++) {
		for (p = (const unsigned char *)f->name; *p; p++)
			h = (h ^ *p) * 16777619u;
		h = (h ^ ',') * 16777619u;
	}
	/* Never 0: the column's default says "no view written". */
	return (int64_t)h + 1;
}

int64_t
record__view_shape(const struct record_kind *k)
{
	return store_kind_view(k)->shape;
}

char *
record__data_text(const json_t *data)
{
	/* json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS)' bytes, written faster (canon.h). */
	return canon_compact_sorted(data);
}

/* Does v hold an object, at any depth below its top level? */
static bool
store_nests_object(const json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, item)
			if (json_is_object(item) || store_nests_object(item))
				return true;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item)
			if (json_is_object(item) || store_nests_object(item))
				return true;
	}
	return false;
}


/*
 * Can the view be written member by member? Not when a field has the name
 * of another member: record__row_json() sets that member once, in the place
 * it was first set, and the text must say the same.
 */
static bool
store_view_plain(const struct record_kind *k)
{
	const struct field *f, *g;
	size_t i;

	/* By first letter before strcmp() (the kind's answer is kept: store_kind_view()). */
	for (f = k->fields; f->name; f++) {
		for (i = 0; store_view_members[i]; i++)
			if (f->name[0] == store_view_members[i][0] &&
			    strcmp(f->name, store_view_members[i]) == 0)
				return false;
		for (g = k->fields; g != f; g++)
			if (g->name[0] == f->name[0] && strcmp(g->name, f->name) == 0)
				return false;
	}
	return true;
}

/*
 * Appends a member: a comma unless it is the first (out holds this view
 * alone, from its brace), the key, and the colon; the caller writes the
 * value. A key with anything to escape goes through the escaping writer.
 */
static int
store_view_key(struct buf *out, const char *key)
{
	size_t len = strlen(key), i;
	char *p;

	for (i = 0; i < len; i++)
		if ((unsigned char)key[i] < 0x20 || (unsigned char)key[i] >= 0x80 ||
		    key[i] == '"' || key[i] == '\\')
			break;
	if (i < len) {
		if (out->len > 1)
			buf_putc(out, ',');
		if (canon_compact_string(out, key, len) != 0)
			return AIMS_EINVALID;
		buf_putc(out, ':');
		return 0;
	}
	/* A name with nothing to escape (all of them, in practice): copied whole. */
	buf_grow(out, len + 4);
	p = out->data + out->len;
	if (out->len > 1)
		*p++ = ',';
	*p++ = '"';
	memcpy(p, key, len);
	p += len;
	*p++ = '"';
	*p++ = ':';
	*p = '\0';
	out->len = (size_t)(p - out->data);
	return 0;
}

/* Appends an integer member the way jansson prints it ("%" JSON_INTEGER_FORMAT). */
static int
store_view_int(struct buf *out, const char *key, int64_t v)
{
	char n[24];
	int rc;

	if ((rc = store_view_key(out, key)) != 0)
		return rc;
	buf_append(out, n, (size_t)snprintf(n, sizeof(n), "%" JSON_INTEGER_FORMAT,
	    (json_int_t)v));
	return 0;
}

/*
 * Appends a string member; none at all where json_string() gives no value
 * (NULL, or not UTF-8) and json_object_set_new() therefore sets nothing.
 */
static int
store_view_str(struct buf *out, const char *key, const char *s)
{
	int rc;

	if (s == NULL || !str_is_utf8(s, strlen(s)))
		return 0;
	if ((rc = store_view_key(out, key)) != 0)
		return rc;
	return canon_compact_string(out, s, strlen(s));
}

/* The text of record__row_json(k, r), without the tree: members in the order it sets them. */
static int
store_view_write(struct buf *out, const struct record_kind *k, const struct record_row *r)
{
	const struct field *f;
	size_t left = json_object_size(r->data);
	json_t *v;
	int rc;

	buf_putc(out, '{');
	if ((rc = store_view_str(out, "ref", r->ref)) != 0)
		return rc;
	/* Names are distinct here (store_view_plain()): once all are found, the rest are null. */
	for (f = k->fields; f->name; f++) {
		if ((rc = store_view_key(out, f->name)) != 0)
			return rc;
		v = left > 0 ? json_object_get(r->data, f->name) : NULL;
		if (v == NULL) {
			buf_append(out, "null", 4);
			continue;
		}
		left--;
		if ((rc = canon_compact_any(out, v)) != 0)
			return rc;
	}
	if ((rc = store_view_int(out, "version", r->version)) != 0 ||
	    (rc = store_view_str(out, "created_at", r->created_at)) != 0 ||
	    (rc = store_view_str(out, "updated_at", r->updated_at)) != 0 ||
	    (rc = store_view_str(out, "created_by", r->created_by)) != 0 ||
	    (rc = store_view_str(out, "updated_by", r->updated_by)) != 0 ||
	    (rc = store_view_key(out, "retired")) != 0)
		return rc;
	buf_puts(out, r->retired ? "true" : "false");
	if (r->in_force > 0 && (rc = store_view_int(out, "in_force_version", r->in_force)) != 0)
		return rc;
	buf_putc(out, '}');
	return 0;
}

#define STORE_VIEW_ROOM	1024

char *
record__view_text(const struct record_kind *k, const struct record_row *r)
{
	struct record_row stored = *r;
	struct buf text = BUF_INIT;
	json_t *o;
	char *data;

	/*
	 * As a read gives it: the data goes through its stored form (keys of
	 * nested objects sorted) rather than in the order a caller sent them.
	 * Without nested objects that form differs from the data only in the
	 * order of its top-level keys, which the view takes from the fields.
	 */
	if (store_nests_object(r->data)) {
		if ((data = record__data_text(r->data)) == NULL ||
		    (stored.data = json_loads(data, 0, NULL)) == NULL)
			abort();	/* only out of memory: xmalloc's policy */
		free(data);
	} else
		stored.data = json_incref(r->data);
	/* Room for a usual view at once, rather than doubling up to it member by member. */
	buf_grow(&text, STORE_VIEW_ROOM);
	if (store_kind_view(k)->plain) {
		if (store_view_write(&text, k, &stored) != 0)
			abort();	/* not UTF-8: json_dumps() failed the same way */
	} else {
		o = record__row_json(k, &stored);
		/* RECORD_VIEW_FLAGS' bytes (canon.h), without json_dumps()' cycle checks. */
		if (canon_compact(&text, o) != 0)
			abort();
		json_decref(o);
	}
	json_decref(stored.data);
	return buf_detach(&text);
}

int
record__row_view(struct buf *out, int64_t *version, struct db_stmt *st,
    const struct record_kind *k)
{
	struct record_row r;
	const char *view = db_column_text(st, RECORD_VIEW_COL);
	char *built;
	int rc;

	if (version)
		*version = db_column_int64(st, 3);
	if (view != NULL && db_column_int64(st, RECORD_VIEW_COL + 1) == record__view_shape(k)) {
		buf_puts(out, view);
		return 0;
	}
	/* Written before migration 073, or before a field was added: from the data. */
	if ((rc = record__row_read(&r, st)) == 0) {
		built = record__view_text(k, &r);
		buf_puts(out, built);
		free(built);
	}
	record__row_free(&r);
	return rc;
}

const char *
record__field_column(const struct record_kind *k, const struct field *f)
{
	(void)k;
	if (f->flags & FIELD_TITLE)
		return "title";
	if (strcmp(f->name, "status") == 0 && f->type == FIELD_ENUM)
		return "status";
	if (strcmp(f->name, "owner") == 0 && f->type == FIELD_USER)
		return "owner";
	return NULL;
}

bool
record__field_linked(const struct field *f)
{
	if (f->flags & FIELD_SORT)
		return false;
	return f->type == FIELD_REF || f->type == FIELD_REF_LIST ||
	    f->type == FIELD_REQUIREMENT || f->type == FIELD_REQUIREMENT_LIST;
}

void
record__row_columns(struct record_row *r, const struct record_kind *k)
{
	const struct field *f;
	const char *col, *v;

	free(r->title);
	free(r->status);
	free(r->owner);
	r->title = r->status = r->owner = NULL;
	for (f = k->fields; f->name; f++) {
		if ((col = record__field_column(k, f)) == NULL)
			continue;
		v = record__str(r->data, f->name);
		if (strcmp(col, "title") == 0)
			r->title = xstrdup(v ? v : r->ref);
		else if (strcmp(col, "status") == 0)
			r->status = xstrdup(v ? v : "");
		else
			r->owner = xstrdup(v ? v : "");
	}
	if (r->title == NULL)
		r->title = xstrdup(r->ref);
	if (r->status == NULL)
		r->status = xstrdup("");
	if (r->owner == NULL)
		r->owner = xstrdup("");
}

static int
store_step_done(struct db_stmt *st)
{
	int rc = db_step(st);

	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : rc;
}

/* The key record__derived_collect() gives a record_fields row (values typed as bound). */
void
record__fields_key(struct buf *b, const char *kind, const char *field, int live,
    const char *value_type, const char *value, const char *updated_at, int64_t num)
{
	char n[24];

	/* Built piece by piece: verify makes one per stored filter value. */
	snprintf(n, sizeof(n), "%lld", (long long)num);
	buf_reset(b);
	buf_puts(b, kind);
	buf_putc(b, '\t');
	buf_puts(b, field);
	buf_puts(b, live ? "\t1\t" : "\t0\t");
	buf_puts(b, value_type);
	buf_putc(b, ':');
	buf_puts(b, value);
	buf_putc(b, '\t');
	buf_puts(b, updated_at);
	buf_putc(b, '\t');
	buf_puts(b, n);
}

/*
 * Binds one record_fields row in key order: org, kind, field, live, value,
 * updated_at, num; or, with collect, adds its key to that set instead.
 */
static int
fields_row(struct db *db, const char *sql, json_t *collect, int64_t org_id,
    const struct record_kind *k, const struct record_row *r, const char *field, const json_t *v)
{
	struct db_stmt *st = NULL;
	struct buf key = BUF_INIT;
	char num[24];
	int rc;

	if (collect) {
		if (json_is_integer(v) || json_is_boolean(v)) {
			snprintf(num, sizeof(num), "%lld", json_is_integer(v) ?
			    (long long)json_integer_value(v) : (long long)json_is_true(v));
			record__fields_key(&key, k->name, field, !r->retired, "integer", num,
			    r->updated_at, r->num);
		} else
			record__fields_key(&key, k->name, field, !r->retired, "text",
			    json_is_string(v) ? json_string_value(v) : "", r->updated_at, r->num);
		json_object_set_new(collect, buf_str(&key), json_true());
		buf_free(&key);
		return 0;
	}
	if ((rc = db_prepare(&st, db, sql)) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, field);
	db_bind_int64(st, 4, !r->retired);
	if (json_is_integer(v))
		db_bind_int64(st, 5, json_integer_value(v));
	else if (json_is_boolean(v))
		db_bind_int64(st, 5, json_is_true(v));
	else if (json_is_string(v))
		db_bind_text(st, 5, json_string_value(v));
	else
		db_bind_text(st, 5, "");
	db_bind_text(st, 6, r->updated_at);
	db_bind_int64(st, 7, r->num);
	return store_step_done(st);
}

/*
 * Inserts (or deletes) the filter and sort values of r's fields that are not
 * columns nor filtered through their links; with collect, adds their keys to
 * it instead.
 */
static int
store_fields(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, bool insert, json_t *collect)
{
	const char *sql = insert ?
	    "INSERT INTO record_fields (org_id, kind, field, live, value, updated_at, num) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)" :
	    "DELETE FROM record_fields WHERE org_id = ? AND kind = ? AND field = ? AND live = ? "
	    "AND value = ? AND updated_at = ? AND num = ?";
	const struct field *f;
	json_t *v, *item;
	size_t i;
	int rc;

	for (f = k->fields; f->name; f++) {
		if (!(f->flags & (FIELD_FILTER | FIELD_SORT)) || record__field_column(k, f) ||
		    record__field_linked(f))
			continue;
		v = json_object_get(r->data, f->name);
		if (json_is_array(v)) {
			json_array_foreach(v, i, item)
				if (json_is_string(item) && (rc = fields_row(db, sql, collect,
				    org_id, k, r, f->name, item)) != 0)
					return rc;
		} else if (v != NULL || (f->flags & FIELD_SORT)) {
			if ((rc = fields_row(db, sql, collect, org_id, k, r, f->name, v)) != 0)
				return rc;
		}
	}
	return 0;
}

/*
 * Appends every word of v (strings, lists of strings) as scope + word;
 * legacy: words split as before migration 126 (any byte beyond ASCII a
 * letter), which verify accepts for a record still listed to be rewritten.
 */
static void
search_text_add(struct buf *b, const char *scope, const json_t *v, bool legacy)
{
	const unsigned char *p;
	json_t *item;
	size_t i, n;
	bool in_word = false, word;

	if (json_is_array(v)) {
		json_array_foreach(v, i, item)
			search_text_add(b, scope, item, legacy);
		return;
	}
	if (!json_is_string(v))
		return;
	for (p = (const unsigned char *)json_string_value(v); *p; p += n) {
		n = legacy ? 1 : record__word_char(&word, p);
		if (legacy)
			word = isalnum(*p) || *p >= 0x80;
		if (word) {
			if (!in_word)
				buf_printf(b, " %s", scope);
			buf_append(b, p, n);
			in_word = true;
		} else
			in_word = false;
	}
}

void
record__search_scope(char *out, size_t outlen, int64_t org_id, const char *kind, bool retired)
{
	size_t n;

	n = (size_t)snprintf(out, outlen, "s%lld_", (long long)org_id);
	for (; *kind && n + 4 < outlen; kind++)
		if (isalnum((unsigned char)*kind))
			out[n++] = *kind;
	snprintf(out + n, outlen - n, retired ? "_r_" : "_");
}

void
record__search_text(struct buf *b, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, bool legacy)
{
	char scope[RECORD_SCOPE_MAX];
	const struct field *f;
	json_t *v;

	record__search_scope(scope, sizeof(scope), org_id, k->name, r->retired);
	v = json_string(r->ref);
	search_text_add(b, scope, v, legacy);
	json_decref(v);
	for (f = k->fields; f->name; f++)
		if (f->flags & (FIELD_SEARCH | FIELD_TITLE))
			search_text_add(b, scope, json_object_get(r->data, f->name), legacy);
}

/* Writes a record's search text held until the commit (store_search_index()). */
static int
store_search_commit(struct db *db, int64_t id, const char *text)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO records_fts (body, rowid) VALUES (?, ?)")) != 0)
		return rc;
	db_bind_text(st, 1, text);
	db_bind_int64(st, 2, id);
	return store_step_done(st);
}

/*
 * Is a new record's search text held until the commit? On SQLite, under a
 * request's savepoint (a group's writes, db_writer.c): FTS5 flushes the
 * words it holds in memory into a new segment of its index at every
 * savepoint and at every statement that opens one, so a text written at
 * once cost a segment (and its merging) per request; held, the group's
 * texts make one. Nothing reads the index between a write and its commit.
 */
static bool
store_search_held(struct db *db)
{
	return db_in_savepoint(db) && strcmp(db_backend(db), "sqlite") == 0;
}

static int
store_search_index(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, bool fresh)
{
	struct db_stmt *st = NULL;
	struct buf b = BUF_INIT;
	int rc;

	record__search_text(&b, org_id, k, r, false);
	/* A text still held is replaced, not updated: its row is not written yet. */
	if (store_search_held(db) &&
	    (fresh || db_commit_text_pending(db, store_search_commit, r->id))) {
		rc = db_on_commit_text(db, store_search_commit, r->id, buf_str(&b));
		buf_free(&b);
		return rc;
	}
	rc = db_prepare(&st, db, fresh ? "INSERT INTO records_fts (body, rowid) VALUES (?, ?)" :
	    "UPDATE records_fts SET body = ? WHERE rowid = ?");
	if (rc == 0) {
		db_bind_text(st, 1, buf_str(&b));
		db_bind_int64(st, 2, r->id);
		rc = store_step_done(st);
	}
	buf_free(&b);
	return rc;
}

/* The key record__derived_collect() gives a record_links row. */
void
record__links_key(struct buf *b, const char *from_kind, const char *from_ref,
    const char *field, const char *to_kind, const char *to_ref, int live,
    const char *updated_at, int64_t num)
{
	buf_reset(b);
	buf_printf(b, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%lld", from_kind, from_ref, field, to_kind,
	    to_ref, live, updated_at, (long long)num);
}

/*
 * Inserts one link of r; with collect, adds its key to that set instead.
 * It carries r's live flag, last change and number, which a list filtered
 * by the link's target reads in order (record_list.c).
 */
static int
link_insert(struct db *db, json_t *collect, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, const char *field, const char *to_kind, const char *to_ref)
{
	struct db_stmt *st = NULL;
	struct buf key = BUF_INIT;
	int rc;

	if (to_kind == NULL)
		return 0;
	if (collect) {
		record__links_key(&key, k->name, r->ref, field, to_kind, to_ref, !r->retired,
		    r->updated_at, r->num);
		json_object_set_new(collect, buf_str(&key), json_true());
		buf_free(&key);
		return 0;
	}
	if ((rc = db_prepare(&st, db, "INSERT INTO record_links (org_id, from_kind, from_ref, "
	    "field, to_kind, to_ref, live, updated_at, num) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT DO NOTHING")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, r->ref);
	db_bind_text(st, 4, field);
	db_bind_text(st, 5, to_kind);
	db_bind_text(st, 6, to_ref);
	db_bind_int64(st, 7, !r->retired);
	db_bind_text(st, 8, r->updated_at);
	db_bind_int64(st, 9, r->num);
	return store_step_done(st);
}

const char *
record__link_target(const struct field *f, const char *ref)
{
	const struct record_kind *tk;

	if (f->type == FIELD_REQUIREMENT || f->type == FIELD_REQUIREMENT_LIST)
		return "requirement";
	tk = f->target ? record_kind_find(f->target) : record_kind_of_ref(ref);
	return tk ? tk->name : NULL;
}

/* Walks fields (and object subfields) for refs and catalog ids. */
static int
store_links_walk(struct db *db, json_t *collect, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, const struct field *fields, const json_t *data,
    const char *prefix)
{
	char path[RECORD_PATH_MAX];
	const struct field *f;
	json_t *v, *item;
	size_t i;
	int rc;

	for (f = fields; f && f->name; f++) {
		if ((v = json_object_get(data, f->name)) == NULL)
			continue;
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", f->name);
		switch (f->type) {
		case FIELD_REF:
		case FIELD_REQUIREMENT:
			if (json_is_string(v) && (rc = link_insert(db, collect, org_id, k, r,
			    path, record__link_target(f, json_string_value(v)), json_string_value(v))) != 0)
				return rc;
			break;
		case FIELD_REF_LIST:
		case FIELD_REQUIREMENT_LIST:
			json_array_foreach(v, i, item)
				if (json_is_string(item) && (rc = link_insert(db, collect, org_id, k,
				    r, path, record__link_target(f, json_string_value(item)),
				    json_string_value(item))) != 0)
					return rc;
			break;
		case FIELD_OBJECT:
			if ((rc = store_links_walk(db, collect, org_id, k, r, f->subfields, v,
			    path)) != 0)
				return rc;
			break;
		case FIELD_OBJECT_LIST:
			json_array_foreach(v, i, item)
				if ((rc = store_links_walk(db, collect, org_id, k, r, f->subfields,
				    item, path)) != 0)
					return rc;
			break;
		default:
			break;
		}
	}
	return 0;
}

static int
store_links_clear(struct db *db, int64_t org_id, const struct record_kind *k, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "DELETE FROM record_links "
	    "WHERE org_id = ? AND from_kind = ? AND from_ref = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, ref);
	return store_step_done(st);
}

/* Brings the indexes from old (NULL: none) to r (NULL: erased). */
static int
store_derived(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *old, const struct record_row *r)
{
	int rc;

	if ((rc = record__counts_add(db, org_id, k, old, -1)) != 0 ||
	    (rc = record__counts_add(db, org_id, k, r, 1)) != 0 ||
	    (rc = record__work_sync(db, org_id, k, old, r)) != 0)
		return rc;
	if (old && (rc = store_fields(db, org_id, k, old, false, NULL)) != 0)
		return rc;
	if (old && (rc = store_links_clear(db, org_id, k, old->ref)) != 0)
		return rc;
	if (r == NULL)
		return 0;
	if ((rc = store_fields(db, org_id, k, r, true, NULL)) != 0 ||
	    (rc = store_search_index(db, org_id, k, r, old == NULL)) != 0)
		return rc;
	return store_links_walk(db, NULL, org_id, k, r, k->fields, r->data, "");
}

int
record__derived_collect(json_t *fields, json_t *links, int64_t org_id,
    const struct record_kind *k, const struct record_row *r)
{
	int rc;

	if ((rc = store_fields(NULL, org_id, k, r, true, fields)) != 0)
		return rc;
	return store_links_walk(NULL, links, org_id, k, r, k->fields, r->data, "");
}

bool
record__view_answers(const json_t *data)
{
	return !store_nests_object(data);
}

/* Hands the view just stored to *answer when record__view_answers() says it may. */
static void
store_view_hand_out(char **answer, char **view, const struct record_row *r)
{
	if (answer == NULL || !record__view_answers(r->data))
		return;
	*answer = *view;
	*view = NULL;
}

int
record__row_insert(struct record_row *r, struct db *db, int64_t org_id,
    const struct record_kind *k, char **answer)
{
	struct db_stmt *st = NULL;
	char *data, *view;
	int rc;

	if (answer != NULL)
		*answer = NULL;
	if ((rc = db_prepare(&st, db, "INSERT INTO records (org_id, kind, num, ref, version, "
	    "title, status, owner, data, created_at, updated_at, created_by, updated_by, retired, "
	    "created_by_id, in_force, view, view_shape) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) != 0)
		return rc;
	data = record__data_text(r->data);
	view = record__view_text(k, r);
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_int64(st, 3, r->num);
	db_bind_text(st, 4, r->ref);
	db_bind_int64(st, 5, r->version);
	db_bind_text(st, 6, r->title);
	db_bind_text(st, 7, r->status);
	db_bind_text(st, 8, r->owner);
	db_bind_text(st, 9, data);
	db_bind_text(st, 10, r->created_at);
	db_bind_text(st, 11, r->updated_at);
	db_bind_text(st, 12, r->created_by);
	db_bind_text(st, 13, r->updated_by);
	db_bind_int64(st, 14, r->retired);
	db_bind_int64(st, 15, r->created_by_id);
	db_bind_int64(st, 16, r->in_force);
	db_bind_text(st, 17, view);
	db_bind_int64(st, 18, record__view_shape(k));
	rc = db_step(st);
	if (rc == DB_ROW) {
		r->id = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == AIMS_EEXISTS)
		rc = aims_error_set(AIMS_EEXISTS, k->ref_field ? k->ref_field : "ref",
		    "%s %s already exists", k->singular, r->ref);
	else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ERROR, NULL, "insert returned no row");
	db_done(st);
	free(data);
	if (rc == 0 && (rc = store_derived(db, org_id, k, NULL, r)) == 0)
		store_view_hand_out(answer, &view, r);
	free(view);
	return rc;
}

int
record__row_update(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *old, const struct record_row *r, char **answer)
{
	struct db_stmt *st = NULL;
	char *data, *view;
	int rc;

	if (answer != NULL)
		*answer = NULL;
	if ((rc = db_prepare(&st, db, "UPDATE records SET version = ?, title = ?, status = ?, "
	    "owner = ?, data = ?, updated_at = ?, updated_by = ?, retired = ?, in_force = ?, "
	    "view = ?, view_shape = ? WHERE id = ?")) != 0)
		return rc;
	data = record__data_text(r->data);
	view = record__view_text(k, r);
	db_bind_int64(st, 1, r->version);
	db_bind_text(st, 2, r->title);
	db_bind_text(st, 3, r->status);
	db_bind_text(st, 4, r->owner);
	db_bind_text(st, 5, data);
	db_bind_text(st, 6, r->updated_at);
	db_bind_text(st, 7, r->updated_by);
	db_bind_int64(st, 8, r->retired);
	db_bind_int64(st, 9, r->in_force);
	db_bind_text(st, 10, view);
	db_bind_int64(st, 11, record__view_shape(k));
	db_bind_int64(st, 12, r->id);
	rc = store_step_done(st);
	free(data);
	if (rc == 0 && (rc = store_derived(db, org_id, k, old, r)) == 0)
		store_view_hand_out(answer, &view, r);
	free(view);
	return rc;
}

static int
store_delete_where(struct db *db, const char *sql, int64_t org_id, const char *kind,
    int64_t num, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, sql)) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	if (ref)
		db_bind_text(st, 3, ref);
	else
		db_bind_int64(st, 3, num);
	return store_step_done(st);
}

int
record__row_erase(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *r)
{
	struct db_stmt *st = NULL;
	int rc;

	/* A text still held is withdrawn; a written one deleted. */
	if (db_commit_text_pending(db, store_search_commit, r->id) &&
	    (rc = db_on_commit_text(db, store_search_commit, r->id, NULL)) != 0)
		return rc;
	if ((rc = db_prepare(&st, db, "DELETE FROM records_fts WHERE rowid = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, r->id);
	if ((rc = store_step_done(st)) != 0)
		return rc;
	if ((rc = store_delete_where(db, "DELETE FROM records "
	    "WHERE org_id = ? AND kind = ? AND num = ?", org_id, k->name, r->num, NULL)) != 0 ||
	    (rc = store_delete_where(db, "DELETE FROM record_versions "
	    "WHERE org_id = ? AND kind = ? AND num = ?", org_id, k->name, r->num, NULL)) != 0)
		return rc;
	return store_derived(db, org_id, k, r, NULL);
}

int
record__version_add(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, const char *action, int64_t actor_id)
{
	struct db_stmt *st = NULL;
	char *data;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO record_versions (org_id, kind, num, version, "
	    "action, status, retired, at, actor, data, actor_id, in_force) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) != 0)
		return rc;
	data = record__data_text(r->data);
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_int64(st, 3, r->num);
	db_bind_int64(st, 4, r->version);
	db_bind_text(st, 5, action);
	db_bind_text(st, 6, r->status);
	db_bind_int64(st, 7, r->retired);
	db_bind_text(st, 8, r->updated_at);
	db_bind_text(st, 9, r->updated_by);
	db_bind_text(st, 10, data);
	db_bind_int64(st, 11, actor_id);
	/* Part of the state the ledger was given (in_force_version): kept to rebuild it. */
	db_bind_int64(st, 12, r->in_force);
	rc = store_step_done(st);
	free(data);
	return rc;
}

int
record__exists(struct db *db, int64_t org_id, const char *kind, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT 1 FROM records "
	    "WHERE org_id = ? AND kind = ? AND ref = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, ref);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		return aims_error_set(AIMS_ENOTFOUND, "ref", "%.64s does not exist", ref);
	return rc;
}
