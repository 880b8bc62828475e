/*
 * euact.c - EU AI Act classification, Art. 27 applicability and the
 * obligations of each AI system (see euact.h).
 *
 * The classification follows the Act's order: a prohibited practice (Art.
 * 5) decides alone; then high risk through Annex I (Art. 6(1)) or Annex III
 * (Art. 6(2)) unless the Art. 6(3) derogation applies, which it never does
 * for a system that profiles natural persons; then a general-purpose AI
 * model; then the Art. 50 transparency duties (limited); else minimal.
 */
#include <stdio.h>
#include <string.h>

#include "core/crosswalk.h"
#include "core/euact.h"
#include "core/record.h"
#include "core/record_private.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"


const char *const euact_prohibited_values[] = {
	"a_manipulation", "b_exploiting_vulnerabilities", "c_social_scoring",
	"d_crime_risk_profiling", "e_untargeted_facial_scraping",
	"f_emotion_recognition_work_education", "g_biometric_categorisation_sensitive",
	"h_realtime_remote_biometric_identification", NULL,
};

/* Annex III points: area number, point letter, then a few words. */
const char *const euact_annex_iii_points[] = {
	"1a_remote_biometric_identification", "1b_biometric_categorisation",
	"1c_emotion_recognition", "2_critical_infrastructure", "3a_education_access",
	"3b_learning_outcomes", "3c_education_level", "3d_test_behaviour_monitoring",
	"4a_recruitment_selection", "4b_work_relationship_decisions", "5a_public_benefits",
	"5b_creditworthiness_credit_scoring", "5c_life_health_insurance_pricing",
	"5d_emergency_calls_triage", "6a_victim_risk", "6b_polygraph", "6c_evidence_reliability",
	"6d_offending_risk", "6e_criminal_profiling", "7a_migration_polygraph",
	"7b_migration_risk", "7c_asylum_visa_applications", "7d_migration_identification",
	"8a_judicial_authority", "8b_elections_voting", NULL,
};

const char *const euact_derogation_conditions[] = {
	"a_narrow_procedural_task", "b_improves_completed_human_activity",
	"c_detects_decision_patterns", "d_preparatory_task", NULL,
};

const char *const euact_transparency_values[] = {
	"50_1_interacts_with_people", "50_2_generates_synthetic_content",
	"50_3_emotion_recognition_biometric_categorisation", "50_4_deep_fake",
	"50_4_public_interest_text", NULL,
};

const char *const euact_gpai_values[] = { "none", "model", "model_systemic_risk", NULL };

/* What an Art. 5(1) point prohibits, in words, by the value's letter. */
static const char *const euact_prohibited_words[] = {
	"subliminal, manipulative or deceptive techniques distorting behaviour",
	"exploiting vulnerabilities of age, disability or social or economic situation",
	"social scoring leading to detrimental or unfavourable treatment",
	"predicting criminal offences from profiling or personality traits alone",
	"untargeted scraping of facial images to build recognition databases",
	"emotion recognition in the workplace or in education",
	"biometric categorisation inferring sensitive characteristics",
	"real-time remote biometric identification in public spaces for law enforcement",
};

static const char *const euact_area_words[] = {
	"", "biometrics", "critical infrastructure", "education and vocational training",
	"employment, workers management and access to self-employment",
	"access to essential private and public services and benefits", "law enforcement",
	"migration, asylum and border control", "administration of justice and democratic processes",
};

static bool
euact_list_has(const json_t *list, const char *value)
{
	const json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), value) == 0)
			return true;
	return false;
}

