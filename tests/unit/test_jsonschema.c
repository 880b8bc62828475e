/*
 * test_jsonschema.c - unit tests for the JSON Schema checker
 * (io/jsonschema.c) against the shipped CycloneDX schemas: valid ML-BOMs
 * pass, and each kind of fault is refused with the JSON path at fault.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "io/jsonschema.h"
#include "util/error.h"

#define BOM16	"bom-1.6.schema.json"

static json_t *
parse(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);

	assert_non_null(v);
	return v;
}

/* text fails the 1.6 schema at path, with a message containing what. */
static void
expect_fault(const char *text, const char *path, const char *what)
{
	json_t *doc = parse(text);

	assert_int_equal(jsonschema_check(BOM16, doc), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), path);
	if (strstr(aims_error_message(), what) == NULL)
		fail_msg("expected '%s' in '%s'", what, aims_error_message());
	json_decref(doc);
}

static void
test_jsonschema__minimal_bom_passes(void **state)
{
	json_t *doc = parse("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\","
	    " \"serialNumber\": \"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\", \"version\": 1,"
	    " \"metadata\": {\"timestamp\": \"2026-05-01T10:00:00Z\"},"
	    " \"components\": [{\"type\": \"machine-learning-model\", \"bom-ref\": \"m1\","
	    "  \"name\": \"claims\", \"licenses\": [{\"license\": {\"id\": \"Apache-2.0\"}}],"
	    "  \"modelCard\": {\"modelParameters\": {\"approach\": {\"type\": \"supervised\"},"
	    "   \"datasets\": [{\"ref\": \"d1\"}]}}},"
	    "  {\"type\": \"data\", \"bom-ref\": \"d1\", \"name\": \"claims-2025\","
	    "   \"data\": [{\"type\": \"dataset\"}]}]}");

	(void)state;
	assert_int_equal(jsonschema_check(BOM16, doc), 0);
	json_decref(doc);
}

static void
test_jsonschema__faults_name_the_path(void **state)
{
	(void)state;
	expect_fault("{\"specVersion\": \"1.6\"}", "$", "'bomFormat' is required");
	expect_fault("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"extra\": 1}",
	    "$.extra", "not a property allowed");
	expect_fault("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\","
	    " \"serialNumber\": \"urn:uuid:test-uuid-placeholder\"}", "$.serialNumber",
	    "does not match the pattern");
	expect_fault("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\","
	    " \"components\": [{\"type\": \"machine-learning-model\", \"name\": \"m\","
	    " \"licenses\": [{\"license\": {\"id\": \"apache-2.0\"}}]}]}",
	    "$.components[0].licenses[0].license.id", "'apache-2.0' is not one of");
	expect_fault("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\","
	    " \"components\": [{\"type\": \"robot\", \"name\": \"m\"}]}",
	    "$.components[0].type", "'robot' is not one of");
	expect_fault("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\","
	    " \"version\": \"one\"}", "$.version", "must be an integer");
	expect_fault("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\","
	    " \"metadata\": {\"timestamp\": \"yesterday\"}}", "$.metadata.timestamp",
	    "RFC 3339");
	expect_fault("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\","
	    " \"components\": [{\"type\": \"data\", \"name\": \"d\","
	    " \"data\": [{\"type\": \"dataset\", \"size\": 3}]}]}",
	    "$.components[0].data[0].size", "not a property allowed");
}

static void
test_jsonschema__unknown_schema(void **state)
{
	json_t *doc = parse("{}");

	(void)state;
	assert_int_equal(jsonschema_check("nope.json", doc), AIMS_ENOTFOUND);
	json_decref(doc);
}

/* The example ML-BOMs kept in tests/data (the unit target runs with AIMS_SRC set). */
static void
test_jsonschema__testdata_examples(void **state)
{
	static const struct { const char *file, *schema; int rc; } cases[] = {
		{ "bom-examples_MLBOM_FoundationModels.bom.json", BOM16, 0 },
		{ "bom-examples_MLBOM_Model-Card-With-Dataset.bom.json", "bom-1.7.schema.json", 0 },
		{ "aibom-generator_expected_aibom.json", BOM16, AIMS_EINVALID },
	};
	char path[1024];
	const char *src = getenv("AIMS_SRC");
	json_error_t jerr;
	json_t *doc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "%s/tests/data/cyclonedx/%s", src ? src : ".",
		    cases[i].file);
		if ((doc = json_load_file(path, 0, &jerr)) == NULL)
			fail_msg("%s: %s", path, jerr.text);
		assert_int_equal(jsonschema_check(cases[i].schema, doc), cases[i].rc);
		json_decref(doc);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonschema__minimal_bom_passes),
		cmocka_unit_test(test_jsonschema__faults_name_the_path),
		cmocka_unit_test(test_jsonschema__unknown_schema),
		cmocka_unit_test(test_jsonschema__testdata_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
