/* test_justify.c - unit tests for src/core/justify.c: what counts as a justification. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/justify.h"
#include "util/error.h"

static void
test_justify__placeholders_and_short_texts_refused(void **state)
{
	static const char *const empty[] = { "", "   ", "N/A", "n/a.", " - ", "none", "NONE!",
	    "Not applicable", "not relevant", "TBD", "x", "Needed", "see above",
	    "--------------", "\u00e9t\u00e9 ok", NULL };
	size_t i;

	(void)state;
	assert_false(justify_ok(NULL));
	for (i = 0; empty[i]; i++)
		if (justify_ok(empty[i]))
			fail_msg("\"%s\" was taken for a justification", empty[i]);
}

static void
test_justify__real_reasons_accepted(void **state)
{
	(void)state;
	assert_true(justify_ok("We provide no AI system to customers"));
	assert_true(justify_ok("Not used: no AI system in scope trains on data"));
	/* Ten characters, counted as characters, not bytes. */
	assert_true(justify_ok("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"));
	assert_false(justify_ok("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"));
}

static void
test_justify__errors_name_the_field_and_say_why(void **state)
{
	(void)state;
	assert_int_equal(justify_check("justification", "N/A", "the control is excluded"),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "justification");
	assert_non_null(strstr(aims_error_message(), "\"N/A\" is not a justification"));
	assert_int_equal(justify_check("scope_justification", "short", "it is left out"),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "scope_justification");
	assert_non_null(strstr(aims_error_message(), "at least 10 characters"));
	assert_int_equal(justify_check("justification", NULL, "it is left out"), AIMS_EINVALID);
	assert_int_equal(justify_check("justification", "Run by our cloud provider", "x"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_justify__placeholders_and_short_texts_refused),
		cmocka_unit_test(test_justify__real_reasons_accepted),
		cmocka_unit_test(test_justify__errors_name_the_field_and_say_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
