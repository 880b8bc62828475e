/*
 * webhook.c - webhooks of an organisation and their delivery log
 * (core/webhook.h).
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/notify.h"
#include "core/perm.h"
#include "core/seal.h"
#include "core/webhook.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define WEBHOOK_ERROR_MAX	300	/* bytes of a failure's reason kept in the log */

const char *const webhook_events[] = {
	"*", NOTIFY_RECORD_CREATED, NOTIFY_RECORD_CHANGED, NOTIFY_RECORD_DELETED,
	"task.assigned", "approval.requested", NULL,
};

#define WEBHOOK_COLUMNS "w.id, w.url, w.events, w.enabled, w.failures, w.disabled_reason, " \
	"w.version, w.created_by, w.created_at, w.updated_at"

static json_t *
webhook_row_json(struct db_stmt *st)
{
	char ref[24];
	json_t *events = json_loads(db_column_text(st, 2), 0, NULL);

	snprintf(ref, sizeof(ref), "%" PRId64, db_column_int64(st, 0));
	return json_pack("{s:I, s:s, s:s, s:o, s:b, s:I, s:s?, s:I, s:s, s:s, s:s}",
	    "id", (json_int_t)db_column_int64(st, 0), "ref", ref, "url", db_column_text(st, 1),
	    "events", events != NULL ? events : json_array(), "enabled",
	    db_column_int64(st, 3) != 0, "failures", (json_int_t)db_column_int64(st, 4),
	    "disabled_reason", db_column_text(st, 5), "version",
	    (json_int_t)db_column_int64(st, 6), "created_by", db_column_text(st, 7),
	    "created_at", db_column_text(st, 8), "updated_at", db_column_text(st, 9));
}

int
webhook_get(json_t **out, struct db *db, int64_t org_id, int64_t id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " WEBHOOK_COLUMNS " FROM webhooks w "
	    "WHERE w.org_id = ? AND w.id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, id);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = webhook_row_json(st);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "id", "no webhook %lld", (long long)id);
	db_done(st);
	return rc;
}

int
webhook_list(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " WEBHOOK_COLUMNS " FROM webhooks w "
	    "WHERE w.org_id = ? ORDER BY w.id")) != 0) {
		json_decref(items);
		return rc;
	}
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, webhook_row_json(st));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = items;
	return 0;
}

/* The ledger commits to a webhook without its count of failures, which deliveries change. */
static json_t *
webhook_ledger_state(const json_t *w)
{
	json_t *copy = json_copy((json_t *)w);

	json_object_del(copy, "failures");
	json_object_del(copy, "updated_at");
	return copy;
}

static int
webhook_log(struct db *db, int64_t org_id, const char *actor, const char *action,
    const json_t *w)
{
	json_t *state = w != NULL ? webhook_ledger_state(w) : NULL;
	struct ledger_event ev = {
		.org_id = org_id, .actor = actor, .action = action, .kind = WEBHOOK_LEDGER_KIND,
		.ref = json_string_value(json_object_get(w, "ref")),
		.version = json_integer_value(json_object_get(w, "version")), .record = state,
	};
	int64_t seq;
	int rc;

	rc = ledger_append(&seq, db, &ev);
	json_decref(state);
	return rc;
}

