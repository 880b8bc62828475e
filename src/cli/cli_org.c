/*
 * cli_org.c - 'aims org create|list|concern-channel|ai-roles': organisations
 * (tenants), their concern reporting channel (core/concern.h) and their AI
 * roles (core/org.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
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
    "       aims org concern-channel SLUG [--open | --close --as EMAIL] [--db PATH]\n"
    "       aims org ai-roles SLUG [--set ROLE,... | --clear] [--as EMAIL] [--format text|json]\n"
    "                             [--db PATH]\n";

static const char roles_usage[] =
    "usage: aims org ai-roles SLUG [--set ROLE,... | --clear] [--as EMAIL]\n"
    "                              [--format text|json] [--db PATH]\n"
    "Shows or sets the organisation's AI roles (ISO/IEC 22989 5.19), which its context\n"
    "(ISO/IEC 42001 4.1) is determined from. Roles: provider (offers AI products or\n"
    "services), producer (designs and develops AI: the developer), customer (uses AI:\n"
    "the deployer or user), partner (integrator, data supplier, evaluator), subject\n"
    "(affected by AI), relevant_authority. Until roles are set, the ones derived from\n"
    "its in-scope AI systems (their 'org_role') count.\n"
    "  --set ROLE,...     declare these roles (comma-separated; replaces the list)\n"
    "  --clear            declare none: the derived roles count again\n"
    CLI_AS_HELP
    "                     (a manager or an admin; needed with --set and --clear)\n"
    "  --format FMT       text (default) or json {declared, derived, effective}\n"
    "  --db PATH          database (default $AIMS_DB or ./aims.db)\n";

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

/* "provider,customer" as a JSON array; empty names are refused by org_update(). */
static json_t *
roles_parse(const char *list)
{
	json_t *out = json_array();
	const char *p = list, *e;

	while (*p) {
		e = p + strcspn(p, ",");
		json_array_append_new(out, json_stringn(p, (size_t)(e - p)));
		p = *e ? e + 1 : e;
	}
	return out;
}

static void
roles_print(const char *label, const json_t *roles)
{
	const json_t *v;
	size_t i;

	printf("%s:", label);
	if (json_array_size(roles) == 0)
		fputs(" none", stdout);
	json_array_foreach(roles, i, v)
		printf("%s %s", i ? "," : "", json_string_value(v));
	putchar('\n');
}

static int
org_roles_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "as", required_argument, NULL, 'a' },
		{ "set", required_argument, NULL, 's' },
		{ "clear", no_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *as = NULL, *set = NULL, *fmt = "text";
	struct org_ai_roles roles = { 0 };
	struct cli_actor who;
	struct db *db = NULL;
	json_t *list = NULL;
	int64_t org_id;
	int c, rc, clear = 0;
	char *s;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'a': as = optarg; break;
		case 's': set = optarg; break;
		case 'c': clear = 1; break;
		case 'f': fmt = optarg; break;
		case 'h': fputs(roles_usage, stdout); return CLI_OK;
		default: return cli_usage_error("org ai-roles", "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("org ai-roles", "give exactly one SLUG");
	if (set && clear)
		return cli_usage_error("org ai-roles", "give --set or --clear, not both");
	if (strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0)
		return cli_usage_error("org ai-roles", "--format is text or json");
	if ((rc = cli_open_db(&db, path, 0)) != CLI_OK)
		return rc;
	if ((rc = cli_org_id(&org_id, db, argv[optind], "org ai-roles")) != CLI_OK)
		goto done;
	if (set || clear) {
		if ((rc = cli_actor(&who, db, org_id, as, "org ai-roles")) != CLI_OK)
			goto done;
		if (!perm_allows(who.actor.role, PERM_WRITE, PERM_KIND_ORG)) {
			fprintf(stderr, "aims org ai-roles: %s is a %s of '%s': only a manager or an "
			    "admin sets the AI roles\n", who.name, role_name(who.actor.role),
			    argv[optind]);
			rc = CLI_FAIL;
			goto done;
		}
		list = set ? roles_parse(set) : json_array();
		if (org_update(NULL, db, &who.actor, org_id, 0, NULL, list) != 0) {
			rc = cli_fail("org ai-roles");
			goto done;
		}
	}
	if (org_ai_roles_get(&roles, db, org_id) != 0) {
		rc = cli_fail("org ai-roles");
		goto done;
	}
	if (strcmp(fmt, "json") == 0) {
		json_t *o = json_pack("{s:O, s:O, s:O}", "declared", roles.declared,
		    "derived", roles.derived, "effective", roles.effective);

		s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(o);
	} else {
		roles_print("declared", roles.declared);
		roles_print("derived from AI systems", roles.derived);
		roles_print("in effect", roles.effective);
	}
done:
	org_ai_roles_free(&roles);
	json_decref(list);
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
		{ "ai-roles", "show or set the organisation's AI roles (ISO/IEC 22989)",
		    org_roles_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("org", subs, argc, argv, "usage: aims org COMMAND [options]");
}
