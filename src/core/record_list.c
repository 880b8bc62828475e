/*
 * record_list.c - record_list(): a page of records of one kind with
 * filters, a sort order, q= search and a keyset cursor.
 *
 * The SQL is assembled from fixed fragments chosen by the kind's
 * declarations; every value (field names included) is a bound parameter.
 * The cursor carries the last row's sort keys, so any page costs the same.
 *
 * Which table drives the query decides its cost on a large organisation:
 * - no filter: the records index in the sort order;
 * - a field filter in the default order: the record_fields index, which
 *   holds (field, value, updated_at, num) in order;
 * - otherwise, a filter or search matching at most LIST_DRIVE_MAX records
 *   drives and its matches are sorted; larger ones are checked while the
 *   sort order's index is walked (they fill a page quickly).
 *
 * A filter on a reference field (record__field_linked()) is answered from
 * the links by target (record_links_to), which hold the same values: the
 * record_fields rows they would need are not written. A link carries its
 * record's live flag, last change and number as a record_fields row does,
 * so either index drives a filter the same way.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/record_counts.h"
#include "core/record_private.h"
#include "store/db.h"
#include "store/sqlb.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define LIST_FILTERS_MAX	16
#define LIST_KEYS_MAX		3
#define LIST_Q_MAX		200	/* bytes of search text */
#define LIST_CURSOR_MAX		600	/* bytes of an encoded cursor */
#define LIST_RESERVE_MAX	(1024 * 1024)	/* bytes a page's text reserves at once */
#define LIST_SQL_ROOM		511	/* bytes the page's statement starts with */
#define LIST_DRIVE_MAX		2000	/* matches up to which a filter or search drives */

enum list_drive { DRIVE_NONE, DRIVE_FIELD, DRIVE_FTS, DRIVE_SORT };

struct list_bind {
	bool		 is_int;
	int64_t		 i;
	const char	*s;
};

struct list_filter {
	const struct field	*f;
	const char		*column;	/* records column, or NULL: filter_table() */
	bool			 linked;	/* record_links, not record_fields */
	const char		*to_kind;	/* linked: the links' to_kind */
	struct list_bind	 value;
};

struct list_plan {
	const struct record_kind	*k;
	int64_t				 org_id;
	bool				 retired;	/* include retired records */
	struct list_filter		 filters[LIST_FILTERS_MAX];
	int				 nfilters;
	char				*fts;		/* FTS5 expression, or NULL */
	bool				 desc;
	const char			*sort_field;	/* record_fields sort, or NULL */
	bool				 by_updated;	/* sort is updated_at */
	const char			*keys[LIST_KEYS_MAX];
	int				 nkeys;
	enum list_drive			 drive;
	int				 drive_filter;
	int				 limit;
	bool				 want_total;
	int64_t				 fts_count;	/* matches of fts alone, or -1 */
	bool				 extra;		/* the kind's extra items follow */
	bool				 inline_views;	/* the page query reads the views */
};

/*
 * A cursor into the extra items (record_kind.list_extra) starts with this:
 * no cursor of the records does ('.' is not in the base64url alphabet).
 */
#define LIST_EXTRA_CURSOR	"x."

/* A list_bind as a parameter of q. */
static void
ls_bind(struct sqlb *q, const struct list_bind *b)
{
	if (b->is_int)
		sqlb_bind_int(q, b->i);
	else
		sqlb_bind_text(q, b->s);
}

static void
plan_names(struct buf *b, const struct record_kind *k, int flag)
{
	const struct field *f;

	for (f = k->fields; f->name; f++)
		if (f->flags & flag)
			buf_printf(b, "%s%s", b->len ? ", " : "", f->name);
}

/* A field a list sorts by its kept value: flagged sortable, and one value (not a list). */
static bool
plan_sorts_by_value(const struct field *f)
{
	return (f->flags & FIELD_SORT) && f->type != FIELD_ENUM_LIST &&
	    f->type != FIELD_STRING_LIST && f->type != FIELD_REF_LIST &&
	    f->type != FIELD_REQUIREMENT_LIST;
}

/*
 * The sortable fields after "ref, title, created_at, updated_at", for the
 * refusal of an unknown sort: each named once (a title field called
 * "title" is already there), the title field by its own name ("name"), and
 * only fields plan_sort() takes (not lists).
 */
static void
plan_sort_names(struct buf *b, const struct record_kind *k)
{
	const struct field *f;

	for (f = k->fields; f->name; f++)
		if ((plan_sorts_by_value(f) || (f->flags & FIELD_TITLE)) &&
		    strcmp(f->name, "title") != 0 &&
		    strcmp(f->name, "created_at") != 0 && strcmp(f->name, "updated_at") != 0 &&
		    strcmp(f->name, "ref") != 0)
			buf_printf(b, ", %s", f->name);
}

static void
plan_keys(struct list_plan *p, const char *a, const char *b, const char *c)
{
	p->keys[0] = a;
	p->keys[1] = b;
	p->keys[2] = c;
	p->nkeys = c ? 3 : b ? 2 : 1;
}

static int
plan_sort(struct list_plan *p, const char *spec)
{
	const struct record_kind *k = p->k;
	const struct field *f;
	struct buf b = BUF_INIT;
	const char *name, *col;
	int rc;

	if (spec == NULL || *spec == '\0')
		spec = k->default_sort ? k->default_sort : "-updated_at";
	p->desc = spec[0] == '-';
	name = spec + (spec[0] == '-' || spec[0] == '+');
	f = record_field_find(k, name);
	col = f && (f->flags & (FIELD_SORT | FIELD_TITLE)) ? record__field_column(k, f) : NULL;
	/* Numbers are taken in the order records are made: creation order too (migration 128). */
	if (strcmp(name, "ref") == 0 || strcmp(name, "created_at") == 0)
		plan_keys(p, "r.num", NULL, NULL);
	else if (strcmp(name, "updated_at") == 0) {
		plan_keys(p, "r.updated_at", "r.num", NULL);
		p->by_updated = true;
	} else if (strcmp(name, "title") == 0 || (col && strcmp(col, "title") == 0))
		plan_keys(p, "r.title", "r.num", NULL);
	else if (col && strcmp(col, "status") == 0)
		plan_keys(p, "r.status", "r.updated_at", "r.num");
	else if (col && strcmp(col, "owner") == 0)
		plan_keys(p, "r.owner", "r.updated_at", "r.num");
	else if (f && plan_sorts_by_value(f)) {
		plan_keys(p, "s.value", "s.updated_at", "s.num");
		p->sort_field = f->name;
	} else {
		buf_puts(&b, "ref, title, created_at, updated_at");
		plan_sort_names(&b, k);
		rc = aims_error_set(AIMS_EINVALID, "sort", "cannot sort %s by '%.64s' (allowed: %s; "
		    "prefix '-' for descending)", k->plural, name, buf_str(&b));
		buf_free(&b);
		return rc;
	}
	return 0;
}

