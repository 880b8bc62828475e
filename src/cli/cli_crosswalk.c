/*
 * cli_crosswalk.c - 'aims crosswalk coverage': how much of another framework
 * (EU AI Act, NIST AI RMF, ISO/IEC 27001 Annex A, OWASP LLM, MITRE ATLAS)
 * an organisation's ISO/IEC 42001 records cover (engine/coverage.h), as
 * text, JSON or an OSCAL mapping collection.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/crosswalk.h"
#include "core/org.h"
#include "engine/coverage.h"
#include "io/oscal.h"
#include "store/db.h"
#include "util/error.h"

static const char crosswalk_usage[] =
    "usage: aims crosswalk coverage --org SLUG --framework F [--format text|json|oscal]\n"
    "                               [--db PATH]\n"
    "How much of another framework the organisation's implemented controls, measures\n"
    "and evidence cover, through the typed mappings (equivalent-to, subset-of,\n"
    "superset-of, intersects-with) of its requirements to ISO/IEC 42001: per\n"
    "requirement covered, partial or not_covered, the ISO/IEC 42001 requirements\n"
    "behind it and what is missing.\n"
    "  --org SLUG      the organisation\n"
    "  --framework F   eu-ai-act, nist-ai-rmf, iso27001, owasp-llm-2025 or atlas\n"
    "  --format F      text (default), json, or oscal (an OSCAL 1.2 mapping collection)\n"
    "  --db PATH       database file (default $AIMS_DB or ./aims.db)\n"
    "Exit codes: 0 done, 1 failure, 2 usage error.\n";

static void
crosswalk_print_text(const json_t *res)
{
	const json_t *counts = json_object_get(res, "counts"), *item, *m;
	size_t i, j;

	printf("%s: coverage %lld%% (%lld covered, %lld partial, %lld not covered of %lld)\n",
	    json_string_value(json_object_get(res, "title")),
	    (long long)json_integer_value(json_object_get(res, "score")),
	    (long long)json_integer_value(json_object_get(counts, "covered")),
	    (long long)json_integer_value(json_object_get(counts, "partial")),
	    (long long)json_integer_value(json_object_get(counts, "not_covered")),
	    (long long)json_integer_value(json_object_get(counts, "total")));
	json_array_foreach(json_object_get(res, "items"), i, item) {
		printf("%-12s %-22s %s\n", json_string_value(json_object_get(item, "status")),
		    json_string_value(json_object_get(item, "id")),
		    json_string_value(json_object_get(item, "title")));
		json_array_foreach(json_object_get(item, "missing"), j, m)
			printf("%-12s   missing: %s\n", "", json_string_value(m));
	}
}

static int
cmd_crosswalk_coverage(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "framework", required_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *slug = NULL, *fw = NULL, *format = "text";
	struct db *db = NULL;
	json_t *res = NULL;
	int64_t org_id;
	int c, rc = CLI_FAIL, err;
	char *s;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': slug = optarg; break;
		case 'f': fw = optarg; break;
		case 'F': format = optarg; break;
		case 'd': path = optarg; break;
		case 'h': fputs(crosswalk_usage, stdout); return CLI_OK;
		default: return cli_usage_error("crosswalk coverage", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("crosswalk coverage", "unexpected argument '%s'",
		    argv[optind]);
	if (slug == NULL || fw == NULL)
		return cli_usage_error("crosswalk coverage", "--org SLUG and --framework F are "
		    "required");
	if (!crosswalk_known(fw))
		return cli_usage_error("crosswalk coverage", "unknown framework '%s' (allowed: "
		    "eu-ai-act, nist-ai-rmf, iso27001, owasp-llm-2025, atlas)", fw);
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "oscal"))
		return cli_usage_error("crosswalk coverage",
		    "unknown format '%s' (allowed: text, json, oscal)", format);
	if (cli_open_db(&db, path, 0) != CLI_OK)
		return CLI_FAIL;
	if ((err = org_id_by_slug(&org_id, db, slug)) == 0)
		err = strcmp(format, "oscal") == 0 ? oscal_mapping_export(&res, db, org_id, fw) :
		    coverage_evaluate(&res, db, org_id, fw);
	if (err != 0) {
		rc = cli_fail("crosswalk coverage");
		goto done;
	}
	if (strcmp(format, "text") == 0)
		crosswalk_print_text(res);
	else {
		s = json_dumps(res, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
	}
	rc = fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
done:
	json_decref(res);
	db_close(db);
	return rc;
}

int
cmd_crosswalk(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(crosswalk_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "coverage") == 0)
		return cmd_crosswalk_coverage(argc - 1, argv + 1);
	return cli_usage_error("crosswalk", "unknown command '%s' (coverage)", argv[1]);
}
