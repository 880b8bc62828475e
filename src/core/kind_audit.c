/*
 * kind_audit.c - internal audits (9.2.1): the programme they belong to,
 * their scope (requirements, AI systems, processes), criteria, the lead
 * auditor and the team, planned and actual dates, and the checklist
 * generated from the scope. Status planned -> in_progress -> reported ->
 * closed; issuing the report is a sign-off by a manager who did not write
 * the audit. Independence is enforced here on every change of who audits
 * what (core/audit.h): the refusal names the conflict.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/audit.h"
#include "core/record_private.h"
#include "util/buf.h"
#include "util/error.h"

static const char *const audit_status_values[] = {
	"planned", "in_progress", "reported", "closed", NULL,
};

static const struct record_step audit_steps[] = {
	{ .action = "start", .label = "Start the audit", .from = "planned", .to = "in_progress",
	  .perm = PERM_WRITE },
	{ .action = "issue", .label = "Issue the report", .from = "in_progress",
	  .to = "reported", .perm = PERM_APPROVE, .signoff = RECORD_SIGNOFF_NOT_AUTHOR,
	  .needs = "conclusion", .needs_why = "the audit has no overall conclusion yet: the "
	  "audit team records it before the report is issued",
	  .confirm = "Issue the report of" },
	{ .action = "close", .label = "Close", .from = "reported", .to = "closed",
	  .perm = PERM_WRITE },
	{ .action = NULL },
};

static const struct record_workflow audit_workflow = {
	.field = "status",
	.initial = "planned",
	.steps = audit_steps,
	.final = "closed",
	.signed_by = "report_issued_by",
	.signed_at = "report_issued_at",
};

static const struct field audit_checklist_fields[] = {
	{ .name = "requirement", .label = "Requirement", .type = FIELD_REQUIREMENT,
	  .flags = FIELD_REQUIRED, .req_kinds = "clause,control" },
	{ .name = "notes", .label = "Notes", .type = FIELD_TEXT,
	  .help = "what was asked, seen and heard" },
	{ .name = "sampled", .label = "Records and evidence sampled", .type = FIELD_REF_LIST,
	  .help = "references of the records looked at: EV-3, RISK-12" },
	{ .name = "conclusion", .label = "Conclusion", .type = FIELD_ENUM,
	  .values = audit_conclusion_values },
	{ .name = NULL },
};

static const struct field audit_fields[] = {
	{ .name = "title", .section = "The audit", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "programme", .label = "Audit programme", .type = FIELD_REF,
	  .flags = FIELD_FILTER | FIELD_LIST, .target = "audit-programmes" },
	{ .name = "requirements", .label = "Requirements in scope",
	  .type = FIELD_REQUIREMENT_LIST, .flags = FIELD_REQUIRED | FIELD_FILTER,
	  .req_kinds = "clause,control",
	  .help = "clauses and Annex A controls audited; the checklist has a row for each" },
	{ .name = "ai_systems", .label = "AI systems in scope", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER, .target = "ai-systems" },
	{ .name = "processes", .label = "Processes in scope", .type = FIELD_STRING_LIST,
	  .flags = FIELD_SEARCH },
	{ .name = "criteria", .label = "Audit criteria", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "lead_auditor", .section = "Auditors and dates", .label = "Lead auditor",
	  .type = FIELD_USER, .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "must not audit their own work or an area they are responsible for" },
	{ .name = "team", .label = "Audit team", .type = FIELD_STRING_LIST,
	  .flags = FIELD_FILTER,
	  .help = "e-mails of members (external auditors are members with the auditor role)" },
	{ .name = "planned_start", .label = "Planned start", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "planned_end", .label = "Planned end", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT },
	{ .name = "actual_start", .label = "Actual start", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT },
	{ .name = "actual_end", .label = "Actual end", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = audit_status_values,
	  .help = "planned, in_progress, reported (report issued by a manager who did not "
	  "write it), closed" },
	{ .name = "checklist", .section = "Checklist and conclusion", .label = "Checklist",
	  .type = FIELD_OBJECT_LIST, .subfields = audit_checklist_fields,
	  .help = "one row per requirement in scope, made from the scope" },
	{ .name = "conclusion", .label = "Overall conclusion", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "report_issued_by", .label = "Report issued by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_LIST },
	{ .name = "report_issued_at", .label = "Report issued at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY },
	{ .name = NULL },
};

static bool
audit_changed(const json_t *old, const json_t *next, const char *name)
{
	return old == NULL || !json_equal(json_object_get(old, name) ?: json_null(),
	    json_object_get(next, name) ?: json_null());
}

static bool
audit_on_team(const json_t *data, const char *email)
{
	const char *lead = record__str(data, "lead_auditor");
	size_t i;
	json_t *v;

	if (email == NULL)
		return false;
	if (lead != NULL && strcasecmp(lead, email) == 0)
		return true;
	json_array_foreach(json_object_get(data, "team"), i, v)
		if (json_is_string(v) && strcasecmp(json_string_value(v), email) == 0)
			return true;
	return false;
}

/* Every auditor is a member and free of conflicts with the scope. */
static int
audit_check_independence(struct db *db, int64_t org_id, const json_t *next)
{
	const json_t *reqs = json_object_get(next, "requirements");
	const json_t *systems = json_object_get(next, "ai_systems");
	char why[AUDIT_WHY_MAX], path[32];
	const char *email;
	size_t i, j;
	json_t *v;
	int rc;

	if ((email = record__str(next, "lead_auditor")) != NULL &&
	    (rc = audit_conflict_find(why, sizeof(why), db, org_id, email, reqs, systems)) != 0)
		return aims_error_set(rc, "lead_auditor", "%s", why);
	json_array_foreach(json_object_get(next, "team"), i, v) {
		snprintf(path, sizeof(path), "team[%zu]", i);
		email = json_string_value(v);
		for (j = 0; j < i; j++)
			if (strcasecmp(json_string_value(json_array_get(json_object_get(next,
			    "team"), j)), email) == 0)
				return aims_error_set(AIMS_EINVALID, path, "%s is on the team twice",
				    email);
		if ((rc = audit_conflict_find(why, sizeof(why), db, org_id, email, reqs,
		    systems)) != 0)
			return aims_error_set(rc, path, "%s", why);
	}
	return 0;
}

