/*
 * kind_audit_programme.c - the internal audit programme (9.2.2): the
 * period it covers (normally the three-year certification cycle), its
 * objectives, criteria and methods, how often each area is audited and who
 * is responsible. It is approved by a manager other than its author; the
 * coverage view (core/audit.h) shows per requirement when it was last
 * audited and when it is planned within the period.
 */
#include <string.h>

#include "core/record_private.h"
#include "util/error.h"

static const char *const programme_free_fields[] = { "owner", NULL };

static const struct record_workflow programme_workflow = {
	.field = "status",
	.initial = "draft",
	.steps = record_review_steps,
	.approved = "approved",
	.revert = "draft",
	.final = "retired",
	.free_fields = programme_free_fields,
	.signed_by = "approved_by",
	.signed_at = "approved_at",
};

static const struct field programme_frequency_fields[] = {
	{ .name = "area", .label = "Area", .type = FIELD_STRING, .flags = FIELD_REQUIRED,
	  .help = "a clause, a group of controls, a process or a site" },
	{ .name = "requirements", .label = "Requirements", .type = FIELD_REQUIREMENT_LIST,
	  .req_kinds = "clause,control" },
	{ .name = "frequency", .label = "How often", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED, .help = "for example: every year, twice in the cycle" },
	{ .name = NULL },
};

static const struct field programme_fields[] = {
	{ .name = "title", .section = "The programme", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "period_start", .label = "Period starts", .type = FIELD_DATE,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "normally the start of the three-year certification cycle" },
	{ .name = "period_end", .label = "Period ends", .type = FIELD_DATE,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "objectives", .label = "Objectives", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "criteria", .label = "Audit criteria", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH, .help = "the standard, the organisation's policies and "
	  "procedures the audits check against" },
	{ .name = "methods", .label = "Methods", .type = FIELD_TEXT, .flags = FIELD_SEARCH,
	  .help = "interviews, sampling of records, observation, remote or on site" },
	{ .name = "frequency", .section = "Frequency and responsibilities",
	  .label = "Frequency per area", .type = FIELD_OBJECT_LIST,
	  .subfields = programme_frequency_fields,
	  .help = "areas of higher risk or with past findings are audited more often" },
	{ .name = "responsibilities", .label = "Responsibilities", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH, .help = "who manages the programme, selects auditors, "
	  "reports results to management" },
	{ .name = "owner", .section = "Approval", .label = "Programme manager",
	  .type = FIELD_USER, .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = record_review_states,
	  .help = "draft, in_review, approved (by a manager other than its author), retired" },
	{ .name = "approved_by", .label = "Approved by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_LIST },
	{ .name = "approved_at", .label = "Approved at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY },
	{ .name = NULL },
};

static int
programme_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	const char *start = record__str(next, "period_start");
	const char *end = record__str(next, "period_end");

	(void)db;
	(void)org_id;
	(void)actor;
	(void)old;
	/* Dates are YYYY-MM-DD here, so text order is date order. */
	if (start != NULL && end != NULL && strcmp(end, start) < 0)
		return aims_error_set(AIMS_EINVALID, "period_end",
		    "the period ends (%s) before it starts (%s)", end, start);
	return 0;
}

static const char *const programme_done[] = { "approved", NULL };

/* When each requirement was last audited and is planned (core/audit.h). */
static const struct record_view programme_views[] = {
	{ "coverage", "Coverage" },
	{ NULL, NULL },
};

const struct record_kind record_kind_audit_programme = {
	.name = "audit-programmes",
	.singular = "audit programme",
	.plural = "audit programmes",
	.prefix = "PROG",
	.clause = "9.2.2",
	.section = "Performance evaluation",
	.retain = true,
	.perm_kind = "audit",
	.fields = programme_fields,
	.hooks = { .validate = programme_validate },
	.workflow = &programme_workflow,
	.done = programme_done,
	.views = programme_views,
};
