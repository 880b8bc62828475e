/*
 * dashboard.c - the figures of the overview pages (see dashboard.h).
 *
 * Every figure follows the kinds' declarations (core/record.h): done states,
 * due dates, counted dimensions, evidence. The reads, whatever the
 * organisation's size, go through core (core/record_counts.h): two small
 * count reads, the risk criteria record, one index range per due-date field
 * and direction, the newest ledger entries with a title lookup each, and for
 * the SoA page its 38 entries with one capped index count per control.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/metric.h"
#include "core/query.h"
#include "core/record_counts.h"
#include "core/record.h"
#include "core/risk.h"
#include "core/soa.h"
#include "core/work.h"
#include "engine/dashboard.h"
#include "ledger/ledger.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"

#define DASH_DAY_LEN		11
#define DASH_SECONDS_PER_DAY	86400

static json_int_t
dash_int(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static json_t *
dash_areas(const json_t *counts, const json_t *dims)
{
	const struct record_kind *const *k;
	json_t *areas = json_array(), *a, *statuses, *n;
	char key[128];
	const char *status;
	json_int_t done;

	for (k = record_kinds; (*k)->name != NULL; k++) {
		if ((*k)->fixed || (*k)->singleton)
			continue;
		a = json_pack("{s:s, s:s, s:s, s:I}", "section", (*k)->section, "kind", (*k)->name,
		    "label", (*k)->plural, "count", dash_int(counts, (*k)->name));
		if ((*k)->done != NULL) {
			snprintf(key, sizeof(key), "%s/status", (*k)->name);
			statuses = json_object_get(dims, key);
			done = 0;
			json_object_foreach(statuses, status, n)
				if (record_kind_is_done(*k, status))
					done += json_integer_value(n);
			/*
			 * A record under revision keeps its approved version in force
			 * (readiness reads that one): it is done when approved is.
			 */
			if ((*k)->workflow != NULL && (*k)->workflow->approved != NULL &&
			    record_kind_is_done(*k, (*k)->workflow->approved)) {
				snprintf(key, sizeof(key), "%s/" RECORD_COUNT_IN_FORCE, (*k)->name);
				done += dash_int(json_object_get(dims, key),
				    RECORD_COUNT_IN_FORCE_YES);
			}
			json_object_set_new(a, "done", json_integer(done));
			json_object_set_new(a, "total", json_integer(dash_int(counts, (*k)->name)));
		}
		json_array_append_new(areas, a);
	}
	return areas;
}

static json_t *
dash_soa(const json_t *dims)
{
	const json_t *d = json_object_get(dims, SOA_KIND "/decision"), *n;
	json_int_t controls = 0, undecided = 0, applicable = 0, implemented = 0, v;
	const char *value;

	json_object_foreach((json_t *)d, value, n) {
		v = json_integer_value(n);
		controls += v;
		if (strcmp(value, "undecided") == 0)
			undecided += v;
		if (strncmp(value, "applicable:", 11) == 0)
			applicable += v;
		if (strcmp(value, "applicable:implemented") == 0)
			implemented += v;
	}
	return json_pack("{s:s, s:I, s:I, s:I, s:I}", "kind", SOA_KIND, "controls", controls,
	    "decided", controls - undecided, "applicable", applicable, "implemented",
	    implemented);
}

/* [{value, count}] of one dimension, largest first. */
static json_t *
dash_groups(const json_t *dims, const char *key)
{
	const json_t *d = json_object_get(dims, key), *n;
	json_t *arr = json_array(), *e;
	const char *value;
	size_t i;

	json_object_foreach((json_t *)d, value, n) {
		for (i = 0; i < json_array_size(arr); i++)
			if (dash_int(json_array_get(arr, i), "count") < json_integer_value(n))
				break;
		e = json_pack("{s:s, s:I}", "value", value, "count", json_integer_value(n));
		json_array_insert_new(arr, i, e);
	}
	return arr;
}

/* [{kind, dim, label, filter, groups}]: the declared bar charts, in kind order. */
static json_t *
dash_charts(const json_t *dims)
{
	const struct record_kind *const *k;
	const struct record_count *c;
	json_t *charts = json_array();
	char key[128];

	for (k = record_kinds; (*k)->name != NULL; k++)
		for (c = (*k)->counts; c != NULL && c->dim != NULL; c++) {
			if (c->chart != RECORD_CHART_BARS)
				continue;
			snprintf(key, sizeof(key), "%s/%s", (*k)->name, c->dim);
			json_array_append_new(charts, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}",
			    "kind", (*k)->name, "dim", c->dim, "label", c->label, "filter",
			    c->fields[0], "empty", (*k)->plural, "groups", dash_groups(dims, key)));
		}
	return charts;
}

