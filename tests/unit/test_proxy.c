/*
 * test_proxy.c - unit tests for src/http/proxy.c: parsing --trusted-proxy,
 * networks, and the client named by X-Forwarded-For.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "http/proxy.h"
#include "util/error.h"

static void
test_proxy__parses_addresses_networks_and_lists(void **state)
{
	struct proxy_list l;

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(proxy_add(&l, "10.0.0.1"), 0);
	assert_int_equal(proxy_add(&l, "192.168.0.0/16, fd00::/8"), 0);
	assert_int_equal(l.n, 3);
	assert_true(proxy_trusted(&l, "10.0.0.1"));
	assert_false(proxy_trusted(&l, "10.0.0.2"));
	assert_true(proxy_trusted(&l, "192.168.200.7"));
	assert_true(proxy_trusted(&l, "::ffff:192.168.1.1"));
	assert_true(proxy_trusted(&l, "fd12:3456::1"));
	assert_false(proxy_trusted(&l, "fe80::1"));
	assert_false(proxy_trusted(&l, "not an address"));
	assert_int_equal(proxy_add(&l, "10.0.0.0/33"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "--trusted-proxy"));
	assert_int_equal(proxy_add(&l, "example.com"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "example.com"));
	assert_int_equal(proxy_add(&l, " , "), AIMS_EINVALID);
}

static void
test_proxy__right_most_untrusted_address_is_the_client(void **state)
{
	struct proxy_list l;
	char out[PROXY_ADDR_MAX];

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(proxy_add(&l, "127.0.0.1,10.0.0.0/8"), 0);
	/* The client's own claim on the left is ignored. */
	proxy_client(out, &l, "127.0.0.1", "1.2.3.4, 203.0.113.9");
	assert_string_equal(out, "203.0.113.9");
	/* Trusted hops on the right are skipped. */
	proxy_client(out, &l, "127.0.0.1", "203.0.113.9,10.1.2.3 , 10.0.0.5");
	assert_string_equal(out, "203.0.113.9");
	/* From an untrusted peer the header means nothing. */
	proxy_client(out, &l, "198.51.100.1", "203.0.113.9");
	assert_string_equal(out, "198.51.100.1");
	/* No header, or garbage where the client should be: the last trusted hop. */
	proxy_client(out, &l, "127.0.0.1", NULL);
	assert_string_equal(out, "127.0.0.1");
	proxy_client(out, &l, "127.0.0.1", "203.0.113.9, junk, 10.0.0.5");
	assert_string_equal(out, "10.0.0.5");
	/* Only trusted hops: the left-most. */
	proxy_client(out, &l, "127.0.0.1", "10.0.0.7, 10.0.0.5");
	assert_string_equal(out, "10.0.0.7");
	/* One spelling per client. */
	proxy_client(out, &l, "127.0.0.1", "2001:DB8:0:0::1");
	assert_string_equal(out, "2001:db8::1");
	/* Without trusted proxies the peer is the client. */
	memset(&l, 0, sizeof(l));
	proxy_client(out, &l, "127.0.0.1", "203.0.113.9");
	assert_string_equal(out, "127.0.0.1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proxy__parses_addresses_networks_and_lists),
		cmocka_unit_test(test_proxy__right_most_untrusted_address_is_the_client),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