/* Does the list hold a value starting with prefix ("50_4")? */
static bool
euact_list_has_prefix(const json_t *list, const char *prefix)
{
	const json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (json_is_string(v) && strncmp(json_string_value(v), prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

static bool
euact_true(const json_t *ai, const char *field)
{
	return json_is_true(json_object_get(ai, field));
}

/* The Annex III point of a value as the Act writes it: "5(b)", "2". */
static void
euact_point_label(char out[8], const char *v)
{
	if (v[1] >= 'a' && v[1] <= 'z')
		snprintf(out, 8, "%c(%c)", v[0], v[1]);
	else
		snprintf(out, 8, "%c", v[0]);
}

static int
euact_check_answers(const json_t *ai)
{
	const json_t *annex_iii = json_object_get(ai, "eu_annex_iii");
	const char *reasons = record__str(ai, "eu_art6_3_reasons");

	if (euact_true(ai, "eu_annex_i") &&
	    record__is_empty(json_object_get(ai, "eu_annex_i_legislation")))
		return aims_error_set(AIMS_EINVALID, "eu_annex_i_legislation",
		    "field 'eu_annex_i_legislation': name the Union harmonisation legislation of "
		    "Annex I the system (or the product it is a safety component of) falls under");
	if (!euact_true(ai, "eu_art6_3_derogation"))
		return 0;
	if (json_array_size(annex_iii) == 0)
		return aims_error_set(AIMS_EINVALID, "eu_art6_3_derogation",
		    "field 'eu_art6_3_derogation': the Art. 6(3) derogation is only for systems "
		    "listed in Annex III; give the Annex III point first");
	if (euact_true(ai, "eu_profiling"))
		return aims_error_set(AIMS_EINVALID, "eu_art6_3_derogation",
		    "field 'eu_art6_3_derogation': an Annex III system that profiles natural "
		    "persons is always high-risk (Art. 6(3), last subparagraph)");
	if (json_array_size(json_object_get(ai, "eu_art6_3_conditions")) == 0)
		return aims_error_set(AIMS_EINVALID, "eu_art6_3_conditions",
		    "field 'eu_art6_3_conditions': the derogation needs at least one of the Art. "
		    "6(3) conditions (a) to (d)");
	if (reasons == NULL || strlen(reasons) < EUACT_REASONS_MIN)
		return aims_error_set(AIMS_EINVALID, "eu_art6_3_reasons",
		    "field 'eu_art6_3_reasons': give the reasons the system poses no significant "
		    "risk of harm (at least %d characters): Art. 6(4) asks for this assessment "
		    "to be documented before the system is placed on the market",
		    EUACT_REASONS_MIN);
	return 0;
}

static void
euact_reason_prohibited(struct buf *b, const json_t *practices)
{
	const json_t *v;
	size_t i;

	json_array_foreach(practices, i, v) {
		const char *p = json_string_value(v);
		int idx;

		if (p == NULL || *p == '\0')
			continue;	/* the record engine admits only the enum's values */
		idx = p[0] - 'a';

		buf_printf(b, "Art. 5(1)(%c) %s: prohibited.\n", p[0],
		    idx >= 0 && idx < 8 ? euact_prohibited_words[idx] : p);
	}
}

static void
euact_reason_annex_iii(struct buf *b, const json_t *points)
{
	const json_t *v;
	char label[8];
	size_t i;

	json_array_foreach(points, i, v) {
		const char *p = json_string_value(v);
		int area;

		if (p == NULL || p[0] == '\0')
			continue;
		area = p[0] - '0';
		euact_point_label(label, p);
		buf_printf(b, "Annex III point %s (%s)", label,
		    area >= 1 && area <= 8 ? euact_area_words[area] : "");
		buf_puts(b, i + 1 < json_array_size(points) ? "; " : "");
	}
}

int
euact_classify(json_t *ai)
{
	const json_t *practices = json_object_get(ai, "eu_prohibited_practices");
	const json_t *annex_iii = json_object_get(ai, "eu_annex_iii");
	const json_t *transparency = json_object_get(ai, "eu_transparency");
	const json_t *roles = json_object_get(ai, "eu_ai_act_roles"), *v;
	const char *gpai = record__str(ai, "eu_gpai"), *category;
	bool high = false, derogation = euact_true(ai, "eu_art6_3_derogation");
	struct buf b = BUF_INIT;
	size_t i;
	int rc;

	if ((rc = euact_check_answers(ai)) != 0)
		return rc;
	if (!euact_true(ai, "eu_prohibited_checked")) {
		json_object_set_new(ai, "eu_ai_act_reasoning", json_string("Not classified yet: "
		    "the Art. 5 prohibited practices have not been checked."));
		return 0;
	}
	buf_puts(&b, "Roles: ");
	json_array_foreach(roles, i, v)
		if (json_is_string(v))
			buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(v));
	buf_puts(&b, json_array_size(roles) ? ".\n" : "none given.\n");
	if (json_array_size(practices) > 0) {
		euact_reason_prohibited(&b, practices);
		category = "prohibited";
		goto done;
	}
	buf_puts(&b, "Art. 5: checked, no prohibited practice.\n");
	if (euact_true(ai, "eu_annex_i")) {
		buf_printf(&b, "Art. 6(1): a product, or the safety component of one, under Annex I "
		    "(%s) needing third-party conformity assessment: high-risk.\n",
		    record__str(ai, "eu_annex_i_legislation") ?
		    record__str(ai, "eu_annex_i_legislation") : "");
		high = true;
	}
	if (json_array_size(annex_iii) > 0) {
		buf_puts(&b, "Art. 6(2): ");
		euact_reason_annex_iii(&b, annex_iii);
		if (derogation) {
			buf_puts(&b, ", but the Art. 6(3) derogation applies under");
			json_array_foreach(json_object_get(ai, "eu_art6_3_conditions"), i, v)
				if (json_string_length(v) > 0)
					buf_printf(&b, "%s (%c)", i ? "," : "",
					    json_string_value(v)[0]);
			buf_printf(&b, ": %s Not high-risk on that ground; registration under "
			    "Art. 49(2) still applies.\n", record__str(ai, "eu_art6_3_reasons") ?
			    record__str(ai, "eu_art6_3_reasons") : "");
		} else
			buf_puts(&b, euact_true(ai, "eu_profiling") ? ": high-risk (it profiles "
			    "natural persons, so no derogation).\n" : ": high-risk.\n");
		high = high || !derogation;
	}
	if (!euact_true(ai, "eu_annex_i") && json_array_size(annex_iii) == 0)
		buf_puts(&b, "Art. 6: neither under Annex I nor listed in Annex III.\n");
	if (gpai && strcmp(gpai, "none") != 0)
		buf_printf(&b, "A general-purpose AI model%s: Art. 53%s apply.\n",
		    strcmp(gpai, "model_systemic_risk") == 0 ? " with systemic risk" : "",
		    strcmp(gpai, "model_systemic_risk") == 0 ? " and 55" : "");
	if (json_array_size(transparency) > 0) {
		buf_puts(&b, "Art. 50 transparency duties:");
		json_array_foreach(transparency, i, v)
			if (json_is_string(v))
				buf_printf(&b, "%s %s", i ? "," : "", json_string_value(v));
		buf_puts(&b, ".\n");
	}
	if (high)
		category = "high_risk";
	else if (gpai && strcmp(gpai, "none") != 0)
		category = "gpai";
	else if (json_array_size(transparency) > 0)
		category = "limited";
	else
		category = "minimal";
done:
	buf_printf(&b, "Category: %s.", category);
	json_object_set_new(ai, "eu_ai_act_category", json_string(category));
	json_object_set_new(ai, "eu_ai_act_reasoning", json_string(buf_str(&b)));
	buf_free(&b);
	return 0;
}

bool
euact_registrable(const json_t *ai)
{
	const json_t *v;
	size_t i;

	json_array_foreach(json_object_get(ai, "eu_annex_iii"), i, v)
		if (json_is_string(v) && strncmp(json_string_value(v), "2_", 2) != 0)
			return true;
	return false;
}

bool
euact_is_deployer(const json_t *ai)
{
	const json_t *roles = json_object_get(ai, "eu_ai_act_roles");
	const char *org_role = record__str(ai, "org_role");

	if (json_array_size(roles) > 0)
		return euact_list_has(roles, "deployer");
	return org_role && strcmp(org_role, "customer") == 0;
}

bool
euact_is_provider(const json_t *ai)
{
	const json_t *roles = json_object_get(ai, "eu_ai_act_roles");
	const char *org_role = record__str(ai, "org_role");

	if (json_array_size(roles) > 0)
		return euact_list_has(roles, "provider");
	return org_role && strcmp(org_role, "provider") == 0;
}

bool
euact_art27_applies(const json_t *ai, const json_t *profile, char why[EUACT_WHY_MAX])
{
	const json_t *points = json_object_get(ai, "eu_annex_iii"), *v;
	const char *category = record__str(ai, "eu_ai_act_category");
	bool outside_area_2 = false;
	size_t i;

	why[0] = '\0';
	/* Art. 27(1) is about high-risk systems of Art. 6(2), that is Annex III ones. */
	if (category == NULL || strcmp(category, "high_risk") != 0 || !euact_is_deployer(ai) ||
	    json_array_size(points) == 0)
		return false;
	if (euact_list_has(points, "5b_creditworthiness_credit_scoring") ||
	    euact_list_has(points, "5c_life_health_insurance_pricing")) {
		snprintf(why, EUACT_WHY_MAX, "the organisation deploys a high-risk system of Annex "
		    "III point %s (EU AI Act Art. 27(1))",
		    euact_list_has(points, "5b_creditworthiness_credit_scoring") ? "5(b)" : "5(c)");
		return true;
	}
	json_array_foreach(points, i, v)
		if (json_is_string(v) && strncmp(json_string_value(v), "2_", 2) != 0)
			outside_area_2 = true;
	if (!outside_area_2)
		return false;	/* critical infrastructure (point 2) is excepted */
	if (euact_true(profile, "public_body") || euact_true(profile, "public_service")) {
		snprintf(why, EUACT_WHY_MAX, "the organisation is %s and deploys a high-risk "
		    "system listed in Annex III (EU AI Act Art. 27(1))",
		    euact_true(profile, "public_body") ? "a body governed by public law" :
		    "a private entity providing public services");
		return true;
	}
	return false;
}

int
euact_profile_load(json_t **out, struct db *db, int64_t org_id)
{
	int rc;

	*out = NULL;
	rc = record__load_data(out, db, org_id, EUACT_PROFILE_KIND, EUACT_PROFILE_REF);
	if (rc == AIMS_ENOTFOUND) {
		*out = NULL;
		return 0;
	}
	return rc;
}

/* ---- obligations ---- */

static const char *const euact_whens[] = {
	"any", "prohibited", "high_risk", "registration", "art27",
	"transparency_provider", "transparency_deployer", "gpai", "gpai_systemic", NULL,
};
static const char *const euact_roles[] = {
	"provider", "deployer", "importer", "distributor", NULL,
};

static bool
euact_in(const char *const *list, const char *v)
{
	for (; v && *list; list++)
		if (strcmp(*list, v) == 0)
			return true;
	return false;
}

static bool
euact_date_ok(const json_t *v)
{
	time_t t;
	char s[32];

	if (v == NULL)
		return true;
	if (!json_is_string(v) || json_string_length(v) != 10)
		return false;
	snprintf(s, sizeof(s), "%sT00:00:00Z", json_string_value(v));
	return clock_parse(&t, s) == 0;
}

int
euact_catalog_check(const json_t *catalog)
{
	const json_t *o, *r, *e;
	size_t i, j, k;
	bool found;

	json_array_foreach(json_object_get(catalog, "obligations"), i, o) {
		const char *art = json_string_value(json_object_get(o, "article"));

		found = false;
		json_array_foreach(json_object_get(catalog, "requirements"), k, e)
			if (art && strcmp(json_string_value(json_object_get(e, "id")), art) == 0 &&
			    strcmp(json_string_value(json_object_get(e, "kind")), "article") == 0)
				found = true;
		if (!found)
			return aims_error_set(AIMS_EINVALID, "obligations", "eu-ai-act.json: "
			    "obligation #%zu names no article of the catalog", i + 1);
		if (!euact_in(euact_whens, json_string_value(json_object_get(o, "when"))))
			return aims_error_set(AIMS_EINVALID, "obligations", "eu-ai-act.json: "
			    "obligation of Art. %s: unknown when", art);
		if (json_array_size(json_object_get(o, "roles")) == 0)
			return aims_error_set(AIMS_EINVALID, "obligations", "eu-ai-act.json: "
			    "obligation of Art. %s: no roles", art);
		json_array_foreach(json_object_get(o, "roles"), j, r)
			if (!euact_in(euact_roles, json_string_value(r)))
				return aims_error_set(AIMS_EINVALID, "obligations", "eu-ai-act.json: "
				    "obligation of Art. %s: unknown role", art);
		if (!json_is_string(json_object_get(o, "duty")) ||
		    json_object_get(o, "applies_from") == NULL ||
		    !euact_date_ok(json_object_get(o, "applies_from")) ||
		    !euact_date_ok(json_object_get(o, "applies_from_annex_i")))
			return aims_error_set(AIMS_EINVALID, "obligations", "eu-ai-act.json: "
			    "obligation of Art. %s: duty and applies_from (YYYY-MM-DD) are required",
			    art);
	}
	return 0;
}

static int
euact_catalog(const json_t **catalog)
{
	const json_t *mapping;

	return crosswalk_get(catalog, &mapping, "eu-ai-act");
}

/* Does the obligation's "when" hold for the classified system ai? */
static bool
euact_when(const char *when, const json_t *ai, const json_t *profile)
{
	const char *cat = record__str(ai, "eu_ai_act_category");
	const char *gpai = record__str(ai, "eu_gpai");
	const json_t *tr = json_object_get(ai, "eu_transparency");
	char why[EUACT_WHY_MAX];

	if (when == NULL)
		return false;
	if (strcmp(when, "any") == 0)
		return true;
	if (strcmp(when, "prohibited") == 0 || strcmp(when, "high_risk") == 0)
		return cat && strcmp(cat, when) == 0;
	if (strcmp(when, "registration") == 0)
		return euact_registrable(ai) && ((cat && strcmp(cat, "high_risk") == 0) ||
		    euact_true(ai, "eu_art6_3_derogation"));
	if (strcmp(when, "art27") == 0)
		return euact_art27_applies(ai, profile, why);
	if (strcmp(when, "transparency_provider") == 0)
		return euact_list_has_prefix(tr, "50_1") || euact_list_has_prefix(tr, "50_2");
	if (strcmp(when, "transparency_deployer") == 0)
		return euact_list_has_prefix(tr, "50_3") || euact_list_has_prefix(tr, "50_4");
	if (strcmp(when, "gpai") == 0)
		return gpai && strcmp(gpai, "none") != 0;
	if (strcmp(when, "gpai_systemic") == 0)
		return gpai && strcmp(gpai, "model_systemic_risk") == 0;
	return false;
}

static bool
euact_has_role(const json_t *ai, const char *role)
{
	if (strcmp(role, "deployer") == 0)
		return euact_is_deployer(ai);
	if (strcmp(role, "provider") == 0)
		return euact_is_provider(ai);
	return euact_list_has(json_object_get(ai, "eu_ai_act_roles"), role);
}

static const json_t *
euact_article(const json_t *catalog, const char *id)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(catalog, "requirements"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "id")), id) == 0)
			return e;
	return NULL;
}

