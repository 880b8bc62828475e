/* test_tenancy.c - unit tests for core/org, core/user, core/member. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/member.h"
#include "core/org.h"
#include "core/session.h"
#include "core/user.h"
#include "store/db.h"
#include "testutil.h"
#include "util/error.h"

static int
setup(void **state)
{
	struct db *db = NULL;

	setenv("AIMS_FAST_HASH", "1", 1);
	if (testutil_open_db(&db, "tenancy.db") != 0)
		return -1;
	*state = db;
	return 0;
}

static int
teardown(void **state)
{
	testutil_close_db(*state);
	return 0;
}

static int64_t
count(struct db *db, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(db_query_int64(&n, db, sql), 0);
	return n;
}

static void
test_tenancy__org_create_and_duplicate(void **state)
{
	struct db *db = *state;
	struct actor a = ACTOR_CLI;
	int64_t id = 0, id2 = 0, before;
	json_t *o = NULL;

	before = count(db, "SELECT count(*) FROM ledger_entries");
	assert_int_equal(org_create(&id, db, &a, "acme", "Acme AI"), 0);
	assert_true(id > 0);
	/* The org, its 38 Statement of Applicability entries and its risk criteria. */
	assert_int_equal(count(db, "SELECT count(*) FROM ledger_entries"), before + 1 + 38 + 1);
	assert_int_equal(org_id_by_slug(&id2, db, "acme"), 0);
	assert_int_equal(id, id2);
	assert_int_equal(org_create(NULL, db, &a, "acme", "Again"), AIMS_EEXISTS);
	assert_string_equal(aims_error_field(), "slug");
	assert_int_equal(org_create(NULL, db, &a, "Bad Slug", "x"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "slug");
	assert_int_equal(org_create(NULL, db, &a, "okslug", ""), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "name");
	/* Nothing half-written by the failures. */
	/* The org, its 38 Statement of Applicability entries and its risk criteria. */
	assert_int_equal(count(db, "SELECT count(*) FROM ledger_entries"), before + 1 + 38 + 1);
	assert_int_equal(org_get(&o, db, id), 0);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "Acme AI");
	json_decref(o);
}

static void
test_tenancy__org_update_checks_version_and_roles(void **state)
{
	struct db *db = *state;
	struct actor a = ACTOR_CLI;
	json_t *roles = json_pack("[s,s]", "provider", "customer"), *bad = json_pack("[s]", "x");
	json_t *o = NULL;
	int64_t id;

	assert_int_equal(org_create(&id, db, &a, "upd", "Upd"), 0);
	assert_int_equal(org_update(&o, db, &a, id, 1, "Updated", roles), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "version")), 2);
	json_decref(o);
	assert_int_equal(org_update(NULL, db, &a, id, 1, "Stale", NULL), AIMS_ESTALE);
	assert_int_equal(org_update(NULL, db, &a, id, 0, NULL, bad), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "ai_roles");
	json_decref(roles);
	json_decref(bad);
}

static void
test_tenancy__password_policy_and_hash(void **state)
{
	struct db *db = *state;
	struct actor a = ACTOR_CLI;
	char pw[USER_GENERATED_PASSWORD_LEN + 1], token[SESSION_TOKEN_LEN];
	struct session sess;
	int64_t id = 0, id2 = 0;
	char *hash;

	assert_int_equal(user_add(NULL, db, &a, "short@x.org", NULL, "elevenchars"),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "password");
	assert_int_equal(user_add(NULL, db, &a, "not-an-email", NULL, "long enough pw"),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "email");
	assert_int_equal(user_add(&id, db, &a, "Ann@Example.org", "Ann", "correct horse battery"),
	    0);
	assert_int_equal(user_add(NULL, db, &a, "ann@example.org", "Dup", "another password"),
	    AIMS_EEXISTS);
	/* Stored as argon2id, never in clear. */
	{
		struct db_stmt *st;

		assert_int_equal(db_prepare(&st, db,
		    "SELECT password_hash FROM users WHERE email = 'ann@example.org'"), 0);
		assert_int_equal(db_step(st), DB_ROW);
		hash = strdup(db_column_text(st, 0));
		db_done(st);
	}
	assert_non_null(strstr(hash, "$argon2id$"));
	assert_null(strstr(hash, "horse"));
	free(hash);
	assert_int_equal(user_authenticate(&id2, db, "ann@example.org", "correct horse battery"), 0);
	assert_int_equal(id, id2);
	assert_int_equal(user_authenticate(NULL, db, "ann@example.org", "wrong password!!"),
	    AIMS_EUNAUTH);
	assert_string_equal(aims_error_message(), "wrong email or password");
	{
		int64_t before = user_password_verifications();

		assert_int_equal(user_authenticate(NULL, db, "nobody@example.org",
		    "whatever pass"), AIMS_EUNAUTH);
		/* The unknown account still costs one verification: no timing oracle. */
		assert_int_equal(user_password_verifications(), before + 1);
	}
	assert_string_equal(aims_error_message(), "wrong email or password");
	assert_int_equal(session_create(token, &sess, db, id, "", time(NULL)), 0);
	assert_int_equal(session_lookup(&sess, db, token, time(NULL)), 0);
	assert_int_equal(user_set_password(db, &a, "ann@example.org", "a brand new password"), 0);
	assert_int_equal(user_authenticate(NULL, db, "ann@example.org", "correct horse battery"),
	    AIMS_EUNAUTH);
	/* A session opened with the old password ends with it. */
	assert_int_equal(session_lookup(&sess, db, token, time(NULL)), AIMS_ENOTFOUND);
	user_generate_password(pw);
	assert_int_equal(strlen(pw), USER_GENERATED_PASSWORD_LEN);
	assert_int_equal(user_check_password_policy(pw), 0);
}

