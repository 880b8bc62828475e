/*
 * export.c - the export module (see export.h): which tables each export
 * holds, the rows it reads through core, and writing the result into a
 * buffer or atomically into a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/org.h"
#include "core/query.h"
#include "core/record.h"
#include "core/soa.h"
#include "engine/readiness.h"
#include "io/export.h"
#include "io/export_sink.h"
#include "io/report.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/jscan.h"
#include "util/mem.h"

#define EXPORT_PATH_MAX		4096
#define EXPORT_COLS_MAX		32

static const char *const what_names[] = { "soa", "risks", "ai-systems", "readiness" };
static const char *const format_names[] = { "xlsx", "csv", "json", "html" };
static const char *const media_types[] = {
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"text/csv; charset=utf-8", "application/json", "text/html; charset=utf-8",
};
/* Formats of each export, as bits of 1 << enum export_format. */
static const unsigned what_formats[] = {
	1u << EXPORT_XLSX | 1u << EXPORT_CSV | 1u << EXPORT_JSON,
	1u << EXPORT_XLSX | 1u << EXPORT_CSV,
	1u << EXPORT_XLSX | 1u << EXPORT_CSV,
	1u << EXPORT_HTML | 1u << EXPORT_JSON,
};

/* ---- names ---- */

#define EXPORT_NAMES(a)	(sizeof(a) / sizeof((a)[0]))

