/*
 * catalog.c - loads and validates requirement catalogs (catalog/README.md
 * describes the format) and answers catalog look-ups.
 *
 * A catalog is reloaded as a whole in one transaction: its rows are replaced,
 * so a newer binary's catalog text wins and nothing half-loaded remains.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/embed.h"
#include "util/error.h"
#include "util/mem.h"

/*
 * The kinds of entries: ISO/IEC 42001's five, then those of the crosswalk
 * catalogs (EU AI Act chapters and articles, NIST AI RMF functions,
 * categories and subcategories, ISO/IEC 27001 themes, OWASP risks, ATLAS
 * tactics and techniques). core/catalog.h exports the list.
 */
const char *const catalog_kinds[] = {
	"clause", "area", "control", "objective", "risk-source", "chapter", "article",
	"function", "category", "subcategory", "theme", "risk", "tactic", "technique", NULL
};

static int
catalog_kind_known(const char *k)
{
	int i;

	for (i = 0; catalog_kinds[i]; i++)
		if (strcmp(k, catalog_kinds[i]) == 0)
			return 1;
	return 0;
}

static const char *
catalog_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Counts the sentence ends inside the text: a summary is one sentence. */
static int
catalog_one_sentence(const char *s)
{
	size_t n = strlen(s);
	const char *p;

	if (n == 0 || (s[n - 1] != '.' && s[n - 1] != '?' && s[n - 1] != '!'))
		return 0;
	for (p = s; p < s + n - 1; p++)
		if ((*p == '.' || *p == '?' || *p == '!') && p[1] == ' ' &&
		    p[2] >= 'A' && p[2] <= 'Z')
			return 0;
	return 1;
}

/*
 * tactics (ATLAS techniques): the entries, listed before it, of every tactic
 * it belongs to; a technique can serve several, and its parent is one.
 */
static int
catalog_validate_tactics(const json_t *e, const char *where, const json_t *seen)
{
	const json_t *t = json_object_get(e, "tactics"), *v;
	size_t i;

	if (t == NULL)
		return 0;
	if (!json_is_array(t) || json_array_size(t) == 0 ||
	    json_array_size(t) > CATALOG_TACTICS_MAX)
		return aims_error_set(AIMS_EINVALID, "tactics", "%s: tactics must be a list of "
		    "1 to %d entry ids", where, CATALOG_TACTICS_MAX);
	json_array_foreach(t, i, v)
		if (!json_is_string(v) || !json_is_true(json_object_get(seen, json_string_value(v))))
			return aims_error_set(AIMS_EINVALID, "tactics", "%s: tactic #%zu is not an "
			    "entry listed before it", where, i + 1);
	return 0;
}

static int
catalog_validate_entry(const json_t *e, size_t i, const char *src, const json_t *seen)
{
	const char *id = catalog_str(e, "id"), *kind, *title, *summary, *parent;
	const json_t *di;
	char where[96];

	if (!json_is_object(e))
		return aims_error_set(AIMS_EINVALID, "requirements",
		    "%s: requirement #%zu is not an object", src, i + 1);
	if (id == NULL || *id == '\0')
		return aims_error_set(AIMS_EINVALID, "id",
		    "%s: requirement #%zu has no id", src, i + 1);
	snprintf(where, sizeof(where), "%s: requirement %.40s", src, id);
	if (json_object_get(seen, id))
		return aims_error_set(AIMS_EINVALID, "id", "%s: duplicate id", where);
	kind = catalog_str(e, "kind");
	if (kind == NULL || !catalog_kind_known(kind))
		return aims_error_set(AIMS_EINVALID, "kind",
		    "%s: kind '%s' is not one of the catalog kinds (catalog/README.md)",
		    where, kind ? kind : "");
	title = catalog_str(e, "title");
	if (title == NULL || *title == '\0' || strlen(title) > CATALOG_TITLE_MAX)
		return aims_error_set(AIMS_EINVALID, "title",
		    "%s: title missing or longer than %d characters", where, CATALOG_TITLE_MAX);
	summary = catalog_str(e, "summary");
	if (summary == NULL || strlen(summary) > CATALOG_SUMMARY_MAX ||
	    !catalog_one_sentence(summary))
		return aims_error_set(AIMS_EINVALID, "summary",
		    "%s: summary must be one sentence of at most %d characters", where,
		    CATALOG_SUMMARY_MAX);
	parent = catalog_str(e, "parent");
	if (json_object_get(e, "parent") && !json_is_null(json_object_get(e, "parent")) &&
	    parent == NULL)
		return aims_error_set(AIMS_EINVALID, "parent", "%s: parent must be a string or null",
		    where);
	if (parent && !json_object_get(seen, parent))
		return aims_error_set(AIMS_EINVALID, "parent",
		    "%s: parent '%s' does not exist (or is listed after its child)", where, parent);
	di = json_object_get(e, "documented_information");
	if (di && !json_is_array(di))
		return aims_error_set(AIMS_EINVALID, "documented_information",
		    "%s: documented_information must be an array of strings", where);
	return catalog_validate_tactics(e, where, seen);
}

