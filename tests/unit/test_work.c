/*
 * test_work.c - unit tests for work items and notifications (core/work.c,
 * core/notify.c, core/feed.c, core/webhook.c): a declared due date becomes
 * its record's work item in the write's transaction and a rollback leaves
 * none; obligations that end with the record go when it is done; My work
 * groups by date and lists sign-offs for those who may give them; the
 * calendar puts internal audits before the external audit they precede;
 * notifications and outbox rows come with the change; a feed key opens only
 * its own feed; and the verifier names a work item changed behind core.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "core/feed.h"
#include "core/notify.h"
#include "core/outbox.h"
#include "core/webhook.h"
#include "core/work.h"
#include "record_fixture.h"
#include "util/buf.h"
#include "util/clock.h"

/* 2026-06-10T12:00:00Z: dates below are relative to it. */
#define NOW	((time_t)1781092800)

static int
setup(void **state)
{
	*state = fx_open("work.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static int64_t
count(struct db *db, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(db_query_int64(&n, db, sql), 0);
	return n;
}

static const json_t *
group(const json_t *w, const char *name)
{
	return json_object_get(json_object_get(w, name), "items");
}

static void
test_work__items_follow_the_record_in_its_transaction(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_alice, "risks", "{\"title\":\"Drift\","
	    "\"likelihood\":2,\"impact\":3,\"owner\":\"bob@example.org\","
	    "\"next_review\":\"2026-06-01\"}"), 0);
	json_decref(rec);
	assert_int_equal(count(db, "SELECT count(*) FROM work_items WHERE kind = 'risks' AND "
	    "owner = 'bob@example.org' AND due = '2026-06-01' AND assigned_by = 1"), 1);
	/* A failed write (a bad owner) changes nothing, its work item included. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "risks", "RISK-1", 0,
	    "{\"owner\":\"nobody@example.org\",\"next_review\":\"2026-07-01\"}"), AIMS_EINVALID);
	assert_int_equal(count(db, "SELECT count(*) FROM work_items WHERE due = '2026-06-01'"), 1);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "risks", "RISK-1", 0,
	    "{\"next_review\":\"2026-07-01\"}"), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM work_items WHERE kind = 'risks' "
	    "AND due = '2026-07-01'"), 1);
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, record_kind_find("risks"), "RISK-1",
	    0), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM work_items WHERE kind = 'risks'"), 0);
	assert_int_equal(record_verify_derived(db, FX_ORG), 0);
}

static void
test_work__until_done_and_my_work_groups(void **state)
{
	struct db *db = *state;
	json_t *w = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "tasks", "{\"title\":\"Old\","
	    "\"owner\":\"bob@example.org\",\"due\":\"2026-06-01\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "tasks", "{\"title\":\"Soon\","
	    "\"owner\":\"bob@example.org\",\"due\":\"2026-06-12\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "tasks", "{\"title\":\"Later\","
	    "\"owner\":\"bob@example.org\",\"due\":\"2026-09-01\"}"), 0);
	assert_int_equal(work_mine(&w, db, FX_ORG, &fx_bob, NOW), 0);
	assert_string_equal(json_string_value(json_object_get(w, "today")), "2026-06-10");
	assert_int_equal(json_array_size(group(w, "overdue")), 1);
	assert_int_equal(json_array_size(group(w, "this_week")), 1);
	assert_int_equal(json_array_size(group(w, "later")), 1);
	assert_false(json_is_true(json_object_get(json_array_get(group(w, "overdue"), 0),
	    "generated")));
	json_decref(w);
	assert_int_equal(work_mine(&w, db, FX_ORG, &fx_alice, NOW), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(w, "assigned_by_me"),
	    "count")), 3);
	json_decref(w);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "tasks", "TASK-1", 0,
	    "{\"status\":\"done\"}"), 0);
	assert_int_equal(work_mine(&w, db, FX_ORG, &fx_bob, NOW), 0);
	assert_int_equal(json_array_size(group(w, "overdue")), 0);
	json_decref(w);
	/* Work belongs to a person: not to the system. */
	assert_int_equal(work_mine(&w, db, FX_ORG, &ACTOR_SYSTEM, NOW), AIMS_EINVALID);
}

