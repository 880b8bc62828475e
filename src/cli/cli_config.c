/*
 * cli_config.c - 'aims config set|get|unset|list': the operator's settings
 * kept beside the database in PATH.conf (0600), never in the database
 * (util/conf.h): the mail server and the sender. The environment
 * (AIMS_SMTP_URL, AIMS_MAIL_FROM) overrides them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/db.h"
#include "util/conf.h"
#include "util/error.h"

static const char config_usage[] =
    "usage: aims config set KEY VALUE [--db PATH]\n"
    "       aims config get KEY [--db PATH]\n"
    "       aims config unset KEY [--db PATH]\n"
    "       aims config list [--db PATH]\n"
    "Settings kept beside the database in PATH.conf (mode 0600), never in the database\n"
    "(on PostgreSQL in $AIMS_DATA_DIR/aims.conf, default ./aims-data/aims.conf);\n"
    "`aims serve` reads them when it starts. The environment overrides them.\n"
    "Keys:\n"
    "  smtp_url    the mail server: smtp://USER:PASSWORD@HOST:587 (STARTTLS required\n"
    "              when a password is given) or smtps://USER:PASSWORD@HOST:465;\n"
    "              environment AIMS_SMTP_URL\n"
    "  mail_from   the sender address of every mail; environment AIMS_MAIL_FROM\n"
    "  smtp_ca_file  CA certificates (PEM) the mail server's certificate is checked\n"
    "              against, when a private CA signed it; environment AIMS_SMTP_CA_FILE\n"
    "  site_url    the address people reach the server at (https://aims.example.org):\n"
    "              mailed invitation and password reset links point there, never at\n"
    "              the Host a request names; environment AIMS_SITE_URL\n"
    "list shows the password of smtp_url as ****.\n";

/*
 * *base: where the settings file goes (PATH, or the local directory of a
 * PostgreSQL store: db_local_base()); the caller frees it.
 */
static int
config_parse(char **base, int argc, char **argv, const char *cmd)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = cli_default_db();
	int c;

	*base = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'h': fputs(config_usage, stdout); return -1;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	*base = db_local_base(db);
	return CLI_OK;
}

/* The value with the password of a URL's user information masked. */
static void
config_print(const char *key, const char *value)
{
	const char *scheme = strstr(value, "://"), *at, *colon;

	if (scheme != NULL && (at = strchr(scheme + 3, '@')) != NULL &&
	    (colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3))) != NULL) {
		printf("%s=%.*s****%s\n", key, (int)(colon + 1 - value), value, at);
		return;
	}
	printf("%s=%s\n", key, value);
}

static int
config_set_cmd(int argc, char **argv)
{
	char *db;
	int rc;

	if ((rc = config_parse(&db, argc, argv, "config set")) != CLI_OK)
		goto done;
	if (argc - optind != 2)
		rc = cli_usage_error("config set", "give a KEY and its VALUE");
	else if (conf_set(db, argv[optind], argv[optind + 1]) != 0)
		rc = cli_fail("config set");
done:
	free(db);
	return rc < 0 ? CLI_OK : rc;
}

static int
config_unset_cmd(int argc, char **argv)
{
	char *db;
	int rc;

	if ((rc = config_parse(&db, argc, argv, "config unset")) != CLI_OK)
		goto done;
	if (argc - optind != 1)
		rc = cli_usage_error("config unset", "give a KEY");
	else if (conf_set(db, argv[optind], NULL) != 0)
		rc = cli_fail("config unset");
done:
	free(db);
	return rc < 0 ? CLI_OK : rc;
}

static int
config_get_cmd(int argc, char **argv)
{
	char value[CONF_VALUE_MAX];
	char *db;
	int rc;

	if ((rc = config_parse(&db, argc, argv, "config get")) != CLI_OK)
		goto done;
	if (argc - optind != 1)
		rc = cli_usage_error("config get", "give a KEY");
	else if (conf_get(value, db, argv[optind]) != 0)
		rc = cli_fail("config get");
	else
		printf("%s\n", value);
done:
	free(db);
	return rc < 0 ? CLI_OK : rc;
}

static int
config_list_cmd(int argc, char **argv)
{
	char value[CONF_VALUE_MAX];
	const char *const *k;
	char *db;
	int rc;

	if ((rc = config_parse(&db, argc, argv, "config list")) != CLI_OK)
		goto done;
	if (argc != optind) {
		rc = cli_usage_error("config list", "unexpected argument '%s'", argv[optind]);
		goto done;
	}
	for (k = conf_keys; *k != NULL; k++)
		if (conf_get(value, db, *k) == 0)
			config_print(*k, value);
done:
	free(db);
	return rc < 0 ? CLI_OK : rc;
}

int
cmd_config(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "set", "set a setting", config_set_cmd },
		{ "get", "print a setting", config_get_cmd },
		{ "unset", "remove a setting", config_unset_cmd },
		{ "list", "list the settings", config_list_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("config", subs, argc, argv, config_usage);
}
