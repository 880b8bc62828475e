/*
 * record_counts.c - the dashboard's figures (see record_counts.h). The counts
 * per dimension value live in dashboard_counts (store/schema/020, 021): a
 * record is taken out of them before it changes or goes, and put back after,
 * by record__counts_add() from the record engine's writes, so they move in
 * the same transaction as the record and follow the kind's declaration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/record_counts.h"
#include "core/record_private.h"
#include "store/db.h"
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
    const char *value, int delta)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO dashboard_counts (org_id, kind, dim, value, n) "
	    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_id, kind, dim, value) "
	    "DO UPDATE SET n = n + excluded.n")) != 0)
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

int
record__counts_add(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, int delta)
{
	char value[RECORD_COUNT_VALUE_MAX];
	const struct record_count *c;
	int rc;

	if (r == NULL || r->retired)
		return 0;
	if (r->status != NULL && *r->status != '\0' &&
	    (rc = counts_move(db, org_id, k->name, "status", r->status, delta)) != 0)
		return rc;
	/* An approved version stays in force while its revision is open. */
	if (r->in_force > 0 && (rc = counts_move(db, org_id, k->name, RECORD_COUNT_IN_FORCE,
	    RECORD_COUNT_IN_FORCE_YES, delta)) != 0)
		return rc;
	for (c = k->counts; c != NULL && c->dim != NULL; c++)
		if (counts_value(value, c, r->data) &&
		    (rc = counts_move(db, org_id, k->name, c->dim, value, delta)) != 0)
			return rc;
	return 0;
}

/* Adds one to expected["kind/dim"][value]. */
static void
counts_expect(json_t *expected, const char *kind, const char *dim, const char *value)
{
	char key[128];
	json_t *d;

	snprintf(key, sizeof(key), "%s/%s", kind, dim);
	if ((d = json_object_get(expected, key)) == NULL)
		json_object_set_new(expected, key, d = json_object());
	json_object_set_new(d, value, json_integer(
	    json_integer_value(json_object_get(d, value)) + 1));
}

/* What record__counts_add() adds for one live row, into expected. */
static void
counts_expect_row(json_t *expected, const struct record_kind *k, const struct record_row *r)
{
	char value[RECORD_COUNT_VALUE_MAX];
	const struct record_count *c;

	if (r->status != NULL && *r->status != '\0')
		counts_expect(expected, k->name, "status", r->status);
	if (r->in_force > 0)
		counts_expect(expected, k->name, RECORD_COUNT_IN_FORCE, RECORD_COUNT_IN_FORCE_YES);
	for (c = k->counts; c != NULL && c->dim != NULL; c++)
		if (counts_value(value, c, r->data))
			counts_expect(expected, k->name, c->dim, value);
}

int
record__counts_expected(json_t **out, struct db *db, int64_t org_id)
{
	const struct record_kind *const *kp;
	struct db_stmt *st = NULL;
	struct record_row r;
	int rc = 0;

	*out = json_object();
	for (kp = record_kinds; rc == 0 && (*kp)->name != NULL; kp++) {
		if ((rc = db_prepare(&st, db, "SELECT " RECORD_ROW_COLUMNS " FROM records "
		    "WHERE org_id = ? AND kind = ? AND retired = 0")) != 0)
			break;
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, (*kp)->name);
		while ((rc = db_step(st)) == DB_ROW) {
			if ((rc = record__row_read(&r, st)) == 0)
				counts_expect_row(*out, *kp, &r);
			record__row_free(&r);
			if (rc != 0)
				break;
		}
		db_done(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc != 0) {
		json_decref(*out);
		*out = NULL;
	}
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
	struct db_stmt *st = NULL;
	int rc;

	*out = 0;
	if ((rc = db_prepare(&st, db, "SELECT count(*) FROM (SELECT 1 FROM record_fields "
	    "WHERE org_id = ? AND kind = ? AND field = ? AND live = 1 AND value = ? LIMIT ?)")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, field);
	db_bind_text(st, 4, value);
	db_bind_int64(st, 5, cap);
	if ((rc = db_step(st)) == DB_ROW)
		*out = db_column_int64(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
}
