/*
 * kind_obligation.c - EU AI Act obligations: what an article asks of the
 * organisation for one AI system in one role (Art. 9 risk management as its
 * provider, Art. 26 as its deployer...), with an owner, a due date (the day
 * the article applies from; a due-date field, so it is listed as coming up
 * or past due like every other), a status and the records that satisfy it.
 * core/euact.h derives them from the system's classification; people may
 * add others by hand. One obligation per system, article and role.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crosswalk.h"
#include "core/euact.h"
#include "core/record_private.h"
#include "store/db.h"
#include "util/error.h"
#include "util/mem.h"

#define OBLIGATION_NOTE_MIN	20	/* characters of a real reason it does not apply */

static const char *const obligation_status_values[] = {
	"open", "in_progress", "met", "not_applicable", NULL,
};
static const char *const obligation_role_values[] = {
	"provider", "deployer", "importer", "distributor", "authorised_representative",
	"product_manufacturer", NULL,
};

static const struct field obligation_fields[] = {
	{ .name = "title", .section = "The obligation", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST,
	  .help = "defaults to the article's number and title" },
	{ .name = "ai_system", .label = "AI system", .type = FIELD_REF,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_LIST, .target = "ai-systems" },
	{ .name = "article", .label = "Article", .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_SORT | FIELD_LIST, .max = 8,
	  .help = "the article of the EU AI Act, by its number: 9, 26, 27, 50" },
	{ .name = "role", .label = "Our role", .type = FIELD_ENUM,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_LIST, .values = obligation_role_values },
	{ .name = "duty", .label = "What it asks", .type = FIELD_TEXT, .flags = FIELD_SEARCH },
	{ .name = "owner", .section = "Who and when", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "due", .label = "Due", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST,
	  .help = "when the article applies to the system (Art. 113), or sooner" },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = obligation_status_values },
	{ .name = "satisfied_by", .label = "Satisfied by", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER,
	  .help = "the records that meet it: documents, measures, impact assessments, evidence" },
	{ .name = "notes", .label = "Notes", .type = FIELD_TEXT,
	  .help = "why it does not apply, when that is its status" },
	{ .name = NULL },
};

/* Is article an article of the EU AI Act catalog? Its title into title. */
static bool
obligation_article(const char *article, char *title, size_t len)
{
	const json_t *catalog, *mapping, *e;
	size_t i;

	if (crosswalk_get(&catalog, &mapping, "eu-ai-act") != 0)
		return false;
	json_array_foreach(json_object_get(catalog, "requirements"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "kind")), "article") == 0 &&
		    strcmp(json_string_value(json_object_get(e, "id")), article) == 0) {
			snprintf(title, len, "Art. %s %s", article,
			    json_string_value(json_object_get(e, "title")));
			return true;
		}
	return false;
}

/* Another live obligation of the same system, article and role? */
static int
obligation_duplicate(char **other, struct db *db, int64_t org_id, const json_t *next,
    const char *self)
{
	struct db_stmt *st = NULL;
	json_t *d;
	int rc;

	*other = NULL;
	if ((rc = db_prepare(&st, db, "SELECT r.ref, r.data FROM records r JOIN record_links l"
	    " ON l.org_id = r.org_id AND l.from_kind = r.kind AND l.from_ref = r.ref"
	    " WHERE r.org_id = ? AND r.kind = '" EUACT_OBLIGATION_KIND "' AND r.retired = 0"
	    " AND l.field = 'ai_system' AND l.to_kind = 'ai-systems' AND l.to_ref = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, record__str(next, "ai_system"));
	while (*other == NULL && (rc = db_step(st)) == DB_ROW) {
		if (self && strcmp(self, db_column_text(st, 0)) == 0)
			continue;
		if ((d = json_loads(db_column_text(st, 1), 0, NULL)) == NULL)
			continue;
		if (record__str(d, "article") && record__str(d, "role") &&
		    strcmp(record__str(d, "article"), record__str(next, "article")) == 0 &&
		    strcmp(record__str(d, "role"), record__str(next, "role")) == 0)
			*other = xstrdup(db_column_text(st, 0));
		json_decref(d);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int
obligation_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	const char *article = record__str(next, "article"), *status = record__str(next, "status");
	const char *notes = record__str(next, "notes");
	char title[RECORD_STRING_MAX], *other = NULL;
	int rc;

	(void)actor;
	if (!obligation_article(article, title, sizeof(title)))
		return aims_error_set(AIMS_EINVALID, "article",
		    "field 'article': '%s' is not an article of the EU AI Act catalog (see GET "
		    "/api/v1/catalog/requirements?framework=eu-ai-act&kind=article)", article);
	if (record__exists(db, org_id, "ai-systems", record__str(next, "ai_system")) != 0)
		return aims_error_set(AIMS_EINVALID, "ai_system",
		    "field 'ai_system': AI system %s does not exist", record__str(next, "ai_system"));
	if (!json_object_get(next, "title"))
		json_object_set_new(next, "title", json_string(title));
	if (!json_object_get(next, "status"))
		json_object_set_new(next, "status", json_string("open"));
	else if (strcmp(status, "met") == 0 &&
	    json_array_size(json_object_get(next, "satisfied_by")) == 0)
		return aims_error_set(AIMS_EINVALID, "satisfied_by",
		    "field 'satisfied_by': name the records that meet the obligation before "
		    "marking it met");
	else if (strcmp(status, "not_applicable") == 0 &&
	    (notes == NULL || strlen(notes) < OBLIGATION_NOTE_MIN))
		return aims_error_set(AIMS_EINVALID, "notes",
		    "field 'notes': say why the obligation does not apply (at least %d "
		    "characters)", OBLIGATION_NOTE_MIN);
	if ((rc = obligation_duplicate(&other, db, org_id, next,
	    old ? record__str(old, "ref") : NULL)) != 0)
		return rc;
	if (other != NULL) {
		rc = aims_error_set(AIMS_EEXISTS, "article",
		    "field 'article': %s already records Art. %s for %s as its %s", other,
		    article, record__str(next, "ai_system"), record__str(next, "role"));
		free(other);
	}
	return rc;
}

static const char *const obligation_done[] = { "met", "not_applicable", NULL };
static const struct record_due obligation_due[] = {
	{ "due", "EU AI Act obligation" },
	{ NULL, NULL },
};
static const struct record_count obligation_counts[] = {
	{ .dim = "article", .label = "EU AI Act obligations by article",
	  .fields = { "article" }, .chart = RECORD_CHART_BARS },
	{ .dim = NULL },
};

const struct record_kind record_kind_obligation = {
	.name = EUACT_OBLIGATION_KIND,
	.singular = "EU AI Act obligation",
	.plural = "EU AI Act obligations",
	.prefix = "OBL",
	.clause = "4.1",
	.section = "Planning",
	.retain = true,
	.perm_kind = "operational",
	.fields = obligation_fields,
	.hooks = { .validate = obligation_validate },
	.done = obligation_done,
	.due = obligation_due,
	.counts = obligation_counts,
	.default_sort = "due",
};
