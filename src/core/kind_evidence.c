/*
 * kind_evidence.c - the `evidence` record: a file (revisions in evidence.c),
 * a link, or another record; when it was collected and until when it is
 * valid; where it came from (a person, CI, monitoring); and what it shows:
 * links to requirements, measures, risks and AI systems.
 */
#include <stdint.h>
#include <string.h>

#include "core/evidence.h"
#include "core/record_private.h"
#include "util/error.h"
#include "util/str.h"

#define EVIDENCE_URL_MAX	2000

static const char *const evidence_kind_values[] = { "file", "link", "record", NULL };
static const char *const source_values[] = { "person", "ci", "monitoring", NULL };
static const char *const run_tool_values[] = { "garak", "promptfoo", NULL };

/* The migration the red-team run fields came with (record.h, struct field `since`). */
#define EVIDENCE_FIELDS_V2	65

/* One probe family's result in a run (core/redteam.h). */
static const struct field run_result_fields[] = {
	{ .name = "family", .label = "Probe family", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED },
	{ .name = "probes", .label = "Probes", .type = FIELD_STRING_LIST },
	{ .name = "attempts", .label = "Evaluated", .type = FIELD_INT, .min = 0,
	  .max = INT64_MAX },
	{ .name = "failed", .label = "Failed", .type = FIELD_INT, .min = 0, .max = INT64_MAX },
	{ .name = "failure_rate", .label = "Failure rate (%)", .type = FIELD_STRING },
	{ .name = "owasp_llm", .label = "OWASP LLM 2025", .type = FIELD_STRING_LIST },
	{ .name = "atlas", .label = "ATLAS", .type = FIELD_STRING_LIST },
	{ .name = "controls", .label = "Annex A controls", .type = FIELD_STRING_LIST },
	{ .name = "metric", .label = "Metric", .type = FIELD_REF, .target = "metrics" },
	{ .name = NULL },
};

