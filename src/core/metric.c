/*
 * metric.c - readings of monitored metrics: batch ingest (idempotent per
 * metric and time, all or nothing, one ledger entry per batch), what a
 * breach sets off, the series a chart draws (downsampled by the database),
 * and staleness. See metric.h.
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
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
#define METRIC_INSERT_ROWS	100	/* readings one INSERT statement carries */
#define METRIC_INSERT_SQL_MAX	(128 + METRIC_INSERT_ROWS * 32)
#define METRIC_HOUR_SECS	3600
#define METRIC_VERIFY_REL	1e-9	/* a roll-up's sum may differ by rounding only */
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
	const char *p;
	int prec, digits = 0, zeros = 0, int_digits;

	/*
	 * The shortest of %.1g ... %.17g that reads back exactly. When one of
	 * 1..15 digits does, %.15g prints those digits (a shorter decimal that
	 * reads back as v lies on the 15-digit grid) and its significant
	 * digits say which precision that is: printed with it, the text is the
	 * one the precision-by-precision search finds, exponent form included.
	 */
	if (v != 0 && fabs(v) < DBL_MIN) {
		/* Subnormal: fewer bits than 15 digits need, so the grid argument fails. */
		for (prec = 1; prec <= 17; prec++) {
			snprintf(out, 32, "%.*g", prec, v);
			if (strtod(out, NULL) == v)
				return;
		}
	}
	snprintf(out, 32, "%.15g", v);
	if (strtod(out, NULL) == v) {
		for (p = out; *p != '\0' && *p != 'e'; p++) {
			if (*p < '0' || *p > '9')
				continue;
			if (*p == '0' && digits == 0)
				continue;	/* leading zeros */
			if (*p == '0') {
				zeros++;
				continue;
			}
			digits += zeros + 1;
			zeros = 0;
		}
		/*
		 * %.Pg is in exponent form when the exponent X < -4 or X >= P;
		 * with fewer digits than 15 only X >= P can differ: fixed text
		 * whose integer part has at most `digits` digits is the same.
		 */
		p = strchr(out, '.');
		int_digits = (int)(p ? (size_t)(p - out) : strlen(out)) - (out[0] == '-');
		if (strchr(out, 'e') == NULL && (fabs(v) < 1.0 || int_digits <= digits))
			return;
		snprintf(out, 32, "%.*g", digits ? digits : 1, v);
		return;
	}
	for (prec = 16; prec <= 17; prec++) {
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

/* The hour (of unix time) a reading counts in for the charts' roll-ups. */
static int64_t
metric_hour_of(time_t at)
{
	return (int64_t)at / METRIC_HOUR_SECS;
}

struct reading {
	time_t	 at;
	double	 value;
	char	 text[32];
	size_t	 idx;		/* position in the push: the first of equal times wins */
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
		r[i].idx = i;
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

	if ((rc = db_prepare(&st, db, "SELECT coalesce(max(batch), 0) + 1 FROM metric_batches "
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

static int
reading_cmp(const void *a, const void *b)
{
	const struct reading *x = a, *y = b;

	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static int
reading_cmp_at(const void *key, const void *elem)
{
	const time_t *at = key;
	const struct reading *r = elem;

	return (*at > r->at) - (*at < r->at);
}

/*
 * "INSERT ... VALUES (?1, ?2, ?4, ?5, ?3), (?1, ?2, ?6, ?7, ?3), ...": org,
 * metric and batch bound once, then time and value per row. Many rows per
 * statement because a statement's set-up and reset, not the b-tree insert,
 * were most of the cost of a reading inserted alone.
 */
static void
metric_insert_sql(char *out, size_t len, size_t rows)
{
	size_t i, off;

	off = (size_t)snprintf(out, len, "INSERT INTO metric_readings (org_id, metric, at, value, "
	    "batch) VALUES ");
	for (i = 0; i < rows && off < len; i++)
		off += (size_t)snprintf(out + off, len - off, "%s(?1, ?2, ?%zu, ?%zu, ?3)",
		    i ? ", " : "", 4 + 2 * i, 5 + 2 * i);
	if (off < len)
		snprintf(out + off, len - off, " ON CONFLICT DO NOTHING RETURNING at");
}

/*
 * Pushes from concurrent requests queue here, not in SQLite's busy handler:
 * a writer refused the lock sleeps there in growing steps (up to 100 ms)
 * even when the lock is free again a moment later, which made concurrent
 * pipelines slower than one. The mutex hands the turn over at once.
 */
static pthread_mutex_t metric_push_lock = PTHREAD_MUTEX_INITIALIZER;

/* The two statements' texts, written once: building one costs 100 snprintf()s. */
static char metric_sql_many[METRIC_INSERT_SQL_MAX], metric_sql_one[METRIC_INSERT_SQL_MAX];
static pthread_once_t metric_sql_once = PTHREAD_ONCE_INIT;

static void
metric_sql_init(void)
{
	metric_insert_sql(metric_sql_many, sizeof(metric_sql_many), METRIC_INSERT_ROWS);
	metric_insert_sql(metric_sql_one, sizeof(metric_sql_one), 1);
}

/*
 * Inserts rows readings (1 or METRIC_INSERT_ROWS; sorted by time, no two with one time) unless the
 * metric has one at that time; marks each stored one.
 */
static int
metric_insert_rows(struct db *db, int64_t org_id, const char *ref, int64_t batch,
    struct reading *r, size_t rows)
{
	struct db_stmt *st = NULL;
	struct reading *hit;
	time_t at;
	size_t i;
	int rc;

	pthread_once(&metric_sql_once, metric_sql_init);
	if ((rc = db_prepare(&st, db, rows == 1 ? metric_sql_one : metric_sql_many)) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, batch);
	for (i = 0; i < rows; i++) {
		db_bind_int64(st, (int)(4 + 2 * i), (int64_t)r[i].at);
		db_bind_text(st, (int)(5 + 2 * i), r[i].text);
	}
	/* RETURNING gives the rows inserted in no promised order: look each up. */
	while ((rc = db_step(st)) == DB_ROW) {
		at = (time_t)db_column_int64(st, 0);
		if ((hit = bsearch(&at, r, rows, sizeof(*r), reading_cmp_at)) != NULL)
			hit->stored = true;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/*
 * Stores the readings r[0..n) (sorted by time and push order), all in one
 * transaction the caller holds: a time repeated within the push is a
 * duplicate after its first reading, as is a time the metric already has.
 */
static int
metric_insert_all(struct db *db, int64_t org_id, const char *ref, int64_t batch,
    struct reading *r, size_t n)
{
	struct reading *u;
	size_t i, nu = 0, done = 0, rows;
	int rc = 0;

	/* Distinct times, in order; the later of equal ones are duplicates. */
	if ((u = calloc(n ? n : 1, sizeof(*u))) == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "out of memory");
	for (i = 0; i < n; i++)
		if (i == 0 || r[i].at != r[i - 1].at)
			u[nu++] = r[i];
	while (done < nu) {
		rows = nu - done >= METRIC_INSERT_ROWS ? METRIC_INSERT_ROWS : 1;
		if ((rc = metric_insert_rows(db, org_id, ref, batch, u + done, rows)) != 0)
			goto done;
		done += rows;
	}
	/* Back to the push's array: u and r share the order of distinct times. */
	for (i = 0, done = 0; i < n; i++)
		if (i == 0 || r[i].at != r[i - 1].at)
			r[i].stored = u[done++].stored;
done:
	free(u);
	return rc;
}

/* The batch's row: its time range and size, for verify and the counts. */
static int
metric_batch_insert(struct db *db, int64_t org_id, const char *ref, int64_t batch,
    time_t first, time_t last, int64_t count)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO metric_batches (org_id, metric, batch, "
	    "first_at, last_at, count) VALUES (?, ?, ?, ?, ?, ?)")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, batch);
	db_bind_int64(st, 4, (int64_t)first);
	db_bind_int64(st, 5, (int64_t)last);
	db_bind_int64(st, 6, count);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

struct hour_acc {
	int64_t	 hour;
	int64_t	 count;
	double	 sum, min, max;
};

static void
hour_acc_add(struct hour_acc *h, double v)
{
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (h->count == 0 || v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
}

static int
metric_hour_upsert(struct db *db, int64_t org_id, const char *ref, const struct hour_acc *h)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO metric_hours (org_id, metric, hour, count, "
	    "sum, min, max) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, metric, hour) DO "
	    "UPDATE SET count = metric_hours.count + excluded.count, "
	    "sum = metric_hours.sum + excluded.sum, "
	    /* CASE, not SQLite's two-argument min() and max(): the same on PostgreSQL. */
	    "min = CASE WHEN excluded.min < metric_hours.min THEN excluded.min "
	    "ELSE metric_hours.min END, max = CASE WHEN excluded.max > metric_hours.max "
	    "THEN excluded.max ELSE metric_hours.max END")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, h->hour);
	db_bind_int64(st, 4, h->count);
	db_bind_double(st, 5, h->sum);
	db_bind_double(st, 6, h->min);
	db_bind_double(st, 7, h->max);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* The hours the stored readings (in time order) fall in take them in. */
static int
metric_hours_add(struct db *db, int64_t org_id, const char *ref, const struct reading *r,
    size_t n)
{
	struct hour_acc h = { 0 };
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (!r[i].stored)
			continue;
		if (h.count > 0 && metric_hour_of(r[i].at) != h.hour) {
			if ((rc = metric_hour_upsert(db, org_id, ref, &h)) != 0)
				return rc;
			memset(&h, 0, sizeof(h));
		}
		h.hour = metric_hour_of(r[i].at);
		hour_acc_add(&h, strtod(r[i].text, NULL));
	}
	return h.count > 0 ? metric_hour_upsert(db, org_id, ref, &h) : 0;
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
	struct reading *r = NULL, worst = { 0 };
	json_t *m = NULL, *batch_json = NULL;
	char bref[METRIC_REF_MAX];
	const char *dir;
	double breach;
	int64_t batch = 0, seq, stored = 0, dup = 0;
	time_t first = 0, last = 0;
	size_t n = 0, i;
	int nbreach = 0, rc;
	bool locked = false;
	struct ledger_event ev;

	*out = NULL;
	if ((rc = metric_parse(&r, &n, readings)) != 0)
		return rc;
	/* Time order: one pass groups hours, and the ledger entry lists them so. */
	qsort(r, n, sizeof(*r), reading_cmp);
	/*
	 * A caller inside its own transaction (a red-team import) already holds
	 * the write lock: taking the mutex after it could wait on a push that
	 * waits on that lock. Only a push that starts its own transaction queues.
	 */
	if (!db_in_transaction(db)) {
		pthread_mutex_lock(&metric_push_lock);
		locked = true;
	}
	if ((rc = db_begin(db)) != 0)
		goto done;
	if ((rc = record_get(&m, db, org_id, k, ref)) != 0)
		goto done;
	if (json_is_true(json_object_get(m, "retired"))) {
		rc = aims_error_set(AIMS_ECONFLICT, "ref", "metric %s is retired", ref);
		goto done;
	}
	if ((rc = metric_next_batch(&batch, db, org_id, ref)) != 0 ||
	    (rc = metric_insert_all(db, org_id, ref, batch, r, n)) != 0)
		goto done;
	dir = record__str(m, "direction");
	breach = metric_threshold(m, "breach");
	batch_json = metric_batch_json(ref, batch);
	for (i = 0; i < n; i++) {
		if (!r[i].stored) {
			dup++;
			continue;
		}
		if (stored++ == 0)
			first = r[i].at;
		last = r[i].at;
		metric_batch_add(batch_json, r[i].at, r[i].text);
		if (metric_worse(dir, r[i].value, breach)) {
			if (nbreach++ == 0 || metric_worse(dir, r[i].value, worst.value))
				worst = r[i];
		}
	}
	*out = json_pack("{s:I, s:I, s:i, s:n}", "stored", (json_int_t)stored,
	    "duplicates", (json_int_t)dup, "breaches", nbreach, "opened");
	if (stored > 0) {
		/*
		 * The entry commits to the batch as stored, in the form verify
		 * reads it back (metric_load_for_ledger()): built from the
		 * readings in memory rather than read back.
		 */
		snprintf(bref, sizeof(bref), "%s/%lld", ref, (long long)batch);
		ev = (struct ledger_event){ .org_id = org_id, .actor = actor->name,
		    .action = "readings", .kind = METRIC_LEDGER_KIND, .ref = bref, .version = 1,
		    .record = batch_json };
		if ((rc = metric_batch_insert(db, org_id, ref, batch, first, last, stored)) != 0 ||
		    (rc = metric_hours_add(db, org_id, ref, r, n)) != 0 ||
		    (rc = ledger_append(&seq, db, &ev)) != 0)
			goto done;
	}
	if (nbreach > 0 && (rc = metric_breach(*out, db, org_id, actor, ref, m, &worst,
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
	if (locked)
		pthread_mutex_unlock(&metric_push_lock);
	json_decref(batch_json);
	json_decref(m);
	free(r);
	return rc;
}

static void
series_point(json_t *pts, int64_t at, double mean, double min, double max, int64_t n)
{
	char t[CLOCK_RFC3339_LEN];

	clock_format(t, (time_t)at);
	json_array_append_new(pts, json_pack("{s:s, s:f, s:f, s:f, s:I}", "at", t, "value", mean,
	    "min", min, "max", max, "n", (json_int_t)n));
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
		series_point(pts, db_column_int64(st, 0), v, v, v, 1);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/*
 * Equal time buckets from origin, filled in time order: a bucket is closed
 * when an item falls past it, so no sort and no temporary table is needed.
 * An item is a reading or an hour's roll-up (count, sum, min, max).
 */
struct bucketer {
	json_t	*pts;
	time_t	 origin;
	int64_t	 width;
	int64_t	 bucket;	/* -1: none open */
	int64_t	 first;		/* time of the bucket's first item */
	struct hour_acc acc;
	int64_t	 total;		/* readings taken in */
};

static void
bucketer_flush(struct bucketer *b)
{
	if (b->acc.count > 0)
		series_point(b->pts, b->first, b->acc.sum / (double)b->acc.count, b->acc.min,
		    b->acc.max, b->acc.count);
	memset(&b->acc, 0, sizeof(b->acc));
}

static void
bucketer_add(struct bucketer *b, int64_t at, int64_t count, double sum, double min, double max)
{
	int64_t k = (at - (int64_t)b->origin) / b->width;

	if (k != b->bucket) {
		bucketer_flush(b);
		b->bucket = k;
		b->first = at;
	}
	if (b->acc.count == 0 || min < b->acc.min)
		b->acc.min = min;
	if (b->acc.count == 0 || max > b->acc.max)
		b->acc.max = max;
	b->acc.count += count;
	b->acc.sum += sum;
	b->total += count;
}

/* The readings of ref in [from, to] into the buckets. */
static int
series_raw(struct bucketer *b, struct db *db, int64_t org_id, const char *ref, time_t from,
    time_t to)
{
	struct db_stmt *st = NULL;
	double v;
	int rc;

	if (to < from)
		return 0;
	if ((rc = db_prepare(&st, db, "SELECT at, value FROM metric_readings WHERE org_id = ? "
	    "AND metric = ? AND at BETWEEN ? AND ? ORDER BY at")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, from);
	db_bind_int64(st, 4, to);
	while ((rc = db_step(st)) == DB_ROW) {
		v = strtod(db_column_text(st, 1), NULL);
		bucketer_add(b, db_column_int64(st, 0), 1, v, v, v);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* The hourly roll-ups of ref for hours [h0, h1) into the buckets. */
static int
series_hours(struct bucketer *b, struct db *db, int64_t org_id, const char *ref, int64_t h0,
    int64_t h1)
{
	struct db_stmt *st = NULL;
	int rc;

	if (h1 <= h0)
		return 0;
	if ((rc = db_prepare(&st, db, "SELECT hour, count, sum, min, max FROM metric_hours "
	    "WHERE org_id = ? AND metric = ? AND hour >= ? AND hour < ? ORDER BY hour")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, h0);
	db_bind_int64(st, 4, h1);
	while ((rc = db_step(st)) == DB_ROW)
		bucketer_add(b, db_column_int64(st, 0) * METRIC_HOUR_SECS, db_column_int64(st, 1),
		    db_column_double(st, 2), db_column_double(st, 3), db_column_double(st, 4));
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/*
 * Downsampled into at most max_points equal time buckets. Within a bucket,
 * the whole hours come from the hours' roll-ups and only the part-hours at
 * its ends from the readings. When rounding the width up to whole hours
 * costs at most a tenth of the points, the buckets are whole hours from the
 * hour `from` falls in, and the readings are read only at the range's two
 * ends: a year of per-minute readings is then 8,760 roll-ups and at most
 * 118 readings rather than 525,600. Every point is exact either way.
 */
static int
series_downsampled(json_t *pts, int64_t *count, struct db *db, int64_t org_id,
    const char *ref, time_t from, time_t to, int max_points)
{
	struct bucketer b = { .pts = pts, .origin = from, .bucket = -1 };
	int64_t span = (int64_t)to - (int64_t)from + 1, hours, s, e, hs, he, k;
	int rc = 0;

	b.width = span / max_points + (span % max_points != 0);
	hours = (b.width + METRIC_HOUR_SECS - 1) / METRIC_HOUR_SECS;
	if (hours * METRIC_HOUR_SECS * 10 <= b.width * 11) {
		b.origin = (time_t)(floor_div(from, METRIC_HOUR_SECS) * METRIC_HOUR_SECS);
		span = (int64_t)to - (int64_t)b.origin + 1;
		hours = (span / max_points + (span % max_points != 0) + METRIC_HOUR_SECS - 1) /
		    METRIC_HOUR_SECS;
		b.width = hours * METRIC_HOUR_SECS;
	}
	for (k = 0; rc == 0 && (int64_t)b.origin + k * b.width <= (int64_t)to; k++) {
		s = (int64_t)b.origin + k * b.width;
		s = s < (int64_t)from ? (int64_t)from : s;
		e = (int64_t)b.origin + (k + 1) * b.width;	/* exclusive */
		e = e > (int64_t)to + 1 ? (int64_t)to + 1 : e;
		hs = floor_div(s + METRIC_HOUR_SECS - 1, METRIC_HOUR_SECS);
		he = floor_div(e, METRIC_HOUR_SECS);
		if (hs >= he) {
			rc = series_raw(&b, db, org_id, ref, (time_t)s, (time_t)(e - 1));
			continue;
		}
		if ((rc = series_raw(&b, db, org_id, ref, (time_t)s,
		    (time_t)(hs * METRIC_HOUR_SECS - 1))) != 0 ||
		    (rc = series_hours(&b, db, org_id, ref, hs, he)) != 0)
			break;
		rc = series_raw(&b, db, org_id, ref, (time_t)(he * METRIC_HOUR_SECS),
		    (time_t)(e - 1));
	}
	bucketer_flush(&b);
	*count = b.total;
	return rc;
}

int
metric_series(json_t **out, struct db *db, int64_t org_id, const char *ref, time_t from,
    time_t to, int max_points)
{
	struct db_stmt *st = NULL;
	json_t *pts = json_array();
	char t[CLOCK_RFC3339_LEN];
	int64_t count = 0;
	bool downsampled;
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
	    "WHERE org_id = ? AND metric = ? AND at BETWEEN ? AND ? LIMIT ?) x")) != 0)
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
	downsampled = count > max_points;
	if (!downsampled)
		rc = series_plain(pts, db, org_id, ref, from, to);
	else
		rc = series_downsampled(pts, &count, db, org_id, ref, from, to, max_points);
	if (rc != 0)
		goto done;
	*out = json_pack("{s:s, s:I, s:b, s:o}", "metric", ref, "count", (json_int_t)count,
	    "downsampled", downsampled, "points", pts);
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
	if ((rc = db_prepare(&st, db, "SELECT r.ref, r.data, (SELECT coalesce(sum(count), 0) "
	    "FROM metric_batches b WHERE b.org_id = r.org_id AND b.metric = r.ref), "
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
		json_object_set(e, "evaluation", json_object_get(m, "evaluation") ?
		    json_object_get(m, "evaluation") : json_null());
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
	/* The batch's rows lie in its time range: the key's range, no batch index. */
	if ((rc = db_prepare(&st, db, "SELECT r.at, r.value FROM metric_batches b JOIN "
	    "metric_readings r ON r.org_id = b.org_id AND r.metric = b.metric AND r.at BETWEEN "
	    "b.first_at AND b.last_at WHERE b.org_id = ? AND b.metric = ? AND b.batch = ? AND "
	    "r.batch = b.batch ORDER BY r.at")) != 0)
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

	if ((rc = db_prepare(&st, db, "SELECT metric, batch FROM metric_batches "
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

/*
 * Each batch row must describe its readings exactly (first and last time,
 * count), and every batch of readings must have its row: verify reaches a
 * batch's readings through that row.
 */
static int
metric_verify_batches(struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "WITH g AS (SELECT metric, batch, min(at) AS f, "
	    "max(at) AS l, count(*) AS n FROM metric_readings WHERE org_id = ?1 GROUP BY "
	    "metric, batch) SELECT g.metric, g.batch, 'its row says other times or another "
	    "number of readings than the table holds' FROM g JOIN metric_batches b ON "
	    "b.org_id = ?1 AND b.metric = g.metric AND b.batch = g.batch WHERE b.first_at <> g.f "
	    "OR b.last_at <> g.l OR b.count <> g.n UNION ALL SELECT g.metric, g.batch, 'has "
	    "readings but no batch row' FROM g WHERE NOT EXISTS (SELECT 1 FROM metric_batches b "
	    "WHERE b.org_id = ?1 AND b.metric = g.metric AND b.batch = g.batch) UNION ALL "
	    "SELECT b.metric, b.batch, 'has a batch row but no readings' FROM metric_batches b "
	    "WHERE b.org_id = ?1 AND NOT EXISTS (SELECT 1 FROM g WHERE g.metric = b.metric AND "
	    "g.batch = b.batch) LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW)
		rc = aims_error_set(AIMS_EVERIFY, NULL, "metric readings %s/%lld: %s",
		    db_column_text(st, 0), (long long)db_column_int64(st, 1), db_column_text(st, 2));
	else
		rc = rc < 0 ? rc : 0;
	db_done(st);
	return rc;
}

/* Sums are kept in push order and recomputed in time order: equal up to rounding. */
static bool
metric_close(double a, double b, double scale)
{
	return fabs(a - b) <= METRIC_VERIFY_REL * (scale > 1.0 ? scale : 1.0);
}

struct hour_row {
	bool	 valid;
	char	 metric[METRIC_REF_MAX];
	struct hour_acc h;
};

static int
metric_hour_cmp(const struct hour_row *a, const struct hour_row *b)
{
	int c;

	if (!a->valid || !b->valid)
		return a->valid ? -1 : b->valid ? 1 : 0;
	if ((c = strcmp(a->metric, b->metric)) != 0)
		return c;
	return (a->h.hour > b->h.hour) - (a->h.hour < b->h.hour);
}

/* The next hour recomputed from the readings (in key order), or !valid at the end. */
static int
metric_hour_next_read(struct hour_row *out, double *abs_sum, struct db_stmt *st, int *pending)
{
	const char *metric;
	int64_t hour;
	double v;
	int rc;

	out->valid = false;
	memset(&out->h, 0, sizeof(out->h));
	*abs_sum = 0;
	/* *pending: 1 a row read is the next hour's, -1 the readings are done. */
	for (;;) {
		if (*pending < 0)
			return 0;
		if (*pending == 0 && (rc = db_step(st)) != DB_ROW) {
			*pending = -1;	/* stepping again would start the query over */
			return rc < 0 ? rc : 0;
		}
		*pending = 0;
		metric = db_column_text(st, 0);
		hour = metric_hour_of((time_t)db_column_int64(st, 1));
		if (out->valid && (hour != out->h.hour || strcmp(metric, out->metric) != 0)) {
			*pending = 1;	/* the row starts the next hour */
			return 0;
		}
		if (!out->valid) {
			out->valid = true;
			snprintf(out->metric, sizeof(out->metric), "%s", metric);
			out->h.hour = hour;
		}
		v = strtod(db_column_text(st, 2), NULL);
		hour_acc_add(&out->h, v);
		*abs_sum += fabs(v);
	}
}

static int
metric_hour_next_kept(struct hour_row *out, struct db_stmt *st)
{
	int rc;

	out->valid = false;
	if ((rc = db_step(st)) != DB_ROW)
		return rc < 0 ? rc : 0;
	out->valid = true;
	snprintf(out->metric, sizeof(out->metric), "%s", db_column_text(st, 0));
	out->h.hour = db_column_int64(st, 1);
	out->h.count = db_column_int64(st, 2);
	out->h.sum = db_column_double(st, 3);
	out->h.min = db_column_double(st, 4);
	out->h.max = db_column_double(st, 5);
	return 0;
}

/*
 * The hourly roll-ups a chart reads must be the readings' own: one pass over
 * the readings in key order, merged with the hours in key order.
 */
static int
metric_verify_hours(struct db *db, int64_t org_id)
{
	struct db_stmt *rd = NULL, *kp = NULL;
	struct hour_row want, got;
	char when[CLOCK_RFC3339_LEN];
	double abs_sum = 0;
	int pending = 0, c, rc;

	if ((rc = db_prepare(&rd, db, "SELECT metric, at, value FROM metric_readings "
	    "WHERE org_id = ? ORDER BY metric, at")) != 0 ||
	    (rc = db_prepare(&kp, db, "SELECT metric, hour, count, sum, min, max FROM "
	    "metric_hours WHERE org_id = ? ORDER BY metric, hour")) != 0)
		goto done;
	db_bind_int64(rd, 1, org_id);
	db_bind_int64(kp, 1, org_id);
	if ((rc = metric_hour_next_read(&want, &abs_sum, rd, &pending)) != 0 ||
	    (rc = metric_hour_next_kept(&got, kp)) != 0)
		goto done;
	while (want.valid || got.valid) {
		c = metric_hour_cmp(&want, &got);
		clock_format(when, (time_t)((c <= 0 ? want.h.hour : got.h.hour) *
		    METRIC_HOUR_SECS));
		if (c < 0) {
			rc = aims_error_set(AIMS_EVERIFY, NULL, "metric %s: the hour from %s has "
			    "readings but no roll-up", want.metric, when);
			goto done;
		}
		if (c > 0) {
			rc = aims_error_set(AIMS_EVERIFY, NULL, "metric %s: the hour from %s has a "
			    "roll-up but no readings", got.metric, when);
			goto done;
		}
		if (want.h.count != got.h.count || !metric_close(want.h.min, got.h.min,
		    fabs(want.h.min)) || !metric_close(want.h.max, got.h.max, fabs(want.h.max)) ||
		    !metric_close(want.h.sum, got.h.sum, abs_sum)) {
			rc = aims_error_set(AIMS_EVERIFY, NULL, "metric %s: the roll-up of the hour "
			    "from %s says %lld readings, sum %.17g, min %.17g, max %.17g; the "
			    "readings give %lld, %.17g, %.17g, %.17g", want.metric, when,
			    (long long)got.h.count, got.h.sum, got.h.min, got.h.max,
			    (long long)want.h.count, want.h.sum, want.h.min, want.h.max);
			goto done;
		}
		if ((rc = metric_hour_next_read(&want, &abs_sum, rd, &pending)) != 0 ||
		    (rc = metric_hour_next_kept(&got, kp)) != 0)
			goto done;
	}
done:
	db_done(rd);
	db_done(kp);
	return rc;
}

int
metric_verify_derived(struct db *db, int64_t org_id)
{
	int rc;

	if ((rc = metric_verify_batches(db, org_id)) != 0)
		return rc;
	return metric_verify_hours(db, org_id);
}
