/*
 * readiness.h - certification readiness (gap assessment): evaluates the
 * readiness rules of catalog/rules-iso42001.json over an organisation's
 * records and answers, requirement by requirement, met / partly_met /
 * not_met / not_applicable / confirm_manually with the failing checks and
 * the records they concern, scores per clause and per Annex A area, and a
 * Stage 1 and a Stage 2 verdict.
 *
 * Rules document: {framework, edition, variables, exclusion, rules[]}.
 *   variables  {name: {records, field}}: "$name" in conditions is that field
 *              of the first live record of that kind (risk-criteria threshold)
 *   exclusion  {records, when}: controls whose SoA entry matches `when` are
 *              excluded; their rules are not_applicable unless the rule says
 *              "when_excluded": "evaluate"
 *   rule       {id, requirement | for_each: "control", stage 1|2,
 *              severity blocking|major|minor, check {kind, ...}, reason,
 *              when_excluded}; reason is a text, or an object of texts keyed
 *              by finding code (and "default"); texts may use {count},
 *              {total}, {refs} and {requirement}.
 * Stage 1 is ready when no blocking Stage 1 rule fails; Stage 2 when no
 * blocking rule of either stage fails.
 *
 * Rules may also say gate (failing, the requirement is not met), manual
 * (failing, it is to confirm by hand, not a gap), cause (shared with other
 * rules: one gap), fix (where it is fixed) and reason_many; the document may
 * name conditions ({"use": NAME}) and getting_started steps.
 *
 * The answer (the JSON shared by the CLI, the API and the HTML report):
 * {framework, edition, organisation {slug, name, ai_roles {declared, derived,
 *  effective}}, evaluated_at, score, clause_score, annex_score, counts {met,
 *  partly_met, not_met, not_applicable, confirm_manually}, stages [{stage,
 *  verdict ready|not_ready, blocking_gaps, major_gaps, minor_gaps}] (distinct
 *  gaps), clauses [{id, title, status, score, met, partly_met, not_met,
 *  not_applicable, confirm_manually}], areas [same], gaps [{requirement,
 *  title, rule, stage, severity, grade, fix, affects[], findings}] (one per
 *  cause), next [the first READINESS_NEXT_MAX gaps], to_confirm
 *  [{requirement, title, rule, stage, fix, findings}], getting_started
 *  [{title, requirement, fix, done}], requirements [{id, kind, title, parent,
 *  leaf, status, score, documented_information[], checks [{rule, stage,
 *  severity, grade, status pass|fail|confirm|not_applicable, total, fix,
 *  findings [{code, reason, count, refs[], items [{ref, title}], more}]}]}],
 *  target {stage, verdict, audit_date, days_left, options}, trend [...]}
 * The organisation's readiness options (core/org.h) are read once per
 * evaluation: the rules see the evidence freshness window and the metric
 * evaluation window as the variables $evidence_max_age_days and
 * $metric_window_days, and manual_as_gaps makes "manual" rules count as
 * gaps; target says how far the target stage and the audit date are.
 * Scores are percentages (0..100); not applicable requirements are left out.
 */
#ifndef AIMS_ENGINE_READINESS_H
#define AIMS_ENGINE_READINESS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

#define READINESS_RULES_FILE	"rules-iso42001.json"
#define READINESS_REFS_MAX	20	/* refs listed per finding */
#define READINESS_TREND_DAYS	90	/* snapshots returned with an evaluation */
#define READINESS_NEXT_MAX	10	/* gaps in "next": what to do first */
#define READINESS_STEPS_MAX	32	/* getting-started steps */
#define READINESS_RULES_MAX	2000
#define READINESS_REQS_MAX	2000

enum readiness_flags {
	READINESS_SAVE = 1 << 0,	/* store the evaluation as today's snapshot */
};

/* Evaluates every rule for org_id. Caller owns *out. */
int readiness_evaluate(json_t **out, struct db *db, int64_t org_id, int flags);
/*
 * Readiness as it is now, for a page shown at every view (the dashboard):
 * {evaluated_at, score, clause_score, annex_score, counts, stages,
 * getting_started, next} of an evaluation (not saved), reused while it
 * stays true (engine/current.h). Thread-safe. Caller owns *out.
 */
int readiness_current(json_t **out, struct db *db, int64_t org_id);
/*
 * The whole evaluation as it is now, for the readiness page, reused the
 * same way; a new one is saved as today's snapshot (READINESS_SAVE), so the
 * trend has a point for every day the page was looked at. Thread-safe.
 * *out is shared: the caller reads it and decrefs it, never changes it.
 */
int readiness_current_full(json_t **out, struct db *db, int64_t org_id);
/* The compiled-in rules document, parsed and checked. Caller owns *out. */
int readiness_rules(json_t **out);
/*
 * A rules document from text: parsed, its named conditions expanded, and
 * checked; errors name source and the rule. Caller owns *out.
 */
int readiness_rules_parse(json_t **out, const char *text, size_t len, const char *source);
/* Checks a rules document's shape, rule by rule; the error names the rule. */
int readiness_rules_check(const json_t *doc);

#endif
