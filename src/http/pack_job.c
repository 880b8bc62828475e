/*
 * pack_job.c - audit packs made in the background (see pack_job.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/evidence.h"
#include "http/http.h"
#include "http/pack_job.h"
#include "io/pack.h"
#include "ledger/ledger.h"
#include "ledger/note.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/mem.h"

enum pack_job_state { PJ_RUNNING, PJ_DONE, PJ_FAILED };

struct pack_job {
	struct pack_job		*next;
	int64_t			 org_id;
	int64_t			 id;		/* 1 for the organisation's first pack, ... */
	enum pack_job_state	 state;
	bool			 joinable;
	pthread_t		 thread;
	char			*db_path;
	char			*path;		/* the zip, once done */
	char			*since, *requirements;
	char			 by[PACK_JOB_BY_MAX];
	char			 started_at[CLOCK_RFC3339_LEN];
	char			 finished_at[CLOCK_RFC3339_LEN];
	char			 error[AIMS_ERROR_MSG_MAX];
	uint64_t		 size;
	struct pack_stats	 stats;
	int64_t			 finished_seq;
};

static pthread_mutex_t pj_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pack_job *pj_head;
static int pj_running;
static bool pj_stopping;
static int64_t pj_seq;

static struct pack_job *
pack_job_find(int64_t org_id)
{
	struct pack_job *j;

	for (j = pj_head; j != NULL; j = j->next)
		if (j->org_id == org_id)
			return j;
	return NULL;
}

/* Called under pj_lock. */
static json_t *
pack_job_json(const struct pack_job *j)
{
	static const char *const states[] = { "running", "done", "failed" };
	json_t *o;

	o = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "id", (json_int_t)j->id,
	    "state", states[j->state], "started_at", j->started_at, "started_by", j->by,
	    "finished_at", j->state == PJ_RUNNING ? NULL : j->finished_at, "since", j->since,
	    "requirements", j->requirements);
	if (o == NULL)
		return NULL;
	if (j->state == PJ_DONE)
		json_object_update_new(o, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "size",
		    (json_int_t)j->size, "files", (json_int_t)j->stats.files, "records",
		    (json_int_t)j->stats.records, "evidence", (json_int_t)j->stats.evidence,
		    "checkpoints", (json_int_t)j->stats.checkpoints, "tree_size",
		    (json_int_t)j->stats.tree_size));
	else if (j->state == PJ_FAILED)
		json_object_set_new(o, "error", json_string(j->error));
	return o;
}

/* Splits the comma-separated ids (in place) as 'aims pack --requirements' does. */
static size_t
pack_job_split(const char **out, char *list)
{
	char *p, *save = NULL;
	size_t n = 0;

	for (p = strtok_r(list, ",", &save); p && n < PACK_REQUIREMENTS_MAX;
	    p = strtok_r(NULL, ",", &save)) {
		while (*p == ' ')
			p++;
		if (*p != '\0')
			out[n++] = p;
	}
	return n;
}

static int
pack_job_run(struct pack_job *j, char **path_out)
{
	const char *reqs[PACK_REQUIREMENTS_MAX];
	struct pack_options po = { 0 };
	struct note_verifier key;
	struct buf path = BUF_INIT, tmp = BUF_INIT;
	struct db *db = NULL;
	struct stat sb;
	char *data_dir = NULL, *reqlist = NULL;
	int fd = -1, rc;

	po.since = j->since;
	if (j->requirements) {
		reqlist = xstrdup(j->requirements);
		po.nrequirements = pack_job_split(reqs, reqlist);
		po.requirements = reqs;
	}
	evidence_data_dir(&data_dir, j->db_path);
	buf_printf(&path, "%s/%s", data_dir, PACK_JOB_DIR);
	if (mkdir(buf_str(&path), 0700) != 0 && errno != EEXIST) {
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot create %s: %s", buf_str(&path),
		    strerror(errno));
		goto done;
	}
	buf_printf(&path, "/org-%lld-%lld.zip", (long long)j->org_id, (long long)j->id);
	buf_printf(&tmp, "%s.tmp", buf_str(&path));
	if ((rc = db_open(&db, j->db_path, DB_OPEN_NO_MIGRATE)) != 0 ||
	    (rc = ledger_pubkey_load_db(&key, j->db_path)) != 0)
		goto done;
	if ((fd = open(buf_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot create %s: %s", buf_str(&tmp),
		    strerror(errno));
		goto done;
	}
	/* One snapshot: the records and the log as they were when the pack began. */
	if ((rc = db_read_begin(db)) != 0)
		goto done;
	rc = pack_write(&j->stats, fd, db, data_dir, j->org_id, &po, &key);
	db_read_end(db);
	if (rc != 0)
		goto done;
	if (fsync(fd) != 0 || fstat(fd, &sb) != 0 || rename(buf_str(&tmp), buf_str(&path)) != 0) {
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot write %s: %s", buf_str(&path),
		    strerror(errno));
		goto done;
	}
	j->size = (uint64_t)sb.st_size;
	*path_out = buf_detach(&path);
