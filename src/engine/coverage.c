/*
 * coverage.c - coverage of a crosswalk framework by the organisation's
 * ISO/IEC 42001 records (see coverage.h for the rules).
 *
 * The readiness evaluation, then a few reads, each one indexed range of the
 * organisation's rows: the expired and retired evidence, the SoA entries,
 * the measures, the links of measures and documents to requirements, and
 * the links of evidence to requirements and to measures, read from the
 * link index alone (no evidence record is visited). Everything else is
 * done in memory, so an answer costs about the same whatever the framework.
 */
#include <stdio.h>
#include <string.h>

#include "core/catalog.h"
#include "core/crosswalk.h"
#include "engine/coverage.h"
#include "engine/current.h"
#include "engine/readiness.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"

#define COVERAGE_DATE_LEN	11	/* YYYY-MM-DD and NUL */

/* What one ISO/IEC 42001 requirement has behind it, gathered from the records. */
struct iso_state {
	json_t	*implemented;	/* refs: implemented measures, implemented SoA, approved docs */
	json_t	*in_progress;	/* refs: planned or in-progress measures, drafts, SoA partial */
	json_t	*evidence;	/* refs of current evidence */
	bool	 excluded;
};

struct coverage {
	struct db	*db;
	int64_t		 org_id;
	char		 today[COVERAGE_DATE_LEN];
	json_t		*reqs;		/* id -> {implemented, in_progress, evidence, excluded} */
	json_t		*measure_status;	/* ref -> status */
	json_t		*measure_evidence;	/* measure ref -> [current evidence refs] */
	json_t		*stale_evidence;	/* ref -> true: expired or retired */
	json_t		*iso_titles;	/* id -> title */
	json_t		*readiness;	/* id -> met, partly_met, not_met, not_applicable */
};

static json_t *
coverage_req(struct coverage *cv, const char *id)
{
	json_t *r = json_object_get(cv->reqs, id);

	if (r == NULL) {
		r = json_pack("{s:[], s:[], s:[], s:b}", "implemented", "in_progress",
		    "evidence", "excluded", 0);
		json_object_set_new(cv->reqs, id, r);
	}
	return r;
}

/* Appends ref to the list unless it is there or the list is full. */
static void
coverage_add_ref(json_t *list, const char *ref)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (strcmp(json_string_value(v), ref) == 0)
			return;
	if (json_array_size(list) < COVERAGE_REFS_MAX)
		json_array_append_new(list, json_string(ref));
}

/*
 * The evidence that shows nothing: expired (valid_until before today, read
 * from the filter index) or retired. Usually few, so they are looked up by
 * row; the links of every other evidence record are then read from the link
 * index alone, without visiting the records (half a million of them in the
 * large benchmark organisation).
 */
static int
coverage_read_stale_evidence(struct coverage *cv)
{
	static const char *const sql[] = {
		"SELECT r.ref FROM record_fields f JOIN records r ON r.org_id = f.org_id"
		" AND r.kind = f.kind AND r.num = f.num WHERE f.org_id = ? AND f.kind = 'evidence'"
		" AND f.field = 'valid_until' AND f.live = 1 AND f.value < ?2 AND f.value <> ?3",
		"SELECT ref FROM records WHERE org_id = ? AND kind = 'evidence' AND retired = 1"
		" AND ? IS NOT NULL",
	};
	struct db_stmt *st = NULL;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		if ((rc = db_prepare(&st, cv->db, sql[i])) != 0)
			return rc;
		db_bind_int64(st, 1, cv->org_id);
		db_bind_text(st, 2, cv->today);
		/* '' bound, not written: a field value is typed JSON on PostgreSQL. */
		if (i == 0)
			db_bind_text(st, 3, "");
		while ((rc = db_step(st)) == DB_ROW)
			json_object_set_new(cv->stale_evidence, db_column_text(st, 0), json_true());
		db_done(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Current evidence ref linked to `to` (a requirement or a measure) from the link index. */
static int
coverage_read_evidence_links(struct coverage *cv, const char *to_kind,
    void (*add)(struct coverage *, const char *to, const char *ev))
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, cv->db, "SELECT to_ref, from_ref FROM record_links"
	    " WHERE org_id = ? AND from_kind = 'evidence' AND to_kind = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, cv->org_id);
	db_bind_text(st, 2, to_kind);
	while ((rc = db_step(st)) == DB_ROW)
		if (json_object_get(cv->stale_evidence, db_column_text(st, 1)) == NULL)
			add(cv, db_column_text(st, 0), db_column_text(st, 1));
	db_done(st);
	return rc < 0 ? rc : 0;
}

static void
coverage_add_measure_evidence(struct coverage *cv, const char *measure, const char *ev)
{
	json_t *list = json_object_get(cv->measure_evidence, measure);

	if (list == NULL) {
		list = json_array();
		json_object_set_new(cv->measure_evidence, measure, list);
	}
	coverage_add_ref(list, ev);
}

static void
coverage_add_requirement_evidence(struct coverage *cv, const char *req, const char *ev)
{
	coverage_add_ref(json_object_get(coverage_req(cv, req), "evidence"), ev);
}

static int
coverage_read_measures(struct coverage *cv)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, cv->db, "SELECT ref, status FROM records WHERE org_id = ?"
	    " AND kind = 'measures' AND retired = 0")) != 0)
		return rc;
	db_bind_int64(st, 1, cv->org_id);
	while ((rc = db_step(st)) == DB_ROW)
		json_object_set_new(cv->measure_status, db_column_text(st, 0),
		    json_string(db_column_text(st, 1) ? db_column_text(st, 1) : ""));
	db_done(st);
	if (rc < 0)
		return rc;
	return coverage_read_evidence_links(cv, "measures", coverage_add_measure_evidence);
}

