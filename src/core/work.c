/*
 * work.c - work items kept from the kinds' due declarations, "My work", the
 * certification calendar, and their check by `aims verify` (core/work.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metric.h"
#include "core/perm.h"
#include "core/record_counts.h"
#include "core/record_private.h"
#include "core/work.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"

#define WORK_DAY_LEN		11	/* "YYYY-MM-DD" + NUL */
#define WORK_SECONDS_PER_DAY	86400
#define WORK_END_OF_TIME	"9999-12-31"

#define WORK_ITEM_COLUMNS "kind, ref, field, what, title, owner, due, source"

static void
work_day(char out[WORK_DAY_LEN], time_t t)
{
	char full[CLOCK_RFC3339_LEN];

	clock_format(full, t);
	memcpy(out, full, WORK_DAY_LEN - 1);
	out[WORK_DAY_LEN - 1] = '\0';
}

/* Who does the item d of record r: its `who` field, else the record's owner. */
static const char *
work_owner(const struct record_due *d, const struct record_row *r)
{
	const char *v;

	if (d->who == NULL)
		return r->owner != NULL ? r->owner : "";
	v = record__str(r->data, d->who);
	return v != NULL ? v : "";
}

/* What a task made by hand is about, else the record itself. */
static const char *
work_source(const struct record_kind *k, const struct record_row *r)
{
	const char *v;

	if (!k->task)
		return r->ref;
	v = record__str(r->data, "source");
	return v != NULL ? v : "";
}

/* Does d of r give a work item now? Its date, or NULL. */
static const char *
work_due_of(const struct record_kind *k, const struct record_due *d,
    const struct record_row *r)
{
	if (r == NULL || r->retired)
		return NULL;
	if (d->until_done && record_kind_is_done(k, r->status))
		return NULL;
	return record__str(r->data, d->field);
}

static void
work_key(struct buf *b, const char *kind, int64_t num, const char *field, const char *ref,
    const char *title, const char *what, const char *owner, const char *due,
    int64_t assigned_by, const char *source)
{
	buf_reset(b);
	buf_printf(b, "%s\t%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%lld\t%s", kind, (long long)num, field,
	    ref, title, what, owner, due, (long long)assigned_by, source);
}

