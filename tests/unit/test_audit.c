/*
 * test_audit.c - unit tests for internal audits (core/audit.c,
 * kind_audit.c, kind_audit_finding.c): the independence rule (owned or
 * written records, responsibilities, AI systems in scope; within the
 * organisation only) and the checklist generated from the scope.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/audit.h"
#include "record_fixture.h"

/* Ivy (6) is an auditor of org 1; Zed (7) an auditor of org 1 with no work of their own. */
static const struct actor fx_ivy = { 6, "user:ivy@example.org", ROLE_AUDITOR };
static const struct actor fx_zed = { 7, "user:zed@example.org", ROLE_AUDITOR };

static int
setup(void **state)
{
	struct db *db = fx_open("audit.db");

	fx_exec(db,
	    "INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) "
	    "VALUES (6, 'ivy@example.org', 'Ivy', 'x', '2026-01-01T00:00:00Z', "
	    "'2026-01-01T00:00:00Z'), (7, 'zed@example.org', 'Zed', 'x', "
	    "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
	    "INSERT INTO memberships (org_id, user_id, role, created_at, updated_at) VALUES "
	    "(1, 6, 'auditor', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(1, 7, 'auditor', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(2, 6, 'auditor', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');");
	*state = db;
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static int
conflict(char *why, struct db *db, int64_t org, const char *email, const char *reqs,
    const char *systems)
{
	json_t *r = fx_json(reqs), *s = systems ? fx_json(systems) : NULL;
	int rc = audit_conflict_find(why, AUDIT_WHY_MAX, db, org, email, r, s);

	json_decref(r);
	json_decref(s);
	return rc;
}

static void
test_audit__independence(void **state)
{
	struct db *db = *state;
	char why[AUDIT_WHY_MAX];

	/* Nothing of Ivy's yet: free to audit anything. */
	assert_int_equal(conflict(why, db, FX_ORG, "ivy@example.org",
	    "[\"6.1.2\", \"9.1\", \"A.6.2.6\"]", NULL), 0);
	assert_string_equal(why, "");
	/* A measure Ivy owns (written by Alice) meets 6.1.2. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "measures",
	    "{\"title\": \"Risk method\", \"owner\": \"ivy@example.org\", "
	    "\"requirements\": [\"6.1.2\"]}"), 0);
	assert_int_equal(conflict(why, db, FX_ORG, "ivy@example.org", "[\"9.1\", \"6.1.2\"]",
	    NULL), AIMS_EFORBIDDEN);
	assert_string_equal(why, "Ivy cannot audit 6.1.2: Ivy owns measure MEA-1, which is "
	    "recorded against it");
	/* Evidence Bob wrote for A.6.2.6: Bob may not audit it, Ivy may. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "evidence",
	    "{\"title\": \"Model card\", \"kind\": \"link\", \"url\": \"https://example.org/c\", "
	    "\"requirements\": [\"A.6.2.6\"]}"), 0);
	assert_int_equal(conflict(why, db, FX_ORG, "bob@example.org", "[\"A.6.2.6\"]", NULL),
	    AIMS_EFORBIDDEN);
	assert_string_equal(why, "Bob cannot audit A.6.2.6: Bob wrote evidence EV-1, which is "
	    "recorded against it");
	assert_int_equal(conflict(why, db, FX_ORG, "ivy@example.org", "[\"A.6.2.6\"]", NULL), 0);
	/* Responsible for 9.1 by name (compared without case), not by a team's name. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "responsibilities",
	    "{\"role_name\": \"Monitoring lead\", \"assignee\": \"Zed's team\", "
	    "\"requirements\": [\"9.1\"]}"), 0);
	assert_int_equal(conflict(why, db, FX_ORG, "zed@example.org", "[\"9.1\"]", NULL), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "responsibilities",
	    "{\"role_name\": \"Monitoring deputy\", \"assignee\": \"ZED\", "
	    "\"requirements\": [\"9.1\"]}"), 0);
	assert_int_equal(conflict(why, db, FX_ORG, "zed@example.org", "[\"9.1\"]", NULL),
	    AIMS_EFORBIDDEN);
	assert_string_equal(why, "Zed cannot audit 9.1: Zed is responsible for it as "
	    "Monitoring deputy (ROLE-2)");
	/* An AI system in scope that Ivy owns. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "ai-systems",
	    "{\"name\": \"Chat\", \"owner\": \"ivy@example.org\"}"), 0);
	assert_int_equal(conflict(why, db, FX_ORG, "ivy@example.org", "[\"9.1\"]", "[\"AIS-1\"]"),
	    AIMS_EFORBIDDEN);
	assert_string_equal(why, "Ivy cannot audit AI system AIS-1: Ivy owns it");
	/* Only this organisation's records count; a stranger is refused as such. */
	assert_int_equal(fx_create(NULL, db, FX_OTHER_ORG, &fx_alice, "measures",
	    "{\"title\": \"Other\", \"owner\": \"ivy@example.org\", \"requirements\": [\"8.2\"]}"),
	    0);
	assert_int_equal(conflict(why, db, FX_ORG, "ivy@example.org", "[\"8.2\"]", NULL), 0);
	assert_int_equal(conflict(why, db, FX_OTHER_ORG, "ivy@example.org", "[\"8.2\"]", NULL),
	    AIMS_EFORBIDDEN);
	assert_int_equal(conflict(why, db, FX_ORG, "nobody@example.org", "[\"8.2\"]", NULL),
	    AIMS_EINVALID);
	assert_non_null(strstr(why, "nobody@example.org is not a member"));
}

/* The record engine applies the rule to the lead auditor and each team member. */
static void
test_audit__independence_enforced(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "measures",
	    "{\"title\": \"Risk method\", \"owner\": \"ivy@example.org\", "
	    "\"requirements\": [\"6.1.2\"]}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_ivy, "audits",
	    "{\"title\": \"Planning\", \"requirements\": [\"6.1.2\"], "
	    "\"lead_auditor\": \"ivy@example.org\"}"), AIMS_EFORBIDDEN);
	assert_string_equal(aims_error_field(), "lead_auditor");
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_zed, "audits",
	    "{\"title\": \"Planning\", \"requirements\": [\"6.1.2\"], "
	    "\"lead_auditor\": \"zed@example.org\", \"team\": [\"ivy@example.org\"]}"),
	    AIMS_EFORBIDDEN);
	assert_string_equal(aims_error_field(), "team[0]");
	assert_non_null(strstr(aims_error_message(), "Ivy owns measure"));
	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_zed, "audits",
	    "{\"title\": \"Planning\", \"requirements\": [\"6.1.2\"], "
	    "\"lead_auditor\": \"zed@example.org\"}"), 0);
	assert_string_equal(fx_str(rec, "ref"), "AUD-1");
	json_decref(rec);
	/* Widening the scope to what the team owns is refused too. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_zed, "audits", "AUD-1", 0,
	    "{\"team\": [\"ivy@example.org\"]}"), AIMS_EFORBIDDEN);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_zed, "audits", "AUD-1", 0,
	    "{\"team\": [\"zed@example.org\", \"ZED@example.org\"]}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "team[1]");
	/* A conflict that arises after planning stops the audit at its next step. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "measures",
	    "{\"title\": \"Zed's register\", \"owner\": \"zed@example.org\", "
	    "\"requirements\": [\"6.1.2\"]}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_zed, "audits", "AUD-1", 0,
	    "{\"status\": \"in_progress\"}"), AIMS_EFORBIDDEN);
	assert_non_null(strstr(aims_error_message(), "Zed owns measure MEA-2"));
}

static void
test_audit__checklist_build(void **state)
{
	json_t *reqs = fx_json("[\"6.1.2\", \"9.1\", \"7.5\"]"), *out = NULL, *old;

	(void)state;
	/* Made from the scope, in its order. */
	assert_int_equal(audit_checklist_build(&out, reqs, NULL), 0);
	assert_int_equal(json_array_size(out), 3);
	assert_string_equal(fx_str(json_array_get(out, 2), "requirement"), "7.5");
	assert_int_equal(json_object_size(json_array_get(out, 0)), 1);
	json_decref(out);
	/* What was recorded is kept; an empty row out of scope goes; the new one appears. */
	old = fx_json("[{\"requirement\": \"8.2\"}, {\"requirement\": \"9.1\", "
	    "\"notes\": \"seen\", \"conclusion\": \"conforming\"}]");
	assert_int_equal(audit_checklist_build(&out, reqs, old), 0);
	assert_int_equal(json_array_size(out), 3);
	assert_string_equal(fx_str(json_array_get(out, 1), "notes"), "seen");
	assert_string_equal(fx_str(json_array_get(out, 1), "conclusion"), "conforming");
	assert_null(json_object_get(json_array_get(out, 0), "notes"));
	json_decref(out);
	json_decref(old);
	/* A row with content cannot leave the scope silently. */
	old = fx_json("[{\"requirement\": \"8.2\", \"sampled\": [\"EV-1\"]}]");
	assert_int_equal(audit_checklist_build(&out, reqs, old), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "checklist");
	assert_non_null(strstr(aims_error_message(), "8.2"));
	assert_null(out);
	json_decref(old);
	/* Two rows for one requirement. */
	old = fx_json("[{\"requirement\": \"9.1\"}, {\"requirement\": \"9.1\"}]");
	assert_int_equal(audit_checklist_build(&out, reqs, old), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "two rows for 9.1"));
	json_decref(old);
	json_decref(reqs);
}

