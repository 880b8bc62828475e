/*
 * kind_incident.c - incidents with the AI systems in operation (A.8.4) and
 * their EU AI Act reporting clock (Art. 73).
 *
 * An incident records when it happened and when the organisation became
 * aware of it, what happened, the people and harms affected and its
 * severity. When it is a serious incident in the sense of Art. 3(49) the
 * record computes the read-only report_due (RFC 3339) and report_to from
 * awareness and the organisation's role for that system:
 *
 *   Art. 73(2)  a provider reports to the market surveillance authority
 *               immediately once a causal link is established (or is
 *               reasonably likely), and not later than 15 days after
 *               becoming aware;
 *   Art. 73(3)  not later than 2 days for a widespread infringement or a
 *               serious and irreversible disruption of critical
 *               infrastructure (Art. 3(49)(b));
 *   Art. 73(4)  not later than 10 days where a person died;
 *   Art. 26(5)  a deployer that identifies a serious incident informs
 *               first the provider immediately (then the importer or
 *               distributor and the market surveillance authority): the
 *               record shows the report due at awareness, to the provider.
 *
 * The notification log lists each report made (to whom, when, their
 * reference); reported_at is the earliest of them, so whether the report
 * was in time is a comparison of two stored fields (struct record_deadline:
 * the record page and readiness read it). Incidents link to the
 * nonconformities, risks and communications they concern.
 *
 * Another module opening an incident through record_create() (a metric's
 * breach) gives at least title, ai_system, occurred_at, aware_at and
 * severity; serious incidents also serious_kind and role.
 */
#include <string.h>

#include "core/incident.h"
#include "core/record_private.h"
#include "util/clock.h"
#include "util/error.h"

#define INCIDENT_DAY_SECONDS	(24 * 60 * 60)

static const char *const incident_severity_values[] = {
	"low", "medium", "high", "critical", NULL,
};
static const char *const incident_serious_kind_values[] = {
	"death", "health", "widespread_infringement", "critical_infrastructure",
	"fundamental_rights", "property_environment", NULL,
};
static const char *const incident_role_values[] = { "provider", "deployer", NULL };
static const char *const incident_status_values[] = {
	"open", "investigating", "resolved", "closed", NULL,
};

static const struct record_step incident_steps[] = {
	{ .action = "investigate", .label = "Start investigating", .from = "open",
	  .to = "investigating", .perm = PERM_WRITE, .owner_may = true },
	{ .action = "resolve", .label = "Mark resolved", .from = "investigating",
	  .to = "resolved", .perm = PERM_WRITE, .owner_may = true },
	{ .action = "close", .label = "Close", .from = "resolved", .to = "closed",
	  .perm = PERM_WRITE, .confirm = "Close this incident" },
	{ .action = "reopen", .label = "Reopen", .from = "closed", .to = "investigating",
	  .perm = PERM_WRITE },
	{ .action = NULL },
};

static const struct record_workflow incident_workflow = {
	.field = "status",
	.initial = "open",
	.steps = incident_steps,
};

static const struct field incident_notification_fields[] = {
	{ .name = "to", .label = "To", .type = FIELD_STRING, .flags = FIELD_REQUIRED,
	  .max = 200, .help = "the authority, provider or party informed" },
	{ .name = "at", .label = "When", .type = FIELD_DATETIME, .flags = FIELD_REQUIRED },
	{ .name = "reference", .label = "Their reference", .type = FIELD_STRING, .max = 200 },
	{ .name = "note", .label = "Note", .type = FIELD_TEXT, .max = 4000 },
	{ .name = NULL },
};

