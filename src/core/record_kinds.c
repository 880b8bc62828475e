/*
 * record_kinds.c - the record kinds in navigation order. Each kind is
 * declared in its own kind_*.c file; the API routes, web pages and CLI are
 * generated from this table.
 */
#include "core/record_private.h"

/* The terminator record.h promises: a kind whose name is NULL. */
static const struct record_kind record_kind_end = { .name = NULL };

const struct record_kind *const record_kinds[] = {
	&record_kind_scope,
	&record_kind_context_issue,
	&record_kind_interested_party,
	&record_kind_document,
	&record_kind_responsibility,
	&record_kind_ai_system,
	&record_kind_supplier,
	&record_kind_risk_criteria,
	&record_kind_risk,
	&record_kind_impact,
	&record_kind_soa,
	&record_kind_measure,
	&record_kind_evidence,
	&record_kind_end,
};
