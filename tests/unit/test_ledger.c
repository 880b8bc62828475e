/*
 * test_ledger.c - appending, verifying and tamper detection of the ledger,
 * inclusion proofs, and the key files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "ledger/canon.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "ledger/sha256.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"

#define TEST_DB "ledger.db"

struct fixture {
	struct db		*db;
	struct ledger_key	*key;
	struct note_verifier	 pub;
};

static const uint8_t test_seed[32] = { 1, 2, 3 };
static const uint8_t other_seed[32] = { 9, 9, 9 };

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || sodium_init() < 0)
		return -1;
	unlink(TEST_DB);
	unlink(TEST_DB "-wal");
	unlink(TEST_DB "-shm");
	if (db_open(&f->db, TEST_DB, DB_OPEN_CREATE) != 0 ||
	    ledger_key_from_seed(&f->key, LEDGER_KEY_NAME, test_seed) != 0)
		return -1;
	ledger_key_use(f->key);
	ledger_key_public(&f->pub, f->key);
	if (db_exec(f->db, "INSERT INTO orgs (id, slug, name, created_at, updated_at) VALUES "
	    "(1, 'demo', 'Demo', 't', 't'), (2, 'acme', 'Acme', 't', 't');"
	    "CREATE TABLE things (org_id INTEGER, ref TEXT, body TEXT, version INTEGER,"
	    " PRIMARY KEY (org_id, ref));"
	    "CREATE TABLE thing_versions (org_id INTEGER, ref TEXT, version INTEGER,"
	    " action TEXT, body TEXT, PRIMARY KEY (org_id, ref, version))") != 0)
		return -1;
	ledger_set_record_source(NULL, NULL);
	ledger_set_history_source(NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	ledger_key_use(NULL);
	ledger_key_free(f->key);
	db_close(f->db);
	free(f);
	return 0;
}

/* The record of a thing, as core would give it to ledger_append(). */
static json_t *
thing_record(const char *ref, const char *body, int64_t version)
{
	return json_pack("{s:s, s:s, s:I}", "ref", ref, "body", body, "version",
	    (json_int_t)version);
}

