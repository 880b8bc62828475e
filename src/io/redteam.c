/*
 * redteam.c - garak and promptfoo reports into runs (io/redteam.h), labelled
 * from the probe mapping table compiled in from catalog/redteam/.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/evidence.h"
#include "core/redteam.h"
#include "io/redteam.h"
#include "util/buf.h"
#include "util/embed.h"
#include "util/error.h"

#define RT_MAP_FILE		"redteam-map.json"
#define RT_FAMILY_MAX		64	/* bytes of a family name */
#define RT_PATH_MAX		128

static json_t *rt_map;	/* the mapping table, read-only once loaded */
static pthread_once_t rt_map_once = PTHREAD_ONCE_INIT;

static void
rt_map_load(void)
{
	const struct embed_file *f = embed_find(redteam_files, RT_MAP_FILE);

	rt_map = f ? json_loadb((const char *)f->data, f->len, 0, NULL) : NULL;
	if (rt_map == NULL)
		rt_map = json_object();
}

int
redteam_parse_format(enum redteam_format *out, const char *s)
{
	if (s && strcmp(s, "garak") == 0)
		*out = REDTEAM_GARAK;
	else if (s && strcmp(s, "promptfoo") == 0)
		*out = REDTEAM_PROMPTFOO;
	else
		return aims_error_set(AIMS_EINVALID, "format", "format '%.40s' is not known "
		    "(cyclonedx, modelcard, garak, promptfoo)", s ? s : "");
	return 0;
}

/* Appends the strings of src to dst that dst lacks. */
static void
rt_add_all(json_t *dst, const json_t *src)
{
	const json_t *v, *w;
	size_t i, j;

	json_array_foreach(src, i, v) {
		json_array_foreach(dst, j, w)
			if (json_equal((json_t *)v, (json_t *)w))
				break;
		if (j == json_array_size(dst) && json_is_string(v))
			json_array_append(dst, (json_t *)v);
	}
}

static void
rt_add(json_t *dst, const char *s)
{
	json_t *one = json_pack("[s]", s);

	rt_add_all(dst, one);
	json_decref(one);
}

/* The family of name: its tool's key in the table. */
static json_t *
rt_family_get(json_t *families, const char *name)
{
	json_t *fam = json_object_get(families, name);

	if (fam == NULL) {
		fam = json_pack("{s:s, s:[], s:I, s:I, s:[], s:[], s:[]}", "family", name,
		    "probes", "attempts", (json_int_t)0, "failed", (json_int_t)0, "owasp_llm",
		    "atlas", "controls");
		json_object_set_new(families, name, fam);
	}
	return fam;
}

/* Labels a family from the table (key "tool:family"), else from its probes' tags. */
static void
rt_label(json_t *fam, const char *tool, const char *extra_key, const json_t *tags)
{
	const json_t *families, *entry, *t, *v;
	char key[RT_FAMILY_MAX + 32];
	size_t i;

	pthread_once(&rt_map_once, rt_map_load);
	families = json_object_get(rt_map, "families");
	snprintf(key, sizeof(key), "%s:%s", tool, json_string_value(json_object_get(fam,
	    "family")));
	entry = json_object_get(families, key);
	if (entry == NULL && extra_key)
		entry = json_object_get(families, extra_key);
	if (entry) {
		rt_add_all(json_object_get(fam, "owasp_llm"), json_object_get(entry, "owasp"));
		rt_add_all(json_object_get(fam, "atlas"), json_object_get(entry, "atlas"));
		rt_add_all(json_object_get(fam, "controls"), json_object_get(entry, "controls"));
	}
	json_array_foreach(tags, i, t)
		if (json_is_string(t) && (v = json_object_get(json_object_get(rt_map,
		    "owasp_2023"), json_string_value(t))) != NULL)
			rt_add(json_object_get(fam, "owasp_llm"), json_string_value(v));
	if (json_array_size(json_object_get(fam, "controls")) == 0)
		rt_add_all(json_object_get(fam, "controls"), json_object_get(rt_map, "controls"));
}

/*
 * A tool's time as RFC 3339 UTC: "2025-11-21T10:07:46.514167" (garak, no
 * zone: taken as UTC) or "2025-10-01T20:08:11.168Z" -> "...T20:08:11Z".
 */