static void
test_work__approvals_for_who_may_sign_off(void **state)
{
	struct db *db = *state;
	json_t *w = NULL;
	const json_t *it;
	size_t i;
	int seen;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "documents", "{\"title\":\"Pol\","
	    "\"kind\":\"policy\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "documents", "DOC-1", 0,
	    "{\"status\":\"in_review\"}"), 0);
	/* Erin (manager) may approve Alice's document; Alice wrote it; Bob may not approve. */
	assert_int_equal(work_mine(&w, db, FX_ORG, &fx_erin, NOW), 0);
	seen = 0;
	json_array_foreach(group(w, "approvals"), i, it)
		seen += strcmp(json_string_value(json_object_get(it, "ref")), "DOC-1") == 0;
	assert_int_equal(seen, 1);
	json_decref(w);
	assert_int_equal(work_mine(&w, db, FX_ORG, &fx_alice, NOW), 0);
	json_array_foreach(group(w, "approvals"), i, it)
		assert_string_not_equal(json_string_value(json_object_get(it, "ref")), "DOC-1");
	json_decref(w);
	assert_int_equal(work_mine(&w, db, FX_ORG, &fx_bob, NOW), 0);
	assert_int_equal(json_array_size(group(w, "approvals")), 0);
	json_decref(w);
	/* Erin and Carol were told; Alice, who asked, was not; Bob may not sign off. */
	assert_int_equal(count(db, "SELECT count(*) FROM notifications WHERE event = "
	    "'approval_requested' AND ref = 'DOC-1' AND user_id IN (3, 5)"), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM notifications WHERE event = "
	    "'approval_requested' AND ref = 'DOC-1' AND user_id IN (1, 2)"), 0);
	assert_int_equal(testutil_rows_holding(db, "SELECT body FROM outbox WHERE channel = "
	    "'mail' AND event = 'approval_requested'", "DOC-1"), 2);
}

static void
test_work__calendar_before_each_external_audit(void **state)
{
	struct db *db = *state;
	json_t *cal = NULL;
	const json_t *ev;
	int64_t days = 0;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "certification", "{\"body\":\"CB\","
	    "\"stage1_date\":\"2026-07-01\",\"stage2_date\":\"2026-09-01\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "audits", "{\"title\":\"IA\","
	    "\"requirements\":[\"9.2\"],\"lead_auditor\":\"erin@example.org\","
	    "\"planned_start\":\"2026-08-01\"}"), 0);
	assert_int_equal(work_calendar(&cal, db, FX_ORG, NOW), 0);
	ev = json_object_get(cal, "events");
	assert_int_equal(json_array_size(ev), 2);
	assert_int_equal(json_array_size(json_object_get(json_array_get(ev, 0), "before")), 0);
	assert_int_equal(json_array_size(json_object_get(json_array_get(ev, 1), "before")), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(cal, "next"),
	    "what")), "Stage 1 audit");
	json_decref(cal);
	assert_int_equal(work_next_event(&days, NULL, db, FX_ORG, NOW), 0);
	assert_int_equal(days, 21);
	/* The other organisation has no cycle. */
	assert_int_equal(work_next_event(&days, NULL, db, FX_OTHER_ORG, NOW), 0);
	assert_int_equal(days, -1);
	/* A Stage 2 before Stage 1 is refused, naming the field. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "certification", "{\"body\":\"CB\","
	    "\"stage1_date\":\"2026-09-01\",\"stage2_date\":\"2026-07-01\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "stage2_date");
}

static void
test_work__notify_person_and_the_bell(void **state)
{
	struct db *db = *state;
	json_t *n = NULL;
	int64_t unread = -1;

	/* The actor is not told about their own change; a non-member is not told. */
	assert_int_equal(notify_person(db, FX_ORG, &fx_alice, 1, "mention", "risks", "RISK-9",
	    "you"), 0);
	assert_int_equal(notify_person(db, FX_OTHER_ORG, &fx_alice, 2, "mention", "", "", "x"), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM notifications WHERE event = 'mention'"), 0);
	assert_int_equal(notify_pref_set(db, 2, "digest"), 0);
	assert_int_equal(notify_pref_set(db, 2, "weekly"), AIMS_EINVALID);
	assert_int_equal(notify_person(db, FX_ORG, &fx_alice, 2, "mention", "risks", "RISK-9",
	    "Alice mentioned you on RISK-9"), 0);
	assert_int_equal(notify_unread(&unread, db, FX_ORG, 2), 0);
	assert_int_equal(unread, 1);
	/* Bob chose the digest: no immediate mail. */
	assert_int_equal(count(db, "SELECT count(*) FROM outbox WHERE target = 2"), 0);
	assert_int_equal(notify_list(&n, db, FX_ORG, 2), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(n, "items"), 0), "text")), "Alice mentioned you on RISK-9");
	json_decref(n);
	assert_int_equal(notify_mark_read(db, FX_ORG, 2, 0), 0);
	assert_int_equal(notify_unread(&unread, db, FX_ORG, 2), 0);
	assert_int_equal(unread, 0);
	/* The digest: once a day, after the hour. */
	{
		int queued = -1;

		assert_int_equal(notify_digests_queue(&queued, db, NOW, 13), 0);
		assert_int_equal(queued, 0);
		assert_int_equal(notify_digests_queue(&queued, db, NOW, 6), 0);
		assert_int_equal(queued, 1);
		assert_int_equal(notify_digests_queue(&queued, db, NOW, 6), 0);
		assert_int_equal(queued, 0);
		assert_int_equal(count(db, "SELECT count(*) FROM outbox WHERE event = 'digest' "
		    "AND target = 2"), 1);
	}
}

