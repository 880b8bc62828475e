/*
 * acknowledge.c - awareness acknowledgements (acknowledge.h): a member
 * acknowledges the approved version in force of a document that asks for
 * it, in one transaction with its ledger entry; the status lists who has
 * and who has not acknowledged that version.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/acknowledge.h"
#include "core/member.h"
#include "core/record.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"

#define ACK_KIND	"documents"	/* the kind whose records members acknowledge */

#define ACK_REF_MAX	320	/* "DOC-3/v4/" and an e-mail address */

static const char *
ack_str(const json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

bool
ack_asked(const json_t *document)
{
	return json_is_true(json_object_get(document, "is_ai_policy")) ||
	    json_is_true(json_object_get(document, "requires_acknowledgement"));
}

int64_t
ack_version_in_force(const json_t *document)
{
	json_int_t v = json_integer_value(json_object_get(document, "in_force_version"));
	const char *status = ack_str(document, "status");

	/* While a revision is open its approved version stays in force. */
	if (v > 0)
		return v;
	if (status && strcmp(status, "approved") == 0 &&
	    !json_is_true(json_object_get(document, "retired")))
		return json_integer_value(json_object_get(document, "version"));
	return 0;
}

static int
ack_document(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	const struct record_kind *k = record_kind_find(ACK_KIND);

	if (k == NULL)
		return aims_error_set(AIMS_ENOTFOUND, "ref", "no documents are kept");
	return record_get(out, db, org_id, k, ref);
}

/* The acknowledgement row as the ledger was given it. */
static int
ack_row(json_t **out, struct db *db, int64_t org_id, const char *doc, int64_t version,
    const char *email)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT document, version, email, acknowledged_at"
	    " FROM acknowledgements WHERE org_id = ? AND document = ? AND version = ?"
	    " AND email = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, doc);
	db_bind_int64(st, 3, version);
	db_bind_text(st, 4, email);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = json_pack("{s:s, s:I, s:s, s:s}", "document", db_column_text(st, 0),
		    "version", (json_int_t)db_column_int64(st, 1), "email",
		    db_column_text(st, 2), "acknowledged_at", db_column_text(st, 3));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "ref", "no such acknowledgement");
	db_done(st);
	return rc;
}

static int
ack_email(char **out, struct db *db, int64_t user_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT email FROM users WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = xstrdup(db_column_text(st, 0));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_EFORBIDDEN, NULL, "only a member acknowledges a document");
	db_done(st);
	return rc;
}

int
ack_add(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ref)
{
	char now[CLOCK_RFC3339_LEN], lref[ACK_REF_MAX];
	struct db_stmt *st = NULL;
	struct ledger_event ev;
	json_t *doc = NULL, *saved = NULL;
	char *email = NULL;
	int64_t version, seq;
	int rc;

	*out = NULL;
	if (actor->user_id <= 0)
		return aims_error_set(AIMS_EFORBIDDEN, NULL, "a document is acknowledged by a "
		    "member in person (on the command line: --as EMAIL)");
	if ((rc = ack_email(&email, db, actor->user_id)) != 0)
		return rc;
	if ((rc = db_begin(db)) != 0)
		goto done;
	if ((rc = ack_document(&doc, db, org_id, ref)) != 0)
		goto fail;
	if (!ack_asked(doc)) {
		rc = aims_error_set(AIMS_ECONFLICT, "ref", "%s does not ask members to acknowledge "
		    "it: it is not the AI policy and is not marked as requiring acknowledgement",
		    ref);
		goto fail;
	}
	if ((version = ack_version_in_force(doc)) == 0) {
		rc = aims_error_set(AIMS_ECONFLICT, "ref", "%s has no approved version in force "
		    "to acknowledge", ref);
		goto fail;
	}
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "INSERT INTO acknowledgements (org_id, document, version,"
	    " user_id, email, acknowledged_at) VALUES (?, ?, ?, ?, ?, ?)")) != 0)
		goto fail;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ack_str(doc, "ref"));
	db_bind_int64(st, 3, version);
	db_bind_int64(st, 4, actor->user_id);
	db_bind_text(st, 5, email);
	db_bind_text(st, 6, now);
	rc = db_step(st);
	db_done(st);
	if (rc == AIMS_EEXISTS) {
		rc = aims_error_set(AIMS_ECONFLICT, "ref", "you already acknowledged version %"
		    PRId64 " of %s", version, ref);
		goto fail;
	}
	if (rc != DB_DONE)
		goto fail;
	if ((rc = ack_row(&saved, db, org_id, ack_str(doc, "ref"), version, email)) != 0)
		goto fail;
	snprintf(lref, sizeof(lref), "%s/v%" PRId64 "/%s", ack_str(doc, "ref"), version, email);
	ev = (struct ledger_event){ .org_id = org_id, .actor = actor->name,
	    .action = "acknowledge", .kind = ACK_LEDGER_KIND, .ref = lref, .version = 1,
	    .record = saved };
	if ((rc = ledger_append(&seq, db, &ev)) != 0 || (rc = db_commit(db)) != 0)
		goto fail;
	*out = saved;
	saved = NULL;
	goto done;
