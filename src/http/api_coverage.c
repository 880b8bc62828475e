/*
 * api_coverage.c - GET /api/v1/orgs/{org}/coverage?framework=F: how much of
 * a crosswalk framework the organisation's ISO/IEC 42001 records cover
 * (engine/coverage.h), and GET .../exports/oscal/mapping.json?framework=F:
 * the same as an OSCAL mapping collection (io/oscal.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/org.h"
#include "engine/coverage.h"
#include "http/api.h"
#include "io/oscal.h"
#include "util/error.h"

#define API_COVERAGE_DISPOSITION_MAX	160

int
api_coverage_get(struct http_ctx *c)
{
	json_t *res = NULL;
	int rc;

	if ((rc = coverage_evaluate(&res, c->db, c->org_id, http_query(c, "framework"))) != 0)
		return rc;
	http_reply_json(c, 200, res);
	return 0;
}

int
api_coverage_mapping(struct http_ctx *c)
{
	const char *fw = http_query(c, "framework");
	char disposition[API_COVERAGE_DISPOSITION_MAX], *text = NULL;
	json_t *doc = NULL, *org = NULL;
	int rc;

	if ((rc = oscal_mapping_export(&doc, c->db, c->org_id, fw)) != 0 ||
	    (rc = org_get(&org, c->db, c->org_id)) != 0)
		goto done;
	if ((text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL) {
		rc = aims_error_set(AIMS_ERROR, NULL, "OSCAL mapping: out of memory");
		goto done;
	}
	/* The slug is [a-z0-9-] and the framework one of ours (the route's enum). */
	snprintf(disposition, sizeof(disposition),
	    "attachment; filename=\"%s-oscal-mapping-%s.json\"",
	    json_string_value(json_object_get(org, "slug")), fw);
	http_reply_text(c, 200, "application/json", text, strlen(text));
	http_resp_header(&c->resp, "Content-Disposition", disposition);
done:
	free(text);
	json_decref(doc);
	json_decref(org);
	return rc;
}
