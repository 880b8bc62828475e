/*
 * cli_webhook.c - 'aims webhook list|create|delete|enable|deliveries': an
 * organisation's webhooks from the command line, as an admin of it
 * (core/webhook.h). The deliveries themselves are sent by `aims serve`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/webhook.h"
#include "store/db.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

static const char webhook_usage[] =
    "usage: aims webhook list --org SLUG [--format text|json] [--db PATH]\n"
    "       aims webhook create URL --events E[,E...] --org SLUG --as EMAIL [--db PATH]\n"
    "       aims webhook delete ID --org SLUG --as EMAIL [--db PATH]\n"
    "       aims webhook enable ID --org SLUG --as EMAIL [--db PATH]\n"
    "       aims webhook deliveries ID --org SLUG [--format text|json] [--db PATH]\n"
    "Webhooks POST the organisation's events as JSON, signed with X-AIMS-Signature:\n"
    "t=UNIX,v1=HEX (HMAC-SHA256, keyed with the secret, of t, '.', and the body).\n"
    "create prints the secret once. enable turns on a webhook disabled after repeated\n"
    "failures; what was pending for it then goes out. Changes need an admin (--as).\n"
    "  --events E,...     *, record.created, record.changed, record.deleted,\n"
    "                     task.assigned, approval.requested\n"
    "  --format F         text (default) or json\n"
    CLI_AS_HELP;

struct webhook_opts {
	const char	*db;
	const char	*org;
	const char	*as;
	const char	*events;
	enum cli_format	 fmt;
};

static int
webhook_parse(struct webhook_opts *o, int argc, char **argv, const char *cmd, int nargs)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "org", required_argument, NULL, 'o' },
		{ "as", required_argument, NULL, 'a' },
		{ "events", required_argument, NULL, 'e' },
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
		case 'a': o->as = optarg; break;
		case 'e': o->events = optarg; break;
		case 'F':
			if (cli_parse_format(&o->fmt, optarg) != 0 || o->fmt == CLI_FORMAT_CSV)
				return cli_usage_error(cmd, "--format: text or json");
			break;
		case 'h': fputs(webhook_usage, stdout); return -1;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (argc - optind != nargs)
		return cli_usage_error(cmd, nargs == 0 ? "no argument expected" :
		    "give %s", nargs == 1 ? "exactly one: the webhook's URL or id" : "the arguments");
	if (o->org == NULL)
		return cli_usage_error(cmd, "--org SLUG is required");
	return CLI_OK;
}

/* Opens the store and the org; with who non-NULL, the acting member too. */
static int
webhook_begin(struct db **db, int64_t *org_id, struct cli_actor *who,
    const struct webhook_opts *o, const char *cmd)
{
	int rc;

	if ((rc = cli_open_db(db, o->db, 0)) != CLI_OK)
		return rc;
	if ((rc = cli_org_id(org_id, *db, o->org, cmd)) == CLI_OK && who != NULL)
		rc = cli_actor(who, *db, *org_id, o->as, cmd);
	return rc;
}

static void
webhook_print(const json_t *v, enum cli_format fmt)
{
	const json_t *w;
	size_t i;

	if (fmt == CLI_FORMAT_JSON || !json_is_array(v)) {
		json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		return;
	}
	json_array_foreach(v, i, w)
		printf("%lld  %-8s %s\n", (long long)json_integer_value(json_object_get(w, "id")),
		    json_is_true(json_object_get(w, "enabled")) ? "enabled" : "disabled",
		    json_string_value(json_object_get(w, "url")));
}

static int
webhook_list_cmd(int argc, char **argv)
{
	struct webhook_opts o = { 0 };
	struct db *db = NULL;
	json_t *items = NULL;
	int64_t org_id;
	int rc;

	if ((rc = webhook_parse(&o, argc, argv, "webhook list", 0)) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = webhook_begin(&db, &org_id, NULL, &o, "webhook list")) == CLI_OK) {
		if (webhook_list(&items, db, org_id) != 0)
			rc = cli_fail("webhook list");
		else
			webhook_print(items, o.fmt);
	}
	json_decref(items);
	db_close(db);
	return rc;
}

