/*
 * oscal_export.c - an organisation's AIMS as OSCAL 1.2 documents (see
 * oscal.h): the ISO/IEC 42001 catalog as our summaries, or a catalog the
 * organisation imported; the SoA as a profile; the AIMS as a system security
 * plan; readiness and internal audits as assessment results; readiness gaps
 * and open nonconformities as a POA&M.
 *
 * Everything is read through core and engine; nothing here knows SQL. The
 * assessment results and the POA&M gather their content from the source
 * tables ar_sources[] and poam_sources[]: a new source of results or items
 * is one more entry there.
 */
#include <ctype.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/org.h"
#include "core/org_catalog.h"
#include "core/query.h"
#include "core/soa.h"
#include "engine/readiness.h"
#include "io/oscal.h"
#include "util/clock.h"
#include "util/error.h"

#define OX_ID_MAX		160	/* bytes of an OSCAL id we build */
#define OX_KEY_MAX		256	/* bytes of a UUID's record key */
#define OX_SORT_PART_WIDTH	2	/* "A.6.2.8" -> "a.06.02.08" */
#define OX_ISO_TITLE		"ISO/IEC 42001:2023 (ids, titles and OpenAIMS summaries)"

static const char ox_iso_remark[] =
    "Ids and short titles of ISO/IEC 42001:2023 with summaries written by OpenAIMS in its "
    "own words. The standard's text is copyrighted and is not reproduced here.";

/* One export: the organisation and what every part of the document shares. */
struct ox {
	struct db	*db;
	int64_t		 org_id;
	json_t		*org;		/* org_get() */
	const char	*slug, *name;
	char		 now[CLOCK_RFC3339_LEN];
	json_t		*readiness;	/* evaluated once, when a model needs it */
	int64_t		 soa_version;	/* 0: the draft SoA; N: published version N */
};

/* ---- small builders ---- */

static void
ox_uuid(char out[OSCAL_UUID_LEN], const struct ox *x, const char *kind, const char *key)
{
	oscal_uuid(out, x->slug, kind, key);
}

static const char *
ox_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A string that is not empty, or NULL. */
static const char *
ox_text(const json_t *o, const char *key)
{
	const char *s = ox_str(o, key);

	return s && *s ? s : NULL;
}

/* A prop in our namespace (NIST's own names, such as label, take ours = false). */
static json_t *
ox_prop(const char *name, const char *value, bool ours)
{
	json_t *p = json_pack("{s:s, s:s}", "name", name, "value", value);

	if (ours)
		json_object_set_new(p, "ns", json_string(OSCAL_NS));
	return p;
}

static void
ox_add_prop(json_t *obj, const char *name, const char *value)
{
	json_t *props;

	if (value == NULL || *value == '\0')
		return;
	if ((props = json_object_get(obj, "props")) == NULL)
		json_object_set_new(obj, "props", props = json_array());
	json_array_append_new(props, ox_prop(name, value, true));
}

/* The array under key in obj, created when missing. */
static json_t *
ox_array(json_t *obj, const char *key)
{
	json_t *a = json_object_get(obj, key);

	if (a == NULL)
		json_object_set_new(obj, key, a = json_array());
	return a;
}

static void
ox_control_id(char out[OX_ID_MAX], const char *requirement)
{
	oscal_control_id(out, OX_ID_MAX, requirement);
}

/* "A.6.2.8" -> "a.06.02.08": sorts in the standard's order as text. */
static void
ox_sort_id(char *out, size_t len, const char *id)
{
	size_t o = 0, digits, i;
	const char *p = id;

	while (*p != '\0' && o + 1 < len) {
		if (isdigit((unsigned char)*p)) {
			for (digits = 0; isdigit((unsigned char)p[digits]); digits++)
				;
			for (i = digits; i < OX_SORT_PART_WIDTH && o + 1 < len; i++)
				out[o++] = '0';
			for (i = 0; i < digits && o + 1 < len; i++)
				out[o++] = p[i];
			p += digits;
		} else {
			out[o++] = (char)tolower((unsigned char)*p++);
		}
	}
	out[o] = '\0';
}

/* "2026-05-01" (a date field) -> "2026-05-01T00:00:00Z"; NULL stays NULL. */
static json_t *
ox_date_time(const char *date)
{
	char buf[CLOCK_RFC3339_LEN];

	if (date == NULL || strlen(date) < 10)
		return NULL;
	if (strlen(date) > 10)
		return json_string(date);
	snprintf(buf, sizeof(buf), "%.10sT00:00:00Z", date);
	return json_string(buf);
}

/* ---- records, read once per export ---- */

struct ox_collect {
	json_t	*list;
};

static int
ox_collect_one(void *arg, const struct query_record *rec)
{
	struct ox_collect *c = arg;

	json_array_append_new(c->list, json_pack("{s:s, s:I, s:s, s:o}", "ref", rec->ref,
	    "version", (json_int_t)rec->version, "updated_at", rec->updated_at,
	    "data", json_deep_copy(rec->data)));
	return 0;
}

/* Every live record of kind as [{ref, version, updated_at, data}], in number order. */
static int
ox_records(json_t **out, struct ox *x, const char *kind)
{
	struct ox_collect c = { json_array() };
	int rc;

	if ((rc = query_records_each(x->db, x->org_id, kind, ox_collect_one, &c)) != 0) {
		json_decref(c.list);
		return rc;
	}
	*out = c.list;
	return 0;
}

/* Whether a JSON list of strings holds s. */
static bool
ox_list_has(const json_t *list, const char *s)
{
	const json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/*
 * The SoA rows: the draft, or a published version (then its number, date and
 * approver go into the document's props, so a reader knows which one).
 */
static int
ox_soa_rows(json_t **rows, struct ox *x, json_t *meta)
{
	json_t *v = NULL;
	char num[24];
	int rc;

	if (x->soa_version == 0) {
		ox_add_prop(meta, "soa-version", "draft");
		return soa_rows(rows, x->db, x->org_id);
	}
	if ((rc = soa_version_get(&v, x->db, x->org_id, x->soa_version)) != 0)
		return rc;
	snprintf(num, sizeof(num), "%lld", (long long)x->soa_version);
	ox_add_prop(meta, "soa-version", num);
	ox_add_prop(meta, "soa-published-at", ox_str(v, "published_at"));
	ox_add_prop(meta, "soa-approver", ox_str(v, "approver"));
	*rows = json_incref(json_object_get(v, "rows"));
	json_decref(v);
	return 0;
}

static int
ox_readiness(struct ox *x)
{
	if (x->readiness != NULL)
		return 0;
	return readiness_evaluate(&x->readiness, x->db, x->org_id, 0);
}

/* ---- the document around a model ---- */

static json_t *
ox_metadata(const char *title)
{
	return json_pack("{s:s}", "title", title);
}

/* Blanks every copy of a time stamp in text, so it does not count as content. */
static void
ox_blank(char *text, const char *stamp)
{
	size_t n = stamp ? strlen(stamp) : 0;
	char *p = text;

	if (n == 0)
		return;
	while ((p = strstr(p, stamp)) != NULL) {
		memset(p, '-', n);
		p += n;
	}
}

/*
 * Finishes a document: its uuid is derived from the content (everything but
 * the uuid and the times of the export and of the readiness evaluation, so
 * exports of the same records agree), then the time and version go into the
 * metadata.
 */
static json_t *
ox_document(struct ox *x, enum oscal_model model, json_t *body)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char uuid[OSCAL_UUID_LEN], key[2 * crypto_hash_sha256_BYTES + 1];
	json_t *meta = json_object_get(body, "metadata"), *doc, *root;
	char *text;

	json_object_set_new(meta, "oscal-version", json_string(OSCAL_VERSION));
	text = json_dumps(body, JSON_SORT_KEYS | JSON_COMPACT);
	ox_blank(text, x->now);
	if (x->readiness)
		ox_blank(text, json_string_value(json_object_get(x->readiness, "evaluated_at")));
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	free(text);
	sodium_bin2hex(key, sizeof(key), h, sizeof(h));
	ox_uuid(uuid, x, oscal_model_root(model), key);
	if (json_object_get(meta, "version") == NULL)
		json_object_set_new(meta, "version", json_string(x->now));
	json_object_set_new(meta, "last-modified", json_string(x->now));
	/* uuid and metadata first, for a reader's sake. */
	root = json_pack("{s:s, s:O}", "uuid", uuid, "metadata", meta);
	json_object_del(body, "metadata");
	json_object_update(root, body);
	json_decref(body);
	doc = json_object();
	json_object_set_new(doc, oscal_model_root(model), root);
	return doc;
}

