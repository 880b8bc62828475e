/*
 * soa_publish.c - publishing the Statement of Applicability (see soa.h): a
 * complete, justified draft is frozen as the next numbered version with its
 * approver, and the ledger records it in the same transaction. Publishing
 * is a sign-off: made by a manager in person (by user id), who changed no
 * entry since the last published version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/member.h"
#include "core/soa.h"
#include "core/user.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define SOA_NAMED_MAX		5	/* undecided controls named in a refusal */

/* The approver must be a manager or admin of the organisation. */
static int
soa_check_approver(struct db *db, int64_t org_id, const char *email)
{
	enum role role;
	int64_t user_id;

	if (email == NULL || !str_is_email(email))
		return aims_error_set(AIMS_EINVALID, "approver",
		    "field 'approver' must be the e-mail of a manager of the organisation");
	if (user_id_by_email(&user_id, db, email) != 0 ||
	    member_role(&role, db, org_id, user_id) != 0)
		return aims_error_set(AIMS_EINVALID, "approver",
		    "field 'approver': %s is not a member of this organisation", email);
	if (role < ROLE_MANAGER)
		return aims_error_set(AIMS_EINVALID, "approver",
		    "field 'approver': %s is %s here; a manager or admin approves the SoA",
		    email, role_name(role));
	return 0;
}

/* Four eyes: the publisher changed no entry since the last published version. */
static int
soa_check_not_author(struct db *db, int64_t org_id, const struct actor *actor,
    const char *name)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT r.ref FROM record_versions v JOIN records r "
	    "ON r.org_id = v.org_id AND r.kind = v.kind AND r.num = v.num "
	    "WHERE v.org_id = ? AND v.kind = ? AND v.actor_id = ? AND v.action <> 'create' "
	    "AND v.at > coalesce((SELECT max(published_at) FROM soa_versions WHERE org_id = ?), '') "
	    "ORDER BY r.num LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, SOA_KIND);
	db_bind_int64(st, 3, actor->user_id);
	db_bind_int64(st, 4, org_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		rc = aims_error_set(AIMS_EFORBIDDEN, "approver",
		    "%s changed %s since the last published version; another manager must approve "
		    "and publish it", name && *name ? name : "you", db_column_text(st, 0));
	else if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

/* Every control decided and justified; otherwise names the first few. */
static int
soa_check_complete(const json_t *rows)
{
	struct buf names = BUF_INIT;
	const json_t *row;
	size_t i, n = 0;
	int rc = 0;

	json_array_foreach(rows, i, row) {
		const char *j = json_string_value(json_object_get(row, "justification"));

		if (json_is_boolean(json_object_get(row, "applicable")) && j && *j)
			continue;
		if (n++ < SOA_NAMED_MAX)
			buf_printf(&names, "%s%s", n > 1 ? ", " : "",
			    json_string_value(json_object_get(row, "control")));
	}
	if (n > 0)
		rc = aims_error_set(AIMS_ECONFLICT, "soa",
		    "%zu controls are not decided and justified yet (%s%s); every control needs "
		    "applicable and a justification before the SoA is published", n,
		    buf_str(&names), n > SOA_NAMED_MAX ? ", ..." : "");
	if (json_array_size(rows) == 0)
		rc = aims_error_set(AIMS_ECONFLICT, "soa", "the SoA has no entries");
	buf_free(&names);
	return rc;
}

static int
soa_next_version(int64_t *out, struct db *db, int64_t org_id)
{
	struct db_stmt *st;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT coalesce(max(version), 0) + 1 FROM soa_versions "
	    "WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = db_column_int64(st, 0);
		rc = 0;
	}
	db_done(st);
	return rc;
}

static int
soa_insert(struct db *db, int64_t org_id, int64_t version, const struct actor *actor,
    const char *approver, const char *note, const json_t *rows)
{
	char now[CLOCK_RFC3339_LEN], *text;
	struct db_stmt *st;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO soa_versions (org_id, version, published_at, "
	    "published_by, approver, edition, note, rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) != 0)
		return rc;
	clock_format(now, clock_now());
	text = json_dumps(rows, JSON_COMPACT | JSON_PRESERVE_ORDER);
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, version);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, actor->name);
	db_bind_text(st, 5, approver);
	db_bind_text(st, 6, SOA_EDITION);
	db_bind_text(st, 7, note ? note : "");
	db_bind_text(st, 8, text);
	rc = db_step(st);
	db_done(st);
	free(text);
	return rc == DB_DONE ? 0 : rc < 0 ? rc : AIMS_ERROR;
}

