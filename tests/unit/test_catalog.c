/* test_catalog.c - unit tests for core/catalog: the built-in ISO/IEC 42001 catalog and validation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/catalog.h"
#include "store/db.h"
#include "util/embed.h"
#include "util/error.h"

static int
setup(void **state)
{
	struct db *db = NULL;
	int n = 0;

	unlink("cat.db");
	if (db_open(&db, "cat.db", DB_OPEN_CREATE) != 0 || catalog_load_builtin(db, &n) != 0) {
		fprintf(stderr, "setup: %s\n", aims_error_message());
		return -1;
	}
	*state = db;
	return 0;
}

static int
teardown(void **state)
{
	db_close(*state);
	return 0;
}

static size_t
count_kind(struct db *db, const char *kind)
{
	json_t *items = NULL;
	size_t n;

	assert_int_equal(catalog_list(&items, db, CATALOG_ISO42001, kind), 0);
	n = json_array_size(items);
	json_decref(items);
	return n;
}

static void
test_catalog__iso42001_counts(void **state)
{
	struct db *db = *state;

	assert_int_equal(count_kind(db, "control"), 38);
	assert_int_equal(count_kind(db, "objective"), 11);
	assert_int_equal(count_kind(db, "risk-source"), 7);
	assert_int_equal(count_kind(db, "area"), 11);	/* A.2-A.10 plus A.6.1, A.6.2 */
	assert_true(count_kind(db, "clause") >= 30);
}

static void
test_catalog__ids_follow_the_standard(void **state)
{
	struct db *db = *state;
	json_t *r = NULL;

	assert_int_equal(catalog_get(&r, db, CATALOG_ISO42001, "A.6.2.6"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "kind")), "control");
	assert_string_equal(json_string_value(json_object_get(r, "parent")), "A.6.2");
	json_decref(r);
	assert_int_equal(catalog_get(&r, db, CATALOG_ISO42001, "6.1.4"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "parent")), "6.1");
	json_decref(r);
	assert_int_equal(catalog_get(&r, db, CATALOG_ISO42001, "C.2.5"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "kind")), "objective");
	json_decref(r);
	assert_int_equal(catalog_get(&r, db, CATALOG_ISO42001, "C.3.7"), 0);
	json_decref(r);
	/* Controls start at .2: the .1 sub-clause is the objective. */
	assert_int_equal(catalog_get(&r, db, CATALOG_ISO42001, "A.2.1"), AIMS_ENOTFOUND);
	assert_int_equal(catalog_check(db, CATALOG_ISO42001, "A.10.4", "control"), 0);
	assert_int_equal(catalog_check(db, CATALOG_ISO42001, "6.1.2", "control"), AIMS_EINVALID);
	assert_int_equal(catalog_check(db, CATALOG_ISO42001, "C.3.1", "risk-source"), 0);
	assert_int_equal(catalog_check(db, CATALOG_ISO42001, "Z.9", NULL), AIMS_ENOTFOUND);
}

/* Titles as the standard has them; what each entry asks to document. */
static void
test_catalog__fidelity(void **state)
{
	static const char *const documented[] = { "4.3", "5.2", "6.1.2", "6.1.3", "6.1.4",
	    "6.2", "7.2", "7.5.1", "8.1", "8.2", "8.3", "8.4", "9.1", "9.2.2", "9.3.3", "10.2",
	    "A.2.2", "A.4.3", "A.4.4", "A.4.5", "A.4.6", "A.5.4", "A.5.5", "A.6.1.2",
	    "A.6.2.2", "A.6.2.5", "A.6.2.6", "A.8.4", "A.9.3", NULL };
	struct db *db = *state;
	json_t *r = NULL;
	size_t i;

	assert_int_equal(catalog_get(&r, db, CATALOG_ISO42001, "7.5.2"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "title")),
	    "Creating and updating documented information");
	json_decref(r);
	/* Amendment 1 (2024): whether climate change is a relevant issue. */
	assert_int_equal(catalog_get(&r, db, CATALOG_ISO42001, "4.1"), 0);
	assert_non_null(strstr(json_string_value(json_object_get(r, "summary")), "climate change"));
	json_decref(r);
	for (i = 0; documented[i]; i++) {
		assert_int_equal(catalog_get(&r, db, CATALOG_ISO42001, documented[i]), 0);
		if (json_array_size(json_object_get(r, "documented_information")) == 0)
			fail_msg("%s calls for documented information and names none", documented[i]);
		json_decref(r);
	}
}

