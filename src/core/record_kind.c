/*
 * record_kind.c - questions about a kind's declaration that every front-end
 * asks (is this status finished, what the navigation calls it, which kind
 * holds files), the check that a declaration is whole, and the declaration
 * as JSON for `aims record kinds`. Answering here keeps the pages, the API,
 * the dashboard and the CLI from keeping their own tables of kinds.
 */
#include <string.h>

#include "core/record_counts.h"
#include "core/record_private.h"
#include "util/clock.h"
#include "util/error.h"

bool
record_kind_is_done(const struct record_kind *k, const char *status)
{
	const char *const *d;

	for (d = k->done; status != NULL && d != NULL && *d != NULL; d++)
		if (strcmp(*d, status) == 0)
			return true;
	return false;
}

const char *
record_kind_nav_label(const struct record_kind *k)
{
	return k->nav_label != NULL ? k->nav_label : k->plural;
}

const struct record_kind *
record_kind_by_nav_key(char key)
{
	const struct record_kind *const *k;

	for (k = record_kinds; key != 0 && (*k)->name != NULL; k++)
		if ((*k)->nav_key == key)
			return *k;
	return NULL;
}

const struct record_kind *
record_kind_with_files(void)
{
	const struct record_kind *const *k;

	for (k = record_kinds; (*k)->name != NULL; k++)
		if ((*k)->files)
			return *k;
	return NULL;
}

const struct record_kind *
record_kind_with_evidence(void)
{
	const struct record_kind *const *k;

	for (k = record_kinds; (*k)->name != NULL; k++)
		if ((*k)->evidence_for != NULL)
			return *k;
	return NULL;
}

static bool
kind_has_value(const struct field *f, const char *value)
{
	const char *const *v;

	for (v = f != NULL ? f->values : NULL; v != NULL && *v != NULL; v++)
		if (strcmp(*v, value) == 0)
			return true;
	return false;
}

/* A top-level or one-level nested ("treatment.option") field. */
static const struct field *
kind_field_path(const struct record_kind *k, const char *path)
{
	const char *dot = strchr(path, '.');
	const struct field *f, *sub;
	char head[RECORD_PATH_MAX];

	if (dot == NULL)
		return record_field_find(k, path);
	if ((size_t)(dot - path) >= sizeof(head))
		return NULL;
	memcpy(head, path, (size_t)(dot - path));
	head[dot - path] = '\0';
	if ((f = record_field_find(k, head)) == NULL || f->type != FIELD_OBJECT)
		return NULL;
	for (sub = f->subfields; sub != NULL && sub->name != NULL; sub++)
		if (strcmp(sub->name, dot + 1) == 0)
			return sub;
	return NULL;
}

/* One value a record is counted under: not a list, not an object. */
static bool
kind_field_scalar(const struct field *f)
{
	switch (f->type) {
	case FIELD_ENUM_LIST:
	case FIELD_STRING_LIST:
	case FIELD_REF_LIST:
	case FIELD_REQUIREMENT_LIST:
	case FIELD_OBJECT_LIST:
	case FIELD_OBJECT:
		return false;
	default:
		return true;
	}
}

static int
kind_check_counts(const struct record_kind *k)
{
	const struct record_count *c;
	const struct field *f;
	int i;

	for (c = k->counts; c != NULL && c->dim != NULL; c++) {
		if (strcmp(c->dim, "status") == 0 || strcmp(c->dim, RECORD_COUNT_IN_FORCE) == 0)
			return aims_error_set(AIMS_EINVALID, "counts", "kind %s: '%s' is always "
			    "counted; a count of that name repeats it", k->name, c->dim);
		if (c->label == NULL)
			return aims_error_set(AIMS_EINVALID, "counts",
			    "kind %s: count '%s' has no label", k->name, c->dim);
		if (c->value == NULL && c->fields[0] == NULL)
			return aims_error_set(AIMS_EINVALID, "counts", "kind %s: count '%s' names "
			    "no field and has no value function", k->name, c->dim);
		for (i = 0; i < 2; i++) {
			if (c->fields[i] == NULL)
				continue;
			if ((f = kind_field_path(k, c->fields[i])) == NULL)
				return aims_error_set(AIMS_EINVALID, "counts", "kind %s: count "
				    "'%s' names field '%s', which the kind does not declare",
				    k->name, c->dim, c->fields[i]);
			if (!kind_field_scalar(f))
				return aims_error_set(AIMS_EINVALID, "counts", "kind %s: count "
				    "'%s' counts one value per record; field '%s' holds several",
				    k->name, c->dim, c->fields[i]);
		}
		if (c->chart == RECORD_CHART_BARS && (c->fields[0] == NULL ||
		    !(record_field_find(k, c->fields[0]) != NULL &&
		    (record_field_find(k, c->fields[0])->flags & FIELD_FILTER))))
			return aims_error_set(AIMS_EINVALID, "counts", "kind %s: the bars of "
			    "count '%s' link to the list filtered by its field, which must be "
			    "a filterable field", k->name, c->dim);
	}
	return 0;
}