/* rows x cols matrix of the "L:I" counts of one dimension. */
static json_t *
dash_matrix(const json_t *cells, int rows, int cols)
{
	json_t *m = json_array(), *row;
	char key[32];
	int r, c;

	for (r = 1; r <= rows; r++) {
		row = json_array();
		for (c = 1; c <= cols; c++) {
			snprintf(key, sizeof(key), "%d:%d", r, c);
			json_array_append_new(row, json_integer(dash_int(cells, key)));
		}
		json_array_append_new(m, row);
	}
	return m;
}

static json_t *
dash_labels(const json_t *given, int n)
{
	json_t *arr = json_array();
	char num[16];
	int i;

	for (i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(given, (size_t)i));

		snprintf(num, sizeof(num), "%d", i + 1);
		json_array_append_new(arr, json_string(s != NULL && *s != '\0' ? s : num));
	}
	return arr;
}

static int
dash_band_index(const struct risk_criteria *c, int score)
{
	const char *name = risk_criteria_level(c, score);
	int i;

	for (i = 0; name != NULL && i < c->nbands; i++)
		if (strcmp(c->bands[i].name, name) == 0)
			return i;
	return 0;
}

/* The kind whose counts are drawn as likelihood x impact heat maps, or NULL. */
static const struct record_kind *
dash_heatmap_kind(void)
{
	const struct record_kind *const *k;
	const struct record_count *c;

	for (k = record_kinds; (*k)->name != NULL; k++)
		for (c = (*k)->counts; c != NULL && c->dim != NULL; c++)
			if (c->chart == RECORD_CHART_HEATMAP)
				return *k;
	return NULL;
}

/*
 * The heat maps of the kind that declares them, on the organisation's risk
 * criteria: [{dim, label, filter_rows, filter_cols, cells}]; a map links its
 * cells to the list only where both its fields are top-level filters.
 */
static json_t *
dash_maps(const struct record_kind *k, const json_t *dims, const struct risk_criteria *c)
{
	const struct record_count *rc;
	const struct field *fr, *fc;
	json_t *maps = json_array(), *m;
	char key[128];

	for (rc = k->counts; rc != NULL && rc->dim != NULL; rc++) {
		if (rc->chart != RECORD_CHART_HEATMAP)
			continue;
		snprintf(key, sizeof(key), "%s/%s", k->name, rc->dim);
		m = json_pack("{s:s, s:s, s:o}", "dim", rc->dim, "label", rc->label, "cells",
		    dash_matrix(json_object_get(dims, key), c->nlikelihood, c->nimpact));
		fr = rc->fields[0] != NULL ? record_field_find(k, rc->fields[0]) : NULL;
		fc = rc->fields[1] != NULL ? record_field_find(k, rc->fields[1]) : NULL;
		if (fr != NULL && fc != NULL && (fr->flags & FIELD_FILTER) &&
		    (fc->flags & FIELD_FILTER)) {
			json_object_set_new(m, "filter_rows", json_string(fr->name));
			json_object_set_new(m, "filter_cols", json_string(fc->name));
		}
		json_array_append_new(maps, m);
	}
	return maps;
}

static int
dash_risk(json_t **out, struct db *db, int64_t org_id, const json_t *dims)
{
	const struct record_kind *k = dash_heatmap_kind();
	json_t *rec = NULL, *bands, *row, *names;
	struct risk_criteria c;
	int rc, l, i;

	*out = NULL;
	if (k == NULL)
		return 0;
	if ((rc = risk_criteria_get(&rec, db, org_id)) != 0)
		return rc == AIMS_ENOTFOUND ? 0 : rc;
	if ((rc = risk_criteria_parse(&c, rec)) != 0) {
		json_decref(rec);
		return rc;
	}
	bands = json_array();
	for (l = 1; l <= c.nlikelihood; l++) {
		row = json_array();
		for (i = 1; i <= c.nimpact; i++)
			json_array_append_new(row, json_integer(dash_band_index(&c,
			    risk_criteria_score(&c, l, i))));
		json_array_append_new(bands, row);
	}
	names = json_array();
	for (i = 0; i < c.nbands; i++)
		json_array_append_new(names, json_string(c.bands[i].name));
	*out = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "kind", k->name,
	    "likelihood_labels", dash_labels(json_object_get(rec, "likelihood_labels"),
	    c.nlikelihood),
	    "impact_labels", dash_labels(json_object_get(rec, "impact_labels"), c.nimpact),
	    "band_labels", names, "bands", bands, "maps", dash_maps(k, dims, &c));
	json_decref(rec);
	return 0;
}

