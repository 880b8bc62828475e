/*
 * cli_migrate_store.c - 'aims migrate-store': move organisations from one
 * store to another (SQLite to PostgreSQL to grow, PostgreSQL to a SQLite
 * file to hand an organisation back).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/store_copy.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/error.h"

static const char migrate_store_usage[] =
    "usage: aims migrate-store --from PATH|URL --to URL|PATH [--org SLUG]\n"
    "Copies organisations from one store to another (a SQLite file, or PostgreSQL:\n"
    "postgres://...), either way, with their ledger and checkpoints, evidence\n"
    "files and the signing key, in one transaction; 'aims verify --db TARGET'\n"
    "then passes with the same checkpoints. Webhook secrets are sealed again with\n"
    "the target's key. Sign-in sessions are not copied: people sign in again.\n"
    "  --from PATH|URL  the store to read (it is not changed)\n"
    "  --to URL|PATH    the store to write: created and migrated if new\n"
    "  --org SLUG    only this organisation, with its members (the target must\n"
    "                have no users yet); default: every organisation, the users\n"
    "                and the instance log (the target must be empty)\n"
    "The key and evidence files of a PostgreSQL store are in $AIMS_DATA_DIR\n"
    "(default ./aims-data); those of a SQLite store beside its file (data/),\n"
    "whatever $AIMS_DATA_DIR says.\n";

int
cmd_migrate_store(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "org", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *to = NULL, *slug = NULL;
	struct store_copy_stats stats;
	struct db *src = NULL, *dst = NULL;
	int64_t org_id = 0;
	int c, rc = CLI_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'o': slug = optarg; break;
		case 'h': fputs(migrate_store_usage, stdout); return CLI_OK;
		default: return cli_usage_error("migrate-store", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("migrate-store", "unexpected argument '%s'", argv[optind]);
	if (from == NULL || to == NULL)
		return cli_usage_error("migrate-store", "--from and --to are both needed");
	if (strcmp(from, to) == 0)
		return cli_usage_error("migrate-store", "--from and --to name the same store");
	if (db_open(&src, from, DB_OPEN_READONLY) != 0 || db_open(&dst, to, DB_OPEN_CREATE) != 0) {
		rc = cli_fail("migrate-store");
		goto done;
	}
	if (slug != NULL && cli_org_id(&org_id, src, slug, "migrate-store") != CLI_OK)
		goto done;
	if (store_copy(&stats, dst, src, org_id) != 0) {
		rc = cli_fail("migrate-store");
		goto done;
	}
	printf("copied %s%s: %lld rows from %lld tables, %lld evidence files%s\n",
	    slug ? "organisation " : "every organisation", slug ? slug : "",
	    (long long)stats.rows, (long long)stats.tables, (long long)stats.files,
	    stats.users_logged ? " (its members entered in the target's instance log)" : "");
	printf("check it with: aims verify --db '%s'\n", to);
	rc = CLI_OK;
done:
	db_close(dst);
	db_close(src);
	return rc;
}
