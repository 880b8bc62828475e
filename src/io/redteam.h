/*
 * redteam.h - reads red-team and evaluation reports into the run
 * core/redteam.h stores: garak report JSONL (the `*.report.jsonl` of a
 * run) and promptfoo result JSON (`promptfoo eval -o results.json`,
 * results version 3).
 *
 * Results are grouped by probe family: a garak probe's module
 * ("promptinject" of promptinject.HijackHateHumans), a promptfoo result's
 * plugin ("pii" of pii:direct; "eval" for a plain evaluation without one).
 * A family is labelled from catalog/redteam/redteam-map.json with the
 * OWASP Top 10 for LLM Applications 2025 ids, MITRE ATLAS techniques and
 * Annex A controls; a garak family not in the table takes the OWASP ids of
 * its probes' owasp:llmNN tags (garak writes the 2023 numbering, which the
 * table translates).
 *
 * garak: the counts are the `eval` lines' fails and total_evaluated per
 * probe (a hit, a detector score at or above the threshold, is a failure);
 * a report without eval lines is counted from its completed attempts'
 * detector scores against run.eval_threshold (0.5 by default).
 * promptfoo: a result with success false is a failure (in a red-team run
 * the attack succeeded).
 */
#ifndef AIMS_IO_REDTEAM_H
#define AIMS_IO_REDTEAM_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"

struct db;
struct evidence_upload;

#define REDTEAM_FILE_MAX	(64 * 1024 * 1024)	/* bytes of a report */
#define REDTEAM_LINE_MAX	(16 * 1024 * 1024)	/* bytes of one garak report line */
#define REDTEAM_RESULTS_MAX	1000000	/* result lines or entries in one report */
#define REDTEAM_THRESHOLD	0.5	/* garak's default eval_threshold */
#define REDTEAM_COUNT_MAX	1000000000000LL	/* attempts counted in one eval line */
#define REDTEAM_COUNT_MAX_STR	"10^12"

enum redteam_format { REDTEAM_GARAK, REDTEAM_PROMPTFOO };

/* "garak" | "promptfoo" -> format; AIMS_EINVALID naming "format" otherwise. */
int redteam_parse_format(enum redteam_format *out, const char *s);

/*
 * Reads a report into *out (the run of core/redteam.h). Errors:
 * AIMS_EINVALID naming where ("line 3" of a garak report, its JSON path
 * such as "line 3: $.fails"; a promptfoo file's JSON path such as
 * "$.results.results[2].success"), AIMS_ETOOBIG over the limits.
 */
int redteam_parse(json_t **out, enum redteam_format f, const char *data, size_t len);

/* Reads and parses the report at path (redteam_parse()) into *out. */
int redteam_read(json_t **out, enum redteam_format f, const char *path);

/* Reads the report at up->path and stores it as evidence (core/redteam.h). */
int redteam_import(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ais_ref, enum redteam_format f, const struct evidence_upload *up, int flags);

#endif
