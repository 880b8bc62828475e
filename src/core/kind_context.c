/*
 * kind_context.c - the context of the organisation (4.1, 4.2): internal and
 * external issues, and interested parties with their requirements.
 */
#include "core/record_private.h"

static const char *const issue_kind_values[] = { "internal", "external", NULL };

static const struct field context_issue_fields[] = {
	{ .name = "title", .label = "Issue", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "kind", .label = "Internal or external", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .values = issue_kind_values },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "effect", .label = "Effect on the AIMS", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH,
	  .help = "how it affects the ability to achieve the AIMS's intended results" },
	{ .name = NULL },
};

const struct record_kind record_kind_context_issue = {
	.name = "context-issues",
	.singular = "context issue",
	.plural = "context issues",
	.prefix = "CI",
	.clause = "4.1",
	.section = "Context",
	.perm_kind = "governance",
	.fields = context_issue_fields,
};

static const struct field interested_party_fields[] = {
	{ .name = "name", .label = "Name", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "requirements", .label = "Their requirements", .type = FIELD_STRING_LIST,
	  .flags = FIELD_SEARCH, .max = 2000,
	  .help = "needs and expectations relevant to the AIMS" },
	{ .name = "addressed_by", .label = "Addressed by", .type = FIELD_TEXT,
	  .help = "which requirements the AIMS addresses, and how" },
	{ .name = NULL },
};

const struct record_kind record_kind_interested_party = {
	.name = "interested-parties",
	.singular = "interested party",
	.plural = "interested parties",
	.prefix = "IP",
	.clause = "4.2",
	.section = "Context",
	.perm_kind = "governance",
	.fields = interested_party_fields,
};
