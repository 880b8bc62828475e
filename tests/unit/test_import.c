/*
 * test_import.c - unit tests for importing records (io/import.c,
 * core/record_import.c, cli/cli_import.c): a good CSV file, a file with
 * errors in several rows (all listed, nothing kept), header problems, JSON
 * input, 10,000 rows in one go, and the command's output; and the CSV of
 * metric readings a monitor pushes (import_readings_csv()).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/record_counts.h"
#include "io/import.h"
#include "record_fixture.h"
#include "util/buf.h"
#include "util/clock.h"

#define ROWS_BIG	10000

static int
setup(void **state)
{
	*state = fx_open("import.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static int64_t
count_live(struct db *db)
{
	struct record_query q = { .limit = 1 };
	json_t *items = NULL;
	char *next = NULL;
	int64_t total = -1;

	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG,
	    record_kind_find("ai-systems"), &q), 0);
	json_decref(items);
	free(next);
	return total;
}

/* Parses text and imports it; returns record_import's result. */
static int
run_import(json_t **errors, json_t **refs, struct db *db, const char *text)
{
	const struct record_kind *k = record_kind_find("ai-systems");
	json_t *rows = NULL, *io_errors = NULL;
	int base, rc;

	assert_int_equal(import_parse(&rows, &base, &io_errors, k, text, strlen(text)), 0);
	assert_int_equal(json_array_size(io_errors), 0);
	rc = record_import(errors, refs, db, FX_ORG, &fx_bob, k, rows, base, 0, NULL, NULL);
	json_decref(rows);
	json_decref(io_errors);
	return rc;
}

static void
test_import__good_csv(void **state)
{
	struct db *db = *state;
	json_t *errors = NULL, *refs = NULL, *rec = NULL, *comp;

	assert_int_equal(run_import(&errors, &refs, db,
	    "\xef\xbb\xbfname,purpose,lifecycle_stage,eu_ai_act_roles,in_scope,components,owner,"
	    "scope_justification\r\n"
	    "Chat assistant,answers questions,deployment,provider; deployer,yes,"
	    "\"[{\"\"kind\"\": \"\"model\"\", \"\"name\"\": \"\"llm\"\"}]\",alice@example.org,\r\n"
	    "\"Scorer, v2\",\"line one\nline two\",inception,,no,,,"
	    "An idea only: nothing is built or used yet\r\n"
	    "Plain,,,,,,,\r\n"), 0);
	assert_null(errors);
	assert_int_equal(json_array_size(refs), 3);
	assert_string_equal(json_string_value(json_array_get(refs, 2)), "AIS-3");
	json_decref(refs);
	assert_int_equal(record_get(&rec, db, FX_ORG, record_kind_find("ai-systems"), "AIS-1"), 0);
	assert_string_equal(fx_str(rec, "name"), "Chat assistant");
	assert_int_equal(json_array_size(json_object_get(rec, "eu_ai_act_roles")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(rec, "eu_ai_act_roles"),
	    1)), "deployer");
	assert_true(json_is_true(json_object_get(rec, "in_scope")));
	comp = json_array_get(json_object_get(rec, "components"), 0);
	assert_string_equal(fx_str(comp, "name"), "llm");
	json_decref(rec);
	assert_int_equal(record_get(&rec, db, FX_ORG, record_kind_find("ai-systems"), "AIS-2"), 0);
	assert_string_equal(fx_str(rec, "name"), "Scorer, v2");
	assert_string_equal(fx_str(rec, "purpose"), "line one\nline two");
	assert_true(json_is_false(json_object_get(rec, "in_scope")));
	json_decref(rec);
}