done:
	if (fd >= 0)
		close(fd);
	if (rc != 0 && tmp.len > 0)
		unlink(buf_str(&tmp));
	db_close(db);
	buf_free(&path);
	buf_free(&tmp);
	free(reqlist);
	free(data_dir);
	return rc;
}

static void *
pack_job_main(void *arg)
{
	struct pack_job *j = arg;
	char *path = NULL;
	int rc;

	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), PACK_JOB_NICE) != 0)
		log_debug("cannot lower the pack's priority");
	rc = pack_job_run(j, &path);
	if (rc != 0)
		log_error("making the audit pack of organisation %lld: %s", (long long)j->org_id,
		    aims_error_message());
	pthread_mutex_lock(&pj_lock);
	if (rc != 0)
		/* What the log or store is missing is the caller's to know; I/O details are not. */
		snprintf(j->error, sizeof(j->error), "%s", rc == AIMS_EVERIFY ||
		    rc == AIMS_EINVALID ? aims_error_message() :
		    "the pack could not be made; the server log has the details");
	j->path = path;
	j->state = rc == 0 ? PJ_DONE : PJ_FAILED;
	clock_format(j->finished_at, clock_now());
	j->finished_seq = ++pj_seq;
	pj_running--;
	pthread_mutex_unlock(&pj_lock);
	return NULL;
}

static void
pack_job_clear(struct pack_job *j)
{
	if (j->path) {
		unlink(j->path);
		free(j->path);
		j->path = NULL;
	}
	free(j->since);
	free(j->requirements);
	j->since = j->requirements = NULL;
}

static void
pack_job_free(struct pack_job *j)
{
	pack_job_clear(j);
	free(j->db_path);
	free(j);
}

/* Under pj_lock: past PACK_JOBS_KEPT organisations, the oldest finished pack goes. */
static void
pack_job_forget_oldest(void)
{
	struct pack_job **pp, **oldest = NULL, *j;
	size_t n = 0;

	for (pp = &pj_head; *pp != NULL; pp = &(*pp)->next) {
		n++;
		if ((*pp)->state != PJ_RUNNING &&
		    (oldest == NULL || (*pp)->finished_seq < (*oldest)->finished_seq))
			oldest = pp;
	}
	if (n < PACK_JOBS_KEPT || oldest == NULL)
		return;
	j = *oldest;
	*oldest = j->next;
	if (j->joinable)
		pthread_join(j->thread, NULL);
	pack_job_free(j);
}

static int
pack_job_args(const char *since, const char *requirements)
{
	time_t t;

	if (since && (strlen(since) > PACK_JOB_ARG_MAX || clock_parse(&t, since) != 0))
		return aims_error_set(AIMS_EINVALID, "since", "field 'since' must be a date "
		    "(YYYY-MM-DD) or an RFC 3339 time");
	if (requirements && (strlen(requirements) > PACK_JOB_ARG_MAX ||
	    strspn(requirements, ", ") == strlen(requirements)))
		return aims_error_set(AIMS_EINVALID, "requirements", "field 'requirements' must "
		    "name requirement ids, separated by commas");
	return 0;
}

