/*
 * test_guard.c - unit tests for src/http/guard.c: the raw request target
 * check (framing and the header deadline are tested against the running
 * server in tests/e2e/http_smuggling and http_slowloris).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "http/guard.h"
#include "util/error.h"

static void
test_guard__target_refuses_an_encoded_nul(void **state)
{
	(void)state;
	assert_int_equal(guard_check_target("/api/v1/orgs/acme/members"), 0);
	assert_int_equal(guard_check_target("/o/acme/risks?q=50%25%20off&x=%0A"), 0);
	assert_int_equal(guard_check_target("/a%2500b"), 0);	/* "%25" then "00": a literal % */
	assert_int_equal(guard_check_target(NULL), 0);
	assert_int_equal(guard_check_target("/api/v1/orgs/acme%00/members"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "%00"));
	assert_string_equal(aims_error_field(), "path");
	assert_int_equal(guard_check_target("/x?name=a%00.pdf"), AIMS_EINVALID);
	assert_int_equal(guard_check_target("/%00"), AIMS_EINVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guard__target_refuses_an_encoded_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
