/* cli_member.c - 'aims member add|list|remove': who belongs to an organisation. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/member.h"
#include "store/db.h"
#include "util/error.h"

static const char member_usage[] =
    "usage: aims member add EMAIL --org SLUG --role ROLE [--db PATH]\n"
    "       aims member remove EMAIL --org SLUG [--db PATH]\n"
    "       aims member list --org SLUG [--format text|json|csv] [--db PATH]\n"
    "Roles: admin, manager, contributor, auditor, viewer. Adding an existing\n"
    "member changes their role; their API tokens then act with no more than\n"
    "the new role allows. Removing a member revokes the API tokens they made\n"
    "in the organisation. 'list' shows whether each account is disabled\n"
    "(see 'aims user disable').\n";

static int
member_change_cmd(int argc, char **argv, int add)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "org", required_argument, NULL, 'o' },
		{ "role", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = add ? "member add" : "member remove";
	const char *path = cli_default_db(), *org = NULL, *rolestr = NULL;
	struct actor cli = ACTOR_CLI;
	enum role role = ROLE_NONE;
	struct db *db = NULL;
	int64_t org_id;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'o': org = optarg; break;
		case 'r': rolestr = optarg; break;
		case 'h': fputs(member_usage, stdout); return CLI_OK;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(cmd, "give exactly one EMAIL");
	if (add && rolestr == NULL)
		return cli_usage_error(cmd, "--role is required");
	if (!add && rolestr)
		return cli_usage_error(cmd, "--role does not apply to remove");
	if (add && role_parse(&role, rolestr) != 0)
		return cli_usage_error(cmd, "%s", aims_error_message());
	if ((rc = cli_open_db(&db, path, 0)) != CLI_OK)
		return rc;
	if ((rc = cli_org_id(&org_id, db, org, cmd)) != CLI_OK)
		goto done;
	if (add) {
		rc = member_add(db, &cli, org_id, argv[optind], role);
		if (rc == AIMS_EEXISTS)
			rc = member_set_role(db, &cli, org_id, argv[optind], role, 0);
	} else
		rc = member_remove(db, &cli, org_id, argv[optind], 0);
	if (rc != 0) {
		rc = cli_fail(cmd);
		goto done;
	}
	if (add)
		printf("%s is %s of %s\n", argv[optind], role_name(role), org);
	else
		printf("%s removed from %s\n", argv[optind], org);
	rc = CLI_OK;
done:
	db_close(db);
	return rc;
}

static int
member_add_cmd(int argc, char **argv)
{
	return member_change_cmd(argc, argv, 1);
}

static int
member_remove_cmd(int argc, char **argv)
{
	return member_change_cmd(argc, argv, 0);
}

static int
member_list_cmd(int argc, char **argv)
{
	static const char *const cols[] = { "email", "display_name", "role", "disabled",
		"created_at" };

	return cli_list(argc, argv, "member list", member_usage, 5, cols, member_list, 1);
}

int
cmd_member(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "add", "add a member or change their role", member_add_cmd },
		{ "list", "list an organisation's members", member_list_cmd },
		{ "remove", "remove a member", member_remove_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("member", subs, argc, argv, "usage: aims member COMMAND [options]");
}