static int
plan_filter_value(struct list_bind *out, const struct field *f, const char *value)
{
	char allowed[1024];
	const char *const *e;
	int64_t n;

	*out = (struct list_bind){ false, 0, value };
	switch (f->type) {
	case FIELD_INT:
		if (str_to_int64(&n, value, INT64_MIN, INT64_MAX) != 0)
			return aims_error_set(AIMS_EINVALID, f->name,
			    "filter '%s' needs a whole number", f->name);
		*out = (struct list_bind){ true, n, NULL };
		return 0;
	case FIELD_BOOL:
		if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
			return aims_error_set(AIMS_EINVALID, f->name,
			    "filter '%s' needs true or false", f->name);
		*out = (struct list_bind){ true, strcmp(value, "true") == 0, NULL };
		return 0;
	case FIELD_ENUM:
	case FIELD_ENUM_LIST:
		for (e = f->values; e && *e; e++)
			if (strcmp(*e, value) == 0)
				return 0;
		return aims_error_set(AIMS_EINVALID, f->name,
		    "filter '%s': '%.64s' is not allowed (allowed: %s)", f->name, value,
		    record__enum_list(allowed, sizeof(allowed), f->values));
	default:
		return 0;
	}
}

static int
plan_filters(struct list_plan *p, const struct record_query *rq)
{
	const struct field *f;
	struct buf b = BUF_INIT;
	int i, rc;

	if (rq->nfilters < 0 || rq->nfilters > LIST_FILTERS_MAX)
		return aims_error_set(AIMS_EINVALID, NULL, "too many filters (at most %d)",
		    LIST_FILTERS_MAX);
	for (i = 0; i < rq->nfilters; i++) {
		f = rq->filter_names[i] ? record_field_find(p->k, rq->filter_names[i]) : NULL;
		if (f == NULL || !(f->flags & FIELD_FILTER)) {
			plan_names(&b, p->k, FIELD_FILTER);
			rc = aims_error_set(AIMS_EINVALID, rq->filter_names[i],
			    "%s cannot be filtered by '%.64s' (filters: %s)", p->k->plural,
			    rq->filter_names[i] ? rq->filter_names[i] : "", b.len ? buf_str(&b) : "none");
			buf_free(&b);
			return rc;
		}
		if (rq->filter_values[i] == NULL)
			return aims_error_set(AIMS_EINVALID, f->name, "filter '%s' has no value",
			    f->name);
		p->filters[i].f = f;
		p->filters[i].column = record__field_column(p->k, f);
		if ((rc = plan_filter_value(&p->filters[i].value, f, rq->filter_values[i])) != 0)
			return rc;
		if (p->filters[i].column == NULL && record__field_linked(f)) {
			p->filters[i].linked = true;
			/* A value naming no kind has no links: '' is no link's to_kind. */
			p->filters[i].to_kind = record__link_target(f, rq->filter_values[i]);
			if (p->filters[i].to_kind == NULL)
				p->filters[i].to_kind = "";
		}
	}
	p->nfilters = rq->nfilters;
	return 0;
}

/*
 * The search as an FTS5 expression: every word of the text a scoped term
 * ("s12_risks_drift"), the last one a prefix (as typed so far), the words
 * ANDed; with retired records each word may also carry the retired scope
 * (see record_store.c). Whole words keep FTS5 on its skipping path: a
 * prefix merges the postings of every term it starts.
 */
static void
plan_fts_word(struct buf *b, const char *live, const char *retired, const char *w, size_t n,
    bool last)
{
	const char *star = last ? "*" : "";

	buf_puts(b, b->len ? " AND " : "");
	if (retired)
		buf_printf(b, "(\"%s%.*s\"%s OR \"%s%.*s\"%s)", live, (int)n, w, star, retired,
		    (int)n, w, star);
	else
		buf_printf(b, "\"%s%.*s\"%s", live, (int)n, w, star);
}

static char *
plan_fts_expr(int64_t org_id, const struct record_kind *k, const char *text, bool with_retired,
    bool last_prefix)
{
	char live[RECORD_SCOPE_MAX], retired[RECORD_SCOPE_MAX];
	struct buf b = BUF_INIT;
	const unsigned char *p, *start = NULL, *w = NULL;
	size_t wn = 0, n = 0;
	bool word;

	record__search_scope(live, sizeof(live), org_id, k->name, false);
	record__search_scope(retired, sizeof(retired), org_id, k->name, true);
	for (p = (const unsigned char *)text;; p += n) {
		n = *p ? record__word_char(&word, p) : 0;
		if (n > 0 && word) {
			if (start == NULL)
				start = p;
			continue;
		}
		if (start) {
			if (w)
				plan_fts_word(&b, live, with_retired ? retired : NULL,
				    (const char *)w, wn, false);
			w = start;
			wn = (size_t)(p - start);
		}
		start = NULL;
		if (*p == '\0')
			break;
	}
	if (w == NULL) {
		buf_free(&b);
		return NULL;
	}
	plan_fts_word(&b, live, with_retired ? retired : NULL, (const char *)w, wn, last_prefix);
	return buf_detach(&b);
}

static char *
plan_fts(int64_t org_id, const struct record_kind *k, const char *text, bool with_retired)
{
	return plan_fts_expr(org_id, k, text, with_retired, true);
}

static int
first_field_filter(const struct list_plan *p)
{
	int i;

	for (i = 0; i < p->nfilters; i++)
		if (p->filters[i].column == NULL)
			return i;
	return -1;
}

/* The index table of a filter that is not a records column. */
static const char *
filter_table(const struct list_filter *lf)
{
	return lf->linked ? "record_links" : "record_fields";
}

static int plan_bounded(int64_t *n, struct db *db, const struct list_plan *p, int filter);

/*
 * The field filter with the fewest matches (counted no further than
 * LIST_DRIVE_MAX + 1), to drive the query; the others are then checked per
 * row. One field filter is not counted unless count is wanted. *n: its
 * count, or LIST_DRIVE_MAX + 1 when not counted; *out -1: none.
 */
static int
plan_field_driver(int *out, int64_t *n, struct db *db, const struct list_plan *p, bool count)
{
	int64_t c;
	int i, nfield = 0, rc;

	*out = -1;
	*n = LIST_DRIVE_MAX + 1;
	for (i = 0; i < p->nfilters; i++)
		if (p->filters[i].column == NULL && nfield++ == 0)
			*out = i;
	if (nfield == 0 || (nfield == 1 && !count))
		return 0;
	for (i = 0; i < p->nfilters; i++) {
		if (p->filters[i].column != NULL)
			continue;
		if ((rc = plan_bounded(&c, db, p, i)) != 0)
			return rc;
		if (i == *out || c < *n) {
			*out = i;
			*n = c;
		}
	}
	return 0;
}

