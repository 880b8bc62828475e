/* cli_soa.c - 'aims soa': publish the Statement of Applicability, list and show versions, diff. */
#include <getopt.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/org.h"
#include "core/soa.h"
#include "store/db.h"
#include "util/error.h"
#include "util/str.h"

static const char soa_usage[] =
    "usage: aims soa COMMAND --org SLUG [options]\n"
    "The Statement of Applicability as a document: published versions stay as\n"
    "they were approved; the draft is the live SoA entries.";

static const char soa_options[] =
    "  --org SLUG      the organisation\n"
    "  --db PATH       database file (default $AIMS_DB or ./aims.db)\n"
    "Exit codes: 0 done, 1 failure, 2 usage error.\n";

struct soa_args {
	const char		*cmd;
	const char		*db_path, *slug, *approver, *note, *as;
	int64_t			 version;
	enum cli_format		 format;
	struct db		*db;
	int64_t			 org_id;
};

/* Common options; returns CLI_OK to go on, or an exit code. */
static int
soa_args_parse(struct soa_args *a, int argc, char **argv, const char *usage)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "approver", required_argument, NULL, 'a' },
		{ "as", required_argument, NULL, 'A' },
		{ "note", required_argument, NULL, 'n' },
		{ "version", required_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	a->db_path = cli_default_db();
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': a->slug = optarg; break;
		case 'a': a->approver = optarg; break;
		case 'A': a->as = optarg; break;
		case 'n': a->note = optarg; break;
		case 'v':
			if (str_to_int64(&a->version, optarg, 1, INT32_MAX) != 0)
				return cli_usage_error(a->cmd, "--version takes a version number");
			break;
		case 'f':
			if (cli_parse_format(&a->format, optarg) != 0)
				return cli_usage_error(a->cmd, "%s", aims_error_message());
			break;
		case 'd': a->db_path = optarg; break;
		case 'h': printf("%s%s", usage, soa_options); return -1;
		default: return cli_usage_error(a->cmd, "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error(a->cmd, "unexpected argument '%s'", argv[optind]);
	if (a->slug == NULL)
		return cli_usage_error(a->cmd, "--org SLUG is required");
	if (cli_open_db(&a->db, a->db_path, 0) != CLI_OK)
		return CLI_FAIL;
	if (org_id_by_slug(&a->org_id, a->db, a->slug) != 0) {
		db_close(a->db);
		return cli_fail(a->cmd);
	}
	return CLI_OK;
}

static int
soa_args_done(struct soa_args *a, int rc)
{
	db_close(a->db);
	return rc;
}

static void
print_json(const json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	printf("%s\n", s);
	free(s);
}

static const char *
applicable_text(const json_t *v)
{
	return json_is_true(v) ? "yes" : json_is_false(v) ? "no" : "undecided";
}

static void
print_rows(const json_t *rows, enum cli_format fmt)
{
	static const char *const cols[] = { "control", "title", "applicable", "status", "owner",
	    "justification" };
	struct cli_table *t = cli_table_new(6, cols);
	const char *cells[6];
	const json_t *r;
	size_t i;

	json_array_foreach(rows, i, r) {
		cells[0] = json_string_value(json_object_get(r, "control"));
		cells[1] = json_string_value(json_object_get(r, "title"));
		cells[2] = applicable_text(json_object_get(r, "applicable"));
		cells[3] = json_string_value(json_object_get(r, "status"));
		cells[4] = json_string_value(json_object_get(r, "owner"));
		cells[5] = json_string_value(json_object_get(r, "justification"));
		cli_table_add(t, cells);
	}
	cli_table_print(t, fmt, stdout);
	cli_table_free(t);
}

static const char publish_usage[] =
    "usage: aims soa publish --org SLUG --as EMAIL [--note TEXT]\n"
    "Freezes the current SoA as the next numbered version. Publishing is its\n"
    "approval: EMAIL (a manager or admin of the organisation, default $AIMS_AS)\n"
    "publishes and approves it, and must not have changed an entry since the\n"
    "last published version. Every control must be decided and justified first.\n"
    CLI_AS_HELP
    "  --approver EMAIL   the same person as --as (kept for scripts)\n"
    "  --note TEXT        what this version is for\n";

static int
cmd_soa_publish(int argc, char **argv)
{
	struct soa_args a = { .cmd = "soa publish", .format = CLI_FORMAT_TEXT };
	struct cli_actor who;
	json_t *v = NULL;
	int rc;

	if ((rc = soa_args_parse(&a, argc, argv, publish_usage)) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = cli_actor(&who, a.db, a.org_id, a.as ? a.as : a.approver, a.cmd)) != CLI_OK)
		return soa_args_done(&a, rc);
	if (soa_publish(&v, a.db, a.org_id, &who.actor, a.approver, a.note) != 0)
		return soa_args_done(&a, cli_fail(a.cmd));
	if (a.format == CLI_FORMAT_JSON)
		print_json(v);
	else
		printf("published SoA version %lld (%s, %lld controls, approved by %s)\n",
		    (long long)json_integer_value(json_object_get(v, "version")),
		    json_string_value(json_object_get(v, "edition")),
		    (long long)json_integer_value(json_object_get(v, "row_count")),
		    json_string_value(json_object_get(v, "approver")));
	json_decref(v);
	return soa_args_done(&a, CLI_OK);
}

