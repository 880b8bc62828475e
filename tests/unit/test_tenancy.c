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
#include "core/token.h"
#include "core/user.h"
#include "store/db.h"
#include "testutil.h"
#include "util/clock.h"
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
	assert_int_equal(user_set_password(db, &a, "ann@example.org", "a brand new password", 0), 0);
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

/* Makes a token as the member uid (role `as`); returns its secret in out. */
static void
make_token(char out[TOKEN_TEXT_LEN], struct db *db, int64_t org, int64_t uid, const char *who,
    enum role as, enum role role)
{
	struct actor u = { uid, who, as };
	json_t *t = NULL;

	assert_int_equal(token_create(&t, db, org, &u, "ci", role, NULL), 0);
	snprintf(out, TOKEN_TEXT_LEN, "%s", json_string_value(json_object_get(t, "token")));
	json_decref(t);
}

/* A token acts with what both it and its creator may do, and dies with the membership. */
static void
test_tenancy__token_follows_its_creator(void **state)
{
	struct db *db = *state;
	struct actor a = ACTOR_CLI;
	char sec[TOKEN_TEXT_LEN], mine[TOKEN_TEXT_LEN], cli[TOKEN_TEXT_LEN];
	struct token_grant g;
	int64_t org, uid;
	json_t *t = NULL;

	assert_int_equal(org_create(&org, db, &a, "tok", "Tok"), 0);
	assert_int_equal(user_add(&uid, db, &a, "maker@tok.org", "Maker", "maker password 1"), 0);
	assert_int_equal(member_add(db, &a, org, "maker@tok.org", ROLE_MANAGER), 0);
	make_token(sec, db, org, uid, "user:maker@tok.org", ROLE_MANAGER, ROLE_MANAGER);
	make_token(mine, db, org, uid, "user:maker@tok.org", ROLE_MANAGER, ROLE_AUDITOR);
	assert_int_equal(token_create(&t, db, org, &a, "cli", ROLE_ADMIN, NULL), 0);
	snprintf(cli, sizeof(cli), "%s", json_string_value(json_object_get(t, "token")));
	json_decref(t);
	/* token_find() only reads: the caller writes the last use (token_touch). */
	assert_int_equal(token_find(&g, db, sec, 1000), 0);
	assert_true(g.touch);
	assert_int_equal(count(db, "SELECT count(*) FROM api_tokens WHERE last_used_at IS NOT NULL"),
	    0);
	assert_int_equal(token_authenticate(&g, db, sec, 1000), 0);
	assert_int_equal(g.role, ROLE_MANAGER);
	assert_int_equal(token_find(&g, db, sec, 1000 + TOKEN_USE_WRITE_SEC - 1), 0);
	assert_false(g.touch);
	assert_int_equal(token_find(&g, db, sec, 1000 + TOKEN_USE_WRITE_SEC), 0);
	assert_true(g.touch);
	/* Demoted: the token narrows at once, to what both roles allow. */
	assert_int_equal(member_set_role(db, &a, org, "maker@tok.org", ROLE_CONTRIBUTOR, 0), 0);
	assert_int_equal(token_authenticate(&g, db, sec, 1000), 0);
	assert_int_equal(g.role, ROLE_CONTRIBUTOR);
	assert_int_equal(g.token_role, ROLE_MANAGER);
	assert_int_equal(token_authenticate(&g, db, mine, 1000), 0);
	assert_int_equal(g.role, ROLE_VIEWER);	/* auditor meets contributor: viewer */
	/* A contributor cannot mint an auditor token: auditors write audits. */
	{
		struct actor c = { uid, "user:maker@tok.org", ROLE_CONTRIBUTOR };

		assert_int_equal(token_create(&t, db, org, &c, "x", ROLE_AUDITOR, NULL),
		    AIMS_EFORBIDDEN);
		assert_string_equal(aims_error_field(), "role");
	}
	/* Removed: every token they made in the organisation is revoked, in the ledger. */
	assert_int_equal(member_remove(db, &a, org, "maker@tok.org", 0), 0);
	assert_int_equal(token_authenticate(&g, db, sec, 1000), AIMS_EUNAUTH);
	assert_int_equal(token_authenticate(&g, db, mine, 1000), AIMS_EUNAUTH);
	assert_int_equal(count(db, "SELECT count(*) FROM api_tokens WHERE created_by IS NOT NULL "
	    "AND revoked_at IS NULL"), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM ledger_entries WHERE kind = 'token' "
	    "AND action = 'revoke'"), 2);
	/* Re-adding does not revive them; the CLI's token has no creator and lives on. */
	assert_int_equal(member_add(db, &a, org, "maker@tok.org", ROLE_MANAGER), 0);
	assert_int_equal(token_authenticate(&g, db, sec, 1000), AIMS_EUNAUTH);
	assert_int_equal(token_authenticate(&g, db, cli, 1000), 0);
	assert_int_equal(g.role, ROLE_ADMIN);
	/* A token whose creator left without the revocation (older data) stops too. */
	make_token(sec, db, org, uid, "user:maker@tok.org", ROLE_MANAGER, ROLE_VIEWER);
	assert_int_equal(db_exec(db, "DELETE FROM memberships WHERE user_id = "
	    "(SELECT id FROM users WHERE email = 'maker@tok.org')"), 0);
	assert_int_equal(token_authenticate(&g, db, sec, 1000), AIMS_EUNAUTH);
	assert_non_null(strstr(aims_error_message(), "no longer a member"));
}

