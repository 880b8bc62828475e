/*
 * kind_risk.c - the `risks` record (6.1.2, 6.1.3, 8.2, 8.3): an AI risk with
 * its Annex C source and objective, likelihood x impact scored under the
 * organisation's current risk criteria (inherent and residual score and
 * level, criteria version), its treatment, and the acceptance of the
 * residual risk: by the owner or a manager, never by whoever proposed the
 * risk (compared by user id), and required before a retained risk above the
 * threshold is closed.
 */
#include <stdio.h>
#include <string.h>

#include "core/record_private.h"
#include "core/risk.h"
#include "util/error.h"

static const char *const option_values[] = { "modify", "avoid", "share", "retain", NULL };
static const char *const risk_status_values[] = {
	"identified", "assessed", "treatment_planned", "treated", "accepted", "closed", NULL,
};

static const struct field treatment_fields[] = {
	{ .name = "option", .label = "Treatment option", .type = FIELD_ENUM,
	  .values = option_values },
	{ .name = "plan", .label = "Treatment plan", .type = FIELD_TEXT },
	{ .name = "controls", .label = "Annex A controls", .type = FIELD_REQUIREMENT_LIST,
	  .req_kinds = "control" },
	{ .name = "measures", .label = "Measures", .type = FIELD_REF_LIST, .target = "measures" },
	{ .name = "residual_likelihood", .label = "Residual likelihood", .type = FIELD_INT,
	  .min = 1, .max = RISK_LEVELS_MAX },
	{ .name = "residual_impact", .label = "Residual impact", .type = FIELD_INT,
	  .min = 1, .max = RISK_LEVELS_MAX },
	{ .name = NULL },
};

