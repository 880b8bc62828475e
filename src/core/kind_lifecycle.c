/*
 * kind_lifecycle.c - the records of each stage of an AI system's life cycle
 * (A.6.1, A.6.2): requirements and specification (A.6.2.2), design and
 * development (A.6.2.3), verification and validation with acceptance
 * criteria and results (A.6.2.4), the deployment plan and its approval
 * (A.6.2.5), operation and monitoring (A.6.2.6), technical documentation
 * (A.6.2.7, A.8.2) and the event logs kept (A.6.2.8). Each is approved by
 * a manager who did not write it; an AI system does not move to its
 * deployment stage without an approved verification-and-validation record
 * and an approved deployment record (kind_ai_system.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lifecycle.h"
#include "core/record_private.h"
#include "util/error.h"

static const char *const lifecycle_stage_values[] = {
	"requirements", "design", "verification_validation", "deployment", "operation",
	"technical_documentation", "event_logs", NULL,
};
/* The stage names in words, in lifecycle_stage_values[] order. */
static const char *const lifecycle_stage_words[] = {
	"Requirements and specification", "Design and development",
	"Verification and validation", "Deployment plan", "Operation and monitoring",
	"Technical documentation", "Event logs", NULL,
};
static const char *const lifecycle_free_fields[] = { "owner", NULL };

static const struct record_workflow lifecycle_workflow = {
	.field = "status",
	.initial = "draft",
	.steps = record_review_steps,
	.approved = "approved",
	.revert = "draft",
	.final = "retired",
	.free_fields = lifecycle_free_fields,
	.signed_by = "approved_by",
	.signed_at = "approved_at",
};

static const struct field lifecycle_fields[] = {
	{ .name = "title", .section = "The record", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST,
	  .help = "empty: named after the stage and the system" },
	{ .name = "ai_system", .label = "AI system", .type = FIELD_REF,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .target = "ai-systems" },
	{ .name = "stage", .label = "Stage", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .values = lifecycle_stage_values,
	  .help = "requirements, design, verification_validation, deployment, operation, "
	      "technical_documentation, event_logs" },
	{ .name = "content", .label = "Content", .type = FIELD_TEXT, .flags = FIELD_SEARCH,
	  .help = "Markdown: the specification, design, plan or documentation itself" },
	{ .name = "acceptance_criteria", .section = "Verification, deployment and logs",
	  .label = "Acceptance criteria", .type = FIELD_TEXT,
	  .help = "verification and validation: what the results must show" },
	{ .name = "results", .label = "Results", .type = FIELD_TEXT,
	  .help = "verification and validation: what was found against the criteria" },
	{ .name = "logs_kept", .label = "Event logs kept", .type = FIELD_TEXT,
	  .help = "event logs: which events are recorded, where" },
	{ .name = "log_retention", .label = "Log retention", .type = FIELD_STRING,
	  .help = "event logs: how long they are kept" },
	{ .name = "audience", .label = "For", .type = FIELD_STRING,
	  .help = "technical documentation: the users and interested parties it is for" },
	{ .name = "monitoring", .label = "Monitored by", .type = FIELD_REF_LIST,
	  .help = "operation and monitoring: the metrics and other records that watch the "
	      "system in operation (A.6.2.6)" },
	{ .name = "evidence", .label = "Evidence", .type = FIELD_REF_LIST, .target = "evidence" },
	{ .name = "owner", .section = "Approval", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_LIST },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = record_review_states,
	  .help = "draft, in_review, approved (by a manager other than the author), retired" },
	{ .name = "approved_by", .label = "Approved by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_LIST },
	{ .name = "approved_at", .label = "Approved at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY },
	{ .name = NULL },
};

const char *
lifecycle_stage_label(const char *stage)
{
	size_t i;

	for (i = 0; stage && lifecycle_stage_values[i]; i++)
		if (strcmp(lifecycle_stage_values[i], stage) == 0)
			return lifecycle_stage_words[i];
	return stage;
}

static int
lifecycle_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	const char *ai_ref = record__str(next, "ai_system"), *stage = record__str(next, "stage");
	const char *status = record__str(next, "status");
	char title[RECORD_STRING_MAX];
	json_t *ai = NULL;

	(void)actor;
	(void)old;
	if (record__load_data(&ai, db, org_id, "ai-systems", ai_ref) != 0)
		return aims_error_set(AIMS_EINVALID, "ai_system",
		    "field 'ai_system': AI system %s does not exist", ai_ref ? ai_ref : "");
	if (record__is_empty(json_object_get(next, "title"))) {
		snprintf(title, sizeof(title), "%s: %s", lifecycle_stage_label(stage),
		    record__str(ai, "name") ? record__str(ai, "name") : ai_ref);
		json_object_set_new(next, "title", json_string(title));
	}
	json_decref(ai);
	/* A verification without criteria and results proves nothing. */
	if (stage && status && strcmp(stage, "verification_validation") == 0 &&
	    strcmp(status, "approved") == 0) {
		if (record__is_empty(json_object_get(next, "acceptance_criteria")))
			return aims_error_set(AIMS_EINVALID, "acceptance_criteria",
			    "field 'acceptance_criteria' is required to approve a verification and "
			    "validation record (A.6.2.4)");
		if (record__is_empty(json_object_get(next, "results")))
			return aims_error_set(AIMS_EINVALID, "results",
			    "field 'results' is required to approve a verification and validation "
			    "record (A.6.2.4)");
	}
	return 0;
}

