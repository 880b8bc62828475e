/*
 * test_record.c - unit tests for the generic record engine (core/record*.c):
 * create, read, update with versions, retire and delete, field validation
 * messages, lists (filter, sort, search, cursor), links both ways, history,
 * organisation isolation and the ledger loader.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/perm.h"
#include "core/record_counts.h"
#include "core/record_private.h"
#include "ledger/canon.h"
#include "ledger/note.h"
#include "record_fixture.h"
#include "util/buf.h"

static int
setup(void **state)
{
	*state = fx_open("record.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static void
test_record__create_and_get(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL, *got = NULL;

	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Chat assistant\", \"lifecycle_stage\": \"deployment\", "
	    "\"owner\": \"ALICE@example.org\", \"in_scope\": true, "
	    "\"components\": [{\"kind\": \"model\", \"name\": \"llm\", \"version\": \"3\"}]}"), 0);
	assert_string_equal(fx_str(rec, "ref"), "AIS-1");
	assert_int_equal(fx_int(rec, "version"), 1);
	assert_string_equal(fx_str(rec, "owner"), "alice@example.org");	/* as registered */
	assert_string_equal(fx_str(rec, "created_by"), "user:bob@example.org");
	assert_true(json_is_null(json_object_get(rec, "purpose")));
	assert_int_equal(record_get(&got, db, FX_ORG, record_kind_find("ai-systems"), "AIS-1"), 0);
	assert_true(json_equal(rec, got));
	json_decref(got);
	json_decref(rec);
	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_bob, "ai-systems", "{\"name\": \"B\"}"), 0);
	assert_string_equal(fx_str(rec, "ref"), "AIS-2");
	json_decref(rec);
}

/* The text a read or list splices is the tree's own serialisation, stored or rebuilt. */
static void
test_record__views_are_the_records_text(void **state)
{
	const struct record_kind *k = record_kind_find("ai-systems");
	struct record_query q = { .limit = 10 };
	struct db *db = *state;
	struct buf text = BUF_INIT;
	json_t *rec = NULL, *items = NULL;
	char *want, *next = NULL;
	int64_t version = 0, total = 0;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Scorer\", \"components\": [{\"version\": \"3\", \"name\": \"m\", "
	    "\"kind\": \"model\"}]}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems", "{\"name\": \"B\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "ai-systems", "AIS-1", 1,
	    "{\"purpose\": \"scores\"}"), 0);
	assert_int_equal(record_get(&rec, db, FX_ORG, k, "AIS-1"), 0);
	want = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_int_equal(record_get_text(&text, &version, db, FX_ORG, k, "AIS-1"), 0);
	assert_string_equal(buf_str(&text), want);
	assert_int_equal(version, 2);
	free(want);
	json_decref(rec);
	/* A view of another shape (written before a field was added) is not served. */
	assert_int_equal(db_exec(db, "UPDATE records SET view = '{\"stale\":true}', "
	    "view_shape = 1 WHERE ref = 'AIS-2'"), 0);
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	want = json_dumps(items, JSON_COMPACT | JSON_PRESERVE_ORDER);
	buf_reset(&text);
	assert_int_equal(record_list_text(&text, &next, &total, db, FX_ORG, k, &q), 0);
	assert_string_equal(buf_str(&text), want);
	assert_null(strstr(buf_str(&text), "stale"));
	assert_int_equal(total, 2);
	free(want);
	json_decref(items);
	/* Another organisation's record is not found. */
	buf_reset(&text);
	assert_int_equal(record_get_text(&text, &version, db, FX_ORG + 1, k, "AIS-1"),
	    AIMS_ENOTFOUND);
	buf_free(&text);
}

/* The view as written before: the data through its stored text, then the tree dumped. */
static char *
view_through_stored_form(const struct record_kind *k, const struct record_row *r)
{
	struct record_row stored = *r;
	json_t *o;
	char *data, *s;

	data = json_dumps(r->data, JSON_COMPACT | JSON_SORT_KEYS);
	assert_non_null(data);
	stored.data = json_loads(data, 0, NULL);
	assert_non_null(stored.data);
	o = record__row_json(k, &stored);
	s = json_dumps(o, RECORD_VIEW_FLAGS);
	json_decref(o);
	json_decref(stored.data);
	free(data);
	return s;
}

/*
 * Data without nested objects is viewed without going through its stored
 * text, and gives the same bytes: numbers, escapes, lists, keys in any
 * order. Nested objects still have their keys sorted.
 */
static void
test_record__view_text_same_bytes_either_way(void **state)
{
	static const char *const datas[] = {
		"{\"purpose\": \"Ranks claims\", \"name\": \"Bench system\", "
		    "\"lifecycle_stage\": \"deployment\"}",
		"{\"name\": \"q\\\"uote/\\\\ \\u00e9\\u2028\\u0001 \\ud83d\\ude00\", "
		    "\"eu_annex_i\": true, \"eu_gpai\": false, \"purpose\": \"\"}",
		"{\"affected_people\": [\"b\", \"a\", [1, 2.5, -0.0, 1e300, 0.1]], "
		    "\"name\": \"n\", \"version\": 12345678901234, \"owner\": null}",
		"{\"name\": \"n\", \"components\": [{\"version\": \"3\", \"name\": \"m\", "
		    "\"kind\": \"model\"}], \"purpose\": \"p\"}",
		"{\"zz_not_a_field\": 1, \"name\": \"n\"}",
	};
	const struct record_kind *k = record_kind_find("ai-systems");
	struct record_row r;
	char *got, *want;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(datas) / sizeof(datas[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.ref = "AIS-7";
		r.version = 3;
		r.created_at = r.updated_at = "2026-01-02T03:04:05Z";
		r.created_by = r.updated_by = "bob@example.com";
		r.in_force = i == 2 ? 2 : 0;
		if (i == 4) {	/* members json_string() gives no value for are left out */
			r.created_by = NULL;
			r.updated_by = "not \xff UTF-8";
		}
		r.data = json_loads(datas[i], 0, NULL);
		assert_non_null(r.data);
		got = record__view_text(k, &r);
		want = view_through_stored_form(k, &r);
		assert_string_equal(got, want);
		if (i == 3)	/* sorted inside, unlike the order given */
			assert_non_null(strstr(got, "{\"kind\":\"model\",\"name\":\"m\","));
		if (i == 4)
			assert_null(strstr(got, "_by\""));
		free(got);
		free(want);
		json_decref(r.data);
	}
}

/* A value of f's type (not checked against the org: the view does not care). */
static json_t *
answer_value(const struct field *f, bool objects)
{
	const struct field *sub;
	json_t *o, *a;
	size_t n;

	switch (f->type) {
	case FIELD_BOOL:
		return json_true();
	case FIELD_INT:
		return json_integer(f->min > 0 ? f->min : 3);
	case FIELD_ENUM:
		return json_string(f->values ? f->values[0] : "x");
	case FIELD_ENUM_LIST:
	case FIELD_STRING_LIST:
	case FIELD_REF_LIST:
	case FIELD_REQUIREMENT_LIST:
		a = json_array();
		json_array_append_new(a, json_string(f->values ? f->values[0] : "b \u00e9"));
		json_array_append_new(a, json_string("a\"\\/\n\x01"));
		return a;
	case FIELD_OBJECT:
	case FIELD_OBJECT_LIST:
		if (!objects)
			return NULL;
		/* The subfields in the reverse of their declared order. */
		o = json_object();
		for (n = 0; f->subfields[n].name; n++)
			;
		while (n-- > 0) {
			sub = &f->subfields[n];
			json_object_set_new(o, sub->name, answer_value(sub, true));
		}
		if (f->type == FIELD_OBJECT)
			return o;
		a = json_array();
		json_array_append_new(a, o);
		return a;
	default:
		return json_string("v \"\u00e9\\\n\xe2\x80\xa8 \xf0\x9f\x98\x80");
	}
}

/* Are the keys of every object below the top level in sorted order? */
static bool
answer_nested_sorted(const json_t *v, int depth)
{
	const char *key, *prev = NULL;
	json_t *item;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, item) {
			if (depth > 0 && prev != NULL && strcmp(prev, key) > 0)
				return false;
			if (!answer_nested_sorted(item, depth + 1))
				return false;
			prev = key;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item)
			if (!answer_nested_sorted(item, depth + 1))
				return false;
	}
	return true;
}

/*
 * The record's canonical form written from the row (the ledger's
 * commitment hashes it) is canon_json() of its tree, byte for byte, for
 * every kind whose names allow it; also with a member json_string()
 * leaves out. Counts those kinds in *plain.
 */
/* Are k's field names distinct, and none a member every record carries? */
static bool
canon_names_plain(const struct record_kind *k)
{
	static const char *const own[] = { "ref", "version", "created_at", "updated_at",
	    "created_by", "updated_by", "retired", "in_force_version" };
	const struct field *f, *g;
	size_t i;

	for (f = k->fields; f->name; f++) {
		for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
			if (strcmp(f->name, own[i]) == 0)
				return false;
		for (g = k->fields; g != f; g++)
			if (strcmp(g->name, f->name) == 0)
				return false;
	}
	return true;
}

static void
assert_canon_from_row(const struct record_kind *k, struct record_row *r, const json_t *o,
    int *plain)
{
	static char bad[] = "\xff not UTF-8";
	struct buf want = BUF_INIT, got = BUF_INIT;
	char *by = r->updated_by;
	json_t *without;
	bool written;

	assert_int_equal(canon_json(&want, o), 0);
	assert_int_equal(record__row_canon(&written, &got, k, r), 0);
	/* Every registered kind that can have its members written by name has. */
	assert_int_equal(written, canon_names_plain(k));
	if (!written) {
		assert_int_equal(got.len, 0);
		goto done;
	}
	(*plain)++;
	assert_string_equal(buf_str(&got), buf_str(&want));
	r->updated_by = bad;
	without = record__row_json(k, r);
	assert_null(json_object_get(without, "updated_by"));
	buf_reset(&want);
	buf_reset(&got);
	assert_int_equal(canon_json(&want, without), 0);
	assert_int_equal(record__row_canon(&written, &got, k, r), 0);
	assert_string_equal(buf_str(&got), buf_str(&want));
	json_decref(without);
	r->updated_by = by;
done:
	buf_free(&want);
	buf_free(&got);
}

