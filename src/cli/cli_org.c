/*
 * cli_org.c - 'aims org create|list|concern-channel|ai-roles|settings':
 * organisations (tenants), their concern reporting channel (core/concern.h),
 * their AI roles, time zone and readiness options (core/org.h).
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
    "                             [--db PATH]\n"
    "       aims org settings SLUG [--timezone NAME] [--target-stage 1|2|none]\n"
    "                             [--audit-date YYYY-MM-DD|none] [--evidence-max-age DAYS|none]\n"
    "                             [--metric-window DAYS|default] [--manual-as-gaps yes|no]\n"
    "                             [--as EMAIL] [--format text|json] [--db PATH]\n";

static const char settings_usage[] =
    "usage: aims org settings SLUG [--timezone NAME] [--target-stage 1|2|none]\n"
    "                              [--audit-date YYYY-MM-DD|none] [--evidence-max-age DAYS|none]\n"
    "                              [--metric-window DAYS|default] [--manual-as-gaps yes|no]\n"
    "                              [--as EMAIL] [--format text|json] [--db PATH]\n"
    "Shows or sets the organisation's time zone and readiness options. Without an option\n"
    "that sets something it prints them.\n"
    "  --timezone NAME         the zone its pages show times in: a tz database name such\n"
    "                          as Europe/Berlin, or UTC (storage and the API stay UTC)\n"
    "  --target-stage N        the certification audit stage prepared for: 1 (the\n"
    "                          documentation) or 2 (the AIMS operating); none: no target\n"
    "  --audit-date DATE       the audit's first day (not past, at most three years on):\n"
    "                          readiness counts the days left; none: no date\n"
    "  --evidence-max-age DAYS evidence without a valid-until date counts as stale once\n"
    "                          collected longer ago (30 to 1825); none: never (default)\n"
    "  --metric-window DAYS    a metric counts as evaluated this long (7 to 366); default:\n"
    "                          92 days\n"
    "  --manual-as-gaps yes|no list the items to confirm by hand as gaps, counted in the\n"
    "                          Stage 1 and Stage 2 verdicts (default no)\n"
    CLI_AS_HELP
    "                          (a manager or an admin; needed to set anything)\n"
    "  --format FMT            text (default) or json {timezone, readiness}\n"
    "  --db PATH               database (default $AIMS_DB or ./aims.db)\n"
    "Details: docs/readiness.md (options) and docs/guide.md (settings).\n";

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

/*
 * Who (--as) changes the organisation slug for cmd: CLI_OK when a manager
 * or an admin of it, else an error after saying who may do what (e.g.
 * "sets the AI roles").
 */
static int
org_writer(struct cli_actor *who, struct db *db, int64_t org_id, const char *as,
    const char *cmd, const char *slug, const char *what)
{
	int rc;

	if ((rc = cli_actor(who, db, org_id, as, cmd)) != CLI_OK)
		return rc;
	if (!perm_allows(who->actor.role, PERM_WRITE, PERM_KIND_ORG)) {
		fprintf(stderr, "aims %s: %s is a %s of '%s': only a manager or an admin %s\n",
		    cmd, who->name, role_name(who->actor.role), slug, what);
		return CLI_FAIL;
	}
	return CLI_OK;
}

