/*
 * record_workflow.c - the one approval model (struct record_workflow in
 * record.h). A kind declares its states and steps; this file decides, for
 * an actor and a record, which steps apply and whether the actor may take
 * each, with the reason in words when not. The same judgement lists the
 * steps (record_steps: the pages' buttons, the API) and refuses a change of
 * the state field however it arrives (session, API token, command line).
 *
 * Sign-off is compared by user id, never by display name or credential: a
 * manager's own API token acts as that manager. The system and the command
 * line without --as have no person behind them and cannot sign off.
 * Changing approved content starts a revision in the kind's revert state;
 * the engine (record.c) keeps the approved version in force meanwhile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/record_private.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"

#define WORKFLOW_WHY_MAX	320	/* a refusal in words */

const char *const record_review_states[] = {
	"draft", "in_review", "approved", "retired", NULL,
};

const struct record_step record_review_steps[] = {
	{ .action = "submit", .label = "Submit for review", .from = "draft", .to = "in_review",
	  .perm = PERM_WRITE },
	{ .action = "return", .label = "Return to draft", .from = "in_review", .to = "draft",
	  .perm = PERM_WRITE },
	{ .action = "approve", .label = "Approve", .from = "in_review", .to = "approved",
	  .perm = PERM_APPROVE, .signoff = RECORD_SIGNOFF_NOT_AUTHOR },
	{ .action = "revise", .label = "Start a revision", .from = "approved", .to = "draft",
	  .perm = PERM_WRITE },
	{ .action = "retire", .label = "Retire", .to = "retired", .perm = PERM_APPROVE,
	  .confirm = "Retire" },
	{ .action = NULL },
};

static bool
workflow_is_meta(const char *key)
{
	static const char *const meta[] = {
		"ref", "version", "created_at", "updated_at", "created_by", "updated_by", "retired",
		"in_force_version", NULL,
	};
	const char *const *m;

	for (m = meta; *m; m++)
		if (strcmp(*m, key) == 0)
			return true;
	return false;
}

static bool
workflow_is_free(const struct record_workflow *w, const char *key)
{
	const char *const *f;

	if (strcmp(key, w->field) == 0 || (w->signed_by && strcmp(key, w->signed_by) == 0) ||
	    (w->signed_at && strcmp(key, w->signed_at) == 0))
		return true;
	for (f = w->free_fields; f && *f; f++)
		if (strcmp(*f, key) == 0)
			return true;
	return workflow_is_meta(key);
}

bool
record__workflow_content_changed(const struct record_workflow *w, const json_t *old,
    const json_t *next)
{
	const char *key;
	json_t *v, *o;

	json_object_foreach((json_t *)next, key, v) {
		if (workflow_is_free(w, key) || json_is_null(v))
			continue;
		o = json_object_get(old, key);
		if (o == NULL || !json_equal(o, v))
			return true;
	}
	json_object_foreach((json_t *)old, key, o) {
		if (workflow_is_free(w, key) || json_is_null(o))
			continue;
		v = json_object_get(next, key);
		if (v == NULL || json_is_null(v))
			return true;
	}
	return false;
}

static const char *
workflow_state(const struct record_workflow *w, const json_t *data)
{
	const char *s = record__str(data, w->field);

	return s ? s : w->initial;
}

static bool
str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Does step s apply in state `from`? */
static bool
workflow_step_applies(const struct record_workflow *w, const struct record_step *s,
    const char *from)
{
	if (str_eq(from, w->final))
		return false;
	return s->from ? str_eq(s->from, from) : !str_eq(s->to, from);
}

static const struct record_step *
workflow_step_between(const struct record_workflow *w, const char *from, const char *to)
{
	const struct record_step *s;

	for (s = w->steps; s && s->action; s++)
		if (str_eq(s->to, to) && workflow_step_applies(w, s, from))
			return s;
	return NULL;
}

const struct record_step *
record_step_find(const struct record_kind *k, const char *action)
{
	const struct record_step *s;

	if (k->workflow == NULL || action == NULL)
		return NULL;
	for (s = k->workflow->steps; s && s->action; s++)
		if (strcmp(s->action, action) == 0)
			return s;
	return NULL;
}

