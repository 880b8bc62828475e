/*
 * record.c - the record engine's mutations: create, update, delete/retire.
 * Each one runs in a transaction: check the input against the kind's
 * declarations, run the kind's hooks, write the row and its derived indexes,
 * keep the version, append the ledger event, commit (DESIGN.md invariant 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/record_private.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

const struct record_kind *
record_kind_find(const char *name)
{
	const struct record_kind *const *k;

	if (name == NULL)
		return NULL;
	for (k = record_kinds; (*k)->name; k++)
		if (strcmp((*k)->name, name) == 0)
			return *k;
	return NULL;
}

static bool
ref_has_number(const char *ref, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p;

	if (strncmp(ref, prefix, n) != 0 || ref[n] != '-' || ref[n + 1] == '\0')
		return false;
	for (p = ref + n + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

const struct record_kind *
record_kind_of_ref(const char *ref)
{
	const struct record_kind *const *k;

	if (ref == NULL)
		return NULL;
	for (k = record_kinds; (*k)->name; k++) {
		if ((*k)->singleton ? strcmp(ref, (*k)->prefix) == 0 :
		    (*k)->ref_field ? str_has_prefix(ref, (*k)->prefix) :
		    ref_has_number(ref, (*k)->prefix))
			return *k;
	}
	return NULL;
}

const struct field *
record_field_find(const struct record_kind *k, const char *name)
{
	const struct field *f;

	for (f = k->fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

const struct field *
record_title_field(const struct record_kind *k)
{
	const struct field *f;

	for (f = k->fields; f->name; f++)
		if (f->flags & FIELD_TITLE)
			return f;
	return NULL;
}

int
record__actor_email(char **out, struct db *db, const struct actor *actor)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if (actor->user_id <= 0)
		return 0;
	if ((rc = db_prepare(&st, db, "SELECT email FROM users WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, actor->user_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = xstrdup(db_column_text(st, 0));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

int
record__actor_label(char **out, struct db *db, const struct actor *actor)
{
	int rc;

	if ((rc = record__actor_email(out, db, actor)) != 0)
		return rc;
	if (*out == NULL)
		*out = xstrdup(actor->name);
	return 0;
}

int
record__user_name(char **out, struct db *db, int64_t user_id)
{
	struct db_stmt *st = NULL;
	const char *name, *email;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT display_name, email FROM users WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, user_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		name = db_column_text(st, 0);
		email = db_column_text(st, 1);
		*out = xstrdup(name && *name ? name : email ? email : "someone");
		rc = 0;
	} else if (rc == DB_DONE) {
		*out = xstrdup("a former user");
		rc = 0;
	}
	db_done(st);
	return rc;
}

int
record__load_data(json_t **out, struct db *db, int64_t org_id, const char *kind, const char *ref)
{
	const struct record_kind *k = record_kind_find(kind);
	struct record_row r;
	int rc;

	*out = NULL;
	if (k == NULL)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no record kind %s", kind);
	if ((rc = record__row_load(&r, db, org_id, k, ref)) != 0)
		return rc;
	*out = json_incref(r.data);
	record__row_free(&r);
	return 0;
}

static const char *
record_ref_of(const struct record_kind *k, const char *ref)
{
	return (ref == NULL && k->singleton) ? k->prefix : ref;
}

static int
record_ledger(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *action, const char *ref, int64_t version,
    const json_t *rec, const struct buf *canon)
{
	struct ledger_event ev = {
		.org_id = org_id, .actor = actor->name, .action = action, .kind = k->name,
		.ref = ref, .version = version, .record = canon ? NULL : rec,
		.record_canon = canon ? canon->data : NULL, .record_canon_len = canon ? canon->len : 0,
	};
	int64_t seq;

	return ledger_append(&seq, db, &ev);
}

/*
 * Stores the new state of r as a version and a ledger event. *out: the
 * record (record__row_json()); with brief, only its ref and version, all a
 * caller answering with the view's text reads of it.
 */
static int
record_commit_state(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const struct record_row *r, const char *action, bool brief)
{
	struct buf canon = BUF_INIT;
	json_t *rec = NULL;
	bool written;
	int rc;

	*out = NULL;
	if ((rc = record__row_canon(&written, &canon, k, r)) != 0)
		goto done;
	if (!written || !brief)
		rec = record__row_json(k, r);
	if ((rc = record__version_add(db, org_id, k, r, action, actor->user_id)) != 0 ||
	    (rc = record_ledger(db, org_id, actor, k, action, r->ref, r->version, rec,
	    written ? &canon : NULL)) != 0)
		goto done;
	if (rec == NULL && (rec = json_pack("{s:s, s:I}", "ref", r->ref, "version",
	    (json_int_t)r->version)) == NULL)
		abort();	/* only out of memory (the ref is UTF-8): xmalloc's policy */
	*out = rec;
	rec = NULL;
done:
	json_decref(rec);
	buf_free(&canon);
	return rc;
}