static void
test_work__feed_keys_and_webhook_input(void **state)
{
	struct db *db = *state;
	struct feed_grant g;
	json_t *f = NULL, *w = NULL, *ev;
	char key[128], *url = NULL, *secret = NULL;
	const char *u;

	assert_int_equal(feed_create(&f, db, FX_ORG, &fx_bob, "org"), AIMS_EFORBIDDEN);
	assert_int_equal(feed_create(&f, db, FX_ORG, &fx_bob, "me"), 0);
	u = json_string_value(json_object_get(f, "url"));
	snprintf(key, sizeof(key), "%.*s", (int)(strlen(u) - strlen("/ical/") - 4), u + 6);
	assert_int_equal(feed_resolve(&g, db, key), 0);
	assert_int_equal(g.org_id, FX_ORG);
	assert_int_equal(g.user_id, 2);
	assert_string_equal(g.scope, "me");
	key[strlen(key) - 1] ^= 1;
	assert_int_equal(feed_resolve(&g, db, key), AIMS_ENOTFOUND);
	assert_int_equal(feed_resolve(&g, db, "-"), AIMS_ENOTFOUND);
	assert_int_equal(feed_resolve(&g, db, "1"), AIMS_ENOTFOUND);
	assert_int_equal(feed_resolve(&g, db, "99999999999999999999999-x"), AIMS_ENOTFOUND);
	/* Alice may not revoke Bob's feed: it is not hers to see. */
	assert_int_equal(feed_revoke(db, FX_ORG, &fx_alice,
	    json_integer_value(json_object_get(f, "id"))), AIMS_ENOTFOUND);
	assert_int_equal(feed_revoke(db, FX_ORG, &fx_bob,
	    json_integer_value(json_object_get(f, "id"))), 0);
	key[strlen(key) - 1] ^= 1;
	assert_int_equal(feed_resolve(&g, db, key), AIMS_ENOTFOUND);
	json_decref(f);

	ev = fx_json("[\"*\"]");
	assert_int_equal(webhook_create(&w, db, FX_ORG, &fx_carol, "gopher://x", ev), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "url");
	assert_int_equal(webhook_create(&w, db, FX_ORG, &fx_carol, "https://a:b@x.example/", ev),
	    AIMS_EINVALID);
	assert_int_equal(webhook_create(&w, db, FX_ORG, &fx_carol, "https://x.example/h", ev), 0);
	/* Kept sealed: the stored bytes are not the secret; it opens to the one shown. */
	assert_int_equal(count(db, "SELECT count(*) FROM webhooks"), 1);
	assert_int_equal(testutil_rows_holding(db, "SELECT secret_sealed FROM webhooks",
	    "whsec_"), 0);
	assert_int_equal(webhook_target(&url, &secret, db, FX_ORG,
	    json_integer_value(json_object_get(w, "id"))), 0);
	assert_string_equal(secret, json_string_value(json_object_get(w, "secret")));
	assert_string_equal(url, "https://x.example/h");
	/* Another organisation's id is not found. */
	free(url);
	free(secret);
	assert_int_equal(webhook_target(&url, &secret, db, FX_OTHER_ORG,
	    json_integer_value(json_object_get(w, "id"))), AIMS_ENOTFOUND);
	json_decref(w);
	json_decref(ev);
	assert_int_equal(record_verify_derived(db, FX_ORG), 0);
}