static int
catalog_count_kind(const json_t *reqs, const char *kind)
{
	const json_t *e;
	size_t i;
	int n = 0;

	json_array_foreach(reqs, i, e)
		if (strcmp(catalog_str(e, "kind"), kind) == 0)
			n++;
	return n;
}

int
catalog_validate(const json_t *doc, const char *src)
{
	const json_t *reqs, *e;
	json_t *seen = NULL;
	const char *fw;
	size_t i;
	int rc = 0, n;

	fw = catalog_str(doc, "framework");
	if (!json_is_object(doc) || fw == NULL || catalog_str(doc, "title") == NULL)
		return aims_error_set(AIMS_EINVALID, "framework",
		    "%s: a catalog needs \"framework\" and \"title\"", src);
	reqs = json_object_get(doc, "requirements");
	if (!json_is_array(reqs) || json_array_size(reqs) == 0)
		return aims_error_set(AIMS_EINVALID, "requirements",
		    "%s: \"requirements\" must be a non-empty array", src);
	seen = json_object();
	json_array_foreach(reqs, i, e) {
		if ((rc = catalog_validate_entry(e, i, src, seen)) != 0)
			goto done;
		json_object_set_new(seen, catalog_str(e, "id"), json_true());
	}
	if (strcmp(fw, CATALOG_ISO42001) == 0) {
		static const struct { const char *kind; int want; } counts[] = {
			{ "control", CATALOG_ISO42001_CONTROLS },
			{ "objective", CATALOG_ISO42001_OBJECTIVES },
			{ "risk-source", CATALOG_ISO42001_RISK_SOURCES },
		};

		for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
			if ((n = catalog_count_kind(reqs, counts[i].kind)) != counts[i].want) {
				rc = aims_error_set(AIMS_EINVALID, "requirements",
				    "%s: expected %d entries of kind %s, found %d", src,
				    counts[i].want, counts[i].kind, n);
				goto done;
			}
	}
done:
	json_decref(seen);
	return rc;
}

static int
catalog_insert_entry(struct db *db, const char *fw, const json_t *e, int position)
{
	struct db_stmt *st = NULL;
	const json_t *di = json_object_get(e, "documented_information");
	const json_t *tactics = json_object_get(e, "tactics");
	/* An entry without the list stores an empty one (no temporary array to leak). */
	char *dis = di ? json_dumps(di, JSON_COMPACT) : xstrdup("[]");
	char *ts = tactics ? json_dumps(tactics, JSON_COMPACT) : NULL;
	int rc;

	if ((rc = db_prepare(&st, db,
	    "INSERT INTO requirements (framework, id, kind, title, summary, parent, position,"
	    " documented_information, objective, tactics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
	    != 0)
		goto done;
	db_bind_text(st, 1, fw);
	db_bind_text(st, 2, catalog_str(e, "id"));
	db_bind_text(st, 3, catalog_str(e, "kind"));
	db_bind_text(st, 4, catalog_str(e, "title"));
	db_bind_text(st, 5, catalog_str(e, "summary"));
	db_bind_text(st, 6, catalog_str(e, "parent"));
	db_bind_int64(st, 7, position);
	db_bind_text(st, 8, dis);
	db_bind_text(st, 9, catalog_str(e, "objective"));
	db_bind_text(st, 10, ts);
	rc = db_step(st);
	rc = rc == DB_DONE ? 0 : rc;
done:
	db_done(st);
	free(dis);
	free(ts);
	return rc;
}

static int
catalog_store(struct db *db, const json_t *doc)
{
	const char *fw = catalog_str(doc, "framework");
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	const json_t *e;
	size_t i;
	int rc;

	if ((rc = db_prepare(&st, db, "DELETE FROM requirements WHERE framework = ?")) != 0)
		return rc;
	db_bind_text(st, 1, fw);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db,
	    "INSERT INTO frameworks (id, title, edition, version, loaded_at) VALUES (?, ?, ?, ?, ?)"
	    " ON CONFLICT (id) DO UPDATE SET title = excluded.title, edition = excluded.edition,"
	    " version = excluded.version, loaded_at = excluded.loaded_at")) != 0)
		return rc;
	db_bind_text(st, 1, fw);
	db_bind_text(st, 2, catalog_str(doc, "title"));
	db_bind_text(st, 3, catalog_str(doc, "edition") ? catalog_str(doc, "edition") : "");
	db_bind_int64(st, 4, json_integer_value(json_object_get(doc, "version")));
	db_bind_text(st, 5, now);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	json_array_foreach(json_object_get(doc, "requirements"), i, e)
		if ((rc = catalog_insert_entry(db, fw, e, (int)i + 1)) != 0)
			return rc;
	return 0;
}

