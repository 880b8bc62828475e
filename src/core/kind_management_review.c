/*
 * kind_management_review.c - management reviews (9.3): planned and held
 * dates, the attendees (top management named), the inputs of 9.3.2
 * compiled from the records and frozen when the review is held (review.h),
 * the minutes, and the outputs of 9.3.3: decisions, each with an action, an
 * owner and a due date. planned -> held -> approved: holding it compiles
 * the inputs, and the minutes are approved like any signed-off record, by
 * a manager who did not write them (compared by user id). Changing approved
 * minutes starts a revision (back to held); the frozen inputs never change.
 */
#include <stdlib.h>
#include <string.h>

#include "core/record_private.h"
#include "core/review.h"
#include "util/clock.h"
#include "util/error.h"

static const char *const mr_status_values[] = { "planned", "held", "approved", NULL };
static const char *const mr_decision_type_values[] = {
	"improvement", "change", "resources", "other", NULL,
};

static const struct record_step mr_steps[] = {
	{ .action = "hold", .label = "Record as held", .from = "planned", .to = "held",
	  .perm = PERM_WRITE, .needs = "held_on",
	  .needs_why = "give the date it was held first (held_on)",
	  .confirm = "Compile and freeze the inputs of" },
	{ .action = "approve", .label = "Approve the minutes", .from = "held", .to = "approved",
	  .perm = PERM_APPROVE, .signoff = RECORD_SIGNOFF_NOT_AUTHOR, .needs = "decisions",
	  .needs_why = "no decision is recorded yet: record the review's decisions, each "
	  "with an action, owner and due date" },
	{ .action = "revise", .label = "Start a revision", .from = "approved", .to = "held",
	  .perm = PERM_WRITE },
	{ .action = NULL },
};

static const struct record_workflow mr_workflow = {
	.field = "status",
	.initial = "planned",
	.steps = mr_steps,
	.approved = "approved",
	.revert = "held",
	.signed_by = "approved_by",
	.signed_at = "approved_at",
};

static const struct field mr_attendee_fields[] = {
	{ .name = "name", .label = "Name", .type = FIELD_STRING, .flags = FIELD_REQUIRED },
	{ .name = "user", .label = "Member", .type = FIELD_USER },
	{ .name = "role", .label = "Role", .type = FIELD_STRING },
	{ .name = "top_management", .label = "Top management", .type = FIELD_BOOL },
	{ .name = NULL },
};

static const struct field mr_decision_fields[] = {
	{ .name = "decision", .label = "Decision", .type = FIELD_TEXT, .flags = FIELD_REQUIRED },
	{ .name = "type", .label = "About", .type = FIELD_ENUM, .values = mr_decision_type_values },
	{ .name = "action", .label = "Action", .type = FIELD_TEXT, .flags = FIELD_REQUIRED },
	{ .name = "owner", .label = "Owner", .type = FIELD_USER, .flags = FIELD_REQUIRED },
	{ .name = "due", .label = "Due", .type = FIELD_DATE, .flags = FIELD_REQUIRED },
	{ .name = "done_on", .label = "Done on", .type = FIELD_DATE },
	{ .name = "improvement", .label = "Improvement", .type = FIELD_REF,
	  .target = "improvements" },
	{ .name = NULL },
};

/* One compiled input (review.h): what was read and what it found. */
static const struct field mr_count_fields[] = {
	{ .name = "what", .label = "What", .type = FIELD_STRING },
	{ .name = "count", .label = "Count", .type = FIELD_INT },
	{ .name = NULL },
};
static const struct field mr_item_fields[] = {
	{ .name = "ref", .label = "Record", .type = FIELD_REF },
	{ .name = "kind", .label = "Kind", .type = FIELD_STRING },
	{ .name = "title", .label = "Title", .type = FIELD_STRING },
	{ .name = "status", .label = "Status", .type = FIELD_STRING },
	{ .name = "owner", .label = "Owner", .type = FIELD_STRING },
	{ .name = "date", .label = "Date", .type = FIELD_DATE },
	{ .name = "note", .label = "Note", .type = FIELD_STRING },
	{ .name = NULL },
};
static const struct field mr_input_fields[] = {
	{ .name = "clause", .label = "Clause", .type = FIELD_STRING },
	{ .name = "title", .label = "Input", .type = FIELD_STRING },
	{ .name = "kinds", .label = "Records read", .type = FIELD_STRING_LIST },
	{ .name = "not_kept", .label = "Not kept yet", .type = FIELD_STRING_LIST },
	{ .name = "since", .label = "Changes since", .type = FIELD_DATE },
	{ .name = "total", .label = "Records", .type = FIELD_INT },
	{ .name = "counts", .label = "Figures", .type = FIELD_OBJECT_LIST,
	  .subfields = mr_count_fields },
	{ .name = "items", .label = "Records", .type = FIELD_OBJECT_LIST,
	  .subfields = mr_item_fields },
	{ .name = "more", .label = "More not listed", .type = FIELD_INT },
	{ .name = NULL },
};

/* The members of `inputs`, one per 9.3.2 input, as review_input_names[] lists them. */
#define MR_INPUT(n, l) { .name = n, .label = l, .type = FIELD_OBJECT, \
	.subfields = mr_input_fields }
static const struct field mr_inputs_fields[] = {
	MR_INPUT("previous_actions", "Actions from previous reviews"),
	MR_INPUT("context_changes", "Changes in issues and interested parties"),
	MR_INPUT("nonconformities", "Nonconformities and corrective actions"),
	MR_INPUT("monitoring", "Monitoring and measurement results"),
	MR_INPUT("audits", "Audit results"),
	MR_INPUT("objectives", "Objectives' achievement"),
	MR_INPUT("risks", "Risks and their treatment"),
	MR_INPUT("incidents", "Incidents"),
	MR_INPUT("improvements", "Opportunities for improvement"),
	MR_INPUT("resources", "Adequacy of resources"),
	{ .name = NULL },
};

