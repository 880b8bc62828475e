/* cli_token.c - 'aims token create|list|revoke': API tokens from the command line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/token.h"
#include "store/db.h"
#include "util/error.h"
#include "util/str.h"

static const char token_usage[] =
    "usage: aims token create --org SLUG --name NAME --role ROLE [--expires-at TIME]\n"
    "                         [--format text|json] [--db PATH]\n"
    "       aims token list --org SLUG [--format text|json|csv] [--db PATH]\n"
    "       aims token revoke ID --org SLUG [--db PATH]\n"
    "A token is printed once, at creation; only its hash is kept. Use it as\n"
    "'Authorization: Bearer TOKEN'. TIME is RFC 3339 UTC, such as 2027-01-31T00:00:00Z.\n";

struct token_opts {
	const char	*db;
	const char	*org;
	const char	*name;
	const char	*role;
	const char	*expires_at;
	enum cli_format	 fmt;
};

static int
token_parse(struct token_opts *o, int argc, char **argv, const char *cmd)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "org", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "expires-at", required_argument, NULL, 'e' },
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
		case 'n': o->name = optarg; break;
		case 'r': o->role = optarg; break;
		case 'e': o->expires_at = optarg; break;
		case 'F':
			if (cli_parse_format(&o->fmt, optarg) != 0)
				return cli_usage_error(cmd, "%s", aims_error_message());
			break;
		case 'h': fputs(token_usage, stdout); return -1;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (o->org == NULL)
		return cli_usage_error(cmd, "--org SLUG is required");
	return CLI_OK;
}

static int
token_create_cmd(int argc, char **argv)
{
	struct token_opts o = { 0 };
	struct actor cli = ACTOR_CLI;
	struct db *db = NULL;
	json_t *rec = NULL;
	enum role role;
	int64_t org_id;
	char *s;
	int rc;

	if ((rc = token_parse(&o, argc, argv, "token create")) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if (optind != argc)
		return cli_usage_error("token create", "unexpected argument '%s'", argv[optind]);
	if (o.name == NULL || o.role == NULL)
		return cli_usage_error("token create", "--name and --role are required");
	if (role_parse(&role, o.role) != 0)
		return cli_usage_error("token create", "%s", aims_error_message());
	if ((rc = cli_open_db(&db, o.db, 0)) != CLI_OK)
		return rc;
	if ((rc = cli_org_id(&org_id, db, o.org, "token create")) != CLI_OK)
		goto done;
	if (token_create(&rec, db, org_id, &cli, o.name, role, o.expires_at) != 0) {
		rc = cli_fail("token create");
		goto done;
	}
	if (o.fmt == CLI_FORMAT_JSON) {
		s = json_dumps(rec, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
	} else
		printf("token %s (%s, %s) for %s:\n%s\nIt is shown only now: keep it safe.\n",
		    json_string_value(json_object_get(rec, "ref")), o.name, role_name(role), o.org,
		    json_string_value(json_object_get(rec, "token")));
	rc = CLI_OK;
done:
	json_decref(rec);
	db_close(db);
	return rc;
}

static int
token_fetch(json_t **out, struct db *db, int64_t org_id)
{
	char *next = NULL;
	int rc = token_list(out, &next, db, org_id, TOKEN_LIST_MAX, NULL);

	free(next);
	return rc;
}

static int
token_list_cmd(int argc, char **argv)
{
	static const char *const cols[] = { "id", "name", "hint", "role", "created_by",
	    "expires_at", "last_used_at", "revoked_at" };

	return cli_list(argc, argv, "token list", token_usage, 8, cols, token_fetch, 1);
}

static int
token_revoke_cmd(int argc, char **argv)
{
	struct token_opts o = { 0 };
	struct actor cli = ACTOR_CLI;
	struct db *db = NULL;
	int64_t org_id, id;
	int rc;

	if ((rc = token_parse(&o, argc, argv, "token revoke")) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if (optind + 1 != argc || str_to_int64(&id, argv[optind], 1, INT64_MAX) != 0)
		return cli_usage_error("token revoke", "give exactly one token ID (a number)");
	if ((rc = cli_open_db(&db, o.db, 0)) != CLI_OK)
		return rc;
	if ((rc = cli_org_id(&org_id, db, o.org, "token revoke")) != CLI_OK)
		goto done;
	if (token_revoke(db, org_id, &cli, id, 0) != 0) {
		rc = cli_fail("token revoke");
		goto done;
	}
	printf("token %lld revoked\n", (long long)id);
	rc = CLI_OK;
done:
	db_close(db);
	return rc;
}

int
cmd_token(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "create", "create an API token (shown once)", token_create_cmd },
		{ "list", "list an organisation's API tokens", token_list_cmd },
		{ "revoke", "revoke an API token", token_revoke_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("token", subs, argc, argv, "usage: aims token COMMAND [options]");
}
