/*
 * kind_responsibility.c - roles, responsibilities and authorities (5.3,
 * A.3.2): who is assigned which AIMS role, their duties, and the
 * requirements the role serves.
 */
#include "core/record_private.h"

static const struct field responsibility_fields[] = {
	{ .name = "role_name", .label = "Role", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "assignee", .label = "Assigned to", .type = FIELD_STRING,
	  .flags = FIELD_SEARCH | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "person (name or email) or team" },
	{ .name = "duties", .label = "Duties and authorities", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "requirements", .label = "Requirements", .type = FIELD_REQUIREMENT_LIST,
	  .flags = FIELD_FILTER, .req_kinds = "clause,control" },
	{ .name = NULL },
};

const struct record_kind record_kind_responsibility = {
	.name = "responsibilities",
	.singular = "responsibility",
	.plural = "responsibilities",
	.prefix = "ROLE",
	.clause = "5.3",
	.section = "Leadership",
	.perm_kind = "governance",
	.fields = responsibility_fields,
};