static void
test_catalog__children_listed(void **state)
{
	json_t *r = NULL;

	assert_int_equal(catalog_get(&r, *state, CATALOG_ISO42001, "A.4"), 0);
	assert_int_equal(json_array_size(json_object_get(r, "children")), 5);
	json_decref(r);
}

static void
test_catalog__reload_is_idempotent(void **state)
{
	int n = 0;

	assert_int_equal(catalog_load_builtin(*state, &n), 0);
	assert_true(n >= 1);
	assert_int_equal(count_kind(*state, "control"), 38);
}

/* Loads a variant of the built-in catalog with one entry changed. */
static int
load_mutated(struct db *db, const char *id, const char *key, json_t *value)
{
	const struct embed_file *f = embed_find(catalog_files, "iso42001.json");
	json_t *doc = json_loadb((const char *)f->data, f->len, 0, NULL), *e;
	char *s;
	size_t i;
	int rc;

	json_array_foreach(json_object_get(doc, "requirements"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "id")), id) == 0) {
			if (value)
				json_object_set_new(e, key, value);
			else
				json_array_remove(json_object_get(doc, "requirements"), i);
			break;
		}
	s = json_dumps(doc, 0);
	rc = catalog_load(db, s, strlen(s), "bad.json");
	free(s);
	json_decref(doc);
	return rc;
}

/* An ATLAS technique keeps every tactic it belongs to; other entries have none. */
static void
test_catalog__technique_tactics(void **state)
{
	struct db *db = *state;
	json_t *r = NULL, *t;

	assert_int_equal(catalog_get(&r, db, "atlas", "AML.T0020"), 0);
	t = json_object_get(r, "tactics");
	assert_int_equal(json_array_size(t), 2);
	assert_string_equal(json_string_value(json_array_get(t, 0)), "AML.TA0003");
	assert_string_equal(json_string_value(json_array_get(t, 1)), "AML.TA0006");
	assert_string_equal(json_string_value(json_object_get(r, "parent")), "AML.TA0003");
	json_decref(r);
	assert_int_equal(catalog_get(&r, db, CATALOG_ISO42001, "A.6.2.4"), 0);
	assert_null(json_object_get(r, "tactics"));
	json_decref(r);
}

static void
test_catalog__bad_catalogs_name_the_entry(void **state)
{
	struct db *db = *state;

	assert_int_equal(load_mutated(db, "A.2.3", "id", json_string("A.2.2")), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "A.2.2: duplicate id"));
	assert_int_equal(load_mutated(db, "A.3.2", "parent", json_string("A.99")), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "parent 'A.99' does not exist"));
	assert_int_equal(load_mutated(db, "A.3.2", "kind", json_string("widget")), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "A.3.2"));
	assert_int_equal(load_mutated(db, "A.3.3", NULL, NULL), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "expected 38 entries of kind control, found 37"));
	assert_int_equal(load_mutated(db, "A.3.2", "summary",
	    json_string("First sentence. Second sentence.")), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "one sentence"));
	/* tactics name entries listed before: not a later one, not a text. */
	assert_int_equal(load_mutated(db, "A.3.2", "tactics", json_pack("[s]", "A.3.3")),
	    AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "A.3.2: tactic #1 is not an entry listed "
	    "before it"));
	assert_int_equal(load_mutated(db, "A.3.2", "tactics", json_string("A.2")), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "tactics");
	assert_int_equal(catalog_load(db, "{\"framework\":", 13, "cut.json"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "cut.json: malformed JSON at line 1"));
	/* Nothing half-written: the good catalog is still whole. */
	assert_int_equal(count_kind(db, "control"), 38);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog__iso42001_counts),
		cmocka_unit_test(test_catalog__ids_follow_the_standard),
		cmocka_unit_test(test_catalog__children_listed),
		cmocka_unit_test(test_catalog__fidelity),
		cmocka_unit_test(test_catalog__reload_is_idempotent),
		cmocka_unit_test(test_catalog__technique_tactics),
		cmocka_unit_test(test_catalog__bad_catalogs_name_the_entry),
	};

	return cmocka_run_group_tests_name("catalog", tests, setup, teardown);
}