/* A back-matter resource pointing at another export of ours, by file name. */
static json_t *
ox_resource(const char *uuid, const char *title, const char *href, const char *media)
{
	return json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "uuid", uuid, "title", title, "rlinks",
	    "href", href, "media-type", media);
}

/* ---- catalog ---- */

/* The group every top-level requirement of a kind is filed under. */
static const struct ox_bucket {
	const char	*kind;
	const char	*id;
	const char	*title;
} ox_buckets[] = {
	{ "clause", "iso42001-clauses", "Clauses 4 to 10: the management system" },
	{ "area", "iso42001-annex-a", "Annex A: reference control objectives and controls" },
	{ "objective", "iso42001-annex-c-objectives",
	    "Annex C: potential AI-related organizational objectives" },
	{ "risk-source", "iso42001-annex-c-risk-sources", "Annex C: potential sources of AI risk" },
};
#define OX_NBUCKETS	(sizeof(ox_buckets) / sizeof(ox_buckets[0]))

/* A requirement of the built-in catalog as a group or a control. */
static json_t *
ox_iso_node(const json_t *req, bool group)
{
	const char *id = ox_str(req, "id"), *summary = ox_text(req, "summary");
	const char *objective = ox_text(req, "objective");
	char oid[OX_ID_MAX], part[OX_ID_MAX + 8], sort[OX_ID_MAX];
	json_t *n, *parts;

	ox_control_id(oid, id);
	ox_sort_id(sort, sizeof(sort), id);
	n = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}]}", "id", oid, "class",
	    ox_str(req, "kind"), "title", ox_str(req, "title"), "props", "name", "label",
	    "value", id, "name", "sort-id", "value", sort);
	parts = json_array();
	if (summary) {
		snprintf(part, sizeof(part), "%s_smt", oid);
		json_array_append_new(parts, json_pack("{s:s, s:s, s:s}", "id", part,
		    "name", group ? "overview" : "statement", "prose", summary));
	}
	if (objective) {
		snprintf(part, sizeof(part), "%s_obj", oid);
		json_array_append_new(parts, json_pack("{s:s, s:s, s:s}", "id", part,
		    "name", "objective", "prose", objective));
	}
	if (json_array_size(parts))
		json_object_set_new(n, "parts", parts);
	else
		json_decref(parts);
	return n;
}

/*
 * A tree of groups and controls built from parent ids: index maps an id to
 * its node, controls holds the ids that are controls.
 */
struct ox_tree {
	json_t	*index, *controls, *top;
};

/*
 * Files node under its parent (a group takes groups and controls, a control
 * takes controls) or, with no parent known, at the top.
 */
static void
ox_tree_add(struct ox_tree *t, const char *parent, const char *id, json_t *node, bool group)
{
	json_t *p = parent ? json_object_get(t->index, parent) : NULL;
	json_t *into = p ? p : t->top;

	/* A control cannot hold a group in OSCAL: such a group goes to the top. */
	if (group && p && json_object_get(t->controls, parent))
		into = t->top;
	json_array_append(ox_array(into, group ? "groups" : "controls"), node);
	json_object_set(t->index, id, node);
	if (!group)
		json_object_set_new(t->controls, id, json_true());
	json_decref(node);
}

static void
ox_tree_free(struct ox_tree *t)
{
	json_decref(t->index);
	json_decref(t->controls);
}

static int
ox_catalog_iso(json_t **body, struct ox *x)
{
	json_t *reqs = NULL, *buckets[OX_NBUCKETS], *groups, *req;
	struct ox_tree t = { json_object(), json_object(), NULL };
	const char *kind, *parent;
	char oid[OX_ID_MAX], pid[OX_ID_MAX];
	size_t i, b;
	bool group;
	int rc;

	if ((rc = catalog_list(&reqs, x->db, CATALOG_ISO42001, NULL)) != 0)
		return rc;
	for (b = 0; b < OX_NBUCKETS; b++)
		buckets[b] = json_pack("{s:s, s:s, s:s}", "id", ox_buckets[b].id, "class", "part",
		    "title", ox_buckets[b].title);
	json_array_foreach(reqs, i, req) {
		kind = ox_str(req, "kind");
		parent = ox_str(req, "parent");
		group = strcmp(kind, "area") == 0 || (strcmp(kind, "clause") == 0 && !parent);
		for (b = 0, t.top = buckets[0]; b < OX_NBUCKETS; b++)
			if (strcmp(ox_buckets[b].kind, kind) == 0)
				t.top = buckets[b];
		ox_control_id(oid, ox_str(req, "id"));
		if (parent)
			ox_control_id(pid, parent);
		ox_tree_add(&t, parent ? pid : NULL, oid, ox_iso_node(req, group), group);
	}
	groups = json_array();
	for (b = 0; b < OX_NBUCKETS; b++) {
		if (json_object_get(buckets[b], "groups") || json_object_get(buckets[b], "controls"))
			json_array_append(groups, buckets[b]);
		json_decref(buckets[b]);
	}
	*body = json_pack("{s:o, s:o}", "metadata", ox_metadata(OX_ISO_TITLE), "groups", groups);
	json_object_set_new(json_object_get(*body, "metadata"), "remarks",
	    json_string(ox_iso_remark));
	ox_tree_free(&t);
	json_decref(reqs);
	return 0;
}