static void sql_field_match(struct sqlb *q, const struct list_plan *p, const char *alias,
    const struct list_filter *lf);

/* How many matches, counting no further than LIST_DRIVE_MAX + 1. */
static int
plan_bounded(int64_t *n, struct db *db, const struct list_plan *p, int filter)
{
	struct sqlb q;
	struct db_stmt *st = NULL;
	int rc;

	memset(&q, 0, sizeof(q));
	if (filter >= 0) {
		buf_printf(&q.sql, "SELECT count(*) FROM (SELECT 1 FROM %s d WHERE 1 = 1",
		    filter_table(&p->filters[filter]));
		sql_field_match(&q, p, "d", &p->filters[filter]);
		buf_puts(&q.sql, " LIMIT ?) x");
	} else {
		buf_puts(&q.sql, "SELECT count(*) FROM (SELECT 1 FROM records_fts "
		    "WHERE records_fts MATCH ? LIMIT ?) x");
		sqlb_bind_text(&q, p->fts);
	}
	sqlb_bind_int(&q, LIST_DRIVE_MAX + 1);
	if ((rc = sqlb_prepare(&st, db, &q)) == 0) {
		rc = db_step(st);
		*n = rc == DB_ROW ? db_column_int64(st, 0) : 0;
		rc = rc < 0 ? rc : 0;
	}
	db_done(st);
	sqlb_free(&q);
	return rc;
}

