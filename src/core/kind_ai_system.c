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
 */
#include <string.h>

#include "core/justify.h"
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
	"model", "dataset", "service", "tool", NULL,
};

static const struct field component_fields[] = {
	{ .name = "kind", .label = "Kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED,
	  .values = component_kind_values },
	{ .name = "name", .label = "Name", .type = FIELD_STRING, .flags = FIELD_REQUIRED },
	{ .name = "version", .label = "Version", .type = FIELD_STRING },
	{ .name = "supplier", .label = "Supplier", .type = FIELD_STRING },
	{ .name = "licence", .label = "Licence", .type = FIELD_STRING },
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
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = eu_category_values },
	{ .name = "eu_ai_act_roles", .label = "Our EU AI Act roles", .type = FIELD_ENUM_LIST,
	  .flags = FIELD_FILTER, .values = eu_role_values,
	  .help = "provider, deployer, ...; decides which obligations apply" },
	{ .name = "automation_level", .label = "Level of automation", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER, .values = automation_values },
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
};
