/*
 * cyclonedx.c - CycloneDX ML-BOMs in and out (io/cyclonedx.h). The reader
 * checks the whole file against the schema first, so what it then reads is
 * known to have the schema's shape; the writer builds the BOM from the
 * records and checks it against the same schema before answering.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bom.h"
#include "core/query.h"
#include "core/record.h"
#include "io/cyclonedx.h"
#include "io/jsonschema.h"
#include "io/oscal.h"
#include "util/clock.h"
#include "util/error.h"

#define CDX_PATH_MAX	JSONSCHEMA_PATH_MAX
#define CDX_STRING_MAX	500	/* a one-line field of a record (record engine's limit) */
/* modelCard properties for what a Hugging Face model card says, named by its keys. */
#define CDX_PROP_LIBRARY	"huggingface:library_name"
#define CDX_PROP_LANGUAGE	"huggingface:language"
#define CDX_PROP_RELATION	"huggingface:base_model_relation"

/* ---------------------------------------------------------------- import */

struct cdx_in {
	json_t	*models, *datasets, *components;
	int	 items;
};

static const char *
cdx_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? s : NULL;
}

/* Sets key to the string when there is one (one-line fields cut to the engine's limit). */
static void
cdx_set_str(json_t *fields, const char *key, const char *s, bool line)
{
	if (s == NULL || *s == '\0')
		return;
	if (line && strlen(s) > CDX_STRING_MAX)
		json_object_set_new(fields, key, json_stringn(s, CDX_STRING_MAX));
	else
		json_object_set_new(fields, key, json_string(s));
}

/*
 * A string array's non-empty strings, each once (a record's list holds no
 * repeats; a BOM may), or nothing.
 */
static void
cdx_set_strings(json_t *fields, const char *key, const json_t *arr, const char *member)
{
	json_t *out = json_array(), *seen = json_object();
	const json_t *v;
	const char *s;
	size_t i;

	json_array_foreach(arr, i, v) {
		s = member ? cdx_str(v, member) : json_string_value(v);
		if (s && *s && strlen(s) <= CDX_STRING_MAX && json_object_get(seen, s) == NULL) {
			json_array_append_new(out, json_string(s));
			json_object_set_new(seen, s, json_true());
		}
	}
	json_decref(seen);
	if (json_array_size(out))
		json_object_set_new(fields, key, out);
	else
		json_decref(out);
}

/* The organisation that supplies a component: supplier, manufacturer, or publisher. */
static const char *
cdx_supplier(const json_t *comp)
{
	const char *s;

	if ((s = cdx_str(json_object_get(comp, "supplier"), "name")) != NULL ||
	    (s = cdx_str(json_object_get(comp, "manufacturer"), "name")) != NULL ||
	    (s = cdx_str(json_object_get(comp, "provider"), "name")) != NULL)
		return s;
	return cdx_str(comp, "publisher");
}

/* The first licence: its SPDX id, name, or expression. */
static const char *
cdx_licence(const json_t *comp)
{
	const json_t *l = json_array_get(json_object_get(comp, "licenses"), 0);
	const char *s;

	if ((s = cdx_str(json_object_get(l, "license"), "id")) != NULL ||
	    (s = cdx_str(json_object_get(l, "license"), "name")) != NULL)
		return s;
	return cdx_str(l, "expression");
}

static json_t *
cdx_item(const char *path, json_t *fields, const char *supplier)
{
	return json_pack("{s:s, s:o, s:s?}", "path", path, "fields", fields, "supplier",
	    supplier);
}