/*
 * The view handed out as a create's or update's answer is the answer's
 * bytes: for every field of every kind, the view of data without nested
 * objects is what canon_compact() (http_reply_record()) writes of the tree.
 * With nested objects given in another order than the sorted one, the view
 * differs, and is not handed out: the answer keeps today's bytes.
 */
static void
test_record__view_answers_for_every_kind(void **state)
{
	const struct record_kind *const *k;
	const struct field *f;
	struct record_row r;
	struct buf tree = BUF_INIT;
	json_t *o, *v, *want;
	char *view, *dumped;
	static const struct field test_fields[] = {
		{ .name = "name", .label = "Name", .type = FIELD_STRING, .flags = FIELD_TITLE },
		{ .name = NULL },
	};
	static const struct record_kind test_kind = { .name = "tests", .fields = test_fields };
	int objects, nested_kinds = 0, plain_kinds = 0, i;
	bool written;

	(void)state;
	/* 0: every field but objects; 1: with objects; 2: every third field, and one undeclared. */
	for (k = record_kinds; (*k)->name; k++)
		for (objects = 0; objects < 3; objects++) {
			memset(&r, 0, sizeof(r));
			r.ref = "X-1";
			r.version = 4;
			r.created_at = r.updated_at = "2026-01-02T03:04:05Z";
			r.created_by = r.updated_by = "user:bob@example.org";
			r.in_force = objects ? 2 : 0;
			r.retired = objects == 1;
			r.data = json_object();
			for (f = (*k)->fields, i = 0; f->name; f++, i++)
				if ((objects < 2 || i % 3 == 1) &&
				    (v = answer_value(f, objects == 1)) != NULL)
					json_object_set_new(r.data, f->name, v);
			if (objects == 2)
				json_object_set_new(r.data, "zz_undeclared", json_true());
			view = record__view_text(*k, &r);
			o = record__row_json(*k, &r);
			/* Each field the data holds, in the tree; null for the others. */
			for (f = (*k)->fields; f->name; f++) {
				want = json_object_get(r.data, f->name);
				assert_true(json_equal(json_object_get(o, f->name),
				    want ? want : json_null()));
			}
			assert_canon_from_row(*k, &r, o, &plain_kinds);
			buf_reset(&tree);
			assert_int_equal(canon_compact(&tree, o), 0);
			dumped = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
			assert_string_equal(buf_str(&tree), dumped);
			if (record__view_answers(r.data))
				assert_string_equal(view, buf_str(&tree));
			else {
				assert_true(objects);
				nested_kinds++;
				if (!answer_nested_sorted(r.data, 0))
					assert_string_not_equal(view, buf_str(&tree));
			}
			free(dumped);
			free(view);
			json_decref(o);
			json_decref(r.data);
		}
	assert_true(nested_kinds > 0);	/* some kind has nested objects */
	assert_true(plain_kinds > 0);
	/* A kind declared elsewhere (here) has no order kept: its tree is canonicalised. */
	memset(&r, 0, sizeof(r));
	r.data = json_object();
	buf_reset(&tree);
	assert_int_equal(record__row_canon(&written, &tree, &test_kind, &r), 0);
	assert_false(written);
	assert_int_equal(tree.len, 0);
	json_decref(r.data);
	buf_free(&tree);
}

/*
 * text is what canon_compact() writes of the record as a read gives it
 * (http_reply_record()'s answer), and rec holds its ref and version alone,
 * all the answer's headers read; both freed.
 */
static void
assert_text_answers(struct db *db, char *text, json_t *rec)
{
	const struct record_kind *k = record_kind_find("ai-systems");
	json_t *read = NULL;
	char *want;

	assert_non_null(text);
	assert_int_equal(json_object_size(rec), 2);
	assert_int_equal(record_get(&read, db, FX_ORG, k, fx_str(rec, "ref")), 0);
	assert_int_equal(fx_int(rec, "version"), fx_int(read, "version"));
	want = json_dumps(read, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text, want);
	free(want);
	free(text);
	json_decref(read);
	json_decref(rec);
}

/*
 * Creates and updates hand out the answer's text exactly when it is the
 * tree's, and then no more of the tree than its ref and version.
 */
static void
test_record__changes_hand_out_the_answer(void **state)
{
	const struct record_kind *k = record_kind_find("ai-systems");
	struct db *db = *state;
	json_t *in, *rec = NULL;
	char *text = NULL, *want;

	in = fx_json("{\"purpose\": \"Ranks claims\", \"name\": \"Bench system\", "
	    "\"lifecycle_stage\": \"deployment\"}");
	assert_int_equal(record_create_text(&rec, &text, db, FX_ORG, &fx_bob, k, in), 0);
	json_decref(in);
	assert_text_answers(db, text, rec);
	/* A change: the new version's view. */
	in = fx_json("{\"purpose\": \"Ranks \\\"all\\\" claims\"}");
	assert_int_equal(record_update_text(&rec, &text, db, FX_ORG, &fx_bob, k, "AIS-1", 1, in),
	    0);
	assert_int_equal(fx_int(rec, "version"), 2);
	assert_text_answers(db, text, rec);
	/* Nothing changed: no view was written, the tree answers. */
	assert_int_equal(record_update_text(&rec, &text, db, FX_ORG, &fx_bob, k, "AIS-1", 2, in),
	    0);
	json_decref(in);
	assert_null(text);
	assert_int_equal(fx_int(rec, "version"), 2);
	json_decref(rec);
	/* Nested objects in the caller's order: the tree answers, in that order. */
	in = fx_json("{\"name\": \"n\", \"components\": [{\"version\": \"3\", \"name\": \"m\", "
	    "\"kind\": \"model\"}]}");
	assert_int_equal(record_create_text(&rec, &text, db, FX_ORG, &fx_bob, k, in), 0);
	json_decref(in);
	assert_null(text);
	want = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_non_null(strstr(want, "{\"version\":\"3\",\"name\":\"m\",\"kind\":\"model\"}"));
	free(want);
	json_decref(rec);
	/* A refused change hands out nothing. */
	in = fx_json("{\"lifecycle_stage\": \"flying\"}");
	text = (char *)"unset";
	assert_int_equal(record_update_text(&rec, &text, db, FX_ORG, &fx_bob, k, "AIS-1", 2, in),
	    AIMS_EINVALID);
	json_decref(in);
	assert_null(text);
	assert_null(rec);
}

/* The search text records_fts holds for ref ("" when none; caller frees). */
static char *
fts_body(struct db *db, const char *ref)
{
	struct db_stmt *st = NULL;
	char *body;

	assert_int_equal(db_prepare(&st, db, "SELECT f.body FROM records r "
	    "JOIN records_fts f ON f.rowid = r.id WHERE r.ref = ?"), 0);
	db_bind_text(st, 1, ref);
	body = strdup(db_step(st) == DB_ROW ? db_column_text(st, 0) : "");
	db_done(st);
	return body;
}

/* Runs one change under its own savepoint, as the writer does; fail: it is undone. */
static void
in_savepoint(struct db *db, bool fail, const char *op, const char *ref, const char *json)
{
	const char *kind = ref && strncmp(ref, "CI-", 3) == 0 ? "context-issues" : "ai-systems";
	const struct record_kind *k = record_kind_find(kind);
	int rc;

	assert_int_equal(db_savepoint_begin(db), 0);
	if (strcmp(op, "create") == 0)
		rc = fx_create(NULL, db, FX_ORG, &fx_bob, kind, json);
	else if (strcmp(op, "update") == 0)
		rc = fx_update(NULL, db, FX_ORG, &fx_alice, kind, ref, 0, json);
	else
		rc = record_delete(db, FX_ORG, &fx_alice, k, ref, 0);
	assert_int_equal(rc, 0);
	assert_int_equal(db_savepoint_end(db, fail ? AIMS_EINVALID : 0), fail ? AIMS_EINVALID : 0);
}

/*
 * A group's new search texts are written at its commit, once: a request
 * rolled back takes its text with it, a later change in the group replaces
 * the held text, a delete withdraws it; afterwards the index says what the
 * records say.
 */
static void
test_record__search_texts_held_for_the_group(void **state)
{
	struct ledger_report report;
	struct note_verifier pub;
	struct db *db = *state;
	int64_t n = -1;
	char *body;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Before the group\"}"), 0);	/* AIS-1 */
	assert_int_equal(db_begin(db), 0);
	in_savepoint(db, false, "create", NULL, "{\"name\": \"Kept walrus\"}");	/* AIS-2 */
	in_savepoint(db, true, "create", NULL, "{\"name\": \"Undone heron\"}");
	in_savepoint(db, false, "create", NULL, "{\"name\": \"First otter\"}");	/* AIS-3 */
	in_savepoint(db, false, "update", "AIS-3", "{\"name\": \"Second otter\"}");
	in_savepoint(db, true, "update", "AIS-2", "{\"name\": \"Undone change\"}");
	in_savepoint(db, false, "create", "CI-", "{\"title\": \"Gone badger\", "
	    "\"kind\": \"external\"}");	/* CI-1, erased: its row id may come again */
	in_savepoint(db, false, "delete", "CI-1", NULL);
	in_savepoint(db, false, "create", "CI-", "{\"title\": \"Next lynx\", "
	    "\"kind\": \"internal\"}");	/* CI-2 */
	in_savepoint(db, false, "update", "AIS-1", "{\"name\": \"Changed in the group\"}");
	/* On SQLite held, not written yet: the group's texts wait for its commit. */
	body = fts_body(db, "AIS-2");
	if (strcmp(db_backend(db), "sqlite") == 0)
		assert_string_equal(body, "");
	free(body);
	assert_int_equal(db_commit(db), 0);
	body = fts_body(db, "AIS-2");
	assert_non_null(strstr(body, "walrus"));
	assert_null(strstr(body, "Undone"));
	free(body);
	body = fts_body(db, "AIS-3");
	assert_non_null(strstr(body, "Second"));
	assert_null(strstr(body, "First"));
	free(body);
	body = fts_body(db, "AIS-1");
	assert_non_null(strstr(body, "Changed"));
	free(body);
	body = fts_body(db, "CI-2");
	assert_non_null(strstr(body, "lynx"));
	free(body);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM records_fts "
	    "WHERE body LIKE '%heron%' OR body LIKE '%badger%' OR body LIKE '%Undone%'"), 0);
	assert_int_equal(n, 0);
	assert_int_equal(record_verify_derived(db, FX_ORG), 0);
	/*
	 * Counters and the ledger head are kept over the group's savepoints
	 * and written at its commit: the undone create's number went to the
	 * next one, the counts and the ledger agree with what was kept.
	 */
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM records "
	    "WHERE kind = 'ai-systems'"), 0);
	assert_int_equal(n, 3);
	assert_int_equal(record_counts_verify(db, FX_ORG), 0);
	ledger_key_public(&pub, testutil_key);
	assert_int_equal(ledger_verify(&report, db, FX_ORG, &pub, record_load_for_ledger,
	    record_enumerate), 0);
}

