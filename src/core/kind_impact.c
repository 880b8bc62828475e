/*
 * kind_impact.c - AI system impact assessments (6.1.4, 8.4, A.5; ISO/IEC
 * 42005 section 6): per AI system, the impacts on individuals, groups and
 * society, approved by a manager who did not write it (draft -> approved).
 *
 * EU AI Act Art. 27: exactly where it applies (core/euact.h: the
 * organisation deploys a high-risk Annex III system and is a body governed
 * by public law or a private entity providing public services, as its EU
 * AI Act profile says, or the system is of Annex III point 5(b) or 5(c)),
 * the fundamental-rights assessment fields fria_* are required before the
 * assessment can be approved (and while it stays approved). Drafts may be
 * saved without them; elsewhere they may be filled in, and are not asked.
 */
#include <stdio.h>
#include <string.h>

#include "core/euact.h"
#include "core/record_private.h"
#include "util/error.h"

static const char *const ia_status_values[] = { "draft", "approved", NULL };
static const char *const ia_free_fields[] = { "owner", "next_assessment", NULL };

static const struct record_step ia_steps[] = {
	{ .action = "approve", .label = "Approve", .from = "draft", .to = "approved",
	  .perm = PERM_APPROVE, .signoff = RECORD_SIGNOFF_NOT_AUTHOR },
	{ .action = "revise", .label = "Start a revision", .from = "approved", .to = "draft",
	  .perm = PERM_WRITE },
	{ .action = NULL },
};

static const struct record_workflow ia_workflow = {
	.field = "status",
	.initial = "draft",
	.steps = ia_steps,
	.approved = "approved",
	.revert = "draft",
	.free_fields = ia_free_fields,
	.signed_by = "approved_by",
	.signed_at = "approved_at",
};

static const char *const on_values[] = { "individuals", "groups", "society", NULL };
static const char *const area_values[] = {
	"fundamental_rights", "safety", "fairness", "privacy", "environment", "economic", "other",
	NULL,
};
static const char *const impact_kind_values[] = { "benefit", "harm", NULL };
static const char *const severity_values[] = {
	"negligible", "minor", "moderate", "major", "severe", NULL,
};
static const char *const likelihood_values[] = {
	"rare", "unlikely", "possible", "likely", "almost_certain", NULL,
};

static const struct field impact_fields[] = {
	{ .name = "on", .label = "Affects", .type = FIELD_ENUM, .flags = FIELD_REQUIRED,
	  .values = on_values },
	{ .name = "area", .label = "Area", .type = FIELD_ENUM, .flags = FIELD_REQUIRED,
	  .values = area_values },
	{ .name = "kind", .label = "Benefit or harm", .type = FIELD_ENUM, .flags = FIELD_REQUIRED,
	  .values = impact_kind_values },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT },
	{ .name = "severity", .label = "Severity", .type = FIELD_ENUM, .values = severity_values },
	{ .name = "likelihood", .label = "Likelihood", .type = FIELD_ENUM,
	  .values = likelihood_values },
	{ .name = "measures", .label = "Measures", .type = FIELD_TEXT,
	  .help = "how the harm is prevented or reduced" },
	{ .name = NULL },
};

/* EU AI Act Art. 27(1) (a)-(f); required as described above. */
static const char *const fria_required[] = {
	"fria_process_description", "fria_period_frequency", "fria_affected_categories",
	"fria_specific_risks", "fria_human_oversight", "fria_risk_measures", NULL,
};