/* Prints o (taken) as the --format json answer. */
static void
org_print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	puts(s);
	free(s);
	json_decref(o);
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
	if ((rc = org_writer(&who, db, org_id, as, "org concern-channel", argv[optind],
	    "opens or closes the channel")) != CLI_OK)
		goto done;
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
		if ((rc = org_writer(&who, db, org_id, as, "org ai-roles", argv[optind],
		    "sets the AI roles")) != CLI_OK)
			goto done;
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
	if (strcmp(fmt, "json") == 0)
		org_print_json(json_pack("{s:O, s:O, s:O}", "declared", roles.declared,
		    "derived", roles.derived, "effective", roles.effective));
	else {
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

/* "none" (or "default") as null; a whole number as itself; else the text (core names it). */
static json_t *
settings_value(const char *arg, bool number)
{
	char *end;
	long v;

	if (strcmp(arg, "none") == 0 || strcmp(arg, "default") == 0)
		return json_null();
	if (number) {
		v = strtol(arg, &end, 10);
		if (*arg != '\0' && *end == '\0')
			return json_integer(v);
	}
	return json_string(arg);
}

static void
settings_print(const json_t *org)
{
	const json_t *r = json_object_get(org, "readiness");
	const json_t *v;

	printf("time zone: %s\n", json_string_value(json_object_get(org, "timezone")));
	v = json_object_get(r, "target_stage");
	printf("target stage: %s\n", json_is_integer(v) ? (json_integer_value(v) == 1 ?
	    "Stage 1" : "Stage 2") : "none");
	v = json_object_get(r, "audit_date");
	printf("audit date: %s\n", json_is_string(v) ? json_string_value(v) : "none");
	v = json_object_get(r, "evidence_max_age_days");
	if (json_is_integer(v))
		printf("evidence freshness window: %lld days\n", (long long)json_integer_value(v));
	else
		puts("evidence freshness window: none (evidence without a valid-until date stays "
		    "current)");
	printf("metric evaluation window: %lld days\n",
	    (long long)json_integer_value(json_object_get(r, "metric_window_days")));
	printf("items to confirm by hand: %s\n", json_is_true(json_object_get(r,
	    "manual_as_gaps")) ? "listed as gaps" : "listed apart, not gaps");
}

static int
org_settings_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "as", required_argument, NULL, 'a' },
		{ "timezone", required_argument, NULL, 'z' },
		{ "target-stage", required_argument, NULL, 's' },
		{ "audit-date", required_argument, NULL, 'D' },
		{ "evidence-max-age", required_argument, NULL, 'e' },
		{ "metric-window", required_argument, NULL, 'm' },
		{ "manual-as-gaps", required_argument, NULL, 'g' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *as = NULL, *tz = NULL, *fmt = "text";
	json_t *ready = json_object(), *org = NULL;
	struct cli_actor who;
	struct db *db = NULL;
	int64_t org_id;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'a': as = optarg; break;
		case 'z': tz = optarg; break;
		case 's':
			json_object_set_new(ready, "target_stage", settings_value(optarg, true));
			break;
		case 'D':
			json_object_set_new(ready, "audit_date", settings_value(optarg, false));
			break;
		case 'e':
			json_object_set_new(ready, "evidence_max_age_days",
			    settings_value(optarg, true));
			break;
		case 'm':
			json_object_set_new(ready, "metric_window_days", settings_value(optarg, true));
			break;
		case 'g':
			if (strcmp(optarg, "yes") != 0 && strcmp(optarg, "no") != 0) {
				json_decref(ready);
				return cli_usage_error("org settings", "--manual-as-gaps is yes or no");
			}
			json_object_set_new(ready, "manual_as_gaps", json_boolean(strcmp(optarg,
			    "yes") == 0));
			break;
		case 'f': fmt = optarg; break;
		case 'h': fputs(settings_usage, stdout); json_decref(ready); return CLI_OK;
		default: json_decref(ready); return cli_usage_error("org settings", "bad option");
		}
	}
	if (optind + 1 != argc) {
		json_decref(ready);
		return cli_usage_error("org settings", "give exactly one SLUG");
	}
	if (strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0) {
		json_decref(ready);
		return cli_usage_error("org settings", "--format is text or json");
	}
	if ((rc = cli_open_db(&db, path, 0)) != CLI_OK)
		goto done;
	if ((rc = cli_org_id(&org_id, db, argv[optind], "org settings")) != CLI_OK)
		goto done;
	if (tz != NULL || json_object_size(ready) > 0) {
		if ((rc = org_writer(&who, db, org_id, as, "org settings", argv[optind],
		    "changes the settings")) != CLI_OK)
			goto done;
		if (org_update_settings(NULL, db, &who.actor, org_id, 0, tz,
		    json_object_size(ready) > 0 ? ready : NULL) != 0) {
			rc = cli_fail("org settings");
			goto done;
		}
	}
	if (org_get(&org, db, org_id) != 0) {
		rc = cli_fail("org settings");
		goto done;
	}
	if (strcmp(fmt, "json") == 0)
		org_print_json(json_pack("{s:O, s:O}", "timezone", json_object_get(org, "timezone"),
		    "readiness", json_object_get(org, "readiness")));
	else
		settings_print(org);
done:
	json_decref(ready);
	json_decref(org);
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
		{ "settings", "show or set the time zone and readiness options",
		    org_settings_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("org", subs, argc, argv, "usage: aims org COMMAND [options]");
}
