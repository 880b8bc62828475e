/*
 * kind_ai_system.c - the AI system inventory: every AI system the
 * organisation develops, provides or uses, its life-cycle stage, its role
 * for it (ISO/IEC 22989), its EU AI Act category and roles, and its
 * components (models, datasets, services, tools: an AI bill of materials),
 * its resources (7.1, A.4.2-A.4.6) and its responsible use (A.9). A system
 * left out of the AIMS scope says why, in words that say something
 * (core/justify.h): readiness counts one left out without that, or a
 * high-risk one, as in scope.
 *
 * A system does not move to its deployment stage (or past it) without an
 * approved verification-and-validation record and an approved deployment
 * record (lifecycle-records, A.6.2.4-A.6.2.5), unless a manager relaxed the
 * rule for it with a reason. A system entered into the inventory already
 * deployed is recorded as it is.
 *
 * Its EU AI Act classification is recorded as answers (Art. 5 practices,
 * Annex I, Annex III with the Art. 6(3) derogation, Art. 50, general-
 * purpose AI) on the system itself rather than in a record of its own:
 * the answers describe the system as it is, change when it changes, and
 * the category the rest of the application reads (readiness, the
 * dashboard, Art. 27) is then worked out from them in the same write, with
 * the reasoning kept beside it (core/euact.h), so the two never disagree.
 */
#include <string.h>

#include "core/justify.h"
#include "core/euact.h"
#include "core/lifecycle.h"
#include "core/record_private.h"
#include "util/error.h"

/*
 * The migration the resource, responsible-use and deployment-rule fields
 * came with (record.h, struct field `since`): 052_acknowledgements.sql,
 * added with them.
 */
#define AI_SYSTEM_FIELDS_V2	52
/* The scope justification came with 056_readiness_fields.sql. */
#define AI_SYSTEM_FIELDS_V3	56
/* The red-team fields came with 065_redteam.sql. */
#define AI_SYSTEM_FIELDS_V4	65
/*
 * The migration the EU AI Act classification fields came with:
 * 067_eu_ai_act.sql (the records keep them in their data; the migration
 * marks the version).
 */
#define AI_SYSTEM_FIELDS_EUACT	67

static const char *const lifecycle_values[] = {
	"inception", "design_development", "verification_validation", "deployment",
	"operation_monitoring", "re_evaluation", "retirement", NULL,
};
static const char *const org_role_values[] = {
	"provider", "producer", "customer", "partner", NULL,
};
static const char *const eu_category_values[] = {
	"prohibited", "high_risk", "limited", "minimal", "gpai", "not_assessed", NULL,
};
static const char *const eu_role_values[] = {
	"provider", "deployer", "importer", "distributor", "authorised_representative",
	"product_manufacturer", NULL,
};
/* Levels of automation after ISO/IEC 22989 5.12. */
static const char *const automation_values[] = {
	"no_automation", "assistance", "partial", "conditional", "high", "full", NULL,
};
static const char *const component_kind_values[] = {
	"model", "dataset", "service", "tool", "software", NULL,
};

static const struct field component_fields[] = {
	{ .name = "kind", .label = "Kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED,
	  .values = component_kind_values },
	{ .name = "name", .label = "Name", .type = FIELD_STRING, .flags = FIELD_REQUIRED },
	{ .name = "version", .label = "Version", .type = FIELD_STRING },
	{ .name = "supplier", .label = "Supplier", .type = FIELD_STRING },
	{ .name = "licence", .label = "Licence", .type = FIELD_STRING },
	/* Which component of an ML-BOM it is, so that importing it again updates it. */
	{ .name = "purl", .label = "Package URL", .type = FIELD_STRING },
	{ .name = "bom_ref", .label = "BOM reference", .type = FIELD_STRING },
	{ .name = "supplier_ref", .label = "Supplier record", .type = FIELD_REF,
	  .target = "suppliers" },
	{ .name = "endpoint", .label = "Endpoint", .type = FIELD_STRING },
	{ .name = NULL },
};

