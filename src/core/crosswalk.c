/*
 * crosswalk.c - reads and checks the compiled-in crosswalk catalogs and
 * their mappings to ISO/IEC 42001 (see crosswalk.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/catalog.h"
#include "core/crosswalk.h"
#include "util/embed.h"
#include "util/error.h"

const char *const crosswalk_frameworks[] = {
	"eu-ai-act", "nist-ai-rmf", "iso27001", "owasp-llm-2025", "atlas", NULL
};

#define CROSSWALK_N	5
#define CROSSWALK_NAME_MAX	64

static const char *const crosswalk_relationships[] = {
	"equivalent-to", "equal-to", "subset-of", "superset-of", "intersects-with",
	"no-relationship", NULL
};

static pthread_once_t crosswalk_once = PTHREAD_ONCE_INIT;
static json_t *crosswalk_catalogs[CROSSWALK_N], *crosswalk_maps[CROSSWALK_N];
static int crosswalk_rc;
static char crosswalk_msg[AIMS_ERROR_MSG_MAX], crosswalk_field[AIMS_ERROR_FIELD_MAX];

bool
crosswalk_known(const char *framework)
{
	int i;

	for (i = 0; framework && crosswalk_frameworks[i]; i++)
		if (strcmp(framework, crosswalk_frameworks[i]) == 0)
			return true;
	return false;
}

bool
crosswalk_relationship_covers(const char *r)
{
	return r && (strcmp(r, "equivalent-to") == 0 || strcmp(r, "equal-to") == 0 ||
	    strcmp(r, "subset-of") == 0);
}

static bool
crosswalk_relationship_known(const char *r)
{
	int i;

	for (i = 0; crosswalk_relationships[i]; i++)
		if (strcmp(r, crosswalk_relationships[i]) == 0)
			return true;
	return false;
}

static int
crosswalk_parse(json_t **out, const char *name)
{
	const struct embed_file *f = embed_find(catalog_files, name);
	json_error_t jerr;

	*out = NULL;
	if (f == NULL)
		return aims_error_set(AIMS_ENOTFOUND, "framework", "%s is not compiled in", name);
	*out = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &jerr);
	if (*out == NULL)
		return aims_error_set(AIMS_EINVALID, NULL, "%s: malformed JSON at line %d: %s",
		    name, jerr.line, jerr.text);
	return 0;
}

/* The ids of the catalog's entries that are some entry's parent. */
static json_t *
crosswalk_parents(const json_t *catalog)
{
	json_t *parents = json_object(), *e;
	size_t i;

	json_array_foreach(json_object_get(catalog, "requirements"), i, e)
		if (json_is_string(json_object_get(e, "parent")))
			json_object_set_new(parents, json_string_value(json_object_get(e, "parent")),
			    json_true());
	return parents;
}

static json_t *
crosswalk_ids(const json_t *catalog)
{
	json_t *ids = json_object(), *e;
	size_t i;

	json_array_foreach(json_object_get(catalog, "requirements"), i, e)
		if (json_is_string(json_object_get(e, "id")))
			json_object_set(ids, json_string_value(json_object_get(e, "id")), e);
	return ids;
}

/* Is the entry of one of the kinds the mapping assesses (its "kinds")? */
static bool
crosswalk_kind_assessed(const json_t *kinds, const json_t *entry)
{
	const char *k = json_string_value(json_object_get(entry, "kind"));
	const json_t *v;
	size_t i;

	json_array_foreach(kinds, i, v)
		if (k && json_is_string(v) && strcmp(k, json_string_value(v)) == 0)
			return true;
	return false;
}

static int
crosswalk_check_map(const json_t *m, size_t i, const json_t *ids, const json_t *parents,
    const json_t *iso_ids, const json_t *seen, const json_t *kinds, const char *src)
{
	const char *id = json_string_value(json_object_get(m, "source"));
	const char *rel = json_string_value(json_object_get(m, "relationship"));
	const json_t *targets = json_object_get(m, "targets"), *t, *gap;
	size_t j;

	if (id == NULL || json_object_get(ids, id) == NULL)
		return aims_error_set(AIMS_EINVALID, "source",
		    "%s: map #%zu names a source '%s' that is not in the catalog", src, i + 1,
		    id ? id : "");
	if (json_object_get(parents, id) ||
	    !crosswalk_kind_assessed(kinds, json_object_get(ids, id)))
		return aims_error_set(AIMS_EINVALID, "source",
		    "%s: map of %s: only entries without children, of the kinds the mapping "
		    "assesses, are mapped", src, id);
	if (json_object_get(seen, id))
		return aims_error_set(AIMS_EINVALID, "source", "%s: %s is mapped twice", src, id);
	if (rel == NULL || !crosswalk_relationship_known(rel))
		return aims_error_set(AIMS_EINVALID, "relationship",
		    "%s: map of %s: relationship '%s' is not one of equivalent-to, equal-to, "
		    "subset-of, superset-of, intersects-with, no-relationship", src, id,
		    rel ? rel : "");
	if (!json_is_array(targets))
		return aims_error_set(AIMS_EINVALID, "targets",
		    "%s: map of %s: targets must be an array of ISO/IEC 42001 ids", src, id);
	if ((json_array_size(targets) == 0) != (strcmp(rel, "no-relationship") == 0))
		return aims_error_set(AIMS_EINVALID, "targets",
		    "%s: map of %s: no-relationship has no targets, every other relationship "
		    "has at least one", src, id);
	json_array_foreach(targets, j, t)
		if (!json_is_string(t) || json_object_get(iso_ids, json_string_value(t)) == NULL)
			return aims_error_set(AIMS_EINVALID, "targets",
			    "%s: map of %s: target #%zu is not an ISO/IEC 42001 requirement", src,
			    id, j + 1);
	gap = json_object_get(m, "gap");
	if (gap && (!json_is_string(gap) || json_string_length(gap) > CATALOG_SUMMARY_MAX))
		return aims_error_set(AIMS_EINVALID, "gap",
		    "%s: map of %s: gap is a text of at most %d characters", src, id,
		    CATALOG_SUMMARY_MAX);
	return 0;
}