static void
cdx_model_card(json_t *f, const json_t *card, json_t *datasets, struct cdx_in *in,
    const char *path)
{
	const json_t *mp = json_object_get(card, "modelParameters");
	const json_t *qa = json_object_get(card, "quantitativeAnalysis");
	const json_t *cons = json_object_get(card, "considerations"), *v;
	json_t *list, *o, *dfields;
	char dpath[CDX_PATH_MAX + 64];
	size_t i;

	cdx_set_str(f, "approach", cdx_str(json_object_get(mp, "approach"), "type"), true);
	cdx_set_str(f, "task", cdx_str(mp, "task"), true);
	cdx_set_str(f, "architecture_family", cdx_str(mp, "architectureFamily"), true);
	cdx_set_str(f, "model_architecture", cdx_str(mp, "modelArchitecture"), true);
	cdx_set_strings(f, "inputs", json_object_get(mp, "inputs"), "format");
	cdx_set_strings(f, "outputs", json_object_get(mp, "outputs"), "format");
	json_array_foreach(json_object_get(mp, "datasets"), i, v) {
		if (cdx_str(v, "ref")) {
			json_array_append_new(datasets, json_string(cdx_str(v, "ref")));
			continue;
		}
		/* Inline data: a data set of its own, known by its bom-ref or path. */
		snprintf(dpath, sizeof(dpath), "%.*s.modelCard.modelParameters.datasets[%zu]",
		    CDX_PATH_MAX - 1, path, i);
		dfields = json_object();
		cdx_set_str(dfields, "title", cdx_str(v, "name") ? cdx_str(v, "name") : dpath,
		    true);
		cdx_set_str(dfields, "description", cdx_str(v, "description"), false);
		cdx_set_str(dfields, "classification", cdx_str(v, "classification"), true);
		cdx_set_str(dfields, "bom_ref", cdx_str(v, "bom-ref") ? cdx_str(v, "bom-ref") :
		    dpath, true);
		json_array_append_new(datasets, json_string(json_string_value(
		    json_object_get(dfields, "bom_ref"))));
		json_array_append_new(in->datasets, cdx_item(dpath, dfields, NULL));
	}
	list = json_array();
	json_array_foreach(json_object_get(qa, "performanceMetrics"), i, v) {
		if (cdx_str(v, "type") == NULL || cdx_str(v, "value") == NULL)
			continue;
		o = json_pack("{s:s, s:s}", "type", cdx_str(v, "type"), "value",
		    cdx_str(v, "value"));
		cdx_set_str(o, "slice", cdx_str(v, "slice"), true);
		cdx_set_str(o, "lower_bound", cdx_str(json_object_get(v, "confidenceInterval"),
		    "lowerBound"), true);
		cdx_set_str(o, "upper_bound", cdx_str(json_object_get(v, "confidenceInterval"),
		    "upperBound"), true);
		json_array_append_new(list, o);
	}
	if (json_array_size(list))
		json_object_set_new(f, "performance_metrics", list);
	else
		json_decref(list);
	cdx_set_strings(f, "users", json_object_get(cons, "users"), NULL);
	cdx_set_strings(f, "use_cases", json_object_get(cons, "useCases"), NULL);
	cdx_set_strings(f, "technical_limitations", json_object_get(cons,
	    "technicalLimitations"), NULL);
	cdx_set_strings(f, "performance_tradeoffs", json_object_get(cons,
	    "performanceTradeoffs"), NULL);
	list = json_array();
	json_array_foreach(json_object_get(cons, "ethicalConsiderations"), i, v) {
		if (cdx_str(v, "name") == NULL)
			continue;
		o = json_pack("{s:s}", "name", cdx_str(v, "name"));
		cdx_set_str(o, "mitigation", cdx_str(v, "mitigationStrategy"), false);
		json_array_append_new(list, o);
	}
	if (json_array_size(list))
		json_object_set_new(f, "ethical_considerations", list);
	else
		json_decref(list);
	list = json_array();
	json_array_foreach(json_object_get(cons, "fairnessAssessments"), i, v) {
		if (cdx_str(v, "groupAtRisk") == NULL)
			continue;
		o = json_pack("{s:s}", "group_at_risk", cdx_str(v, "groupAtRisk"));
		cdx_set_str(o, "benefits", cdx_str(v, "benefits"), false);
		cdx_set_str(o, "harms", cdx_str(v, "harms"), false);
		cdx_set_str(o, "mitigation", cdx_str(v, "mitigationStrategy"), false);
		json_array_append_new(list, o);
	}
	if (json_array_size(list))
		json_object_set_new(f, "fairness_assessments", list);
	else
		json_decref(list);
}

/*
 * What a Hugging Face model card adds to the modelCard, as the export writes
 * it: the component's tags, its pedigree's model ancestors (the base
 * models), and modelCard properties for the library, the languages and how
 * the model derives from its base.
 */
