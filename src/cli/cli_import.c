/*
 * cli_import.c - 'aims import KIND FILE --org SLUG': creates records from a
 * CSV or JSON file, all or nothing. Bad rows are listed as
 * "row N, field F: reason" on standard error, and then nothing is imported.
 * A progress bar is drawn on standard error when it is a terminal.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/record.h"
#include "io/import.h"
#include "store/db.h"
#include "util/error.h"
#include "util/mem.h"

#define IMPORT_BAR_WIDTH	40

static const char import_usage[] =
    "usage: aims import KIND FILE --org SLUG --as EMAIL [--check] [--db PATH]\n"
    "Creates records of KIND (ai-systems, risks, ...) from FILE, all or nothing.\n"
    "FILE is CSV whose first row names the fields as the API does (list fields\n"
    "separated by ';', components and other objects as JSON), or a JSON array\n"
    "of objects. On any error nothing is imported and every bad row is listed\n"
    "as 'row N, field F: reason' (CSV rows count the header as row 1).\n"
    "The records are created by the person named with --as (their role decides\n"
    "what they may set), and the history and the audit trail name them.\n"
    "  --org SLUG         the organisation\n"
    CLI_AS_HELP
    "  --check            check every row as that person, import nothing\n"
    "  --db PATH          database (default $AIMS_DB or ./aims.db)\n"
    "'aims import oscal FILE --org SLUG' loads an OSCAL catalog or assessment\n"
    "results (see 'aims import oscal --help').\n"
    "'aims import cyclonedx|modelcard|garak|promptfoo FILE --org SLUG --ai-system REF'\n"
    "loads an AI system's ML-BOM or a model's Hugging Face model card, or a red-team\n"
    "or evaluation run as its evidence (see 'aims import cyclonedx --help').\n";

static void
import_progress(void *arg, size_t done, size_t total)
{
	const char *kind = arg;
	int filled = total ? (int)(done * IMPORT_BAR_WIDTH / total) : IMPORT_BAR_WIDTH;

	fprintf(stderr, "\rimporting %s [%.*s%*s] %zu/%zu", kind, filled,
	    "########################################", IMPORT_BAR_WIDTH - filled, "", done, total);
	if (done == total)
		fputc('\n', stderr);
}

static int
import_by_row(const void *a, const void *b)
{
	json_int_t ra = json_integer_value(json_object_get(*(json_t *const *)a, "row"));
	json_int_t rb = json_integer_value(json_object_get(*(json_t *const *)b, "row"));

	return (ra > rb) - (ra < rb);
}

/* Every error, in row order. */
static void
import_print_errors(const json_t *errors)
{
	size_t i, n = json_array_size(errors);
	json_t **sorted;
	const json_t *e;
	const char *field;

	if (n == 0)
		return;
	sorted = xcalloc(n, sizeof(*sorted));
	for (i = 0; i < n; i++)
		sorted[i] = json_array_get(errors, i);
	qsort(sorted, n, sizeof(*sorted), import_by_row);
	for (i = 0; i < n; i++) {
		e = sorted[i];
		field = json_string_value(json_object_get(e, "field"));
		fprintf(stderr, "row %lld, field %s: %s\n",
		    (long long)json_integer_value(json_object_get(e, "row")), field ? field : "-",
		    json_string_value(json_object_get(e, "message")));
	}
	free(sorted);
}

/* Rows that io could not read are bad rows too: check the rest, then list all. */
static int
import_run(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const json_t *rows, int row_base, json_t *io_errors,
    bool check)
{
	json_t *errors = NULL, *refs = NULL;
	int flags = check || json_array_size(io_errors) ? RECORD_IMPORT_CHECK : 0;
	int rc;

	rc = record_import(&errors, &refs, db, org_id, actor, k, rows, row_base, flags,
	    isatty(STDERR_FILENO) ? import_progress : NULL, (void *)k->name);
	if (rc != 0 && errors == NULL) {
		json_decref(errors);
		return cli_fail("import");
	}
	if (errors)
		json_array_extend(io_errors, errors);
	json_decref(errors);
	if (json_array_size(io_errors)) {
		import_print_errors(io_errors);
		fprintf(stderr, "aims: import: %zu error%s: nothing was imported\n",
		    json_array_size(io_errors), json_array_size(io_errors) == 1 ? "" : "s");
		json_decref(refs);
		return CLI_FAIL;
	}
	if (check)
		printf("%zu %s checked: no errors (nothing imported)\n", json_array_size(rows),
		    k->plural);
	else
		printf("imported %zu %s\n", json_array_size(refs), k->plural);
	json_decref(refs);
	return CLI_OK;
}

int
cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "org", required_argument, NULL, 'o' },
		{ "check", no_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ "as", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *org = NULL, *as = NULL;
	const struct record_kind *k;
	struct cli_actor who;
	struct db *db = NULL;
	json_t *rows = NULL, *io_errors = NULL;
	int64_t org_id;
	int c, rc, row_base = 1;
	bool check = false;

	if (argc > 1 && strcmp(argv[1], "oscal") == 0)
		return cmd_import_oscal(argc - 1, argv + 1);
	if (argc > 1 && (strcmp(argv[1], "cyclonedx") == 0 || strcmp(argv[1], "modelcard") == 0 ||
	    strcmp(argv[1], "garak") == 0 || strcmp(argv[1], "promptfoo") == 0))
		return cmd_import_bom(argc - 1, argv + 1);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'o': org = optarg; break;
		case 'c': check = true; break;
		case 'A': as = optarg; break;
		case 'h': fputs(import_usage, stdout); return CLI_OK;
		default: return cli_usage_error("import", "bad option");
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("import", "give the KIND and the FILE");
	if (org == NULL)
		return cli_usage_error("import", "--org SLUG is required");
	if ((k = record_kind_find(argv[optind])) == NULL)
		return cli_usage_error("import", "unknown kind '%s' (see 'aims record kinds')",
		    argv[optind]);
	if (cli_open_db(&db, path, 0) != CLI_OK)
		return CLI_FAIL;
	if ((rc = cli_org_id(&org_id, db, org, "import")) != CLI_OK ||
	    (rc = cli_actor(&who, db, org_id, as, "import")) != CLI_OK)
		goto done;
	if (import_read_file(&rows, &row_base, &io_errors, k, argv[optind + 1]) != 0) {
		import_print_errors(io_errors);
		rc = cli_fail("import");
		goto done;
	}
	rc = import_run(db, org_id, &who.actor, k, rows, row_base, io_errors, check);
done:
	json_decref(rows);
	json_decref(io_errors);
	db_close(db);
	return rc;
}