static void
test_tenancy__membership_and_last_admin(void **state)
{
	struct db *db = *state;
	struct actor a = ACTOR_CLI;
	int64_t org, uid;
	enum role r;
	json_t *list = NULL, *orgs = NULL;

	assert_int_equal(org_create(&org, db, &a, "team", "Team"), 0);
	assert_int_equal(user_add(&uid, db, &a, "boss@team.org", "Boss", "boss password 1"), 0);
	assert_int_equal(user_add(NULL, db, &a, "dev@team.org", "Dev", "dev password 12"), 0);
	assert_int_equal(member_add(db, &a, org, "boss@team.org", ROLE_ADMIN), 0);
	assert_int_equal(member_add(db, &a, org, "dev@team.org", ROLE_CONTRIBUTOR), 0);
	assert_int_equal(member_add(db, &a, org, "dev@team.org", ROLE_VIEWER), AIMS_EEXISTS);
	assert_int_equal(member_add(db, &a, org, "ghost@team.org", ROLE_VIEWER), AIMS_ENOTFOUND);
	assert_int_equal(member_role(&r, db, org, uid), 0);
	assert_int_equal(r, ROLE_ADMIN);
	/* The only admin can be neither demoted nor removed. */
	assert_int_equal(member_set_role(db, &a, org, "boss@team.org", ROLE_VIEWER, 0),
	    AIMS_ECONFLICT);
	assert_int_equal(member_remove(db, &a, org, "boss@team.org", 0), AIMS_ECONFLICT);
	assert_int_equal(member_set_role(db, &a, org, "dev@team.org", ROLE_ADMIN, 1), 0);
	assert_int_equal(member_set_role(db, &a, org, "dev@team.org", ROLE_VIEWER, 1),
	    AIMS_ESTALE);
	assert_int_equal(member_remove(db, &a, org, "boss@team.org", 0), 0);
	assert_int_equal(member_role(&r, db, org, uid), AIMS_ENOTFOUND);
	assert_int_equal(member_list(&list, db, org), 0);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_int_equal(member_orgs_of_user(&orgs, db, uid), 0);
	assert_int_equal(json_array_size(orgs), 0);
	json_decref(orgs);
	{
		struct actor mgr = { 0, "user:mgr@team.org", ROLE_MANAGER };

		assert_int_equal(user_add(NULL, db, &a, "new@team.org", "New", "new password 12"), 0);
		/* Nobody grants, changes or removes a role higher than their own. */
		assert_int_equal(member_add(db, &mgr, org, "new@team.org", ROLE_ADMIN),
		    AIMS_EFORBIDDEN);
		assert_int_equal(member_remove(db, &mgr, org, "dev@team.org", 0), AIMS_EFORBIDDEN);
		assert_int_equal(member_add(db, &mgr, org, "new@team.org", ROLE_MANAGER), 0);
		assert_int_equal(member_set_role(db, &mgr, org, "new@team.org", ROLE_VIEWER, 0), 0);
	}
	assert_int_equal(role_parse(&r, "superuser"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "allowed: admin, manager"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tenancy__org_create_and_duplicate),
		cmocka_unit_test(test_tenancy__org_update_checks_version_and_roles),
		cmocka_unit_test(test_tenancy__password_policy_and_hash),
		cmocka_unit_test(test_tenancy__membership_and_last_admin),
	};

	return cmocka_run_group_tests_name("tenancy", tests, setup, teardown);
}
