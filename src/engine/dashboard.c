/*
 * dashboard.c - the figures of the overview pages (see dashboard.h).
 *
 * The reads, whatever the organisation's size: record_counts and
 * dashboard_counts (two small range reads), the risk criteria record, one
 * index range per due-date field and direction, the newest ledger entries
 * with a title lookup each, and for the SoA page its 38 entries with one
 * capped index count per control.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/query.h"
#include "core/record.h"
#include "core/risk.h"
#include "core/soa.h"
#include "engine/dashboard.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"

#define DASH_DAY_LEN		11
#define DASH_SECONDS_PER_DAY	86400

/* Which statuses mean a record of a kind is finished (done / total). */
static const struct {
	const char	*kind;
	const char	*done[4];
} dash_done[] = {
	{ "scope", { "approved" } },
	{ "documents", { "approved" } },
	{ "impact-assessments", { "approved" } },
	{ "risks", { "treated", "accepted", "closed" } },
	{ "measures", { "implemented" } },
};

/* Dates that something is due by, and what is due. */
static const struct {
	const char	*kind;
	const char	*field;
	const char	*what;
} dash_due[] = {
	{ "documents", "next_review", "review" },
	{ "risks", "next_review", "risk review" },
	{ "impact-assessments", "next_assessment", "reassessment" },
	{ "suppliers", "next_assessment", "supplier assessment" },
	{ "evidence", "valid_until", "evidence expires" },
};

static bool
dash_is_done(const char *kind, const char *status)
{
	size_t i, j;

	for (i = 0; i < sizeof(dash_done) / sizeof(dash_done[0]); i++)
		if (strcmp(dash_done[i].kind, kind) == 0)
			for (j = 0; j < 4 && dash_done[i].done[j] != NULL; j++)
				if (strcmp(dash_done[i].done[j], status) == 0)
					return true;
	return false;
}

static bool
dash_has_done(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(dash_done) / sizeof(dash_done[0]); i++)
		if (strcmp(dash_done[i].kind, kind) == 0)
			return true;
	return false;
}

