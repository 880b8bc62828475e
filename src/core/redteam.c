/*
 * redteam.c - red-team and evaluation runs as evidence, metric readings and
 * a flag when a run is worse than the one before (core/redteam.h). Every
 * write goes through the record engine, evidence.c and metric.c, in one
 * transaction.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/evidence.h"
#include "core/metric.h"
#include "core/query.h"
#include "core/record_private.h"
#include "core/redteam.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"

void
redteam_rate(char out[32], json_int_t failed, json_int_t attempts)
{
	double r = attempts > 0 ? 100.0 * (double)failed / (double)attempts : 0.0;
	char *dot;
	size_t n;

	snprintf(out, 32, "%.2f", r);
	/* "12.50" -> "12.5", "25.00" -> "25": the shortest text of the same value. */
	if ((dot = strchr(out, '.')) != NULL) {
		n = strlen(out);
		while (n > 0 && out[n - 1] == '0')
			out[--n] = '\0';
		if (n > 0 && out[n - 1] == '.')
			out[--n] = '\0';
	}
}

struct rt_find {
	struct db	*db;
	int64_t		 org_id;
	const char	*run_id;
	const char	*before;	/* collected_at the previous run is older than */
	char		 same[RECORD_REF_MAX];	/* this run, imported before */
	char		 prev[RECORD_REF_MAX];	/* the latest run before it */
	char		 prev_at[CLOCK_RFC3339_LEN];
	bool		 newer;		/* a later run of the tool is there already */
};

static int
rt_visit_run(void *arg, const char *ref, const bool *flags)
{
	struct rt_find *f = arg;
	json_t *ev = NULL;
	const char *run, *at;
	int rc;

	(void)flags;
	if ((rc = record_get(&ev, f->db, f->org_id, record_kind_find("evidence"), ref)) != 0)
		return rc;
	run = record__str(ev, "run_id");
	at = record__str(ev, "collected_at");
	if (run && strcmp(run, f->run_id) == 0)
		snprintf(f->same, sizeof(f->same), "%s", ref);
	else if (at && strcmp(at, f->before) > 0)
		f->newer = true;
	else if (at && strcmp(at, f->before) < 0 && strcmp(at, f->prev_at) > 0) {
		snprintf(f->prev, sizeof(f->prev), "%s", ref);
		snprintf(f->prev_at, sizeof(f->prev_at), "%s", at);
	}
	json_decref(ev);
	return 0;
}

/* This run imported before, and the latest earlier run of the tool on the system. */
static int
rt_find_runs(struct rt_find *f, const char *tool, const char *ais)
{
	struct query_scope s;
	json_t *where, *vars = json_pack("{s:s, s:s}", "tool", tool, "ais", ais);
	int rc;

	/* Values go in as variables: a literal "$..." would be read as one. */
	query_scope_init(&s, f->db, f->org_id, clock_now(), vars);
	where = json_pack("[{s:s, s:s}, {s:s, s:s}]", "field", "run_tool", "eq", "$tool",
	    "field", "ai_systems", "contains", "$ais");
	rc = query_select(&s, "evidence", where, NULL, 0, rt_visit_run, f);
	json_decref(where);
	json_decref(vars);
	return rc;
}

static const json_t *
rt_family(const json_t *results, const char *family)
{
	const json_t *r;
	size_t i;

	json_array_foreach(results, i, r)
		if (strcmp(record__str(r, "family") ? record__str(r, "family") : "", family) == 0)
			return r;
	return NULL;
}

/* Is failed/attempts of a worse than of b? Compared exactly, without rounding. */
static bool
rt_worse(const json_t *a, const json_t *b)
{
	json_int_t fa = json_integer_value(json_object_get(a, "failed"));
	json_int_t na = json_integer_value(json_object_get(a, "attempts"));
	json_int_t fb = json_integer_value(json_object_get(b, "failed"));
	json_int_t nb = json_integer_value(json_object_get(b, "attempts"));

	if (na <= 0 || nb <= 0)
		return false;
	return (long double)fa * (long double)nb > (long double)fb * (long double)na;
}

/*
 * What got worse since prev (an evidence record), in words; empty when
 * nothing did: each probe family both runs tried whose failure rate rose,
 * and the overall rate when both tried the same families.
 */
