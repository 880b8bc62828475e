/*
 * kind_change.c - planned changes to the AIMS (6.3): purpose and potential
 * consequences, the AI systems and records affected, resources and
 * responsibilities, and status. A change marked significant for AI systems
 * flags their risk assessment and impact assessment for review: the change
 * lists the risks and impact assessments of those systems not reviewed
 * (changed) since the change was marked significant, and cannot be done while any is
 * left, or while a system has no impact assessment at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/record_private.h"
#include "util/buf.h"
#include "util/error.h"

static const char *const change_status_values[] = {
	"planned", "approved", "in_progress", "done", "cancelled", NULL,
};

static const struct field change_fields[] = {
	{ .name = "title", .section = "The change", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "purpose", .label = "Purpose", .type = FIELD_TEXT, .flags = FIELD_SEARCH },
	{ .name = "consequences", .label = "Potential consequences", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "ai_systems", .label = "AI systems affected", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER | FIELD_LIST, .target = "ai-systems" },
	{ .name = "records", .label = "Other records affected", .type = FIELD_REF_LIST,
	  .help = "documents, risks, controls... the change touches" },
	{ .name = "significant", .label = "Significant for the AI systems", .type = FIELD_BOOL,
	  .flags = FIELD_FILTER | FIELD_LIST,
	  .help = "their risk and impact assessments must be reviewed before it is done" },
	{ .name = "resources", .section = "Resources and responsibilities",
	  .label = "Resources", .type = FIELD_TEXT },
	{ .name = "responsible", .label = "Responsible", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "planned_for", .label = "Planned for", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = change_status_values },
	{ .name = "reviews_pending", .label = "Assessments to review", .type = FIELD_STRING_LIST,
	  .flags = FIELD_READONLY | FIELD_LIST,
	  .help = "risks and impact assessments of the systems not reviewed since the change "
	      "was planned" },
	{ .name = "review_baseline", .label = "Assessment versions when marked significant",
	  .type = FIELD_STRING_LIST, .flags = FIELD_READONLY,
	  .help = "REF@version: a later version of it counts as its review" },
	{ .name = NULL },
};

/* Most records of one kind a change inspects per AI system. */
#define CHANGE_LINKED_MAX	RECORD_LIST_MAX
#define CHANGE_MARK_MAX		64	/* "IA-12@3" */

static bool
change_has(const json_t *list, const char *ref)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v)
		if (strcmp(json_string_value(v), ref) == 0)
			return true;
	return false;
}

/* The version of ref noted in baseline ("REF@version" entries), or 0. */
static int64_t
change_baseline_version(const json_t *baseline, const char *ref)
{
	size_t i, len = strlen(ref);
	json_t *v;

	json_array_foreach(baseline, i, v) {
		const char *s = json_string_value(v);

		if (s && strncmp(s, ref, len) == 0 && s[len] == '@')
			return strtoll(s + len + 1, NULL, 10);
	}
	return 0;
}

/*
 * For the live records of kind whose field names ai_ref: adds to pending
 * those still at the version noted in baseline, not reviewed since. One not
 * noted yet was written after the baseline was taken when `fresh` (the
 * system was already named by the significant change): it is a review of
 * its own; otherwise (the system is new to the change) its version now is
 * noted and it waits for its review. *n counts the records found.
 */
