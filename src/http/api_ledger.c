/*
 * api_ledger.c - /api/v1/orgs/{org}/ledger: the organisation's audit trail,
 * newest first, and its verification against the server's public key, run
 * in the background (verify_job.h).
 */
#include <stdio.h>

#include "http/api.h"
#include "http/verify_job.h"
#include "ledger/ledger.h"
#include "ledger/note.h"
#include "store/db.h"
#include "util/error.h"

#define API_LEDGER_LIMIT_DEFAULT	50
#define API_LEDGER_LOCATION_MAX		128	/* "/api/v1/orgs/<slug>/ledger/verify" */

static int
api_ledger_entry(void *arg, const struct ledger_entry *e)
{
	json_t *items = arg;

	json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s?}",
	    "seq", (json_int_t)e->seq, "time", e->time, "actor", e->actor, "action", e->action,
	    "kind", e->kind, "ref", e->ref, "version", (json_int_t)e->version,
	    "commitment", e->commitment));
	return 0;
}

int
api_ledger_list(struct http_ctx *c)
{
	json_t *items = json_array();
	int rc;

	if ((rc = ledger_list(c->db, c->org_id, http_query_int(c, "limit",
	    API_LEDGER_LIMIT_DEFAULT), api_ledger_entry, items)) != 0) {
		json_decref(items);
		return rc;
	}
	http_reply_list(c, items, NULL);
	return 0;
}

/* 202 with the run while it goes on, 200 with its result once over. */
static void
api_ledger_verify_reply(struct http_ctx *c, json_t *run, bool running)
{
	char where[API_LEDGER_LOCATION_MAX];

	snprintf(where, sizeof(where), "/api/v1/orgs/%s/ledger/verify", http_param(c, "org"));
	http_resp_header(&c->resp, "Location", where);
	if (running)
		http_resp_header(&c->resp, "Retry-After", "1");
	http_reply_json(c, running ? 202 : 200, run);
}

int
api_ledger_verify_start(struct http_ctx *c)
{
	json_t *run = NULL;
	int64_t entries = 0;
	bool started;
	int rc;

	if ((rc = ledger_size(&entries, c->db, c->org_id)) != 0)
		return rc;
	if ((rc = verify_job_start(&run, &started, db_path(c->db), c->org_id, entries,
	    c->who.name)) != 0) {
		if (rc == HTTP_EUNAVAILABLE)
			http_resp_header(&c->resp, "Retry-After", "5");
		return rc;
	}
	/* Started now or already running: either way the answer is the run, accepted. */
	api_ledger_verify_reply(c, run, true);
	return 0;
}

int
api_ledger_verify_get(struct http_ctx *c)
{
	json_t *run = NULL;
	bool running;
	int rc;

	if ((rc = verify_job_get(&run, &running, c->org_id)) != 0)
		return rc;
	/* A log that does not verify is an answer, not a failed request. */
	api_ledger_verify_reply(c, run, running);
	return 0;
}
