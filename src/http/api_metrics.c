/*
 * api_metrics.c - metric readings over the API: a batch pushed by a
 * pipeline (a JSON array of {"at","value"}, or the same as CSV), the series
 * a chart draws over a range, and the monitoring state of the metrics
 * (last reading, warning or breach, stale). The rules are core's
 * (core/metric.h).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/metric.h"
#include "core/record.h"
#include "http/api.h"
#include "http/router.h"
#include "http/server.h"
#include "io/import.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

#define API_SERIES_DEFAULT_DAYS	30

/* The metric is this organisation's: another's answers 404 as none would. */
static int
api_metric_exists(struct http_ctx *c)
{
	json_t *m = NULL;
	int rc;

	rc = record_get(&m, c->db, c->org_id, record_kind_find("metrics"), http_param(c, "ref"));
	json_decref(m);
	return rc;
}

/* A push as one request of the group commit (http_server_write()). */
struct api_push {
	int64_t			 org_id;
	const struct actor	*actor;
	const char		*ref;
	const json_t		*readings;
	json_t			*out;
};

static int
api_metric_push_apply(struct db *db, void *arg)
{
	struct api_push *p = arg;

	return metric_readings_push(&p->out, db, p->org_id, p->actor, p->ref, p->readings);
}

/*
 * Concurrent pipelines' batches share one commit (each under its own
 * savepoint, answered after it): one fsync for many batches, and no push
 * waits in SQLite's busy handler.
 */
int
api_metric_readings_push(struct http_ctx *c)
{
	struct api_push p = { .org_id = c->org_id, .actor = &c->actor,
	    .ref = http_param(c, "ref") };
	json_t *readings = NULL;
	int rc;

	if (c->body != NULL)
		readings = json_incref(c->body);
	else if ((rc = import_readings_csv(&readings, c->req->body ? c->req->body : "",
	    c->req->body_len)) != 0)
		return rc;
	p.readings = readings;
	rc = http_server_write(c->db, p.org_id, api_metric_push_apply, &p);
	json_decref(readings);
	if (rc != 0) {
		json_decref(p.out);
		return rc;
	}
	http_reply_json(c, 200, p.out);
	return 0;
}

int
api_metric_readings_get(struct http_ctx *c)
{
	const char *from_s = http_query(c, "from"), *to_s = http_query(c, "to");
	const char *points_s = http_query(c, "points");
	time_t to = clock_now(), from;
	int64_t points = METRIC_SERIES_POINTS_MAX;
	json_t *out = NULL;
	int rc;

	if (to_s != NULL && clock_parse(&to, to_s) != 0)
		return aims_error_set(AIMS_EINVALID, "to", "to must be an RFC 3339 time");
	from = to - (time_t)API_SERIES_DEFAULT_DAYS * 24 * 3600;
	if (from_s != NULL && clock_parse(&from, from_s) != 0)
		return aims_error_set(AIMS_EINVALID, "from", "from must be an RFC 3339 time");
	if (points_s != NULL)
		(void)str_to_int64(&points, points_s, 2, METRIC_SERIES_POINTS_MAX);
	if ((rc = api_metric_exists(c)) != 0)
		return rc;
	if ((rc = metric_series(&out, c->db, c->org_id, http_param(c, "ref"), from, to,
	    (int)points)) != 0)
		return rc;
	http_reply_json(c, 200, out);
	return 0;
}

int
api_metric_status(struct http_ctx *c)
{
	json_t *items = NULL;
	int rc;

	if ((rc = metric_status(&items, c->db, c->org_id, http_query(c, "ai_system"),
	    http_query(c, "objective"), clock_now())) != 0)
		return rc;
	http_reply_json(c, 200, json_pack("{s:o}", "items", items));
	return 0;
}