/* A catalog the organisation imported: its tree rebuilt from the parents. */
static int
ox_catalog_imported(json_t **body, struct ox *x, const char *id)
{
	json_t *cat = NULL, *it, *node, *meta;
	struct ox_tree t = { NULL, NULL, NULL };
	const char *summary, *kind;
	char part[OX_ID_MAX + 8];
	size_t i;
	bool group;
	int rc;

	if ((rc = org_catalog_get(&cat, x->db, x->org_id, id)) != 0)
		return rc;
	t = (struct ox_tree){ json_object(), json_object(), json_object() };
	json_array_foreach(json_object_get(cat, "items"), i, it) {
		kind = ox_str(it, "kind");
		group = strcmp(kind, "group") == 0;
		node = json_pack("{s:s, s:s}", "id", ox_str(it, "id"), "title", ox_str(it, "title"));
		if ((summary = ox_text(it, "summary")) != NULL) {
			snprintf(part, sizeof(part), "%s_smt", ox_str(it, "id"));
			json_object_set_new(node, "parts", json_pack("[{s:s, s:s, s:s}]", "id", part,
			    "name", group ? "overview" : "statement", "prose", summary));
		}
		ox_tree_add(&t, ox_text(it, "parent"), ox_str(it, "id"), node, group);
	}
	meta = ox_metadata(ox_str(cat, "title"));
	json_object_set_new(meta, "version", json_incref(json_object_get(cat, "version")));
	json_object_set_new(meta, "props", json_pack("[o, o, o]",
	    ox_prop("imported-catalog", id, true),
	    ox_prop("source-uuid", ox_str(cat, "uuid"), true),
	    ox_prop("source-sha256", ox_str(cat, "sha256"), true)));
	*body = json_pack("{s:o}", "metadata", meta);
	json_object_update(*body, t.top);
	json_decref(t.top);
	ox_tree_free(&t);
	json_decref(cat);
	return 0;
}

/* ---- profile ---- */

static int
ox_profile(json_t **body, struct ox *x)
{
	json_t *rows = NULL, *ids, *row, *meta;
	char oid[OX_ID_MAX], res[OSCAL_UUID_LEN], href[OSCAL_UUID_LEN + 1];
	size_t i;
	int rc;

	meta = ox_metadata("Statement of Applicability: applicable ISO/IEC 42001 controls");
	if ((rc = ox_soa_rows(&rows, x, meta)) != 0) {
		json_decref(meta);
		return rc;
	}
	ids = json_array();
	json_array_foreach(rows, i, row) {
		if (!json_is_true(json_object_get(row, "applicable")))
			continue;
		ox_control_id(oid, ox_str(row, "control"));
		json_array_append_new(ids, json_string(oid));
	}
	json_decref(rows);
	if (json_array_size(ids) == 0) {
		json_decref(ids);
		json_decref(meta);
		return aims_error_set(AIMS_ECONFLICT, "soa", "no control is applicable in the "
		    "Statement of Applicability yet: a profile selects at least one");
	}
	ox_uuid(res, x, "resource", "catalog");
	snprintf(href, sizeof(href), "#%s", res);
	*body = json_pack("{s:o, s:[{s:s, s:[{s:o}]}], s:{s:b}, s:{s:[o]}}",
	    "metadata", meta, "imports", "href", href, "include-controls", "with-ids", ids,
	    "merge", "as-is", 1,
	    "back-matter", "resources", ox_resource(res, OX_ISO_TITLE, "catalog.json",
	    "application/oscal.catalog+json"));
	ox_add_prop(json_object_get(*body, "metadata"), "organisation", x->slug);
	return 0;
}

/* ---- system security plan ---- */

/* The state of a by-component from an SoA row. */
static const char *
ox_impl_state(const json_t *row)
{
	const json_t *a = json_object_get(row, "applicable");
	const char *st = ox_str(row, "status");

	if (json_is_false(a))
		return "not-applicable";
	if (st && strcmp(st, "implemented") == 0)
		return "implemented";
	if (st && strcmp(st, "partial") == 0)
		return "partial";
	return "planned";
}

static const char *
ox_lifecycle_state(const char *stage)
{
	if (stage == NULL)
		return "other";
	if (strcmp(stage, "inception") == 0 || strcmp(stage, "design_development") == 0 ||
	    strcmp(stage, "verification_validation") == 0)
		return "under-development";
	if (strcmp(stage, "deployment") == 0 || strcmp(stage, "operation_monitoring") == 0 ||
	    strcmp(stage, "re_evaluation") == 0)
		return "operational";
	if (strcmp(stage, "retirement") == 0)
		return "disposition";
	return "other";
}

/* A role id from a role's name: "AIMS manager" -> "aims-manager". */
static void
ox_role_id(char *out, size_t len, const char *name, const char *ref)
{
	size_t o = 0;
	bool dash = false;

	for (; *name != '\0' && o + 1 < len; name++) {
		if (isalnum((unsigned char)*name)) {
			if (dash && o > 0)
				out[o++] = '-';
			if (o + 1 < len)
				out[o++] = (char)tolower((unsigned char)*name);
			dash = false;
		} else {
			dash = true;
		}
	}
	out[o] = '\0';
	/* A token starts with a letter; names such as "2nd line" use the reference. */
	if (o == 0 || !isalpha((unsigned char)out[0]))
		snprintf(out, len, "role-%s", ref);
}

struct ox_ssp {
	json_t	*roles, *parties, *resp_parties;	/* metadata */
	json_t	*role_of;	/* responsibility ref -> {id, party} */
	json_t	*components;
	char	 this_system[OSCAL_UUID_LEN];
	json_t	*ais_uuid;	/* AI system ref -> component uuid */
};

static void
ox_ssp_roles(struct ox *x, struct ox_ssp *s, const json_t *resps)
{
	char rid[OX_ID_MAX], puuid[OSCAL_UUID_LEN];
	const json_t *r, *d;
	const char *assignee;
	json_t *seen = json_object();
	size_t i;

	json_array_foreach(resps, i, r) {
		d = json_object_get(r, "data");
		ox_role_id(rid, sizeof(rid), ox_str(d, "role_name"), ox_str(r, "ref"));
		if (json_object_get(seen, rid)) {
			/* Two records of one role name: the reference keeps them apart. */
			size_t n = strlen(rid);

			snprintf(rid + n, sizeof(rid) - n, "-%s", ox_str(r, "ref"));
			for (; rid[n] != '\0'; n++)
				rid[n] = (char)tolower((unsigned char)rid[n]);
		}
		json_object_set_new(seen, rid, json_true());
		{
			json_t *role = json_pack("{s:s, s:s}", "id", rid,
			    "title", ox_str(d, "role_name"));

			if (ox_text(d, "duties"))
				json_object_set_new(role, "description", json_string(ox_str(d,
				    "duties")));
			ox_add_prop(role, "responsibility", ox_str(r, "ref"));
			json_array_append_new(s->roles, role);
		}
		assignee = ox_text(d, "assignee");
		json_object_set_new(s->role_of, ox_str(r, "ref"), json_pack("{s:s, s:s?}", "id",
		    rid, "party", NULL));
		if (assignee == NULL)
			continue;
		ox_uuid(puuid, x, "party", assignee);
		if (!json_object_get(seen, puuid)) {
			json_t *party = json_pack("{s:s, s:s, s:s}", "uuid", puuid, "type",
			    strchr(assignee, '@') ? "person" : "organization", "name", assignee);

			if (strchr(assignee, '@'))
				json_object_set_new(party, "email-addresses",
				    json_pack("[s]", assignee));
			json_array_append_new(s->parties, party);
			json_object_set_new(seen, puuid, json_true());
		}
		json_object_set_new(json_object_get(s->role_of, ox_str(r, "ref")), "party",
		    json_string(puuid));
		json_array_append_new(s->resp_parties, json_pack("{s:s, s:[s]}", "role-id", rid,
		    "party-uuids", puuid));
	}
	json_decref(seen);
}

