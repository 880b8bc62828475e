/*
 * main.c - the command table of the aims binary: `aims <command> [options]`.
 * Nothing else lives here; each command group is a file in src/cli/.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/ledger_source.h"

#define AIMS_VERSION "0.1.0"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

const struct cli_command cli_commands[] = {
	{ "init", "create the database, catalogs, key and first organisation", cmd_init },
	{ "org", "create and list organisations", cmd_org },
	{ "user", "add users, list them, set passwords", cmd_user },
	{ "member", "manage who belongs to an organisation, with which role", cmd_member },
	{ "catalog", "list and show the requirement catalogs", cmd_catalog },
	{ "crosswalk", "coverage of the EU AI Act, NIST AI RMF, ISO/IEC 27001... by the AIMS",
	    cmd_crosswalk },
	{ "euact", "EU AI Act per AI system: obligations, Annex IV, Annex VIII", cmd_euact },
	{ "serve", "serve the JSON API over HTTP", cmd_serve },
	{ "token", "create, list and revoke API tokens", cmd_token },
	{ "migrate", "apply pending database schema migrations", cmd_migrate },
	{ "migrate-store", "copy organisations from a SQLite store to PostgreSQL", cmd_migrate_store },
	{ "ledger", "list a log, export an inclusion proof", cmd_ledger },
	{ "verify", "verify the ledger and the records, a proof, or an audit pack", cmd_verify },
	{ "pack", "write the audit pack an auditor verifies offline", cmd_pack },
	{ "record", "list, show, create, update and delete planning records", cmd_record },
	{ "import", "CSV or JSON records, OSCAL, ML-BOMs, red-team runs; all or nothing",
	    cmd_import },
	{ "report", "reports: certification readiness, internal audits", cmd_report },
	{ "export", "SoA, risk register, AI systems, readiness report, OSCAL, ML-BOM",
	    cmd_export },
	{ "metrics", "push readings of a metric, list the metrics' state", cmd_metrics },
	{ "work", "a person's work and the certification calendar", cmd_work },
	{ "soa", "publish the Statement of Applicability, list and show versions", cmd_soa },
	{ "webhook", "an organisation's webhooks: list, create, delete, enable, deliveries",
	    cmd_webhook },
	{ "config", "settings beside the database: the mail server and sender", cmd_config },
	{ "version", "print the version", cmd_version },
	{ "help", "list commands", cmd_help },
	{ NULL, NULL, NULL },
};

static int
cmd_help(int argc, char **argv)
{
	const struct cli_command *c;

	(void)argc;
	(void)argv;
	printf("usage: aims <command> [options]\n\n"
	    "OpenAIMS: an ISO/IEC 42001 AI management system.\n\nCommands:\n");
	for (c = cli_commands; c->name; c++)
		printf("  %-10s %s\n", c->name, c->summary);
	printf("\nRun 'aims <command> --help' for a command's options.\n"
	    "Every command takes --db PATH (default $AIMS_DB or ./aims.db): a SQLite file,\n"
	    "or a PostgreSQL URL (postgres://...; key and files under $AIMS_DATA_DIR).\n"
	    "Exit codes: 0 success, 1 failure, 2 usage error.\n");
	return CLI_OK;
}

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("aims %s\n", AIMS_VERSION);
	return CLI_OK;
}

int
main(int argc, char **argv)
{
	const struct cli_command *c;
	int rc;

	if (sodium_init() < 0) {
		fprintf(stderr, "aims: cannot initialise libsodium\n");
		return CLI_FAIL;
	}
	core_ledger_source_install();
	if (argc < 2) {
		cmd_help(0, NULL);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(0, NULL);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, NULL);
	for (c = cli_commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0) {
			rc = c->run(argc - 1, argv + 1);
			cli_key_release();
			return rc;
		}
	fprintf(stderr, "aims: unknown command '%s'\nTry 'aims help'.\n", argv[1]);
	return CLI_USAGE;
}
