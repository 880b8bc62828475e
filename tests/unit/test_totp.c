/* test_totp.c - unit tests for src/core/totp.c: set-up, codes once, recovery codes, the ledger state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <liboath/oath.h>

#include "core/org.h"
#include "core/session.h"
#include "core/totp.h"
#include "core/user.h"
#include "testutil.h"

#define T0	1800000010	/* a fixed "now", 10 s into a 30 s step */

struct fx {
	struct db	*db;
	int64_t		 uid;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct actor cli = ACTOR_CLI;

	setenv("AIMS_FAST_HASH", "1", 1);
	if (f == NULL || testutil_open_db(&f->db, "totp.db") != 0 || oath_init() != OATH_OK ||
	    user_add(&f->uid, f->db, &cli, "tia@example.com", "Tia", "a long password 1") != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	testutil_close_db(f->db);
	free(f);
	return 0;
}

/* The code an authenticator holding b32 shows at time t. */
static void
code_at(char out[TOTP_DIGITS + 1], const char *b32, time_t t)
{
	char *secret = NULL;
	size_t n = 0;

	assert_int_equal(oath_base32_decode(b32, strlen(b32), &secret, &n), OATH_OK);
	assert_int_equal(oath_totp_generate(secret, n, t, TOTP_STEP_SEC, 0, TOTP_DIGITS, out),
	    OATH_OK);
	free(secret);
}

static void
enable(struct fx *f, char b32[TOTP_SECRET_B32_MAX],
    char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1])
{
	struct actor self = { f->uid, "user:tia@example.com", ROLE_NONE };
	char uri[TOTP_URI_MAX], code[TOTP_DIGITS + 1];

	assert_int_equal(totp_setup(b32, uri, f->db, f->uid, "tia@example.com", true), 0);
	assert_non_null(strstr(uri, "otpauth://totp/OpenAIMS:tia%40example.com?secret="));
	assert_non_null(strstr(uri, b32));
	code_at(code, b32, T0);
	assert_int_equal(totp_enable(codes, f->db, &self, f->uid, code, 0, T0), 0);
}

static void
test_totp__setup_needs_a_matching_code(void **state)
{
	struct fx *f = *state;
	struct actor self = { f->uid, "user:tia@example.com", ROLE_NONE };
	char b32[TOTP_SECRET_B32_MAX], again[TOTP_SECRET_B32_MAX], uri[TOTP_URI_MAX];
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1], code[TOTP_DIGITS + 1];
	bool on = true;

	assert_int_equal(totp_setup(b32, uri, f->db, f->uid, "tia@example.com", true), 0);
	assert_int_equal(strlen(b32), 32);	/* 160 bits */
	assert_int_equal(totp_setup(again, uri, f->db, f->uid, "tia@example.com", false), 0);
	assert_string_equal(again, b32);
	code_at(code, b32, T0 + 10 * TOTP_STEP_SEC);
	assert_int_equal(totp_enable(codes, f->db, &self, f->uid, code, 0, T0), AIMS_EINVALID);
	assert_int_equal(totp_enabled(&on, f->db, f->uid), 0);
	assert_false(on);
	assert_int_equal(totp_verify(f->db, f->uid, code, T0), AIMS_EUNAUTH);
}

static void
test_totp__a_code_works_once(void **state)
{
	struct fx *f = *state;
	char b32[TOTP_SECRET_B32_MAX], codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	char now[TOTP_DIGITS + 1], next[TOTP_DIGITS + 1], far[TOTP_DIGITS + 1];
	bool on = false;

	enable(f, b32, codes);
	assert_int_equal(totp_enabled(&on, f->db, f->uid), 0);
	assert_true(on);
	/* The enabling code's step is spent; the next one (within the window) is not. */
	code_at(now, b32, T0);
	code_at(next, b32, T0 + TOTP_STEP_SEC);
	code_at(far, b32, T0 + 3 * TOTP_STEP_SEC);
	assert_int_equal(totp_verify(f->db, f->uid, now, T0), AIMS_EUNAUTH);
	assert_int_equal(totp_verify(f->db, f->uid, far, T0), AIMS_EUNAUTH);
	assert_int_equal(totp_verify(f->db, f->uid, next, T0), 0);
	assert_int_equal(totp_verify(f->db, f->uid, next, T0), AIMS_EUNAUTH);
	assert_int_equal(totp_verify(f->db, f->uid, now, T0 + TOTP_STEP_SEC), AIMS_EUNAUTH);
	assert_int_equal(totp_verify(f->db, f->uid, "12345", T0), AIMS_EUNAUTH);
	assert_int_equal(totp_verify(f->db, f->uid, "abcdef", T0), AIMS_EUNAUTH);
	assert_int_equal(totp_verify(f->db, f->uid, NULL, T0), AIMS_EUNAUTH);
}

