/*
 * kind_soa.c - the Statement of Applicability (6.1.3 d-f): one entry per
 * Annex A control, addressed by the control id ("A.6.2.6"), present from the
 * moment the organisation exists (record_org_init() in record_org.c). An
 * entry is justified whether the control is included or excluded; an
 * implemented control names at least one measure; a control that a treated
 * risk relies on cannot be excluded.
 */
#include <stdio.h>
#include <string.h>

#include "core/justify.h"
#include "core/record_private.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"

#define SOA_RISKS_NAMED	3	/* risks named in the exclusion refusal */

static const char *const soa_status_values[] = {
	"not_started", "planned", "partial", "implemented", NULL,
};

static const struct field soa_fields[] = {
	{ .name = "control", .label = "Control", .type = FIELD_REQUIREMENT,
	  .flags = FIELD_READONLY | FIELD_LIST, .req_kinds = "control" },
	{ .name = "title", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_TITLE | FIELD_SEARCH | FIELD_LIST },
	{ .name = "applicable", .label = "Applicable", .type = FIELD_BOOL,
	  .flags = FIELD_FILTER | FIELD_LIST,
	  .help = "whether the control applies here (included) or not (excluded); justify "
	  "either way" },
	{ .name = "justification", .label = "Justification", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "status", .label = "Implementation", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = soa_status_values },
	{ .name = "owner", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_LIST },
	{ .name = "measures", .label = "Measures", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER, .target = "measures" },
	{ .name = NULL },
};

int
soa__control_excluded(bool *excluded, struct db *db, int64_t org_id, const char *control)
{
	json_t *data = NULL;
	int rc;

	*excluded = false;
	rc = record__load_data(&data, db, org_id, "soa", control);
	if (rc == AIMS_ENOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	*excluded = json_is_false(json_object_get(data, "applicable"));
	json_decref(data);
	return 0;
}

/* Refuses the exclusion when live risks list the control in their treatment. */
static int
soa_check_exclusion(struct db *db, int64_t org_id, const char *control)
{
	struct db_stmt *st = NULL;
	struct buf names = BUF_INIT;
	int rc, n = 0;

	if ((rc = db_prepare(&st, db, "SELECT r.ref, r.title FROM record_links l "
	    "JOIN records r ON r.org_id = l.org_id AND r.kind = l.from_kind AND r.ref = l.from_ref "
	    "WHERE l.org_id = ? AND l.to_kind = 'requirement' AND l.to_ref = ? "
	    "AND l.from_kind = 'risks' AND l.field = 'treatment.controls' AND r.retired = 0 "
	    "ORDER BY r.num")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, control);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n++ < SOA_RISKS_NAMED)
			buf_printf(&names, "%s%s (%s)", n > 1 ? ", " : "", db_column_text(st, 0),
			    db_column_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		goto done;
	rc = 0;
	if (n > 0)
		rc = aims_error_set(AIMS_ECONFLICT, "applicable",
		    "%s cannot be excluded: the treatment of %s%s relies on it; change %s first",
		    control, buf_str(&names), n > SOA_RISKS_NAMED ? " and other risks" : "",
		    n > 1 ? "those treatments" : "that treatment");
done:
	buf_free(&names);
	return rc;
}

static int
soa_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	json_t *applicable = json_object_get(next, "applicable");
	const char *status = record__str(next, "status");
	int rc;

	(void)actor;
	if (status == NULL)
		json_object_set_new(next, "status", json_string("not_started"));
	if (applicable && record__is_empty(json_object_get(next, "justification")))
		return aims_error_set(AIMS_EINVALID, "justification",
		    "field 'justification' is required: justify why the control is %s",
		    json_is_true(applicable) ? "included" : "excluded");
	/* Only a changed text is judged: an entry made before the rule stays editable. */
	if (applicable && (old == NULL || !json_equal(json_object_get(old, "justification"),
	    json_object_get(next, "justification"))) &&
	    (rc = justify_check("justification", record__str(next, "justification"),
	    json_is_true(applicable) ? "the control is included" :
	    "the control is excluded (what makes it irrelevant here)")) != 0)
		return rc;
	if (status && strcmp(status, "implemented") == 0 &&
	    record__is_empty(json_object_get(next, "measures")))
		return aims_error_set(AIMS_EINVALID, "measures",
		    "field 'measures': an implemented control needs at least one measure");
	if (json_is_false(applicable) && old &&
	    !json_is_false(json_object_get(old, "applicable")))
		return soa_check_exclusion(db, org_id, record__str(next, "control"));
	return 0;
}

/*
 * The decision the dashboard counts: "applicable:STATUS" for an included
 * control, "excluded", or "undecided" while applicable is not given.
 */
static bool
soa_decision(char out[RECORD_COUNT_VALUE_MAX], const json_t *record)
{
	const json_t *applicable = json_object_get(record, "applicable");
	const char *status = record__str(record, "status");

	if (json_is_true(applicable))
		snprintf(out, RECORD_COUNT_VALUE_MAX, "applicable:%s", status ? status : "");
	else
		snprintf(out, RECORD_COUNT_VALUE_MAX, "%s",
		    json_is_false(applicable) ? "excluded" : "undecided");
	return true;
}

static const struct record_count soa_counts[] = {
	{ .dim = "decision", .label = "Annex A controls by decision", .value = soa_decision,
	  .chart = RECORD_CHART_NONE },
	{ .dim = NULL },
};

const struct record_kind record_kind_soa = {
	.name = "soa",
	.singular = "SoA entry",
	.plural = "SoA entries",
	.prefix = "A.",
	.clause = "6.1.3",
	.section = "Planning",
	.retain = true,
	.fixed = true,
	.perm_kind = "governance",
	.fields = soa_fields,
	.hooks = { .validate = soa_validate },
	.default_sort = "ref",
	.ref_field = "control",
	.nav_label = "Statement of Applicability",
	.nav_key = 's',
	.counts = soa_counts,
};
