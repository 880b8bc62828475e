/*
 * soa.c - reading the Statement of Applicability: the draft rows, the
 * published versions and the changes since one (see soa.h).
 */
#include <string.h>

#include "core/catalog.h"
#include "core/query.h"
#include "core/soa.h"
#include "store/db.h"
#include "util/error.h"

/* The row fields compared between the draft and a published version. */
static const char *const soa_diff_fields[] = {
	"applicable", "justification", "status", "owner", "measures", NULL,
};

struct soa_collect {
	json_t	*controls;	/* catalog controls in catalog order */
	json_t	*entries;	/* ref -> data */
};

static int
soa_collect_entry(void *arg, const struct query_record *rec)
{
	struct soa_collect *c = arg;

	json_object_set(c->entries, rec->ref, (json_t *)rec->data);
	return 0;
}

static json_t *
soa_field_or(const json_t *data, const char *name, json_t *dflt)
{
	json_t *v = json_object_get(data, name);

	if (v == NULL || json_is_null(v))
		return dflt;
	json_decref(dflt);
	return json_incref(v);
}

static json_t *
soa_row(const char *control, const char *title, const char *area, const json_t *data)
{
	json_t *row = json_object();

	json_object_set_new(row, "control", json_string(control));
	json_object_set_new(row, "title", json_string(title));
	json_object_set_new(row, "area", json_string(area ? area : ""));
	json_object_set_new(row, "applicable", soa_field_or(data, "applicable", json_null()));
	json_object_set_new(row, "justification",
	    soa_field_or(data, "justification", json_string("")));
	json_object_set_new(row, "status", soa_field_or(data, "status", json_string("")));
	json_object_set_new(row, "owner", soa_field_or(data, "owner", json_string("")));
	json_object_set_new(row, "measures", soa_field_or(data, "measures", json_array()));
	return row;
}

int
soa_rows(json_t **out, struct db *db, int64_t org_id)
{
	struct soa_collect c = { NULL, json_object() };
	const char *ref;
	json_t *rows = NULL, *ctl, *data;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = catalog_list(&c.controls, db, SOA_FRAMEWORK, "control")) != 0 ||
	    (rc = query_records_each(db, org_id, SOA_KIND, soa_collect_entry, &c)) != 0)
		goto done;
	rows = json_array();
	json_array_foreach(c.controls, i, ctl) {
		ref = json_string_value(json_object_get(ctl, "id"));
		json_array_append_new(rows, soa_row(ref,
		    json_string_value(json_object_get(ctl, "title")),
		    json_string_value(json_object_get(ctl, "parent")),
		    json_object_get(c.entries, ref)));
		json_object_del(c.entries, ref);
	}
	/* Entries for controls the catalog no longer lists stay visible. */
	json_object_foreach(c.entries, ref, data)
		json_array_append_new(rows, soa_row(ref, "", "", data));
	*out = rows;
	rows = NULL;
done:
	json_decref(rows);
	json_decref(c.controls);
	json_decref(c.entries);
	return rc;
}

static json_t *
soa_version_json(struct db_stmt *st, int with_rows)
{
	json_error_t jerr;
	json_t *v, *rows;

	rows = json_loads(db_column_text(st, 6), 0, &jerr);
	v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I}",
	    "version", (json_int_t)db_column_int64(st, 0),
	    "published_at", db_column_text(st, 1),
	    "published_by", db_column_text(st, 2),
	    "approver", db_column_text(st, 3),
	    "edition", db_column_text(st, 4),
	    "note", db_column_text(st, 5),
	    "row_count", (json_int_t)json_array_size(rows));
	if (with_rows)
		json_object_set_new(v, "rows", rows ? rows : json_array());
	else
		json_decref(rows);
	return v;
}

#define SOA_VERSION_COLUMNS \
	"version, published_at, published_by, approver, edition, note, rows"