static json_t *
ox_component_ai(struct ox *x, struct ox_ssp *s, const json_t *rec)
{
	const json_t *d = json_object_get(rec, "data");
	const char *purpose = ox_text(d, "purpose"), *use = ox_text(d, "intended_use");
	char uuid[OSCAL_UUID_LEN];
	json_t *c;

	ox_uuid(uuid, x, "ai-systems", ox_str(rec, "ref"));
	json_object_set_new(s->ais_uuid, ox_str(rec, "ref"), json_string(uuid));
	c = json_pack("{s:s, s:s, s:s, s:s}", "uuid", uuid, "type", "software", "title",
	    ox_str(d, "name"), "description",
	    use ? use : purpose ? purpose : "An AI system in the AIMS inventory.");
	if (purpose)
		json_object_set_new(c, "purpose", json_string(purpose));
	ox_add_prop(c, "reference", ox_str(rec, "ref"));
	ox_add_prop(c, "ai-system", "true");
	ox_add_prop(c, "lifecycle-stage", ox_str(d, "lifecycle_stage"));
	ox_add_prop(c, "org-role", ox_str(d, "org_role"));
	ox_add_prop(c, "eu-ai-act-category", ox_str(d, "eu_ai_act_category"));
	ox_add_prop(c, "automation-level", ox_str(d, "automation_level"));
	ox_add_prop(c, "owner", ox_str(d, "owner"));
	ox_add_prop(c, "in-scope", json_is_false(json_object_get(d, "in_scope")) ? "false" :
	    "true");
	json_object_set_new(c, "status", json_pack("{s:s}", "state",
	    ox_lifecycle_state(ox_str(d, "lifecycle_stage"))));
	return c;
}

/* The measures implementing a control: those the SoA row names and those naming it. */
static json_t *
ox_measures_of(const json_t *row, const json_t *measures)
{
	const char *control = ox_str(row, "control");
	json_t *out = json_array();
	const json_t *m;
	size_t i;

	json_array_foreach(measures, i, m)
		if (ox_list_has(json_object_get(row, "measures"), ox_str(m, "ref")) ||
		    ox_list_has(json_object_get(json_object_get(m, "data"), "requirements"),
		    control))
			json_array_append(out, (json_t *)m);
	return out;
}

static json_t *
ox_implemented(struct ox *x, struct ox_ssp *s, const json_t *row, const json_t *measures,
    const json_t *resps)
{
	const char *control = ox_str(row, "control"), *just = ox_text(row, "justification");
	char oid[OX_ID_MAX], uuid[OSCAL_UUID_LEN], key[OX_KEY_MAX];
	const json_t *m, *r, *md, *a, *ai, *role;
	json_t *ir, *bys, *by, *mine, *rr;
	struct buf desc = BUF_INIT;
	const char *state = ox_impl_state(row);
	size_t i, j;

	ox_control_id(oid, control);
	ox_uuid(uuid, x, "implemented-requirement", control);
	ir = json_pack("{s:s, s:s}", "uuid", uuid, "control-id", oid);
	ox_add_prop(ir, "soa-applicable", json_is_true(json_object_get(row, "applicable")) ?
	    "true" : json_is_false(json_object_get(row, "applicable")) ? "false" : "undecided");
	ox_add_prop(ir, "soa-status", ox_str(row, "status"));
	ox_add_prop(ir, "soa-justification", just);
	ox_add_prop(ir, "owner", ox_str(row, "owner"));
	mine = ox_measures_of(row, measures);
	/* The AIMS as a whole: the SoA decision and every measure for the control. */
	if (json_is_false(json_object_get(row, "applicable")))
		buf_printf(&desc, "Excluded from the Statement of Applicability.");
	else if (!json_is_true(json_object_get(row, "applicable")))
		buf_printf(&desc, "Not yet decided in the Statement of Applicability.");
	else if (just == NULL)
		buf_printf(&desc, "Applicable in the Statement of Applicability.");
	else
		buf_printf(&desc, "Applicable in the Statement of Applicability: %s%s", just,
		    strchr(".!?", just[strlen(just) - 1]) ? "" : ".");
	json_array_foreach(mine, i, m) {
		md = json_object_get(m, "data");
		buf_printf(&desc, "\n\nMeasure %s, %s (%s)%s%s", ox_str(m, "ref"),
		    ox_str(md, "title"), ox_text(md, "status") ? ox_str(md, "status") : "no status",
		    ox_text(md, "description") ? ": " : ".",
		    ox_text(md, "description") ? ox_str(md, "description") : "");
	}
	snprintf(key, sizeof(key), "%s/this-system", control);
	ox_uuid(uuid, x, "by-component", key);
	by = json_pack("{s:s, s:s, s:s, s:{s:s}}", "component-uuid", s->this_system, "uuid",
	    uuid, "description", buf_str(&desc), "implementation-status", "state", state);
	if (strcmp(state, "not-applicable") == 0 && just)
		json_object_set_new(json_object_get(by, "implementation-status"), "remarks",
		    json_string(just));
	bys = json_pack("[o]", by);
	/* Each AI system a measure names carries that measure for the control. */
	json_array_foreach(mine, i, m) {
		md = json_object_get(m, "data");
		json_array_foreach(json_object_get(md, "ai_systems"), j, a) {
			if ((ai = json_object_get(s->ais_uuid, json_string_value(a))) == NULL)
				continue;
			snprintf(key, sizeof(key), "%s/%s/%s", control, ox_str(m, "ref"),
			    json_string_value(a));
			ox_uuid(uuid, x, "by-component", key);
			by = json_pack("{s:s, s:s, s:s}", "component-uuid", json_string_value(ai),
			    "uuid", uuid, "description", ox_text(md, "description") ?
			    ox_str(md, "description") : ox_str(md, "title"));
			ox_add_prop(by, "measure", ox_str(m, "ref"));
			json_array_append_new(bys, by);
		}
	}
	json_object_set_new(ir, "by-components", bys);
	/* Roles whose responsibilities name the control. */
	rr = json_array();
	json_array_foreach(resps, i, r) {
		if (!ox_list_has(json_object_get(json_object_get(r, "data"), "requirements"),
		    control))
			continue;
		role = json_object_get(s->role_of, ox_str(r, "ref"));
		json_array_append_new(rr, json_pack("{s:s}", "role-id", ox_str(role, "id")));
		if (ox_text(role, "party"))
			json_object_set_new(json_array_get(rr, json_array_size(rr) - 1),
			    "party-uuids", json_pack("[s]", ox_str(role, "party")));
	}
	if (json_array_size(rr))
		json_object_set_new(ir, "responsible-roles", rr);
	else
		json_decref(rr);
	json_decref(mine);
	buf_free(&desc);
	return ir;
}

