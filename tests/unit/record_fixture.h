/*
 * record_fixture.h - test set-up shared by the record engine's unit tests:
 * a fresh database with two organisations, four users with memberships,
 * the catalog rows the records refer to (Annex A controls, Annex C risk
 * sources and objectives, a few clauses), and record_org_init() run for both
 * organisations. Raw SQL on purpose: it does not depend on the tenancy code.
 */
#ifndef TEST_RECORD_FIXTURE_H
#define TEST_RECORD_FIXTURE_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/catalog.h"
#include "core/record.h"
#include "store/db.h"
#include "testutil.h"
#include "util/buf.h"
#include "util/error.h"

#define FX_ORG		1
#define FX_OTHER_ORG	2

/* user ids 1..4; alice manager, bob contributor, carol admin, dave viewer (org 1) */
static const struct actor fx_alice = { 1, "user:alice@example.org", ROLE_MANAGER };
static const struct actor fx_bob = { 2, "user:bob@example.org", ROLE_CONTRIBUTOR };
static const struct actor fx_carol = { 3, "user:carol@example.org", ROLE_ADMIN };
static const struct actor fx_erin = { 5, "user:erin@example.org", ROLE_MANAGER };

static inline void
fx_exec(struct db *db, const char *sql)
{
	if (db_exec(db, sql) != 0) {
		fprintf(stderr, "fixture SQL failed: %s\n", aims_error_message());
		abort();
	}
}

static inline void
fx_people(struct db *db)
{
	fx_exec(db,
	    "INSERT INTO orgs (id, slug, name, created_at, updated_at) VALUES "
	    "(1, 'acme', 'Acme', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(2, 'other', 'Other', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
	    "INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES "
	    "(1, 'alice@example.org', 'Alice', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(2, 'bob@example.org', 'Bob', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(3, 'carol@example.org', 'Carol', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(4, 'dave@example.org', 'Dave', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(5, 'erin@example.org', 'Erin', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
	    "INSERT INTO memberships (org_id, user_id, role, created_at, updated_at) VALUES "
	    "(1, 1, 'manager', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(1, 2, 'contributor', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(1, 3, 'admin', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(1, 4, 'viewer', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(1, 5, 'manager', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(2, 1, 'manager', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');");
}

/* A fresh database file `name` (with a ledger key in use) with everything above. */
static inline struct db *
fx_open(const char *name)
{
	struct db *db = NULL;
	int n;

	if (testutil_open_db(&db, name) != 0 || catalog_load_builtin(db, &n) != 0) {
		fprintf(stderr, "cannot set up %s: %s\n", name, aims_error_message());
		abort();
	}
	fx_people(db);
	if (record_org_init(db, FX_ORG, &fx_carol) != 0 ||
	    record_org_init(db, FX_OTHER_ORG, &fx_alice) != 0) {
		fprintf(stderr, "record_org_init: %s\n", aims_error_message());
		abort();
	}
	return db;
}

static inline void
fx_close(struct db *db)
{
	testutil_close_db(db);
}

/* Parses a JSON literal for a test; aborts on a typo in the test itself. */
static inline json_t *
fx_json(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	if (j == NULL) {
		fprintf(stderr, "bad JSON in test: %s: %s\n", err.text, text);
		abort();
	}
	return j;
}

/* record_create from a JSON literal; returns the result code, *out the record. */
static inline int
fx_create(json_t **out, struct db *db, int64_t org, const struct actor *a, const char *kind,
    const char *text)
{
	json_t *in = fx_json(text), *rec = NULL;
	int rc = record_create(&rec, db, org, a, record_kind_find(kind), in);

	json_decref(in);
	if (out)
		*out = rec;
	else
		json_decref(rec);
	return rc;
}

static inline int
fx_update(json_t **out, struct db *db, int64_t org, const struct actor *a, const char *kind,
    const char *ref, int64_t if_version, const char *text)
{
	json_t *in = fx_json(text), *rec = NULL;
	int rc = record_update(&rec, db, org, a, record_kind_find(kind), ref, if_version, in);

	json_decref(in);
	if (out)
		*out = rec;
	else
		json_decref(rec);
	return rc;
}

/* The record ref of kind, which the test expects to exist (a cmocka failure if not). */
static inline json_t *
fx_get(struct db *db, int64_t org, const char *kind, const char *ref)
{
	json_t *rec = NULL;

	assert_int_equal(record_get(&rec, db, org, record_kind_find(kind), ref), 0);
	return rec;
}

static inline const char *
fx_str(const json_t *rec, const char *name)
{
	return json_string_value(json_object_get(rec, name));
}

static inline long long
fx_int(const json_t *rec, const char *name)
{
	return (long long)json_integer_value(json_object_get(rec, name));
}

/*
 * Are a record's versions as text (record_history_text(),
 * record_version_get_text()) the bytes of their trees, for the whole
 * history, for each status in it, and for each version? 0, or -1 with the
 * first difference printed.
 */
static inline int
fx_history_text_matches(struct db *db, int64_t org, const char *kind, const char *ref)
{
	const struct record_kind *k = record_kind_find(kind);
	json_t *hist = NULL, *one = NULL, *v;
	struct buf text = BUF_INIT;
	const char *status;
	char *want;
	size_t i;
	int bad = 0, pass;

	if (record_history(&hist, db, org, k, ref, NULL) != 0)
		return -1;
	for (pass = -1; !bad && pass < (int)json_array_size(hist); pass++) {
		json_t *tree = NULL;

		status = pass < 0 ? NULL : json_string_value(json_object_get(json_array_get(hist,
		    (size_t)pass), "status"));
		buf_reset(&text);
		if (record_history(&tree, db, org, k, ref, status) != 0 ||
		    record_history_text(&text, db, org, k, ref, status) != 0)
			bad = 1;
		else {
			want = json_dumps(tree, JSON_COMPACT | JSON_PRESERVE_ORDER);
			if (strcmp(want, buf_str(&text)) != 0) {
				fprintf(stderr, "history (status %s):\n want %s\n  got %s\n",
				    status ? status : "any", want, buf_str(&text));
				bad = 1;
			}
			free(want);
		}
		json_decref(tree);
	}
	json_array_foreach(hist, i, v) {
		int64_t n = json_integer_value(json_object_get(v, "version"));

		if (bad)
			break;
		buf_reset(&text);
		if (record_version_get(&one, db, org, k, ref, n) != 0 ||
		    record_version_get_text(&text, db, org, k, ref, n) != 0) {
			bad = 1;
			break;
		}
		want = json_dumps(one, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (strcmp(want, buf_str(&text)) != 0) {
			fprintf(stderr, "version %lld:\n want %s\n  got %s\n", (long long)n, want,
			    buf_str(&text));
			bad = 1;
		}
		free(want);
		json_decref(one);
		one = NULL;
	}
	json_decref(hist);
	buf_free(&text);
	return bad ? -1 : 0;
}

#endif
