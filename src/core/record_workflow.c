/*
 * record_workflow.c - status workflows with an approval step (documents,
 * scope, impact assessments). A step is a change of `status`; the allowed
 * steps are declared per kind. Approval needs a manager (and, where the kind
 * says so, someone other than the author) and records approved_by and
 * approved_at from the actor. Editing approved content starts a new
 * revision in the kind's revert status; the approved version stays in the
 * history unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/record_private.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"

static bool
workflow_is_meta(const char *key)
{
	static const char *const meta[] = {
		"ref", "version", "created_at", "updated_at", "created_by", "updated_by", "retired",
		"status", "approved_by", "approved_at", NULL,
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

	for (f = w->free_fields; f && *f; f++)
		if (strcmp(*f, key) == 0)
			return true;
	return workflow_is_meta(key);
}

/* True when a field outside the free ones differs between old and next. */
static bool
workflow_content_changed(const struct record_workflow *w, const json_t *old, const json_t *next)
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

static bool
workflow_step_allowed(const struct record_workflow *w, const char *from, const char *to)
{
	char want[128];
	const char *const *s;

	snprintf(want, sizeof(want), "%s>%s", from, to);
	for (s = w->steps; s && *s; s++)
		if (strcmp(*s, want) == 0)
			return true;
	return false;
}

static int
workflow_refuse_step(const struct record_workflow *w, const char *from, const char *to)
{
	struct buf b = BUF_INIT;
	const char *const *s;
	size_t n = strlen(from);
	int rc;

	for (s = w->steps; s && *s; s++)
		if (strncmp(*s, from, n) == 0 && (*s)[n] == '>')
			buf_printf(&b, "%s%s", b.len ? ", " : "", *s + n + 1);
	rc = aims_error_set(AIMS_ECONFLICT, "status",
	    "status cannot change from %s to %s (from %s it can go to: %s)", from, to, from,
	    b.len ? buf_str(&b) : "nothing");
	buf_free(&b);
	return rc;
}

static int
workflow_approve(const struct record_workflow *w, struct db *db, const struct actor *actor,
    const json_t *old, json_t *next)
{
	char now[CLOCK_RFC3339_LEN], *label = NULL;
	const char *author = record__str(old, "created_by");
	int rc;

	if (actor->role < ROLE_MANAGER)
		return aims_error_set(AIMS_EFORBIDDEN, "status",
		    "only a manager or an admin can approve");
	if (w->not_author && author && strcmp(author, actor->name) == 0)
		return aims_error_set(AIMS_EFORBIDDEN, "approved_by",
		    "the author (%s) cannot approve it: another manager must", author);
	if ((rc = record__actor_label(&label, db, actor)) != 0)
		return rc;
	clock_format(now, clock_now());
	json_object_set_new(next, "approved_by", json_string(label));
	json_object_set_new(next, "approved_at", json_string(now));
	free(label);
	return 0;
}

int
record__workflow_step(const struct record_workflow *w, struct db *db,
    const struct actor *actor, const json_t *old, json_t *next)
{
	const char *from, *to;

	to = record__str(next, "status");
	if (old == NULL) {
		if (to && strcmp(to, w->initial) != 0)
			return aims_error_set(AIMS_ECONFLICT, "status",
			    "a new record starts as %s; change its status afterwards", w->initial);
		json_object_set_new(next, "status", json_string(w->initial));
		return 0;
	}
	from = record__str(old, "status");
	if (from == NULL)
		from = w->initial;
	if (w->final && strcmp(from, w->final) == 0)
		return aims_error_set(AIMS_ECONFLICT, "status",
		    "it is %s and can no longer be changed", from);
	if (to == NULL) {
		json_object_set_new(next, "status", json_string(from));
		to = record__str(next, "status");
	}
	if (strcmp(from, w->approved) == 0 && strcmp(to, w->approved) == 0 &&
	    workflow_content_changed(w, old, next)) {
		/* A new revision: the approved version stays in the history. */
		json_object_set_new(next, "status", json_string(w->revert));
		to = record__str(next, "status");
	}
	if (strcmp(from, to) == 0)
		return 0;
	if (!workflow_step_allowed(w, from, to))
		return workflow_refuse_step(w, from, to);
	if (strcmp(to, w->approved) == 0)
		return workflow_approve(w, db, actor, old, next);
	if (strcmp(to, w->revert) == 0) {
		json_object_del(next, "approved_by");
		json_object_del(next, "approved_at");
	}
	return 0;
}