/* Moves the org's count of k's work items (work_item_counts) by delta. */
static int
work_count_add(struct db *db, int64_t org_id, const struct record_kind *k, int64_t delta)
{
	struct db_stmt *st = NULL;
	int rc;

	if (delta == 0)
		return 0;
	if ((rc = db_prepare(&st, db, "INSERT INTO work_item_counts (org_id, kind, n) "
	    "VALUES (?, ?, ?) ON CONFLICT (org_id, kind) "
	    "DO UPDATE SET n = work_item_counts.n + excluded.n")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_int64(st, 3, delta);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
record__work_sync(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *old, const struct record_row *r)
{
	const struct record_due *d;
	struct db_stmt *st = NULL;
	const char *due;
	int64_t delta = 0;
	int rc;

	if (k->due == NULL)
		return 0;
	if (old != NULL) {
		/* The rows gone are counted as they go: the count follows the table. */
		if ((rc = db_prepare(&st, db, "DELETE FROM work_items "
		    "WHERE org_id = ? AND kind = ? AND num = ? RETURNING field")) != 0)
			return rc;
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, k->name);
		db_bind_int64(st, 3, old->num);
		while ((rc = db_step(st)) == DB_ROW)
			delta--;
		db_done(st);
		if (rc < 0)
			return rc;
	}
	for (d = k->due; d->field != NULL; d++) {
		if ((due = work_due_of(k, d, r)) == NULL)
			continue;
		if ((rc = db_prepare(&st, db, "INSERT INTO work_items (org_id, kind, num, field, "
		    "ref, title, what, owner, due, assigned_by, source) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) != 0)
			return rc;
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, k->name);
		db_bind_int64(st, 3, r->num);
		db_bind_text(st, 4, d->field);
		db_bind_text(st, 5, r->ref);
		db_bind_text(st, 6, r->title);
		db_bind_text(st, 7, d->what);
		db_bind_text(st, 8, work_owner(d, r));
		db_bind_text(st, 9, due);
		db_bind_int64(st, 10, r->created_by_id);
		db_bind_text(st, 11, work_source(k, r));
		rc = db_step(st);
		db_done(st);
		if (rc < 0)
			return rc;
		delta++;
	}
	return work_count_add(db, org_id, k, delta);
}

/* One item from a statement selecting WORK_ITEM_COLUMNS first. */
static json_t *
work_item(struct db_stmt *st)
{
	const struct record_kind *k = record_kind_find(db_column_text(st, 0));
	const char *owner = db_column_text(st, 5), *source = db_column_text(st, 7);
	bool generated = k == NULL || !k->task;

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s?, s:b}",
	    "kind", db_column_text(st, 0), "ref", db_column_text(st, 1),
	    "field", db_column_text(st, 2), "what", db_column_text(st, 3),
	    "title", db_column_text(st, 4), "owner", owner && *owner ? owner : NULL,
	    "due", db_column_text(st, 6), "status", "open",
	    "source", source && *source ? source : NULL, "generated", generated);
}

/* Appends the rows of st (bound by the caller) to items. */
static int
work_rows(json_t *items, struct db_stmt *st)
{
	int rc;

	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, work_item(st));
	db_done(st);
	return rc < 0 ? rc : 0;
}

/*
 * A group of the person's items: {count, more, items}. The count stops at
 * WORK_COUNT_CAP (more: true) so a backlog of any size costs the same.
 */
static int
work_group(json_t *out, const char *name, struct db *db, int64_t org_id, const char *column,
    const char *who, int64_t who_id, const char *exclude, const char *from, const char *to)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	struct buf sql = BUF_INIT;
	int64_t n = 0;
	int rc;

	/* column is one of two names this file passes, never input. */
	buf_printf(&sql, "SELECT count(*) FROM (SELECT 1 FROM work_items WHERE org_id = ? "
	    "AND %s = ? AND due >= ? AND due < ? AND owner <> ? LIMIT %d) x", column,
	    WORK_COUNT_CAP);
	if ((rc = db_prepare(&st, db, buf_str(&sql))) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	if (who != NULL)
		db_bind_text(st, 2, who);
	else
		db_bind_int64(st, 2, who_id);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, to);
	db_bind_text(st, 5, exclude);
	if ((rc = db_step(st)) == DB_ROW)
		n = db_column_int64(st, 0);
	db_done(st);
	if (rc < 0)
		goto done;
	buf_reset(&sql);
	buf_printf(&sql, "SELECT " WORK_ITEM_COLUMNS " FROM work_items WHERE org_id = ? "
	    "AND %s = ? AND due >= ? AND due < ? AND owner <> ? ORDER BY due LIMIT %d",
	    column, WORK_GROUP_MAX);
	if ((rc = db_prepare(&st, db, buf_str(&sql))) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	if (who != NULL)
		db_bind_text(st, 2, who);
	else
		db_bind_int64(st, 2, who_id);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, to);
	db_bind_text(st, 5, exclude);
	if ((rc = work_rows(items, st)) != 0)
		goto done;
	json_object_set_new(out, name, json_pack("{s:I, s:b, s:O}", "count", (json_int_t)n,
	    "more", n >= WORK_COUNT_CAP, "items", items));
done:
	json_decref(items);
	buf_free(&sql);
	return rc;
}

/*
 * The records waiting in a state one of the kind's sign-off steps starts
 * from, that the actor may take (record_steps() judges it: role, sign-off
 * by someone other than the author, what must be set first).
 */
