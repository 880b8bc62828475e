/*
 * kind_dataset.c - data for AI systems (A.7): each data set with how it was
 * acquired (A.7.3), its quality requirements and results (A.7.4), its
 * provenance (A.7.5) and its preparation (A.7.6), linked to the AI systems
 * that use it; quality results can name the metrics that measure them.
 */
#include "core/record_private.h"

/* The migration the ML-BOM fields came with (record.h, struct field `since`). */
#define DATASET_FIELDS_V2	65

static const char *const dataset_use_values[] = {
	"training", "validation", "test", "production", "other", NULL,
};

static const struct field dataset_fields[] = {
	{ .name = "title", .section = "The data set", .label = "Name", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "description", .label = "Description", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH },
	{ .name = "ai_systems", .label = "Used by the AI systems", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER | FIELD_LIST, .target = "ai-systems" },
	{ .name = "uses", .label = "Used for", .type = FIELD_ENUM_LIST,
	  .flags = FIELD_FILTER, .values = dataset_use_values },
	{ .name = "owner", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_LIST },
	{ .name = "personal_data", .label = "Holds personal data", .type = FIELD_BOOL,
	  .flags = FIELD_FILTER },
	{ .name = "acquisition", .section = "Acquisition and provenance (A.7.3, A.7.5)",
	  .label = "Acquisition (A.7.3)", .type = FIELD_TEXT,
	  .help = "where and how the data was obtained, and on what terms" },
	{ .name = "provenance", .label = "Provenance (A.7.5)", .type = FIELD_TEXT,
	  .help = "origin, creation, updates and transfers of the data over its life" },
	{ .name = "quality_requirements", .section = "Quality (A.7.4)",
	  .label = "Quality requirements", .type = FIELD_TEXT },
	{ .name = "quality_results", .label = "Quality results", .type = FIELD_TEXT },
	{ .name = "quality_metrics", .label = "Quality metrics", .type = FIELD_REF_LIST,
	  .help = "the records measuring the data's quality" },
	{ .name = "preparation", .section = "Preparation (A.7.6)",
	  .label = "Preparation", .type = FIELD_TEXT,
	  .help = "cleaning, labelling, transformations and their criteria" },
	{ .name = "retention", .label = "Retention", .type = FIELD_STRING },
	{ .name = "bom_ref", .section = "ML-BOM", .label = "BOM reference", .type = FIELD_STRING,
	  .flags = FIELD_FILTER, .help = "its bom-ref in the ML-BOM it came from; importing the "
	  "BOM again updates this data set", .since = DATASET_FIELDS_V2 },
	{ .name = "classification", .label = "Classification", .type = FIELD_STRING,
	  .help = "how the data is classified (public, confidential, ...)",
	  .since = DATASET_FIELDS_V2 },
	{ .name = NULL },
};

const struct record_kind record_kind_dataset = {
	.name = "datasets",
	.singular = "data set",
	.plural = "data sets",
	.prefix = "DATA",
	.clause = "A.7",
	.section = "Support & operation",
	.retain = true,
	.perm_kind = "operational",
	.fields = dataset_fields,
};
