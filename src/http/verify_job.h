/*
 * verify_job.h - ledger verification over HTTP, in the background.
 *
 * Verifying an organisation's audit trail reads every entry, checkpoint
 * and record: seconds of CPU for a large one. Run inside a request, a few
 * callers in a loop would hold every worker thread. Instead a POST starts
 * one run per organisation on its own thread (at a lower CPU priority, with
 * its own database connection and one read snapshot), and GET reports its
 * progress, then its result. At most VERIFY_JOBS_RUNNING runs at once in
 * the process. Results live in memory until the server stops.
 */
#ifndef AIMS_HTTP_VERIFY_JOB_H
#define AIMS_HTTP_VERIFY_JOB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define VERIFY_JOBS_RUNNING	2	/* verifications running at once, all organisations */
#define VERIFY_JOBS_KEPT	1024	/* organisations whose last result is kept */
#define VERIFY_JOB_NICE		10	/* CPU priority of a verification thread */
#define VERIFY_JOB_BY_MAX	320

/*
 * Starts verifying org_id's log (of about entries entries: the run counts
 * them again in its snapshot) unless a run is going on (then *started is
 * false). *out: the run, as verify_job_get() answers it. 0, or
 * HTTP_EUNAVAILABLE when VERIFY_JOBS_RUNNING runs are going on already.
 */
int verify_job_start(json_t **out, bool *started, const char *db_path, int64_t org_id,
    int64_t entries, const char *by);
/*
 * The run of org_id: {run (1, 2, ... since the server started), state:
 * running|done|failed, started_at, started_by,
 * finished_at, progress: {entries_checked, entries_total, records_checked},
 * and once done: verified, entries, checkpoints, records, versions, records_checked,
 * failure; once failed: error}. *running tells which. AIMS_ENOTFOUND if none.
 */
int verify_job_get(json_t **out, bool *running, int64_t org_id);
/* Stops the runs (they end at their next progress report) and forgets them all. */
void verify_job_shutdown(void);

#endif
