/* test_soa_publish.c - unit tests for src/core/soa*.c: publishing, versions, the draft's changes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>

#include "core/record.h"
#include "core/soa.h"
#include "ledger/ledger.h"
#include "ledger/note.h"
#include "readiness_fixture.h"

static const struct actor alice = { 1, "user:alice@example.org", ROLE_MANAGER };
static const struct actor bob = { 2, "user:bob@example.org", ROLE_CONTRIBUTOR };
static const struct actor erin = { 3, "user:erin@example.org", ROLE_MANAGER };
static const uint8_t test_seed[32] = { 4, 2 };
static struct ledger_key *test_key;

static int
group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || ledger_key_from_seed(&test_key, LEDGER_KEY_NAME, test_seed) != 0)
		return -1;
	ledger_key_use(test_key);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	ledger_key_use(NULL);
	ledger_key_free(test_key);
	return 0;
}

/* Members: alice manager, bob contributor (org 1). */
static struct db *
setup(void)
{
	struct db *db = fx_open();
	char json[256];
	size_t i;

	fx_exec(db, "INSERT INTO users (id, email, display_name, password_hash, created_at, "
	    "updated_at) VALUES (1, 'alice@example.org', 'Alice', 'x', '2026-01-01T00:00:00Z', "
	    "'2026-01-01T00:00:00Z'), (2, 'bob@example.org', 'Bob', 'x', '2026-01-01T00:00:00Z', "
	    "'2026-01-01T00:00:00Z'), (3, 'erin@example.org', 'Erin', 'x', "
	    "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
	fx_exec(db, "INSERT INTO memberships (org_id, user_id, role, created_at, updated_at) "
	    "VALUES (1, 1, 'manager', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(1, 2, 'contributor', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(1, 3, 'manager', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
	for (i = 0; i < FX_NREQS; i++) {
		if (strcmp(fx_reqs[i][1], "control") != 0)
			continue;
		snprintf(json, sizeof(json), "{\"control\": \"%s\", \"applicable\": true, "
		    "\"justification\": \"Needed\", \"status\": \"planned\"}", fx_reqs[i][0]);
		fx_put(db, "soa", fx_reqs[i][0], json);
	}
	return db;
}

static int64_t
ledger_count(struct db *db)
{
	int64_t n = 0;

	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM ledger_entries "
	    "WHERE kind = 'soa-versions'"), 0);
	return n;
}

static void
test_soa_publish__publish_freezes_a_numbered_version(void **state)
{
	struct db *db = setup();
	json_t *v = NULL, *again = NULL, *list = NULL;
	const json_t *row;

	(void)state;
	assert_int_equal(soa_publish(&v, db, FX_ORG, &alice, NULL, "First issue"), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(v, "approver")),
	    "alice@example.org");
	assert_string_equal(json_string_value(json_object_get(v, "edition")),
	    "ISO/IEC 42001:2023");
	assert_string_equal(json_string_value(json_object_get(v, "published_at")), FX_NOW);
	assert_string_equal(json_string_value(json_object_get(v, "note")), "First issue");
	assert_int_equal(json_array_size(json_object_get(v, "rows")), 38);
	assert_int_equal(ledger_count(db), 1);
	json_decref(v);

	/* Later edits leave version 1 as it was. */
	fx_put(db, "soa", "A.6.2.6", "{\"control\": \"A.6.2.6\", \"applicable\": false, "
	    "\"justification\": \"We do not operate AI systems\", \"status\": \"not_started\"}");
	assert_int_equal(soa_version_get(&again, db, FX_ORG, 1), 0);
	row = json_array_get(json_object_get(again, "rows"), 20);
	assert_string_equal(json_string_value(json_object_get(row, "control")), "A.6.2.6");
	assert_true(json_is_true(json_object_get(row, "applicable")));
	assert_string_equal(json_string_value(json_object_get(row, "justification")), "Needed");
	json_decref(again);

	assert_int_equal(soa_publish(&v, db, FX_ORG, &bob, "alice@example.org", NULL),
	    AIMS_EFORBIDDEN);
	assert_int_equal(soa_publish(&v, db, FX_ORG, &alice, NULL, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "version")), 2);
	json_decref(v);
	assert_int_equal(soa_versions(&list, db, FX_ORG), 0);
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "version")),
	    2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0),
	    "row_count")), 38);
	json_decref(list);
	/* Latest is 2; the other organisation has none. */
	assert_int_equal(soa_version_get(&v, db, FX_ORG, 0), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "version")), 2);
	json_decref(v);
	assert_int_equal(soa_version_get(&v, db, FX_OTHER_ORG, 1), AIMS_ENOTFOUND);
	assert_int_equal(soa_version_get(&v, db, FX_ORG, 3), AIMS_ENOTFOUND);
	db_close(db);
}

