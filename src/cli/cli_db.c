/* cli_db.c - 'aims migrate': apply pending schema migrations. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/record.h"
#include "store/db.h"

static const char migrate_usage[] =
    "usage: aims migrate [--db PATH]\n"
    "Applies pending schema migrations (they also run at every start).\n"
    "  --db PATH   database file (default $AIMS_DB or ./aims.db)\n";

int
cmd_migrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db();
	struct db *db = NULL;
	int64_t reindexed = 0;
	int c, applied = 0, version = 0, rc = CLI_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'h': fputs(migrate_usage, stdout); return CLI_OK;
		default: return cli_usage_error("migrate", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("migrate", "unexpected argument '%s'", argv[optind]);
	if (db_open(&db, path, DB_OPEN_NO_MIGRATE) != 0)
		return cli_fail(NULL);
	if (db_migrate(db, &applied) != 0 || db_schema_version(&version, db) != 0 ||
	    record_search_reindex(&reindexed, db) != 0) {
		rc = cli_fail("migrate");
		goto done;
	}
	printf("schema version %d (%d migration%s applied)\n", version, applied,
	    applied == 1 ? "" : "s");
	if (reindexed > 0)
		printf("search words of %lld records written again\n", (long long)reindexed);
	rc = CLI_OK;
done:
	db_close(db);
	return rc;
}