static void
cdx_model_lineage(json_t *f, const json_t *comp)
{
	const json_t *props = json_object_get(json_object_get(comp, "modelCard"), "properties");
	const json_t *anc = json_object_get(json_object_get(comp, "pedigree"), "ancestors"), *v;
	json_t *langs = json_array(), *bases = json_array();
	const char *name;
	size_t i;

	cdx_set_strings(f, "tags", json_object_get(comp, "tags"), NULL);
	json_array_foreach(anc, i, v)
		if (cdx_str(v, "type") && strcmp(cdx_str(v, "type"), "machine-learning-model") == 0)
			json_array_append(bases, json_object_get(v, "name"));
	cdx_set_strings(f, "base_models", bases, NULL);
	json_array_foreach(props, i, v) {
		if ((name = cdx_str(v, "name")) == NULL)
			continue;
		if (strcmp(name, CDX_PROP_LIBRARY) == 0)
			cdx_set_str(f, "library", cdx_str(v, "value"), true);
		else if (strcmp(name, CDX_PROP_LANGUAGE) == 0)
			json_array_append(langs, json_object_get(v, "value"));
		else if (strcmp(name, CDX_PROP_RELATION) == 0)
			cdx_set_str(f, "base_model_relation", cdx_str(v, "value"), true);
	}
	cdx_set_strings(f, "languages", langs, NULL);
	json_decref(langs);
	json_decref(bases);
}

static void
cdx_model(struct cdx_in *in, const json_t *comp, const char *path)
{
	json_t *f = json_object(), *datasets = json_array(), *hashes = json_array(), *item;
	const json_t *v;
	size_t i;

	cdx_set_str(f, "name", cdx_str(comp, "name"), true);
	cdx_set_str(f, "model_version", cdx_str(comp, "version"), true);
	cdx_set_str(f, "description", cdx_str(comp, "description"), false);
	cdx_set_str(f, "licence", cdx_licence(comp), true);
	cdx_set_str(f, "purl", cdx_str(comp, "purl"), true);
	cdx_set_str(f, "bom_ref", cdx_str(comp, "bom-ref"), true);
	json_array_foreach(json_object_get(comp, "hashes"), i, v)
		json_array_append_new(hashes, json_pack("{s:s, s:s}", "alg", cdx_str(v, "alg"),
		    "content", cdx_str(v, "content")));
	if (json_array_size(hashes))
		json_object_set(f, "hashes", hashes);
	json_decref(hashes);
	json_array_foreach(json_object_get(comp, "externalReferences"), i, v)
		if (cdx_str(v, "type") && strcmp(cdx_str(v, "type"), "model-card") == 0)
			cdx_set_str(f, "card_url", cdx_str(v, "url"), true);
	cdx_model_card(f, json_object_get(comp, "modelCard"), datasets, in, path);
	cdx_model_lineage(f, comp);
	item = cdx_item(path, f, cdx_supplier(comp));
	json_object_set_new(item, "datasets", datasets);
	json_array_append_new(in->models, item);
}

static void
cdx_dataset(struct cdx_in *in, const json_t *comp, const char *path)
{
	const json_t *d = json_array_get(json_object_get(comp, "data"), 0);
	const char *url = cdx_str(json_object_get(d, "contents"), "url");
	const char *desc = cdx_str(comp, "description");
	json_t *f = json_object();
	char prov[CDX_STRING_MAX + 32];

	cdx_set_str(f, "title", cdx_str(comp, "name"), true);
	if (desc == NULL)
		desc = cdx_str(d, "description");
	cdx_set_str(f, "description", desc, false);
	cdx_set_str(f, "classification", cdx_str(d, "classification"), true);
	cdx_set_str(f, "bom_ref", cdx_str(comp, "bom-ref"), true);
	if (json_array_size(json_object_get(d, "sensitiveData")))
		json_object_set_new(f, "personal_data", json_true());
	if (url) {
		snprintf(prov, sizeof(prov), "Source: %.*s", CDX_STRING_MAX, url);
		cdx_set_str(f, "provenance", prov, false);
	}
	json_array_append_new(in->datasets, cdx_item(path, f, cdx_supplier(comp)));
}

