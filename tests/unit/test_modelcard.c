/*
 * test_modelcard.c - unit tests for the Hugging Face model card reader
 * (io/modelcard.c): the front matter as JSON (CRLF lines, a byte order
 * mark, null scalars); the fields a card gives a model; every refusal
 * names the path and the line (not YAML, duplicate keys, foreign tags,
 * too many aliases, too deep, a missing closing fence, a metric without
 * its value, a bad relation); limitations read from the card's text; the
 * records kept, again unchanged, with
 * --check keeping nothing, and the export carrying the card's fields.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/bom.h"
#include "io/cyclonedx.h"
#include "io/modelcard.h"
#include "record_fixture.h"

static const char card[] =
    "---\n"
    "language:\n- en\n- de\n- en\n"
    "license: apache-2.0\n"
    "library_name: transformers\n"
    "pipeline_tag: text-classification\n"
    "tags: [claims, insurance]\n"
    "base_model: distilbert/distilbert-base-uncased\n"
    "base_model_relation: finetune\n"
    "datasets:\n- acme/claims-2025\n- imdb\n"
    "widget:\n- text: \"ignored: not kept\"\n"
    "model-index:\n"
    "- name: acme/claims-triage\n"
    "  results:\n"
    "  - task: {type: text-classification}\n"
    "    dataset: {type: acme/claims-2025, name: Claims 2025, split: test}\n"
    "    metrics:\n"
    "    - {type: f1, value: 0.91, name: Test F1}\n"
    "    - {type: accuracy, value: 93.5, verified: true}\n"
    "---\n"
    "\n# Claims triage\n\nRoutes claims.\n";

/* The template's sections, loosely read: bullets, else the first paragraph; no code. */
static const char limits_card[] =
    "---\nlicense: mit\n---\n# Limited\n\n## Intended uses & limitations\n\nUse it for claims.\n"
    "\n## Bias, Risks, and Limitations\n\n```python\n- not this\n```\n"
    "- English only,\n  and short texts.\n* Slow on long inputs.\n- [More Information Needed]\n"
    "\nA paragraph after the bullets.\n\n### Out-of-Scope Use\n\nMedical advice.\n"
    "Or legal advice.\n\nNot this second paragraph.\n\n## Training\n\n- not a limitation\n";

static int
setup(void **state)
{
	*state = fx_open("modelcard.db");
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static json_t *
fields(const json_t *bom)
{
	return json_object_get(json_array_get(json_object_get(bom, "models"), 0), "fields");
}

static void
test_modelcard__front_matter(void **state)
{
	static const char crlf[] = "\xef\xbb\xbf---\r\nlicense: mit\r\nlanguage: eo\r\n"
	    "empty:\r\nnothing: ~\r\nlist:\r\n- a\r\n- \"b\"\r\n---  \r\n\r\n# Hello\r\n";
	json_t *fm = NULL;

	(void)state;
	assert_int_equal(modelcard_front_matter(&fm, crlf, sizeof(crlf) - 1), 0);
	assert_string_equal(fx_str(fm, "license"), "mit");
	assert_string_equal(fx_str(fm, "language"), "eo");
	assert_true(json_is_null(json_object_get(fm, "empty")));
	assert_true(json_is_null(json_object_get(fm, "nothing")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(fm, "list"), 1)), "b");
	json_decref(fm);
	/* An empty front matter is an empty mapping. */
	assert_int_equal(modelcard_front_matter(&fm, "---\n---\n# x\n", 12), 0);
	assert_int_equal(json_object_size(fm), 0);
	json_decref(fm);
}

