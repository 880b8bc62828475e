/*
 * cli_report.c - 'aims report readiness': the certification readiness report;
 * 'aims report audit': the report of one internal audit; 'aims report
 * coverage': what an audit programme covers.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/audit.h"
#include "core/org.h"
#include "engine/readiness.h"
#include "io/report.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"

static const char report_usage[] =
    "usage: aims report COMMAND --org SLUG [options]\n"
    "Reports computed from an organisation's records.";

static const char readiness_usage[] =
    "usage: aims report readiness --org SLUG [--format text|json|html] [--no-save] [--db PATH]\n"
    "Evaluates every readiness rule: per requirement met, partly met, not met or not\n"
    "applicable with the records concerned, scores by clause and Annex A area, and the\n"
    "Stage 1 and Stage 2 verdicts. The evaluation is kept as today's snapshot for the\n"
    "trend unless --no-save is given.\n"
    "  --org SLUG      the organisation\n"
    "  --format F      text (default), json, or html (one self-contained file)\n"
    "  --no-save       do not store the evaluation as today's snapshot\n"
    "  --db PATH       database file (default $AIMS_DB or ./aims.db)\n"
    "Exit codes: 0 done, 1 failure, 2 usage error.\n";

static int
report_print(const json_t *res, const char *format)
{
	struct buf out = BUF_INIT;
	char *s;
	int rc;

	if (strcmp(format, "json") == 0) {
		s = json_dumps(res, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
		return CLI_OK;
	}
	rc = strcmp(format, "html") == 0 ? report_readiness_html(&out, res) :
	    report_readiness_text(&out, res);
	if (rc == 0)
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	if (rc != 0)
		return cli_fail("report");
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

static int
cmd_report_readiness(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "no-save", no_argument, NULL, 'n' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *slug = NULL, *format = "text";
	int c, flags = READINESS_SAVE, rc = CLI_FAIL;
	struct db *db = NULL;
	json_t *res = NULL;
	int64_t org_id;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': slug = optarg; break;
		case 'f': format = optarg; break;
		case 'n': flags &= ~READINESS_SAVE; break;
		case 'd': path = optarg; break;
		case 'h': fputs(readiness_usage, stdout); return CLI_OK;
		default: return cli_usage_error("report readiness", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("report readiness", "unexpected argument '%s'",
		    argv[optind]);
	if (slug == NULL)
		return cli_usage_error("report readiness", "--org SLUG is required");
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "html"))
		return cli_usage_error("report readiness",
		    "unknown format '%s' (allowed: text, json, html)", format);
	if (cli_open_db(&db, path, 0) != CLI_OK)
		return CLI_FAIL;
	if (org_id_by_slug(&org_id, db, slug) != 0 ||
	    readiness_evaluate(&res, db, org_id, flags) != 0) {
		rc = cli_fail("report readiness");
		goto done;
	}
	rc = report_print(res, format);
done:
	json_decref(res);
	db_close(db);
	return rc;
}

static const char audit_usage[] =
    "usage: aims report audit --org SLUG --ref REF [--format json|html] [--db PATH]\n"
    "The report of one internal audit: programme, scope, criteria, team and dates,\n"
    "the checklist with the records sampled, the findings with the nonconformities\n"
    "they raised, the conclusion, and who issued the report and when (a report not\n"
    "issued yet is marked as a draft).\n"
    "  --org SLUG      the organisation\n"
    "  --ref REF       the audit, e.g. AUD-1\n"
    "  --format F      json (default) or html (one self-contained, printable file)\n"
    "  --db PATH       database file (default $AIMS_DB or ./aims.db)\n"
    "Exit codes: 0 done, 1 failure (no such audit), 2 usage error.\n";

static int
cmd_report_audit(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "ref", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *slug = NULL, *ref = NULL, *format = "json";
	struct buf out = BUF_INIT;
	struct db *db = NULL;
	json_t *rep = NULL;
	int c, rc = CLI_FAIL;
	int64_t org_id;
	char *s;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': slug = optarg; break;
		case 'r': ref = optarg; break;
		case 'f': format = optarg; break;
		case 'd': path = optarg; break;
		case 'h': fputs(audit_usage, stdout); return CLI_OK;
		default: return cli_usage_error("report audit", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("report audit", "unexpected argument '%s'", argv[optind]);
	if (slug == NULL)
		return cli_usage_error("report audit", "--org SLUG is required");
	if (ref == NULL)
		return cli_usage_error("report audit", "--ref REF is required (the audit: AUD-1)");
	if (strcmp(format, "json") && strcmp(format, "html"))
		return cli_usage_error("report audit", "unknown format '%s' (allowed: json, html)",
		    format);
	if (cli_open_db(&db, path, 0) != CLI_OK)
		return CLI_FAIL;
	if (org_id_by_slug(&org_id, db, slug) != 0 ||
	    audit_report(&rep, db, org_id, ref) != 0 ||
	    (strcmp(format, "html") == 0 && report_audit_html(&out, rep) != 0)) {
		rc = cli_fail("report audit");
		goto done;
	}
	if (strcmp(format, "html") == 0)
		fwrite(out.data, 1, out.len, stdout);
	else {
		s = json_dumps(rep, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
	}
	rc = fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
done:
	buf_free(&out);
	json_decref(rep);
	db_close(db);
	return rc;
}

static const char coverage_usage[] =
    "usage: aims report coverage --org SLUG --ref REF [--format text|json] [--db PATH]\n"
    "The coverage of an internal audit programme: for every clause and every Annex A\n"
    "control the SoA holds applicable, when an audit of the programme last reported\n"
    "on it and when one is planned, and what no audit covers within the period.\n"
    "  --org SLUG      the organisation\n"
    "  --ref REF       the audit programme, e.g. PROG-1\n"
    "  --format F      text (default) or json\n"
    "  --db PATH       database file (default $AIMS_DB or ./aims.db)\n"
    "Exit codes: 0 done, 1 failure (no such programme), 2 usage error.\n";

/* The coverage as a table for the terminal. */
static void
coverage_text(struct buf *out, const json_t *cov)
{
	const json_t *r, *nc = json_object_get(cov, "not_covered");
	const char *last, *planned;
	size_t i;

	buf_printf(out, "%s %s, %s to %s: %lld of %lld covered\n\n",
	    json_string_value(json_object_get(cov, "programme")),
	    json_string_value(json_object_get(cov, "title")) ?: "",
	    json_string_value(json_object_get(cov, "period_start")) ?: "",
	    json_string_value(json_object_get(cov, "period_end")) ?: "",
	    (long long)json_integer_value(json_object_get(cov, "covered")),
	    (long long)json_integer_value(json_object_get(cov, "total")));
	buf_printf(out, "%-10s %-22s %-22s %s\n", "requirement", "last audited", "planned",
	    "covered");
	json_array_foreach(json_object_get(cov, "requirements"), i, r) {
		char a[64], p[64];

		last = json_string_value(json_object_get(r, "last_audited"));
		planned = json_string_value(json_object_get(r, "planned"));
		snprintf(a, sizeof(a), "%s%s%s%s", last ? last : "-", last ? " (" : "",
		    last ? json_string_value(json_object_get(r, "last_audit")) : "", last ? ")" : "");
		snprintf(p, sizeof(p), "%s%s%s%s", planned ? planned : "-", planned ? " (" : "",
		    planned ? json_string_value(json_object_get(r, "planned_audit")) : "",
		    planned ? ")" : "");
		buf_printf(out, "%-10s %-22s %-22s %s\n",
		    json_string_value(json_object_get(r, "id")), a, p,
		    json_is_true(json_object_get(r, "covered")) ? "yes" : "no");
	}
	if (json_array_size(nc) > 0) {
		buf_puts(out, "\nNot covered within the period:");
		json_array_foreach(nc, i, r)
			buf_printf(out, "%s%s", i ? ", " : " ", json_string_value(r));
		buf_puts(out, "\n");
	}
}

