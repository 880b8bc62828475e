/*
 * metrics.h - counters for GET /metrics (Prometheus text format 0.0.4):
 * requests by route and status, a latency histogram per route, time spent
 * in the database per route, and open connections. Updates are lock-free
 * (relaxed atomics); a scrape reads them without stopping the workers.
 */
#ifndef AIMS_HTTP_METRICS_H
#define AIMS_HTTP_METRICS_H

#include <stdint.h>

#include "util/buf.h"

#define METRICS_ROUTES_MAX	160	/* routes in the table + "unmatched" */

/* route: index in http_routes[], or -1 for a request that matched none. */
void metrics_record(int route, int status, int64_t usec, int64_t db_usec);
void metrics_connection(int delta);
void metrics_write(struct buf *out);

#endif
