/*
 * test_workflow.c - unit tests for the one approval model
 * (core/record_workflow.c and the workflows the kinds declare): the
 * declarations are consistent, record_steps() lists what a person may do
 * with the reason in words, sign-off compares user ids whatever the
 * credential, and a revision keeps the approved version in force.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/query.h"
#include "record_fixture.h"

static const struct actor fx_dave = { 4, "user:dave@example.org", ROLE_VIEWER };

static int
setup(void **state)
{
	*state = fx_open("workflow.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

/* A declaration with one thing wrong, checked by record_workflow_check(). */
static const char *const bad_states[] = { "draft", "approved", NULL };
static const struct field bad_fields[] = {
	{ .name = "title", .label = "Title", .type = FIELD_STRING, .flags = FIELD_TITLE },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM, .values = bad_states },
	{ .name = "approved_by", .label = "Approved by", .type = FIELD_STRING,
	  .flags = FIELD_READONLY },
	{ .name = "approved_at", .label = "Approved at", .type = FIELD_DATETIME },
	{ .name = NULL },
};

static int
check_with(const struct record_step *steps, const char *signed_at, const char *initial)
{
	const struct record_workflow w = { .field = "status", .initial = initial,
	    .steps = steps, .approved = "approved", .revert = "draft",
	    .signed_by = "approved_by", .signed_at = signed_at };
	const struct record_kind k = { .name = "bad", .perm_kind = "governance",
	    .fields = bad_fields, .workflow = &w };

	return record_workflow_check(&k);
}

/* Every declared workflow passes the check, which refuses each kind of mistake. */
static void
test_workflow__declarations_are_consistent(void **state)
{
	static const char *const approvable[] = { "scope", "documents", "risk-criteria",
	    "risks", "impact-assessments", NULL };
	static const struct record_step ok[] = {
		{ .action = "approve", .label = "Approve", .from = "draft", .to = "approved",
		  .perm = PERM_APPROVE, .signoff = RECORD_SIGNOFF_NOT_AUTHOR },
		{ .action = NULL },
	};
	static const struct record_step unsigned_approval[] = {
		{ .action = "approve", .label = "Approve", .from = "draft", .to = "approved",
		  .perm = PERM_WRITE },
		{ .action = NULL },
	};
	static const struct record_step bad_state[] = {
		{ .action = "approve", .label = "Approve", .from = "in_review", .to = "approved",
		  .perm = PERM_APPROVE, .signoff = RECORD_SIGNOFF_NOT_AUTHOR },
		{ .action = NULL },
	};
	static const struct record_step twice[] = {
		{ .action = "approve", .label = "Approve", .from = "draft", .to = "approved",
		  .perm = PERM_APPROVE, .signoff = RECORD_SIGNOFF_NOT_AUTHOR },
		{ .action = "approve", .label = "Revise", .from = "approved", .to = "draft",
		  .perm = PERM_WRITE },
		{ .action = NULL },
	};
	static const struct record_step signoff_by_writer[] = {
		{ .action = "approve", .label = "Approve", .from = "draft", .to = "approved",
		  .perm = PERM_WRITE, .signoff = RECORD_SIGNOFF_NOT_AUTHOR },
		{ .action = NULL },
	};
	const struct record_kind *const *k;
	const char *const *name;

	(void)state;
	for (k = record_kinds; (*k)->name; k++)
		if (record_workflow_check(*k) != 0)
			fail_msg("%s", aims_error_message());
	for (name = approvable; *name; name++)
		assert_non_null(record_kind_find(*name)->workflow);
	assert_null(record_kind_find("ai-systems")->workflow);
	assert_non_null(record_step_find(record_kind_find("documents"), "approve"));
	assert_null(record_step_find(record_kind_find("documents"), "publish"));

	assert_int_equal(check_with(ok, "approved_by", "draft"), 0);
	assert_int_equal(check_with(ok, "approved_at", "draft"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "'approved_at' must be a declared read-only"));
	assert_int_equal(check_with(ok, "approved_by", "new"), AIMS_EINVALID);
	assert_int_equal(check_with(unsigned_approval, "approved_by", "draft"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "no sign-off step reaches"));
	assert_int_equal(check_with(bad_state, "approved_by", "draft"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "step 'approve' names a state"));
	assert_int_equal(check_with(twice, "approved_by", "draft"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "two steps are called 'approve'"));
	assert_int_equal(check_with(signoff_by_writer, "approved_by", "draft"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "must need the approve permission"));
}

