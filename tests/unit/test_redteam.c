/*
 * test_redteam.c - unit tests for the garak and promptfoo readers
 * (io/redteam.c): counts per probe family from eval lines or, without
 * them, from completed attempts against the threshold; labels from the
 * mapping table and from garak's 2023 OWASP tags; refusals that say where.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/redteam.h"
#include "io/redteam.h"
#include "util/embed.h"
#include "util/error.h"

static json_t *
parse_ok(enum redteam_format f, const char *text)
{
	json_t *run = NULL;

	if (redteam_parse(&run, f, text, strlen(text)) != 0)
		fail_msg("refused: %s", aims_error_message());
	return run;
}

static const json_t *
family(const json_t *run, const char *name)
{
	const json_t *r;
	size_t i;

	json_array_foreach(json_object_get(run, "results"), i, r)
		if (strcmp(json_string_value(json_object_get(r, "family")), name) == 0)
			return r;
	fail_msg("no family %s", name);
	return NULL;
}

static bool
lists(const json_t *r, const char *key, const char *want)
{
	const json_t *v;
	size_t i;

	json_array_foreach(json_object_get(r, key), i, v)
		if (strcmp(json_string_value(v), want) == 0)
			return true;
	return false;
}

static void
test_redteam__garak_eval_lines_mapped(void **state)
{
	json_t *run = parse_ok(REDTEAM_GARAK,
	    "{\"entry_type\":\"start_run setup\",\"plugins.target_type\":\"openai\","
	    "\"plugins.target_name\":\"gpt\"}\n"
	    "{\"entry_type\":\"init\",\"garak_version\":\"0.14\",\"run\":\"r1\","
	    "\"start_time\":\"2026-01-02T03:04:05.678\"}\n"
	    "\n"
	    "{\"entry_type\":\"eval\",\"probe\":\"promptinject.HijackLongPrompt\","
	    "\"detector\":\"d.D\",\"passed\":7,\"fails\":3,\"total_evaluated\":10}\n"
	    "{\"entry_type\":\"eval\",\"probe\":\"promptinject.HijackKillHumans\","
	    "\"detector\":\"d.D\",\"passed\":9,\"fails\":1}\n"
	    "{\"entry_type\":\"eval\",\"probe\":\"leakreplay.LiteratureCloze\","
	    "\"detector\":\"d.D\",\"passed\":5,\"fails\":0,\"total_evaluated\":5}\n"
	    "{\"entry_type\":\"completion\",\"end_time\":\"2026-01-02T03:10:00.1\"}\n");
	const json_t *pi = family(run, "promptinject"), *lr = family(run, "leakreplay");

	(void)state;
	assert_string_equal(json_string_value(json_object_get(run, "run_id")), "r1");
	assert_string_equal(json_string_value(json_object_get(run, "started_at")),
	    "2026-01-02T03:04:05Z");
	assert_string_equal(json_string_value(json_object_get(run, "finished_at")),
	    "2026-01-02T03:10:00Z");
	assert_string_equal(json_string_value(json_object_get(run, "target")), "openai gpt");
	assert_int_equal(json_integer_value(json_object_get(pi, "attempts")), 20);
	assert_int_equal(json_integer_value(json_object_get(pi, "failed")), 4);
	assert_int_equal(json_array_size(json_object_get(pi, "probes")), 2);
	assert_true(lists(pi, "owasp_llm", "LLM01:2025"));
	assert_true(lists(pi, "atlas", "AML.T0051.000"));
	assert_true(lists(pi, "controls", "A.6.2.4"));
	assert_true(lists(lr, "owasp_llm", "LLM02:2025"));
	assert_true(lists(lr, "atlas", "AML.T0057"));
	assert_int_equal(json_integer_value(json_object_get(run, "attempts")), 25);
	assert_int_equal(json_integer_value(json_object_get(run, "failed")), 4);
	json_decref(run);
}

/* No eval lines: completed attempts' scores at or over the threshold fail. */
static void
test_redteam__garak_attempts_and_2023_tags(void **state)
{
	json_t *run = parse_ok(REDTEAM_GARAK,
	    "{\"entry_type\":\"start_run setup\",\"run.eval_threshold\":0.7}\n"
	    "{\"entry_type\":\"init\",\"run\":\"r2\",\"start_time\":\"2026-01-02T03:04:05\"}\n"
	    "{\"entry_type\":\"attempt\",\"status\":1,\"probe_classname\":\"newfam.P\","
	    "\"detector_results\":{}}\n"
	    "{\"entry_type\":\"attempt\",\"status\":2,\"probe_classname\":\"newfam.P\","
	    "\"detector_results\":{\"a.B\":[0.7,0.69,null,1.0]}}\n"
	    "{\"entry_type\":\"digest\",\"eval\":{\"newfam\":{\"newfam.P\":{\"_summary\":"
	    "{\"probe_tags\":[\"owasp:llm02\",\"avid-effect:x\"]}}}}}\n");
	const json_t *f = family(run, "newfam");

	(void)state;
	assert_int_equal(json_integer_value(json_object_get(f, "attempts")), 3);
	assert_int_equal(json_integer_value(json_object_get(f, "failed")), 2);
	/* garak's owasp:llm02 is 2023's insecure output handling: LLM05 in 2025. */
	assert_true(lists(f, "owasp_llm", "LLM05:2025"));
	assert_int_equal(json_array_size(json_object_get(f, "owasp_llm")), 1);
	assert_true(lists(f, "controls", "A.6.2.4"));
	json_decref(run);
}