static int
plan_fts_count(int64_t *n, struct db *db, const struct list_plan *p)
{
	struct db_stmt *st = NULL;
	int rc;

	*n = 0;
	if ((rc = db_prepare(&st, db, "SELECT count(*) FROM records_fts "
	    "WHERE records_fts MATCH ?")) != 0)
		return rc;
	db_bind_text(st, 1, p->fts);
	rc = db_step(st);
	if (rc == DB_ROW)
		*n = db_column_int64(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int
plan_drive(struct list_plan *p, struct db *db)
{
	int64_t nf = LIST_DRIVE_MAX + 1, nq = LIST_DRIVE_MAX + 1;
	bool in_order = p->by_updated && !p->retired;
	int ff, rc;

	p->drive = DRIVE_NONE;
	if ((rc = plan_field_driver(&ff, &nf, db, p, !in_order)) != 0)
		return rc;
	p->drive_filter = ff;
	if (ff >= 0 && in_order) {
		/* The index holds the filter's matches in this order already. */
		p->drive = DRIVE_FIELD;
		p->keys[0] = "d.updated_at";
		p->keys[1] = "d.num";
		return 0;
	}
	if (p->fts && p->nfilters == 0 && p->want_total) {
		/* The total is this count: count all matches once. */
		if ((rc = plan_fts_count(&p->fts_count, db, p)) != 0)
			return rc;
		nq = p->fts_count;
	} else if (p->fts && (rc = plan_bounded(&nq, db, p, -1)) != 0)
		return rc;
	if (nf <= LIST_DRIVE_MAX && nf <= nq)
		p->drive = DRIVE_FIELD;
	else if (nq <= LIST_DRIVE_MAX)
		p->drive = DRIVE_FTS;
	else if (p->sort_field)
		p->drive = DRIVE_SORT;
	return 0;
}

static void
sql_from(struct sqlb *q, const struct list_plan *p, bool counting)
{
	switch (p->drive) {
	case DRIVE_FIELD:
		buf_puts(&q->sql, p->filters[p->drive_filter].linked ?
		    " FROM record_links d CROSS JOIN records r ON "
		    "r.org_id = d.org_id AND r.kind = d.from_kind AND r.num = d.num" :
		    " FROM record_fields d CROSS JOIN records r ON "
		    "r.org_id = d.org_id AND r.kind = d.kind AND r.num = d.num");
		break;
	case DRIVE_FTS:
		buf_puts(&q->sql, " FROM records_fts CROSS JOIN records r ON r.id = records_fts.rowid");
		break;
	case DRIVE_SORT:
		if (!counting) {
			buf_puts(&q->sql, " FROM record_fields s CROSS JOIN records r ON "
			    "r.org_id = s.org_id AND r.kind = s.kind AND r.num = s.num");
			return;
		}
		/* FALLTHROUGH */
	case DRIVE_NONE:
		buf_puts(&q->sql, " FROM records r");
		break;
	}
	if (p->sort_field && !counting)
		buf_puts(&q->sql, " JOIN record_fields s ON s.org_id = r.org_id AND "
		    "s.kind = r.kind AND s.num = r.num");
}

/*
 * The rows of filter lf in the index table named alias: record_fields by
 * (field, value), or the links by target (to_kind, to_ref) from this kind's
 * field; both carry the record's live flag, last change and number.
 */
static void
sql_field_match(struct sqlb *q, const struct list_plan *p, const char *alias,
    const struct list_filter *lf)
{
	if (lf->linked) {
		buf_printf(&q->sql, " AND %s.org_id = ? AND %s.to_kind = ? AND %s.to_ref = ? "
		    "AND %s.from_kind = ? AND %s.field = ?%s%s%s", alias, alias, alias, alias, alias,
		    p->retired ? "" : " AND ", p->retired ? "" : alias,
		    p->retired ? "" : ".live = 1");
		sqlb_bind_int(q, p->org_id);
		sqlb_bind_text(q, lf->to_kind);
		sqlb_bind_text(q, lf->value.s);
		sqlb_bind_text(q, p->k->name);
		sqlb_bind_text(q, lf->f->name);
		return;
	}
	buf_printf(&q->sql, " AND %s.org_id = ? AND %s.kind = ? AND %s.field = ?%s%s%s "
	    "AND %s.value = ?", alias, alias, alias, p->retired ? "" : " AND ",
	    p->retired ? "" : alias, p->retired ? "" : ".live = 1", alias);
	sqlb_bind_int(q, p->org_id);
	sqlb_bind_text(q, p->k->name);
	sqlb_bind_text(q, lf->f->name);
	ls_bind(q, &lf->value);
}

/*
 * A field filter checked for the row of records r at hand: a record_fields
 * row carries its record's live flag and updated_at, so the whole primary
 * key is known and the check is one index lookup per row, not a read of
 * every match of the filter (which a page needs only a few of).
 */
static void
sql_field_probe(struct sqlb *q, const struct list_plan *p, const struct list_filter *lf)
{
	buf_printf(&q->sql, " AND EXISTS (SELECT 1 FROM record_fields f WHERE "
	    "f.org_id = r.org_id AND f.kind = r.kind AND f.field = ? AND f.live = %s AND "
	    "f.value = ? AND f.updated_at = r.updated_at AND f.num = r.num)",
	    p->retired ? "1 - r.retired" : "1");
	sqlb_bind_text(q, lf->f->name);
	ls_bind(q, &lf->value);
}

/* A filter on a reference field checked for the row at hand: one key lookup. */
static void
sql_link_probe(struct sqlb *q, const struct list_filter *lf)
{
	buf_puts(&q->sql, " AND EXISTS (SELECT 1 FROM record_links l WHERE "
	    "l.org_id = r.org_id AND l.from_kind = r.kind AND l.from_ref = r.ref AND "
	    "l.field = ? AND l.to_kind = ? AND l.to_ref = ?)");
	sqlb_bind_text(q, lf->f->name);
	sqlb_bind_text(q, lf->to_kind);
	sqlb_bind_text(q, lf->value.s);
}

static void
sql_where(struct sqlb *q, const struct list_plan *p, bool counting)
{
	const struct list_filter *lf;
	int i;

	buf_puts(&q->sql, " WHERE r.org_id = ? AND r.kind = ?");
	sqlb_bind_int(q, p->org_id);
	sqlb_bind_text(q, p->k->name);
	if (!p->retired)
		buf_puts(&q->sql, " AND r.retired = 0");
	if (p->sort_field && !counting) {
		buf_printf(&q->sql, " AND s.org_id = ? AND s.kind = ? AND s.field = ?%s",
		    p->retired ? "" : " AND s.live = 1");
		sqlb_bind_int(q, p->org_id);
		sqlb_bind_text(q, p->k->name);
		sqlb_bind_text(q, p->sort_field);
	}
	for (i = 0; i < p->nfilters; i++) {
		lf = &p->filters[i];
		if (p->drive == DRIVE_FIELD && i == p->drive_filter) {
			sql_field_match(q, p, "d", lf);
		} else if (lf->linked) {
			sql_link_probe(q, lf);
		} else if (lf->column) {
			buf_printf(&q->sql, " AND r.%s = ?", lf->column);
			ls_bind(q, &lf->value);
		} else {
			sql_field_probe(q, p, lf);
		}
	}
	if (p->fts) {
		buf_puts(&q->sql, p->drive == DRIVE_FTS ? " AND records_fts MATCH ?" :
		    " AND r.id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?)");
		sqlb_bind_text(q, p->fts);
	}
}

/* The cursor of a row's sort keys (their JSON array, row_keys_text()). */
static char *
cursor_encode(const struct buf *keys)
{
	size_t outlen = sodium_base64_encoded_len(keys->len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = xmalloc(outlen);

	sodium_bin2base64(out, outlen, (const unsigned char *)buf_str(keys), keys->len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/*
 * Whether a cursor's value can stand for a sort key: row numbers are
 * integers, a field's sort value (s.value) is either, the rest is text.
 * Checked because a cursor comes from the client: PostgreSQL refuses to
 * compare a number column with text (a forged cursor was a 500 there),
 * where SQLite orders any value against any other.
 */
static bool
cursor_key_fits(const char *key, const json_t *v)
{
	size_t n = strlen(key);

	if (n >= 4 && strcmp(key + n - 4, ".num") == 0)
		return json_is_integer(v);
	if (strcmp(key, "s.value") == 0)
		return json_is_integer(v) || json_is_string(v);
	return json_is_string(v);
}

static int
cursor_decode(struct sqlb *q, const struct list_plan *p, const char *cursor)
{
	unsigned char raw[LIST_CURSOR_MAX];
	size_t n = 0;
	json_t *a = NULL, *v;
	int rc = AIMS_EINVALID, i;

	if (strlen(cursor) >= LIST_CURSOR_MAX || sodium_base642bin(raw, sizeof(raw) - 1, cursor,
	    strlen(cursor), NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		goto done;
	a = json_loadb((const char *)raw, n, 0, NULL);
	if (!json_is_array(a) || json_array_size(a) != (size_t)p->nkeys)
		goto done;
	for (i = 0; i < p->nkeys; i++)
		if (!cursor_key_fits(p->keys[i], json_array_get(a, (size_t)i)))
			goto done;
	for (i = 0; i < p->nkeys; i++) {
		v = json_array_get(a, (size_t)i);
		if (json_is_integer(v))
			sqlb_bind_int(q, json_integer_value(v));
		else
			sqlb_bind_text(q, json_string_value(v));
	}
	rc = 0;
done:
	json_decref(a);
	if (rc != 0)
		return aims_error_set(AIMS_EINVALID, "cursor",
		    "the cursor is not valid here: start again from the first page");
	return 0;
}

static int
sql_page(struct sqlb *q, const struct list_plan *p, const char *cursor)
{
	int i, rc;

	/*
	 * Ids and keys, and the views only when the query walks an index in
	 * the page's order (no sort, so only the page's rows are read):
	 * otherwise the rows of the page are read afterwards (list_rows()),
	 * rather than carried through a sort of every match.
	 */
	/* Pieces put one by one: printf's formatting cost more than the rest of this. */
	buf_puts(&q->sql, "SELECT r.id");
	for (i = 0; i < p->nkeys; i++) {
		buf_puts(&q->sql, ", ");
		buf_puts(&q->sql, p->keys[i]);
		buf_puts(&q->sql, ", typeof(");
		buf_puts(&q->sql, p->keys[i]);
		buf_putc(&q->sql, ')');
	}
	if (p->inline_views)
		buf_puts(&q->sql, ", r.view, r.view_shape");
	sql_from(q, p, false);
	sql_where(q, p, false);
	if (cursor && *cursor) {
		buf_puts(&q->sql, " AND (");
		for (i = 0; i < p->nkeys; i++) {
			buf_puts(&q->sql, i ? ", " : "");
			buf_puts(&q->sql, p->keys[i]);
		}
		buf_puts(&q->sql, p->desc ? ") < (" : ") > (");
		for (i = 0; i < p->nkeys; i++)
			buf_puts(&q->sql, i ? ", ?" : "?");
		buf_puts(&q->sql, ")");
		if ((rc = cursor_decode(q, p, cursor)) != 0)
			return rc;
	}
	buf_puts(&q->sql, " ORDER BY ");
	for (i = 0; i < p->nkeys; i++) {
		buf_puts(&q->sql, i ? ", " : "");
		buf_puts(&q->sql, p->keys[i]);
		buf_puts(&q->sql, p->desc ? " DESC" : " ASC");
	}
	buf_puts(&q->sql, " LIMIT ?");
	sqlb_bind_int(q, p->limit + 1);
	return 0;
}

/* Are all the filters on record_fields or the links (none on a records column)? */
static bool
list_fields_only(const struct list_plan *p)
{
	int i;

	for (i = 0; i < p->nfilters; i++)
		if (p->filters[i].column != NULL)
			return false;
	return true;
}

/*
 * The total of field filters on scalar fields that are a dimension the
 * kind's counts keep (a risk's likelihood and impact: a heat-map cell),
 * from the kept count (record_count_kept()); *kept false otherwise.
 */
static int
list_total_kept(int64_t *total, bool *kept, struct db *db, const struct list_plan *p)
{
	const char *fields[2], *values[2];
	char ints[2][24];
	const struct list_filter *lf;
	int i;

	*kept = false;
	if (p->nfilters < 1 || p->nfilters > 2 || p->fts != NULL || p->retired ||
	    !list_fields_only(p))
		return 0;
	for (i = 0; i < p->nfilters; i++) {
		lf = &p->filters[i];
		fields[i] = lf->f->name;
		if (lf->f->type == FIELD_BOOL)
			values[i] = lf->value.i ? "true" : "false";
		else if (lf->f->type == FIELD_INT) {
			snprintf(ints[i], sizeof(ints[i]), "%lld", (long long)lf->value.i);
			values[i] = ints[i];
		} else if (lf->f->type == FIELD_STRING || lf->f->type == FIELD_ENUM ||
		    lf->f->type == FIELD_DATE || lf->f->type == FIELD_REF ||
		    lf->f->type == FIELD_USER)
			values[i] = lf->value.s;
		else
			return 0;
	}
	return record_count_kept(total, kept, db, p->org_id, p->k, fields, values, p->nfilters);
}

static int
list_total(int64_t *total, struct db *db, const struct list_plan *p)
{
	struct sqlb q;
	struct db_stmt *st = NULL;
	int ff = first_field_filter(p), rc, i;
	bool kept;

	memset(&q, 0, sizeof(q));
	*total = 0;
	if ((rc = list_total_kept(total, &kept, db, p)) != 0 || kept)
		return rc;
	if (p->nfilters == 0 && p->fts == NULL && !p->retired) {
		buf_puts(&q.sql, "SELECT live FROM record_counts WHERE org_id = ? AND kind = ?");
		sqlb_bind_int(&q, p->org_id);
		sqlb_bind_text(&q, p->k->name);
	} else if (p->nfilters == 0 && p->fts != NULL) {
		/* The scopes hold exactly this org's and kind's records. */
		if (p->fts_count >= 0) {
			*total = p->fts_count;
			return 0;
		}
		return plan_fts_count(total, db, p);
	} else if (ff >= 0 && p->fts == NULL && !p->retired && list_fields_only(p)) {
		/*
		 * live = 1 excludes retired records: the index answers alone. Every
		 * match is counted, so the other filters' matches are read once
		 * into a set (IN) rather than looked up row by row (the page's
		 * way, which reads only the rows of one page): 3.8 against 10.8 ms
		 * for two filters of 10,000 matches each (bench/README.md).
		 */
		buf_printf(&q.sql, "SELECT count(*) FROM %s d WHERE 1 = 1",
		    filter_table(&p->filters[ff]));
		sql_field_match(&q, p, "d", &p->filters[ff]);
		for (i = 0; i < p->nfilters; i++) {
			if (i == ff)
				continue;
			buf_printf(&q.sql, " AND d.num IN (SELECT num FROM %s f WHERE 1 = 1",
			    filter_table(&p->filters[i]));
			sql_field_match(&q, p, "f", &p->filters[i]);
			buf_puts(&q.sql, ")");
		}
	} else {
		buf_puts(&q.sql, "SELECT count(*)");
		sql_from(&q, p, true);
		sql_where(&q, p, true);
	}
	if ((rc = sqlb_prepare(&st, db, &q)) == 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			*total = db_column_int64(st, 0);
		rc = rc < 0 ? rc : 0;
	}
	db_done(st);
	sqlb_free(&q);
	return rc;
}

/* The sort keys of the current row, as the cursor carries them. */
static json_t *
row_keys(struct db_stmt *st, const struct list_plan *p)
{
	json_t *a = json_array();
	const char *type, *s;
	int i, col;

	for (i = 0; i < p->nkeys; i++) {
		col = 1 + 2 * i;
		type = db_column_text(st, col + 1);
		s = db_column_text(st, col);
		json_array_append_new(a, type && strcmp(type, "integer") == 0 ?
		    json_integer(db_column_int64(st, col)) : json_string(s ? s : ""));
	}
	return a;
}

/* Is s JSON text as it stands between quotes (printable ASCII, no quote or backslash)? */
static bool
key_is_plain(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e || *s == '"' ||
		    *s == '\\')
			return false;
	return true;
}

/*
 * row_keys() as json_dumps(JSON_COMPACT) writes it, into out. Numbers and
 * plain text (times, most titles) are written here, without a tree built
 * and dumped for every page; any other text is left to jansson, whose
 * escaping the cursors have always had.
 */
static void
row_keys_text(struct buf *out, struct db_stmt *st, const struct list_plan *p)
{
	const char *type[LIST_KEYS_MAX], *text[LIST_KEYS_MAX];
	json_t *a;
	char *s;
	int i;

	for (i = 0; i < p->nkeys; i++) {
		type[i] = db_column_text(st, 2 + 2 * i);
		if (type[i] != NULL && strcmp(type[i], "integer") == 0)
			continue;
		text[i] = db_column_text(st, 1 + 2 * i);
		if (text[i] != NULL && !key_is_plain(text[i])) {
			a = row_keys(st, p);
			s = json_dumps(a, JSON_COMPACT);
			json_decref(a);
			buf_puts(out, s);
			free(s);
			return;
		}
	}
	buf_putc(out, '[');
	for (i = 0; i < p->nkeys; i++) {
		if (i > 0)
			buf_putc(out, ',');
		if (type[i] != NULL && strcmp(type[i], "integer") == 0) {
			buf_put_int(out, (long long)db_column_int64(st, 1 + 2 * i));
			continue;
		}
		buf_putc(out, '"');
		buf_puts(out, text[i] ? text[i] : "");
		buf_putc(out, '"');
	}
	buf_putc(out, ']');
}

/*
 * The page's rows are read in one statement, "WHERE id IN (?, ...)", once
 * the list query has given their ids in order: one statement per page
 * rather than one per record (on PostgreSQL one round trip rather than
 * fifty), and the list query itself stays on its covering index. The
 * placeholders are rounded up to a power of two (the rest bound to NULL,
 * which matches nothing), so a few statement texts serve every page size
 * from the connection's statement cache. The rows come back in any order
 * and are put in the page's by id.
 */
#define LIST_IN_MIN	8

struct list_slot {
	int64_t	id;
	int	pos;		/* in the page */
};

static int
list_slot_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct list_slot *)a)->id, y = ((const struct list_slot *)b)->id;

	return x < y ? -1 : x > y;
}

/* The page position of id (slots sorted by id), or -1. */
static int
list_slot_find(const struct list_slot *slots, int n, int64_t id)
{
	struct list_slot key = { id, 0 }, *hit;

	hit = bsearch(&key, slots, (size_t)n, sizeof(*slots), list_slot_cmp);
	return hit ? hit->pos : -1;
}

/* Prepares "SELECT columns FROM records WHERE id IN (...)" with the page's ids bound. */
static int
list_fetch_prepare(struct db_stmt **st, struct db *db, const char *columns,
    const int64_t *ids, int n)
{
	struct buf sql = BUF_INIT;
	int slots = LIST_IN_MIN, i, rc;

	while (slots < n)
		slots *= 2;
	buf_printf(&sql, "SELECT %s FROM records WHERE id IN (?", columns);
	for (i = 1; i < slots; i++)
		buf_puts(&sql, ", ?");
	buf_putc(&sql, ')');
	rc = db_prepare(st, db, buf_str(&sql));
	buf_free(&sql);
	if (rc != 0)
		return rc;
	for (i = 0; i < slots; i++) {
		if (i < n)
			db_bind_int64(*st, i + 1, ids[i]);
		else
			db_bind_null(*st, i + 1);
	}
	return 0;
}

/* The page's records as trees, appended to items in the page's order. */
static int
list_fetch_trees(json_t *items, struct db *db, const struct record_kind *k,
    const int64_t *ids, const struct list_slot *slots, int n, bool extra)
{
	json_t *rows[RECORD_LIST_MAX] = { NULL };
	struct record_row r;
	struct db_stmt *st = NULL;
	int rc, pos, i;

	if ((rc = list_fetch_prepare(&st, db, RECORD_ROW_COLUMNS, ids, n)) != 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if ((pos = list_slot_find(slots, n, db_column_int64(st, 0))) < 0 || rows[pos])
			continue;
		if ((rc = record__row_read(&r, st)) == 0) {
			rows[pos] = record__row_json(k, &r);
			if (extra)
				json_object_set_new(rows[pos], "generated", json_false());
		}
		record__row_free(&r);
		if (rc != 0)
			break;
	}
	db_done(st);
	for (i = 0; rc == 0 && i < n; i++)
		if (rows[i] == NULL)
			rc = aims_error_set(AIMS_ERROR, NULL, "a listed record vanished");
	for (i = 0; i < n; i++) {
		if (rc == 0)
			json_array_append_new(items, rows[i]);
		else
			json_decref(rows[i]);
	}
	return rc;
}

#define LIST_MARK		",\"generated\":false}"
#define LIST_MARK_LEN		(sizeof(LIST_MARK) - 2)	/* what it adds: the brace was there */

/* Marks the view text ends with as a record (not a generated item) of the listing. */
static void
list_mark_generated(struct buf *text)
{
	/* The view is one object: the mark goes before its closing brace. */
	if (text->len < 2 || text->data[text->len - 1] != '}')
		return;
	text->len--;
	buf_puts(text, text->data[text->len - 1] == '{' ? &LIST_MARK[1] : LIST_MARK);	/* no comma after { */
}

/*
 * A stored view with its length, which the database has already counted
 * (a page's views are most of its bytes: no strlen over them again); NULL
 * if the column is NULL.
 */
static const char *
list_column_view(struct db_stmt *st, int col, size_t *len)
{
	const char *view = db_column_blob(st, col, len);

	if (view == NULL) {
		/* NULL, or an empty text, which the text accessor tells apart. */
		view = db_column_text(st, col);
		*len = view ? strlen(view) : 0;
	}
	return view;
}

/*
 * Room for the rest of a page once its first row is written, at that
 * row's size (the views of one kind are of a size), and LIST_PAGE_SLACK
 * for its end and what a caller writes after it (a cursor, a total): the
 * page is then written without being copied again as its text grows.
 */
#define LIST_PAGE_SLACK		256

static void
list_reserve_page(struct buf *text, size_t row, int rows)
{
	size_t want = (row + 1) * (size_t)rows + LIST_PAGE_SLACK;

	buf_grow(text, want < LIST_RESERVE_MAX ? want : LIST_RESERVE_MAX);
}

/*
 * The view of record id built from its row, into out: for a view written
 * before the kind's shape changed (record__row_view()); rare, so by id.
 */
static int
list_fetch_stale(struct buf *out, struct db *db, const struct record_kind *k, int64_t id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT " RECORD_VIEW_COLUMNS " FROM records "
	    "WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, id);
	if ((rc = db_step(st)) == DB_ROW)
		rc = record__row_view(out, NULL, st, k);
	else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ERROR, NULL, "a listed record vanished");
	db_done(st);
	return rc;
}

/*
 * The page's views spliced into text ("[...]") in the page's order. Only
 * the view and its shape are read: the record's data is read only for a
 * view that is stale.
 */
static int
list_fetch_views(struct buf *text, struct db *db, const struct record_kind *k,
    const int64_t *ids, const struct list_slot *slots, int n, bool extra)
{
	size_t off[RECORD_LIST_MAX], len[RECORD_LIST_MAX];
	bool got[RECORD_LIST_MAX] = { false };
	struct buf views = BUF_INIT;
	struct db_stmt *st = NULL;
	int64_t shape = record__view_shape(k);
	const char *view;
	size_t vlen;
	int rc, pos, i;

	if ((rc = list_fetch_prepare(&st, db, "id, view, view_shape", ids, n)) != 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if ((pos = list_slot_find(slots, n, db_column_int64(st, 0))) < 0 || got[pos])
			continue;
		view = list_column_view(st, 1, &vlen);
		off[pos] = views.len;
		if (view != NULL && db_column_int64(st, 2) == shape)
			buf_append(&views, view, vlen);
		else if ((rc = list_fetch_stale(&views, db, k, ids[pos])) != 0)
			break;
		len[pos] = views.len - off[pos];
		got[pos] = true;
	}
	db_done(st);
	for (i = 0; rc == 0 && i < n; i++)
		if (!got[i])
			rc = aims_error_set(AIMS_ERROR, NULL, "a listed record vanished");
	if (rc == 0) {
		/* The page's size is known: its text grows once. */
		buf_grow(text, views.len + (size_t)n * (1 + (extra ? LIST_MARK_LEN : 0)) + 2);
		buf_putc(text, '[');
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_putc(text, ',');
			buf_append(text, views.data + off[i], len[i]);
			if (extra)
				list_mark_generated(text);
		}
		buf_putc(text, ']');
	}
	buf_free(&views);
	return rc;
}

/* The page's rows into items (trees) or text (the views spliced, "[...]"). */
static int
list_rows(int *count, json_t *items, struct buf *text, char **next_cursor, struct db *db,
    const struct list_plan *p, struct sqlb *q)
{
	struct db_stmt *st = NULL;
	int64_t ids[RECORD_LIST_MAX];
	struct list_slot slots[RECORD_LIST_MAX];
	struct buf last = BUF_INIT;
	int64_t shape = p->inline_views ? record__view_shape(p->k) : 0;
	const char *view;
	size_t vlen, at = 0;
	int rc, n = 0, i, col = 1 + 2 * p->nkeys;

	if ((rc = sqlb_prepare(&st, db, q)) != 0)
		return rc;
	if (p->inline_views)
		buf_putc(text, '[');
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == p->limit) {
			/* A row beyond the page: the next page starts after its last row. */
			*next_cursor = cursor_encode(&last);
			break;
		}
		/* The keys of the page's last row, kept in case a row follows. */
		if (n == p->limit - 1)
			row_keys_text(&last, st, p);
		ids[n] = db_column_int64(st, 0);
		if (p->inline_views) {
			if (n > 0)
				buf_putc(text, ',');
			else
				at = text->len;
			view = list_column_view(st, col, &vlen);
			if (view != NULL && db_column_int64(st, col + 1) == shape)
				buf_append(text, view, vlen);
			else if ((rc = list_fetch_stale(text, db, p->k, ids[n])) != 0)
				break;
			if (p->extra)
				list_mark_generated(text);
			if (n == 0)
				list_reserve_page(text, text->len - at, p->limit - 1);
		}
		n++;
	}
	db_done(st);
	buf_free(&last);
	if (rc < 0)
		return rc;
	if (p->inline_views) {
		buf_putc(text, ']');
		*count = n;
		return 0;
	}
	for (i = 0; i < n; i++)
		slots[i] = (struct list_slot){ ids[i], i };
	qsort(slots, (size_t)n, sizeof(slots[0]), list_slot_cmp);
	if (text && n == 0)
		buf_puts(text, "[]");
	else if (text)
		rc = list_fetch_views(text, db, p->k, ids, slots, n, p->extra);
	else if (n > 0)
		rc = list_fetch_trees(items, db, p->k, ids, slots, n, p->extra);
	if (rc != 0)
		return rc;
	*count = n;
	return 0;
}

