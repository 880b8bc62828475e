/*
 * cli_metrics.c - 'aims metrics push|status': readings of a metric from a
 * file or standard input (a JSON array of {"at","value"} or CSV with the
 * header at,value), as a pipeline without network access to the server
 * would push them, and the monitoring state of the metrics. The rules are
 * core's (core/metric.h); this file parses, calls core and prints.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/metric.h"
#include "io/import.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"

#define METRICS_INPUT_MAX	(64 * 1024 * 1024)	/* bytes read from the file */

static const char metrics_usage[] =
    "usage: aims metrics push REF --org SLUG --as EMAIL [--file PATH] [--format text|json]\n"
    "                         [--db PATH]\n"
    "       aims metrics status --org SLUG [--ai-system REF] [--objective REF]\n"
    "                         [--format text|json|csv] [--db PATH]\n"
    "push stores a batch of readings of metric REF (MET-1), all or nothing, from PATH or\n"
    "standard input: a JSON array of {\"at\": RFC 3339, \"value\": number}, or CSV whose\n"
    "header is at,value. A reading at a time the metric already has is not stored twice;\n"
    "a reading past the breach threshold opens or adds to the record the metric's\n"
    "on_breach names. status lists each metric's last reading, its state (ok, warn,\n"
    "breach, none) and whether it is stale.\n"
    "  --file PATH        the readings (default: standard input)\n"
    CLI_AS_HELP;

struct metrics_opts {
	const char	*db;
	const char	*org;
	const char	*as;
	const char	*file;
	const char	*ai_system;
	const char	*objective;
	enum cli_format	 fmt;
};

static int
metrics_parse(struct metrics_opts *o, int argc, char **argv, const char *cmd)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "org", required_argument, NULL, 'o' },
		{ "as", required_argument, NULL, 'a' },
		{ "file", required_argument, NULL, 'f' },
		{ "ai-system", required_argument, NULL, 's' },
		{ "objective", required_argument, NULL, 'j' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->db = cli_default_db();
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'o': o->org = optarg; break;
		case 'a': o->as = optarg; break;
		case 'f': o->file = optarg; break;
		case 's': o->ai_system = optarg; break;
		case 'j': o->objective = optarg; break;
		case 'F':
			if (cli_parse_format(&o->fmt, optarg) != 0)
				return cli_usage_error(cmd, "%s", aims_error_message());
			break;
		case 'h': fputs(metrics_usage, stdout); return -1;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (o->org == NULL)
		return cli_usage_error(cmd, "--org SLUG is required");
	return CLI_OK;
}

/* The whole input, at most METRICS_INPUT_MAX bytes. */
static int
metrics_read(struct buf *b, const char *path)
{
	FILE *f = path ? fopen(path, "rb") : stdin;
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (f == NULL)
		return aims_error_set(AIMS_ERROR, "file", "cannot open %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > METRICS_INPUT_MAX) {
			rc = aims_error_set(AIMS_ETOOBIG, "file", "the input is over %d bytes",
			    METRICS_INPUT_MAX);
			break;
		}
		buf_append(b, chunk, n);
	}
	if (rc == 0 && ferror(f))
		rc = aims_error_set(AIMS_ERROR, "file", "cannot read %s", path ? path : "stdin");
	if (path)
		fclose(f);
	return rc;
}