static int
ox_ssp(json_t **body, struct ox *x)
{
	json_t *rows = NULL, *measures = NULL, *resps = NULL, *ais = NULL, *scope = NULL;
	json_t *meta = NULL, *irs, *row, *sc = NULL, *sys;
	char res[OSCAL_UUID_LEN], href[OSCAL_UUID_LEN + 1], info[OSCAL_UUID_LEN];
	struct ox_ssp s = { 0 };
	const char *statement, *boundaries;
	size_t i;
	int rc;

	meta = ox_metadata("System security plan: the AI management system");
	if ((rc = ox_soa_rows(&rows, x, meta)) != 0 ||
	    (rc = ox_records(&measures, x, "measures")) != 0 ||
	    (rc = ox_records(&resps, x, "responsibilities")) != 0 ||
	    (rc = ox_records(&ais, x, "ai-systems")) != 0 ||
	    (rc = ox_records(&scope, x, "scope")) != 0)
		goto done;
	s.roles = json_array();
	s.parties = json_array();
	s.resp_parties = json_array();
	s.role_of = json_object();
	s.ais_uuid = json_object();
	s.components = json_array();
	ox_ssp_roles(x, &s, resps);
	sc = json_object_get(json_array_get(scope, 0), "data");
	statement = ox_text(sc, "statement");
	boundaries = ox_text(sc, "boundaries");
	ox_uuid(s.this_system, x, "component", "this-system");
	json_array_append_new(s.components, json_pack("{s:s, s:s, s:s, s:s, s:{s:s}}",
	    "uuid", s.this_system, "type", "this-system", "title", "AI management system",
	    "description", statement ? statement :
	    "The organisation's AI management system as a whole (ISO/IEC 42001).",
	    "status", "state", "operational"));
	json_array_foreach(ais, i, row)
		json_array_append_new(s.components, ox_component_ai(x, &s, row));
	irs = json_array();
	json_array_foreach(rows, i, row)
		json_array_append_new(irs, ox_implemented(x, &s, row, measures, resps));
	if (json_array_size(s.roles))
		json_object_set(meta, "roles", s.roles);
	if (json_array_size(s.parties))
		json_object_set(meta, "parties", s.parties);
	if (json_array_size(s.resp_parties))
		json_object_set(meta, "responsible-parties", s.resp_parties);
	ox_uuid(res, x, "resource", "profile");
	snprintf(href, sizeof(href), "#%s", res);
	ox_uuid(info, x, "information-type", "aims");
	sys = json_pack("{s:[{s:s, s:s}], s:s, s:s, s:{s:[{s:s, s:s, s:s}]}, s:{s:s}, s:{s:s}}",
	    "system-ids", "identifier-type", OSCAL_NS, "id", x->slug,
	    "system-name", x->name,
	    "description", statement ? statement : "The AI management system of the organisation.",
	    "system-information", "information-types", "uuid", info,
	    "title", "AI management system records",
	    "description", "Records of the AI management system: scope, policy, AI systems, "
	    "risks, impact assessments, the Statement of Applicability, measures and evidence.",
	    "status", "state", "operational",
	    "authorization-boundary", "description", boundaries ? boundaries : statement ?
	    statement : "The scope of the AI management system has not been written yet.");
	ox_add_prop(sys, "organisation", x->slug);
	*body = json_pack("{s:o, s:{s:s}, s:o, s:{s:O}, s:{s:s, s:o}, s:{s:[o]}}",
	    "metadata", meta, "import-profile", "href", href,
	    "system-characteristics", sys,
	    "system-implementation", "components", s.components,
	    "control-implementation", "description", "How the organisation implements each "
	    "ISO/IEC 42001 Annex A control: its Statement of Applicability entry, the measures "
	    "for it and the AI systems they apply to.", "implemented-requirements", irs,
	    "back-matter", "resources", ox_resource(res, "Statement of Applicability (profile)",
	    "profile.json", "application/oscal.profile+json"));
	meta = NULL;	/* the document has it */
done:
	json_decref(meta);
	json_decref(rows);
	json_decref(measures);
	json_decref(resps);
	json_decref(ais);
	json_decref(scope);
	json_decref(s.roles);
	json_decref(s.parties);
	json_decref(s.resp_parties);
	json_decref(s.role_of);
	json_decref(s.ais_uuid);
	json_decref(s.components);
	return rc;
}

/* ---- assessment results ---- */

/*
 * What the sources of results and POA&M items share: the evidence records
 * by requirement, and the back-matter they fill.
 */
struct ox_ar {
	struct ox	*x;
	json_t		*resources;	/* back-matter resources */
	json_t		*obs_of_ev;	/* evidence ref -> observation uuid (made once) */
	json_t		*ev_of_req;	/* requirement id -> [newest evidence records naming it] */
	json_t		*ev_count;	/* requirement id -> how many evidence records name it */
};

/* An observation for an evidence record (once per document), with its resource. */
static const char *
ox_evidence_observation(struct ox_ar *a, json_t *observations, const json_t *ev)
{
	const json_t *d = json_object_get(ev, "data");
	const char *ref = ox_str(ev, "ref"), *url = ox_text(d, "url"), *sha = ox_text(d, "sha256");
	char uuid[OSCAL_UUID_LEN], res[OSCAL_UUID_LEN], href[OX_KEY_MAX];
	json_t *o, *r, *collected, *expires;

	if (json_object_get(a->obs_of_ev, ref))
		return ox_str(a->obs_of_ev, ref);
	ox_uuid(uuid, a->x, "evidence-observation", ref);
	collected = ox_date_time(ox_text(d, "collected_at"));
	o = json_pack("{s:s, s:s, s:s, s:[s], s:[s], s:o}", "uuid", uuid,
	    "title", ox_str(d, "title"), "description", ox_text(d, "description") ?
	    ox_str(d, "description") : ox_str(d, "title"), "methods", "EXAMINE",
	    "types", "control-objective",
	    "collected", collected ? collected : json_string(ox_str(ev, "updated_at")));
	if ((expires = ox_date_time(ox_text(d, "valid_until"))) != NULL)
		json_object_set_new(o, "expires", expires);
	ox_add_prop(o, "evidence", ref);
	ox_add_prop(o, "evidence-kind", ox_str(d, "kind"));
	ox_add_prop(o, "source", ox_str(d, "source"));
	if (sha != NULL) {
		/* The file itself, by its hash and its download address. */
		ox_uuid(res, a->x, "evidence-resource", ref);
		snprintf(href, sizeof(href), "/api/v1/orgs/%s/evidence/%s/files/%lld", a->x->slug,
		    ref, (long long)json_integer_value(json_object_get(d, "revision")));
		r = json_pack("{s:s, s:s, s:[{s:s, s:[{s:s, s:s}]}]}", "uuid", res, "title",
		    ox_text(d, "filename") ? ox_str(d, "filename") : ox_str(d, "title"),
		    "rlinks", "href", href, "hashes", "algorithm", "SHA-256", "value", sha);
		if (ox_text(d, "media_type"))
			json_object_set_new(json_array_get(json_object_get(r, "rlinks"), 0),
			    "media-type", json_string(ox_str(d, "media_type")));
		json_array_append_new(a->resources, r);
		snprintf(href, sizeof(href), "#%s", res);
		json_object_set_new(o, "relevant-evidence", json_pack("[{s:s, s:s}]", "href", href,
		    "description", "The evidence file, with its SHA-256."));
	} else if (url != NULL) {
		json_object_set_new(o, "relevant-evidence", json_pack("[{s:s, s:s}]", "href", url,
		    "description", "The linked evidence."));
	}
	json_array_append_new(observations, o);
	json_object_set_new(a->obs_of_ev, ref, json_string(uuid));
	return ox_str(a->obs_of_ev, ref);
}