static const struct field ai_system_fields[] = {
	{ .name = "name", .section = "The system", .label = "Name", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "purpose", .label = "Purpose", .type = FIELD_TEXT, .flags = FIELD_SEARCH },
	{ .name = "intended_use", .label = "Intended use", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "foreseeable_misuse", .label = "Reasonably foreseeable misuse",
	  .type = FIELD_TEXT },
	{ .name = "owner", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "lifecycle_stage", .section = "Classification",
	  .label = "Life-cycle stage", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = lifecycle_values },
	{ .name = "org_role", .label = "Our role (ISO/IEC 22989)", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_LIST, .values = org_role_values },
	{ .name = "eu_ai_act_category", .label = "EU AI Act category", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = eu_category_values,
	  .help = "set from the classification below once its Art. 5 practices are checked" },
	{ .name = "eu_ai_act_roles", .label = "Our EU AI Act roles", .type = FIELD_ENUM_LIST,
	  .flags = FIELD_FILTER, .values = eu_role_values,
	  .help = "provider, deployer, ...; decides which obligations apply" },
	{ .name = "automation_level", .label = "Level of automation", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER, .values = automation_values },
	{ .name = "eu_prohibited_checked", .section = "EU AI Act classification",
	  .label = "Art. 5 prohibited practices checked", .type = FIELD_BOOL,
	  .flags = FIELD_FILTER, .since = AI_SYSTEM_FIELDS_EUACT,
	  .help = "once checked, the category above is worked out from these answers" },
	{ .name = "eu_prohibited_practices", .label = "Art. 5(1) practices it engages in",
	  .type = FIELD_ENUM_LIST, .values = euact_prohibited_values,
	  .since = AI_SYSTEM_FIELDS_EUACT, .help = "any of them makes the system prohibited" },
	{ .name = "eu_annex_i", .label = "Art. 6(1): product or safety component under Annex I",
	  .type = FIELD_BOOL, .flags = FIELD_FILTER, .since = AI_SYSTEM_FIELDS_EUACT,
	  .help = "covered by Annex I legislation and needing third-party conformity "
	      "assessment" },
	{ .name = "eu_annex_i_legislation", .label = "Annex I legislation", .type = FIELD_STRING,
	  .since = AI_SYSTEM_FIELDS_EUACT, .help = "for example the Medical Devices Regulation" },
	{ .name = "eu_annex_iii", .label = "Art. 6(2): Annex III points", .type = FIELD_ENUM_LIST,
	  .flags = FIELD_FILTER, .values = euact_annex_iii_points,
	  .since = AI_SYSTEM_FIELDS_EUACT, .help = "area number and point letter" },
	{ .name = "eu_profiling", .label = "Profiles natural persons", .type = FIELD_BOOL,
	  .since = AI_SYSTEM_FIELDS_EUACT,
	  .help = "an Annex III system that profiles people is always high-risk" },
	{ .name = "eu_art6_3_derogation", .label = "Art. 6(3) derogation: no significant risk",
	  .type = FIELD_BOOL, .flags = FIELD_FILTER, .since = AI_SYSTEM_FIELDS_EUACT },
	{ .name = "eu_art6_3_conditions", .label = "Art. 6(3) conditions met",
	  .type = FIELD_ENUM_LIST, .values = euact_derogation_conditions,
	  .since = AI_SYSTEM_FIELDS_EUACT },
	{ .name = "eu_art6_3_reasons", .label = "Art. 6(3) reasons (the Art. 6(4) assessment)",
	  .type = FIELD_TEXT, .since = AI_SYSTEM_FIELDS_EUACT },
	{ .name = "eu_transparency", .label = "Art. 50 transparency duties", .type = FIELD_ENUM_LIST,
	  .flags = FIELD_FILTER, .values = euact_transparency_values,
	  .since = AI_SYSTEM_FIELDS_EUACT,
	  .help = "50(1)-(2) fall on the provider, 50(3)-(4) on the deployer" },
	{ .name = "eu_gpai", .label = "General-purpose AI model", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER, .values = euact_gpai_values, .since = AI_SYSTEM_FIELDS_EUACT,
	  .help = "the system is (or places on the market) a general-purpose AI model" },
	{ .name = "eu_ai_act_reasoning", .label = "Classification reasoning", .type = FIELD_TEXT,
	  .flags = FIELD_READONLY, .since = AI_SYSTEM_FIELDS_EUACT },
	{ .name = "affected_people", .section = "Use and oversight",
	  .label = "Affected people", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "human_oversight", .label = "Human oversight", .type = FIELD_TEXT },
	{ .name = "in_scope", .label = "In the AIMS scope", .type = FIELD_BOOL,
	  .flags = FIELD_FILTER | FIELD_LIST | FIELD_TICKED,
	  .help = "every system the organisation develops, provides or uses is in scope, or "
	      "left out with a justification (4.3)" },
	{ .name = "scope_justification", .label = "Why it is left out of the scope",
	  .type = FIELD_TEXT,
	  .help = "required when the system is not in scope: what makes its exclusion "
	      "sound (\"N/A\" is not a reason); a high-risk system cannot be left out",
	  .since = AI_SYSTEM_FIELDS_V3 },
	{ .name = "components", .section = "Components (AI-BOM)",
	  .label = "Components", .type = FIELD_OBJECT_LIST,
	  .subfields = component_fields, .help = "models, datasets, services and tools used" },
	{ .name = "data_resources", .section = "Resources (7.1, A.4)",
	  .label = "Data resources (A.4.3)", .type = FIELD_TEXT,
	  .help = "the data sets used; details in the data sets (A.7)" },
	{ .name = "tooling_resources", .label = "Tooling resources (A.4.4)", .type = FIELD_TEXT,
	  .help = "development, labelling, testing and monitoring tools",
	  .since = AI_SYSTEM_FIELDS_V2 },
	{ .name = "computing_resources", .label = "System and computing resources (A.4.5)",
	  .type = FIELD_TEXT, .help = "hardware, hosting, cloud services and their capacity",
	  .since = AI_SYSTEM_FIELDS_V2 },
	{ .name = "human_resources", .label = "Human resources (A.4.6)", .type = FIELD_TEXT,
	  .help = "the roles and competences the system needs; see competences",
	  .since = AI_SYSTEM_FIELDS_V2 },
	{ .name = "responsible_use_objectives", .section = "Responsible use (A.9)",
	  .label = "Objectives for responsible use (A.9.3)", .type = FIELD_TEXT,
	  .since = AI_SYSTEM_FIELDS_V2 },
	{ .name = "use_processes", .label = "Processes for responsible use (A.9.2)",
	  .type = FIELD_TEXT, .since = AI_SYSTEM_FIELDS_V2 },
	{ .name = "user_instructions", .label = "Instructions for users (A.9.4)",
	  .type = FIELD_TEXT, .help = "how users are to use it as intended; the intended use "
	      "is above", .since = AI_SYSTEM_FIELDS_V2 },
	{ .name = "deploy_without_approval", .section = "Deployment rule (A.6.2.5)",
	  .label = "May deploy without approved V&V and deployment records", .type = FIELD_BOOL,
	  .flags = FIELD_MANAGER,
	  .help = "relaxes the rule for this system; a manager decides, with the reason",
	  .since = AI_SYSTEM_FIELDS_V2 },
	{ .name = "deploy_without_approval_reason", .label = "Why the rule is relaxed",
	  .type = FIELD_TEXT, .flags = FIELD_MANAGER, .since = AI_SYSTEM_FIELDS_V2 },
	{ .name = "redteam_worse_run", .section = "Red-team and evaluation runs (A.6.2.4)",
	  .label = "Latest run worse than the one before", .type = FIELD_REF,
	  .flags = FIELD_READONLY | FIELD_FILTER | FIELD_LIST, .target = "evidence",
	  .help = "set when an imported run fails more than the previous run of the same "
	  "tool; cleared by a run that does not", .since = AI_SYSTEM_FIELDS_V4 },
	{ .name = "redteam_worse_why", .label = "What got worse", .type = FIELD_TEXT,
	  .flags = FIELD_READONLY, .since = AI_SYSTEM_FIELDS_V4 },
	{ .name = NULL },
};