/*
 * The kind's extra items after its records: the page's room left (limit -
 * count) filled from extra_cursor (NULL: their first), or, on a page the
 * records filled to their last, a cursor to the extra items when there are
 * any. The next cursor and the total then cover both.
 */
static int
list_extra(json_t *items, struct buf *text, char **next_cursor, int64_t *total,
    struct db *db, const struct list_plan *p, const struct record_query *rq,
    const char *extra_cursor, int count)
{
	const struct record_list_extra *x = p->k->list_extra;
	json_t *got = json_array(), *v;
	struct buf b = BUF_INIT;
	char *next = NULL, *dump;
	int64_t n = 0;
	size_t i;
	int rc, room = p->limit - count;

	if (*next_cursor != NULL) {
		/* Records remain: the extra items come on a later page; only count them. */
		rc = total ? x->list(got, &next, &n, db, p->org_id, p->k, rq, NULL, 0) : 0;
		goto done;
	}
	rc = x->list(got, &next, total ? &n : NULL, db, p->org_id, p->k, rq, extra_cursor,
	    room > 0 ? room : 1);
	if (rc != 0)
		goto done;
	if (room <= 0) {
		/* The page is full: the first extra item, if any, starts the next one. */
		if (json_array_size(got) > 0)
			*next_cursor = xstrdup(LIST_EXTRA_CURSOR);
		goto done;
	}
	if (next != NULL) {
		buf_printf(&b, LIST_EXTRA_CURSOR "%s", next);
		*next_cursor = buf_detach(&b);
	}
	for (i = 0; i < json_array_size(got); i++) {
		v = json_array_get(got, i);
		json_object_set_new(v, "generated", json_true());
		if (items) {
			json_array_append(items, v);
			continue;
		}
		dump = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
		text->len--;	/* the closing ']' */
		if (count > 0 || i > 0)
			buf_putc(text, ',');
		buf_puts(text, dump);
		buf_putc(text, ']');
		free(dump);
	}
done:
	if (rc == 0 && total)
		*total += n;
	free(next);
	json_decref(got);
	return rc;
}