/* The readiness reasons of a check as one text. */
static void
ox_check_reasons(struct buf *b, const json_t *check)
{
	const json_t *f;
	size_t i;

	json_array_foreach(json_object_get(check, "findings"), i, f) {
		buf_printf(b, "%s%s", b->len ? " " : "", ox_str(f, "reason"));
		if (json_array_size(json_object_get(f, "refs"))) {
			const json_t *r;
			size_t j;

			buf_puts(b, " (");
			json_array_foreach(json_object_get(f, "refs"), j, r)
				buf_printf(b, "%s%s", j ? ", " : "", json_string_value(r));
			buf_puts(b, ")");
		}
	}
}

/* One result from a readiness evaluation: a finding per requirement evaluated. */
static int
ox_result_readiness(struct ox_ar *a, json_t *results)
{
	struct ox *x = a->x;
	const char *at, *req_id, *status;
	const json_t *req, *check, *ev;
	json_t *observations, *findings, *related, *f, *o;
	char uuid[OSCAL_UUID_LEN], oid[OX_ID_MAX], key[OX_KEY_MAX];
	struct buf b = BUF_INIT;
	size_t i, j;
	int rc;

	if ((rc = ox_readiness(x)) != 0)
		return rc;
	at = ox_str(x->readiness, "evaluated_at");
	observations = json_array();
	findings = json_array();
	json_array_foreach(json_object_get(x->readiness, "requirements"), i, req) {
		status = ox_str(req, "status");
		req_id = ox_str(req, "id");
		if (strcmp(status, "not_applicable") == 0 || !json_is_true(json_object_get(req,
		    "leaf")))
			continue;
		related = json_array();
		json_array_foreach(json_object_get(req, "checks"), j, check) {
			snprintf(key, sizeof(key), "%s@%s", ox_str(check, "rule"), req_id);
			ox_uuid(uuid, x, "check-observation", key);
			buf_reset(&b);
			ox_check_reasons(&b, check);
			if (b.len == 0)
				buf_printf(&b, "Readiness check %s: %s.", ox_str(check, "rule"),
				    ox_str(check, "status"));
			o = json_pack("{s:s, s:s, s:s, s:[s], s:[s], s:s}", "uuid", uuid,
			    "title", ox_str(check, "rule"), "description", buf_str(&b),
			    "methods", "TEST", "types", "control-objective", "collected", at);
			ox_add_prop(o, "check-status", ox_str(check, "status"));
			ox_add_prop(o, "stage", json_integer_value(json_object_get(check, "stage")) ==
			    1 ? "1" : "2");
			ox_add_prop(o, "severity", ox_str(check, "severity"));
			json_array_append_new(observations, o);
			json_array_append_new(related, json_pack("{s:s}", "observation-uuid", uuid));
		}
		json_array_foreach(json_object_get(a->ev_of_req, req_id), j, ev)
			json_array_append_new(related, json_pack("{s:s}", "observation-uuid",
			    ox_evidence_observation(a, observations, ev)));
		ox_control_id(oid, req_id);
		ox_uuid(uuid, x, "readiness-finding", req_id);
		snprintf(key, sizeof(key), "%lld",
		    (long long)json_integer_value(json_object_get(a->ev_count, req_id)));
		f = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:{s:s, s:s}}}", "uuid", uuid,
		    "title", ox_str(req, "title"), "description",
		    strcmp(status, "met") == 0 ? "Every readiness check of this requirement passes." :
		    strcmp(status, "partly_met") == 0 ?
		    "Some readiness checks of this requirement fail." :
		    "The readiness checks of this requirement fail.",
		    "target", "type", "objective-id", "target-id", oid, "status",
		    "state", strcmp(status, "met") == 0 ? "satisfied" : "not-satisfied",
		    "reason", strcmp(status, "met") == 0 ? "pass" : "fail");
		ox_add_prop(f, "readiness-status", status);
		/* Evidence beyond the newest OSCAL_EVIDENCE_PER_REQ is counted, not listed. */
		ox_add_prop(f, "evidence-count", key);
		if (json_array_size(related))
			json_object_set(f, "related-observations", related);
		json_decref(related);
		json_array_append_new(findings, f);
	}
	buf_free(&b);
	ox_uuid(uuid, x, "result", "readiness");
	{
		json_t *r = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:[{s:{}}]}}", "uuid", uuid,
		    "title", "Certification readiness (gap assessment)", "description",
		    "OpenAIMS evaluated its readiness rules for ISO/IEC 42001 over the "
		    "organisation's records: one finding per requirement, with the checks and the "
		    "evidence records behind it as observations.", "start", at,
		    "reviewed-controls", "description", "Every requirement the readiness rules "
		    "cover, except controls excluded in the SoA.", "control-selections",
		    "include-all");

		json_object_set_new(r, "end", json_string(at));
		snprintf(key, sizeof(key), "%.0f",
		    json_number_value(json_object_get(x->readiness, "score")));
		ox_add_prop(r, "readiness-score", key);
		if (json_array_size(observations))
			json_object_set(r, "observations", observations);
		if (json_array_size(findings))
			json_object_set(r, "findings", findings);
		json_array_append_new(results, r);
	}
	json_decref(observations);
	json_decref(findings);
	return 0;
}

/* One finding of an internal audit: its requirement, satisfied unless a nonconformity. */
static json_t *
ox_audit_finding(struct ox *x, const json_t *rec)
{
	const json_t *d = json_object_get(rec, "data");
	const char *type = ox_str(d, "type"), *req = ox_text(d, "requirement");
	char uuid[OSCAL_UUID_LEN], oid[OX_ID_MAX];
	bool nc;
	json_t *f;

	if (type == NULL || req == NULL)
		return NULL;
	nc = strcmp(type, "major_nc") == 0 || strcmp(type, "minor_nc") == 0;
	ox_control_id(oid, req);
	ox_uuid(uuid, x, "audit-finding", ox_str(rec, "ref"));
	f = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:{s:s, s:s}}}", "uuid", uuid,
	    "title", ox_text(d, "title") ? ox_str(d, "title") : ox_str(rec, "ref"),
	    "description", ox_text(d, "description") ? ox_str(d, "description") :
	    ox_text(d, "title") ? ox_str(d, "title") : type, "target", "type", "objective-id",
	    "target-id", oid, "status", "state", nc ? "not-satisfied" : "satisfied", "reason",
	    nc ? "fail" : "pass");
	ox_add_prop(f, "audit-finding", ox_str(rec, "ref"));
	ox_add_prop(f, "finding-type", type);
	ox_add_prop(f, "nonconformity", ox_text(d, "nonconformity"));
	return f;
}

/*
 * Internal audits (9.2): one result per audit that has started, its findings
 * as findings. An audit without a start date has nothing to report yet.
 */