/*
 * The workflow settles the new state first (a revision of approved content),
 * the kind's rules run on it, then the step taken is judged and signed off
 * (record_workflow.c). r is the row before the change, NULL on create.
 */
static int
record_run_hooks(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const struct record_row *r, const json_t *old, json_t *next)
{
	int rc;

	if ((rc = record__workflow_resolve(k, old, next)) != 0)
		return rc;
	if (k->hooks.validate && (rc = k->hooks.validate(db, org_id, actor, old, next)) != 0)
		return rc;
	return record__workflow_judge(db, org_id, actor, k, r, next);
}

/* Which approved version stays in force while a revision of it is open (DESIGN.md). */
static void
record_track_in_force(struct record_row *r, const struct record_kind *k,
    const json_t *old_data, int64_t old_version)
{
	const struct record_workflow *w = k->workflow;
	const char *was, *now;

	if (w == NULL || w->approved == NULL)
		return;
	was = record__str(old_data, w->field);
	now = record__str(r->data, w->field);
	if (now && strcmp(now, w->approved) == 0)
		r->in_force = 0;
	else if (r->retired || (w->final && now && strcmp(now, w->final) == 0))
		r->in_force = 0;
	else if (was && strcmp(was, w->approved) == 0 && r->in_force == 0)
		r->in_force = old_version;
}

static void
record_drop_nulls(json_t *data)
{
	const char *key;
	json_t *v;
	void *tmp;

	json_object_foreach_safe(data, tmp, key, v)
		if (json_is_null(v))
			json_object_del(data, key);
}

static int
record_make_ref(struct record_row *r, const struct record_kind *k)
{
	char buf[RECORD_REF_MAX + 1];
	const char *v;

	if (k->singleton) {
		r->ref = xstrdup(k->prefix);
		return 0;
	}
	if (k->ref_field) {
		if ((v = record__str(r->data, k->ref_field)) == NULL)
			return aims_error_set(AIMS_EINVALID, k->ref_field, "field '%s' is required",
			    k->ref_field);
		r->ref = xstrdup(v);
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s-%lld", k->prefix, (long long)r->num);
	r->ref = xstrdup(buf);
	return 0;
}

/*
 * The creation steps after the input has been checked: data holds declared
 * fields. *text (text may be NULL): as record_create_text().
 */
static int
record_create_data(json_t **out, char **text, struct db *db, int64_t org_id,
    const struct actor *actor, const struct record_kind *k, json_t *data)
{
	char now[CLOCK_RFC3339_LEN];
	struct record_row r;
	int rc;

	memset(&r, 0, sizeof(r));
	record_drop_nulls(data);
	if ((rc = record__check_required(k, data)) != 0 ||
	    (rc = record_run_hooks(db, org_id, actor, k, NULL, NULL, data)) != 0)
		goto done;
	r.data = json_incref(data);
	if ((rc = record__next_num(&r.num, db, org_id, k->name)) != 0 ||
	    (rc = record_make_ref(&r, k)) != 0)
		goto done;
	if (k->hooks.created && (rc = k->hooks.created(db, org_id, actor, r.ref, r.data)) != 0)
		goto done;
	clock_format(now, clock_now());
	r.version = 1;
	r.created_at = xstrdup(now);
	r.updated_at = xstrdup(now);
	r.created_by = xstrdup(actor->name);
	r.updated_by = xstrdup(actor->name);
	r.created_by_id = actor->user_id;
	record__row_columns(&r, k);
	if (k->singleton && record__exists(db, org_id, k->name, r.ref) == 0) {
		rc = aims_error_set(AIMS_EEXISTS, NULL,
		    "the organisation already has its %s: update it instead", k->singular);
		goto done;
	}
	if ((rc = record__row_insert(&r, db, org_id, k, text)) != 0 ||
	    (rc = record__count_add(db, org_id, k->name, 1)) != 0)
		goto done;
	if ((rc = record_commit_state(out, db, org_id, actor, k, &r, "create",
	    text != NULL && *text != NULL)) == 0)
		rc = record__notify(db, org_id, actor, k, "create", NULL, &r);
done:
	record__row_free(&r);
	return rc;
}

static int
record_finish(struct db *db, int rc, json_t **out, char **text)
{
	if (rc == 0 && (rc = db_commit(db)) == 0)
		return 0;
	if (rc != 0 && db_in_transaction(db))
		db_rollback(db);
	if (out) {
		json_decref(*out);
		*out = NULL;
	}
	if (text) {
		free(*text);
		*text = NULL;
	}
	return rc;
}

int
record_create(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const json_t *input)
{
	return record_create_text(out, NULL, db, org_id, actor, k, input);
}

int
record_create_text(json_t **out, char **text, struct db *db, int64_t org_id,
    const struct actor *actor, const struct record_kind *k, const json_t *input)
{
	json_t *data = NULL;
	int rc;

	*out = NULL;
	if (text)
		*text = NULL;
	if (k->fixed)
		return aims_error_set(AIMS_ECONFLICT, NULL,
		    "%s exist from the moment the organisation exists: update them instead",
		    k->plural);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = record__check_input(&data, db, org_id, actor, k, input)) == 0)
		rc = record_create_data(out, text, db, org_id, actor, k, data);
	json_decref(data);
	return record_finish(db, rc, out, text);
}

