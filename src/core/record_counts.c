/*
 * record_counts.c - the dashboard's figures (see record_counts.h). The counts
 * per dimension value live in dashboard_counts (store/schema/020, 021): a
 * record is taken out of them before it changes or goes, and put back after,
 * by record__counts_add() from the record engine's writes, so they move in
 * the same transaction as the record and follow the kind's declaration.
 * The live records per kind (record_counts) and the next reference number
 * (ref_counters) are kept here too. Inside a transaction the three move in
 * memory and are written once (db_deferred()): an import of 10,000 records
 * would otherwise change each counter row 10,000 times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/record_counts.h"
#include "core/record_private.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

/* The value at a top-level or one-level nested ("treatment.x") path. */
static const json_t *
counts_path(const json_t *data, const char *path)
{
	const char *dot = strchr(path, '.');
	char head[RECORD_PATH_MAX];

	if (dot == NULL)
		return json_object_get(data, path);
	if ((size_t)(dot - path) >= sizeof(head))
		return NULL;
	memcpy(head, path, (size_t)(dot - path));
	head[dot - path] = '\0';
	return json_object_get(json_object_get(data, head), dot + 1);
}

/* A scalar as counted text; false when it has none (absent, null, "", object). */
static bool
counts_text(char *out, size_t len, const json_t *v)
{
	int n;

	if (json_is_string(v) && json_string_length(v) > 0)
		n = snprintf(out, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		n = snprintf(out, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		n = snprintf(out, len, "%s", json_is_true(v) ? "true" : "false");
	else
		return false;
	return n > 0 && (size_t)n < len;
}

static bool
counts_value(char out[RECORD_COUNT_VALUE_MAX], const struct record_count *c,
    const json_t *data)
{
	char a[RECORD_COUNT_VALUE_MAX], b[RECORD_COUNT_VALUE_MAX];
	int n;

	if (c->value != NULL)
		return c->value(out, data);
	if (!counts_text(a, sizeof(a), counts_path(data, c->fields[0])))
		return false;
	if (c->fields[1] == NULL) {
		memcpy(out, a, sizeof(a));
		return true;
	}
	if (!counts_text(b, sizeof(b), counts_path(data, c->fields[1])))
		return false;
	n = snprintf(out, RECORD_COUNT_VALUE_MAX, "%s:%s", a, b);
	return n > 0 && n < RECORD_COUNT_VALUE_MAX;
}

static int
counts_move(struct db *db, int64_t org_id, const char *kind, const char *dim,
    const char *value, int64_t delta)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO dashboard_counts (org_id, kind, dim, value, n) "
	    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_id, kind, dim, value) "
	    "DO UPDATE SET n = dashboard_counts.n + excluded.n")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, dim);
	db_bind_text(st, 4, value);
	db_bind_int64(st, 5, delta);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : aims_error_set(AIMS_ERROR, NULL,
		    "count update returned a row");
	if (delta > 0)
		return 0;
	if ((rc = db_prepare(&st, db, "DELETE FROM dashboard_counts WHERE org_id = ? AND "
	    "kind = ? AND dim = ? AND value = ? AND n <= 0")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, dim);
	db_bind_text(st, 4, value);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : rc < 0 ? rc : aims_error_set(AIMS_ERROR, NULL,
	    "count delete returned a row");
}

/*
 * A transaction's counter changes: "org\tkind\tdim\tvalue" -> delta of
 * dashboard_counts, "org\tkind" -> delta of record_counts and -> the next
 * number of ref_counters (the row exists: its first number was taken in SQL).
 */
struct counts_kept {
	json_t	*dims, *live, *next;
};

/* Splits "org\tkind[\tdim\tvalue]" (value last: it may hold a tab) in place. */
static int64_t
counts_key_split(char *key, char **kind, char **dim, char **value)
{
	char *p = strchr(key, '\t');

	*kind = p + 1;
	*p = '\0';
	if (dim != NULL) {
		p = strchr(*kind, '\t');
		*p = '\0';
		*dim = p + 1;
		p = strchr(*dim, '\t');
		*p = '\0';
		*value = p + 1;
	}
	return strtoll(key, NULL, 10);
}

static int counts_live_write(struct db *db, int64_t org_id, const char *kind, int64_t delta);
static int counts_next_write(struct db *db, int64_t org_id, const char *kind, int64_t next);