static void
test_redteam__promptfoo_plugins(void **state)
{
	json_t *run = parse_ok(REDTEAM_PROMPTFOO,
	    "{\"evalId\":\"e1\",\"metadata\":{\"promptfooVersion\":\"0.118\"},"
	    "\"results\":{\"version\":3,\"timestamp\":\"2026-02-01T10:00:00.123Z\",\"results\":["
	    "{\"success\":false,\"provider\":{\"id\":\"openai:gpt\"},\"gradingResult\":"
	    "{\"metadata\":{\"pluginId\":\"pii:direct\",\"strategyId\":\"jailbreak\"}}},"
	    "{\"success\":true,\"provider\":\"openai:gpt\",\"testCase\":{\"metadata\":"
	    "{\"pluginId\":\"pii:session\"}}},"
	    "{\"success\":false,\"provider\":{\"id\":\"openai:mini\"}}]}}");
	const json_t *pii = family(run, "pii"), *ev = family(run, "eval");

	(void)state;
	assert_string_equal(json_string_value(json_object_get(run, "target")),
	    "openai:gpt, openai:mini");
	assert_string_equal(json_string_value(json_object_get(run, "started_at")),
	    "2026-02-01T10:00:00Z");
	assert_int_equal(json_integer_value(json_object_get(pii, "attempts")), 2);
	assert_int_equal(json_integer_value(json_object_get(pii, "failed")), 1);
	assert_true(lists(pii, "owasp_llm", "LLM02:2025"));
	/* The jailbreak strategy adds its own labels to the plugin's. */
	assert_true(lists(pii, "atlas", "AML.T0054"));
	assert_true(lists(pii, "atlas", "AML.T0057"));
	assert_int_equal(json_integer_value(json_object_get(ev, "failed")), 1);
	assert_int_equal(json_array_size(json_object_get(ev, "owasp_llm")), 0);
	json_decref(run);
}

static void
expect_refused(enum redteam_format f, const char *text, const char *field, const char *what)
{
	json_t *run = NULL;

	assert_int_not_equal(redteam_parse(&run, f, text, strlen(text)), 0);
	assert_null(run);
	assert_string_equal(aims_error_field(), field);
	if (strstr(aims_error_message(), what) == NULL)
		fail_msg("expected '%s' in '%s'", what, aims_error_message());
}

static void
test_redteam__refusals_say_where(void **state)
{
	(void)state;
	expect_refused(REDTEAM_GARAK, "{\"entry_type\":\"init\",\"run\":\"r\","
	    "\"start_time\":\"2026-01-01T00:00:00\"}\nnot json\n", "line 2: $", "not JSON");
	expect_refused(REDTEAM_GARAK, "{\"entry_type\":\"init\",\"run\":\"r\","
	    "\"start_time\":\"2026-01-01T00:00:00\"}\n{\"entry_type\":\"eval\","
	    "\"probe\":\"a.B\",\"fails\":-1}", "line 2: $.fails", "a count");
	expect_refused(REDTEAM_GARAK, "{\"entry_type\":\"init\",\"run\":\"r\","
	    "\"start_time\":\"2026-01-01T00:00:00\"}\n{\"entry_type\":\"eval\","
	    "\"probe\":\"a.B\",\"fails\":3,\"total_evaluated\":2}", "line 2: $.fails",
	    "more failures");
	expect_refused(REDTEAM_GARAK, "{\"entry_type\":\"eval\",\"probe\":\"a.B\",\"fails\":0}",
	    "init", "no init line");
	expect_refused(REDTEAM_GARAK, "{\"entry_type\":\"init\",\"run\":\"r\","
	    "\"start_time\":\"yesterday\"}", "init.start_time", "not a date");
	expect_refused(REDTEAM_PROMPTFOO, "{\"evalId\":\"e\",\"results\":{\"version\":2}}",
	    "$.results.version", "version 3");
	expect_refused(REDTEAM_PROMPTFOO, "{\"evalId\":\"e\",\"results\":{\"version\":3,"
	    "\"timestamp\":\"2026-01-01T00:00:00Z\",\"results\":[{\"success\":1}]}}",
	    "$.results.results[0].success", "true or false");
	expect_refused(REDTEAM_PROMPTFOO, "[1,", "$", "not JSON");
}

