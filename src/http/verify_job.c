/*
 * verify_job.c - background ledger verification (see verify_job.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "http/http.h"
#include "http/verify_job.h"
#include "ledger/ledger.h"
#include "ledger/note.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/mem.h"

enum verify_job_state { VJ_RUNNING, VJ_DONE, VJ_FAILED };

struct verify_job {
	struct verify_job	*next;
	int64_t			 org_id;
	int64_t			 run;		/* 1 for the organisation's first run, ... */
	enum verify_job_state	 state;
	bool			 joinable;	/* thread to join */
	pthread_t		 thread;
	char			*db_path;
	char			 by[VERIFY_JOB_BY_MAX];
	char			 started_at[CLOCK_RFC3339_LEN];
	char			 finished_at[CLOCK_RFC3339_LEN];
	int64_t			 entries_total, entries_done, records_done;
	int			 rc;		/* 0 or AIMS_EVERIFY once done */
	struct ledger_report	 rep;
	int64_t			 finished_seq;	/* order of completion, to forget the oldest */
};

static pthread_mutex_t vj_lock = PTHREAD_MUTEX_INITIALIZER;
static struct verify_job *vj_head;
static int vj_running;
static bool vj_stopping;
static int64_t vj_seq;

static struct verify_job *
verify_job_find(int64_t org_id)
{
	struct verify_job *j;

	for (j = vj_head; j != NULL; j = j->next)
		if (j->org_id == org_id)
			return j;
	return NULL;
}

/* Called under vj_lock. */
static json_t *
verify_job_json(const struct verify_job *j)
{
	static const char *const states[] = { "running", "done", "failed" };
	json_t *o;

	o = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:{s:I, s:I, s:I}}", "run", (json_int_t)j->run,
	    "state", states[j->state], "started_at", j->started_at, "started_by", j->by, "finished_at",
	    j->state == VJ_RUNNING ? NULL : j->finished_at, "progress", "entries_checked",
	    (json_int_t)j->entries_done, "entries_total", (json_int_t)j->entries_total,
	    "records_checked", (json_int_t)j->records_done);
	if (o == NULL)
		return NULL;
	if (j->state == VJ_DONE)
		json_object_update_new(o, json_pack("{s:b, s:I, s:I, s:I, s:I, s:b, s:s?}",
		    "verified", j->rc == 0, "entries", (json_int_t)j->rep.entries, "checkpoints",
		    (json_int_t)j->rep.checkpoints, "records", (json_int_t)j->rep.records,
		    "versions", (json_int_t)j->rep.versions, "records_checked", j->rep.records_checked, "failure",
		    j->rep.failure[0] ? j->rep.failure : NULL));
	else if (j->state == VJ_FAILED)
		json_object_set_new(o, "error", json_string(vj_stopping ?
		    "the server stopped before the verification finished" :
		    "the verification could not run; the server log has the details"));
	return o;
}

static bool
verify_job_stopping(void)
{
	bool stop;

	pthread_mutex_lock(&vj_lock);
	stop = vj_stopping;
	pthread_mutex_unlock(&vj_lock);
	return stop;
}

static int
verify_job_progress(void *arg, int64_t entries, int64_t records)
{
	struct verify_job *j = arg;
	bool stop;

	pthread_mutex_lock(&vj_lock);
	j->entries_done = entries;
	j->records_done = records;
	stop = vj_stopping;
	pthread_mutex_unlock(&vj_lock);
	return stop ? aims_error_set(AIMS_ERROR, NULL, "the server is stopping") : 0;
}

static int
verify_job_run(struct verify_job *j, struct ledger_report *rep)
{
	struct note_verifier key;
	ledger_load_fn load = NULL;
	ledger_enum_fn enumerate = NULL;
	struct db *db = NULL;
	int64_t total = 0;
	int rc;

	if ((rc = db_open(&db, j->db_path, DB_OPEN_NO_MIGRATE)) != 0 ||
	    (rc = ledger_pubkey_load_db(&key, j->db_path)) != 0)
		goto done;
	/* Lookups planned on fresh statistics (store/db.h); slower without, still right. */
	if (db_refresh_statistics(db) != 0)
		log_warn("verify: the database's statistics were not refreshed: %s",
		    aims_error_message());
	/* One snapshot: what the log and the records were when the run began. */
	if ((rc = db_read_begin(db)) != 0)
		goto done;
	if ((rc = ledger_size(&total, db, j->org_id)) == 0) {
		pthread_mutex_lock(&vj_lock);
		j->entries_total = total;
		pthread_mutex_unlock(&vj_lock);
		ledger_record_source(&load, &enumerate);
		ledger_verify_progress(verify_job_progress, j);
		rc = ledger_verify(rep, db, j->org_id, &key, load, enumerate);
		ledger_verify_progress(NULL, NULL);
	}
	db_read_end(db);
done:
	db_close(db);
	return rc;
}