static int
rt_time(char out[21], const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	if (s == NULL || strlen(s) < sizeof(shape) - 1)
		return -1;
	for (i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return -1;
	memcpy(out, s, 19);
	out[19] = 'Z';
	out[20] = '\0';
	return 0;
}

/* The families object as the run's results, sorted by family; totals into run. */
static json_t *
rt_finish(json_t *run, json_t *families)
{
	json_t *results = json_array(), *fam;
	json_int_t n = 0, f = 0;
	const char *key;
	void *tmp;

	json_object_foreach_safe(families, tmp, key, fam) {
		n += json_integer_value(json_object_get(fam, "attempts"));
		f += json_integer_value(json_object_get(fam, "failed"));
		json_array_append(results, fam);
	}
	json_object_set_new(run, "results", results);
	json_object_set_new(run, "attempts", json_integer(n));
	json_object_set_new(run, "failed", json_integer(f));
	return run;
}

static void
rt_count(json_t *fam, const char *probe, json_int_t attempts, json_int_t failed)
{
	json_object_set_new(fam, "attempts", json_integer(json_integer_value(
	    json_object_get(fam, "attempts")) + attempts));
	json_object_set_new(fam, "failed", json_integer(json_integer_value(
	    json_object_get(fam, "failed")) + failed));
	rt_add(json_object_get(fam, "probes"), probe);
}

/* "promptinject.HijackHateHumans" -> "promptinject". */
static int
rt_module(char out[RT_FAMILY_MAX], const char *probe)
{
	size_t n = strcspn(probe, ".");

	if (n == 0 || n >= RT_FAMILY_MAX)
		return -1;
	memcpy(out, probe, n);
	out[n] = '\0';
	return 0;
}

struct garak {
	json_t		*families;	/* from eval lines */
	json_t		*attempts;	/* from attempts, when there are no eval lines */
	json_t		*tags;		/* probe -> tags, from the digest */
	double		 threshold;
	const char	*version, *start, *end, *run_id, *target_type, *target_name;
	json_t		*keep;		/* the lines the strings above point into */
	size_t		 evals;
};

static int
rt_line_error(size_t line, const char *path, const char *what)
{
	char field[RT_PATH_MAX];

	snprintf(field, sizeof(field), "line %zu: %s", line, path);
	return aims_error_set(AIMS_EINVALID, field, "line %zu: %s: %s", line, path, what);
}

/* A count member of an eval line: a whole number, not negative. */
static int
rt_count_of(json_int_t *out, const json_t *o, const char *key, size_t line, bool required)
{
	const json_t *v = json_object_get(o, key);
	char path[64];

	snprintf(path, sizeof(path), "$.%s", key);
	*out = 0;
	if (v == NULL && !required)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > REDTEAM_COUNT_MAX)
		return rt_line_error(line, path, "a count (a whole number from 0 to "
		    REDTEAM_COUNT_MAX_STR ") is needed");
	*out = json_integer_value(v);
	return 0;
}

static int
garak_eval(struct garak *g, const json_t *o, size_t line)
{
	const char *probe = json_string_value(json_object_get(o, "probe"));
	json_int_t fails, passed, total;
	char fam[RT_FAMILY_MAX];
	int rc;

	if (probe == NULL || rt_module(fam, probe) != 0)
		return rt_line_error(line, "$.probe", "the probe's name (module.Class) is needed");
	if ((rc = rt_count_of(&fails, o, "fails", line, true)) != 0 ||
	    (rc = rt_count_of(&passed, o, "passed", line, false)) != 0 ||
	    (rc = rt_count_of(&total, o, "total_evaluated", line, false)) != 0)
		return rc;
	if (json_object_get(o, "total_evaluated") == NULL)
		total = passed + fails;
	if (fails > total)
		return rt_line_error(line, "$.fails", "more failures than attempts evaluated");
	rt_count(rt_family_get(g->families, fam), probe, total, fails);
	g->evals++;
	return 0;
}