/* A measure behind a requirement: its status decides which list it joins. */
static void
coverage_measure(struct coverage *cv, json_t *req, const char *ref)
{
	const char *status = json_string_value(json_object_get(cv->measure_status, ref));
	json_t *ev, *e;
	size_t i;

	if (status == NULL || strcmp(status, "not_effective") == 0)
		return;
	coverage_add_ref(json_object_get(req, strcmp(status, "implemented") == 0 ?
	    "implemented" : "in_progress"), ref);
	if (strcmp(status, "implemented") != 0)
		return;
	ev = json_object_get(cv->measure_evidence, ref);
	json_array_foreach(ev, i, e)
		coverage_add_ref(json_object_get(req, "evidence"), json_string_value(e));
}

static int
coverage_read_soa(struct coverage *cv)
{
	struct db_stmt *st = NULL;
	json_t *d, *req, *m;
	const char *status;
	size_t i;
	int rc;

	if ((rc = db_prepare(&st, cv->db, "SELECT ref, data FROM records WHERE org_id = ?"
	    " AND kind = 'soa' AND retired = 0")) != 0)
		return rc;
	db_bind_int64(st, 1, cv->org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *ref = db_column_text(st, 0);

		if ((d = json_loads(db_column_text(st, 1), 0, NULL)) == NULL)
			continue;
		req = coverage_req(cv, ref);
		if (json_is_false(json_object_get(d, "applicable")))
			json_object_set_new(req, "excluded", json_true());
		status = json_string_value(json_object_get(d, "status"));
		if (status && strcmp(status, "implemented") == 0)
			coverage_add_ref(json_object_get(req, "implemented"), ref);
		else if (status && (strcmp(status, "partial") == 0 ||
		    strcmp(status, "planned") == 0))
			coverage_add_ref(json_object_get(req, "in_progress"), ref);
		json_array_foreach(json_object_get(d, "measures"), i, m)
			if (json_is_string(m))
				coverage_measure(cv, req, json_string_value(m));
		json_decref(d);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int
coverage_read_links(struct coverage *cv)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, cv->db, "SELECT l.to_ref, l.from_kind, r.ref, r.status"
	    " FROM record_links l JOIN records r ON r.org_id = l.org_id AND r.kind = l.from_kind"
	    " AND r.ref = l.from_ref WHERE l.org_id = ? AND l.to_kind = 'requirement'"
	    " AND l.from_kind IN ('measures', 'documents') AND r.retired = 0")) != 0)
		return rc;
	db_bind_int64(st, 1, cv->org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *kind = db_column_text(st, 1), *ref = db_column_text(st, 2);
		const char *status = db_column_text(st, 3);
		json_t *req = coverage_req(cv, db_column_text(st, 0));

		if (strcmp(kind, "measures") == 0)
			coverage_measure(cv, req, ref);
		else if (status && strcmp(status, "approved") == 0)
			coverage_add_ref(json_object_get(req, "implemented"), ref);
		else if (status && strcmp(status, "retired") != 0)
			coverage_add_ref(json_object_get(req, "in_progress"), ref);
	}
	db_done(st);
	if (rc < 0)
		return rc;
	return coverage_read_evidence_links(cv, "requirement", coverage_add_requirement_evidence);
}

/*
 * The records' state, raised by the readiness verdict: a clause such as
 * 6.1.2 is shown by the risk register the readiness rules read, not by a
 * measure, so a requirement readiness finds met is met here too.
 */