/* record_list() into a tree (items) or as text (text); the other is NULL. */
static int
list_run(json_t **items, struct buf *text, char **next_cursor, int64_t *total,
    struct db *db, int64_t org_id, const struct record_kind *k, const struct record_query *rq)
{
	struct list_plan p;
	struct sqlb q;
	bool in_read = false;
	size_t text_len = text ? text->len : 0;
	const char *extra_cursor = NULL;
	int rc = 0, count = 0;

	if (items)
		*items = NULL;
	*next_cursor = NULL;
	memset(&p, 0, sizeof(p));
	memset(&q, 0, sizeof(q));
	p.k = k;
	p.org_id = org_id;
	p.retired = rq->include_retired;
	p.limit = rq->limit <= 0 ? RECORD_LIST_DEFAULT : rq->limit;
	p.want_total = total != NULL;
	p.fts_count = -1;
	p.extra = rq->with_extra && k->list_extra != NULL;
	if (p.extra && rq->cursor != NULL &&
	    strncmp(rq->cursor, LIST_EXTRA_CURSOR, strlen(LIST_EXTRA_CURSOR)) == 0)
		extra_cursor = rq->cursor + strlen(LIST_EXTRA_CURSOR);
	if (p.limit > RECORD_LIST_MAX)
		return aims_error_set(AIMS_EINVALID, "limit", "limit must be between 1 and %d",
		    RECORD_LIST_MAX);
	if (rq->q && strlen(rq->q) > LIST_Q_MAX)
		return aims_error_set(AIMS_EINVALID, "q", "the search text is longer than %d bytes",
		    LIST_Q_MAX);
	if ((rc = plan_sort(&p, rq->sort)) != 0 || (rc = plan_filters(&p, rq)) != 0)
		return rc;
	p.fts = rq->q ? plan_fts(org_id, k, rq->q, p.retired) : NULL;
	if ((rc = db_read_begin(db)) == 0)
		in_read = true;
	if (rc != 0 || (rc = plan_drive(&p, db)) != 0)
		goto done;
	if (items)
		*items = json_array();
	/* The orders of records' own indexes, walked in order (see sql_page()). */
	p.inline_views = text != NULL && p.drive == DRIVE_NONE && p.nfilters == 0 &&
	    p.fts == NULL && !p.retired && p.sort_field == NULL;
	/* The page's statement is a few hundred bytes: its text is allocated once. */
	buf_grow(&q.sql, LIST_SQL_ROOM);
	if (extra_cursor != NULL) {
		/* Past the records: the page is the extra items' alone. */
		if (text)
			buf_puts(text, "[]");
	} else if ((rc = sql_page(&q, &p, rq->cursor)) != 0 ||
	    (rc = list_rows(&count, items ? *items : NULL, text, next_cursor, db, &p, &q)) != 0)
		goto done;
	if (total && (rc = list_total(total, db, &p)) != 0)
		goto done;
	if (p.extra)
		rc = list_extra(items ? *items : NULL, text, next_cursor, total, db, &p, rq,
		    extra_cursor, count);
done:
	if (in_read)
		db_read_end(db);
	sqlb_free(&q);
	free(p.fts);
	if (rc != 0) {
		if (items) {
			json_decref(*items);
			*items = NULL;
		}
		if (text) {
			text->len = text_len;
			if (text->data)
				text->data[text_len] = '\0';
		}
		free(*next_cursor);
		*next_cursor = NULL;
	}
	return rc;
}

