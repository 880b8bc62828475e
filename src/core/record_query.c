/*
 * record_query.c - reading records: one by reference, links both ways,
 * version history. Lists are in record_list.c.
 */
#include <stdlib.h>
#include <string.h>

#include "core/record_private.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define RECORD_LINKS_MAX	1000	/* links listed per direction */

int
record__ref_resolve(const char **ref, const struct record_kind *k)
{
	if (*ref == NULL && k->singleton)
		*ref = k->prefix;
	if (*ref == NULL)
		return aims_error_set(AIMS_EINVALID, "ref", "no reference given");
	return 0;
}

int
record__select_ref(struct db_stmt **st, struct db *db, const char *sql, int64_t org_id,
    const struct record_kind *k, const char *ref)
{
	int rc;

	if ((rc = db_prepare(st, db, sql)) != 0)
		return rc;
	db_bind_int64(*st, 1, org_id);
	db_bind_text(*st, 2, k->name);
	db_bind_text(*st, 3, ref);
	if ((rc = db_step(*st)) == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "ref", "%s %.64s does not exist", k->singular, ref);
	db_done(*st);
	*st = NULL;
	return rc;
}

int
record_get(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const char *ref)
{
	struct record_row r;
	int rc;

	*out = NULL;
	if ((rc = record__ref_resolve(&ref, k)) != 0)
		return rc;
	if ((rc = record__row_load(&r, db, org_id, k, ref)) != 0)
		return rc;
	*out = record__row_json(k, &r);
	record__row_free(&r);
	return 0;
}

int
record_get_text(struct buf *out, int64_t *version, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	*version = 0;
	if ((rc = record__ref_resolve(&ref, k)) != 0)
		return rc;
	if ((rc = record__select_ref(&st, db, "SELECT " RECORD_VIEW_COLUMNS " FROM records "
	    "WHERE org_id = ? AND kind = ? AND ref = ?", org_id, k, ref)) != 0)
		return rc;
	rc = record__row_view(out, version, st, k);
	db_done(st);
	return rc;
}

static int
links_add(json_t *out, struct db_stmt *st, const char *direction)
{
	int rc;

	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s?, s:s, s:s}",
		    "kind", db_column_text(st, 1), "ref", db_column_text(st, 2),
		    "title", db_column_text(st, 3), "field", db_column_text(st, 0),
		    "direction", direction));
	return rc < 0 ? rc : 0;
}