/* {kind: live count} from record_counts. */
static int
dash_counts(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = json_object();
	if ((rc = db_prepare(&st, db, "SELECT kind, live FROM record_counts WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW)
		json_object_set_new(*out, db_column_text(st, 0), json_integer(db_column_int64(st, 1)));
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* {"kind/dim": {value: n}} from dashboard_counts. */
static int
dash_dims(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	char key[128];
	json_t *d;
	int rc;

	*out = json_object();
	if ((rc = db_prepare(&st, db, "SELECT kind, dim, value, n FROM dashboard_counts "
	    "WHERE org_id = ? AND n > 0")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(key, sizeof(key), "%s/%s", db_column_text(st, 0), db_column_text(st, 1));
		if ((d = json_object_get(*out, key)) == NULL)
			json_object_set_new(*out, key, d = json_object());
		json_object_set_new(d, db_column_text(st, 2), json_integer(db_column_int64(st, 3)));
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

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
		a = json_pack("{s:s, s:s, s:s, s:I}", "section", (*k)->section ? (*k)->section : "",
		    "kind", (*k)->name, "label", (*k)->plural, "count",
		    dash_int(counts, (*k)->name));
		if (dash_has_done((*k)->name)) {
			snprintf(key, sizeof(key), "%s/status", (*k)->name);
			statuses = json_object_get(dims, key);
			done = 0;
			json_object_foreach(statuses, status, n)
				if (dash_is_done((*k)->name, status))
					done += json_integer_value(n);
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
	const json_t *d = json_object_get(dims, "soa/decision"), *n;
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
	return json_pack("{s:I, s:I, s:I, s:I}", "controls", controls, "decided",
	    controls - undecided, "applicable", applicable, "implemented", implemented);
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

static int
dash_risk(json_t **out, struct db *db, int64_t org_id, const json_t *dims)
{
	json_t *rec = NULL, *bands, *row, *names;
	struct risk_criteria c;
	int rc, l, i;

	*out = NULL;
	if ((rc = record_get(&rec, db, org_id, record_kind_find("risk-criteria"), NULL)) != 0)
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
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
	    "likelihood_labels", dash_labels(json_object_get(rec, "likelihood_labels"),
	    c.nlikelihood),
	    "impact_labels", dash_labels(json_object_get(rec, "impact_labels"), c.nimpact),
	    "band_labels", names, "bands", bands,
	    "inherent", dash_matrix(json_object_get(dims, "risks/inherent"), c.nlikelihood,
	    c.nimpact),
	    "residual", dash_matrix(json_object_get(dims, "risks/residual"), c.nlikelihood,
	    c.nimpact));
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

/*
 * Due dates of one field in [from, to): the nearest first, or for the past
 * (overdue) the most recently missed first.
 */
static int
dash_due_field(json_t *into, struct db *db, int64_t org_id, size_t d, const char *from,
    const char *to, bool overdue)
{
	struct db_stmt *st = NULL;
	int rc;

	rc = db_prepare(&st, db, overdue ?
	    "SELECT r.ref, r.title, f.value FROM record_fields f JOIN records r "
	    "ON r.org_id = f.org_id AND r.kind = f.kind AND r.num = f.num "
	    "WHERE f.org_id = ? AND f.kind = ? AND f.field = ? AND f.live = 1 "
	    "AND f.value >= ? AND f.value < ? ORDER BY f.value DESC LIMIT ?" :
	    "SELECT r.ref, r.title, f.value FROM record_fields f JOIN records r "
	    "ON r.org_id = f.org_id AND r.kind = f.kind AND r.num = f.num "
	    "WHERE f.org_id = ? AND f.kind = ? AND f.field = ? AND f.live = 1 "
	    "AND f.value >= ? AND f.value < ? ORDER BY f.value LIMIT ?");
	if (rc != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, dash_due[d].kind);
	db_bind_text(st, 3, dash_due[d].field);
	db_bind_text(st, 4, from);
	db_bind_text(st, 5, to);
	db_bind_int64(st, 6, DASHBOARD_DUE_MAX);
	while ((rc = db_step(st)) == DB_ROW)
		dash_due_insert(into, json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", dash_due[d].kind,
		    "ref", db_column_text(st, 0), "title", db_column_text(st, 1), "what",
		    dash_due[d].what, "date", db_column_text(st, 2)), overdue);
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* Is the due-date field declared and kept in the filter index? */
static bool
dash_due_indexed(size_t d)
{
	const struct record_kind *k = record_kind_find(dash_due[d].kind);
	const struct field *f = k != NULL ? record_field_find(k, dash_due[d].field) : NULL;

	return f != NULL && f->type == FIELD_DATE && (f->flags & (FIELD_FILTER | FIELD_SORT));
}

static int
dash_due_all(json_t *d, struct db *db, int64_t org_id, time_t now)
{
	char today[CLOCK_RFC3339_LEN], until[CLOCK_RFC3339_LEN];
	json_t *upcoming = json_array(), *overdue = json_array();
	size_t i;
	int rc = 0;

	clock_format(today, now);
	clock_format(until, now + (time_t)DASHBOARD_DUE_DAYS * DASH_SECONDS_PER_DAY);
	today[DASH_DAY_LEN - 1] = '\0';
	until[DASH_DAY_LEN - 1] = '\0';
	json_object_set_new(d, "upcoming", upcoming);
	json_object_set_new(d, "overdue", overdue);
	for (i = 0; i < sizeof(dash_due) / sizeof(dash_due[0]) && rc == 0; i++) {
		if (!dash_due_indexed(i))
			continue;
		if ((rc = dash_due_field(upcoming, db, org_id, i, today, until, false)) == 0)
			rc = dash_due_field(overdue, db, org_id, i, "0", today, true);
	}
	return rc;
}

struct dash_activity {
	struct db	*db;
	json_t		*items;
	int		 rc;
};

/* The title of a record named in the ledger, or "" (gone, or not a record). */
static int
dash_title(char **out, struct db *db, int64_t org_id, const char *kind, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if (record_kind_find(kind) == NULL)
		return 0;
	if ((rc = db_prepare(&st, db, "SELECT title FROM records "
	    "WHERE org_id = ? AND kind = ? AND ref = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, ref);
	if ((rc = db_step(st)) == DB_ROW)
		*out = xstrdup(db_column_text(st, 0));
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int
dash_activity_entry(void *arg, const struct ledger_entry *e)
{
	struct dash_activity *a = arg;
	char *title = NULL;

	if ((a->rc = dash_title(&title, a->db, e->org_id, e->kind, e->ref)) != 0)
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

int
dashboard_compute(json_t **out, struct db *db, int64_t org_id, time_t now)
{
	json_t *d = json_object(), *counts = NULL, *dims = NULL, *risk = NULL;
	int rc;

	*out = NULL;
	if ((rc = dash_counts(&counts, db, org_id)) != 0 || (rc = dash_dims(&dims, db, org_id)) != 0 ||
	    (rc = dash_risk(&risk, db, org_id, dims)) != 0)
		goto done;
	json_object_set_new(d, "areas", dash_areas(counts, dims));
	json_object_set_new(d, "soa", dash_soa(dims));
	if (risk != NULL)
		json_object_set_new(d, "risk", risk);
	risk = NULL;
	json_object_set_new(d, "ai_by_category", dash_groups(dims, "ai-systems/category"));
	json_object_set_new(d, "ai_by_stage", dash_groups(dims, "ai-systems/stage"));
	if ((rc = dash_due_all(d, db, org_id, now)) != 0 || (rc = dash_activity(d, db, org_id)) != 0)
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

/* Live evidence naming control, counted up to DASHBOARD_EVIDENCE_CAP. */
static int
dash_evidence_count(int64_t *out, struct db *db, int64_t org_id, const char *control)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = 0;
	if ((rc = db_prepare(&st, db, "SELECT count(*) FROM (SELECT 1 FROM record_fields "
	    "WHERE org_id = ? AND kind = 'evidence' AND field = 'requirements' AND live = 1 "
	    "AND value = ? LIMIT ?)")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, control);
	db_bind_int64(st, 3, DASHBOARD_EVIDENCE_CAP);
	if ((rc = db_step(st)) == DB_ROW)
		*out = db_column_int64(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
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