static void
test_work__verify_names_a_changed_item(void **state)
{
	struct db *db = *state;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "tasks", "{\"title\":\"T\","
	    "\"owner\":\"bob@example.org\",\"due\":\"2026-06-01\"}"), 0);
	assert_int_equal(record_verify_derived(db, FX_ORG), 0);
	assert_int_equal(db_exec(db, "UPDATE work_items SET due = '2030-01-01'"), 0);
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "work item due of tasks TASK-1"));
	assert_int_equal(db_exec(db, "DELETE FROM work_items"), 0);
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "is missing"));
}

/* The tasks list's total of all items (kept counts) and of a filter (counted). */
static void
tasks_totals(int64_t *all, int64_t *filtered, struct db *db, int64_t org)
{
	const struct record_kind *k = record_kind_find("tasks");
	struct record_query q = { .limit = 1, .with_extra = true };
	json_t *items = NULL;
	char *next = NULL;

	assert_int_equal(record_list(&items, &next, all, db, org, k, &q), 0);
	json_decref(items);
	free(next);
	q.filter_names[0] = "status";
	q.filter_values[0] = "open";
	q.nfilters = 1;
	assert_int_equal(record_list(&items, &next, filtered, db, org, k, &q), 0);
	json_decref(items);
	free(next);
}

static void
test_work__tasks_total_follows_items(void **state)
{
	struct db *db = *state;
	const struct record_kind *risks = record_kind_find("risks");
	int64_t all = -1, filtered = -1;
	int i;

	for (i = 0; i < 3; i++)
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "risks", "{\"title\":"
		    "\"Drift\",\"likelihood\":2,\"impact\":3,\"owner\":\"bob@example.org\","
		    "\"next_review\":\"2026-06-01\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "tasks", "{\"title\":\"Call\","
	    "\"owner\":\"bob@example.org\",\"due\":\"2026-06-20\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_OTHER_ORG, &fx_alice, "risks", "{\"title\":"
	    "\"Bias\",\"likelihood\":2,\"impact\":3,\"next_review\":\"2026-06-01\"}"), 0);
	/* The hand task and three reviews; the other org's review is not counted. */
	tasks_totals(&all, &filtered, db, FX_ORG);
	assert_int_equal(all, 4);
	assert_int_equal(filtered, 4);
	assert_int_equal(count(db, "SELECT n FROM work_item_counts WHERE kind = 'risks' "
	    "AND org_id = 1"), 3);
	/* A change moves the item, a failed one nothing, a delete takes it. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "risks", "RISK-2", 0,
	    "{\"next_review\":\"2026-07-01\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "risks", "RISK-2", 0,
	    "{\"owner\":\"nobody@example.org\"}"), AIMS_EINVALID);
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, risks, "RISK-1", 0), 0);
	tasks_totals(&all, &filtered, db, FX_ORG);
	assert_int_equal(all, 3);
	assert_int_equal(filtered, 3);
	tasks_totals(&all, &filtered, db, FX_OTHER_ORG);
	assert_int_equal(all, 1);
	assert_int_equal(record_verify_derived(db, FX_ORG), 0);
	/* A count changed behind core is named by the verifier. */
	assert_int_equal(db_exec(db, "UPDATE work_item_counts SET n = 7 WHERE kind = 'risks'"),
	    0);
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "work_item_counts says 7 work items of "
	    "risks, work_items holds 2"));
}