static void
test_soa_publish__draft_shows_changes_per_control(void **state)
{
	struct db *db = setup();
	json_t *v = NULL, *d = NULL;
	const json_t *ch, *f;

	(void)state;
	assert_int_equal(soa_diff(&d, db, FX_ORG, 0), 0);
	assert_true(json_is_null(json_object_get(d, "base_version")));
	assert_int_equal(json_array_size(json_object_get(d, "changes")), 38);
	json_decref(d);
	assert_int_equal(soa_publish(&v, db, FX_ORG, &alice, NULL, NULL), 0);
	json_decref(v);
	assert_int_equal(soa_diff(&d, db, FX_ORG, 0), 0);
	assert_int_equal(json_integer_value(json_object_get(d, "base_version")), 1);
	assert_int_equal(json_array_size(json_object_get(d, "changes")), 0);
	json_decref(d);
	fx_put(db, "soa", "A.7.4", "{\"control\": \"A.7.4\", \"applicable\": true, "
	    "\"justification\": \"Needed\", \"status\": \"implemented\", \"measures\": "
	    "[\"MEAS-1\"]}");
	assert_int_equal(soa_diff(&d, db, FX_ORG, 0), 0);
	assert_int_equal(json_array_size(json_object_get(d, "changes")), 1);
	ch = json_array_get(json_object_get(d, "changes"), 0);
	assert_string_equal(json_string_value(json_object_get(ch, "control")), "A.7.4");
	assert_int_equal(json_array_size(json_object_get(ch, "fields")), 2);
	f = json_array_get(json_object_get(ch, "fields"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "field")), "status");
	assert_string_equal(json_string_value(json_object_get(f, "from")), "planned");
	assert_string_equal(json_string_value(json_object_get(f, "to")), "implemented");
	f = json_array_get(json_object_get(ch, "fields"), 1);
	assert_string_equal(json_string_value(json_object_get(f, "field")), "measures");
	json_decref(d);
	db_close(db);
}