static int
work_approvals_kind(json_t *items, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const struct record_step *s)
{
	struct db_stmt *st = NULL;
	json_t *refs = json_array(), *steps = NULL, *v;
	const char *action;
	size_t i, j;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT ref FROM records WHERE org_id = ? AND kind = ? "
	    "AND retired = 0 AND status = ? ORDER BY updated_at LIMIT ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, s->from);
	db_bind_int64(st, 4, WORK_APPROVALS_SCAN);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(refs, json_string(db_column_text(st, 0)));
	db_done(st);
	if (rc < 0)
		goto done;
	rc = 0;
	for (i = 0; i < json_array_size(refs); i++) {
		json_decref(steps);
		steps = NULL;
		if ((rc = record_steps(&steps, db, org_id, actor, k,
		    json_string_value(json_array_get(refs, i)))) != 0)
			goto done;
		json_array_foreach(steps, j, v) {
			action = json_string_value(json_object_get(v, "action"));
			if (action == NULL || strcmp(action, s->action) != 0 ||
			    !json_is_true(json_object_get(v, "allowed")))
				continue;
			json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s}",
			    "kind", k->name, "ref", json_string_value(json_array_get(refs, i)),
			    "action", s->action, "label", s->label, "status", s->from));
		}
	}
done:
	json_decref(steps);
	json_decref(refs);
	return rc;
}

static int
work_approvals(json_t *out, struct db *db, int64_t org_id, const struct actor *actor)
{
	const struct record_kind *const *k;
	const struct record_step *s;
	json_t *items = json_array(), *it;
	enum perm_kind pk;
	char *title = NULL;
	size_t i;
	int rc = 0;

	for (k = record_kinds; (*k)->name != NULL && rc == 0; k++) {
		if ((*k)->workflow == NULL || perm_kind_parse(&pk, (*k)->perm_kind) != 0 ||
		    !perm_allows(actor->role, PERM_APPROVE, pk))
			continue;
		for (s = (*k)->workflow->steps; s->action != NULL && rc == 0; s++)
			if (s->perm == PERM_APPROVE && s->from != NULL)
				rc = work_approvals_kind(items, db, org_id, actor, *k, s);
	}
	json_array_foreach(items, i, it) {
		if (rc != 0)
			break;
		if ((rc = record_title_of(&title, db, org_id,
		    json_string_value(json_object_get(it, "kind")),
		    json_string_value(json_object_get(it, "ref")))) == 0)
			json_object_set_new(it, "title", json_string(title ? title : ""));
		free(title);
		title = NULL;
	}
	if (rc == 0)
		json_object_set_new(out, "approvals", json_pack("{s:O}", "items", items));
	json_decref(items);
	return rc;
}