static int
ox_result_audits(struct ox_ar *a, json_t *results)
{
	struct ox *x = a->x;
	json_t *audits = NULL, *found = NULL, *findings, *r, *f, *when;
	const json_t *au, *fd, *d;
	const char *ref, *start, *end, *of;
	char uuid[OSCAL_UUID_LEN], title[OX_KEY_MAX];
	size_t i, j;
	int rc;

	if ((rc = ox_records(&audits, x, "audits")) != 0 ||
	    (rc = ox_records(&found, x, "audit-findings")) != 0)
		goto done;
	json_array_foreach(audits, i, au) {
		d = json_object_get(au, "data");
		ref = ox_str(au, "ref");
		start = ox_text(d, "actual_start") ? ox_str(d, "actual_start") :
		    ox_text(d, "planned_start");
		if (start == NULL || (when = ox_date_time(start)) == NULL)
			continue;
		findings = json_array();
		json_array_foreach(found, j, fd) {
			of = ox_text(json_object_get(fd, "data"), "audit");
			if (of != NULL && strcmp(of, ref) == 0 && (f = ox_audit_finding(x, fd)))
				json_array_append_new(findings, f);
		}
		ox_uuid(uuid, x, "result", ref);
		snprintf(title, sizeof(title), "Internal audit %s: %s", ref,
		    ox_text(d, "title") ? ox_str(d, "title") : "");
		r = json_pack("{s:s, s:s, s:s, s:o, s:{s:s, s:[{s:{}}]}}", "uuid", uuid,
		    "title", title, "description", ox_text(d, "criteria") ?
		    ox_str(d, "criteria") : "An internal audit of the AI management system (9.2).",
		    "start", when, "reviewed-controls", "description",
		    "The requirements in the audit's scope.", "control-selections",
		    "include-all");
		end = ox_text(d, "actual_end");
		if (end != NULL && (when = ox_date_time(end)) != NULL)
			json_object_set_new(r, "end", when);
		ox_add_prop(r, "audit", ref);
		ox_add_prop(r, "audit-status", ox_str(d, "status"));
		if (json_array_size(findings))
			json_object_set(r, "findings", findings);
		json_decref(findings);
		json_array_append_new(results, r);
	}
done:
	json_decref(audits);
	json_decref(found);
	return rc;
}

/* Where results come from: readiness, then each internal audit. */
static const struct ox_ar_source {
	const char	*name;
	int		(*results)(struct ox_ar *a, json_t *results);
} ar_sources[] = {
	{ "readiness", ox_result_readiness },
	{ "internal-audits", ox_result_audits },
};

/*
 * Files one evidence record under each requirement it names, keeping the
 * newest OSCAL_EVIDENCE_PER_REQ per requirement (records come in number
 * order, so the oldest is dropped first) and counting them all: memory stays
 * bounded whatever the number of evidence records.
 */
static int
ox_collect_evidence(void *arg, const struct query_record *rec)
{
	struct ox_ar *a = arg;
	const json_t *req;
	json_t *ev = NULL, *list;
	size_t i;

	json_array_foreach(json_object_get(rec->data, "requirements"), i, req) {
		if (!json_is_string(req))
			continue;
		if (ev == NULL)
			ev = json_pack("{s:s, s:I, s:s, s:o}", "ref", rec->ref, "version",
			    (json_int_t)rec->version, "updated_at", rec->updated_at, "data",
			    json_deep_copy(rec->data));
		if ((list = json_object_get(a->ev_of_req, json_string_value(req))) == NULL)
			json_object_set_new(a->ev_of_req, json_string_value(req),
			    list = json_array());
		if (json_array_size(list) == OSCAL_EVIDENCE_PER_REQ)
			json_array_remove(list, 0);
		json_array_append(list, ev);
		json_object_set_new(a->ev_count, json_string_value(req), json_integer(
		    json_integer_value(json_object_get(a->ev_count, json_string_value(req))) + 1));
	}
	json_decref(ev);
	return 0;
}

/* with_evidence: the evidence records are read (results cite them; POA&M items do not). */
static int
ox_ar_start(struct ox_ar *a, struct ox *x, bool with_evidence)
{
	*a = (struct ox_ar){ .x = x, .resources = json_array(), .obs_of_ev = json_object(),
	    .ev_of_req = json_object(), .ev_count = json_object() };
	if (!with_evidence)
		return 0;
	return query_records_each(x->db, x->org_id, "evidence", ox_collect_evidence, a);
}

static void
ox_ar_end(struct ox_ar *a)
{
	json_decref(a->ev_count);
	json_decref(a->resources);
	json_decref(a->obs_of_ev);
	json_decref(a->ev_of_req);
}

/* An assessment plan is required by reference: ours is the readiness rules. */
static json_t *
ox_plan_resource(struct ox *x, char href[OSCAL_UUID_LEN + 1])
{
	char res[OSCAL_UUID_LEN];

	ox_uuid(res, x, "resource", "assessment-plan");
	snprintf(href, OSCAL_UUID_LEN + 1, "#%s", res);
	return json_pack("{s:s, s:s, s:s}", "uuid", res, "title",
	    "OpenAIMS readiness rules for ISO/IEC 42001", "description",
	    "The assessment plan: the readiness rules compiled into OpenAIMS "
	    "(catalog/rules-iso42001.json), evaluated over the organisation's records.");
}

static int
ox_assessment_results(json_t **body, struct ox *x)
{
	char href[OSCAL_UUID_LEN + 1];
	struct ox_ar a;
	json_t *results;
	size_t i;
	int rc;

	if ((rc = ox_ar_start(&a, x, true)) != 0)
		goto done;
	results = json_array();
	for (i = 0; i < sizeof(ar_sources) / sizeof(ar_sources[0]); i++)
		if ((rc = ar_sources[i].results(&a, results)) != 0) {
			json_decref(results);
			goto done;
		}
	json_array_append_new(a.resources, ox_plan_resource(x, href));
	*body = json_pack("{s:o, s:{s:s}, s:o, s:{s:O}}",
	    "metadata", ox_metadata("Assessment results: certification readiness"),
	    "import-ap", "href", href, "results", results, "back-matter", "resources",
	    a.resources);
done:
	ox_ar_end(&a);
	return rc;
}

/* ---- plan of action and milestones ---- */

/* POA&M items from readiness gaps: one per failing rule of a requirement. */
static int
ox_poam_readiness(struct ox_ar *a, json_t *items, json_t *findings)
{
	struct ox *x = a->x;
	const json_t *gap, *f;
	char uuid[OSCAL_UUID_LEN], fuuid[OSCAL_UUID_LEN], oid[OX_ID_MAX], key[OX_KEY_MAX];
	char title[OX_KEY_MAX];
	struct buf b = BUF_INIT;
	json_t *item, *finding;
	size_t i;
	int rc;

	if ((rc = ox_readiness(x)) != 0)
		return rc;
	json_array_foreach(json_object_get(x->readiness, "gaps"), i, gap) {
		buf_reset(&b);
		ox_check_reasons(&b, gap);
		f = gap;
		snprintf(key, sizeof(key), "%s@%s", ox_str(f, "rule"), ox_str(f, "requirement"));
		ox_uuid(fuuid, x, "gap-finding", key);
		ox_uuid(uuid, x, "gap-item", key);
		ox_control_id(oid, ox_str(f, "requirement"));
		snprintf(title, sizeof(title), "%s %s", ox_str(f, "requirement"), ox_str(f, "title"));
		finding = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:{s:s, s:s}}}", "uuid", fuuid,
		    "title", title, "description", b.len ? buf_str(&b) : ox_str(f, "rule"),
		    "target", "type", "objective-id", "target-id", oid, "status", "state",
		    "not-satisfied", "reason", "fail");
		ox_add_prop(finding, "rule", ox_str(f, "rule"));
		json_array_append_new(findings, finding);
		item = json_pack("{s:s, s:s, s:s, s:[{s:s}]}", "uuid", uuid, "title", title,
		    "description", b.len ? buf_str(&b) : ox_str(f, "rule"),
		    "related-findings", "finding-uuid", fuuid);
		ox_add_prop(item, "rule", ox_str(f, "rule"));
		ox_add_prop(item, "stage", json_integer_value(json_object_get(f, "stage")) == 1 ?
		    "1" : "2");
		ox_add_prop(item, "severity", ox_str(f, "severity"));
		ox_add_prop(item, "source", "readiness");
		json_array_append_new(items, item);
	}
	buf_free(&b);
	return 0;
}

