/*
 * bom.c - keeps an AI system's bill of materials as records (core/bom.h):
 * suppliers, data sets, models and the system's component list, created
 * or updated through the record engine in one transaction, so every
 * change is validated, versioned and ledgered as any other.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/bom.h"
#include "core/query.h"
#include "core/record_private.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"

struct bom_ctx {
	struct db		*db;
	int64_t			 org_id;
	const struct actor	*actor;
	const char		*ais;
	json_t			*created;	/* kind -> [refs] */
	json_t			*updated;
	json_t			*datasets;	/* bom_ref -> record ref */
	json_int_t		 unchanged;
};

/* Says where in the file the record engine's error is: "$.components[2]: ...". */
static int
bom_error_at(int rc, const char *path)
{
	char msg[AIMS_ERROR_MSG_MAX], field[AIMS_ERROR_FIELD_MAX];

	if (rc == AIMS_ENOTFOUND || rc == AIMS_ERROR)
		return rc;
	snprintf(msg, sizeof(msg), "%s", aims_error_message());
	snprintf(field, sizeof(field), "%s", aims_error_field());
	return aims_error_set(rc, path, "%s%s%s: %s", path, field[0] ? "." : "", field, msg);
}

static int
bom_first(void *arg, const char *ref, const bool *flags)
{
	(void)flags;
	snprintf(arg, RECORD_REF_MAX, "%s", ref);
	return 1;
}

/* The first live record of kind whose field is value (and, when ais, used by it). */
static int
bom_find(char out[RECORD_REF_MAX], struct bom_ctx *c, const char *kind, const char *field,
    const char *value, const char *ais)
{
	struct query_scope s;
	json_t *where, *vars;
	int rc;

	out[0] = '\0';
	if (value == NULL)
		return 0;
	/* Values go in as variables: a literal "$..." would be read as one. */
	vars = json_pack("{s:s, s:s?}", "value", value, "ais", ais);
	query_scope_init(&s, c->db, c->org_id, clock_now(), vars);
	where = json_pack("[{s:s, s:s}]", "field", field, "eq", "$value");
	if (ais)
		json_array_append_new(where, json_pack("{s:s, s:s}", "field", "ai_systems",
		    "contains", "$ais"));
	rc = query_select(&s, kind, where, NULL, 0, bom_first, out);
	json_decref(where);
	json_decref(vars);
	return rc < 0 ? rc : 0;
}

/* list with ref added when it lacks it (a new reference; list may be NULL). */
static json_t *
bom_list_with(const json_t *list, const char *ref)
{
	json_t *out = json_is_array(list) ? json_deep_copy(list) : json_array();
	const json_t *v;
	size_t i;

	json_array_foreach(out, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), ref) == 0)
			return out;
	json_array_append_new(out, json_string(ref));
	return out;
}

static void
bom_note(json_t *set, const char *kind, const char *ref)
{
	json_t *list = json_object_get(set, kind);

	if (list == NULL)
		json_object_set_new(set, kind, list = json_array());
	json_array_append_new(list, json_string(ref));
}

/*
 * Creates the record (ref empty) or changes the fields that differ; fills
 * ref with the record's reference.
 */
static int
bom_upsert(struct bom_ctx *c, const char *kind, char ref[RECORD_REF_MAX], const json_t *fields,
    const char *path)
{
	const struct record_kind *k = record_kind_find(kind);
	json_t *old = NULL, *patch = NULL, *rec = NULL, *v;
	const char *key;
	int rc;

	if (k == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "no %s records on this server", kind);
	if (ref[0] == '\0') {
		if ((rc = record_create(&rec, c->db, c->org_id, c->actor, k, fields)) != 0)
			return bom_error_at(rc, path);
		snprintf(ref, RECORD_REF_MAX, "%s", record__str(rec, "ref"));
		bom_note(c->created, kind, ref);
		json_decref(rec);
		return 0;
	}
	if ((rc = record_get(&old, c->db, c->org_id, k, ref)) != 0)
		return rc;
	patch = json_object();
	json_object_foreach((json_t *)fields, key, v)
		if (!json_equal(json_object_get(old, key), v))
			json_object_set(patch, key, v);
	if (json_object_size(patch) == 0)
		c->unchanged++;
	else if ((rc = record_update(&rec, c->db, c->org_id, c->actor, k, ref, 0, patch)) != 0)
		rc = bom_error_at(rc, path);
	else
		bom_note(c->updated, kind, ref);
	json_decref(rec);
	json_decref(patch);
	json_decref(old);
	return rc;
}