int
work_email_of(char **out, struct db *db, int64_t user_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if (user_id <= 0)
		return aims_error_set(AIMS_EINVALID, "as", "work belongs to a person: act as a "
		    "member (--as EMAIL), not as the system");
	if ((rc = db_prepare(&st, db, "SELECT email FROM users WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = xstrdup(db_column_text(st, 0));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "user", "no user %lld", (long long)user_id);
	db_done(st);
	return rc;
}

int
work_mine(json_t **out, struct db *db, int64_t org_id, const struct actor *actor, time_t now)
{
	char today[WORK_DAY_LEN], week[WORK_DAY_LEN], *email = NULL;
	json_t *o = json_object(), *stale = NULL;
	int rc;

	*out = NULL;
	if ((rc = work_email_of(&email, db, actor->user_id)) != 0)
		goto done;
	work_day(today, now);
	work_day(week, now + (time_t)WORK_SOON_DAYS * WORK_SECONDS_PER_DAY);
	json_object_set_new(o, "today", json_string(today));
	if ((rc = db_read_begin(db)) != 0)
		goto done;
	/* The exclusion "" keeps items with an owner: the owner never is "". */
	if ((rc = work_group(o, "overdue", db, org_id, "owner", email, 0, "", "0", today)) == 0 &&
	    (rc = work_group(o, "this_week", db, org_id, "owner", email, 0, "", today, week)) == 0 &&
	    (rc = work_group(o, "later", db, org_id, "owner", email, 0, "", week,
	    WORK_END_OF_TIME)) == 0 &&
	    (rc = work_group(o, "assigned_by_me", db, org_id, "assigned_by", NULL,
	    actor->user_id, email, "0", WORK_END_OF_TIME)) == 0 &&
	    (rc = work_approvals(o, db, org_id, actor)) == 0 &&
	    (rc = metric_stale_of(&stale, db, org_id, email, now)) == 0)
		json_object_set_new(o, "stale_metrics", json_pack("{s:o}", "items", stale));
	db_read_end(db);
	json_object_set_new(o, "email", json_string(email));
done:
	free(email);
	if (rc == 0)
		*out = o;
	else
		json_decref(o);
	return rc;
}

int
work_between(json_t **out, struct db *db, int64_t org_id, const char *owner,
    const char *from, const char *to, int limit)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int rc;

	*out = NULL;
	rc = owner != NULL ?
	    db_prepare(&st, db, "SELECT " WORK_ITEM_COLUMNS " FROM work_items "
	    "WHERE org_id = ? AND owner = ? AND due >= ? AND due < ? ORDER BY due LIMIT ?") :
	    db_prepare(&st, db, "SELECT " WORK_ITEM_COLUMNS " FROM work_items "
	    "WHERE org_id = ? AND ? IS NULL AND due >= ? AND due < ? ORDER BY due LIMIT ?");
	if (rc != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, owner);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, to);
	db_bind_int64(st, 5, limit);
	rc = work_rows(items, st);
done:
	if (rc == 0)
		*out = json_incref(items);
	json_decref(items);
	return rc;
}

/* The live records of k whose date field lies in (after, until], with their status. */
static int
work_dated(json_t *into, struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_due *d, const char *after, const char *until, int limit)
{
	struct db_stmt *st = NULL;
	const char *status;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT r.ref, r.title, f.value, r.status "
	    "FROM record_fields f JOIN records r "
	    "ON r.org_id = f.org_id AND r.kind = f.kind AND r.num = f.num "
	    "WHERE f.org_id = ? AND f.kind = ? AND f.field = ? AND f.live = 1 "
	    "AND f.value > ? AND f.value <= ? ORDER BY f.value LIMIT ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, d->field);
	db_bind_text(st, 4, after);
	db_bind_text(st, 5, until);
	db_bind_int64(st, 6, limit);
	while ((rc = db_step(st)) == DB_ROW) {
		status = db_column_text(st, 3);
		json_array_append_new(into, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
		    "kind", k->name, "ref", db_column_text(st, 0), "title", db_column_text(st, 1),
		    "what", d->what, "date", db_column_text(st, 2), "status", status ? status : "",
		    "held", record_kind_is_done(k, status)));
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int
work_by_date(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;

	return strcmp(json_string_value(json_object_get(x, "date")),
	    json_string_value(json_object_get(y, "date")));
}

/* Sorts an array of objects by their "date", in place. */
static void
work_sort(json_t *arr)
{
	size_t i, n = json_array_size(arr);
	json_t **v;

	if (n < 2)
		return;
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof(*v), work_by_date);
	json_array_clear(arr);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
}

/* The external audits of every kind that declares events, by date. */
static int
work_events(json_t **out, struct db *db, int64_t org_id)
{
	const struct record_kind *const *k;
	const struct record_due *d;
	json_t *events = json_array();
	int rc = 0;

	for (k = record_kinds; (*k)->name != NULL && rc == 0; k++)
		for (d = (*k)->events; d != NULL && d->field != NULL && rc == 0; d++)
			rc = work_dated(events, db, org_id, *k, d, "", WORK_END_OF_TIME,
			    WORK_CALENDAR_MAX);
	if (rc != 0) {
		json_decref(events);
		return rc;
	}
	work_sort(events);
	while (json_array_size(events) > WORK_CALENDAR_MAX)
		json_array_remove(events, json_array_size(events) - 1);
	*out = events;
	return 0;
}

static int64_t
work_days_between(const char *from, const char *to)
{
	char a[CLOCK_RFC3339_LEN], b[CLOCK_RFC3339_LEN];
	time_t ta, tb;

	snprintf(a, sizeof(a), "%.10sT00:00:00Z", from);
	snprintf(b, sizeof(b), "%.10sT00:00:00Z", to);
	if (clock_parse(&ta, a) != 0 || clock_parse(&tb, b) != 0)
		return -1;
	return (int64_t)((tb - ta) / WORK_SECONDS_PER_DAY);
}

int
work_next_event(int64_t *days, json_t **event, struct db *db, int64_t org_id, time_t now)
{
	char today[WORK_DAY_LEN];
	json_t *events = NULL, *e;
	size_t i;
	int rc;

	*days = -1;
	if (event != NULL)
		*event = NULL;
	work_day(today, now);
	if ((rc = work_events(&events, db, org_id)) != 0)
		return rc;
	json_array_foreach(events, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "date")), today) < 0)
			continue;
		*days = work_days_between(today, json_string_value(json_object_get(e, "date")));
		if (event != NULL)
			*event = json_incref(e);
		break;
	}
	json_decref(events);
	return 0;
}