/*
 * The one approval model: the SoA is approved by the person who publishes
 * it (compared by user id, whatever the credential), never by someone named
 * on their behalf, and never by whoever changed an entry since the last
 * published version. *approver_out: that person's e-mail (caller frees).
 */
static int
soa_check_signoff(char **approver_out, struct db *db, int64_t org_id,
    const struct actor *actor, const char *approver)
{
	json_t *user = NULL;
	int64_t named;
	int rc;

	*approver_out = NULL;
	if (actor->user_id <= 0)
		return aims_error_set(AIMS_EFORBIDDEN, "approver",
		    "a sign-off must be made by a named person, not by %s (sign in, use a token "
		    "you created, or give --as EMAIL on the command line)",
		    actor->name ? actor->name : "the system");
	if ((rc = user_get(&user, db, actor->user_id)) != 0)
		return rc;
	if (approver != NULL && (user_id_by_email(&named, db, approver) != 0 ||
	    named != actor->user_id)) {
		rc = aims_error_set(AIMS_EFORBIDDEN, "approver",
		    "field 'approver': the SoA is approved by whoever publishes it; %s must "
		    "publish it themselves", approver);
		goto done;
	}
	*approver_out = xstrdup(json_string_value(json_object_get(user, "email")));
	rc = soa_check_approver(db, org_id, *approver_out);
	if (rc == 0)
		rc = soa_check_not_author(db, org_id, actor,
		    json_string_value(json_object_get(user, "display_name")));
done:
	json_decref(user);
	if (rc != 0) {
		free(*approver_out);
		*approver_out = NULL;
	}
	return rc;
}

int
soa_publish(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *approver, const char *note)
{
	struct ledger_event ev;
	json_t *rows = NULL, *published = NULL;
	char ref[32], *signer = NULL;
	int64_t version = 0, seq;
	int rc;

	*out = NULL;
	if (actor->role < ROLE_MANAGER)
		return aims_error_set(AIMS_EFORBIDDEN, NULL,
		    "only a manager or admin publishes the SoA");
	if (note && (strlen(note) > SOA_NOTE_MAX || !str_is_utf8(note, strlen(note))))
		return aims_error_set(AIMS_EINVALID, "note",
		    "field 'note' is at most %d bytes of UTF-8", SOA_NOTE_MAX);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = soa_check_signoff(&signer, db, org_id, actor, approver)) != 0 ||
	    (rc = soa_rows(&rows, db, org_id)) != 0 || (rc = soa_check_complete(rows)) != 0 ||
	    (rc = soa_next_version(&version, db, org_id)) != 0 ||
	    (rc = soa_insert(db, org_id, version, actor, signer, note, rows)) != 0 ||
	    (rc = soa_version_get(&published, db, org_id, version)) != 0)
		goto fail;
	snprintf(ref, sizeof(ref), "%lld", (long long)version);
	ev = (struct ledger_event){ .org_id = org_id, .actor = actor->name, .action = "publish",
	    .kind = SOA_LEDGER_KIND, .ref = ref, .version = 1, .record = published };
	if ((rc = ledger_append(&seq, db, &ev)) != 0 || (rc = db_commit(db)) != 0)
		goto fail;
	json_decref(rows);
	free(signer);
	*out = published;
	return 0;
fail:
	db_rollback(db);
	json_decref(rows);
	json_decref(published);
	free(signer);
	return rc;
}

int
soa_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *kind,
    const char *ref)
{
	int64_t version;

	*out = NULL;
	if (strcmp(kind, SOA_LEDGER_KIND) != 0 || str_to_int64(&version, ref, 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no %s %s", kind, ref);
	return soa_version_get(out, db, org_id, version);
}

int
soa_enumerate(struct db *db, int64_t org_id,
    int (*fn)(void *arg, const char *kind, const char *ref), void *arg)
{
	struct db_stmt *st;
	char ref[32];
	int rc, visit = 0;

	if ((rc = db_prepare(&st, db, "SELECT version FROM soa_versions WHERE org_id = ? "
	    "ORDER BY version")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(ref, sizeof(ref), "%lld", (long long)db_column_int64(st, 0));
		if ((visit = fn(arg, SOA_LEDGER_KIND, ref)) != 0)
			break;
	}
	db_done(st);
	if (visit != 0)
		return visit;
	return rc < 0 ? rc : 0;
}

int
soa_publish_apply(struct db *db, void *arg)
{
	struct soa_publish_change *p = arg;

	return soa_publish(&p->out, db, p->org_id, p->actor, p->approver, p->note);
}