static void
test_totp__recovery_codes_once_and_hashed(void **state)
{
	struct fx *f = *state;
	char b32[TOTP_SECRET_B32_MAX], codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	char upper[TOTP_RECOVERY_LEN + 1];
	int64_t n = -1;
	size_t i;

	enable(f, b32, codes);
	for (i = 0; i < TOTP_RECOVERY_COUNT; i++)
		assert_int_equal(strlen(codes[i]), TOTP_RECOVERY_LEN);
	assert_string_not_equal(codes[0], codes[1]);
	assert_int_equal(db_query_int64(&n, f->db, "SELECT count(*) FROM totp_recovery_codes"), 0);
	assert_int_equal(n, TOTP_RECOVERY_COUNT);
	/* Nothing stored is the code itself. */
	for (i = 0; i < TOTP_RECOVERY_COUNT; i++)
		assert_int_equal(testutil_rows_holding(f->db, "SELECT code_hash FROM "
		    "totp_recovery_codes", codes[i]), 0);
	for (i = 0; i < TOTP_RECOVERY_LEN; i++)
		upper[i] = codes[2][i] >= 'a' && codes[2][i] <= 'z' ? (char)(codes[2][i] - 32) :
		    codes[2][i];
	upper[TOTP_RECOVERY_LEN] = '\0';
	assert_int_equal(totp_verify(f->db, f->uid, upper, T0), 0);
	assert_int_equal(totp_verify(f->db, f->uid, codes[2], T0), AIMS_EUNAUTH);
	assert_int_equal(totp_verify(f->db, f->uid, "aaaa-bbbb-cccc-dddd", T0), AIMS_EUNAUTH);
}

static void
test_totp__ledger_state_only_when_on(void **state)
{
	struct fx *f = *state;
	char b32[TOTP_SECRET_B32_MAX], codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	struct actor cli = ACTOR_CLI;
	json_t *st = NULL;

	assert_int_equal(user_ledger_state(&st, f->db, "tia@example.com"), 0);
	assert_null(json_object_get(st, "second_factor"));
	json_decref(st);
	enable(f, b32, codes);
	assert_int_equal(user_ledger_state(&st, f->db, "tia@example.com"), 0);
	assert_int_equal(strlen(json_string_value(json_object_get(st, "second_factor"))), 64);
	assert_int_equal(strlen(json_string_value(json_object_get(st, "recovery_codes"))), 64);
	json_decref(st);
	assert_int_equal(totp_remove(f->db, &cli, "TIA@example.com"), 0);
	assert_int_equal(totp_remove(f->db, &cli, "tia@example.com"), AIMS_ENOTFOUND);
	assert_int_equal(user_ledger_state(&st, f->db, "tia@example.com"), 0);
	assert_null(json_object_get(st, "second_factor"));
	json_decref(st);
}

static void
test_totp__challenges_expire(void **state)
{
	struct fx *f = *state;
	char token[SESSION_TOKEN_LEN];
	int64_t uid = 0;

	assert_int_equal(totp_challenge_create(token, f->db, f->uid, "127.0.0.1", T0), 0);
	assert_int_equal(totp_challenge_find(&uid, f->db, token, T0 + 1), 0);
	assert_int_equal(uid, f->uid);
	assert_int_equal(totp_challenge_find(&uid, f->db, token, T0 + TOTP_CHALLENGE_SEC),
	    AIMS_ENOTFOUND);
	assert_int_equal(totp_challenge_find(&uid, f->db, "short", T0), AIMS_ENOTFOUND);
	assert_int_equal(totp_challenge_create(token, f->db, f->uid, "", T0), 0);
	assert_int_equal(totp_challenge_delete(f->db, token), 0);
	assert_int_equal(totp_challenge_find(&uid, f->db, token, T0), AIMS_ENOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_totp__setup_needs_a_matching_code, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_totp__a_code_works_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_totp__recovery_codes_once_and_hashed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_totp__ledger_state_only_when_on, setup, teardown),
		cmocka_unit_test_setup_teardown(test_totp__challenges_expire, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
