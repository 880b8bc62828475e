/*
 * api_catalog.c - /api/v1/catalog/requirements: the frameworks' requirements
 * (clauses, Annex A controls, ...), shared by every organisation.
 *
 * The catalogs are compiled into the binary and written to the store only by
 * `aims init` (at installation or upgrade, when the server is restarted), so
 * answers are kept per query for the life of the process: a catalog read is
 * then a lookup and a copy instead of a query and a JSON encoding.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "http/api.h"
#include "util/error.h"
#include "util/mem.h"

#define CATALOG_CACHE_MAX	128	/* distinct queries kept */
#define CATALOG_KEY_MAX		700

struct catalog_answer {
	char	*key;
	char	*body;
	size_t	 len;
};

static pthread_mutex_t catalog_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct catalog_answer catalog_cache[CATALOG_CACHE_MAX];
static size_t catalog_cache_n;

static void
catalog_key(char key[CATALOG_KEY_MAX], struct http_ctx *c, const char *what)
{
	const char *fw = http_query(c, "framework"), *kind = http_query(c, "kind");
	const char *cursor = http_query(c, "cursor"), *limit = http_query(c, "limit");

	snprintf(key, CATALOG_KEY_MAX, "%s\n%s\n%s\n%s\n%s", what, fw ? fw : "", kind ? kind : "",
	    limit ? limit : "", cursor ? cursor : "");
}

/* Answers from the cache: true when found. */
static bool
catalog_cached(struct http_ctx *c, const char *key)
{
	size_t i;
	bool hit = false;

	pthread_mutex_lock(&catalog_cache_lock);
	for (i = 0; i < catalog_cache_n && !hit; i++)
		if (strcmp(catalog_cache[i].key, key) == 0) {
			http_reply_text(c, 200, HTTP_JSON_UTF8, catalog_cache[i].body,
			    catalog_cache[i].len);
			hit = true;
		}
	pthread_mutex_unlock(&catalog_cache_lock);
	return hit;
}

static void
catalog_remember(struct http_ctx *c, const char *key)
{
	size_t i;

	if (c->resp.status != 200)
		return;
	pthread_mutex_lock(&catalog_cache_lock);
	for (i = 0; i < catalog_cache_n; i++)
		if (strcmp(catalog_cache[i].key, key) == 0)
			break;
	if (i == catalog_cache_n && catalog_cache_n < CATALOG_CACHE_MAX) {
		catalog_cache[i].key = xstrdup(key);
		catalog_cache[i].body = xstrndup(buf_str(&c->resp.body), c->resp.body.len);
		catalog_cache[i].len = c->resp.body.len;
		catalog_cache_n++;
	}
	pthread_mutex_unlock(&catalog_cache_lock);
}

int
api_catalog_list(struct http_ctx *c)
{
	char key[CATALOG_KEY_MAX];
	json_t *all = NULL;
	int rc;

	catalog_key(key, c, "list");
	if (catalog_cached(c, key))
		return 0;
	if ((rc = catalog_list(&all, c->db, http_query(c, "framework"), http_query(c, "kind"))) != 0)
		return rc;
	if ((rc = http_reply_page(c, all)) == 0)
		catalog_remember(c, key);
	return rc;
}

int
api_catalog_get(struct http_ctx *c)
{
	const char *fw = http_query(c, "framework");
	char key[CATALOG_KEY_MAX];
	json_t *rec = NULL;
	int rc;

	snprintf(key, sizeof(key), "get\n%s\n%s", fw ? fw : CATALOG_ISO42001, http_param(c, "req"));
	if (catalog_cached(c, key))
		return 0;
	if ((rc = catalog_get(&rec, c->db, fw ? fw : CATALOG_ISO42001, http_param(c, "req"))) != 0)
		return rc;
	http_reply_json(c, 200, rec);
	catalog_remember(c, key);
	return 0;
}
