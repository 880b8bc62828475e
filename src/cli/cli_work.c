/*
 * cli_work.c - 'aims work mine|calendar': a person's work (their tasks and
 * the due dates of the records they own, the sign-offs waiting for them,
 * what they assigned) and the certification calendar, as the "My work" and
 * calendar pages show them (core/work.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/work.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"

static const char work_usage[] =
    "usage: aims work mine --org SLUG --as EMAIL [--format text|json] [--db PATH]\n"
    "       aims work calendar --org SLUG [--format text|json] [--db PATH]\n"
    "mine lists the person's work: overdue, due this week and later (their tasks and the\n"
    "due dates of the records they own), the records waiting for their sign-off, and what\n"
    "they assigned to others. calendar lists the external audits of the certification\n"
    "cycle, each with the internal audits and management reviews planned before it.\n"
    "  --org SLUG         the organisation\n"
    "  --format F         text (default) or json\n"
    "  --as EMAIL         whose work (default $AIMS_AS)\n";

struct work_opts {
	const char	*db;
	const char	*org;
	const char	*as;
	enum cli_format	 fmt;
};

static int
work_parse(struct work_opts *o, int argc, char **argv, const char *cmd)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "org", required_argument, NULL, 'o' },
		{ "as", required_argument, NULL, 'a' },
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
		case 'F':
			if (cli_parse_format(&o->fmt, optarg) != 0 || o->fmt == CLI_FORMAT_CSV)
				return cli_usage_error(cmd, "--format: text or json");
			break;
		case 'h': fputs(work_usage, stdout); return -1;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (o->org == NULL)
		return cli_usage_error(cmd, "--org SLUG is required");
	return CLI_OK;
}

static void
work_print_group(const json_t *w, const char *name, const char *heading)
{
	const json_t *g = json_object_get(w, name), *it;
	size_t i;

	printf("%s: %lld%s\n", heading, (long long)json_integer_value(json_object_get(g, "count")),
	    json_is_true(json_object_get(g, "more")) ? " or more" : "");
	json_array_foreach(json_object_get(g, "items"), i, it)
		printf("  %s  %-10s %-14s %s (%s)\n", json_string_value(json_object_get(it, "due")),
		    json_string_value(json_object_get(it, "ref")),
		    json_string_value(json_object_get(it, "what")),
		    json_string_value(json_object_get(it, "title")),
		    json_is_string(json_object_get(it, "owner")) ?
		    json_string_value(json_object_get(it, "owner")) : "nobody");
}

static int
work_mine_cmd(int argc, char **argv)
{
	struct work_opts o = { 0 };
	struct cli_actor who;
	struct db *db = NULL;
	json_t *w = NULL, *it;
	int64_t org_id;
	size_t i;
	int rc;

	if ((rc = work_parse(&o, argc, argv, "work mine")) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = cli_open_db(&db, o.db, 0)) != CLI_OK)
		return rc;
	if ((rc = cli_org_id(&org_id, db, o.org, "work mine")) != CLI_OK ||
	    (rc = cli_actor(&who, db, org_id, o.as, "work mine")) != CLI_OK)
		goto done;
	if (work_mine(&w, db, org_id, &who.actor, clock_now()) != 0) {
		rc = cli_fail("work mine");
		goto done;
	}
	if (o.fmt == CLI_FORMAT_JSON) {
		json_dumpf(w, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		goto done;
	}
	work_print_group(w, "overdue", "Overdue");
	work_print_group(w, "this_week", "Due this week");
	work_print_group(w, "later", "Later");
	printf("Waiting for your sign-off:\n");
	json_array_foreach(json_object_get(json_object_get(w, "approvals"), "items"), i, it)
		printf("  %-10s %s: %s\n", json_string_value(json_object_get(it, "ref")),
		    json_string_value(json_object_get(it, "label")),
		    json_string_value(json_object_get(it, "title")));
	printf("Metrics without a recent reading:\n");
	json_array_foreach(json_object_get(json_object_get(w, "stale_metrics"), "items"), i, it)
		printf("  %-10s %s (last reading: %s)\n", json_string_value(json_object_get(it, "ref")),
		    json_string_value(json_object_get(it, "title")),
		    json_is_string(json_object_get(it, "last_at")) ?
		    json_string_value(json_object_get(it, "last_at")) : "none");
	work_print_group(w, "assigned_by_me", "Assigned by you");
done:
	json_decref(w);
	db_close(db);
	return rc;
}

static int
work_calendar_cmd(int argc, char **argv)
{
	struct work_opts o = { 0 };
	struct db *db = NULL;
	json_t *cal = NULL, *e, *b;
	int64_t org_id;
	size_t i, j;
	int rc;

	if ((rc = work_parse(&o, argc, argv, "work calendar")) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = cli_open_db(&db, o.db, 0)) != CLI_OK)
		return rc;
	if ((rc = cli_org_id(&org_id, db, o.org, "work calendar")) != CLI_OK)
		goto done;
	if (work_calendar(&cal, db, org_id, clock_now()) != 0) {
		rc = cli_fail("work calendar");
		goto done;
	}
	if (o.fmt == CLI_FORMAT_JSON) {
		json_dumpf(cal, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		goto done;
	}
	json_array_foreach(json_object_get(cal, "events"), i, e) {
		printf("%s  %s (%s %s)%s\n", json_string_value(json_object_get(e, "date")),
		    json_string_value(json_object_get(e, "what")),
		    json_string_value(json_object_get(e, "ref")),
		    json_string_value(json_object_get(e, "title")),
		    json_is_true(json_object_get(e, "past")) ? "" : " planned");
		json_array_foreach(json_object_get(e, "before"), j, b)
			printf("    %s  %s %s %s: %s\n", json_string_value(json_object_get(b, "date")),
			    json_is_true(json_object_get(b, "held")) ? "held" : "to hold",
			    json_string_value(json_object_get(b, "what")),
			    json_string_value(json_object_get(b, "ref")),
			    json_string_value(json_object_get(b, "title")));
	}
done:
	json_decref(cal);
	db_close(db);
	return rc;
}

int
cmd_work(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "mine", "a person's work", work_mine_cmd },
		{ "calendar", "the certification calendar", work_calendar_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("work", subs, argc, argv, work_usage);
}
