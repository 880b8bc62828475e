/*
 * web_search.c - GET /o/ORG/search?q=: the header's search over every
 * record kind the signed-in person may read (perm_allows), each kind's
 * newest WEB_SEARCH_PER_KIND matches and whether there are more (never a
 * count: counting every match of every kind would cost more than the
 * page), in one statement over the search index (record_search()), with
 * the words understood as each list's own search box understands them.
 */
#include <string.h>

#include "core/perm.h"
#include "core/record_counts.h"
#include "http/webui.h"
#include "util/error.h"

static bool
webui_search_readable(struct http_ctx *c, const struct record_kind *k)
{
	enum perm_kind pk;

	return k->perm_kind != NULL && perm_kind_parse(&pk, k->perm_kind) == 0 &&
	    perm_allows(c->role, PERM_READ, pk);
}

int
webui_search(struct http_ctx *c)
{
	const char *q = http_query(c, "q");
	const struct record_kind *k, *kinds[RECORD_SEARCH_KINDS_MAX];
	struct buf page = BUF_INIT;
	json_t *results = NULL, *live = NULL;
	size_t i, n = 0;
	int rc = 0;

	if (q != NULL && strlen(q) > WEB_SEARCH_Q_MAX) {
		rc = aims_error_set(AIMS_EINVALID, "q", "Search for at most %d characters.",
		    WEB_SEARCH_Q_MAX);
		goto done;
	}
	c->web->ctx.search = q;
	/* The kept counts (one read) spare a search of the kinds that have no records. */
	if (q != NULL && *q != '\0' && (rc = record_counts_live(&live, c->db, c->org_id)) != 0)
		goto done;
	for (i = 0; q != NULL && *q != '\0' && (k = c->web->ctx.kinds[i]) != NULL &&
	    k->name != NULL && n < RECORD_SEARCH_KINDS_MAX; i++)
		if (webui_search_readable(c, k) &&
		    json_integer_value(json_object_get(live, k->name)) > 0)
			kinds[n++] = k;
	if ((rc = record_search(&results, c->db, c->org_id, kinds, n, q,
	    WEB_SEARCH_PER_KIND)) != 0)
		goto done;
	web_page_search(&page, &c->web->ctx, q, results);
	webui_send(c, 200, &page);
done:
	json_decref(live);
	json_decref(results);
	return rc;
}
