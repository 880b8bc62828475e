/*
 * test_oscal.c - unit tests for OSCAL in and out (io/oscal*.c,
 * core/org_catalog.c): derived UUIDs, id mapping, the parser's refusals
 * with JSON paths, catalogs kept per organisation and ledgered, assessment
 * results as linked evidence, and the exported documents' shape.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/org_catalog.h"
#include "io/oscal.h"
#include "ledger/note.h"
#include "record_fixture.h"

static int
setup(void **state)
{
	*state = fx_open("oscal.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static const char small_catalog[] =
    "{\"catalog\": {\"uuid\": \"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\","
    " \"metadata\": {\"title\": \"Small Catalog\", \"last-modified\": \"2026-05-01T00:00:00Z\","
    "  \"version\": \"1\", \"oscal-version\": \"1.2.1\"},"
    " \"groups\": [{\"id\": \"g1\", \"title\": \"Group one\","
    "   \"controls\": [{\"id\": \"c-1\", \"title\": \"Control one\","
    "     \"parts\": [{\"name\": \"statement\", \"prose\": \"Do one.\","
    "       \"parts\": [{\"name\": \"item\", \"prose\": \"And more.\"}]}],"
    "     \"controls\": [{\"id\": \"c-1.1\", \"title\": \"Enhancement\"}]}]},"
    "  {\"title\": \"Unnamed group\", \"controls\": [{\"id\": \"c-2\", \"title\": \"Two\"}]}]}}";

/* Parses text, expecting failure naming path with message. */
static void
expect_refused(const char *text, const char *path, const char *message)
{
	json_t *out = NULL;
	char want[AIMS_ERROR_MSG_MAX];

	assert_int_not_equal(oscal_parse(&out, text, strlen(text)), 0);
	assert_null(out);
	assert_string_equal(aims_error_field(), path);
	snprintf(want, sizeof(want), "%s: %s", path, message);
	if (strstr(aims_error_message(), want) == NULL)
		fail_msg("expected '%s', got '%s'", want, aims_error_message());
}

static void
test_oscal__uuids_are_derived_and_valid(void **state)
{
	char a[OSCAL_UUID_LEN], b[OSCAL_UUID_LEN], c[OSCAL_UUID_LEN], d[OSCAL_UUID_LEN];

	(void)state;
	oscal_uuid(a, "acme", "ai-systems", "AIS-1");
	oscal_uuid(b, "acme", "ai-systems", "AIS-1");
	oscal_uuid(c, "acme", "ai-systems", "AIS-2");
	oscal_uuid(d, "acmeai-systems", "", "AIS-1");
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_not_equal(a, d);
	assert_int_equal(strlen(a), 36);
	assert_int_equal(a[14], '5');
	assert_non_null(strchr("89ab", a[19]));
	assert_int_equal(a[8], '-');
}

static void
test_oscal__control_ids_both_ways(void **state)
{
	char out[64];

	(void)state;
	oscal_control_id(out, sizeof(out), "A.6.2.8");
	assert_string_equal(out, "iso42001-a.6.2.8");
	assert_int_equal(oscal_requirement_id(out, sizeof(out), "iso42001-a.6.2.8"), 0);
	assert_string_equal(out, "A.6.2.8");
	assert_int_equal(oscal_requirement_id(out, sizeof(out), "a.7.4_obj"), 0);
	assert_string_equal(out, "A.7.4");
	assert_int_equal(oscal_requirement_id(out, sizeof(out), "6.1.4"), 0);
	assert_string_equal(out, "6.1.4");
	assert_int_equal(oscal_requirement_id(out, sizeof(out), "ac-2"), AIMS_EINVALID);
	assert_int_equal(oscal_requirement_id(out, sizeof(out), "A.6."), AIMS_EINVALID);
	assert_int_equal(oscal_requirement_id(out, 4, "A.6.2.8"), AIMS_EINVALID);
}