int
pack_job_start(json_t **out, bool *started, const char *db_path, int64_t org_id,
    const char *since, const char *requirements, const char *by)
{
	struct pack_job *j;
	int rc;

	*out = NULL;
	*started = false;
	if ((rc = pack_job_args(since, requirements)) != 0)
		return rc;
	pthread_mutex_lock(&pj_lock);
	j = pack_job_find(org_id);
	if (j != NULL && j->state == PJ_RUNNING)
		goto answer;
	if (pj_running >= PACK_JOBS_RUNNING || pj_stopping) {
		pthread_mutex_unlock(&pj_lock);
		return aims_error_set(HTTP_EUNAVAILABLE, NULL,
		    "%d packs are being made for other organisations: retry shortly",
		    PACK_JOBS_RUNNING);
	}
	if (j == NULL) {
		pack_job_forget_oldest();
		j = xcalloc(1, sizeof(*j));
		j->org_id = org_id;
		j->db_path = xstrdup(db_path);
		j->next = pj_head;
		pj_head = j;
	} else if (j->joinable) {
		pthread_join(j->thread, NULL);
		j->joinable = false;
	}
	/* The next pack replaces the last one. */
	pack_job_clear(j);
	j->since = since ? xstrdup(since) : NULL;
	j->requirements = requirements ? xstrdup(requirements) : NULL;
	j->state = PJ_RUNNING;
	j->id++;
	j->size = 0;
	memset(&j->stats, 0, sizeof(j->stats));
	j->error[0] = j->finished_at[0] = '\0';
	snprintf(j->by, sizeof(j->by), "%s", by);
	clock_format(j->started_at, clock_now());
	if ((rc = pthread_create(&j->thread, NULL, pack_job_main, j)) != 0) {
		j->state = PJ_FAILED;
		snprintf(j->error, sizeof(j->error), "the pack could not be started");
		clock_format(j->finished_at, clock_now());
		pthread_mutex_unlock(&pj_lock);
		return aims_error_set(AIMS_ERROR, NULL, "cannot start a pack: %s", strerror(rc));
	}
	j->joinable = true;
	pj_running++;
	*started = true;
answer:
	*out = pack_job_json(j);
	pthread_mutex_unlock(&pj_lock);
	return *out != NULL ? 0 : aims_error_set(AIMS_ERROR, NULL, "out of memory");
}

int
pack_job_get(json_t **out, bool *running, int64_t org_id)
{
	struct pack_job *j;

	*out = NULL;
	*running = false;
	pthread_mutex_lock(&pj_lock);
	if ((j = pack_job_find(org_id)) != NULL) {
		*out = pack_job_json(j);
		*running = j->state == PJ_RUNNING;
	}
	pthread_mutex_unlock(&pj_lock);
	if (j == NULL)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no audit pack was made since the "
		    "server started: POST to /api/v1/orgs/{org}/packs to make one");
	return *out != NULL ? 0 : aims_error_set(AIMS_ERROR, NULL, "out of memory");
}

int
pack_job_open(int *fd, uint64_t *size, int64_t org_id, int64_t id)
{
	struct pack_job *j;
	int rc = 0;

	*fd = -1;
	pthread_mutex_lock(&pj_lock);
	if ((j = pack_job_find(org_id)) == NULL || j->id != id || j->state != PJ_DONE ||
	    j->path == NULL)
		rc = aims_error_set(AIMS_ENOTFOUND, NULL, "no finished audit pack %lld: the "
		    "latest pack only is kept", (long long)id);
	else if ((*fd = open(j->path, O_RDONLY | O_CLOEXEC)) < 0)
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot open the pack: %s", strerror(errno));
	else
		*size = j->size;
	/* Opened under the lock: a newer pack may unlink the name, never these bytes. */
	pthread_mutex_unlock(&pj_lock);
	return rc;
}

void
pack_job_shutdown(void)
{
	struct pack_job *j, *next;

	pthread_mutex_lock(&pj_lock);
	pj_stopping = true;
	j = pj_head;
	pj_head = NULL;
	pthread_mutex_unlock(&pj_lock);
	for (; j != NULL; j = next) {
		next = j->next;
		if (j->joinable)
			pthread_join(j->thread, NULL);
		pack_job_free(j);
	}
	pthread_mutex_lock(&pj_lock);
	pj_running = 0;
	pj_stopping = false;
	pthread_mutex_unlock(&pj_lock);
}
