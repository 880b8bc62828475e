/*
 * web_evidence.c - evidence files in the browser: a form's file (received
 * by the multipart parser into a temporary file, already hashed) saved
 * with the record in one step by core, and the download of a stored
 * revision, always as an attachment so that a stored file is never shown
 * as a page of this site.
 */
#include <stdlib.h>
#include <string.h>

#include "core/evidence.h"
#include "http/api.h"
#include "http/webui.h"
#include "store/db.h"
#include "util/error.h"
#include "util/str.h"

static int
webui_evidence_save(json_t **out, struct http_ctx *c, const char *ref, int64_t version,
    const json_t *fields)
{
	struct evidence_upload up;
	char *data_dir = NULL;
	bool file = http_upload_evidence(&up, c->req->upload);
	int rc;

	evidence_data_dir(&data_dir, db_path(c->db));
	rc = evidence_save(out, c->db, data_dir, c->org_id, &c->actor, ref, version, fields,
	    file ? &up : NULL);
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

int
webui_download(struct http_ctx *c)
{
	const char *ref = http_param(c, "ref");
	int64_t revision = http_query_int(c, "revision", 0);

	if (!c->web->kind->files || strlen(ref) > WEBUI_REF_MAX)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such file.");
	return http_reply_evidence_file(c, ref, revision > 0 ? revision : 0);
}