/* The checklist of a stored audit follows its scope; only the team writes it. */
static void
test_audit__checklist_record(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL, *row;

	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_alice, "audits",
	    "{\"title\": \"Support\", \"requirements\": [\"7.5\", \"9.1\"], "
	    "\"lead_auditor\": \"zed@example.org\"}"), 0);
	assert_int_equal(json_array_size(json_object_get(rec, "checklist")), 2);
	json_decref(rec);
	row = fx_json("{\"notes\": \"Document control seen\", \"conclusion\": \"conforming\"}");
	assert_int_equal(audit_checklist_save(&rec, db, FX_ORG, &fx_alice, "AUD-1", "7.5", row),
	    AIMS_EFORBIDDEN);
	assert_int_equal(audit_checklist_save(&rec, db, FX_ORG, &fx_zed, "AUD-1", "8.2", row),
	    AIMS_ENOTFOUND);
	assert_int_equal(audit_checklist_save(&rec, db, FX_ORG, &fx_zed, "AUD-1", "7.5", row), 0);
	assert_string_equal(fx_str(json_array_get(json_object_get(rec, "checklist"), 0),
	    "conclusion"), "conforming");
	json_decref(rec);
	json_decref(row);
	/* Another organisation has no AUD-1. */
	row = fx_json("{\"notes\": \"x\"}");
	assert_int_equal(audit_checklist_save(&rec, db, FX_OTHER_ORG, &fx_zed, "AUD-1", "7.5",
	    row), AIMS_ENOTFOUND);
	json_decref(row);
	/* The scope grows: the new row is empty, the recorded one stays. */
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "audits", "AUD-1", 0,
	    "{\"requirements\": [\"9.1\", \"7.5\", \"8.2\"]}"), 0);
	assert_string_equal(fx_str(json_array_get(json_object_get(rec, "checklist"), 1),
	    "notes"), "Document control seen");
	assert_string_equal(fx_str(json_array_get(json_object_get(rec, "checklist"), 2),
	    "requirement"), "8.2");
	json_decref(rec);
}

/* The audit kinds pass the declaration check; a view must be one new segment with a label. */
static void
test_audit__declarations(void **state)
{
	static const struct record_view bad[] = { { "edit", "Edit again" }, { NULL, NULL } };
	struct record_kind k = *record_kind_find("audits");

	(void)state;
	assert_int_equal(record_kind_check(record_kind_find("audit-programmes")), 0);
	assert_int_equal(record_kind_check(record_kind_find("audits")), 0);
	assert_int_equal(record_kind_check(record_kind_find("audit-findings")), 0);
	k.views = bad;
	assert_int_equal(record_kind_check(&k), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "views");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_audit__independence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit__independence_enforced, setup,
		    teardown),
		cmocka_unit_test(test_audit__checklist_build),
		cmocka_unit_test(test_audit__declarations),
		cmocka_unit_test_setup_teardown(test_audit__checklist_record, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