int
record_list(json_t **items, char **next_cursor, int64_t *total, struct db *db,
    int64_t org_id, const struct record_kind *k, const struct record_query *rq)
{
	return list_run(items, NULL, next_cursor, total, db, org_id, k, rq);
}

int
record_list_text(struct buf *items, char **next_cursor, int64_t *total, struct db *db,
    int64_t org_id, const struct record_kind *k, const struct record_query *rq)
{
	return list_run(NULL, items, next_cursor, total, db, org_id, k, rq);
}

/* One kind's part of the search: its newest matches of fts, per_kind + 1 of them. */
static void
search_kind_sql(struct sqlb *q, int64_t org_id, const struct record_kind *k, const char *fts,
    int per_kind, size_t i)
{
	buf_printf(&q->sql, "%sSELECT * FROM (SELECT r.kind, r.ref, r.title FROM records_fts "
	    "CROSS JOIN records r ON r.id = records_fts.rowid WHERE records_fts MATCH ? AND "
	    "r.org_id = ? AND r.kind = ? AND r.retired = 0 ORDER BY records_fts.rowid DESC "
	    "LIMIT ?) s%zu", i > 0 ? " UNION ALL " : "", i);
	sqlb_bind_text(q, fts);
	sqlb_bind_int(q, org_id);
	sqlb_bind_text(q, k->name);
	/* One more than shown tells whether there are more. */
	sqlb_bind_int(q, per_kind + 1);
}

