/*
 * webhook.h - an organisation's webhooks: a URL, the events it wants
 * (core/notify.h names them; "*" for all) and a secret that signs every
 * delivery (HMAC-SHA256, header X-AIMS-Signature: t=UNIX,v1=HEX over "t."
 * followed by the body), shown once and kept sealed with a key beside the
 * database (PATH.seal), never in clear. A webhook whose deliveries fail
 * WEBHOOK_DISABLE_AFTER times in a row is disabled until an admin enables
 * it again; what was pending for it then goes out. Creating, deleting,
 * disabling and enabling are ledger events (kind "webhook").
 */
#ifndef AIMS_CORE_WEBHOOK_H
#define AIMS_CORE_WEBHOOK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"

struct db;

#define WEBHOOK_LEDGER_KIND	"webhook"
#define WEBHOOK_URL_MAX		2048
#define WEBHOOK_EVENTS_MAX	16
#define WEBHOOK_PER_ORG_MAX	20
#define WEBHOOK_SECRET_PREFIX	"whsec_"
#define WEBHOOK_SECRET_LEN	(6 + 43 + 1)	/* prefix + base64url of 32 bytes + NUL */
#define WEBHOOK_DISABLE_AFTER	10	/* failed attempts in a row */
#define WEBHOOK_ATTEMPTS_MAX	8	/* attempts of one delivery before it fails */
#define WEBHOOK_DELIVERIES_MAX	100	/* log entries listed */

/* The event names a webhook may ask for, NULL-terminated ("*": all of them). */
extern const char *const webhook_events[];

/*
 * Creates a webhook: url http(s), no credentials in it; events a non-empty
 * JSON array of names from webhook_events. *out is the webhook with
 * "secret", which is never available again.
 */
int webhook_create(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *url, const json_t *events);
/* 0, or AIMS_EINVALID naming "url": http(s), a host, no credentials, no fragment. */
int webhook_check_url(const char *url);
/* {id, ref, url, events, enabled, failures, disabled_reason, version, created_by, created_at} */
int webhook_get(json_t **out, struct db *db, int64_t org_id, int64_t id);
int webhook_list(json_t **out, struct db *db, int64_t org_id);
int webhook_delete(struct db *db, int64_t org_id, const struct actor *actor, int64_t id);
/* Enables it again, with its count of failures back to 0. */
int webhook_enable(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    int64_t id);
/* The delivery log, newest first: [{id, event, attempt, at, status, ok, error}]. */
int webhook_deliveries(json_t **out, struct db *db, int64_t org_id, int64_t id);

/*
 * For the delivery thread: the webhook's URL and secret (caller frees
 * both; AIMS_ENOTFOUND when it is gone or disabled), and the outcome of one
 * attempt of outbox row outbox_id: logged, the failures counted, and the
 * webhook disabled (a ledger event by the system) at WEBHOOK_DISABLE_AFTER.
 */
int webhook_target(char **url, char **secret, struct db *db, int64_t org_id, int64_t id);
int webhook_attempt_record(struct db *db, int64_t org_id, int64_t id, int64_t outbox_id,
    const char *event, int attempt, int status, bool ok, const char *error);

/* Ledger support: the state of webhook ref (its id) and every live one's ref. */
int webhook_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *ref);
typedef int (*webhook_visit_fn)(void *arg, const char *kind, const char *ref);
int webhook_enumerate(struct db *db, int64_t org_id, webhook_visit_fn fn, void *arg);

#endif