static const char versions_usage[] =
    "usage: aims soa versions --org SLUG [--format text|json|csv]\n"
    "Lists the published versions, newest first.\n";

static int
cmd_soa_versions(int argc, char **argv)
{
	static const char *const cols[] = { "version", "published_at", "approver", "edition",
	    "controls", "note" };
	struct soa_args a = { .cmd = "soa versions", .format = CLI_FORMAT_TEXT };
	char version[24], count[24];
	const char *cells[6];
	struct cli_table *t;
	json_t *list = NULL;
	const json_t *v;
	size_t i;
	int rc;

	if ((rc = soa_args_parse(&a, argc, argv, versions_usage)) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if (soa_versions(&list, a.db, a.org_id) != 0)
		return soa_args_done(&a, cli_fail(a.cmd));
	t = cli_table_new(6, cols);
	json_array_foreach(list, i, v) {
		snprintf(version, sizeof(version), "%lld",
		    (long long)json_integer_value(json_object_get(v, "version")));
		snprintf(count, sizeof(count), "%lld",
		    (long long)json_integer_value(json_object_get(v, "row_count")));
		cells[0] = version;
		cells[1] = json_string_value(json_object_get(v, "published_at"));
		cells[2] = json_string_value(json_object_get(v, "approver"));
		cells[3] = json_string_value(json_object_get(v, "edition"));
		cells[4] = count;
		cells[5] = json_string_value(json_object_get(v, "note"));
		cli_table_add(t, cells);
	}
	cli_table_print(t, a.format, stdout);
	cli_table_free(t);
	json_decref(list);
	return soa_args_done(&a, CLI_OK);
}

static const char show_usage[] =
    "usage: aims soa show --org SLUG [--version N] [--format text|json|csv]\n"
    "Shows a published version, or without --version the draft (the live SoA).\n";

static int
cmd_soa_show(int argc, char **argv)
{
	struct soa_args a = { .cmd = "soa show", .format = CLI_FORMAT_TEXT };
	json_t *v = NULL, *rows = NULL;
	int rc;

	if ((rc = soa_args_parse(&a, argc, argv, show_usage)) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	rc = a.version ? soa_version_get(&v, a.db, a.org_id, a.version) :
	    soa_rows(&rows, a.db, a.org_id);
	if (rc != 0)
		return soa_args_done(&a, cli_fail(a.cmd));
	if (a.format == CLI_FORMAT_JSON)
		print_json(v ? v : rows);
	else {
		if (v && a.format == CLI_FORMAT_TEXT)
			printf("SoA version %lld, %s, published %s, approved by %s\n\n",
			    (long long)a.version, json_string_value(json_object_get(v, "edition")),
			    json_string_value(json_object_get(v, "published_at")),
			    json_string_value(json_object_get(v, "approver")));
		print_rows(v ? json_object_get(v, "rows") : rows, a.format);
	}
	json_decref(v);
	json_decref(rows);
	return soa_args_done(&a, CLI_OK);
}

static const char diff_usage[] =
    "usage: aims soa diff --org SLUG [--version N] [--format text|json]\n"
    "What changed in the draft since the last published version (or version N).\n";

static void
print_value(const json_t *v)
{
	char *s;

	if (json_is_string(v)) {
		printf("\"%s\"", json_string_value(v));
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	printf("%s", s ? s : "null");
	free(s);
}

static int
cmd_soa_diff(int argc, char **argv)
{
	struct soa_args a = { .cmd = "soa diff", .format = CLI_FORMAT_TEXT };
	const json_t *ch, *f, *base;
	json_t *d = NULL;
	size_t i, j;
	int rc;

	if ((rc = soa_args_parse(&a, argc, argv, diff_usage)) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if (soa_diff(&d, a.db, a.org_id, a.version) != 0)
		return soa_args_done(&a, cli_fail(a.cmd));
	if (a.format == CLI_FORMAT_JSON) {
		print_json(d);
		json_decref(d);
		return soa_args_done(&a, CLI_OK);
	}
	base = json_object_get(d, "base_version");
	if (json_is_null(base))
		printf("never published: every control is new\n");
	else
		printf("%zu controls changed since version %lld\n",
		    json_array_size(json_object_get(d, "changes")),
		    (long long)json_integer_value(base));
	json_array_foreach(json_object_get(d, "changes"), i, ch) {
		printf("%s %s\n", json_string_value(json_object_get(ch, "control")),
		    json_string_value(json_object_get(ch, "title")));
		json_array_foreach(json_object_get(ch, "fields"), j, f) {
			printf("  %s: ", json_string_value(json_object_get(f, "field")));
			print_value(json_object_get(f, "from"));
			printf(" -> ");
			print_value(json_object_get(f, "to"));
			putchar('\n');
		}
	}
	json_decref(d);
	return soa_args_done(&a, CLI_OK);
}

int
cmd_soa(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "publish", "freeze the SoA as the next approved version", cmd_soa_publish },
		{ "versions", "list the published versions", cmd_soa_versions },
		{ "show", "show the draft or a published version", cmd_soa_show },
		{ "diff", "what changed since the last published version", cmd_soa_diff },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("soa", subs, argc, argv, soa_usage);
}