int
work_calendar(json_t **out, struct db *db, int64_t org_id, time_t now)
{
	const struct record_kind *const *k;
	const struct record_due *d;
	char today[WORK_DAY_LEN];
	json_t *o, *events = NULL, *e, *before, *next = json_null();
	const char *prev = "", *date;
	size_t i;
	int rc;

	*out = NULL;
	work_day(today, now);
	if ((rc = db_read_begin(db)) != 0)
		return rc;
	if ((rc = work_events(&events, db, org_id)) != 0)
		goto done;
	json_array_foreach(events, i, e) {
		date = json_string_value(json_object_get(e, "date"));
		before = json_array();
		for (k = record_kinds; (*k)->name != NULL && rc == 0; k++)
			for (d = (*k)->due; d != NULL && d->field != NULL && rc == 0; d++)
				if (d->calendar)
					rc = work_dated(before, db, org_id, *k, d, prev, date,
					    WORK_GROUP_MAX);
		work_sort(before);
		json_object_set_new(e, "before", before);
		json_object_set_new(e, "past", json_boolean(strcmp(date, today) < 0));
		json_object_set_new(e, "days", json_integer(work_days_between(today, date)));
		if (json_is_null(next) && strcmp(date, today) >= 0)
			next = json_incref(e);
		if (rc != 0)
			goto done;
		prev = date;
	}
	o = json_pack("{s:s, s:O, s:O}", "today", today, "next", next, "events", events);
	*out = o;
done:
	db_read_end(db);
	json_decref(events);
	json_decref(next);
	return rc;
}

/* Every item the org's records give now, as work_key() writes them. */
static int
work_expected(json_t *set, struct db *db, int64_t org_id)
{
	const struct record_kind *const *k;
	const struct record_due *d;
	struct db_stmt *st = NULL;
	struct record_row r;
	struct buf key = BUF_INIT;
	const char *due;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	for (k = record_kinds; (*k)->name != NULL && rc == 0; k++) {
		if ((*k)->due == NULL)
			continue;
		if ((rc = db_prepare(&st, db, "SELECT " RECORD_ROW_COLUMNS " FROM records "
		    "WHERE org_id = ? AND kind = ? AND retired = 0")) != 0)
			break;
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, (*k)->name);
		while ((rc = db_step(st)) == DB_ROW) {
			/* Data that is not JSON is the commitment check's finding. */
			if (record__row_read(&r, st) == 0)
				for (d = (*k)->due; d->field != NULL; d++) {
					if ((due = work_due_of(*k, d, &r)) == NULL)
						continue;
					work_key(&key, (*k)->name, r.num, d->field, r.ref, r.title,
					    d->what, work_owner(d, &r), due, r.created_by_id,
					    work_source(*k, &r));
					json_object_set_new(set, buf_str(&key), json_true());
				}
			record__row_free(&r);
		}
		db_done(st);
		rc = rc < 0 ? rc : 0;
	}
	buf_free(&key);
	return rc;
}