/* Inserts e into arr kept in date order (descending when newest_first); caps at max. */
static void
dash_due_insert(json_t *arr, json_t *e, bool newest_first)
{
	const char *date = json_string_value(json_object_get(e, "date"));
	size_t i;
	int cmp;

	for (i = 0; i < json_array_size(arr); i++) {
		cmp = strcmp(date, json_string_value(json_object_get(json_array_get(arr, i),
		    "date")));
		if (newest_first ? cmp > 0 : cmp < 0)
			break;
	}
	if (i < DASHBOARD_DUE_MAX)
		json_array_insert_new(arr, i, e);
	else
		json_decref(e);
	while (json_array_size(arr) > DASHBOARD_DUE_MAX)
		json_array_remove(arr, DASHBOARD_DUE_MAX);
}

struct dash_due_walk {
	json_t				*into;
	const struct record_kind	*k;
	const struct record_due		*d;
	bool				 overdue;
};

static int
dash_due_row(void *arg, const char *ref, const char *title, const char *date)
{
	struct dash_due_walk *w = arg;

	dash_due_insert(w->into, json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", w->k->name,
	    "ref", ref, "title", title, "what", w->d->what, "date", date), w->overdue);
	return 0;
}

/*
 * Every declared due date in the coming DASHBOARD_DUE_DAYS (nearest first)
 * and in the past (the most recently missed first).
 */
static int
dash_due_all(json_t *d, struct db *db, int64_t org_id, time_t now)
{
	char today[CLOCK_RFC3339_LEN], until[CLOCK_RFC3339_LEN];
	json_t *upcoming = json_array(), *overdue = json_array();
	const struct record_kind *const *k;
	const struct record_due *due;
	struct dash_due_walk w;
	int rc = 0;

	clock_format(today, now);
	clock_format(until, now + (time_t)DASHBOARD_DUE_DAYS * DASH_SECONDS_PER_DAY);
	today[DASH_DAY_LEN - 1] = '\0';
	until[DASH_DAY_LEN - 1] = '\0';
	json_object_set_new(d, "upcoming", upcoming);
	json_object_set_new(d, "overdue", overdue);
	for (k = record_kinds; (*k)->name != NULL && rc == 0; k++)
		for (due = (*k)->due; due != NULL && due->field != NULL && rc == 0; due++) {
			w = (struct dash_due_walk){ upcoming, *k, due, false };
			if ((rc = record_due_between(db, org_id, *k, due, today, until, false,
			    DASHBOARD_DUE_MAX, dash_due_row, &w)) != 0)
				break;
			w = (struct dash_due_walk){ overdue, *k, due, true };
			rc = record_due_between(db, org_id, *k, due, "0", today, true,
			    DASHBOARD_DUE_MAX, dash_due_row, &w);
		}
	return rc;
}

struct dash_activity {
	struct db	*db;
	json_t		*items;
	int		 rc;
};

static int
dash_activity_entry(void *arg, const struct ledger_entry *e)
{
	struct dash_activity *a = arg;
	char *title = NULL;

	if ((a->rc = record_title_of(&title, a->db, e->org_id, e->kind, e->ref)) != 0)
		return a->rc;
	json_array_append_new(a->items, json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s}", "time",
	    e->time, "actor", e->actor, "action", e->action, "kind", e->kind, "ref", e->ref,
	    "title", title != NULL ? title : ""));
	free(title);
	return 0;
}

static int
dash_activity(json_t *d, struct db *db, int64_t org_id)
{
	struct dash_activity a = { db, json_array(), 0 };
	int rc;

	json_object_set_new(d, "activity", a.items);
	rc = ledger_list(db, org_id, DASHBOARD_ACTIVITY_MAX, dash_activity_entry, &a);
	return rc != 0 ? rc : a.rc;
}

/*
 * The metrics that need attention: a last reading past the warning or
 * breach threshold, or no reading within the expected interval (stale).
 */
static int
dash_monitoring(json_t *d, struct db *db, int64_t org_id, time_t now)
{
	json_t *all = NULL, *attention = json_array(), *m;
	const char *state;
	size_t i;
	int rc;

	if ((rc = metric_status(&all, db, org_id, NULL, NULL, now)) != 0) {
		json_decref(attention);
		return rc;
	}
	json_array_foreach(all, i, m) {
		state = json_string_value(json_object_get(m, "state"));
		if (json_is_true(json_object_get(m, "stale")) ||
		    (state != NULL && (strcmp(state, "breach") == 0 || strcmp(state, "warn") == 0)))
			json_array_append(attention, m);
	}
	json_object_set_new(d, "monitoring", json_pack("{s:I, s:o}", "metrics",
	    (json_int_t)json_array_size(all), "attention", attention));
	json_decref(all);
	return 0;
}