static const struct field ia_fields[] = {
	{ .name = "ai_system", .section = "The assessment",
	  .label = "AI system", .type = FIELD_REF,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_LIST, .target = "ai-systems" },
	{ .name = "title", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST,
	  .help = "defaults to the AI system's name" },
	{ .name = "scope", .label = "Scope of the assessment", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "system_information", .label = "System information", .type = FIELD_TEXT,
	  .help = "what the system does, how, with which models" },
	{ .name = "data_information", .label = "Data information", .type = FIELD_TEXT,
	  .help = "data used in development and operation, its provenance and quality" },
	{ .name = "deployment_environment", .label = "Deployment environment", .type = FIELD_TEXT },
	{ .name = "interested_parties", .label = "Interested parties", .type = FIELD_STRING_LIST },
	{ .name = "impacts", .section = "Impacts",
	  .label = "Impacts", .type = FIELD_OBJECT_LIST,
	  .subfields = impact_fields },
	{ .name = "owner", .section = "Approval and review",
	  .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_LIST },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = ia_status_values },
	{ .name = "approved_by", .label = "Approved by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_LIST },
	{ .name = "approved_at", .label = "Approved at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY },
	{ .name = "next_assessment", .label = "Next assessment", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "fria_process_description",
	  .section = "EU AI Act fundamental rights impact assessment (Art. 27)",
	  .label = "Art. 27(1)(a) Deployer's processes",
	  .type = FIELD_TEXT,
	  .help = "the processes in which the system is used, in line with its intended purpose" },
	{ .name = "fria_period_frequency", .label = "Art. 27(1)(b) Period and frequency of use",
	  .type = FIELD_TEXT },
	{ .name = "fria_affected_categories", .label = "Art. 27(1)(c) Affected persons and groups",
	  .type = FIELD_TEXT,
	  .help = "categories of natural persons and groups likely to be affected" },
	{ .name = "fria_specific_risks", .label = "Art. 27(1)(d) Specific risks of harm",
	  .type = FIELD_TEXT,
	  .help = "to those categories, using the provider's information (Art. 13)" },
	{ .name = "fria_human_oversight", .label = "Art. 27(1)(e) Human oversight measures",
	  .type = FIELD_TEXT, .help = "according to the instructions for use" },
	{ .name = "fria_risk_measures", .label = "Art. 27(1)(f) Measures if risks materialise",
	  .type = FIELD_TEXT,
	  .help = "including internal governance and complaint mechanisms" },
	{ .name = "fria_authority_notified_at", .label = "Art. 27(3) Authority notified on",
	  .type = FIELD_DATE },
	{ .name = NULL },
};

static int
ia_check_art27(struct db *db, int64_t org_id, const char *ai_ref, const json_t *ai,
    const json_t *next)
{
	char why[EUACT_WHY_MAX];
	json_t *profile = NULL;
	const char *const *f;
	int rc;

	if ((rc = euact_profile_load(&profile, db, org_id)) != 0)
		return rc;
	if (!euact_art27_applies(ai, profile, why))
		goto done;
	for (f = fria_required; *f; f++)
		if (record__is_empty(json_object_get(next, *f))) {
			rc = aims_error_set(AIMS_EINVALID, *f,
			    "field '%s' is required to approve the assessment of %s: %s, so its "
			    "fundamental-rights impact assessment is due", *f, ai_ref, why);
			break;
		}
done:
	json_decref(profile);
	return rc;
}

static int
ia_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	const char *ai_ref = record__str(next, "ai_system"), *status = record__str(next, "status");
	char title[RECORD_STRING_MAX];
	json_t *ai = NULL;
	int rc;

	(void)actor;
	(void)old;
	if ((rc = record__load_data(&ai, db, org_id, "ai-systems", ai_ref)) != 0)
		return aims_error_set(AIMS_EINVALID, "ai_system",
		    "field 'ai_system': AI system %s does not exist", ai_ref);
	if (!json_object_get(next, "title")) {
		snprintf(title, sizeof(title), "Impact assessment of %s", record__str(ai, "name"));
		json_object_set_new(next, "title", json_string(title));
	}
	if (status && strcmp(status, "approved") == 0)
		rc = ia_check_art27(db, org_id, ai_ref, ai, next);
	json_decref(ai);
	return rc;
}

static const char *const ia_done[] = { "approved", NULL };
static const struct record_due ia_due[] = {
	{ "next_assessment", "reassessment" },
	{ NULL, NULL },
};

const struct record_kind record_kind_impact = {
	.name = "impact-assessments",
	.singular = "impact assessment",
	.plural = "impact assessments",
	.prefix = "IA",
	.clause = "6.1.4",
	.section = "Planning",
	.retain = true,
	.perm_kind = "operational",
	.fields = ia_fields,
	.hooks = { .validate = ia_validate },
	.workflow = &ia_workflow,
	.done = ia_done,
	.due = ia_due,
};
