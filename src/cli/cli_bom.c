/*
 * cli_bom.c - 'aims import cyclonedx|modelcard|garak|promptfoo FILE' (an AI
 * system's ML-BOM or a model's Hugging Face model card, or a red-team or
 * evaluation run as its evidence, all or nothing)
 * and 'aims export cyclonedx' (the AI system's ML-BOM).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/bom.h"
#include "core/evidence.h"
#include "core/org.h"
#include "core/redteam.h"
#include "io/cyclonedx.h"
#include "io/modelcard.h"
#include "io/redteam.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"

static const char import_bom_usage[] =
    "usage: aims import FORMAT FILE --org SLUG --ai-system REF --as EMAIL [--check]\n"
    "                  [--db PATH]\n"
    "Imports FILE for the AI system REF (AIS-3), all or nothing; on any fault\n"
    "nothing is kept and the fault is named with the JSON path at fault.\n"
    "  FORMAT  cyclonedx  a CycloneDX 1.6 or 1.7 ML-BOM (JSON), checked against the\n"
    "                     CycloneDX schema: its models become model records (with\n"
    "                     their model cards), its data components data sets, its\n"
    "                     other components and services the system's components,\n"
    "                     their suppliers supplier records; importing it again\n"
    "                     updates the same records (matched by purl or bom-ref)\n"
    "          modelcard  a Hugging Face model card (README.md with YAML metadata\n"
    "                     between '---' lines): the model becomes a model record\n"
    "                     (licence, task, library, languages, tags, base models,\n"
    "                     model-index results as performance metrics), its data\n"
    "                     sets data set records, Hub namespaces suppliers; the\n"
    "                     model is named by model-index, else the card's '# '\n"
    "                     heading, and importing the card again updates it\n"
    "          garak      a garak report (*.report.jsonl)\n"
    "          promptfoo  a promptfoo result file (promptfoo eval -o FILE.json)\n"
    "                     a run becomes evidence on the system with its results per\n"
    "                     probe family, labelled with OWASP Top 10 for LLM (2025) and\n"
    "                     MITRE ATLAS ids and the Annex A controls it supports; each\n"
    "                     family's failure rate becomes a metric reading; a run worse\n"
    "                     than the previous one of the tool is flagged\n"
    "  --org SLUG         the organisation\n"
    "  --ai-system REF    the AI system\n"
    CLI_AS_HELP
    "  --check            check everything as that person, keep nothing\n"
    "  --db PATH          database (default $AIMS_DB or ./aims.db)\n"
    "Exit codes: 0 imported, 1 refused (nothing kept), 2 usage error.\n";

static const char export_bom_usage[] =
    "usage: aims export cyclonedx --org SLUG --ai-system REF [--out FILE] [--db PATH]\n"
    "Writes the AI system's ML-BOM as CycloneDX 1.6 JSON: the system, its models with\n"
    "their model cards, its data sets and components, and their dependencies.\n"
    "  --org SLUG         the organisation\n"
    "  --ai-system REF    the AI system (AIS-3)\n"
    "  --out FILE         where to write it (default: standard output)\n"
    "  --db PATH          database (default $AIMS_DB or ./aims.db)\n";

static int
bom_read(struct buf *out, const char *path)
{
	char chunk[65536];
	FILE *f;
	size_t n;
	int rc = 0;

	if ((f = fopen(path, "rb")) == NULL)
		return aims_error_set(AIMS_EINVALID, "file", "cannot open %s: %s", path,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (out->len + n > CYCLONEDX_FILE_MAX) {
			rc = aims_error_set(AIMS_ETOOBIG, "file", "%s: a BOM is at most %d bytes",
			    path, CYCLONEDX_FILE_MAX);
			break;
		}
		buf_append(out, chunk, n);
	}
	if (rc == 0 && ferror(f))
		rc = aims_error_set(AIMS_ERROR, "file", "cannot read %s", path);
	fclose(f);
	return rc;
}

static void
bom_print_list(const char *what, const json_t *set)
{
	const char *kind;
	const json_t *refs, *v;
	size_t i;

	json_object_foreach((json_t *)set, kind, refs) {
		printf("%s %s:", what, kind);
		json_array_foreach(refs, i, v)
			printf(" %s", json_string_value(v));
		putchar('\n');
	}
}

static void
bom_report(const char *format, const json_t *s, const char *file)
{
	const json_t *v;
	size_t i;

	if (strcmp(format, "cyclonedx") == 0 || strcmp(format, "modelcard") == 0) {
		printf("%s %s into %s\n", json_is_true(json_object_get(s, "checked_only")) ?
		    "checked (nothing kept)" : "imported", file,
		    json_string_value(json_object_get(s, "ai_system")));
		bom_print_list("created", json_object_get(s, "created"));
		bom_print_list("updated", json_object_get(s, "updated"));
		printf("unchanged: %lld, components: %lld\n",
		    (long long)json_integer_value(json_object_get(s, "unchanged")),
		    (long long)json_integer_value(json_object_get(s, "components")));
		return;
	}
	if (json_is_true(json_object_get(s, "already_imported"))) {
		printf("this run was imported already: %s (nothing changed)\n",
		    json_string_value(json_object_get(s, "evidence")));
		return;
	}
	printf("%s %s as evidence %s on %s: %s%% failed\n",
	    json_is_true(json_object_get(s, "checked_only")) ? "checked (nothing kept)" :
	    "imported", file, json_string_value(json_object_get(s, "evidence")),
	    json_string_value(json_object_get(s, "ai_system")),
	    json_string_value(json_object_get(s, "failure_rate")));
	printf("OWASP LLM 2025:");
	json_array_foreach(json_object_get(s, "owasp_llm"), i, v)
		printf(" %s", json_string_value(v));
	printf("\nATLAS:");
	json_array_foreach(json_object_get(s, "atlas"), i, v)
		printf(" %s", json_string_value(v));
	printf("\nmetrics:");
	json_array_foreach(json_object_get(s, "metrics"), i, v)
		printf(" %s", json_string_value(v));
	printf(" (%lld readings, %lld breaches)\n",
	    (long long)json_integer_value(json_object_get(s, "readings_stored")),
	    (long long)json_integer_value(json_object_get(s, "breaches")));
	if (json_string_value(json_object_get(s, "worse_than")))
		printf("WORSE than %s: %s\n", json_string_value(json_object_get(s, "worse_than")),
		    json_string_value(json_object_get(s, "worse_why")));
}

int
cmd_import_bom(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "org", required_argument, NULL, 'o' },
		{ "ai-system", required_argument, NULL, 's' },
		{ "check", no_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ "as", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *org = NULL, *ais = NULL, *as = NULL;
	const char *format = argv[0], *file, *slash;
	struct evidence_upload up = { 0 };
	enum redteam_format rf = REDTEAM_GARAK;
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
		case 's': ais = optarg; break;
		case 'c': check = 1; break;
		case 'A': as = optarg; break;
		case 'h': fputs(import_bom_usage, stdout); return CLI_OK;
		default: return cli_usage_error("import", "bad option");
		}
	}
	if (strcmp(format, "cyclonedx") != 0 && strcmp(format, "modelcard") != 0 &&
	    redteam_parse_format(&rf, format) != 0)
		return cli_usage_error("import", "unknown format '%s'", format);
	if (argc - optind != 1)
		return cli_usage_error("import", "give the FILE");
	if (org == NULL)
		return cli_usage_error("import", "--org SLUG is required");
	if (ais == NULL)
		return cli_usage_error("import", "--ai-system REF is required");
	file = argv[optind];
	if (cli_open_db(&db, path, 0) != CLI_OK)
		return CLI_FAIL;
	if ((rc = cli_org_id(&org_id, db, org, "import")) != CLI_OK ||
	    (rc = cli_actor(&who, db, org_id, as, "import")) != CLI_OK)
		goto done;
	if (strcmp(format, "cyclonedx") == 0 || strcmp(format, "modelcard") == 0) {
		if (bom_read(&b, file) != 0 || (format[0] == 'c' ? cyclonedx_import :
		    modelcard_import)(&summary, db, org_id, &who.actor, ais, b.data ? b.data : "",
		    b.len, check ? BOM_CHECK : 0) != 0) {
			rc = cli_fail("import");
			goto done;
		}
	} else {
		up.path = file;
		up.filename = (slash = strrchr(file, '/')) ? slash + 1 : file;
		if (redteam_import(&summary, db, org_id, &who.actor, ais, rf, &up,
		    check ? REDTEAM_CHECK : 0) != 0) {
			rc = cli_fail("import");
			goto done;
		}
	}
	bom_report(format, summary, file);
	rc = CLI_OK;
done:
	json_decref(summary);
	buf_free(&b);
	db_close(db);
	return rc;
}

int
cmd_export_bom(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "org", required_argument, NULL, 'o' },
		{ "ai-system", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'O' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *org = NULL, *ais = NULL, *out = NULL;
	struct buf b = BUF_INIT;
	struct db *db = NULL;
	json_t *o = NULL;
	int64_t org_id;
	FILE *f = NULL;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'o': org = optarg; break;
		case 's': ais = optarg; break;
		case 'O': out = optarg; break;
		case 'h': fputs(export_bom_usage, stdout); return CLI_OK;
		default: return cli_usage_error("export cyclonedx", "bad option");
		}
	}
	if (org == NULL || ais == NULL)
		return cli_usage_error("export cyclonedx", "--org SLUG and --ai-system REF are "
		    "required");
	if (cli_open_db(&db, path, 0) != CLI_OK)
		return CLI_FAIL;
	if ((rc = cli_org_id(&org_id, db, org, "export")) != CLI_OK)
		goto done;
	if (org_get(&o, db, org_id) != 0 || cyclonedx_export(&b, db, org_id,
	    json_string_value(json_object_get(o, "slug")), ais) != 0) {
		rc = cli_fail("export");
		goto done;
	}
	if (out && strcmp(out, "-") != 0 && (f = fopen(out, "w")) == NULL) {
		fprintf(stderr, "aims: export: cannot write %s: %s\n", out, strerror(errno));
		rc = CLI_FAIL;
		goto done;
	}
	if (fwrite(b.data, 1, b.len, f ? f : stdout) != b.len ||
	    (f ? fclose(f) : fflush(stdout)) != 0) {
		f = NULL;
		fprintf(stderr, "aims: export: cannot write the BOM\n");
		rc = CLI_FAIL;
		goto done;
	}
	f = NULL;
	rc = CLI_OK;
done:
	if (f)
		fclose(f);
	json_decref(o);
	buf_free(&b);
	db_close(db);
	return rc;
}