static int
change_collect(json_t *baseline, json_t *pending, size_t *n, struct db *db, int64_t org_id,
    const char *kind, const char *field, const char *ai_ref, bool fresh)
{
	const struct record_kind *k = record_kind_find(kind);
	char mark[CHANGE_MARK_MAX];
	struct record_query q;
	json_t *items = NULL, *it;
	char *next = NULL;
	size_t i;
	int rc;

	*n = 0;
	if (k == NULL)
		return 0;
	memset(&q, 0, sizeof(q));
	q.limit = CHANGE_LINKED_MAX;
	q.filter_names[0] = field;
	q.filter_values[0] = ai_ref;
	q.nfilters = 1;
	if ((rc = record_list(&items, &next, NULL, db, org_id, k, &q)) != 0)
		return rc;
	json_array_foreach(items, i, it) {
		const char *ref = record__str(it, "ref");
		int64_t version = record__int(it, "version", 0), noted;

		(*n)++;
		if ((noted = change_baseline_version(baseline, ref)) == 0) {
			if (fresh)
				continue;
			snprintf(mark, sizeof(mark), "%s@%lld", ref, (long long)version);
			json_array_append_new(baseline, json_string(mark));
			noted = version;
		}
		if (version <= noted && !change_has(pending, ref))
			json_array_append_new(pending, json_string(ref));
	}
	json_decref(items);
	free(next);
	return 0;
}

static int
change_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	const char *status = record__str(next, "status");
	json_t *systems = json_object_get(next, "ai_systems"), *pending, *baseline, *s;
	const json_t *was = NULL;
	struct buf missing = BUF_INIT, refs = BUF_INIT;
	size_t i, nrisks, nias;
	int rc = 0;

	(void)actor;
	if (status == NULL)
		json_object_set_new(next, "status", json_string(status = "planned"));
	if (!json_is_true(json_object_get(next, "significant")) ||
	    json_array_size(systems) == 0 || strcmp(status, "cancelled") == 0) {
		json_object_del(next, "reviews_pending");
		json_object_del(next, "review_baseline");
		return 0;
	}
	baseline = json_deep_copy(old ? json_object_get(old, "review_baseline") : NULL);
	if (!json_is_array(baseline)) {
		json_decref(baseline);
		baseline = json_array();
	} else
		was = json_object_get(old, "ai_systems");
	pending = json_array();
	json_array_foreach(systems, i, s) {
		const char *ai = json_string_value(s);
		bool fresh = was != NULL && change_has(was, ai);

		if ((rc = change_collect(baseline, pending, &nrisks, db, org_id, "risks",
		    "ai_systems", ai, fresh)) != 0 ||
		    (rc = change_collect(baseline, pending, &nias, db, org_id,
		    "impact-assessments", "ai_system", ai, fresh)) != 0)
			goto out;
		if (nias == 0)
			buf_printf(&missing, "%s%s", missing.len ? ", " : "", ai);
	}
	json_object_set(next, "review_baseline", baseline);
	if (json_array_size(pending) > 0)
		json_object_set(next, "reviews_pending", pending);
	else
		json_object_del(next, "reviews_pending");
	if (strcmp(status, "done") != 0)
		goto out;
	if (missing.len > 0) {
		rc = aims_error_set(AIMS_ECONFLICT, "status",
		    "the change is significant for %s, which has no impact assessment: assess "
		    "the impact before the change is done", buf_str(&missing));
		goto out;
	}
	if (json_array_size(pending) > 0) {
		json_array_foreach(pending, i, s)
			buf_printf(&refs, "%s%s", i ? ", " : "", json_string_value(s));
		rc = aims_error_set(AIMS_ECONFLICT, "status",
		    "the change is significant for its AI systems: review %s (unchanged since "
		    "the change was marked significant) before the change is done",
		    buf_str(&refs));
	}
out:
	buf_free(&missing);
	buf_free(&refs);
	json_decref(pending);
	json_decref(baseline);
	return rc;
}

static const char *const change_done[] = { "done", "cancelled", NULL };
static const struct record_due change_due[] = {
	{ "planned_for", "planned change", true, "responsible" },
	{ NULL, NULL },
};

const struct record_kind record_kind_change = {
	.name = "changes",
	.singular = "change",
	.plural = "changes",
	.prefix = "CHG",
	.clause = "6.3",
	.section = "Planning",
	.retain = true,
	.perm_kind = "operational",
	.fields = change_fields,
	.hooks = { .validate = change_validate },
	.done = change_done,
	.due = change_due,
};