static int
workflow_refuse_step(const struct record_workflow *w, const char *from, const char *to)
{
	struct buf b = BUF_INIT;
	const struct record_step *s;
	int rc;

	for (s = w->steps; s && s->action; s++)
		if (workflow_step_applies(w, s, from))
			buf_printf(&b, "%s%s", b.len ? ", " : "", s->to);
	rc = aims_error_set(AIMS_ECONFLICT, w->field,
	    "%s cannot change from %s to %s (from %s it can go to: %s)", w->field, from, to, from,
	    b.len ? buf_str(&b) : "nothing");
	buf_free(&b);
	return rc;
}

int
record__workflow_resolve(const struct record_kind *k, const json_t *old, json_t *next)
{
	const struct record_workflow *w = k->workflow;
	const char *from, *to;

	if (w == NULL)
		return 0;
	to = record__str(next, w->field);
	if (old == NULL) {
		if (to == NULL)
			json_object_set_new(next, w->field, json_string(w->initial));
		else if (!w->open && strcmp(to, w->initial) != 0)
			return aims_error_set(AIMS_ECONFLICT, w->field,
			    "a new %s starts as %s; change its %s afterwards", k->singular,
			    w->initial, w->field);
		return 0;
	}
	from = workflow_state(w, old);
	if (str_eq(from, w->final))
		return aims_error_set(AIMS_ECONFLICT, w->field,
		    "it is %s and can no longer be changed", from);
	if (to == NULL) {
		json_object_set_new(next, w->field, json_string(from));
		to = from;
	}
	if (w->approved && str_eq(from, w->approved) && str_eq(to, w->approved) &&
	    record__workflow_content_changed(w, old, next))
		/* A revision: the approved version stays in force until it is approved. */
		json_object_set_new(next, w->field, json_string(w->revert));
	return 0;
}

/* The lowest role that may take s on kind k (without being its owner). */
static const char *
workflow_min_role(const struct record_step *s, enum perm_kind pk)
{
	int r;

	for (r = ROLE_VIEWER; r <= ROLE_ADMIN; r++)
		if (perm_allows((enum role)r, s->perm, pk))
			return role_name((enum role)r);
	return role_name(ROLE_ADMIN);
}

static bool
workflow_is_owner(struct db *db, const struct actor *actor, const json_t *data)
{
	const char *owner = record__str(data, "owner");
	char *email = NULL;
	bool yes;

	if (owner == NULL || record__actor_email(&email, db, actor) != 0)
		return false;
	yes = email && strcasecmp(email, owner) == 0;
	free(email);
	return yes;
}

/* Whether the actor's role (or being the owner, where the step allows it) is enough. */
static int
workflow_why_role(char *why, size_t len, const struct actor *actor, const struct record_step *s,
    enum perm_kind pk, bool owner)
{
	const char *min = workflow_min_role(s, pk);

	if (perm_allows(actor->role, s->perm, pk) ||
	    (owner && perm_allows(actor->role, PERM_WRITE, pk)))
		return 0;
	snprintf(why, len, "only %s%s %s or higher can %s it; your role here is %s",
	    s->owner_may ? "its owner or " : "", strchr("aeiou", *min) ? "an" : "a", min,
	    s->action, role_name(actor->role));
	return AIMS_EFORBIDDEN;
}

/*
 * Did user_id write content of the version to approve? The authors are
 * whoever changed its content (fields outside the free ones) since it was
 * last in the approved state, or since it was created: every co-author of
 * a draft or a revision, not only the last one to save. next is the state
 * being written now, or NULL when only listing steps.
 */