/* The stages at or after deployment, where the deployment rule applies. */
static bool
ai_system_deployed(const char *stage)
{
	static const char *const deployed[] = {
		"deployment", "operation_monitoring", "re_evaluation", NULL,
	};
	size_t i;

	for (i = 0; stage && deployed[i]; i++)
		if (strcmp(deployed[i], stage) == 0)
			return true;
	return false;
}

static int
ai_system_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	const char *was = old ? record__str(old, "lifecycle_stage") : NULL;
	const char *now = record__str(next, "lifecycle_stage");
	const char *ref = old ? record__str(old, "ref") : NULL;
	const char *missing = NULL;
	int rc;

	(void)actor;
	if (json_is_false(json_object_get(next, "in_scope")) && (old == NULL ||
	    !json_is_false(json_object_get(old, "in_scope")) ||
	    !json_equal(json_object_get(old, "scope_justification"),
	    json_object_get(next, "scope_justification"))) &&
	    (rc = justify_check("scope_justification", record__str(next,
	    "scope_justification"), "the system is left out of the AIMS scope")) != 0)
		return rc;
	if ((rc = euact_classify(next)) != 0)
		return rc;
	if (json_is_true(json_object_get(next, "deploy_without_approval")) &&
	    record__is_empty(json_object_get(next, "deploy_without_approval_reason")))
		return aims_error_set(AIMS_EINVALID, "deploy_without_approval_reason",
		    "field 'deploy_without_approval_reason': give the reason the deployment rule "
		    "is relaxed for this system");
	/* Only a move into deployment from an earlier stage is judged. */
	if (ref == NULL || !ai_system_deployed(now) || ai_system_deployed(was) ||
	    (was && strcmp(was, "retirement") == 0) ||
	    json_is_true(json_object_get(next, "deploy_without_approval")))
		return 0;
	if ((rc = lifecycle_has_approved(db, org_id, ref, "verification_validation")) == 0)
		rc = lifecycle_has_approved(db, org_id, ref, "deployment");
	else if (rc == AIMS_ENOTFOUND)
		missing = "approved verification and validation record (A.6.2.4)";
	if (rc == AIMS_ENOTFOUND && missing == NULL)
		missing = "approved deployment plan and approval record (A.6.2.5)";
	if (rc == AIMS_ENOTFOUND)
		return aims_error_set(AIMS_ECONFLICT, "lifecycle_stage",
		    "%s cannot move to its deployment stage: it has no %s; record it in its "
		    "life-cycle records and have it approved, or a manager may relax the rule "
		    "for this system with a reason", ref, missing);
	return rc;
}

static const struct record_count ai_system_counts[] = {
	{ .dim = "category", .label = "AI systems by EU AI Act category",
	  .fields = { "eu_ai_act_category" }, .chart = RECORD_CHART_BARS },
	{ .dim = "stage", .label = "AI systems by life-cycle stage",
	  .fields = { "lifecycle_stage" }, .chart = RECORD_CHART_BARS },
	{ .dim = NULL },
};

/* The import page (ML-BOM, red-team runs) and the ML-BOM: http/web_bom.c. */
static const struct record_view ai_system_views[] = {
	{ "import", "Import ML-BOM or red-team run", .writes = true },
	{ "eu-ai-act", "EU AI Act: obligations, Annex IV" },
	{ NULL, NULL },
};

const struct record_kind record_kind_ai_system = {
	.name = "ai-systems",
	.singular = "AI system",
	.plural = "AI systems",
	.prefix = "AIS",
	.clause = "A.4",
	.section = "Planning",
	.retain = true,
	.perm_kind = "operational",
	.fields = ai_system_fields,
	.hooks = { .validate = ai_system_validate },
	.nav_key = 'a',
	.counts = ai_system_counts,
	.views = ai_system_views,
};