static void
test_modelcard__fields(void **state)
{
	static const char headed[] = "---\nlicense: other\nlicense_name: acme-1\n---\n"
	    "```\n# not this\n```\n#  Named by its heading #\n";
	json_t *bom = NULL, *f, *m, *d;

	(void)state;
	if (modelcard_parse(&bom, card, sizeof(card) - 1) != 0)
		fail_msg("%s", aims_error_message());
	f = fields(bom);
	/* The model-index name wins over the heading; its namespace supplies it. */
	assert_string_equal(fx_str(f, "name"), "acme/claims-triage");
	assert_string_equal(fx_str(json_array_get(json_object_get(bom, "models"), 0),
	    "supplier"), "acme");
	/* The Hub's lower-case licence id becomes the SPDX id. */
	assert_string_equal(fx_str(f, "licence"), "Apache-2.0");
	assert_string_equal(fx_str(f, "task"), "text-classification");
	assert_string_equal(fx_str(f, "library"), "transformers");
	assert_string_equal(fx_str(f, "base_model_relation"), "finetune");
	assert_int_equal(json_array_size(json_object_get(f, "languages")), 2);
	assert_int_equal(json_array_size(json_object_get(f, "tags")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(f, "base_models"), 0)),
	    "distilbert/distilbert-base-uncased");
	m = json_object_get(f, "performance_metrics");
	assert_int_equal(json_array_size(m), 2);
	assert_string_equal(fx_str(json_array_get(m, 0), "value"), "0.91");
	assert_string_equal(fx_str(json_array_get(m, 0), "slice"), "Claims 2025 (test)");
	assert_string_equal(fx_str(json_array_get(m, 1), "type"), "accuracy");
	d = json_object_get(bom, "datasets");
	assert_int_equal(json_array_size(d), 2);
	assert_string_equal(fx_str(json_array_get(d, 0), "supplier"), "acme");
	assert_null(fx_str(json_array_get(d, 1), "supplier"));
	assert_string_equal(fx_str(json_array_get(d, 1), "path"), "$.datasets[1]");
	json_decref(bom);
	/* No model-index: the first heading names the model, not one in a code block. */
	assert_int_equal(modelcard_parse(&bom, headed, sizeof(headed) - 1), 0);
	assert_string_equal(fx_str(fields(bom), "name"), "Named by its heading");
	assert_string_equal(fx_str(fields(bom), "licence"), "acme-1");
	json_decref(bom);
	assert_int_equal(modelcard_parse(&bom, limits_card, sizeof(limits_card) - 1), 0);
	m = json_object_get(fields(bom), "technical_limitations");
	assert_int_equal(json_array_size(m), 3);
	assert_string_equal(json_string_value(json_array_get(m, 0)),
	    "English only, and short texts.");
	assert_string_equal(json_string_value(json_array_get(m, 1)), "Slow on long inputs.");
	assert_string_equal(json_string_value(json_array_get(m, 2)),
	    "Out of scope: Medical advice. Or legal advice.");
	json_decref(bom);
}

/* The card is refused naming path (and, when given, a text the message holds). */
static void
refused(const char *text, int rc, const char *path, const char *says)
{
	json_t *bom = NULL;

	assert_int_equal(modelcard_parse(&bom, text, strlen(text)), rc);
	assert_null(bom);
	if (strcmp(aims_error_field(), path) != 0)
		fail_msg("'%s': field '%s', expected '%s' (%s)", text, aims_error_field(), path,
		    aims_error_message());
	if (says && strstr(aims_error_message(), says) == NULL)
		fail_msg("'%s': message '%s' lacks '%s'", text, aims_error_message(), says);
}