/* Every other component, and services: the AI system's component list. */
static void
cdx_component(struct cdx_in *in, const json_t *comp, const char *path, bool service)
{
	json_t *f = json_object();
	const json_t *ep = json_array_get(json_object_get(comp, "endpoints"), 0);

	json_object_set_new(f, "kind", json_string(service ? "service" : "software"));
	cdx_set_str(f, "name", cdx_str(comp, "name"), true);
	cdx_set_str(f, "version", cdx_str(comp, "version"), true);
	cdx_set_str(f, "supplier", cdx_supplier(comp), true);
	cdx_set_str(f, "licence", cdx_licence(comp), true);
	cdx_set_str(f, "purl", cdx_str(comp, "purl"), true);
	cdx_set_str(f, "bom_ref", cdx_str(comp, "bom-ref"), true);
	cdx_set_str(f, "endpoint", json_string_value(ep), true);
	json_array_append_new(in->components, cdx_item(path, f, NULL));
}

static int
cdx_walk(struct cdx_in *in, const json_t *list, const char *base, const char *member,
    int depth)
{
	char path[CDX_PATH_MAX];
	const json_t *comp;
	const char *type;
	size_t i;
	int rc;

	json_array_foreach(list, i, comp) {
		snprintf(path, sizeof(path), "%s.%s[%zu]", base, member, i);
		if (++in->items > BOM_ITEMS_MAX)
			return aims_error_set(AIMS_ETOOBIG, path, "%s: a BOM holds at most %d "
			    "components and services", path, BOM_ITEMS_MAX);
		type = cdx_str(comp, "type");
		if (strcmp(member, "services") == 0)
			cdx_component(in, comp, path, true);
		else if (type && strcmp(type, "machine-learning-model") == 0)
			cdx_model(in, comp, path);
		else if (type && strcmp(type, "data") == 0)
			cdx_dataset(in, comp, path);
		else
			cdx_component(in, comp, path, false);
		if (json_object_get(comp, member) == NULL)
			continue;
		if (depth >= CYCLONEDX_DEPTH_MAX)
			return aims_error_set(AIMS_EINVALID, path, "%s: components nest deeper "
			    "than %d levels", path, CYCLONEDX_DEPTH_MAX);
		if ((rc = cdx_walk(in, json_object_get(comp, member), path, member,
		    depth + 1)) != 0)
			return rc;
	}
	return 0;
}

int
cyclonedx_parse(json_t **out, const char *data, size_t len)
{
	struct cdx_in in = { 0 };
	char schema[64];
	const char *spec;
	json_error_t jerr;
	json_t *doc;
	int rc;

	*out = NULL;
	if (len > CYCLONEDX_FILE_MAX)
		return aims_error_set(AIMS_ETOOBIG, "$", "$: a BOM is at most %d bytes",
		    CYCLONEDX_FILE_MAX);
	if ((doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		return aims_error_set(AIMS_EINVALID, "$", "$: not JSON: line %d, column %d: %s",
		    jerr.line, jerr.column, jerr.text);
	if (!json_is_object(doc)) {
		rc = aims_error_set(AIMS_EINVALID, "$", "$: a BOM is a JSON object");
		goto done;
	}
	spec = cdx_str(doc, "specVersion");
	if (spec == NULL || (strcmp(spec, "1.6") != 0 && strcmp(spec, "1.7") != 0)) {
		rc = aims_error_set(spec ? AIMS_EUNSUPPORTED : AIMS_EINVALID, "$.specVersion",
		    "$.specVersion: %s%s%s; CycloneDX 1.6 and 1.7 are read", spec ? "'" : "",
		    spec ? spec : "missing", spec ? "' is not supported" : "");
		goto done;
	}
	snprintf(schema, sizeof(schema), "bom-%s.schema.json", spec);
	if ((rc = jsonschema_check(schema, doc)) != 0)
		goto done;
	in.models = json_array();
	in.datasets = json_array();
	in.components = json_array();
	if ((rc = cdx_walk(&in, json_object_get(doc, "components"), "$", "components", 0)) ==
	    0 && (rc = cdx_walk(&in, json_object_get(doc, "services"), "$", "services", 0)) == 0)
		*out = json_pack("{s:O, s:O, s:O}", "models", in.models, "datasets", in.datasets,
		    "components", in.components);
	json_decref(in.models);
	json_decref(in.datasets);
	json_decref(in.components);
done:
	json_decref(doc);
	return rc;
}

int
cyclonedx_import(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ais_ref, const char *data, size_t len, int flags)
{
	json_t *bom = NULL;
	int rc;

	*summary = NULL;
	if ((rc = cyclonedx_parse(&bom, data, len)) == 0)
		rc = bom_store(summary, db, org_id, actor, ais_ref, bom, flags);
	json_decref(bom);
	return rc;
}

/* ---------------------------------------------------------------- export */

struct cdx_out {
	struct db	*db;
	int64_t		 org_id;
	const char	*ais;
	json_t		*components, *services, *deps, *used;	/* used: bom-refs taken */
	json_t		*refs;		/* record ref -> bom-ref */
	json_t		*root_deps;
};

/* The record's own bom_ref when no other element has it, else its reference. */
static const char *
cdx_bom_ref(struct cdx_out *o, const json_t *data, const char *ref)
{
	const char *b = cdx_str(data, "bom_ref");
	char alt[96];
	size_t n = json_object_size(o->used);

	if (b == NULL || json_object_get(o->used, b))
		b = ref;
	if (json_object_get(o->used, b)) {
		snprintf(alt, sizeof(alt), "%s-%zu", ref, n);
		b = alt;
	}
	json_object_set_new(o->used, b, json_true());
	json_object_set_new(o->refs, ref, json_string(b));
	return json_string_value(json_object_get(o->refs, ref));
}

static bool
cdx_uses(const json_t *data, const char *ais)
{
	const json_t *v;
	size_t i;

	json_array_foreach(json_object_get(data, "ai_systems"), i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), ais) == 0)
			return true;
	return false;
}