int
webhook_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	json_t *w = NULL;
	int64_t id;
	int rc;

	*out = NULL;
	if (str_to_int64(&id, ref, 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such webhook");
	if ((rc = webhook_get(&w, db, org_id, id)) != 0)
		return rc;
	*out = webhook_ledger_state(w);
	json_decref(w);
	return 0;
}

int
webhook_enumerate(struct db *db, int64_t org_id, webhook_visit_fn fn, void *arg)
{
	struct db_stmt *st = NULL;
	char ref[24];
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT id FROM webhooks WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(ref, sizeof(ref), "%" PRId64, db_column_int64(st, 0));
		if ((rc = fn(arg, WEBHOOK_LEDGER_KIND, ref)) != 0)
			break;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

/* Webhooks are the organisation's settings: its admins' (perm.c). */
static int
webhook_may(const struct actor *actor)
{
	if (!perm_allows(actor->role, PERM_ADMIN, PERM_KIND_ORG))
		return aims_error_set(AIMS_EFORBIDDEN, NULL, "webhooks are set up by an admin of "
		    "the organisation");
	return 0;
}

/* http or https, a host, no credentials, no fragment, printable ASCII. */
int
webhook_check_url(const char *url)
{
	const char *p, *host, *end;
	size_t n = url != NULL ? strlen(url) : 0;

	if (n == 0 || n > WEBHOOK_URL_MAX)
		return aims_error_set(AIMS_EINVALID, "url", "field 'url': 1 to %d characters",
		    WEBHOOK_URL_MAX);
	for (p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return aims_error_set(AIMS_EINVALID, "url", "field 'url': spaces and "
			    "characters outside printable ASCII must be percent-encoded");
	if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return aims_error_set(AIMS_EINVALID, "url", "field 'url': an http:// or https:// "
		    "address");
	end = host + strcspn(host, "/?#");
	if (end == host)
		return aims_error_set(AIMS_EINVALID, "url", "field 'url': no host");
	if (memchr(host, '@', (size_t)(end - host)) != NULL)
		return aims_error_set(AIMS_EINVALID, "url", "field 'url': no user name or password "
		    "in the address; the signature authenticates the deliveries");
	if (strchr(url, '#') != NULL)
		return aims_error_set(AIMS_EINVALID, "url", "field 'url': no fragment (#)");
	return 0;
}

static int
webhook_check_events(const json_t *events)
{
	const char *const *e;
	const json_t *v;
	size_t i;

	if (!json_is_array(events) || json_array_size(events) == 0 ||
	    json_array_size(events) > WEBHOOK_EVENTS_MAX)
		return aims_error_set(AIMS_EINVALID, "events", "field 'events': a list of 1 to %d "
		    "event names", WEBHOOK_EVENTS_MAX);
	json_array_foreach(events, i, v) {
		for (e = webhook_events; *e != NULL; e++)
			if (json_is_string(v) && strcmp(json_string_value(v), *e) == 0)
				break;
		if (*e == NULL)
			return aims_error_set(AIMS_EINVALID, "events", "field 'events': '%s' is not an "
			    "event; one of *, record.created, record.changed, record.deleted, "
			    "task.assigned, approval.requested",
			    json_is_string(v) ? json_string_value(v) : "?");
	}
	return 0;
}

static int
webhook_create_now(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *url, const json_t *events)
{
	char now[CLOCK_RFC3339_LEN], secret[WEBHOOK_SECRET_LEN];
	unsigned char raw[32];
	struct buf sealed = BUF_INIT;
	struct db_stmt *st = NULL;
	int64_t id = 0, n = 0;
	char *ev = NULL;
	int rc;

	*out = NULL;
	if ((rc = webhook_may(actor)) != 0 || (rc = webhook_check_url(url)) != 0 ||
	    (rc = webhook_check_events(events)) != 0)
		return rc;
	randombytes_buf(raw, sizeof(raw));
	memcpy(secret, WEBHOOK_SECRET_PREFIX, strlen(WEBHOOK_SECRET_PREFIX));
	sodium_bin2base64(secret + strlen(WEBHOOK_SECRET_PREFIX),
	    sizeof(secret) - strlen(WEBHOOK_SECRET_PREFIX), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	if ((rc = seal_bytes(&sealed, db, secret, strlen(secret))) != 0)
		goto done;
	ev = json_dumps(events, JSON_COMPACT);
	clock_format(now, clock_now());
	if ((rc = db_begin(db)) != 0)
		goto done;
	if ((rc = db_prepare(&st, db, "SELECT count(*) FROM webhooks WHERE org_id = ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	if (db_step(st) == DB_ROW)
		n = db_column_int64(st, 0);
	db_done(st);
	if (n >= WEBHOOK_PER_ORG_MAX) {
		rc = aims_error_set(AIMS_ECONFLICT, NULL, "an organisation has at most %d "
		    "webhooks: delete one first", WEBHOOK_PER_ORG_MAX);
		goto done;
	}
	if ((rc = db_prepare(&st, db, "INSERT INTO webhooks (org_id, url, events, secret_sealed, "
	    "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, url);
	db_bind_text(st, 3, ev);
	db_bind_blob(st, 4, sealed.data, sealed.len);
	db_bind_text(st, 5, actor->name);
	db_bind_text(st, 6, now);
	db_bind_text(st, 7, now);
	if ((rc = db_step(st)) == DB_ROW) {
		id = db_column_int64(st, 0);
		rc = 0;
	}
	db_done(st);
	if (rc != 0 || (rc = webhook_get(out, db, org_id, id)) != 0 ||
	    (rc = webhook_log(db, org_id, actor->name, "create", *out)) != 0 ||
	    (rc = db_commit(db)) != 0)
		goto done;
	json_object_set_new(*out, "secret", json_string(secret));
done:
	if (rc != 0) {
		if (db_in_transaction(db))
			db_rollback(db);
		json_decref(*out);
		*out = NULL;
	}
	sodium_memzero(secret, sizeof(secret));
	buf_free(&sealed);
	free(ev);
	return rc;
}

static int
webhook_delete_now(struct db *db, int64_t org_id, const struct actor *actor, int64_t id)
{
	struct ledger_event ev = { .org_id = org_id, .actor = actor->name, .action = "delete",
	    .kind = WEBHOOK_LEDGER_KIND };
	struct db_stmt *st = NULL;
	json_t *w = NULL;
	int64_t seq;
	int rc;

	if ((rc = webhook_may(actor)) != 0 || (rc = db_begin(db)) != 0)
		return rc;
	if ((rc = webhook_get(&w, db, org_id, id)) != 0 ||
	    (rc = db_prepare(&st, db, "DELETE FROM webhooks WHERE org_id = ? AND id = ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, id);
	rc = db_step(st);
	db_done(st);
	/* What was queued for it goes with it; the delivery log stays. */
	if (rc < 0 || (rc = db_prepare(&st, db, "DELETE FROM outbox WHERE org_id = ? AND "
	    "channel = 'webhook' AND target = ? AND state = 'pending'")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, id);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		goto done;
	ev.ref = json_string_value(json_object_get(w, "ref"));
	ev.version = json_integer_value(json_object_get(w, "version")) + 1;
	rc = ledger_append(&seq, db, &ev);
done:
	json_decref(w);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static int
webhook_enable_now(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    int64_t id)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	json_t *w = NULL;
	int rc;

	*out = NULL;
	clock_format(now, clock_now());
	if ((rc = webhook_may(actor)) != 0 || (rc = db_begin(db)) != 0)
		return rc;
	if ((rc = webhook_get(&w, db, org_id, id)) != 0 ||
	    (rc = db_prepare(&st, db, "UPDATE webhooks SET enabled = 1, failures = 0, "
	    "disabled_reason = NULL, version = version + 1, updated_at = ? "
	    "WHERE org_id = ? AND id = ?")) != 0)
		goto done;
	db_bind_text(st, 1, now);
	db_bind_int64(st, 2, org_id);
	db_bind_int64(st, 3, id);
	rc = db_step(st);
	db_done(st);
	json_decref(w);
	w = NULL;
	if (rc < 0 || (rc = webhook_get(&w, db, org_id, id)) != 0)
		goto done;
	rc = webhook_log(db, org_id, actor->name, "enable", w);
done:
	if (rc == 0 && (rc = db_commit(db)) == 0) {
		*out = w;
		return 0;
	}
	if (db_in_transaction(db))
		db_rollback(db);
	json_decref(w);
	return rc;
}

int
webhook_deliveries(json_t **out, struct db *db, int64_t org_id, int64_t id)
{
	struct db_stmt *st = NULL;
	json_t *w = NULL, *items = json_array();
	int rc;

	*out = NULL;
	if ((rc = webhook_get(&w, db, org_id, id)) != 0 ||
	    (rc = db_prepare(&st, db, "SELECT id, event, attempt, at, status, ok, error, outbox_id "
	    "FROM webhook_deliveries WHERE org_id = ? AND webhook_id = ? ORDER BY id DESC "
	    "LIMIT ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, id);
	db_bind_int64(st, 3, WEBHOOK_DELIVERIES_MAX);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I, s:s, s:I, s:s, s:I, s:b, s:s?, s:I}",
		    "id", (json_int_t)db_column_int64(st, 0), "event", db_column_text(st, 1),
		    "attempt", (json_int_t)db_column_int64(st, 2), "at", db_column_text(st, 3),
		    "status", (json_int_t)db_column_int64(st, 4), "ok", db_column_int64(st, 5) != 0,
		    "error", db_column_text(st, 6), "delivery",
		    (json_int_t)db_column_int64(st, 7)));
	db_done(st);
	if (rc < 0)
		goto done;
	rc = 0;
	*out = json_incref(items);
done:
	json_decref(w);
	json_decref(items);
	return rc;
}

int
webhook_target(char **url, char **secret, struct db *db, int64_t org_id, int64_t id)
{
	struct db_stmt *st = NULL;
	struct buf open = BUF_INIT;
	const void *sealed;
	size_t len = 0;
	int rc;

	*url = *secret = NULL;
	if ((rc = db_prepare(&st, db, "SELECT url, secret_sealed FROM webhooks "
	    "WHERE org_id = ? AND id = ? AND enabled = 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, id);
	if ((rc = db_step(st)) == DB_ROW) {
		*url = xstrdup(db_column_text(st, 0));
		sealed = db_column_blob(st, 1, &len);
		rc = seal_open(&open, db, sealed, len);
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "id", "webhook %lld is gone or disabled",
		    (long long)id);
	db_done(st);
	if (rc == 0)
		*secret = buf_detach(&open);
	else {
		free(*url);
		*url = NULL;
	}
	buf_free(&open);
	return rc;
}

int
webhook_attempt_record(struct db *db, int64_t org_id, int64_t id, int64_t outbox_id,
    const char *event, int attempt, int status, bool ok, const char *error)
{
	char now[CLOCK_RFC3339_LEN], *cut = NULL;
	struct db_stmt *st = NULL;
	json_t *w = NULL;
	int64_t failures = 0;
	int rc;

	clock_format(now, clock_now());
	if (error != NULL)
		cut = xstrndup(error, strlen(error) > WEBHOOK_ERROR_MAX ? WEBHOOK_ERROR_MAX :
		    strlen(error));
	if ((rc = db_begin(db)) != 0)
		goto done;
	if ((rc = db_prepare(&st, db, "INSERT INTO webhook_deliveries (org_id, webhook_id, "
	    "outbox_id, event, attempt, at, status, ok, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"))
	    != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, id);
	db_bind_int64(st, 3, outbox_id);
	db_bind_text(st, 4, event);
	db_bind_int64(st, 5, attempt);
	db_bind_text(st, 6, now);
	db_bind_int64(st, 7, status);
	db_bind_int64(st, 8, ok);
	db_bind_text(st, 9, cut);
	rc = db_step(st);
	db_done(st);
	if (rc < 0 || (rc = db_prepare(&st, db, ok ?
	    "UPDATE webhooks SET failures = 0 WHERE org_id = ? AND id = ? RETURNING failures" :
	    "UPDATE webhooks SET failures = failures + 1 WHERE org_id = ? AND id = ? "
	    "RETURNING failures")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, id);
	if ((rc = db_step(st)) == DB_ROW)
		failures = db_column_int64(st, 0);
	db_done(st);
	rc = rc < 0 ? rc : 0;
	if (rc != 0 || ok || failures < WEBHOOK_DISABLE_AFTER)
		goto done;
	if ((rc = db_prepare(&st, db, "UPDATE webhooks SET enabled = 0, disabled_reason = ?, "
	    "version = version + 1, updated_at = ? WHERE org_id = ? AND id = ? AND enabled = 1"))
	    != 0)
		goto done;
	{
		struct buf why = BUF_INIT;

		buf_printf(&why, "%d deliveries in a row failed; the last: %s",
		    WEBHOOK_DISABLE_AFTER, cut != NULL ? cut : "no answer");
		db_bind_text(st, 1, buf_str(&why));
		db_bind_text(st, 2, now);
		db_bind_int64(st, 3, org_id);
		db_bind_int64(st, 4, id);
		rc = db_step(st);
		db_done(st);
		buf_free(&why);
	}
	if (rc < 0 || (rc = webhook_get(&w, db, org_id, id)) != 0)
		goto done;
	rc = webhook_log(db, org_id, "system", "disable", w);
done:
	json_decref(w);
	free(cut);
	if (rc == 0)
		return db_commit(db);
	if (db_in_transaction(db))
		db_rollback(db);
	return rc;
}

/*
 * Adding, deleting and enabling a webhook from a request (the API or the
 * webhooks page) go through the server's writer (db_write_via()).
 */
struct webhook_change {
	json_t			**out;
	int64_t			 org_id, id;
	const struct actor	*actor;
	const char		*url;
	const json_t		*events;
	enum { WEBHOOK_CREATE, WEBHOOK_DELETE, WEBHOOK_ENABLE } op;
};

static int
webhook_change_apply(struct db *db, void *arg)
{
	const struct webhook_change *w = arg;

	switch (w->op) {
	case WEBHOOK_CREATE:
		return webhook_create_now(w->out, db, w->org_id, w->actor, w->url, w->events);
	case WEBHOOK_DELETE:
		return webhook_delete_now(db, w->org_id, w->actor, w->id);
	case WEBHOOK_ENABLE:
		return webhook_enable_now(w->out, db, w->org_id, w->actor, w->id);
	}
	return aims_error_set(AIMS_ERROR, NULL, "unknown change of a webhook");
}

int
webhook_create(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *url, const json_t *events)
{
	struct webhook_change w = { .out = out, .org_id = org_id, .actor = actor, .url = url,
	    .events = events, .op = WEBHOOK_CREATE };

	return db_write_via(db, org_id, webhook_change_apply, &w);
}

int
webhook_delete(struct db *db, int64_t org_id, const struct actor *actor, int64_t id)
{
	struct webhook_change w = { .org_id = org_id, .id = id, .actor = actor,
	    .op = WEBHOOK_DELETE };

	return db_write_via(db, org_id, webhook_change_apply, &w);
}

int
webhook_enable(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    int64_t id)
{
	struct webhook_change w = { .out = out, .org_id = org_id, .id = id, .actor = actor,
	    .op = WEBHOOK_ENABLE };

	return db_write_via(db, org_id, webhook_change_apply, &w);
}
