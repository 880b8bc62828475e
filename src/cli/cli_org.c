/*
 * cli_org.c - 'aims org create|list|concern-channel': organisations
 * (tenants) and their concern reporting channel (core/concern.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/concern.h"
#include "core/org.h"
#include "core/perm.h"
#include "store/db.h"
#include "util/error.h"

static const char org_usage[] =
    "usage: aims org create SLUG [--name NAME] [--db PATH]\n"
    "       aims org list [--format text|json|csv] [--db PATH]\n"
    "       aims org concern-channel SLUG [--open | --close --as EMAIL] [--db PATH]\n";

static const char channel_usage[] =
    "usage: aims org concern-channel SLUG [--open | --close] [--as EMAIL] [--db PATH]\n"
    "Shows, opens or closes the organisation's public concern reporting channel\n"
    "(ISO/IEC 42001 A.3.3): while it is open, anyone may report a concern without an\n"
    "account at /public/orgs/SLUG/concerns (and POST /api/v1/public/orgs/SLUG/concerns)\n"
    "and read the replies with the report key they are given. Closed, both answer 404,\n"
    "as for an organisation that does not exist.\n"
    "  --open             open the channel\n"
    "  --close            close it (reports already sent stay readable with their key)\n"
    CLI_AS_HELP
    "                     (a manager or an admin)\n"
    "  --db PATH          database (default $AIMS_DB or ./aims.db)\n"
    "Without --open or --close it prints whether the channel is open.\n";

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

static int
org_channel_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "as", required_argument, NULL, 'a' },
		{ "open", no_argument, NULL, 'o' },
		{ "close", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *as = NULL;
	struct cli_actor who;
	struct db *db = NULL;
	json_t *state = NULL;
	int64_t org_id;
	int c, rc, set = -1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'a': as = optarg; break;
		case 'o': set = set == 0 ? 2 : 1; break;
		case 'c': set = set == 1 ? 2 : 0; break;
		case 'h': fputs(channel_usage, stdout); return CLI_OK;
		default: return cli_usage_error("org concern-channel", "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("org concern-channel", "give exactly one SLUG");
	if (set == 2)
		return cli_usage_error("org concern-channel", "give --open or --close, not both");
	if ((rc = cli_open_db(&db, path, 0)) != CLI_OK)
		return rc;
	if ((rc = cli_org_id(&org_id, db, argv[optind], "org concern-channel")) != CLI_OK)
		goto done;
	if (set < 0) {
		if (concern_channel_get(&state, db, org_id) != 0) {
			rc = cli_fail("org concern-channel");
			goto done;
		}
		printf("the concern reporting channel of '%s' is %s\n", argv[optind],
		    json_is_true(json_object_get(state, "open")) ? "open" : "closed");
		goto done;
	}
	if ((rc = cli_actor(&who, db, org_id, as, "org concern-channel")) != CLI_OK)
		goto done;
	if (!perm_allows(who.actor.role, PERM_WRITE, PERM_KIND_ORG)) {
		fprintf(stderr, "aims org concern-channel: %s is a %s of '%s': only a manager or "
		    "an admin opens or closes the channel\n", who.name, role_name(who.actor.role),
		    argv[optind]);
		rc = CLI_FAIL;
		goto done;
	}
	if (concern_channel_set(NULL, db, &who.actor, org_id, set == 1) != 0) {
		rc = cli_fail("org concern-channel");
		goto done;
	}
	printf("the concern reporting channel of '%s' is %s\n", argv[optind],
	    set == 1 ? "open" : "closed");
done:
	json_decref(state);
	db_close(db);
	return rc;
}

int
cmd_org(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "create", "create an organisation", org_create_cmd },
		{ "list", "list organisations", org_list_cmd },
		{ "concern-channel", "show, open or close the public concern reporting channel",
		    org_channel_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("org", subs, argc, argv, "usage: aims org COMMAND [options]");
}