static int
euact_due_list(json_t **out, const json_t *ai, const json_t *profile, const char *ref)
{
	const json_t *catalog, *o, *role;
	json_t *list;
	size_t i, j;
	int rc;

	*out = NULL;
	if (!euact_true(ai, "eu_prohibited_checked"))
		return aims_error_set(AIMS_ECONFLICT, "eu_prohibited_checked",
		    "%s is not classified under the EU AI Act yet: check its Art. 5 practices "
		    "and answer the classification questions first", ref);
	if ((rc = euact_catalog(&catalog)) != 0 || (rc = euact_catalog_check(catalog)) != 0)
		return rc;
	list = json_array();
	json_array_foreach(json_object_get(catalog, "obligations"), i, o) {
		const char *art = json_string_value(json_object_get(o, "article"));
		const json_t *entry = euact_article(catalog, art);
		const char *from = json_string_value(json_object_get(o, "applies_from"));

		if (!euact_when(json_string_value(json_object_get(o, "when")), ai, profile))
			continue;
		/* Annex I systems have a year more (Art. 113(c)). */
		if (json_object_get(o, "applies_from_annex_i") && euact_true(ai, "eu_annex_i") &&
		    json_array_size(json_object_get(ai, "eu_annex_iii")) == 0)
			from = json_string_value(json_object_get(o, "applies_from_annex_i"));
		json_array_foreach(json_object_get(o, "roles"), j, role) {
			if (!euact_has_role(ai, json_string_value(role)))
				continue;
			json_array_append_new(list, json_pack("{s:s, s:O, s:s+++, s:O, s:s}",
			    "article", art, "role", role,
			    "title", "Art. ", art, " ", entry ? json_string_value(
				json_object_get(entry, "title")) : "",
			    "duty", json_object_get(o, "duty"), "applies_from", from));
		}
	}
	*out = list;
	return 0;
}

