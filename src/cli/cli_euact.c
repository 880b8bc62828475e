/*
 * cli_euact.c - 'aims euact': the EU AI Act per AI system (core/euact.h).
 *   obligations REF   what follows from its classification; with --create,
 *                     the obligation records that do not exist yet
 *   annex-iv REF      its Annex IV technical documentation, with the gaps
 *   annex-viii REF    its Annex VIII registration data
 * The classification itself is the AI system's fields ('aims record update
 * ai-systems REF --json ...').
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/euact.h"
#include "core/perm.h"
#include "core/role.h"
#include "store/db.h"
#include "util/error.h"

static const char euact_usage[] =
    "usage: aims euact obligations REF --org SLUG [--create --as EMAIL] [--db PATH]\n"
    "       aims euact annex-iv REF --org SLUG [--db PATH]\n"
    "       aims euact annex-viii REF --org SLUG [--db PATH]\n"
    "The EU AI Act for one AI system (REF, e.g. AIS-3), once it is classified (its\n"
    "eu_* fields: 'aims record update ai-systems REF --json ...').\n"
    "  obligations   the obligations that follow from its classification and the\n"
    "                organisation's roles for it (JSON); with --create, creates the\n"
    "                obligation records that do not exist yet, all or nothing\n"
    "  annex-iv      the Annex IV technical documentation assembled from its records,\n"
    "                section by section, with the gaps (JSON; high-risk systems only)\n"
    "  annex-viii    the Annex VIII registration data: Section A, or B under the\n"
    "                Art. 6(3) derogation, with what the records cannot give (JSON)\n"
    "  --org SLUG    the organisation\n"
    "  --create      obligations: create the records (needs --as)\n"
    CLI_AS_HELP
    "  --db PATH     database file (default $AIMS_DB or ./aims.db)\n"
    "Exit codes: 0 done, 1 failure (no such system, not classified, not high-risk),\n"
    "2 usage error.\n";

static int
euact_print(json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	printf("%s\n", s);
	free(s);
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

int
cmd_euact(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "create", no_argument, NULL, 'c' },
		{ "as", required_argument, NULL, 'a' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *slug = NULL, *as = NULL, *what, *ref;
	struct cli_actor who;
	struct db *db = NULL;
	json_t *res = NULL;
	bool create = false;
	int64_t org_id;
	int c, rc, err;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(euact_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	what = argv[1];
	if (strcmp(what, "obligations") && strcmp(what, "annex-iv") && strcmp(what, "annex-viii"))
		return cli_usage_error("euact", "unknown command '%s' (obligations, annex-iv, "
		    "annex-viii)", what);
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': slug = optarg; break;
		case 'c': create = true; break;
		case 'a': as = optarg; break;
		case 'd': path = optarg; break;
		case 'h': fputs(euact_usage, stdout); return CLI_OK;
		default: return cli_usage_error("euact", "bad option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("euact", "give the AI system's reference (AIS-3)");
	ref = argv[optind];
	if (slug == NULL)
		return cli_usage_error("euact", "--org SLUG is required");
	if (create && strcmp(what, "obligations") != 0)
		return cli_usage_error("euact", "--create is for 'obligations'");
	if (cli_open_db(&db, path, 0) != CLI_OK)
		return CLI_FAIL;
	if ((rc = cli_org_id(&org_id, db, slug, "euact")) != CLI_OK)
		goto done;
	if (create) {
		if ((rc = cli_actor(&who, db, org_id, as, "euact")) != CLI_OK)
			goto done;
		if (!perm_allows(who.actor.role, PERM_WRITE, PERM_KIND_OPERATIONAL)) {
			fprintf(stderr, "aims euact: %s is a %s of '%s': creating obligation "
			    "records needs a contributor, manager or admin\n", who.name,
			    role_name(who.actor.role), slug);
			rc = CLI_FAIL;
			goto done;
		}
		err = euact_obligations_derive(&res, db, org_id, &who.actor, ref);
	} else if (strcmp(what, "obligations") == 0)
		err = euact_obligations_due(&res, db, org_id, ref);
	else if (strcmp(what, "annex-iv") == 0)
		err = euact_annex_iv(&res, db, org_id, ref);
	else
		err = euact_annex_viii(&res, db, org_id, ref);
	rc = err != 0 ? cli_fail("euact") : euact_print(res);
done:
	json_decref(res);
	db_close(db);
	return rc;
}
