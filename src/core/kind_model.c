/*
 * kind_model.c - AI models and their model cards (A.4.2, A.6.2.3, A.6.2.7):
 * each model an AI system uses, who supplies it under what licence, how it
 * was built (approach, task, architecture, the data sets it was trained
 * on), how well it performs, and what it should and should not be used for.
 * The fields follow the CycloneDX 1.6 modelCard, so an ML-BOM imports into
 * them and exports from them (io/cyclonedx.h), and what a Hugging Face
 * model card adds (library, languages, tags, base models: io/modelcard.h);
 * bom_ref and purl say which component of a BOM a model is, so importing
 * the BOM again updates it.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/record_private.h"
#include "util/error.h"

/* The schema migration that added the fields a Hugging Face model card gives. */
#define MODEL_FIELDS_CARD	90

/* How a model derives from its base models, as the Hugging Face Hub names it. */
static const char *const base_relation_values[] = {
	"adapter", "merge", "quantized", "finetune", NULL,
};

static const char *const approach_values[] = {
	"supervised", "unsupervised", "reinforcement-learning", "semi-supervised",
	"self-supervised", NULL,
};

static const struct field metric_fields[] = {
	{ .name = "type", .label = "Metric", .type = FIELD_STRING, .flags = FIELD_REQUIRED },
	{ .name = "value", .label = "Value", .type = FIELD_STRING, .flags = FIELD_REQUIRED },
	{ .name = "slice", .label = "Slice", .type = FIELD_STRING },
	{ .name = "lower_bound", .label = "Lower bound", .type = FIELD_STRING },
	{ .name = "upper_bound", .label = "Upper bound", .type = FIELD_STRING },
	{ .name = NULL },
};

/* The hash algorithms CycloneDX 1.6 names, so that every model exports as valid CycloneDX. */
static const char *const hash_alg_values[] = {
	"MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512", "SHA3-256", "SHA3-384", "SHA3-512",
	"BLAKE2b-256", "BLAKE2b-384", "BLAKE2b-512", "BLAKE3", NULL,
};

static const struct field hash_fields[] = {
	{ .name = "alg", .label = "Algorithm", .type = FIELD_ENUM, .flags = FIELD_REQUIRED,
	  .values = hash_alg_values },
	{ .name = "content", .label = "Digest", .type = FIELD_STRING, .flags = FIELD_REQUIRED,
	  .help = "in hexadecimal" },
	{ .name = NULL },
};

static const struct field ethics_fields[] = {
	{ .name = "name", .label = "Consideration", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED },
	{ .name = "mitigation", .label = "Mitigation", .type = FIELD_TEXT },
	{ .name = NULL },
};

static const struct field fairness_fields[] = {
	{ .name = "group_at_risk", .label = "Group at risk", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED },
	{ .name = "benefits", .label = "Benefits", .type = FIELD_TEXT },
	{ .name = "harms", .label = "Harms", .type = FIELD_TEXT },
	{ .name = "mitigation", .label = "Mitigation", .type = FIELD_TEXT },
	{ .name = NULL },
};