/* A licence as the schema takes it: an SPDX id when it is one, else a name. */
static json_t *
cdx_licences(const char *licence)
{
	json_t *id;
	bool spdx;

	if (licence == NULL)
		return NULL;
	id = json_string(licence);
	spdx = jsonschema_check("spdx.schema.json", id) == 0;
	aims_error_clear();
	json_decref(id);
	return json_pack("[{s:{s:s}}]", "license", spdx ? "id" : "name", licence);
}

static void
cdx_put(json_t *o, const char *key, json_t *v)
{
	if (v == NULL || json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0) ||
	    (json_is_object(v) && json_object_size(v) == 0))
		json_decref(v);
	else
		json_object_set_new(o, key, v);
}

static json_t *
cdx_copy_str(const json_t *data, const char *key)
{
	const char *s = cdx_str(data, key);

	return s ? json_string(s) : NULL;
}

static int
cdx_out_dataset(void *arg, const struct query_record *rec)
{
	struct cdx_out *o = arg;
	const json_t *d = rec->data;
	json_t *c, *dd;

	if (!cdx_uses(d, o->ais))
		return 0;
	c = json_pack("{s:s, s:s, s:s}", "type", "data", "bom-ref",
	    cdx_bom_ref(o, d, rec->ref), "name", cdx_str(d, "title"));
	cdx_put(c, "description", cdx_copy_str(d, "description"));
	dd = json_pack("{s:s}", "type", "dataset");
	cdx_put(dd, "name", cdx_copy_str(d, "title"));
	cdx_put(dd, "classification", cdx_copy_str(d, "classification"));
	json_object_set_new(c, "data", json_pack("[o]", dd));
	json_object_set_new(c, "properties", json_pack("[{s:s, s:s}]", "name",
	    "openaims:record", "value", rec->ref));
	json_array_append_new(o->components, c);
	return 0;
}