/* A completed attempt: each detector's score per output, a hit at or over the threshold. */
static int
garak_attempt(struct garak *g, const json_t *o, size_t line)
{
	const char *probe = json_string_value(json_object_get(o, "probe_classname"));
	const json_t *dr = json_object_get(o, "detector_results"), *scores, *s;
	json_int_t n = 0, f = 0;
	char fam[RT_FAMILY_MAX];
	const char *det;
	size_t i;

	if (json_integer_value(json_object_get(o, "status")) != 2)
		return 0;
	if (probe == NULL || rt_module(fam, probe) != 0)
		return rt_line_error(line, "$.probe_classname",
		    "the probe's name (module.Class) is needed");
	if (dr != NULL && !json_is_object(dr))
		return rt_line_error(line, "$.detector_results", "an object of score lists "
		    "is needed");
	json_object_foreach((json_t *)dr, det, scores) {
		if (!json_is_array(scores))
			return rt_line_error(line, "$.detector_results", "each detector's scores "
			    "are a list");
		json_array_foreach(scores, i, s) {
			if (json_is_null(s))
				continue;
			if (!json_is_number(s))
				return rt_line_error(line, "$.detector_results", "a score is a number");
			n++;
			if (json_number_value(s) >= g->threshold)
				f++;
		}
	}
	rt_count(rt_family_get(g->attempts, fam), probe, n, f);
	return 0;
}

static void
garak_digest(struct garak *g, const json_t *o)
{
	const json_t *group, *probe;
	const char *gk, *pk;

	json_object_foreach(json_object_get(o, "eval"), gk, group)
		json_object_foreach((json_t *)group, pk, probe)
			if (json_is_array(json_object_get(json_object_get(probe, "_summary"),
			    "probe_tags")))
				json_object_set(g->tags, pk, json_object_get(json_object_get(probe,
				    "_summary"), "probe_tags"));
}

static int
garak_line(struct garak *g, const char *text, size_t len, size_t line)
{
	json_error_t jerr;
	const char *type;
	json_t *o;
	int rc = 0;

	if ((o = json_loadb(text, len, 0, &jerr)) == NULL) {
		char what[200];

		snprintf(what, sizeof(what), "not JSON: column %d: %s", jerr.column, jerr.text);
		return rt_line_error(line, "$", what);
	}
	json_array_append_new(g->keep, o);
	if (!json_is_object(o) || (type = json_string_value(json_object_get(o,
	    "entry_type"))) == NULL)
		return rt_line_error(line, "$.entry_type", "every line of a garak report names "
		    "its entry_type");
	if (strcmp(type, "start_run setup") == 0) {
		if (json_is_number(json_object_get(o, "run.eval_threshold")))
			g->threshold = json_number_value(json_object_get(o, "run.eval_threshold"));
		g->target_type = json_string_value(json_object_get(o, "plugins.target_type"));
		g->target_name = json_string_value(json_object_get(o, "plugins.target_name"));
	} else if (strcmp(type, "init") == 0) {
		g->version = json_string_value(json_object_get(o, "garak_version"));
		g->start = json_string_value(json_object_get(o, "start_time"));
		g->run_id = json_string_value(json_object_get(o, "run"));
		if (g->run_id == NULL)
			return rt_line_error(line, "$.run", "the run's id is needed");
		if (g->start == NULL)
			return rt_line_error(line, "$.start_time", "the run's start time is needed");
	} else if (strcmp(type, "eval") == 0) {
		rc = garak_eval(g, o, line);
	} else if (strcmp(type, "attempt") == 0) {
		rc = garak_attempt(g, o, line);
	} else if (strcmp(type, "completion") == 0) {
		g->end = json_string_value(json_object_get(o, "end_time"));
	} else if (strcmp(type, "digest") == 0) {
		garak_digest(g, o);
	}
	return rc;
}

/* A line of nothing but white space (bounded by n: the input has no terminator). */
static bool
rt_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

