/* test_cli.c - unit tests for the CLI helpers: formats, listings, dispatch. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "util/error.h"

static char *
print_table(enum cli_format fmt)
{
	static const char *const cols[] = { "id", "title" };
	static const char *const r1[] = { "A.2.2", "AI policy" };
	static const char *const r2[] = { "A.3.3", "Say \"hi\", then\nleave" };
	struct cli_table *t = cli_table_new(2, cols);
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);

	cli_table_add(t, r1);
	cli_table_add(t, r2);
	cli_table_print(t, fmt, f);
	fclose(f);
	cli_table_free(t);
	return data;
}

static void
test_cli__formats_parse(void **state)
{
	enum cli_format f;

	(void)state;
	assert_int_equal(cli_parse_format(&f, "json"), 0);
	assert_int_equal(f, CLI_FORMAT_JSON);
	assert_int_equal(cli_parse_format(&f, "csv"), 0);
	assert_int_equal(f, CLI_FORMAT_CSV);
	assert_int_equal(cli_parse_format(&f, "yaml"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "allowed: text, json, csv"));
}

static void
test_cli__csv_quotes_per_rfc4180(void **state)
{
	char *s = print_table(CLI_FORMAT_CSV);

	(void)state;
	assert_string_equal(s, "id,title\r\nA.2.2,AI policy\r\n"
	    "A.3.3,\"Say \"\"hi\"\", then\nleave\"\r\n");
	free(s);
}

static void
test_cli__json_is_an_array_of_objects(void **state)
{
	char *s = print_table(CLI_FORMAT_JSON);
	json_t *v = json_loads(s, 0, NULL);

	(void)state;
	assert_non_null(v);
	assert_int_equal(json_array_size(v), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 1), "title")),
	    "Say \"hi\", then\nleave");
	json_decref(v);
	free(s);
}

static void
test_cli__text_aligns_columns(void **state)
{
	char *s = print_table(CLI_FORMAT_TEXT);

	(void)state;
	assert_non_null(strstr(s, "id     title\n"));
	assert_non_null(strstr(s, "A.2.2  AI policy\n"));
	assert_non_null(strstr(s, "A.3.3  Say \"hi\", then leave\n"));
	free(s);
}

static int called;

static int
sub_run(int argc, char **argv)
{
	called = argc;
	assert_string_equal(argv[0], "go");
	return CLI_OK;
}

static void
test_cli__dispatch(void **state)
{
	static const struct cli_command subs[] = {
		{ "go", "go somewhere", sub_run },
		{ NULL, NULL, NULL },
	};
	char *ok[] = { "grp", "go", "x", NULL }, *bad[] = { "grp", "stop", NULL };
	char *none[] = { "grp", NULL };

	(void)state;
	assert_int_equal(cli_dispatch("grp", subs, 3, ok, "usage: aims grp"), CLI_OK);
	assert_int_equal(called, 2);
	assert_int_equal(cli_dispatch("grp", subs, 2, bad, "usage: aims grp"), CLI_USAGE);
	assert_int_equal(cli_dispatch("grp", subs, 1, none, "usage: aims grp"), CLI_USAGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli__formats_parse),
		cmocka_unit_test(test_cli__csv_quotes_per_rfc4180),
		cmocka_unit_test(test_cli__json_is_an_array_of_objects),
		cmocka_unit_test(test_cli__text_aligns_columns),
		cmocka_unit_test(test_cli__dispatch),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