/*
 * Every way a list reads its page (views in the page query, or one
 * "id IN (...)" statement after it, as trees or as text) gives the same
 * records in the same order, page after page: the text is the trees'
 * serialisation, the cursors agree, and every record shows up once.
 */
static void
test_record__list_pages_agree(void **state)
{
	static const struct {
		const char	*sort;
		const char	*filter;	/* lifecycle_stage, or NULL */
		const char	*q;
		bool		 retired;
		int		 want;
	} shapes[] = {
		{ NULL, NULL, NULL, false, 19 },		/* the updated_at index */
		{ "name", NULL, NULL, false, 19 },		/* the title index */
		{ "-ref", NULL, NULL, true, 20 },		/* retired too: sorted */
		{ "lifecycle_stage", NULL, NULL, false, 19 },	/* a field sort */
		{ NULL, "design_development", NULL, false, 9 },	/* a field filter */
		{ "name", NULL, "scorer", false, 19 },		/* a search */
		{ "-created_at", NULL, NULL, false, 19 },	/* creation order: the key */
	};
	const struct record_kind *k = record_kind_find("ai-systems");
	struct db *db = *state;
	struct buf text = BUF_INIT, body = BUF_INIT;
	json_t *items = NULL, *seen;
	char *next = NULL, *next_text = NULL, *cursor = NULL, *want;
	const char *fname = "lifecycle_stage";
	char prev[64] = "", prev_at[32] = "";
	long prev_num = 0;
	int64_t total = 0, total_text = 0;
	size_t s, i;
	int n;

	for (n = 1; n <= 20; n++) {
		buf_reset(&body);
		buf_printf(&body, "{\"name\": \"Scorer %c%d\", \"lifecycle_stage\": \"%s\"}",
		    'a' + (n * 7) % 26, n, n % 2 ? "inception" : "design_development");
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
		    buf_str(&body)), 0);
	}
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, k, "AIS-20", 0), 0);
	/* A stale view on the way: rebuilt from the data, in its place. */
	assert_int_equal(db_exec(db, "UPDATE records SET view = '{\"stale\":true}', "
	    "view_shape = 1 WHERE ref = 'AIS-4'"), 0);
	for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		struct record_query q = { .limit = 9, .sort = shapes[s].sort, .q = shapes[s].q,
		    .include_retired = shapes[s].retired };

		if (shapes[s].filter) {
			q.filter_names[0] = fname;
			q.filter_values[0] = shapes[s].filter;
			q.nfilters = 1;
		}
		seen = json_object();
		prev[0] = prev_at[0] = '\0';
		prev_num = 0;
		do {
			q.cursor = cursor;
			assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
			buf_reset(&text);
			assert_int_equal(record_list_text(&text, &next_text, &total_text, db, FX_ORG,
			    k, &q), 0);
			want = json_dumps(items, JSON_COMPACT | JSON_PRESERVE_ORDER);
			assert_string_equal(buf_str(&text), want);
			assert_null(strstr(buf_str(&text), "stale"));
			assert_int_equal(total, total_text);
			assert_int_equal(total, shapes[s].want);
			if (next == NULL)
				assert_null(next_text);
			else
				assert_string_equal(next, next_text);
			for (i = 0; i < json_array_size(items); i++) {
				const char *ref = fx_str(json_array_get(items, i), "ref");
				const char *name = fx_str(json_array_get(items, i), "name");
				const char *at = fx_str(json_array_get(items, i), "created_at");
				long num = strtol(ref + strlen("AIS-"), NULL, 10);

				assert_null(json_object_get(seen, ref));
				json_object_set_new(seen, ref, json_true());
				/* In the page's order, across pages too. */
				if (shapes[s].sort && strcmp(shapes[s].sort, "name") == 0)
					assert_true(strcmp(prev, name) < 0);
				/* Newest first: numbers down, times never up. */
				if (shapes[s].sort && strcmp(shapes[s].sort, "-created_at") == 0 &&
				    prev_num != 0) {
					assert_true(num < prev_num);
					assert_true(strcmp(at, prev_at) <= 0);
				}
				snprintf(prev, sizeof(prev), "%s", name);
				snprintf(prev_at, sizeof(prev_at), "%s", at);
				prev_num = num;
			}
			free(want);
			free(next_text);
			json_decref(items);
			free(cursor);
			cursor = next;
			next = next_text = NULL;
		} while (cursor != NULL);
		assert_int_equal(json_object_size(seen), shapes[s].want);
		json_decref(seen);
	}
	buf_free(&text);
	buf_free(&body);
}

/*
 * A cursor is base64url of its keys' JSON as jansson writes it: for names
 * written directly (plain text) and for names left to jansson's escaping
 * (a quote, a backslash, a letter outside ASCII); and paging by it
 * gives every record once, in order.
 */
static void
test_record__list_cursor_is_jansson_text(void **state)
{
	static const char *names[] = {
		"Plain scorer", "Quoted \\\"scorer\\\"", "Back\\\\slash scorer",
		"Slash/scorer", "R\u00e9sum\u00e9 scorer", "Zed scorer",
	};
	const struct record_kind *k = record_kind_find("ai-systems");
	struct record_query q = { .limit = 1, .sort = "name" };
	struct db *db = *state;
	struct buf text = BUF_INIT, body = BUF_INIT;
	unsigned char raw[600];
	char *next = NULL, *cursor = NULL, *again, prev[64] = "";
	json_t *keys, *items;
	int64_t total = 0;
	size_t i, n;
	int pages = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		buf_reset(&body);
		buf_printf(&body, "{\"name\": \"%s\", \"lifecycle_stage\": \"inception\"}",
		    names[i]);
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
		    buf_str(&body)), 0);
	}
	do {
		q.cursor = cursor;
		buf_reset(&text);
		assert_int_equal(record_list_text(&text, &next, &total, db, FX_ORG, k, &q), 0);
		items = json_loadb(text.data, text.len, 0, NULL);
		assert_int_equal(json_array_size(items), 1);
		/* In the names' order, across pages. */
		assert_true(strcmp(prev, fx_str(json_array_get(items, 0), "name")) < 0);
		snprintf(prev, sizeof(prev), "%s", fx_str(json_array_get(items, 0), "name"));
		if (next != NULL) {
			assert_int_equal(sodium_base642bin(raw, sizeof(raw) - 1, next, strlen(next),
			    NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
			keys = json_loadb((const char *)raw, n, 0, NULL);
			assert_non_null(keys);
			assert_string_equal(json_string_value(json_array_get(keys, 0)), prev);
			again = json_dumps(keys, JSON_COMPACT);
			assert_int_equal(strlen(again), n);
			assert_memory_equal(again, raw, n);
			free(again);
			json_decref(keys);
		}
		json_decref(items);
		free(cursor);
		cursor = next;
		next = NULL;
		pages++;
	} while (cursor != NULL);
	assert_int_equal(pages, (int)(sizeof(names) / sizeof(names[0])));
	assert_int_equal(total, (int64_t)(sizeof(names) / sizeof(names[0])));
	buf_free(&text);
	buf_free(&body);
}

/*
 * A record's versions as text are the bytes of their trees: fields set,
 * cleared, made blank, nested lists changed, the record retired; another
 * organisation's record is not found.
 */
static void
test_record__history_text(void **state)
{
	struct db *db = *state;
	struct buf text = BUF_INIT;
	const struct record_kind *k = record_kind_find("ai-systems");

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Scorer \\\"\\u00e9\\\"\", \"purpose\": \"scores\", \"components\": "
	    "[{\"version\": \"3\", \"name\": \"m\", \"kind\": \"model\"}]}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "ai-systems", "AIS-1", 1,
	    "{\"purpose\": null, \"lifecycle_stage\": \"inception\"}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "ai-systems", "AIS-1", 2,
	    "{\"purpose\": \"  \", \"components\": [{\"name\": \"m\", \"kind\": \"model\", "
	    "\"version\": \"4\"}, {\"name\": \"d\", \"kind\": \"dataset\"}]}"), 0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "ai-systems", "AIS-1", 3,
	    "{\"components\": [], \"purpose\": \"ranks\\nclaims\\ttoday\"}"), 0);
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, k, "AIS-1", 4), 0);
	assert_int_equal(fx_history_text_matches(db, FX_ORG, "ai-systems", "AIS-1"), 0);
	assert_int_equal(record_history_text(&text, db, FX_OTHER_ORG, k, "AIS-1", NULL),
	    AIMS_ENOTFOUND);
	assert_int_equal(record_version_get_text(&text, db, FX_ORG, k, "AIS-1", 99),
	    AIMS_ENOTFOUND);
	buf_free(&text);
}