static int
garak_parse(json_t **out, const char *data, size_t len)
{
	struct garak g = { .threshold = REDTEAM_THRESHOLD };
	const char *p = data, *end = data + len, *nl;
	char start[21], fin[21], target[300];
	json_t *run = NULL, *families, *fam;
	const char *key;
	size_t line = 0, n;
	int rc = 0;

	g.families = json_object();
	g.attempts = json_object();
	g.tags = json_object();
	g.keep = json_array();
	while (p < end && rc == 0) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		line++;
		if (n > REDTEAM_LINE_MAX)
			rc = aims_error_set(AIMS_ETOOBIG, "line", "line %zu is over %d bytes", line,
			    REDTEAM_LINE_MAX);
		else if (line > REDTEAM_RESULTS_MAX)
			rc = aims_error_set(AIMS_ETOOBIG, "line", "a report holds at most %d lines",
			    REDTEAM_RESULTS_MAX);
		else if (!rt_blank(p, n))
			rc = garak_line(&g, p, n, line);
		p += n + 1;
	}
	if (rc != 0)
		goto done;
	if (g.run_id == NULL) {
		rc = aims_error_set(AIMS_EINVALID, "init", "the report has no init line with the "
		    "run's id: is it a garak report (*.report.jsonl)?");
		goto done;
	}
	if (rt_time(start, g.start) != 0) {
		rc = aims_error_set(AIMS_EINVALID, "init.start_time", "the run's start time "
		    "'%.40s' is not a date and time", g.start);
		goto done;
	}
	families = g.evals ? g.families : g.attempts;
	if (json_object_size(families) == 0) {
		rc = aims_error_set(AIMS_EINVALID, "eval", "the report holds no evaluated "
		    "attempts (no eval lines, and no completed attempts with detector results)");
		goto done;
	}
	json_object_foreach(families, key, fam) {
		json_t *tags = json_array();
		const json_t *pr;
		size_t i;

		json_array_foreach(json_object_get(fam, "probes"), i, pr)
			rt_add_all(tags, json_object_get(g.tags, json_string_value(pr)));
		rt_label(fam, "garak", NULL, tags);
		json_decref(tags);
	}
	snprintf(target, sizeof(target), "%s%s%s", g.target_type ? g.target_type : "",
	    g.target_name ? " " : "", g.target_name ? g.target_name : "");
	run = json_pack("{s:s, s:s?, s:s, s:s?, s:s, s:s?}", "tool", "garak", "tool_version",
	    g.version, "run_id", g.run_id, "target", target[0] ? target : NULL, "started_at",
	    start, "finished_at", rt_time(fin, g.end) == 0 ? fin : NULL);
	*out = rt_finish(run, families);
done:
	json_decref(g.families);
	json_decref(g.attempts);
	json_decref(g.tags);
	json_decref(g.keep);
	return rc;
}

static const char *
pf_plugin(const json_t *r, const char *key)
{
	const char *s;

	if ((s = json_string_value(json_object_get(json_object_get(json_object_get(r,
	    "gradingResult"), "metadata"), key))) != NULL ||
	    (s = json_string_value(json_object_get(json_object_get(json_object_get(r,
	    "testCase"), "metadata"), key))) != NULL)
		return s;
	return json_string_value(json_object_get(json_object_get(r, "metadata"), key));
}

static int
pf_error(const char *path, const char *what)
{
	return aims_error_set(AIMS_EINVALID, path, "%s: %s", path, what);
}

