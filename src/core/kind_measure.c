/*
 * kind_measure.c - the organisation's own implemented controls, linked to
 * the requirements they meet, the risks they treat and the AI systems they
 * apply to.
 */
#include "core/record_private.h"

static const char *const measure_status_values[] = {
	"planned", "in_progress", "implemented", "not_effective", NULL,
};

static const struct field measure_fields[] = {
	{ .name = "title", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "owner", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = measure_status_values },
	{ .name = "requirements", .label = "Requirements", .type = FIELD_REQUIREMENT_LIST,
	  .flags = FIELD_FILTER, .req_kinds = "control,clause",
	  .help = "Annex A controls and clauses it meets" },
	{ .name = "risks", .label = "Risks", .type = FIELD_REF_LIST, .flags = FIELD_FILTER,
	  .target = "risks" },
	{ .name = "ai_systems", .label = "AI systems", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER, .target = "ai-systems" },
	{ .name = NULL },
};

static const char *const measure_done[] = { "implemented", NULL };

const struct record_kind record_kind_measure = {
	.name = "measures",
	.singular = "measure",
	.plural = "measures",
	.prefix = "MEA",
	.clause = "8.1",
	.section = "Support & operation",
	.retain = true,
	.perm_kind = "operational",
	.fields = measure_fields,
	.done = measure_done,
};
