/*
 * kind_nonconformity.c - nonconformities and corrective actions (10.2): what
 * did not conform (found by an audit, an incident, a monitoring breach, a
 * complaint or by the organisation itself), the correction and containment,
 * the root cause, whether similar nonconformities exist or could occur, the
 * corrective actions (each with an owner, a due date and a done date), the
 * changes needed to the AIMS, and the review of the actions' effectiveness.
 *
 * open -> in_progress -> verifying -> closed. The effectiveness review is
 * recorded in verifying by a person other than the nonconformity's owner
 * (compared by user id): effective lets a manager close it, not effective
 * reopens it. It is never closed without an effective review, and it is
 * retained: deleting retires it, the history stays.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/record_private.h"
#include "core/user.h"
#include "util/clock.h"
#include "util/error.h"

static const char *const nc_source_values[] = {
	"audit_finding", "incident", "monitoring", "complaint", "self_identified", NULL,
};
static const char *const nc_severity_values[] = { "major", "minor", NULL };
static const char *const nc_status_values[] = {
	"open", "in_progress", "verifying", "closed", NULL,
};
static const struct record_step nc_steps[] = {
	{ .action = "start", .label = "Start corrective action", .from = "open",
	  .to = "in_progress", .perm = PERM_WRITE, .owner_may = true, .needs = "owner",
	  .needs_why = "name its owner first: who answers for the correction and the actions" },
	{ .action = "verify", .label = "Ready for effectiveness review", .from = "in_progress",
	  .to = "verifying", .perm = PERM_WRITE, .owner_may = true,
	  .needs = "corrective_actions",
	  .needs_why = "no corrective action recorded yet: give at least one with its owner "
	  "and due date" },
	{ .action = "reopen", .label = "Reopen", .from = "verifying", .to = "open",
	  .perm = PERM_WRITE, .owner_may = true,
	  .confirm = "Reopen" },
	{ .action = "close", .label = "Close", .from = "verifying", .to = "closed",
	  .perm = PERM_APPROVE, .needs = "effective",
	  .needs_why = "the effectiveness of the corrective actions has not been reviewed yet "
	  "(by someone other than the owner)", .confirm = "Close" },
	{ .action = NULL },
};

static const struct record_workflow nc_workflow = {
	.field = "status",
	.initial = "open",
	.steps = nc_steps,
	.final = "closed",
};

static const struct field nc_action_fields[] = {
	{ .name = "action", .label = "Action", .type = FIELD_TEXT, .flags = FIELD_REQUIRED },
	{ .name = "owner", .label = "Owner", .type = FIELD_USER, .flags = FIELD_REQUIRED },
	{ .name = "due", .label = "Due", .type = FIELD_DATE, .flags = FIELD_REQUIRED },
	{ .name = "done_on", .label = "Done on", .type = FIELD_DATE },
	{ .name = NULL },
};

static const struct field nc_review_fields[] = {
	{ .name = "reviewed_on", .label = "Reviewed on", .type = FIELD_DATE },
	{ .name = "reviewer", .label = "Reviewer", .type = FIELD_STRING },
	{ .name = "effective", .label = "Effective", .type = FIELD_BOOL },
	{ .name = "notes", .label = "Notes", .type = FIELD_TEXT },
	{ .name = NULL },
};

static const struct field nc_fields[] = {
	{ .name = "title", .section = "The nonconformity", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "source", .label = "Source", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .values = nc_source_values,
	  .help = "audit finding, incident, monitoring breach, complaint or self-identified" },
	{ .name = "finding", .label = "Audit finding", .type = FIELD_REF, .flags = FIELD_FILTER,
	  .target = "audit-findings",
	  .help = "the audit finding that raised it (source audit_finding)" },
	{ .name = "audit", .label = "Audit", .type = FIELD_REF, .flags = FIELD_FILTER,
	  .target = "audits", .help = "the audit in which it was found" },
	{ .name = "requirements", .label = "Requirements not met", .type = FIELD_REQUIREMENT_LIST,
	  .flags = FIELD_FILTER, .req_kinds = "clause,control" },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT,
	  .flags = FIELD_REQUIRED | FIELD_SEARCH,
	  .help = "what was found, where, and against which requirement" },
	{ .name = "records", .label = "Records concerned", .type = FIELD_REF_LIST,
	  .help = "the records and evidence that show it (references)" },
	{ .name = "severity", .label = "Severity", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = nc_severity_values },
	{ .name = "owner", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "who answers for the correction and the corrective actions" },
	{ .name = "correction", .section = "Reaction and cause",
	  .label = "Correction and containment", .type = FIELD_TEXT, .flags = FIELD_SEARCH,
	  .help = "what was done at once to control and correct it and deal with the consequences" },
	{ .name = "root_cause", .label = "Root cause analysis", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "similar", .label = "Similar nonconformities", .type = FIELD_REF_LIST,
	  .target = "nonconformities",
	  .help = "nonconformities of the same kind that exist already" },
	{ .name = "similar_analysis", .label = "Could it occur elsewhere", .type = FIELD_TEXT,
	  .help = "whether similar nonconformities exist or could potentially occur, and where" },
	{ .name = "corrective_actions", .section = "Corrective actions",
	  .label = "Corrective actions", .type = FIELD_OBJECT_LIST, .subfields = nc_action_fields,
	  .help = "each with its owner, due date and, once done, the date it was done" },
	{ .name = "aims_changes", .label = "Changes needed to the AIMS", .type = FIELD_TEXT,
	  .help = "documents, processes, controls or objectives to change, if any" },
	{ .name = "next_action_due", .label = "Next action due", .type = FIELD_DATE,
	  .flags = FIELD_READONLY | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "the earliest due date of the actions not done yet" },
	{ .name = "effective", .section = "Effectiveness review",
	  .label = "Actions effective", .type = FIELD_BOOL, .flags = FIELD_FILTER,
	  .help = "recorded once it awaits review, by someone other than the owner; "
	  "not effective reopens it" },
	{ .name = "effectiveness_reviewed_on", .label = "Reviewed on", .type = FIELD_DATE,
	  .help = "defaults to today" },
	{ .name = "effectiveness_notes", .label = "Review notes", .type = FIELD_TEXT },
	{ .name = "effectiveness_reviewer", .label = "Reviewed by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_LIST },
	{ .name = "previous_reviews", .label = "Earlier reviews (not effective)",
	  .type = FIELD_OBJECT_LIST, .flags = FIELD_READONLY, .subfields = nc_review_fields },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = nc_status_values,
	  .help = "open, in_progress, verifying (awaiting the effectiveness review), closed" },
	{ .name = "closed_by", .label = "Closed by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY },
	{ .name = "closed_at", .label = "Closed at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY },
	{ .name = NULL },
};

static bool
nc_str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/*
 * The earliest due date of the corrective actions not done yet is kept in
 * next_action_due, which the dashboard lists as coming up or past due (an
 * index read). A closed nonconformity has nothing due.
 */
