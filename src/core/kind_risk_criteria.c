/*
 * kind_risk_criteria.c - the `risk-criteria` record (6.1.2): how this
 * organisation scores risks. Nothing is fixed: scales of 3 to 7 levels with
 * the organisation's labels, the scoring rule, bands and threshold. See risk.h.
 * Approved by a manager who did not write them; a revision of approved
 * criteria leaves the approved version in force until it is approved.
 */
#include <stdio.h>
#include <string.h>

#include "core/record_private.h"
#include "core/risk.h"
#include "util/error.h"

static const char *const scoring_values[] = { "multiply", "add", "matrix", NULL };
static const char *const criteria_status_values[] = { "draft", "approved", NULL };

static const struct field matrix_fields[] = {
	{ .name = "likelihood", .label = "Likelihood", .type = FIELD_INT, .flags = FIELD_REQUIRED,
	  .min = 1, .max = RISK_LEVELS_MAX },
	{ .name = "impact", .label = "Impact", .type = FIELD_INT, .flags = FIELD_REQUIRED,
	  .min = 1, .max = RISK_LEVELS_MAX },
	{ .name = "score", .label = "Score", .type = FIELD_INT, .flags = FIELD_REQUIRED,
	  .min = 0, .max = RISK_SCORE_MAX },
	{ .name = NULL },
};

static const struct field band_fields[] = {
	{ .name = "name", .label = "Level", .type = FIELD_STRING, .flags = FIELD_REQUIRED,
	  .max = RISK_BAND_NAME_MAX },
	{ .name = "min", .label = "From score", .type = FIELD_INT, .flags = FIELD_REQUIRED,
	  .min = 0, .max = RISK_SCORE_MAX },
	{ .name = "max", .label = "To score", .type = FIELD_INT, .flags = FIELD_REQUIRED,
	  .min = 0, .max = RISK_SCORE_MAX },
	{ .name = NULL },
};

