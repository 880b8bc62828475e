/*
 * metric.c - readings of monitored metrics: batch ingest (idempotent per
 * metric and time, all or nothing, one ledger entry per batch), what a
 * breach sets off, the series a chart draws (downsampled by the database),
 * and staleness. See metric.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metric.h"
#include "core/record.h"
#include "core/record_private.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"

#define METRIC_REF_MAX		64	/* "MET-123456/7890123" and room */
#define METRIC_TITLE_MAX	300
#define METRIC_NOTE_MAX		512
/* The kinds a metric belongs to, and its own (kind_metric.c, kind_ai_system.c, kind_objective.c). */
#define METRIC_KIND		"metrics"
#define METRIC_SYSTEM_KIND	"ai-systems"
#define METRIC_OBJECTIVE_KIND	"objectives"

const char *
metric_breach_kind(const char *on_breach)
{
	if (on_breach == NULL)
		return NULL;
	if (strcmp(on_breach, "nonconformity") == 0)
		return "nonconformities";
	if (strcmp(on_breach, "incident") == 0)
		return "incidents";
	return NULL;
}

void
metric_format_value(char out[32], double v)
{
	int prec;

	/* The shortest of %.1g ... %.17g that reads back exactly. */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(out, 32, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

/* Is v worse than threshold t for the metric's direction? */
static bool
metric_worse(const char *direction, double v, double t)
{
	if (isnan(t))
		return false;
	if (direction != NULL && strcmp(direction, "lower_is_better") == 0)
		return v > t;
	return v < t;
}

static double
metric_threshold(const json_t *m, const char *name)
{
	const char *s = record__str(m, name);

	return s ? strtod(s, NULL) : NAN;
}

struct reading {
	time_t	 at;
	double	 value;
	char	 text[32];
	bool	 stored;
};

/* Checks every element before anything is written: errors name "[i].field". */
static int
metric_parse(struct reading **out, size_t *n, const json_t *readings)
{
	struct reading *r;
	const json_t *e, *at, *value;
	size_t i, count;
	char idx[32];

	*out = NULL;
	*n = 0;
	if (!json_is_array(readings))
		return aims_error_set(AIMS_EINVALID, "readings",
		    "readings: expected a JSON array of {\"at\", \"value\"}");
	count = json_array_size(readings);
	if (count > METRIC_BATCH_MAX)
		return aims_error_set(AIMS_EINVALID, "readings",
		    "readings: %zu in one batch; at most %d", count, METRIC_BATCH_MAX);
	if ((r = calloc(count ? count : 1, sizeof(*r))) == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "out of memory");
	json_array_foreach(readings, i, e) {
		if (!json_is_object(e)) {
			snprintf(idx, sizeof(idx), "[%zu]", i);
			free(r);
			return aims_error_set(AIMS_EINVALID, idx,
			    "readings[%zu]: expected an object {\"at\", \"value\"}", i);
		}
		at = json_object_get(e, "at");
		value = json_object_get(e, "value");
		if (!json_is_string(at) || clock_parse(&r[i].at, json_string_value(at)) != 0 ||
		    strchr(json_string_value(at), 'T') == NULL) {
			snprintf(idx, sizeof(idx), "[%zu].at", i);
			free(r);
			return aims_error_set(AIMS_EINVALID, idx,
			    "readings[%zu].at: expected an RFC 3339 time (2026-03-01T12:00:00Z)", i);
		}
		if (!json_is_number(value) || !isfinite(json_number_value(value))) {
			snprintf(idx, sizeof(idx), "[%zu].value", i);
			free(r);
			return aims_error_set(AIMS_EINVALID, idx,
			    "readings[%zu].value: expected a number", i);
		}
		r[i].value = json_number_value(value);
		metric_format_value(r[i].text, r[i].value);
	}
	*out = r;
	*n = count;
	return 0;
}

static int
metric_next_batch(int64_t *out, struct db *db, int64_t org_id, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT coalesce(max(batch), 0) + 1 FROM metric_readings "
	    "WHERE org_id = ? AND metric = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ERROR, NULL, "no batch number");
	db_done(st);
	return rc;
}

/* Inserts one reading unless the metric has one at that time: *stored says which. */
static int
metric_insert(bool *stored, struct db *db, int64_t org_id, const char *ref,
    const struct reading *r, int64_t batch)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO metric_readings (org_id, metric, at, value, "
	    "batch) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, (int64_t)r->at);
	db_bind_text(st, 4, r->text);
	db_bind_int64(st, 5, batch);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	*stored = rc == DB_ROW;
	return 0;
}

/* The state a batch's ledger entry commits to: {"metric","batch","readings":[[at,value]]}. */
static json_t *
metric_batch_json(const char *ref, int64_t batch)
{
	return json_pack("{s:s, s:I, s:[]}", "metric", ref, "batch", (json_int_t)batch,
	    "readings");
}

static void
metric_batch_add(json_t *b, time_t at, const char *value)
{
	char t[CLOCK_RFC3339_LEN];

	clock_format(t, at);
	json_array_append_new(json_object_get(b, "readings"), json_pack("[s, s]", t, value));
}

/* An open record of kind k titled title, or none (*ref_out empty). */
static int
metric_open_record(char ref_out[METRIC_REF_MAX], struct db *db, int64_t org_id,
    const struct record_kind *k, const char *title)
{
	struct db_stmt *st = NULL;
	const char *status;
	int rc;

	ref_out[0] = '\0';
	if ((rc = db_prepare(&st, db, "SELECT ref, status FROM records WHERE org_id = ? "
	    "AND kind = ? AND title = ? AND retired = 0 ORDER BY num DESC")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, title);
	while ((rc = db_step(st)) == DB_ROW) {
		status = db_column_text(st, 1);
		if (!record_kind_is_done(k, status)) {
			snprintf(ref_out, METRIC_REF_MAX, "%s", db_column_text(st, 0));
			break;
		}
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* The risks of the AI system are due for review today (re-assessment). */
static int
metric_flag_risks(struct db *db, int64_t org_id, const struct actor *actor, const char *ai,
    time_t now)
{
	const struct record_kind *risks = record_kind_find("risks");
	struct db_stmt *st = NULL;
	char today[CLOCK_RFC3339_LEN];
	json_t *refs = json_array(), *fields, *out = NULL, *v;
	size_t i;
	int rc;

	if (risks == NULL || ai == NULL)
		return 0;
	clock_format(today, now);
	today[10] = '\0';
	if ((rc = db_prepare(&st, db, "SELECT l.from_ref FROM record_links l JOIN records r "
	    "ON r.org_id = l.org_id AND r.kind = l.from_kind AND r.ref = l.from_ref "
	    "WHERE l.org_id = ? AND l.from_kind = 'risks' AND l.to_ref = ? AND r.retired = 0 "
	    "AND (r.status IS NULL OR r.status <> 'closed') "
	    "AND coalesce(json_extract(r.data, '$.next_review'), '9999') > ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ai);
	db_bind_text(st, 3, today);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(refs, json_string(db_column_text(st, 0)));
	db_done(st);
	if (rc < 0)
		goto done;
	rc = 0;
	fields = json_pack("{s:s}", "next_review", today);
	json_array_foreach(refs, i, v) {
		if ((rc = record__update_system(&out, db, org_id, actor, risks,
		    json_string_value(v), 0, "reassess", fields)) != 0)
			break;
		json_decref(out);
		out = NULL;
	}
	json_decref(fields);
done:
	json_decref(refs);
	return rc;
}

/*
 * Opens, or adds a line to, the record on_breach names. The record is found
 * again by its title, which names the metric, while it is not done.
 */
static int
metric_breach(json_t *result, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ref, const json_t *m, const struct reading *worst, int nbreach)
{
	const char *target = metric_breach_kind(record__str(m, "on_breach"));
	const struct record_kind *k = target ? record_kind_find(target) : NULL;
	const char *ai = record__str(m, "ai_system"), *owner = record__str(m, "owner");
	char title[METRIC_TITLE_MAX], note[METRIC_NOTE_MAX], open[METRIC_REF_MAX];
	char at[CLOCK_RFC3339_LEN];
	json_t *fields = NULL, *out = NULL, *cur = NULL;
	const char *desc;
	char *text = NULL;
	int rc;

	clock_format(at, worst->at);
	snprintf(title, sizeof(title), "Breach of %s: %s", ref, record__str(m, "title"));
	snprintf(note, sizeof(note), "%d reading(s) past the breach threshold %s%s%s; worst %s "
	    "at %s.", nbreach, record__str(m, "breach"), record__str(m, "unit") ? " " : "",
	    record__str(m, "unit") ? record__str(m, "unit") : "", worst->text, at);
	if (k == NULL)
		goto risks;
	if ((rc = metric_open_record(open, db, org_id, k, title)) != 0)
		return rc;
	if (open[0] != '\0') {
		if ((rc = record__load_data(&cur, db, org_id, k->name, open)) != 0)
			return rc;
		desc = record__str(cur, "description");
		if (asprintf(&text, "%s\n\n%s", desc ? desc : "", note) < 0) {
			json_decref(cur);
			return aims_error_set(AIMS_ERROR, NULL, "out of memory");
		}
		json_decref(cur);
		fields = json_pack("{s:s}", "description", text);
		rc = record__update_system(&out, db, org_id, actor, k, open, 0, "breach", fields);
	} else {
		fields = json_pack("{s:s, s:s}", "title", title, "description", note);
		if (strcmp(k->name, "nonconformities") == 0) {
			json_object_set_new(fields, "source", json_string("monitoring"));
			json_object_set_new(fields, "requirements",
			    json_array_size(json_object_get(m, "requirements")) ?
			    json_deep_copy(json_object_get(m, "requirements")) :
			    json_pack("[s]", "9.1"));
			json_object_set_new(fields, "records", json_pack("[s]", ref));
			if (owner != NULL)
				json_object_set_new(fields, "owner", json_string(owner));
		} else {
			json_object_set_new(fields, "ai_system", json_string(ai ? ai : ""));
			json_object_set_new(fields, "occurred_at", json_string(at));
			json_object_set_new(fields, "aware_at", json_string(at));
			json_object_set_new(fields, "severity", json_string("medium"));
			if (owner != NULL)
				json_object_set_new(fields, "owner", json_string(owner));
		}
		rc = record_create(&out, db, org_id, actor, k, fields);
	}
	free(text);
	json_decref(fields);
	if (rc != 0)
		return rc;
	json_object_set(result, "opened", json_object_get(out, "ref"));
	json_decref(out);
risks:
	return metric_flag_risks(db, org_id, actor, ai, clock_now());
}

int
metric_readings_push(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ref, const json_t *readings)
{
	const struct record_kind *k = record_kind_find(METRIC_KIND);
	struct reading *r = NULL, *worst = NULL;
	json_t *m = NULL, *batch_json = NULL;
	char bref[METRIC_REF_MAX];
	const char *dir;
	double breach;
	int64_t batch = 0, seq, stored = 0, dup = 0;
	size_t n = 0, i;
	int nbreach = 0, rc;
	struct ledger_event ev;

	*out = NULL;
	if ((rc = metric_parse(&r, &n, readings)) != 0)
		return rc;
	if ((rc = db_begin(db)) != 0)
		goto done;
	if ((rc = record_get(&m, db, org_id, k, ref)) != 0)
		goto done;
	if (json_is_true(json_object_get(m, "retired"))) {
		rc = aims_error_set(AIMS_ECONFLICT, "ref", "metric %s is retired", ref);
		goto done;
	}
	if ((rc = metric_next_batch(&batch, db, org_id, ref)) != 0)
		goto done;
	dir = record__str(m, "direction");
	breach = metric_threshold(m, "breach");
	for (i = 0; i < n; i++) {
		if ((rc = metric_insert(&r[i].stored, db, org_id, ref, &r[i], batch)) != 0)
			goto done;
		if (!r[i].stored) {
			dup++;
			continue;
		}
		stored++;
		if (metric_worse(dir, r[i].value, breach)) {
			nbreach++;
			if (worst == NULL || metric_worse(dir, r[i].value, worst->value))
				worst = &r[i];
		}
	}
	*out = json_pack("{s:I, s:I, s:i, s:n}", "stored", (json_int_t)stored,
	    "duplicates", (json_int_t)dup, "breaches", nbreach, "opened");
	if (stored > 0) {
		/* The entry commits to the batch as stored, as verify reads it back. */
		snprintf(bref, sizeof(bref), "%s/%lld", ref, (long long)batch);
		if ((rc = metric_load_for_ledger(&batch_json, db, org_id, METRIC_LEDGER_KIND,
		    bref)) != 0)
			goto done;
		ev = (struct ledger_event){ .org_id = org_id, .actor = actor->name,
		    .action = "readings", .kind = METRIC_LEDGER_KIND, .ref = bref, .version = 1,
		    .record = batch_json };
		if ((rc = ledger_append(&seq, db, &ev)) != 0)
			goto done;
	}
	if (nbreach > 0 && (rc = metric_breach(*out, db, org_id, actor, ref, m, worst,
	    nbreach)) != 0)
		goto done;
	rc = db_commit(db);
done:
	if (rc != 0) {
		if (db_in_transaction(db))
			db_rollback(db);
		json_decref(*out);
		*out = NULL;
	}
	json_decref(batch_json);
	json_decref(m);
	free(r);
	return rc;
}

static void
series_point(json_t *pts, int64_t at, double mean, double min, double max)
{
	char t[CLOCK_RFC3339_LEN];

	clock_format(t, (time_t)at);
	json_array_append_new(pts, json_pack("{s:s, s:f, s:f, s:f}", "at", t, "value", mean,
	    "min", min, "max", max));
}

static int
series_plain(json_t *pts, struct db *db, int64_t org_id, const char *ref, time_t from,
    time_t to)
{
	struct db_stmt *st = NULL;
	double v;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT at, value FROM metric_readings WHERE org_id = ? "
	    "AND metric = ? AND at BETWEEN ? AND ? ORDER BY at")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, from);
	db_bind_int64(st, 4, to);
	while ((rc = db_step(st)) == DB_ROW) {
		v = strtod(db_column_text(st, 1), NULL);
		series_point(pts, db_column_int64(st, 0), v, v, v);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/*
 * One pass over the index range in time order: a bucket is closed when a
 * reading falls past it, so no sort and no temporary table is needed.
 */
static int
series_buckets(json_t *pts, int64_t *count, struct db *db, int64_t org_id, const char *ref,
    time_t from, time_t to, int64_t width)
{
	struct db_stmt *st = NULL;
	int64_t at, bucket = -1, b, first = 0, n = 0;
	double v, sum = 0, min = 0, max = 0;
	int rc;

	*count = 0;
	if ((rc = db_prepare(&st, db, "SELECT at, value FROM metric_readings WHERE org_id = ? "
	    "AND metric = ? AND at BETWEEN ? AND ? ORDER BY at")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, from);
	db_bind_int64(st, 4, to);
	while ((rc = db_step(st)) == DB_ROW) {
		at = db_column_int64(st, 0);
		v = strtod(db_column_text(st, 1), NULL);
		b = (at - from) / width;
		if (b != bucket) {
			if (n > 0)
				series_point(pts, first, sum / (double)n, min, max);
			bucket = b;
			first = at;
			n = 0;
			sum = 0;
			min = max = v;
		}
		n++;
		(*count)++;
		sum += v;
		min = v < min ? v : min;
		max = v > max ? v : max;
	}
	db_done(st);
	if (rc < 0)
		return rc;
	if (n > 0)
		series_point(pts, first, sum / (double)n, min, max);
	return 0;
}

int
metric_series(json_t **out, struct db *db, int64_t org_id, const char *ref, time_t from,
    time_t to, int max_points)
{
	struct db_stmt *st = NULL;
	json_t *pts = json_array();
	char t[CLOCK_RFC3339_LEN];
	int64_t count = 0, width;
	int rc;

	*out = NULL;
	if (max_points < 2 || max_points > METRIC_SERIES_POINTS_MAX)
		max_points = METRIC_SERIES_POINTS_MAX;
	if (to < from) {
		json_decref(pts);
		return aims_error_set(AIMS_EINVALID, "from", "from is after to");
	}
	/* Whether to downsample needs only to know there are more than max_points. */
	if ((rc = db_prepare(&st, db, "SELECT count(*) FROM (SELECT 1 FROM metric_readings "
	    "WHERE org_id = ? AND metric = ? AND at BETWEEN ? AND ? LIMIT ?)")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, from);
	db_bind_int64(st, 4, to);
	db_bind_int64(st, 5, max_points + 1);
	if ((rc = db_step(st)) == DB_ROW)
		count = db_column_int64(st, 0);
	db_done(st);
	if (rc < 0)
		goto done;
	width = count > max_points ? ((int64_t)(to - from) / max_points) + 1 : 0;
	if (width == 0)
		rc = series_plain(pts, db, org_id, ref, from, to);
	else
		rc = series_buckets(pts, &count, db, org_id, ref, from, to, width);
	if (rc != 0)
		goto done;
	*out = json_pack("{s:s, s:I, s:b, s:o}", "metric", ref, "count", (json_int_t)count,
	    "downsampled", width > 0, "points", pts);
	pts = NULL;
	clock_format(t, from);
	json_object_set_new(*out, "from", json_string(t));
	clock_format(t, to);
	json_object_set_new(*out, "to", json_string(t));
done:
	json_decref(pts);
	return rc;
}

int
metric_status(json_t **out, struct db *db, int64_t org_id, const char *ai_system,
    const char *objective, time_t now)
{
	struct db_stmt *st = NULL;
	json_t *list = json_array(), *m = NULL, *e;
	const char *dir, *lastv;
	char t[CLOCK_RFC3339_LEN];
	int64_t interval, last_at;
	double v;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT r.ref, r.data, (SELECT count(*) FROM "
	    "metric_readings x WHERE x.org_id = r.org_id AND x.metric = r.ref), "
	    "x.at, x.value FROM records r LEFT JOIN metric_readings x ON x.org_id = r.org_id "
	    "AND x.metric = r.ref AND x.at = (SELECT max(at) FROM metric_readings y WHERE "
	    "y.org_id = r.org_id AND y.metric = r.ref) WHERE r.org_id = ? AND "
	    "r.kind = 'metrics' AND r.retired = 0 AND (?2 IS NULL OR "
	    "json_extract(r.data, '$.ai_system') = ?2) AND (?3 IS NULL OR "
	    "json_extract(r.data, '$.objective') = ?3) ORDER BY r.num")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ai_system);
	db_bind_text(st, 3, objective);
	while ((rc = db_step(st)) == DB_ROW) {
		m = json_loads(db_column_text(st, 1), 0, NULL);
		if (m == NULL)
			continue;
		dir = record__str(m, "direction");
		interval = record__int(m, "interval_hours", 24);
		e = json_pack("{s:s, s:O, s:O, s:O, s:I, s:I}", "ref", db_column_text(st, 0),
		    "title", json_object_get(m, "title") ? json_object_get(m, "title") :
		    json_null(), "ai_system", json_object_get(m, "ai_system") ?
		    json_object_get(m, "ai_system") : json_null(), "objective",
		    json_object_get(m, "objective") ? json_object_get(m, "objective") :
		    json_null(), "interval_hours", (json_int_t)interval, "count",
		    (json_int_t)db_column_int64(st, 2));
		json_object_set(e, "evaluated_on", json_object_get(m, "evaluated_on") ?
		    json_object_get(m, "evaluated_on") : json_null());
		if (db_column_is_null(st, 3)) {
			json_object_set_new(e, "last_at", json_null());
			json_object_set_new(e, "last_value", json_null());
			json_object_set_new(e, "state", json_string("none"));
			json_object_set_new(e, "stale", json_true());
		} else {
			last_at = db_column_int64(st, 3);
			lastv = db_column_text(st, 4);
			v = strtod(lastv, NULL);
			clock_format(t, (time_t)last_at);
			json_object_set_new(e, "last_at", json_string(t));
			json_object_set_new(e, "last_value", json_real(v));
			json_object_set_new(e, "state", json_string(
			    metric_worse(dir, v, metric_threshold(m, "breach")) ? "breach" :
			    metric_worse(dir, v, metric_threshold(m, "warn")) ? "warn" : "ok"));
			json_object_set_new(e, "stale",
			    json_boolean(now - last_at > interval * 3600));
		}
		json_array_append_new(list, e);
		json_decref(m);
	}
	db_done(st);
	if (rc < 0)
		goto done;
	rc = 0;
	*out = list;
	list = NULL;
done:
	json_decref(list);
	return rc;
}

/* "MET-1/7" into the metric ref and the batch number. */
static int
metric_split(char ref[METRIC_REF_MAX], int64_t *batch, const char *bref)
{
	const char *slash = strrchr(bref, '/');
	char *end;

	if (slash == NULL || (size_t)(slash - bref) >= METRIC_REF_MAX)
		return aims_error_set(AIMS_ENOTFOUND, "ref", "no reading batch %s", bref);
	memcpy(ref, bref, (size_t)(slash - bref));
	ref[slash - bref] = '\0';
	*batch = strtoll(slash + 1, &end, 10);
	if (*end != '\0' || *batch <= 0)
		return aims_error_set(AIMS_ENOTFOUND, "ref", "no reading batch %s", bref);
	return 0;
}

int
metric_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *kind,
    const char *bref)
{
	struct db_stmt *st = NULL;
	char ref[METRIC_REF_MAX];
	int64_t batch = 0, n = 0;
	json_t *b;
	int rc;

	(void)kind;
	*out = NULL;
	if ((rc = metric_split(ref, &batch, bref)) != 0)
		return rc;
	if ((rc = db_prepare(&st, db, "SELECT at, value FROM metric_readings WHERE org_id = ? "
	    "AND metric = ? AND batch = ? ORDER BY at")) != 0)
		return rc;
	b = metric_batch_json(ref, batch);
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, batch);
	while ((rc = db_step(st)) == DB_ROW) {
		metric_batch_add(b, (time_t)db_column_int64(st, 0), db_column_text(st, 1));
		n++;
	}
	db_done(st);
	if (rc < 0 || n == 0) {
		json_decref(b);
		return rc < 0 ? rc : aims_error_set(AIMS_ENOTFOUND, "ref",
		    "no reading batch %s", bref);
	}
	*out = b;
	return 0;
}

int
metric_enumerate(struct db *db, int64_t org_id, metric_visit_fn fn, void *arg)
{
	struct db_stmt *st = NULL;
	char bref[METRIC_REF_MAX + 24];
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT DISTINCT metric, batch FROM metric_readings "
	    "WHERE org_id = ? ORDER BY metric, batch")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(bref, sizeof(bref), "%s/%lld", db_column_text(st, 0),
		    (long long)db_column_int64(st, 1));
		if ((rc = fn(arg, METRIC_LEDGER_KIND, bref)) != 0)
			break;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

int
metric_charts(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const json_t *record, time_t from, time_t to, int max_points)
{
	const struct record_kind *mk = record_kind_find(METRIC_KIND);
	const char *ref = json_string_value(json_object_get(record, "ref")), *mref;
	const json_t *target = json_null(), *e;
	json_t *status = NULL, *m = NULL, *series = NULL;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (mk == NULL || ref == NULL)
		return 0;
	if (k == mk)
		status = json_pack("[{s:s}]", "ref", ref);
	else if (strcmp(k->name, METRIC_SYSTEM_KIND) == 0)
		rc = metric_status(&status, db, org_id, ref, NULL, clock_now());
	else if (strcmp(k->name, METRIC_OBJECTIVE_KIND) == 0) {
		rc = metric_status(&status, db, org_id, NULL, ref, clock_now());
		if (json_object_get(record, "target") != NULL)
			target = json_object_get(record, "target");
	} else
		return 0;
	if (rc != 0)
		return rc;
	*out = json_array();
	json_array_foreach(status, i, e) {
		mref = json_string_value(json_object_get(e, "ref"));
		if ((rc = record_get(&m, db, org_id, mk, mref)) != 0 ||
		    (rc = metric_series(&series, db, org_id, mref, from, to, max_points)) != 0)
			break;
		json_array_append_new(*out, json_pack("{s:o, s:o, s:O}", "metric", m, "series",
		    series, "target", target));
		m = series = NULL;
	}
	json_decref(status);
	if (rc != 0) {
		json_decref(m);
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int
metric_stale_of(json_t **out, struct db *db, int64_t org_id, const char *owner, time_t now)
{
	char t[CLOCK_RFC3339_LEN], due[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	json_t *list = json_array(), *m;
	int64_t interval, last;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT r.ref, r.title, r.data, (SELECT max(at) FROM "
	    "metric_readings x WHERE x.org_id = r.org_id AND x.metric = r.ref) FROM records r "
	    "WHERE r.org_id = ? AND r.kind = 'metrics' AND r.retired = 0 AND r.owner = ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, owner);
	while ((rc = db_step(st)) == DB_ROW) {
		if ((m = json_loads(db_column_text(st, 2), 0, NULL)) == NULL)
			continue;
		interval = record__int(m, "interval_hours", 24);
		json_decref(m);
		last = db_column_is_null(st, 3) ? -1 : db_column_int64(st, 3);
		if (last >= 0 && now - last <= interval * 3600)
			continue;
		if (last >= 0) {
			clock_format(t, (time_t)last);
			clock_format(due, (time_t)(last + interval * 3600));
			due[10] = '\0';
		}
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?}", "kind",
		    "metrics", "ref", db_column_text(st, 0), "title", db_column_text(st, 1), "what",
		    "stale metric", "last_at", last >= 0 ? t : NULL, "due", last >= 0 ? due : NULL));
	}
	db_done(st);
	if (rc < 0)
		goto done;
	rc = 0;
	*out = list;
	list = NULL;
done:
	json_decref(list);
	return rc;
}