static void
rt_compare(struct buf *why, const json_t *run, const json_t *prev)
{
	const json_t *r, *p, *results = json_object_get(prev, "run_results");
	json_int_t pa = 0, pf = 0;
	char now[32], was[32];
	bool same = json_array_size(results) == json_array_size(json_object_get(run, "results"));
	size_t i;

	json_array_foreach(results, i, p) {
		pa += json_integer_value(json_object_get(p, "attempts"));
		pf += json_integer_value(json_object_get(p, "failed"));
	}
	json_array_foreach(json_object_get(run, "results"), i, r) {
		if ((p = rt_family(results, record__str(r, "family"))) == NULL) {
			same = false;
			continue;
		}
		if (!rt_worse(r, p))
			continue;
		redteam_rate(now, json_integer_value(json_object_get(r, "failed")),
		    json_integer_value(json_object_get(r, "attempts")));
		redteam_rate(was, json_integer_value(json_object_get(p, "failed")),
		    json_integer_value(json_object_get(p, "attempts")));
		buf_printf(why, "%s%s failed %s%% (was %s%%)", why->len ? "; " : "",
		    record__str(r, "family"), now, was);
	}
	/* The totals only compare when both runs tried the same probe families. */
	if (same && pa > 0 && json_integer_value(json_object_get(run, "attempts")) > 0 &&
	    (long double)json_integer_value(json_object_get(run, "failed")) * pa >
	    (long double)pf * json_integer_value(json_object_get(run, "attempts"))) {
		redteam_rate(now, json_integer_value(json_object_get(run, "failed")),
		    json_integer_value(json_object_get(run, "attempts")));
		redteam_rate(was, pf, pa);
		buf_printf(why, "%soverall %s%% failed (was %s%%)", why->len ? "; " : "", now, was);
	}
}

static int
rt_visit_first(void *arg, const char *ref, const bool *flags)
{
	(void)flags;
	snprintf(arg, RECORD_REF_MAX, "%s", ref);
	return 1;
}

/* The metric of a probe family on the system: found by its source, else made. */
static int
rt_metric(char ref[RECORD_REF_MAX], struct db *db, int64_t org_id, const struct actor *actor,
    const char *ais, const char *tool, const char *family)
{
	const struct record_kind *k = record_kind_find("metrics");
	char source[200], title[300];
	struct query_scope s;
	json_t *where, *fields, *rec = NULL, *vars;
	int rc;

	snprintf(source, sizeof(source), "%s:%s", tool, family);
	vars = json_pack("{s:s, s:s}", "ais", ais, "source", source);
	query_scope_init(&s, db, org_id, clock_now(), vars);
	where = json_pack("[{s:s, s:s}, {s:s, s:s}]", "field", "ai_system", "eq", "$ais", "field",
	    "source", "eq", "$source");
	ref[0] = '\0';
	rc = query_select(&s, "metrics", where, NULL, 0, rt_visit_first, ref);
	json_decref(where);
	json_decref(vars);
	if (rc < 0 || ref[0])
		return rc < 0 ? rc : 0;
	snprintf(title, sizeof(title), "%s %s failure rate", tool, family);
	fields = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:[s]}", "title", title,
	    "ai_system", ais, "description", "Share of the probe family's attempts that the "
	    "model failed in red-team and evaluation runs (imported from the tool's report).",
	    "unit", "%", "direction", "lower_is_better", "interval_hours",
	    REDTEAM_METRIC_INTERVAL, "source", source, "on_breach", "none", "requirements",
	    "A.6.2.4");
	rc = record_create(&rec, db, org_id, actor, k, fields);
	if (rc == 0)
		snprintf(ref, RECORD_REF_MAX, "%s", record__str(rec, "ref"));
	json_decref(rec);
	json_decref(fields);
	return rc;
}

/* Equal values, a missing one being null. */
static bool
rt_same_value(const json_t *a, const json_t *b)
{
	if (a == NULL || json_is_null(a))
		return b == NULL || json_is_null(b);
	return b != NULL && json_equal((json_t *)a, (json_t *)b);
}

/* The union of the results' list `key` (owasp_llm, atlas, controls), in order. */
static json_t *
rt_union(const json_t *results, const char *key, const char *first)
{
	json_t *out = json_array(), *seen = json_object();
	const json_t *r, *v;
	size_t i, j;

	if (first) {
		json_array_append_new(out, json_string(first));
		json_object_set_new(seen, first, json_true());
	}
	json_array_foreach(results, i, r)
		json_array_foreach(json_object_get(r, key), j, v)
			if (json_is_string(v) && !json_object_get(seen, json_string_value(v))) {
				json_object_set_new(seen, json_string_value(v), json_true());
				json_array_append(out, (json_t *)v);
			}
	json_decref(seen);
	return out;
}