/* Disabling ends sessions and tokens at once; a password change ends sessions. */
static void
test_tenancy__disable_and_password_end_access(void **state)
{
	struct db *db = *state;
	struct actor a = ACTOR_CLI;
	char sec[TOKEN_TEXT_LEN], s1[SESSION_TOKEN_LEN], s2[SESSION_TOKEN_LEN];
	struct token_grant g;
	struct session s;
	int64_t org, uid;
	time_t now = clock_now();

	assert_int_equal(org_create(&org, db, &a, "dis", "Dis"), 0);
	assert_int_equal(user_add(&uid, db, &a, "leaver@dis.org", "Leaver", "leaver password"), 0);
	assert_int_equal(member_add(db, &a, org, "leaver@dis.org", ROLE_CONTRIBUTOR), 0);
	make_token(sec, db, org, uid, "user:leaver@dis.org", ROLE_CONTRIBUTOR, ROLE_CONTRIBUTOR);
	assert_int_equal(session_create(s1, &s, db, uid, "", now), 0);
	assert_int_equal(session_create(s2, &s, db, uid, "", now), 0);
	/* A new password ends every session but the one kept. */
	assert_int_equal(user_set_password(db, &a, "leaver@dis.org", "another password", s.id), 0);
	assert_int_equal(session_lookup(&s, db, s1, now), AIMS_ENOTFOUND);
	assert_int_equal(session_lookup(&s, db, s2, now), 0);
	assert_int_equal(user_set_password(db, &a, "leaver@dis.org", "a third password", 0), 0);
	assert_int_equal(session_lookup(&s, db, s2, now), AIMS_ENOTFOUND);
	assert_int_equal(session_create(s1, &s, db, uid, "", now), 0);
	assert_int_equal(token_authenticate(&g, db, sec, now), 0);
	/* Disabled: no sign-in, no session, no token; recorded in the instance ledger. */
	assert_int_equal(user_set_disabled(db, &a, "Leaver@dis.org", true), 0);
	assert_int_equal(user_authenticate(NULL, db, "leaver@dis.org", "a third password"),
	    AIMS_EUNAUTH);
	assert_int_equal(session_lookup(&s, db, s1, now), AIMS_ENOTFOUND);
	assert_int_equal(token_authenticate(&g, db, sec, now), AIMS_EUNAUTH);
	assert_int_equal(count(db, "SELECT count(*) FROM ledger_entries WHERE org_id = 0 AND "
	    "kind = 'user' AND action = 'disable' AND ref = 'leaver@dis.org'"), 1);
	assert_int_equal(user_set_disabled(db, &a, "leaver@dis.org", true), AIMS_ECONFLICT);
	assert_int_equal(user_set_disabled(db, &a, "nobody@dis.org", true), AIMS_ENOTFOUND);
	assert_string_equal(aims_error_field(), "email");
	/* Enabled: signs in again; the revoked token stays revoked. */
	assert_int_equal(user_set_disabled(db, &a, "leaver@dis.org", false), 0);
	assert_int_equal(user_authenticate(NULL, db, "leaver@dis.org", "a third password"), 0);
	assert_int_equal(token_authenticate(&g, db, sec, now), AIMS_EUNAUTH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tenancy__org_create_and_duplicate),
		cmocka_unit_test(test_tenancy__org_update_checks_version_and_roles),
		cmocka_unit_test(test_tenancy__password_policy_and_hash),
		cmocka_unit_test(test_tenancy__membership_and_last_admin),
		cmocka_unit_test(test_tenancy__token_follows_its_creator),
		cmocka_unit_test(test_tenancy__disable_and_password_end_access),
	};

	return cmocka_run_group_tests_name("tenancy", tests, setup, teardown);
}