/* A record loader over the things table, as core provides for its kinds. */
static int
thing_load(json_t **out, struct db *db, int64_t org_id, const char *kind, const char *ref)
{
	struct db_stmt *st;
	int rc;

	*out = NULL;
	if (strcmp(kind, "thing") != 0)
		return AIMS_EUNSUPPORTED;
	if ((rc = db_prepare(&st, db, "SELECT body, version FROM things "
	    "WHERE org_id = ? AND ref = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = thing_record(ref, db_column_text(st, 0), db_column_int64(st, 1));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = AIMS_ENOTFOUND;
	db_done(st);
	return rc;
}

static int
thing_enum(struct db *db, int64_t org_id, ledger_record_fn fn, void *arg)
{
	struct db_stmt *st;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT ref FROM things WHERE org_id = ? ORDER BY ref")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW)
		if ((rc = fn(arg, "thing", db_column_text(st, 0))) != 0)
			break;
	db_done(st);
	return rc < 0 ? rc : rc == DB_DONE ? 0 : rc;
}

/* A core-style mutation: write the row and its entry in one transaction. */
static int64_t
thing_put(struct db *db, int64_t org, const char *ref, const char *body, int64_t version)
{
	struct db_stmt *st;
	json_t *rec = thing_record(ref, body, version);
	struct ledger_event ev = { org, "user:ann@example.com", version == 1 ? "create" : "update",
	    "thing", ref, version, rec };
	int64_t seq = 0;

	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_prepare(&st, db, "INSERT INTO things VALUES (?, ?, ?, ?) ON CONFLICT "
	    "(org_id, ref) DO UPDATE SET body = excluded.body, version = excluded.version"), 0);
	db_bind_int64(st, 1, org);
	db_bind_text(st, 2, ref);
	db_bind_text(st, 3, body);
	db_bind_int64(st, 4, version);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(db_prepare(&st, db, "INSERT INTO thing_versions VALUES (?, ?, ?, ?, ?)"), 0);
	db_bind_int64(st, 1, org);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, version);
	db_bind_text(st, 4, ev.action);
	db_bind_text(st, 5, body);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(ledger_append(&seq, db, &ev), 0);
	assert_int_equal(db_commit(db), 0);
	json_decref(rec);
	return seq;
}

/* The history side: thing_versions as a core kind's stored versions. */
static int
thing_load_version(json_t **out, char action[LEDGER_FIELD_MAX + 1], struct db *db,
    int64_t org_id, const char *kind, const char *ref, int64_t version)
{
	struct db_stmt *st;
	int rc;

	*out = NULL;
	if (strcmp(kind, "thing") != 0)
		return AIMS_EUNSUPPORTED;
	if ((rc = db_prepare(&st, db, "SELECT body, action FROM thing_versions "
	    "WHERE org_id = ? AND ref = ? AND version = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, version);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = thing_record(ref, db_column_text(st, 0), version);
		snprintf(action, LEDGER_FIELD_MAX + 1, "%s", db_column_text(st, 1));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = AIMS_ENOTFOUND;
	db_done(st);
	return rc;
}

static int
thing_enum_versions(struct db *db, int64_t org_id, ledger_version_fn fn, void *arg)
{
	struct db_stmt *st;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT ref, version FROM thing_versions WHERE org_id = ? "
	    "ORDER BY ref, version")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW)
		if ((rc = fn(arg, "thing", db_column_text(st, 0), db_column_int64(st, 1))) != 0)
			break;
	db_done(st);
	return rc < 0 ? rc : rc == DB_DONE ? 0 : rc;
}

static int thing_check_finding;	/* set by a test: the check reports a derived row */

static int
thing_check(struct db *db, int64_t org_id)
{
	(void)db;
	if (thing_check_finding)
		return aims_error_set(AIMS_EVERIFY, NULL, "thing list column of org %lld is stale",
		    (long long)org_id);
	return 0;
}

static const struct ledger_history_source thing_history = {
	.load_version = thing_load_version,
	.enumerate_versions = thing_enum_versions,
	.check = thing_check,
};

/* Appends n entries of kind risk in one transaction. */
static void
append_many(struct db *db, int64_t org, int n, int first_ref)
{
	struct ledger_event ev = { org, "user:bob@example.com", "update", "risk", NULL, 2, NULL };
	char ref[32];
	int64_t seq;
	json_t *rec;
	int i;

	assert_int_equal(db_begin(db), 0);
	for (i = 0; i < n; i++) {
		snprintf(ref, sizeof(ref), "RISK-%d", first_ref + i);
		rec = json_pack("{s:s, s:f}", "title", ref, "score", 0.5 * i);
		ev.ref = ref;
		ev.record = rec;
		assert_int_equal(ledger_append(&seq, db, &ev), 0);
		json_decref(rec);
	}
	assert_int_equal(db_commit(db), 0);
}

static int
verify(struct fixture *f, struct ledger_report *r)
{
	return ledger_verify(r, f->db, LEDGER_ALL_ORGS, &f->pub, thing_load, thing_enum);
}

static void
assert_verifies(struct fixture *f, struct ledger_report *r)
{
	if (verify(f, r) != 0)
		fail_msg("verify failed: %s", aims_error_message());
}

static void
assert_fails_with(struct fixture *f, const char *needle)
{
	struct ledger_report r;

	assert_int_equal(verify(f, &r), AIMS_EVERIFY);
	if (strstr(r.failure, needle) == NULL)
		fail_msg("expected '%s' in '%s'", needle, r.failure);
	assert_string_equal(aims_error_message(), r.failure);
}

static int64_t
count(struct db *db, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(db_query_int64(&n, db, sql), 0);
	return n;
}

/* Sets entry seq's leaf hash to 32 zero bytes behind the ledger's back (its trigger dropped). */
static void
zero_leaf(struct db *db, int64_t seq)
{
	static const unsigned char zero[MERKLE_HASH_LEN];
	struct db_stmt *st;

	assert_int_equal(db_prepare(&st, db, "UPDATE ledger_entries SET leaf_hash = ? "
	    "WHERE org_id = 1 AND seq = ?"), 0);
	db_bind_blob(st, 1, zero, sizeof(zero));
	db_bind_int64(st, 2, seq);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
}

static void
test_ledger__append_is_gapless_and_checkpointed_per_commit(void **state)
{
	struct fixture *f = *state;
	struct ledger_event ev = { 1, "cli", "create", "risk", "RISK-99", 1, NULL };
	struct ledger_report r;
	struct db_stmt *st;
	int64_t seq;

	assert_int_equal(thing_put(f->db, 1, "T-1", "first", 1), 1);
	append_many(f->db, 1, 5, 1);
	assert_int_equal(thing_put(f->db, 1, "T-1", "second", 2), 7);
	assert_int_equal(thing_put(f->db, 2, "T-1", "other org", 1), 1);
	/* A rolled back transaction leaves neither entry nor checkpoint. */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(ledger_append(&seq, f->db, &ev), 0);
	assert_int_equal(seq, 8);
	db_rollback(f->db);
	assert_int_equal(count(f->db, "SELECT max(seq) FROM ledger_entries WHERE org_id = 1"), 7);
	/* One checkpoint per committing transaction: sizes 1, 6, 7 and org 2's 1. */
	assert_int_equal(count(f->db, "SELECT count(*) FROM ledger_checkpoints"), 4);
	assert_int_equal(count(f->db, "SELECT sum(size) FROM ledger_checkpoints "
	    "WHERE org_id = 1"), 1 + 6 + 7);
	assert_verifies(f, &r);
	assert_string_equal(r.failure, "");
	assert_int_equal(r.orgs, 2);
	assert_int_equal(r.instance, 0);
	assert_int_equal(r.entries, 8);
	assert_int_equal(r.checkpoints, 4);
	assert_int_equal(r.records, 2);	/* the two things; risks have no loader */
	/* The next entry after the rollback is 8 again. */
	assert_int_equal(thing_put(f->db, 1, "T-2", "x", 1), 8);
	/* The database refuses an entry out of sequence (the leaf bound: a blob on either store). */
	assert_int_equal(db_prepare(&st, f->db, "INSERT INTO ledger_entries (org_id, seq, time, "
	    "actor, action, kind, ref, version, entry, leaf_hash) VALUES (1, 10, 't', 'a', 'b', "
	    "'c', 'd', 1, '{}', ?)"), 0);
	db_bind_blob(st, 1, "", 1);
	assert_true(db_step(st) < 0);
	assert_non_null(strstr(aims_error_message(), "seq"));
	db_done(st);
	assert_true(db_exec(f->db, "UPDATE ledger_entries SET actor = 'x' WHERE seq = 1") < 0);
	assert_true(db_exec(f->db, "DELETE FROM ledger_entries WHERE seq = 1") < 0);
	assert_int_equal(db_exec(f->db, "UPDATE ledger_entries SET salt = NULL WHERE seq = 1"), 0);
}

/* Appends one entry to org, expecting seq. */
static void
append_one(struct db *db, int64_t org, int64_t want)
{
	struct ledger_event ev = { org, "user:bob@example.com", "update", "risk", "RISK-1", 1,
	    NULL };
	int64_t seq;

	assert_int_equal(ledger_append(&seq, db, &ev), 0);
	assert_int_equal(seq, want);
}

/*
 * A transaction keeps the heads it appends to in memory and stores them at
 * the end; a group's request that fails is undone to its savepoint, its
 * appends and checkpoints with it, and the next request goes on from the
 * head as the kept requests left it.
 */
static void
test_ledger__failed_request_in_a_group_leaves_the_head(void **state)
{
	struct fixture *f = *state;
	struct ledger_report r;

	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_savepoint_begin(f->db), 0);
	append_one(f->db, 1, 1);
	append_one(f->db, 1, 2);
	/* A read in the transaction sees the head it keeps. */
	assert_int_equal(count(f->db, "SELECT size FROM ledger_heads WHERE org_id = 1"), 2);
	append_one(f->db, 1, 3);
	assert_int_equal(db_savepoint_end(f->db, 0), 0);
	assert_int_equal(db_savepoint_begin(f->db), 0);
	append_one(f->db, 1, 4);
	append_one(f->db, 2, 1);
	append_one(f->db, 1, 5);
	assert_int_equal(db_savepoint_end(f->db, AIMS_EINVALID), AIMS_EINVALID);
	assert_int_equal(db_savepoint_begin(f->db), 0);
	append_one(f->db, 1, 4);
	assert_int_equal(db_savepoint_end(f->db, 0), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(count(f->db, "SELECT size FROM ledger_heads WHERE org_id = 1"), 4);
	assert_int_equal(count(f->db, "SELECT count(*) FROM ledger_heads WHERE org_id = 2"), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM ledger_entries"), 4);
	/* One checkpoint, of the committed state; none for the undone org 2. */
	assert_int_equal(count(f->db, "SELECT count(*) FROM ledger_checkpoints"), 1);
	assert_int_equal(count(f->db, "SELECT size FROM ledger_checkpoints"), 4);
	assert_verifies(f, &r);
	assert_int_equal(r.entries, 4);
	/* A rollback of the whole drops what it kept: the next transaction reads the head. */
	assert_int_equal(db_begin(f->db), 0);
	append_one(f->db, 1, 5);
	append_one(f->db, 2, 1);
	db_rollback(f->db);
	append_many(f->db, 2, 2, 1);
	assert_int_equal(db_begin(f->db), 0);
	append_one(f->db, 1, 5);
	append_one(f->db, 2, 3);
	assert_int_equal(db_commit(f->db), 0);
	assert_verifies(f, &r);
	assert_int_equal(r.entries, 8);
	assert_int_equal(r.checkpoints, 4);
}

/* The head's mark moves with every committed append, per organisation, and not with a rollback. */
static void
test_ledger__head_mark_moves_with_the_log(void **state)
{
	struct fixture *f = *state;
	struct ledger_event ev = { 1, "cli", "create", "risk", "RISK-98", 1, NULL };
	struct ledger_mark none, m1, again, m2, other, after;
	int64_t seq;

	assert_int_equal(ledger_head_mark(&none, f->db, 1), 0);
	assert_int_equal(none.size, 0);
	assert_int_equal(thing_put(f->db, 1, "T-1", "first", 1), 1);
	assert_int_equal(ledger_head_mark(&m1, f->db, 1), 0);
	assert_int_equal(m1.size, 1);
	assert_int_equal(ledger_head_mark(&again, f->db, 1), 0);
	assert_memory_equal(&m1, &again, sizeof(m1));
	assert_int_equal(thing_put(f->db, 2, "T-1", "other org", 1), 1);
	assert_int_equal(ledger_head_mark(&again, f->db, 1), 0);
	assert_memory_equal(&m1, &again, sizeof(m1));
	assert_int_equal(ledger_head_mark(&other, f->db, 2), 0);
	assert_int_equal(other.size, 1);
	assert_memory_not_equal(m1.digest, other.digest, sizeof(m1.digest));
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(ledger_append(&seq, f->db, &ev), 0);
	db_rollback(f->db);
	assert_int_equal(ledger_head_mark(&after, f->db, 1), 0);
	assert_memory_equal(&m1, &after, sizeof(m1));
	assert_int_equal(thing_put(f->db, 1, "T-1", "second", 2), 2);
	assert_int_equal(ledger_head_mark(&m2, f->db, 1), 0);
	assert_int_equal(m2.size, 2);
	assert_memory_not_equal(m1.digest, m2.digest, sizeof(m1.digest));
}

static void
test_ledger__append_needs_key_transaction_and_fields(void **state)
{
	struct fixture *f = *state;
	struct ledger_event ev = { 1, "cli", "create", "risk", "RISK-1", 1, NULL };
	int64_t seq;

	assert_int_equal(ledger_append(&seq, f->db, &ev), AIMS_ERROR);	/* no transaction */
	assert_int_equal(db_begin(f->db), 0);
	ledger_key_use(NULL);
	assert_int_equal(ledger_append(&seq, f->db, &ev), AIMS_ERROR);
	assert_non_null(strstr(aims_error_message(), "no ledger signing key is loaded"));
	ledger_key_use(f->key);
	ev.kind = "";
	assert_int_equal(ledger_append(&seq, f->db, &ev), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "kind");
	ev.kind = "risk";
	ev.actor = "\xff";
	assert_int_equal(ledger_append(&seq, f->db, &ev), AIMS_EINVALID);
	ev.actor = "cli";
	assert_int_equal(ledger_append(&seq, f->db, &ev), 0);
	/* The key vanishing before commit fails the commit, not silently. */
	ledger_key_use(NULL);
	assert_int_equal(db_commit(f->db), AIMS_ERROR);
	ledger_key_use(f->key);
	assert_int_equal(count(f->db, "SELECT count(*) FROM ledger_entries"), 0);
}

static void
test_ledger__entry_is_canonical_json_of_its_fields(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st;
	struct merkle_hash leaf;
	const void *p;
	char want[512], *hex;
	size_t len;

	setenv("AIMS_FAKE_NOW", "2026-01-02T03:04:05Z", 1);
	thing_put(f->db, 1, "T-\"1\"", "b", 1);
	unsetenv("AIMS_FAKE_NOW");
	assert_int_equal(db_prepare(&st, f->db, "SELECT entry, leaf_hash, commitment "
	    "FROM ledger_entries WHERE org_id = 1 AND seq = 1"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	p = db_column_blob(st, 2, &len);
	assert_int_equal(len, LEDGER_COMMIT_LEN);
	hex = calloc(1, 2 * len + 1);
	sodium_bin2hex(hex, 2 * len + 1, p, len);
	snprintf(want, sizeof(want), "{\"action\":\"create\",\"actor\":\"user:ann@example.com\","
	    "\"commitment\":\"%s\",\"kind\":\"thing\",\"ref\":\"T-\\\"1\\\"\",\"seq\":1,"
	    "\"time\":\"2026-01-02T03:04:05Z\",\"version\":1}", hex);
	assert_string_equal(db_column_text(st, 0), want);
	merkle_hash_leaf(&leaf, want, strlen(want));
	p = db_column_blob(st, 1, &len);
	assert_int_equal(len, MERKLE_HASH_LEN);
	assert_memory_equal(p, leaf.h, MERKLE_HASH_LEN);
	db_done(st);
	free(hex);
}

static void
test_ledger__changed_ledger_row_is_detected(void **state)
{
	struct fixture *f = *state;

	append_many(f->db, 1, 4, 1);
	append_many(f->db, 1, 4, 5);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER ledger_entries_append_only"), 0);
	assert_int_equal(db_exec(f->db, "UPDATE ledger_entries SET actor = 'user:mallory' "
	    "WHERE org_id = 1 AND seq = 3"), 0);
	assert_fails_with(f, "org demo: entry 3 (risk RISK-3 update) does not match its leaf hash");
	assert_int_equal(db_exec(f->db, "UPDATE ledger_entries SET actor = 'user:bob@example.com' "
	    "WHERE org_id = 1 AND seq = 3"), 0);
	/* The stored entry text alone. */
	assert_int_equal(db_exec(f->db, "UPDATE ledger_entries SET entry = replace(entry, "
	    "'\"version\":2', '\"version\":3') WHERE org_id = 1 AND seq = 6"), 0);
	assert_fails_with(f, "entry 6 (risk RISK-6 update) does not match its leaf hash");
}

/*
 * A long stretch between checkpoints is hashed on the second thread: the
 * log still verifies, a changed leaf is named, and of two findings the
 * earlier entry's is named even when the later one is found first.
 */
static void
test_ledger__pipelined_stretch_names_the_first_finding(void **state)
{
	struct fixture *f = *state;
	struct ledger_report r;

	append_many(f->db, 1, 3000, 1);
	append_many(f->db, 1, 10, 3001);	/* a short stretch: hashed in line */
	assert_verifies(f, &r);
	assert_int_equal(r.entries, 3010);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER ledger_entries_append_only"), 0);
	zero_leaf(f->db, 1500);
	assert_fails_with(f, "entry 1500 (risk RISK-1500 update) does not match its leaf hash");
	assert_int_equal(verify(f, &r), AIMS_EVERIFY);
	assert_int_equal(r.entries, 1499);
	/* A later entry's text, and a later gap the reader finds first: the earliest is named. */
	assert_int_equal(db_exec(f->db, "UPDATE ledger_entries SET entry = replace(entry, "
	    "'\"version\":2', '\"version\":3') WHERE org_id = 1 AND seq = 1600"), 0);
	assert_fails_with(f, "entry 1500 (risk RISK-1500 update) does not match its leaf hash");
	assert_int_equal(db_exec(f->db, "DROP TRIGGER ledger_entries_no_delete"), 0);
	assert_int_equal(db_exec(f->db, "DELETE FROM ledger_entries WHERE org_id = 1 AND seq = 2500"),
	    0);
	assert_fails_with(f, "entry 1500 (risk RISK-1500 update) does not match its leaf hash");
}

/*
 * On the second thread the entry is rebuilt from its columns: a changed
 * column, the stored text alone, or a commitment removed (the form of a
 * delete) in a long stretch is each named by its entry.
 */
static void
test_ledger__pipelined_stretch_checks_every_column(void **state)
{
	struct fixture *f = *state;
	struct ledger_report r;

	append_many(f->db, 1, 3000, 1);
	assert_verifies(f, &r);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER ledger_entries_append_only"), 0);
	assert_int_equal(db_exec(f->db, "UPDATE ledger_entries SET kind = 'policy' "
	    "WHERE org_id = 1 AND seq = 2999"), 0);
	assert_fails_with(f, "entry 2999 (policy RISK-2999 update) does not match its leaf hash");
	assert_int_equal(db_exec(f->db, "UPDATE ledger_entries SET commitment = NULL "
	    "WHERE org_id = 1 AND seq = 2000"), 0);
	assert_fails_with(f, "entry 2000 (risk RISK-2000 update) does not match its leaf hash");
	assert_int_equal(db_exec(f->db, "UPDATE ledger_entries SET entry = replace(entry, "
	    "'RISK-', 'RISC-') WHERE org_id = 1 AND seq = 700"), 0);
	assert_fails_with(f, "entry 700 (risk RISK-700 update) does not match its leaf hash");
}

/*
 * The records pass skips the rest of a kind whose entries are events (no
 * live records, no stored history): records and versions of kinds on
 * either side of it are still each checked.
 */
static void
test_ledger__events_are_skipped_not_the_records_around_them(void **state)
{
	struct fixture *f = *state;
	struct ledger_event ev = { 1, "user:ann@example.com", "signal", "zz-event", NULL, 1, NULL };
	struct ledger_report r;
	char ref[32];
	int64_t seq;
	int i;

	ledger_set_history_source(&thing_history);
	thing_put(f->db, 1, "T-1", "one", 1);
	thing_put(f->db, 1, "T-1", "one again", 2);
	assert_int_equal(db_begin(f->db), 0);
	for (i = 0; i < 50; i++) {
		snprintf(ref, sizeof(ref), "E-%d", i);
		ev.ref = ref;
		assert_int_equal(ledger_append(&seq, f->db, &ev), 0);
	}
	assert_int_equal(db_commit(f->db), 0);
	append_many(f->db, 1, 20, 1);		/* "risk": an event kind below "thing" */
	thing_put(f->db, 1, "T-2", "two", 1);
	assert_verifies(f, &r);
	assert_int_equal(r.records, 2);
	assert_int_equal(r.versions, 3);
	assert_int_equal(db_exec(f->db, "UPDATE thing_versions SET body = 'forged' "
	    "WHERE ref = 'T-1' AND version = 1"), 0);
	assert_fails_with(f, "record T-1 (thing) version 1 differs from ledger entry");
}

/* A row rewritten with a matching entry text and leaf breaks the tree instead. */
static void
test_ledger__consistently_rewritten_entry_breaks_checkpoint(void **state)
{
	struct fixture *f = *state;
	struct ledger_entry e = { 1, 7, "2020-01-01T00:00:00Z", "user:mallory", "update", "risk",
	    "RISK-7", 2, NULL, NULL };
	struct merkle_hash leaf;
	struct buf text = BUF_INIT;
	struct db_stmt *st;

	append_many(f->db, 1, 4, 1);
	append_many(f->db, 1, 4, 5);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER ledger_entries_append_only"), 0);
	assert_int_equal(ledger__entry_text(&text, &e), 0);
	merkle_hash_leaf(&leaf, text.data, text.len);
	assert_int_equal(db_prepare(&st, f->db, "UPDATE ledger_entries SET time = ?, actor = ?, "
	    "commitment = NULL, entry = ?, leaf_hash = ? WHERE org_id = 1 AND seq = 7"), 0);
	db_bind_text(st, 1, e.time);
	db_bind_text(st, 2, e.actor);
	db_bind_text(st, 3, buf_str(&text));
	db_bind_blob(st, 4, leaf.h, MERKLE_HASH_LEN);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	buf_free(&text);
	assert_fails_with(f, "org demo: checkpoint at size 8");
	assert_fails_with(f, "is not consistent with the checkpoint at size 4 (or entries 5..8 "
	    "were changed)");
}

static void
test_ledger__changed_domain_row_is_detected(void **state)
{
	struct fixture *f = *state;
	struct ledger_report r;

	thing_put(f->db, 1, "T-1", "one", 1);
	thing_put(f->db, 1, "T-2", "two", 1);
	thing_put(f->db, 1, "T-1", "one again", 2);
	assert_verifies(f, &r);
	assert_int_equal(r.records, 2);
	assert_int_equal(db_exec(f->db, "UPDATE things SET body = 'forged' WHERE ref = 'T-1'"), 0);
	assert_fails_with(f, "org demo: record T-1 (thing) differs from its latest ledger "
	    "commitment (entry 3)");
	/* Without a record source the logs alone still verify, and say so. */
	assert_int_equal(ledger_verify(&r, f->db, 1, &f->pub, NULL, NULL), 0);
	assert_int_equal(r.records_checked, 0);
}

static void
test_ledger__deleted_row_is_detected(void **state)
{
	struct fixture *f = *state;
	struct ledger_report r;
	struct ledger_event del = { 1, "cli", "delete", "thing", "T-2", 2, NULL };
	int64_t seq;

	thing_put(f->db, 1, "T-1", "one", 1);
	thing_put(f->db, 1, "T-2", "two", 1);
	/* A delete through the ledger verifies. */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_exec(f->db, "DELETE FROM things WHERE ref = 'T-2'"), 0);
	assert_int_equal(ledger_append(&seq, f->db, &del), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_verifies(f, &r);
	/* One behind its back does not. */
	assert_int_equal(db_exec(f->db, "DELETE FROM things WHERE ref = 'T-1'"), 0);
	assert_fails_with(f, "org demo: record T-1 (thing) was deleted without a ledger entry");
}

static void
test_ledger__row_without_entry_is_detected(void **state)
{
	struct fixture *f = *state;

	thing_put(f->db, 2, "T-1", "one", 1);
	assert_int_equal(db_exec(f->db, "INSERT INTO things VALUES (2, 'T-9', 'sneaky', 1)"), 0);
	assert_fails_with(f, "org acme: record T-9 (thing) has no ledger entry");
}

static void
test_ledger__checkpoint_by_another_key_is_detected(void **state)
{
	struct fixture *f = *state;
	struct ledger_key *other;

	append_many(f->db, 1, 3, 1);
	assert_int_equal(ledger_key_from_seed(&other, LEDGER_KEY_NAME, other_seed), 0);
	ledger_key_use(other);
	append_many(f->db, 1, 2, 4);
	ledger_key_use(f->key);
	ledger_key_free(other);
	assert_fails_with(f, "org demo: checkpoint at size 5");
	assert_fails_with(f, "does not verify: note is not signed by key openaims+");
}

/* Re-signed with the right key over a wrong root: not consistent. */
static void
test_ledger__inconsistent_checkpoint_is_detected(void **state)
{
	struct fixture *f = *state;
	struct note_signer s;
	struct merkle_hash root;
	struct buf text = BUF_INIT, note = BUF_INIT;
	struct db_stmt *st;

	append_many(f->db, 1, 3, 1);
	append_many(f->db, 1, 3, 4);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER ledger_checkpoints_no_delete; "
	    "DELETE FROM ledger_checkpoints WHERE org_id = 1 AND size = 6"), 0);
	memset(root.h, 0x42, sizeof(root.h));
	note_checkpoint_text(&text, "openaims/1", 6, &root);
	assert_int_equal(note_signer_init(&s, LEDGER_KEY_NAME, test_seed), 0);
	assert_int_equal(note_sign(&note, text.data, text.len, &s), 0);
	assert_int_equal(db_prepare(&st, f->db, "INSERT INTO ledger_checkpoints VALUES "
	    "(1, 6, ?, ?, 'forged')"), 0);
	db_bind_blob(st, 1, root.h, sizeof(root.h));
	db_bind_text(st, 2, buf_str(&note));
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_fails_with(f, "org demo: checkpoint at size 6 (forged) is not consistent with the "
	    "checkpoint at size 3");
	/* The first checkpoint has nothing before it: it must match the entries. */
	assert_int_equal(db_exec(f->db, "DELETE FROM ledger_checkpoints WHERE size = 3"), 0);
	buf_reset(&text);
	buf_reset(&note);
	note_checkpoint_text(&text, "openaims/1", 3, &root);
	assert_int_equal(note_sign(&note, text.data, text.len, &s), 0);
	assert_int_equal(db_prepare(&st, f->db, "INSERT INTO ledger_checkpoints VALUES "
	    "(1, 3, ?, ?, 'forged')"), 0);
	db_bind_blob(st, 1, root.h, sizeof(root.h));
	db_bind_text(st, 2, buf_str(&note));
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_fails_with(f, "checkpoint at size 3 (forged) does not match entries 1..3");
	buf_free(&text);
	buf_free(&note);
}

static void
test_ledger__bad_signature_is_detected(void **state)
{
	struct fixture *f = *state;

	append_many(f->db, 2, 2, 1);
	append_many(f->db, 2, 2, 3);
	/* Change the tree size in the note text but keep the old signature. */
	assert_int_equal(db_exec(f->db, "DROP TRIGGER ledger_checkpoints_append_only; "
	    "UPDATE ledger_checkpoints SET note = replace(note, 'openaims/2\n2\n', "
	    "'openaims/2\n3\n') WHERE org_id = 2 AND size = 2"), 0);
	assert_fails_with(f, "org acme: checkpoint at size 2");
	assert_fails_with(f, "bad signature by key openaims");
}

static void
test_ledger__removed_and_unsigned_entries_are_detected(void **state)
{
	struct fixture *f = *state;

	append_many(f->db, 1, 3, 1);
	append_many(f->db, 1, 3, 4);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER ledger_entries_no_delete; "
	    "DROP TRIGGER ledger_checkpoints_no_delete"), 0);
	/* The tail removed, head rewound: the last checkpoint still says 6. */
	assert_int_equal(db_exec(f->db, "DELETE FROM ledger_entries WHERE org_id = 1 AND seq = 6"),
	    0);
	assert_fails_with(f, "org demo: checkpoint at size 6");
	assert_fails_with(f, "is beyond the end of the log (5 entries): entries were removed");
	/* ... and its checkpoint removed too: entries 4..5 are unsigned. */
	assert_int_equal(db_exec(f->db, "DELETE FROM ledger_checkpoints WHERE size = 6"), 0);
	assert_fails_with(f, "org demo: entries 4..5 are not covered by a signed checkpoint");
	/* A hole in the middle. */
	assert_int_equal(db_exec(f->db, "DELETE FROM ledger_entries WHERE org_id = 1 AND seq = 2"),
	    0);
	assert_fails_with(f, "org demo: entry 2 is missing (the next entry is 3)");
}

/* A log whose org row, head and checkpoints were all removed is still found. */
static void
test_ledger__orphaned_log_is_found(void **state)
{
	struct fixture *f = *state;

	append_many(f->db, 7, 2, 1);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER ledger_checkpoints_no_delete; "
	    "DELETE FROM ledger_checkpoints WHERE org_id = 7; "
	    "DELETE FROM ledger_heads WHERE org_id = 7"), 0);
	assert_fails_with(f, "org #7: entries 1..2 are not covered by a signed checkpoint");
}

