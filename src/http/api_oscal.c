/*
 * api_oscal.c - /api/v1/orgs/{org}/exports/oscal/{model}.json: the
 * organisation's AIMS as OSCAL 1.2 JSON documents (io/oscal.h), the same
 * documents 'aims export oscal' writes.
 */
#include <stdio.h>
#include <string.h>

#include "core/org.h"
#include "http/api.h"
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
	struct oscal_opts opts = { .catalog = http_query(c, "catalog") };
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
