/*
 * kind_scope.c - the scope of the AIMS (4.3), one per organisation: the
 * statement, its boundaries, and each exclusion with its justification.
 * Approved by a manager who did not write it (status draft -> approved
 * records approved_by and approved_at); changing approved content starts a
 * draft revision while the approved scope stays in force. An exclusion's
 * justification must say something (core/justify.h).
 */
#include <stdio.h>

#include "core/justify.h"
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

#define SCOPE_FIELD_PATH_MAX	64	/* "exclusions[12].justification" */

/* Whether old holds an exclusion with this very justification (kept as it was). */
static bool
scope_justification_kept(const json_t *old, const json_t *justification)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(old, "exclusions"), i, e)
		if (json_equal(json_object_get(e, "justification"), justification))
			return true;
	return false;
}

/* New or changed exclusion justifications say why; earlier ones stay editable. */
static int
scope_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	char path[SCOPE_FIELD_PATH_MAX];
	const json_t *e;
	size_t i;
	int rc;

	(void)db;
	(void)org_id;
	(void)actor;
	json_array_foreach(json_object_get(next, "exclusions"), i, e) {
		if (old && scope_justification_kept(old, json_object_get(e, "justification")))
			continue;
		snprintf(path, sizeof(path), "exclusions[%zu].justification", i);
		if ((rc = justify_check(path, record__str(e, "justification"),
		    "it is outside the scope")) != 0)
			return rc;
	}
	return 0;
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
	.hooks = { .validate = scope_validate },
	.workflow = &scope_workflow,
	.done = scope_done,
};