static bool
kind_is_datetime(const struct record_kind *k, const char *name)
{
	const struct field *f = name != NULL ? record_field_find(k, name) : NULL;

	return f != NULL && f->type == FIELD_DATETIME;
}

static int
kind_check_deadline(const struct record_kind *k)
{
	const struct record_deadline *d = k->deadline;

	if (d == NULL)
		return 0;
	if (!kind_is_datetime(k, d->field) || !(record_field_find(k, d->field)->flags &
	    FIELD_READONLY) || !kind_is_datetime(k, d->met_by) || d->what == NULL ||
	    (d->to != NULL && record_field_find(k, d->to) == NULL))
		return aims_error_set(AIMS_EINVALID, "deadline", "kind %s: the deadline must "
		    "name a read-only date-time field, the date-time field that meets it, and "
		    "what is due", k->name);
	return 0;
}

enum record_deadline_state
record_deadline_state(const struct record_kind *k, const json_t *record, time_t now,
    time_t *due, time_t *met)
{
	const char *d, *m;

	*due = *met = 0;
	if (k->deadline == NULL ||
	    (d = json_string_value(json_object_get(record, k->deadline->field))) == NULL ||
	    clock_parse(due, d) != 0)
		return RECORD_DEADLINE_NONE;
	if ((m = json_string_value(json_object_get(record, k->deadline->met_by))) != NULL &&
	    clock_parse(met, m) == 0)
		return *met <= *due ? RECORD_DEADLINE_MET : RECORD_DEADLINE_LATE;
	*met = 0;
	return now <= *due ? RECORD_DEADLINE_OPEN : RECORD_DEADLINE_MISSED;
}

