/* cli_user.c - 'aims user add|list|passwd|disable|enable': people who sign in. */
#include <getopt.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/user.h"
#include "store/db.h"
#include "util/error.h"

static const char user_usage[] =
    "usage: aims user add EMAIL [--name NAME] [--password-stdin] [--db PATH]\n"
    "       aims user passwd EMAIL [--password-stdin] [--db PATH]\n"
    "       aims user list [--format text|json|csv] [--db PATH]\n"
    "       aims user disable EMAIL [--db PATH]\n"
    "       aims user enable EMAIL [--db PATH]\n"
    "Without --password-stdin a password is generated and printed once.\n"
    "Passwords must be at least 12 characters. Setting a password ends the\n"
    "user's sessions. 'disable' stops a user from signing in, ends their\n"
    "sessions and revokes every API token they made, in every organisation;\n"
    "'enable' lets them sign in again (their tokens stay revoked).\n";

static int
user_password_cmd(int argc, char **argv, int add)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'n' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = add ? "user add" : "user passwd";
	const char *path = cli_default_db(), *name = NULL;
	char pw[USER_PASSWORD_MAX + 2] = "";
	struct actor cli = ACTOR_CLI;
	struct db *db = NULL;
	int c, rc, from_stdin = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'n':
			if (!add)
				return cli_usage_error(cmd, "--name applies to 'user add' only");
			name = optarg;
			break;
		case 'p': from_stdin = 1; break;
		case 'h': fputs(user_usage, stdout); return CLI_OK;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(cmd, "give exactly one EMAIL");
	if (from_stdin) {
		if (cli_read_stdin_line(pw, sizeof(pw)) != 0)
			return cli_fail(cmd);
	} else
		user_generate_password(pw);
	if ((rc = cli_open_db(&db, path, 0)) != CLI_OK)
		goto out;
	if (add)
		rc = user_add(NULL, db, &cli, argv[optind], name, pw);
	else
		rc = user_set_password(db, &cli, argv[optind], pw, 0);
	if (rc != 0)
		rc = cli_fail(cmd);
	else {
		printf("%s %s%s%s%s\n", add ? "user added:" : "password changed:", argv[optind],
		    add ? "" : " (sessions ended)", from_stdin ? "" : " password: ",
		    from_stdin ? "" : pw);
		rc = CLI_OK;
	}
	db_close(db);
out:
	sodium_memzero(pw, sizeof(pw));
	return rc;
}

static int
user_add_cmd(int argc, char **argv)
{
	return user_password_cmd(argc, argv, 1);
}

static int
user_passwd_cmd(int argc, char **argv)
{
	return user_password_cmd(argc, argv, 0);
}

static int
user_disabled_cmd(int argc, char **argv, bool disable)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = disable ? "user disable" : "user enable";
	const char *path = cli_default_db();
	struct actor cli = ACTOR_CLI;
	struct db *db = NULL;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'h': fputs(user_usage, stdout); return CLI_OK;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(cmd, "give exactly one EMAIL");
	if ((rc = cli_open_db(&db, path, 0)) != CLI_OK)
		return rc;
	if (user_set_disabled(db, &cli, argv[optind], disable) != 0)
		rc = cli_fail(cmd);
	else {
		printf("%s %s%s\n", disable ? "user disabled:" : "user enabled:", argv[optind],
		    disable ? " (sessions ended, API tokens revoked)" : "");
		rc = CLI_OK;
	}
	db_close(db);
	return rc;
}

static int
user_disable_cmd(int argc, char **argv)
{
	return user_disabled_cmd(argc, argv, true);
}

static int
user_enable_cmd(int argc, char **argv)
{
	return user_disabled_cmd(argc, argv, false);
}

static int
user_fetch(json_t **out, struct db *db, int64_t org_id)
{
	(void)org_id;
	return user_list(out, db);
}

static int
user_list_cmd(int argc, char **argv)
{
	static const char *const cols[] = { "email", "display_name", "disabled", "created_at" };

	return cli_list(argc, argv, "user list", user_usage, 4, cols, user_fetch, 0);
}

int
cmd_user(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "add", "add a user", user_add_cmd },
		{ "disable", "stop a user signing in; end their sessions and tokens",
		    user_disable_cmd },
		{ "enable", "let a disabled user sign in again", user_enable_cmd },
		{ "list", "list users", user_list_cmd },
		{ "passwd", "set a user's password (ends their sessions)", user_passwd_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("user", subs, argc, argv, "usage: aims user COMMAND [options]");
}