/* Creation by the system (record_org_init): fields trusted, readonly allowed. */
int
record__create_system(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const json_t *fields)
{
	json_t *data = json_deep_copy(fields);
	int rc;

	*out = NULL;
	if ((rc = db_begin(db)) != 0) {
		json_decref(data);
		return rc;
	}
	rc = record_create_data(out, NULL, db, org_id, actor, k, data);
	json_decref(data);
	return record_finish(db, rc, out, NULL);
}

static const char *
record_action_for(const struct record_kind *k, const struct record_row *old, const json_t *next)
{
	const char *a = record__str(old->data, "status"), *b = record__str(next, "status");
	const char *step = record__workflow_action(k, old->data, next);

	if (step != NULL)
		return step;
	if (b == NULL || (a != NULL && strcmp(a, b) == 0))
		return "update";
	if (strcmp(b, "approved") == 0)
		return "approve";
	if (strcmp(b, "accepted") == 0)
		return "accept";
	return "update";
}

static int
record_load_for_change(struct record_row *r, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref, int64_t if_version)
{
	int rc, xrc;

	if (ref == NULL)
		return aims_error_set(AIMS_EINVALID, "ref", "no reference given");
	rc = record__row_load(r, db, org_id, k, ref);
	/* Not a record of k, but maybe an item its listing shows that follows another. */
	if (rc == AIMS_ENOTFOUND && k->list_extra != NULL && k->list_extra->refuse != NULL &&
	    (xrc = k->list_extra->refuse(db, org_id, k, ref)) != 0)
		return xrc;
	if (rc != 0)
		return rc;
	if (r->retired)
		return aims_error_set(AIMS_ECONFLICT, "ref",
		    "%s %s is retired and can no longer be changed", k->singular, ref);
	if (if_version != 0 && if_version != r->version)
		return aims_error_set(AIMS_ESTALE, "version",
		    "%s %s has changed: you have version %lld, the current one is %lld; "
		    "reload it and apply your change again", k->singular, ref,
		    (long long)if_version, (long long)r->version);
	return 0;
}

/*
 * Applies patch (checked values; null clears) to r and stores the result.
 * *text (text may be NULL): as record_update_text().
 */
static int
record_apply(json_t **out, char **text, struct db *db, int64_t org_id,
    const struct actor *actor, const struct record_kind *k, struct record_row *r,
    const json_t *patch, const char *action)
{
	char now[CLOCK_RFC3339_LEN];
	struct record_row before;
	json_t *next, *old, *v;
	const char *key;
	int rc;

	memset(&before, 0, sizeof(before));
	next = json_deep_copy(r->data);
	json_object_foreach((json_t *)patch, key, v) {
		if (json_is_null(v))
			json_object_del(next, key);
		else
			json_object_set(next, key, v);
	}
	old = record__row_json(k, r);
	if ((rc = record__check_required(k, next)) != 0 ||
	    (rc = record_run_hooks(db, org_id, actor, k, r, old, next)) != 0)
		goto done;
	record_drop_nulls(next);
	if (json_equal(next, r->data)) {
		*out = json_incref(old);
		goto done;
	}
	if (action == NULL)
		action = record_action_for(k, r, next);
	record__row_copy(&before, r);
	json_decref(r->data);
	r->data = json_incref(next);
	r->version++;
	clock_format(now, clock_now());
	free(r->updated_at);
	free(r->updated_by);
	r->updated_at = xstrdup(now);
	r->updated_by = xstrdup(actor->name);
	record_track_in_force(r, k, before.data, before.version);
	record__row_columns(r, k);
	if ((rc = record__row_update(db, org_id, k, &before, r, text)) == 0 &&
	    (rc = record_commit_state(out, db, org_id, actor, k, r, action,
	    text != NULL && *text != NULL)) == 0)
		rc = record__notify(db, org_id, actor, k, action, &before, r);
done:
	record__row_free(&before);
	json_decref(old);
	json_decref(next);
	return rc;
}

