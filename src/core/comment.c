/*
 * comment.c - comments and reviewers' notes on records (comment.h): written
 * with their ledger entry in one transaction, listed oldest first, and
 * loaded back for `aims verify`.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/comment.h"
#include "core/member.h"
#include "core/notify.h"
#include "core/record.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define COMMENT_REF_MAX		(LEDGER_FIELD_MAX + 1)

#define COMMENT_COLUMNS	"id, author, body, mentions, step, version, created_at, kind, ref"

/* One row (COMMENT_COLUMNS) as the API, the pages and the ledger see it. */
static json_t *
comment_row(struct db_stmt *st)
{
	json_t *mentions = json_loads(db_column_text(st, 3), 0, NULL);

	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s}",
	    "id", (json_int_t)db_column_int64(st, 0),
	    "kind", db_column_text(st, 7), "ref", db_column_text(st, 8),
	    "author", db_column_text(st, 1), "body", db_column_text(st, 2),
	    "mentions", json_is_array(mentions) ? mentions : json_array(),
	    "step", db_column_is_null(st, 4) ? json_null() : json_string(db_column_text(st, 4)),
	    "version", db_column_is_null(st, 5) ? json_null() :
	    json_integer(db_column_int64(st, 5)),
	    "created_at", db_column_text(st, 6));
}

static int
comment_get(json_t **out, struct db *db, int64_t org_id, int64_t id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " COMMENT_COLUMNS " FROM comments"
	    " WHERE org_id = ? AND id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, id);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = comment_row(st);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "ref", "no such comment");
	db_done(st);
	return rc;
}

static bool
comment_email_char(int c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '@';
}

bool
comment_scan_mention(const char **cursor, char out[COMMENT_EMAIL_MAX + 1])
{
	const char *p = *cursor, *s;
	size_t n;

	for (; p != NULL && (p = strchr(p, '@')) != NULL; p++) {
		/* The "@" starts a word: not the one inside an address. */
		if (p > *cursor && comment_email_char((unsigned char)p[-1]))
			continue;
		for (s = p + 1, n = 0; comment_email_char((unsigned char)s[n]); n++)
			;
		/* A full stop or a hyphen ending the sentence is not the address's. */
		while (n > 0 && (s[n - 1] == '.' || s[n - 1] == '-'))
			n--;
		if (n == 0 || n > COMMENT_EMAIL_MAX || memchr(s, '@', n) == NULL)
			continue;
		memcpy(out, s, n);
		out[n] = '\0';
		*cursor = s + n;
		return true;
	}
	*cursor = NULL;
	return false;
}

int
comment_mentions(json_t **out, struct db *db, int64_t org_id, const char *body)
{
	char email[COMMENT_EMAIL_MAX + 1];
	json_t *members = NULL, *m;
	const char *p = body;
	size_t i, j;
	int rc;

	*out = json_array();
	if (strchr(body, '@') == NULL)
		return 0;
	if ((rc = member_list(&members, db, org_id)) != 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	while (json_array_size(*out) < COMMENT_MENTIONS_MAX && comment_scan_mention(&p, email)) {
		json_array_foreach(members, i, m) {
			const char *e = json_string_value(json_object_get(m, "email"));

			if (e == NULL || strcasecmp(e, email) != 0 ||
			    json_is_true(json_object_get(m, "disabled")))
				continue;
			for (j = 0; j < json_array_size(*out); j++)
				if (strcmp(json_string_value(json_array_get(*out, j)), e) == 0)
					break;
			if (j == json_array_size(*out))
				json_array_append_new(*out, json_string(e));
			break;
		}
	}
	json_decref(members);
	return 0;
}

static int
comment_author(char **out, struct db *db, int64_t user_id)
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
		rc = aims_error_set(AIMS_EFORBIDDEN, NULL, "only a member comments");
	db_done(st);
	return rc;
}

/* Tells each member mentioned, in the comment's transaction (core/notify.h). */
static int
comment_notify(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const json_t *c)
{
	const char *ref = json_string_value(json_object_get(c, "ref"));
	struct db_stmt *st = NULL;
	struct buf text = BUF_INIT;
	const json_t *m;
	int64_t uid;
	size_t i;
	int rc = 0;

	/* notify_person() cuts the text at a character boundary. */
	buf_printf(&text, "%s mentioned you in a comment on %s: %s",
	    json_string_value(json_object_get(c, "author")), ref,
	    json_string_value(json_object_get(c, "body")));
	json_array_foreach(json_object_get(c, "mentions"), i, m) {
		if ((rc = db_prepare(&st, db, "SELECT id FROM users WHERE email = ?")) != 0)
			break;
		db_bind_text(st, 1, json_string_value(m));
		uid = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
		db_done(st);
		if (uid > 0 && (rc = notify_person(db, org_id, actor, uid, COMMENT_NOTIFY_EVENT,
		    k->name, ref, buf_str(&text))) != 0)
			break;
	}
	buf_free(&text);
	return rc;
}