/* Each family's failure rate as a reading of its metric; fills results[i].metric. */
static int
rt_readings(json_t *results, json_t *summary, struct db *db, int64_t org_id,
    const struct actor *actor, const char *ais, const json_t *run)
{
	const char *tool = record__str(run, "tool"), *at = record__str(run, "finished_at");
	json_t *r, *readings, *out = NULL, *metrics = json_object_get(summary, "metrics");
	json_int_t n, f, stored = 0, breaches = 0;
	char ref[RECORD_REF_MAX], rate[32];
	size_t i;
	int rc = 0;

	if (at == NULL)
		at = record__str(run, "started_at");
	json_array_foreach(results, i, r) {
		n = json_integer_value(json_object_get(r, "attempts"));
		f = json_integer_value(json_object_get(r, "failed"));
		redteam_rate(rate, f, n);
		json_object_set_new(r, "failure_rate", json_string(rate));
		if (n <= 0)
			continue;
		if ((rc = rt_metric(ref, db, org_id, actor, ais, tool,
		    record__str(r, "family"))) != 0)
			return rc;
		json_object_set_new(r, "metric", json_string(ref));
		json_array_append_new(metrics, json_string(ref));
		readings = json_pack("[{s:s, s:f}]", "at", at, "value",
		    100.0 * (double)f / (double)n);
		rc = metric_readings_push(&out, db, org_id, actor, ref, readings);
		json_decref(readings);
		if (rc != 0)
			return rc;
		stored += json_integer_value(json_object_get(out, "stored"));
		breaches += json_integer_value(json_object_get(out, "breaches"));
		json_decref(out);
		out = NULL;
	}
	json_object_set_new(summary, "readings_stored", json_integer(stored));
	json_object_set_new(summary, "breaches", json_integer(breaches));
	return 0;
}

/* Copies the run's results into the evidence's form (the fields kind_evidence.c declares). */
static json_t *
rt_results(const json_t *run)
{
	static const char *const keys[] = {
		"family", "probes", "attempts", "failed", "owasp_llm", "atlas", "controls", NULL,
	};
	json_t *out = json_array(), *o, *v;
	const json_t *r;
	size_t i, k;

	json_array_foreach(json_object_get(run, "results"), i, r) {
		o = json_object();
		for (k = 0; keys[k]; k++)
			if ((v = json_object_get(r, keys[k])) != NULL && !json_is_null(v) &&
			    !(json_is_array(v) && json_array_size(v) == 0))
				json_object_set(o, keys[k], v);
		json_array_append_new(out, o);
	}
	return out;
}