static void
test_modelcard__refusals(void **state)
{
	char deep[600], aliases[2000];
	size_t n = 0;
	int i;

	(void)state;
	refused("# no metadata\n", AIMS_EINVALID, "$", "between two '---' lines");
	refused("---\nlicense: mit\n", AIMS_EINVALID, "$", "no closing");
	refused("---\nlicense: [mit\n---\n# x\n", AIMS_EINVALID, "$.license[1]", "not YAML");
	refused("---\nlicense: mit\nlicense: apache-2.0\n---\n# x\n", AIMS_EINVALID, "$.license",
	    "given twice (line 3");
	refused("---\nlicense: !!python/object:os.system ls\n---\n# x\n", AIMS_EINVALID,
	    "$.license", "YAML's own tags");
	refused("---\n- a\n---\n# x\n", AIMS_EINVALID, "$", "mapping of keys");
	refused("---\nlicense: [mit]\n---\n# x\n", AIMS_EINVALID, "$.license", "a text");
	refused("---\nlanguage: [en, {a: b}]\n---\n# x\n", AIMS_EINVALID, "$.language[1]", NULL);
	refused("---\nbase_model_relation: fork\n---\n# x\n", AIMS_EINVALID,
	    "$.base_model_relation", "finetune");
	refused("---\nmodel-index:\n- name: m\n  results:\n  - metrics:\n    - {type: f1}\n---\n",
	    AIMS_EINVALID, "$.model-index[0].results[0].metrics[0]", "type and a value");
	refused("---\nmodel-index:\n- name: m\n  results:\n  - metrics:\n    - {type: f1, value: "
	    "[1]}\n---\n", AIMS_EINVALID, "$.model-index[0].results[0].metrics[0].value", NULL);
	refused("---\nlicense: mit\n---\nno heading\n", AIMS_EINVALID, "$", "names no model");
	/* Found by fuzz_modelcard: the text of a card is not checked as the YAML is. */
	refused("---\nlicense: mit\n---\n# my-\377\377model\n", AIMS_EINVALID, "$", "not UTF-8");
	refused("---\na: 1\n---\n---\nb: 2\n---\n", AIMS_EINVALID, "$", "names no model");
	refused("---\na: 1\n--- x\n---\n# x\n", AIMS_EINVALID, "$", "one YAML document (line 3");
	refused("---\n? [a, b]\n: c\n---\n# x\n", AIMS_EINVALID, "$", "a key is a text");
	/* Nesting past the limit. */
	n = (size_t)snprintf(deep, sizeof(deep), "---\nx: ");
	for (i = 0; i <= MODELCARD_DEPTH_MAX; i++)
		deep[n++] = '[';
	for (i = 0; i <= MODELCARD_DEPTH_MAX; i++)
		deep[n++] = ']';
	snprintf(deep + n, sizeof(deep) - n, "\n---\n# x\n");
	refused(deep, AIMS_EINVALID, "$.x[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]",
	    "nested deeper");
	/* More aliases than a card needs (the billion-laughs shape). */
	n = (size_t)snprintf(aliases, sizeof(aliases), "---\na: &a [x, x]\nb: [");
	for (i = 0; i <= MODELCARD_ALIASES_MAX; i++)
		n += (size_t)snprintf(aliases + n, sizeof(aliases) - n, "*a, ");
	snprintf(aliases + n, sizeof(aliases) - n, "*a]\n---\n# x\n");
	refused(aliases, AIMS_EINVALID, "$.b[32]", "more aliases");
	refused("---\na: *nothing\n---\n# x\n", AIMS_EINVALID, "$.a", NULL);
	refused("---\na: \"\\0\"\n---\n# x\n", AIMS_EINVALID, "$.a", "NUL");
}

static void
test_modelcard__aliases_within_bound(void **state)
{
	json_t *fm = NULL;
	static const char text[] = "---\ntags: &t [a, b]\nalso: *t\n---\n";

	(void)state;
	assert_int_equal(modelcard_front_matter(&fm, text, sizeof(text) - 1), 0);
	assert_true(json_equal(json_object_get(fm, "tags"), json_object_get(fm, "also")));
	json_decref(fm);
}

