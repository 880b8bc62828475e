/*
 * kind_competence.c - competence requirements (7.2, A.4.6): what a person
 * holding an AIMS role must be able to do, for which roles, and how long a
 * training or qualification that shows it stays valid. A person in one of
 * the roles (responsibilities.assignee) without a current training record
 * for the competence is a gap (core/competence.h). Competences marked AI
 * literacy are the EU AI Act Art. 4 requirement every member must meet.
 */
#include "core/record_private.h"

static const struct field competence_fields[] = {
	{ .name = "title", .section = "The competence", .label = "Competence",
	  .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "description", .label = "What it means in practice", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "roles", .label = "Required for the roles", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER | FIELD_LIST, .target = "responsibilities",
	  .help = "whoever is assigned one of these roles must hold the competence" },
	{ .name = "ai_literacy", .label = "AI literacy (EU AI Act Art. 4)", .type = FIELD_BOOL,
	  .flags = FIELD_FILTER | FIELD_LIST,
	  .help = "every member must hold it, whatever their role" },
	{ .name = "how_acquired", .section = "Meeting it",
	  .label = "How it is acquired", .type = FIELD_TEXT,
	  .help = "training, qualification or experience that counts" },
	{ .name = "valid_months", .label = "Valid for (months)", .type = FIELD_INT,
	  .min = 1, .max = 120,
	  .help = "empty: does not expire; trainings record their own valid_until" },
	{ .name = "owner", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_LIST },
	{ .name = NULL },
};

const struct record_kind record_kind_competence = {
	.name = "competences",
	.singular = "competence",
	.plural = "competences",
	.prefix = "COMP",
	.clause = "7.2",
	.section = "Support & operation",
	.retain = true,
	.perm_kind = "governance",
	.fields = competence_fields,
};