static void *
verify_job_main(void *arg)
{
	struct verify_job *j = arg;
	struct ledger_report rep;
	int rc;

	/* Below the worker threads: a long verification yields the CPU to requests. */
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), VERIFY_JOB_NICE) != 0)
		log_debug("cannot lower the verification's priority");
	memset(&rep, 0, sizeof(rep));
	rc = verify_job_run(j, &rep);
	if (rc != 0 && rc != AIMS_EVERIFY && verify_job_stopping())
		log_info("verification of organisation %lld stopped with the server",
		    (long long)j->org_id);
	else if (rc != 0 && rc != AIMS_EVERIFY)
		log_error("verifying the ledger of organisation %lld: %s", (long long)j->org_id,
		    aims_error_message());
	pthread_mutex_lock(&vj_lock);
	j->rep = rep;
	j->rc = rc;
	j->state = rc == 0 || rc == AIMS_EVERIFY ? VJ_DONE : VJ_FAILED;
	j->entries_done = rep.entries;
	j->records_done = rep.records;
	clock_format(j->finished_at, clock_now());
	j->finished_seq = ++vj_seq;
	vj_running--;
	pthread_mutex_unlock(&vj_lock);
	return NULL;
}

static void
verify_job_free(struct verify_job *j)
{
	free(j->db_path);
	free(j);
}

/* Under vj_lock: past VERIFY_JOBS_KEPT organisations, the oldest finished run goes. */
static void
verify_job_forget_oldest(void)
{
	struct verify_job **pp, **oldest = NULL, *j;
	size_t n = 0;

	for (pp = &vj_head; *pp != NULL; pp = &(*pp)->next) {
		n++;
		if ((*pp)->state != VJ_RUNNING &&
		    (oldest == NULL || (*pp)->finished_seq < (*oldest)->finished_seq))
			oldest = pp;
	}
	if (n < VERIFY_JOBS_KEPT || oldest == NULL)
		return;
	j = *oldest;
	*oldest = j->next;
	if (j->joinable)
		pthread_join(j->thread, NULL);
	verify_job_free(j);
}

int
verify_job_start(json_t **out, bool *started, const char *db_path, int64_t org_id,
    int64_t entries, const char *by)
{
	struct verify_job *j;
	int rc;

	*out = NULL;
	*started = false;
	pthread_mutex_lock(&vj_lock);
	j = verify_job_find(org_id);
	if (j != NULL && j->state == VJ_RUNNING)
		goto answer;
	if (vj_running >= VERIFY_JOBS_RUNNING || vj_stopping) {
		pthread_mutex_unlock(&vj_lock);
		return aims_error_set(HTTP_EUNAVAILABLE, NULL,
		    "%d verifications are running for other organisations: retry shortly",
		    VERIFY_JOBS_RUNNING);
	}
	if (j == NULL) {
		verify_job_forget_oldest();
		j = xcalloc(1, sizeof(*j));
		j->org_id = org_id;
		j->db_path = xstrdup(db_path);
		j->next = vj_head;
		vj_head = j;
	} else if (j->joinable) {
		/* The previous run has finished (its state says so): this returns at once. */
		pthread_join(j->thread, NULL);
		j->joinable = false;
	}
	j->state = VJ_RUNNING;
	j->run++;
	j->entries_total = entries;
	j->entries_done = j->records_done = 0;
	j->rc = 0;
	memset(&j->rep, 0, sizeof(j->rep));
	j->finished_at[0] = '\0';
	snprintf(j->by, sizeof(j->by), "%s", by);
	clock_format(j->started_at, clock_now());
	if ((rc = pthread_create(&j->thread, NULL, verify_job_main, j)) != 0) {
		j->state = VJ_FAILED;
		clock_format(j->finished_at, clock_now());
		pthread_mutex_unlock(&vj_lock);
		return aims_error_set(AIMS_ERROR, NULL, "cannot start a verification: %s",
		    strerror(rc));
	}
	j->joinable = true;
	vj_running++;
	*started = true;
answer:
	*out = verify_job_json(j);
	pthread_mutex_unlock(&vj_lock);
	return *out != NULL ? 0 : aims_error_set(AIMS_ERROR, NULL, "out of memory");
}

int
verify_job_get(json_t **out, bool *running, int64_t org_id)
{
	struct verify_job *j;

	*out = NULL;
	*running = false;
	pthread_mutex_lock(&vj_lock);
	if ((j = verify_job_find(org_id)) != NULL) {
		*out = verify_job_json(j);
		*running = j->state == VJ_RUNNING;
	}
	pthread_mutex_unlock(&vj_lock);
	if (j == NULL)
		return aims_error_set(AIMS_ENOTFOUND, NULL,
		    "no verification has run since the server started: POST to this address "
		    "to start one");
	return *out != NULL ? 0 : aims_error_set(AIMS_ERROR, NULL, "out of memory");
}

void
verify_job_shutdown(void)
{
	struct verify_job *j, *next;

	pthread_mutex_lock(&vj_lock);
	vj_stopping = true;
	j = vj_head;
	vj_head = NULL;
	pthread_mutex_unlock(&vj_lock);
	/* Joined outside the lock: a run takes it to finish. */
	for (; j != NULL; j = next) {
		next = j->next;
		if (j->joinable)
			pthread_join(j->thread, NULL);
		verify_job_free(j);
	}
	pthread_mutex_lock(&vj_lock);
	vj_running = 0;
	vj_stopping = false;
	pthread_mutex_unlock(&vj_lock);
}