static void
test_record__update_versions_and_stale(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL, *hist = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Scorer\", \"purpose\": \"scores\"}"), 0);
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_alice, "ai-systems", "AIS-1", 1,
	    "{\"purpose\": null, \"lifecycle_stage\": \"inception\"}"), 0);
	assert_int_equal(fx_int(rec, "version"), 2);
	assert_true(json_is_null(json_object_get(rec, "purpose")));
	assert_string_equal(fx_str(rec, "updated_by"), "user:alice@example.org");
	json_decref(rec);
	/* A stale version is refused and changes nothing. */
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_bob, "ai-systems", "AIS-1", 1,
	    "{\"name\": \"Lost\"}"), AIMS_ESTALE);
	assert_null(rec);
	assert_string_equal(aims_error_field(), "version");
	assert_int_equal(record_get(&rec, db, FX_ORG, record_kind_find("ai-systems"), "AIS-1"), 0);
	assert_string_equal(fx_str(rec, "name"), "Scorer");
	json_decref(rec);
	/* No change: no new version. */
	assert_int_equal(fx_update(&rec, db, FX_ORG, &fx_bob, "ai-systems", "AIS-1", 0,
	    "{\"name\": \"Scorer\"}"), 0);
	assert_int_equal(fx_int(rec, "version"), 2);
	json_decref(rec);
	assert_int_equal(record_history(&hist, db, FX_ORG, record_kind_find("ai-systems"), "AIS-1",
	    NULL), 0);
	assert_int_equal(json_array_size(hist), 2);
	assert_string_equal(fx_str(json_array_get(hist, 1), "action"), "create");
	assert_string_equal(fx_str(json_object_get(json_array_get(hist, 1), "record"), "purpose"),
	    "scores");
	assert_string_equal(fx_str(json_array_get(hist, 0), "action"), "update");
	assert_int_equal(json_array_size(json_object_get(json_array_get(hist, 0), "fields")), 2);
	json_decref(hist);
}

static void
test_record__bad_fields_name_the_field(void **state)
{
	struct db *db = *state;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"x\", \"colour\": \"red\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "colour");
	assert_non_null(strstr(aims_error_message(), "unknown field 'colour'"));

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"x\", \"lifecycle_stage\": \"beta\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "lifecycle_stage");
	assert_non_null(strstr(aims_error_message(), "'beta' is not allowed (allowed: inception, "
	    "design_development, verification_validation, deployment, operation_monitoring, "
	    "re_evaluation, retirement)"));

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"x\", \"inherent_score\": 3}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "inherent_score");
	assert_non_null(strstr(aims_error_message(), "set by the system"));

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"x\", \"version\": 4}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "version");

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems", "{\"purpose\": \"p\"}"),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "name");
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems", "{\"name\": \"  \"}"),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "name");

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"x\", \"in_scope\": \"yes\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "in_scope");

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"x\", \"owner\": \"nobody@example.org\"}"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "not a member"));

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"x\", \"components\": [{\"kind\": \"model\"}]}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "components[0].name");

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"line\\nbreak\"}"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "one line"));

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"x\", \"next_review\": \"2026-02-30\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "next_review");

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"x\", \"risk_source\": \"C.2.1\"}"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "risk-source"));

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"x\", \"ai_systems\": [\"AIS-77\"]}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "ai_systems[0]");
	assert_non_null(strstr(aims_error_message(), "AIS-77 does not exist"));
	/* Nothing was stored by any of these. */
	{
		json_t *items = NULL;
		char *next = NULL;
		int64_t total = -1;
		struct record_query q = { .limit = 10 };

		assert_int_equal(record_list(&items, &next, &total, db, FX_ORG,
		    record_kind_find("ai-systems"), &q), 0);
		assert_int_equal(total, 0);
		json_decref(items);
	}
}

static void
test_record__other_org_is_invisible(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("ai-systems");
	json_t *rec = NULL, *items = NULL;
	struct record_query q = { .limit = 10 };
	char *next = NULL;
	int64_t total = -1;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems", "{\"name\": \"Mine\"}"),
	    0);
	assert_int_equal(record_get(&rec, db, FX_OTHER_ORG, k, "AIS-1"), AIMS_ENOTFOUND);
	assert_int_equal(fx_update(NULL, db, FX_OTHER_ORG, &fx_alice, "ai-systems", "AIS-1", 0,
	    "{\"name\": \"Theirs\"}"), AIMS_ENOTFOUND);
	/* A reference to another organisation's record does not exist. */
	assert_int_equal(fx_create(NULL, db, FX_OTHER_ORG, &fx_alice, "risks",
	    "{\"title\": \"r\", \"ai_systems\": [\"AIS-1\"]}"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "does not exist"));
	assert_int_equal(record_list(&items, &next, &total, db, FX_OTHER_ORG, k, &q), 0);
	assert_int_equal(json_array_size(items), 0);
	assert_int_equal(total, 0);
	json_decref(items);
	/* Numbers are per organisation. */
	assert_int_equal(fx_create(&rec, db, FX_OTHER_ORG, &fx_alice, "ai-systems",
	    "{\"name\": \"Theirs\"}"), 0);
	assert_string_equal(fx_str(rec, "ref"), "AIS-1");
	json_decref(rec);
}

static void
test_record__retire_and_delete(void **state)
{
	struct db *db = *state;
	const struct record_kind *ais = record_kind_find("ai-systems");
	const struct record_kind *ci = record_kind_find("context-issues");
	struct record_query q = { .limit = 10 };
	json_t *rec = NULL, *items = NULL;
	char *next = NULL;
	int64_t total;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems", "{\"name\": \"Old\"}"), 0);
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, ais, "AIS-1", 2), AIMS_ESTALE);
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, ais, "AIS-1", 1), 0);
	assert_int_equal(record_get(&rec, db, FX_ORG, ais, "AIS-1"), 0);	/* retained */
	assert_true(json_is_true(json_object_get(rec, "retired")));
	assert_int_equal(fx_int(rec, "version"), 2);
	json_decref(rec);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "ai-systems", "AIS-1", 0,
	    "{\"name\": \"x\"}"), AIMS_ECONFLICT);
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, ais, &q), 0);
	assert_int_equal(json_array_size(items), 0);
	assert_int_equal(total, 0);
	json_decref(items);
	q.include_retired = true;
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, ais, &q), 0);
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);

	/* Context issues are erased, unless something refers to them. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "context-issues",
	    "{\"title\": \"Regulation\", \"kind\": \"external\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "context-issues",
	    "{\"title\": \"Skills\", \"kind\": \"internal\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "evidence",
	    "{\"title\": \"Minutes\", \"kind\": \"record\", \"record\": \"CI-2\"}"), 0);
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, ci, "CI-1", 0), 0);
	assert_int_equal(record_get(&rec, db, FX_ORG, ci, "CI-1"), AIMS_ENOTFOUND);
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, ci, "CI-2", 0), AIMS_ECONFLICT);
	assert_non_null(strstr(aims_error_message(), "EV-1"));
	/* Singletons and SoA entries are never deleted. */
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, record_kind_find("soa"), "A.2.2", 0),
	    AIMS_ECONFLICT);
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, record_kind_find("risk-criteria"),
	    NULL, 0), AIMS_ECONFLICT);
}

static void
collect_refs(json_t *all, json_t *items)
{
	json_t *it;
	size_t i;

	json_array_foreach(items, i, it)
		json_array_append_new(all, json_string(fx_str(it, "ref")));
}

/* Every ref of a list, paging by limit, in order. */
static json_t *
list_all(struct db *db, const struct record_kind *k, struct record_query *q, int64_t *total)
{
	json_t *all = json_array(), *items = NULL;
	char *cursor = NULL, *next = NULL;

	do {
		q->cursor = cursor;
		assert_int_equal(record_list(&items, &next, total, db, FX_ORG, k, q), 0);
		collect_refs(all, items);
		json_decref(items);
		free(cursor);
		cursor = next;
	} while (cursor);
	q->cursor = NULL;
	return all;
}

/*
 * Two field filters at once (a heat-map cell: likelihood and impact): one
 * drives, the other is checked per row. The answer must be exactly the
 * records matching both, in order, also after updates moved records in
 * the default order, with retired records only when asked, and with a
 * boolean filter (bound as an integer).
 */
static void
test_record__list_two_field_filters(void **state)
{
	static const char *const stages[] = { "inception", "deployment", "retirement" };
	static const char *const roles[] = { "provider", "customer" };
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("ai-systems");
	struct record_query q = { .limit = 4 };
	bool match[91] = { 0 }, retired[91] = { 0 };
	char body[256], ref[16];
	json_t *all;
	int64_t total = 0;
	int i, s, r, expect;
	size_t j;

	for (i = 1; i <= 90; i++) {
		snprintf(body, sizeof(body), "{\"name\": \"S%02d\", \"lifecycle_stage\": \"%s\", "
		    "\"org_role\": \"%s\", \"in_scope\": %s}", i, stages[i % 3], roles[i % 2],
		    i % 5 ? "true" : "false, \"scope_justification\": \"A trial outside the AIMS\"");
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems", body), 0);
	}
	/* Changes reorder records and move some into or out of a cell. */
	for (i = 1; i <= 90; i += 7) {
		snprintf(ref, sizeof(ref), "AIS-%d", i);
		assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "ai-systems", ref, 0,
		    "{\"org_role\": \"provider\"}"), 0);
	}
	for (i = 3; i <= 90; i += 11) {
		snprintf(ref, sizeof(ref), "AIS-%d", i);
		assert_int_equal(record_delete(db, FX_ORG, &fx_alice, k, ref, 0), 0);
		retired[i] = true;
	}
	q.nfilters = 2;
	for (s = 0; s < 3; s++) {
		for (r = 0; r < 2; r++) {
			q.filter_names[0] = "lifecycle_stage";
			q.filter_values[0] = stages[s];
			q.filter_names[1] = "org_role";
			q.filter_values[1] = roles[r];
			expect = 0;
			for (i = 1; i <= 90; i++) {
				match[i] = i % 3 == s && ((i - 1) % 7 == 0 ? 0 : i % 2) == r;
				expect += match[i] && !retired[i];
			}
			q.sort = NULL;
			all = list_all(db, k, &q, &total);
			assert_int_equal(total, expect);
			assert_int_equal(json_array_size(all), expect);
			for (j = 0; j < json_array_size(all); j++) {
				i = atoi(json_string_value(json_array_get(all, j)) + 4);
				assert_true(match[i] && !retired[i]);
			}
			json_decref(all);
			/* Another order, and with the retired ones. */
			q.sort = "-name";
			q.include_retired = true;
			all = list_all(db, k, &q, &total);
			for (expect = 0, i = 1; i <= 90; i++)
				expect += match[i];
			assert_int_equal(total, expect);
			assert_int_equal(json_array_size(all), expect);
			for (j = 1; j < json_array_size(all); j++)
				assert_true(atoi(json_string_value(json_array_get(all, j - 1)) + 4) >
				    atoi(json_string_value(json_array_get(all, j)) + 4));
			json_decref(all);
			q.include_retired = false;
		}
	}
	/* A boolean and an enum: in scope (i % 5 != 0) and in deployment (i % 3 == 1). */
	q.filter_names[0] = "in_scope";
	q.filter_values[0] = "false";
	q.filter_names[1] = "lifecycle_stage";
	q.filter_values[1] = "deployment";
	q.sort = NULL;
	all = list_all(db, k, &q, &total);
	for (expect = 0, i = 1; i <= 90; i++)
		expect += i % 5 == 0 && i % 3 == 1 && !retired[i];
	assert_int_equal(total, expect);
	assert_int_equal(json_array_size(all), expect);
	json_decref(all);
}