static const struct field incident_fields[] = {
	{ .name = "title", .section = "The incident", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "ai_system", .label = "AI system", .type = FIELD_REF,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_LIST, .target = "ai-systems" },
	{ .name = "occurred_at", .label = "Happened at", .type = FIELD_DATETIME,
	  .flags = FIELD_REQUIRED | FIELD_SORT, .help = "UTC, e.g. 2026-03-01T14:00:00Z" },
	{ .name = "aware_at", .label = "Became aware at", .type = FIELD_DATETIME,
	  .flags = FIELD_REQUIRED | FIELD_SORT | FIELD_LIST,
	  .help = "when the organisation became aware of it: the reporting clock starts here" },
	{ .name = "description", .label = "What happened", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "people_affected", .label = "People affected", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH, .help = "who was affected, and how many" },
	{ .name = "harms", .label = "Harms", .type = FIELD_TEXT, .flags = FIELD_SEARCH,
	  .help = "the harm to people, property, the environment or rights" },
	{ .name = "severity", .label = "Severity", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .values = incident_severity_values },
	{ .name = "serious", .section = "EU AI Act reporting (Art. 73)",
	  .label = "Serious incident (Art. 3(49))", .type = FIELD_BOOL, .flags = FIELD_FILTER,
	  .help = "death or serious harm to health; serious and irreversible disruption of "
	  "critical infrastructure; infringement of obligations protecting fundamental rights; "
	  "serious harm to property or the environment" },
	{ .name = "serious_kind", .label = "Kind of serious incident", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER, .values = incident_serious_kind_values,
	  .help = "required for a serious incident: it sets the reporting deadline" },
	{ .name = "role", .label = "Our role for this system", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER, .values = incident_role_values,
	  .help = "a provider reports to the authority within 2, 10 or 15 days; a deployer "
	  "informs the provider immediately" },
	{ .name = "report_due", .label = "Report due", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY | FIELD_SORT | FIELD_LIST },
	{ .name = "report_to", .label = "Report to", .type = FIELD_STRING,
	  .flags = FIELD_READONLY },
	{ .name = "notifications", .label = "Notification log", .type = FIELD_OBJECT_LIST,
	  .subfields = incident_notification_fields,
	  .help = "each report made: to whom, when, and the reference they gave" },
	{ .name = "reported_at", .label = "First reported at", .type = FIELD_DATETIME,
	  .flags = FIELD_READONLY | FIELD_SORT },
	{ .name = "owner", .section = "Handling", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = incident_status_values },
	{ .name = "actions", .label = "Actions taken", .type = FIELD_TEXT, .flags = FIELD_SEARCH },
	{ .name = "nonconformities", .section = "Links", .label = "Nonconformities",
	  .type = FIELD_REF_LIST, .flags = FIELD_FILTER,
	  .help = "references of nonconformity records" },
	{ .name = "risks", .label = "Risks", .type = FIELD_REF_LIST, .flags = FIELD_FILTER,
	  .target = "risks" },
	{ .name = "communications", .label = "Communications", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER,
	  .help = "references of communications to interested parties about it" },
	{ .name = NULL },
};

bool
incident_report_due(time_t *due, const char **to, bool serious, const char *serious_kind,
    const char *role, time_t aware)
{
	int days;

	*to = NULL;
	if (!serious || serious_kind == NULL || role == NULL)
		return false;
	if (strcmp(role, "deployer") == 0) {
		/* Art. 26(5): immediately, first the provider. */
		*due = aware;
		*to = "the provider (then the importer or distributor and the market "
		    "surveillance authority)";
		return true;
	}
	if (strcmp(role, "provider") != 0)
		return false;
	if (strcmp(serious_kind, "death") == 0)
		days = INCIDENT_DAYS_DEATH;
	else if (strcmp(serious_kind, "widespread_infringement") == 0 ||
	    strcmp(serious_kind, "critical_infrastructure") == 0)
		days = INCIDENT_DAYS_WIDESPREAD;
	else if (strcmp(serious_kind, "health") == 0 ||
	    strcmp(serious_kind, "fundamental_rights") == 0 ||
	    strcmp(serious_kind, "property_environment") == 0)
		days = INCIDENT_DAYS_DEFAULT;
	else
		return false;
	*due = aware + (time_t)days * INCIDENT_DAY_SECONDS;
	*to = "the market surveillance authority of the Member State where it occurred";
	return true;
}

