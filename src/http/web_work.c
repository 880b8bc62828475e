/*
 * web_work.c - the "My work" and certification calendar pages: core's
 * answers (core/work.h) drawn by web/page_work.c.
 */
#include "core/work.h"
#include "http/webui.h"
#include "util/clock.h"
#include "web/web.h"

int
webui_my_work(struct http_ctx *c)
{
	struct buf page = BUF_INIT;
	json_t *w = NULL;
	int rc;

	if ((rc = work_mine(&w, c->db, c->org_id, &c->actor, clock_now())) != 0)
		return rc;
	web_page_my_work(&page, &c->web->ctx, w);
	webui_send(c, 200, &page);
	json_decref(w);
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
