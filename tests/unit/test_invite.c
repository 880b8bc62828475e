/* test_invite.c - unit tests for src/core/invite.c: links that work once, expire, and grant no more than the inviter holds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/invite.h"
#include "core/member.h"
#include "core/org.h"
#include "core/user.h"
#include "testutil.h"

#define T0	1800000000	/* a fixed "now" */

struct fx {
	struct db	*db;
	int64_t		 org;
	int64_t		 admin;
	int64_t		 manager;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct actor cli = ACTOR_CLI;

	setenv("AIMS_FAST_HASH", "1", 1);
	if (f == NULL || testutil_open_db(&f->db, "invite.db") != 0 ||
	    org_create(&f->org, f->db, &cli, "acme", "Acme") != 0 ||
	    user_add(&f->admin, f->db, &cli, "ada@example.com", "Ada", "a long password 1") != 0 ||
	    user_add(&f->manager, f->db, &cli, "max@example.com", "Max", "a long password 2") != 0 ||
	    member_add(f->db, &cli, f->org, "ada@example.com", ROLE_ADMIN) != 0 ||
	    member_add(f->db, &cli, f->org, "max@example.com", ROLE_MANAGER) != 0)
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

static struct actor
as(int64_t id, const char *name, enum role role)
{
	return (struct actor){ id, name, role };
}

static void
test_invite__accept_once_creates_account_and_membership(void **state)
{
	struct fx *f = *state;
	struct actor ada = as(f->admin, "user:ada@example.com", ROLE_ADMIN);
	char token[INVITE_TOKEN_LEN], *slug = NULL;
	json_t *inv = NULL, *list = NULL;
	int64_t uid = 0, n = 0;
	enum role role;

	assert_int_equal(invite_create(token, f->db, &ada, f->org, "New@Example.com", ROLE_AUDITOR,
	    T0), 0);
	assert_int_equal(strlen(token), INVITE_TOKEN_LEN - 1);
	/* Only the hash is stored. */
	assert_int_equal(db_query_int64(&n, f->db, "SELECT count(*) FROM invites WHERE "
	    "length(token_hash) = 32 AND email = 'new@example.com'"), 0);
	assert_int_equal(n, 1);
	assert_int_equal(invite_list(&list, f->db, f->org, T0), 0);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_int_equal(invite_find(&inv, f->db, token, T0 + 1), 0);
	assert_string_equal(json_string_value(json_object_get(inv, "email")), "new@example.com");
	assert_false(json_is_true(json_object_get(inv, "has_account")));
	json_decref(inv);
	/* A refused password keeps the link usable. */
	assert_int_equal(invite_accept(&slug, &uid, f->db, token, 0, "New", "short", T0 + 2),
	    AIMS_EINVALID);
	assert_int_equal(invite_accept(&slug, &uid, f->db, token, 0, "New", "a long password 3",
	    T0 + 3), 0);
	assert_string_equal(slug, "acme");
	free(slug);
	assert_int_equal(member_role(&role, f->db, f->org, uid), 0);
	assert_int_equal(role, ROLE_AUDITOR);
	/* Once. */
	assert_int_equal(invite_accept(&slug, &uid, f->db, token, 0, "Again", "a long password 4",
	    T0 + 4), AIMS_ENOTFOUND);
	assert_int_equal(invite_find(&inv, f->db, token, T0 + 5), AIMS_ENOTFOUND);
}

static void
test_invite__expires_and_is_withdrawn(void **state)
{
	struct fx *f = *state;
	struct actor ada = as(f->admin, "user:ada@example.com", ROLE_ADMIN);
	char a[INVITE_TOKEN_LEN], b[INVITE_TOKEN_LEN], *slug = NULL;
	json_t *inv = NULL, *list = NULL;
	int64_t uid = 0;

	assert_int_equal(invite_create(a, f->db, &ada, f->org, "late@example.com", ROLE_VIEWER, T0),
	    0);
	assert_int_equal(invite_find(&inv, f->db, a, T0 + INVITE_TTL_SEC), AIMS_ENOTFOUND);
	assert_int_equal(invite_accept(&slug, &uid, f->db, a, 0, "L", "a long password 5",
	    T0 + INVITE_TTL_SEC + 1), AIMS_ENOTFOUND);
	assert_int_equal(invite_create(b, f->db, &ada, f->org, "gone@example.com", ROLE_VIEWER, T0),
	    0);
	assert_int_equal(invite_list(&list, f->db, f->org, T0), 0);
	assert_int_equal(invite_withdraw(f->db, f->org, json_integer_value(json_object_get(
	    json_array_get(list, 0), "id"))), 0);
	json_decref(list);
	assert_int_equal(invite_find(&inv, f->db, b, T0 + 1), AIMS_ENOTFOUND);
	/* Another organisation's id is not found. */
	assert_int_equal(invite_withdraw(f->db, f->org + 1000, 1), AIMS_ENOTFOUND);
}

static void
test_invite__role_capped_and_rechecked_at_accept(void **state)
{
	struct fx *f = *state;
	struct actor max = as(f->manager, "user:max@example.com", ROLE_MANAGER);
	struct actor ada = as(f->admin, "user:ada@example.com", ROLE_ADMIN);
	char token[INVITE_TOKEN_LEN], *slug = NULL;
	int64_t uid = 0;

	assert_int_equal(invite_create(token, f->db, &max, f->org, "boss@example.com", ROLE_ADMIN,
	    T0), AIMS_EFORBIDDEN);
	assert_string_equal(aims_error_field(), "role");
	assert_int_equal(invite_create(token, f->db, &max, f->org, "mgr@example.com", ROLE_MANAGER,
	    T0), 0);
	/* Max is demoted before the link is used: it may no longer grant manager. */
	assert_int_equal(member_set_role(f->db, &ada, f->org, "max@example.com", ROLE_VIEWER, 0), 0);
	assert_int_equal(invite_accept(&slug, &uid, f->db, token, 0, "M", "a long password 6",
	    T0 + 1), AIMS_EFORBIDDEN);
	assert_int_equal(user_id_by_email(&uid, f->db, "mgr@example.com"), AIMS_ENOTFOUND);
	/* An existing member is not invited again. */
	assert_int_equal(invite_create(token, f->db, &ada, f->org, "max@example.com", ROLE_VIEWER,
	    T0), AIMS_EEXISTS);
	assert_int_equal(invite_create(token, f->db, &ada, f->org, "not an address", ROLE_VIEWER,
	    T0), AIMS_EINVALID);
}

static void
test_invite__existing_account_must_be_signed_in_as_it(void **state)
{
	struct fx *f = *state;
	struct actor ada = as(f->admin, "user:ada@example.com", ROLE_ADMIN), cli = ACTOR_CLI;
	char token[INVITE_TOKEN_LEN], *slug = NULL;
	int64_t eve = 0, kim = 0, uid = 0;
	enum role role;

	assert_int_equal(user_add(&kim, f->db, &cli, "kim@example.com", "Kim", "a long password 7"),
	    0);
	assert_int_equal(user_add(&eve, f->db, &cli, "eve@example.com", "Eve", "a long password 8"),
	    0);
	assert_int_equal(invite_create(token, f->db, &ada, f->org, "kim@example.com",
	    ROLE_CONTRIBUTOR, T0), 0);
	assert_int_equal(invite_accept(&slug, &uid, f->db, token, 0, "K", "a long password 9",
	    T0 + 1), AIMS_EFORBIDDEN);
	assert_int_equal(invite_accept(&slug, &uid, f->db, token, eve, NULL, NULL, T0 + 1),
	    AIMS_EFORBIDDEN);
	assert_int_equal(member_role(&role, f->db, f->org, eve), AIMS_ENOTFOUND);
	/* The refusals rolled back: the link still works for its owner. */
	assert_int_equal(invite_accept(&slug, &uid, f->db, token, kim, NULL, NULL, T0 + 2), 0);
	free(slug);
	assert_int_equal(member_role(&role, f->db, f->org, kim), 0);
	assert_int_equal(role, ROLE_CONTRIBUTOR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_invite__accept_once_creates_account_and_membership,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_invite__expires_and_is_withdrawn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invite__role_capped_and_rechecked_at_accept,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_invite__existing_account_must_be_signed_in_as_it,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
