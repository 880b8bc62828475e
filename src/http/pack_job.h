/*
 * pack_job.h - audit packs over HTTP, made in the background.
 *
 * A pack reads every cited record version, every evidence file and the
 * log's leaves: seconds to minutes for a large organisation, too long for a
 * request. A POST starts one run per organisation on its own thread (lower
 * CPU priority, its own database connection, one read snapshot) writing
 * the zip under <data dir>/packs/; GET reports its progress, then its
 * result; the finished zip is downloaded from the file, never read into
 * memory. The server keeps each organisation's latest pack until the next
 * one replaces it or the server stops (then the files are removed).
 */
#ifndef AIMS_HTTP_PACK_JOB_H
#define AIMS_HTTP_PACK_JOB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define PACK_JOBS_RUNNING	2	/* packs being made at once, all organisations */
#define PACK_JOBS_KEPT		1024	/* organisations whose latest pack is kept */
#define PACK_JOB_NICE		10	/* CPU priority of a pack thread */
#define PACK_JOB_BY_MAX		320
#define PACK_JOB_ARG_MAX	4096	/* bytes of since or requirements */
#define PACK_JOB_DIR		"packs"

/*
 * Starts org_id's next pack (since and requirements as 'aims pack' takes
 * them; NULL: none) unless one is being made (then *started is false and
 * *out is that one). 0, or HTTP_EUNAVAILABLE when PACK_JOBS_RUNNING are
 * being made already, or AIMS_EINVALID naming the field.
 */
int pack_job_start(json_t **out, bool *started, const char *db_path, int64_t org_id,
    const char *since, const char *requirements, const char *by);
/*
 * The latest pack of org_id: {id, state: running|done|failed, started_at,
 * started_by, finished_at, since, requirements, and once done: size,
 * records, evidence, checkpoints, tree_size; once failed: error}. *running
 * tells which. AIMS_ENOTFOUND when none was made since the server started.
 */
int pack_job_get(json_t **out, bool *running, int64_t org_id);
/*
 * Opens pack id of org_id for download: *fd and *size (caller closes fd).
 * AIMS_ENOTFOUND unless it is the organisation's latest pack and finished.
 */
int pack_job_open(int *fd, uint64_t *size, int64_t org_id, int64_t id);
/* Waits for the runs, removes the packs, forgets them all. */
void pack_job_shutdown(void);

#endif