static const json_t *
step_named(const json_t *steps, const char *action)
{
	const json_t *s;
	size_t i;

	json_array_foreach(steps, i, s)
		if (strcmp(json_string_value(json_object_get(s, "action")), action) == 0)
			return s;
	return NULL;
}

static const char *
reason_for(struct db *db, const struct actor *a, const char *kind, const char *ref,
    const char *action)
{
	static char why[512];
	const json_t *s;
	json_t *steps = NULL;

	assert_int_equal(record_steps(&steps, db, FX_ORG, a, record_kind_find(kind), ref), 0);
	s = step_named(steps, action);
	assert_non_null(s);
	if (json_is_true(json_object_get(s, "allowed"))) {
		assert_true(json_is_null(json_object_get(s, "reason")));
		snprintf(why, sizeof(why), "%s", "");
	} else
		snprintf(why, sizeof(why), "%s", json_string_value(json_object_get(s, "reason")));
	json_decref(steps);
	return why;
}

/* The steps of a document in review, for each person, with the reasons in words. */
static void
test_workflow__steps_name_people_and_reasons(void **state)
{
	struct db *db = *state;
	const struct actor alice_token = { 1, "token:ci", ROLE_MANAGER };
	const struct actor carol_as_alice = { 3, "user:alice@example.org", ROLE_ADMIN };
	json_t *steps = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "documents",
	    "{\"title\": \"AI policy\", \"kind\": \"policy\", \"is_ai_policy\": true}"), 0);
	/* A draft offers submit and retire, not approve. */
	assert_int_equal(record_steps(&steps, db, FX_ORG, &fx_erin, record_kind_find("documents"),
	    "DOC-1"), 0);
	assert_int_equal(json_array_size(steps), 2);
	assert_non_null(step_named(steps, "submit"));
	assert_null(step_named(steps, "approve"));
	json_decref(steps);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"in_review\"}"), 0);
	assert_string_equal(reason_for(db, &fx_alice, "documents", "DOC-1", "approve"),
	    "Alice wrote it; another manager must approve it");
	assert_string_equal(reason_for(db, &fx_erin, "documents", "DOC-1", "approve"), "");
	assert_string_equal(reason_for(db, &fx_bob, "documents", "DOC-1", "approve"),
	    "only a manager or higher can approve it; your role here is contributor");
	assert_string_equal(reason_for(db, &fx_dave, "documents", "DOC-1", "return"),
	    "only a manager or higher can return it; your role here is viewer");
	assert_non_null(strstr(reason_for(db, &ACTOR_CLI, "documents", "DOC-1", "approve"),
	    "named person"));
	/* Compared by user id: Alice's token is Alice; a name proves nothing. */
	assert_string_equal(reason_for(db, &alice_token, "documents", "DOC-1", "approve"),
	    "Alice wrote it; another manager must approve it");
	assert_int_equal(fx_update(NULL, db, FX_ORG, &alice_token, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), AIMS_EFORBIDDEN);
	assert_string_equal(aims_error_message(), "Alice wrote it; another manager must approve it");
	assert_int_equal(fx_update(NULL, db, FX_ORG, &ACTOR_SYSTEM, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), AIMS_EFORBIDDEN);
	assert_string_equal(reason_for(db, &carol_as_alice, "documents", "DOC-1", "approve"), "");
	/* Steps by name: one that does not apply now, and one that does not exist. */
	assert_int_equal(record_step_take(&steps, db, FX_ORG, &fx_erin,
	    record_kind_find("documents"), "DOC-1", 0, "submit"), AIMS_ECONFLICT);
	assert_int_equal(record_step_take(&steps, db, FX_ORG, &fx_erin,
	    record_kind_find("documents"), "DOC-1", 0, "publish"), AIMS_EINVALID);
	assert_int_equal(record_step_take(&steps, db, FX_ORG, &fx_erin,
	    record_kind_find("documents"), "DOC-1", 0, "approve"), 0);
	assert_string_equal(fx_str(steps, "approved_by"), "erin@example.org");
	json_decref(steps);
	/* Retired: no steps at all. */
	assert_int_equal(record_step_take(&steps, db, FX_ORG, &fx_erin,
	    record_kind_find("documents"), "DOC-1", 0, "retire"), 0);
	json_decref(steps);
	assert_int_equal(record_steps(&steps, db, FX_ORG, &fx_erin, record_kind_find("documents"),
	    "DOC-1"), 0);
	assert_int_equal(json_array_size(steps), 0);
	json_decref(steps);
}