static const char *const lifecycle_done[] = { "approved", NULL };

const struct record_kind record_kind_lifecycle = {
	.name = "lifecycle-records",
	.singular = "life-cycle record",
	.plural = "life-cycle records",
	.prefix = "LC",
	.clause = "A.6.2",
	.section = "Support & operation",
	.retain = true,
	.perm_kind = "operational",
	.fields = lifecycle_fields,
	.hooks = { .validate = lifecycle_validate },
	.workflow = &lifecycle_workflow,
	.done = lifecycle_done,
};

int
lifecycle_has_approved(struct db *db, int64_t org_id, const char *ai_ref, const char *stage)
{
	struct record_query q;
	json_t *items = NULL, *it;
	char *next = NULL;
	size_t i;
	int rc;

	memset(&q, 0, sizeof(q));
	q.limit = RECORD_LIST_MAX;
	q.filter_names[0] = "ai_system";
	q.filter_values[0] = ai_ref;
	q.filter_names[1] = "stage";
	q.filter_values[1] = stage;
	q.nfilters = 2;
	if ((rc = record_list(&items, &next, NULL, db, org_id, &record_kind_lifecycle, &q)) != 0)
		return rc;
	rc = AIMS_ENOTFOUND;
	json_array_foreach(items, i, it) {
		const char *status = record__str(it, "status");

		/* A revision keeps the approved version in force meanwhile. */
		if ((status && strcmp(status, "approved") == 0) ||
		    record__int(it, "in_force_version", 0) > 0) {
			rc = 0;
			break;
		}
	}
	json_decref(items);
	free(next);
	return rc;
}

int
lifecycle_of(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const char *ref)
{
	const struct field *f = record_field_find(&record_kind_lifecycle, "ai_system");
	struct record_query q;
	char *next = NULL;
	int rc;

	*out = NULL;
	if (f == NULL || f->target == NULL || strcmp(k->name, f->target) != 0)
		return 0;
	memset(&q, 0, sizeof(q));
	q.limit = RECORD_LIST_MAX;
	q.sort = "ref";
	q.filter_names[0] = f->name;
	q.filter_values[0] = ref;
	q.nfilters = 1;
	rc = record_list(out, &next, NULL, db, org_id, &record_kind_lifecycle, &q);
	free(next);
	return rc;
}
