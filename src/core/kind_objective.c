/*
 * kind_objective.c - AI objectives (6.2): what the organisation means to
 * reach, measurable (a metric, a target with its unit, a direction, a due
 * date), who owns it and the plan to reach it (what will be done, with which
 * resources, by whom, when, and how the results are evaluated). Metrics that
 * name the objective (kind_metric.c) carry the readings its page charts.
 */
#include <math.h>
#include <stdlib.h>

#include "core/record_private.h"
#include "util/error.h"

static const char *const objective_status_values[] = {
	"planned", "in_progress", "achieved", "not_achieved", "cancelled", NULL,
};
static const char *const objective_direction_values[] = {
	"higher_is_better", "lower_is_better", NULL,
};

static const struct field objective_fields[] = {
	{ .name = "title", .section = "The objective", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH,
	  .help = "why, and how it is consistent with the AI policy" },
	{ .name = "policy", .label = "AI policy", .type = FIELD_REF, .target = "documents",
	  .help = "the policy the objective serves" },
	{ .name = "metric", .section = "Measure", .label = "Metric", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_LIST,
	  .help = "what is measured, in words: \"share of loan decisions overturned on review\"" },
	{ .name = "target", .label = "Target", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_LIST, .help = "a number: 0.95" },
	{ .name = "unit", .label = "Unit", .type = FIELD_STRING, .flags = FIELD_LIST,
	  .help = "%, ms, count..." },
	{ .name = "direction", .label = "Direction", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED, .values = objective_direction_values,
	  .help = "whether a higher or a lower value is better" },
	{ .name = "due", .label = "Due", .type = FIELD_DATE,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "owner", .section = "Plan", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "plan_what", .label = "What will be done", .type = FIELD_TEXT },
	{ .name = "plan_resources", .label = "Resources", .type = FIELD_TEXT },
	{ .name = "plan_who", .label = "Who is responsible", .type = FIELD_TEXT },
	{ .name = "plan_when", .label = "When it will be completed", .type = FIELD_TEXT },
	{ .name = "plan_evaluation", .label = "How results are evaluated", .type = FIELD_TEXT },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = objective_status_values },
	{ .name = "evaluation", .label = "Evaluation of results", .type = FIELD_TEXT,
	  .help = "what the readings showed, when and by whom it was judged" },
	{ .name = NULL },
};

/* The target is a number a chart can draw and readiness can compare. */
static int
objective_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	const char *target = record__str(next, "target");
	char *end;
	double v;

	(void)db;
	(void)org_id;
	(void)actor;
	(void)old;
	if (!json_object_get(next, "status"))
		json_object_set_new(next, "status", json_string("planned"));
	if (target == NULL)
		return 0;
	v = strtod(target, &end);
	if (end == target || *end != '\0' || !isfinite(v))
		return aims_error_set(AIMS_EINVALID, "target",
		    "field 'target': '%s' is not a number", target);
	return 0;
}

static const char *const objective_done[] = {
	"achieved", "not_achieved", "cancelled", NULL,
};
static const struct record_due objective_due[] = {
	{ "due", "objective due", true },
	{ NULL, NULL },
};

const struct record_kind record_kind_objective = {
	.name = "objectives",
	.singular = "objective",
	.plural = "objectives",
	.prefix = "OBJ",
	.clause = "6.2",
	.section = "Planning",
	.retain = true,
	.perm_kind = "governance",
	.fields = objective_fields,
	.hooks = { .validate = objective_validate },
	.done = objective_done,
	.due = objective_due,
};