/* A supplier by name: linked to the AI system, listing what it supplies. */
static int
bom_supplier(char ref[RECORD_REF_MAX], struct bom_ctx *c, const char *name, const char *what,
    const char *path)
{
	json_t *fields, *old = NULL, *supplied;
	int rc;

	if ((rc = bom_find(ref, c, "suppliers", "name", name, NULL)) != 0)
		return rc;
	if (ref[0] && (rc = record_get(&old, c->db, c->org_id, record_kind_find("suppliers"),
	    ref)) != 0)
		return rc;
	supplied = bom_list_with(json_object_get(old, "components_supplied"), what);
	fields = json_pack("{s:s, s:o, s:o}", "name", name, "ai_systems",
	    bom_list_with(json_object_get(old, "ai_systems"), c->ais),
	    "components_supplied", supplied);
	rc = bom_upsert(c, "suppliers", ref, fields, path);
	json_decref(fields);
	json_decref(old);
	return rc;
}

/* fields plus the links: the AI system, the supplier, the data sets. */
static int
bom_linked(json_t **out, struct bom_ctx *c, const json_t *item, const char *kind,
    const char *ref, const char *what)
{
	const char *supplier = json_string_value(json_object_get(item, "supplier"));
	const char *path = json_string_value(json_object_get(item, "path"));
	char sref[RECORD_REF_MAX];
	const char *dref;
	json_t *old = NULL, *fields, *list = NULL, *v, *w;
	size_t i, j;
	int rc = 0;

	*out = NULL;
	if (ref[0] && (rc = record_get(&old, c->db, c->org_id, record_kind_find(kind),
	    ref)) != 0)
		return rc;
	fields = json_deep_copy(json_object_get(item, "fields"));
	/* What the file says of a new record only: people may have changed it since. */
	if (ref[0] == '\0' && json_is_object(json_object_get(item, "on_create")))
		json_object_update_missing(fields, json_object_get(item, "on_create"));
	json_object_set_new(fields, "ai_systems",
	    bom_list_with(json_object_get(old, "ai_systems"), c->ais));
	if (supplier && strcmp(kind, "models") == 0) {
		if ((rc = bom_supplier(sref, c, supplier, what, path)) != 0)
			goto done;
		json_object_set_new(fields, "supplier", json_string(sref));
	} else if (supplier && (rc = bom_supplier(sref, c, supplier, what, path)) != 0) {
		goto done;
	}
	list = json_array();
	json_array_foreach(json_object_get(item, "datasets"), i, v) {
		dref = json_string_value(json_object_get(c->datasets, json_string_value(v)));
		if (dref == NULL) {
			rc = aims_error_set(AIMS_EINVALID, path, "%s: the model names the data set "
			    "'%s', which the BOM does not hold", path, json_string_value(v));
			goto done;
		}
		/* A model card may name a data set twice; the record lists it once. */
		json_array_foreach(list, j, w)
			if (strcmp(json_string_value(w), dref) == 0)
				break;
		if (j == json_array_size(list))
			json_array_append_new(list, json_string(dref));
	}
	if (json_array_size(list))
		json_object_set(fields, "datasets", list);
	*out = fields;
	fields = NULL;
done:
	json_decref(list);
	json_decref(fields);
	json_decref(old);
	return rc;
}

static int
bom_datasets(struct bom_ctx *c, const json_t *items)
{
	char ref[RECORD_REF_MAX];
	const json_t *item;
	json_t *fields = NULL;
	const char *bref;
	size_t i;
	int rc;

	json_array_foreach(items, i, item) {
		bref = record__str(json_object_get(item, "fields"), "bom_ref");
		if ((rc = bom_find(ref, c, "datasets", "bom_ref", bref, c->ais)) != 0 ||
		    (bref == NULL && (rc = bom_find(ref, c, "datasets", "title", record__str(
		    json_object_get(item, "fields"), "title"), c->ais)) != 0) ||
		    (rc = bom_linked(&fields, c, item, "datasets", ref, record__str(
		    json_object_get(item, "fields"), "title"))) != 0 ||
		    (rc = bom_upsert(c, "datasets", ref, fields,
		    json_string_value(json_object_get(item, "path")))) != 0) {
			json_decref(fields);
			return rc;
		}
		json_decref(fields);
		fields = NULL;
		if (bref)
			json_object_set_new(c->datasets, bref, json_string(ref));
	}
	return 0;
}

static int
bom_models(struct bom_ctx *c, const json_t *items)
{
	char ref[RECORD_REF_MAX];
	const json_t *item, *f;
	json_t *fields = NULL;
	size_t i;
	int rc;

	json_array_foreach(items, i, item) {
		f = json_object_get(item, "fields");
		if ((rc = bom_find(ref, c, "models", "purl", record__str(f, "purl"), NULL)) != 0 ||
		    (ref[0] == '\0' && (rc = bom_find(ref, c, "models", "bom_ref",
		    record__str(f, "bom_ref"), c->ais)) != 0) ||
		    (ref[0] == '\0' && record__str(f, "purl") == NULL &&
		    record__str(f, "bom_ref") == NULL && (rc = bom_find(ref, c, "models", "name",
		    record__str(f, "name"), c->ais)) != 0) ||
		    (rc = bom_linked(&fields, c, item, "models", ref, record__str(f, "name"))) != 0 ||
		    (rc = bom_upsert(c, "models", ref, fields,
		    json_string_value(json_object_get(item, "path")))) != 0) {
			json_decref(fields);
			return rc;
		}
		json_decref(fields);
		fields = NULL;
	}
	return 0;
}