int
record_kind_check(const struct record_kind *k)
{
	const struct field *f, *status;
	const struct record_due *d;
	const struct record_view *v;
	const char *const *s;
	int rc;

	if (k->name == NULL || k->singular == NULL || k->plural == NULL || k->prefix == NULL ||
	    k->clause == NULL || k->perm_kind == NULL || k->fields == NULL)
		return aims_error_set(AIMS_EINVALID, "name", "kind %s: name, singular, plural, "
		    "prefix, clause, perm_kind and fields are all required",
		    k->name != NULL ? k->name : "(unnamed)");
	if (k->section == NULL || *k->section == '\0')
		return aims_error_set(AIMS_EINVALID, "section",
		    "kind %s has no navigation section", k->name);
	if (record_title_field(k) == NULL && k->ref_field == NULL && !k->singleton)
		return aims_error_set(AIMS_EINVALID, "fields",
		    "kind %s has no title field", k->name);
	for (f = k->fields; f->name != NULL; f++)
		if (f->label == NULL)
			return aims_error_set(AIMS_EINVALID, "fields",
			    "kind %s: field '%s' has no label", k->name, f->name);
	status = record_field_find(k, "status");
	for (s = k->done; s != NULL && *s != NULL; s++)
		if (!kind_has_value(status, *s))
			return aims_error_set(AIMS_EINVALID, "done", "kind %s: done state '%s' "
			    "is not a value of its status field", k->name, *s);
	for (d = k->due; d != NULL && d->field != NULL; d++) {
		f = record_field_find(k, d->field);
		if (f == NULL || f->type != FIELD_DATE ||
		    !(f->flags & (FIELD_FILTER | FIELD_SORT)) || d->what == NULL)
			return aims_error_set(AIMS_EINVALID, "due", "kind %s: due field '%s' "
			    "must be a filterable or sortable date field, with what is due",
			    k->name, d->field);
		if (d->who != NULL && ((f = record_field_find(k, d->who)) == NULL ||
		    f->type != FIELD_USER))
			return aims_error_set(AIMS_EINVALID, "due", "kind %s: due field '%s' "
			    "names '%s' as who does it, which is not a user field", k->name,
			    d->field, d->who);
		if (d->until_done && k->done == NULL)
			return aims_error_set(AIMS_EINVALID, "due", "kind %s: due field '%s' "
			    "ends when the record is done, but the kind has no done states",
			    k->name, d->field);
	}
	for (d = k->events; d != NULL && d->field != NULL; d++) {
		f = record_field_find(k, d->field);
		if (f == NULL || f->type != FIELD_DATE ||
		    !(f->flags & (FIELD_FILTER | FIELD_SORT)) || d->what == NULL)
			return aims_error_set(AIMS_EINVALID, "events", "kind %s: event field '%s' "
			    "must be a filterable or sortable date field, with what it is",
			    k->name, d->field);
	}
	if (k->nav_view != NULL && ((f = record_field_find(k, k->nav_view->filter)) == NULL ||
	    !(f->flags & FIELD_FILTER)))
		return aims_error_set(AIMS_EINVALID, "nav_view", "kind %s: the navigation view "
		    "filters by '%s', which is not a filterable field", k->name,
		    k->nav_view->filter != NULL ? k->nav_view->filter : "");
	if (k->evidence_for != NULL && ((f = record_field_find(k, k->evidence_for)) == NULL ||
	    f->type != FIELD_REQUIREMENT_LIST || !(f->flags & FIELD_FILTER)))
		return aims_error_set(AIMS_EINVALID, "evidence_for", "kind %s: evidence_for "
		    "must name a filterable requirement-list field", k->name);
	if ((rc = kind_check_counts(k)) != 0 || (rc = kind_check_deadline(k)) != 0)
		return rc;
	for (v = k->views; v != NULL && v->path != NULL; v++)
		if (v->label == NULL || strchr(v->path, '/') != NULL || strcmp(v->path, "edit") == 0 ||
		    strcmp(v->path, "workflow") == 0 || strcmp(v->path, "delete") == 0 ||
		    strcmp(v->path, "download") == 0)
			return aims_error_set(AIMS_EINVALID, "views", "kind %s: view '%s' needs a "
			    "label and a path of one segment that is not a page of every record "
			    "(edit, workflow, delete, download)", k->name, v->path);
	return record_workflow_check(k);
}

static const char *const field_type_names[] = {
	[FIELD_STRING] = "string", [FIELD_TEXT] = "text", [FIELD_BOOL] = "bool",
	[FIELD_INT] = "int", [FIELD_ENUM] = "enum", [FIELD_ENUM_LIST] = "enum-list",
	[FIELD_DATE] = "date", [FIELD_DATETIME] = "datetime",
	[FIELD_STRING_LIST] = "string-list", [FIELD_REF] = "ref", [FIELD_REF_LIST] = "ref-list",
	[FIELD_REQUIREMENT] = "requirement", [FIELD_REQUIREMENT_LIST] = "requirement-list",
	[FIELD_USER] = "user", [FIELD_OBJECT_LIST] = "object-list", [FIELD_OBJECT] = "object",
};

static const struct {
	int		 flag;
	const char	*name;
} field_flag_names[] = {
	{ FIELD_REQUIRED, "required" }, { FIELD_READONLY, "read-only" },
	{ FIELD_SEARCH, "search" }, { FIELD_FILTER, "filter" }, { FIELD_SORT, "sort" },
	{ FIELD_LIST, "list" }, { FIELD_TITLE, "title" }, { FIELD_MANAGER, "manager-only" },
	{ FIELD_TICKED, "ticked-on-new" },
};

const char *
record_field_type_name(enum field_type t)
{
	return (size_t)t < sizeof(field_type_names) / sizeof(field_type_names[0]) ?
	    field_type_names[t] : "unknown";
}

