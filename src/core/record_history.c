/*
 * record_history.c - a record's versions as the API answers them, written
 * from the versions' stored text: record_history_text() and
 * record_version_get_text() give the bytes json_dumps() gives for
 * record_history() and record_version_get() (record_query.c), without
 * parsing each version into a tree and writing it out again.
 *
 * A version's data is stored as canonical JSON (compact, keys sorted,
 * record_store.c), so each field's value is a span of that text
 * (util/jscan.c), spliced as it is; and two values are equal exactly when
 * their texts are, which is how the changes between versions are found.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/record_private.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/jscan.h"
#include "util/mem.h"

#define HISTORY_FIELDS_MAX	256	/* declared fields of a kind */

/* One version's declared fields: each value's text, or p NULL when absent. */
struct history_version {
	struct buf		 data;		/* the stored data the spans point into */
	struct jscan_value	 spans[HISTORY_FIELDS_MAX];
};

/* What a version's answer takes from the current row. */
struct history_row {
	int64_t	 num;
	char	*ref, *created_at, *created_by;
};

/* The current row's reference, number and creation, without its data. */
static int
history_row_load(struct history_row *out, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = record__select_ref(&st, db, "SELECT num, ref, created_at, created_by FROM records "
	    "WHERE org_id = ? AND kind = ? AND ref = ?", org_id, k, ref)) != 0)
		return rc;
	out->num = db_column_int64(st, 0);
	out->ref = xstrdup(db_column_text(st, 1) ? db_column_text(st, 1) : "");
	out->created_at = xstrdup(db_column_text(st, 2) ? db_column_text(st, 2) : "");
	out->created_by = xstrdup(db_column_text(st, 3) ? db_column_text(st, 3) : "");
	db_done(st);
	return 0;
}

static void
history_row_free(struct history_row *r)
{
	free(r->ref);
	free(r->created_at);
	free(r->created_by);
	memset(r, 0, sizeof(*r));
}

/*
 * What both reads check first: the reference (*ref, resolved as
 * record__ref_resolve() does), that the kind's fields fit a history_version,
 * and the current row into *out (zeroed when any of it fails).
 */
static int
history_begin(struct history_row *out, struct db *db, int64_t org_id,
    const struct record_kind *k, const char **ref, size_t nfields)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = record__ref_resolve(ref, k)) != 0)
		return rc;
	if (nfields > HISTORY_FIELDS_MAX)
		return aims_error_set(AIMS_ERROR, NULL, "%s declares more than %d fields",
		    k->name, HISTORY_FIELDS_MAX);
	return history_row_load(out, db, org_id, k, *ref);
}

/*
 * s as a JSON string, as jansson writes it. Printable ASCII other than a
 * quote or a backslash is written as it is by jansson too; names, times,
 * references and actors are nothing else, and are written here directly
 * rather than through a jansson string and its dump (most of the time of a
 * long history went there).
 */
static void
history_string(struct buf *out, const char *s)
{
	json_t *v;
	char *text;
	size_t n;

	s = s ? s : "";
	for (n = 0; s[n] >= 0x20 && s[n] < 0x7f && s[n] != '"' && s[n] != '\\'; n++)
		;
	if (s[n] == '\0') {
		buf_putc(out, '"');
		buf_append(out, s, n);
		buf_putc(out, '"');
		return;
	}
	v = json_string(s);
	if (v == NULL || (text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT)) == NULL)
		abort();	/* not UTF-8 (stored text always is) or out of memory */
	buf_puts(out, text);
	free(text);
	json_decref(v);
}

static size_t
history_nfields(const struct record_kind *k)
{
	size_t n = 0;

	while (k->fields[n].name != NULL)
		n++;
	return n;
}

/* Reads a version's stored data into v: its declared fields' spans. */
static int
history_spans(struct history_version *v, const struct record_kind *k, size_t nfields,
    const char *data)
{
	struct jscan it;
	struct jscan_value doc, key, val;
	size_t i;
	int rc;

	buf_reset(&v->data);
	buf_puts(&v->data, data ? data : "{}");
	memset(v->spans, 0, sizeof(v->spans));
	if (jscan_value(&doc, v->data.data, v->data.len) != 0 || jscan_begin(&it, &doc) != 0)
		return AIMS_EINVALID;
	while ((rc = jscan_next(&it, &key, &val)) == 1)
		for (i = 0; i < nfields; i++)
			if (jscan_string_is(&key, k->fields[i].name)) {
				/* The last of a name, as a tree keeps it. */
				v->spans[i] = val;
				break;
			}
	return rc;
}