static int
counts_kept_flush(struct db *db, void *state)
{
	struct counts_kept *c = state;
	char *kind, *dim, *value, *key;
	const char *k;
	int64_t org;
	json_t *v;
	int rc = 0;

	json_object_foreach(c->dims, k, v) {
		if (json_integer_value(v) == 0)
			continue;
		org = counts_key_split(key = xstrdup(k), &kind, &dim, &value);
		rc = counts_move(db, org, kind, dim, value, json_integer_value(v));
		free(key);
		if (rc != 0)
			return rc;
	}
	json_object_foreach(c->live, k, v) {
		if (json_integer_value(v) == 0)
			continue;
		org = counts_key_split(key = xstrdup(k), &kind, NULL, NULL);
		rc = counts_live_write(db, org, kind, json_integer_value(v));
		free(key);
		if (rc != 0)
			return rc;
	}
	json_object_foreach(c->next, k, v) {
		org = counts_key_split(key = xstrdup(k), &kind, NULL, NULL);
		rc = counts_next_write(db, org, kind, json_integer_value(v));
		free(key);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static void
counts_kept_drop(void *state)
{
	struct counts_kept *c = state;

	json_decref(c->dims);
	json_decref(c->live);
	json_decref(c->next);
	free(c);
}

static const char *const counts_kept_tables[] = {
	"dashboard_counts", "record_counts", "ref_counters", NULL
};
/* For a group's savepoints (db.h): the counters as they were when one began. */
static void *
counts_kept_copy(const void *state)
{
	const struct counts_kept *c = state;
	struct counts_kept *d = xcalloc(1, sizeof(*d));

	d->dims = json_deep_copy(c->dims);
	d->live = json_deep_copy(c->live);
	d->next = json_deep_copy(c->next);
	if (d->dims == NULL || d->live == NULL || d->next == NULL)
		abort();	/* only out of memory: xmalloc's policy */
	return d;
}

static const struct db_deferred counts_kept_deferred = {
	counts_kept_tables, counts_kept_flush, counts_kept_drop, counts_kept_copy
};

/* This transaction's kept counters; NULL outside one (write at once). */
static struct counts_kept *
counts_kept(struct db *db)
{
	void **slot = db_deferred(db, &counts_kept_deferred);
	struct counts_kept *c;

	if (slot == NULL)
		return NULL;
	if (*slot == NULL) {
		*slot = c = xcalloc(1, sizeof(*c));
		c->dims = json_object();
		c->live = json_object();
		c->next = json_object();
	}
	return *slot;
}

static void
counts_kept_add(json_t *map, const char *key, int64_t delta)
{
	json_t *v = json_object_get(map, key);

	if (v != NULL)
		json_integer_set(v, json_integer_value(v) + delta);
	else
		json_object_set_new(map, key, json_integer(delta));
}

/* What a record is counted under: fn(arg, dim, value) for each; stops at an error. */
typedef int (*counts_fn)(void *arg, const char *dim, const char *value);

static int
counts_each(const struct record_kind *k, const struct record_row *r, counts_fn fn, void *arg)
{
	char value[RECORD_COUNT_VALUE_MAX];
	const struct record_count *c;
	int rc;

	if (r == NULL || r->retired)
		return 0;
	if (r->status != NULL && *r->status != '\0' && (rc = fn(arg, "status", r->status)) != 0)
		return rc;
	/* An approved version stays in force while its revision is open. */
	if (r->in_force > 0 &&
	    (rc = fn(arg, RECORD_COUNT_IN_FORCE, RECORD_COUNT_IN_FORCE_YES)) != 0)
		return rc;
	for (c = k->counts; c != NULL && c->dim != NULL; c++)
		if (counts_value(value, c, r->data) && (rc = fn(arg, c->dim, value)) != 0)
			return rc;
	return 0;
}

struct counts_write {
	struct db			*db;
	struct counts_kept		*kept;	/* NULL: write at once */
	int64_t				 org_id;
	const struct record_kind	*k;
	int				 delta;
	struct buf			 key;
};

static int
counts_write(void *arg, const char *dim, const char *value)
{
	struct counts_write *w = arg;

	if (w->kept == NULL)
		return counts_move(w->db, w->org_id, w->k->name, dim, value, w->delta);
	buf_reset(&w->key);
	buf_printf(&w->key, "%lld\t%s\t%s\t%s", (long long)w->org_id, w->k->name, dim, value);
	counts_kept_add(w->kept->dims, buf_str(&w->key), w->delta);
	return 0;
}

int
record__counts_add(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, int delta)
{
	struct counts_write w = { db, counts_kept(db), org_id, k, delta, BUF_INIT };
	int rc;

	rc = counts_each(k, r, counts_write, &w);
	buf_free(&w.key);
	return rc;
}

static int
counts_live_write(struct db *db, int64_t org_id, const char *kind, int64_t delta)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO record_counts (org_id, kind, live) "
	    "VALUES (?, ?, ?) ON CONFLICT (org_id, kind) DO UPDATE SET live = record_counts.live + excluded.live"))
	    != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	db_bind_int64(st, 3, delta);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : rc < 0 ? rc : aims_error_set(AIMS_ERROR, NULL,
	    "count update returned a row");
}

