/*
 * api_coverage.c - GET /api/v1/orgs/{org}/coverage?framework=F: how much of
 * a crosswalk framework the organisation's ISO/IEC 42001 records cover
 * (engine/coverage.h), and GET .../exports/oscal/mapping.json?framework=F:
 * the same as an OSCAL mapping collection (io/oscal.h); and the EU AI Act
 * per AI system (core/euact.h): the obligations that follow and their
 * records, the Annex IV documentation and the Annex VIII registration data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/euact.h"
#include "core/org.h"
#include "engine/coverage.h"
#include "http/api.h"
#include "http/router.h"
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

/* ---- EU AI Act per AI system (core/euact.h) ---- */

int
api_euact_obligations_due(struct http_ctx *c)
{
	json_t *due = NULL;
	int rc;

	if ((rc = euact_obligations_due(&due, c->db, c->org_id, http_param(c, "ref"))) != 0)
		return rc;
	http_reply_json(c, 200, json_pack("{s:s, s:o}", "ai_system", http_param(c, "ref"),
	    "obligations", due));
	return 0;
}

int
api_euact_obligations_derive(struct http_ctx *c)
{
	json_t *res = NULL;
	int rc;

	if ((rc = euact_obligations_derive(&res, c->db, c->org_id, &c->actor,
	    http_param(c, "ref"))) != 0)
		return rc;
	http_reply_json(c, 200, res);
	return 0;
}

/* Annex IV or Annex VIII, as the route's file name says, as a download. */
int
api_euact_document(struct http_ctx *c)
{
	const char *ref = http_param(c, "ref");
	bool annex_iv = strstr(c->route->pattern, "annex-iv.json") != NULL;
	char disposition[API_COVERAGE_DISPOSITION_MAX], *text = NULL;
	json_t *doc = NULL;
	int rc;

	if ((rc = annex_iv ? euact_annex_iv(&doc, c->db, c->org_id, ref) :
	    euact_annex_viii(&doc, c->db, c->org_id, ref)) != 0)
		return rc;
	if ((text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL) {
		json_decref(doc);
		return aims_error_set(AIMS_ERROR, NULL, "out of memory");
	}
	/* The ref was found as a record: [A-Z]+-[0-9]+, nothing to quote. */
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s-%s.json\"", ref,
	    annex_iv ? "annex-iv" : "annex-viii");
	http_reply_text(c, 200, "application/json", text, strlen(text));
	http_resp_header(&c->resp, "Content-Disposition", disposition);
	free(text);
	json_decref(doc);
	return 0;
}