static void
nc_next_due(json_t *next)
{
	json_t *acts = json_object_get(next, "corrective_actions"), *a;
	const char *best = NULL, *due;
	size_t i;

	if (!nc_str_eq(record__str(next, "status"), "closed"))
		json_array_foreach(acts, i, a) {
			if (record__str(a, "done_on") != NULL)
				continue;
			due = record__str(a, "due");
			if (due && (best == NULL || strcmp(due, best) < 0))
				best = due;
		}
	if (best)
		json_object_set_new(next, "next_action_due", json_string(best));
	else
		json_object_del(next, "next_action_due");
}

/* Is the actor the person named by email (compared by user id)? */
static int
nc_actor_is(bool *yes, struct db *db, const struct actor *actor, const char *email)
{
	int64_t id = 0;
	int rc;

	*yes = false;
	if (email == NULL || actor->user_id <= 0)
		return 0;
	rc = user_id_by_email(&id, db, email);
	if (rc == AIMS_ENOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	*yes = id == actor->user_id;
	return 0;
}

static void
nc_review_clear(json_t *next)
{
	json_object_del(next, "effective");
	json_object_del(next, "effectiveness_reviewer");
	json_object_del(next, "effectiveness_reviewed_on");
	json_object_del(next, "effectiveness_notes");
}

/* A not-effective review is kept in previous_reviews before the next one. */
static void
nc_review_archive(json_t *next)
{
	json_t *list = json_object_get(next, "previous_reviews"), *r;

	if (json_object_get(next, "effective") == NULL)
		return;
	r = json_object();
	json_object_set(r, "effective", json_object_get(next, "effective"));
	if (json_object_get(next, "effectiveness_reviewed_on"))
		json_object_set(r, "reviewed_on", json_object_get(next,
		    "effectiveness_reviewed_on"));
	if (json_object_get(next, "effectiveness_reviewer"))
		json_object_set(r, "reviewer", json_object_get(next, "effectiveness_reviewer"));
	if (json_object_get(next, "effectiveness_notes"))
		json_object_set(r, "notes", json_object_get(next, "effectiveness_notes"));
	if (!json_is_array(list)) {
		list = json_array();
		json_object_set_new(next, "previous_reviews", list);
	}
	json_array_append_new(list, r);
	nc_review_clear(next);
}

/* Same value of field in a and b (absent and null are the same: empty). */
static bool
nc_same(const json_t *a, const json_t *b, const char *field)
{
	const json_t *x = json_object_get(a, field), *y = json_object_get(b, field);

	if (x == NULL || json_is_null(x))
		return y == NULL || json_is_null(y);
	return y != NULL && json_equal(x, y);
}

/* Did this change record an effectiveness review (a new or changed verdict)? */
static bool
nc_review_given(const json_t *old, const json_t *next)
{
	const json_t *n = json_object_get(next, "effective");

	if (n == NULL || json_is_null(n))
		return false;
	return old == NULL || !nc_same(old, next, "effective") ||
	    !nc_same(old, next, "effectiveness_reviewed_on") ||
	    !nc_same(old, next, "effectiveness_notes");
}

/*
 * The effectiveness review: only while it awaits review (verifying), by a
 * named person who is not its owner, recorded with who and when; not
 * effective sends it back to open.
 */
static int
nc_review(struct db *db, const struct actor *actor, const json_t *old, json_t *next)
{
	const char *was = record__str(old, "status"), *status = record__str(next, "status");
	char today[CLOCK_RFC3339_LEN], *email = NULL;
	bool is_owner;
	int rc;

	/* Entering verifying again: the earlier (not effective) review is history. */
	if (nc_str_eq(status, "verifying") && !nc_str_eq(was, "verifying") && old &&
	    json_object_get(old, "effective")) {
		if (nc_review_given(old, next))
			return aims_error_set(AIMS_ECONFLICT, "effective",
			    "field 'effective': record the effectiveness review once the "
			    "nonconformity awaits it (status verifying), not in the same change");
		nc_review_archive(next);
		return 0;
	}
	if (!nc_review_given(old, next))
		return 0;
	if (!nc_str_eq(was, "verifying") || !(nc_str_eq(status, "verifying") ||
	    nc_str_eq(status, "open") || nc_str_eq(status, "closed")))
		return aims_error_set(AIMS_ECONFLICT, "effective",
		    "field 'effective': the effectiveness review is recorded once the corrective "
		    "actions are done and the nonconformity awaits review (status verifying); it "
		    "is %s", was ? was : "new");
	if (actor->user_id <= 0)
		return aims_error_set(AIMS_EFORBIDDEN, "effective",
		    "field 'effective': an effectiveness review must be made by a named person, "
		    "not by %s (sign in, use a token you created, or give --as EMAIL)",
		    actor->name ? actor->name : "the system");
	if ((rc = nc_actor_is(&is_owner, db, actor, record__str(next, "owner"))) != 0)
		return rc;
	if (is_owner)
		return aims_error_set(AIMS_EFORBIDDEN, "effectiveness_reviewer",
		    "field 'effectiveness_reviewer': %s owns this nonconformity; someone other "
		    "than the owner must review the effectiveness of its corrective actions",
		    record__str(next, "owner"));
	if ((rc = record__actor_email(&email, db, actor)) != 0)
		return rc;
	json_object_set_new(next, "effectiveness_reviewer", json_string(email ? email : ""));
	free(email);
	if (record__str(next, "effectiveness_reviewed_on") == NULL) {
		clock_format(today, clock_now());
		today[10] = '\0';
		json_object_set_new(next, "effectiveness_reviewed_on", json_string(today));
	}
	if (json_is_false(json_object_get(next, "effective")))
		json_object_set_new(next, "status", json_string("open"));
	return 0;
}

static int
nc_check_actions_done(const json_t *next)
{
	json_t *acts = json_object_get(next, "corrective_actions"), *a;
	size_t i;

	json_array_foreach(acts, i, a)
		if (record__str(a, "done_on") == NULL)
			return aims_error_set(AIMS_ECONFLICT, "corrective_actions",
			    "field 'corrective_actions[%zu].done_on': the action \"%.60s\" is not "
			    "done yet; give the date it was done before the review", i,
			    record__str(a, "action") ? record__str(a, "action") : "");
	return 0;
}

static int
nc_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	const char *status, *was = record__str(old, "status");
	char now[CLOCK_RFC3339_LEN], *label = NULL;
	int rc;

	(void)org_id;
	if (nc_str_eq(record__str(next, "source"), "audit_finding") &&
	    record__str(next, "finding") == NULL && record__str(next, "audit") == NULL)
		return aims_error_set(AIMS_EINVALID, "finding",
		    "field 'finding': a nonconformity from an audit names the finding or the audit");
	if ((rc = nc_review(db, actor, old, next)) != 0)
		return rc;
	status = record__str(next, "status");
	/* The reviewer stays independent of the owner, whoever is named later. */
	if (record__str(next, "effectiveness_reviewer") && record__str(next, "owner") &&
	    strcasecmp(record__str(next, "effectiveness_reviewer"),
	    record__str(next, "owner")) == 0)
		return aims_error_set(AIMS_ECONFLICT, "owner",
		    "field 'owner': %s reviewed the effectiveness of the actions and cannot own "
		    "the nonconformity", record__str(next, "owner"));
	if (nc_str_eq(status, "verifying") && !nc_str_eq(was, "verifying") &&
	    (rc = nc_check_actions_done(next)) != 0)
		return rc;
	if (nc_str_eq(status, "closed") && !nc_str_eq(was, "closed")) {
		if (!json_is_true(json_object_get(next, "effective")))
			return aims_error_set(AIMS_ECONFLICT, "effective",
			    "field 'effective': a nonconformity is closed only after a review by "
			    "someone other than the owner found its corrective actions effective");
		if ((rc = record__actor_label(&label, db, actor)) != 0)
			return rc;
		clock_format(now, clock_now());
		json_object_set_new(next, "closed_by", json_string(label));
		json_object_set_new(next, "closed_at", json_string(now));
		free(label);
	}
	nc_next_due(next);
	return 0;
}

static const char *const nc_done[] = { "closed", NULL };

static const struct record_due nc_due[] = {
	{ "next_action_due", "corrective action", true },
	{ NULL, NULL },
};

static const struct record_count nc_counts[] = {
	{ .dim = "source", .label = "Nonconformities by source",
	  .fields = { "source", NULL }, .chart = RECORD_CHART_BARS },
	{ .dim = NULL },
};

const struct record_kind record_kind_nonconformity = {
	.name = "nonconformities",
	.singular = "nonconformity",
	.plural = "nonconformities",
	.prefix = "NC",
	.clause = "10.2",
	.section = "Improvement",
	.retain = true,
	.perm_kind = "operational",
	.fields = nc_fields,
	.hooks = { .validate = nc_validate },
	.workflow = &nc_workflow,
	.default_sort = "next_action_due",
	.done = nc_done,
	.due = nc_due,
	.counts = nc_counts,
	.nav_key = 'n',
};
