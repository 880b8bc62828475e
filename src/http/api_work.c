/*
 * api_work.c - the caller's work and the certification calendar over JSON
 * (core/work.h). The tasks made by hand and the certification records are
 * the generic record routes (api_records.c).
 */
#include "core/work.h"
#include "http/api.h"
#include "util/clock.h"

int
api_my_work(struct http_ctx *c)
{
	json_t *w = NULL;
	int rc;

	if ((rc = work_mine(&w, c->db, c->org_id, &c->actor, clock_now())) != 0)
		return rc;
	http_reply_json(c, 200, w);
	return 0;
}

int
api_calendar(struct http_ctx *c)
{
	json_t *cal = NULL;
	int rc;

	if ((rc = work_calendar(&cal, c->db, c->org_id, clock_now())) != 0)
		return rc;
	http_reply_json(c, 200, cal);
	return 0;
}

int
api_work_items(struct http_ctx *c)
{
	json_t *items = NULL;
	int rc;

	if ((rc = work_list(&items, c->db, c->org_id, http_query(c, "owner"), http_query(c, "from"),
	    http_query(c, "to"), (int)http_query_int(c, "limit", WORK_GROUP_MAX))) != 0)
		return rc;
	http_reply_list(c, items, NULL);
	return 0;
}
