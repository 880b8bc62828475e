/*
 * cli_catalog.c - 'aims catalog list|show': read the requirement catalogs;
 * 'aims catalog imported': the catalogs an organisation imported (OSCAL).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/catalog.h"
#include "core/org_catalog.h"
#include "store/db.h"
#include "util/error.h"

static const char catalog_usage[] =
    "usage: aims catalog list [--framework F] [--kind K] [--format text|json|csv] [--db PATH]\n"
    "       aims catalog show ID [--framework F] [--format text|json] [--db PATH]\n"
    "Prints the requirement catalogs loaded by 'aims init'.\n"
    "  --framework F  catalog id: iso42001 (default), eu-ai-act, nist-ai-rmf, iso27001,\n"
    "                 owasp-llm-2025, atlas\n"
    "  --kind K       clause, area, control, objective, risk-source; chapter, article,\n"
    "                 function, category, subcategory, theme, risk, tactic, technique\n";

struct catalog_opts {
	const char	*db;
	const char	*framework;
	const char	*kind;
	enum cli_format	 format;
};

static int
catalog_parse(struct catalog_opts *o, int argc, char **argv, const char *cmd)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "framework", required_argument, NULL, 'f' },
		{ "kind", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->db = cli_default_db();
	o->framework = CATALOG_ISO42001;
	o->kind = NULL;
	o->format = CLI_FORMAT_TEXT;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'f': o->framework = optarg; break;
		case 'k': o->kind = optarg; break;
		case 'F':
			if (cli_parse_format(&o->format, optarg) != 0)
				return cli_usage_error(cmd, "%s", aims_error_message());
			break;
		case 'h': fputs(catalog_usage, stdout); return -1;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (o->kind && strcmp(o->kind, "clause") && strcmp(o->kind, "area") &&
	    strcmp(o->kind, "control") && strcmp(o->kind, "objective") &&
	    strcmp(o->kind, "risk-source"))
		return cli_usage_error(cmd, "unknown kind '%s' (allowed: clause, area, control, "
		    "objective, risk-source)", o->kind);
	return 0;
}

static int
catalog_list_cmd(int argc, char **argv)
{
	static const char *const cols[] = { "id", "kind", "title", "parent", "summary" };
	struct catalog_opts o;
	struct cli_table *t = NULL;
	struct db *db = NULL;
	json_t *items = NULL, *e;
	size_t i;
	int rc;

	if ((rc = catalog_parse(&o, argc, argv, "catalog list")) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (optind != argc)
		return cli_usage_error("catalog list", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open_db(&db, o.db, 0)) != CLI_OK)
		return rc;
	if (catalog_list(&items, db, o.framework, o.kind) != 0) {
		rc = cli_fail("catalog list");
		goto done;
	}
	if (json_array_size(items) == 0) {
		fprintf(stderr, "aims: no requirements in catalog '%s'%s%s\n", o.framework,
		    o.kind ? " of kind " : "", o.kind ? o.kind : "");
		rc = CLI_FAIL;
		goto done;
	}
	t = cli_table_new(5, cols);
	json_array_foreach(items, i, e) {
		const char *row[5] = {
			json_string_value(json_object_get(e, "id")),
			json_string_value(json_object_get(e, "kind")),
			json_string_value(json_object_get(e, "title")),
			json_string_value(json_object_get(e, "parent")),
			json_string_value(json_object_get(e, "summary")),
		};

		cli_table_add(t, row);
	}
	cli_table_print(t, o.format, stdout);
	rc = CLI_OK;
done:
	cli_table_free(t);
	json_decref(items);
	db_close(db);
	return rc;
}

static int
catalog_show_cmd(int argc, char **argv)
{
	struct catalog_opts o;
	struct db *db = NULL;
	json_t *r = NULL, *v;
	size_t i;
	int rc;

	if ((rc = catalog_parse(&o, argc, argv, "catalog show")) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (optind + 1 != argc)
		return cli_usage_error("catalog show", "give exactly one requirement ID");
	if ((rc = cli_open_db(&db, o.db, 0)) != CLI_OK)
		return rc;
	if (catalog_get(&r, db, o.framework, argv[optind]) != 0) {
		rc = cli_fail(NULL);
		goto done;
	}
	if (o.format == CLI_FORMAT_JSON) {
		char *s = json_dumps(r, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		printf("%s\n", s);
		free(s);
	} else {
		printf("%s  %s\n", json_string_value(json_object_get(r, "id")),
		    json_string_value(json_object_get(r, "title")));
		printf("kind:     %s\n", json_string_value(json_object_get(r, "kind")));
		if (json_is_string(json_object_get(r, "parent")))
			printf("parent:   %s\n", json_string_value(json_object_get(r, "parent")));
		printf("summary:  %s\n", json_string_value(json_object_get(r, "summary")));
		if (json_is_string(json_object_get(r, "objective")))
			printf("objective: %s\n",
			    json_string_value(json_object_get(r, "objective")));
		json_array_foreach(json_object_get(r, "tactics"), i, v)
			printf("%s%s", i ? ", " : "tactics:  ", json_string_value(v));
		if (json_array_size(json_object_get(r, "tactics")))
			putchar('\n');
		json_array_foreach(json_object_get(r, "documented_information"), i, v)
			printf("%s %s\n", i ? "         " : "documented information:",
			    json_string_value(v));
		json_array_foreach(json_object_get(r, "children"), i, v)
			printf("%s %s\n", i ? "         " : "children:", json_string_value(v));
	}
	rc = CLI_OK;
done:
	json_decref(r);
	db_close(db);
	return rc;
}

static const char catalog_imported_usage[] =
    "usage: aims catalog imported --org SLUG [--format text|json|csv] [--db PATH]\n"
    "Lists the catalogs the organisation imported with 'aims import oscal' (no other\n"
    "organisation sees them); export one with\n"
    "'aims export oscal --model catalog --catalog ID'.\n";

static int
catalog_imported_cmd(int argc, char **argv)
{
	static const char *const cols[] = { "id", "title", "version", "item_count", "revision",
		"imported_at", "imported_by" };

	return cli_list(argc, argv, "catalog imported", catalog_imported_usage, 7, cols,
	    org_catalog_list, 1);
}

int
cmd_catalog(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "list", "list requirements", catalog_list_cmd },
		{ "show", "show one requirement", catalog_show_cmd },
		{ "imported", "list the catalogs an organisation imported", catalog_imported_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("catalog", subs, argc, argv,
	    "usage: aims catalog COMMAND [options]");
}