static const struct field risk_criteria_fields[] = {
	{ .name = "likelihood_labels", .label = "Likelihood levels", .type = FIELD_STRING_LIST,
	  .flags = FIELD_REQUIRED | FIELD_MANAGER, .max = RISK_BAND_NAME_MAX,
	  .help = "3 to 7 labels, lowest first" },
	{ .name = "impact_labels", .label = "Impact levels", .type = FIELD_STRING_LIST,
	  .flags = FIELD_REQUIRED | FIELD_MANAGER, .max = RISK_BAND_NAME_MAX,
	  .help = "3 to 7 labels, lowest first" },
	{ .name = "scoring", .label = "Scoring rule", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED | FIELD_MANAGER, .values = scoring_values,
	  .help = "likelihood x impact, likelihood + impact, or the matrix below" },
	{ .name = "matrix", .label = "Score matrix", .type = FIELD_OBJECT_LIST,
	  .flags = FIELD_MANAGER, .subfields = matrix_fields,
	  .help = "one score per likelihood and impact pair (scoring rule matrix)" },
	{ .name = "bands", .label = "Risk levels", .type = FIELD_OBJECT_LIST,
	  .flags = FIELD_REQUIRED | FIELD_MANAGER, .subfields = band_fields,
	  .help = "score ranges, lowest first, covering every possible score" },
	{ .name = "acceptance_threshold", .label = "Acceptance threshold", .type = FIELD_INT,
	  .flags = FIELD_REQUIRED | FIELD_MANAGER, .min = 0, .max = RISK_SCORE_MAX,
	  .help = "a retained risk scoring above this needs formal acceptance" },
	{ .name = "methodology", .label = "Methodology", .type = FIELD_TEXT,
	  .flags = FIELD_MANAGER | FIELD_SEARCH,
	  .help = "how the organisation assesses risks (Markdown)" },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_LIST, .values = criteria_status_values,
	  .help = "draft, or approved by a manager who did not write them", .since = 12 },
	{ .name = "approved_by", .label = "Approved by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_LIST, .since = 12 },
	{ .name = "approved_at", .label = "Approved at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY, .since = 12 },
	{ .name = NULL },
};

static const struct record_step criteria_steps[] = {
	{ .action = "approve", .label = "Approve", .from = "draft", .to = "approved",
	  .perm = PERM_APPROVE, .signoff = RECORD_SIGNOFF_NOT_AUTHOR },
	{ .action = "revise", .label = "Start a revision", .from = "approved", .to = "draft",
	  .perm = PERM_WRITE },
	{ .action = NULL },
};

static const struct record_workflow criteria_workflow = {
	.field = "status",
	.initial = "draft",
	.steps = criteria_steps,
	.approved = "approved",
	.revert = "draft",
	.signed_by = "approved_by",
	.signed_at = "approved_at",
};

static int
criteria_scales(struct risk_criteria *c, const json_t *data)
{
	size_t nl = json_array_size(json_object_get(data, "likelihood_labels"));
	size_t ni = json_array_size(json_object_get(data, "impact_labels"));

	if (nl < RISK_LEVELS_MIN || nl > RISK_LEVELS_MAX)
		return aims_error_set(AIMS_EINVALID, "likelihood_labels",
		    "field 'likelihood_labels' needs %d to %d levels (has %zu)",
		    RISK_LEVELS_MIN, RISK_LEVELS_MAX, nl);
	if (ni < RISK_LEVELS_MIN || ni > RISK_LEVELS_MAX)
		return aims_error_set(AIMS_EINVALID, "impact_labels",
		    "field 'impact_labels' needs %d to %d levels (has %zu)",
		    RISK_LEVELS_MIN, RISK_LEVELS_MAX, ni);
	c->nlikelihood = (int)nl;
	c->nimpact = (int)ni;
	return 0;
}

static int
criteria_matrix(struct risk_criteria *c, const json_t *data)
{
	bool seen[RISK_LEVELS_MAX][RISK_LEVELS_MAX];
	json_t *cells = json_object_get(data, "matrix"), *cell;
	int l, i;
	size_t n;

	memset(seen, 0, sizeof(seen));
	if (c->scoring != RISK_SCORING_MATRIX)
		return 0;
	json_array_foreach(cells, n, cell) {
		l = (int)record__int(cell, "likelihood", 0);
		i = (int)record__int(cell, "impact", 0);
		if (l < 1 || l > c->nlikelihood || i < 1 || i > c->nimpact)
			return aims_error_set(AIMS_EINVALID, "matrix",
			    "field 'matrix': cell %zu is outside the %d x %d scales", n,
			    c->nlikelihood, c->nimpact);
		if (seen[l - 1][i - 1])
			return aims_error_set(AIMS_EINVALID, "matrix",
			    "field 'matrix' gives likelihood %d, impact %d twice", l, i);
		seen[l - 1][i - 1] = true;
		c->matrix[l - 1][i - 1] = (int)record__int(cell, "score", 0);
	}
	for (l = 0; l < c->nlikelihood; l++)
		for (i = 0; i < c->nimpact; i++)
			if (!seen[l][i])
				return aims_error_set(AIMS_EINVALID, "matrix",
				    "field 'matrix' has no score for likelihood %d, impact %d",
				    l + 1, i + 1);
	return 0;
}

static int
criteria_bands(struct risk_criteria *c, const json_t *data)
{
	json_t *bands = json_object_get(data, "bands"), *b;
	size_t n;

	if (json_array_size(bands) > RISK_BANDS_MAX)
		return aims_error_set(AIMS_EINVALID, "bands", "field 'bands' has more than %d levels",
		    RISK_BANDS_MAX);
	c->nbands = 0;
	json_array_foreach(bands, n, b) {
		struct risk_band *rb = &c->bands[c->nbands];

		snprintf(rb->name, sizeof(rb->name), "%s", record__str(b, "name"));
		rb->min = (int)record__int(b, "min", 0);
		rb->max = (int)record__int(b, "max", 0);
		if (rb->min > rb->max)
			return aims_error_set(AIMS_EINVALID, "bands",
			    "field 'bands': level '%s' goes from %d down to %d", rb->name, rb->min,
			    rb->max);
		if (c->nbands > 0 && rb->min <= c->bands[c->nbands - 1].max)
			return aims_error_set(AIMS_EINVALID, "bands",
			    "field 'bands': level '%s' overlaps the one before it (list them lowest first)",
			    rb->name);
		c->nbands++;
	}
	return 0;
}

/* Every score the rule can produce falls in exactly one band. */
static int
criteria_cover(const struct risk_criteria *c, int *lo, int *hi)
{
	int l, i, s;

	*lo = RISK_SCORE_MAX;
	*hi = 0;
	for (l = 1; l <= c->nlikelihood; l++)
		for (i = 1; i <= c->nimpact; i++) {
			s = risk_criteria_score(c, l, i);
			if (risk_criteria_level(c, s) == NULL)
				return aims_error_set(AIMS_EINVALID, "bands",
				    "field 'bands': no level holds score %d (likelihood %d, impact %d)",
				    s, l, i);
			if (s < *lo)
				*lo = s;
			if (s > *hi)
				*hi = s;
		}
	return 0;
}

int
risk_criteria_parse(struct risk_criteria *out, const json_t *data)
{
	const char *scoring = record__str(data, "scoring");
	int rc, lo, hi;

	memset(out, 0, sizeof(*out));
	if ((rc = criteria_scales(out, data)) != 0)
		return rc;
	if (scoring == NULL || strcmp(scoring, "multiply") == 0)
		out->scoring = RISK_SCORING_MULTIPLY;
	else if (strcmp(scoring, "add") == 0)
		out->scoring = RISK_SCORING_ADD;
	else
		out->scoring = RISK_SCORING_MATRIX;
	if ((rc = criteria_matrix(out, data)) != 0 || (rc = criteria_bands(out, data)) != 0 ||
	    (rc = criteria_cover(out, &lo, &hi)) != 0)
		return rc;
	out->threshold = (int)record__int(data, "acceptance_threshold", 0);
	if (out->threshold < lo || out->threshold > hi)
		return aims_error_set(AIMS_EINVALID, "acceptance_threshold",
		    "field 'acceptance_threshold' must be a score between %d and %d", lo, hi);
	return 0;
}

int
risk_criteria_get(json_t **out, struct db *db, int64_t org_id)
{
	json_t *rec = NULL, *in_force = NULL;
	json_int_t v;
	int rc;

	*out = NULL;
	if ((rc = record_get(&rec, db, org_id, &record_kind_risk_criteria, NULL)) != 0)
		return rc;
	/* While a revision is open, risks are scored under the approved criteria. */
	if ((v = json_integer_value(json_object_get(rec, "in_force_version"))) > 0) {
		rc = record_version_get(&in_force, db, org_id, &record_kind_risk_criteria, NULL, v);
		json_decref(rec);
		if (rc != 0)
			return rc;
		rec = in_force;
	}
	*out = rec;
	return 0;
}

int
risk_criteria_load(struct risk_criteria *out, struct db *db, int64_t org_id)
{
	json_t *rec = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = risk_criteria_get(&rec, db, org_id);
	if (rc == AIMS_ENOTFOUND)
		return aims_error_set(AIMS_ECONFLICT, NULL,
		    "the organisation has no risk criteria: define them first (risk-criteria)");
	if (rc != 0)
		return rc;
	if ((rc = risk_criteria_parse(out, rec)) == 0)
		out->version = record__int(rec, "version", 0);
	json_decref(rec);
	return rc;
}

int
risk_criteria_score(const struct risk_criteria *c, int likelihood, int impact)
{
	switch (c->scoring) {
	case RISK_SCORING_ADD:
		return likelihood + impact;
	case RISK_SCORING_MATRIX:
		return c->matrix[likelihood - 1][impact - 1];
	case RISK_SCORING_MULTIPLY:
		break;
	}
	return likelihood * impact;
}

const char *
risk_criteria_level(const struct risk_criteria *c, int score)
{
	int i;

	for (i = 0; i < c->nbands; i++)
		if (score >= c->bands[i].min && score <= c->bands[i].max)
			return c->bands[i].name;
	return NULL;
}

json_t *
risk_criteria_default(void)
{
	return json_pack("{s:[s,s,s,s,s], s:[s,s,s,s,s], s:s, s:[{s:s,s:i,s:i},{s:s,s:i,s:i},"
	    "{s:s,s:i,s:i},{s:s,s:i,s:i}], s:i, s:s}",
	    "likelihood_labels", "Rare", "Unlikely", "Possible", "Likely", "Almost certain",
	    "impact_labels", "Negligible", "Minor", "Moderate", "Major", "Severe",
	    "scoring", "multiply",
	    "bands", "name", "low", "min", 1, "max", 4, "name", "medium", "min", 5, "max", 9,
	    "name", "high", "min", 10, "max", 16, "name", "very high", "min", 17, "max", 25,
	    "acceptance_threshold", 9,
	    "methodology", "Likelihood and impact are each rated on five levels; the score is "
	    "likelihood x impact (1 to 25). Risks scoring above 9 after treatment and retained "
	    "need formal acceptance by the risk owner or a manager.");
}

static int
risk_criteria_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	struct risk_criteria c;

	(void)db;
	(void)org_id;
	(void)actor;
	(void)old;
	return risk_criteria_parse(&c, next);
}

const struct record_kind record_kind_risk_criteria = {
	.name = "risk-criteria",
	.singular = "risk criteria",
	.plural = "risk criteria",
	.prefix = "CRITERIA",
	.clause = "6.1.2",
	.section = "Planning",
	.singleton = true,
	.retain = true,
	.fixed = true,
	.perm_kind = "governance",
	.fields = risk_criteria_fields,
	.hooks = { .validate = risk_criteria_validate },
	.workflow = &criteria_workflow,
};