/* The entry of kind name in out. */
static json_t *
search_entry(json_t *out, const char *name)
{
	json_t *e;
	size_t i;

	json_array_foreach(out, i, e)
		if (strcmp(json_string_value(json_object_get(e, "kind")), name) == 0)
			return e;
	return NULL;
}

/* Runs the statement q of search_kind_sql() parts into the entries of out. */
static int
search_run(json_t *out, struct db *db, const struct sqlb *q, int per_kind)
{
	struct db_stmt *st = NULL;
	const char *kind, *ref, *title;
	json_t *e, *items;
	int rc;

	if ((rc = sqlb_prepare(&st, db, q)) != 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		kind = db_column_text(st, 0);
		ref = db_column_text(st, 1);
		title = db_column_text(st, 2);
		if (kind == NULL || ref == NULL || (e = search_entry(out, kind)) == NULL)
			continue;
		items = json_object_get(e, "items");
		if (json_array_size(items) == (size_t)per_kind) {
			json_object_set_new(e, "more", json_true());
			continue;
		}
		json_array_append_new(items, json_pack("{s:s, s:s}", "ref", ref, "title",
		    title != NULL && *title != '\0' ? title : ref));
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/*
 * The last word is a prefix (as typed so far), and the search index
 * gathers every posting of every word a prefix starts before it can answer
 * the newest few: for a word most records hold ("evidence" in 500,000 of
 * them) that is most of the page's time, however few are shown. So the
 * last word is first looked for whole, which the index answers by walking
 * its newest postings and stopping: a kind that fills its share that way
 * shows those (all of them matches of the prefix too, and there are more);
 * only the kinds left short are searched again with the prefix, first in
 * their newest records (record__search_recent()), then, if those do not
 * settle it, in the index.
 */
int
record_search(json_t **out, struct db *db, int64_t org_id,
    const struct record_kind *const *kinds, size_t nkinds, const char *q, int per_kind)
{
	struct sqlb whole, prefix;
	char *fts = NULL;
	json_t *e;
	size_t i, n = 0;
	bool settled, more;
	int rc = 0;

	*out = NULL;
	memset(&whole, 0, sizeof(whole));
	memset(&prefix, 0, sizeof(prefix));
	if (nkinds > RECORD_SEARCH_KINDS_MAX || per_kind < 1 || per_kind >= RECORD_LIST_MAX)
		return aims_error_set(AIMS_EINVALID, NULL, "a search covers at most %d kinds, "
		    "1 to %d records of each", RECORD_SEARCH_KINDS_MAX, RECORD_LIST_MAX - 1);
	if (q != NULL && strlen(q) > LIST_Q_MAX)
		return aims_error_set(AIMS_EINVALID, "q", "the search text is longer than %d "
		    "bytes", LIST_Q_MAX);
	*out = json_array();
	if (q == NULL)
		return 0;
	for (i = 0; i < nkinds; i++) {
		/* Each kind's words carry its own scope (see plan_fts). */
		if ((fts = plan_fts_expr(org_id, kinds[i], q, false, false)) == NULL)
			goto done;
		search_kind_sql(&whole, org_id, kinds[i], fts, per_kind, i);
		free(fts);
		json_array_append_new(*out, json_pack("{s:s, s:b, s:[]}", "kind",
		    kinds[i]->name, "more", false, "items"));
	}
	if (nkinds == 0 || (rc = search_run(*out, db, &whole, per_kind)) != 0)
		goto done;
	for (i = 0; i < nkinds; i++) {
		e = json_array_get(*out, i);
		if (json_is_true(json_object_get(e, "more")))
			continue;
		json_array_clear(json_object_get(e, "items"));
		if ((rc = record__search_recent(&settled, json_object_get(e, "items"), &more, db,
		    org_id, kinds[i], q, per_kind)) != 0)
			goto done;
		if (settled) {
			json_object_set_new(e, "more", json_boolean(more));
			continue;
		}
		fts = plan_fts(org_id, kinds[i], q, false);
		search_kind_sql(&prefix, org_id, kinds[i], fts, per_kind, n++);
		free(fts);
	}
	if (n > 0 && (rc = search_run(*out, db, &prefix, per_kind)) != 0)
		goto done;
	/* The kinds without a match are left out. */
	for (i = nkinds; i > 0; i--)
		if (json_array_size(json_object_get(json_array_get(*out, i - 1), "items")) == 0)
			json_array_remove(*out, i - 1);
done:
	sqlb_free(&whole);
	sqlb_free(&prefix);
	if (rc != 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
