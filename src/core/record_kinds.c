/*
 * record_kinds.c - the record kinds in navigation order. Each kind is
 * declared whole in its own kind_*.c file (core/record.h: fields, done
 * states, due dates, counts, navigation, files, retention); the API routes,
 * the OpenAPI schemas, the web pages, the dashboard and the CLI read the
 * declarations from this table, so adding a kind is its file and its name
 * here.
 */
#include "core/record_private.h"

/*
 * The kinds in navigation order (the standard's): a kind declared in
 * src/core/kind_NAME.c as `const struct record_kind record_kind_NAME` is
 * served everywhere once its NAME is in this list.
 */
#define RECORD_KINDS(X) \
	X(scope) \
	X(context_issue) \
	X(interested_party) \
	X(eu_ai_act_profile) \
	X(document) \
	X(responsibility) \
	X(ai_system) \
	X(supplier) \
	X(risk_criteria) \
	X(risk) \
	X(impact) \
	X(obligation) \
	X(soa) \
	X(objective) \
	X(change) \
	X(measure) \
	X(competence) \
	X(training) \
	X(communication) \
	X(task) \
	X(lifecycle) \
	X(dataset) \
	X(model) \
	X(evidence) \
	X(incident) \
	X(concern) \
	X(metric) \
	X(audit_programme) \
	X(audit) \
	X(audit_finding) \
	X(management_review) \
	X(attestation) \
	X(certification) \
	X(nonconformity) \
	X(improvement)

#define RECORD_KIND_DECLARE(name)	extern const struct record_kind record_kind_##name;
#define RECORD_KIND_ENTRY(name)		&record_kind_##name,

RECORD_KINDS(RECORD_KIND_DECLARE)

/* The terminator record.h promises: a kind whose name is NULL. */
static const struct record_kind record_kind_end = { .name = NULL };

const struct record_kind *const record_kinds[] = {
	RECORD_KINDS(RECORD_KIND_ENTRY)
	&record_kind_end,
};