/* The refs of every page of a list, checked against want[] (by number, 1-based). */
static void
check_measures(struct db *db, struct record_query *q, const bool *want, int n, bool by_ref_desc)
{
	const struct record_kind *k = record_kind_find("measures");
	json_t *all;
	int64_t total = -1;
	int i, expect = 0;
	size_t j;

	for (i = 1; i <= n; i++)
		expect += want[i];
	all = list_all(db, k, q, &total);
	assert_int_equal(total, expect);
	assert_int_equal(json_array_size(all), expect);
	for (j = 0; j < json_array_size(all); j++) {
		i = atoi(json_string_value(json_array_get(all, j)) + 4);
		assert_true(i >= 1 && i <= n && want[i]);
		if (by_ref_desc && j > 0)
			assert_true(atoi(json_string_value(json_array_get(all, j - 1)) + 4) > i);
	}
	json_decref(all);
}

/*
 * Filters on reference fields (lists of AI systems, catalog ids) are
 * answered from the links, not from record_fields, which hold none of
 * their values: alone, with a column filter, two at once, in other orders,
 * with retired records, for a value with no links, and for a value with
 * more links than a filter drives (checked per row as the records index is
 * walked, and counted from the links). The dashboard's count agrees.
 */
static void
test_record__list_reference_filters(void **state)
{
	enum { N = 40, BIG = 2010 };
	static const char *const sorts[] = { NULL, "title", "-ref" };
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("measures");
	struct record_query q = { .limit = 7 };
	static bool ais1[N + BIG + 1], ais2[N + BIG + 1], req[N + BIG + 1],
	    planned[N + BIG + 1], retired[N + BIG + 1], ais3[N + BIG + 1], none[N + BIG + 1],
	    want[N + BIG + 1];
	char body[256], ref[16];
	int64_t n;
	size_t s;
	int i, r;

	for (i = 1; i <= 3; i++) {
		snprintf(body, sizeof(body), "{\"name\": \"System %d\"}", i);
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems", body), 0);
	}
	for (i = 1; i <= N; i++) {
		snprintf(body, sizeof(body), "{\"title\": \"M%02d\", \"status\": \"%s\", "
		    "\"ai_systems\": [%s%s%s], \"requirements\": [%s]}", (i * 17) % N,
		    i % 2 ? "planned" : "implemented", i % 2 ? "\"AIS-1\"" : "",
		    i % 2 && i % 3 == 0 ? ", " : "", i % 3 == 0 ? "\"AIS-2\"" : "",
		    i % 4 == 0 ? "\"A.6.2.6\"" : "");
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "measures", body), 0);
	}
	/* Changes reorder the default order and move some out of a filter. */
	for (i = 1; i <= N; i += 5) {
		snprintf(ref, sizeof(ref), "MEA-%d", i);
		assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "measures", ref, 0,
		    i % 10 == 1 ? "{\"ai_systems\": null}" : "{\"status\": \"planned\"}"), 0);
	}
	for (i = 2; i <= N; i += 7) {
		snprintf(ref, sizeof(ref), "MEA-%d", i);
		assert_int_equal(record_delete(db, FX_ORG, &fx_alice, k, ref, 0), 0);
		retired[i] = true;
	}
	for (i = 1; i <= N; i++) {
		ais1[i] = i % 2 && i % 10 != 1;
		ais2[i] = i % 3 == 0 && i % 10 != 1;
		req[i] = i % 4 == 0;
		planned[i] = i % 2 || i % 10 == 6;
	}
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM record_fields "
	    "WHERE kind = 'measures' AND field IN ('ai_systems', 'requirements')"), 0);
	assert_int_equal(n, 0);

	for (s = 0; s < sizeof(sorts) / sizeof(sorts[0]); s++) {
		for (r = 0; r < 2; r++) {
			q.sort = sorts[s];
			q.include_retired = r;
			q.nfilters = 1;
			q.filter_names[0] = "ai_systems";
			q.filter_values[0] = "AIS-1";
			for (i = 1; i <= N; i++)
				want[i] = ais1[i] && (r || !retired[i]);
			check_measures(db, &q, want, N, s == 2);
			q.nfilters = 2;
			q.filter_values[0] = "AIS-2";
			q.filter_names[1] = "status";
			q.filter_values[1] = "planned";
			for (i = 1; i <= N; i++)
				want[i] = ais2[i] && planned[i] && (r || !retired[i]);
			check_measures(db, &q, want, N, s == 2);
			q.filter_names[1] = "requirements";
			q.filter_values[1] = "A.6.2.6";
			for (i = 1; i <= N; i++)
				want[i] = ais2[i] && req[i] && (r || !retired[i]);
			check_measures(db, &q, want, N, s == 2);
			q.nfilters = 1;
			q.filter_values[0] = "AIS-3";
			check_measures(db, &q, none, N, s == 2);
			q.filter_values[0] = "RISK-1";
			check_measures(db, &q, none, N, s == 2);
		}
	}
	q.include_retired = false;
	for (n = 0, i = 1; i <= N; i++)
		n += ais1[i] && !retired[i];
	assert_int_equal(record_count_with(&n, db, FX_ORG, k, "ai_systems", "AIS-1", 1000), 0);
	for (r = 0, i = 1; i <= N; i++)
		r += ais1[i] && !retired[i];
	assert_int_equal(n, r);

	/* More matches than a filter drives; every other one planned. */
	assert_int_equal(db_begin(db), 0);
	for (i = N + 1; i <= N + BIG; i++) {
		snprintf(body, sizeof(body), "{\"title\": \"B%d\", \"status\": \"%s\", "
		    "\"ai_systems\": [\"AIS-3\"]}", i, i % 2 ? "planned" : "implemented");
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "measures", body), 0);
		ais3[i] = true;
	}
	assert_int_equal(db_commit(db), 0);
	q.sort = NULL;
	q.limit = 50;
	q.nfilters = 1;
	q.filter_names[0] = "ai_systems";
	q.filter_values[0] = "AIS-3";
	check_measures(db, &q, ais3, N + BIG, false);
	q.sort = "-ref";
	q.limit = 500;
	q.nfilters = 2;
	q.filter_names[1] = "status";
	q.filter_values[1] = "planned";
	for (i = 1; i <= N + BIG; i++)
		want[i] = ais3[i] && i % 2;
	check_measures(db, &q, want, N + BIG, true);
}

static void
test_record__list_filter_sort_search_cursor(void **state)
{
	static const char *const stages[] = { "inception", "deployment", "retirement" };
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("ai-systems");
	struct record_query q = { .limit = 25 };
	json_t *items = NULL, *all = json_array();
	char body[256], *next = NULL, *cursor = NULL;
	int64_t total = 0;
	int i, pages = 0;

	for (i = 1; i <= 120; i++) {
		snprintf(body, sizeof(body), "{\"name\": \"System %03d\", \"lifecycle_stage\": \"%s\", "
		    "\"purpose\": \"%s\"}", i, stages[i % 3], i == 77 ? "detects zebras" : "routine");
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems", body), 0);
	}
	/* Pages through everything in name order without gaps or repeats. */
	q.sort = "name";
	do {
		q.cursor = cursor;
		assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
		collect_refs(all, items);
		json_decref(items);
		free(cursor);
		cursor = next;
		pages++;
	} while (cursor);
	assert_int_equal(pages, 5);
	assert_int_equal(total, 120);
	assert_int_equal(json_array_size(all), 120);
	assert_string_equal(json_string_value(json_array_get(all, 0)), "AIS-1");
	assert_string_equal(json_string_value(json_array_get(all, 119)), "AIS-120");
	json_decref(all);

	/* Descending by a data field, filtered. */
	q.cursor = NULL;
	q.sort = "-lifecycle_stage";
	q.filter_names[0] = "lifecycle_stage";
	q.filter_values[0] = "deployment";
	q.nfilters = 1;
	q.limit = 100;
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(json_array_size(items), 40);
	assert_int_equal(total, 40);
	assert_null(next);
	json_decref(items);

	/* Search by a word prefix in a searchable field. */
	q.nfilters = 0;
	q.sort = NULL;
	q.q = "zebr";
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(json_array_size(items), 1);
	assert_int_equal(total, 1);
	assert_string_equal(fx_str(json_array_get(items, 0), "ref"), "AIS-77");
	json_decref(items);
	q.q = "routine system 07";	/* every word, as a prefix: 070..079 but 077 */
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(total, 9);
	json_decref(items);
	/* Retired records are found only when asked for. */
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, k, "AIS-77", 0), 0);
	q.q = "zebras";
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(json_array_size(items), 0);
	assert_int_equal(total, 0);
	json_decref(items);
	q.include_retired = true;
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(json_array_size(items), 1);
	assert_int_equal(total, 1);
	json_decref(items);
	q.include_retired = false;

	/* Bad parameters name themselves. */
	q.q = NULL;
	q.sort = "purpose";
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "sort");
	q.sort = NULL;
	q.filter_names[0] = "lifecycle_stage";
	q.filter_values[0] = "beta";
	q.nfilters = 1;
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "allowed: inception"));
	q.nfilters = 0;
	q.cursor = "garbage!";
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "cursor");
}