static json_t *
cdx_model_card_out(struct cdx_out *o, const json_t *d, json_t *deps)
{
	json_t *card = json_object(), *mp = json_object(), *cons = json_object(), *list;
	const json_t *v;
	const char *b;
	size_t i;

	if (cdx_str(d, "approach"))
		json_object_set_new(mp, "approach", json_pack("{s:s}", "type",
		    cdx_str(d, "approach")));
	cdx_put(mp, "task", cdx_copy_str(d, "task"));
	cdx_put(mp, "architectureFamily", cdx_copy_str(d, "architecture_family"));
	cdx_put(mp, "modelArchitecture", cdx_copy_str(d, "model_architecture"));
	list = json_array();
	json_array_foreach(json_object_get(d, "datasets"), i, v)
		if ((b = json_string_value(json_object_get(o->refs, json_string_value(v))))) {
			json_array_append_new(list, json_pack("{s:s}", "ref", b));
			json_array_append_new(deps, json_string(b));
		}
	cdx_put(mp, "datasets", list);
	list = json_array();
	json_array_foreach(json_object_get(d, "inputs"), i, v)
		json_array_append_new(list, json_pack("{s:O}", "format", v));
	cdx_put(mp, "inputs", list);
	list = json_array();
	json_array_foreach(json_object_get(d, "outputs"), i, v)
		json_array_append_new(list, json_pack("{s:O}", "format", v));
	cdx_put(mp, "outputs", list);
	cdx_put(card, "modelParameters", mp);
	list = json_array();
	json_array_foreach(json_object_get(d, "performance_metrics"), i, v) {
		json_t *m = json_pack("{s:O, s:O}", "type", json_object_get(v, "type"), "value",
		    json_object_get(v, "value")), *ci = json_object();

		cdx_put(m, "slice", cdx_copy_str(v, "slice"));
		cdx_put(ci, "lowerBound", cdx_copy_str(v, "lower_bound"));
		cdx_put(ci, "upperBound", cdx_copy_str(v, "upper_bound"));
		cdx_put(m, "confidenceInterval", ci);
		json_array_append_new(list, m);
	}
	if (json_array_size(list))
		json_object_set_new(card, "quantitativeAnalysis", json_pack("{s:o}",
		    "performanceMetrics", list));
	else
		json_decref(list);
	cdx_put(cons, "users", json_deep_copy(json_object_get(d, "users")));
	cdx_put(cons, "useCases", json_deep_copy(json_object_get(d, "use_cases")));
	cdx_put(cons, "technicalLimitations", json_deep_copy(json_object_get(d,
	    "technical_limitations")));
	cdx_put(cons, "performanceTradeoffs", json_deep_copy(json_object_get(d,
	    "performance_tradeoffs")));
	list = json_array();
	json_array_foreach(json_object_get(d, "ethical_considerations"), i, v) {
		json_t *e = json_pack("{s:O}", "name", json_object_get(v, "name"));

		cdx_put(e, "mitigationStrategy", cdx_copy_str(v, "mitigation"));
		json_array_append_new(list, e);
	}
	cdx_put(cons, "ethicalConsiderations", list);
	list = json_array();
	json_array_foreach(json_object_get(d, "fairness_assessments"), i, v) {
		json_t *e = json_pack("{s:O}", "groupAtRisk", json_object_get(v, "group_at_risk"));

		cdx_put(e, "benefits", cdx_copy_str(v, "benefits"));
		cdx_put(e, "harms", cdx_copy_str(v, "harms"));
		cdx_put(e, "mitigationStrategy", cdx_copy_str(v, "mitigation"));
		json_array_append_new(list, e);
	}
	cdx_put(cons, "fairnessAssessments", list);
	cdx_put(card, "considerations", cons);
	list = json_array();
	if (cdx_str(d, "library"))
		json_array_append_new(list, json_pack("{s:s, s:s}", "name", CDX_PROP_LIBRARY,
		    "value", cdx_str(d, "library")));
	json_array_foreach(json_object_get(d, "languages"), i, v)
		json_array_append_new(list, json_pack("{s:s, s:O}", "name", CDX_PROP_LANGUAGE,
		    "value", v));
	if (cdx_str(d, "base_model_relation"))
		json_array_append_new(list, json_pack("{s:s, s:s}", "name", CDX_PROP_RELATION,
		    "value", cdx_str(d, "base_model_relation")));
	cdx_put(card, "properties", list);
	return card;
}