static int
audit_check_dates(const json_t *next, const char *from, const char *to)
{
	const char *a = record__str(next, from), *b = record__str(next, to);

	if (a != NULL && b != NULL && strcmp(b, a) < 0)
		return aims_error_set(AIMS_EINVALID, to, "%s (%s) is before %s (%s)", to, b, from,
		    a);
	return 0;
}

/* What the auditors recorded in the checklist: requirement -> row, rows with content only. */
static json_t *
audit_checklist_content(const json_t *data)
{
	json_t *o = json_object(), *row;
	size_t i;

	json_array_foreach(json_object_get(data, "checklist"), i, row)
		if (!record__is_empty(json_object_get(row, "notes")) ||
		    !record__is_empty(json_object_get(row, "sampled")) ||
		    !record__is_empty(json_object_get(row, "conclusion")))
			json_object_set(o, record__str(row, "requirement") ?: "", row);
	return o;
}

/*
 * The checklist is the audit team's, and is frozen once the report is
 * issued. Rows the scope adds or drops empty are not anyone's content.
 */
static int
audit_check_checklist(struct db *db, const struct actor *actor, const json_t *old,
    const json_t *next)
{
	const char *was = record__str(old, "status");
	json_t *a = audit_checklist_content(old), *b = audit_checklist_content(next);
	bool rows = !json_equal(a, b), on_team;
	char *email = NULL;
	int rc;

	json_decref(a);
	json_decref(b);
	if (!rows && !audit_changed(old, next, "conclusion"))
		return 0;
	if (old == NULL && !rows && record__is_empty(json_object_get(next, "conclusion")))
		return 0;
	if (old != NULL && (strcmp(was ? was : "", "reported") == 0 ||
	    strcmp(was ? was : "", "closed") == 0))
		return aims_error_set(AIMS_ECONFLICT, rows ? "checklist" : "conclusion",
		    "the report of this audit is issued: its "
		    "checklist and conclusion no longer change");
	if ((rc = record__actor_email(&email, db, actor)) != 0)
		return rc;
	on_team = audit_on_team(next, email);
	free(email);
	if (!on_team)
		return aims_error_set(AIMS_EFORBIDDEN, rows ? "checklist" : "conclusion", "only the lead auditor and the audit team record "
		    "the checklist and the conclusion of an audit");
	return 0;
}