static int
webhook_create_cmd(int argc, char **argv)
{
	struct webhook_opts o = { 0 };
	struct cli_actor who;
	struct db *db = NULL;
	json_t *w = NULL, *events = json_array();
	char *list = NULL, *p, *save = NULL;
	int64_t org_id;
	int rc;

	if ((rc = webhook_parse(&o, argc, argv, "webhook create", 1)) != CLI_OK) {
		json_decref(events);
		return rc < 0 ? CLI_OK : rc;
	}
	if (o.events == NULL) {
		json_decref(events);
		return cli_usage_error("webhook create", "--events is required (* for all)");
	}
	list = xstrdup(o.events);
	for (p = strtok_r(list, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save))
		json_array_append_new(events, json_string(p));
	if ((rc = webhook_begin(&db, &org_id, &who, &o, "webhook create")) == CLI_OK) {
		if (webhook_create(&w, db, org_id, &who.actor, argv[optind], events) != 0)
			rc = cli_fail("webhook create");
		else
			webhook_print(w, CLI_FORMAT_JSON);
	}
	free(list);
	json_decref(events);
	json_decref(w);
	db_close(db);
	return rc;
}

/* delete, enable and deliveries: one id. */
static int
webhook_one(int argc, char **argv, const char *cmd)
{
	struct webhook_opts o = { 0 };
	struct cli_actor who;
	struct db *db = NULL;
	json_t *out = NULL;
	bool change = strcmp(cmd, "webhook deliveries") != 0;
	int64_t org_id, id;
	int rc;

	if ((rc = webhook_parse(&o, argc, argv, cmd, 1)) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if (str_to_int64(&id, argv[optind], 1, INT64_MAX) != 0)
		return cli_usage_error(cmd, "the webhook's id is a number (aims webhook list)");
	if ((rc = webhook_begin(&db, &org_id, change ? &who : NULL, &o, cmd)) != CLI_OK)
		goto done;
	if (strcmp(cmd, "webhook delete") == 0)
		rc = webhook_delete(db, org_id, &who.actor, id);
	else if (strcmp(cmd, "webhook enable") == 0)
		rc = webhook_enable(&out, db, org_id, &who.actor, id);
	else
		rc = webhook_deliveries(&out, db, org_id, id);
	if (rc != 0) {
		rc = cli_fail(cmd);
		goto done;
	}
	if (out != NULL && o.fmt != CLI_FORMAT_JSON && json_is_array(out)) {
		const json_t *d;
		size_t i;

		json_array_foreach(out, i, d)
			printf("%s  %-18s attempt %lld  %s%s%s\n",
			    json_string_value(json_object_get(d, "at")),
			    json_string_value(json_object_get(d, "event")),
			    (long long)json_integer_value(json_object_get(d, "attempt")),
			    json_is_true(json_object_get(d, "ok")) ? "delivered" : "failed",
			    json_is_string(json_object_get(d, "error")) ? ": " : "",
			    json_is_string(json_object_get(d, "error")) ?
			    json_string_value(json_object_get(d, "error")) : "");
	} else if (out != NULL)
		webhook_print(out, CLI_FORMAT_JSON);
done:
	json_decref(out);
	db_close(db);
	return rc;
}

static int
webhook_delete_cmd(int argc, char **argv)
{
	return webhook_one(argc, argv, "webhook delete");
}

static int
webhook_enable_cmd(int argc, char **argv)
{
	return webhook_one(argc, argv, "webhook enable");
}

static int
webhook_deliveries_cmd(int argc, char **argv)
{
	return webhook_one(argc, argv, "webhook deliveries");
}

int
cmd_webhook(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "list", "the organisation's webhooks", webhook_list_cmd },
		{ "create", "add a webhook; prints its secret once", webhook_create_cmd },
		{ "delete", "delete a webhook", webhook_delete_cmd },
		{ "enable", "enable a webhook disabled after failures", webhook_enable_cmd },
		{ "deliveries", "a webhook's delivery log", webhook_deliveries_cmd },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("webhook", subs, argc, argv, webhook_usage);
}