fail:
	db_rollback(db);
done:
	json_decref(saved);
	json_decref(doc);
	free(email);
	return rc;
}

int
ack_status(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	json_t *doc = NULL, *members = NULL, *done, *pending, *m;
	struct db_stmt *st = NULL;
	int64_t version;
	size_t i, n = 0;
	int rc;

	*out = NULL;
	if ((rc = ack_document(&doc, db, org_id, ref)) != 0 ||
	    (rc = member_list(&members, db, org_id)) != 0)
		goto done;
	version = ack_version_in_force(doc);
	done = json_array();
	pending = json_array();
	json_array_foreach(members, i, m) {
		const char *email = ack_str(m, "email");
		json_t *name = json_object_get(m, "display_name");

		if (json_is_true(json_object_get(m, "disabled")))
			continue;
		n++;
		if (version > 0 && (rc = db_prepare(&st, db, "SELECT acknowledged_at FROM"
		    " acknowledgements WHERE org_id = ? AND document = ? AND version = ?"
		    " AND email = ?")) != 0) {
			json_decref(done);
			json_decref(pending);
			goto done;
		}
		if (version > 0) {
			db_bind_int64(st, 1, org_id);
			db_bind_text(st, 2, ack_str(doc, "ref"));
			db_bind_int64(st, 3, version);
			db_bind_text(st, 4, email);
			rc = db_step(st);
		} else
			rc = DB_DONE;
		if (rc == DB_ROW)
			json_array_append_new(done, json_pack("{s:s, s:O, s:s}", "email", email,
			    "name", name ? name : json_null(), "acknowledged_at",
			    db_column_text(st, 0)));
		else
			json_array_append_new(pending, json_pack("{s:s, s:O}", "email", email,
			    "name", name ? name : json_null()));
		if (version > 0)
			db_done(st);
		if (rc < 0) {
			json_decref(done);
			json_decref(pending);
			goto done;
		}
		rc = 0;
	}
	*out = json_pack("{s:O, s:O, s:o, s:b, s:o, s:o, s:I, s:I}",
	    "document", json_object_get(doc, "ref"), "title", json_object_get(doc, "title"),
	    "version", version > 0 ? json_integer(version) : json_null(),
	    "asks", ack_asked(doc), "acknowledged", done, "pending", pending,
	    "members", (json_int_t)n,
	    "share", (json_int_t)(n ? json_array_size(done) * 100 / n : 0));
done:
	json_decref(doc);
	json_decref(members);
	return rc;
}

int
ack_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	char doc[ACK_REF_MAX];
	const char *v, *email;
	int64_t version;

	*out = NULL;
	/* "DOC-3/v4/ann@example.com" */
	if ((v = strstr(ref, "/v")) == NULL || (size_t)(v - ref) >= sizeof(doc) ||
	    (email = strchr(v + 2, '/')) == NULL)
		return aims_error_set(AIMS_ENOTFOUND, "ref", "not an acknowledgement: %s", ref);
	memcpy(doc, ref, (size_t)(v - ref));
	doc[v - ref] = '\0';
	version = strtoll(v + 2, NULL, 10);
	return ack_row(out, db, org_id, doc, version, email + 1);
}

int
ack_enumerate(struct db *db, int64_t org_id,
    int (*fn)(void *arg, const char *kind, const char *ref), void *arg)
{
	char lref[ACK_REF_MAX];
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT document, version, email FROM acknowledgements"
	    " WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(lref, sizeof(lref), "%s/v%" PRId64 "/%s", db_column_text(st, 0),
		    db_column_int64(st, 1), db_column_text(st, 2));
		if ((rc = fn(arg, ACK_LEDGER_KIND, lref)) != 0)
			break;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

bool
ack_kind(const struct record_kind *k)
{
	return k != NULL && strcmp(k->name, ACK_KIND) == 0;
}

int
ack_view(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const json_t *record)
{
	*out = NULL;
	if (!ack_kind(k) || !ack_asked(record))
		return 0;
	return ack_status(out, db, org_id, json_string_value(json_object_get(record, "ref")));
}

int
ack_change_apply(struct db *db, void *arg)
{
	struct ack_change *a = arg;

	return ack_add(&a->out, db, a->org_id, a->actor, a->ref);
}