int
record__count_add(struct db *db, int64_t org_id, const char *kind, int delta)
{
	struct counts_kept *c = counts_kept(db);
	char key[RECORD_COUNT_VALUE_MAX];

	if (c == NULL)
		return counts_live_write(db, org_id, kind, delta);
	snprintf(key, sizeof(key), "%lld\t%s", (long long)org_id, kind);
	counts_kept_add(c->live, key, delta);
	return 0;
}

static int
counts_next_write(struct db *db, int64_t org_id, const char *kind, int64_t next)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "UPDATE ref_counters SET next = ? "
	    "WHERE org_id = ? AND kind = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, next);
	db_bind_int64(st, 2, org_id);
	db_bind_text(st, 3, kind);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : rc < 0 ? rc : aims_error_set(AIMS_ERROR, NULL,
	    "reference counter update returned a row");
}

int
record__next_num(int64_t *out, struct db *db, int64_t org_id, const char *kind)
{
	struct counts_kept *c = counts_kept(db);
	struct db_stmt *st = NULL;
	char key[RECORD_COUNT_VALUE_MAX];
	json_t *v = NULL;
	int rc;

	snprintf(key, sizeof(key), "%lld\t%s", (long long)org_id, kind);
	if (c != NULL && (v = json_object_get(c->next, key)) != NULL) {
		*out = json_integer_value(v);
		json_integer_set(v, *out + 1);
		return 0;
	}
	/*
	 * Two statements, not one with RETURNING: SQLite keeps what RETURNING
	 * gives in a table of its own, opened and closed each time, which was
	 * about 3 % of the writer's time under 16 creating clients.
	 */
	if ((rc = db_prepare(&st, db, "INSERT INTO ref_counters (org_id, kind, next) "
	    "VALUES (?, ?, 2) ON CONFLICT (org_id, kind) DO UPDATE SET next = ref_counters.next + 1"))
	    != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	rc = db_step(st);
	db_done(st);
	st = NULL;
	if (rc != DB_DONE)
		return rc < 0 ? rc : aims_error_set(AIMS_ERROR, NULL,
		    "reference counter update returned a row");
	if ((rc = db_prepare(&st, db, "SELECT next - 1 FROM ref_counters "
	    "WHERE org_id = ? AND kind = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ERROR, NULL, "reference counter returned no row");
	db_done(st);
	/*
	 * The row now says *out + 1; later numbers of the transaction are
	 * counted here (looked up again: the statement wrote what was kept).
	 */
	if (rc == 0 && (c = counts_kept(db)) != NULL)
		json_object_set_new(c->next, key, json_integer(*out + 1));
	return rc;
}

/* ---- verification: the kept counts against a count made from the records ---- */

struct counts_tally {
	json_t				*want;	/* {"kind\tdim\tvalue": n} */
	const struct record_kind	*k;
};

static int
counts_tally(void *arg, const char *dim, const char *value)
{
	struct counts_tally *t = arg;
	char key[RECORD_COUNT_VALUE_MAX * 2 + 64];

	snprintf(key, sizeof(key), "%s\t%s\t%s", t->k->name, dim, value);
	json_object_set_new(t->want, key, json_integer(json_integer_value(
	    json_object_get(t->want, key)) + 1));
	return 0;
}

/* Counts every live record of the org as record__counts_add() would. */
static int
counts_recount(json_t *want, struct db *db, int64_t org_id)
{
	const struct record_kind *const *k;
	struct counts_tally t = { want, NULL };
	struct db_stmt *st = NULL;
	struct record_row r;
	int rc = 0;

	for (k = record_kinds; (*k)->name != NULL && rc == 0; k++) {
		t.k = *k;
		if ((rc = db_prepare(&st, db, "SELECT " RECORD_ROW_COLUMNS " FROM records "
		    "WHERE org_id = ? AND kind = ? AND retired = 0")) != 0)
			return rc;
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, (*k)->name);
		while ((rc = db_step(st)) == DB_ROW) {
			if ((rc = record__row_read(&r, st)) != 0)
				break;
			rc = counts_each(*k, &r, counts_tally, &t);
			record__row_free(&r);
			if (rc != 0)
				break;
		}
		db_done(st);
		rc = rc < 0 ? rc : 0;
	}
	return rc;
}

int
record_counts_verify(struct db *db, int64_t org_id)
{
	json_t *want = json_object(), *have = json_object(), *v;
	struct db_stmt *st = NULL;
	char key[RECORD_COUNT_VALUE_MAX * 2 + 64];
	const char *k;
	int rc;

	if ((rc = counts_recount(want, db, org_id)) != 0 ||
	    (rc = db_prepare(&st, db, "SELECT kind, dim, value, n FROM dashboard_counts "
	    "WHERE org_id = ? AND n <> 0")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(key, sizeof(key), "%s\t%s\t%s", db_column_text(st, 0),
		    db_column_text(st, 1), db_column_text(st, 2));
		json_object_set_new(have, key, json_integer(db_column_int64(st, 3)));
	}
	db_done(st);
	if (rc < 0)
		goto done;
	rc = 0;
	/* The first difference either way names kind, dimension and value. */
	json_object_foreach(have, k, v)
		if (!json_object_get(want, k))
			json_object_set_new(want, k, json_integer(0));
	json_object_foreach(want, k, v) {
		json_int_t kept = json_integer_value(json_object_get(have, k));

		if (kept != json_integer_value(v)) {
			int nk = (int)strcspn(k, "\t"), nd = (int)strcspn(k + nk + 1, "\t");

			rc = aims_error_set(AIMS_EVERIFY, NULL, "dashboard_counts says %lld live %.*s "
			    "with %.*s '%.80s', but there are %lld", (long long)kept, nk, k, nd,
			    k + nk + 1, k + nk + 1 + nd + 1, (long long)json_integer_value(v));
			break;
		}
	}
done:
	json_decref(want);
	json_decref(have);
	return rc;
}

int
record_counts_live(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = json_object();
	if ((rc = db_prepare(&st, db, "SELECT kind, live FROM record_counts WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW)
		json_object_set_new(*out, db_column_text(st, 0), json_integer(db_column_int64(st, 1)));
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
record_counts_dims(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	char key[128];
	json_t *d;
	int rc;

	*out = json_object();
	if ((rc = db_prepare(&st, db, "SELECT kind, dim, value, n FROM dashboard_counts "
	    "WHERE org_id = ? AND n > 0")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(key, sizeof(key), "%s/%s", db_column_text(st, 0), db_column_text(st, 1));
		if ((d = json_object_get(*out, key)) == NULL)
			json_object_set_new(*out, key, d = json_object());
		json_object_set_new(d, db_column_text(st, 2), json_integer(db_column_int64(st, 3)));
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
record_due_between(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_due *d, const char *from, const char *to, bool newest_first,
    int limit, record_due_fn fn, void *arg)
{
	struct db_stmt *st = NULL;
	int rc;

	rc = db_prepare(&st, db, newest_first ?
	    "SELECT r.ref, r.title, f.value FROM record_fields f JOIN records r "
	    "ON r.org_id = f.org_id AND r.kind = f.kind AND r.num = f.num "
	    "WHERE f.org_id = ? AND f.kind = ? AND f.field = ? AND f.live = 1 "
	    "AND f.value >= ? AND f.value < ? ORDER BY f.value DESC LIMIT ?" :
	    "SELECT r.ref, r.title, f.value FROM record_fields f JOIN records r "
	    "ON r.org_id = f.org_id AND r.kind = f.kind AND r.num = f.num "
	    "WHERE f.org_id = ? AND f.kind = ? AND f.field = ? AND f.live = 1 "
	    "AND f.value >= ? AND f.value < ? ORDER BY f.value LIMIT ?");
	if (rc != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, d->field);
	db_bind_text(st, 4, from);
	db_bind_text(st, 5, to);
	db_bind_int64(st, 6, limit);
	while ((rc = db_step(st)) == DB_ROW)
		if ((rc = fn(arg, db_column_text(st, 0), db_column_text(st, 1),
		    db_column_text(st, 2))) != 0)
			break;
	db_done(st);
	return rc < 0 ? rc : 0;	/* fn returns 0 or an AIMS_E* code */
}

int
record_title_of(char **out, struct db *db, int64_t org_id, const char *kind, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if (record_kind_find(kind) == NULL)
		return 0;
	if ((rc = db_prepare(&st, db, "SELECT title FROM records "
	    "WHERE org_id = ? AND kind = ? AND ref = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, ref);
	if ((rc = db_step(st)) == DB_ROW)
		*out = xstrdup(db_column_text(st, 0));
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
record_count_with(int64_t *out, struct db *db, int64_t org_id, const struct record_kind *k,
    const char *field, const char *value, int64_t cap)
{
	const struct field *f;
	const char *to_kind;
	struct db_stmt *st = NULL;
	int rc;

	*out = 0;
	f = record_field_find(k, field);
	if (f != NULL && (f->flags & FIELD_FILTER) && record__field_linked(f)) {
		/* A reference's values are its links (record_list.c reads them so too). */
		if ((to_kind = record__link_target(f, value)) == NULL)
			return 0;
		if ((rc = db_prepare(&st, db, "SELECT count(*) FROM (SELECT 1 FROM record_links "
		    "WHERE org_id = ? AND to_kind = ? AND to_ref = ? AND from_kind = ? AND "
		    "field = ? AND live = 1 LIMIT ?) x")) != 0)
			return rc;
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, to_kind);
		db_bind_text(st, 3, value);
		db_bind_text(st, 4, k->name);
		db_bind_text(st, 5, field);
		db_bind_int64(st, 6, cap);
	} else {
		if ((rc = db_prepare(&st, db, "SELECT count(*) FROM (SELECT 1 FROM record_fields "
		    "WHERE org_id = ? AND kind = ? AND field = ? AND live = 1 AND value = ? LIMIT ?) x"))
		    != 0)
			return rc;
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, k->name);
		db_bind_text(st, 3, field);
		db_bind_text(st, 4, value);
		db_bind_int64(st, 5, cap);
	}
	if ((rc = db_step(st)) == DB_ROW)
		*out = db_column_int64(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* Where each of c's fields is among the n given (at[]), or false when they differ. */
static bool
counts_fields_are(int at[2], const struct record_count *c, const char *const *fields, int n)
{
	int i, j, nc = c->fields[1] != NULL ? 2 : 1;

	if (c->value != NULL || nc != n)
		return false;
	for (j = 0; j < nc; j++) {
		at[j] = -1;
		if (strchr(c->fields[j], '.') != NULL)
			return false;
		for (i = 0; i < n; i++)
			if (strcmp(fields[i], c->fields[j]) == 0)
				at[j] = i;
		if (at[j] < 0)
			return false;
	}
	return nc == 1 || at[0] != at[1];
}

int
record_count_kept(int64_t *out, bool *kept, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *const *fields, const char *const *values,
    int n)
{
	const struct record_count *c;
	struct db_stmt *st = NULL;
	char value[RECORD_COUNT_VALUE_MAX];
	int at[2], len, rc;

	*out = 0;
	*kept = false;
	for (c = k->counts; c != NULL && c->dim != NULL; c++)
		if (counts_fields_are(at, c, fields, n))
			break;
	if (c == NULL || c->dim == NULL)
		return 0;
	/* An empty value is never counted; a ':' would make two cells one. */
	if (*values[at[0]] == '\0' || (n == 2 && (*values[at[1]] == '\0' ||
	    strchr(values[at[0]], ':') != NULL || strchr(values[at[1]], ':') != NULL)))
		return 0;
	len = n == 1 ? snprintf(value, sizeof(value), "%s", values[at[0]]) :
	    snprintf(value, sizeof(value), "%s:%s", values[at[0]], values[at[1]]);
	if (len <= 0 || (size_t)len >= sizeof(value))
		return 0;
	if ((rc = db_prepare(&st, db, "SELECT n FROM dashboard_counts "
	    "WHERE org_id = ? AND kind = ? AND dim = ? AND value = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, c->dim);
	db_bind_text(st, 4, value);
	if ((rc = db_step(st)) == DB_ROW)
		*out = db_column_int64(st, 0);
	db_done(st);
	if (rc < 0)
		return rc;
	*kept = true;
	return 0;
}
