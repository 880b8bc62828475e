/*
 * api_notify.c - notifications (the bell), each person's mail choice, the
 * organisation's webhooks and their delivery log, calendar feeds, and the
 * feeds themselves at their secret URLs (core/notify.h, core/webhook.h,
 * core/feed.h, io/ical.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/feed.h"
#include "core/notify.h"
#include "core/webhook.h"
#include "core/work.h"
#include "http/api.h"
#include "io/ical.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

/* Notifications belong to a person: a token answers for the member who made it. */
static int
api_person(struct http_ctx *c)
{
	if (c->actor.user_id <= 0)
		return aims_error_set(AIMS_EFORBIDDEN, NULL, "notifications belong to a person; "
		    "this token was made from the command line and has none");
	return 0;
}

int
api_notifications_list(struct http_ctx *c)
{
	json_t *n = NULL;
	int rc;

	if ((rc = api_person(c)) != 0 ||
	    (rc = notify_list(&n, c->db, c->org_id, c->actor.user_id)) != 0)
		return rc;
	http_reply_json(c, 200, n);
	return 0;
}

int
api_notifications_read(struct http_ctx *c)
{
	json_t *n = NULL, *id = json_object_get(c->body, "id");
	int rc;

	if ((rc = api_person(c)) != 0 ||
	    (rc = notify_mark_read(c->db, c->org_id, c->actor.user_id,
	    json_is_integer(id) ? json_integer_value(id) : 0)) != 0 ||
	    (rc = notify_list(&n, c->db, c->org_id, c->actor.user_id)) != 0)
		return rc;
	http_reply_json(c, 200, n);
	return 0;
}

static int
api_settings_reply(struct http_ctx *c)
{
	const char *mail;
	int rc;

	if ((rc = notify_pref_get(&mail, c->db, c->actor.user_id)) != 0)
		return rc;
	http_reply_json(c, 200, json_pack("{s:s}", "mail", mail));
	return 0;
}

int
api_notify_settings_get(struct http_ctx *c)
{
	int rc;

	if ((rc = api_person(c)) != 0)
		return rc;
	return api_settings_reply(c);
}

int
api_notify_settings_set(struct http_ctx *c)
{
	int rc;

	if ((rc = api_person(c)) != 0 ||
	    (rc = notify_pref_set(c->db, c->actor.user_id, http_body_str(c, "mail"))) != 0)
		return rc;
	return api_settings_reply(c);
}

static int
api_id(int64_t *id, struct http_ctx *c)
{
	if (str_to_int64(id, http_param(c, "id"), 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_EINVALID, "id", "id must be a positive number");
	return 0;
}

int
api_webhooks_list(struct http_ctx *c)
{
	json_t *items = NULL;
	int rc;

	if ((rc = webhook_list(&items, c->db, c->org_id)) != 0)
		return rc;
	http_reply_list(c, items, NULL);
	return 0;
}

int
api_webhooks_create(struct http_ctx *c)
{
	char loc[256];
	json_t *w = NULL;
	int rc;

	if ((rc = webhook_create(&w, c->db, c->org_id, &c->actor, http_body_str(c, "url"),
	    json_object_get(c->body, "events"))) != 0)
		return rc;
	snprintf(loc, sizeof(loc), "/api/v1/orgs/%s/webhooks/%lld", http_param(c, "org"),
	    (long long)json_integer_value(json_object_get(w, "id")));
	http_reply_record(c, 201, w, loc);
	return 0;
}

int
api_webhooks_get(struct http_ctx *c)
{
	json_t *w = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id(&id, c)) != 0 || (rc = webhook_get(&w, c->db, c->org_id, id)) != 0)
		return rc;
	http_reply_record(c, 200, w, NULL);
	return 0;
}

int
api_webhooks_delete(struct http_ctx *c)
{
	int64_t id;
	int rc;

	if ((rc = api_id(&id, c)) != 0 ||
	    (rc = webhook_delete(c->db, c->org_id, &c->actor, id)) != 0)
		return rc;
	http_reply_empty(c, 204);
	return 0;
}

int
api_webhooks_enable(struct http_ctx *c)
{
	json_t *w = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id(&id, c)) != 0 ||
	    (rc = webhook_enable(&w, c->db, c->org_id, &c->actor, id)) != 0)
		return rc;
	http_reply_record(c, 200, w, NULL);
	return 0;
}

int
api_webhooks_deliveries(struct http_ctx *c)
{
	json_t *items = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id(&id, c)) != 0 ||
	    (rc = webhook_deliveries(&items, c->db, c->org_id, id)) != 0)
		return rc;
	http_reply_list(c, items, NULL);
	return 0;
}

int
api_feeds_list(struct http_ctx *c)
{
	json_t *items = NULL;
	int rc;

	if ((rc = api_person(c)) != 0 || (rc = feed_list(&items, c->db, c->org_id, &c->actor)) != 0)
		return rc;
	http_reply_list(c, items, NULL);
	return 0;
}

int
api_feeds_create(struct http_ctx *c)
{
	char loc[256];
	json_t *f = NULL;
	int rc;

	if ((rc = api_person(c)) != 0 ||
	    (rc = feed_create(&f, c->db, c->org_id, &c->actor, http_body_str(c, "scope"))) != 0)
		return rc;
	snprintf(loc, sizeof(loc), "/api/v1/orgs/%s/calendar-feeds/%lld", http_param(c, "org"),
	    (long long)json_integer_value(json_object_get(f, "id")));
	http_reply_record(c, 201, f, loc);
	return 0;
}

int
api_feeds_revoke(struct http_ctx *c)
{
	int64_t id;
	int rc;

	if ((rc = api_id(&id, c)) != 0 || (rc = feed_revoke(c->db, c->org_id, &c->actor, id)) != 0)
		return rc;
	http_reply_empty(c, 204);
	return 0;
}

int
api_ical(struct http_ctx *c)
{
	const char *key = http_param(c, "feed");
	struct feed_grant g;
	struct buf out = BUF_INIT, name = BUF_INIT;
	json_t *events = NULL;
	char k[128];
	size_t n = strlen(key);
	int rc;

	if (n <= strlen(FEED_PATH_SUFFIX) || n >= sizeof(k) ||
	    strcmp(key + n - strlen(FEED_PATH_SUFFIX), FEED_PATH_SUFFIX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such calendar feed");
	memcpy(k, key, n - strlen(FEED_PATH_SUFFIX));
	k[n - strlen(FEED_PATH_SUFFIX)] = '\0';
	if ((rc = feed_resolve(&g, c->db, k)) != 0 ||
	    (rc = work_feed(&events, c->db, g.org_id, g.user_id, g.scope, clock_now())) != 0)
		return rc;
	buf_printf(&name, strcmp(g.scope, "org") == 0 ? "%s: certification calendar" :
	    "%s: my work", g.org_name);
	ical_write(&out, buf_str(&name), events, clock_now());
	http_reply_text(c, 200, ICAL_CONTENT_TYPE, buf_str(&out), out.len);
	json_decref(events);
	buf_free(&out);
	buf_free(&name);
	return 0;
}