int
crosswalk_check(const json_t *mapping, const json_t *catalog, const json_t *iso,
    const char *src)
{
	json_t *ids = crosswalk_ids(catalog), *parents = crosswalk_parents(catalog);
	json_t *iso_ids = crosswalk_ids(iso), *seen = json_object(), *m;
	const char *fw = json_string_value(json_object_get(catalog, "framework"));
	const char *source = json_string_value(json_object_get(mapping, "source"));
	const char *target = json_string_value(json_object_get(mapping, "target"));
	const json_t *kinds = json_object_get(mapping, "kinds");
	const char *k;
	size_t i;
	int rc = 0;

	if (source == NULL || fw == NULL || strcmp(source, fw) != 0 || target == NULL ||
	    strcmp(target, CROSSWALK_TARGET) != 0 ||
	    !json_is_string(json_object_get(mapping, "title")) ||
	    !json_is_string(json_object_get(mapping, "description")) ||
	    !json_is_array(kinds) || json_array_size(kinds) == 0 ||
	    !json_is_array(json_object_get(mapping, "maps"))) {
		rc = aims_error_set(AIMS_EINVALID, "source",
		    "%s: a mapping has source (its catalog's framework), target \"iso42001\", "
		    "kinds, title, description and maps", src);
		goto done;
	}
	json_array_foreach(json_object_get(mapping, "maps"), i, m) {
		if ((rc = crosswalk_check_map(m, i, ids, parents, iso_ids, seen, kinds, src)) != 0)
			goto done;
		json_object_set_new(seen, json_string_value(json_object_get(m, "source")),
		    json_true());
	}
	/* Every assessed leaf is mapped, so coverage answers for every one. */
	json_object_foreach(ids, k, m)
		if (!json_object_get(parents, k) && crosswalk_kind_assessed(kinds, m) &&
		    !json_object_get(seen, k)) {
			rc = aims_error_set(AIMS_EINVALID, "maps", "%s: %s has no map", src, k);
			goto done;
		}
done:
	json_decref(ids);
	json_decref(parents);
	json_decref(iso_ids);
	json_decref(seen);
	return rc;
}

static void
crosswalk_load(void)
{
	char name[CROSSWALK_NAME_MAX];
	json_t *iso = NULL;
	int i, rc;

	if ((rc = crosswalk_parse(&iso, CATALOG_ISO42001 ".json")) != 0)
		goto done;
	for (i = 0; crosswalk_frameworks[i]; i++) {
		snprintf(name, sizeof(name), "%s.json", crosswalk_frameworks[i]);
		if ((rc = crosswalk_parse(&crosswalk_catalogs[i], name)) != 0 ||
		    (rc = catalog_validate(crosswalk_catalogs[i], name)) != 0)
			goto done;
		snprintf(name, sizeof(name), "map-%s.json", crosswalk_frameworks[i]);
		if ((rc = crosswalk_parse(&crosswalk_maps[i], name)) != 0 ||
		    (rc = crosswalk_check(crosswalk_maps[i], crosswalk_catalogs[i], iso, name)) != 0)
			goto done;
	}
done:
	json_decref(iso);
	crosswalk_rc = rc;
	if (rc != 0) {
		snprintf(crosswalk_msg, sizeof(crosswalk_msg), "%s", aims_error_message());
		snprintf(crosswalk_field, sizeof(crosswalk_field), "%s", aims_error_field());
	}
}

int
crosswalk_get(const json_t **catalog, const json_t **mapping, const char *framework)
{
	int i;

	*catalog = *mapping = NULL;
	pthread_once(&crosswalk_once, crosswalk_load);
	if (crosswalk_rc != 0)
		return aims_error_set(crosswalk_rc, crosswalk_field[0] ? crosswalk_field : NULL,
		    "%s", crosswalk_msg);
	for (i = 0; crosswalk_frameworks[i]; i++)
		if (framework && strcmp(framework, crosswalk_frameworks[i]) == 0) {
			*catalog = crosswalk_catalogs[i];
			*mapping = crosswalk_maps[i];
			return 0;
		}
	return aims_error_set(AIMS_ENOTFOUND, "framework",
	    "no crosswalk for framework '%s' (known: eu-ai-act, nist-ai-rmf, iso27001, "
	    "owasp-llm-2025, atlas)", framework ? framework : "");
}