static void
test_oscal__parse_catalog(void **state)
{
	json_t *out = NULL, *items;

	(void)state;
	assert_int_equal(oscal_parse(&out, small_catalog, strlen(small_catalog)), 0);
	assert_string_equal(fx_str(out, "model"), "catalog");
	assert_string_equal(fx_str(out, "id"), "small-catalog");
	assert_int_equal(strlen(fx_str(out, "sha256")), 64);
	items = json_object_get(out, "items");
	assert_int_equal(json_array_size(items), 5);
	assert_string_equal(fx_str(json_array_get(items, 1), "id"), "c-1");
	assert_string_equal(fx_str(json_array_get(items, 1), "parent"), "g1");
	assert_string_equal(fx_str(json_array_get(items, 1), "summary"), "Do one. And more.");
	assert_string_equal(fx_str(json_array_get(items, 2), "parent"), "c-1");
	assert_string_equal(fx_str(json_array_get(items, 3), "id"), "_group-1");
	assert_string_equal(fx_str(json_array_get(items, 4), "parent"), "_group-1");
	json_decref(out);
}

static void
test_oscal__refusals_name_the_path(void **state)
{
	(void)state;
	expect_refused("[1]", "$", "an OSCAL document is a JSON object");
	expect_refused("{\"catalog\": 1", "$", "not JSON");
	expect_refused("{\"catalog\": {}, \"catalog\": {}}", "$", "not JSON");
	expect_refused("{\"$schema\": \"x\"}", "$", "required: one model");
	expect_refused("{\"nonsense\": {}}", "$.nonsense", "not an OSCAL model");
	expect_refused("{\"catalog\": []}", "$.catalog", "must be an object");
	expect_refused("{\"catalog\": {\"uuid\": \"74c8ba1e-5cd4-1ad1-bbfd-d888e2f6c724\"}}",
	    "$.catalog.uuid", "'74c8ba1e-5cd4-1ad1-bbfd-d888e2f6c724' is not a version 4 or 5 UUID");
	expect_refused("{\"catalog\": {\"uuid\": \"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\"}}",
	    "$.catalog.metadata", "required");
	expect_refused("{\"catalog\": {\"uuid\": \"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\","
	    " \"metadata\": {\"title\": \"T\", \"last-modified\": \"2026-05-01T00:00:00Z\","
	    " \"version\": \"1\", \"oscal-version\": \"0.9\"}, \"controls\": []}}",
	    "$.catalog.metadata", "oscal-version '0.9' is not OSCAL 1.x");
	expect_refused("{\"catalog\": {\"uuid\": \"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\","
	    " \"metadata\": {\"title\": \"T\", \"last-modified\": \"2026-05-01T00:00:00Z\","
	    " \"version\": \"1\", \"oscal-version\": \"1.2.1\"},"
	    " \"groups\": [{\"id\": \"g\", \"title\": \"G\"}, {\"id\": \"h\", \"title\": \"H\","
	    " \"controls\": [{\"title\": \"no id\"}]}]}}",
	    "$.catalog.groups[1].controls[0].id", "required");
	expect_refused("{\"catalog\": {\"uuid\": \"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\","
	    " \"metadata\": {\"title\": \"T\", \"last-modified\": \"2026-05-01T00:00:00Z\","
	    " \"version\": \"1\", \"oscal-version\": \"1.2.1\"},"
	    " \"groups\": [{\"id\": \"g\", \"title\": \"G\"}]}}", "$.catalog", "holds no control");
	expect_refused("{\"profile\": {}}", "$.profile",
	    "OpenAIMS imports catalogs and assessment results; this document is a profile");
}

/* A catalog nested deeper than the limit is refused, not recursed into. */
static void
test_oscal__depth_limit(void **state)
{
	struct buf b = BUF_INIT;
	json_t *out = NULL;
	int i;

	(void)state;
	buf_puts(&b, "{\"catalog\": {\"uuid\": \"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\","
	    " \"metadata\": {\"title\": \"T\", \"last-modified\": \"2026-05-01T00:00:00Z\","
	    " \"version\": \"1\", \"oscal-version\": \"1.2.1\"}");
	for (i = 0; i < OSCAL_DEPTH_MAX + 2; i++)
		buf_printf(&b, ", \"controls\": [{\"id\": \"c%d\", \"title\": \"C\"", i);
	for (i = 0; i < OSCAL_DEPTH_MAX + 2; i++)
		buf_puts(&b, "}]");
	buf_puts(&b, "}}");
	assert_int_equal(oscal_parse(&out, b.data, b.len), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "nested deeper than"));
	buf_free(&b);
}

