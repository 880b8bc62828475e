/*
 * coverage.h - how much of another framework (EU AI Act, NIST AI RMF,
 * ISO/IEC 27001 Annex A, OWASP Top 10 for LLM, MITRE ATLAS) an
 * organisation's ISO/IEC 42001 management system covers, read through the
 * typed mappings of core/crosswalk.h.
 *
 * First each ISO/IEC 42001 requirement named by a mapping gets a state from
 * the organisation's records:
 *   met       implemented (an implemented measure linked to it, its SoA
 *             entry implemented, or an approved document for it) and shown
 *             by current evidence (linked to it or to one of those measures;
 *             valid_until not passed); or met in readiness (engine/
 *             readiness.h), which reads the records a clause asks for
 *   partial   something is there (implemented without current evidence,
 *             planned or in progress, a draft document, evidence alone, or
 *             partly met in readiness)
 *   none      nothing
 *   excluded  an Annex A control the SoA excludes
 * Then each requirement of the framework (every entry without children):
 *   covered      its ISO/IEC 42001 side holds all of it (equivalent-to,
 *                equal-to or subset-of) and every target is met
 *   partial      some target is met or partial, or every target is met but
 *                the framework asks for more (superset-of, intersects-with)
 *   not_covered  nothing behind it, or no ISO/IEC 42001 counterpart
 * with `missing`: what is lacking, in words, target by target.
 *
 * The answer: {framework, title, edition, mapping {title, method,
 * matching_rationale, status, description}, evaluated_at, counts {covered,
 * partial, not_covered, total}, score (0..100: covered counts whole, partial
 * half), items [{id, kind, title, parent, status, relationship, gap,
 * iso42001 [{id, title, state, readiness (its readiness status, when it has
 * one), implemented_by [refs], in_progress [refs], evidence [refs]}],
 * missing [texts]}]}.
 */
#ifndef AIMS_ENGINE_COVERAGE_H
#define AIMS_ENGINE_COVERAGE_H

#include <jansson.h>
#include <stdint.h>

struct db;

#define COVERAGE_REFS_MAX	20	/* records named per ISO/IEC 42001 requirement */

int coverage_evaluate(json_t **out, struct db *db, int64_t org_id, const char *framework);
/*
 * coverage_evaluate() for the coverage page, reused while it stays true
 * (engine/current.h). *out is shared: read it, decref it, never change it.
 */
int coverage_current(json_t **out, struct db *db, int64_t org_id, const char *framework);

#endif