/* The next external audit of the certification cycle and the days to it (or null). */
static int
dash_next_audit(json_t *d, struct db *db, int64_t org_id, time_t now)
{
	json_t *event = NULL;
	int64_t days;
	int rc;

	if ((rc = work_next_event(&days, &event, db, org_id, now)) != 0)
		return rc;
	if (event != NULL)
		json_object_set_new(event, "days", json_integer(days));
	json_object_set_new(d, "next_external_audit", event != NULL ? event : json_null());
	return 0;
}

int
dashboard_compute(json_t **out, struct db *db, int64_t org_id, time_t now)
{
	json_t *d = json_object(), *counts = NULL, *dims = NULL, *risk = NULL;
	int rc;

	*out = NULL;
	if ((rc = record_counts_live(&counts, db, org_id)) != 0 ||
	    (rc = record_counts_dims(&dims, db, org_id)) != 0 ||
	    (rc = dash_risk(&risk, db, org_id, dims)) != 0)
		goto done;
	json_object_set_new(d, "areas", dash_areas(counts, dims));
	json_object_set_new(d, "soa", dash_soa(dims));
	if (risk != NULL)
		json_object_set_new(d, "risk", risk);
	risk = NULL;
	json_object_set_new(d, "charts", dash_charts(dims));
	if ((rc = dash_due_all(d, db, org_id, now)) != 0 || (rc = dash_activity(d, db, org_id)) != 0 ||
	    (rc = dash_monitoring(d, db, org_id, now)) != 0 ||
	    (rc = dash_next_audit(d, db, org_id, now)) != 0)
		goto done;
	*out = d;
	d = NULL;
done:
	json_decref(d);
	json_decref(counts);
	json_decref(dims);
	json_decref(risk);
	return rc;
}

/* ---- the Statement of Applicability page --------------------------------- */

struct dash_versions {
	json_t	*by_ref;
};

static int
dash_version_of(void *arg, const struct query_record *rec)
{
	struct dash_versions *v = arg;

	json_object_set_new(v->by_ref, rec->ref, json_integer(rec->version));
	return 0;
}

/* Live records that are evidence of control, over the kinds that declare evidence_for. */
static int
dash_evidence_count(int64_t *out, struct db *db, int64_t org_id, const char *control)
{
	const struct record_kind *const *k;
	int64_t n;
	int rc;

	*out = 0;
	for (k = record_kinds; (*k)->name != NULL && *out < DASHBOARD_EVIDENCE_CAP; k++) {
		if ((*k)->evidence_for == NULL)
			continue;
		if ((rc = record_count_with(&n, db, org_id, *k, (*k)->evidence_for, control,
		    DASHBOARD_EVIDENCE_CAP - *out)) != 0)
			return rc;
		*out += n;
	}
	return 0;
}

static json_t *
dash_area_titles(const json_t *areas)
{
	json_t *titles = json_object(), *a;
	size_t i;

	json_array_foreach(areas, i, a)
		json_object_set(titles, json_string_value(json_object_get(a, "id")),
		    json_object_get(a, "title"));
	return titles;
}

int
dashboard_soa(json_t **out, struct db *db, int64_t org_id)
{
	struct dash_versions v = { json_object() };
	json_t *rows = NULL, *areas = NULL, *titles = NULL, *row;
	const char *ctl, *area;
	int64_t n;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = soa_rows(&rows, db, org_id)) != 0 ||
	    (rc = catalog_list(&areas, db, SOA_FRAMEWORK, "area")) != 0 ||
	    (rc = query_records_each(db, org_id, SOA_KIND, dash_version_of, &v)) != 0)
		goto done;
	titles = dash_area_titles(areas);
	json_array_foreach(rows, i, row) {
		ctl = json_string_value(json_object_get(row, "control"));
		area = json_string_value(json_object_get(row, "area"));
		if ((rc = dash_evidence_count(&n, db, org_id, ctl)) != 0)
			goto done;
		json_object_set_new(row, "evidence_count", json_integer(n));
		json_object_set(row, "version", json_object_get(v.by_ref, ctl));
		if (area != NULL && json_object_get(titles, area) != NULL)
			json_object_set(row, "area_title", json_object_get(titles, area));
	}
	*out = rows;
	rows = NULL;
done:
	json_decref(rows);
	json_decref(areas);
	json_decref(titles);
	json_decref(v.by_ref);
	return rc;
}