/* The verifier's loader for what these tests write: records and imported catalogs. */
static int
verify_load(json_t **out, struct db *db, int64_t org_id, const char *kind, const char *ref)
{
	if (strcmp(kind, ORG_CATALOG_LEDGER_KIND) == 0)
		return org_catalog_load_for_ledger(out, db, org_id, kind, ref);
	return record_load_for_ledger(out, db, org_id, kind, ref);
}

static void
test_oscal__catalog_kept_per_org_and_ledgered(void **state)
{
	struct db *db = *state;
	json_t *summary = NULL, *cat = NULL, *doc = NULL, *list = NULL;
	struct oscal_opts opts = { .catalog = "mine" };

	/* A contributor may not import a catalog; a manager may. */
	assert_int_equal(oscal_import(&summary, db, FX_ORG, &fx_bob, small_catalog,
	    strlen(small_catalog), "mine", 0), AIMS_EFORBIDDEN);
	assert_int_equal(oscal_import(&summary, db, FX_ORG, &fx_alice, small_catalog,
	    strlen(small_catalog), "mine", OSCAL_IMPORT_CHECK), 0);
	json_decref(summary);
	assert_int_equal(org_catalog_get(&cat, db, FX_ORG, "mine"), AIMS_ENOTFOUND);
	assert_int_equal(oscal_import(&summary, db, FX_ORG, &fx_alice, small_catalog,
	    strlen(small_catalog), "mine", 0), 0);
	assert_int_equal(fx_int(summary, "revision"), 1);
	json_decref(summary);
	assert_int_equal(oscal_import(&summary, db, FX_ORG, &fx_alice, small_catalog,
	    strlen(small_catalog), "mine", 0), 0);
	assert_int_equal(fx_int(summary, "revision"), 2);
	json_decref(summary);
	assert_int_equal(org_catalog_get(&cat, db, FX_ORG, "mine"), 0);
	assert_int_equal(json_array_size(json_object_get(cat, "items")), 5);
	json_decref(cat);
	/* The other organisation sees nothing of it. */
	assert_int_equal(org_catalog_get(&cat, db, FX_OTHER_ORG, "mine"), AIMS_ENOTFOUND);
	assert_int_equal(org_catalog_list(&list, db, FX_OTHER_ORG), 0);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	assert_int_equal(oscal_export(&doc, db, FX_OTHER_ORG, OSCAL_CATALOG, &opts),
	    AIMS_ENOTFOUND);
	/* Exported again: the same ids, in the same tree. */
	assert_int_equal(oscal_export(&doc, db, FX_ORG, OSCAL_CATALOG, &opts), 0);
	{
		json_t *c = json_object_get(doc, "catalog"), *g0, *c1;

		g0 = json_array_get(json_object_get(c, "groups"), 0);
		assert_string_equal(fx_str(g0, "id"), "g1");
		c1 = json_array_get(json_object_get(g0, "controls"), 0);
		assert_string_equal(fx_str(c1, "id"), "c-1");
		assert_string_equal(fx_str(json_array_get(json_object_get(c1, "controls"), 0), "id"),
		    "c-1.1");
		assert_null(json_object_get(c1, "__control"));
	}
	json_decref(doc);
	/* The ledger holds the import: a change behind core's back is named. */
	{
		struct ledger_report report;
		struct note_verifier pub;

		ledger_key_public(&pub, testutil_key);
		assert_int_equal(ledger_verify(&report, db, FX_ORG, &pub, verify_load, NULL), 0);
		assert_int_equal(db_exec(db, "UPDATE org_catalog_items SET title = 'Changed' "
		    "WHERE id = 'c-1'"), 0);
		assert_int_equal(ledger_verify(&report, db, FX_ORG, &pub, verify_load, NULL),
		    AIMS_EVERIFY);
		assert_non_null(strstr(report.failure, "mine"));
	}
	/* A bad catalog id is refused. */
	assert_int_equal(oscal_import(&summary, db, FX_ORG, &fx_alice, small_catalog,
	    strlen(small_catalog), "Not A Slug", 0), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "catalog-id");
}

