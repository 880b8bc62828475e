/*
 * api_bom.c - an AI system's ML-BOM and red-team runs over the API:
 * POST /api/v1/orgs/{org}/ai-systems/{ref}/imports takes a CycloneDX
 * ML-BOM, a Hugging Face model card, a garak report or a promptfoo result
 * file (multipart: the file in 'file', its format in 'format'), as
 * 'aims import' does;
 * GET /api/v1/orgs/{org}/ai-systems/{ref}/bom.json answers the system's
 * CycloneDX 1.6 ML-BOM.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/bom.h"
#include "core/evidence.h"
#include "core/org.h"
#include "core/redteam.h"
#include "http/api.h"
#include "http/import_write.h"
#include "http/multipart.h"
#include "http/router.h"
#include "io/cyclonedx.h"
#include "io/modelcard.h"
#include "io/redteam.h"
#include "util/buf.h"
#include "util/error.h"

#define API_BOM_DISPOSITION_MAX	200

/* The format part of the upload (the router has checked there is no other). */
static const char *
api_bom_format(const struct http_upload *u)
{
	size_t i;

	for (i = 0; u && i < u->fields.n; i++)
		if (strcmp(u->fields.names[i], ROUTER_UPLOAD_FORMAT) == 0)
			return u->fields.values[i];
	return NULL;
}

static int
api_bom_read(struct buf *out, const struct http_upload *u)
{
	char chunk[65536];
	FILE *f;
	size_t n;
	int rc = 0;

	if (u->file_size > CYCLONEDX_FILE_MAX)
		return aims_error_set(AIMS_ETOOBIG, ROUTER_UPLOAD_FILE,
		    "a BOM is at most %d bytes", CYCLONEDX_FILE_MAX);
	if ((f = fopen(u->file_path, "rb")) == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "cannot read the upload: %s",
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(out, chunk, n);
	if (ferror(f))
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot read the upload");
	fclose(f);
	return rc;
}

int
api_bom_import(struct http_ctx *c)
{
	const struct http_upload *u = c->req->upload;
	const char *format = api_bom_format(u), *check = http_query(c, "check");
	bool only_check = check && strcmp(check, "true") == 0;
	struct evidence_upload up;
	enum redteam_format rf;
	struct buf doc = BUF_INIT;
	json_t *summary = NULL;
	int rc;

	if (u == NULL || u->file_path == NULL)
		return aims_error_set(AIMS_EINVALID, ROUTER_UPLOAD_FILE,
		    "the file goes in the form part named '" ROUTER_UPLOAD_FILE "'");
	if (format == NULL)
		return aims_error_set(AIMS_EINVALID, ROUTER_UPLOAD_FORMAT,
		    "the file's format goes in the form part named '" ROUTER_UPLOAD_FORMAT
		    "' (cyclonedx, modelcard, garak or promptfoo)");
	if (strcmp(format, "cyclonedx") == 0 || strcmp(format, "modelcard") == 0) {
		if ((rc = api_bom_read(&doc, u)) == 0)
			rc = import_write_bom(&summary, c, format, http_param(c, "ref"),
			    doc.data ? doc.data : "", doc.len, only_check);
	} else if ((rc = redteam_parse_format(&rf, format)) == 0) {
		http_upload_evidence(&up, u);
		rc = import_write_redteam(&summary, c, rf, http_param(c, "ref"), &up, only_check);
	}
	if (rc == 0) {
		json_object_set_new(summary, "format", json_string(format));
		http_reply_json(c, 200, summary);
		summary = NULL;
	}
	buf_free(&doc);
	json_decref(summary);
	return rc;
}

int
api_bom_export(struct http_ctx *c)
{
	char disposition[API_BOM_DISPOSITION_MAX];
	struct buf out = BUF_INIT;
	json_t *org = NULL;
	int rc;

	if ((rc = org_get(&org, c->db, c->org_id)) != 0 ||
	    (rc = cyclonedx_export(&out, c->db, c->org_id,
	    json_string_value(json_object_get(org, "slug")), http_param(c, "ref"))) != 0)
		goto done;
	/* The slug is [a-z0-9-] and the ref was checked as an id by the router. */
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s-%.64s-bom.json\"",
	    json_string_value(json_object_get(org, "slug")), http_param(c, "ref"));
	http_reply_text(c, 200, "application/vnd.cyclonedx+json", buf_str(&out), out.len);
	http_resp_header(&c->resp, "Content-Disposition", disposition);
done:
	buf_free(&out);
	json_decref(org);
	return rc;
}