/* The entry of the ATLAS catalog with that id, or NULL. */
static const json_t *
atlas_entry(const json_t *atlas, const char *id)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(atlas, "requirements"), i, e)
		if (id && strcmp(json_string_value(json_object_get(e, "id")), id) == 0)
			return e;
	return NULL;
}

/*
 * The mapping table holds together: every OWASP id and ATLAS technique a
 * family names is one the table lists, and every control is an Annex A
 * control of the ISO/IEC 42001 catalog compiled in, and every ATLAS id is
 * a technique of the ATLAS catalog compiled in, named as it is there.
 */
static void
test_redteam__mapping_table_consistent(void **state)
{
	const struct embed_file *m = embed_find(redteam_files, "redteam-map.json");
	const struct embed_file *c = embed_find(catalog_files, "iso42001.json");
	const struct embed_file *a = embed_find(catalog_files, "atlas.json");
	json_t *map, *cat, *atlas, *controls = json_object(), *fam, *v;
	const json_t *r;
	const char *key;
	size_t i, n = 0;

	(void)state;
	assert_non_null(m);
	assert_non_null(c);
	map = json_loadb((const char *)m->data, m->len, 0, NULL);
	cat = json_loadb((const char *)c->data, c->len, 0, NULL);
	assert_non_null(a);
	atlas = json_loadb((const char *)a->data, a->len, 0, NULL);
	assert_non_null(map);
	assert_non_null(cat);
	assert_non_null(atlas);
	json_array_foreach(json_object_get(cat, "requirements"), i, r)
		if (strcmp(json_string_value(json_object_get(r, "kind")), "control") == 0)
			json_object_set_new(controls, json_string_value(json_object_get(r, "id")),
			    json_true());
	assert_int_equal(json_object_size(controls), 38);
	assert_int_equal(json_object_size(json_object_get(map, "owasp")), 10);
	json_object_foreach(json_object_get(map, "families"), key, fam) {
		assert_non_null(json_string_value(json_object_get(fam, "summary")));
		json_array_foreach(json_object_get(fam, "owasp"), i, v)
			if (json_object_get(json_object_get(map, "owasp"), json_string_value(v)) == NULL)
				fail_msg("%s: OWASP id %s is not listed", key, json_string_value(v));
		json_array_foreach(json_object_get(fam, "atlas"), i, v)
			if (json_object_get(json_object_get(map, "atlas"), json_string_value(v)) == NULL)
				fail_msg("%s: ATLAS id %s is not listed", key, json_string_value(v));
		json_array_foreach(json_object_get(fam, "controls"), i, v)
			if (json_object_get(controls, json_string_value(v)) == NULL)
				fail_msg("%s: %s is not an Annex A control", key, json_string_value(v));
		n++;
	}
	json_array_foreach(json_object_get(map, "controls"), i, v)
		assert_non_null(json_object_get(controls, json_string_value(v)));
	/* Every ATLAS id is a technique of the ATLAS catalog, under ATLAS's name. */
	json_object_foreach(json_object_get(map, "atlas"), key, v) {
		const json_t *e = atlas_entry(atlas, key), *p;
		char want[400];

		if (e == NULL || strcmp(json_string_value(json_object_get(e, "kind")), "technique"))
			fail_msg("ATLAS id %s is not a technique of catalog/atlas.json", key);
		p = atlas_entry(atlas, json_string_value(json_object_get(e, "parent")));
		if (strcmp(json_string_value(json_object_get(p, "kind")), "technique") == 0)
			snprintf(want, sizeof(want), "%s: %s", json_string_value(json_object_get(p,
			    "title")), json_string_value(json_object_get(e, "title")));
		else
			snprintf(want, sizeof(want), "%s", json_string_value(json_object_get(e,
			    "title")));
		if (strcmp(json_string_value(v), want) != 0)
			fail_msg("ATLAS id %s is named '%s', the catalog has '%s'", key,
			    json_string_value(v), want);
	}
	json_object_foreach(json_object_get(map, "owasp_2023"), key, v)
		assert_non_null(json_object_get(json_object_get(map, "owasp"), json_string_value(v)));
	assert_true(n > 30);
	json_decref(controls);
	json_decref(map);
	json_decref(cat);
	json_decref(atlas);
}

static void
test_redteam__rate_text(void **state)
{
	char out[32];

	(void)state;
	redteam_rate(out, 1, 8);
	assert_string_equal(out, "12.5");
	redteam_rate(out, 1, 4);
	assert_string_equal(out, "25");
	redteam_rate(out, 1, 3);
	assert_string_equal(out, "33.33");
	redteam_rate(out, 0, 0);
	assert_string_equal(out, "0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redteam__garak_eval_lines_mapped),
		cmocka_unit_test(test_redteam__garak_attempts_and_2023_tags),
		cmocka_unit_test(test_redteam__promptfoo_plugins),
		cmocka_unit_test(test_redteam__refusals_say_where),
		cmocka_unit_test(test_redteam__mapping_table_consistent),
		cmocka_unit_test(test_redteam__rate_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