/* Whether the entry for kind in a record_search() answer lists ref. */
static bool
search_has(const json_t *res, const char *kind, const char *ref)
{
	const json_t *e, *it;
	size_t i, j;

	json_array_foreach(res, i, e)
		if (strcmp(fx_str(e, "kind"), kind) == 0)
			json_array_foreach(json_object_get(e, "items"), j, it)
				if (strcmp(fx_str(it, "ref"), ref) == 0)
					return true;
	return false;
}

/*
 * The search index keeps no column sizes (nothing ranks by them; migration
 * 111) but keeps positions: a word the index's tokenizer splits (a dash or
 * an apostrophe beyond ASCII) is searched as a phrase, and still found.
 */
static void
test_record__search_words_split_by_the_index(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("ai-systems");
	struct record_query q = { .limit = 10 };
	json_t *items = NULL;
	char *next = NULL;
	int64_t total = 0, n = -1;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Claims triage\u2014scoring, can\u2019t wait\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Scoring of claims\"}"), 0);
	q.q = "triage\xe2\x80\x94scoring";
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(total, 1);
	assert_string_equal(fx_str(json_array_get(items, 0), "ref"), "AIS-1");
	json_decref(items);
	q.q = "can\xe2\x80\x99t";
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(total, 1);
	json_decref(items);
	q.q = "claims";
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(total, 2);
	json_decref(items);
	/* A word after an em dash or a curly apostrophe is a word of its own. */
	q.q = "scoring";
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(total, 2);
	json_decref(items);
	q.q = "t wait";
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(total, 1);
	json_decref(items);
	if (strcmp(db_backend(db), "sqlite") == 0) {
		assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM sqlite_schema "
		    "WHERE name = 'records_fts_docsize'"), 0);
		assert_int_equal(n, 0);
	}
}

/*
 * Words split across a dash beyond ASCII, the upgrade: a record indexed the
 * old way ("triage—scoring" as one word, whose second half the index kept
 * unscoped) is listed by migration 126; verify accepts it while it is
 * listed, record_search_reindex() writes its words again, and then it is
 * found by either half and verify holds it to the new words.
 */
static void
test_record__search_reindex_after_upgrade(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("ai-systems");
	struct record_query q = { .limit = 10, .q = "scoring" };
	json_t *items = NULL;
	char *next = NULL;
	int64_t total = -1, done = -1, n = -1;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Claims triage\u2014scoring\"}"), 0);
	fx_exec(db, "UPDATE records_fts SET body = ' s1_aisystems_AIS s1_aisystems_1 "
	    "s1_aisystems_Claims s1_aisystems_triage\xe2\x80\x94scoring' "
	    "WHERE rowid = (SELECT id FROM records WHERE ref = 'AIS-1')");
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(total, 0);
	json_decref(items);
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	fx_exec(db, "INSERT INTO search_reindex (record_id) SELECT id FROM records "
	    "WHERE ref = 'AIS-1'");
	assert_int_equal(record_verify_derived(db, FX_ORG), 0);
	/* Listed or not, other words than the old split are a finding. */
	fx_exec(db, "UPDATE records_fts SET body = ' s1_aisystems_AIS s1_aisystems_1' "
	    "WHERE rowid = (SELECT id FROM records WHERE ref = 'AIS-1')");
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	fx_exec(db, "UPDATE records_fts SET body = ' s1_aisystems_AIS s1_aisystems_1 "
	    "s1_aisystems_Claims s1_aisystems_triage\xe2\x80\x94scoring' "
	    "WHERE rowid = (SELECT id FROM records WHERE ref = 'AIS-1')");
	assert_int_equal(record_verify_derived(db, FX_ORG), 0);
	assert_int_equal(record_search_reindex(&done, db), 0);
	assert_int_equal(done, 1);
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM search_reindex"), 0);
	assert_int_equal(n, 0);
	assert_int_equal(record_list(&items, &next, &total, db, FX_ORG, k, &q), 0);
	assert_int_equal(total, 1);
	json_decref(items);
	assert_int_equal(record_verify_derived(db, FX_ORG), 0);
	/* Nothing listed: nothing written, and a listed record since erased is dropped. */
	fx_exec(db, "INSERT INTO search_reindex (record_id) VALUES (999999)");
	assert_int_equal(record_search_reindex(&done, db), 0);
	assert_int_equal(done, 1);
	assert_int_equal(record_search_reindex(&done, db), 0);
	assert_int_equal(done, 0);
}

/* The refs of kind in a record_search() answer, space-separated, and its "more". */
static const char *
search_refs(const json_t *res, const char *kind, bool *more)
{
	static char out[256];
	const json_t *e, *it;
	size_t i, j, n = 0;

	out[0] = '\0';
	*more = false;
	json_array_foreach(res, i, e)
		if (strcmp(fx_str(e, "kind"), kind) == 0) {
			*more = json_is_true(json_object_get(e, "more"));
			json_array_foreach(json_object_get(e, "items"), j, it)
				n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s", n ? " " : "",
				    fx_str(it, "ref"));
		}
	return out;
}

/*
 * A prefix is answered from the kind's newest records when they settle it
 * and from the index when they do not (a match past the newest hundred, a
 * text that is not ASCII, a retired match): the same newest matches either
 * way, retired records never among them.
 */
static void
test_record__search_prefix_newest_first(void **state)
{
	struct db *db = *state;
	const struct record_kind *mea = record_kind_find("measures"),
	    *ctx = record_kind_find("context-issues");
	const struct record_kind *kinds[] = { mea, ctx };
	json_t *res = NULL;
	char body[256];
	bool more;
	int i;

	for (i = 1; i <= 130; i++) {
		snprintf(body, sizeof(body), "{\"title\": \"%s check %d\"}", i == 105 ?
		    "Evid\u00e9ntial" : i % 10 == 0 ? "Evidential" : i <= 3 ? "Oldest" : "Plain", i);
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "measures", body), 0);
	}
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "context-issues",
	    "{\"title\": \"Rain\", \"kind\": \"external\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "context-issues",
	    "{\"title\": \"Rust\", \"kind\": \"internal\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "context-issues",
	    "{\"title\": \"Dust\", \"kind\": \"internal\"}"), 0);
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, ctx, "CI-3", 0), 0);
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, mea, "MEA-129", 0), 0);

	/* The newest ASCII records settle it until the one with an accent: the index. */
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 2, "evid", 5), 0);
	assert_string_equal(search_refs(res, "measures", &more),
	    "MEA-130 MEA-120 MEA-110 MEA-105 MEA-100");
	assert_true(more);
	json_decref(res);
	/* The same in capitals; a whole word first, its records walked newest first. */
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 2, "EVID", 5), 0);
	assert_string_equal(search_refs(res, "measures", &more),
	    "MEA-130 MEA-120 MEA-110 MEA-105 MEA-100");
	json_decref(res);
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 2, "check 12", 5), 0);
	assert_string_equal(search_refs(res, "measures", &more),
	    "MEA-128 MEA-127 MEA-126 MEA-125 MEA-124");
	assert_true(more);
	json_decref(res);
	/* Only past the newest hundred: the index, all three and no more. */
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 2, "olde", 5), 0);
	assert_string_equal(search_refs(res, "measures", &more), "MEA-3 MEA-2 MEA-1");
	assert_false(more);
	json_decref(res);
	/* A kind read whole; its retired record is left out whatever its words. */
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 2, "r", 5), 0);
	assert_string_equal(search_refs(res, "context-issues", &more), "CI-2 CI-1");
	assert_false(more);
	assert_string_equal(search_refs(res, "measures", &more), "");
	json_decref(res);
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 2, "du", 5), 0);
	assert_int_equal(json_array_size(res), 0);
	json_decref(res);
}

/*
 * A heat-map cell (a risk's likelihood and impact, a dimension the
 * dashboard's counts keep) has its total from the kept count: the same as
 * the records listed, after changes moved risks between cells and some
 * were retired, in either order of the filters; a value outside the scale
 * has none.
 */
static void
test_record__list_heat_map_cell_total(void **state)
{
	struct db *db = *state;
	const struct record_kind *k = record_kind_find("risks");
	struct record_query q = { .limit = 3, .nfilters = 2 };
	int cell[6][6] = { { 0 } }, lik[41], imp[41], l, m, i;
	bool gone[41] = { 0 };
	char body[256], ref[24], lv[16], iv[16];
	json_t *all;
	int64_t total = -1;

	for (i = 1; i <= 40; i++) {
		lik[i] = 1 + i % 5;
		imp[i] = 1 + i % 3;
		snprintf(body, sizeof(body), "{\"title\": \"R%d\", \"likelihood\": %d, "
		    "\"impact\": %d}", i, lik[i], imp[i]);
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks", body), 0);
	}
	for (i = 1; i <= 40; i += 6) {
		snprintf(ref, sizeof(ref), "RISK-%d", i);
		assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "risks", ref, 0,
		    "{\"likelihood\": 5, \"impact\": 5}"), 0);
		lik[i] = imp[i] = 5;
	}
	for (i = 2; i <= 40; i += 9) {
		snprintf(ref, sizeof(ref), "RISK-%d", i);
		assert_int_equal(record_delete(db, FX_ORG, &fx_alice, k, ref, 0), 0);
		gone[i] = true;
	}
	for (i = 1; i <= 40; i++)
		cell[lik[i]][imp[i]] += !gone[i];
	for (l = 1; l <= 5; l++)
		for (m = 1; m <= 5; m++) {
			snprintf(lv, sizeof(lv), "%d", l);
			snprintf(iv, sizeof(iv), "%d", m);
			q.filter_names[0] = "likelihood";
			q.filter_values[0] = lv;
			q.filter_names[1] = "impact";
			q.filter_values[1] = iv;
			all = list_all(db, k, &q, &total);
			assert_int_equal(total, cell[l][m]);
			assert_int_equal(json_array_size(all), (size_t)cell[l][m]);
			json_decref(all);
			q.filter_names[0] = "impact";
			q.filter_values[0] = iv;
			q.filter_names[1] = "likelihood";
			q.filter_values[1] = lv;
			all = list_all(db, k, &q, &total);
			assert_int_equal(total, cell[l][m]);
			json_decref(all);
		}
	q.filter_values[0] = "9";
	all = list_all(db, k, &q, &total);
	assert_int_equal(total, 0);
	assert_int_equal(json_array_size(all), 0);
	json_decref(all);
}

