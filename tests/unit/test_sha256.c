/* test_sha256.c - the Merkle tree's SHA-256 and the streaming form, both paths, against libsodium. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "ledger/sha256.h"

#define LEN_MAX	700	/* > 10 blocks: every padding case and multi-block inputs */

static int
setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static void
check_against_libsodium(void)
{
	static uint8_t data[LEN_MAX];
	uint8_t got[SHA256_LEN], want[SHA256_LEN];
	size_t len, split;

	randombytes_buf(data, sizeof(data));
	for (len = 0; len < LEN_MAX; len++) {
		crypto_hash_sha256(want, data, len);
		for (split = 0; split <= len; split += (len < 130 ? 1 : 61)) {
			sha256_concat(got, data, split, data + split, len - split);
			assert_memory_equal(got, want, SHA256_LEN);
		}
	}
}

static void
test_sha256__known_vectors(void **state)
{
	uint8_t got[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	int hw;

	(void)state;
	for (hw = 0; hw < 2; hw++) {
		sha256_set_hardware(hw);
		sha256_concat(got, "a", 1, "bc", 2);
		sodium_bin2hex(hex, sizeof(hex), got, sizeof(got));
		assert_string_equal(hex,
		    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		sha256_concat(got, NULL, 0, NULL, 0);
		sodium_bin2hex(hex, sizeof(hex), got, sizeof(got));
		assert_string_equal(hex,
		    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
		sha256_concat(got, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnop", 52,
		    "nopq", 4);
		sodium_bin2hex(hex, sizeof(hex), got, sizeof(got));
		assert_string_equal(hex,
		    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	}
	sha256_set_hardware(1);
}

static void
test_sha256__portable_path_matches_libsodium(void **state)
{
	(void)state;
	sha256_set_hardware(0);
	assert_int_equal(sha256_hardware(), 0);
	check_against_libsodium();
	sha256_set_hardware(1);
}

/* Runs the SHA-extension path when this CPU has it (skipped otherwise). */
static void
test_sha256__hardware_path_matches_libsodium(void **state)
{
	(void)state;
	sha256_set_hardware(1);
	if (!sha256_hardware())
		skip();
	check_against_libsodium();
}

/* The streaming form, fed in pieces of every size up to a few blocks, both paths. */
static void
test_sha256__streaming_matches_libsodium(void **state)
{
	static uint8_t data[LEN_MAX * 4];
	uint8_t got[SHA256_LEN], want[SHA256_LEN];
	struct sha256_ctx c;
	size_t len, piece, off;
	int hw;

	(void)state;
	randombytes_buf(data, sizeof(data));
	for (hw = 0; hw <= 1; hw++) {
		sha256_set_hardware(hw);
		for (len = 0; len < sizeof(data); len += 1 + len / 3) {
			crypto_hash_sha256(want, data, len);
			for (piece = 1; piece <= 200; piece += 7) {
				sha256_init(&c);
				for (off = 0; off < len; off += piece)
					sha256_update(&c, data + off, len - off < piece ? len - off : piece);
				sha256_final(got, &c);
				assert_memory_equal(got, want, SHA256_LEN);
			}
		}
	}
	sha256_set_hardware(1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256__known_vectors),
		cmocka_unit_test(test_sha256__portable_path_matches_libsodium),
		cmocka_unit_test(test_sha256__hardware_path_matches_libsodium),
		cmocka_unit_test(test_sha256__streaming_matches_libsodium),
	};

	return cmocka_run_group_tests_name("sha256", tests, setup, NULL);
}