static int
cdx_out_model(void *arg, const struct query_record *rec)
{
	struct cdx_out *o = arg;
	const json_t *d = rec->data, *v;
	json_t *c, *deps = json_array(), *hashes = json_array(), *sup = NULL, *anc;
	const char *b;
	size_t i;
	int rc;

	if (!cdx_uses(d, o->ais)) {
		json_decref(deps);
		json_decref(hashes);
		return 0;
	}
	b = cdx_bom_ref(o, d, rec->ref);
	c = json_pack("{s:s, s:s, s:s}", "type", "machine-learning-model", "bom-ref", b,
	    "name", cdx_str(d, "name"));
	if (cdx_str(d, "supplier") && (rc = record_get(&sup, o->db, o->org_id,
	    record_kind_find("suppliers"), cdx_str(d, "supplier"))) == 0)
		json_object_set_new(c, "supplier", json_pack("{s:O}", "name",
		    json_object_get(sup, "name")));
	json_decref(sup);
	aims_error_clear();
	cdx_put(c, "version", cdx_copy_str(d, "model_version"));
	cdx_put(c, "description", cdx_copy_str(d, "description"));
	cdx_put(c, "licenses", cdx_licences(cdx_str(d, "licence")));
	cdx_put(c, "purl", cdx_copy_str(d, "purl"));
	json_array_foreach(json_object_get(d, "hashes"), i, v)
		json_array_append_new(hashes, json_pack("{s:O, s:O}", "alg",
		    json_object_get(v, "alg"), "content", json_object_get(v, "content")));
	cdx_put(c, "hashes", hashes);
	if (cdx_str(d, "card_url"))
		json_object_set_new(c, "externalReferences", json_pack("[{s:s, s:s}]", "type",
		    "model-card", "url", cdx_str(d, "card_url")));
	cdx_put(c, "tags", json_deep_copy(json_object_get(d, "tags")));
	/* The base models it derives from: its pedigree's ancestors. */
	anc = json_array();
	json_array_foreach(json_object_get(d, "base_models"), i, v)
		json_array_append_new(anc, json_pack("{s:s, s:O}", "type",
		    "machine-learning-model", "name", v));
	if (json_array_size(anc))
		json_object_set_new(c, "pedigree", json_pack("{s:o}", "ancestors", anc));
	else
		json_decref(anc);
	cdx_put(c, "modelCard", cdx_model_card_out(o, d, deps));
	json_object_set_new(c, "properties", json_pack("[{s:s, s:s}]", "name",
	    "openaims:record", "value", rec->ref));
	json_array_append_new(o->components, c);
	json_array_append_new(o->root_deps, json_string(b));
	json_array_append_new(o->deps, json_pack("{s:s, s:o}", "ref", b, "dependsOn", deps));
	return 0;
}

/* The AI system's own component list: services, and everything else. */
static void
cdx_out_components(struct cdx_out *o, const json_t *ais)
{
	static const char *const types[][2] = {
		{ "model", "machine-learning-model" }, { "dataset", "data" },
		{ "tool", "application" }, { "software", "library" }, { NULL, NULL },
	};
	const json_t *v;
	json_t *c;
	char ref[64];
	const char *kind, *type, *b;
	size_t i, t;

	json_array_foreach(json_object_get(ais, "components"), i, v) {
		kind = cdx_str(v, "kind");
		snprintf(ref, sizeof(ref), "%s/component/%zu", o->ais, i + 1);
		b = cdx_bom_ref(o, v, ref);
		if (kind && strcmp(kind, "service") == 0) {
			c = json_pack("{s:s, s:s}", "bom-ref", b, "name", cdx_str(v, "name"));
			if (cdx_str(v, "supplier"))
				json_object_set_new(c, "provider", json_pack("{s:s}", "name",
				    cdx_str(v, "supplier")));
			cdx_put(c, "version", cdx_copy_str(v, "version"));
			if (cdx_str(v, "endpoint"))
				json_object_set_new(c, "endpoints", json_pack("[s]",
				    cdx_str(v, "endpoint")));
			cdx_put(c, "licenses", cdx_licences(cdx_str(v, "licence")));
			json_array_append_new(o->services, c);
			json_array_append_new(o->root_deps, json_string(b));
			continue;
		}
		for (t = 0, type = "library"; types[t][0]; t++)
			if (kind && strcmp(kind, types[t][0]) == 0)
				type = types[t][1];
		c = json_pack("{s:s, s:s, s:s}", "type", type, "bom-ref", b, "name",
		    cdx_str(v, "name"));
		if (cdx_str(v, "supplier"))
			json_object_set_new(c, "supplier", json_pack("{s:s}", "name",
			    cdx_str(v, "supplier")));
		cdx_put(c, "version", cdx_copy_str(v, "version"));
		cdx_put(c, "licenses", cdx_licences(cdx_str(v, "licence")));
		cdx_put(c, "purl", cdx_copy_str(v, "purl"));
		json_array_append_new(o->components, c);
		json_array_append_new(o->root_deps, json_string(b));
	}
}

