/*
 * metrics.c - request counters and histograms (see metrics.h).
 */
#include <stddef.h>

#include "core/user.h"
#include "http/guard.h"
#include "http/list_cache.h"
#include "http/metrics.h"
#include "http/server.h"
#include "http/router.h"
#include "store/db.h"

static const int metrics_statuses[] = {
	200, 201, 204, 304, 400, 401, 403, 404, 405, 408, 409, 412, 413, 415, 422, 429, 431,
	500, 503,
};
#define METRICS_NSTATUS	(sizeof(metrics_statuses) / sizeof(metrics_statuses[0]) + 1)

/* Upper bounds of the latency buckets, in microseconds. */
static const int64_t metrics_bounds[] = {
	100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000,
};
#define METRICS_NBUCKETS	(sizeof(metrics_bounds) / sizeof(metrics_bounds[0]))

struct metrics_route {
	uint64_t	by_status[METRICS_NSTATUS];	/* last slot: any other status */
	uint64_t	buckets[METRICS_NBUCKETS + 1];	/* last: +Inf */
	uint64_t	usec_sum;
	uint64_t	db_usec_sum;
};

static struct metrics_route metrics_routes[METRICS_ROUTES_MAX];
static int64_t metrics_open_connections;

static size_t
metrics_status_slot(int status)
{
	size_t i;

	for (i = 0; i < METRICS_NSTATUS - 1; i++)
		if (metrics_statuses[i] == status)
			return i;
	return METRICS_NSTATUS - 1;
}

void
metrics_record(int route, int status, int64_t usec, int64_t db_usec)
{
	struct metrics_route *m;
	size_t b;

	/* Slot 0 is "unmatched"; route i lives in slot i + 1. */
	if (route < -1 || route + 1 >= METRICS_ROUTES_MAX)
		route = -1;
	m = &metrics_routes[route + 1];
	__atomic_fetch_add(&m->by_status[metrics_status_slot(status)], 1, __ATOMIC_RELAXED);
	for (b = 0; b < METRICS_NBUCKETS && usec > metrics_bounds[b]; b++)
		;
	__atomic_fetch_add(&m->buckets[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->usec_sum, (uint64_t)(usec > 0 ? usec : 0), __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->db_usec_sum, (uint64_t)(db_usec > 0 ? db_usec : 0),
	    __ATOMIC_RELAXED);
}

void
metrics_connection(int delta)
{
	__atomic_fetch_add(&metrics_open_connections, delta, __ATOMIC_RELAXED);
}

static void
metrics_label(struct buf *out, int slot)
{
	const struct route *r;

	if (slot == 0) {
		buf_puts(out, "route=\"unmatched\"");
		return;
	}
	if ((r = router_route_at(slot - 1)) == NULL)
		return;
	buf_printf(out, "method=\"%s\",route=\"%s\"", r->method, r->pattern);
}

static uint64_t
metrics_load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void
metrics_write_requests(struct buf *out, int nslots)
{
	size_t s;
	int i;

	buf_puts(out, "# HELP aims_http_requests_total HTTP requests answered, by route and status.\n"
	    "# TYPE aims_http_requests_total counter\n");
	for (i = 0; i < nslots; i++)
		for (s = 0; s < METRICS_NSTATUS; s++) {
			uint64_t n = metrics_load(&metrics_routes[i].by_status[s]);

			if (n == 0)
				continue;
			buf_puts(out, "aims_http_requests_total{");
			metrics_label(out, i);
			if (s < METRICS_NSTATUS - 1)
				buf_printf(out, ",status=\"%d\"} %llu\n", metrics_statuses[s],
				    (unsigned long long)n);
			else
				buf_printf(out, ",status=\"other\"} %llu\n", (unsigned long long)n);
		}
}

static void
metrics_write_histogram(struct buf *out, int slot)
{
	const struct metrics_route *m = &metrics_routes[slot];
	uint64_t cum = 0;
	size_t b;

	for (b = 0; b <= METRICS_NBUCKETS; b++)
		cum += metrics_load(&m->buckets[b]);
	if (cum == 0)
		return;
	cum = 0;
	for (b = 0; b <= METRICS_NBUCKETS; b++) {
		cum += metrics_load(&m->buckets[b]);
		buf_puts(out, "aims_http_request_duration_seconds_bucket{");
		metrics_label(out, slot);
		if (b < METRICS_NBUCKETS)
			buf_printf(out, ",le=\"%g\"} %llu\n", (double)metrics_bounds[b] / 1e6,
			    (unsigned long long)cum);
		else
			buf_printf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)cum);
	}
	buf_puts(out, "aims_http_request_duration_seconds_sum{");
	metrics_label(out, slot);
	buf_printf(out, "} %.6f\n", (double)metrics_load(&m->usec_sum) / 1e6);
	buf_puts(out, "aims_http_request_duration_seconds_count{");
	metrics_label(out, slot);
	buf_printf(out, "} %llu\n", (unsigned long long)cum);
}

