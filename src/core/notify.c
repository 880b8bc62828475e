/*
 * notify.c - notifications, the mail and webhook outbox rows, the people's
 * mail choices and the daily digests (core/notify.h), and what a record's
 * change tells whom (record__notify, called by the record engine inside
 * the write's transaction).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/notify.h"
#include "core/seal.h"
#include "core/perm.h"
#include "core/record_private.h"
#include "core/role.h"
#include "core/work.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define NOTIFY_DAY_LEN	11	/* "YYYY-MM-DD" + NUL */

/* The longest prefix of s within max bytes that ends on a character boundary. */
static size_t
notify_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

static int
notify_step(struct db_stmt *st)
{
	int rc = db_step(st);

	db_done(st);
	return rc < 0 ? rc : 0;
}

int
notify_pref_get(const char **out, struct db *db, int64_t user_id)
{
	struct db_stmt *st = NULL;
	const char *v;
	int rc;

	*out = NOTIFY_MAIL_IMMEDIATE;
	if ((rc = db_prepare(&st, db, "SELECT mail FROM notify_prefs WHERE user_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	if ((rc = db_step(st)) == DB_ROW) {
		v = db_column_text(st, 0);
		*out = v != NULL && strcmp(v, NOTIFY_MAIL_DIGEST) == 0 ? NOTIFY_MAIL_DIGEST :
		    v != NULL && strcmp(v, NOTIFY_MAIL_NONE) == 0 ? NOTIFY_MAIL_NONE :
		    NOTIFY_MAIL_IMMEDIATE;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int
notify_pref_set_now(struct db *db, int64_t user_id, const char *mail)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	int rc;

	if (mail == NULL || (strcmp(mail, NOTIFY_MAIL_IMMEDIATE) != 0 &&
	    strcmp(mail, NOTIFY_MAIL_DIGEST) != 0 && strcmp(mail, NOTIFY_MAIL_NONE) != 0))
		return aims_error_set(AIMS_EINVALID, "mail", "field 'mail': one of immediate "
		    "(a mail for each assignment and sign-off request), digest (one mail a day) "
		    "or none");
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "INSERT INTO notify_prefs (user_id, mail, updated_at) "
	    "VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET mail = excluded.mail, "
	    "updated_at = excluded.updated_at")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	db_bind_text(st, 2, mail);
	db_bind_text(st, 3, now);
	return notify_step(st);
}

/* Queues a mail to user_id in the outbox, body its JSON text, due now. */
static int
notify_mail_queue(struct db *db, int64_t org_id, int64_t user_id, const char *event,
    const char *body)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	int rc;

	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "INSERT INTO outbox (org_id, channel, target, event, body, "
	    "created_at, next_at) VALUES (?, 'mail', ?, ?, ?, ?, ?)")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, user_id);
	db_bind_text(st, 3, event);
	db_bind_text(st, 4, body);
	db_bind_text(st, 5, now);
	db_bind_text(st, 6, now);
	return notify_step(st);
}

/* Queues a mail to user_id ({to, subject, text}); the sender is the server's. */
static int
notify_mail(struct db *db, int64_t org_id, int64_t user_id, const char *event,
    const char *to, const char *subject, const char *text)
{
	json_t *body = json_pack("{s:s, s:s, s:s}", "to", to, "subject", subject, "text", text);
	char *s = json_dumps(body, JSON_COMPACT);
	int rc;

	json_decref(body);
	rc = notify_mail_queue(db, org_id, user_id, event, s);
	free(s);
	return rc;
}