/* Issuing the report needs the dates it was performed and a conclusion on every row. */
static int
audit_check_issue(const json_t *old, const json_t *next)
{
	struct buf b = BUF_INIT;
	size_t i;
	json_t *row;
	int rc = 0;

	if (old == NULL || strcmp(record__str(next, "status") ?: "", "reported") != 0 ||
	    strcmp(record__str(old, "status") ?: "", "reported") == 0)
		return 0;
	json_array_foreach(json_object_get(next, "checklist"), i, row)
		if (record__is_empty(json_object_get(row, "conclusion")))
			buf_printf(&b, "%s%s", b.len ? ", " : "", record__str(row, "requirement"));
	if (b.len > 0)
		rc = aims_error_set(AIMS_ECONFLICT, "checklist", "the checklist has no conclusion "
		    "yet for %s: the report is issued once every requirement in scope is "
		    "concluded", buf_str(&b));
	buf_free(&b);
	if (rc != 0)
		return rc;
	/* The report says when the audit was performed. */
	if (record__str(next, "actual_start") == NULL || record__str(next, "actual_end") == NULL)
		return aims_error_set(AIMS_ECONFLICT, record__str(next, "actual_start") == NULL ?
		    "actual_start" : "actual_end", "the dates the audit was performed (actual_start "
		    "and actual_end) are recorded before the report is issued");
	return 0;
}

static int
audit_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	json_t *list = NULL;
	int rc;

	if ((rc = audit_check_dates(next, "planned_start", "planned_end")) != 0 ||
	    (rc = audit_check_dates(next, "actual_start", "actual_end")) != 0)
		return rc;
	/* Again at each step: a conflict that arose since the audit was planned counts too. */
	if ((audit_changed(old, next, "lead_auditor") || audit_changed(old, next, "team") ||
	    audit_changed(old, next, "requirements") || audit_changed(old, next, "ai_systems") ||
	    audit_changed(old, next, "status")) &&
	    (rc = audit_check_independence(db, org_id, next)) != 0)
		return rc;
	if ((rc = audit_checklist_build(&list, json_object_get(next, "requirements"),
	    json_object_get(next, "checklist"))) != 0)
		return rc;
	json_object_set_new(next, "checklist", list);
	if ((rc = audit_check_checklist(db, actor, old, next)) != 0)
		return rc;
	return audit_check_issue(old, next);
}

static const char *const audit_done[] = { "reported", "closed", NULL };
static const struct record_due audit_due[] = {
	{ "planned_start", "internal audit", true, "lead_auditor", true },
	{ NULL, NULL },
};

/* The auditor's pages (web/page_audit.c) and the report. */
static const struct record_view audit_views[] = {
	{ "checklist", "Checklist" },
	{ "report", "Report" },
	{ NULL, NULL },
};

const struct record_kind record_kind_audit = {
	.name = "audits",
	.singular = "audit",
	.plural = "audits",
	.prefix = "AUD",
	.clause = "9.2.1",
	.section = "Performance evaluation",
	.nav_label = "Internal audits",
	.retain = true,
	.perm_kind = "audit",
	.fields = audit_fields,
	.hooks = { .validate = audit_validate },
	.workflow = &audit_workflow,
	.done = audit_done,
	.due = audit_due,
	.views = audit_views,
};
