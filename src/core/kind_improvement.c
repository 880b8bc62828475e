/*
 * kind_improvement.c - opportunities for continual improvement (10.1): from
 * audits, management reviews, nonconformities, monitoring or anyone's
 * suggestion, each decided by a manager (accepted with an owner, or
 * rejected with the reasons) and followed until it is implemented.
 * proposed -> accepted | rejected; accepted -> implemented.
 */
#include <stdlib.h>
#include <string.h>

#include "core/record_private.h"
#include "util/clock.h"
#include "util/error.h"

static const char *const imp_source_values[] = {
	"audit", "management_review", "nonconformity", "monitoring", "suggestion", "other", NULL,
};
static const char *const imp_status_values[] = {
	"proposed", "accepted", "rejected", "implemented", NULL,
};

static const struct record_step imp_steps[] = {
	{ .action = "accept", .label = "Accept", .from = "proposed", .to = "accepted",
	  .perm = PERM_APPROVE, .needs = "owner",
	  .needs_why = "name its owner first: who carries it out" },
	{ .action = "reject", .label = "Reject", .from = "proposed", .to = "rejected",
	  .perm = PERM_APPROVE, .needs = "decision",
	  .needs_why = "give the reasons first (decision)", .confirm = "Reject" },
	{ .action = "implement", .label = "Mark implemented", .from = "accepted",
	  .to = "implemented", .perm = PERM_WRITE, .owner_may = true },
	{ .action = "reconsider", .label = "Reconsider", .from = "rejected", .to = "proposed",
	  .perm = PERM_APPROVE },
	{ .action = NULL },
};

static const struct record_workflow imp_workflow = {
	.field = "status",
	.initial = "proposed",
	.steps = imp_steps,
};

static const struct field imp_fields[] = {
	{ .name = "title", .section = "The opportunity", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "source", .label = "Source", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .values = imp_source_values },
	{ .name = "origin", .label = "Raised in", .type = FIELD_REF, .flags = FIELD_FILTER,
	  .help = "the audit, finding, management review or nonconformity it came from" },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "requirements", .label = "Requirements", .type = FIELD_REQUIREMENT_LIST,
	  .flags = FIELD_FILTER, .req_kinds = "clause,control" },
	{ .name = "owner", .section = "Decision", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "decision", .label = "Decision and reasons", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "decided_by", .label = "Decided by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_LIST },
	{ .name = "decided_on", .label = "Decided on", .type = FIELD_DATE,
	  .flags = FIELD_READONLY },
	{ .name = "due", .label = "Due", .type = FIELD_DATE, .flags = FIELD_FILTER | FIELD_SORT,
	  .help = "when an accepted improvement is to be implemented" },
	{ .name = "implemented_on", .label = "Implemented on", .type = FIELD_DATE },
	{ .name = "action_due", .label = "Implementation due", .type = FIELD_DATE,
	  .flags = FIELD_READONLY | FIELD_FILTER | FIELD_SORT,
	  .help = "the due date while it is accepted and not implemented" },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = imp_status_values,
	  .help = "proposed, accepted or rejected (by a manager), implemented" },
	{ .name = NULL },
};

static bool
imp_str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static int
imp_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	const char *status = record__str(next, "status"), *was = record__str(old, "status");
	char now[CLOCK_RFC3339_LEN], *label = NULL;
	int rc;

	(void)org_id;
	clock_format(now, clock_now());
	now[10] = '\0';
	if ((imp_str_eq(status, "accepted") || imp_str_eq(status, "implemented")) &&
	    record__str(next, "owner") == NULL)
		return aims_error_set(AIMS_EINVALID, "owner",
		    "field 'owner': an accepted improvement has an owner");
	if ((imp_str_eq(status, "accepted") || imp_str_eq(status, "rejected")) &&
	    imp_str_eq(was, "proposed")) {
		if ((rc = record__actor_label(&label, db, actor)) != 0)
			return rc;
		json_object_set_new(next, "decided_by", json_string(label));
		json_object_set_new(next, "decided_on", json_string(now));
		free(label);
	} else if (imp_str_eq(status, "proposed")) {
		json_object_del(next, "decided_by");
		json_object_del(next, "decided_on");
	}
	if (imp_str_eq(status, "implemented") && record__str(next, "implemented_on") == NULL)
		json_object_set_new(next, "implemented_on", json_string(now));
	if (imp_str_eq(status, "accepted") && record__str(next, "due"))
		json_object_set(next, "action_due", json_object_get(next, "due"));
	else
		json_object_del(next, "action_due");
	return 0;
}

static const char *const imp_done[] = { "rejected", "implemented", NULL };

static const struct record_due imp_due[] = {
	{ "action_due", "improvement", true },
	{ NULL, NULL },
};

const struct record_kind record_kind_improvement = {
	.name = "improvements",
	.singular = "improvement",
	.plural = "improvements",
	.prefix = "IMP",
	.clause = "10.1",
	.section = "Improvement",
	.retain = true,
	.perm_kind = "operational",
	.fields = imp_fields,
	.hooks = { .validate = imp_validate },
	.workflow = &imp_workflow,
	.done = imp_done,
	.due = imp_due,
};