int
notify_mail_link(struct db *db, int64_t org_id, int64_t user_id, const char *event,
    const char *to, const char *subject, const char *text)
{
	char *plain = NULL, *b64 = NULL, *s = NULL;
	struct buf sealed = BUF_INIT;
	json_t *body = json_pack("{s:s, s:s, s:s}", "to", to, "subject", subject, "text", text);
	size_t n;
	int rc;

	plain = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if ((rc = seal_bytes(&sealed, db, plain, strlen(plain))) != 0)
		goto done;
	n = sodium_base64_encoded_len(sealed.len, sodium_base64_VARIANT_ORIGINAL);
	b64 = xmalloc(n);
	sodium_bin2base64(b64, n, (const unsigned char *)sealed.data, sealed.len,
	    sodium_base64_VARIANT_ORIGINAL);
	body = json_pack("{s:s}", "sealed", b64);
	s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	rc = notify_mail_queue(db, org_id, user_id, event, s);
done:
	if (plain != NULL)
		sodium_memzero(plain, strlen(plain));
	free(plain);
	free(b64);
	free(s);
	buf_free(&sealed);
	return rc;
}

int
notify_mail_open(json_t **out, struct db *db, const char *body)
{
	json_t *o = json_loads(body != NULL ? body : "", 0, NULL), *m;
	const char *b64 = json_string_value(json_object_get(o, "sealed"));
	struct buf bin = BUF_INIT, plain = BUF_INIT;
	size_t len = 0;
	int rc = 0;

	*out = NULL;
	if (o == NULL) {
		rc = aims_error_set(AIMS_EINVALID, "body", "the queued mail is not JSON");
		goto done;
	}
	if (json_object_get(o, "sealed") == NULL) {
		*out = o;
		return 0;
	}
	if (b64 == NULL) {
		rc = aims_error_set(AIMS_ENOTFOUND, "body", "the mail's link was erased");
		goto done;
	}
	buf_grow(&bin, strlen(b64) + 1);
	if (sodium_base642bin((unsigned char *)bin.data, strlen(b64), b64, strlen(b64), NULL,
	    &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		rc = aims_error_set(AIMS_EINVALID, "body", "the sealed mail is not base64");
		goto done;
	}
	if ((rc = seal_open(&plain, db, bin.data, len)) != 0)
		goto done;
	if ((m = json_loadb(plain.data, plain.len, 0, NULL)) == NULL)
		rc = aims_error_set(AIMS_EINVALID, "body", "the sealed mail is not JSON");
	else
		*out = m;
	sodium_memzero(plain.data, plain.len);
done:
	json_decref(o);
	buf_free(&bin);
	buf_free(&plain);
	return rc;
}

/* The member's email, or NULL in *email (not a member, or disabled). */
static int
notify_member_email(char **email, struct db *db, int64_t org_id, int64_t user_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*email = NULL;
	if ((rc = db_prepare(&st, db, "SELECT u.email FROM memberships m JOIN users u "
	    "ON u.id = m.user_id WHERE m.org_id = ? AND m.user_id = ? AND u.disabled = 0")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, user_id);
	if ((rc = db_step(st)) == DB_ROW)
		*email = xstrdup(db_column_text(st, 0));
	db_done(st);
	return rc < 0 ? rc : 0;
}

static const char *
notify_subject_of(const char *event)
{
	if (strcmp(event, NOTIFY_ASSIGNED) == 0)
		return "assigned to you";
	if (strcmp(event, NOTIFY_APPROVAL) == 0)
		return "waiting for your sign-off";
	return "a notification";
}

int
notify_person(struct db *db, int64_t org_id, const struct actor *actor, int64_t user_id,
    const char *event, const char *kind, const char *ref, const char *text)
{
	char now[CLOCK_RFC3339_LEN], *email = NULL, *cut = NULL;
	struct buf subject = BUF_INIT;
	struct db_stmt *st = NULL;
	const char *mail;
	int rc;

	if (user_id <= 0 || user_id == actor->user_id)
		return 0;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = notify_member_email(&email, db, org_id, user_id)) != 0 || email == NULL)
		goto done;
	cut = xstrndup(text, notify_cut(text, NOTIFY_TEXT_MAX));
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "INSERT INTO notifications (org_id, user_id, event, kind, "
	    "ref, text, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, user_id);
	db_bind_text(st, 3, event);
	db_bind_text(st, 4, kind != NULL ? kind : "");
	db_bind_text(st, 5, ref != NULL ? ref : "");
	db_bind_text(st, 6, cut);
	db_bind_text(st, 7, actor->name);
	db_bind_text(st, 8, now);
	if ((rc = notify_step(st)) != 0 || (rc = notify_pref_get(&mail, db, user_id)) != 0)
		goto done;
	if (strcmp(mail, NOTIFY_MAIL_IMMEDIATE) == 0) {
		buf_printf(&subject, "[OpenAIMS] %s%s%s", ref != NULL && *ref ? ref : "",
		    ref != NULL && *ref ? ": " : "", notify_subject_of(event));
		rc = notify_mail(db, org_id, user_id, event, email, buf_str(&subject), cut);
	}
done:
	free(email);
	free(cut);
	buf_free(&subject);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* Does the webhook's JSON array of events name event (or "*")? */
static bool
notify_hook_wants(const char *events, const char *event)
{
	json_t *arr = json_loads(events != NULL ? events : "[]", 0, NULL), *v;
	bool yes = false;
	size_t i;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && (strcmp(json_string_value(v), "*") == 0 ||
		    strcmp(json_string_value(v), event) == 0))
			yes = true;
	json_decref(arr);
	return yes;
}