/* The index of s in names[0..n), or -1. */
static int
export_name_find(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

int
export_parse_what(enum export_what *out, const char *s)
{
	int i = export_name_find(what_names, EXPORT_NAMES(what_names), s);

	if (i < 0)
		return aims_error_set(AIMS_EINVALID, "export",
		    "unknown export '%s' (allowed: soa, risks, ai-systems, readiness)", s);
	*out = (enum export_what)i;
	return 0;
}

int
export_parse_format(enum export_format *out, const char *s)
{
	int i = export_name_find(format_names, EXPORT_NAMES(format_names), s);

	if (i < 0)
		return aims_error_set(AIMS_EINVALID, "format",
		    "unknown format '%s' (allowed: xlsx, csv, json, html)", s);
	*out = (enum export_format)i;
	return 0;
}

int
export_parse_name(enum export_what *what, enum export_format *fmt, const char *name)
{
	char copy[EXPORT_NAME_MAX];
	char *dot;

	if (strlen(name) >= sizeof(copy) || (dot = strrchr(strcpy(copy, name), '.')) == NULL)
		return aims_error_set(AIMS_ENOTFOUND, "export", "no such export");
	*dot = '\0';
	if (export_parse_what(what, copy) != 0 || export_parse_format(fmt, dot + 1) != 0)
		return aims_error_set(AIMS_ENOTFOUND, "export", "no such export '%s'", name);
	return export_check(*what, *fmt);
}

int
export_check(enum export_what what, enum export_format fmt)
{
	char list[64] = "";
	size_t i;

	if (what_formats[what] & (1u << fmt))
		return 0;
	for (i = 0; i < EXPORT_NAMES(format_names); i++)
		if (what_formats[what] & (1u << i)) {
			if (list[0])
				strcat(list, ", ");
			strcat(list, format_names[i]);
		}
	return aims_error_set(AIMS_EUNSUPPORTED, "format", "%s exports as %s, not %s",
	    what_names[what], list, format_names[fmt]);
}

const char *
export_media_type(enum export_format fmt)
{
	return media_types[fmt];
}

const char *
export_format_name(enum export_format fmt)
{
	return format_names[fmt];
}

/* ---- cells ---- */

/* How a record field becomes a cell. */
enum cell_how { CELL_PLAIN, CELL_BOOL, CELL_LIST, CELL_COMPONENTS };

struct col_spec {
	struct export_col	 col;
	const char		*path;	/* "treatment.option"; NULL: the ref */
	enum cell_how		 how;
};

static const json_t *
json_path(const json_t *data, const char *path)
{
	char part[64];
	const char *dot;

	while ((dot = strchr(path, '.')) != NULL) {
		snprintf(part, sizeof(part), "%.*s", (int)(dot - path), path);
		data = json_object_get(data, part);
		path = dot + 1;
	}
	return json_object_get(data, path);
}

static void
cell_scalar(struct buf *b, const json_t *v)
{
	if (json_is_string(v))
		buf_puts(b, json_string_value(v));
	else if (json_is_integer(v))
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		buf_printf(b, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		buf_puts(b, json_is_true(v) ? "yes" : "no");
}

/* Components: "model Foo 1.2 (Acme)"; items joined by "; ". */
static void
cell_components(struct buf *b, const json_t *list)
{
	static const char *const parts[] = { "kind", "name", "version", NULL };
	const char *const *p;
	const json_t *c;
	const char *s;
	size_t i;

	json_array_foreach(list, i, c) {
		if (i)
			buf_puts(b, "; ");
		for (p = parts; *p; p++)
			if ((s = json_string_value(json_object_get(c, *p))) != NULL && *s)
				buf_printf(b, "%s%s", p == parts ? "" : " ", s);
		if ((s = json_string_value(json_object_get(c, "supplier"))) != NULL && *s)
			buf_printf(b, " (%s)", s);
	}
}

static char *
cell_text(const json_t *data, const struct col_spec *c)
{
	const json_t *v = json_path(data, c->path), *item;
	struct buf b = BUF_INIT;
	size_t i;

	if (c->how == CELL_COMPONENTS)
		cell_components(&b, v);
	else if (json_is_array(v)) {
		json_array_foreach(v, i, item) {
			if (i)
				buf_puts(&b, ", ");
			cell_scalar(&b, item);
		}
	} else
		cell_scalar(&b, v);
	return buf_detach(&b);
}

/* ---- record registers ---- */

static const struct col_spec risk_cols[] = {
	{ { "Ref", 10, COL_TEXT, false }, NULL, CELL_PLAIN },
	{ { "Title", 40, COL_WRAP, false }, "title", CELL_PLAIN },
	{ { "AI systems", 16, COL_TEXT, false }, "ai_systems", CELL_LIST },
	{ { "Risk source", 12, COL_TEXT, false }, "risk_source", CELL_PLAIN },
	{ { "Objective", 12, COL_TEXT, false }, "objective", CELL_PLAIN },
	{ { "Likelihood", 11, COL_NUMBER, false }, "likelihood", CELL_PLAIN },
	{ { "Impact", 9, COL_NUMBER, false }, "impact", CELL_PLAIN },
	{ { "Inherent score", 10, COL_NUMBER, false }, "inherent_score", CELL_PLAIN },
	{ { "Inherent level", 12, COL_TEXT, false }, "inherent_level", CELL_PLAIN },
	{ { "Owner", 26, COL_TEXT, false }, "owner", CELL_PLAIN },
	{ { "Treatment", 11, COL_TEXT, false }, "treatment.option", CELL_PLAIN },
	{ { "Treatment plan", 40, COL_WRAP, false }, "treatment.plan", CELL_PLAIN },
	{ { "Controls", 16, COL_TEXT, false }, "treatment.controls", CELL_LIST },
	{ { "Measures", 16, COL_TEXT, false }, "treatment.measures", CELL_LIST },
	{ { "Residual score", 10, COL_NUMBER, false }, "residual_score", CELL_PLAIN },
	{ { "Residual level", 12, COL_TEXT, false }, "residual_level", CELL_PLAIN },
	{ { "Accepted by", 24, COL_TEXT, false }, "accepted_by", CELL_PLAIN },
	{ { "Accepted at", 20, COL_TEXT, false }, "accepted_at", CELL_PLAIN },
	{ { "Acceptance expires", 12, COL_TEXT, false }, "acceptance_expires", CELL_PLAIN },
	{ { "Next review", 12, COL_TEXT, false }, "next_review", CELL_PLAIN },
	{ { "Status", 16, COL_TEXT, false }, "status", CELL_PLAIN },
};

static const struct col_spec ai_system_cols[] = {
	{ { "Ref", 10, COL_TEXT, false }, NULL, CELL_PLAIN },
	{ { "Name", 30, COL_WRAP, false }, "name", CELL_PLAIN },
	{ { "Purpose", 40, COL_WRAP, false }, "purpose", CELL_PLAIN },
	{ { "Intended use", 40, COL_WRAP, false }, "intended_use", CELL_PLAIN },
	{ { "Owner", 26, COL_TEXT, false }, "owner", CELL_PLAIN },
	{ { "Life-cycle stage", 18, COL_TEXT, false }, "lifecycle_stage", CELL_PLAIN },
	{ { "Our role", 12, COL_TEXT, false }, "org_role", CELL_PLAIN },
	{ { "EU AI Act category", 14, COL_TEXT, false }, "eu_ai_act_category", CELL_PLAIN },
	{ { "EU AI Act roles", 18, COL_TEXT, false }, "eu_ai_act_roles", CELL_LIST },
	{ { "Automation", 14, COL_TEXT, false }, "automation_level", CELL_PLAIN },
	{ { "In scope", 9, COL_TEXT, false }, "in_scope", CELL_PLAIN },
	{ { "Human oversight", 36, COL_WRAP, false }, "human_oversight", CELL_PLAIN },
	{ { "Affected people", 30, COL_WRAP, false }, "affected_people", CELL_PLAIN },
	{ { "Data resources", 30, COL_WRAP, false }, "data_resources", CELL_PLAIN },
	{ { "Components", 40, COL_WRAP, false }, "components", CELL_COMPONENTS },
};

struct register_spec {
	const char		*kind;
	const char		*sheet;
	const char		*title;
	const struct col_spec	*cols;
	size_t			 ncols;
};

static const struct register_spec registers[] = {
	[EXPORT_RISKS] = { "risks", "Risk register", "AI risk register", risk_cols,
	    sizeof(risk_cols) / sizeof(risk_cols[0]) },
	[EXPORT_AI_SYSTEMS] = { "ai-systems", "AI systems", "AI system inventory", ai_system_cols,
	    sizeof(ai_system_cols) / sizeof(ai_system_cols[0]) },
};

struct register_walk {
	const struct register_spec	*spec;
	struct export_sink		*sink;
};

static int
register_row(void *arg, const struct query_record *rec)
{
	struct register_walk *w = arg;
	char *cells[EXPORT_COLS_MAX];
	size_t i;
	int rc;

	for (i = 0; i < w->spec->ncols; i++)
		cells[i] = w->spec->cols[i].path ? cell_text(rec->data, &w->spec->cols[i]) :
		    xstrdup(rec->ref);
	rc = w->sink->row(w->sink->ctx, (const char *const *)cells, NULL);
	for (i = 0; i < w->spec->ncols; i++)
		free(cells[i]);
	return rc;
}

static int
register_write(struct export_sink *sink, struct db *db, int64_t org_id,
    const struct register_spec *spec)
{
	struct export_col cols[EXPORT_COLS_MAX];
	struct register_walk w = { spec, sink };
	size_t i;
	int rc;

	for (i = 0; i < spec->ncols; i++)
		cols[i] = spec->cols[i].col;
	if ((rc = sink->sheet(sink->ctx, spec->sheet, cols, spec->ncols)) != 0)
		return rc;
	return query_records_each(db, org_id, spec->kind, register_row, &w);
}

/* ---- the Statement of Applicability ---- */

static const struct export_col soa_cols[] = {
	{ "Control", 10, COL_TEXT, false },
	{ "Title", 40, COL_WRAP, false },
	{ "Area", 8, COL_TEXT, false },
	{ "Applicable", 11, COL_TEXT, true },
	{ "Justification", 60, COL_WRAP, false },
	{ "Implementation", 15, COL_TEXT, true },
	{ "Owner", 26, COL_TEXT, false },
	{ "Measures", 20, COL_TEXT, false },
};
#define SOA_NCOLS	(sizeof(soa_cols) / sizeof(soa_cols[0]))

static const struct export_col soa_excluded_cols[] = {
	{ "Control", 10, COL_TEXT, false },
	{ "Title", 40, COL_WRAP, false },
	{ "Justification for excluding it", 80, COL_WRAP, false },
};

/* The SoA rows and their version: the draft or a published one. */
static int
soa_load(json_t **rows, json_t **version, struct db *db, int64_t org_id,
    const struct export_opts *opts)
{
	int rc;

	*rows = *version = NULL;
	if (opts && opts->soa_version > 0) {
		if ((rc = soa_version_get(version, db, org_id, opts->soa_version)) != 0)
			return rc;
		*rows = json_incref(json_object_get(*version, "rows"));
		return 0;
	}
	return soa_rows(rows, db, org_id);
}

static const char *
soa_style(const json_t *row)
{
	const json_t *a = json_object_get(row, "applicable");
	const char *st = json_string_value(json_object_get(row, "status"));

	if (json_is_false(a))
		return "excluded";
	if (!json_is_true(a))
		return "undecided";
	return st && *st ? st : "not_started";
}

static int
soa_write(struct export_sink *sink, const json_t *rows)
{
	const json_t *row, *a;
	const char *cells[SOA_NCOLS];
	char *measures;
	struct col_spec list = { { "", 0, COL_TEXT, false }, "measures", CELL_LIST };
	size_t i;
	int rc;

	if ((rc = sink->sheet(sink->ctx, "Statement of Applicability", soa_cols, SOA_NCOLS)) != 0)
		return rc;
	json_array_foreach(rows, i, row) {
		a = json_object_get(row, "applicable");
		measures = cell_text(row, &list);
		cells[0] = json_string_value(json_object_get(row, "control"));
		cells[1] = json_string_value(json_object_get(row, "title"));
		cells[2] = json_string_value(json_object_get(row, "area"));
		cells[3] = json_is_true(a) ? "Yes" : json_is_false(a) ? "No" : "Undecided";
		cells[4] = json_string_value(json_object_get(row, "justification"));
		cells[5] = json_string_value(json_object_get(row, "status"));
		cells[6] = json_string_value(json_object_get(row, "owner"));
		cells[7] = measures;
		rc = sink->row(sink->ctx, cells, soa_style(row));
		free(measures);
		if (rc != 0)
			return rc;
	}
	if ((rc = sink->sheet(sink->ctx, "Excluded controls", soa_excluded_cols, 3)) != 0)
		return rc;
	json_array_foreach(rows, i, row) {
		if (!json_is_false(json_object_get(row, "applicable")))
			continue;
		cells[0] = json_string_value(json_object_get(row, "control"));
		cells[1] = json_string_value(json_object_get(row, "title"));
		cells[2] = json_string_value(json_object_get(row, "justification"));
		if ((rc = sink->row(sink->ctx, cells, NULL)) != 0)
			return rc;
	}
	return 0;
}

/* The header of a JSON SoA: edition, organisation, version. */
static int
soa_json(struct buf *out, struct db *db, int64_t org_id, const json_t *rows,
    const json_t *version)
{
	char now[CLOCK_RFC3339_LEN], *s;
	json_t *doc, *org = NULL;
	int rc;

	if ((rc = org_get(&org, db, org_id)) != 0)
		return rc;
	clock_format(now, clock_now());
	doc = json_pack("{s:s, s:s, s:{s:O, s:O}, s:s, s:O, s:O, s:O, s:O}",
	    "framework", SOA_FRAMEWORK, "edition", SOA_EDITION,
	    "organisation", "slug", json_object_get(org, "slug"),
	    "name", json_object_get(org, "name"), "generated_at", now,
	    "version", version ? json_object_get(version, "version") : json_null(),
	    "published_at", version ? json_object_get(version, "published_at") : json_null(),
	    "approver", version ? json_object_get(version, "approver") : json_null(),
	    "rows", rows);
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	buf_puts(out, s);
	buf_putc(out, '\n');
	free(s);
	json_decref(doc);
	json_decref(org);
	return 0;
}

/* ---- producing an export ---- */

struct export_job {
	struct db		*db;
	int64_t			 org_id;
	enum export_what	 what;
	enum export_format	 fmt;
	const struct export_opts *opts;
	json_t			*soa_rows, *soa_version;
	char			*org_name;
	char			 now[CLOCK_RFC3339_LEN];
};

static int
job_tables(struct export_job *j, struct export_sink *sink)
{
	if (j->what == EXPORT_SOA)
		return soa_write(sink, j->soa_rows);
	return register_write(sink, j->db, j->org_id, &registers[j->what]);
}

static int
job_xlsx(struct export_job *j, const char *path)
{
	struct export_xlsx *x;
	struct export_sink sink;
	struct export_doc doc;
	char subject[160], comments[96];
	int rc;

	if (j->what == EXPORT_SOA && j->soa_version)
		snprintf(subject, sizeof(subject), "%s, published version %lld, approved by %s",
		    SOA_EDITION, (long long)json_integer_value(json_object_get(j->soa_version,
		    "version")), json_string_value(json_object_get(j->soa_version, "approver")));
	else
		snprintf(subject, sizeof(subject), "%s%s", SOA_EDITION,
		    j->what == EXPORT_SOA ? ", draft (not published)" : "");
	snprintf(comments, sizeof(comments), "Generated by OpenAIMS at %s", j->now);
	doc.title = j->what == EXPORT_SOA ? "Statement of Applicability" :
	    registers[j->what].title;
	doc.subject = subject;
	doc.company = j->org_name;
	doc.comments = comments;
	if ((rc = export_xlsx_new(&x, path, &doc, j->what != EXPORT_SOA)) != 0)
		return rc;
	export_xlsx_sink(&sink, x);
	rc = job_tables(j, &sink);
	if (export_xlsx_close(x) != 0 && rc == 0)
		rc = AIMS_ERROR;
	return rc;
}

static int
job_readiness(struct export_job *j, struct buf *out)
{
	json_t *res = NULL;
	char *s;
	int rc;

	if ((rc = readiness_evaluate(&res, j->db, j->org_id, READINESS_SAVE)) != 0)
		return rc;
	if (j->fmt == EXPORT_HTML)
		rc = report_readiness_html(out, res);
	else {
		s = json_dumps(res, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		buf_puts(out, s);
		buf_putc(out, '\n');
		free(s);
	}
	json_decref(res);
	return rc;
}

/* Everything but XLSX, into a buffer. */
static int
job_text(struct export_job *j, struct buf *out)
{
	struct export_csv *csv;
	struct export_sink sink;
	int rc;

	if (j->what == EXPORT_READINESS)
		return job_readiness(j, out);
	if (j->fmt == EXPORT_JSON)
		return soa_json(out, j->db, j->org_id, j->soa_rows, j->soa_version);
	csv = export_csv_new(out);
	export_csv_sink(&sink, csv);
	rc = job_tables(j, &sink);
	export_csv_free(csv);
	return rc;
}

static int
job_start(struct export_job *j, struct db *db, int64_t org_id, enum export_what what,
    enum export_format fmt, const struct export_opts *opts)
{
	json_t *org = NULL;
	int rc;

	memset(j, 0, sizeof(*j));
	j->db = db;
	j->org_id = org_id;
	j->what = what;
	j->fmt = fmt;
	j->opts = opts;
	clock_format(j->now, clock_now());
	if ((rc = export_check(what, fmt)) != 0 || (rc = org_get(&org, db, org_id)) != 0)
		return rc;
	j->org_name = xstrdup(json_string_value(json_object_get(org, "name")));
	json_decref(org);
	if (what == EXPORT_SOA)
		return soa_load(&j->soa_rows, &j->soa_version, db, org_id, opts);
	return 0;
}

static void
job_end(struct export_job *j)
{
	json_decref(j->soa_rows);
	json_decref(j->soa_version);
	free(j->org_name);
}

/* ---- files ---- */

static int
file_read_all(struct buf *out, int fd)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_append(out, chunk, (size_t)n);
	if (n < 0)
		return aims_error_set(AIMS_ERROR, NULL, "cannot read the export: %s",
		    strerror(errno));
	return 0;
}

static int
file_write_all(int fd, const struct buf *b)
{
	size_t off = 0;
	ssize_t n;

	while (off < b->len) {
		if ((n = write(fd, b->data + off, b->len - off)) < 0) {
			if (errno == EINTR)
				continue;
			return aims_error_set(AIMS_ERROR, NULL, "cannot write the export: %s",
			    strerror(errno));
		}
		off += (size_t)n;
	}
	return 0;
}

/* A temp file beside path (same directory, so rename is atomic). */
static int
file_temp(char *tmp, size_t len, const char *path, int *fd)
{
	if ((size_t)snprintf(tmp, len, "%s.tmp-XXXXXX", path) >= len)
		return aims_error_set(AIMS_EINVALID, "out", "output path too long");
	if ((*fd = mkstemp(tmp)) < 0)
		return aims_error_set(AIMS_ERROR, "out", "cannot create %s: %s", tmp,
		    strerror(errno));
	return 0;
}

/* fsync tmp, rename it to path, fsync the directory. */
static int
file_commit(const char *tmp, const char *path)
{
	char dir[EXPORT_PATH_MAX];
	int fd, rc = 0;

	if ((fd = open(tmp, O_RDONLY)) < 0 || fsync(fd) != 0)
		rc = aims_error_set(AIMS_ERROR, "out", "cannot sync %s: %s", tmp, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = aims_error_set(AIMS_ERROR, "out", "cannot write %s: %s", path,
		    strerror(errno));
	if (rc != 0)
		return rc;
	snprintf(dir, sizeof(dir), "%s", path);
	if ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

int
export_to_buf(struct buf *out, struct db *db, int64_t org_id, enum export_what what,
    enum export_format fmt, const struct export_opts *opts)
{
	char tmp[EXPORT_PATH_MAX], base[EXPORT_PATH_MAX];
	const char *dir = getenv("TMPDIR");
	struct export_job j;
	int fd = -1, rc;

	if ((rc = job_start(&j, db, org_id, what, fmt, opts)) != 0)
		goto done;
	if (fmt != EXPORT_XLSX) {
		rc = job_text(&j, out);
		goto done;
	}
	snprintf(base, sizeof(base), "%s/aims-export", dir && *dir ? dir : "/tmp");
	if ((rc = file_temp(tmp, sizeof(tmp), base, &fd)) != 0)
		goto done;
	if ((rc = job_xlsx(&j, tmp)) == 0)
		rc = file_read_all(out, fd);
	close(fd);
	unlink(tmp);
done:
	job_end(&j);
	return rc;
}

int
export_to_file(const char *path, struct db *db, int64_t org_id, enum export_what what,
    enum export_format fmt, const struct export_opts *opts)
{
	char tmp[EXPORT_PATH_MAX];
	struct buf b = BUF_INIT;
	struct export_job j;
	int fd = -1, rc;

	if ((rc = job_start(&j, db, org_id, what, fmt, opts)) != 0 ||
	    (rc = file_temp(tmp, sizeof(tmp), path, &fd)) != 0)
		goto done;
	if (fmt == EXPORT_XLSX)
		rc = job_xlsx(&j, tmp);
	else if ((rc = job_text(&j, &b)) == 0)
		rc = file_write_all(fd, &b);
	close(fd);
	if (rc == 0)
		rc = file_commit(tmp, path);
	if (rc != 0)
		unlink(tmp);
done:
	buf_free(&b);
	job_end(&j);
	return rc;
}

int
export_write_file(const char *path, const struct buf *b)
{
	char tmp[EXPORT_PATH_MAX];
	int fd = -1, rc;

	if ((rc = file_temp(tmp, sizeof(tmp), path, &fd)) != 0)
		return rc;
	rc = file_write_all(fd, b);
	close(fd);
	if (rc == 0)
		rc = file_commit(tmp, path);
	if (rc != 0)
		unlink(tmp);
	return rc;
}

/* ---- any record list, with the filters applied ---- */

#define EXPORT_LIST_MAX_ROWS	200000	/* a download bigger than this is refused */

/*
 * The cells are written from each record's stored view (the text a list
 * answer splices, core/record_list.c) read in place (util/jscan.c): no
 * record is parsed into a tree. The text is what jansson wrote, so a
 * number is the text jansson gives for it.
 */

/* One value as text: allowed values in words ("Treatment planned"), never codes. */
static int
list_item(struct buf *b, const struct field *f, const struct jscan_value *v)
{
	struct buf s = BUF_INIT;
	struct jscan it;
	struct jscan_value key, val;
	int rc = 0;

	switch (v->type) {
	case JSCAN_STRING:
		if (f != NULL && (f->type == FIELD_ENUM || f->type == FIELD_ENUM_LIST)) {
			if ((rc = jscan_string(&s, v)) == 0)
				record_enum_label(b, buf_str(&s));
		} else
			rc = jscan_string(b, v);
		break;
	case JSCAN_NUMBER:
		/* An integer as written; a real as "%g" (what the tree gave). */
		if (memchr(v->p, '.', v->len) || memchr(v->p, 'e', v->len) ||
		    memchr(v->p, 'E', v->len)) {
			buf_append(&s, v->p, v->len);
			buf_printf(b, "%g", strtod(buf_str(&s), NULL));
		} else
			buf_append(b, v->p, v->len);
		break;
	case JSCAN_TRUE:
	case JSCAN_FALSE:
		buf_puts(b, v->type == JSCAN_TRUE ? "yes" : "no");
		break;
	case JSCAN_OBJECT:
		/* The item's name ("(item)" without one): the last "name" member, as the tree kept it. */
		if ((rc = jscan_begin(&it, v)) != 0)
			break;
		buf_puts(&s, "(item)");
		while ((rc = jscan_next(&it, &key, &val)) == 1) {
			if (!jscan_string_is(&key, "name"))
				continue;
			buf_reset(&s);
			if (val.type != JSCAN_STRING)
				buf_puts(&s, "(item)");
			else if ((rc = jscan_string(&s, &val)) != 0)
				break;
		}
		if (rc == 0)
			buf_append(b, s.data, s.len);
		break;
	case JSCAN_NULL:
	case JSCAN_ARRAY:
		break;
	}
	buf_free(&s);
	return rc < 0 ? rc : 0;
}

/* One cell of a record field (f NULL: the reference), as text: lists joined with "; ". */
static int
list_cell(struct buf *b, const struct field *f, const struct jscan_value *v)
{
	struct jscan it;
	struct jscan_value e;
	int rc, i = 0;

	if (v->type != JSCAN_ARRAY)
		return list_item(b, f, v);
	if ((rc = jscan_begin(&it, v)) != 0)
		return rc;
	while ((rc = jscan_next(&it, NULL, &e)) == 1) {
		if (i++)
			buf_puts(b, "; ");
		if ((rc = list_item(b, f, &e)) != 0)
			return rc;
	}
	return rc;
}

/*
 * The cells of one record's view. The view's members come in the kind's
 * field order, like the columns, so each is looked for from the column
 * after the last one found.
 */
static int
list_record_cells(struct buf *cellbuf, const struct field **fields, size_t n,
    const struct jscan_value *rec)
{
	struct jscan it;
	struct jscan_value key, val;
	size_t c, next = 0, i;
	int rc;

	for (c = 0; c < n; c++)
		buf_reset(&cellbuf[c]);
	if ((rc = jscan_begin(&it, rec)) != 0)
		return rc;
	while ((rc = jscan_next(&it, &key, &val)) == 1) {
		for (i = 0; i < n; i++) {
			c = (next + i) % n;
			if (jscan_string_is(&key, fields[c] ? fields[c]->name : "ref"))
				break;
		}
		if (i == n)
			continue;
		/* The last member of a name wins, as in a tree. */
		buf_reset(&cellbuf[c]);
		if ((rc = list_cell(&cellbuf[c], fields[c], &val)) != 0)
			return rc;
		next = c + 1;
	}
	return rc;
}

/* The columns of a list download: the reference, then every scalar field. */
static size_t
list_columns(struct export_col *cols, const struct field **fields, const struct record_kind *k)
{
	const struct field *f;
	size_t n = 0;

	cols[n++] = (struct export_col){ "Reference", 12, COL_TEXT, false };
	fields[0] = NULL;
	for (f = k->fields; f->name != NULL && n < EXPORT_COLS_MAX; f++) {
		if (f->type == FIELD_OBJECT_LIST || f->type == FIELD_OBJECT)
			continue;
		fields[n] = f;
		cols[n++] = (struct export_col){ f->label, f->type == FIELD_TEXT ? 50 : 20,
		    f->type == FIELD_INT ? COL_NUMBER : f->type == FIELD_TEXT ? COL_WRAP : COL_TEXT,
		    false };
	}
	return n;
}

static int
list_write(struct export_sink *sink, struct db *db, int64_t org_id,
    const struct record_kind *k, const struct record_query *query)
{
	struct export_col cols[EXPORT_COLS_MAX];
	const struct field *fields[EXPORT_COLS_MAX];
	struct buf cellbuf[EXPORT_COLS_MAX], page = BUF_INIT;
	const char *cells[EXPORT_COLS_MAX];
	struct record_query q = *query;
	struct jscan it;
	struct jscan_value items, rec;
	char *next = NULL, *cursor = NULL;
	int64_t total = 0;
	size_t n, c;
	int rc;

	n = list_columns(cols, fields, k);
	memset(cellbuf, 0, sizeof(cellbuf));
	if ((rc = sink->sheet(sink->ctx, k->plural, cols, n)) != 0)
		return rc;
	q.limit = RECORD_LIST_MAX;
	do {
		q.cursor = cursor;
		buf_reset(&page);
		if ((rc = record_list_text(&page, &next, &total, db, org_id, k, &q)) != 0)
			break;
		if (total > EXPORT_LIST_MAX_ROWS) {
			rc = aims_error_set(AIMS_ETOOBIG, NULL, "%lld records match: narrow the "
			    "filters to at most %d for a download", (long long)total,
			    EXPORT_LIST_MAX_ROWS);
			break;
		}
		if (jscan_value(&items, page.data, page.len) != 0 || jscan_begin(&it, &items) != 0) {
			rc = aims_error_set(AIMS_ERROR, NULL, "a page of %s is not a JSON array",
			    k->plural);
			break;
		}
		while ((rc = jscan_next(&it, NULL, &rec)) == 1) {
			if (list_record_cells(cellbuf, fields, n, &rec) != 0) {
				rc = aims_error_set(AIMS_ERROR, NULL, "a stored %s is not valid JSON",
				    k->singular);
				break;
			}
			for (c = 0; c < n; c++)
				cells[c] = buf_str(&cellbuf[c]);
			if ((rc = sink->row(sink->ctx, cells, NULL)) != 0)
				break;
		}
		if (rc == AIMS_EINVALID)
			rc = aims_error_set(AIMS_ERROR, NULL, "a page of %s is not valid JSON",
			    k->plural);
		free(cursor);
		cursor = next;
		next = NULL;
	} while (rc == 0 && cursor != NULL);
	free(cursor);
	free(next);
	buf_free(&page);
	for (c = 0; c < n; c++)
		buf_free(&cellbuf[c]);
	return rc;
}

int
export_records_to_buf(struct buf *out, struct db *db, int64_t org_id,
    const struct record_kind *k, const struct record_query *query, enum export_format fmt)
{
	char tmp[EXPORT_PATH_MAX], base[EXPORT_PATH_MAX], now[CLOCK_RFC3339_LEN];
	char comments[96];
	const char *dir = getenv("TMPDIR");
	struct export_sink sink;
	struct export_csv *csv;
	struct export_xlsx *x;
	struct export_doc doc = { k->plural, "ISO/IEC 42001:2023", "", NULL };
	int fd = -1, rc;

	if (fmt == EXPORT_CSV) {
		csv = export_csv_new(out);
		export_csv_sink(&sink, csv);
		rc = list_write(&sink, db, org_id, k, query);
		export_csv_free(csv);
		return rc;
	}
	if (fmt != EXPORT_XLSX)
		return aims_error_set(AIMS_EUNSUPPORTED, "format",
		    "lists download as csv or xlsx");
	clock_format(now, clock_now());
	snprintf(comments, sizeof(comments), "Generated by OpenAIMS at %s", now);
	doc.comments = comments;
	snprintf(base, sizeof(base), "%s/aims-export", dir && *dir ? dir : "/tmp");
	if ((rc = file_temp(tmp, sizeof(tmp), base, &fd)) != 0)
		return rc;
	if ((rc = export_xlsx_new(&x, tmp, &doc, true)) == 0) {
		export_xlsx_sink(&sink, x);
		rc = list_write(&sink, db, org_id, k, query);
		if (export_xlsx_close(x) != 0 && rc == 0)
			rc = AIMS_ERROR;
	}
	if (rc == 0)
		rc = file_read_all(out, fd);
	close(fd);
	unlink(tmp);
	return rc;
}