static int
metrics_push_cmd(int argc, char **argv)
{
	struct metrics_opts o = { 0 };
	struct cli_actor who;
	struct buf in = BUF_INIT;
	struct db *db = NULL;
	json_t *readings = NULL, *out = NULL;
	json_error_t jerr;
	const char *p;
	int64_t org_id;
	char *s;
	int rc;

	if ((rc = metrics_parse(&o, argc, argv, "metrics push")) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if (optind + 1 != argc)
		return cli_usage_error("metrics push", "give exactly one metric reference (MET-1)");
	if (metrics_read(&in, o.file) != 0)
		return cli_fail("metrics push");
	for (p = buf_str(&in); *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++)
		;
	if (*p == '[') {
		if ((readings = json_loadb(in.data, in.len, JSON_REJECT_DUPLICATES, &jerr)) ==
		    NULL) {
			aims_error_set(AIMS_EINVALID, NULL, "malformed JSON at line %d, column %d: %s",
			    jerr.line, jerr.column, jerr.text);
			rc = cli_fail("metrics push");
			goto done;
		}
	} else if (import_readings_csv(&readings, in.data ? in.data : "", in.len) != 0) {
		rc = cli_fail("metrics push");
		goto done;
	}
	if ((rc = cli_open_db(&db, o.db, 0)) != CLI_OK)
		goto done;
	if ((rc = cli_org_id(&org_id, db, o.org, "metrics push")) != CLI_OK)
		goto done;
	if ((rc = cli_actor(&who, db, org_id, o.as, "metrics push")) != CLI_OK)
		goto done;
	if (metric_readings_push(&out, db, org_id, &who.actor, argv[optind], readings) != 0) {
		rc = cli_fail("metrics push");
		goto done;
	}
	if (o.fmt == CLI_FORMAT_JSON) {
		s = json_dumps(out, JSON_COMPACT);
		printf("%s\n", s);
		free(s);
	} else {
		printf("%s: %lld stored, %lld duplicate(s)", argv[optind],
		    (long long)json_integer_value(json_object_get(out, "stored")),
		    (long long)json_integer_value(json_object_get(out, "duplicates")));
		if (json_integer_value(json_object_get(out, "breaches")) > 0)
			printf("; %lld past the breach threshold",
			    (long long)json_integer_value(json_object_get(out, "breaches")));
		if (json_is_string(json_object_get(out, "opened")))
			printf("; recorded in %s",
			    json_string_value(json_object_get(out, "opened")));
		printf("\n");
	}
	rc = CLI_OK;
done:
	json_decref(out);
	json_decref(readings);
	buf_free(&in);
	db_close(db);
	return rc;
}

static int
metrics_status_cmd(int argc, char **argv)
{
	static const char *const cols[] = { "ref", "title", "ai_system", "objective", "last_at",
	    "last_value", "state", "stale" };
	struct metrics_opts o = { 0 };
	struct cli_table *t = NULL;
	struct db *db = NULL;
	json_t *items = NULL, *e;
	const char *row[8];
	char v[32];
	int64_t org_id;
	size_t i;
	int rc, c;

	if ((rc = metrics_parse(&o, argc, argv, "metrics status")) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if (optind != argc)
		return cli_usage_error("metrics status", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open_db(&db, o.db, 0)) != CLI_OK)
		return rc;
	if ((rc = cli_org_id(&org_id, db, o.org, "metrics status")) != CLI_OK)
		goto done;
	if (metric_status(&items, db, org_id, o.ai_system, o.objective, clock_now()) != 0) {
		rc = cli_fail("metrics status");
		goto done;
	}
	if (o.fmt == CLI_FORMAT_JSON) {
		char *s = json_dumps(items, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		printf("%s\n", s);
		free(s);
		rc = CLI_OK;
		goto done;
	}
	t = cli_table_new(8, cols);
	json_array_foreach(items, i, e) {
		for (c = 0; c < 8; c++) {
			json_t *x = json_object_get(e, cols[c]);

			row[c] = json_is_string(x) ? json_string_value(x) : "";
		}
		if (json_is_number(json_object_get(e, "last_value"))) {
			metric_format_value(v, json_number_value(json_object_get(e, "last_value")));
			row[5] = v;
		}
		row[7] = json_is_true(json_object_get(e, "stale")) ? "stale" : "";
		cli_table_add(t, row);
	}
	cli_table_print(t, o.fmt, stdout);
	rc = CLI_OK;
done:
	cli_table_free(t);
	json_decref(items);
	db_close(db);
	return rc;
}

int
cmd_metrics(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "push", "store a batch of readings of a metric", metrics_push_cmd },
		{ "status", "each metric's last reading, state and staleness", metrics_status_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("metrics", subs, argc, argv, metrics_usage);
}