static json_t *
kind_strings(const char *const *v)
{
	json_t *a = json_array();

	for (; v != NULL && *v != NULL; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

static json_t *
kind_fields(const struct field *fields)
{
	json_t *arr = json_array(), *o, *flags;
	const struct field *f;
	size_t i;

	for (f = fields; f != NULL && f->name != NULL; f++) {
		flags = json_array();
		for (i = 0; i < sizeof(field_flag_names) / sizeof(field_flag_names[0]); i++)
			if (f->flags & field_flag_names[i].flag)
				json_array_append_new(flags, json_string(field_flag_names[i].name));
		o = json_pack("{s:s, s:s, s:s, s:o}", "name", f->name, "label", f->label,
		    "type", record_field_type_name(f->type), "flags", flags);
		if (f->values != NULL)
			json_object_set_new(o, "values", kind_strings(f->values));
		if (f->target != NULL)
			json_object_set_new(o, "target", json_string(f->target));
		if (f->req_kinds != NULL)
			json_object_set_new(o, "requirement_kinds", json_string(f->req_kinds));
		if (f->type == FIELD_INT && (f->min != 0 || f->max != 0))
			json_object_set_new(o, "range", json_pack("[I, I]", (json_int_t)f->min,
			    (json_int_t)f->max));
		if ((f->type == FIELD_STRING || f->type == FIELD_TEXT) && f->max > 0)
			json_object_set_new(o, "max_length", json_integer(f->max));
		if (f->help != NULL)
			json_object_set_new(o, "help", json_string(f->help));
		if (f->section != NULL)
			json_object_set_new(o, "section", json_string(f->section));
		if (f->subfields != NULL)
			json_object_set_new(o, "fields", kind_fields(f->subfields));
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *
record_kind_describe(const struct record_kind *k)
{
	const struct record_count *c;
	const struct record_due *d;
	json_t *o, *due = json_array(), *counts = json_array(), *nav, *cf;
	char key[2] = { k->nav_key, '\0' };

	for (d = k->due; d != NULL && d->field != NULL; d++)
		json_array_append_new(due, json_pack("{s:s, s:s, s:b, s:s?, s:b}", "field",
		    d->field, "what", d->what, "until_done", d->until_done, "who", d->who,
		    "calendar", d->calendar));
	json_array_append_new(counts, json_pack("{s:s, s:s, s:[s]}", "dim", "status", "label",
	    "by status", "fields", "status"));
	for (c = k->counts; c != NULL && c->dim != NULL; c++) {
		cf = json_array();
		if (c->fields[0] != NULL)
			json_array_append_new(cf, json_string(c->fields[0]));
		if (c->fields[1] != NULL)
			json_array_append_new(cf, json_string(c->fields[1]));
		json_array_append_new(counts, json_pack("{s:s, s:s, s:o, s:s}", "dim", c->dim,
		    "label", c->label, "fields", cf, "chart",
		    c->chart == RECORD_CHART_HEATMAP ? "heatmap" :
		    c->chart == RECORD_CHART_BARS ? "bars" : "none"));
	}
	nav = json_pack("{s:s, s:s, s:s}", "section", k->section, "label",
	    record_kind_nav_label(k), "path", k->name);
	if (k->nav_key != 0)
		json_object_set_new(nav, "key", json_string(key));
	if (k->nav_view != NULL)
		json_object_set_new(nav, "view", json_pack("{s:s, s:s?, s:s, s:s}", "label",
		    k->nav_view->label, "clause", k->nav_view->clause, "filter",
		    k->nav_view->filter, "value", k->nav_view->value));
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:o, s:o, s:o, s:o, "
	    "s:o}",
	    "name", k->name, "singular", k->singular, "plural", k->plural, "prefix", k->prefix,
	    "clause", k->clause, "permission", k->perm_kind, "singleton", k->singleton,
	    "fixed", k->fixed, "files", k->files, "retain", k->retain,
	    "fields", kind_fields(k->fields), "done", kind_strings(k->done), "due", due,
	    "counts", counts, "nav", nav);
	if (k->evidence_for != NULL)
		json_object_set_new(o, "evidence_for", json_string(k->evidence_for));
	if (k->views != NULL) {
		json_t *views = json_array();
		const struct record_view *v;

		for (v = k->views; v->path != NULL; v++)
			json_array_append_new(views, json_pack("{s:s, s:s, s:b}", "path", v->path,
			    "label", v->label, "writes", v->writes));
		json_object_set_new(o, "views", views);
	}
	if (k->deadline != NULL)
		json_object_set_new(o, "deadline", json_pack("{s:s, s:s, s:s?, s:s}", "field",
		    k->deadline->field, "met_by", k->deadline->met_by, "to", k->deadline->to,
		    "what", k->deadline->what));
	if (k->events != NULL) {
		json_t *events = json_array();

		for (d = k->events; d->field != NULL; d++)
			json_array_append_new(events, json_pack("{s:s, s:s}", "field", d->field,
			    "what", d->what));
		json_object_set_new(o, "events", events);
	}
	return o;
}
