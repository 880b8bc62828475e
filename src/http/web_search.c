/*
 * web_search.c - GET /o/ORG/search?q=: the header's search over every
 * record kind the signed-in person may read (perm_allows), each kind's
 * first WEB_SEARCH_PER_KIND matches and whether there are more (never a
 * count: counting every match of every kind would cost more than the
 * page), through the same record_list() search as each list's own box.
 */
#include <stdlib.h>
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
	const struct record_kind *k;
	/* One more than shown tells whether there are more, without counting them all. */
	struct record_query rq = { .limit = WEB_SEARCH_PER_KIND + 1 };
	struct buf page = BUF_INIT;
	json_t *results = json_array(), *items = NULL, *live = NULL;
	char *next = NULL;
	bool more;
	size_t i;
	int rc = 0;

	if (q != NULL && strlen(q) > WEB_SEARCH_Q_MAX) {
		rc = aims_error_set(AIMS_EINVALID, "q", "Search for at most %d characters.",
		    WEB_SEARCH_Q_MAX);
		goto done;
	}
	c->web->ctx.search = q;
	rq.q = q;
	/* The kept counts (one read) spare a search of the kinds that have no records. */
	if (q != NULL && *q != '\0' && (rc = record_counts_live(&live, c->db, c->org_id)) != 0)
		goto done;
	for (i = 0; q != NULL && *q != '\0' && (k = c->web->ctx.kinds[i]) != NULL &&
	    k->name != NULL; i++) {
		if (!webui_search_readable(c, k) ||
		    json_integer_value(json_object_get(live, k->name)) <= 0)
			continue;
		if ((rc = record_list(&items, &next, NULL, c->db, c->org_id, k, &rq)) != 0)
			goto done;
		if ((more = json_array_size(items) > WEB_SEARCH_PER_KIND))
			json_array_remove(items, WEB_SEARCH_PER_KIND);
		if (json_array_size(items) > 0)
			json_array_append_new(results, json_pack("{s:s, s:b, s:O}", "kind", k->name,
			    "more", more, "items", items));
		json_decref(items);
		items = NULL;
		free(next);
		next = NULL;
	}
	web_page_search(&page, &c->web->ctx, q, results);
	webui_send(c, 200, &page);
done:
	json_decref(live);
	json_decref(results);
	json_decref(items);
	free(next);
	return rc;
}