static const char *
coverage_iso_state(const json_t *req, const char *readiness)
{
	size_t impl = json_array_size(json_object_get(req, "implemented"));
	size_t prog = json_array_size(json_object_get(req, "in_progress"));
	size_t ev = json_array_size(json_object_get(req, "evidence"));

	if (json_is_true(json_object_get(req, "excluded")))
		return "excluded";
	if ((impl > 0 && ev > 0) || (readiness && strcmp(readiness, "met") == 0))
		return "met";
	if (readiness && strcmp(readiness, "partly_met") == 0)
		return "partial";
	return impl + prog + ev > 0 ? "partial" : "none";
}

/* What an ISO/IEC 42001 requirement lacks, in words; NULL when met. */
static json_t *
coverage_lack(const char *id, const char *title, const char *state, const json_t *req)
{
	if (strcmp(state, "met") == 0)
		return NULL;
	if (strcmp(state, "excluded") == 0)
		return json_sprintf("%s %s is excluded in the Statement of Applicability", id,
		    title);
	if (strcmp(state, "none") == 0)
		return json_sprintf("%s %s: not met in readiness, no implemented measure, SoA "
		    "entry or approved document, and no current evidence", id, title);
	if (json_array_size(json_object_get(req, "implemented")) == 0 &&
	    json_array_size(json_object_get(req, "in_progress")) == 0 &&
	    json_array_size(json_object_get(req, "evidence")) == 0)
		return json_sprintf("%s %s: partly met in readiness (see its failing checks)",
		    id, title);
	if (json_array_size(json_object_get(req, "implemented")) == 0)
		return json_sprintf("%s %s: its measures are planned or in progress; none is "
		    "implemented", id, title);
	return json_sprintf("%s %s: implemented, but no current evidence shows it", id, title);
}

/* A new reference to one of req's lists, or an empty list. */
static json_t *
coverage_refs(const json_t *req, const char *list)
{
	json_t *v = req ? json_object_get(req, list) : NULL;

	return v ? json_incref(v) : json_array();
}

static json_t *
coverage_item(struct coverage *cv, const json_t *entry, const json_t *map)
{
	const char *rel = json_string_value(json_object_get(map, "relationship"));
	const json_t *gap = json_object_get(map, "gap"), *t;
	json_t *item, *isos = json_array(), *missing = json_array(), *req, *lack;
	size_t i, met = 0, some = 0, n = json_array_size(json_object_get(map, "targets"));
	const char *status;

	json_array_foreach(json_object_get(map, "targets"), i, t) {
		const char *id = json_string_value(t);
		const char *title = json_string_value(json_object_get(cv->iso_titles, id));
		const char *state;

		const char *ready = json_string_value(json_object_get(cv->readiness, id));

		req = json_object_get(cv->reqs, id);
		state = coverage_iso_state(req, ready);
		met += strcmp(state, "met") == 0;
		some += strcmp(state, "partial") == 0 || strcmp(state, "met") == 0;
		json_array_append_new(isos, json_pack("{s:s, s:s, s:s, s:s?, s:o, s:o, s:o}",
		    "id", id, "title", title ? title : "", "state", state, "readiness", ready,
		    "implemented_by", coverage_refs(req, "implemented"),
		    "in_progress", coverage_refs(req, "in_progress"),
		    "evidence", coverage_refs(req, "evidence")));
		if ((lack = coverage_lack(id, title ? title : "", state, req)) != NULL)
			json_array_append_new(missing, lack);
	}
	if (n == 0) {
		status = "not_covered";
		json_array_append_new(missing, json_string(json_is_string(gap) ?
		    json_string_value(gap) : "No ISO/IEC 42001 requirement corresponds to it."));
	} else if (met == n && crosswalk_relationship_covers(rel))
		status = "covered";
	else if (some > 0) {
		status = "partial";
		if (met == n)
			json_array_append_new(missing, json_string(json_is_string(gap) ?
			    json_string_value(gap) : "It asks for more than the ISO/IEC 42001 "
			    "requirements behind it: cover the rest with a measure of its own."));
	} else
		status = "not_covered";
	item = json_pack("{s:O, s:O, s:O, s:O, s:s, s:s, s:O, s:o, s:o}",
	    "id", json_object_get(entry, "id"), "kind", json_object_get(entry, "kind"),
	    "title", json_object_get(entry, "title"), "parent", json_object_get(entry, "parent"),
	    "status", status, "relationship", rel, "gap", gap ? gap : json_null(),
	    "iso42001", isos, "missing", missing);
	return item;
}

/* Each requirement's readiness verdict (engine/readiness.h), not saved as a snapshot. */
static int
coverage_readiness(struct coverage *cv)
{
	json_t *res = NULL, *r;
	size_t i;
	int rc;

	if ((rc = readiness_evaluate(&res, cv->db, cv->org_id, 0)) != 0)
		return rc;
	json_array_foreach(json_object_get(res, "requirements"), i, r)
		if (json_is_string(json_object_get(r, "id")) &&
		    json_is_string(json_object_get(r, "status")))
			json_object_set(cv->readiness, json_string_value(json_object_get(r, "id")),
			    json_object_get(r, "status"));
	json_decref(res);
	return 0;
}

