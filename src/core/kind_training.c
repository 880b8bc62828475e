/*
 * kind_training.c - per person, the training, qualifications and experience
 * that show a competence (7.2, A.4.6), with the evidence and the dates; a
 * record past its valid_until no longer counts. AI-literacy trainings (EU AI
 * Act Art. 4) carry their level.
 */
#include <stdio.h>
#include <string.h>

#include "core/record_private.h"
#include "util/error.h"

static const char *const training_kind_values[] = {
	"training", "qualification", "experience", NULL,
};
static const char *const literacy_level_values[] = {
	"basic", "intermediate", "advanced", NULL,
};

static const struct field training_fields[] = {
	{ .name = "title", .section = "The training", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST,
	  .help = "empty: named after the competence and the person" },
	{ .name = "person", .label = "Person", .type = FIELD_USER,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "competence", .label = "Competence", .type = FIELD_REF,
	  .flags = FIELD_FILTER | FIELD_LIST, .target = "competences" },
	{ .name = "kind", .label = "Kind", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_LIST, .values = training_kind_values },
	{ .name = "provider", .label = "Given by", .type = FIELD_STRING, .flags = FIELD_SEARCH },
	{ .name = "completed_on", .section = "Dates and evidence",
	  .label = "Completed on", .type = FIELD_DATE,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "valid_until", .label = "Valid until", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "empty: does not expire" },
	{ .name = "ai_literacy", .label = "AI literacy (EU AI Act Art. 4)", .type = FIELD_BOOL,
	  .flags = FIELD_FILTER | FIELD_LIST },
	{ .name = "ai_literacy_level", .label = "AI-literacy level", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER, .values = literacy_level_values },
	{ .name = "evidence", .label = "Evidence", .type = FIELD_REF_LIST,
	  .target = "evidence", .help = "certificates, attendance lists" },
	{ .name = "notes", .label = "Notes", .type = FIELD_TEXT },
	{ .name = NULL },
};

static int
training_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	const char *comp = record__str(next, "competence"), *person = record__str(next, "person");
	const char *from = record__str(next, "completed_on");
	const char *until = record__str(next, "valid_until");
	char title[RECORD_STRING_MAX];
	json_t *c = NULL;
	int rc = 0;

	(void)actor;
	(void)old;
	if (from && until && strcmp(until, from) < 0)
		return aims_error_set(AIMS_EINVALID, "valid_until",
		    "field 'valid_until': %s is before completed_on %s", until, from);
	if (comp && (rc = record__load_data(&c, db, org_id, "competences", comp)) != 0)
		return aims_error_set(AIMS_EINVALID, "competence",
		    "field 'competence': competence %s does not exist", comp);
	/* An AI-literacy competence makes the training an AI-literacy one. */
	if (c && json_is_true(json_object_get(c, "ai_literacy")))
		json_object_set_new(next, "ai_literacy", json_true());
	if (record__is_empty(json_object_get(next, "title"))) {
		snprintf(title, sizeof(title), "%s: %s",
		    c && record__str(c, "title") ? record__str(c, "title") : "Training",
		    person ? person : "");
		json_object_set_new(next, "title", json_string(title));
	}
	json_decref(c);
	return 0;
}

static const struct record_due training_due[] = {
	{ "valid_until", "training expires", false, "person" },
	{ NULL, NULL },
};

const struct record_kind record_kind_training = {
	.name = "trainings",
	.singular = "training record",
	.plural = "trainings",
	.prefix = "TRN",
	.clause = "7.2",
	.section = "Support & operation",
	.retain = true,
	.perm_kind = "governance",
	.fields = training_fields,
	.hooks = { .validate = training_validate },
	.default_sort = "-completed_on",
	.due = training_due,
};
