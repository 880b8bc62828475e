/*
 * web_work.c - the "My work" and certification calendar pages: core's
 * answers (core/work.h) drawn by web/page_work.c.
 */
#include <stdio.h>
#include <string.h>

#include "core/feed.h"
#include "core/notify.h"
#include "core/webhook.h"
#include "core/work.h"
#include "http/webui.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"
#include "web/web.h"

/* The page, with a new feed's URL when one was just made (new_url, or NULL). */
static int
webui_my_work_page(struct http_ctx *c, const char *new_url)
{
	struct buf page = BUF_INIT;
	json_t *w = NULL, *feeds = NULL, *set = NULL;
	const char *mail;
	int rc;

	if ((rc = work_mine(&w, c->db, c->org_id, &c->actor, clock_now())) != 0 ||
	    (rc = notify_pref_get(&mail, c->db, c->actor.user_id)) != 0 ||
	    (rc = feed_list(&feeds, c->db, c->org_id, &c->actor)) != 0)
		goto done;
	set = json_pack("{s:s, s:O, s:s?}", "mail", mail, "feeds", feeds, "new_url", new_url);
	web_page_my_work(&page, &c->web->ctx, w, set);
	webui_send(c, 200, &page);
done:
	json_decref(w);
	json_decref(feeds);
	json_decref(set);
	return rc;
}

int
webui_my_work(struct http_ctx *c)
{
	return webui_my_work_page(c, NULL);
}

static void
webui_back(struct http_ctx *c, const char *path, const char *flash)
{
	struct buf url = BUF_INIT;

	web_url_org(&url, &c->web->ctx);
	buf_puts(&url, path);
	if (flash != NULL)
		webui_flash(c, flash, "");
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
}

int
webui_my_mail(struct http_ctx *c)
{
	int rc;

	if ((rc = notify_pref_set(c->db, c->actor.user_id, webui_posted(c, "mail"))) != 0)
		return webui_fail(c, rc);
	webui_back(c, "/my-work#w-settings", "mail");
	return 0;
}

/* The new feed's URL is shown on the page answering the POST: never again. */
int
webui_feed_create(struct http_ctx *c)
{
	json_t *f = NULL;
	int rc;

	if ((rc = feed_create(&f, c->db, c->org_id, &c->actor, webui_posted(c, "scope"))) != 0)
		return webui_fail(c, rc);
	rc = webui_my_work_page(c, json_string_value(json_object_get(f, "url")));
	json_decref(f);
	return rc;
}

int
webui_feed_revoke(struct http_ctx *c)
{
	int64_t id;
	int rc;

	if (str_to_int64(&id, http_param(c, "id"), 1, INT64_MAX) != 0)
		return webui_fail(c, aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such feed."));
	if ((rc = feed_revoke(c->db, c->org_id, &c->actor, id)) != 0)
		return webui_fail(c, rc);
	webui_back(c, "/my-work#w-settings", "feed-revoked");
	return 0;
}

int
webui_notifications(struct http_ctx *c)
{
	struct buf page = BUF_INIT;
	json_t *n = NULL;
	int rc;

	if ((rc = notify_list(&n, c->db, c->org_id, c->actor.user_id)) != 0)
		return rc;
	web_page_notifications(&page, &c->web->ctx, n);
	webui_send(c, 200, &page);
	json_decref(n);
	return 0;
}

int
webui_notifications_read(struct http_ctx *c)
{
	int rc;

	if ((rc = notify_mark_read(c->db, c->org_id, c->actor.user_id, 0)) != 0)
		return webui_fail(c, rc);
	webui_back(c, "/notifications", "read");
	return 0;
}

int
webui_calendar(struct http_ctx *c)
{
	struct buf page = BUF_INIT;
	json_t *cal = NULL;
	int rc;

	if ((rc = work_calendar(&cal, c->db, c->org_id, clock_now())) != 0)
		return rc;
	web_page_calendar(&page, &c->web->ctx, cal);
	webui_send(c, 200, &page);
	json_decref(cal);
	return 0;
}

#define WEBUI_WEBHOOK_LOG	5	/* delivery attempts shown per webhook */

/* The page, with a webhook just made (and its secret) or NULL. */
static int
webui_webhooks_page(struct http_ctx *c, const json_t *created)
{
	struct buf page = BUF_INIT;
	json_t *hooks = NULL, *w, *log = NULL;
	size_t i;
	int rc;

	if ((rc = webhook_list(&hooks, c->db, c->org_id)) != 0)
		return rc;
	json_array_foreach(hooks, i, w) {
		if ((rc = webhook_deliveries(&log, c->db, c->org_id,
		    json_integer_value(json_object_get(w, "id")))) != 0)
			goto done;
		while (json_array_size(log) > WEBUI_WEBHOOK_LOG)
			json_array_remove(log, json_array_size(log) - 1);
		json_object_set_new(w, "deliveries", log);
	}
	web_page_webhooks(&page, &c->web->ctx, hooks, created);
	webui_send(c, 200, &page);
done:
	json_decref(hooks);
	return rc;
}

int
webui_webhooks(struct http_ctx *c)
{
	return webui_webhooks_page(c, NULL);
}

int
webui_webhook_create(struct http_ctx *c)
{
	const struct web_form *f = c->web->posted;
	json_t *events = json_array(), *w = NULL;
	size_t i;
	int rc;

	for (i = 0; f != NULL && i < f->n; i++)
		if (strcmp(f->names[i], "events") == 0)
			json_array_append_new(events, json_string(f->values[i]));
	rc = webhook_create(&w, c->db, c->org_id, &c->actor, webui_posted(c, "url"), events);
	json_decref(events);
	if (rc != 0)
		return webui_fail(c, rc);
	rc = webui_webhooks_page(c, w);
	json_decref(w);
	return rc;
}

static int
webui_webhook_change(struct http_ctx *c, bool enable)
{
	json_t *w = NULL;
	int64_t id;
	int rc;

	if (str_to_int64(&id, http_param(c, "id"), 1, INT64_MAX) != 0)
		return webui_fail(c, aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such webhook."));
	rc = enable ? webhook_enable(&w, c->db, c->org_id, &c->actor, id) :
	    webhook_delete(c->db, c->org_id, &c->actor, id);
	json_decref(w);
	if (rc != 0)
		return webui_fail(c, rc);
	webui_back(c, "/webhooks", enable ? "webhook-enabled" : "webhook-deleted");
	return 0;
}

int
webui_webhook_enable(struct http_ctx *c)
{
	return webui_webhook_change(c, true);
}

int
webui_webhook_delete(struct http_ctx *c)
{
	return webui_webhook_change(c, false);
}
