/*
 * org_catalog.c - an organisation's imported catalogs (see org_catalog.h):
 * checking, keeping and reading them, scoped by org in every statement.
 */
#include <stdio.h>
#include <string.h>

#include "core/org_catalog.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

static const char *
cat_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* What core insists on whatever the importer checked: ids, kinds, lengths. */
static int
cat_check(const json_t *cat)
{
	const char *id = cat_str(cat, "id"), *s;
	const json_t *items = json_object_get(cat, "items"), *it;
	size_t i;

	if (id == NULL || !str_is_slug(id) || strlen(id) > ORG_CATALOG_ID_MAX)
		return aims_error_set(AIMS_EINVALID, "id", "a catalog id is a slug of at most "
		    "%d characters (a-z, 0-9, '-')", ORG_CATALOG_ID_MAX);
	if ((s = cat_str(cat, "title")) == NULL || *s == '\0' ||
	    strlen(s) > ORG_CATALOG_TITLE_MAX)
		return aims_error_set(AIMS_EINVALID, "title", "a catalog needs a title of at most "
		    "%d bytes", ORG_CATALOG_TITLE_MAX);
	if (cat_str(cat, "uuid") == NULL || cat_str(cat, "version") == NULL ||
	    cat_str(cat, "oscal_version") == NULL || cat_str(cat, "sha256") == NULL)
		return aims_error_set(AIMS_EINVALID, NULL,
		    "a catalog needs its uuid, version, oscal_version and sha256");
	if (!json_is_array(items) || json_array_size(items) == 0)
		return aims_error_set(AIMS_EINVALID, "items", "a catalog holds at least one control");
	json_array_foreach(items, i, it) {
		s = cat_str(it, "kind");
		if (cat_str(it, "id") == NULL || strlen(cat_str(it, "id")) > ORG_CATALOG_ITEM_ID_MAX ||
		    cat_str(it, "title") == NULL || s == NULL ||
		    (strcmp(s, "group") != 0 && strcmp(s, "control") != 0))
			return aims_error_set(AIMS_EINVALID, "items",
			    "catalog item %zu needs an id (at most %d bytes), a title and a kind "
			    "(group or control)", i, ORG_CATALOG_ITEM_ID_MAX);
	}
	return 0;
}

static json_t *
cat_row(struct db_stmt *st)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s}",
	    "id", db_column_text(st, 0), "uuid", db_column_text(st, 1),
	    "title", db_column_text(st, 2), "version", db_column_text(st, 3),
	    "oscal_version", db_column_text(st, 4), "sha256", db_column_text(st, 5),
	    "item_count", (json_int_t)db_column_int64(st, 6),
	    "revision", (json_int_t)db_column_int64(st, 7),
	    "imported_at", db_column_text(st, 8), "imported_by", db_column_text(st, 9));
}

#define CAT_COLUMNS	"id, uuid, title, version, oscal_version, sha256, item_count, " \
			"revision, imported_at, imported_by"

int
org_catalog_list(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	json_t *list;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " CAT_COLUMNS " FROM org_catalogs"
	    " WHERE org_id = ? ORDER BY id")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	list = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(list, cat_row(st));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

static int
cat_items(json_t *cat, struct db *db, int64_t org_id, const char *id)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int rc;

	json_object_set_new(cat, "items", items);
	if ((rc = db_prepare(&st, db, "SELECT id, kind, title, summary, parent"
	    " FROM org_catalog_items WHERE org_id = ? AND catalog = ? ORDER BY position")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, id);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s?}",
		    "id", db_column_text(st, 0), "kind", db_column_text(st, 1),
		    "title", db_column_text(st, 2), "summary", db_column_text(st, 3),
		    "parent", db_column_text(st, 4)));
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

int
org_catalog_get(json_t **out, struct db *db, int64_t org_id, const char *id)
{
	struct db_stmt *st = NULL;
	json_t *cat = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " CAT_COLUMNS " FROM org_catalogs"
	    " WHERE org_id = ? AND id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, id);
	if ((rc = db_step(st)) == DB_ROW)
		cat = cat_row(st);
	db_done(st);
	if (rc == DB_DONE)
		return aims_error_set(AIMS_ENOTFOUND, "catalog", "no imported catalog '%s'", id);
	if (rc != DB_ROW)
		return rc;
	if ((rc = cat_items(cat, db, org_id, id)) != 0) {
		json_decref(cat);
		return rc;
	}
	*out = cat;
	return 0;
}

static int
cat_exec(struct db *db, const char *sql, int64_t org_id, const char *id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, sql)) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

