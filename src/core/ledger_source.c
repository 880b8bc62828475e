/*
 * ledger_source.c - the record source the ledger verifier compares live rows
 * against: one loader per kind core writes, and an enumeration of every live
 * row, so a row changed, deleted or inserted behind core's back is named.
 */
#include <string.h>

#include "core/acknowledge.h"
#include "core/comment.h"
#include "core/concern.h"
#include "core/feed.h"
#include "core/ledger_source.h"
#include "core/member.h"
#include "core/metric.h"
#include "core/org.h"
#include "core/org_catalog.h"
#include "core/record.h"
#include "core/soa.h"
#include "core/token.h"
#include "core/user.h"
#include "core/webhook.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/error.h"

static int
source_load(json_t **out, struct db *db, int64_t org_id, const char *kind, const char *ref)
{
	*out = NULL;
	if (strcmp(kind, "org") == 0)
		return org_ledger_state(out, db, org_id);
	if (strcmp(kind, "user") == 0)
		return user_ledger_state(out, db, ref);
	if (strcmp(kind, "membership") == 0)
		return member_ledger_state(out, db, org_id, ref);
	if (strcmp(kind, "token") == 0)
		return token_load(out, db, org_id, kind, ref);
	if (record_kind_find(kind) != NULL)
		return record_load_for_ledger(out, db, org_id, kind, ref);
	if (strcmp(kind, METRIC_LEDGER_KIND) == 0)
		return metric_load_for_ledger(out, db, org_id, kind, ref);
	if (strcmp(kind, SOA_LEDGER_KIND) == 0)
		return soa_load_for_ledger(out, db, org_id, kind, ref);
	if (strcmp(kind, ORG_CATALOG_LEDGER_KIND) == 0)
		return org_catalog_load_for_ledger(out, db, org_id, kind, ref);
	if (strcmp(kind, ACK_LEDGER_KIND) == 0)
		return ack_load_for_ledger(out, db, org_id, ref);
	if (strcmp(kind, COMMENT_LEDGER_KIND) == 0)
		return comment_load_for_ledger(out, db, org_id, ref);
	if (strcmp(kind, CONCERN_LEDGER_KIND) == 0)
		return concern_channel_load_for_ledger(out, db, org_id, kind, ref);
	if (strcmp(kind, WEBHOOK_LEDGER_KIND) == 0)
		return webhook_load_for_ledger(out, db, org_id, ref);
	if (strcmp(kind, FEED_LEDGER_KIND) == 0)
		return feed_load_for_ledger(out, db, org_id, ref);
	return aims_error_set(AIMS_EUNSUPPORTED, "kind", "no live record for kind '%s'", kind);
}

/* Runs sql (one int64 parameter: the org) and reports each (kind, ref) row. */
static int
source_each(struct db *db, const char *sql, int64_t org_id, ledger_record_fn fn, void *arg)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, sql)) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW)
		if ((rc = fn(arg, db_column_text(st, 0), db_column_text(st, 1))) != 0)
			break;
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

static int
source_enumerate(struct db *db, int64_t org_id, ledger_record_fn fn, void *arg)
{
	int rc;

	if (org_id == LEDGER_INSTANCE_ORG)
		return source_each(db, "SELECT 'user', email FROM users WHERE ? = 0", org_id, fn,
		    arg);
	if ((rc = source_each(db, "SELECT 'org', slug FROM orgs WHERE id = ?", org_id, fn,
	    arg)) != 0)
		return rc;
	if ((rc = source_each(db, "SELECT 'membership', u.email FROM memberships m"
	    " JOIN users u ON u.id = m.user_id WHERE m.org_id = ?", org_id, fn, arg)) != 0)
		return rc;
	if ((rc = source_each(db, "SELECT 'token', CAST(id AS TEXT) FROM api_tokens"
	    " WHERE org_id = ?", org_id, fn, arg)) != 0)
		return rc;
	if ((rc = source_each(db, "SELECT '" CONCERN_LEDGER_KIND "', 'channel'"
	    " FROM concern_channels WHERE org_id = ?", org_id, fn, arg)) != 0)
		return rc;
	if ((rc = soa_enumerate(db, org_id, fn, arg)) != 0 ||
	    (rc = org_catalog_enumerate(db, org_id, fn, arg)) != 0 ||
	    (rc = metric_enumerate(db, org_id, fn, arg)) != 0 ||
	    (rc = ack_enumerate(db, org_id, fn, arg)) != 0 ||
	    (rc = webhook_enumerate(db, org_id, fn, arg)) != 0 ||
	    (rc = feed_enumerate(db, org_id, fn, arg)) != 0 ||
	    (rc = comment_enumerate(db, org_id, fn, arg)) != 0)
		return rc;
	return record_enumerate(db, org_id, fn, arg);
}

/* Records keep every version; the other kinds core writes keep only the latest. */
static int
source_load_version(json_t **out, char action[LEDGER_FIELD_MAX + 1], struct db *db,
    int64_t org_id, const char *kind, const char *ref, int64_t version)
{
	*out = NULL;
	if (record_kind_find(kind) != NULL)
		return record_load_version_for_ledger(out, action, db, org_id, kind, ref, version);
	return aims_error_set(AIMS_EUNSUPPORTED, "kind", "kind '%s' keeps no versions", kind);
}

/* Checked by the compiler: the record engine's functions have the ledger's types. */
static const struct ledger_history_source source_history = {
	.load_version = source_load_version,
	.enumerate_versions = record_enumerate_versions,
	.check = record_verify_derived,
	.earlier_form = record_earlier_form,
};

void
core_ledger_source_install(void)
{
	ledger_set_record_source(source_load, source_enumerate);
	ledger_set_history_source(&source_history);
}