/*
 * Nonconformities not closed (10.2): one item each, with a finding per
 * requirement it names and the next corrective action's due date.
 */
static int
ox_poam_nonconformities(struct ox_ar *a, json_t *items, json_t *findings)
{
	struct ox *x = a->x;
	json_t *ncs = NULL, *item, *related, *finding;
	const json_t *nc, *d, *req;
	const char *ref, *status, *title;
	char uuid[OSCAL_UUID_LEN], oid[OX_ID_MAX], key[OX_KEY_MAX];
	size_t i, j;
	int rc;

	if ((rc = ox_records(&ncs, x, "nonconformities")) != 0)
		return rc;
	json_array_foreach(ncs, i, nc) {
		d = json_object_get(nc, "data");
		ref = ox_str(nc, "ref");
		status = ox_str(d, "status");
		if (status != NULL && strcmp(status, "closed") == 0)
			continue;
		title = ox_text(d, "title") ? ox_str(d, "title") : ref;
		related = json_array();
		json_array_foreach(json_object_get(d, "requirements"), j, req) {
			if (!json_is_string(req))
				continue;
			snprintf(key, sizeof(key), "%s@%s", ref, json_string_value(req));
			ox_uuid(uuid, x, "nonconformity-finding", key);
			ox_control_id(oid, json_string_value(req));
			finding = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:{s:s, s:s}}}", "uuid",
			    uuid, "title", title, "description", ox_text(d, "description") ?
			    ox_str(d, "description") : title, "target", "type", "objective-id",
			    "target-id", oid, "status", "state", "not-satisfied", "reason", "fail");
			ox_add_prop(finding, "nonconformity", ref);
			json_array_append_new(findings, finding);
			json_array_append_new(related, json_pack("{s:s}", "finding-uuid", uuid));
		}
		ox_uuid(uuid, x, "nonconformity-item", ref);
		snprintf(key, sizeof(key), "%s %s", ref, title);
		item = json_pack("{s:s, s:s, s:s}", "uuid", uuid, "title", key, "description",
		    ox_text(d, "description") ? ox_str(d, "description") : title);
		if (json_array_size(related))
			json_object_set(item, "related-findings", related);
		json_decref(related);
		ox_add_prop(item, "source", "nonconformity");
		ox_add_prop(item, "nonconformity", ref);
		ox_add_prop(item, "severity", ox_text(d, "severity"));
		ox_add_prop(item, "status", status);
		ox_add_prop(item, "next-action-due", ox_text(d, "next_action_due"));
		json_array_append_new(items, item);
	}
	json_decref(ncs);
	return 0;
}

/* Where POA&M items come from: readiness gaps, then open nonconformities. */
static const struct ox_poam_source {
	const char	*name;
	int		(*items)(struct ox_ar *a, json_t *items, json_t *findings);
} poam_sources[] = {
	{ "readiness", ox_poam_readiness },
	{ "nonconformities", ox_poam_nonconformities },
};

static int
ox_poam(json_t **body, struct ox *x)
{
	json_t *items = json_array(), *findings = json_array();
	char res[OSCAL_UUID_LEN], href[OSCAL_UUID_LEN + 1];
	struct ox_ar a;
	size_t i;
	int rc;

	if ((rc = ox_ar_start(&a, x, false)) != 0)
		goto done;
	for (i = 0; i < sizeof(poam_sources) / sizeof(poam_sources[0]); i++)
		if ((rc = poam_sources[i].items(&a, items, findings)) != 0)
			goto done;
	if (json_array_size(items) == 0) {
		rc = aims_error_set(AIMS_ECONFLICT, "poam",
		    "nothing to plan: readiness shows no gap (a POA&M holds at least one item)");
		goto done;
	}
	ox_uuid(res, x, "resource", "ssp");
	snprintf(href, sizeof(href), "#%s", res);
	*body = json_pack("{s:o, s:{s:s}, s:{s:s, s:s}, s:O, s:O, s:{s:[o]}}",
	    "metadata", ox_metadata("Plan of action and milestones: readiness gaps"),
	    "import-ssp", "href", href,
	    "system-id", "identifier-type", OSCAL_NS, "id", x->slug,
	    "findings", findings, "poam-items", items,
	    "back-matter", "resources", ox_resource(res, "System security plan", "ssp.json",
	    "application/oscal.ssp+json"));
done:
	json_decref(items);
	json_decref(findings);
	ox_ar_end(&a);
	return rc;
}

/* ---- entry points ---- */

int
oscal_export(json_t **out, struct db *db, int64_t org_id, enum oscal_model model,
    const struct oscal_opts *opts)
{
	struct ox x = { .db = db, .org_id = org_id };
	json_t *body = NULL;
	int rc;

	*out = NULL;
	if (opts && opts->catalog && model != OSCAL_CATALOG)
		return aims_error_set(AIMS_EINVALID, "catalog",
		    "an imported catalog is exported with the catalog model only");
	if (opts && opts->soa_version && model != OSCAL_PROFILE && model != OSCAL_SSP)
		return aims_error_set(AIMS_EINVALID, "version",
		    "a published SoA version applies to the profile and the SSP only");
	if ((rc = org_get(&x.org, db, org_id)) != 0)
		return rc;
	x.soa_version = opts ? opts->soa_version : 0;
	x.slug = ox_str(x.org, "slug");
	x.name = ox_text(x.org, "name") ? ox_str(x.org, "name") : x.slug;
	clock_format(x.now, clock_now());
	switch (model) {
	case OSCAL_CATALOG:
		rc = opts && opts->catalog ? ox_catalog_imported(&body, &x, opts->catalog) :
		    ox_catalog_iso(&body, &x);
		break;
	case OSCAL_PROFILE: rc = ox_profile(&body, &x); break;
	case OSCAL_SSP: rc = ox_ssp(&body, &x); break;
	case OSCAL_ASSESSMENT_RESULTS: rc = ox_assessment_results(&body, &x); break;
	case OSCAL_POAM: rc = ox_poam(&body, &x); break;
	default:
		rc = aims_error_set(AIMS_EINVALID, "model", "unknown OSCAL model");
	}
	if (rc == 0)
		*out = ox_document(&x, model, body);
	json_decref(x.readiness);
	json_decref(x.org);
	return rc;
}

int
oscal_export_to_buf(struct buf *out, struct db *db, int64_t org_id, enum oscal_model model,
    const struct oscal_opts *opts)
{
	json_t *doc = NULL;
	char *text;
	int rc;

	if ((rc = oscal_export(&doc, db, org_id, model, opts)) != 0)
		return rc;
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (text == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "cannot write the OSCAL document");
	buf_puts(out, text);
	buf_putc(out, '\n');
	free(text);
	return 0;
}
