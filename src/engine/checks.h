/*
 * checks.h - the kinds of readiness check. A readiness rule (catalog/rules-*.json)
 * names a check kind and its parameters; each kind is one function in
 * checks.c, so a new rule of an existing kind is data only.
 *
 * Kinds and their parameters:
 *   not_recorded_yet {what}            fails: the records it needs do not exist yet
 *   exists {records, where, min}       at least min (1) live records of kind
 *                                      `records` match where (linked to a named
 *                                      requirement: counted up to min only, so
 *                                      total is then at most min)
 *   none_failing {records, where, fail_when, empty}
 *                                      no record matching where matches fail_when;
 *                                      fail_when is a condition list, or an object
 *                                      of them keyed by finding code (first match
 *                                      wins); empty names the finding when no
 *                                      record matches where (else the check is
 *                                      not applicable: nothing to examine)
 *   current_approved {records, where, approved, current}
 *                                      one record matching where is approved and
 *                                      current (defaults: status approved,
 *                                      next_review not past)
 *   org_ai_roles {min}                 the organisation's AI roles are determined
 *                                      (declared, or derived from its AI systems);
 *                                      findings "missing", and "undeclared" (roles
 *                                      its systems show that it did not declare)
 *   any {checks}                       one of 2 to 4 checks passes; else the first
 *                                      failing one's answer
 *   soa_published {unchanged}          a published SoA exists (and the draft has
 *                                      not changed since)
 *   audit_coverage {}                  an approved audit programme whose period has
 *                                      not ended, whose audits (reported or
 *                                      planned) cover every clause and applicable
 *                                      Annex A control within its period
 *   concern_channel {}                 the public concern reporting channel is open
 *   deadlines_met {records, empty}     no live record of kind `records` missed the
 *                                      deadline its kind declares (record.h) or met
 *                                      it late (findings "missed", "late"); records
 *                                      with nothing due are not examined
 * Conditions are those of core/query.h; "$control" is the rule's requirement.
 * When a variable the conditions use has no value, the check fails with the
 * finding "no_value".
 */
#ifndef AIMS_ENGINE_CHECKS_H
#define AIMS_ENGINE_CHECKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/query.h"

#define CHECK_FINDINGS_MAX	8	/* finding codes of one check */
#define CHECK_CODE_MAX		32

enum check_status { CHECK_PASS, CHECK_FAIL, CHECK_NA };

/* One way a check fails, with the records concerned. */
struct check_finding {
	char		 code[CHECK_CODE_MAX];	/* keys the rule's reason text */
	int64_t		 count;		/* records concerned (all of them) */
	json_t		*refs;		/* the first refs_max of them (owned) */
};

struct check_result {
	enum check_status	 status;
	int64_t			 total;		/* records examined (0: not counted) */
	int64_t			 failed;	/* records failing (<= total) */
	double			 score;		/* 1 pass, 0 fail, between: share passing */
	struct check_finding	 findings[CHECK_FINDINGS_MAX];
	size_t			 nfindings;
};

struct check_env {
	const struct query_scope	*scope;
	size_t				 refs_max;	/* refs kept per finding */
};

/* Runs check {"kind": ..., params...}; *out is filled (check_result_free). */
int check_run(struct check_result *out, const struct check_env *env, const json_t *check);
/* Checks a check's kind and parameters without running it. */
int check_validate(const json_t *check);
/*
 * Checks over many records of one kind (exists, none_failing) can share one
 * pass: check_batchable() says whether a check can (it is not about one
 * named record), check_batch_flags() how many boolean columns it takes at
 * most (QUERY_FLAGS_MAX per pass), and check_run_batch() runs checks[n], all
 * of the same record kind, filling out[n] as check_run() would; equal
 * condition lists share one column.
 */
bool check_batchable(const json_t *check);
size_t check_batch_flags(const json_t *check);
int check_run_batch(struct check_result *out, const struct check_env *env,
    const json_t *const *checks, size_t n);
void check_result_free(struct check_result *r);
/* A copy sharing the refs arrays (each reference counted). */
void check_result_copy(struct check_result *dst, const struct check_result *src);

#endif
