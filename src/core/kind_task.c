/*
 * kind_task.c - tasks made by hand: something someone has to do by a date,
 * optionally about a record ("review the supplier contract of SUP-3").
 * Tasks that follow a record's own due dates are not records of this kind:
 * core keeps them from the kinds' due declarations (core/work.h), and "My
 * work" lists both the same way.
 */
#include "core/record_private.h"

static const char *const task_status_values[] = { "open", "done", NULL };

static const struct field task_fields[] = {
	{ .name = "title", .section = "The task", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST,
	  .max = 200, .help = "what is to be done, in a few words" },
	{ .name = "owner", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "the member who does it; they see it under My work" },
	{ .name = "due", .label = "Due", .type = FIELD_DATE,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = task_status_values },
	{ .name = "source", .label = "About", .type = FIELD_REF, .flags = FIELD_FILTER,
	  .help = "the record the task is about, such as RISK-4 (optional)" },
	{ .name = "notes", .label = "Notes", .type = FIELD_TEXT, .flags = FIELD_SEARCH },
	{ .name = NULL },
};

static int
task_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	(void)db;
	(void)org_id;
	(void)actor;
	(void)old;
	if (!json_object_get(next, "status"))
		json_object_set_new(next, "status", json_string("open"));
	return 0;
}

static const char *const task_done[] = { "done", NULL };
static const struct record_due task_due[] = {
	{ "due", "task", true },
	{ NULL, NULL },
};

const struct record_kind record_kind_task = {
	.name = "tasks",
	.singular = "task",
	.plural = "tasks",
	.prefix = "TASK",
	.clause = "7.1",
	.section = "Support & operation",
	.perm_kind = "operational",
	.fields = task_fields,
	.hooks = { .validate = task_validate },
	.done = task_done,
	.due = task_due,
	.task = true,
};
