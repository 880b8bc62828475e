/* cli_export.c - 'aims export': the SoA, registers and readiness report as files. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/org.h"
#include "io/export.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"

static const char export_usage[] =
    "usage: aims export WHAT --org SLUG --format FORMAT --out FILE [options]\n"
    "Writes a file for people outside OpenAIMS (atomically: all of it or nothing).\n"
    "  WHAT          soa (xlsx, csv, json), risks (xlsx, csv), ai-systems (xlsx, csv),\n"
    "                readiness (html, json)\n"
    "                oscal: see 'aims export oscal --help'\n"
    "                cyclonedx: an AI system's ML-BOM, see 'aims export cyclonedx --help'\n"
    "  --org SLUG    the organisation\n"
    "  --format F    xlsx, csv, json or html\n"
    "  --out FILE    where to write it; - writes to standard output\n"
    "  --version N   soa only: a published version instead of the draft\n"
    "  --db PATH     database file (default $AIMS_DB or ./aims.db)\n"
    "Exit codes: 0 done, 1 failure, 2 usage error.\n";

static int
export_stdout(struct db *db, int64_t org_id, enum export_what what, enum export_format fmt,
    const struct export_opts *opts)
{
	struct buf b = BUF_INIT;
	int rc;

	if ((rc = export_to_buf(&b, db, org_id, what, fmt, opts)) == 0 &&
	    (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0))
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot write to standard output");
	buf_free(&b);
	return rc;
}

int
cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'O' },
		{ "version", required_argument, NULL, 'v' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *slug = NULL, *format = NULL, *out = NULL;
	struct export_opts eo = { 0 };
	enum export_format fmt;
	enum export_what what;
	struct db *db = NULL;
	int64_t org_id;
	int c, rc;

	if (argc > 1 && strcmp(argv[1], "oscal") == 0)
		return cmd_export_oscal(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "cyclonedx") == 0)
		return cmd_export_bom(argc - 1, argv + 1);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': slug = optarg; break;
		case 'f': format = optarg; break;
		case 'O': out = optarg; break;
		case 'v':
			if (str_to_int64(&eo.soa_version, optarg, 1, INT32_MAX) != 0)
				return cli_usage_error("export", "--version takes a version number");
			break;
		case 'd': path = optarg; break;
		case 'h': fputs(export_usage, stdout); return CLI_OK;
		default: return cli_usage_error("export", "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("export", "name one of soa, risks, ai-systems, readiness");
	if (slug == NULL || format == NULL || out == NULL)
		return cli_usage_error("export", "--org, --format and --out are required");
	if (export_parse_what(&what, argv[optind]) != 0 || export_parse_format(&fmt, format) != 0 ||
	    export_check(what, fmt) != 0)
		return cli_usage_error("export", "%s", aims_error_message());
	if (eo.soa_version && what != EXPORT_SOA)
		return cli_usage_error("export", "--version applies to the soa export only");
	if (cli_open_db(&db, path, 0) != CLI_OK)
		return CLI_FAIL;
	if ((rc = org_id_by_slug(&org_id, db, slug)) == 0)
		rc = strcmp(out, "-") == 0 ? export_stdout(db, org_id, what, fmt, &eo) :
		    export_to_file(out, db, org_id, what, fmt, &eo);
	db_close(db);
	return rc == 0 ? CLI_OK : cli_fail("export");
}
