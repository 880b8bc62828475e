/*
 * api_evidence.c - evidence files over the API: the revisions of an evidence
 * record and the download of one revision with its type and file name. The
 * store and its checks are core's (core/evidence.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/evidence.h"
#include "http/api.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define EVIDENCE_DOWNLOAD_MAX	(256L * 1024 * 1024)

int
api_evidence_files(struct http_ctx *c)
{
	json_t *items = NULL;
	int rc;

	if ((rc = evidence_file_list(&items, c->db, c->org_id, http_param(c, "ref"))) != 0)
		return rc;
	http_reply_list(c, items, NULL);
	return 0;
}

static int
api_evidence_read(struct buf *out, const char *path)
{
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	int rc = 0;

	if (f == NULL)
		return aims_error_set(AIMS_ENOTFOUND, NULL,
		    "the stored file is missing: run 'aims verify'");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (out->len + n > EVIDENCE_DOWNLOAD_MAX) {
			rc = aims_error_set(AIMS_ETOOBIG, NULL, "the file is too large to send");
			break;
		}
		buf_append(out, chunk, n);
	}
	if (ferror(f) && rc == 0)
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot read the stored file");
	fclose(f);
	return rc;
}

/* Keeps a file name safe inside a quoted Content-Disposition parameter. */
static void
api_evidence_disposition(char *out, size_t len, const char *filename)
{
	size_t n = (size_t)snprintf(out, len, "attachment; filename=\"");
	const char *p;

	for (p = filename; *p && n + 3 < len; p++)
		if ((unsigned char)*p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f)
			out[n++] = *p;
	out[n++] = '"';
	out[n] = '\0';
}

int
api_evidence_download(struct http_ctx *c)
{
	char *data_dir = NULL, *path = NULL, disposition[300];
	struct buf body = BUF_INIT;
	json_t *meta = NULL;
	int64_t revision = 0;
	int rc;

	if (str_to_int64(&revision, http_param(c, "id"), 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such revision");
	evidence_data_dir(&data_dir, db_path(c->db));
	if ((rc = evidence_file_get(&meta, &path, c->db, data_dir, c->org_id,
	    http_param(c, "ref"), revision)) != 0 || (rc = api_evidence_read(&body, path)) != 0)
		goto done;
	api_evidence_disposition(disposition, sizeof(disposition),
	    json_string_value(json_object_get(meta, "filename")));
	/* The media type was checked against the allow-list when it was stored. */
	http_reply_text(c, 200, evidence_media_type_static(json_string_value(
	    json_object_get(meta, "media_type"))), buf_str(&body), body.len);
	http_resp_header(&c->resp, "Content-Disposition", disposition);
	http_resp_header(&c->resp, "Digest", json_string_value(json_object_get(meta, "sha256")));
done:
	buf_free(&body);
	json_decref(meta);
	free(path);
	free(data_dir);
	return rc;
}