int
catalog_load(struct db *db, const char *json, size_t len, const char *src)
{
	json_error_t jerr;
	json_t *doc;
	int rc;

	doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL)
		return aims_error_set(AIMS_EINVALID, NULL, "%s: malformed JSON at line %d, column %d: %s",
		    src, jerr.line, jerr.column, jerr.text);
	if ((rc = catalog_validate(doc, src)) != 0)
		goto done;
	if ((rc = db_begin(db)) != 0)
		goto done;
	if ((rc = catalog_store(db, doc)) != 0) {
		db_rollback(db);
		goto done;
	}
	rc = db_commit(db);
done:
	json_decref(doc);
	return rc;
}

int
catalog_load_builtin(struct db *db, int *count)
{
	const struct embed_file *f;
	int rc;

	*count = 0;
	for (f = catalog_files; f->name; f++) {
		/* Only framework catalogs; rule and mapping files load elsewhere. */
		if (strncmp(f->name, "rules", 5) == 0 || strncmp(f->name, "map", 3) == 0)
			continue;
		if ((rc = catalog_load(db, (const char *)f->data, f->len, f->name)) != 0)
			return rc;
		(*count)++;
	}
	return 0;
}

static json_t *
catalog_row_json(struct db_stmt *st)
{
	json_t *o = json_object(), *di, *t;
	json_error_t jerr;

	json_object_set_new(o, "framework", json_string(db_column_text(st, 0)));
	json_object_set_new(o, "id", json_string(db_column_text(st, 1)));
	json_object_set_new(o, "kind", json_string(db_column_text(st, 2)));
	json_object_set_new(o, "title", json_string(db_column_text(st, 3)));
	json_object_set_new(o, "summary", json_string(db_column_text(st, 4)));
	json_object_set_new(o, "parent", db_column_is_null(st, 5) ? json_null() :
	    json_string(db_column_text(st, 5)));
	di = json_loads(db_column_text(st, 6), 0, &jerr);
	json_object_set_new(o, "documented_information", di ? di : json_array());
	if (!db_column_is_null(st, 7))
		json_object_set_new(o, "objective", json_string(db_column_text(st, 7)));
	if (!db_column_is_null(st, 8) && (t = json_loads(db_column_text(st, 8), 0, &jerr)))
		json_object_set_new(o, "tactics", t);
	return o;
}

#define CATALOG_COLUMNS \
	"framework, id, kind, title, summary, parent, documented_information, objective, tactics"

int
catalog_list(json_t **out, struct db *db, const char *framework, const char *kind)
{
	struct db_stmt *st = NULL;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " CATALOG_COLUMNS " FROM requirements"
	    " WHERE (?1 IS NULL OR framework = ?1) AND (?2 IS NULL OR kind = ?2)"
	    " ORDER BY framework, position")) != 0)
		goto done;
	db_bind_text(st, 1, framework);
	db_bind_text(st, 2, kind);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(arr, catalog_row_json(st));
	if (rc == DB_DONE) {
		rc = 0;
		*out = arr;
		arr = NULL;
	}
done:
	db_done(st);
	json_decref(arr);
	return rc;
}

int
catalog_get(json_t **out, struct db *db, const char *framework, const char *id)
{
	struct db_stmt *st = NULL;
	json_t *o = NULL, *children;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " CATALOG_COLUMNS " FROM requirements"
	    " WHERE framework = ? AND id = ?")) != 0)
		return rc;
	db_bind_text(st, 1, framework);
	db_bind_text(st, 2, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		o = catalog_row_json(st);
	db_done(st);
	if (rc == DB_DONE)
		return aims_error_set(AIMS_ENOTFOUND, "id", "no requirement '%s' in catalog %s",
		    id, framework);
	if (rc < 0)
		return rc;
	children = json_array();
	if ((rc = db_prepare(&st, db, "SELECT id FROM requirements WHERE framework = ?"
	    " AND parent = ? ORDER BY position")) != 0)
		goto fail;
	db_bind_text(st, 1, framework);
	db_bind_text(st, 2, id);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(children, json_string(db_column_text(st, 0)));
	db_done(st);
	if (rc < 0)
		goto fail;
	json_object_set_new(o, "children", children);
	*out = o;
	return 0;
fail:
	json_decref(children);
	json_decref(o);
	return rc;
}

int
catalog_check(struct db *db, const char *framework, const char *id, const char *kinds)
{
	struct db_stmt *st = NULL;
	char kind[32] = "";
	int rc;

	if ((rc = db_prepare(&st, db,
	    "SELECT kind FROM requirements WHERE framework = ? AND id = ?")) != 0)
		return rc;
	db_bind_text(st, 1, framework);
	db_bind_text(st, 2, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(kind, sizeof(kind), "%s", db_column_text(st, 0));
	db_done(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "'%s' is not in the %s catalog", id,
		    framework);
	if (kinds != NULL) {
		size_t n = strlen(kind);
		const char *p = strstr(kinds, kind);

		if (p == NULL || (p != kinds && p[-1] != ',') || (p[n] != '\0' && p[n] != ','))
			return aims_error_set(AIMS_EINVALID, NULL,
			    "'%s' is a %s, expected one of: %s", id, kind, kinds);
	}
	return 0;
}
