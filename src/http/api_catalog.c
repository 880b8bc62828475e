/*
 * api_catalog.c - /api/v1/catalog/requirements: the frameworks' requirements
 * (clauses, Annex A controls, ...), shared by every organisation.
 */
#include "core/catalog.h"
#include "http/api.h"
#include "util/error.h"

int
api_catalog_list(struct http_ctx *c)
{
	json_t *all = NULL;
	int rc;

	if ((rc = catalog_list(&all, c->db, http_query(c, "framework"), http_query(c, "kind"))) != 0)
		return rc;
	return http_reply_page(c, all);
}

int
api_catalog_get(struct http_ctx *c)
{
	const char *fw = http_query(c, "framework");
	json_t *rec = NULL;
	int rc;

	if ((rc = catalog_get(&rec, c->db, fw ? fw : CATALOG_ISO42001, http_param(c, "req"))) != 0)
		return rc;
	http_reply_json(c, 200, rec);
	return 0;
}