static int
work_finding(const char *key, bool stored)
{
	char copy[512], *part[4] = { NULL }, *p;
	int i;

	snprintf(copy, sizeof(copy), "%s", key);
	p = copy;
	for (i = 0; i < 4 && p != NULL; i++) {
		part[i] = p;
		if ((p = strchr(p, '\t')) != NULL)
			*p++ = '\0';
	}
	return aims_error_set(AIMS_EVERIFY, NULL, stored ?
	    "work item %s of %s %s (%s) is stored but its record does not give it: it was "
	    "added or changed around aims" :
	    "work item %s of %s %s (%s) is missing: its record gives it, the stored work "
	    "items do not", part[2] ? part[2] : "?", part[0] ? part[0] : "?",
	    part[3] ? part[3] : "?", part[1] ? part[1] : "?");
}

/* The kept counts (work_item_counts) against the stored items, kind by kind. */
static int
work_counts_verify(struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT kind, sum(stored), sum(kept) FROM ("
	    "SELECT kind, count(*) AS stored, 0 AS kept FROM work_items WHERE org_id = ? "
	    "GROUP BY kind UNION ALL SELECT kind, 0, n FROM work_item_counts WHERE org_id = ?) c "
	    "GROUP BY kind HAVING sum(stored) <> sum(kept) ORDER BY kind")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, org_id);
	if ((rc = db_step(st)) == DB_ROW)
		rc = aims_error_set(AIMS_EVERIFY, NULL, "work_item_counts says %lld work items of "
		    "%s, work_items holds %lld: the count was changed around aims",
		    (long long)db_column_int64(st, 2), db_column_text(st, 0),
		    (long long)db_column_int64(st, 1));
	else
		rc = rc < 0 ? rc : 0;
	db_done(st);
	return rc;
}