static void
test_import__bad_rows_all_listed_nothing_kept(void **state)
{
	struct db *db = *state;
	json_t *errors = NULL, *refs = NULL, *e;

	assert_int_equal(run_import(&errors, &refs, db,
	    "name,lifecycle_stage,in_scope,owner,scope_justification\n"
	    "Good one,deployment,true,,\n"		/* row 2 */
	    "Bad stage,beta,true,,\n"			/* row 3 */
	    "Good two,inception,false,,An idea only: nothing built\n"	/* row 4 */
	    ",deployment,true,,\n"			/* row 5: no name */
	    "Bad bool,deployment,maybe,,\n"		/* row 6 */
	    "Stranger,deployment,true,eve@example.org,\n"	/* row 7 */
	    "Good three,retirement,no,,Retired and switched off\n"	/* row 8 */
	    "Unjustified,deployment,no,,N/A\n"), AIMS_EINVALID);	/* row 9 */
	assert_null(refs);
	assert_int_equal(json_array_size(errors), 5);
	e = json_array_get(errors, 0);
	assert_int_equal(fx_int(e, "row"), 3);
	assert_string_equal(fx_str(e, "field"), "lifecycle_stage");
	assert_non_null(strstr(fx_str(e, "message"), "allowed: inception"));
	assert_int_equal(fx_int(json_array_get(errors, 1), "row"), 5);
	assert_string_equal(fx_str(json_array_get(errors, 1), "field"), "name");
	assert_int_equal(fx_int(json_array_get(errors, 2), "row"), 6);
	assert_string_equal(fx_str(json_array_get(errors, 2), "field"), "in_scope");
	assert_int_equal(fx_int(json_array_get(errors, 3), "row"), 7);
	assert_string_equal(fx_str(json_array_get(errors, 3), "field"), "owner");
	/* Left out of the scope, a system needs a justification that says something. */
	assert_int_equal(fx_int(json_array_get(errors, 4), "row"), 9);
	assert_string_equal(fx_str(json_array_get(errors, 4), "field"), "scope_justification");
	json_decref(errors);
	assert_int_equal(count_live(db), 0);
	/* The numbers were not used up either. */
	assert_int_equal(fx_create(&e, db, FX_ORG, &fx_bob, "ai-systems", "{\"name\": \"n\"}"), 0);
	assert_string_equal(fx_str(e, "ref"), "AIS-1");
	json_decref(e);
}

static void
test_import__header_and_shape_problems(void **state)
{
	const struct record_kind *k = record_kind_find("ai-systems");
	json_t *rows = NULL, *errors = NULL;
	const char *t;
	int base;

	(void)state;
	t = "name,colour\nx,red\n";
	assert_int_equal(import_parse(&rows, &base, &errors, k, t, strlen(t)), AIMS_EINVALID);
	assert_int_equal(fx_int(json_array_get(errors, 0), "row"), 1);
	assert_string_equal(fx_str(json_array_get(errors, 0), "field"), "colour");
	json_decref(errors);
	t = "name,name\nx,y\n";
	assert_int_equal(import_parse(&rows, &base, &errors, k, t, strlen(t)), AIMS_EINVALID);
	assert_non_null(strstr(fx_str(json_array_get(errors, 0), "message"), "twice"));
	json_decref(errors);
	t = "";
	assert_int_equal(import_parse(&rows, &base, &errors, k, t, 0), AIMS_EINVALID);
	json_decref(errors);
	/* A row with more cells than columns is a bad row, the others still parse. */
	t = "name,purpose\na,b\nc,d,e\nf,g\n";
	assert_int_equal(import_parse(&rows, &base, &errors, k, t, strlen(t)), 0);
	assert_int_equal(base, 2);
	assert_int_equal(json_array_size(rows), 3);
	assert_int_equal(json_array_size(errors), 1);
	assert_int_equal(fx_int(json_array_get(errors, 0), "row"), 3);
	json_decref(rows);
	json_decref(errors);
	/* JSON: an array of objects, rows counted from 1. */
	t = "  [{\"name\": \"a\"}, {\"name\": \"b\", \"in_scope\": true}]";
	assert_int_equal(import_parse(&rows, &base, &errors, k, t, strlen(t)), 0);
	assert_int_equal(base, 1);
	assert_int_equal(json_array_size(rows), 2);
	json_decref(rows);
	json_decref(errors);
	t = "[{\"name\": ";
	assert_int_equal(import_parse(&rows, &base, &errors, k, t, strlen(t)), AIMS_EINVALID);
	json_decref(errors);
}