static void
test_record__search_across_kinds(void **state)
{
	struct db *db = *state;
	const struct record_kind *kinds[] = { record_kind_find("ai-systems"),
	    record_kind_find("measures"), record_kind_find("context-issues") };
	json_t *res = NULL, *e;
	char body[256];
	int i;

	for (i = 1; i <= 8; i++) {
		snprintf(body, sizeof(body), "{\"name\": \"Scorer %d\", \"purpose\": \"%s\"}", i,
		    i == 3 ? "drifting ranker" : "drift watch");
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems", body), 0);
	}
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "measures",
	    "{\"title\": \"Drift alarms\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "measures",
	    "{\"title\": \"Retired drift check\"}"), 0);
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, kinds[1], "MEA-2", 0), 0);
	/* The other organisation's drift is never found from this one. */
	assert_int_equal(fx_create(NULL, db, FX_OTHER_ORG, &fx_alice, "measures",
	    "{\"title\": \"Drift elsewhere\"}"), 0);

	/* The newest few of each kind with a match, in the kinds' order; more is said. */
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 3, "drift", 5), 0);
	assert_int_equal(json_array_size(res), 2);
	e = json_array_get(res, 0);
	assert_string_equal(fx_str(e, "kind"), "ai-systems");
	assert_true(json_is_true(json_object_get(e, "more")));
	assert_int_equal(json_array_size(json_object_get(e, "items")), 5);
	assert_string_equal(fx_str(json_array_get(json_object_get(e, "items"), 0), "ref"), "AIS-8");
	assert_string_equal(fx_str(json_array_get(json_object_get(e, "items"), 0), "title"),
	    "Scorer 8");
	e = json_array_get(res, 1);
	assert_string_equal(fx_str(e, "kind"), "measures");
	assert_false(json_is_true(json_object_get(e, "more")));
	assert_int_equal(json_array_size(json_object_get(e, "items")), 1);
	assert_true(search_has(res, "measures", "MEA-1"));	/* not the retired MEA-2 */
	json_decref(res);

	/* The last word is a prefix: a kind its whole word leaves short is searched again. */
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 3, "drifti", 5), 0);
	assert_int_equal(json_array_size(res), 1);
	assert_true(search_has(res, "ai-systems", "AIS-3"));
	assert_int_equal(json_array_size(json_object_get(json_array_get(res, 0), "items")), 1);
	json_decref(res);
	/* Every word must match; the earlier ones whole. */
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 3, "ranker scor", 5), 0);
	assert_int_equal(json_array_size(res), 1);
	assert_true(search_has(res, "ai-systems", "AIS-3"));
	json_decref(res);
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 3, "rank scorer", 5), 0);
	assert_int_equal(json_array_size(res), 0);
	json_decref(res);
	/* Nothing to search for, and limits. */
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 3, " -- ", 5), 0);
	assert_int_equal(json_array_size(res), 0);
	json_decref(res);
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 3, "drift", 0), AIMS_EINVALID);
	assert_null(res);
	memset(body, 'a', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	assert_int_equal(record_search(&res, db, FX_ORG, kinds, 3, body, 5), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "q");
	assert_null(res);
}

static void
test_record__links_both_ways(void **state)
{
	struct db *db = *state;
	json_t *links = NULL, *l;
	size_t i;
	int seen = 0;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems", "{\"name\": \"A\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Bias\", \"ai_systems\": [\"AIS-1\"], \"risk_source\": \"C.3.4\", "
	    "\"objective\": \"C.2.5\"}"), 0);
	assert_int_equal(record_links(&links, db, FX_ORG, record_kind_find("ai-systems"), "AIS-1"), 0);
	assert_int_equal(json_array_size(links), 1);
	l = json_array_get(links, 0);
	assert_string_equal(fx_str(l, "kind"), "risks");
	assert_string_equal(fx_str(l, "ref"), "RISK-1");
	assert_string_equal(fx_str(l, "title"), "Bias");
	assert_string_equal(fx_str(l, "field"), "ai_systems");
	assert_string_equal(fx_str(l, "direction"), "in");
	json_decref(links);
	assert_int_equal(record_links(&links, db, FX_ORG, record_kind_find("risks"), "RISK-1"), 0);
	json_array_foreach(links, i, l) {
		assert_string_equal(fx_str(l, "direction"), "out");
		if (strcmp(fx_str(l, "ref"), "C.3.4") == 0) {
			assert_string_equal(fx_str(l, "kind"), "requirement");
			assert_string_equal(fx_str(l, "title"), "Risk sources related to machine learning");
			seen++;
		}
	}
	assert_int_equal(seen, 1);
	assert_int_equal(json_array_size(links), 3);
	json_decref(links);
	/* Changing the field moves the link. */
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "risks", "RISK-1", 0,
	    "{\"ai_systems\": null}"), 0);
	assert_int_equal(record_links(&links, db, FX_ORG, record_kind_find("ai-systems"), "AIS-1"), 0);
	assert_int_equal(json_array_size(links), 0);
	json_decref(links);
}

static int
count_visit(void *arg, const char *kind, const char *ref)
{
	(void)kind;
	(void)ref;
	(*(int *)arg)++;
	return 0;
}

static void
test_record__ledger_loader_matches_get(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL, *loaded = NULL;
	int n = 0;

	assert_int_equal(fx_create(&rec, db, FX_ORG, &fx_bob, "ai-systems", "{\"name\": \"L\"}"), 0);
	assert_int_equal(record_load_for_ledger(&loaded, db, FX_ORG, "ai-systems", "AIS-1"), 0);
	assert_true(json_equal(rec, loaded));
	json_decref(loaded);
	json_decref(rec);
	assert_int_equal(record_load_for_ledger(&loaded, db, FX_ORG, "ai-systems", "AIS-9"),
	    AIMS_ENOTFOUND);
	assert_int_equal(record_load_for_ledger(&loaded, db, FX_ORG, "sign-in", "x"),
	    AIMS_EUNSUPPORTED);
	assert_int_equal(record_enumerate(db, FX_ORG, count_visit, &n), 0);
	assert_int_equal(n, 38 + 1 + 1);	/* SoA entries, risk criteria, the AI system */
}

static int
last_entry(void *arg, const struct ledger_entry *e)
{
	json_t **out = arg;

	if (*out == NULL)
		*out = json_pack("{s:s, s:s, s:s, s:I, s:b}", "action", e->action, "kind", e->kind,
		    "ref", e->ref, "version", (json_int_t)e->version, "commitment",
		    e->commitment != NULL);
	return 0;
}

static void
test_record__ledger_events_and_verify(void **state)
{
	struct db *db = *state;
	struct note_verifier pub;
	struct ledger_report report;
	json_t *e = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "context-issues",
	    "{\"title\": \"Regulation\", \"kind\": \"external\"}"), 0);
	assert_int_equal(ledger_list(db, FX_ORG, 1, last_entry, &e), 0);
	assert_string_equal(fx_str(e, "action"), "create");
	assert_string_equal(fx_str(e, "kind"), "context-issues");
	assert_string_equal(fx_str(e, "ref"), "CI-1");
	json_decref(e);
	e = NULL;
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "context-issues", "CI-1", 1,
	    "{\"effect\": \"new duties\"}"), 0);
	assert_int_equal(ledger_list(db, FX_ORG, 1, last_entry, &e), 0);
	assert_string_equal(fx_str(e, "action"), "update");
	assert_int_equal(fx_int(e, "version"), 2);
	json_decref(e);
	e = NULL;
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, record_kind_find("context-issues"),
	    "CI-1", 0), 0);
	assert_int_equal(ledger_list(db, FX_ORG, 1, last_entry, &e), 0);
	assert_string_equal(fx_str(e, "action"), "delete");
	assert_true(json_is_false(json_object_get(e, "commitment")));
	json_decref(e);
	/* Every live record matches its latest commitment... */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems", "{\"name\": \"V\"}"),
	    0);
	ledger_key_public(&pub, testutil_key);
	assert_int_equal(ledger_verify(&report, db, FX_ORG, &pub, record_load_for_ledger,
	    record_enumerate), 0);
	assert_int_equal(report.records, 38 + 1 + 1);
	/* ...and a change behind core's back is named. */
	assert_int_equal(db_exec(db, "UPDATE records SET data = '{\"name\":\"W\"}' "
	    "WHERE kind = 'ai-systems' AND ref = 'AIS-1'"), 0);
	assert_int_equal(ledger_verify(&report, db, FX_ORG, &pub, record_load_for_ledger,
	    record_enumerate), AIMS_EVERIFY);
	assert_non_null(strstr(report.failure, "AIS-1"));
}