int
notify_webhooks(struct db *db, int64_t org_id, const char *event, const json_t *payload)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL, *ins = NULL;
	json_t *body = NULL, *ids = json_array(), *v;
	char *s = NULL;
	size_t i;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT id, events FROM webhooks "
	    "WHERE org_id = ? AND enabled = 1")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW)
		if (notify_hook_wants(db_column_text(st, 1), event))
			json_array_append_new(ids, json_integer(db_column_int64(st, 0)));
	db_done(st);
	if (rc < 0 || json_array_size(ids) == 0) {
		rc = rc < 0 ? rc : 0;
		goto done;
	}
	clock_format(now, clock_now());
	body = json_deep_copy(payload);
	json_object_set_new(body, "event", json_string(event));
	json_object_set_new(body, "at", json_string(now));
	s = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	rc = 0;
	json_array_foreach(ids, i, v) {
		if ((rc = db_prepare(&ins, db, "INSERT INTO outbox (org_id, channel, target, event, "
		    "body, created_at, next_at) VALUES (?, 'webhook', ?, ?, ?, ?, ?)")) != 0)
			break;
		db_bind_int64(ins, 1, org_id);
		db_bind_int64(ins, 2, json_integer_value(v));
		db_bind_text(ins, 3, event);
		db_bind_text(ins, 4, s);
		db_bind_text(ins, 5, now);
		db_bind_text(ins, 6, now);
		if ((rc = notify_step(ins)) != 0)
			break;
	}
done:
	free(s);
	json_decref(body);
	json_decref(ids);
	return rc;
}