static void
test_import__json_rows(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("ai-systems");
	json_t *rows = json_pack("[{s:s}, {s:s, s:s}, {s:i}]", "name", "ok", "name", "x",
	    "lifecycle_stage", "nope", "name", 3);
	json_t *errors = NULL, *refs = NULL;

	assert_int_equal(record_import(&errors, &refs, db, FX_ORG, &fx_bob, k, rows, 1, 0, NULL,
	    NULL), AIMS_EINVALID);
	assert_int_equal(json_array_size(errors), 2);
	assert_int_equal(fx_int(json_array_get(errors, 0), "row"), 2);
	assert_int_equal(fx_int(json_array_get(errors, 1), "row"), 3);
	json_decref(errors);
	/* --check validates and keeps nothing even when every row is good. */
	json_array_remove(rows, 2);
	json_array_remove(rows, 1);
	assert_int_equal(record_import(&errors, &refs, db, FX_ORG, &fx_bob, k, rows, 1,
	    RECORD_IMPORT_CHECK, NULL, NULL), 0);
	assert_null(errors);
	assert_int_equal(count_live(db), 0);
	json_decref(rows);
}

static void
progress_count(void *arg, size_t done, size_t total)
{
	(void)total;
	*(size_t *)arg = done;
}

static void
test_import__ten_thousand_rows(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("ai-systems");
	struct buf b = BUF_INIT;
	json_t *rows = NULL, *errors = NULL, *refs = NULL;
	size_t done = 0;
	int64_t t0, next = 0;
	int i, base;

	buf_puts(&b, "name,purpose,lifecycle_stage,eu_ai_act_category,in_scope\n");
	for (i = 1; i <= ROWS_BIG; i++)
		buf_printf(&b, "System %d,purpose of system %d,deployment,minimal,true\n", i, i);
	t0 = clock_mono_usec();
	assert_int_equal(import_parse(&rows, &base, &errors, k, b.data, b.len), 0);
	assert_int_equal(json_array_size(rows), ROWS_BIG);
	json_decref(errors);
	assert_int_equal(record_import(&errors, &refs, db, FX_ORG, &fx_bob, k, rows, base, 0,
	    progress_count, &done), 0);
	assert_int_equal(done, ROWS_BIG);
	assert_int_equal(json_array_size(refs), ROWS_BIG);
	assert_int_equal(count_live(db), ROWS_BIG);
	/* The counters kept in memory through the import were stored right. */
	if (record_counts_verify(db, FX_ORG) != 0 || record_verify_derived(db, FX_ORG) != 0)
		fail_msg("%s", aims_error_message());
	assert_int_equal(db_query_int64(&next, db, "SELECT next FROM ref_counters "
	    "WHERE org_id = 1 AND kind = 'ai-systems'"), 0);
	assert_int_equal(next, ROWS_BIG + 1);
	print_message("imported %d rows in %lld ms\n", ROWS_BIG,
	    (long long)(clock_mono_usec() - t0) / 1000);
	json_decref(rows);
	json_decref(refs);
	buf_free(&b);
}

static void
test_import__command_lists_rows(void **state)
{
	const char *bin = getenv("AIMS_TEST_BIN");
	struct buf out = BUF_INIT;
	char line[512];
	FILE *f, *p;
	int status;

	if (bin == NULL)
		skip();
	fx_close(*state);
	*state = NULL;
	f = fopen("bad.csv", "w");
	fputs("name,lifecycle_stage\nok,deployment\nbad,beta\n,inception\n", f);
	fclose(f);
	snprintf(line, sizeof(line), "%s import ai-systems bad.csv --org acme "
	    "--as alice@example.org --db import.db 2>&1", bin);
	p = popen(line, "r");
	while (fgets(line, sizeof(line), p))
		buf_puts(&out, line);
	status = pclose(p);
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_non_null(strstr(buf_str(&out), "row 3, field lifecycle_stage: "));
	assert_non_null(strstr(buf_str(&out), "row 4, field name: "));
	assert_non_null(strstr(buf_str(&out), "nothing was imported"));
	buf_free(&out);
	snprintf(line, sizeof(line), "%s record list ai-systems --org acme --db import.db "
	    "--format csv", bin);
	p = popen(line, "r");
	assert_non_null(fgets(line, sizeof(line), p));	/* header only */
	assert_null(fgets(line, sizeof(line), p));
	pclose(p);
}