int
work_verify(struct db *db, int64_t org_id)
{
	json_t *expected = json_object();
	struct db_stmt *st = NULL;
	struct buf key = BUF_INIT;
	void *iter;
	int rc;

	if ((rc = work_expected(expected, db, org_id)) != 0)
		goto done;
	if ((rc = db_prepare(&st, db, "SELECT kind, num, field, ref, title, what, owner, due, "
	    "assigned_by, source FROM work_items WHERE org_id = ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		work_key(&key, db_column_text(st, 0), db_column_int64(st, 1),
		    db_column_text(st, 2), db_column_text(st, 3), db_column_text(st, 4),
		    db_column_text(st, 5), db_column_text(st, 6), db_column_text(st, 7),
		    db_column_int64(st, 8), db_column_text(st, 9));
		if (json_object_del(expected, buf_str(&key)) != 0) {
			rc = work_finding(buf_str(&key), true);
			goto done;
		}
	}
	if (rc < 0)
		goto done;
	rc = 0;
	if ((iter = json_object_iter(expected)) != NULL)
		rc = work_finding(json_object_iter_key(iter), false);
	else
		rc = work_counts_verify(db, org_id);
done:
	db_done(st);
	buf_free(&key);
	json_decref(expected);
	return rc;
}

static void
work_feed_add(json_t *events, int64_t org_id, const char *kind, const char *ref,
    const char *field, const char *date, const char *summary, const char *description,
    const char *category)
{
	struct buf uid = BUF_INIT;

	buf_printf(&uid, "o%lld.%s.%s.%s@openaims", (long long)org_id, kind, ref, field);
	json_array_append_new(events, json_pack("{s:s, s:s, s:s, s:s, s:s}", "uid",
	    buf_str(&uid), "date", date, "summary", summary, "description", description,
	    "categories", category));
	buf_free(&uid);
}

int
work_feed(json_t **out, struct db *db, int64_t org_id, int64_t user_id, const char *scope,
    time_t now)
{
	json_t *events = json_array(), *items = NULL, *cal = NULL, *e, *b;
	struct buf sum = BUF_INIT, desc = BUF_INIT;
	char *email = NULL;
	size_t i, j;
	int rc;

	*out = NULL;
	if (strcmp(scope, "me") == 0) {
		if ((rc = work_email_of(&email, db, user_id)) != 0 ||
		    (rc = work_between(&items, db, org_id, email, "0", WORK_END_OF_TIME,
		    WORK_FEED_MAX)) != 0)
			goto done;
		json_array_foreach(items, i, e) {
			buf_reset(&sum);
			buf_reset(&desc);
			buf_printf(&sum, "%s: %s (%s)", json_string_value(json_object_get(e, "ref")),
			    json_string_value(json_object_get(e, "title")),
			    json_string_value(json_object_get(e, "what")));
			buf_printf(&desc, "Due %s: %s of %s %s.",
			    json_string_value(json_object_get(e, "due")),
			    json_string_value(json_object_get(e, "what")),
			    json_string_value(json_object_get(e, "kind")),
			    json_string_value(json_object_get(e, "ref")));
			work_feed_add(events, org_id, json_string_value(json_object_get(e, "kind")),
			    json_string_value(json_object_get(e, "ref")),
			    json_string_value(json_object_get(e, "field")),
			    json_string_value(json_object_get(e, "due")), buf_str(&sum), buf_str(&desc),
			    "Task");
		}
	} else {
		if ((rc = work_calendar(&cal, db, org_id, now)) != 0)
			goto done;
		json_array_foreach(json_object_get(cal, "events"), i, e) {
			buf_reset(&sum);
			buf_reset(&desc);
			buf_printf(&sum, "%s (%s)", json_string_value(json_object_get(e, "what")),
			    json_string_value(json_object_get(e, "title")));
			buf_printf(&desc, "External audit of the certification cycle %s.",
			    json_string_value(json_object_get(e, "ref")));
			work_feed_add(events, org_id, json_string_value(json_object_get(e, "kind")),
			    json_string_value(json_object_get(e, "ref")),
			    json_string_value(json_object_get(e, "what")),
			    json_string_value(json_object_get(e, "date")), buf_str(&sum), buf_str(&desc),
			    "External audit");
			json_array_foreach(json_object_get(e, "before"), j, b) {
				buf_reset(&sum);
				buf_reset(&desc);
				buf_printf(&sum, "%s: %s (%s)", json_string_value(json_object_get(b, "ref")),
				    json_string_value(json_object_get(b, "title")),
				    json_string_value(json_object_get(b, "what")));
				buf_printf(&desc, "To hold before the %s on %s.",
				    json_string_value(json_object_get(e, "what")),
				    json_string_value(json_object_get(e, "date")));
				work_feed_add(events, org_id, json_string_value(json_object_get(b, "kind")),
				    json_string_value(json_object_get(b, "ref")),
				    json_string_value(json_object_get(b, "what")),
				    json_string_value(json_object_get(b, "date")), buf_str(&sum),
				    buf_str(&desc), "Internal");
			}
		}
	}
	*out = json_incref(events);
done:
	free(email);
	buf_free(&sum);
	buf_free(&desc);
	json_decref(items);
	json_decref(cal);
	json_decref(events);
	return rc;
}

/* YYYY-MM-DD, digits where digits go. */
static bool
work_is_date(const char *s)
{
	int i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	return true;
}

int
work_list(json_t **out, struct db *db, int64_t org_id, const char *owner, const char *from,
    const char *to, int limit)
{
	char end[WORK_DAY_LEN + 1];

	*out = NULL;
	if (from != NULL && !work_is_date(from))
		return aims_error_set(AIMS_EINVALID, "from", "from must be a date: YYYY-MM-DD");
	if (to != NULL && !work_is_date(to))
		return aims_error_set(AIMS_EINVALID, "to", "to must be a date: YYYY-MM-DD");
	if (limit < 1 || limit > WORK_LIST_MAX)
		return aims_error_set(AIMS_EINVALID, "limit", "limit must be from 1 to %d",
		    WORK_LIST_MAX);
	/* Inclusive: every due date of that day is below the day followed by a space. */
	snprintf(end, sizeof(end), "%s ", to != NULL ? to : WORK_END_OF_TIME);
	return work_between(out, db, org_id, owner, from != NULL ? from : "0", end, limit);
}