static int
promptfoo_parse(json_t **out, const char *data, size_t len)
{
	const json_t *res, *list, *r, *prov;
	json_t *doc, *families = NULL, *providers = NULL, *fam, *v;
	const char *plugin, *strategy, *ts, *pid;
	char path[RT_PATH_MAX], fname[RT_FAMILY_MAX], start[21], key[RT_FAMILY_MAX + 16];
	struct buf target = BUF_INIT;
	json_error_t jerr;
	size_t i;
	int rc = 0;

	if ((doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		return aims_error_set(AIMS_EINVALID, "$", "$: not JSON: line %d, column %d: %s",
		    jerr.line, jerr.column, jerr.text);
	res = json_object_get(doc, "results");
	if (!json_is_object(doc) || !json_is_object(res)) {
		rc = pf_error("$.results", "a promptfoo result file (promptfoo eval -o FILE.json) "
		    "has its results here");
		goto done;
	}
	if (json_integer_value(json_object_get(res, "version")) != 3) {
		rc = pf_error("$.results.version", "results of version 3 are read (promptfoo "
		    "0.50 and later write them)");
		goto done;
	}
	if (json_string_value(json_object_get(doc, "evalId")) == NULL) {
		rc = pf_error("$.evalId", "the evaluation's id is needed");
		goto done;
	}
	ts = json_string_value(json_object_get(res, "timestamp"));
	if (ts == NULL)
		ts = json_string_value(json_object_get(json_object_get(doc, "metadata"),
		    "evaluationCreatedAt"));
	if (rt_time(start, ts) != 0) {
		rc = pf_error("$.results.timestamp", "the evaluation's date and time is needed");
		goto done;
	}
	if (!json_is_array(list = json_object_get(res, "results"))) {
		rc = pf_error("$.results.results", "the list of results is needed");
		goto done;
	}
	if (json_array_size(list) > REDTEAM_RESULTS_MAX) {
		rc = aims_error_set(AIMS_ETOOBIG, "$.results.results", "$.results.results: at "
		    "most %d results", REDTEAM_RESULTS_MAX);
		goto done;
	}
	families = json_object();
	providers = json_array();
	json_array_foreach(list, i, r) {
		snprintf(path, sizeof(path), "$.results.results[%zu]", i);
		if (!json_is_object(r)) {
			rc = pf_error(path, "a result is an object");
			goto done;
		}
		if (!json_is_boolean(json_object_get(r, "success"))) {
			snprintf(path, sizeof(path), "$.results.results[%zu].success", i);
			rc = pf_error(path, "true or false is needed");
			goto done;
		}
		plugin = pf_plugin(r, "pluginId");
		strategy = pf_plugin(r, "strategyId");
		if (plugin == NULL || rt_module(fname, plugin) != 0)
			snprintf(fname, sizeof(fname), "%s", plugin ? "other" : "eval");
		/* "pii:direct" is of the family "pii". */
		fname[strcspn(fname, ":")] = '\0';
		fam = rt_family_get(families, fname);
		rt_count(fam, plugin ? plugin : "eval", 1,
		    json_is_false(json_object_get(r, "success")) ? 1 : 0);
		if (strategy && strcmp(strategy, "basic") != 0) {
			snprintf(key, sizeof(key), "promptfoo:%.60s", strategy);
			v = json_object_get(json_object_get(rt_map, "families"), key);
			if (v) {
				rt_add_all(json_object_get(fam, "owasp_llm"), json_object_get(v, "owasp"));
				rt_add_all(json_object_get(fam, "atlas"), json_object_get(v, "atlas"));
			}
		}
		prov = json_object_get(r, "provider");
		pid = json_is_string(prov) ? json_string_value(prov) :
		    json_string_value(json_object_get(prov, "id"));
		if (pid)
			rt_add(providers, pid);
	}
	if (json_object_size(families) == 0) {
		rc = pf_error("$.results.results", "the file holds no results");
		goto done;
	}
	{
		const char *k;

		json_object_foreach(families, k, fam)
			rt_label(fam, "promptfoo", NULL, NULL);
	}
	json_array_foreach(providers, i, v)
		buf_printf(&target, "%s%s", i ? ", " : "", json_string_value(v));
	*out = rt_finish(json_pack("{s:s, s:s?, s:s, s:s?, s:s, s:n}", "tool", "promptfoo",
	    "tool_version", json_string_value(json_object_get(json_object_get(doc, "metadata"),
	    "promptfooVersion")), "run_id", json_string_value(json_object_get(doc, "evalId")),
	    "target", target.len ? buf_str(&target) : NULL, "started_at", start,
	    "finished_at"), families);
done:
	buf_free(&target);
	json_decref(families);
	json_decref(providers);
	json_decref(doc);
	return rc;
}

int
redteam_parse(json_t **out, enum redteam_format f, const char *data, size_t len)
{
	*out = NULL;
	pthread_once(&rt_map_once, rt_map_load);
	if (len > REDTEAM_FILE_MAX)
		return aims_error_set(AIMS_ETOOBIG, "file", "a report is at most %d bytes",
		    REDTEAM_FILE_MAX);
	return f == REDTEAM_GARAK ? garak_parse(out, data, len) :
	    promptfoo_parse(out, data, len);
}

int
redteam_read(json_t **out, enum redteam_format f, const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	FILE *in;
	size_t n;
	int rc = 0;

	*out = NULL;
	if ((in = fopen(path, "rb")) == NULL)
		return aims_error_set(AIMS_EINVALID, "file", "cannot read %s: %s", path,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0 && rc == 0) {
		if (b.len + n > REDTEAM_FILE_MAX)
			rc = aims_error_set(AIMS_ETOOBIG, "file", "a report is at most %d bytes",
			    REDTEAM_FILE_MAX);
		else
			buf_append(&b, chunk, n);
	}
	if (rc == 0 && ferror(in))
		rc = aims_error_set(AIMS_ERROR, "file", "cannot read %s", path);
	fclose(in);
	if (rc == 0)
		rc = redteam_parse(out, f, b.data ? b.data : "", b.len);
	buf_free(&b);
	return rc;
}

int
redteam_import(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ais_ref, enum redteam_format f, const struct evidence_upload *up, int flags)
{
	json_t *run = NULL;
	int rc;

	*summary = NULL;
	if ((rc = redteam_read(&run, f, up->path)) == 0)
		rc = redteam_store(summary, db, org_id, actor, ais_ref, run, up, flags);
	json_decref(run);
	return rc;
}
