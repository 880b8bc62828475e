/*
 * cli_oscal.c - 'aims export oscal' and 'aims import oscal': OSCAL 1.2 JSON
 * documents out of and into an organisation (io/oscal.h). cmd_export() and
 * cmd_import() hand over when their first word is "oscal".
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "io/export.h"
#include "io/oscal.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"

static const char export_oscal_usage[] =
    "usage: aims export oscal --org SLUG --model MODEL --out FILE [--catalog ID]\n"
    "                         [--version N] [--db PATH]\n"
    "Writes one OSCAL 1.2 JSON document of the organisation (atomically).\n"
    "  --model MODEL   catalog             ISO/IEC 42001 ids, titles and our summaries\n"
    "                  profile             the controls the SoA declares applicable\n"
    "                  ssp                 the AIMS as a system security plan\n"
    "                  assessment-results  readiness: findings, observations, evidence\n"
    "                  poam                plan of action and milestones from the gaps\n"
    "  --org SLUG      the organisation\n"
    "  --out FILE      where to write it; - writes to standard output\n"
    "  --catalog ID    catalog model only: a catalog the organisation imported\n"
    "  --version N     profile and ssp: published SoA version N instead of the draft\n"
    "  --db PATH       database file (default $AIMS_DB or ./aims.db)\n"
    "UUIDs are derived from the records, so exports of the same records agree.\n"
    "Exit codes: 0 done, 1 failure, 2 usage error.\n";

static const char import_oscal_usage[] =
    "usage: aims import oscal FILE --org SLUG --as EMAIL [--catalog-id ID] [--check]\n"
    "                         [--db PATH]\n"
    "Loads an OSCAL 1.2 JSON document into the organisation, all or nothing:\n"
    "  a catalog            kept for this organisation only, under ID (default: made\n"
    "                       from its title); importing the same ID again replaces it\n"
    "  assessment-results   one evidence record per observation, linked to the\n"
    "                       ISO/IEC 42001 requirements its findings name\n"
    "A bad document is refused naming the JSON path at fault, e.g.\n"
    "  $.catalog.groups[2].controls[0].id: required\n"
    "The import is made by the person named with --as: a catalog by a manager or\n"
    "admin, evidence by anyone who may add evidence; the audit trail names them.\n"
    "  --org SLUG         the organisation\n"
    CLI_AS_HELP
    "  --catalog-id ID    the imported catalog's id (a-z, 0-9, '-')\n"
    "  --check            check the document, keep nothing (without --org: its\n"
    "                     shape only)\n"
    "  --db PATH          database file (default $AIMS_DB or ./aims.db)\n"
    "Exit codes: 0 done, 1 failure (nothing kept), 2 usage error.\n";

int
cmd_export_oscal(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "model", required_argument, NULL, 'm' },
		{ "out", required_argument, NULL, 'O' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "version", required_argument, NULL, 'v' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *slug = NULL, *model = NULL, *out = NULL;
	struct oscal_opts oo = { 0 };
	struct buf b = BUF_INIT;
	enum oscal_model m;
	struct db *db = NULL;
	int64_t org_id;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': slug = optarg; break;
		case 'm': model = optarg; break;
		case 'O': out = optarg; break;
		case 'c': oo.catalog = optarg; break;
		case 'v':
			if (str_to_int64(&oo.soa_version, optarg, 1, INT32_MAX) != 0)
				return cli_usage_error("export oscal", "--version takes a version number");
			break;
		case 'd': path = optarg; break;
		case 'h': fputs(export_oscal_usage, stdout); return CLI_OK;
		default: return cli_usage_error("export oscal", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("export oscal", "unexpected argument '%s'", argv[optind]);
	if (slug == NULL || model == NULL || out == NULL)
		return cli_usage_error("export oscal", "--org, --model and --out are required");
	if (oscal_parse_model(&m, model) != 0)
		return cli_usage_error("export oscal", "%s", aims_error_message());
	if (oo.catalog && m != OSCAL_CATALOG)
		return cli_usage_error("export oscal", "--catalog goes with --model catalog");
	if (oo.soa_version && m != OSCAL_PROFILE && m != OSCAL_SSP)
		return cli_usage_error("export oscal", "--version goes with --model profile or ssp");
	if (cli_open_db(&db, path, 0) != CLI_OK)
		return CLI_FAIL;
	if ((rc = cli_org_id(&org_id, db, slug, "export")) != CLI_OK)
		goto done;
	if (oscal_export_to_buf(&b, db, org_id, m, &oo) != 0) {
		rc = cli_fail("export");
		goto done;
	}
	if (strcmp(out, "-") == 0) {
		if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
			aims_error_set(AIMS_ERROR, NULL, "cannot write to standard output");
			rc = cli_fail("export");
		}
	} else if (export_write_file(out, &b) != 0) {
		rc = cli_fail("export");
	}
done:
	buf_free(&b);
	db_close(db);
	return rc;
}

static int
import_oscal_read(struct buf *b, const char *file)
{
	char chunk[65536];
	FILE *f;
	size_t n;
	int rc = 0;

	if ((f = fopen(file, "rb")) == NULL)
		return aims_error_set(AIMS_ENOTFOUND, "file", "cannot open %s", file);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > OSCAL_FILE_MAX) {
			rc = aims_error_set(AIMS_ETOOBIG, "file", "%s is over %d bytes", file,
			    OSCAL_FILE_MAX);
			break;
		}
		buf_append(b, chunk, n);
	}
	if (rc == 0 && ferror(f))
		rc = aims_error_set(AIMS_ERROR, "file", "cannot read %s", file);
	fclose(f);
	return rc;
}

static void
import_oscal_report(json_t *s, int check)
{
	const char *model = json_string_value(json_object_get(s, "model"));
	const json_t *list;

	/* oscal_parse() answers the lists; an import answers the counts. */
	if ((list = json_object_get(s, "items")) != NULL)
		json_object_set_new(s, "item_count", json_integer((json_int_t)
		    json_array_size(list)));
	if ((list = json_object_get(s, "observations")) != NULL)
		json_object_set_new(s, "evidence_count", json_integer((json_int_t)
		    json_array_size(list)));

	if (strcmp(model, "catalog") == 0)
		printf("%s catalog '%s' (%s): %lld groups and controls%s\n",
		    check ? "checked" : "imported",
		    json_string_value(json_object_get(s, "id")),
		    json_string_value(json_object_get(s, "title")),
		    (long long)json_integer_value(json_object_get(s, "item_count")),
		    check ? " (nothing kept)" : "");
	else
		printf("%s %lld observations as evidence%s\n", check ? "checked" : "imported",
		    (long long)json_integer_value(json_object_get(s, "evidence_count")),
		    check ? " (nothing kept)" : "");
}

