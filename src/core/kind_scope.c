/*
 * kind_scope.c - the scope of the AIMS (4.3), one per organisation: the
 * statement, its boundaries, and each exclusion with its justification.
 * Approved by a manager (status draft -> approved records approved_by and
 * approved_at); changing approved content makes it a draft again.
 */
#include "core/record_private.h"

static const char *const scope_status_values[] = { "draft", "approved", NULL };
static const char *const scope_steps[] = { "draft>approved", "approved>draft", NULL };

static const struct record_workflow scope_workflow = {
	.states = scope_status_values,
	.initial = "draft",
	.steps = scope_steps,
	.approved = "approved",
	.revert = "draft",
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

static int
scope_transition(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	(void)org_id;
	return record__workflow_step(&scope_workflow, db, actor, old, next);
}

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
	.hooks = { .transition = scope_transition },
	.done = scope_done,
};