int
redteam_store(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ais_ref, const json_t *run, const struct evidence_upload *up, int flags)
{
	const struct record_kind *evk = record_kind_find("evidence");
	const struct record_kind *aisk = record_kind_find("ai-systems");
	struct rt_find find = { .db = db, .org_id = org_id };
	const char *tool = record__str(run, "tool"), *target = record__str(run, "target");
	json_t *ais = NULL, *ev = NULL, *prev = NULL, *fields = NULL, *results = NULL;
	json_t *sum = NULL, *out = NULL;
	struct buf why = BUF_INIT, desc = BUF_INIT;
	char *data_dir = NULL, title[300], rate[32], ref[RECORD_REF_MAX];
	bool in_tx = false;
	int rc;

	*summary = NULL;
	find.run_id = record__str(run, "run_id");
	find.before = record__str(run, "started_at");
	if (tool == NULL || find.run_id == NULL || find.before == NULL)
		return aims_error_set(AIMS_EINVALID, "run", "a run needs its tool, run id and start");
	if (json_array_size(json_object_get(run, "results")) > REDTEAM_FAMILIES_MAX)
		return aims_error_set(AIMS_ETOOBIG, "results", "a run holds at most %d probe "
		    "families", REDTEAM_FAMILIES_MAX);
	if ((rc = db_begin(db)) != 0)
		return rc;
	in_tx = true;
	if ((rc = record_get(&ais, db, org_id, aisk, ais_ref)) != 0) {
		if (rc == AIMS_ENOTFOUND)
			rc = aims_error_set(rc, "ai_system", "no AI system %s in this organisation",
			    ais_ref);
		goto done;
	}
	ais_ref = record__str(ais, "ref");
	if ((rc = rt_find_runs(&find, tool, ais_ref)) != 0)
		goto done;
	if (find.same[0]) {
		/* The same run again: nothing changes, the answer names what it made. */
		db_rollback(db);
		in_tx = false;
		if ((rc = record_get(&ev, db, org_id, evk, find.same)) == 0)
			*summary = json_pack("{s:s, s:s, s:O, s:O, s:O, s:[], s:i, s:i, s:b}",
			    "evidence", find.same, "ai_system", ais_ref, "failure_rate",
			    json_object_get(ev, "run_failure_rate"), "worse_than",
			    json_object_get(ev, "worse_than"), "worse_why",
			    json_object_get(ev, "worse_why"), "metrics", "readings_stored", 0,
			    "breaches", 0, "already_imported", 1);
		goto done;
	}
	sum = json_pack("{s:s, s:[]}", "ai_system", ais_ref, "metrics");
	results = rt_results(run);
	if ((rc = rt_readings(results, sum, db, org_id, actor, ais_ref, run)) != 0)
		goto done;
	redteam_rate(rate, json_integer_value(json_object_get(run, "failed")),
	    json_integer_value(json_object_get(run, "attempts")));
	snprintf(title, sizeof(title), "%s run %.80s%s%.120s", tool, find.run_id,
	    target ? " on " : "", target ? target : "");
	buf_printf(&desc, "%s %s run of %s: %lld of %lld attempts failed (%s%%).", tool,
	    record__str(run, "tool_version") ? record__str(run, "tool_version") : "", ais_ref,
	    (long long)json_integer_value(json_object_get(run, "failed")),
	    (long long)json_integer_value(json_object_get(run, "attempts")), rate);
	fields = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:[s]}", "title", title, "kind",
	    "file", "description", buf_str(&desc), "collected_at", find.before, "source", "ci",
	    "requirements", rt_union(json_object_get(run, "results"), "controls", "A.6.2.4"),
	    "ai_systems", ais_ref);
	evidence_data_dir(&data_dir, db_path(db));
	/*
	 * A check keeps nothing, so it stores no file either (a blob written
	 * under a transaction rolled back would stay on disk): the file's type
	 * is checked as the store would.
	 */
	if ((flags & REDTEAM_CHECK) && up != NULL) {
		char *type = NULL;

		rc = evidence_media_type(&type, up->path);
		free(type);
		if (rc != 0)
			goto done;
	}
	if ((rc = evidence_save(&ev, db, data_dir, org_id, actor, NULL, 0, fields,
	    (flags & REDTEAM_CHECK) ? NULL : up)) != 0)
		goto done;
	snprintf(ref, sizeof(ref), "%s", record__str(ev, "ref"));
	if (find.prev[0]) {
		if ((rc = record_get(&prev, db, org_id, evk, find.prev)) != 0)
			goto done;
		rt_compare(&why, run, prev);
	}
	json_decref(fields);
	fields = json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:O, s:o, s:o, s:s?, s:s?}",
	    "run_tool", tool, "run_id", find.run_id, "run_tool_version",
	    record__str(run, "tool_version"), "run_target", target, "run_failure_rate", rate,
	    "run_results", results, "owasp_llm", rt_union(results, "owasp_llm", NULL),
	    "atlas", rt_union(results, "atlas", NULL), "worse_than",
	    why.len ? find.prev : NULL, "worse_why", why.len ? buf_str(&why) : NULL);
	json_decref(ev);
	ev = NULL;
	if ((rc = record__update_system(&ev, db, org_id, actor, evk, ref, 0, "run", fields)) != 0)
		goto done;
	/* The system shows the latest run's verdict; an older run imported late does not. */
	if (!find.newer) {
		json_t *flag = json_pack("{s:o, s:o}", "redteam_worse_run", why.len ?
		    json_string(ref) : json_null(), "redteam_worse_why", why.len ?
		    json_string(buf_str(&why)) : json_null());

		/* Written only when it changes: a run no worse than a good one writes nothing. */
		if (!rt_same_value(json_object_get(ais, "redteam_worse_run"),
		    json_object_get(flag, "redteam_worse_run")) ||
		    !rt_same_value(json_object_get(ais, "redteam_worse_why"),
		    json_object_get(flag, "redteam_worse_why")))
			rc = record__update_system(&out, db, org_id, actor, aisk, ais_ref, 0,
			    "redteam", flag);
		json_decref(flag);
		if (rc != 0)
			goto done;
	}
	in_tx = false;
	if (flags & REDTEAM_CHECK)
		db_rollback(db);
	else if ((rc = db_commit(db)) != 0)
		goto done;
	json_object_set_new(sum, "evidence", json_string(ref));
	json_object_set_new(sum, "failure_rate", json_string(rate));
	json_object_set_new(sum, "worse_than", why.len ? json_string(find.prev) : json_null());
	json_object_set_new(sum, "worse_why", why.len ? json_string(buf_str(&why)) :
	    json_null());
	json_object_set(sum, "owasp_llm", json_object_get(ev, "owasp_llm"));
	json_object_set(sum, "atlas", json_object_get(ev, "atlas"));
	json_object_set(sum, "requirements", json_object_get(ev, "requirements"));
	json_object_set_new(sum, "already_imported", json_false());
	json_object_set_new(sum, "checked_only", json_boolean(flags & REDTEAM_CHECK));
	*summary = sum;
	sum = NULL;
done:
	if (in_tx)
		db_rollback(db);
	free(data_dir);
	buf_free(&why);
	buf_free(&desc);
	json_decref(ais);
	json_decref(ev);
	json_decref(prev);
	json_decref(fields);
	json_decref(results);
	json_decref(sum);
	json_decref(out);
	return rc;
}
