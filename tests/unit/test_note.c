/* test_note.c - signed notes, note keys and checkpoints, with fixed vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "ledger/merkle.h"
#include "ledger/note.h"
#include "util/buf.h"
#include "util/error.h"

/* The example of the Go golang.org/x/mod/sumdb/note package documentation. */
#define GO_SKEY	"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define GO_VKEY	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define GO_TEXT	"If you think cryptography is the answer to your problem,\n" \
		"then you don't know what your problem is.\n"
#define GO_NOTE	GO_TEXT "\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcEl" \
		"ZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

/* Our own: seed 00..1f, key name "openaims", the 8-leaf CT tree's root. */
#define OUR_VKEY "openaims+bb76d337+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"
#define OUR_SKEY "PRIVATE+KEY+openaims+bb76d337+AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f"
#define OUR_TEXT "openaims/1\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
#define OUR_NOTE OUR_TEXT "\n\xe2\x80\x94 openaims u3bTNzhWMMlAa7oUbJQh3cyKLcrM5H4eN0Ri1KYp4G5OGG" \
		"FCoeagdSSjjd2yK4UixKbYlbP0ptxgt7i/CUq3TqruyQA=\n"

static int
setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static void
test_note__go_package_vector(void **state)
{
	struct note_signer s;
	struct note_verifier v;
	struct buf b = BUF_INIT;
	size_t tlen;

	(void)state;
	assert_int_equal(note_signer_parse(&s, GO_SKEY, strlen(GO_SKEY)), 0);
	assert_string_equal(s.v.name, "PeterNeumann");
	note_verifier_format(&b, &s.v);
	assert_string_equal(buf_str(&b), GO_VKEY);
	buf_reset(&b);
	note_signer_format(&b, &s);
	assert_string_equal(buf_str(&b), GO_SKEY);
	buf_reset(&b);
	assert_int_equal(note_sign(&b, GO_TEXT, strlen(GO_TEXT), &s), 0);
	assert_string_equal(buf_str(&b), GO_NOTE);
	assert_int_equal(note_verifier_parse(&v, GO_VKEY "\n", strlen(GO_VKEY) + 1), 0);
	assert_int_equal(note_verify(&tlen, GO_NOTE, strlen(GO_NOTE), &v), 0);
	assert_int_equal(tlen, strlen(GO_TEXT));
	buf_free(&b);
}

static void
test_note__fixed_seed_checkpoint_vector(void **state)
{
	static const uint8_t seed[NOTE_SEED_LEN] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
		22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
	};
	struct note_signer s;
	struct note_verifier v;
	struct merkle_hash root, got;
	struct buf b = BUF_INIT;
	char origin[NOTE_ORIGIN_MAX + 1];
	uint64_t size;
	size_t tlen;

	(void)state;
	assert_int_equal(note_signer_init(&s, "openaims", seed), 0);
	note_signer_format(&b, &s);
	assert_string_equal(buf_str(&b), OUR_SKEY);
	buf_reset(&b);
	note_verifier_format(&b, &s.v);
	assert_string_equal(buf_str(&b), OUR_VKEY);
	buf_reset(&b);
	sodium_hex2bin(root.h, sizeof(root.h),
	    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", 64, NULL, NULL,
	    NULL);
	note_checkpoint_text(&b, "openaims/1", 8, &root);
	assert_string_equal(buf_str(&b), OUR_TEXT);
	buf_reset(&b);
	assert_int_equal(note_sign(&b, OUR_TEXT, strlen(OUR_TEXT), &s), 0);
	assert_string_equal(buf_str(&b), OUR_NOTE);
	assert_int_equal(note_checkpoint_parse(origin, &size, &got, OUR_TEXT, strlen(OUR_TEXT)), 0);
	assert_string_equal(origin, "openaims/1");
	assert_int_equal(size, 8);
	assert_memory_equal(got.h, root.h, MERKLE_HASH_LEN);
	assert_int_equal(note_verifier_parse(&v, OUR_VKEY, strlen(OUR_VKEY)), 0);
	assert_int_equal(note_verify(&tlen, OUR_NOTE, strlen(OUR_NOTE), &v), 0);
	assert_int_equal(tlen, strlen(OUR_TEXT));
	buf_free(&b);
}

