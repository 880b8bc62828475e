/*
 * org_copy.c - a new organisation started from another's setup: what a
 * consultant reuses from one client to the next. Copied: the risk criteria
 * and the documents, as drafts to review and approve again in the new
 * organisation (an approval is a person's judgement of that organisation,
 * never copied); and the Statement of Applicability decisions (applicable
 * or not, with the justification). Not copied: people (owners, approvers),
 * links to the source's records, dates, implementation status: they
 * describe the source, not the new organisation. Every record is created
 * through record_create()/record_update(), so it is validated and
 * ledgered in the new organisation like one typed in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/member.h"
#include "core/org.h"
#include "core/perm.h"
#include "core/record.h"
#include "core/soa.h"
#include "store/db.h"
#include "util/error.h"

/* The SoA's decision fields; other kinds copy what copy_field() allows. */
static const char *const org_copy_soa_fields[] = { "applicable", "justification", NULL };
static const char *const org_copy_kinds[] = { "risk-criteria", "documents", "soa", NULL };

static bool
org_copy_field(const struct record_kind *k, const struct field *f)
{
	size_t i;

	if (strcmp(k->name, SOA_KIND) == 0) {
		for (i = 0; org_copy_soa_fields[i] != NULL; i++)
			if (strcmp(f->name, org_copy_soa_fields[i]) == 0)
				return true;
		return false;
	}
	if ((f->flags & FIELD_READONLY) || f->type == FIELD_REF || f->type == FIELD_REF_LIST ||
	    f->type == FIELD_USER || f->type == FIELD_DATE || f->type == FIELD_DATETIME)
		return false;
	return k->workflow == NULL || strcmp(f->name, k->workflow->field) != 0;
}

static json_t *
org_copy_fields(const struct record_kind *k, const json_t *rec)
{
	json_t *out = json_object(), *v;
	const struct field *f;

	for (f = k->fields; f->name != NULL; f++)
		if (org_copy_field(k, f) && (v = json_object_get(rec, f->name)) != NULL &&
		    !json_is_null(v))
			json_object_set(out, f->name, v);
	return out;
}

/* Copies every live record of k from one organisation to the other; counts them in *n. */
static int
org_copy_kind(int64_t *n, struct db *db, const struct actor *actor, int64_t to, int64_t from,
    const struct record_kind *k)
{
	struct record_query q = { .limit = RECORD_LIST_MAX, .sort = "ref" };
	json_t *items = NULL, *fields = NULL, *out = NULL;
	const json_t *rec;
	char *next = NULL, cursor[256];
	size_t i;
	int rc;

	*n = 0;
	for (;;) {
		if ((rc = record_list(&items, &next, NULL, db, from, k, &q)) != 0)
			return rc;
		json_array_foreach(items, i, rec) {
			fields = org_copy_fields(k, rec);
			if (json_object_size(fields) == 0)
				rc = 0;
			else if (k->singleton)	/* made with the organisation: its defaults */
				rc = record_update(&out, db, to, actor, k, NULL, 0, fields);
			else if (k->fixed)	/* made with the organisation: one per control */
				rc = record_update(&out, db, to, actor, k, json_string_value(
				    json_object_get(rec, "ref")), 0, fields);
			else
				rc = record_create(&out, db, to, actor, k, fields);
			json_decref(fields);
			json_decref(out);
			out = NULL;
			if (rc != 0) {
				json_decref(items);
				free(next);
				return aims_error_set(rc, aims_error_field(), "copying %s %s: %s",
				    k->singular, json_string_value(json_object_get(rec, "ref")),
				    aims_error_message());
			}
			(*n)++;
		}
		json_decref(items);
		items = NULL;
		if (next == NULL)
			return 0;
		snprintf(cursor, sizeof(cursor), "%s", next);
		free(next);
		next = NULL;
		q.cursor = cursor;
	}
}

int
org_create_copy(int64_t *id_out, json_t **copied, struct db *db, const struct actor *actor,
    const char *slug, const char *name, const char *email, const char *from_slug)
{
	struct actor admin = *actor;
	const struct record_kind *k;
	int64_t id = 0, from = 0, n;
	enum role role = ROLE_NONE;
	size_t i;
	int rc;

	*copied = NULL;
	if (org_id_by_slug(&from, db, from_slug) != 0 ||
	    member_role(&role, db, from, actor->user_id) != 0)
		return aims_error_set(AIMS_ENOTFOUND, "from", "no organisation '%s' of yours",
		    from_slug);
	/* Copying a setup is writing it: whoever may write the source's governance records. */
	if (actor->user_id > 0 && !perm_allows(role, PERM_WRITE, PERM_KIND_GOVERNANCE))
		return aims_error_set(AIMS_EFORBIDDEN, "from", "your role in %s (%s) may not copy "
		    "its setup: a manager or admin may", from_slug, role_name(role));
	admin.role = ROLE_ADMIN;
	*copied = json_object();
	if ((rc = db_begin(db)) != 0)
		goto fail;
	if ((rc = org_create_owned(&id, db, &admin, slug, name, email)) != 0)
		goto rollback;
	for (i = 0; org_copy_kinds[i] != NULL; i++) {
		if ((k = record_kind_find(org_copy_kinds[i])) == NULL) {
			rc = aims_error_set(AIMS_ERROR, NULL, "no record kind %s", org_copy_kinds[i]);
			goto rollback;
		}
		if ((rc = org_copy_kind(&n, db, &admin, id, from, k)) != 0)
			goto rollback;
		json_object_set_new(*copied, k->name, json_integer(n));
	}
	if ((rc = db_commit(db)) != 0)
		goto fail;
	if (id_out != NULL)
		*id_out = id;
	return 0;
rollback:
	db_rollback(db);
fail:
	json_decref(*copied);
	*copied = NULL;
	return rc;
}
