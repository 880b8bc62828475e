/*
 * kind_metric.c - monitored metrics (9.1, A.6.2.6): a measure of an AI
 * system in operation or of an objective, with its unit, which direction is
 * better, the warning and breach thresholds, how often a reading is expected
 * and where readings come from. Readings are not record fields: pipelines
 * push them in batches into their own table (core/metric.h), each batch one
 * ledger entry. A reading past the breach threshold opens or adds to the
 * record on_breach names (a nonconformity or an incident), so that kind must
 * be served when the metric says so.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/metric.h"
#include "core/record_private.h"
#include "util/clock.h"
#include "util/error.h"

static const char *const metric_direction_values[] = {
	"higher_is_better", "lower_is_better", NULL,
};
static const char *const metric_on_breach_values[] = {
	"nonconformity", "incident", "none", NULL,
};

static const struct field metric_fields[] = {
	{ .name = "title", .section = "The metric", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "ai_system", .label = "AI system", .type = FIELD_REF, .target = "ai-systems",
	  .flags = FIELD_FILTER | FIELD_LIST,
	  .help = "the AI system measured; or name an objective" },
	{ .name = "objective", .label = "Objective", .type = FIELD_REF, .target = "objectives",
	  .flags = FIELD_FILTER | FIELD_LIST,
	  .help = "the objective whose progress it measures" },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "unit", .section = "Thresholds", .label = "Unit", .type = FIELD_STRING,
	  .flags = FIELD_LIST },
	{ .name = "direction", .label = "Direction", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED, .values = metric_direction_values,
	  .help = "whether a higher or a lower value is better" },
	{ .name = "warn", .label = "Warning threshold", .type = FIELD_STRING,
	  .help = "a number; a reading worse than it is a warning" },
	{ .name = "breach", .label = "Breach threshold", .type = FIELD_STRING,
	  .help = "a number; a reading worse than it is a breach" },
	{ .name = "interval_hours", .label = "Expected interval (hours)", .type = FIELD_INT,
	  .flags = FIELD_REQUIRED, .min = 1, .max = METRIC_INTERVAL_HOURS_MAX,
	  .help = "no reading for longer than this makes the metric stale" },
	{ .name = "source", .label = "Source", .type = FIELD_STRING,
	  .help = "the pipeline or monitor that pushes the readings" },
	{ .name = "on_breach", .section = "On breach", .label = "On breach", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED | FIELD_FILTER, .values = metric_on_breach_values,
	  .help = "open or add to a nonconformity or an incident; the AI system's risks are "
		  "marked for re-assessment" },
	{ .name = "requirements", .label = "Requirements", .type = FIELD_REQUIREMENT_LIST,
	  .req_kinds = "control,clause",
	  .help = "what a nonconformity opened by a breach does not meet (default 9.1)" },
	{ .name = "owner", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "who is told and owns what a breach opens" },
	{ .name = "evaluation", .section = "Evaluation", .label = "Evaluation of results",
	  .type = FIELD_TEXT, .help = "what the readings showed and what was decided" },
	{ .name = "evaluated_on", .label = "Evaluated on", .type = FIELD_DATE,
	  .flags = FIELD_SORT | FIELD_LIST },
	{ .name = NULL },
};

static int
metric_check_number(const json_t *next, const char *name, double *out)
{
	const char *s = record__str(next, name);
	char *end;

	*out = NAN;
	if (s == NULL)
		return 0;
	*out = strtod(s, &end);
	if (end == s || *end != '\0' || !isfinite(*out))
		return aims_error_set(AIMS_EINVALID, name, "field '%s': '%s' is not a number",
		    name, s);
	return 0;
}

static int
metric_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	const char *ai = record__str(next, "ai_system"), *obj = record__str(next, "objective");
	const char *on_breach = record__str(next, "on_breach"), *dir;
	const char *target, *ev_on, *ev;
	char today[CLOCK_RFC3339_LEN];
	double warn, breach;
	int rc;

	(void)db;
	(void)org_id;
	(void)actor;
	(void)old;
	/* A date alone says nothing of what the readings showed (9.1 c, d). */
	ev_on = record__str(next, "evaluated_on");
	ev = record__str(next, "evaluation");
	if (ev_on != NULL && (ev == NULL || ev[strspn(ev, " \t\r\n")] == '\0'))
		return aims_error_set(AIMS_EINVALID, "evaluation",
		    "field 'evaluation': say what the readings showed and what was decided; "
		    "'evaluated_on' alone does not record an evaluation");
	clock_format(today, clock_now());
	today[10] = '\0';
	if (ev_on != NULL && strcmp(ev_on, today) > 0)
		return aims_error_set(AIMS_EINVALID, "evaluated_on",
		    "field 'evaluated_on': %s is in the future", ev_on);
	if ((ai == NULL) == (obj == NULL))
		return aims_error_set(AIMS_EINVALID, "ai_system",
		    "field 'ai_system': a metric belongs to an AI system or to an objective "
		    "(one of 'ai_system' and 'objective')");
	if ((rc = metric_check_number(next, "warn", &warn)) != 0 ||
	    (rc = metric_check_number(next, "breach", &breach)) != 0)
		return rc;
	dir = record__str(next, "direction");
	if (!isnan(warn) && !isnan(breach) && dir != NULL &&
	    (strcmp(dir, "higher_is_better") == 0 ? warn < breach : warn > breach))
		return aims_error_set(AIMS_EINVALID, "warn",
		    "field 'warn': the warning threshold %g comes after the breach threshold %g "
		    "for a metric where %s", warn, breach,
		    strcmp(dir, "higher_is_better") == 0 ? "higher is better" :
		    "lower is better");
	if (on_breach != NULL && strcmp(on_breach, "none") != 0) {
		if (isnan(breach))
			return aims_error_set(AIMS_EINVALID, "breach",
			    "field 'breach': on_breach is '%s', so a breach threshold is needed",
			    on_breach);
		if (strcmp(on_breach, "incident") == 0 && ai == NULL)
			return aims_error_set(AIMS_EINVALID, "on_breach",
			    "field 'on_breach': an incident concerns an AI system, so a metric of "
			    "an objective cannot open one (use nonconformity or none)");
		target = metric_breach_kind(on_breach);
		if (target == NULL || record_kind_find(target) == NULL)
			return aims_error_set(AIMS_EINVALID, "on_breach",
			    "field 'on_breach': this server keeps no %s records, so a breach "
			    "cannot open one", target ? target : on_breach);
	}
	return 0;
}

static const struct record_count metric_counts[] = {
	{ .dim = "on_breach", .label = "Metrics by action on breach",
	  .fields = { "on_breach" }, .chart = RECORD_CHART_BARS },
	{ .dim = NULL },
};

const struct record_kind record_kind_metric = {
	.name = "metrics",
	.singular = "metric",
	.plural = "metrics",
	.prefix = "MET",
	.clause = "9.1",
	.section = "Performance evaluation",
	.retain = true,
	.perm_kind = "operational",
	.fields = metric_fields,
	.hooks = { .validate = metric_validate },
	.counts = metric_counts,
};
