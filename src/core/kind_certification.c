/*
 * kind_certification.c - the certification cycle with a certification body
 * (ISO/IEC 17021-1): who certifies, the certificate and its scope, and the
 * dates of the Stage 1 and Stage 2 audits, the two surveillance audits and
 * the recertification audit before the certificate ends three years after
 * it was issued. The dates are the calendar's external audits (events); the
 * internal audits and management reviews to hold before each are listed
 * under it (core/work.h), and the dashboard counts the days to the next.
 */
#include <stdio.h>
#include <string.h>

#include "core/record_private.h"
#include "util/error.h"

#define CERT_YEARS	3	/* a certificate's term */

static const char *const cert_status_values[] = {
	"planned", "certified", "suspended", "withdrawn", "expired", NULL,
};

static const struct field cert_fields[] = {
	{ .name = "body", .section = "The certificate", .label = "Certification body",
	  .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST,
	  .max = 200, .help = "the accredited body that audits and certifies" },
	{ .name = "certificate_number", .label = "Certificate number", .type = FIELD_STRING,
	  .flags = FIELD_SEARCH | FIELD_LIST, .max = 100,
	  .help = "as printed on the certificate, once issued" },
	{ .name = "scope", .label = "Scope", .type = FIELD_TEXT, .flags = FIELD_SEARCH,
	  .help = "the scope as the certificate states it" },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = cert_status_values },
	{ .name = "owner", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_LIST,
	  .help = "who prepares the audits with the certification body" },
	{ .name = "stage1_date", .section = "Audit dates", .label = "Stage 1 audit",
	  .type = FIELD_DATE, .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "the documentation review" },
	{ .name = "stage2_date", .label = "Stage 2 audit", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "the audit of the AIMS in operation; on or after Stage 1" },
	{ .name = "issued_on", .label = "Certificate issued", .type = FIELD_DATE,
	  .flags = FIELD_SORT },
	{ .name = "surveillance1_date", .label = "Surveillance audit 1", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT,
	  .help = "within a year of the certification decision" },
	{ .name = "surveillance2_date", .label = "Surveillance audit 2", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT, .help = "after the first, within the second year" },
	{ .name = "recertification_date", .label = "Recertification audit", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT, .help = "before the certificate ends" },
	{ .name = "expires_on", .label = "Certificate ends", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "at most three years after it was issued" },
	{ .name = NULL },
};

/* A later date of the cycle must not come before an earlier one. */
static int
cert_order(const json_t *next, const char *before, const char *after)
{
	const char *a = record__str(next, before), *b = record__str(next, after);
	const struct field *fa = record_field_find(record_kind_find("certification"), before);
	const struct field *fb = record_field_find(record_kind_find("certification"), after);

	if (a == NULL || b == NULL || strcmp(a, b) <= 0)
		return 0;
	return aims_error_set(AIMS_EINVALID, after, "field '%s': the %s (%s) cannot come "
	    "before the %s (%s)", after, fb ? fb->label : after, b, fa ? fa->label : before, a);
}

static int
cert_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	static const char *const order[] = { "stage1_date", "stage2_date", "surveillance1_date",
		"surveillance2_date", "recertification_date", "expires_on", NULL };
	const char *issued, *ends, *prev = NULL;
	char limit[11];
	size_t i;
	int rc, y;

	(void)db;
	(void)org_id;
	(void)actor;
	(void)old;
	if (!json_object_get(next, "status"))
		json_object_set_new(next, "status", json_string("planned"));
	for (i = 0; order[i] != NULL; i++) {
		if (record__str(next, order[i]) == NULL)
			continue;
		if (prev != NULL && (rc = cert_order(next, prev, order[i])) != 0)
			return rc;
		prev = order[i];
	}
	if ((rc = cert_order(next, "stage2_date", "issued_on")) != 0)
		return rc;
	issued = record__str(next, "issued_on");
	ends = record__str(next, "expires_on");
	if (issued != NULL && ends != NULL) {
		/* Dates are checked YYYY-MM-DD: the same day three years on, as text. */
		y = (issued[0] - '0') * 1000 + (issued[1] - '0') * 100 + (issued[2] - '0') * 10 +
		    (issued[3] - '0') + CERT_YEARS;
		snprintf(limit, sizeof(limit), "%04d%s", y, issued + 4);
		if (strcmp(ends, limit) > 0)
			return aims_error_set(AIMS_EINVALID, "expires_on", "field 'expires_on': a "
			    "certificate ends at most %d years after it was issued (%s): by %s",
			    CERT_YEARS, issued, limit);
		if (strcmp(ends, issued) <= 0)
			return aims_error_set(AIMS_EINVALID, "expires_on", "field 'expires_on': "
			    "the certificate must end after it was issued (%s)", issued);
	}
	return 0;
}

static const char *const cert_done[] = { "withdrawn", "expired", NULL };
/* The owner renews the certificate before it ends (the audits are events). */
static const struct record_due cert_due[] = {
	{ "expires_on", "certificate ends", true },
	{ NULL, NULL },
};
static const struct record_due cert_events[] = {
	{ "stage1_date", "Stage 1 audit" },
	{ "stage2_date", "Stage 2 audit" },
	{ "surveillance1_date", "surveillance audit 1" },
	{ "surveillance2_date", "surveillance audit 2" },
	{ "recertification_date", "recertification audit" },
	{ NULL, NULL },
};

const struct record_kind record_kind_certification = {
	.name = "certification",
	.singular = "certification",
	.plural = "certification",
	.prefix = "CERT",
	.clause = "9.2",
	.section = "Performance evaluation",
	.retain = true,
	.perm_kind = "governance",
	.fields = cert_fields,
	.hooks = { .validate = cert_validate },
	.default_sort = "stage1_date",
	.done = cert_done,
	.due = cert_due,
	.events = cert_events,
	.nav_label = "Certification",
};
