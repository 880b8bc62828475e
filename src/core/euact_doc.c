/*
 * euact_doc.c - documents the EU AI Act asks of a high-risk AI system,
 * assembled from the organisation's records: the Annex IV technical
 * documentation (Art. 11), section by section with the records behind each
 * and the gaps, and the Annex VIII registration data (Art. 49), Section A
 * for a high-risk system or Section B for one under the Art. 6(3)
 * derogation, with what the records cannot give listed as missing.
 *
 * Nothing here is stored: both are read from the records at the moment
 * they are asked for, so they are as current as the records.
 */
#include <stdio.h>
#include <string.h>

#include "core/euact.h"
#include "core/org.h"
#include "core/record_private.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"

#define EUACT_DOC_REFS_MAX	50	/* records named per section */

/*
 * The live records naming AI system ref in any field: [{kind, ref, title,
 * status, data}]. The links to the system drive (CROSS JOIN keeps SQLite to
 * that order): left to itself the planner walked every record of the
 * organisation and probed its links, 7 s with 555,000 records.
 */
static int
doc_linked(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	struct db_stmt *st = NULL;
	json_t *d;
	int rc;

	*out = json_array();
	if ((rc = db_prepare(&st, db, "SELECT DISTINCT r.kind, r.ref, r.title, r.status, r.data,"
	    " r.num FROM record_links l CROSS JOIN records r ON r.org_id = l.org_id AND"
	    " r.kind = l.from_kind AND r.ref = l.from_ref WHERE l.org_id = ? AND"
	    " l.to_kind = 'ai-systems' AND l.to_ref = ? AND r.retired = 0"
	    " ORDER BY r.kind, r.num")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	while ((rc = db_step(st)) == DB_ROW) {
		d = json_loads(db_column_text(st, 4), 0, NULL);
		json_array_append_new(*out, json_pack("{s:s, s:s, s:s, s:s, s:o}",
		    "kind", db_column_text(st, 0), "ref", db_column_text(st, 1),
		    "title", db_column_text(st, 2), "status", db_column_text(st, 3),
		    "data", d ? d : json_object()));
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* The linked records of kind whose field equals value (value NULL: any). */
static json_t *
doc_pick(const json_t *linked, const char *kind, const char *field, const char *value)
{
	json_t *refs = json_array();
	const json_t *r;
	size_t i;

	json_array_foreach(linked, i, r) {
		const char *v = field ? record__str(json_object_get(r, "data"), field) : NULL;

		if (strcmp(json_string_value(json_object_get(r, "kind")), kind) != 0)
			continue;
		if (field && (v == NULL || strcmp(v, value) != 0))
			continue;
		if (json_array_size(refs) < EUACT_DOC_REFS_MAX)
			json_array_append_new(refs, json_pack("{s:O, s:O, s:O, s:O}",
			    "kind", json_object_get(r, "kind"), "ref", json_object_get(r, "ref"),
			    "title", json_object_get(r, "title"),
			    "status", json_object_get(r, "status")));
	}
	return refs;
}

/* The obligation of article art for the system, when it is met. */
static bool
doc_obligation_met(const json_t *linked, const char *art)
{
	const json_t *r, *d;
	size_t i;

	json_array_foreach(linked, i, r) {
		d = json_object_get(r, "data");
		if (strcmp(json_string_value(json_object_get(r, "kind")), EUACT_OBLIGATION_KIND) == 0 &&
		    record__str(d, "article") && strcmp(record__str(d, "article"), art) == 0 &&
		    record__str(d, "status") && strcmp(record__str(d, "status"), "met") == 0)
			return true;
	}
	return false;
}

struct doc_section {
	json_t	*text;		/* field -> value, from the AI system */
	json_t	*records;	/* [{kind, ref, title, status}] */
	json_t	*gaps;		/* [texts] */
};

static void
doc_text(struct doc_section *s, const json_t *ai, const char *field, const char *gap)
{
	const json_t *v = json_object_get(ai, field);

	if (!record__is_empty(v))
		json_object_set(s->text, field, (json_t *)v);
	else if (gap)
		json_array_append_new(s->gaps, json_string(gap));
}

static void
doc_records(struct doc_section *s, json_t *refs, const char *gap)
{
	if (json_array_size(refs) == 0 && gap)
		json_array_append_new(s->gaps, json_string(gap));
	json_array_extend(s->records, refs);
	json_decref(refs);
}

static json_t *
doc_section_json(int point, const char *title, struct doc_section *s)
{
	return json_pack("{s:i, s:s, s:b, s:o, s:o, s:o}", "point", point, "title", title,
	    "complete", json_array_size(s->gaps) == 0, "text", s->text, "records", s->records,
	    "gaps", s->gaps);
}

static void
doc_section_init(struct doc_section *s)
{
	s->text = json_object();
	s->records = json_array();
	s->gaps = json_array();
}

static int
doc_load(json_t **ai, json_t **linked, struct db *db, int64_t org_id, const char *ref,
    bool need_high)
{
	const char *cat;
	int rc;

	*ai = *linked = NULL;
	if ((rc = record__load_data(ai, db, org_id, "ai-systems", ref)) != 0)
		return rc == AIMS_ENOTFOUND ? aims_error_set(AIMS_ENOTFOUND, NULL,
		    "no AI system %s", ref) : rc;
	cat = record__str(*ai, "eu_ai_act_category");
	/* Art. 11 and Art. 49(1)-(2) are the provider's: the one that draws them up. */
	if (need_high && !euact_is_provider(*ai)) {
		rc = aims_error_set(AIMS_ECONFLICT, "eu_ai_act_roles",
		    "the organisation is not the provider of %s (its EU AI Act roles): the "
		    "provider draws up this document; ask yours for it", ref);
		json_decref(*ai);
		*ai = NULL;
		return rc;
	}
	if (need_high && (cat == NULL || strcmp(cat, "high_risk") != 0) &&
	    !json_is_true(json_object_get(*ai, "eu_art6_3_derogation"))) {
		rc = aims_error_set(AIMS_ECONFLICT, "eu_ai_act_category",
		    "%s is not classified as a high-risk AI system under the EU AI Act (its "
		    "category is %s): this document is asked of high-risk systems", ref,
		    cat ? cat : "not set");
		json_decref(*ai);
		*ai = NULL;
		return rc;
	}
	if ((rc = doc_linked(linked, db, org_id, ref)) != 0) {
		json_decref(*ai);
		*ai = NULL;
	}
	return rc;
}

int
euact_annex_iv(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	json_t *ai = NULL, *linked = NULL, *org = NULL, *sections = json_array(), *gaps, *s, *g;
	struct doc_section sec;
	char now[CLOCK_RFC3339_LEN];
	bool operation;
	size_t i, j;
	int rc;

	*out = NULL;
	if ((rc = doc_load(&ai, &linked, db, org_id, ref, true)) != 0 ||
	    (rc = org_get(&org, db, org_id)) != 0)
		goto done;
	if (strcmp(record__str(ai, "eu_ai_act_category") ? record__str(ai, "eu_ai_act_category") :
	    "", "high_risk") != 0) {
		rc = aims_error_set(AIMS_ECONFLICT, "eu_ai_act_category",
		    "%s is not a high-risk AI system (it is under the Art. 6(3) derogation): "
		    "Annex IV documentation is asked of high-risk systems", ref);
		goto done;
	}
	doc_section_init(&sec);
	doc_text(&sec, ai, "name", NULL);
	doc_text(&sec, ai, "purpose", NULL);
	doc_text(&sec, ai, "intended_use", "1(a): the intended purpose is not recorded "
	    "(intended_use)");
	doc_text(&sec, ai, "components", "1(b), 1(d): the software, models and other components "
	    "are not recorded (components)");
	doc_text(&sec, ai, "computing_resources", "1(f): the hardware the system runs on is not "
	    "recorded (computing_resources)");
	doc_text(&sec, ai, "user_instructions", "1(h): no instructions for use for the deployer "
	    "(user_instructions)");
	json_array_append_new(sections, doc_section_json(1, "General description of the AI "
	    "system", &sec));

	doc_section_init(&sec);
	doc_records(&sec, doc_pick(linked, "lifecycle-records", "stage", "requirements"),
	    "2(b): no requirements and specification record (A.6.2.2)");
	doc_records(&sec, doc_pick(linked, "lifecycle-records", "stage", "design"),
	    "2(b): no design record: general logic, algorithms, key choices (A.6.2.3)");
	doc_records(&sec, doc_pick(linked, "datasets", NULL, NULL),
	    "2(d): no data set is recorded for the system: data requirements and datasheets");
	doc_text(&sec, ai, "human_oversight", "2(e): the human oversight measures (Art. 14) are "
	    "not recorded (human_oversight)");
	doc_records(&sec, doc_pick(linked, "lifecycle-records", "stage", "verification_validation"),
	    "2(g): no verification and validation record: test procedures, metrics, results "
	    "(A.6.2.4)");
	json_array_append_new(sections, doc_section_json(2, "Detailed description of the "
	    "elements of the AI system and of the process for its development", &sec));

	doc_section_init(&sec);
	doc_text(&sec, ai, "foreseeable_misuse", "3: the foreseeable unintended outcomes and "
	    "misuse are not recorded (foreseeable_misuse)");
	doc_text(&sec, ai, "affected_people", "3: the persons and groups affected are not "
	    "recorded (affected_people)");
	doc_records(&sec, doc_pick(linked, "impact-assessments", NULL, NULL),
	    "3: no impact assessment of the system (risks to health, safety and fundamental "
	    "rights)");
	json_array_append_new(sections, doc_section_json(3, "Monitoring, functioning and "
	    "control of the AI system", &sec));

	doc_section_init(&sec);
	doc_records(&sec, doc_pick(linked, "metrics", NULL, NULL),
	    "4: no performance metric is defined for the system");
	json_array_append_new(sections, doc_section_json(4, "Appropriateness of the "
	    "performance metrics", &sec));

	doc_section_init(&sec);
	doc_records(&sec, doc_pick(linked, "risks", NULL, NULL),
	    "5: no risk of the system is in the risk register (Art. 9)");
	json_array_append_new(sections, doc_section_json(5, "Risk management system (Art. 9)",
	    &sec));

	doc_section_init(&sec);
	doc_records(&sec, doc_pick(linked, "changes", NULL, NULL), NULL);
	json_array_append_new(sections, doc_section_json(6, "Relevant changes through the "
	    "life cycle", &sec));

	doc_section_init(&sec);
	doc_records(&sec, doc_pick(linked, "measures", NULL, NULL),
	    "7: no measure is linked to the system: list the standards and specifications "
	    "applied");
	json_array_append_new(sections, doc_section_json(7, "Harmonised standards and other "
	    "specifications applied", &sec));

	doc_section_init(&sec);
	doc_records(&sec, doc_pick(linked, EUACT_OBLIGATION_KIND, "article", "47"), NULL);
	if (!doc_obligation_met(linked, "47"))
		json_array_append_new(sec.gaps, json_string("8: the EU declaration of conformity "
		    "(Art. 47 obligation) is not met"));
	json_array_append_new(sections, doc_section_json(8, "EU declaration of conformity",
	    &sec));

	doc_section_init(&sec);
	doc_records(&sec, doc_pick(linked, "lifecycle-records", "stage", "operation"), NULL);
	operation = json_array_size(sec.records) > 0;
	doc_records(&sec, doc_pick(linked, EUACT_OBLIGATION_KIND, "article", "72"), NULL);
	if (!doc_obligation_met(linked, "72") && !operation)
		json_array_append_new(sec.gaps, json_string("9: no post-market monitoring plan: "
		    "no operation record and the Art. 72 obligation is not met"));
	json_array_append_new(sections, doc_section_json(9, "Post-market monitoring plan "
	    "(Art. 72)", &sec));

	gaps = json_array();
	json_array_foreach(sections, i, s)
		json_array_foreach(json_object_get(s, "gaps"), j, g)
			json_array_append(gaps, g);
	clock_format(now, clock_now());
	*out = json_pack("{s:s, s:{s:s, s:O}, s:O, s:s, s:b, s:o, s:O}", "document",
	    "EU AI Act Annex IV technical documentation",
	    "ai_system", "ref", ref, "name", json_object_get(ai, "name"),
	    "provider", json_object_get(org, "name"), "generated_at", now,
	    "complete", json_array_size(gaps) == 0, "gaps", gaps, "sections", sections);
done:
	json_decref(sections);
	json_decref(ai);
	json_decref(linked);
	json_decref(org);
	return rc;
}

static void
doc_item(json_t *items, json_t *missing, const char *point, const char *label, json_t *value)
{
	if (value == NULL || record__is_empty(value)) {
		json_array_append_new(missing, json_pack("{s:s, s:s}", "point", point, "label",
		    label));
		json_decref(value);
		return;
	}
	json_array_append_new(items, json_pack("{s:s, s:s, s:o}", "point", point, "label", label,
	    "value", value));
}

static json_t *
doc_ref_titles(const json_t *refs)
{
	json_t *out = json_array();
	const json_t *r;
	size_t i;

	json_array_foreach(refs, i, r)
		json_array_append_new(out, json_sprintf("%s %s",
		    json_string_value(json_object_get(r, "ref")),
		    json_string_value(json_object_get(r, "title"))));
	return out;
}

static json_t *
doc_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return v ? json_incref((json_t *)v) : NULL;
}

/* The FRIA findings of the system's approved impact assessment, or NULL. */
static json_t *
doc_fria_summary(const json_t *linked)
{
	const json_t *r, *d;
	size_t i;

	json_array_foreach(linked, i, r) {
		d = json_object_get(r, "data");
		if (strcmp(json_string_value(json_object_get(r, "kind")), "impact-assessments") != 0 ||
		    record__str(d, "status") == NULL || strcmp(record__str(d, "status"), "approved") ||
		    record__is_empty(json_object_get(d, "fria_specific_risks")))
			continue;
		return json_sprintf("%s: risks: %s Measures: %s",
		    json_string_value(json_object_get(r, "ref")), record__str(d, "fria_specific_risks"),
		    record__str(d, "fria_risk_measures") ? record__str(d, "fria_risk_measures") : "-");
	}
	return NULL;
}

/*
 * Section C (Art. 49(3)): a deployer that is a public authority registers
 * its use of a high-risk Annex III system. The profile's public_body stands
 * for it (a body governed by public law; Union institutions included).
 */
static int
doc_section_c(json_t **out, struct db *db, int64_t org_id, const char *ref, const json_t *ai,
    const json_t *linked, const json_t *org)
{
	json_t *profile = NULL, *items, *missing;
	char now[CLOCK_RFC3339_LEN];
	int rc;

	*out = NULL;
	if ((rc = euact_profile_load(&profile, db, org_id)) != 0)
		return rc;
	if (!euact_is_deployer(ai) || !json_is_true(json_object_get(profile, "public_body")) ||
	    json_array_size(json_object_get(ai, "eu_annex_iii")) == 0 ||
	    record__str(ai, "eu_ai_act_category") == NULL ||
	    strcmp(record__str(ai, "eu_ai_act_category"), "high_risk") != 0) {
		json_decref(profile);
		return aims_error_set(AIMS_ECONFLICT, "eu_ai_act_roles",
		    "%s has no Annex VIII registration by this organisation: Section A and B are "
		    "for the provider of a high-risk or derogated Annex III system, Section C for a "
		    "deployer that is a public body (its EU AI Act profile)", ref);
	}
	json_decref(profile);
	items = json_array();
	missing = json_array();
	doc_item(items, missing, "1", "Name of the deployer", doc_str(org, "name"));
	doc_item(items, missing, "1", "Address and contact details of the deployer", NULL);
	doc_item(items, missing, "2", "Name, address and contact details of the person "
	    "submitting the information on behalf of the deployer", NULL);
	doc_item(items, missing, "3", "URL of the provider's entry of the AI system in the EU "
	    "database", NULL);
	doc_item(items, missing, "4", "Summary of the findings of the fundamental rights impact "
	    "assessment (Art. 27)", doc_fria_summary(linked));
	doc_item(items, missing, "5", "Summary of the data protection impact assessment, where "
	    "applicable", NULL);
	clock_format(now, clock_now());
	*out = json_pack("{s:s, s:s, s:s, s:{s:s, s:O}, s:s, s:o, s:o}",
	    "document", "EU AI Act Annex VIII registration data", "section", "C",
	    "legal_basis", "Art. 49(3): a deployer that is a public authority using a high-risk "
	    "AI system listed in Annex III", "ai_system", "ref", ref, "name",
	    json_object_get(ai, "name"), "generated_at", now, "items", items, "missing", missing);
	return 0;
}

int
euact_annex_viii(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	json_t *ai = NULL, *linked = NULL, *org = NULL, *items = json_array();
	json_t *missing = json_array(), *refs;
	char now[CLOCK_RFC3339_LEN];
	const char *stage;
	bool section_b;
	int rc;

	*out = NULL;
	if ((rc = doc_load(&ai, &linked, db, org_id, ref, false)) != 0 ||
	    (rc = org_get(&org, db, org_id)) != 0)
		goto done;
	if (!euact_registrable(ai)) {
		rc = aims_error_set(AIMS_ECONFLICT, "eu_annex_iii",
		    "%s is not registered in the EU database: Art. 49 registration is for systems "
		    "listed in Annex III outside point 2 (critical infrastructure is registered "
		    "nationally, Art. 49(5))", ref);
		goto done;
	}
	/* Not the provider's registration to make: the deployer's, when it is one. */
	if (!euact_is_provider(ai) || (!json_is_true(json_object_get(ai,
	    "eu_art6_3_derogation")) && (record__str(ai, "eu_ai_act_category") == NULL ||
	    strcmp(record__str(ai, "eu_ai_act_category"), "high_risk") != 0))) {
		rc = doc_section_c(out, db, org_id, ref, ai, linked, org);
		goto done;
	}
	section_b = json_is_true(json_object_get(ai, "eu_art6_3_derogation")) &&
	    (record__str(ai, "eu_ai_act_category") == NULL ||
	    strcmp(record__str(ai, "eu_ai_act_category"), "high_risk") != 0);
	doc_item(items, missing, "1", "Name of the provider", doc_str(org, "name"));
	doc_item(items, missing, "1", "Address and contact details of the provider", NULL);
	doc_item(items, missing, "4", "Trade name and unambiguous reference of the AI system",
	    json_sprintf("%s (%s)", record__str(ai, "name"), ref));
	doc_item(items, missing, "5", "Intended purpose", doc_str(ai, "intended_use"));
	if (section_b) {
		doc_item(items, missing, "6", "Conditions of Art. 6(3) under which the system is "
		    "not high-risk", doc_str(ai, "eu_art6_3_conditions"));
		doc_item(items, missing, "7", "Summary of the grounds", doc_str(ai,
		    "eu_art6_3_reasons"));
	} else {
		doc_item(items, missing, "5", "Components and functions supported",
		    doc_str(ai, "components"));
		refs = doc_pick(linked, "datasets", NULL, NULL);
		doc_item(items, missing, "6", "Data used and operating logic: data sets",
		    doc_ref_titles(refs));
		json_decref(refs);
		refs = doc_pick(linked, EUACT_OBLIGATION_KIND, "article", "47");
		doc_item(items, missing, "11", "EU declaration of conformity (Art. 47 obligation)",
		    doc_obligation_met(linked, "47") ? doc_ref_titles(refs) : NULL);
		json_decref(refs);
		doc_item(items, missing, "12", "Instructions for use", doc_str(ai,
		    "user_instructions"));
	}
	stage = record__str(ai, "lifecycle_stage");
	doc_item(items, missing, section_b ? "8" : "7", "Status of the AI system", stage ?
	    json_string(strcmp(stage, "retirement") == 0 ? "no longer on the market or in "
	    "service" : strcmp(stage, "deployment") == 0 || strcmp(stage,
	    "operation_monitoring") == 0 || strcmp(stage, "re_evaluation") == 0 ?
	    "on the market or in service" : "not yet on the market or in service") : NULL);
	/* What the records do not hold: asked of whoever registers. */
	doc_item(items, missing, "2", "Name, address and contact details of the person "
	    "submitting the information, when not the provider", NULL);
	if (!section_b) {
		doc_item(items, missing, "8", "Type, number and expiry date of the notified "
		    "body's certificate, and its name", NULL);
		doc_item(items, missing, "10", "Member States where the system is placed on the "
		    "market, put into service or made available", NULL);
		doc_item(items, missing, "13", "URL for additional information (optional)", NULL);
	} else
		doc_item(items, missing, "9", "Member States where the system is placed on the "
		    "market, put into service or made available", NULL);
	clock_format(now, clock_now());
	*out = json_pack("{s:s, s:s, s:s, s:{s:s, s:O}, s:s, s:o, s:o}",
	    "document", "EU AI Act Annex VIII registration data",
	    "section", section_b ? "B" : "A",
	    "legal_basis", section_b ? "Art. 49(2): a provider that concluded under Art. 6(3) "
	    "that its Annex III system is not high-risk" : "Art. 49(1): a provider of a "
	    "high-risk AI system listed in Annex III",
	    "ai_system", "ref", ref, "name", json_object_get(ai, "name"),
	    "generated_at", now, "items", items, "missing", missing);
	items = missing = NULL;
done:
	json_decref(items);
	json_decref(missing);
	json_decref(ai);
	json_decref(linked);
	json_decref(org);
	return rc;
}