static void
test_ledger__head_must_match_entries(void **state)
{
	struct fixture *f = *state;

	append_many(f->db, 1, 3, 1);
	assert_int_equal(db_exec(f->db, "UPDATE ledger_heads SET size = 2 WHERE org_id = 1"), 0);
	assert_fails_with(f, "org demo: the log head does not match its 3 entries");
}

static void
test_ledger__proof_round_trip_and_tamper(void **state)
{
	struct fixture *f = *state;
	struct note_verifier other;
	struct ledger_key *ok;
	char summary[LEDGER_REPORT_MAX], *text, *entry;
	json_t *p = NULL, *q;
	int64_t seq;

	append_many(f->db, 1, 6, 1);
	append_many(f->db, 1, 7, 7);
	for (seq = 1; seq <= 13; seq++) {
		assert_int_equal(ledger_proof(&p, f->db, 1, seq, &f->pub), 0);
		text = json_dumps(p, JSON_COMPACT);
		q = json_loads(text, 0, NULL);
		assert_int_equal(ledger_proof_verify(summary, q, &f->pub), 0);
		assert_int_equal(ledger_proof_verify(NULL, q, NULL), 0);
		free(text);
		json_decref(q);
		json_decref(p);
	}
	assert_int_equal(ledger_proof(&p, f->db, 1, 5, &f->pub), 0);
	assert_int_equal(ledger_proof_verify(summary, p, &f->pub), 0);
	assert_non_null(strstr(summary, "entry 5 is in the log openaims/1 of 13 entries"));
	assert_string_equal(json_string_value(json_object_get(p, "org")), "demo");
	assert_int_equal(json_array_size(json_object_get(p, "audit_path")), 4);
	/* Tampered entry. */
	q = json_deep_copy(p);
	entry = strdup(json_string_value(json_object_get(q, "entry")));
	entry[strlen("{\"action\":\"u")] = 'U';
	json_object_set_new(q, "entry", json_string(entry));
	assert_int_equal(ledger_proof_verify(summary, q, &f->pub), AIMS_EVERIFY);
	free(entry);
	json_decref(q);
	/* Tampered audit path. */
	q = json_deep_copy(p);
	json_array_set_new(json_object_get(q, "audit_path"), 1,
	    json_string("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
	assert_int_equal(ledger_proof_verify(summary, q, &f->pub), AIMS_EVERIFY);
	json_decref(q);
	/* Tree size not the signed one. */
	q = json_deep_copy(p);
	json_object_set_new(q, "tree_size", json_integer(12));
	assert_int_equal(ledger_proof_verify(summary, q, &f->pub), AIMS_EVERIFY);
	json_decref(q);
	/* A checkpoint and key of someone else: fine alone, refused when pinned. */
	assert_int_equal(ledger_key_from_seed(&ok, LEDGER_KEY_NAME, other_seed), 0);
	ledger_key_public(&other, ok);
	assert_int_equal(ledger_proof_verify(summary, p, &other), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "not by the expected key"));
	ledger_key_free(ok);
	/* Unknown fields and formats are refused. */
	q = json_deep_copy(p);
	json_object_set_new(q, "extra", json_true());
	assert_int_equal(ledger_proof_verify(summary, q, NULL), AIMS_EINVALID);
	json_object_del(q, "extra");
	json_object_set_new(q, "format", json_string("other/v9"));
	assert_int_equal(ledger_proof_verify(summary, q, NULL), AIMS_EUNSUPPORTED);
	json_decref(q);
	json_decref(p);
	/* Beyond the latest checkpoint. */
	assert_int_equal(ledger_proof(&p, f->db, 1, 14, &f->pub), AIMS_ENOTFOUND);
	assert_int_equal(ledger_proof(&p, f->db, 2, 1, &f->pub), AIMS_ENOTFOUND);
}

static int
list_collect(void *arg, const struct ledger_entry *e)
{
	struct buf *b = arg;

	buf_printf(b, "%lld:%s:%s;", (long long)e->seq, e->ref, e->commitment ? "c" : "-");
	return 0;
}

static void
test_ledger__list_newest_first(void **state)
{
	struct fixture *f = *state;
	struct ledger_event del = { 1, "cli", "delete", "thing", "T-1", 2, NULL };
	struct buf b = BUF_INIT;
	int64_t seq, id;

	thing_put(f->db, 1, "T-1", "one", 1);
	thing_put(f->db, 1, "T-2", "two", 1);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(ledger_append(&seq, f->db, &del), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(ledger_list(f->db, 1, 2, list_collect, &b), 0);
	assert_string_equal(buf_str(&b), "3:T-1:-;2:T-2:c;");
	buf_reset(&b);
	assert_int_equal(ledger_list(f->db, 1, 0, list_collect, &b), 0);
	assert_string_equal(buf_str(&b), "3:T-1:-;2:T-2:c;1:T-1:c;");
	buf_free(&b);
	assert_int_equal(ledger_org_id(&id, f->db, "acme"), 0);
	assert_int_equal(id, 2);
	assert_int_equal(ledger_org_id(&id, f->db, "nope"), AIMS_ENOTFOUND);
}

static void
test_ledger__key_files(void **state)
{
	struct note_verifier pub, file_pub;
	struct ledger_key *k = NULL;
	struct stat sb;

	(void)state;
	unlink("k.db.key");
	unlink("k.db.pub");
	assert_int_equal(ledger_key_create("k.db"), 0);
	assert_int_equal(stat("k.db.key", &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(ledger_key_create("k.db"), AIMS_EEXISTS);
	assert_non_null(strstr(aims_error_message(), "never replaced"));
	assert_int_equal(ledger_key_load(&k, "k.db"), 0);
	ledger_key_public(&pub, k);
	assert_int_equal(ledger_pubkey_load_db(&file_pub, "k.db"), 0);
	assert_memory_equal(pub.pub, file_pub.pub, sizeof(pub.pub));
	assert_string_equal(pub.name, LEDGER_KEY_NAME);
	ledger_key_free(k);
	assert_int_equal(chmod("k.db.key", 0644), 0);
	assert_int_equal(ledger_key_load(&k, "k.db"), AIMS_EFORBIDDEN);
	assert_non_null(strstr(aims_error_message(), "chmod 600"));
	assert_int_equal(ledger_key_load(&k, "missing.db"), AIMS_ENOTFOUND);
	assert_non_null(strstr(aims_error_message(), "aims init"));
}

/* Runs the aims binary with a shell command line; returns its exit status. */
static int
run_aims(const char *args, char *out, size_t outlen)
{
	const char *bin = getenv("AIMS_TEST_BIN");
	char cmd[1024];
	FILE *f;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s >cli.out 2>&1", bin, args);
	st = system(cmd);
	f = fopen("cli.out", "r");
	assert_non_null(f);
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	fclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
assert_run(const char *args, int status, const char *needle)
{
	char out[8192];
	int got = run_aims(args, out, sizeof(out));

	if (got != status || strstr(out, needle) == NULL)
		fail_msg("aims %s: exit %d (want %d), output:\n%s\n(wanted '%s')", args, got,
		    status, out, needle);
}

static void
test_ledger__cli_verify_list_and_proof(void **state)
{
	struct fixture *f = *state;
	struct ledger_key *k = NULL;
	struct db *db = NULL;
	int64_t org;
	FILE *pw;

	if (getenv("AIMS_TEST_BIN") == NULL)
		skip();
	unlink("cli.db");
	unlink("cli.db.key");
	unlink("cli.db.pub");
	pw = fopen("pw.txt", "w");
	assert_non_null(pw);
	fputs("correct horse battery\n", pw);
	fclose(pw);
	assert_run("init --db cli.db --org demo --org-name Demo --admin admin@example.com "
	    "--password-stdin <pw.txt", 0, "");
	assert_int_equal(db_open(&db, "cli.db", 0), 0);
	assert_int_equal(ledger_org_id(&org, db, "demo"), 0);
	assert_int_equal(ledger_key_load(&k, "cli.db"), 0);
	ledger_key_use(k);
	append_many(db, org, 3, 1);
	append_many(db, org, 2, 4);
	ledger_key_use(f->key);
	ledger_key_free(k);
	db_close(db);

	assert_run("verify --db cli.db", 0, "verified 1 organisation and the instance log: ");
	assert_run("verify --db cli.db --org demo", 0, "verified: ");
	assert_run("ledger list --org demo --db cli.db --format csv --limit 2", 0,
	    "seq,time,actor,action,kind,ref,version,commitment\r\n46,");	/* 39: SoA, criteria */
	assert_run("ledger list --instance --db cli.db", 0, "seq  time");
	assert_run("ledger proof --org demo --seq 3 --db cli.db --out p.json", 0, "");
	assert_run("verify --proof p.json --key cli.db.pub", 0,
	    "proof verified: entry 3 is in the log openaims/1 of ");
	assert_run("verify --proof p.json", 0, "pass --key to pin it");
	assert_run("ledger proof --org demo --seq 99 --db cli.db", 1, "not covered");
	assert_run("ledger list --db cli.db", 2, "exactly one of --org SLUG and --instance");
	assert_run("ledger list --org nope --db cli.db", 1, "no organisation 'nope'");
	assert_run("verify --bogus", 2, "Try 'aims verify --help'");
	assert_run("verify --help", 0, "usage: aims verify");
	assert_run("ledger proof --help", 0, "--seq N");

	assert_int_equal(db_open(&db, "cli.db", 0), 0);
	assert_int_equal(db_exec(db, "DROP TRIGGER ledger_entries_append_only; UPDATE "
	    "ledger_entries SET ref = 'RISK-99' WHERE ref = 'RISK-2'"), 0);
	db_close(db);
	assert_run("verify --db cli.db", 1, "(risk RISK-99 update) does not match its leaf hash");
	pw = fopen("bad.pub", "w");
	assert_non_null(pw);
	fputs("{\"not\": \"a key\"}\n", pw);
	fclose(pw);
	assert_run("verify --db cli.db --key bad.pub", 1, "malformed public key");
}

static void
test_ledger__every_version_is_checked_against_its_entry(void **state)
{
	struct fixture *f = *state;
	struct ledger_report r;

	thing_put(f->db, 1, "T-1", "one", 1);
	thing_put(f->db, 1, "T-1", "two", 2);
	thing_put(f->db, 1, "T-1", "three", 3);
	thing_put(f->db, 1, "T-2", "other", 1);
	/* Without a history source only the latest state is compared. */
	assert_int_equal(db_exec(f->db, "UPDATE thing_versions SET body = 'forged' "
	    "WHERE ref = 'T-1' AND version = 1"), 0);
	assert_verifies(f, &r);
	assert_int_equal(r.versions, 0);
	ledger_set_history_source(&thing_history);
	assert_fails_with(f, "org demo: record T-1 (thing) version 1 differs from ledger entry 1, "
	    "which wrote it");
	assert_int_equal(db_exec(f->db, "UPDATE thing_versions SET body = 'one' "
	    "WHERE ref = 'T-1' AND version = 1"), 0);
	assert_verifies(f, &r);
	assert_int_equal(r.versions, 4);
	/* The action stored with a version is the one its entry names. */
	assert_int_equal(db_exec(f->db, "UPDATE thing_versions SET action = 'approve' "
	    "WHERE ref = 'T-1' AND version = 2"), 0);
	assert_fails_with(f, "record T-1 (thing) version 2 is stored as 'approve', but ledger "
	    "entry 2 wrote it as 'update'");
	assert_int_equal(db_exec(f->db, "DELETE FROM thing_versions WHERE ref = 'T-1' "
	    "AND version = 2"), 0);
	assert_fails_with(f, "record T-1 (thing) version 2 is missing from its stored history "
	    "(ledger entry 2 wrote it)");
	assert_int_equal(db_exec(f->db, "INSERT INTO thing_versions VALUES "
	    "(1, 'T-1', 2, 'update', 'two'), (1, 'T-2', 9, 'update', 'sneaky')"), 0);
	assert_fails_with(f, "record T-2 (thing) version 9 has no ledger entry");
	assert_int_equal(db_exec(f->db, "DELETE FROM thing_versions WHERE version = 9"), 0);
	assert_verifies(f, &r);
	/* The source's own check is named under the org. */
	thing_check_finding = 1;
	assert_fails_with(f, "org demo: thing list column of org 1 is stale");
	thing_check_finding = 0;
}

static void
test_ledger__history_stops_at_a_delete(void **state)
{
	struct fixture *f = *state;
	struct ledger_event del = { 1, "cli", "delete", "thing", "T-3", 3, NULL };
	struct ledger_report r;
	int64_t seq;

	ledger_set_history_source(&thing_history);
	thing_put(f->db, 1, "T-3", "first life", 1);
	thing_put(f->db, 1, "T-3", "first life, changed", 2);
	/* Erased with its versions, through the ledger... */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_exec(f->db, "DELETE FROM things WHERE ref = 'T-3';"
	    "DELETE FROM thing_versions WHERE ref = 'T-3'"), 0);
	assert_int_equal(ledger_append(&seq, f->db, &del), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_verifies(f, &r);
	/* ...and made again under the same reference: the old entries are not its history. */
	thing_put(f->db, 1, "T-3", "second life", 1);
	assert_verifies(f, &r);
	assert_int_equal(r.versions, 1);
}

static void
test_ledger__missing_changed_or_added_trigger_is_reported(void **state)
{
	struct fixture *f = *state;
	struct ledger_report r;
	struct db_stmt *st;
	char *orig;

	if (strcmp(db_backend(f->db), "postgres") == 0) {
		fprintf(stderr, "skipped on PostgreSQL: it rewrites a trigger in SQLite's "
		    "syntax (test_db_pg__triggers_hold_and_are_checked does it there)\n");
		skip();
	}
	thing_put(f->db, 1, "T-1", "one", 1);
	assert_verifies(f, &r);
	assert_int_equal(db_prepare(&st, f->db, "SELECT sql FROM sqlite_master "
	    "WHERE name = 'ledger_checkpoints_no_delete'"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	orig = strdup(db_column_text(st, 0));
	db_done(st);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER ledger_checkpoints_no_delete"), 0);
	assert_fails_with(f, "database: trigger ledger_checkpoints_no_delete on table "
	    "ledger_checkpoints is missing");
	/* The same name with a body that lets everything through is not the trigger. */
	assert_int_equal(db_exec(f->db, "CREATE TRIGGER ledger_checkpoints_no_delete BEFORE DELETE "
	    "ON ledger_checkpoints WHEN 0 BEGIN SELECT RAISE(ABORT, 'no'); END"), 0);
	assert_fails_with(f, "database: trigger ledger_checkpoints_no_delete on table "
	    "ledger_checkpoints was changed");
	assert_int_equal(db_exec(f->db, "DROP TRIGGER ledger_checkpoints_no_delete"), 0);
	assert_int_equal(db_exec(f->db, orig), 0);
	assert_verifies(f, &r);
	/* A trigger nobody declared can rewrite rows as they are written. */
	assert_int_equal(db_exec(f->db, "CREATE TRIGGER sneaky AFTER INSERT ON things "
	    "BEGIN SELECT 1; END"), 0);
	assert_fails_with(f, "database: trigger sneaky on table things is not one the schema "
	    "creates");
	free(orig);
}

/*
 * What an audit pack reads from the log (ledger_pack.c): the tree held in
 * memory gives, for every checkpoint stored, its signed root; an audit path
 * for every leaf at every size that verifies; a consistency proof between
 * every two sizes that verifies; the entry and salt that wrote a version.
 */
static void
test_ledger__pack_proofs_match_the_log(void **state)
{
	struct fixture *f = *state;
	struct merkle_hash root[40], leaf, path[MERKLE_PROOF_MAX], proof[MERKLE_PROOF_MAX];
	uint8_t salt[LEDGER_SALT_LEN], commit[LEDGER_COMMIT_LEN];
	struct ledger_tree *t = NULL;
	struct buf entry = BUF_INIT, note = BUF_INIT;
	struct db_stmt *st;
	const void *p;
	json_t *rec, *e;
	char ref[16], hex[2 * LEDGER_COMMIT_LEN + 1];
	uint64_t size, a, b, i, n = 37;
	size_t len, np;
	int64_t seq;
	int has_salt, checked = 0;

	/* One entry per transaction: a checkpoint at every size 1..n. */
	for (i = 1; i <= n; i++) {
		snprintf(ref, sizeof(ref), "T-%llu", (unsigned long long)(i % 5));
		thing_put(f->db, 1, ref, "body", (int64_t)(i / 5) + 1);
	}
	assert_int_equal(ledger_tree_load(&t, f->db, 1, n), 0);
	assert_int_equal(db_prepare(&st, f->db, "SELECT size, root FROM ledger_checkpoints "
	    "WHERE org_id = 1 ORDER BY size"), 0);
	while (db_step(st) == DB_ROW) {
		size = (uint64_t)db_column_int64(st, 0);
		p = db_column_blob(st, 1, &len);
		assert_int_equal(len, MERKLE_HASH_LEN);
		assert_int_equal(ledger_tree_root(&root[size], t, size), 0);
		assert_memory_equal(root[size].h, p, MERKLE_HASH_LEN);
		checked++;
	}
	db_done(st);
	assert_int_equal(checked, n);
	for (size = 1; size <= n; size++)
		for (i = 0; i < size; i++) {
			assert_int_equal(ledger_tree_path(path, &np, t, i, size), 0);
			assert_int_equal(db_prepare(&st, f->db, "SELECT leaf_hash FROM ledger_entries "
			    "WHERE org_id = 1 AND seq = ?"), 0);
			db_bind_int64(st, 1, (int64_t)i + 1);
			assert_int_equal(db_step(st), DB_ROW);
			memcpy(leaf.h, db_column_blob(st, 0, &len), MERKLE_HASH_LEN);
			db_done(st);
			assert_int_equal(merkle_verify_inclusion(i, size, &leaf, path, np, &root[size]), 0);
			/* The same path does not prove the leaf at another index. */
			if (size > 1)
				assert_int_not_equal(merkle_verify_inclusion((i + 1) % size, size, &leaf,
				    path, np, &root[size]), 0);
		}
	for (a = 1; a <= n; a++)
		for (b = a; b <= n; b++) {
			assert_int_equal(ledger_tree_consistency(proof, &np, t, a, b), 0);
			assert_int_equal(merkle_verify_consistency(a, b, &root[a], &root[b], proof, np), 0);
		}
	assert_int_not_equal(ledger_tree_root(&leaf, t, n + 1), 0);
	/* The entry that wrote T-2 version 3 opens with its salt to that version. */
	assert_int_equal(ledger_version_entry(&seq, &entry, salt, &has_salt, f->db, 1, "thing",
	    "T-2", 3), 0);
	assert_int_equal(has_salt, 1);
	e = json_loads(buf_str(&entry), 0, NULL);
	assert_non_null(e);
	assert_int_equal(json_integer_value(json_object_get(e, "seq")), seq);
	rec = thing_record("T-2", "body", 3);
	assert_int_equal(ledger_commitment(commit, salt, rec), 0);
	ledger__hex(hex, commit, LEDGER_COMMIT_LEN);
	assert_string_equal(hex, json_string_value(json_object_get(e, "commitment")));
	json_decref(rec);
	json_decref(e);
	assert_int_equal(ledger_version_entry(&seq, &entry, salt, &has_salt, f->db, 1, "thing",
	    "T-2", 99), AIMS_EVERIFY);
	assert_int_equal(ledger_version_entry(&seq, &entry, salt, &has_salt, f->db, 2, "thing",
	    "T-2", 3), AIMS_EVERIFY);
	/* The latest checkpoint, and the first covering an entry. */
	assert_int_equal(ledger_checkpoint_find(&size, &note, f->db, 1, 0), 0);
	assert_int_equal(size, n);
	assert_int_equal(ledger_checkpoint_find(&size, &note, f->db, 1, 5), 0);
	assert_int_equal(size, 5);
	assert_int_equal(ledger_checkpoint_find(&size, &note, f->db, 2, 0), AIMS_ENOTFOUND);
	buf_free(&entry);
	buf_free(&note);
	ledger_tree_free(t);
}

/*
 * A record's commitment is SHA-256(salt || canonical JSON), the same
 * bytes with the SHA extensions or without: computed here with libsodium.
 */
static void
test_ledger__commitment_is_salted_hash_of_canonical_json(void **state)
{
	uint8_t salt[LEDGER_SALT_LEN], got[LEDGER_COMMIT_LEN], want[LEDGER_COMMIT_LEN];
	crypto_hash_sha256_state st;
	struct buf canon = BUF_INIT;
	json_t *rec;
	int hw;

	(void)state;
	rec = json_pack("{s:s,s:s,s:i,s:[s,s],s:n}", "ref", "AIS-1", "name",
	    "\xc3\xa9 a name long enough to span more than one block of the hash, and then "
	    "some more words to make sure of it", "version", 3, "tags", "b", "a", "owner");
	assert_non_null(rec);
	randombytes_buf(salt, sizeof(salt));
	assert_int_equal(canon_json(&canon, rec), 0);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, salt, sizeof(salt));
	crypto_hash_sha256_update(&st, (const uint8_t *)canon.data, canon.len);
	crypto_hash_sha256_final(&st, want);
	for (hw = 0; hw <= 1; hw++) {
		sha256_set_hardware(hw);
		assert_int_equal(ledger_commitment(got, salt, rec), 0);
		assert_memory_equal(got, want, sizeof(want));
	}
	sha256_set_hardware(1);
	buf_free(&canon);
	json_decref(rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_ledger__append_is_gapless_and_checkpointed_per_commit),
		T(test_ledger__failed_request_in_a_group_leaves_the_head),
		T(test_ledger__head_mark_moves_with_the_log),
		T(test_ledger__append_needs_key_transaction_and_fields),
		T(test_ledger__entry_is_canonical_json_of_its_fields),
		T(test_ledger__pipelined_stretch_names_the_first_finding),
		T(test_ledger__pipelined_stretch_checks_every_column),
		T(test_ledger__events_are_skipped_not_the_records_around_them),
		T(test_ledger__changed_ledger_row_is_detected),
		T(test_ledger__consistently_rewritten_entry_breaks_checkpoint),
		T(test_ledger__changed_domain_row_is_detected),
		T(test_ledger__deleted_row_is_detected),
		T(test_ledger__row_without_entry_is_detected),
		T(test_ledger__checkpoint_by_another_key_is_detected),
		T(test_ledger__inconsistent_checkpoint_is_detected),
		T(test_ledger__bad_signature_is_detected),
		T(test_ledger__removed_and_unsigned_entries_are_detected),
		T(test_ledger__orphaned_log_is_found),
		T(test_ledger__head_must_match_entries),
		T(test_ledger__proof_round_trip_and_tamper),
		T(test_ledger__list_newest_first),
		T(test_ledger__key_files),
		T(test_ledger__cli_verify_list_and_proof),
		T(test_ledger__every_version_is_checked_against_its_entry),
		T(test_ledger__history_stops_at_a_delete),
		T(test_ledger__missing_changed_or_added_trigger_is_reported),
		T(test_ledger__pack_proofs_match_the_log),
		T(test_ledger__commitment_is_salted_hash_of_canonical_json),
#undef T
	};

	return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
