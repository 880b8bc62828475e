/*
 * outbox_job.c - the delivery thread (http/outbox_job.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/notify.h"
#include "core/outbox.h"
#include "core/webhook.h"
#include "http/outbox_job.h"
#include "io/deliver.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"

static struct {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	bool			 running;
	bool			 stop;
	struct deliver_config	 deliver;
	const char		*db_path;
	unsigned		 poll_ms;
	unsigned		 retry_base;
	int			 digest_hour;
} oj = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static void
oj_webhook(struct db *db, const json_t *it, time_t now)
{
	int64_t org = json_integer_value(json_object_get(it, "org_id"));
	int64_t hook = json_integer_value(json_object_get(it, "target"));
	int64_t id = json_integer_value(json_object_get(it, "id"));
	int attempts = (int)json_integer_value(json_object_get(it, "attempts"));
	const char *event = json_string_value(json_object_get(it, "event"));
	char err[DELIVER_ERROR_MAX] = "", *url = NULL, *secret = NULL;
	int status = 0, rc;

	if ((rc = webhook_target(&url, &secret, db, org, hook)) != 0)
		snprintf(err, sizeof(err), "%s", aims_error_message());
	else
		rc = deliver_webhook(&status, err, &oj.deliver, url, secret, event, id,
		    json_string_value(json_object_get(it, "body")), now);
	if (webhook_attempt_record(db, org, hook, id, event, attempts, status, rc == 0,
	    rc == 0 ? NULL : err) != 0)
		log_warn("outbox: webhook %lld delivery %lld: %s", (long long)hook, (long long)id,
		    aims_error_message());
	if (rc != 0)
		log_warn("outbox: webhook %lld delivery %lld attempt %d failed: %s",
		    (long long)hook, (long long)id, attempts, err);
	if (outbox_finish(db, id, rc == 0, attempts, WEBHOOK_ATTEMPTS_MAX, (int)oj.retry_base,
	    rc == 0 ? NULL : err, clock_now()) != 0)
		log_warn("outbox: delivery %lld: %s", (long long)id, aims_error_message());
	if (secret != NULL)
		memset(secret, 0, strlen(secret));
	free(url);
	free(secret);
}

static void
oj_mail(struct db *db, const json_t *it, time_t now)
{
	int64_t id = json_integer_value(json_object_get(it, "id"));
	int attempts = (int)json_integer_value(json_object_get(it, "attempts"));
	json_t *m = NULL;
	char err[DELIVER_ERROR_MAX] = "";
	int rc;

	/* A mail carrying a link is sealed in the outbox (core/notify.h). */
	if (notify_mail_open(&m, db, json_string_value(json_object_get(it, "body"))) != 0) {
		snprintf(err, sizeof(err), "%s", aims_error_message());
		rc = AIMS_ERROR;
	} else
		rc = deliver_mail(err, &oj.deliver, json_string_value(json_object_get(m, "to")),
		    json_string_value(json_object_get(m, "subject")),
		    json_string_value(json_object_get(m, "text")), id, now);
	if (rc != 0)
		log_warn("outbox: mail %lld attempt %d failed: %s", (long long)id, attempts, err);
	if (outbox_finish(db, id, rc == 0, attempts, OUTBOX_MAIL_ATTEMPTS, (int)oj.retry_base,
	    rc == 0 ? NULL : err, clock_now()) != 0)
		log_warn("outbox: mail %lld: %s", (long long)id, aims_error_message());
	json_decref(m);
}

/* One round: due digests queued (once a minute), then a batch sent. Rows taken. */
static size_t
oj_round(struct db *db, time_t *digest_at)
{
	time_t now = clock_now();
	json_t *items = NULL, *it;
	int queued = 0;
	size_t i, n;

	if (oj.deliver.smtp_url != NULL && now >= *digest_at) {
		if (notify_digests_queue(&queued, db, now, oj.digest_hour) != 0)
			log_warn("outbox: digests: %s", aims_error_message());
		else if (queued > 0)
			log_info("outbox: %d daily digest%s queued", queued, queued == 1 ? "" : "s");
		*digest_at = now + OUTBOX_DIGEST_EVERY_SEC;
	}
	if (outbox_claim(&items, db, now, OUTBOX_BATCH, oj.deliver.smtp_url != NULL) != 0) {
		log_warn("outbox: %s", aims_error_message());
		return 0;
	}
	json_array_foreach(items, i, it) {
		if (strcmp(json_string_value(json_object_get(it, "channel")), "webhook") == 0)
			oj_webhook(db, it, now);
		else
			oj_mail(db, it, now);
	}
	n = json_array_size(items);
	json_decref(items);
	return n;
}

static void *
oj_main(void *arg)
{
	struct db *db = NULL;
	struct timespec until;
	time_t digest_at = 0;
	size_t taken;
	bool stop;

	(void)arg;
	if (db_open(&db, oj.db_path, 0) != 0) {
		log_warn("outbox: cannot open the database: %s; nothing will be delivered",
		    aims_error_message());
		return NULL;
	}
	for (;;) {
		taken = oj_round(db, &digest_at);
		pthread_mutex_lock(&oj.lock);
		if (!oj.stop && taken < OUTBOX_BATCH) {
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += oj.poll_ms / 1000;
			until.tv_nsec += (long)(oj.poll_ms % 1000) * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			while (!oj.stop && pthread_cond_timedwait(&oj.wake, &oj.lock, &until) !=
			    ETIMEDOUT)
				;
		}
		stop = oj.stop;
		pthread_mutex_unlock(&oj.lock);
		if (stop)
			break;
	}
	db_close(db);
	return NULL;
}

int
outbox_job_start(const struct http_server_config *cfg)
{
	int rc;

	oj.deliver.smtp_url = cfg->smtp_url;
	oj.deliver.mail_from = cfg->mail_from;
	oj.deliver.smtp_ca_file = cfg->smtp_ca_file;
	oj.deliver.allow_private = cfg->webhooks_private;
	oj.db_path = cfg->db_path;
	oj.poll_ms = cfg->outbox_poll_ms != 0 ? cfg->outbox_poll_ms : OUTBOX_POLL_MS_DEFAULT;
	oj.retry_base = cfg->retry_base != 0 ? cfg->retry_base : OUTBOX_RETRY_BASE;
	oj.digest_hour = cfg->digest_hour;
	oj.stop = false;
	if (cfg->smtp_url == NULL)
		log_info("outbox: no mail server (AIMS_SMTP_URL or aims config set smtp_url): "
		    "mail waits in the outbox");
	if ((rc = pthread_create(&oj.thread, NULL, oj_main, NULL)) != 0)
		return aims_error_set(AIMS_ERROR, NULL, "cannot start the delivery thread: %s",
		    strerror(rc));
	oj.running = true;
	return 0;
}

void
outbox_job_stop(void)
{
	if (!oj.running)
		return;
	pthread_mutex_lock(&oj.lock);
	oj.stop = true;
	pthread_cond_signal(&oj.wake);
	pthread_mutex_unlock(&oj.lock);
	pthread_join(oj.thread, NULL);
	oj.running = false;
}
