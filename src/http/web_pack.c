/*
 * web_pack.c - the audit pack page's handlers: show the latest pack, start
 * one from the form (the same background run as POST /api/v1/orgs/{org}/packs,
 * http/pack_job.h), download a finished one.
 */
#include <stdio.h>
#include <string.h>

#include "http/pack_job.h"
#include "http/webui.h"
#include "store/db.h"
#include "util/error.h"
#include "util/str.h"
#include "web/web.h"

#define WEB_PACK_REFRESH	"3"	/* seconds between reloads while a pack is made */
#define WEB_PACK_NAME_MAX	128

static int
webui_pack_show(struct http_ctx *c, int status, struct web_pack_view *v)
{
	struct buf page = BUF_INIT;
	json_t *job = NULL;
	bool running = false;
	int rc;

	if ((rc = pack_job_get(&job, &running, c->org_id)) != 0 && rc != AIMS_ENOTFOUND)
		return rc;
	aims_error_clear();
	v->job = job;
	web_page_pack(&page, &c->web->ctx, v);
	webui_send(c, status, &page);
	if (running && status == 200)
		http_resp_header(&c->resp, "Refresh", WEB_PACK_REFRESH);
	json_decref(job);
	return 0;
}

int
webui_pack_page(struct http_ctx *c)
{
	struct web_pack_view v = { 0 };

	return webui_pack_show(c, 200, &v);
}

/* An empty field of the form means "not given". */
static const char *
webui_pack_field(struct http_ctx *c, const char *name)
{
	const char *s = webui_posted(c, name);

	return s != NULL && s[strspn(s, " ")] != '\0' ? s : NULL;
}

int
webui_pack_start(struct http_ctx *c)
{
	struct web_pack_view v = { 0 };
	struct buf url = BUF_INIT;
	char msg[AIMS_ERROR_MSG_MAX], field[AIMS_ERROR_FIELD_MAX];
	json_t *job = NULL;
	bool started;
	int rc;

	v.since = webui_pack_field(c, "since");
	v.requirements = webui_pack_field(c, "requirements");
	rc = pack_job_start(&job, &started, db_path(c->db), c->org_id, v.since, v.requirements,
	    c->who.name);
	json_decref(job);
	if (rc == AIMS_EINVALID) {
		/* Copied: showing the page sets and clears the thread's error. */
		snprintf(msg, sizeof(msg), "%s", aims_error_message());
		snprintf(field, sizeof(field), "%s", aims_error_field());
		v.error = msg;
		v.error_field = field;
		return webui_pack_show(c, 400, &v);
	}
	if (rc != 0)
		return rc;
	web_url_kind(&url, &c->web->ctx, "pack");
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
	return 0;
}

int
webui_pack_download(struct http_ctx *c)
{
	char disposition[WEB_PACK_NAME_MAX + 32];
	int64_t id = 0;
	uint64_t size = 0;
	int fd = -1, rc;

	if (str_to_int64(&id, http_param(c, "id"), 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such pack");
	if ((rc = pack_job_open(&fd, &size, c->org_id, id)) != 0)
		return rc;
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