static int
workflow_wrote(bool *wrote, struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, const json_t *next, int64_t user_id)
{
	const struct record_workflow *w = k->workflow;
	struct db_stmt *st = NULL;
	json_t *prev = NULL, *data;
	int rc;

	*wrote = r == NULL || (next != NULL && record__workflow_content_changed(w, r->data, next));
	if (*wrote)
		return 0;
	/* From the last approved version (the baseline) on; all of them if never approved. */
	if ((rc = db_prepare(&st, db, "SELECT actor_id, data FROM record_versions "
	    "WHERE org_id = ? AND kind = ? AND num = ? AND version >= coalesce((SELECT "
	    "max(version) FROM record_versions WHERE org_id = ? AND kind = ? AND num = ? "
	    "AND status = ?), 0) ORDER BY version")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_int64(st, 3, r->num);
	db_bind_int64(st, 4, org_id);
	db_bind_text(st, 5, k->name);
	db_bind_int64(st, 6, r->num);
	db_bind_text(st, 7, w->approved ? w->approved : "");
	while (!*wrote && (rc = db_step(st)) == DB_ROW) {
		if ((data = json_loads(db_column_text(st, 1), 0, NULL)) == NULL) {
			rc = aims_error_set(AIMS_ERROR, NULL, "a stored version is not valid JSON");
			break;
		}
		/* The baseline itself was written before the approval; the rest by their actor. */
		if (prev == NULL && w->approved && str_eq(record__str(data, w->field), w->approved))
			*wrote = false;
		else if (prev == NULL || record__workflow_content_changed(w, prev, data))
			*wrote = db_column_int64(st, 0) == user_id;
		json_decref(prev);
		prev = data;
	}
	db_done(st);
	json_decref(prev);
	if (*wrote)
		return 0;
	return rc < 0 && rc != DB_DONE ? rc : 0;
}

/*
 * Whether actor may take s on the record whose people are in r (NULL: a
 * record being created by actor) and whose fields are data: 0, or
 * AIMS_EFORBIDDEN (who) / AIMS_ECONFLICT (its state) with why in words.
 */
static int
workflow_why(char *why, size_t len, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const struct record_step *s, const struct record_row *r,
    const json_t *data, const json_t *next)
{
	int64_t proposer = r ? r->created_by_id : actor->user_id;
	bool wrote = false;
	bool owner = s->owner_may && workflow_is_owner(db, actor, data);
	const char *min;
	char *name = NULL;
	enum perm_kind pk;
	int rc = 0;

	*why = '\0';
	if (perm_kind_parse(&pk, k->perm_kind) != 0)
		return aims_error_set(AIMS_ERROR, NULL, "kind %s has no permission kind", k->name);
	min = workflow_min_role(s, pk);
	if (s->needs && record__is_empty(json_object_get(data, s->needs))) {
		snprintf(why, len, "%s", s->needs_why ? s->needs_why : "it is not ready for this");
		return AIMS_ECONFLICT;
	}
	if (s->signoff == RECORD_SIGNOFF_NONE)
		return workflow_why_role(why, len, actor, s, pk, owner);
	if (actor->user_id <= 0) {
		snprintf(why, len, "a sign-off must be made by a named person, not by %s (sign "
		    "in, use a token you created, or give --as EMAIL on the command line)",
		    actor->name ? actor->name : "the system");
		return AIMS_EFORBIDDEN;
	}
	if (s->signoff == RECORD_SIGNOFF_NOT_AUTHOR &&
	    (rc = workflow_wrote(&wrote, db, org_id, k, r, next, actor->user_id)) != 0)
		return rc;
	if (wrote) {
		if ((rc = record__user_name(&name, db, actor->user_id)) != 0)
			return rc;
		snprintf(why, len, "%s wrote it; another %s must %s it", name, min, s->action);
		rc = AIMS_EFORBIDDEN;
	} else if (s->signoff == RECORD_SIGNOFF_NOT_PROPOSER && actor->user_id == proposer) {
		if ((rc = record__user_name(&name, db, proposer)) != 0)
			return rc;
		snprintf(why, len, "%s proposed it; someone else must %s it (%s)", name, s->action,
		    s->owner_may ? "its owner or a manager" : min);
		rc = AIMS_EFORBIDDEN;
	}
	free(name);
	return rc != 0 ? rc : workflow_why_role(why, len, actor, s, pk, owner);
}

static int
workflow_sign(struct db *db, const struct actor *actor, const struct record_workflow *w,
    json_t *next)
{
	char now[CLOCK_RFC3339_LEN], *label = NULL;
	int rc;

	if (w->signed_by == NULL)
		return 0;
	if ((rc = record__actor_label(&label, db, actor)) != 0)
		return rc;
	clock_format(now, clock_now());
	json_object_set_new(next, w->signed_by, json_string(label));
	if (w->signed_at)
		json_object_set_new(next, w->signed_at, json_string(now));
	free(label);
	return 0;
}

int
record__workflow_judge(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const struct record_row *r, json_t *next)
{
	const struct record_workflow *w = k->workflow;
	const struct record_step *s;
	char why[WORKFLOW_WHY_MAX];
	const char *from, *to;
	int rc;

	if (w == NULL)
		return 0;
	from = r ? workflow_state(w, r->data) : w->initial;
	to = workflow_state(w, next);
	if (str_eq(from, to) && r != NULL)
		return 0;
	if ((s = workflow_step_between(w, from, to)) == NULL) {
		if (w->open || (r == NULL && str_eq(to, w->initial)))
			return 0;
		return workflow_refuse_step(w, from, to);
	}
	if ((rc = workflow_why(why, sizeof(why), db, org_id, actor, k, s, r, next, next)) != 0)
		return rc != AIMS_EFORBIDDEN && rc != AIMS_ECONFLICT ? rc :
		    aims_error_set(rc, rc == AIMS_EFORBIDDEN && s->signoff != RECORD_SIGNOFF_NONE &&
		    w->signed_by ? w->signed_by : w->field, "%s", why);
	if (s->signoff != RECORD_SIGNOFF_NONE)
		return workflow_sign(db, actor, w, next);
	if (w->revert && str_eq(to, w->revert) && w->signed_by) {
		json_object_del(next, w->signed_by);
		if (w->signed_at)
			json_object_del(next, w->signed_at);
	}
	return 0;
}

const char *
record__workflow_action(const struct record_kind *k, const json_t *old, const json_t *next)
{
	const struct record_workflow *w = k->workflow;
	const struct record_step *s;
	const char *from, *to;

	if (w == NULL)
		return NULL;
	from = workflow_state(w, old);
	to = workflow_state(w, next);
	if (str_eq(from, to) || (s = workflow_step_between(w, from, to)) == NULL)
		return NULL;
	return s->action;
}

int
record_steps(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *ref)
{
	const struct record_workflow *w = k->workflow;
	const struct record_step *s;
	char why[WORKFLOW_WHY_MAX];
	struct record_row r;
	const char *from;
	int rc = 0, judged;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	if (ref == NULL && k->singleton)
		ref = k->prefix;
	if ((rc = record__row_load(&r, db, org_id, k, ref)) != 0)
		return rc;
	*out = json_array();
	if (w == NULL || r.retired)
		goto done;
	from = workflow_state(w, r.data);
	for (s = w->steps; s->action; s++) {
		if (!workflow_step_applies(w, s, from))
			continue;
		judged = workflow_why(why, sizeof(why), db, org_id, actor, k, s, &r, r.data, NULL);
		if (judged != 0 && judged != AIMS_EFORBIDDEN && judged != AIMS_ECONFLICT) {
			rc = judged;
			goto done;
		}
		json_array_append_new(*out, json_pack("{s:s, s:s, s:s?, s:s, s:b, s:s?, s:s?}",
		    "action", s->action, "label", s->label, "from", s->from, "to", s->to,
		    "allowed", judged == 0, "reason", judged == 0 ? NULL : why,
		    "confirm", s->confirm));
	}
done:
	record__row_free(&r);
	if (rc != 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int
record_step_take(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *ref, int64_t if_version, const char *action)
{
	const struct record_step *s = record_step_find(k, action);
	json_t *patch, *cur = NULL;
	const char *from;
	int rc;

	*out = NULL;
	if (s == NULL)
		return aims_error_set(AIMS_EINVALID, "action", "%s has no step '%s'%s", k->plural,
		    action ? action : "", k->workflow ? "" : " (they have no workflow)");
	if ((rc = record_get(&cur, db, org_id, k, ref)) != 0)
		return rc;
	from = workflow_state(k->workflow, cur);
	if (json_is_true(json_object_get(cur, "retired")) ||
	    !workflow_step_applies(k->workflow, s, from)) {
		rc = aims_error_set(AIMS_ECONFLICT, k->workflow->field,
		    "'%s' is not a step this %s can take now: it is %s", s->label, k->singular,
		    json_is_true(json_object_get(cur, "retired")) ? "retired" : from);
		json_decref(cur);
		return rc;
	}
	json_decref(cur);
	patch = json_pack("{s:s}", k->workflow->field, s->to);
	rc = record_update(out, db, org_id, actor, k, ref, if_version, patch);
	json_decref(patch);
	return rc;
}

static bool
workflow_has_value(const struct field *f, const char *v)
{
	const char *const *e;

	for (e = f->values; v && e && *e; e++)
		if (strcmp(*e, v) == 0)
			return true;
	return false;
}

static int
workflow_check_signed(const struct record_kind *k, const char *name)
{
	const struct field *f = name ? record_field_find(k, name) : NULL;

	if (f == NULL || !(f->flags & FIELD_READONLY))
		return aims_error_set(AIMS_EINVALID, "workflow",
		    "kind %s: sign-off field '%s' must be a declared read-only field", k->name,
		    name ? name : "(none)");
	return 0;
}

static int
workflow_check_step(const struct record_kind *k, const struct field *st,
    const struct record_step *s, bool *signs_approval)
{
	const struct record_workflow *w = k->workflow;
	const struct record_step *t;
	int rc;

	if (s->label == NULL || *s->label == '\0')
		return aims_error_set(AIMS_EINVALID, "workflow", "kind %s: step '%s' has no label",
		    k->name, s->action);
	if ((s->from && !workflow_has_value(st, s->from)) || !workflow_has_value(st, s->to))
		return aims_error_set(AIMS_EINVALID, "workflow",
		    "kind %s: step '%s' names a state that field '%s' does not allow", k->name,
		    s->action, w->field);
	for (t = s + 1; t->action; t++)
		if (strcmp(s->action, t->action) == 0)
			return aims_error_set(AIMS_EINVALID, "workflow",
			    "kind %s: two steps are called '%s'", k->name, s->action);
	if (s->signoff == RECORD_SIGNOFF_NONE)
		return 0;
	if (s->perm != PERM_APPROVE)
		return aims_error_set(AIMS_EINVALID, "workflow",
		    "kind %s: sign-off step '%s' must need the approve permission", k->name,
		    s->action);
	if ((rc = workflow_check_signed(k, w->signed_by)) != 0 ||
	    (rc = workflow_check_signed(k, w->signed_at)) != 0)
		return rc;
	if (w->approved && str_eq(s->to, w->approved))
		*signs_approval = true;
	return 0;
}

int
record_workflow_check(const struct record_kind *k)
{
	const struct record_workflow *w = k->workflow;
	const struct field *st;
	const struct record_step *s;
	const char *const *f;
	bool signs_approval = false;
	int rc;

	if (w == NULL)
		return 0;
	st = w->field ? record_field_find(k, w->field) : NULL;
	if (st == NULL || st->type != FIELD_ENUM)
		return aims_error_set(AIMS_EINVALID, "workflow",
		    "kind %s: the workflow's state field must be a declared enum field", k->name);
	if (!workflow_has_value(st, w->initial) || (w->approved &&
	    (!workflow_has_value(st, w->approved) || !workflow_has_value(st, w->revert))) ||
	    (w->final && !workflow_has_value(st, w->final)))
		return aims_error_set(AIMS_EINVALID, "workflow",
		    "kind %s: a state of the workflow is not a value of field '%s'", k->name,
		    w->field);
	for (f = w->free_fields; f && *f; f++)
		if (record_field_find(k, *f) == NULL)
			return aims_error_set(AIMS_EINVALID, "workflow",
			    "kind %s: free field '%s' is not declared", k->name, *f);
	for (s = w->steps; s && s->action; s++)
		if ((rc = workflow_check_step(k, st, s, &signs_approval)) != 0)
			return rc;
	if (w->approved && !signs_approval)
		return aims_error_set(AIMS_EINVALID, "workflow",
		    "kind %s: no sign-off step reaches the approved state '%s'", k->name,
		    w->approved);
	return 0;
}