static void
test_modelcard__store_again_check_export(void **state)
{
	struct db *db = *state;
	json_t *ais = NULL, *sum = NULL, *model, *doc, *c = NULL, *v = NULL, *data;
	struct buf out = BUF_INIT;
	size_t i;

	assert_int_equal(fx_create(&ais, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Claims\"}"), 0);
	/* --check keeps nothing. */
	assert_int_equal(modelcard_import(&sum, db, FX_ORG, &fx_bob, fx_str(ais, "ref"), card,
	    sizeof(card) - 1, BOM_CHECK), 0);
	assert_true(json_is_true(json_object_get(sum, "checked_only")));
	json_decref(sum);
	assert_int_equal(record_get(&model, db, FX_ORG, record_kind_find("models"), "MOD-1"),
	    AIMS_ENOTFOUND);
	if (modelcard_import(&sum, db, FX_ORG, &fx_bob, fx_str(ais, "ref"), card,
	    sizeof(card) - 1, 0) != 0)
		fail_msg("%s", aims_error_message());
	assert_int_equal(json_array_size(json_object_get(json_object_get(sum, "created"),
	    "datasets")), 2);
	assert_int_equal(json_array_size(json_object_get(json_object_get(sum, "created"),
	    "suppliers")), 1);
	json_decref(sum);
	model = fx_get(db, FX_ORG, "models", "MOD-1");
	assert_int_equal(json_array_size(json_object_get(model, "datasets")), 2);
	assert_non_null(fx_str(model, "supplier"));
	/* A new data set is training data; a use set since is left as it is. */
	data = fx_get(db, FX_ORG, "datasets",
	    json_string_value(json_array_get(json_object_get(model, "datasets"), 0)));
	assert_string_equal(json_string_value(json_array_get(json_object_get(data, "uses"), 0)),
	    "training");
	assert_int_equal(fx_update(NULL, db, FX_ORG, &fx_bob, "datasets", fx_str(data, "ref"), 1,
	    "{\"uses\": [\"test\"]}"), 0);
	json_decref(data);
	json_decref(model);
	/* Again: nothing changes. */
	assert_int_equal(modelcard_import(&sum, db, FX_ORG, &fx_bob, fx_str(ais, "ref"), card,
	    sizeof(card) - 1, 0), 0);
	assert_int_equal(json_object_size(json_object_get(sum, "created")), 0);
	assert_int_equal(json_object_size(json_object_get(sum, "updated")), 0);
	json_decref(sum);
	data = fx_get(db, FX_ORG, "datasets", "DATA-1");
	assert_string_equal(json_string_value(json_array_get(json_object_get(data, "uses"), 0)),
	    "test");
	json_decref(data);
	/* The ML-BOM carries what the card gave, and reads back into the same fields. */
	assert_int_equal(cyclonedx_export(&out, db, FX_ORG, "acme", fx_str(ais, "ref")), 0);
	doc = fx_json(buf_str(&out));
	json_array_foreach(json_object_get(doc, "components"), i, v)
		if (strcmp(fx_str(v, "type"), "machine-learning-model") == 0)
			c = v;
	assert_non_null(c);
	assert_int_equal(json_array_size(json_object_get(c, "tags")), 2);
	assert_string_equal(fx_str(json_array_get(json_object_get(json_object_get(c, "pedigree"),
	    "ancestors"), 0), "name"), "distilbert/distilbert-base-uncased");
	assert_string_equal(fx_str(json_array_get(json_object_get(c, "licenses"), 0) ?
	    json_object_get(json_array_get(json_object_get(c, "licenses"), 0), "license") : NULL,
	    "id"), "Apache-2.0");
	assert_int_equal(json_array_size(json_object_get(json_object_get(c, "modelCard"),
	    "properties")), 4);
	json_decref(doc);
	{
		json_t *bom = NULL, *f;

		assert_int_equal(cyclonedx_parse(&bom, buf_str(&out), out.len), 0);
		json_array_foreach(json_object_get(bom, "models"), i, v)
			if (strcmp(fx_str(json_object_get(v, "fields"), "name"),
			    "acme/claims-triage") == 0)
				break;
		f = json_object_get(v, "fields");
		assert_string_equal(fx_str(f, "library"), "transformers");
		assert_string_equal(fx_str(f, "base_model_relation"), "finetune");
		assert_int_equal(json_array_size(json_object_get(f, "languages")), 2);
		assert_int_equal(json_array_size(json_object_get(f, "base_models")), 1);
		json_decref(bom);
	}
	buf_free(&out);
	/* Another organisation's AI system is not found; nothing is kept. */
	assert_int_equal(modelcard_import(&sum, db, FX_OTHER_ORG, &fx_alice, fx_str(ais, "ref"),
	    card, sizeof(card) - 1, 0), AIMS_ENOTFOUND);
	assert_null(sum);
	json_decref(ais);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modelcard__front_matter),
		cmocka_unit_test(test_modelcard__fields),
		cmocka_unit_test(test_modelcard__refusals),
		cmocka_unit_test(test_modelcard__aliases_within_bound),
		cmocka_unit_test_setup_teardown(test_modelcard__store_again_check_export, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
