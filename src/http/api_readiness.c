/*
 * api_readiness.c - /api/v1/orgs/{org}/readiness (the certification readiness
 * answer, engine/readiness.h), /exports/{soa|risks|ai-systems|readiness}.{fmt}
 * (io/export.h) and /soa-versions, /soa-changes (core/soa.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/org.h"
#include "core/soa.h"
#include "engine/readiness.h"
#include "http/api.h"
#include "http/router.h"
#include "http/server.h"
#include "io/export.h"
#include "util/error.h"
#include "util/str.h"

#define API_DISPOSITION_MAX	160

int
api_readiness_get(struct http_ctx *c)
{
	json_t *res = NULL;
	int rc;

	if ((rc = readiness_evaluate(&res, c->db, c->org_id, READINESS_SAVE)) != 0)
		return rc;
	http_reply_json(c, 200, res);
	return 0;
}

/* The file name is the last segment of the route: ".../exports/soa.xlsx". */
static const char *
api_export_name(const struct http_ctx *c)
{
	const char *slash = strrchr(c->route->pattern, '/');

	return slash ? slash + 1 : "";
}

int
api_export_get(struct http_ctx *c)
{
	const char *name = api_export_name(c);
	struct export_opts opts = { .soa_version = http_query_int(c, "version", 0) };
	char disposition[API_DISPOSITION_MAX];
	struct buf out = BUF_INIT;
	enum export_format fmt;
	enum export_what what;
	json_t *org = NULL;
	int rc;

	if ((rc = export_parse_name(&what, &fmt, name)) != 0 ||
	    (rc = org_get(&org, c->db, c->org_id)) != 0 ||
	    (rc = export_to_buf(&out, c->db, c->org_id, what, fmt, &opts)) != 0)
		goto done;
	/* The slug is [a-z0-9-] and the name is ours: nothing to quote. */
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s-%s\"",
	    json_string_value(json_object_get(org, "slug")), name);
	http_reply_text(c, 200, export_media_type(fmt), buf_str(&out), out.len);
	http_resp_header(&c->resp, "Content-Disposition", disposition);
done:
	buf_free(&out);
	json_decref(org);
	return rc;
}

int
api_soa_versions_list(struct http_ctx *c)
{
	json_t *list = NULL;
	int rc;

	if ((rc = soa_versions(&list, c->db, c->org_id)) != 0)
		return rc;
	return http_reply_page(c, list);
}

int
api_soa_versions_publish(struct http_ctx *c)
{
	struct soa_publish_change p = { .org_id = c->org_id, .actor = &c->actor,
	    .approver = http_body_str(c, "approver"), .note = http_body_str(c, "note") };
	char location[128];
	json_t *v;
	int rc;

	if ((rc = http_server_write(c->db, c->org_id, soa_publish_apply, &p)) != 0)
		return rc;
	v = p.out;
	snprintf(location, sizeof(location), "/api/v1/orgs/%s/soa-versions/%lld",
	    http_param(c, "org"), (long long)json_integer_value(json_object_get(v, "version")));
	http_resp_header(&c->resp, "Location", location);
	http_reply_json(c, 201, v);
	return 0;
}

int
api_soa_versions_get(struct http_ctx *c)
{
	json_t *v = NULL;
	int64_t id = 0;
	int rc;

	if (str_to_int64(&id, http_param(c, "id"), 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, "id", "no such version");
	if ((rc = soa_version_get(&v, c->db, c->org_id, id)) != 0)
		return rc;
	http_reply_json(c, 200, v);
	return 0;
}

int
api_soa_changes(struct http_ctx *c)
{
	json_t *d = NULL;
	int rc;

	if ((rc = soa_diff(&d, c->db, c->org_id, http_query_int(c, "version", 0))) != 0)
		return rc;
	http_reply_json(c, 200, d);
	return 0;
}
