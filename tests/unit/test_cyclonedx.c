/*
 * test_cyclonedx.c - unit tests for the ML-BOM reader and writer
 * (io/cyclonedx.c) and the records it keeps (core/bom.c): the plain form
 * of nested components, services and inline data sets; records created,
 * found again and updated only where they changed; --check keeping
 * nothing; another organisation's AI system not found; the export holding
 * what was imported.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/bom.h"
#include "io/cyclonedx.h"
#include "record_fixture.h"

static const char bom_text[] =
    "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\","
    " \"components\": ["
    "  {\"type\": \"machine-learning-model\", \"bom-ref\": \"m1\", \"name\": \"triage\","
    "   \"version\": \"2.1\", \"purl\": \"pkg:huggingface/acme/triage@2.1\","
    "   \"supplier\": {\"name\": \"Acme Models\"},"
    "   \"licenses\": [{\"license\": {\"id\": \"Apache-2.0\"}}],"
    "   \"modelCard\": {\"modelParameters\": {\"approach\": {\"type\": \"supervised\"},"
    "     \"task\": \"text-classification\", \"datasets\": [{\"ref\": \"d1\"}, {\"ref\": \"d1\"},"
    "     {\"type\": \"dataset\", \"name\": \"inline eval\"}]},"
    "    \"quantitativeAnalysis\": {\"performanceMetrics\": [{\"type\": \"f1\", \"value\": \"0.91\","
    "     \"confidenceInterval\": {\"lowerBound\": \"0.89\", \"upperBound\": \"0.93\"}}]},"
    "    \"considerations\": {\"useCases\": [\"route claims\", \"route claims\"],"
    "     \"fairnessAssessments\": ["
    "     {\"groupAtRisk\": \"non-native speakers\", \"harms\": \"misrouting\"}]}}},"
    "  {\"type\": \"data\", \"bom-ref\": \"d1\", \"name\": \"claims-2025\","
    "   \"data\": [{\"type\": \"dataset\", \"classification\": \"confidential\"}]},"
    "  {\"type\": \"application\", \"name\": \"app\", \"components\": ["
    "   {\"type\": \"library\", \"name\": \"tokenizer\", \"version\": \"1.0\","
    "    \"purl\": \"pkg:pypi/tokenizer@1.0\"}]}],"
    " \"services\": [{\"bom-ref\": \"s1\", \"name\": \"Moderation\","
    "  \"provider\": {\"name\": \"Cloud Co\"}, \"endpoints\": [\"https://mod.example.com\"]}]}";

static int
setup(void **state)
{
	*state = fx_open("cyclonedx.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static void
test_cyclonedx__plain_form(void **state)
{
	json_t *bom = NULL, *m, *c;

	(void)state;
	assert_int_equal(cyclonedx_parse(&bom, bom_text, sizeof(bom_text) - 1), 0);
	assert_int_equal(json_array_size(json_object_get(bom, "models")), 1);
	/* The data component and the inline data set of the model card. */
	assert_int_equal(json_array_size(json_object_get(bom, "datasets")), 2);
	/* The application, its nested library and the service. */
	assert_int_equal(json_array_size(json_object_get(bom, "components")), 3);
	m = json_array_get(json_object_get(bom, "models"), 0);
	assert_string_equal(fx_str(m, "path"), "$.components[0]");
	assert_string_equal(fx_str(m, "supplier"), "Acme Models");
	assert_string_equal(fx_str(json_object_get(m, "fields"), "model_version"), "2.1");
	/* The card names d1 twice (a BOM may); the record lists it once. */
	assert_int_equal(json_array_size(json_object_get(m, "datasets")), 3);
	assert_int_equal(json_array_size(json_object_get(json_object_get(m, "fields"),
	    "use_cases")), 1);
	c = json_array_get(json_object_get(bom, "components"), 1);
	assert_string_equal(fx_str(c, "path"), "$.components[2].components[0]");
	c = json_array_get(json_object_get(bom, "components"), 2);
	assert_string_equal(fx_str(json_object_get(c, "fields"), "kind"), "service");
	assert_string_equal(fx_str(json_object_get(c, "fields"), "endpoint"),
	    "https://mod.example.com");
	json_decref(bom);
}