int
euact_obligations_due(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	json_t *ai = NULL, *profile = NULL;
	int rc;

	*out = NULL;
	if ((rc = record__load_data(&ai, db, org_id, "ai-systems", ref)) != 0)
		return rc == AIMS_ENOTFOUND ? aims_error_set(AIMS_ENOTFOUND, NULL,
		    "no AI system %s", ref) : rc;
	if ((rc = euact_profile_load(&profile, db, org_id)) == 0)
		rc = euact_due_list(out, ai, profile, ref);
	json_decref(ai);
	json_decref(profile);
	return rc;
}

int
euact_obligations_recorded(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	struct db_stmt *st = NULL;
	char key[64];
	json_t *d;
	int rc;

	*out = json_object();
	if ((rc = db_prepare(&st, db, "SELECT r.ref, r.data FROM records r JOIN record_links l"
	    " ON l.org_id = r.org_id AND l.from_kind = r.kind AND l.from_ref = r.ref"
	    " WHERE r.org_id = ? AND r.kind = '" EUACT_OBLIGATION_KIND "' AND r.retired = 0"
	    " AND l.field = 'ai_system' AND l.to_kind = 'ai-systems' AND l.to_ref = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	while ((rc = db_step(st)) == DB_ROW) {
		if ((d = json_loads(db_column_text(st, 1), 0, NULL)) == NULL)
			continue;
		snprintf(key, sizeof(key), "%s %s", record__str(d, "article") ?
		    record__str(d, "article") : "", record__str(d, "role") ?
		    record__str(d, "role") : "");
		json_object_set_new(*out, key, json_pack("{s:s, s:s?}", "ref",
		    db_column_text(st, 0), "status", record__str(d, "status")));
		json_decref(d);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int
euact_obligations_derive_now(json_t **out, struct db *db, int64_t org_id,
    const struct actor *actor, const char *ref)
{
	const struct record_kind *k = record_kind_find(EUACT_OBLIGATION_KIND);
	json_t *due = NULL, *existing = NULL, *o, *rec = NULL, *input;
	json_t *created = json_array(), *kept = json_array(), *stale = json_array(), *ai = NULL;
	const char *key;
	char k2[64];
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = db_begin(db)) != 0)
		goto done;
	if ((rc = euact_obligations_due(&due, db, org_id, ref)) != 0 ||
	    (rc = euact_obligations_recorded(&existing, db, org_id, ref)) != 0 ||
	    (rc = record__load_data(&ai, db, org_id, "ai-systems", ref)) != 0)
		goto fail;
	json_array_foreach(due, i, o) {
		snprintf(k2, sizeof(k2), "%s %s", json_string_value(json_object_get(o, "article")),
		    json_string_value(json_object_get(o, "role")));
		if ((rec = json_object_get(existing, k2)) != NULL) {
			json_array_append(kept, json_object_get(rec, "ref"));
			json_object_del(existing, k2);
			continue;
		}
		input = json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:s}", "ai_system", ref,
		    "article", json_object_get(o, "article"), "role", json_object_get(o, "role"),
		    "title", json_object_get(o, "title"), "duty", json_object_get(o, "duty"),
		    "due", json_object_get(o, "applies_from"), "status", "open");
		if (record__str(ai, "owner"))
			json_object_set(input, "owner", json_object_get(ai, "owner"));
		rc = record_create(&rec, db, org_id, actor, k, input);
		json_decref(input);
		if (rc != 0)
			goto fail;
		json_array_append(created, json_object_get(rec, "ref"));
		json_decref(rec);
		rec = NULL;
	}
	/* What is left no longer follows; open ones are named, none is removed. */
	json_object_foreach(existing, key, o) {
		const char *st = record__str(o, "status");

		if (st == NULL || strcmp(st, "open") == 0 || strcmp(st, "in_progress") == 0)
			json_array_append(stale, json_object_get(o, "ref"));
	}
	if ((rc = db_commit(db)) != 0)
		goto done;
	*out = json_pack("{s:s, s:O, s:O, s:O}", "ai_system", ref, "created", created,
	    "existing", kept, "no_longer_following", stale);
	goto done;
fail:
	db_rollback(db);
done:
	json_decref(due);
	json_decref(existing);
	json_decref(ai);
	json_decref(created);
	json_decref(kept);
	json_decref(stale);
	return rc;
}

/* Obligations derived from a request go through the server's writer (db_write_via()). */
struct euact_derive_change {
	json_t			**out;
	int64_t			 org_id;
	const struct actor	*actor;
	const char		*ref;
};

static int
euact_derive_apply(struct db *db, void *arg)
{
	const struct euact_derive_change *e = arg;

	return euact_obligations_derive_now(e->out, db, e->org_id, e->actor, e->ref);
}

int
euact_obligations_derive(json_t **out, struct db *db, int64_t org_id,
    const struct actor *actor, const char *ref)
{
	struct euact_derive_change e = { out, org_id, actor, ref };

	return db_write_via(db, org_id, euact_derive_apply, &e);
}