/* Is existing the same component as c (bom_ref, purl, or kind and name)? */
static bool
bom_same_component(const json_t *existing, const json_t *comp)
{
	static const char *const keys[] = { "bom_ref", "purl", NULL };
	const char *a, *b;
	size_t i;

	for (i = 0; keys[i]; i++) {
		a = record__str(existing, keys[i]);
		b = record__str(comp, keys[i]);
		if (a && b)
			return strcmp(a, b) == 0;
	}
	a = record__str(existing, "kind");
	b = record__str(comp, "kind");
	return a && b && strcmp(a, b) == 0 && record__str(existing, "name") &&
	    strcmp(record__str(existing, "name"), record__str(comp, "name")) == 0;
}

/* Merges the BOM's components into the AI system's list, keeping the others. */
static int
bom_components(struct bom_ctx *c, const json_t *items, json_int_t *count)
{
	const struct record_kind *k = record_kind_find("ai-systems");
	char sref[RECORD_REF_MAX], ref[RECORD_REF_MAX];
	json_t *ais = NULL, *list, *comp, *fields;
	const json_t *item, *have;
	const char *supplier;
	size_t i, j;
	int rc;

	if ((rc = record_get(&ais, c->db, c->org_id, k, c->ais)) != 0)
		return rc;
	list = json_is_array(json_object_get(ais, "components")) ?
	    json_deep_copy(json_object_get(ais, "components")) : json_array();
	json_array_foreach(items, i, item) {
		comp = json_deep_copy(json_object_get(item, "fields"));
		supplier = record__str(comp, "supplier");
		if (supplier) {
			if ((rc = bom_supplier(sref, c, supplier, record__str(comp, "name"),
			    json_string_value(json_object_get(item, "path")))) != 0) {
				json_decref(comp);
				goto done;
			}
			json_object_set_new(comp, "supplier_ref", json_string(sref));
		}
		json_array_foreach(list, j, have)
			if (bom_same_component(have, comp))
				break;
		if (j < json_array_size(list))
			json_array_set_new(list, j, comp);
		else
			json_array_append_new(list, comp);
		(*count)++;
	}
	snprintf(ref, sizeof(ref), "%s", c->ais);
	fields = json_pack("{s:o}", "components", list);
	rc = bom_upsert(c, "ai-systems", ref, fields, "$");
	json_decref(fields);
done:
	json_decref(ais);
	return rc;
}

int
bom_store(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ais_ref, const json_t *bom, int flags)
{
	struct bom_ctx c = { .db = db, .org_id = org_id, .actor = actor, .ais = ais_ref };
	json_int_t ncomp = 0;
	json_t *ais = NULL;
	bool in_tx = false;
	int rc;

	*summary = NULL;
	if (json_array_size(json_object_get(bom, "models")) +
	    json_array_size(json_object_get(bom, "datasets")) +
	    json_array_size(json_object_get(bom, "components")) > BOM_ITEMS_MAX)
		return aims_error_set(AIMS_ETOOBIG, "$.components",
		    "$.components: a BOM holds at most %d models, data sets and components",
		    BOM_ITEMS_MAX);
	if ((rc = db_begin(db)) != 0)
		return rc;
	in_tx = true;
	c.created = json_object();
	c.updated = json_object();
	c.datasets = json_object();
	if ((rc = record_get(&ais, db, org_id, record_kind_find("ai-systems"), ais_ref)) != 0) {
		if (rc == AIMS_ENOTFOUND)
			rc = aims_error_set(rc, "ai_system", "no AI system %s in this organisation",
			    ais_ref);
		goto done;
	}
	if (json_is_true(json_object_get(ais, "retired"))) {
		rc = aims_error_set(AIMS_ECONFLICT, "ai_system", "%s is retired", ais_ref);
		goto done;
	}
	if ((rc = bom_datasets(&c, json_object_get(bom, "datasets"))) != 0 ||
	    (rc = bom_models(&c, json_object_get(bom, "models"))) != 0 ||
	    (json_array_size(json_object_get(bom, "components")) &&
	    (rc = bom_components(&c, json_object_get(bom, "components"), &ncomp)) != 0))
		goto done;
	in_tx = false;
	if (flags & BOM_CHECK)
		db_rollback(db);
	else if ((rc = db_commit(db)) != 0)
		goto done;
	*summary = json_pack("{s:s, s:O, s:O, s:I, s:I, s:b}", "ai_system", ais_ref,
	    "created", c.created, "updated", c.updated, "unchanged", c.unchanged,
	    "components", ncomp, "checked_only", (flags & BOM_CHECK) != 0);
done:
	if (in_tx)
		db_rollback(db);
	json_decref(ais);
	json_decref(c.created);
	json_decref(c.updated);
	json_decref(c.datasets);
	return rc;
}
