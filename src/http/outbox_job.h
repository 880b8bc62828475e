/*
 * outbox_job.h - the delivery thread of `aims serve`: it takes what is due
 * in the outbox (core/outbox.h) and sends it (io/deliver.h): webhook
 * deliveries, signed, logged and retried with exponential backoff, and
 * mail through the configured SMTP server; once a minute it queues the
 * daily digests that are due (core/notify.h). Rows were written in the
 * transaction of the change that caused them, so what was committed before
 * a crash goes out when the server starts again.
 */
#ifndef AIMS_HTTP_OUTBOX_JOB_H
#define AIMS_HTTP_OUTBOX_JOB_H

#include "http/server.h"

#define OUTBOX_POLL_MS_DEFAULT	500	/* how often the thread looks for work */
#define OUTBOX_POLL_MS_MAX	86400000
#define OUTBOX_BATCH		16	/* rows taken at once */
#define OUTBOX_RETRY_BASE	30	/* seconds before the second attempt, doubled after */
#define OUTBOX_RETRY_BASE_MAX	3600
#define OUTBOX_DIGEST_HOUR	6	/* UTC hour from which the day's digests go out */
#define OUTBOX_DIGEST_EVERY_SEC	60	/* how often due digests are looked for */

int outbox_job_start(const struct http_server_config *cfg);
/* Stops the thread after the transfer in flight (each has a timeout). */
void outbox_job_stop(void);

#endif
