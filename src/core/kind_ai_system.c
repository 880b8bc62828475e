/*
 * kind_ai_system.c - the AI system inventory: every AI system the
 * organisation develops, provides or uses, its life-cycle stage, its role
 * for it (ISO/IEC 22989), its EU AI Act category and roles, and its
 * components (models, datasets, services, tools: an AI bill of materials).
 */
#include "core/record_private.h"

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
	{ .name = "data_resources", .label = "Data resources", .type = FIELD_TEXT },
	{ .name = "in_scope", .label = "In the AIMS scope", .type = FIELD_BOOL,
	  .flags = FIELD_FILTER | FIELD_LIST },
	{ .name = "components", .section = "Components (AI-BOM)",
	  .label = "Components", .type = FIELD_OBJECT_LIST,
	  .subfields = component_fields, .help = "models, datasets, services and tools used" },
	{ .name = NULL },
};

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
	.nav_key = 'a',
	.counts = ai_system_counts,
};