static int
cat_insert_items(struct db *db, int64_t org_id, const char *id, const json_t *items)
{
	struct db_stmt *st = NULL;
	const json_t *it;
	const char *summary;
	size_t i;
	int rc = 0;

	json_array_foreach(items, i, it) {
		if ((rc = db_prepare(&st, db, "INSERT INTO org_catalog_items (org_id, catalog, id,"
		    " kind, title, summary, parent, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) != 0)
			return rc;
		summary = cat_str(it, "summary");
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, id);
		db_bind_text(st, 3, cat_str(it, "id"));
		db_bind_text(st, 4, cat_str(it, "kind"));
		db_bind_text(st, 5, cat_str(it, "title"));
		db_bind_text(st, 6, summary ? summary : "");
		db_bind_text(st, 7, cat_str(it, "parent"));
		db_bind_int64(st, 8, (int64_t)i);
		rc = db_step(st);
		db_done(st);
		if (rc == AIMS_EEXISTS)
			return aims_error_set(AIMS_EINVALID, "items",
			    "id '%s' appears twice in the catalog", cat_str(it, "id"));
		if (rc != DB_DONE)
			return rc;
	}
	return 0;
}

int
org_catalog_save(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *cat)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	struct ledger_event ev;
	const char *id = cat_str(cat, "id");
	json_t *saved = NULL;
	int64_t revision = 0, seq;
	int rc;

	*out = NULL;
	if ((rc = cat_check(cat)) != 0)
		return rc;
	if (actor->role < ROLE_MANAGER)
		return aims_error_set(AIMS_EFORBIDDEN, NULL,
		    "only a manager or admin imports a catalog");
	clock_format(now, clock_now());
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_prepare(&st, db, "SELECT revision FROM org_catalogs"
	    " WHERE org_id = ? AND id = ?")) != 0)
		goto fail;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, id);
	if ((rc = db_step(st)) == DB_ROW)
		revision = db_column_int64(st, 0);
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		goto fail;
	if ((rc = cat_exec(db, "DELETE FROM org_catalog_items WHERE org_id = ? AND catalog = ?",
	    org_id, id)) != 0 ||
	    (rc = cat_exec(db, "DELETE FROM org_catalogs WHERE org_id = ? AND id = ?",
	    org_id, id)) != 0)
		goto fail;
	if ((rc = db_prepare(&st, db, "INSERT INTO org_catalogs (org_id, id, uuid, title, version,"
	    " oscal_version, sha256, item_count, revision, imported_at, imported_by)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) != 0)
		goto fail;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, id);
	db_bind_text(st, 3, cat_str(cat, "uuid"));
	db_bind_text(st, 4, cat_str(cat, "title"));
	db_bind_text(st, 5, cat_str(cat, "version"));
	db_bind_text(st, 6, cat_str(cat, "oscal_version"));
	db_bind_text(st, 7, cat_str(cat, "sha256"));
	db_bind_int64(st, 8, (int64_t)json_array_size(json_object_get(cat, "items")));
	db_bind_int64(st, 9, revision + 1);
	db_bind_text(st, 10, now);
	db_bind_text(st, 11, actor->name);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		goto fail;
	if ((rc = cat_insert_items(db, org_id, id, json_object_get(cat, "items"))) != 0 ||
	    (rc = org_catalog_get(&saved, db, org_id, id)) != 0)
		goto fail;
	ev = (struct ledger_event){ .org_id = org_id, .actor = actor->name,
	    .action = revision ? "update" : "create", .kind = ORG_CATALOG_LEDGER_KIND, .ref = id,
	    .version = revision + 1, .record = saved };
	if ((rc = ledger_append(&seq, db, &ev)) != 0 || (rc = db_commit(db)) != 0)
		goto fail;
	*out = saved;
	return 0;
fail:
	db_rollback(db);
	json_decref(saved);
	return rc;
}

int
org_catalog_find_item(char catalog[ORG_CATALOG_ID_MAX + 1], struct db *db, int64_t org_id,
    const char *id)
{
	struct db_stmt *st = NULL;
	int rc;

	catalog[0] = '\0';
	if ((rc = db_prepare(&st, db, "SELECT catalog FROM org_catalog_items"
	    " WHERE org_id = ? AND id = ? ORDER BY catalog LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, id);
	if ((rc = db_step(st)) == DB_ROW)
		snprintf(catalog, ORG_CATALOG_ID_MAX + 1, "%s", db_column_text(st, 0));
	db_done(st);
	if (rc == DB_DONE)
		return aims_error_set(AIMS_ENOTFOUND, "id", "no imported catalog holds '%s'", id);
	return rc == DB_ROW ? 0 : rc;
}

int
org_catalog_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *kind,
    const char *ref)
{
	*out = NULL;
	if (strcmp(kind, ORG_CATALOG_LEDGER_KIND) != 0)
		return aims_error_set(AIMS_ENOTFOUND, "kind", "not an imported catalog");
	return org_catalog_get(out, db, org_id, ref);
}

int
org_catalog_enumerate(struct db *db, int64_t org_id,
    int (*fn)(void *arg, const char *kind, const char *ref), void *arg)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT id FROM org_catalogs WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW)
		if ((rc = fn(arg, ORG_CATALOG_LEDGER_KIND, db_column_text(st, 0))) != 0)
			break;
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}