int
soa_versions(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st;
	json_t *list = json_array();
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " SOA_VERSION_COLUMNS " FROM soa_versions "
	    "WHERE org_id = ? ORDER BY version DESC")) != 0) {
		json_decref(list);
		return rc;
	}
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(list, soa_version_json(st, 0));
	db_done(st);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

int
soa_version_get(json_t **out, struct db *db, int64_t org_id, int64_t version)
{
	struct db_stmt *st;
	int rc;

	*out = NULL;
	rc = version > 0 ?
	    db_prepare(&st, db, "SELECT " SOA_VERSION_COLUMNS " FROM soa_versions "
		"WHERE org_id = ? AND version = ?") :
	    db_prepare(&st, db, "SELECT " SOA_VERSION_COLUMNS " FROM soa_versions "
		"WHERE org_id = ? ORDER BY version DESC LIMIT 1");
	if (rc != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if (version > 0)
		db_bind_int64(st, 2, version);
	if ((rc = db_step(st)) == DB_ROW)
		*out = soa_version_json(st, 1);
	db_done(st);
	if (rc == DB_DONE)
		return version > 0 ?
		    aims_error_set(AIMS_ENOTFOUND, "version", "no published SoA version %lld",
			(long long)version) :
		    aims_error_set(AIMS_ENOTFOUND, "version", "the SoA was never published");
	return rc < 0 ? rc : 0;
}

static const json_t *
soa_row_find(const json_t *rows, const char *control)
{
	const json_t *row;
	size_t i;

	json_array_foreach(rows, i, row)
		if (strcmp(json_string_value(json_object_get(row, "control")), control) == 0)
			return row;
	return NULL;
}

/* The changed fields of one control, or NULL when it is the same. */
static json_t *
soa_row_changes(const json_t *base, const json_t *row)
{
	const char *const *f;
	json_t *fields = NULL, *from, *to;

	for (f = soa_diff_fields; *f; f++) {
		from = base ? json_object_get(base, *f) : NULL;
		to = row ? json_object_get(row, *f) : NULL;
		if (from && to && json_equal(from, to))
			continue;
		if (from == NULL && to == NULL)
			continue;
		if (fields == NULL)
			fields = json_array();
		json_array_append_new(fields, json_pack("{s:s, s:O, s:O}", "field", *f,
		    "from", from ? from : json_null(), "to", to ? to : json_null()));
	}
	return fields;
}

static void
soa_change_add(json_t *changes, const json_t *row, json_t *fields)
{
	json_array_append_new(changes, json_pack("{s:O, s:O, s:o}",
	    "control", json_object_get(row, "control"), "title", json_object_get(row, "title"),
	    "fields", fields));
}

int
soa_diff(json_t **out, struct db *db, int64_t org_id, int64_t version)
{
	json_t *draft = NULL, *base = NULL, *changes, *fields, *res;
	const json_t *base_rows, *row, *old;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = soa_rows(&draft, db, org_id)) != 0)
		return rc;
	rc = soa_version_get(&base, db, org_id, version);
	if (rc == AIMS_ENOTFOUND && version == 0)
		aims_error_clear();
	else if (rc != 0) {
		json_decref(draft);
		return rc;
	}
	base_rows = base ? json_object_get(base, "rows") : NULL;
	changes = json_array();
	json_array_foreach(draft, i, row) {
		old = base_rows ? soa_row_find(base_rows, json_string_value(
		    json_object_get(row, "control"))) : NULL;
		if ((fields = soa_row_changes(old, row)) != NULL)
			soa_change_add(changes, row, fields);
	}
	/* Controls in the published version that the draft no longer has. */
	json_array_foreach(base_rows, i, old) {
		if (soa_row_find(draft, json_string_value(json_object_get(old, "control"))))
			continue;
		if ((fields = soa_row_changes(old, NULL)) != NULL)
			soa_change_add(changes, old, fields);
	}
	res = json_pack("{s:o, s:o}", "base_version",
	    base ? json_incref(json_object_get(base, "version")) : json_null(),
	    "changes", changes);
	json_decref(base);
	json_decref(draft);
	*out = res;
	return 0;
}
