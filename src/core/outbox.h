/*
 * outbox.h - the rows core/notify.h queues, as the delivery thread takes
 * them: claimed for a lease (so two servers on one database never send the
 * same row at once, and a row whose sender died goes out again when the
 * lease ends), then marked sent, or retried with exponential backoff, or
 * failed after its last attempt. Delivery is at least once: a receiver
 * deduplicates by the delivery id.
 */
#ifndef AIMS_CORE_OUTBOX_H
#define AIMS_CORE_OUTBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct db;

#define OUTBOX_LEASE_SEC	60	/* longer than a transfer's timeout */
#define OUTBOX_BACKOFF_MAX_SEC	3600	/* the longest wait between two attempts */
#define OUTBOX_MAIL_ATTEMPTS	8

/*
 * Claims up to limit rows due at now ([{id, org_id, channel, target, event,
 * body, attempts}], attempts counting this one): webhook rows of enabled
 * webhooks, and mail rows only when mail is set up.
 */
int outbox_claim(json_t **out, struct db *db, time_t now, int limit, bool mail);
/*
 * The outcome of an attempt of row id: sent, or another attempt after
 * retry_base * 2^(attempts - 1) seconds (at most OUTBOX_BACKOFF_MAX_SEC),
 * or failed once attempts reaches max_attempts. error: why (may be NULL).
 */
int outbox_finish(struct db *db, int64_t id, bool ok, int attempts, int max_attempts,
    int retry_base, const char *error, time_t now);
#define OUTBOX_KEEP_DAYS	30	/* sent and failed rows kept, for the operator to look at */
#define OUTBOX_LOG_KEEP_DAYS	90	/* webhook delivery attempts kept in the log */
/* Removes sent and failed rows, and delivery attempts, older than they are kept. */
int outbox_expire(struct db *db, time_t now);
/* Counts of an organisation's rows by channel and state: {mail: {pending, sent, failed}, ...}. */
int outbox_counts(json_t **out, struct db *db, int64_t org_id);

#endif