int
cyclonedx_export(struct buf *out, struct db *db, int64_t org_id, const char *org_slug,
    const char *ais_ref)
{
	struct cdx_out o = { .db = db, .org_id = org_id };
	char serial[OSCAL_UUID_LEN + 16], uuid[OSCAL_UUID_LEN], when[CLOCK_RFC3339_LEN];
	json_t *ais = NULL, *bom = NULL, *meta;
	char *text = NULL, *content = NULL;
	int rc;

	if ((rc = record_get(&ais, db, org_id, record_kind_find("ai-systems"), ais_ref)) != 0)
		return rc;
	o.ais = json_string_value(json_object_get(ais, "ref"));
	o.components = json_array();
	o.services = json_array();
	o.deps = json_array();
	o.used = json_object();
	o.refs = json_object();
	o.root_deps = json_array();
	json_object_set_new(o.used, o.ais, json_true());
	/* Data sets first: the models' cards refer to them. */
	if ((rc = query_records_each(db, org_id, "datasets", cdx_out_dataset, &o)) != 0 ||
	    (rc = query_records_each(db, org_id, "models", cdx_out_model, &o)) != 0)
		goto done;
	cdx_out_components(&o, ais);
	json_array_insert_new(o.deps, 0, json_pack("{s:s, s:O}", "ref", o.ais, "dependsOn",
	    o.root_deps));
	meta = json_pack("{s:{s:s, s:s, s:s}}", "component", "type", "application",
	    "bom-ref", o.ais, "name", cdx_str(ais, "name"));
	cdx_put(json_object_get(meta, "component"), "description",
	    cdx_copy_str(ais, "purpose"));
	bom = json_pack("{s:s, s:s, s:i, s:o, s:O, s:O, s:O}", "bomFormat", "CycloneDX",
	    "specVersion", CYCLONEDX_SPEC_EXPORT, "version", 1, "metadata", meta,
	    "components", o.components, "services", o.services, "dependencies", o.deps);
	if (json_array_size(o.services) == 0)
		json_object_del(bom, "services");
	/* The serial number follows the content: the same records, the same number. */
	content = json_dumps(bom, JSON_COMPACT | JSON_SORT_KEYS);
	oscal_uuid(uuid, org_slug, "cyclonedx", content ? content : "");
	snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
	clock_format(when, clock_now());
	json_object_set_new(bom, "serialNumber", json_string(serial));
	json_object_set_new(json_object_get(bom, "metadata"), "timestamp", json_string(when));
	json_object_set_new(json_object_get(bom, "metadata"), "tools", json_pack(
	    "{s:[{s:s, s:s}]}", "components", "type", "application", "name", "OpenAIMS"));
	if ((rc = jsonschema_check("bom-" CYCLONEDX_SPEC_EXPORT ".schema.json", bom)) != 0) {
		/* Records the engine accepted that the schema does not: say which. */
		char msg[AIMS_ERROR_MSG_MAX], field[AIMS_ERROR_FIELD_MAX];

		snprintf(msg, sizeof(msg), "%s", aims_error_message());
		snprintf(field, sizeof(field), "%s", aims_error_field());
		rc = aims_error_set(AIMS_ECONFLICT, field, "the BOM of %s would not be valid "
		    "CycloneDX: %s", o.ais, msg);
		goto done;
	}
	text = json_dumps(bom, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	buf_puts(out, text ? text : "");
	buf_putc(out, '\n');
done:
	free(text);
	free(content);
	json_decref(bom);
	json_decref(ais);
	json_decref(o.components);
	json_decref(o.services);
	json_decref(o.deps);
	json_decref(o.used);
	json_decref(o.refs);
	json_decref(o.root_deps);
	return rc;
}