static void
test_soa_publish__refuses_incomplete_or_bad_input(void **state)
{
	struct db *db = setup();
	char note[SOA_NOTE_MAX + 2];
	json_t *v = NULL, *patch;

	(void)state;
	fx_put(db, "soa", "A.3.3", "{\"control\": \"A.3.3\", \"status\": \"not_started\"}");
	fx_put(db, "soa", "A.9.4", "{\"control\": \"A.9.4\", \"applicable\": false, "
	    "\"status\": \"not_started\"}");
	assert_int_equal(soa_publish(&v, db, FX_ORG, &alice, NULL, NULL), AIMS_ECONFLICT);
	assert_non_null(strstr(aims_error_message(), "2 controls"));
	assert_non_null(strstr(aims_error_message(), "A.3.3, A.9.4"));
	fx_put(db, "soa", "A.3.3", "{\"control\": \"A.3.3\", \"applicable\": true, "
	    "\"justification\": \"Needed\", \"status\": \"planned\"}");
	fx_put(db, "soa", "A.9.4", "{\"control\": \"A.9.4\", \"applicable\": false, "
	    "\"justification\": \"Not used\", \"status\": \"not_started\"}");
	/* Publishing is a sign-off in person: not the command line or the system. */
	assert_int_equal(soa_publish(&v, db, FX_ORG, &ACTOR_CLI, NULL, NULL), AIMS_EFORBIDDEN);
	assert_string_equal(aims_error_field(), "approver");
	assert_non_null(strstr(aims_error_message(), "named person"));
	assert_int_equal(soa_publish(&v, db, FX_ORG, &ACTOR_CLI, "alice@example.org", NULL),
	    AIMS_EFORBIDDEN);
	/* A contributor does not publish; nobody approves in someone else's name. */
	assert_int_equal(soa_publish(&v, db, FX_ORG, &bob, NULL, NULL), AIMS_EFORBIDDEN);
	assert_int_equal(soa_publish(&v, db, FX_ORG, &alice, "erin@example.org", NULL),
	    AIMS_EFORBIDDEN);
	assert_non_null(strstr(aims_error_message(), "erin@example.org must publish it"));
	assert_int_equal(soa_publish(&v, db, FX_ORG, &alice, "eve@example.org", NULL),
	    AIMS_EFORBIDDEN);
	memset(note, 'x', sizeof(note) - 1);
	note[sizeof(note) - 1] = '\0';
	assert_int_equal(soa_publish(&v, db, FX_ORG, &alice, NULL, note), AIMS_EINVALID);
	/* Four eyes: whoever changed an entry since the last version does not publish it. */
	patch = json_pack("{s:s}", "justification", "Not used by any AI system");
	assert_int_equal(record_update(&v, db, FX_ORG, &alice, record_kind_find("soa"), "A.9.4", 0,
	    patch), 0);
	json_decref(patch);
	json_decref(v);
	assert_int_equal(soa_publish(&v, db, FX_ORG, &alice, NULL, NULL), AIMS_EFORBIDDEN);
	assert_non_null(strstr(aims_error_message(), "Alice changed A.9.4 since the last "
	    "published version; another manager must approve"));
	assert_int_equal(ledger_count(db), 0);
	assert_int_equal(soa_publish(&v, db, FX_ORG, &erin, "erin@example.org", NULL), 0);
	assert_string_equal(json_string_value(json_object_get(v, "published_by")),
	    "user:erin@example.org");
	assert_string_equal(json_string_value(json_object_get(v, "approver")), "erin@example.org");
	json_decref(v);
	/* After it, Alice's earlier change no longer counts against her. */
	assert_int_equal(soa_publish(&v, db, FX_ORG, &alice, NULL, NULL), 0);
	json_decref(v);
	db_close(db);
}

static void
test_soa_publish__ledger_loader_returns_the_logged_state(void **state)
{
	struct db *db = setup();
	json_t *v = NULL, *loaded = NULL;
	struct ledger_report rep;
	struct note_verifier pub;

	(void)state;
	assert_int_equal(soa_publish(&v, db, FX_ORG, &alice, NULL, NULL), 0);
	assert_int_equal(soa_load_for_ledger(&loaded, db, FX_ORG, "soa-versions", "1"), 0);
	assert_true(json_equal(v, loaded));
	json_decref(loaded);
	/* The verifier finds the published version as it was logged... */
	ledger_key_public(&pub, test_key);
	assert_int_equal(ledger_verify(&rep, db, FX_ORG, &pub, soa_load_for_ledger,
	    soa_enumerate), 0);
	assert_int_equal(rep.records, 1);
	/* The table refuses a change... */
	assert_int_not_equal(db_exec(db, "UPDATE soa_versions SET approver = 'eve@example.org' "
	    "WHERE version = 1"), 0);
	/* ...and once its trigger is out of the way, the verifier names the change. */
	fx_exec(db, "DROP TRIGGER soa_versions_append_only");
	fx_exec(db, "UPDATE soa_versions SET approver = 'eve@example.org' WHERE version = 1");
	assert_int_equal(ledger_verify(&rep, db, FX_ORG, &pub, soa_load_for_ledger,
	    soa_enumerate), AIMS_EVERIFY);
	assert_non_null(strstr(rep.failure, "soa-versions"));
	assert_int_equal(soa_load_for_ledger(&loaded, db, FX_ORG, "risks", "1"),
	    AIMS_ENOTFOUND);
	assert_int_equal(soa_load_for_ledger(&loaded, db, FX_ORG, "soa-versions", "x"),
	    AIMS_ENOTFOUND);
	json_decref(v);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_soa_publish__publish_freezes_a_numbered_version),
		cmocka_unit_test(test_soa_publish__draft_shows_changes_per_control),
		cmocka_unit_test(test_soa_publish__refuses_incomplete_or_bad_input),
		cmocka_unit_test(test_soa_publish__ledger_loader_returns_the_logged_state),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