static const char tool_results[] =
    "{\"assessment-results\": {\"uuid\": \"0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\","
    " \"metadata\": {\"title\": \"Scan\", \"last-modified\": \"2026-11-30T02:00:00Z\","
    "  \"version\": \"1\", \"oscal-version\": \"1.2.1\"},"
    " \"import-ap\": {\"href\": \"#x\"},"
    " \"results\": [{\"uuid\": \"1b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\", \"title\": \"Run\","
    "  \"description\": \"d\", \"start\": \"2026-11-30T01:00:00Z\","
    "  \"reviewed-controls\": {\"control-selections\": [{\"include-all\": {}}]},"
    "  \"observations\": [{\"uuid\": \"2b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\","
    "   \"description\": \"Parity ok\", \"methods\": [\"TEST\"],"
    "   \"collected\": \"2026-11-30T01:30:00-02:00\","
    "   \"origins\": [{\"actors\": [{\"type\": \"party\", \"actor-uuid\": "
    "     \"3b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\"}]}]}],"
    "  \"findings\": [{\"uuid\": \"5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\", \"title\": \"F\","
    "   \"description\": \"d\", \"target\": {\"type\": \"objective-id\", \"target-id\": \"%s\","
    "   \"status\": {\"state\": \"satisfied\"}},"
    "   \"related-observations\": [{\"observation-uuid\": "
    "     \"2b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\"}]}]}]}}";

static void
test_oscal__results_become_linked_evidence(void **state)
{
	struct db *db = *state;
	char text[sizeof(tool_results) + 64];
	json_t *summary = NULL, *ev = NULL;
	const char *ref;

	snprintf(text, sizeof(text), tool_results, "ac-2");
	assert_int_equal(oscal_import(&summary, db, FX_ORG, &fx_bob, text, strlen(text), NULL, 0),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(),
	    "$.assessment-results.results[0].findings[0].target.target-id");
	assert_int_equal(record_get(&ev, db, FX_ORG, record_kind_find("evidence"), "EV-1"),
	    AIMS_ENOTFOUND);
	/* A control of a catalog this organisation imported is named as such. */
	assert_int_equal(oscal_import(&summary, db, FX_ORG, &fx_alice, small_catalog,
	    strlen(small_catalog), "mine", 0), 0);
	json_decref(summary);
	snprintf(text, sizeof(text), tool_results, "c-1");
	assert_int_equal(oscal_import(&summary, db, FX_ORG, &fx_bob, text, strlen(text), NULL, 0),
	    AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "'c-1' is a control of the imported "
	    "catalog 'mine'"));
	snprintf(text, sizeof(text), tool_results, "iso42001-a.6.2.6_smt");
	assert_int_equal(oscal_import(&summary, db, FX_ORG, &fx_bob, text, strlen(text), "x", 0),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "catalog-id");
	assert_int_equal(oscal_import(&summary, db, FX_ORG, &fx_bob, text, strlen(text), NULL, 0),
	    0);
	assert_int_equal(fx_int(summary, "evidence_count"), 1);
	ref = json_string_value(json_array_get(json_object_get(summary, "refs"), 0));
	assert_int_equal(record_get(&ev, db, FX_ORG, record_kind_find("evidence"), ref), 0);
	assert_string_equal(fx_str(ev, "title"), "Run");
	assert_string_equal(fx_str(ev, "kind"), "file");
	assert_string_equal(fx_str(ev, "source"), "person");
	assert_string_equal(fx_str(ev, "collected_at"), "2026-11-30T03:30:00Z");
	assert_string_equal(json_string_value(json_array_get(json_object_get(ev, "requirements"),
	    0)), "A.6.2.6");
	json_decref(ev);
	json_decref(summary);
}

/* Counts the uuids in a document. */
static size_t
count_uuids(const json_t *v)
{
	const char *key;
	const json_t *x;
	size_t n = 0, i;

	if (json_is_array(v))
		json_array_foreach(v, i, x)
			n += count_uuids(x);
	else if (json_is_object(v))
		json_object_foreach((json_t *)v, key, x)
			n += (strcmp(key, "uuid") == 0) + count_uuids(x);
	return n;
}

