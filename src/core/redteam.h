/*
 * redteam.h - red-team and evaluation runs (garak, promptfoo) as evidence
 * on an AI system (A.6.2.4 verification and validation).
 *
 * A run, read from its tool's report by io/redteam.h, becomes one evidence
 * record holding the report file, its results per probe family with the
 * OWASP Top 10 for LLM Applications (2025) ids, MITRE ATLAS techniques and
 * Annex A controls they bear on, and links to those controls and the AI
 * system. Each family's failure rate becomes a reading of a metric of the
 * AI system (made the first time a family is seen), pushed through
 * metric_readings_push() so the metric's thresholds, breaches and charts
 * work as for any other. A run that fails more than the previous run of
 * the same tool on the same system is flagged on the evidence and on the
 * AI system.
 */
#ifndef AIMS_CORE_REDTEAM_H
#define AIMS_CORE_REDTEAM_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"

struct db;
struct evidence_upload;

#define REDTEAM_FAMILIES_MAX	500	/* probe families in one run */
#define REDTEAM_METRIC_INTERVAL	2160	/* hours a metric waits for the next run: 90 days */
#define REDTEAM_CHECK		(1 << 0)	/* check everything, keep nothing */

/*
 * Stores run for AI system ais_ref, with the report file up, all or
 * nothing. run: {"tool": "garak"|"promptfoo", "tool_version", "run_id",
 * "target", "started_at" (RFC 3339), "finished_at" (or null), "attempts",
 * "failed", "results": [{"family", "probes": [...], "attempts", "failed",
 * "owasp_llm": [...], "atlas": [...], "controls": [...]}]}.
 * The same run (tool and run_id) imported again for the same system
 * changes nothing and answers the evidence it made. *summary: {"evidence",
 * "ai_system", "failure_rate", "worse_than" (ref or null), "worse_why",
 * "metrics": [refs], "readings_stored", "breaches", "already_imported"}.
 * AIMS_ENOTFOUND for no such AI system in the organisation.
 */
int redteam_store(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ais_ref, const json_t *run, const struct evidence_upload *up, int flags);

/* failed out of attempts as a percentage with up to two decimals ("12.5"). */
void redteam_rate(char out[32], json_int_t failed, json_int_t attempts);

#endif
