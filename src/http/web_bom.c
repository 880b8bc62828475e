/*
 * web_bom.c - an AI system's import page (web/page_bom.c): the form, and
 * its upload imported as 'aims import' and the API do (io/cyclonedx.h,
 * io/modelcard.h, io/redteam.h); a refused file shows the page again with
 * the fault.
 */
#include <stdio.h>
#include <string.h>

#include "core/bom.h"
#include "core/evidence.h"
#include "core/record.h"
#include "core/redteam.h"
#include "http/api.h"
#include "http/import_write.h"
#include "http/multipart.h"
#include "http/webui.h"
#include "io/cyclonedx.h"
#include "io/modelcard.h"
#include "io/redteam.h"
#include "util/buf.h"
#include "util/error.h"
#include "web/web.h"

static int
webui_bom_show(struct http_ctx *c, int status, struct web_bom_view *v)
{
	struct buf page = BUF_INIT;
	json_t *ais = NULL;
	int rc;

	if ((rc = record_get(&ais, c->db, c->org_id, record_kind_find("ai-systems"),
	    http_param(c, "ref"))) != 0)
		return rc;
	v->ai_system = ais;
	web_page_bom_import(&page, &c->web->ctx, v);
	webui_send(c, status, &page);
	json_decref(ais);
	return 0;
}

int
webui_bom_page(struct http_ctx *c)
{
	struct web_bom_view v = { 0 };

	return webui_bom_show(c, 200, &v);
}

static int
webui_bom_read(struct buf *out, const char *path)
{
	char chunk[65536];
	FILE *f;
	size_t n;
	int rc = 0;

	if ((f = fopen(path, "rb")) == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "cannot read the upload");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && rc == 0) {
		if (out->len + n > CYCLONEDX_FILE_MAX)
			rc = aims_error_set(AIMS_ETOOBIG, "file", "a BOM is at most %d bytes",
			    CYCLONEDX_FILE_MAX);
		buf_append(out, chunk, n);
	}
	fclose(f);
	return rc;
}

int
webui_bom_import(struct http_ctx *c)
{
	const char *format = webui_posted(c, "format"), *posted = webui_posted(c, "check");
	bool check = posted && strcmp(posted, "true") == 0;
	struct web_bom_view v = { .format = format };
	char msg[AIMS_ERROR_MSG_MAX];
	struct evidence_upload up;
	enum redteam_format rf;
	struct buf doc = BUF_INIT;
	json_t *summary = NULL;
	int rc;

	if (!http_upload_evidence(&up, c->req->upload))
		rc = aims_error_set(AIMS_EINVALID, "file", "Choose the file to import.");
	else if (format && (strcmp(format, "cyclonedx") == 0 ||
	    strcmp(format, "modelcard") == 0)) {
		if ((rc = webui_bom_read(&doc, up.path)) == 0)
			rc = import_write_bom(&summary, c, format, http_param(c, "ref"),
			    doc.data ? doc.data : "", doc.len, check);
	} else if ((rc = redteam_parse_format(&rf, format)) == 0) {
		rc = import_write_redteam(&summary, c, rf, http_param(c, "ref"), &up, check);
	}
	buf_free(&doc);
	if (rc == AIMS_EINVALID || rc == AIMS_ETOOBIG || rc == AIMS_EUNSUPPORTED ||
	    rc == AIMS_ECONFLICT) {
		/* Copied: showing the page sets and clears the thread's error. */
		snprintf(msg, sizeof(msg), "%s", aims_error_message());
		v.error = msg;
		return webui_bom_show(c, rc == AIMS_ECONFLICT ? 409 : 400, &v);
	}
	if (rc != 0)
		return rc;
	json_object_set_new(summary, "format", json_string(format));
	v.summary = summary;
	rc = webui_bom_show(c, 200, &v);
	json_decref(summary);
	return rc;
}
