/*
 * kind_document.c - documented information (5.2, 7.5): policies, procedures,
 * plans and records, with a Markdown body and the status workflow
 * draft -> in_review -> approved -> retired. Approval is a change of status
 * by a manager who did not write the version (compared by user id); it
 * records approved_by and approved_at. Editing an approved document starts
 * a draft revision while the approved version stays in force; every
 * approved version stays unchanged in the history
 * (record_history(..., "approved")). Members acknowledge the approved AI
 * policy and the documents marked as requiring it (core/acknowledge.h).
 */
#include "core/record_private.h"

static const char *const document_kind_values[] = {
	"policy", "procedure", "process", "plan", "record", "other", NULL,
};
static const char *const document_free_fields[] = { "owner", "next_review", NULL };

static const struct record_workflow document_workflow = {
	.field = "status",
	.initial = "draft",
	.steps = record_review_steps,
	.approved = "approved",
	.revert = "draft",
	.final = "retired",
	.free_fields = document_free_fields,
	.signed_by = "approved_by",
	.signed_at = "approved_at",
};

static const struct field document_fields[] = {
	{ .name = "title", .section = "The document", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "kind", .label = "Kind", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .values = document_kind_values },
	{ .name = "is_ai_policy", .label = "This is the AI policy (5.2)", .type = FIELD_BOOL,
	  .flags = FIELD_FILTER },
	{ .name = "requires_acknowledgement", .label = "Members must acknowledge it (7.3)",
	  .type = FIELD_BOOL, .flags = FIELD_FILTER,
	  .help = "each member acknowledges its approved version; the AI policy always asks",
	  .since = 52 },
	{ .name = "body", .label = "Text", .type = FIELD_TEXT, .flags = FIELD_SEARCH,
	  .help = "Markdown" },
	{ .name = "requirements", .label = "Requirements documented", .type = FIELD_REQUIREMENT_LIST,
	  .flags = FIELD_FILTER, .req_kinds = "clause,control" },
	{ .name = "owner", .section = "Approval and review",
	  .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = record_review_states,
	  .help = "draft, in_review, approved (by a manager other than the author), retired" },
	{ .name = "approved_by", .label = "Approved by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_LIST },
	{ .name = "approved_at", .label = "Approved at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY },
	{ .name = "next_review", .label = "Next review", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = NULL },
};

static const char *const document_done[] = { "approved", NULL };
static const struct record_due document_due[] = {
	{ "next_review", "review" },
	{ NULL, NULL },
};
static const struct record_nav_view document_ai_policy = {
	.label = "AI policy", .clause = "5.2", .filter = "is_ai_policy", .value = "true",
};

const struct record_kind record_kind_document = {
	.name = "documents",
	.singular = "document",
	.plural = "documents",
	.prefix = "DOC",
	.clause = "7.5",
	.section = "Leadership",
	.retain = true,
	.perm_kind = "governance",
	.fields = document_fields,
	.workflow = &document_workflow,
	.done = document_done,
	.due = document_due,
	.nav_key = 'p',
	.nav_view = &document_ai_policy,
};