static int
cmd_report_coverage(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "ref", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *slug = NULL, *ref = NULL, *format = "text";
	struct buf out = BUF_INIT;
	struct db *db = NULL;
	json_t *cov = NULL;
	int c, rc = CLI_FAIL;
	int64_t org_id;
	char *s;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': slug = optarg; break;
		case 'r': ref = optarg; break;
		case 'f': format = optarg; break;
		case 'd': path = optarg; break;
		case 'h': fputs(coverage_usage, stdout); return CLI_OK;
		default: return cli_usage_error("report coverage", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("report coverage", "unexpected argument '%s'", argv[optind]);
	if (slug == NULL)
		return cli_usage_error("report coverage", "--org SLUG is required");
	if (ref == NULL)
		return cli_usage_error("report coverage",
		    "--ref REF is required (the audit programme: PROG-1)");
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage_error("report coverage",
		    "unknown format '%s' (allowed: text, json)", format);
	if (cli_open_db(&db, path, 0) != CLI_OK)
		return CLI_FAIL;
	if (org_id_by_slug(&org_id, db, slug) != 0 ||
	    audit_programme_coverage(&cov, db, org_id, ref) != 0) {
		rc = cli_fail("report coverage");
		goto done;
	}
	if (strcmp(format, "json") == 0) {
		s = json_dumps(cov, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
	} else {
		coverage_text(&out, cov);
		fwrite(out.data, 1, out.len, stdout);
	}
	rc = fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
done:
	buf_free(&out);
	json_decref(cov);
	db_close(db);
	return rc;
}

int
cmd_report(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "readiness", "certification readiness: gaps, scores, Stage 1/2 verdicts",
		    cmd_report_readiness },
		{ "audit", "the report of one internal audit (JSON or printable HTML)",
		    cmd_report_audit },
		{ "coverage", "an audit programme's coverage of the clauses and controls",
		    cmd_report_coverage },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("report", subs, argc, argv, report_usage);
}