static const struct field risk_fields[] = {
	{ .name = "title", .section = "The risk", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "ai_systems", .label = "AI systems", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER, .target = "ai-systems" },
	{ .name = "risk_source", .label = "Risk source (Annex C)", .type = FIELD_REQUIREMENT,
	  .flags = FIELD_FILTER, .req_kinds = "risk-source" },
	{ .name = "objective", .label = "Objective affected (Annex C)", .type = FIELD_REQUIREMENT,
	  .flags = FIELD_FILTER, .req_kinds = "objective" },
	{ .name = "likelihood", .section = "Assessment",
	  .label = "Likelihood", .type = FIELD_INT,
	  .flags = FIELD_FILTER | FIELD_SORT, .min = 1, .max = RISK_LEVELS_MAX,
	  .help = "level on the organisation's likelihood scale (1 = lowest)" },
	{ .name = "impact", .label = "Impact", .type = FIELD_INT,
	  .flags = FIELD_FILTER | FIELD_SORT, .min = 1, .max = RISK_LEVELS_MAX,
	  .help = "level on the organisation's impact scale (1 = lowest)" },
	{ .name = "inherent_score", .label = "Inherent score", .type = FIELD_INT,
	  .flags = FIELD_READONLY | FIELD_SORT | FIELD_LIST },
	{ .name = "inherent_level", .label = "Inherent level", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_FILTER | FIELD_LIST },
	{ .name = "owner", .section = "Owner and treatment", .label = "Risk owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "treatment", .label = "Treatment", .type = FIELD_OBJECT,
	  .subfields = treatment_fields },
	{ .name = "residual_score", .label = "Residual score", .type = FIELD_INT,
	  .flags = FIELD_READONLY | FIELD_SORT | FIELD_LIST },
	{ .name = "residual_level", .label = "Residual level", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_FILTER },
	{ .name = "criteria_version", .label = "Risk criteria version", .type = FIELD_INT,
	  .flags = FIELD_READONLY },
	{ .name = "accepted_by", .section = "Acceptance and review",
	  .label = "Accepted by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY },
	{ .name = "accepted_at", .label = "Accepted at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY },
	{ .name = "acceptance_expires", .label = "Acceptance expires", .type = FIELD_DATE,
	  .flags = FIELD_FILTER,
	  .help = "by then the residual risk is accepted again or treated: the owner's work" },
	{ .name = "next_review", .label = "Next review", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = risk_status_values,
	  .help = "set to accepted to accept the residual risk (owner or manager)" },
	{ .name = NULL },
};

static int
risk_check_level(const struct risk_criteria *c, const char *field, int64_t v, int n)
{
	if (v > n)
		return aims_error_set(AIMS_EINVALID, field,
		    "field '%s': %lld is above the %d levels of the risk criteria (version %lld)",
		    field, (long long)v, n, (long long)c->version);
	return 0;
}

/* Sets score/level fields from a likelihood/impact pair, or removes them. */
static int
risk_score_pair(const struct risk_criteria *c, json_t *into, const char *lf, int64_t l,
    const char *imf, int64_t i, const char *score_f, const char *level_f)
{
	int rc, s;

	if ((rc = risk_check_level(c, lf, l, c->nlikelihood)) != 0 ||
	    (rc = risk_check_level(c, imf, i, c->nimpact)) != 0)
		return rc;
	if (l <= 0 || i <= 0) {
		json_object_del(into, score_f);
		json_object_del(into, level_f);
		return 0;
	}
	s = risk_criteria_score(c, (int)l, (int)i);
	json_object_set_new(into, score_f, json_integer(s));
	json_object_set_new(into, level_f, json_string(risk_criteria_level(c, s)));
	return 0;
}

static int
risk_scores(const struct risk_criteria *c, json_t *next)
{
	json_t *t = json_object_get(next, "treatment");
	const char *option = record__str(t, "option");
	int rc;

	if ((rc = risk_score_pair(c, next, "likelihood", record__int(next, "likelihood", 0),
	    "impact", record__int(next, "impact", 0), "inherent_score", "inherent_level")) != 0)
		return rc;
	if ((rc = risk_score_pair(c, next, "treatment.residual_likelihood",
	    record__int(t, "residual_likelihood", 0), "treatment.residual_impact",
	    record__int(t, "residual_impact", 0), "residual_score", "residual_level")) != 0)
		return rc;
	/* Retaining without a new estimate keeps the inherent risk as the residual. */
	if (!json_object_get(next, "residual_score") && option && strcmp(option, "retain") == 0 &&
	    json_object_get(next, "inherent_score")) {
		json_object_set(next, "residual_score", json_object_get(next, "inherent_score"));
		json_object_set(next, "residual_level", json_object_get(next, "inherent_level"));
	}
	json_object_set_new(next, "criteria_version", json_integer(c->version));
	return 0;
}

static int
risk_check_controls(struct db *db, int64_t org_id, const json_t *next)
{
	json_t *controls = json_object_get(json_object_get(next, "treatment"), "controls"), *c;
	bool excluded;
	size_t i;
	int rc;

	json_array_foreach(controls, i, c) {
		if ((rc = soa__control_excluded(&excluded, db, org_id, json_string_value(c))) != 0)
			return rc;
		if (excluded)
			return aims_error_set(AIMS_ECONFLICT, "treatment.controls",
			    "field 'treatment.controls': %s is excluded in the Statement of "
			    "Applicability; include it there first", json_string_value(c));
	}
	return 0;
}

static bool
str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/*
 * A changed residual or option needs a new acceptance; a retained risk above
 * the threshold is not treated or closed without one. Accepting itself is
 * the workflow's step (risk_steps), judged and signed by the engine.
 */
static int
risk_acceptance(const json_t *old, json_t *next, const struct risk_criteria *c)
{
	const char *status = record__str(next, "status"), *was = record__str(old, "status");
	const char *option = record__str(json_object_get(next, "treatment"), "option");
	int64_t residual = record__int(next, "residual_score", -1);

	if (old && json_object_get(next, "accepted_by") &&
	    (!json_equal(json_object_get(old, "residual_score"),
	    json_object_get(next, "residual_score")) ||
	    !str_eq(record__str(json_object_get(old, "treatment"), "option"), option))) {
		json_object_del(next, "accepted_by");
		json_object_del(next, "accepted_at");
		if (str_eq(status, "accepted") && str_eq(was, "accepted"))
			json_object_set_new(next, "status", json_string("treatment_planned"));
		status = record__str(next, "status");
	}
	if ((str_eq(status, "treated") || str_eq(status, "closed")) && str_eq(option, "retain") &&
	    residual > c->threshold && !json_object_get(next, "accepted_by"))
		return aims_error_set(AIMS_ECONFLICT, "status",
		    "acceptance required: the residual score %lld is above the acceptance threshold "
		    "%d and the option is retain; the risk owner or a manager must accept it first "
		    "(status accepted)", (long long)residual, c->threshold);
	return 0;
}

static int
risk_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	struct risk_criteria c;
	int rc;

	if ((rc = risk_criteria_load(&c, db, org_id)) != 0)
		return rc;
	if (!json_object_get(next, "status"))
		json_object_set_new(next, "status", json_string("identified"));
	if ((rc = risk_scores(&c, next)) != 0 || (rc = risk_check_controls(db, org_id, next)) != 0)
		return rc;
	(void)actor;
	return risk_acceptance(old, next, &c);
}

static const char *const risk_done[] = { "treated", "accepted", "closed", NULL };

static const struct record_due risk_due[] = {
	{ "next_review", "risk review" },
	{ "acceptance_expires", "risk acceptance expires" },
	{ NULL, NULL },
};

/*
 * The heat-map cell of the residual risk: the treatment's residual estimate,
 * or, where risk_scores() kept the inherent risk as the residual (retained
 * without a new estimate), the inherent cell.
 */
static bool
risk_residual_cell(char out[RECORD_COUNT_VALUE_MAX], const json_t *record)
{
	const json_t *t = json_object_get(record, "treatment");
	int64_t l = record__int(t, "residual_likelihood", 0), i = record__int(t,
	    "residual_impact", 0);

	if (l <= 0 && json_object_get(record, "residual_score") != NULL) {
		l = record__int(record, "likelihood", 0);
		i = record__int(record, "impact", 0);
	}
	if (l <= 0 || i <= 0)
		return false;
	snprintf(out, RECORD_COUNT_VALUE_MAX, "%lld:%lld", (long long)l, (long long)i);
	return true;
}

static const struct record_count risk_counts[] = {
	{ .dim = "inherent", .label = "Inherent risk",
	  .fields = { "likelihood", "impact" }, .chart = RECORD_CHART_HEATMAP },
	{ .dim = "residual", .label = "Residual risk",
	  .fields = { "treatment.residual_likelihood", "treatment.residual_impact" },
	  .value = risk_residual_cell, .chart = RECORD_CHART_HEATMAP },
	{ .dim = NULL },
};

/* Risk status is free but for accepting the residual risk, which is a sign-off. */
static const struct record_step risk_steps[] = {
	{ .action = "accept", .label = "Accept risk", .to = "accepted", .perm = PERM_APPROVE,
	  .owner_may = true, .signoff = RECORD_SIGNOFF_NOT_PROPOSER, .needs = "residual_score",
	  .needs_why = "nothing to accept yet: give the treatment with a residual likelihood "
	  "and impact (or the option retain)", .confirm = "Accept the residual risk of" },
	{ .action = NULL },
};

static json_t *
risk_scale(const json_t *labels)
{
	json_t *out = json_array(), *l;
	char value[24];
	size_t i;

	json_array_foreach(labels, i, l) {
		snprintf(value, sizeof(value), "%zu", i + 1);
		json_array_append_new(out, json_pack("{s:s, s:O}", "value", value, "title", l));
	}
	return out;
}

/*
 * The likelihood and impact choices labelled with the criteria in force,
 * and every score and level they give (risk_criteria_score and _level, the
 * same rule risk_scores() applies when the risk is saved).
 */
static int
risk_form_hints(json_t **out, struct db *db, int64_t org_id)
{
	struct risk_criteria c;
	json_t *crit = NULL, *grid, *row, *l, *i;
	const char *level;
	int a, b, rc;

	*out = NULL;
	if ((rc = risk_criteria_load(&c, db, org_id)) != 0 ||
	    (rc = risk_criteria_get(&crit, db, org_id)) != 0)
		return rc == AIMS_ECONFLICT ? 0 : rc;	/* no criteria yet: plain numbers */
	l = json_object_get(crit, "likelihood_labels");
	i = json_object_get(crit, "impact_labels");
	grid = json_array();
	for (a = 1; a <= c.nlikelihood; a++) {
		row = json_array();
		for (b = 1; b <= c.nimpact; b++) {
			level = risk_criteria_level(&c, risk_criteria_score(&c, a, b));
			json_array_append_new(row, json_pack("{s:i, s:s?}", "score",
			    risk_criteria_score(&c, a, b), "level", level));
		}
		json_array_append_new(grid, row);
	}
	*out = json_pack("{s:{s:o, s:o, s:o, s:o}, s:[{s:s, s:s, s:[s, s], s:O}, "
	    "{s:s, s:s, s:[s, s], s:O}]}", "scales",
	    "likelihood", risk_scale(l), "impact", risk_scale(i),
	    "treatment.residual_likelihood", risk_scale(l),
	    "treatment.residual_impact", risk_scale(i),
	    "scores",
	    "label", "Inherent risk", "after", "impact", "from", "likelihood", "impact",
	    "grid", grid,
	    "label", "Residual risk", "after", "treatment.residual_impact", "from",
	    "treatment.residual_likelihood", "treatment.residual_impact", "grid", grid);
	json_decref(grid);
	json_decref(crit);
	return 0;
}

static const struct record_workflow risk_workflow = {
	.field = "status",
	.initial = "identified",
	.steps = risk_steps,
	.signed_by = "accepted_by",
	.signed_at = "accepted_at",
	.open = true,
};

const struct record_kind record_kind_risk = {
	.name = "risks",
	.singular = "risk",
	.plural = "risks",
	.prefix = "RISK",
	.clause = "6.1.2",
	.section = "Planning",
	.retain = true,
	.perm_kind = "operational",
	.fields = risk_fields,
	.hooks = { .validate = risk_validate, .form_hints = risk_form_hints },
	.workflow = &risk_workflow,
	.nav_key = 'r',
	.done = risk_done,
	.due = risk_due,
	.counts = risk_counts,
};
