/*
 * kind_scope.c - the scope of the AIMS (4.3), one per organisation: the
 * statement, its boundaries, and each exclusion with its justification.
 * Approved by a manager who did not write it (status draft -> approved
 * records approved_by and approved_at); changing approved content starts a
 * draft revision while the approved scope stays in force.
 */
#include "core/record_private.h"

static const char *const scope_status_values[] = { "draft", "approved", NULL };

static const struct record_step scope_steps[] = {
	{ .action = "approve", .label = "Approve", .from = "draft", .to = "approved",
	  .perm = PERM_APPROVE, .signoff = RECORD_SIGNOFF_NOT_AUTHOR },
	{ .action = "revise", .label = "Start a revision", .from = "approved", .to = "draft",
	  .perm = PERM_WRITE },
	{ .action = NULL },
};

static const struct record_workflow scope_workflow = {
	.field = "status",
	.initial = "draft",
	.steps = scope_steps,
	.approved = "approved",
	.revert = "draft",
	.signed_by = "approved_by",
	.signed_at = "approved_at",
};

static const struct field exclusion_fields[] = {
	{ .name = "item", .label = "Excluded", .type = FIELD_STRING, .flags = FIELD_REQUIRED,
	  .help = "what is outside the scope" },
	{ .name = "justification", .label = "Justification", .type = FIELD_TEXT,
	  .flags = FIELD_REQUIRED },
	{ .name = NULL },
};

static const struct field scope_fields[] = {
	{ .name = "statement", .label = "Scope statement", .type = FIELD_TEXT,
	  .flags = FIELD_REQUIRED | FIELD_SEARCH },
	{ .name = "boundaries", .label = "Boundaries", .type = FIELD_TEXT, .flags = FIELD_SEARCH,
	  .help = "organisational units, sites, AI systems and life-cycle stages covered" },
	{ .name = "exclusions", .label = "Exclusions", .type = FIELD_OBJECT_LIST,
	  .subfields = exclusion_fields },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_LIST, .values = scope_status_values },
	{ .name = "approved_by", .label = "Approved by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_LIST },
	{ .name = "approved_at", .label = "Approved at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY },
	{ .name = NULL },
};

static const char *const scope_done[] = { "approved", NULL };

const struct record_kind record_kind_scope = {
	.name = "scope",
	.singular = "scope",
	.plural = "scope",
	.prefix = "SCOPE",
	.clause = "4.3",
	.section = "Context",
	.singleton = true,
	.retain = true,
	.perm_kind = "governance",
	.fields = scope_fields,
	.workflow = &scope_workflow,
	.done = scope_done,
};