int
record_update(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *ref, int64_t if_version, const json_t *patch)
{
	return record_update_text(out, NULL, db, org_id, actor, k, ref, if_version, patch);
}

int
record_update_text(json_t **out, char **text, struct db *db, int64_t org_id,
    const struct actor *actor, const struct record_kind *k, const char *ref,
    int64_t if_version, const json_t *patch)
{
	struct record_row r;
	json_t *norm = NULL;
	int rc;

	*out = NULL;
	if (text)
		*text = NULL;
	memset(&r, 0, sizeof(r));
	ref = record_ref_of(k, ref);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = record_load_for_change(&r, db, org_id, k, ref, if_version)) == 0 &&
	    (rc = record__check_input(&norm, db, org_id, actor, k, patch)) == 0)
		rc = record_apply(out, text, db, org_id, actor, k, &r, norm, NULL);
	json_decref(norm);
	record__row_free(&r);
	return record_finish(db, rc, out, text);
}

int
record__update_system(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *ref, int64_t if_version, const char *action,
    const json_t *fields)
{
	struct record_row r;
	int rc;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = record_load_for_change(&r, db, org_id, k, ref, if_version)) == 0)
		rc = record_apply(out, NULL, db, org_id, actor, k, &r, fields, action);
	record__row_free(&r);
	return record_finish(db, rc, out, NULL);
}

/* A record that others name cannot be erased (retiring keeps it). */
static int
record_check_unreferenced(struct db *db, int64_t org_id, const struct record_kind *k,
    const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT from_ref, field FROM record_links "
	    "WHERE org_id = ? AND to_kind = ? AND to_ref = ? LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, ref);
	rc = db_step(st);
	if (rc == DB_ROW)
		rc = aims_error_set(AIMS_ECONFLICT, "ref",
		    "%s %s cannot be deleted: %s refers to it (field %s); remove that reference first",
		    k->singular, ref, db_column_text(st, 0), db_column_text(st, 1));
	else if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

static int
record_retire(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, struct record_row *r)
{
	char now[CLOCK_RFC3339_LEN];
	struct record_row before;
	json_t *rec = NULL;
	int rc;

	record__row_copy(&before, r);
	r->retired = true;
	r->version++;
	clock_format(now, clock_now());
	free(r->updated_at);
	free(r->updated_by);
	r->updated_at = xstrdup(now);
	r->updated_by = xstrdup(actor->name);
	if ((rc = record__row_update(db, org_id, k, &before, r, NULL)) == 0 &&
	    (rc = record__count_add(db, org_id, k->name, -1)) == 0 &&
	    (rc = record_commit_state(&rec, db, org_id, actor, k, r, "retire", true)) == 0)
		rc = record__notify(db, org_id, actor, k, "retire", &before, r);
	record__row_free(&before);
	json_decref(rec);
	return rc;
}

static int
record_erase(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, struct record_row *r)
{
	int rc;

	if ((rc = record_check_unreferenced(db, org_id, k, r->ref)) != 0 ||
	    (rc = record__row_erase(db, org_id, k, r)) != 0 ||
	    (rc = record__count_add(db, org_id, k->name, -1)) != 0 ||
	    (rc = record__notify(db, org_id, actor, k, "delete", r, NULL)) != 0)
		return rc;
	return record_ledger(db, org_id, actor, k, "delete", r->ref, r->version + 1, NULL,
	    NULL);
}

int
record_delete(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *ref, int64_t if_version)
{
	struct record_row r;
	int rc;

	memset(&r, 0, sizeof(r));
	if (k->fixed || k->singleton)
		return aims_error_set(AIMS_ECONFLICT, NULL, "the %s cannot be deleted: update it instead",
		    k->singular);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = record_load_for_change(&r, db, org_id, k, ref, if_version)) == 0)
		rc = k->retain ? record_retire(db, org_id, actor, k, &r) :
		    record_erase(db, org_id, actor, k, &r);
	record__row_free(&r);
	return record_finish(db, rc, NULL, NULL);
}