/* Every kind that needs sign-off refuses its author, through any credential. */
static void
test_workflow__every_approvable_kind_refuses_its_author(void **state)
{
	static const struct { const char *kind, *ref, *create; } cases[] = {
		{ "scope", "SCOPE", "{\"statement\": \"All AI systems\"}" },
		{ "impact-assessments", "IA-1", "{\"ai_system\": \"AIS-1\"}" },
	};
	struct db *db = *state;
	const struct actor erin_token = { 5, "token:erin-ci", ROLE_MANAGER };
	json_t *rec = NULL;
	size_t i;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Scorer\"}"), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_erin, cases[i].kind,
		    cases[i].create), 0);
		assert_int_equal(fx_update(NULL, db, FX_ORG, &erin_token, cases[i].kind,
		    cases[i].ref, 0, "{\"status\": \"approved\"}"), AIMS_EFORBIDDEN);
		assert_string_equal(aims_error_field(), "approved_by");
		assert_string_equal(aims_error_message(),
		    "Erin wrote it; another manager must approve it");
		assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, cases[i].kind,
		    cases[i].ref, 0, "{\"status\": \"approved\"}"), 0);
		assert_string_equal(fx_str(rec, "approved_by"), "alice@example.org");
		json_decref(rec);
	}
	/* Risk criteria: written by whoever changed them last. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "risk-criteria", NULL, 0,
	    "{\"acceptance_threshold\": 12}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "risk-criteria", NULL, 0,
	    "{\"status\": \"approved\"}"), AIMS_EFORBIDDEN);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "risk-criteria", NULL, 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_string_equal(fx_str(rec, "approved_by"), "alice@example.org");
	json_decref(rec);
	/* Risk acceptance: never the proposer, even as the owner or through a token. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Drift\", \"likelihood\": 3, \"impact\": 3, \"owner\": "
	    "\"bob@example.org\", \"treatment\": {\"option\": \"retain\"}}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &(const struct actor){ 2, "token:bob",
	    ROLE_CONTRIBUTOR }, "risks", "RISK-1", 0, "{\"status\": \"accepted\"}"),
	    AIMS_EFORBIDDEN);
	assert_string_equal(aims_error_message(),
	    "Bob proposed it; someone else must accept it (its owner or a manager)");
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_erin, "risks", "RISK-1", 0,
	    "{\"status\": \"accepted\"}"), 0);
	assert_string_equal(fx_str(rec, "accepted_by"), "erin@example.org");
	json_decref(rec);
}

static int64_t
approved_policies(struct db *db)
{
	struct query_scope s;
	json_t *where = fx_json("[{\"field\": \"is_ai_policy\", \"eq\": true}, "
	    "{\"field\": \"status\", \"eq\": \"approved\"}]");
	int64_t n = -1;

	query_scope_init(&s, db, FX_ORG, 1767225600, NULL);
	assert_int_equal(query_count(&n, &s, "documents", where), 0);
	json_decref(where);
	return n;
}

/* Editing approved content opens a revision; the approved version stays in force. */
static void
test_workflow__revision_keeps_the_approved_version_in_force(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("documents");
	json_t *rec = NULL, *hist = NULL, *ch;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "documents",
	    "{\"title\": \"AI policy\", \"kind\": \"policy\", \"is_ai_policy\": true, "
	    "\"body\": \"First\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"in_review\"}"), 0);
	assert_int_equal(approved_policies(db), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_int_equal(approved_policies(db), 1);
	/* A free field changes the approved version itself. */
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"next_review\": \"2027-06-30\"}"), 0);
	assert_string_equal(fx_str(rec, "status"), "approved");
	assert_null(json_object_get(rec, "in_force_version"));
	json_decref(rec);
	/* Content: a draft revision; version 4 stays in force for readiness. */
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"body\": \"Second\"}"), 0);
	assert_string_equal(fx_str(rec, "status"), "draft");
	assert_int_equal(fx_int(rec, "in_force_version"), 4);
	assert_true(json_is_null(json_object_get(rec, "approved_by")));
	json_decref(rec);
	assert_int_equal(approved_policies(db), 1);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"in_review\"}"), 0);
	assert_int_equal(fx_int(rec, "in_force_version"), 4);
	json_decref(rec);
	assert_int_equal(approved_policies(db), 1);
	/* Alice wrote the revision: Erin approves it, and it is in force itself. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), AIMS_EFORBIDDEN);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_null(json_object_get(rec, "in_force_version"));
	json_decref(rec);
	assert_int_equal(approved_policies(db), 1);
	/* The history names people and gives each change old and new. */
	assert_int_equal(record_history(&hist, db, FX_ORG, k, "DOC-1", NULL), 0);
	assert_string_equal(fx_str(json_array_get(hist, 0), "by"), "Erin");
	assert_string_equal(fx_str(json_array_get(hist, 0), "action"), "approve");
	ch = json_object_get(json_array_get(hist, 2), "changes");
	assert_string_equal(fx_str(json_array_get(hist, 2), "by"), "Alice");
	assert_string_equal(fx_str(json_array_get(ch, 0), "field"), "body");
	assert_string_equal(fx_str(json_array_get(ch, 0), "label"), "Text");
	assert_string_equal(fx_str(json_array_get(ch, 0), "from"), "First");
	assert_string_equal(fx_str(json_array_get(ch, 0), "to"), "Second");
	json_decref(hist);
	/* The same history as text, written from the stored versions. */
	assert_int_equal(fx_history_text_matches(db, FX_ORG, "documents", "DOC-1"), 0);
	/* Retiring ends what was in force. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"body\": \"Third\"}"), 0);
	assert_int_equal(approved_policies(db), 1);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"retired\"}"), 0);
	assert_int_equal(approved_policies(db), 0);
}

/* Every co-author of the version to approve is refused; a revision's authors are its own. */
static void
test_workflow__every_author_of_the_version_is_refused(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "documents",
	    "{\"title\": \"Procedure\", \"kind\": \"procedure\", \"body\": \"One\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"body\": \"One, and two\"}"), 0);
	/* Owner and review date are not content: changing them writes nothing to approve. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_carol, "documents", "DOC-1", 0,
	    "{\"owner\": \"carol@example.org\", \"status\": \"in_review\"}"), 0);
	assert_string_equal(reason_for(db, &fx_alice, "documents", "DOC-1", "approve"),
	    "Alice wrote it; another manager must approve it");
	assert_string_equal(reason_for(db, &fx_erin, "documents", "DOC-1", "approve"),
	    "Erin wrote it; another manager must approve it");
	assert_string_equal(reason_for(db, &fx_carol, "documents", "DOC-1", "approve"), "");
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_carol, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	json_decref(rec);
	/* Erin writes a revision: she may not approve it; Alice, who wrote none of it, may. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"body\": \"One, two and three\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "documents", "DOC-1", 0,
	    "{\"status\": \"in_review\"}"), 0);
	assert_string_equal(reason_for(db, &fx_erin, "documents", "DOC-1", "approve"),
	    "Erin wrote it; another manager must approve it");
	assert_string_equal(reason_for(db, &fx_alice, "documents", "DOC-1", "approve"), "");
	/* Writing content and approving in one change makes the approver an author. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\", \"body\": \"Four\"}"), AIMS_EFORBIDDEN);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_string_equal(fx_str(rec, "approved_by"), "alice@example.org");
	json_decref(rec);
}

/* Risks are scored under the approved criteria while a revision of them is open. */
static void
test_workflow__risks_scored_under_criteria_in_force(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;
	long long approved;

	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_erin, "risk-criteria", NULL, 0,
	    "{\"scoring\": \"add\"}"), 0);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "risk-criteria", NULL, 0,
	    "{\"status\": \"approved\"}"), 0);
	approved = fx_int(rec, "version");
	json_decref(rec);
	/* A revision back to multiplying: not in force until approved. */
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_erin, "risk-criteria", NULL, 0,
	    "{\"scoring\": \"multiply\"}"), 0);
	assert_string_equal(fx_str(rec, "status"), "draft");
	json_decref(rec);
	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Drift\", \"likelihood\": 4, \"impact\": 5}"), 0);
	assert_int_equal(fx_int(rec, "inherent_score"), 9);
	assert_int_equal(fx_int(rec, "criteria_version"), approved);
	json_decref(rec);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "risk-criteria", NULL, 0,
	    "{\"status\": \"approved\"}"), 0);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_bob, "risks", "RISK-1", 0,
	    "{\"impact\": 4}"), 0);
	assert_int_equal(fx_int(rec, "inherent_score"), 16);
	json_decref(rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_workflow__declarations_are_consistent),
		cmocka_unit_test_setup_teardown(test_workflow__steps_name_people_and_reasons, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_workflow__every_approvable_kind_refuses_its_author,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_workflow__revision_keeps_the_approved_version_in_force, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_workflow__every_author_of_the_version_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_workflow__risks_scored_under_criteria_in_force, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
