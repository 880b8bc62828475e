/*
 * api_packs.c - /api/v1/orgs/{org}/packs: the organisation's audit pack
 * (docs/pack.md), made in the background (pack_job.h): POST starts it, GET
 * .../packs/latest follows it, GET .../packs/{id}/pack.zip downloads it,
 * streamed from the file.
 */
#include <stdio.h>
#include <unistd.h>

#include "http/api.h"
#include "http/pack_job.h"
#include "store/db.h"
#include "util/error.h"
#include "util/str.h"

#define API_PACK_LOCATION_MAX	128	/* "/api/v1/orgs/<slug>/packs/latest" */
#define API_PACK_NAME_MAX	128	/* "<slug>-audit-pack-<id>.zip" */

/* 202 with the pack while it is being made, 200 once it is done or failed. */
static void
api_pack_reply(struct http_ctx *c, json_t *job, bool running)
{
	char where[API_PACK_LOCATION_MAX];

	snprintf(where, sizeof(where), "/api/v1/orgs/%s/packs/latest", http_param(c, "org"));
	http_resp_header(&c->resp, "Location", where);
	if (running)
		http_resp_header(&c->resp, "Retry-After", "1");
	http_reply_json(c, running ? 202 : 200, job);
}

int
api_pack_start(struct http_ctx *c)
{
	json_t *job = NULL;
	bool started;
	int rc;

	if ((rc = pack_job_start(&job, &started, db_path(c->db), c->org_id,
	    http_body_str(c, "since"), http_body_str(c, "requirements"), c->who.name)) != 0) {
		if (rc == HTTP_EUNAVAILABLE)
			http_resp_header(&c->resp, "Retry-After", "5");
		return rc;
	}
	api_pack_reply(c, job, true);
	return 0;
}

int
api_pack_latest(struct http_ctx *c)
{
	json_t *job = NULL;
	bool running;
	int rc;

	if ((rc = pack_job_get(&job, &running, c->org_id)) != 0)
		return rc;
	/* A pack that could not be made (a log that does not verify) is an answer. */
	api_pack_reply(c, job, running);
	return 0;
}

int
api_pack_download(struct http_ctx *c)
{
	char disposition[API_PACK_NAME_MAX + 32];
	int64_t id = 0;
	uint64_t size = 0;
	int fd = -1, rc;

	if (str_to_int64(&id, http_param(c, "id"), 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such pack");
	if ((rc = pack_job_open(&fd, &size, c->org_id, id)) != 0)
		return rc;
	/* The slug is [a-z0-9-]: nothing to escape in the file name. */
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s-audit-pack-%lld.zip\"",
	    http_param(c, "org"), (long long)id);
	http_reply_empty(c, 200);
	http_resp_header(&c->resp, "Content-Type", "application/zip");
	http_resp_header(&c->resp, "Content-Disposition", disposition);
	c->resp.has_file = true;
	c->resp.file_fd = fd;
	c->resp.file_size = size;
	return 0;
}