static void
test_note__modified_note_is_rejected(void **state)
{
	struct note_verifier v, other;
	char note[sizeof(OUR_NOTE)];
	size_t tlen, i;

	(void)state;
	assert_int_equal(note_verifier_parse(&v, OUR_VKEY, strlen(OUR_VKEY)), 0);
	assert_int_equal(note_verifier_parse(&other, GO_VKEY, strlen(GO_VKEY)), 0);
	/* Flip one bit anywhere in the text: signature no longer holds. */
	for (i = 0; i + 1 < strlen(OUR_TEXT); i++) {
		memcpy(note, OUR_NOTE, sizeof(note));
		note[i] ^= 0x01;
		if (note[i] == '\n' || (unsigned char)note[i] < 0x20)
			continue;
		assert_int_equal(note_verify(&tlen, note, strlen(note), &v), AIMS_EVERIFY);
	}
	/* Changed tree size with the old signature. */
	memcpy(note, OUR_NOTE, sizeof(note));
	note[11] = '9';
	assert_int_equal(note_verify(&tlen, note, strlen(note), &v), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "bad signature"));
	/* Signed by someone else only. */
	assert_int_equal(note_verify(&tlen, GO_NOTE, strlen(GO_NOTE), &v), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "not signed by key openaims"));
	assert_int_equal(note_verify(&tlen, OUR_NOTE, strlen(OUR_NOTE), &other), AIMS_EVERIFY);
	/* Malformed notes. */
	assert_int_equal(note_verify(&tlen, OUR_TEXT, strlen(OUR_TEXT), &v), AIMS_EINVALID);
	assert_int_equal(note_verify(&tlen, "x\n\nnot a signature\n", 19, &v), AIMS_EINVALID);
	assert_int_equal(note_verify(&tlen, "a\x01\n\n\xe2\x80\x94 k AAAA\n", 14, &v),
	    AIMS_EINVALID);
}

static void
test_note__unknown_signatures_are_ignored(void **state)
{
	struct note_signer a, b;
	struct note_verifier va;
	struct buf n = BUF_INIT;
	uint8_t seed[NOTE_SEED_LEN] = { 7 };
	size_t tlen;

	(void)state;
	assert_int_equal(note_signer_init(&a, "log", seed), 0);
	seed[0] = 8;
	assert_int_equal(note_signer_init(&b, "witness", seed), 0);
	assert_int_equal(note_sign(&n, "hello\n", 6, &b), 0);
	/* Append a's signature line after b's, as a cosigned note would be. */
	{
		struct buf only = BUF_INIT;

		assert_int_equal(note_sign(&only, "hello\n", 6, &a), 0);
		buf_puts(&n, buf_str(&only) + 7);
		buf_free(&only);
	}
	va = a.v;
	assert_int_equal(note_verify(&tlen, buf_str(&n), n.len, &va), 0);
	assert_int_equal(tlen, 6);
	/* Same name, other key: not ours, so still unsigned. */
	assert_int_equal(note_signer_init(&b, "log", seed), 0);
	buf_reset(&n);
	assert_int_equal(note_sign(&n, "hello\n", 6, &b), 0);
	assert_int_equal(note_verify(&tlen, buf_str(&n), n.len, &va), AIMS_EVERIFY);
	buf_free(&n);
}

static void
test_note__bad_keys_and_checkpoints(void **state)
{
	struct note_signer s;
	struct note_verifier v;
	struct merkle_hash root;
	char origin[NOTE_ORIGIN_MAX + 1];
	uint64_t size;
	uint8_t seed[NOTE_SEED_LEN] = { 0 };

	(void)state;
	assert_int_equal(note_signer_init(&s, "has space", seed), AIMS_EINVALID);
	assert_int_equal(note_signer_init(&s, "a+b", seed), AIMS_EINVALID);
	assert_int_equal(note_signer_init(&s, "", seed), AIMS_EINVALID);
	assert_int_equal(note_signer_parse(&s, GO_VKEY, strlen(GO_VKEY)), AIMS_EINVALID);
	/* Wrong key id. */
	assert_int_equal(note_verifier_parse(&v, "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVk"
	    "mqq/LDE4izWy10TW", 66), AIMS_EINVALID);
	assert_int_equal(note_verifier_parse(&v, "PeterNeumann+c74f20a3+ARpc", 26), AIMS_EINVALID);
	assert_int_equal(note_checkpoint_parse(origin, &size, &root, "o\n8\n", 4), AIMS_EINVALID);
	assert_int_equal(note_checkpoint_parse(origin, &size, &root,
	    "o\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", 50), AIMS_EINVALID);
	assert_int_equal(note_checkpoint_parse(origin, &size, &root,
	    "o\n99999999999999999999\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", 66),
	    AIMS_EINVALID);
	assert_int_equal(note_checkpoint_parse(origin, &size, &root, "o\n8\nXcna\n", 9),
	    AIMS_EINVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_note__go_package_vector),
		cmocka_unit_test(test_note__fixed_seed_checkpoint_vector),
		cmocka_unit_test(test_note__modified_note_is_rejected),
		cmocka_unit_test(test_note__unknown_signatures_are_ignored),
		cmocka_unit_test(test_note__bad_keys_and_checkpoints),
	};

	return cmocka_run_group_tests_name("note", tests, setup, NULL);
}
