/*
 * cli_user.c - 'aims user add|list|passwd|disable|enable|reset-link|
 * second-factor-off': people who sign in.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/pwreset.h"
#include "core/totp.h"
#include "core/user.h"
#include "util/clock.h"
#include "store/db.h"
#include "util/error.h"

static const char user_usage[] =
    "usage: aims user add EMAIL [--name NAME] [--password-stdin] [--db PATH]\n"
    "       aims user passwd EMAIL [--password-stdin] [--db PATH]\n"
    "       aims user list [--format text|json|csv] [--db PATH]\n"
    "       aims user disable EMAIL [--db PATH]\n"
    "       aims user enable EMAIL [--db PATH]\n"
    "       aims user reset-link EMAIL [--url BASE] [--db PATH]\n"
    "       aims user second-factor-off EMAIL [--db PATH]\n"
    "Without --password-stdin a password is generated and printed once.\n"
    "Passwords must be at least 12 characters. Setting a password ends the\n"
    "user's sessions. 'disable' stops a user from signing in, ends their\n"
    "sessions and revokes every API token they made, in every organisation;\n"
    "'enable' lets them sign in again (their tokens stay revoked).\n"
    "'reset-link' prints a link that sets a new password: it works once, within\n"
    "an hour, and replaces any earlier one; BASE is the server's address as people\n"
    "open it (default http://127.0.0.1:8042). Hand it to its owner only.\n"
    "'second-factor-off' turns off the second factor of someone who lost both\n"
    "their authenticator and their recovery codes (check who is asking first).\n";

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
user_reset_link_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "url", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "user reset-link", *path = cli_default_db();
	const char *base = "http://127.0.0.1:8042";
	char token[PWRESET_TOKEN_LEN];
	struct db *db = NULL;
	size_t n;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'u': base = optarg; break;
		case 'h': fputs(user_usage, stdout); return CLI_OK;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(cmd, "give exactly one EMAIL");
	if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
		return cli_usage_error(cmd, "--url must start with http:// or https://");
	if ((rc = cli_open_db(&db, path, 0)) != CLI_OK)
		return rc;
	if (pwreset_create(token, db, argv[optind], false, clock_now()) != 0)
		rc = cli_fail(cmd);
	else {
		n = strlen(base);
		printf("%.*s/reset/%s\n", (int)(n > 0 && base[n - 1] == '/' ? n - 1 : n), base,
		    token);
		rc = CLI_OK;
	}
	sodium_memzero(token, sizeof(token));
	db_close(db);
	return rc;
}

static int
user_second_factor_off_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "user second-factor-off", *path = cli_default_db();
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
	if (totp_remove(db, &cli, argv[optind]) != 0)
		rc = cli_fail(cmd);
	else {
		printf("second factor off: %s (sessions ended)\n", argv[optind]);
		rc = CLI_OK;
	}
	db_close(db);
	return rc;
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
		{ "reset-link", "print a link that sets a new password (once, within an hour)",
		    user_reset_link_cmd },
		{ "second-factor-off", "turn off a user's second factor (lost authenticator)",
		    user_second_factor_off_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("user", subs, argc, argv, "usage: aims user COMMAND [options]");
}
