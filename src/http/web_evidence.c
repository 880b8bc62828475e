/*
 * web_evidence.c - evidence files in the browser: a form's file (received
 * by the multipart parser into a temporary file, already hashed) saved
 * with the record in one step by core, and the download of a stored
 * revision, always as an attachment so that a stored file is never shown
 * as a page of this site.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/evidence.h"
#include "http/webui.h"
#include "store/db.h"
#include "util/error.h"
#include "util/str.h"
#include "web/html.h"

#define WEBUI_DISPOSITION_MAX	1024

static int
webui_evidence_save(json_t **out, struct http_ctx *c, const char *ref, int64_t version,
    const json_t *fields)
{
	const struct http_upload *u = c->req->upload;
	struct evidence_upload up = { 0 };
	char *data_dir = NULL;
	int rc;

	if (u != NULL && u->file_path != NULL) {
		up.path = u->file_path;
		up.sha256 = u->sha256;
		up.filename = u->file_name;
		up.received = true;
	}
	evidence_data_dir(&data_dir, db_path(c->db));
	rc = evidence_save(out, c->db, data_dir, c->org_id, &c->actor, ref, version, fields,
	    up.path != NULL ? &up : NULL);
	free(data_dir);
	return rc;
}

int
webui_evidence_create(json_t **out, struct http_ctx *c, const json_t *fields)
{
	return webui_evidence_save(out, c, NULL, 0, fields);
}

int
webui_evidence_update(json_t **out, struct http_ctx *c, const char *ref, int64_t version,
    const json_t *patch)
{
	return webui_evidence_save(out, c, ref, version, patch);
}

/* attachment; filename="ascii"; filename*=UTF-8''percent-encoded */
static void
webui_disposition(struct buf *out, const char *name)
{
	const char *p;

	buf_puts(out, "attachment; filename=\"");
	for (p = name; *p != '\0'; p++)
		buf_putc(out, (unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f || *p == '"' ||
		    *p == '\\' ? '_' : *p);
	buf_puts(out, "\"; filename*=UTF-8''");
	html_url_escape(out, name);
}

int
webui_download(struct http_ctx *c)
{
	const char *ref = http_param(c, "ref");
	struct buf disp = BUF_INIT;
	json_t *meta = NULL;
	char *data_dir = NULL, *path = NULL;
	struct stat st;
	int64_t revision = http_query_int(c, "revision", 0);
	int fd = -1, rc;

	if (strcmp(c->web->kind->name, "evidence") != 0 || strlen(ref) > WEBUI_REF_MAX)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such file.");
	evidence_data_dir(&data_dir, db_path(c->db));
	if ((rc = evidence_file_get(&meta, &path, c->db, data_dir, c->org_id, ref,
	    revision > 0 ? revision : 0)) != 0)
		goto done;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0) {
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot open the stored file %s: %s", path,
		    strerror(errno));
		goto done;
	}
	webui_disposition(&disp, json_string_value(json_object_get(meta, "filename")));
	http_reply_empty(c, 200);
	http_resp_header(&c->resp, "Content-Type",
	    json_string_value(json_object_get(meta, "media_type")));
	http_resp_header(&c->resp, "Content-Disposition", buf_str(&disp));
	http_resp_header(&c->resp, "X-Content-SHA256",
	    json_string_value(json_object_get(meta, "sha256")));
	c->resp.has_file = true;
	c->resp.file_fd = fd;
	c->resp.file_size = (uint64_t)st.st_size;
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	buf_free(&disp);
	json_decref(meta);
	free(data_dir);
	free(path);
	return rc;
}
