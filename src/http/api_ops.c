/*
 * api_ops.c - operations endpoints: /healthz (the process answers), /readyz
 * (the database answers), /metrics (Prometheus text), and the OpenAPI
 * document.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http/api.h"
#include "http/metrics.h"
#include "store/db.h"
#include "util/error.h"

#define API_PROMETHEUS_TYPE	"text/plain; version=0.0.4; charset=utf-8"

int
api_healthz(struct http_ctx *c)
{
	http_reply_json(c, 200, json_pack("{s:s}", "status", "ok"));
	return 0;
}

int
api_readyz(struct http_ctx *c)
{
	int v = 0;

	if (db_schema_version(&v, c->db) != 0 || v < 1)
		return aims_error_set(HTTP_EUNAVAILABLE, NULL, "the database does not answer");
	http_reply_json(c, 200, json_pack("{s:s, s:i}", "status", "ready", "schema", v));
	return 0;
}

int
api_metrics(struct http_ctx *c)
{
	struct buf out = BUF_INIT;

	metrics_write(&out);
	http_reply_text(c, 200, API_PROMETHEUS_TYPE, out.data ? out.data : "", out.len);
	buf_free(&out);
	return 0;
}

/* The document never changes while the process runs: build it once. */
static char *api_openapi_text;
static pthread_once_t api_openapi_once = PTHREAD_ONCE_INIT;

static void
api_openapi_build(void)
{
	json_t *doc = openapi_document();

	api_openapi_text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(doc);
}

int
api_openapi(struct http_ctx *c)
{
	pthread_once(&api_openapi_once, api_openapi_build);
	if (api_openapi_text == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "cannot build the OpenAPI document");
	http_reply_text(c, 200, HTTP_JSON_UTF8, api_openapi_text, strlen(api_openapi_text));
	return 0;
}