/* record__is_empty() on a value's text: null, blank text, [] or {}. */
static bool
history_empty(const struct jscan_value *v)
{
	struct buf s = BUF_INIT;
	size_t i;
	bool empty = true;

	if (v->p == NULL || v->type == JSCAN_NULL)
		return true;
	if (v->type == JSCAN_ARRAY || v->type == JSCAN_OBJECT) {
		for (i = 1; i + 1 < v->len; i++)
			if (!isspace((unsigned char)v->p[i]))
				return false;
		return true;
	}
	if (v->type != JSCAN_STRING)
		return false;
	if (jscan_string(&s, v) != 0)
		empty = false;
	/* A NUL ends the text, as it ends the tree's string. */
	for (i = 0; empty && i < s.len && s.data[i] != '\0'; i++)
		if (!isspace((unsigned char)s.data[i]))
			empty = false;
	buf_free(&s);
	return empty;
}

static bool
history_equal(const struct jscan_value *a, const struct jscan_value *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

static const struct jscan_value history_null = { JSCAN_NULL, "null", 4 };

/* A declared field's value in a version (absent: null, as the record tree has it). */
static const struct jscan_value *
history_value(const struct history_version *v, size_t i)
{
	return v->spans[i].p != NULL ? &v->spans[i] : &history_null;
}

static void
history_splice(struct buf *out, const struct jscan_value *v)
{
	buf_append(out, v->p, v->len);
}

/*
 * The record as it was at the version st is on (record__version_json()):
 * the current row's reference and creation, the version's fields and state.
 */
static void
history_record(struct buf *out, const struct record_kind *k, size_t nfields,
    const struct history_row *cur, const struct history_version *v, struct db_stmt *st)
{
	int64_t in_force = db_column_int64(st, 7);
	size_t i;

	buf_puts(out, "{\"ref\":");
	history_string(out, cur->ref);
	for (i = 0; i < nfields; i++) {
		buf_putc(out, ',');
		history_string(out, k->fields[i].name);
		buf_putc(out, ':');
		history_splice(out, history_value(v, i));
	}
	buf_printf(out, ",\"version\":%lld,\"created_at\":", (long long)db_column_int64(st, 0));
	history_string(out, cur->created_at);
	buf_puts(out, ",\"updated_at\":");
	history_string(out, db_column_text(st, 3));
	buf_puts(out, ",\"created_by\":");
	history_string(out, cur->created_by);
	buf_puts(out, ",\"updated_by\":");
	history_string(out, db_column_text(st, 4));
	buf_puts(out, db_column_int64(st, 6) != 0 ? ",\"retired\":true" : ",\"retired\":false");
	if (in_force > 0)
		buf_printf(out, ",\"in_force_version\":%lld", (long long)in_force);
	buf_putc(out, '}');
}

/*
 * Whether declared field i changed from prev (NULL: the first version) to
 * v, as history_changed() in record_query.c decides it: *a and *b are its
 * values before (NULL for the first version) and after.
 */
static bool
history_field_changed(const struct jscan_value **a, const struct jscan_value **b,
    const struct history_version *prev, const struct history_version *v, size_t i)
{
	*a = prev ? history_value(prev, i) : NULL;
	*b = history_value(v, i);
	if ((*a == NULL || history_empty(*a)) && history_empty(*b))
		return false;
	return *a == NULL || !history_equal(*a, *b);
}

/* One entry of the history (history_row() in record_query.c); prev NULL for the first. */
static void
history_entry(struct buf *out, const struct record_kind *k, size_t nfields,
    const struct history_row *cur, const struct history_version *prev,
    const struct history_version *v, struct db_stmt *st)
{
	const struct jscan_value *a, *b;
	const char *by = db_column_text(st, 8);
	size_t i;
	int n = 0;

	buf_printf(out, "{\"version\":%lld,\"action\":", (long long)db_column_int64(st, 0));
	history_string(out, db_column_text(st, 1));
	buf_puts(out, ",\"status\":");
	history_string(out, db_column_text(st, 2));
	buf_puts(out, ",\"time\":");
	history_string(out, db_column_text(st, 3));
	buf_puts(out, ",\"actor\":");
	history_string(out, db_column_text(st, 4));
	buf_puts(out, ",\"by\":");
	if (by != NULL && *by != '\0')
		history_string(out, by);
	else
		buf_puts(out, "null");
	buf_puts(out, ",\"fields\":[");
	for (i = 0; i < nfields; i++) {
		if (!history_field_changed(&a, &b, prev, v, i))
			continue;
		if (n++)
			buf_putc(out, ',');
		history_string(out, k->fields[i].name);
	}
	buf_puts(out, "],\"changes\":[");
	n = 0;
	for (i = 0; i < nfields; i++) {
		if (!history_field_changed(&a, &b, prev, v, i))
			continue;
		buf_puts(out, n++ ? ",{\"field\":" : "{\"field\":");
		history_string(out, k->fields[i].name);
		buf_puts(out, ",\"label\":");
		history_string(out, k->fields[i].label);
		buf_puts(out, ",\"from\":");
		history_splice(out, a != NULL && !history_empty(a) ? a : &history_null);
		buf_puts(out, ",\"to\":");
		history_splice(out, !history_empty(b) ? b : &history_null);
		buf_putc(out, '}');
	}
	buf_puts(out, "],\"record\":");
	history_record(out, k, nfields, cur, v, st);
	buf_putc(out, '}');
}

int
record_history_text(struct buf *out, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref, const char *status)
{
	struct history_version *ver = xcalloc(2, sizeof(*ver));
	struct history_row r;
	struct db_stmt *st = NULL;
	struct buf entries = BUF_INIT;
	size_t *off = NULL, *len = NULL, n = 0, cap = 0, nfields = history_nfields(k), i;
	const char *s;
	int rc, cur = 0;
	bool first = true;

	if ((rc = history_begin(&r, db, org_id, k, &ref, nfields)) != 0)
		goto done;
	/* The same statement as record_history(). */
	if ((rc = record__versions_select(&st, db, org_id, k, r.num)) != 0)
		goto done;
	while ((rc = db_step(st)) == DB_ROW) {
		if (history_spans(&ver[cur], k, nfields, db_column_text(st, 5)) != 0) {
			rc = aims_error_set(AIMS_ERROR, NULL, "a stored version is not valid JSON");
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			off = xrealloc(off, cap * sizeof(*off));
			len = xrealloc(len, cap * sizeof(*len));
		}
		off[n] = entries.len;
		history_entry(&entries, k, nfields, &r, first ? NULL : &ver[1 - cur], &ver[cur], st);
		len[n] = entries.len - off[n];
		/* The status filter applies after the changes, which compare with the previous version. */
		s = db_column_text(st, 2);
		if (status == NULL || (s != NULL && strcmp(s, status) == 0))
			n++;
		else
			entries.len = off[n];
		first = false;
		cur = 1 - cur;
	}
	rc = rc < 0 ? rc : 0;
	if (rc != 0)
		goto done;
	/* Newest first. */
	buf_putc(out, '[');
	for (i = n; i-- > 0;) {
		buf_append(out, entries.data + off[i], len[i]);
		if (i > 0)
			buf_putc(out, ',');
	}
	buf_putc(out, ']');
done:
	db_done(st);
	history_row_free(&r);
	buf_free(&ver[0].data);
	buf_free(&ver[1].data);
	free(ver);
	buf_free(&entries);
	free(off);
	free(len);
	return rc;
}

int
record_version_get_text(struct buf *out, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref, int64_t version)
{
	struct history_version *v = xcalloc(1, sizeof(*v));
	struct history_row r;
	struct db_stmt *st = NULL;
	size_t nfields = history_nfields(k);
	int rc;

	if ((rc = history_begin(&r, db, org_id, k, &ref, nfields)) != 0)
		goto done;
	if ((rc = record__version_select(&st, db, org_id, k, ref, r.num, version)) != 0)
		goto done;
	if (history_spans(v, k, nfields, db_column_text(st, 5)) != 0)
		rc = aims_error_set(AIMS_ERROR, NULL, "a stored version is not valid JSON");
	else
		history_record(out, k, nfields, &r, v, st);
done:
	db_done(st);
	history_row_free(&r);
	buf_free(&v->data);
	free(v);
	return rc;
}
