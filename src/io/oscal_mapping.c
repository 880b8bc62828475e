/*
 * oscal_mapping.c - an organisation's coverage of a crosswalk framework as
 * an OSCAL 1.2 mapping collection (the model OSCAL added in 1.2.0 for
 * crosswalks): one mapping from the framework's catalog to ISO/IEC 42001,
 * one map per mapped requirement with its typed relationship, the coverage
 * status the organisation's records give it as a prop, and what is missing
 * in its remarks. Requirements with no ISO/IEC 42001 counterpart have no
 * map (OSCAL has no target-less map) and are listed in the mapping's
 * source gap summary instead.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/org.h"
#include "engine/coverage.h"
#include "io/oscal.h"
#include "util/buf.h"
#include "util/error.h"

#define MAPPING_ID_MAX	96
#define MAPPING_HREF_BASE	"https://openaims.org/catalog/"

/*
 * A requirement of framework fw as an OSCAL token: "eu-ai-act-9",
 * "nist-ai-rmf-govern-1.1", "owasp-llm-2025-llm01-2025": lower case, and
 * what a token may not hold (spaces, colons, brackets) becomes '-'.
 */
static void
mapping_id(char out[MAPPING_ID_MAX], const char *fw, const char *id)
{
	size_t o, i;

	if (strcmp(fw, "iso42001") == 0) {
		oscal_control_id(out, MAPPING_ID_MAX, id);
		return;
	}
	o = (size_t)snprintf(out, MAPPING_ID_MAX, "%s-", fw);
	for (i = 0; id[i] != '\0' && o + 1 < MAPPING_ID_MAX; i++) {
		unsigned char ch = (unsigned char)id[i];

		out[o++] = (char)(isalnum(ch) || ch == '.' || ch == '_' || ch == '-' ?
		    tolower(ch) : '-');
	}
	out[o < MAPPING_ID_MAX ? o : MAPPING_ID_MAX - 1] = '\0';
}

static json_t *
mapping_item(const char *fw, const char *id)
{
	char tok[MAPPING_ID_MAX];

	mapping_id(tok, fw, id);
	return json_pack("{s:s, s:s}", "type", "control", "id-ref", tok);
}

static json_t *
mapping_prop(const char *name, const char *value)
{
	return json_pack("{s:s, s:s, s:s}", "name", name, "ns", OSCAL_NS, "value", value);
}

static json_t *
mapping_remarks(const json_t *missing)
{
	struct buf b = BUF_INIT;
	const json_t *m;
	json_t *s;
	size_t i;

	json_array_foreach(missing, i, m)
		buf_printf(&b, "%s- %s", i ? "\n" : "", json_string_value(m));
	s = json_string(buf_str(&b));
	buf_free(&b);
	return s;
}

static json_t *
mapping_map(const char *slug, const char *fw, const json_t *item)
{
	const char *id = json_string_value(json_object_get(item, "id"));
	char uuid[OSCAL_UUID_LEN], key[MAPPING_ID_MAX * 2];
	json_t *map, *targets = json_array(), *t;
	size_t i;

	json_array_foreach(json_object_get(item, "iso42001"), i, t)
		json_array_append_new(targets, mapping_item("iso42001",
		    json_string_value(json_object_get(t, "id"))));
	snprintf(key, sizeof(key), "%s\n%s", fw, id);
	oscal_uuid(uuid, slug, "mapping-map", key);
	map = json_pack("{s:s, s:O, s:[o], s:o, s:[o]}", "uuid", uuid,
	    "relationship", json_object_get(item, "relationship"),
	    "sources", mapping_item(fw, id), "targets", targets,
	    "props", mapping_prop("coverage-status",
	    json_string_value(json_object_get(item, "status"))));
	if (json_array_size(json_object_get(item, "missing")) > 0)
		json_object_set_new(map, "remarks",
		    mapping_remarks(json_object_get(item, "missing")));
	return map;
}