static int
teardown_maybe(void **state)
{
	if (*state)
		fx_close(*state);
	return 0;
}

/* Parses a readings CSV given as a string; 0 or the error, *out the readings. */
static int
readings_of(json_t **out, const char *csv)
{
	return import_readings_csv(out, csv, strlen(csv));
}

static void
test_import__readings_csv(void **state)
{
	static const char *const refused[] = {
		"at,value\n2026-01-02T03:04:05Z,x\n",		/* not a number */
		"at,value\n2026-01-02T03:04:05Z,1,2\n",	/* three columns */
		"at,value\n2026-01-02T03:04:05Z\n",		/* one */
		"when,value\n",				/* not the header */
		"",						/* nothing */
		"at,value\n2026-01-02T03:04:05Z,inf\n",	/* not finite */
	};
	json_t *r = NULL;
	size_t i;

	(void)state;
	/* Either column order, CRLF, quotes, spaces and blank lines. */
	assert_int_equal(readings_of(&r, "at,value\r\n2026-01-02T03:04:05Z,1.5\r\n\r\n"
	    " \"2026-01-03T00:00:00Z\" , \"-2\"\n"), 0);
	assert_int_equal(json_array_size(r), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(r, 1), "at")),
	    "2026-01-03T00:00:00Z");
	assert_true(json_real_value(json_object_get(json_array_get(r, 1), "value")) == -2.0);
	json_decref(r);
	assert_int_equal(readings_of(&r, "value,at\n7,2026-01-02T03:04:05Z"), 0);
	assert_true(json_real_value(json_object_get(json_array_get(r, 0), "value")) == 7.0);
	json_decref(r);
	/* Refused whole: nothing is handed back. */
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_int_equal(readings_of(&r, refused[i]), AIMS_EINVALID);
		assert_null(r);
	}
}

/*
 * Nothing read differently from what was sent: a cell longer than any time
 * or number was cut to its first 63 bytes (a long number became another
 * number), and a time that is not UTF-8 made its reading vanish from the
 * push while the push succeeded. Both are refused now, naming the line.
 */
static void
test_import__readings_csv_refuses_what_it_would_change(void **state)
{
	char csv[256];
	json_t *r = NULL;

	(void)state;
	snprintf(csv, sizeof(csv), "at,value\n2026-01-02T03:04:05Z,0.%070d1\n", 0);
	assert_int_equal(readings_of(&r, csv), AIMS_EINVALID);
	assert_null(r);
	assert_non_null(strstr(aims_error_message(), "line 2"));
	assert_int_equal(readings_of(&r, "at,value\n2026-01-02T03:04:05Z,1\n"
	    "2026-01-02T03:\xff:05Z,2\n"), AIMS_EINVALID);
	assert_null(r);
	assert_non_null(strstr(aims_error_message(), "line 3"));
	/* The longest cell that fits is read whole. */
	snprintf(csv, sizeof(csv), "at,value\n2026-01-02T03:04:05Z,1.%061d\n", 0);
	assert_int_equal(readings_of(&r, csv), 0);
	assert_true(json_real_value(json_object_get(json_array_get(r, 0), "value")) == 1.0);
	json_decref(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import__good_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import__bad_rows_all_listed_nothing_kept, setup,
		    teardown),
		cmocka_unit_test(test_import__header_and_shape_problems),
		cmocka_unit_test(test_import__readings_csv),
		cmocka_unit_test(test_import__readings_csv_refuses_what_it_would_change),
		cmocka_unit_test_setup_teardown(test_import__json_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import__ten_thousand_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import__command_lists_rows, setup,
		    teardown_maybe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