/* Each reference in field `name` must be a record of kind `kind`. */
static int
incident_check_refs(const json_t *next, const char *name, const char *kind, const char *what)
{
	const struct record_kind *k;
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(next, name), i, v) {
		k = record_kind_of_ref(json_string_value(v));
		if (k == NULL || strcmp(k->name, kind) != 0)
			return aims_error_set(AIMS_EINVALID, name, "field '%s': %s is not a %s",
			    name, json_string_value(v), what);
	}
	return 0;
}

static int
incident_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	const char *kind = record__str(next, "serious_kind"), *role = record__str(next, "role");
	const char *occurred = record__str(next, "occurred_at");
	const char *aware_s = record__str(next, "aware_at");
	bool serious = json_is_true(json_object_get(next, "serious"));
	char stamp[CLOCK_RFC3339_LEN];
	time_t aware, happened, due, at, first = 0;
	const char *to;
	json_t *n;
	size_t i;
	int rc;

	(void)db;
	(void)org_id;
	(void)actor;
	(void)old;
	if (clock_parse(&aware, aware_s) != 0)
		return aims_error_set(AIMS_EINVALID, "aware_at",
		    "field 'aware_at' must be a date and time (RFC 3339)");
	if (occurred != NULL && clock_parse(&happened, occurred) == 0 && happened > aware)
		return aims_error_set(AIMS_EINVALID, "aware_at",
		    "field 'aware_at' is before 'occurred_at': the organisation cannot become "
		    "aware of an incident before it happens");
	if (serious && kind == NULL)
		return aims_error_set(AIMS_EINVALID, "serious_kind",
		    "field 'serious_kind' is required for a serious incident: it sets the "
		    "reporting deadline (EU AI Act Art. 73)");
	if (serious && role == NULL)
		return aims_error_set(AIMS_EINVALID, "role",
		    "field 'role' is required for a serious incident: a provider reports to the "
		    "authority, a deployer informs the provider (EU AI Act Art. 73, Art. 26(5))");
	if (!serious && kind != NULL)
		return aims_error_set(AIMS_EINVALID, "serious_kind",
		    "field 'serious_kind' is only for a serious incident: set 'serious' to true "
		    "or leave it empty");
	if ((rc = incident_check_refs(next, "nonconformities", "nonconformities",
	    "nonconformity")) != 0 ||
	    (rc = incident_check_refs(next, "communications", "communications",
	    "communication")) != 0)
		return rc;
	if (incident_report_due(&due, &to, serious, kind, role, aware)) {
		clock_format(stamp, due);
		json_object_set_new(next, "report_due", json_string(stamp));
		json_object_set_new(next, "report_to", json_string(to));
	} else {
		json_object_del(next, "report_due");
		json_object_del(next, "report_to");
	}
	json_array_foreach(json_object_get(next, "notifications"), i, n)
		if (clock_parse(&at, record__str(n, "at")) == 0 && (first == 0 || at < first))
			first = at;
	if (first != 0) {
		clock_format(stamp, first);
		json_object_set_new(next, "reported_at", json_string(stamp));
	} else
		json_object_del(next, "reported_at");
	return 0;
}

static const char *const incident_done[] = { "resolved", "closed", NULL };

static const struct record_count incident_counts[] = {
	{ .dim = "severity", .label = "Incidents by severity", .fields = { "severity", NULL },
	  .chart = RECORD_CHART_BARS },
	{ .dim = NULL },
};

static const struct record_deadline incident_deadline = {
	.field = "report_due", .met_by = "reported_at", .to = "report_to",
	.what = "Report of the serious incident",
};

const struct record_kind record_kind_incident = {
	.name = "incidents",
	.singular = "incident",
	.plural = "incidents",
	.prefix = "INC",
	.clause = "A.8.4",
	.section = "Support & operation",
	.retain = true,
	.perm_kind = "operational",
	.fields = incident_fields,
	.hooks = { .validate = incident_validate },
	.default_sort = "-aware_at",
	.workflow = &incident_workflow,
	.done = incident_done,
	.counts = incident_counts,
	.nav_key = 'i',
	.deadline = &incident_deadline,
};