int
notify_unread(int64_t *out, struct db *db, int64_t org_id, int64_t user_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = 0;
	if ((rc = db_prepare(&st, db, "SELECT count(*) FROM notifications "
	    "WHERE org_id = ? AND user_id = ? AND read_at IS NULL")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, user_id);
	if ((rc = db_step(st)) == DB_ROW)
		*out = db_column_int64(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
notify_list(json_t **out, struct db *db, int64_t org_id, int64_t user_id)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int64_t unread = 0;
	int rc;

	*out = NULL;
	if ((rc = notify_unread(&unread, db, org_id, user_id)) != 0 ||
	    (rc = db_prepare(&st, db, "SELECT id, event, kind, ref, text, actor, created_at, "
	    "read_at FROM notifications WHERE org_id = ? AND user_id = ? "
	    "ORDER BY id DESC LIMIT ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, user_id);
	db_bind_int64(st, 3, NOTIFY_LIST_MAX);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s, s:s, "
		    "s:b}", "id", (json_int_t)db_column_int64(st, 0), "event", db_column_text(st, 1),
		    "kind", *db_column_text(st, 2) ? db_column_text(st, 2) : NULL,
		    "ref", *db_column_text(st, 3) ? db_column_text(st, 3) : NULL,
		    "text", db_column_text(st, 4), "actor", db_column_text(st, 5),
		    "created_at", db_column_text(st, 6), "read", !db_column_is_null(st, 7)));
	db_done(st);
	if (rc < 0)
		goto done;
	rc = 0;
	*out = json_pack("{s:I, s:O}", "unread", (json_int_t)unread, "items", items);
done:
	json_decref(items);
	return rc;
}

static int
notify_mark_read_now(struct db *db, int64_t org_id, int64_t user_id, int64_t id)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	int rc;

	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "UPDATE notifications SET read_at = ? WHERE org_id = ? "
	    "AND user_id = ? AND read_at IS NULL AND (? = 0 OR id = ?)")) != 0)
		return rc;
	db_bind_text(st, 1, now);
	db_bind_int64(st, 2, org_id);
	db_bind_int64(st, 3, user_id);
	db_bind_int64(st, 4, id);
	db_bind_int64(st, 5, id);
	return notify_step(st);
}

/* ---- what a record's change tells whom ------------------------------------ */

/*
 * During a bulk import the records assigned to each person are counted
 * ({email: n}) and each is told once at the end, instead of once a record:
 * an import of thousands of tasks is one notification and one mail.
 */
static _Thread_local json_t *notify_batch;

static const char *notify_who_name(const struct actor *actor);
static int notify_user_id(int64_t *out, struct db *db, const char *email);

void
record__notify_batch_begin(void)
{
	json_decref(notify_batch);
	notify_batch = json_object();
}

int
record__notify_batch_end(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, bool tell)
{
	json_t *batch = notify_batch, *n;
	struct buf text = BUF_INIT;
	const char *email;
	int64_t uid;
	int rc = 0;

	notify_batch = NULL;
	json_object_foreach(batch, email, n) {
		if (!tell)
			break;
		if ((rc = notify_user_id(&uid, db, email)) != 0)
			break;
		buf_reset(&text);
		buf_printf(&text, "%s made you the owner of %lld %s in an import.",
		    notify_who_name(actor), (long long)json_integer_value(n),
		    json_integer_value(n) == 1 ? k->singular : k->plural);
		if ((rc = notify_person(db, org_id, actor, uid, NOTIFY_ASSIGNED, k->name, "",
		    buf_str(&text))) != 0)
			break;
	}
	buf_free(&text);
	json_decref(batch);
	return rc;
}

static const char *
notify_who_name(const struct actor *actor)
{
	return str_has_prefix(actor->name, "user:") ? actor->name + 5 : actor->name;
}

/* The person fields of k whose people a record assigns: owner and due `who`s. */
static void
notify_assignees(json_t *out, const struct record_kind *k, const struct record_row *r)
{
	const struct record_due *d;
	const char *v;

	if (r == NULL || r->retired)
		return;
	if (r->owner != NULL && *r->owner)
		json_object_set_new(out, r->owner, json_string("owner"));
	for (d = k->due; d != NULL && d->field != NULL; d++)
		if (d->who != NULL && (v = record__str(r->data, d->who)) != NULL)
			json_object_set_new(out, v, json_string(d->what));
}