static void
test_work__outbox_claims_backs_off_and_gives_up(void **state)
{
	struct db *db = *state;
	json_t *items = NULL, *w = NULL, *ev = fx_json("[\"record.created\"]");
	time_t T = clock_now() + 1;	/* the rows are due from when they were written */
	int64_t id;

	assert_int_equal(webhook_create(&w, db, FX_ORG, &fx_carol, "https://x.example/h", ev), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "risks", "{\"title\":\"R\","
	    "\"likelihood\":1,\"impact\":1}"), 0);
	/* Mail waits while none is set up; the webhook row is claimed once, for a lease. */
	assert_int_equal(outbox_claim(&items, db, T, 16, false), 0);
	assert_int_equal(json_array_size(items), 1);
	id = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "attempts")), 1);
	json_decref(items);
	assert_int_equal(outbox_claim(&items, db, T, 16, false), 0);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);
	assert_int_equal(outbox_claim(&items, db, T + OUTBOX_LEASE_SEC + 1, 16, false), 0);
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);
	/* Attempt 3 failed at T: the next is due after 10 * 2^2 seconds, not before. */
	assert_int_equal(db_exec(db, "UPDATE outbox SET attempts = 3"), 0);
	assert_int_equal(outbox_finish(db, id, false, 3, 5, 10, "answered 500", T), 0);
	assert_int_equal(outbox_claim(&items, db, T + 39, 16, false), 0);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);
	assert_int_equal(outbox_claim(&items, db, T + 40, 16, false), 0);
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);
	/* Attempt 4 fails (of 5): due after 80 s; attempt 5, the last, fails: failed for good. */
	assert_int_equal(outbox_finish(db, id, false, 4, 5, 10, "answered 500", T), 0);
	assert_int_equal(outbox_claim(&items, db, T + 80, 16, false), 0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "attempts")), 5);
	json_decref(items);
	assert_int_equal(outbox_finish(db, id, false, 5, 5, 10, "answered 500", T), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM outbox WHERE state = 'failed' AND "
	    "last_error = 'answered 500'"), 1);
	assert_int_equal(outbox_claim(&items, db, T + 86400, 16, false), 0);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);
	/* Settled rows and old log entries go after they are kept; pending rows stay. */
	assert_int_equal(db_exec(db, "UPDATE outbox SET created_at = '2020-01-01T00:00:00Z'; "
	    "INSERT INTO webhook_deliveries (org_id, webhook_id, outbox_id, event, attempt, at, "
	    "status, ok) VALUES (1, 1, 1, 'record.created', 1, '2020-01-01T00:00:00Z', 500, 0)"), 0);
	assert_int_equal(outbox_expire(db, T), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM outbox WHERE state = 'failed'"), 0);
	assert_true(count(db, "SELECT count(*) FROM outbox WHERE state = 'pending'") > 0);
	assert_int_equal(count(db, "SELECT count(*) FROM webhook_deliveries"), 0);
	/* A mail row goes once mail is set up. */
	assert_int_equal(outbox_claim(&items, db, T, 16, true), 0);
	assert_true(json_array_size(items) > 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0),
	    "channel")), "mail");
	json_decref(items);
	json_decref(w);
	json_decref(ev);
}

/* Both channels claimed in the order they fell due, whichever index range they come from. */
static void
test_work__outbox_claims_channels_in_due_order(void **state)
{
	struct db *db = *state;
	json_t *items = NULL, *w = NULL, *ev = fx_json("[\"record.created\"]");
	time_t T = clock_now() + 1;

	assert_int_equal(webhook_create(&w, db, FX_ORG, &fx_carol, "https://x.example/h", ev), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "risks", "{\"title\":\"R\","
	    "\"likelihood\":1,\"impact\":1}"), 0);
	assert_true(count(db, "SELECT count(*) FROM outbox WHERE channel = 'mail'") > 0);
	assert_int_equal(db_exec(db, "UPDATE outbox SET next_at = '2020-01-02T00:00:00Z' "
	    "WHERE channel = 'webhook'; UPDATE outbox SET next_at = '2020-01-01T00:00:00Z' "
	    "WHERE channel = 'mail'"), 0);
	/* The mail rows fell due first: with mail on, one row claimed is mail. */
	assert_int_equal(outbox_claim(&items, db, T, 1, true), 0);
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0),
	    "channel")), "mail");
	json_decref(items);
	/* With mail off, the webhook row, and no mail row touched. */
	assert_int_equal(outbox_claim(&items, db, T, 16, false), 0);
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0),
	    "channel")), "webhook");
	json_decref(items);
	assert_int_equal(count(db, "SELECT count(*) FROM outbox WHERE channel = 'mail' AND "
	    "attempts > 1"), 0);
	/* A disabled webhook's rows wait. */
	assert_int_equal(db_exec(db, "UPDATE outbox SET next_at = '2020-01-01T00:00:00Z' "
	    "WHERE channel = 'webhook'; UPDATE webhooks SET enabled = 0"), 0);
	assert_int_equal(outbox_claim(&items, db, T, 16, false), 0);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);
	json_decref(w);
	json_decref(ev);
}