/* record_verify.c: history as ledgered, list columns, counts; erasing still works. */
static void
test_record__history_columns_and_counts_verify(void **state)
{
	static const struct ledger_history_source hist = {
		.load_version = record_load_version_for_ledger,
		.enumerate_versions = record_enumerate_versions,
		.check = record_verify_derived,
	};
	struct db *db = *state;
	struct note_verifier pub;
	struct ledger_report report;
	struct db_stmt *st;
	json_t *v = NULL;
	char action[LEDGER_FIELD_MAX + 1], *stage, *stage_at;
	int64_t stage_num, stage_live;

	ledger_set_history_source(&hist);
	ledger_key_public(&pub, testutil_key);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems", "{\"name\": \"V\"}"),
	    0);
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "ai-systems", "AIS-1", 1,
	    "{\"name\": \"W\"}"), 0);
	/* A stored version in the form it was ledgered, with its action. */
	assert_int_equal(record_load_version_for_ledger(&v, action, db, FX_ORG, "ai-systems",
	    "AIS-1", 1), 0);
	assert_string_equal(fx_str(v, "name"), "V");
	assert_string_equal(action, "create");
	json_decref(v);
	assert_int_equal(record_load_version_for_ledger(&v, action, db, FX_ORG, "ai-systems",
	    "AIS-1", 3), AIMS_ENOTFOUND);
	assert_int_equal(record_load_version_for_ledger(&v, action, db, FX_ORG, "org", "x", 1),
	    AIMS_EUNSUPPORTED);
	assert_int_equal(ledger_verify(&report, db, FX_ORG, &pub, record_load_for_ledger,
	    record_enumerate), 0);
	assert_int_equal(report.versions, 38 + 1 + 2);	/* SoA entries, risk criteria, AIS-1 twice */
	/* An erase takes the versions with it (the trigger lets it), through the ledger. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "context-issues",
	    "{\"title\": \"Regulation\", \"kind\": \"external\"}"), 0);
	assert_int_equal(record_delete(db, FX_ORG, &fx_alice, record_kind_find("context-issues"),
	    "CI-1", 0), 0);
	assert_int_equal(ledger_verify(&report, db, FX_ORG, &pub, record_load_for_ledger,
	    record_enumerate), 0);
	/* The first version rewritten: named by version, not only the latest state. */
	fx_exec(db, "DROP TRIGGER record_versions_append_only");
	fx_exec(db, "UPDATE record_versions SET data = '{\"name\":\"X\"}' "
	    "WHERE kind = 'ai-systems' AND version = 1");
	assert_int_equal(ledger_verify(&report, db, FX_ORG, &pub, record_load_for_ledger,
	    record_enumerate), AIMS_EVERIFY);
	assert_non_null(strstr(report.failure, "record AIS-1 (ai-systems) version 1 differs"));
	fx_exec(db, "UPDATE record_versions SET data = '{\"name\":\"V\"}' "
	    "WHERE kind = 'ai-systems' AND version = 1");
	/* List columns must say what the data says. */
	fx_exec(db, "UPDATE records SET title = 'Harmless' WHERE ref = 'AIS-1'");
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "record AIS-1 (ai-systems): column title is "
	    "'Harmless' but the record's data says 'W'"));
	fx_exec(db, "UPDATE records SET title = 'W' WHERE ref = 'AIS-1'");
	fx_exec(db, "UPDATE record_versions SET status = 'approved' WHERE kind = 'ai-systems' "
	    "AND version = 2");
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "record AIS-1 (ai-systems) version 2: column "
	    "status is 'approved'"));
	fx_exec(db, "UPDATE record_versions SET status = '' WHERE kind = 'ai-systems'");
	fx_exec(db, "UPDATE record_counts SET live = live + 1 WHERE kind = 'ai-systems'");
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "record_counts says 2 live AI systems, but "
	    "there are 1"));
	fx_exec(db, "UPDATE record_counts SET live = live - 1 WHERE kind = 'ai-systems'");
	/* And so must the dashboard's figures, both ways. */
	fx_exec(db, "UPDATE dashboard_counts SET n = n + 1 WHERE kind = 'soa' AND dim = 'decision'");
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "dashboard_counts says 39 live soa with "
	    "decision 'undecided', but there are 38"));
	fx_exec(db, "UPDATE dashboard_counts SET n = n - 1 WHERE kind = 'soa' AND dim = 'decision'");
	fx_exec(db, "INSERT INTO dashboard_counts VALUES (1, 'risks', 'status', "
	    "'closed', 2)");
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "says 2 live risks with status 'closed', but "
	    "there are 0"));
	fx_exec(db, "DELETE FROM dashboard_counts WHERE kind = 'risks'");
	assert_int_equal(record_verify_derived(db, FX_ORG), 0);
	/*
	 * The filter and link indexes hold exactly what the records give. The
	 * values are bound, not written in the SQL: a field value is typed JSON
	 * on PostgreSQL. The row is kept to be put back as it was.
	 */
	assert_int_equal(db_prepare(&st, db, "SELECT value, updated_at, num, live FROM "
	    "record_fields WHERE kind = 'ai-systems' AND field = 'lifecycle_stage'"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	stage = strdup(db_column_text(st, 0));
	stage_at = strdup(db_column_text(st, 1));
	stage_num = db_column_int64(st, 2);
	stage_live = db_column_int64(st, 3);
	db_done(st);
	assert_int_equal(db_prepare(&st, db, "UPDATE record_fields SET value = ? WHERE "
	    "kind = 'ai-systems' AND field = 'lifecycle_stage'"), 0);
	db_bind_text(st, 1, "retirement");
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "record AIS-1 (ai-systems): record_fields has "
	    "a row the record does not give: field lifecycle_stage = 'retirement'"));
	fx_exec(db, "DELETE FROM record_fields WHERE kind = 'ai-systems' AND field = "
	    "'lifecycle_stage'");
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "record AIS-1 (ai-systems): record_fields "
	    "lacks the row the record gives: field lifecycle_stage"));
	assert_int_equal(db_prepare(&st, db, "INSERT INTO record_fields (org_id, kind, field, "
	    "live, value, updated_at, num) VALUES (?, 'ai-systems', 'lifecycle_stage', ?, ?, ?, "
	    "?)"), 0);
	db_bind_int64(st, 1, FX_ORG);
	db_bind_int64(st, 2, stage_live);
	db_bind_text(st, 3, stage);
	db_bind_text(st, 4, stage_at);
	db_bind_int64(st, 5, stage_num);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	free(stage);
	free(stage_at);
	assert_int_equal(record_verify_derived(db, FX_ORG), 0);
	fx_exec(db, "DELETE FROM record_links WHERE from_kind = 'soa' AND from_ref = 'A.2.2'");
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "record A.2.2 (soa): record_links lacks the "
	    "link the record gives: field control -> A.2.2 (requirement)"));
	fx_exec(db, "INSERT INTO record_links SELECT 1, 'soa', 'A.2.2', 'control', 'requirement', "
	    "'A.2.2', 1 - retired, updated_at, num FROM records WHERE org_id = 1 AND "
	    "kind = 'soa' AND ref = 'A.2.2'");
	assert_int_equal(record_verify_derived(db, FX_ORG), 0);
	/* A link carries its record's last change, which filtered lists are in order of. */
	fx_exec(db, "UPDATE record_links SET updated_at = '2000-01-01T00:00:00Z' "
	    "WHERE org_id = 1 AND from_kind = 'soa' AND from_ref = 'A.2.2'");
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "record A.2.2 (soa): record_links "));
	fx_exec(db, "UPDATE record_links SET updated_at = (SELECT updated_at FROM records "
	    "WHERE org_id = 1 AND kind = 'soa' AND ref = 'A.2.2') WHERE org_id = 1 AND "
	    "from_kind = 'soa' AND from_ref = 'A.2.2'");
	assert_int_equal(record_verify_derived(db, FX_ORG), 0);
	/* And the search index the words the record gives, in its scope only. */
	fx_exec(db, "UPDATE records_fts SET body = ' s1_aisystems_nothing' WHERE rowid = "
	    "(SELECT id FROM records WHERE ref = 'AIS-1')");
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "record AIS-1 (ai-systems): records_fts holds "
	    "other words than the record gives"));
	fx_exec(db, "DELETE FROM records_fts WHERE rowid = (SELECT id FROM records "
	    "WHERE ref = 'AIS-1')");
	assert_int_equal(record_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "records_fts has no words for it"));
	ledger_set_history_source(NULL);
}

static void
test_record__kinds_are_declared_well(void **state)
{
	const struct record_kind *const *k;
	const struct field *f;
	enum perm_kind pk;
	int titles;

	(void)state;
	for (k = record_kinds; (*k)->name; k++) {
		titles = 0;
		assert_ptr_equal(record_kind_find((*k)->name), *k);
		assert_int_equal(perm_kind_parse(&pk, (*k)->perm_kind), 0);
		assert_non_null((*k)->prefix);
		for (f = (*k)->fields; f->name; f++) {
			/* snake_case ASCII: record__row_json() sets them unchecked. */
			assert_true(f->name[0] != '\0' &&
			    strspn(f->name, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
			    strlen(f->name));
			titles += (f->flags & FIELD_TITLE) != 0;
			if (f->type == FIELD_ENUM || f->type == FIELD_ENUM_LIST)
				assert_non_null(f->values);
			if (f->type == FIELD_OBJECT || f->type == FIELD_OBJECT_LIST)
				assert_non_null(f->subfields);
			if (f->target)
				assert_non_null(record_kind_find(f->target));
		}
		assert_true(titles <= 1);
	}
	assert_ptr_equal(record_kind_of_ref("RISK-12"), record_kind_find("risks"));
	assert_ptr_equal(record_kind_of_ref("A.6.2.6"), record_kind_find("soa"));
	assert_ptr_equal(record_kind_of_ref("SCOPE"), record_kind_find("scope"));
	assert_null(record_kind_of_ref("RISK-x"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record__create_and_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__views_are_the_records_text, setup, teardown),
		cmocka_unit_test(test_record__view_text_same_bytes_either_way),
		cmocka_unit_test(test_record__view_answers_for_every_kind),
		cmocka_unit_test_setup_teardown(test_record__changes_hand_out_the_answer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_record__search_texts_held_for_the_group, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_record__list_pages_agree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__list_cursor_is_jansson_text, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_record__history_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__update_versions_and_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__bad_fields_name_the_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__other_org_is_invisible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__retire_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__list_two_field_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__list_filter_sort_search_cursor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_record__list_reference_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__search_prefix_newest_first, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_record__list_heat_map_cell_total, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_record__search_across_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__search_words_split_by_the_index, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_record__search_reindex_after_upgrade, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_record__links_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__ledger_loader_matches_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__ledger_events_and_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record__history_columns_and_counts_verify, setup,
		    teardown),
		cmocka_unit_test(test_record__kinds_are_declared_well),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