static const struct field mr_fields[] = {
	{ .name = "title", .section = "The review", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "planned_date", .label = "Planned for", .type = FIELD_DATE,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "held_on", .label = "Held on", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "the inputs are compiled from the records as they are when it is recorded "
	  "as held" },
	{ .name = "attendees", .label = "Attendees", .type = FIELD_OBJECT_LIST,
	  .subfields = mr_attendee_fields,
	  .help = "top management among them (at least one, before it is held)" },
	{ .name = "minutes", .label = "Minutes", .type = FIELD_TEXT, .flags = FIELD_SEARCH,
	  .help = "Markdown: the discussion of each input" },
	{ .name = "inputs", .section = "Inputs (9.3.2)", .label = "Inputs",
	  .type = FIELD_OBJECT, .flags = FIELD_READONLY, .subfields = mr_inputs_fields,
	  .help = "compiled from the records and frozen when the review is held" },
	{ .name = "inputs_compiled_at", .label = "Inputs compiled at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY },
	{ .name = "decisions", .section = "Decisions (9.3.3)", .label = "Decisions",
	  .type = FIELD_OBJECT_LIST, .subfields = mr_decision_fields,
	  .help = "on improvement opportunities and needed changes, each with an action, "
	  "owner and due date" },
	{ .name = "next_decision_due", .label = "Next action due", .type = FIELD_DATE,
	  .flags = FIELD_READONLY | FIELD_FILTER | FIELD_SORT,
	  .help = "the earliest due date of the decisions' actions not done yet" },
	{ .name = "review_due", .label = "Review due", .type = FIELD_DATE,
	  .flags = FIELD_READONLY | FIELD_FILTER | FIELD_SORT,
	  .help = "the planned date while it is not held yet" },
	{ .name = "status", .section = "Approval", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = mr_status_values,
	  .help = "planned, held (inputs frozen), approved (minutes signed off by a manager "
	  "who did not write them)" },
	{ .name = "approved_by", .label = "Approved by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_LIST },
	{ .name = "approved_at", .label = "Approved at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY },
	{ .name = NULL },
};

static bool
mr_str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static int
mr_check_attendees(const json_t *next)
{
	json_t *a;
	size_t i;

	json_array_foreach(json_object_get(next, "attendees"), i, a)
		if (json_is_true(json_object_get(a, "top_management")))
			return 0;
	return aims_error_set(AIMS_ECONFLICT, "attendees",
	    "field 'attendees': a management review is held with top management; name at "
	    "least one attendee with top_management true");
}

/* The dates the dashboard lists: the review while planned, the actions while open. */
static void
mr_due(json_t *next)
{
	const char *status = record__str(next, "status"), *best = NULL, *due;
	json_t *d;
	size_t i;

	if (mr_str_eq(status, "planned") && record__str(next, "planned_date"))
		json_object_set(next, "review_due", json_object_get(next, "planned_date"));
	else
		json_object_del(next, "review_due");
	json_array_foreach(json_object_get(next, "decisions"), i, d) {
		if (record__str(d, "done_on") != NULL)
			continue;
		due = record__str(d, "due");
		if (due && (best == NULL || strcmp(due, best) < 0))
			best = due;
	}
	if (best)
		json_object_set_new(next, "next_decision_due", json_string(best));
	else
		json_object_del(next, "next_decision_due");
}

static int
mr_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	const char *status = record__str(next, "status"), *was = record__str(old, "status");
	const char *held_on = record__str(next, "held_on");
	char now[CLOCK_RFC3339_LEN];
	json_t *inputs = NULL;
	int rc;

	(void)actor;
	clock_format(now, clock_now());
	if (held_on && strncmp(held_on, now, 10) > 0)
		return aims_error_set(AIMS_EINVALID, "held_on",
		    "field 'held_on': %s is in the future; record the review once it is held",
		    held_on);
	if (!mr_str_eq(status, "planned") && held_on == NULL)
		return aims_error_set(AIMS_EINVALID, "held_on",
		    "field 'held_on': a review that is %s has the date it was held", status);
	if (mr_str_eq(status, "held") && (was == NULL || mr_str_eq(was, "planned"))) {
		if ((rc = mr_check_attendees(next)) != 0)
			return rc;
		/* Held now: the inputs are compiled from the records and frozen. */
		if ((rc = review_inputs_compile(&inputs, db, org_id, record__str(next, "ref"),
		    held_on)) != 0)
			return rc;
		json_object_set_new(next, "inputs", inputs);
		json_object_set_new(next, "inputs_compiled_at", json_string(now));
	} else if (!mr_str_eq(status, "planned") && (rc = mr_check_attendees(next)) != 0)
		return rc;
	mr_due(next);
	return 0;
}

static const char *const mr_done[] = { "approved", NULL };

static const struct record_due mr_due_fields[] = {
	{ "review_due", "management review", true, NULL, true },
	{ "next_decision_due", "review action" },
	{ NULL, NULL },
};

const struct record_kind record_kind_management_review = {
	.name = "management-reviews",
	.singular = "management review",
	.plural = "management reviews",
	.prefix = "MR",
	.clause = "9.3",
	.section = "Performance evaluation",
	.retain = true,
	.perm_kind = "governance",
	.fields = mr_fields,
	.hooks = { .validate = mr_validate },
	.workflow = &mr_workflow,
	.default_sort = "-planned_date",
	.done = mr_done,
	.due = mr_due_fields,
};