static int
comment_check_body(const char *body)
{
	const char *p;

	if (body == NULL)
		return aims_error_set(AIMS_EINVALID, "body", "field 'body' is required: the "
		    "comment's text");
	for (p = body; *p != '\0' && isspace((unsigned char)*p); p++)
		;
	if (*p == '\0')
		return aims_error_set(AIMS_EINVALID, "body", "field 'body' is empty: write the "
		    "comment");
	if (strlen(body) > COMMENT_BODY_MAX)
		return aims_error_set(AIMS_EINVALID, "body", "field 'body' is longer than %d "
		    "bytes", COMMENT_BODY_MAX);
	if (!str_is_utf8(body, strlen(body)))
		return aims_error_set(AIMS_EINVALID, "body", "field 'body' is not UTF-8 text");
	return 0;
}

int
comment_add(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *ref, const char *body, const char *step,
    int64_t version)
{
	char now[CLOCK_RFC3339_LEN], lref[COMMENT_REF_MAX];
	struct db_stmt *st = NULL;
	struct ledger_event ev;
	json_t *rec = NULL, *mentions = NULL, *saved = NULL;
	char *author = NULL, *mtext = NULL;
	int64_t id = 0, seq;
	int rc;

	*out = NULL;
	if (actor->user_id <= 0)
		return aims_error_set(AIMS_EFORBIDDEN, NULL, "a comment is written by a member in "
		    "person (on the command line: --as EMAIL)");
	if ((rc = comment_check_body(body)) != 0 ||
	    (rc = comment_author(&author, db, actor->user_id)) != 0)
		goto done;
	if ((rc = db_begin(db)) != 0)
		goto done;
	/* The record, in this organisation: another's is not found. */
	if ((rc = record_get(&rec, db, org_id, k, ref)) != 0 ||
	    (rc = comment_mentions(&mentions, db, org_id, body)) != 0)
		goto fail;
	if ((rc = db_prepare(&st, db, "SELECT coalesce(max(id), 0) + 1 FROM comments"
	    " WHERE org_id = ?")) != 0)
		goto fail;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW)
		id = db_column_int64(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		goto fail;
	clock_format(now, clock_now());
	mtext = json_dumps(mentions, JSON_COMPACT);
	if ((rc = db_prepare(&st, db, "INSERT INTO comments (org_id, id, kind, ref, user_id,"
	    " author, body, mentions, step, version, created_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) != 0)
		goto fail;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, id);
	db_bind_text(st, 3, k->name);
	db_bind_text(st, 4, json_string_value(json_object_get(rec, "ref")));
	db_bind_int64(st, 5, actor->user_id);
	db_bind_text(st, 6, author);
	db_bind_text(st, 7, body);
	db_bind_text(st, 8, mtext);
	if (step != NULL)
		db_bind_text(st, 9, step);
	else
		db_bind_null(st, 9);
	if (version > 0)
		db_bind_int64(st, 10, version);
	else
		db_bind_null(st, 10);
	db_bind_text(st, 11, now);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		goto fail;
	if ((rc = comment_get(&saved, db, org_id, id)) != 0)
		goto fail;
	snprintf(lref, sizeof(lref), "%s/%s/%" PRId64, k->name,
	    json_string_value(json_object_get(rec, "ref")), id);
	ev = (struct ledger_event){ .org_id = org_id, .actor = actor->name,
	    .action = step != NULL ? "note" : "comment", .kind = COMMENT_LEDGER_KIND,
	    .ref = lref, .version = 1, .record = saved };
	if ((rc = ledger_append(&seq, db, &ev)) != 0 ||
	    (rc = comment_notify(db, org_id, actor, k, saved)) != 0 ||
	    (rc = db_commit(db)) != 0)
		goto fail;
	*out = saved;
	saved = NULL;
	goto done;
fail:
	db_rollback(db);
done:
	json_decref(saved);
	json_decref(rec);
	json_decref(mentions);
	free(mtext);
	free(author);
	return rc;
}

int
comment_list(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const char *ref)
{
	struct db_stmt *st = NULL;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " COMMENT_COLUMNS " FROM comments"
	    " WHERE org_id = ? AND kind = ? AND ref = ? ORDER BY id LIMIT ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, ref);
	db_bind_int64(st, 4, COMMENT_LIST_MAX);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(arr, comment_row(st));
	if (rc == DB_DONE) {
		*out = arr;
		arr = NULL;
		rc = 0;
	}
done:
	db_done(st);
	json_decref(arr);
	return rc;
}

int
comment_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	const char *slash = strrchr(ref, '/');
	int64_t id;

	*out = NULL;
	/* "risks/RISK-4/12": the id is what the row is found by; kind and ref are checked. */
	if (slash == NULL || str_to_int64(&id, slash + 1, 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, "ref", "not a comment: %s", ref);
	return comment_get(out, db, org_id, id);
}

int
comment_enumerate(struct db *db, int64_t org_id,
    int (*fn)(void *arg, const char *kind, const char *ref), void *arg)
{
	char lref[COMMENT_REF_MAX];
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT kind, ref, id FROM comments WHERE org_id = ?"
	    " ORDER BY id")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(lref, sizeof(lref), "%s/%s/%" PRId64, db_column_text(st, 0),
		    db_column_text(st, 1), db_column_int64(st, 2));
		if ((rc = fn(arg, COMMENT_LEDGER_KIND, lref)) != 0)
			break;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

int
comment_change_apply(struct db *db, void *arg)
{
	struct comment_change *w = arg;

	return comment_add(&w->out, db, w->org_id, w->actor, w->k, w->ref, w->body, w->step,
	    w->version);
}