static const struct field model_fields[] = {
	{ .name = "name", .section = "The model", .label = "Name", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "model_version", .label = "Version", .type = FIELD_STRING,
	  .flags = FIELD_LIST },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "ai_systems", .label = "Used by the AI systems", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER | FIELD_LIST, .target = "ai-systems" },
	{ .name = "supplier", .label = "Supplier (A.10.3)", .type = FIELD_REF,
	  .flags = FIELD_FILTER | FIELD_LIST, .target = "suppliers",
	  .help = "who provides the model; empty for one the organisation built" },
	{ .name = "licence", .label = "Licence", .type = FIELD_STRING,
	  .help = "an SPDX licence id (Apache-2.0) or the licence's name" },
	{ .name = "purl", .label = "Package URL", .type = FIELD_STRING,
	  .flags = FIELD_FILTER | FIELD_SEARCH,
	  .help = "pkg:huggingface/org/name@revision; identifies it in ML-BOMs" },
	{ .name = "bom_ref", .label = "BOM reference", .type = FIELD_STRING,
	  .flags = FIELD_FILTER, .help = "its bom-ref in the ML-BOM it came from" },
	{ .name = "hashes", .label = "Hashes", .type = FIELD_OBJECT_LIST,
	  .subfields = hash_fields, .help = "digests of the model's files (SHA-256, ...)" },
	{ .name = "card_url", .label = "Model card", .type = FIELD_STRING,
	  .help = "where the published model card is" },
	{ .name = "library", .label = "Library", .type = FIELD_STRING,
	  .since = MODEL_FIELDS_CARD, .help = "what it runs with: transformers, timm, ..." },
	{ .name = "languages", .label = "Languages", .type = FIELD_STRING_LIST,
	  .since = MODEL_FIELDS_CARD, .help = "the languages it handles, as ISO 639 codes" },
	{ .name = "tags", .label = "Tags", .type = FIELD_STRING_LIST, .flags = FIELD_SEARCH,
	  .since = MODEL_FIELDS_CARD },
	{ .name = "approach", .section = "How it was built (A.6.2.3)",
	  .label = "Learning approach", .type = FIELD_ENUM, .flags = FIELD_FILTER,
	  .values = approach_values },
	{ .name = "task", .label = "Task", .type = FIELD_STRING, .flags = FIELD_SEARCH,
	  .help = "text-classification, text-generation, ..." },
	{ .name = "architecture_family", .label = "Architecture family", .type = FIELD_STRING },
	{ .name = "model_architecture", .label = "Architecture", .type = FIELD_STRING },
	{ .name = "base_models", .label = "Base models", .type = FIELD_STRING_LIST,
	  .since = MODEL_FIELDS_CARD,
	  .help = "the models it was derived from (Hugging Face ids: org/name)" },
	{ .name = "base_model_relation", .label = "Derived by", .type = FIELD_ENUM,
	  .values = base_relation_values, .since = MODEL_FIELDS_CARD,
	  .help = "finetune, adapter, merge or quantized" },
	{ .name = "datasets", .label = "Data sets (A.7)", .type = FIELD_REF_LIST,
	  .target = "datasets", .help = "the data it was trained, tuned and tested on" },
	{ .name = "inputs", .label = "Input formats", .type = FIELD_STRING_LIST },
	{ .name = "outputs", .label = "Output formats", .type = FIELD_STRING_LIST },
	{ .name = "performance_metrics", .section = "Performance (A.6.2.4)",
	  .label = "Performance metrics", .type = FIELD_OBJECT_LIST, .subfields = metric_fields,
	  .help = "measured values, with the data slice and confidence bounds" },
	{ .name = "users", .section = "Use and limits (A.8.2, A.9.4)",
	  .label = "Intended users", .type = FIELD_STRING_LIST },
	{ .name = "use_cases", .label = "Use cases", .type = FIELD_STRING_LIST,
	  .flags = FIELD_SEARCH },
	{ .name = "technical_limitations", .label = "Technical limitations",
	  .type = FIELD_STRING_LIST },
	{ .name = "performance_tradeoffs", .label = "Performance trade-offs",
	  .type = FIELD_STRING_LIST },
	{ .name = "ethical_considerations", .section = "Impacts (A.5.4, A.5.5)",
	  .label = "Ethical considerations", .type = FIELD_OBJECT_LIST,
	  .subfields = ethics_fields },
	{ .name = "fairness_assessments", .label = "Fairness assessments",
	  .type = FIELD_OBJECT_LIST, .subfields = fairness_fields },
	{ .name = NULL },
};

/* A digest is 32, 40, 64, 96 or 128 hexadecimal digits, as CycloneDX has it. */
static bool
model_hex_digest(const char *s)
{
	size_t n = s ? strlen(s) : 0, i;

	if (n != 32 && n != 40 && n != 64 && n != 96 && n != 128)
		return false;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int
model_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	char path[RECORD_PATH_MAX];
	const json_t *h;
	size_t i;

	(void)db;
	(void)org_id;
	(void)actor;
	(void)old;
	json_array_foreach(json_object_get(next, "hashes"), i, h)
		if (!model_hex_digest(record__str(h, "content"))) {
			snprintf(path, sizeof(path), "hashes[%zu].content", i);
			return aims_error_set(AIMS_EINVALID, path, "field '%s': a digest is 32, 40, "
			    "64, 96 or 128 hexadecimal digits", path);
		}
	return 0;
}

const struct record_kind record_kind_model = {
	.name = "models",
	.singular = "model",
	.plural = "models",
	.prefix = "MOD",
	.clause = "A.4.2",
	.section = "Support & operation",
	.retain = true,
	.perm_kind = "operational",
	.fields = model_fields,
	.hooks = { .validate = model_validate },
};
