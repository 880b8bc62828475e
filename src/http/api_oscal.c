/*
 * api_oscal.c - OSCAL 1.2 JSON over the API (io/oscal.h):
 * GET /api/v1/orgs/{org}/exports/oscal/{model}.json answers the documents
 * 'aims export oscal' writes; POST /api/v1/orgs/{org}/imports/oscal takes a
 * document as a multipart upload, as 'aims import oscal' does;
 * GET /api/v1/orgs/{org}/imported-catalogs lists what the organisation
 * imported (core/org_catalog.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/org.h"
#include "core/org_catalog.h"
#include "http/api.h"
#include "http/import_write.h"
#include "http/multipart.h"
#include "http/router.h"
#include "io/oscal.h"
#include "util/buf.h"
#include "util/error.h"

#define API_OSCAL_NAME_MAX	64	/* "assessment-results.json" */
#define API_OSCAL_DISPOSITION_MAX	(API_OSCAL_NAME_MAX + 96)

int
api_oscal_export(struct http_ctx *c)
{
	const char *file = strrchr(c->route->pattern, '/');
	struct oscal_opts opts = { .catalog = http_query(c, "catalog"),
	    .soa_version = http_query_int(c, "version", 0) };
	char model[API_OSCAL_NAME_MAX], disposition[API_OSCAL_DISPOSITION_MAX], *dot;
	struct buf out = BUF_INIT;
	enum oscal_model m;
	json_t *org = NULL;
	int rc;

	/* The model is the route's file name without ".json": the table says which. */
	snprintf(model, sizeof(model), "%s", file ? file + 1 : "");
	if ((dot = strrchr(model, '.')) != NULL)
		*dot = '\0';
	if ((rc = oscal_parse_model(&m, model)) != 0 ||
	    (rc = org_get(&org, c->db, c->org_id)) != 0 ||
	    (rc = oscal_export_to_buf(&out, c->db, c->org_id, m, &opts)) != 0)
		goto done;
	/* The slug is [a-z0-9-] and the model name is ours: nothing to quote. */
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s-oscal-%s.json\"",
	    json_string_value(json_object_get(org, "slug")), model);
	http_reply_text(c, 200, "application/json", buf_str(&out), out.len);
	http_resp_header(&c->resp, "Content-Disposition", disposition);
done:
	buf_free(&out);
	json_decref(org);
	return rc;
}

/* The uploaded file, whole (the router has checked that one was sent). */
static int
api_oscal_read(struct buf *out, const struct http_upload *u)
{
	char chunk[65536];
	FILE *f;
	size_t n;
	int rc = 0;

	if (u == NULL || u->file_path == NULL)
		return aims_error_set(AIMS_EINVALID, ROUTER_UPLOAD_FILE,
		    "the document goes in the form part named '" ROUTER_UPLOAD_FILE "'");
	if (u->file_size > OSCAL_FILE_MAX)
		return aims_error_set(AIMS_ETOOBIG, ROUTER_UPLOAD_FILE,
		    "an OSCAL document is at most %d bytes", OSCAL_FILE_MAX);
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
api_oscal_import(struct http_ctx *c)
{
	const char *check = http_query(c, "check");
	struct buf doc = BUF_INIT;
	json_t *summary = NULL;
	int rc;

	if ((rc = api_oscal_read(&doc, c->req->upload)) != 0 ||
	    (rc = import_write_oscal(&summary, c, doc.data ? doc.data : "", doc.len,
	    http_query(c, "catalog_id"), check && strcmp(check, "true") == 0)) != 0)
		goto done;
	http_reply_json(c, 200, summary);
	summary = NULL;
done:
	buf_free(&doc);
	json_decref(summary);
	return rc;
}

int
api_oscal_catalogs(struct http_ctx *c)
{
	json_t *list = NULL;
	int rc;

	if ((rc = org_catalog_list(&list, c->db, c->org_id)) != 0)
		return rc;
	return http_reply_page(c, list);
}