int
cmd_import_oscal(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "org", required_argument, NULL, 'o' },
		{ "catalog-id", required_argument, NULL, 'i' },
		{ "check", no_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ "as", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *org = NULL, *catalog_id = NULL, *as = NULL;
	struct cli_actor who;
	struct buf b = BUF_INIT;
	json_t *summary = NULL;
	struct db *db = NULL;
	int64_t org_id;
	int c, rc, check = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'o': org = optarg; break;
		case 'i': catalog_id = optarg; break;
		case 'c': check = 1; break;
		case 'A': as = optarg; break;
		case 'h': fputs(import_oscal_usage, stdout); return CLI_OK;
		default: return cli_usage_error("import oscal", "bad option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("import oscal", "give the FILE");
	if (org == NULL && !check)
		return cli_usage_error("import oscal", "--org SLUG is required");
	if (import_oscal_read(&b, argv[optind]) != 0) {
		buf_free(&b);
		return cli_fail("import");
	}
	if (check && org == NULL) {
		/* Without an organisation only the document's shape is checked. */
		if ((rc = oscal_parse(&summary, b.data, b.len)) == 0)
			import_oscal_report(summary, 1);
		rc = rc == 0 ? CLI_OK : cli_fail("import");
		goto done;
	}
	if (cli_open_db(&db, path, 0) != CLI_OK) {
		rc = CLI_FAIL;
		goto done;
	}
	if ((rc = cli_org_id(&org_id, db, org, "import")) != CLI_OK ||
	    (rc = cli_actor(&who, db, org_id, as, "import")) != CLI_OK)
		goto done;
	if (oscal_import(&summary, db, org_id, &who.actor, b.data, b.len, catalog_id,
	    check ? OSCAL_IMPORT_CHECK : 0) != 0) {
		rc = cli_fail("import");
		goto done;
	}
	import_oscal_report(summary, check);
	rc = CLI_OK;
done:
	json_decref(summary);
	buf_free(&b);
	db_close(db);
	return rc;
}