static void
test_cyclonedx__store_again_and_export(void **state)
{
	struct db *db = *state;
	json_t *ais = NULL, *sum = NULL, *model, *sup, *sys;
	struct buf out = BUF_INIT;
	json_t *doc;

	assert_int_equal(fx_create(&ais, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Claims\"}"), 0);
	if (cyclonedx_import(&sum, db, FX_ORG, &fx_bob, fx_str(ais, "ref"), bom_text,
	    sizeof(bom_text) - 1, 0) != 0)
		fail_msg("%s", aims_error_message());
	assert_int_equal(json_array_size(json_object_get(json_object_get(sum, "created"),
	    "models")), 1);
	assert_int_equal(json_array_size(json_object_get(json_object_get(sum, "created"),
	    "suppliers")), 2);
	json_decref(sum);
	model = fx_get(db, FX_ORG, "models", "MOD-1");
	assert_int_equal(json_array_size(json_object_get(model, "datasets")), 2);
	assert_string_equal(fx_str(json_array_get(json_object_get(model, "performance_metrics"),
	    0), "lower_bound"), "0.89");
	sup = fx_get(db, FX_ORG, "suppliers", fx_str(model, "supplier"));
	assert_string_equal(fx_str(sup, "name"), "Acme Models");
	sys = fx_get(db, FX_ORG, "ai-systems", fx_str(ais, "ref"));
	assert_int_equal(json_array_size(json_object_get(sys, "components")), 3);
	/* Again: nothing changes, no new version. */
	assert_int_equal(cyclonedx_import(&sum, db, FX_ORG, &fx_bob, fx_str(ais, "ref"),
	    bom_text, sizeof(bom_text) - 1, 0), 0);
	assert_int_equal(json_object_size(json_object_get(sum, "created")), 0);
	assert_int_equal(json_object_size(json_object_get(sum, "updated")), 0);
	json_decref(sum);
	json_decref(model);
	model = fx_get(db, FX_ORG, "models", "MOD-1");
	assert_int_equal(fx_int(model, "version"), 1);
	/* The export holds what was imported and passes the schema it was checked with. */
	assert_int_equal(cyclonedx_export(&out, db, FX_ORG, "acme", fx_str(ais, "ref")), 0);
	doc = fx_json(buf_str(&out));
	assert_int_equal(json_array_size(json_object_get(doc, "components")), 5);
	assert_int_equal(json_array_size(json_object_get(doc, "services")), 1);
	assert_non_null(fx_str(json_object_get(doc, "metadata"), "timestamp"));
	json_decref(doc);
	buf_free(&out);
	json_decref(model);
	json_decref(sup);
	json_decref(sys);
	json_decref(ais);
}

static void
test_cyclonedx__check_and_tenancy(void **state)
{
	struct db *db = *state;
	json_t *ais = NULL, *theirs = NULL, *sum = NULL, *items = NULL;
	struct record_query q = { .limit = 10 };
	struct buf out = BUF_INIT;
	char *next = NULL;
	int64_t before = 0, after = 0;

	assert_int_equal(fx_create(&ais, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Claims\"}"), 0);
	assert_int_equal(fx_create(&theirs, db, FX_OTHER_ORG, &fx_alice, "ai-systems",
	    "{\"name\": \"Theirs\"}"), 0);
	assert_int_equal(record_list(&items, &next, &before, db, FX_ORG,
	    record_kind_find("models"), &q), 0);
	json_decref(items);
	assert_int_equal(cyclonedx_import(&sum, db, FX_ORG, &fx_bob, fx_str(ais, "ref"),
	    bom_text, sizeof(bom_text) - 1, BOM_CHECK), 0);
	assert_true(json_is_true(json_object_get(sum, "checked_only")));
	json_decref(sum);
	assert_int_equal(record_list(&items, &next, &after, db, FX_ORG,
	    record_kind_find("models"), &q), 0);
	json_decref(items);
	assert_int_equal(after, before);
	/* AIS-1 of the other organisation is not this organisation's: not found. */
	assert_int_equal(cyclonedx_import(&sum, db, FX_OTHER_ORG, &fx_alice, "AIS-9",
	    bom_text, sizeof(bom_text) - 1, 0), AIMS_ENOTFOUND);
	assert_null(sum);
	/* A model's digest must be one CycloneDX takes, so that every model exports. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "models", "{\"name\": \"m\", "
	    "\"hashes\": [{\"alg\": \"SHA-256\", \"content\": \"abc\"}]}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "hashes[0].content");
	assert_int_equal(cyclonedx_export(&out, db, FX_OTHER_ORG, "other", "AIS-9"),
	    AIMS_ENOTFOUND);
	buf_free(&out);
	json_decref(ais);
	json_decref(theirs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cyclonedx__plain_form),
		cmocka_unit_test_setup_teardown(test_cyclonedx__store_again_and_export, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cyclonedx__check_and_tenancy, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