static void
test_oscal__exports_have_their_root_and_stable_uuids(void **state)
{
	struct db *db = *state;
	json_t *a = NULL, *b = NULL;
	enum oscal_model m;

	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_alice, "soa", "A.6.2.8", 0,
	    "{\"applicable\": true, \"justification\": \"we log every AI system event\"}"), 0);
	for (m = 0; m < OSCAL_MODEL_COUNT; m++) {
		assert_int_equal(oscal_export(&a, db, FX_ORG, m, NULL), 0);
		assert_int_equal(oscal_export(&b, db, FX_ORG, m, NULL), 0);
		assert_non_null(json_object_get(a, oscal_model_root(m)));
		assert_true(count_uuids(a) > 0);
		assert_string_equal(fx_str(json_object_get(a, oscal_model_root(m)), "uuid"),
		    fx_str(json_object_get(b, oscal_model_root(m)), "uuid"));
		json_decref(a);
		json_decref(b);
	}
	/* The profile selects the applicable control; none applicable in the other org. */
	assert_int_equal(oscal_export(&a, db, FX_ORG, OSCAL_PROFILE, NULL), 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(json_array_get(
	    json_object_get(json_array_get(json_object_get(json_object_get(a, "profile"),
	    "imports"), 0), "include-controls"), 0), "with-ids"), 0)), "iso42001-a.6.2.8");
	json_decref(a);
	assert_int_equal(oscal_export(&a, db, FX_OTHER_ORG, OSCAL_PROFILE, NULL), AIMS_ECONFLICT);
	assert_string_equal(aims_error_field(), "soa");
	assert_int_equal(oscal_parse_model(&m, "assessment-results"), 0);
	assert_int_equal(m, OSCAL_ASSESSMENT_RESULTS);
	assert_int_equal(oscal_parse_model(&m, "component"), AIMS_EINVALID);
}

/* The finding counts every evidence record; the newest few are cited. */
static void
test_oscal__evidence_cited_per_requirement_is_bounded(void **state)
{
	struct db *db = *state;
	const json_t *res, *o, *f, *p;
	json_t *doc = NULL;
	char body[256];
	size_t i, j, cited = 0;
	int n, newest = 0;
	bool counted = false;

	for (n = 1; n <= OSCAL_EVIDENCE_PER_REQ + 3; n++) {
		snprintf(body, sizeof(body), "{\"title\": \"Log sample %d\", \"kind\": \"link\","
		    " \"url\": \"https://logs.example/%d\", \"requirements\": [\"A.6.2.8\"]}", n, n);
		assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "evidence", body), 0);
	}
	assert_int_equal(oscal_export(&doc, db, FX_ORG, OSCAL_ASSESSMENT_RESULTS, NULL), 0);
	res = json_array_get(json_object_get(json_object_get(doc, "assessment-results"),
	    "results"), 0);
	json_array_foreach(json_object_get(res, "observations"), i, o) {
		if (strncmp(fx_str(o, "title"), "Log sample ", 11) != 0)
			continue;
		cited++;
		n = atoi(fx_str(o, "title") + 11);
		assert_true(n > 3);	/* the oldest are the ones left out */
		if (n > newest)
			newest = n;
	}
	assert_int_equal(cited, OSCAL_EVIDENCE_PER_REQ);
	assert_int_equal(newest, OSCAL_EVIDENCE_PER_REQ + 3);
	json_array_foreach(json_object_get(res, "findings"), i, f) {
		if (strcmp(fx_str(json_object_get(f, "target"), "target-id"), "iso42001-a.6.2.8") != 0)
			continue;
		json_array_foreach(json_object_get(f, "props"), j, p)
			if (strcmp(fx_str(p, "name"), "evidence-count") == 0) {
				assert_int_equal(atoi(fx_str(p, "value")), OSCAL_EVIDENCE_PER_REQ + 3);
				counted = true;
			}
	}
	assert_true(counted);
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oscal__uuids_are_derived_and_valid),
		cmocka_unit_test(test_oscal__control_ids_both_ways),
		cmocka_unit_test(test_oscal__parse_catalog),
		cmocka_unit_test(test_oscal__refusals_name_the_path),
		cmocka_unit_test(test_oscal__depth_limit),
		cmocka_unit_test_setup_teardown(test_oscal__catalog_kept_per_org_and_ledgered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_oscal__results_become_linked_evidence, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_oscal__exports_have_their_root_and_stable_uuids,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_oscal__evidence_cited_per_requirement_is_bounded,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