/* The tasks list: tree and text alike, hand tasks first, pages over both, read-only items. */
static void
test_work__tasks_list_with_generated(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("tasks");
	struct record_query q = { .limit = 1, .with_extra = true };
	struct buf text = BUF_INIT;
	json_t *items = NULL, *all = json_array();
	char *next = NULL, *cursor = NULL, *dump;
	int64_t total = 0;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "tasks", "{\"title\":\"Call\","
	    "\"owner\":\"bob@example.org\",\"due\":\"2026-06-20\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_alice, "risks", "{\"title\":\"Drift\","
	    "\"likelihood\":2,\"impact\":3,\"owner\":\"bob@example.org\","
	    "\"next_review\":\"2026-06-01\"}"), 0);
	/* Without asking: the records alone (what exports and copies read). */
	q.limit = 10;
	q.with_extra = false;
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(total, 1);
	assert_int_equal(json_array_size(items), 1);
	assert_null(json_object_get(json_array_get(items, 0), "generated"));
	json_decref(items);
	/* One a page: the hand task, then the risk's review; the total counts both. */
	q.limit = 1;
	q.with_extra = true;
	do {
		q.cursor = cursor;
		assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
		assert_int_equal(total, 2);
		buf_reset(&text);
		free(next);
		assert_int_equal(record_list_text(&text, &next, NULL, db, FX_ORG, k, &q), 0);
		dump = json_dumps(items, JSON_COMPACT | JSON_PRESERVE_ORDER);
		assert_string_equal(buf_str(&text), dump);
		free(dump);
		json_array_extend(all, items);
		json_decref(items);
		free(cursor);
		cursor = next;
	} while (cursor != NULL);
	assert_int_equal(json_array_size(all), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(all, 0), "ref")),
	    "TASK-1");
	assert_true(json_is_false(json_object_get(json_array_get(all, 0), "generated")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(all, 1), "ref")),
	    "RISK-1.next_review");
	assert_string_equal(json_string_value(json_object_get(json_array_get(all, 1), "source")),
	    "RISK-1");
	assert_true(json_is_true(json_object_get(json_array_get(all, 1), "generated")));
	/* A cursor into the generated ones that is not one of theirs. */
	q.cursor = "x.bm90LWpzb24";
	assert_int_equal(record_list(&items, &next, NULL, db, FX_ORG, k, &q), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "cursor");
	/* Read-only: a change names the source; another org's item is not found. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "tasks", "RISK-1.next_review", 0,
	    "{\"status\":\"done\"}"), AIMS_ECONFLICT);
	assert_non_null(strstr(aims_error_message(), "completing RISK-1"));
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, k, "RISK-1.next_review", 0),
	    AIMS_ECONFLICT);
	assert_int_equal(record_delete(db, FX_OTHER_ORG, &fx_alice, k, "RISK-1.next_review", 0),
	    AIMS_ENOTFOUND);
	q.cursor = NULL;
	assert_int_equal(record_list(&items, &next, &total, db, FX_OTHER_ORG, k, &q), 0);
	assert_int_equal(total, 0);
	json_decref(items);
	json_decref(all);
	buf_free(&text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_work__items_follow_the_record_in_its_transaction,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_work__tasks_total_follows_items, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_work__tasks_list_with_generated, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_work__until_done_and_my_work_groups, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_work__approvals_for_who_may_sign_off, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_work__calendar_before_each_external_audit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_work__notify_person_and_the_bell, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_work__feed_keys_and_webhook_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_work__verify_names_a_changed_item, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_work__outbox_claims_channels_in_due_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_work__outbox_claims_backs_off_and_gives_up,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
