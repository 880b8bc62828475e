/* cli_org.c - 'aims org create|list': organisations (tenants). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/org.h"
#include "store/db.h"
#include "util/error.h"

static const char org_usage[] =
    "usage: aims org create SLUG [--name NAME] [--db PATH]\n"
    "       aims org list [--format text|json|csv] [--db PATH]\n";

static int
org_create_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *name = NULL;
	struct actor cli = ACTOR_CLI;
	struct db *db = NULL;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'n': name = optarg; break;
		case 'h': fputs(org_usage, stdout); return CLI_OK;
		default: return cli_usage_error("org create", "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("org create", "give exactly one SLUG");
	if ((rc = cli_open_db(&db, path, 0)) != CLI_OK)
		return rc;
	if (org_create(NULL, db, &cli, argv[optind], name ? name : argv[optind]) != 0)
		rc = cli_fail("org create");
	else
		printf("organisation '%s' created\n", argv[optind]);
	db_close(db);
	return rc;
}

static int
org_fetch(json_t **out, struct db *db, int64_t org_id)
{
	(void)org_id;
	return org_list(out, db);
}

static int
org_list_cmd(int argc, char **argv)
{
	static const char *const cols[] = { "slug", "name", "ai_roles", "created_at" };

	return cli_list(argc, argv, "org list", org_usage, 4, cols, org_fetch, 0);
}

int
cmd_org(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "create", "create an organisation", org_create_cmd },
		{ "list", "list organisations", org_list_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("org", subs, argc, argv, "usage: aims org COMMAND [options]");
}
