/*
 * kind_audit_finding.c - what an internal audit found (9.2.1): its type
 * (major or minor nonconformity, observation, opportunity for
 * improvement), the requirement, a description and the records that show
 * it. A major or minor nonconformity raises a nonconformity record (10.2)
 * in the same transaction, linked to the finding, the audit, the
 * requirement and the records concerned; `nonconformity` names it and
 * cannot be set by hand. Findings are recorded by the audit team while the
 * audit is in progress.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/record_private.h"
#include "util/buf.h"
#include "util/error.h"

static const char *const finding_type_values[] = {
	"major_nc", "minor_nc", "observation", "opportunity", NULL,
};

/* The nonconformities kind (declared beside this one) and its fields. */
#define FINDING_NC_KIND		"nonconformities"
#define FINDING_TITLE_MAX	120	/* a title made from the description */

static const struct field finding_fields[] = {
	{ .name = "title", .section = "The finding", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST,
	  .help = "left empty: the start of the description" },
	{ .name = "audit", .label = "Audit", .type = FIELD_REF,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST, .target = "audits" },
	{ .name = "type", .label = "Type", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .values = finding_type_values,
	  .help = "major_nc and minor_nc raise a nonconformity; observation; opportunity "
	  "for improvement" },
	{ .name = "requirement", .label = "Requirement", .type = FIELD_REQUIREMENT,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .req_kinds = "clause,control", .help = "one of the audit's scope" },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT,
	  .flags = FIELD_REQUIRED | FIELD_SEARCH,
	  .help = "what was found against what the requirement asks" },
	{ .name = "evidence", .label = "Evidence of the finding", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER,
	  .help = "references of the records concerned: EV-3, RISK-12, DOC-2" },
	{ .name = "nonconformity", .label = "Nonconformity raised", .type = FIELD_REF,
	  .flags = FIELD_READONLY | FIELD_FILTER | FIELD_LIST,
	  .help = "made by the system for a major or minor nonconformity" },
	{ .name = NULL },
};

static bool
finding_is_nc(const json_t *data)
{
	const char *t = record__str(data, "type");

	return t != NULL && (strcmp(t, "major_nc") == 0 || strcmp(t, "minor_nc") == 0);
}

/* Sets name in nc when the nonconformities kind declares it (and allows value). */
static void
finding_nc_set(json_t *nc, const struct record_kind *k, const char *name, json_t *value)
{
	const struct field *f = record_field_find(k, name);
	const char *const *v;

	if (f == NULL || value == NULL) {
		json_decref(value);
		return;
	}
	if (f->type == FIELD_ENUM) {
		for (v = f->values; v != NULL && *v != NULL; v++)
			if (json_is_string(value) && strcmp(*v, json_string_value(value)) == 0)
				break;
		if (v == NULL || *v == NULL) {
			json_decref(value);
			return;
		}
	}
	json_object_set_new(nc, name, value);
}

/* The audit of the finding: it must exist here and be open. */
static int
finding_audit(json_t **audit, struct db *db, int64_t org_id, const json_t *next)
{
	const char *ref = record__str(next, "audit"), *status;
	int rc;

	*audit = NULL;
	if ((rc = record__load_data(audit, db, org_id, "audits", ref)) != 0)
		return rc == AIMS_ENOTFOUND ? aims_error_set(rc, "audit", "no audit %s in this "
		    "organisation", ref ? ref : "") : rc;
	status = record__str(*audit, "status");
	if (status != NULL && (strcmp(status, "reported") == 0 || strcmp(status, "closed") == 0))
		return aims_error_set(AIMS_ECONFLICT, "audit", "the report of audit %s is issued: "
		    "its findings no longer change", ref);
	if (status == NULL || strcmp(status, "in_progress") != 0)
		return aims_error_set(AIMS_ECONFLICT, "audit", "audit %s has not started: findings "
		    "are recorded once it is in progress", ref);
	return 0;
}

/*
 * Raises the nonconformity of finding ref (fields in data) and names it in
 * data. The nonconformity is written by the system for the actor, whatever
 * the actor may write elsewhere: it is the consequence of the finding.
 */