static void
metrics_write_db(struct buf *out, int nslots)
{
	int i;

	buf_puts(out, "# HELP aims_http_db_seconds_total Time spent in the database while "
	    "answering, by route.\n# TYPE aims_http_db_seconds_total counter\n");
	for (i = 0; i < nslots; i++) {
		uint64_t u = metrics_load(&metrics_routes[i].db_usec_sum);

		if (u == 0)
			continue;
		buf_puts(out, "aims_http_db_seconds_total{");
		metrics_label(out, i);
		buf_printf(out, "} %.6f\n", (double)u / 1e6);
	}
}

void
metrics_write(struct buf *out)
{
	struct list_cache_stats lc;
	struct db_writer_figures wf;
	int nslots = 1, i;

	while (nslots < METRICS_ROUTES_MAX && router_route_at(nslots - 1) != NULL)
		nslots++;
	metrics_write_requests(out, nslots);
	buf_puts(out, "# HELP aims_http_request_duration_seconds Time from request to answer.\n"
	    "# TYPE aims_http_request_duration_seconds histogram\n");
	for (i = 0; i < nslots; i++)
		metrics_write_histogram(out, i);
	metrics_write_db(out, nslots);
	buf_printf(out, "# HELP aims_http_open_connections Client connections open now.\n"
	    "# TYPE aims_http_open_connections gauge\naims_http_open_connections %lld\n",
	    (long long)__atomic_load_n(&metrics_open_connections, __ATOMIC_RELAXED));
	buf_printf(out, "# HELP aims_http_header_timeouts_total Connections closed because "
	    "their request line and headers did not arrive in time (serve --header-timeout).\n"
	    "# TYPE aims_http_header_timeouts_total counter\naims_http_header_timeouts_total "
	    "%llu\n", (unsigned long long)guard_cut_count());
	http_server_writer_figures(&wf);
	buf_printf(out, "# HELP aims_db_write_requests_total Changes applied by the database "
	    "writer (group commit).\n# TYPE aims_db_write_requests_total counter\n"
	    "aims_db_write_requests_total %lld\n"
	    "# HELP aims_db_write_groups_total Transactions the database writer committed, "
	    "each holding every change that was waiting.\n"
	    "# TYPE aims_db_write_groups_total counter\naims_db_write_groups_total %lld\n",
	    (long long)wf.requests, (long long)wf.groups);
	buf_printf(out, "# HELP aims_db_writer_queued Changes waiting now for the database "
	    "writer, behind the group it is writing.\n"
	    "# TYPE aims_db_writer_queued gauge\naims_db_writer_queued %d\n"
	    "# HELP aims_db_writer_busy_seconds_total Time the database writer spent writing "
	    "groups; its rate near 1 means changes arrive as fast as they can be committed.\n"
	    "# TYPE aims_db_writer_busy_seconds_total counter\n"
	    "aims_db_writer_busy_seconds_total %.6f\n"
	    "# HELP aims_db_writer_commit_seconds_total The part of that time spent in the "
	    "groups' commits (the log written and flushed to disk).\n"
	    "# TYPE aims_db_writer_commit_seconds_total counter\n"
	    "aims_db_writer_commit_seconds_total %.6f\n",
	    wf.queued, (double)wf.busy_usec / 1e6, (double)wf.commit_usec / 1e6);
	buf_printf(out, "# HELP aims_db_stray_writes_total Changes a request made on its own "
	    "connection instead of through the database writer (expected: 0).\n"
	    "# TYPE aims_db_stray_writes_total counter\naims_db_stray_writes_total %lld\n",
	    (long long)db_stray_writes());
	buf_printf(out, "# HELP aims_db_log_copies_total Copies of SQLite's write-ahead log into "
	    "the database file made beside the writer's commits.\n"
	    "# TYPE aims_db_log_copies_total counter\naims_db_log_copies_total %lld\n"
	    "# HELP aims_db_log_restarts_total Times the writer finished a copy itself between "
	    "two groups so that the log starts again.\n"
	    "# TYPE aims_db_log_restarts_total counter\naims_db_log_restarts_total %lld\n",
	    (long long)wf.copies, (long long)wf.restarts);
	list_cache_stats(&lc);
	buf_printf(out, "# HELP aims_list_cache_hits_total Record lists answered from a kept "
	    "answer read at the organisation's current log head.\n"
	    "# TYPE aims_list_cache_hits_total counter\naims_list_cache_hits_total %lld\n"
	    "# HELP aims_list_cache_misses_total Record lists that could be kept, read from "
	    "the database.\n"
	    "# TYPE aims_list_cache_misses_total counter\naims_list_cache_misses_total %lld\n"
	    "# HELP aims_list_cache_bytes Bytes of kept list answers (serve --list-cache).\n"
	    "# TYPE aims_list_cache_bytes gauge\naims_list_cache_bytes %lld\n",
	    (long long)lc.hits, (long long)lc.misses, (long long)lc.bytes);
	buf_printf(out, "# HELP aims_password_verifications_total argon2id verifications, "
	    "including those against the dummy hash for unknown accounts.\n"
	    "# TYPE aims_password_verifications_total counter\n"
	    "aims_password_verifications_total %lld\n", (long long)user_password_verifications());
}