/* The organisation's figures as props: score and the count of each status. */
static json_t *
mapping_counts(const json_t *cov)
{
	static const struct { const char *prop, *key; } figures[] = {
		{ "coverage-covered", "covered" }, { "coverage-partial", "partial" },
		{ "coverage-not-covered", "not_covered" }, { "coverage-total", "total" },
	};
	const json_t *counts = json_object_get(cov, "counts");
	json_t *props = json_array();
	char v[24];
	size_t i;

	snprintf(v, sizeof(v), "%lld", (long long)json_integer_value(json_object_get(cov, "score")));
	json_array_append_new(props, mapping_prop("coverage-score", v));
	for (i = 0; i < sizeof(figures) / sizeof(figures[0]); i++) {
		snprintf(v, sizeof(v), "%lld",
		    (long long)json_integer_value(json_object_get(counts, figures[i].key)));
		json_array_append_new(props, mapping_prop(figures[i].prop, v));
	}
	return props;
}

int
oscal_mapping_export(json_t **out, struct db *db, int64_t org_id, const char *framework)
{
	json_t *cov = NULL, *org = NULL, *maps = json_array(), *gaps = json_array(), *item;
	json_t *mapping, *doc = NULL;
	char uuid[OSCAL_UUID_LEN], muuid[OSCAL_UUID_LEN], gap_uuid[OSCAL_UUID_LEN];
	char title[256], src_href[128], tok[MAPPING_ID_MAX];
	const char *slug;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = coverage_evaluate(&cov, db, org_id, framework)) != 0 ||
	    (rc = org_get(&org, db, org_id)) != 0)
		goto done;
	slug = json_string_value(json_object_get(org, "slug"));
	json_array_foreach(json_object_get(cov, "items"), i, item) {
		if (json_array_size(json_object_get(item, "iso42001")) > 0) {
			json_array_append_new(maps, mapping_map(slug, framework, item));
			continue;
		}
		mapping_id(tok, framework, json_string_value(json_object_get(item, "id")));
		json_array_append_new(gaps, json_string(tok));
	}
	snprintf(title, sizeof(title), "%s to ISO/IEC 42001: coverage of %s",
	    json_string_value(json_object_get(cov, "title")),
	    json_string_value(json_object_get(org, "name")));
	oscal_uuid(muuid, slug, "mapping", framework);
	snprintf(src_href, sizeof(src_href), MAPPING_HREF_BASE "%s.json", framework);
	mapping = json_pack("{s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:o, s:o}",
	    "uuid", muuid,
	    "source-resource", "type", "catalog", "href", src_href,
	    "target-resource", "type", "catalog", "href", MAPPING_HREF_BASE "iso42001.json",
	    "maps", maps, "props", mapping_counts(cov));
	maps = NULL;
	if (json_array_size(gaps) > 0) {
		oscal_uuid(gap_uuid, slug, "mapping-gaps", framework);
		json_object_set_new(mapping, "source-gap-summary", json_pack("{s:s, s:[{s:O}]}",
		    "uuid", gap_uuid, "unmapped-controls", "with-ids", gaps));
	}
	oscal_uuid(uuid, slug, "mapping-collection", framework);
	doc = json_pack("{s:{s:s, s:{s:s, s:O, s:s, s:s}, s:{s:O, s:O, s:s, s:O}, s:[o]}}",
	    "mapping-collection", "uuid", uuid,
	    "metadata", "title", title, "last-modified", json_object_get(cov, "evaluated_at"),
	    "version", json_string_value(json_object_get(cov, "evaluated_at")),
	    "oscal-version", OSCAL_VERSION,
	    "provenance", "method", json_object_get(json_object_get(cov, "mapping"), "method"),
	    "matching-rationale", json_object_get(json_object_get(cov, "mapping"),
		"matching_rationale"),
	    "status", "draft",
	    "mapping-description", json_object_get(json_object_get(cov, "mapping"), "description"),
	    "mappings", mapping);
	if (doc == NULL) {
		rc = aims_error_set(AIMS_ERROR, NULL, "OSCAL mapping: out of memory");
		goto done;
	}
	*out = doc;
done:
	json_decref(maps);
	json_decref(gaps);
	json_decref(cov);
	json_decref(org);
	return rc;
}
