/*
 * test_deliver.c - unit tests for what leaves the process (io/deliver.c,
 * util/conf.c): the addresses a webhook may not reach by default (loopback,
 * private, link-local, shared, reserved, IPv4 inside IPv6), the signature
 * against an HMAC-SHA256 computed here, and the settings file beside the
 * database (0600, one line per value, unknown keys refused).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/deliver.h"
#include "util/conf.h"
#include "util/error.h"

static bool
private4(const char *ip)
{
	struct sockaddr_in a = { .sin_family = AF_INET };

	assert_int_equal(inet_pton(AF_INET, ip, &a.sin_addr), 1);
	return deliver_address_private(&a);
}

static bool
private6(const char *ip)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };

	assert_int_equal(inet_pton(AF_INET6, ip, &a.sin6_addr), 1);
	return deliver_address_private(&a);
}

static void
test_deliver__private_addresses(void **state)
{
	static const char *const refused4[] = { "127.0.0.1", "10.1.2.3", "172.16.0.1",
		"172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
		"224.0.0.1", "255.255.255.255", "198.18.0.1", NULL };
	static const char *const allowed4[] = { "93.184.216.34", "8.8.8.8", "172.32.0.1",
		"100.128.0.1", "1.1.1.1", NULL };
	static const char *const refused6[] = { "::1", "::", "fe80::1", "fd00::1", "fc00::1",
		"ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", NULL };
	static const char *const allowed6[] = { "2001:4860:4860::8888", "::ffff:8.8.8.8",
		"2a00:1450:4001::1", NULL };
	const char *const *p;

	(void)state;
	for (p = refused4; *p; p++)
		assert_true(private4(*p));
	for (p = allowed4; *p; p++)
		assert_false(private4(*p));
	for (p = refused6; *p; p++)
		assert_true(private6(*p));
	for (p = allowed6; *p; p++)
		assert_false(private6(*p));
}

static void
test_deliver__signature(void **state)
{
	const char *secret = "whsec_test", *body = "{\"a\":1}";
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char sig[DELIVER_SIGNATURE_LEN], want[200], hex[65];

	(void)state;
	assert_true(sodium_init() >= 0);
	deliver_sign(sig, secret, 1700000000, body, strlen(body));
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"1700000000.{\"a\":1}", 18);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	snprintf(want, sizeof(want), "t=1700000000,v1=%s", hex);
	assert_string_equal(sig, want);
}

static void
test_deliver__settings_file(void **state)
{
	char v[CONF_VALUE_MAX];
	struct stat st;

	(void)state;
	unlink("conf.db.conf");
	assert_int_equal(conf_get(v, "conf.db", "smtp_url"), AIMS_ENOTFOUND);
	assert_int_equal(conf_set("conf.db", "smtp_url", "smtp://u:p@mail.example:587"), 0);
	assert_int_equal(conf_set("conf.db", "mail_from", "aims@example.org"), 0);
	assert_int_equal(conf_set("conf.db", "smtp_url", "smtps://u:q@mail.example"), 0);
	assert_int_equal(conf_get(v, "conf.db", "smtp_url"), 0);
	assert_string_equal(v, "smtps://u:q@mail.example");
	assert_int_equal(conf_get(v, "conf.db", "mail_from"), 0);
	assert_string_equal(v, "aims@example.org");
	assert_int_equal(stat("conf.db.conf", &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(conf_set("conf.db", "password", "x"), AIMS_EINVALID);
	assert_int_equal(conf_set("conf.db", "mail_from", "a@b\nsmtp_url=smtp://evil"),
	    AIMS_EINVALID);
	assert_int_equal(conf_set("conf.db", "mail_from", NULL), 0);
	assert_int_equal(conf_get(v, "conf.db", "mail_from"), AIMS_ENOTFOUND);
	/* The environment wins over the file. */
	setenv("AIMS_TEST_SMTP", "smtp://env.example", 1);
	assert_string_equal(conf_setting(v, "conf.db", "smtp_url", "AIMS_TEST_SMTP"),
	    "smtp://env.example");
	unsetenv("AIMS_TEST_SMTP");
	assert_string_equal(conf_setting(v, "conf.db", "smtp_url", "AIMS_TEST_SMTP"),
	    "smtps://u:q@mail.example");
	unlink("conf.db.conf");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deliver__private_addresses),
		cmocka_unit_test(test_deliver__signature),
		cmocka_unit_test(test_deliver__settings_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