static const struct field evidence_fields[] = {
	{ .name = "title", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "kind", .label = "Kind", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_LIST, .values = evidence_kind_values,
	  .help = "a file (upload revisions), a link, or another record" },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "url", .label = "Link", .type = FIELD_STRING, .max = EVIDENCE_URL_MAX,
	  .help = "an http or https address, for evidence that is a link" },
	{ .name = "record", .label = "Record", .type = FIELD_REF,
	  .help = "the reference of the record that is the evidence, for evidence that is "
	  "a record" },
	{ .name = "collected_at", .label = "Collected", .type = FIELD_DATETIME,
	  .flags = FIELD_SORT | FIELD_LIST },
	{ .name = "valid_until", .label = "Valid until", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "source", .label = "Source", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_LIST, .values = source_values },
	{ .name = "requirements", .label = "Requirements", .type = FIELD_REQUIREMENT_LIST,
	  .flags = FIELD_FILTER },
	{ .name = "measures", .label = "Measures", .type = FIELD_REF_LIST, .flags = FIELD_FILTER,
	  .target = "measures" },
	{ .name = "risks", .label = "Risks", .type = FIELD_REF_LIST, .flags = FIELD_FILTER,
	  .target = "risks" },
	{ .name = "ai_systems", .label = "AI systems", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER, .target = "ai-systems" },
	{ .name = "revision", .label = "File revision", .type = FIELD_INT,
	  .flags = FIELD_READONLY | FIELD_LIST },
	{ .name = "sha256", .label = "SHA-256", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_SEARCH },
	{ .name = "size", .label = "Size (bytes)", .type = FIELD_INT, .flags = FIELD_READONLY },
	{ .name = "media_type", .label = "Media type", .type = FIELD_STRING,
	  .flags = FIELD_READONLY },
	{ .name = "filename", .label = "File name", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_SEARCH },
	/*
	 * A red-team or evaluation run imported from its tool's report
	 * (core/redteam.h): set by the import, never by hand.
	 */
	{ .name = "run_tool", .section = "Red-team or evaluation run", .label = "Tool",
	  .type = FIELD_ENUM, .flags = FIELD_READONLY | FIELD_FILTER | FIELD_LIST,
	  .values = run_tool_values, .since = EVIDENCE_FIELDS_V2 },
	{ .name = "run_id", .label = "Run", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_FILTER | FIELD_SEARCH, .since = EVIDENCE_FIELDS_V2 },
	{ .name = "run_tool_version", .label = "Tool version", .type = FIELD_STRING,
	  .flags = FIELD_READONLY, .since = EVIDENCE_FIELDS_V2 },
	{ .name = "run_target", .label = "Model tested", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_SEARCH, .since = EVIDENCE_FIELDS_V2 },
	{ .name = "run_failure_rate", .label = "Failure rate (%)", .type = FIELD_STRING,
	  .flags = FIELD_READONLY | FIELD_LIST, .since = EVIDENCE_FIELDS_V2 },
	{ .name = "run_results", .label = "Results per probe", .type = FIELD_OBJECT_LIST,
	  .flags = FIELD_READONLY, .subfields = run_result_fields, .since = EVIDENCE_FIELDS_V2 },
	{ .name = "owasp_llm", .label = "OWASP Top 10 for LLM (2025)", .type = FIELD_STRING_LIST,
	  .flags = FIELD_READONLY | FIELD_FILTER, .since = EVIDENCE_FIELDS_V2 },
	{ .name = "atlas", .label = "MITRE ATLAS techniques", .type = FIELD_STRING_LIST,
	  .flags = FIELD_READONLY | FIELD_FILTER, .since = EVIDENCE_FIELDS_V2 },
	{ .name = "worse_than", .label = "Worse than the run before", .type = FIELD_REF,
	  .flags = FIELD_READONLY | FIELD_FILTER | FIELD_LIST, .target = "evidence",
	  .since = EVIDENCE_FIELDS_V2 },
	{ .name = "worse_why", .label = "What got worse", .type = FIELD_TEXT,
	  .flags = FIELD_READONLY, .since = EVIDENCE_FIELDS_V2 },
	{ .name = NULL },
};

static int
evidence_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	const char *kind = record__str(next, "kind"), *url = record__str(next, "url");
	const char *collected = record__str(next, "collected_at");
	const char *until = record__str(next, "valid_until");

	(void)db;
	(void)org_id;
	(void)actor;
	(void)old;
	if (url && !str_has_prefix(url, "https://") && !str_has_prefix(url, "http://"))
		return aims_error_set(AIMS_EINVALID, "url",
		    "field 'url' must be an http:// or https:// address");
	if (strcmp(kind, "link") == 0 && url == NULL)
		return aims_error_set(AIMS_EINVALID, "url", "field 'url' is required for a link");
	if (strcmp(kind, "record") == 0 && record__str(next, "record") == NULL)
		return aims_error_set(AIMS_EINVALID, "record",
		    "field 'record' is required for record evidence");
	if (strcmp(kind, "file") != 0 && json_object_get(next, "revision"))
		return aims_error_set(AIMS_ECONFLICT, "kind",
		    "this evidence has file revisions: it stays kind file");
	if (collected && until && strncmp(until, collected, 10) < 0)
		return aims_error_set(AIMS_EINVALID, "valid_until",
		    "field 'valid_until' (%s) is before collected_at (%.10s)", until, collected);
	return 0;
}

static const struct record_due evidence_due[] = {
	{ "valid_until", "evidence expires" },
	{ NULL, NULL },
};

const struct record_kind record_kind_evidence = {
	.name = "evidence",
	.singular = "evidence",
	.plural = "evidence",
	.prefix = "EV",
	.clause = "7.5",
	.section = "Support & operation",
	.retain = true,
	.perm_kind = "operational",
	.files = true,
	.fields = evidence_fields,
	.hooks = { .validate = evidence_validate },
	.due = evidence_due,
	.nav_key = 'e',
	.evidence_for = "requirements",
};
