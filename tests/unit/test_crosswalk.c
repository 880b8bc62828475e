/*
 * test_crosswalk.c - unit tests for core/crosswalk: every compiled-in
 * crosswalk catalog and mapping checks out, and the checker refuses each
 * kind of bad mapping naming the file and the map.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/crosswalk.h"
#include "util/embed.h"
#include "util/error.h"

static json_t *
load(const char *name)
{
	const struct embed_file *f = embed_find(catalog_files, name);

	assert_non_null(f);
	return json_loadb((const char *)f->data, f->len, 0, NULL);
}

static void
test_crosswalk__builtin_frameworks_check_out(void **state)
{
	const json_t *cat, *map;
	int i;

	(void)state;
	for (i = 0; crosswalk_frameworks[i]; i++) {
		assert_int_equal(crosswalk_get(&cat, &map, crosswalk_frameworks[i]), 0);
		assert_string_equal(json_string_value(json_object_get(cat, "framework")),
		    crosswalk_frameworks[i]);
		assert_true(json_array_size(json_object_get(map, "maps")) > 0);
	}
	assert_int_equal(crosswalk_get(&cat, &map, "pci-dss"), AIMS_ENOTFOUND);
	assert_non_null(strstr(aims_error_message(), "pci-dss"));
	assert_true(crosswalk_known("iso27001"));
	assert_false(crosswalk_known("iso42001"));
}

static void
test_crosswalk__relationships_that_cover(void **state)
{
	(void)state;
	assert_true(crosswalk_relationship_covers("equivalent-to"));
	assert_true(crosswalk_relationship_covers("equal-to"));
	assert_true(crosswalk_relationship_covers("subset-of"));
	assert_false(crosswalk_relationship_covers("superset-of"));
	assert_false(crosswalk_relationship_covers("intersects-with"));
	assert_false(crosswalk_relationship_covers("no-relationship"));
}

/* The EU AI Act mapping with map #index's key set to v (NULL: the map removed). */
static int
check_mutated(size_t index, const char *key, json_t *v)
{
	json_t *cat = load("eu-ai-act.json"), *iso = load("iso42001.json");
	json_t *map = load("map-eu-ai-act.json"), *maps = json_object_get(map, "maps");
	int rc;

	if (key == NULL)
		json_array_remove(maps, index);
	else
		json_object_set_new(json_array_get(maps, index), key, v);
	rc = crosswalk_check(map, cat, iso, "map-eu-ai-act.json");
	json_decref(cat);
	json_decref(iso);
	json_decref(map);
	return rc;
}

static void
test_crosswalk__bad_mappings_name_the_map(void **state)
{
	(void)state;
	assert_int_equal(check_mutated(0, "relationship", json_string("equivalent-to")), 0);
	assert_int_equal(check_mutated(0, "relationship", json_string("similar-to")),
	    AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "map of 4: relationship 'similar-to'"));
	assert_int_equal(check_mutated(0, "targets", json_pack("[s]", "A.99.9")), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "not an ISO/IEC 42001 requirement"));
	assert_int_equal(check_mutated(0, "targets", json_array()), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "no-relationship has no targets"));
	assert_int_equal(check_mutated(0, "source", json_string("III")), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "only entries without children"));
	assert_int_equal(check_mutated(0, "source", json_string("12")), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "12 is mapped twice"));
	assert_int_equal(check_mutated(0, "source", json_string("999")), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "map-eu-ai-act.json: map #1"));
	assert_int_equal(check_mutated(0, NULL, NULL), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "4 has no map"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crosswalk__builtin_frameworks_check_out),
		cmocka_unit_test(test_crosswalk__relationships_that_cover),
		cmocka_unit_test(test_crosswalk__bad_mappings_name_the_map),
	};

	return cmocka_run_group_tests_name("crosswalk", tests, NULL, NULL);
}
