/*
 * kind_attestation.c - a requirement confirmed by hand. Some of what an
 * auditor checks is not shown by records (top management's commitment in
 * practice, whether climate change is a relevant issue): readiness says
 * "confirm manually" for those, and an attestation is that confirmation:
 * what was verified and how, the evidence looked at, who confirmed it (the
 * approver, never its author, compared by user id) and when, and until when
 * it holds. It is kept apart from the organisation's gaps: an unconfirmed
 * requirement is listed to confirm, not counted as a nonconformity.
 */
#include <string.h>

#include "core/record_private.h"
#include "util/clock.h"
#include "util/error.h"

/* An auditor expects a confirmation by hand to be renewed at least yearly. */
#define ATTESTATION_VALID_DAYS_MAX	366

static const char *const attestation_status_values[] = {
	"draft", "approved", "withdrawn", NULL,
};

static const struct record_step attestation_steps[] = {
	{ .action = "approve", .label = "Confirm", .from = "draft", .to = "approved",
	  .perm = PERM_APPROVE, .signoff = RECORD_SIGNOFF_NOT_AUTHOR },
	{ .action = "revise", .label = "Start a revision", .from = "approved", .to = "draft",
	  .perm = PERM_WRITE },
	{ .action = "withdraw", .label = "Withdraw", .from = "approved", .to = "withdrawn",
	  .perm = PERM_APPROVE, .confirm = "Withdraw this confirmation? The requirement "
	  "will have to be confirmed again." },
	{ .action = NULL },
};

static const struct record_workflow attestation_workflow = {
	.field = "status",
	.initial = "draft",
	.steps = attestation_steps,
	.approved = "approved",
	.revert = "draft",
	.final = "withdrawn",
	.signed_by = "approved_by",
	.signed_at = "approved_at",
};

static const struct field attestation_fields[] = {
	{ .name = "title", .label = "What is confirmed", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "requirement", .label = "Requirement", .type = FIELD_REQUIREMENT,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_LIST, .req_kinds = "clause,control",
	  .help = "the clause or Annex A control it confirms" },
	{ .name = "statement", .label = "What was verified, and how", .type = FIELD_TEXT,
	  .flags = FIELD_REQUIRED | FIELD_SEARCH,
	  .help = "what you looked at, whom you asked, and what you found" },
	{ .name = "evidence", .label = "Evidence", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER, .target = "evidence",
	  .help = "the evidence looked at, when it is kept here" },
	{ .name = "valid_until", .label = "Holds until", .type = FIELD_DATE,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "when it must be confirmed again; at most a year ahead" },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_LIST, .values = attestation_status_values },
	{ .name = "approved_by", .label = "Confirmed by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_LIST },
	{ .name = "approved_at", .label = "Confirmed at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY },
	{ .name = NULL },
};

/* valid_until lies after today and at most ATTESTATION_VALID_DAYS_MAX ahead. */
static int
attestation_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	const char *until = record__str(next, "valid_until");
	char today[CLOCK_RFC3339_LEN], last[CLOCK_RFC3339_LEN];
	time_t now = clock_now();

	(void)db;
	(void)org_id;
	(void)actor;
	if (until == NULL || (old && json_equal(json_object_get(old, "valid_until"),
	    json_object_get(next, "valid_until"))))
		return 0;
	clock_format(today, now);
	clock_format(last, now + (time_t)ATTESTATION_VALID_DAYS_MAX * 86400);
	if (strncmp(until, today, 10) <= 0)
		return aims_error_set(AIMS_EINVALID, "valid_until",
		    "field 'valid_until': a confirmation holds until a date after today");
	if (strncmp(until, last, 10) > 0)
		return aims_error_set(AIMS_EINVALID, "valid_until",
		    "field 'valid_until': a confirmation holds for at most %d days (until %.10s)",
		    ATTESTATION_VALID_DAYS_MAX, last);
	return 0;
}

static const char *const attestation_done[] = { "approved", NULL };
static const struct record_due attestation_due[] = {
	{ "valid_until", "confirmation ends" },
	{ NULL, NULL },
};

const struct record_kind record_kind_attestation = {
	.name = "attestations",
	.singular = "attestation",
	.plural = "attestations",
	.prefix = "ATT",
	.clause = "9.1",
	.section = "Performance evaluation",
	.nav_label = "Confirmed by hand",
	.retain = true,
	.perm_kind = "governance",
	.fields = attestation_fields,
	.hooks = { .validate = attestation_validate },
	.workflow = &attestation_workflow,
	.done = attestation_done,
	.due = attestation_due,
};
