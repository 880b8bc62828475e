/*
 * api_ledger.c - /api/v1/orgs/{org}/ledger: the organisation's audit trail,
 * newest first, and its verification against the server's public key.
 */
#include "http/api.h"
#include "ledger/ledger.h"
#include "ledger/note.h"
#include "store/db.h"
#include "util/error.h"

#define API_LEDGER_LIMIT_DEFAULT	50

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

int
api_ledger_verify(struct http_ctx *c)
{
	struct ledger_report rep = { 0 };
	struct note_verifier key;
	ledger_load_fn load = NULL;
	ledger_enum_fn enumerate = NULL;
	int rc;

	if ((rc = ledger_pubkey_load_db(&key, db_path(c->db))) != 0)
		return rc;
	ledger_record_source(&load, &enumerate);
	rc = ledger_verify(&rep, c->db, c->org_id, &key, load, enumerate);
	if (rc != 0 && rc != AIMS_EVERIFY)
		return rc;
	/* A log that does not verify is an answer, not a failed request. */
	http_reply_json(c, 200, json_pack("{s:b, s:I, s:I, s:I, s:I, s:b, s:s?}", "verified",
	    rc == 0, "entries", (json_int_t)rep.entries, "checkpoints", (json_int_t)rep.checkpoints,
	    "records", (json_int_t)rep.records, "versions", (json_int_t)rep.versions,
	    "records_checked", rep.records_checked,
	    "failure", rep.failure[0] ? rep.failure : NULL));
	return 0;
}