static int
notify_user_id(int64_t *out, struct db *db, const char *email)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = 0;
	if ((rc = db_prepare(&st, db, "SELECT id FROM users WHERE email = ?")) != 0)
		return rc;
	db_bind_text(st, 1, email);
	if ((rc = db_step(st)) == DB_ROW)
		*out = db_column_int64(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int
notify_assigned(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const struct record_row *old, const struct record_row *r,
    const json_t *payload)
{
	json_t *before = json_object(), *now = json_object(), *v, *p;
	struct buf text = BUF_INIT;
	const char *email;
	int64_t uid;
	int rc = 0;

	notify_assignees(before, k, old);
	notify_assignees(now, k, r);
	json_object_foreach(now, email, v) {
		if (json_object_get(before, email) != NULL)
			continue;
		p = json_deep_copy(payload);
		json_object_set_new(p, "assignee", json_string(email));
		rc = notify_webhooks(db, org_id, "task.assigned", p);
		json_decref(p);
		if (rc != 0)
			break;
		if (notify_batch != NULL) {
			json_object_set_new(notify_batch, email, json_integer(1 +
			    json_integer_value(json_object_get(notify_batch, email))));
			continue;
		}
		if ((rc = notify_user_id(&uid, db, email)) != 0)
			break;
		buf_reset(&text);
		if (strcmp(json_string_value(v), "owner") == 0)
			buf_printf(&text, "%s made you the owner of %s %s: %s.", notify_who_name(actor),
			    k->singular, r->ref, r->title);
		else
			buf_printf(&text, "%s gave you %s %s (%s): %s.", notify_who_name(actor),
			    k->singular, r->ref, json_string_value(v), r->title);
		if ((rc = notify_person(db, org_id, actor, uid, NOTIFY_ASSIGNED, k->name, r->ref,
		    buf_str(&text))) != 0)
			break;
	}
	buf_free(&text);
	json_decref(before);
	json_decref(now);
	return rc;
}

/* The sign-off step that starts from r's state, or NULL. */
static const struct record_step *
notify_signoff_step(const struct record_kind *k, const struct record_row *r)
{
	const struct record_step *s;
	const char *state;

	if (k->workflow == NULL || r == NULL || r->retired)
		return NULL;
	if ((state = record__str(r->data, k->workflow->field)) == NULL)
		return NULL;
	for (s = k->workflow->steps; s->action != NULL; s++)
		if (s->perm == PERM_APPROVE && s->from != NULL && strcmp(s->from, state) == 0)
			return s;
	return NULL;
}

static int
notify_approvers(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const struct record_row *old, const struct record_row *r,
    const json_t *payload)
{
	const struct record_step *s = notify_signoff_step(k, r), *was;
	struct db_stmt *st = NULL;
	json_t *ids = json_array(), *v;
	struct buf text = BUF_INIT;
	enum perm_kind pk;
	enum role role;
	size_t i;
	int rc = 0;

	was = notify_signoff_step(k, old);
	if (s == NULL || (was != NULL && old != NULL &&
	    strcmp(old->status, r->status) == 0) || perm_kind_parse(&pk, k->perm_kind) != 0)
		goto done;
	if ((rc = db_prepare(&st, db, "SELECT m.user_id, m.role FROM memberships m "
	    "JOIN users u ON u.id = m.user_id WHERE m.org_id = ? AND u.disabled = 0 "
	    "ORDER BY m.user_id")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW && json_array_size(ids) < NOTIFY_APPROVERS_MAX)
		if (role_parse(&role, db_column_text(st, 1)) == 0 &&
		    perm_allows(role, PERM_APPROVE, pk))
			json_array_append_new(ids, json_integer(db_column_int64(st, 0)));
	db_done(st);
	if (rc < 0)
		goto done;
	rc = 0;
	buf_printf(&text, "%s asks for your sign-off (%s) of %s %s: %s.", notify_who_name(actor),
	    s->label, k->singular, r->ref, r->title);
	json_array_foreach(ids, i, v)
		if ((rc = notify_person(db, org_id, actor, json_integer_value(v), NOTIFY_APPROVAL,
		    k->name, r->ref, buf_str(&text))) != 0)
			goto done;
	rc = notify_webhooks(db, org_id, "approval.requested", payload);
done:
	buf_free(&text);
	json_decref(ids);
	return rc;
}

int
record__notify(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *action, const struct record_row *old,
    const struct record_row *r)
{
	const struct record_row *cur = r != NULL ? r : old;
	const char *event;
	json_t *payload;
	int rc;

	event = old == NULL ? NOTIFY_RECORD_CREATED : (r == NULL || r->retired) ?
	    NOTIFY_RECORD_DELETED : NOTIFY_RECORD_CHANGED;
	payload = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "kind", k->name,
	    "ref", cur->ref, "title", cur->title ? cur->title : "", "status",
	    cur->status ? cur->status : "", "action", action, "version",
	    (json_int_t)(r != NULL ? r->version : old->version + 1), "actor", actor->name);
	if ((rc = notify_webhooks(db, org_id, event, payload)) == 0 &&
	    (rc = notify_assigned(db, org_id, actor, k, old, r, payload)) == 0)
		rc = notify_approvers(db, org_id, actor, k, old, r, payload);
	json_decref(payload);
	return rc;
}

/* ---- the daily digest ------------------------------------------------------ */

static void
notify_digest_group(struct buf *b, const json_t *w, const char *name, const char *heading)
{
	const json_t *g = json_object_get(w, name), *it;
	size_t i;

	if (json_integer_value(json_object_get(g, "count")) == 0)
		return;
	buf_printf(b, "\n%s (%lld):\n", heading,
	    (long long)json_integer_value(json_object_get(g, "count")));
	json_array_foreach(json_object_get(g, "items"), i, it) {
		if (i >= NOTIFY_DIGEST_ITEMS)
			break;
		buf_printf(b, "  %s  %s %s: %s\n", json_string_value(json_object_get(it, "due")),
		    json_string_value(json_object_get(it, "ref")),
		    json_string_value(json_object_get(it, "what")),
		    json_string_value(json_object_get(it, "title")));
	}
}

/* One person's digest for one organisation, with its day marked sent. */
static int
notify_digest_one(bool *queued, struct db *db, int64_t org_id, const char *org_name,
    int64_t user_id, const char *email, enum role role, const char *day, time_t now)
{
	struct actor a = { user_id, "system", role };
	struct buf text = BUF_INIT, subject = BUF_INIT;
	struct db_stmt *st = NULL;
	json_t *w = NULL, *n = NULL, *it;
	size_t i;
	int rc;

	*queued = false;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_prepare(&st, db, "INSERT INTO digests_sent (org_id, user_id, day) "
	    "VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, user_id);
	db_bind_text(st, 3, day);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_ROW) {
		rc = rc < 0 ? rc : 0;	/* sent already: nothing to do */
		goto done;
	}
	if ((rc = work_mine(&w, db, org_id, &a, now)) != 0 ||
	    (rc = notify_list(&n, db, org_id, user_id)) != 0)
		goto done;
	buf_printf(&text, "Your work in %s on %s.\n", org_name, day);
	notify_digest_group(&text, w, "overdue", "Overdue");
	notify_digest_group(&text, w, "this_week", "Due this week");
	if (json_array_size(json_object_get(json_object_get(w, "approvals"), "items")) > 0) {
		buf_printf(&text, "\nWaiting for your sign-off:\n");
		json_array_foreach(json_object_get(json_object_get(w, "approvals"), "items"), i, it)
			buf_printf(&text, "  %s %s: %s\n", json_string_value(json_object_get(it, "ref")),
			    json_string_value(json_object_get(it, "label")),
			    json_string_value(json_object_get(it, "title")));
	}
	if (json_array_size(json_object_get(json_object_get(w, "stale_metrics"), "items")) > 0) {
		buf_printf(&text, "\nMetrics without a recent reading:\n");
		json_array_foreach(json_object_get(json_object_get(w, "stale_metrics"), "items"), i,
		    it)
			buf_printf(&text, "  %s: %s\n", json_string_value(json_object_get(it, "ref")),
			    json_string_value(json_object_get(it, "title")));
	}
	if (json_integer_value(json_object_get(n, "unread")) > 0) {
		buf_printf(&text, "\nUnread notifications (%lld):\n",
		    (long long)json_integer_value(json_object_get(n, "unread")));
		json_array_foreach(json_object_get(n, "items"), i, it)
			if (!json_is_true(json_object_get(it, "read")) && i < NOTIFY_DIGEST_ITEMS)
				buf_printf(&text, "  %s\n", json_string_value(json_object_get(it, "text")));
	}
	buf_printf(&subject, "[OpenAIMS] Your work in %s, %s", org_name, day);
	if ((rc = notify_mail(db, org_id, user_id, NOTIFY_DIGEST, email, buf_str(&subject),
	    buf_str(&text))) == 0)
		*queued = true;
done:
	json_decref(w);
	json_decref(n);
	buf_free(&text);
	buf_free(&subject);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int
notify_digests_queue(int *queued, struct db *db, time_t now, int hour)
{
	char stamp[CLOCK_RFC3339_LEN], day[NOTIFY_DAY_LEN];
	struct db_stmt *st = NULL;
	json_t *todo = json_array(), *t;
	enum role role;
	bool one;
	size_t i;
	int rc;

	if (queued != NULL)
		*queued = 0;
	clock_format(stamp, now);
	snprintf(day, sizeof(day), "%.10s", stamp);
	rc = 0;
	if (atoi(stamp + 11) < hour)
		goto done;
	if ((rc = db_prepare(&st, db, "SELECT m.org_id, o.name, m.user_id, u.email, m.role "
	    "FROM notify_prefs p JOIN memberships m ON m.user_id = p.user_id "
	    "JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = m.org_id "
	    "WHERE p.mail = 'digest' AND u.disabled = 0 AND NOT EXISTS (SELECT 1 FROM "
	    "digests_sent d WHERE d.org_id = m.org_id AND d.user_id = m.user_id AND d.day = ?)")) != 0)
		goto done;
	db_bind_text(st, 1, day);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(todo, json_pack("{s:I, s:s, s:I, s:s, s:s}",
		    "org", (json_int_t)db_column_int64(st, 0), "name", db_column_text(st, 1),
		    "user", (json_int_t)db_column_int64(st, 2), "email", db_column_text(st, 3),
		    "role", db_column_text(st, 4)));
	db_done(st);
	if (rc < 0)
		goto done;
	rc = 0;
	json_array_foreach(todo, i, t) {
		if (role_parse(&role, json_string_value(json_object_get(t, "role"))) != 0)
			continue;
		if ((rc = notify_digest_one(&one, db, json_integer_value(json_object_get(t, "org")),
		    json_string_value(json_object_get(t, "name")),
		    json_integer_value(json_object_get(t, "user")),
		    json_string_value(json_object_get(t, "email")), role, day, now)) != 0)
			goto done;
		if (one && queued != NULL)
			(*queued)++;
	}
done:
	json_decref(todo);
	return rc;
}

/*
 * A person's mail preference (the store's) and notifications marked read
 * (the organisation's), from a request: through the server's writer
 * (db_write_via()).
 */
struct notify_change {
	int64_t		 org_id, user_id, id;
	const char	*mail;		/* NULL: mark read */
};

static int
notify_change_apply(struct db *db, void *arg)
{
	const struct notify_change *n = arg;

	if (n->mail != NULL)
		return notify_pref_set_now(db, n->user_id, n->mail);
	return notify_mark_read_now(db, n->org_id, n->user_id, n->id);
}

int
notify_pref_set(struct db *db, int64_t user_id, const char *mail)
{
	struct notify_change n = { .user_id = user_id, .mail = mail != NULL ? mail : "" };

	return db_write_via(db, 0, notify_change_apply, &n);
}

int
notify_mark_read(struct db *db, int64_t org_id, int64_t user_id, int64_t id)
{
	struct notify_change n = { .org_id = org_id, .user_id = user_id, .id = id };

	return db_write_via(db, org_id, notify_change_apply, &n);
}