int
record_links(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = record__ref_resolve(&ref, k)) != 0)
		return rc;
	if ((rc = record__exists(db, org_id, k->name, ref)) != 0)
		return aims_error_set(rc, "ref", "%s %.64s does not exist", k->singular, ref);
	*out = json_array();
	if ((rc = db_prepare(&st, db, "SELECT l.field, l.to_kind, l.to_ref, "
	    "CASE WHEN l.to_kind = 'requirement' THEN "
	    "(SELECT q.title FROM requirements q WHERE q.framework = 'iso42001' AND q.id = l.to_ref) ELSE "
	    "(SELECT r.title FROM records r WHERE r.org_id = l.org_id AND r.kind = l.to_kind "
	    "AND r.ref = l.to_ref) END FROM record_links l "
	    "WHERE l.org_id = ? AND l.from_kind = ? AND l.from_ref = ? LIMIT ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, ref);
	db_bind_int64(st, 4, RECORD_LINKS_MAX);
	rc = links_add(*out, st, "out");
	db_done(st);
	st = NULL;
	if (rc != 0 || (rc = db_prepare(&st, db, "SELECT l.field, l.from_kind, l.from_ref, r.title "
	    "FROM record_links l JOIN records r ON r.org_id = l.org_id AND r.kind = l.from_kind "
	    "AND r.ref = l.from_ref WHERE l.org_id = ? AND l.to_kind = ? AND l.to_ref = ? "
	    "LIMIT ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, ref);
	db_bind_int64(st, 4, RECORD_LINKS_MAX);
	rc = links_add(*out, st, "in");
done:
	db_done(st);
	if (rc != 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* Drops the versions not in status (after "fields" were computed over all). */
static void
history_keep_status(json_t *versions, const char *status)
{
	size_t i = 0;

	while (i < json_array_size(versions)) {
		const char *s = json_string_value(json_object_get(json_array_get(versions, i),
		    "status"));

		if (s && strcmp(s, status) == 0)
			i++;
		else
			json_array_remove(versions, i);
	}
}

/* Names of the declared fields whose values differ between two versions. */
static json_t *
history_changed(const struct record_kind *k, const json_t *prev, const json_t *rec)
{
	const struct field *f;
	json_t *names = json_array(), *a, *b;

	for (f = k->fields; f->name; f++) {
		a = prev ? json_object_get(prev, f->name) : NULL;
		b = json_object_get(rec, f->name);
		if (record__is_empty(a) && record__is_empty(b))
			continue;
		if (a == NULL || b == NULL || !json_equal(a, b))
			json_array_append_new(names, json_string(f->name));
	}
	return names;
}

/* Each changed field with its value before and after: [{field, label, from, to}]. */
static json_t *
history_changes(const struct record_kind *k, const json_t *prev, const json_t *rec)
{
	const struct field *f;
	json_t *out = json_array(), *a, *b;

	for (f = k->fields; f->name; f++) {
		a = prev ? json_object_get(prev, f->name) : NULL;
		b = json_object_get(rec, f->name);
		if (record__is_empty(a) && record__is_empty(b))
			continue;
		if (a != NULL && b != NULL && json_equal(a, b))
			continue;
		json_array_append_new(out, json_pack("{s:s, s:s, s:O, s:O}", "field", f->name,
		    "label", f->label, "from", a && !record__is_empty(a) ? a : json_null(),
		    "to", b && !record__is_empty(b) ? b : json_null()));
	}
	return out;
}

json_t *
record__version_json(const struct record_kind *k, const struct record_row *cur,
    struct db_stmt *st)
{
	struct record_row v;
	json_t *rec;

	memset(&v, 0, sizeof(v));
	v.ref = cur->ref;
	v.created_at = cur->created_at;
	v.created_by = cur->created_by;
	v.version = db_column_int64(st, 0);
	v.updated_at = (char *)db_column_text(st, 3);
	v.updated_by = (char *)db_column_text(st, 4);
	v.retired = db_column_int64(st, 6) != 0;
	v.in_force = db_column_int64(st, 7);
	if ((v.data = json_loads(db_column_text(st, 5), 0, NULL)) == NULL)
		return NULL;
	rec = record__row_json(k, &v);
	json_decref(v.data);
	return rec;
}

int
record__versions_select(struct db_stmt **st, struct db *db, int64_t org_id,
    const struct record_kind *k, int64_t num)
{
	int rc;

	if ((rc = db_prepare(st, db, "SELECT v.version, v.action, v.status, v.at, v.actor, "
	    "v.data, v.retired, v.in_force, u.display_name FROM record_versions v "
	    "LEFT JOIN users u ON u.id = v.actor_id AND v.actor_id > 0 "
	    "WHERE v.org_id = ? AND v.kind = ? AND v.num = ? ORDER BY v.version")) != 0)
		return rc;
	db_bind_int64(*st, 1, org_id);
	db_bind_text(*st, 2, k->name);
	db_bind_int64(*st, 3, num);
	return 0;
}

int
record__version_select(struct db_stmt **st, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref, int64_t num, int64_t version)
{
	int rc;

	if ((rc = db_prepare(st, db, "SELECT version, action, status, at, actor, data, retired, "
	    "in_force FROM record_versions WHERE org_id = ? AND kind = ? AND num = ? "
	    "AND version = ?")) != 0)
		return rc;
	db_bind_int64(*st, 1, org_id);
	db_bind_text(*st, 2, k->name);
	db_bind_int64(*st, 3, num);
	db_bind_int64(*st, 4, version);
	if ((rc = db_step(*st)) == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "version", "%s %s has no version %lld",
		    k->singular, ref, (long long)version);
	db_done(*st);
	*st = NULL;
	return rc;
}

static int
history_row(json_t *out, const struct record_kind *k, const struct record_row *cur,
    struct db_stmt *st, json_t **prev)
{
	json_t *rec = record__version_json(k, cur, st);
	const char *by = db_column_text(st, 8);

	if (rec == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "a stored version is not valid JSON");
	json_array_insert_new(out, 0, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:o, s:o, s:O}",
	    "version", (json_int_t)db_column_int64(st, 0), "action", db_column_text(st, 1),
	    "status", db_column_text(st, 2), "time", db_column_text(st, 3),
	    "actor", db_column_text(st, 4), "by", by && *by ? by : NULL,
	    "fields", history_changed(k, *prev, rec), "changes", history_changes(k, *prev, rec),
	    "record", rec));
	json_decref(*prev);
	*prev = rec;
	return 0;
}

int
record_history(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const char *ref, const char *status)
{
	struct record_row r;
	struct db_stmt *st = NULL;
	json_t *prev = NULL;
	int rc;

	*out = NULL;
	if ((rc = record__ref_resolve(&ref, k)) != 0)
		return rc;
	if ((rc = record__row_load(&r, db, org_id, k, ref)) != 0)
		return rc;
	if ((rc = record__versions_select(&st, db, org_id, k, r.num)) != 0)
		goto done;
	*out = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		if ((rc = history_row(*out, k, &r, st, &prev)) != 0)
			break;
	rc = rc < 0 ? rc : 0;
	if (rc == 0 && status)
		history_keep_status(*out, status);
done:
	db_done(st);
	json_decref(prev);
	record__row_free(&r);
	if (rc != 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int
record_version_get(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const char *ref, int64_t version)
{
	struct record_row r;
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = record__ref_resolve(&ref, k)) != 0)
		return rc;
	if ((rc = record__row_load(&r, db, org_id, k, ref)) != 0)
		return rc;
	if ((rc = record__version_select(&st, db, org_id, k, ref, r.num, version)) != 0)
		goto done;
	*out = record__version_json(k, &r, st);
	rc = *out ? 0 : aims_error_set(AIMS_ERROR, NULL, "a stored version is not valid JSON");
done:
	db_done(st);
	record__row_free(&r);
	return rc;
}
