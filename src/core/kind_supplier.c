/*
 * kind_supplier.c - suppliers and other third parties (A.10.2, A.10.3): what
 * they provide, who is responsible for what, and their assessment.
 */
#include "core/record_private.h"

static const char *const result_values[] = {
	"satisfactory", "conditional", "unsatisfactory", NULL,
};

static const struct field supplier_fields[] = {
	{ .name = "name", .section = "The supplier", .label = "Name", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "services", .label = "Services", .type = FIELD_TEXT, .flags = FIELD_SEARCH },
	{ .name = "components_supplied", .label = "Components supplied",
	  .type = FIELD_STRING_LIST, .flags = FIELD_SEARCH,
	  .help = "models, datasets, services or tools they provide" },
	{ .name = "ai_systems", .label = "AI systems", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER, .target = "ai-systems" },
	{ .name = "responsibilities", .label = "Responsibilities (A.10.2)", .type = FIELD_TEXT,
	  .help = "what the supplier does and what the organisation does" },
	{ .name = "owner", .label = "Relationship owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_LIST },
	{ .name = "assessed_at", .section = "Assessment",
	  .label = "Last assessed", .type = FIELD_DATE,
	  .flags = FIELD_SORT | FIELD_LIST },
	{ .name = "assessment_result", .label = "Assessment result", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_LIST, .values = result_values },
	{ .name = "assessment_notes", .label = "Assessment notes", .type = FIELD_TEXT },
	{ .name = "next_assessment", .label = "Next assessment", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = NULL },
};

static const struct record_due supplier_due[] = {
	{ "next_assessment", "supplier assessment" },
	{ NULL, NULL },
};

const struct record_kind record_kind_supplier = {
	.name = "suppliers",
	.singular = "supplier",
	.plural = "suppliers",
	.prefix = "SUP",
	.clause = "A.10",
	.section = "Planning",
	.retain = true,
	.perm_kind = "operational",
	.fields = supplier_fields,
	.due = supplier_due,
};