static int
coverage_iso_titles(struct coverage *cv)
{
	json_t *list = NULL, *e;
	size_t i;
	int rc;

	if ((rc = catalog_list(&list, cv->db, CATALOG_ISO42001, NULL)) != 0)
		return rc;
	json_array_foreach(list, i, e)
		json_object_set(cv->iso_titles, json_string_value(json_object_get(e, "id")),
		    json_object_get(e, "title"));
	json_decref(list);
	return 0;
}

int
coverage_evaluate(json_t **out, struct db *db, int64_t org_id, const char *framework)
{
	struct coverage cv = { .db = db, .org_id = org_id };
	const json_t *catalog, *mapping, *m, *e;
	json_t *maps = json_object(), *items = json_array(), *res = NULL;
	char now[CLOCK_RFC3339_LEN];
	size_t i, covered = 0, partial = 0, total = 0;
	const char *status;
	int rc;

	*out = NULL;
	cv.reqs = json_object();
	cv.measure_status = json_object();
	cv.measure_evidence = json_object();
	cv.stale_evidence = json_object();
	cv.iso_titles = json_object();
	cv.readiness = json_object();
	clock_format(now, clock_now());
	snprintf(cv.today, sizeof(cv.today), "%.10s", now);
	if ((rc = crosswalk_get(&catalog, &mapping, framework)) != 0 ||
	    (rc = coverage_iso_titles(&cv)) != 0 || (rc = coverage_readiness(&cv)) != 0 ||
	    (rc = db_read_begin(db)) != 0)
		goto done;
	if ((rc = coverage_read_stale_evidence(&cv)) == 0 &&
	    (rc = coverage_read_measures(&cv)) == 0 && (rc = coverage_read_soa(&cv)) == 0)
		rc = coverage_read_links(&cv);
	db_read_end(db);
	if (rc != 0)
		goto done;
	json_array_foreach(json_object_get(mapping, "maps"), i, m)
		json_object_set(maps, json_string_value(json_object_get(m, "source")), (json_t *)m);
	json_array_foreach(json_object_get(catalog, "requirements"), i, e) {
		json_t *item;

		m = json_object_get(maps, json_string_value(json_object_get(e, "id")));
		if (m == NULL)
			continue;	/* a grouping entry: crosswalk_check() maps every leaf */
		item = coverage_item(&cv, e, m);
		status = json_string_value(json_object_get(item, "status"));
		covered += strcmp(status, "covered") == 0;
		partial += strcmp(status, "partial") == 0;
		total++;
		json_array_append_new(items, item);
	}
	res = json_pack("{s:s, s:O, s:O, s:{s:O, s:O, s:O, s:O, s:O}, s:s,"
	    " s:{s:I, s:I, s:I, s:I}, s:I, s:O}",
	    "framework", framework, "title", json_object_get(catalog, "title"),
	    "edition", json_object_get(catalog, "edition"),
	    "mapping", "title", json_object_get(mapping, "title"),
	    "method", json_object_get(mapping, "method"),
	    "matching_rationale", json_object_get(mapping, "matching_rationale"),
	    "status", json_object_get(mapping, "status"),
	    "description", json_object_get(mapping, "description"),
	    "evaluated_at", now,
	    "counts", "covered", (json_int_t)covered, "partial", (json_int_t)partial,
	    "not_covered", (json_int_t)(total - covered - partial), "total", (json_int_t)total,
	    "score", (json_int_t)(total ? (200 * covered + 100 * partial + total) / (2 * total) : 0),
	    "items", items);
	if (res == NULL) {
		rc = aims_error_set(AIMS_ERROR, NULL, "coverage: out of memory");
		goto done;
	}
	*out = res;
done:
	json_decref(items);
	json_decref(maps);
	json_decref(cv.reqs);
	json_decref(cv.measure_status);
	json_decref(cv.measure_evidence);
	json_decref(cv.stale_evidence);
	json_decref(cv.iso_titles);
	json_decref(cv.readiness);
	return rc;
}

static int
coverage_compute(json_t **out, struct db *db, int64_t org_id, const void *arg)
{
	return coverage_evaluate(out, db, org_id, arg);
}

int
coverage_current(json_t **out, struct db *db, int64_t org_id, const char *framework)
{
	char key[CURRENT_KEY_MAX];

	snprintf(key, sizeof(key), "coverage:%.32s", framework);
	return current_get(out, db, org_id, key, CURRENT_SHARED, coverage_compute, framework);
}