static int
finding_raise(struct db *db, int64_t org_id, const struct actor *actor, const char *ref,
    json_t *data)
{
	const struct record_kind *k = record_kind_find(FINDING_NC_KIND);
	const char *type = record__str(data, "type"), *req = record__str(data, "requirement");
	const char *audit = record__str(data, "audit"), *title = record__str(data, "title");
	json_t *nc, *out = NULL, *refs;
	struct buf b = BUF_INIT;
	int rc;

	if (!finding_is_nc(data) || !record__is_empty(json_object_get(data, "nonconformity")))
		return 0;
	if (k == NULL)
		return aims_error_set(AIMS_ECONFLICT, "type", "a %s needs a nonconformity "
		    "record, and this installation declares no nonconformities", type);
	nc = json_object();
	buf_printf(&b, "%s %s (%s, %s): %s", strcmp(type, "major_nc") == 0 ? "Major" : "Minor",
	    "nonconformity found by audit", audit ? audit : "", ref,
	    record__str(data, "description") ?: "");
	finding_nc_set(nc, k, "title", json_string(title ? title : buf_str(&b)));
	finding_nc_set(nc, k, "description", json_string(buf_str(&b)));
	finding_nc_set(nc, k, "source", json_string("audit_finding"));
	finding_nc_set(nc, k, "requirements", req ? json_pack("[s]", req) : NULL);
	finding_nc_set(nc, k, "severity", json_string(strcmp(type, "major_nc") == 0 ?
	    "major" : "minor"));
	finding_nc_set(nc, k, "finding", json_string(ref));
	finding_nc_set(nc, k, "audit_finding", json_string(ref));
	finding_nc_set(nc, k, "audit", audit ? json_string(audit) : NULL);
	refs = json_object_get(data, "evidence");
	finding_nc_set(nc, k, "records", refs ? json_deep_copy(refs) : NULL);
	finding_nc_set(nc, k, "related", refs ? json_deep_copy(refs) : NULL);
	buf_free(&b);
	rc = record__create_system(&out, db, org_id, actor, k, nc);
	json_decref(nc);
	if (rc != 0)
		return rc;
	json_object_set(data, "nonconformity", json_object_get(out, "ref"));
	json_decref(out);
	return 0;
}

static int
finding_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	const char *req = record__str(next, "requirement"), *desc, *lead;
	json_t *audit = NULL, *v;
	char *email = NULL, title[FINDING_TITLE_MAX + 1];
	bool in_scope = false, on_team = false;
	size_t i;
	int rc;

	if ((rc = finding_audit(&audit, db, org_id, next)) != 0)
		goto done;
	json_array_foreach(json_object_get(audit, "requirements"), i, v)
		if (req != NULL && json_is_string(v) && strcmp(json_string_value(v), req) == 0)
			in_scope = true;
	if (!in_scope) {
		rc = aims_error_set(AIMS_EINVALID, "requirement", "%s is not in the scope of "
		    "audit %s", req ? req : "(none)", record__str(next, "audit"));
		goto done;
	}
	if ((rc = record__actor_email(&email, db, actor)) != 0)
		goto done;
	lead = record__str(audit, "lead_auditor");
	on_team = email != NULL && lead != NULL && strcasecmp(lead, email) == 0;
	json_array_foreach(json_object_get(audit, "team"), i, v)
		if (email != NULL && json_is_string(v) &&
		    strcasecmp(json_string_value(v), email) == 0)
			on_team = true;
	if (!on_team) {
		rc = aims_error_set(AIMS_EFORBIDDEN, "audit", "only the lead auditor and the "
		    "team of audit %s record its findings", record__str(next, "audit"));
		goto done;
	}
	if (old != NULL && !record__is_empty(json_object_get(old, "nonconformity")) &&
	    !finding_is_nc(next)) {
		rc = aims_error_set(AIMS_ECONFLICT, "type", "this finding raised nonconformity "
		    "%s: it stays a nonconformity (handle it there)",
		    record__str(old, "nonconformity"));
		goto done;
	}
	if (record__is_empty(json_object_get(next, "title")) &&
	    (desc = record__str(next, "description")) != NULL) {
		snprintf(title, sizeof(title), "%s", desc);
		title[strcspn(title, "\r\n")] = '\0';
		/* Cut at a character boundary, not inside a UTF-8 sequence. */
		if (strlen(desc) >= sizeof(title)) {
			size_t n = strlen(title);

			while (n > 0 && ((unsigned char)desc[n] & 0xC0) == 0x80)
				n--;
			title[n] = '\0';
		}
		json_object_set_new(next, "title", json_string(title));
	}
	/* A finding changed into a nonconformity raises it now; a new one once it has its ref. */
	if (old != NULL)
		rc = finding_raise(db, org_id, actor, record__str(old, "ref"), next);
done:
	free(email);
	json_decref(audit);
	return rc;
}


static const struct record_count finding_counts[] = {
	{ .dim = "type", .label = "Audit findings by type", .fields = { "type" },
	  .chart = RECORD_CHART_BARS },
	{ .dim = NULL },
};

const struct record_kind record_kind_audit_finding = {
	.name = "audit-findings",
	.singular = "audit finding",
	.plural = "audit findings",
	.prefix = "FND",
	.clause = "9.2.1",
	.section = "Performance evaluation",
	.retain = true,
	.perm_kind = "audit",
	.fields = finding_fields,
	.hooks = { .validate = finding_validate, .created = finding_raise },
	.counts = finding_counts,
};
