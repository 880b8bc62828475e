/*
 * org.c - organisations (tenants): create, read, list, update. Each change is
 * written with its ledger entry in one transaction (DESIGN.md invariant 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/member.h"
#include "core/oidc.h"
#include "core/org.h"
#include "core/record.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

const char *const org_ai_roles[] = {
	"provider", "producer", "customer", "partner", "subject", "relevant_authority", NULL
};

static int
org_check_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > ORG_NAME_MAX || !str_is_utf8(name, n))
		return aims_error_set(AIMS_EINVALID, "name",
		    "name is required (1 to %d characters of UTF-8 text)", ORG_NAME_MAX);
	return 0;
}

/* Whether roles[0..i) holds the value of roles[i]. */
static bool
org_ai_roles_has_before(const json_t *roles, size_t i)
{
	const char *v = json_string_value(json_array_get(roles, i));
	size_t j;

	for (j = 0; v && j < i; j++)
		if (json_is_string(json_array_get(roles, j)) &&
		    strcmp(json_string_value(json_array_get(roles, j)), v) == 0)
			return true;
	return false;
}

static int
org_check_ai_roles(const json_t *roles)
{
	const json_t *v;
	size_t i;
	int k, ok;

	if (!json_is_array(roles))
		return aims_error_set(AIMS_EINVALID, "ai_roles", "ai_roles must be an array");
	json_array_foreach(roles, i, v) {
		ok = 0;
		for (k = 0; json_is_string(v) && org_ai_roles[k]; k++)
			if (strcmp(json_string_value(v), org_ai_roles[k]) == 0)
				ok = 1;
		if (!ok)
			return aims_error_set(AIMS_EINVALID, "ai_roles",
			    "ai_roles[%zu] is not one of provider, producer, customer, partner, "
			    "subject, relevant_authority", i);
		if (org_ai_roles_has_before(roles, i))
			return aims_error_set(AIMS_EINVALID, "ai_roles",
			    "ai_roles[%zu]: %s is listed twice", i, json_string_value(v));
	}
	return 0;
}

const char *
org_ai_role_label(const char *role)
{
	static const char *const labels[][2] = {
		{ "provider", "AI provider (offers AI products or services)" },
		{ "producer", "AI producer (designs and develops AI: the developer)" },
		{ "customer", "AI customer (uses AI: the deployer or user)" },
		{ "partner", "AI partner (integrator, data supplier, evaluator)" },
		{ "subject", "AI subject (affected by AI, or its data is used)" },
		{ "relevant_authority", "Relevant authority (policy maker, regulator)" },
	};
	size_t i;

	for (i = 0; role && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i][0], role) == 0)
			return labels[i][1];
	return role ? role : "";
}

bool
org_ai_roles_has(const json_t *roles, const char *role)
{
	const json_t *v;
	size_t i;

	json_array_foreach(roles, i, v)
		if (role && json_is_string(v) && strcmp(json_string_value(v), role) == 0)
			return true;
	return false;
}

/* The roles held for in-scope AI systems still in use (their org_role). */
static int
org_ai_roles_derive(json_t *out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT DISTINCT json_extract(data, '$.org_role') "
	    "FROM records_in_force WHERE org_id = ? AND kind = 'ai-systems' AND retired = 0 "
	    "AND coalesce(json_extract(data, '$.lifecycle_stage'), '') <> 'retirement' "
	    "AND coalesce(CAST(json_extract(data, '$.in_scope') AS INTEGER), 1) <> 0 "
	    "AND json_extract(data, '$.org_role') IS NOT NULL")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(out, json_string(db_column_text(st, 0)));
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

int
org_ai_roles_get(struct org_ai_roles *out, struct db *db, int64_t org_id)
{
	json_t *state = NULL, *sorted;
	size_t k;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = org_ledger_state(&state, db, org_id)) != 0)
		return rc;
	out->declared = json_incref(json_object_get(state, "ai_roles"));
	json_decref(state);
	out->derived = json_array();
	if ((rc = org_ai_roles_derive(out->derived, db, org_id)) != 0) {
		org_ai_roles_free(out);
		return rc;
	}
	/* Both lists in the order of org_ai_roles[], so answers compare equal. */
	out->effective = json_array();
	sorted = json_array();
	for (k = 0; org_ai_roles[k]; k++) {
		if (org_ai_roles_has(out->derived, org_ai_roles[k]))
			json_array_append_new(sorted, json_string(org_ai_roles[k]));
		if (org_ai_roles_has(json_array_size(out->declared) ? out->declared :
		    out->derived, org_ai_roles[k]))
			json_array_append_new(out->effective, json_string(org_ai_roles[k]));
	}
	json_decref(out->derived);
	out->derived = sorted;
	return 0;
}

void
org_ai_roles_free(struct org_ai_roles *r)
{
	json_decref(r->declared);
	json_decref(r->derived);
	json_decref(r->effective);
	memset(r, 0, sizeof(*r));
}

int
org_ledger_state(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	json_error_t jerr;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT slug, name, ai_roles, require_second_factor "
	    "FROM orgs WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		json_t *roles = json_loads(db_column_text(st, 2), 0, &jerr);

		*out = json_pack("{s:s, s:s, s:o}", "slug", db_column_text(st, 0),
		    "name", db_column_text(st, 1), "ai_roles", roles ? roles : json_array());
		/* Only when on: organisations that never used it commit to what they always did. */
		if (db_column_int64(st, 3) != 0)
			json_object_set_new(*out, "require_second_factor", json_true());
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "org", "no such organisation");
	db_done(st);
	/* Likewise the single sign-on provider, when there is one. */
	if (rc == 0 && (rc = oidc_ledger_state(*out, db, org_id)) != 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

static int
org_append(struct db *db, const struct actor *actor, int64_t org_id, const char *action,
    const char *slug, int64_t version)
{
	struct ledger_event ev = { 0 };
	int64_t seq;
	json_t *state = NULL;
	int rc;

	if ((rc = org_ledger_state(&state, db, org_id)) != 0)
		return rc;
	ev.org_id = org_id;
	ev.actor = actor->name;
	ev.action = action;
	ev.kind = "org";
	ev.ref = slug;
	ev.version = version;
	ev.record = state;
	rc = ledger_append(&seq, db, &ev);
	json_decref(state);
	return rc;
}

int
org_create(int64_t *id_out, struct db *db, const struct actor *actor, const char *slug,
    const char *name)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	int64_t id = 0;
	int rc;

	if (slug == NULL || !str_is_slug(slug))
		return aims_error_set(AIMS_EINVALID, "slug",
		    "slug must be 2 to %d characters of a-z, 0-9 and '-' (not at either end)",
		    SLUG_MAX);
	if ((rc = org_check_name(name)) != 0)
		return rc;
	if ((rc = db_begin(db)) != 0)
		return rc;
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "INSERT INTO orgs (slug, name, created_at, updated_at)"
	    " VALUES (?, ?, ?, ?) RETURNING id")) != 0)
		goto done;
	db_bind_text(st, 1, slug);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, now);
	rc = db_step(st);
	if (rc == AIMS_EEXISTS) {
		rc = aims_error_set(AIMS_EEXISTS, "slug", "an organisation '%s' already exists", slug);
		goto done;
	}
	if (rc != DB_ROW)
		goto done;
	id = db_column_int64(st, 0);
	db_done(st);
	st = NULL;
	if ((rc = org_append(db, actor, id, "create", slug, 1)) != 0 ||
	    (rc = record_org_init(db, id, actor)) != 0)
		goto done;
	rc = 0;
done:
	db_done(st);
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db)) == 0 && id_out)
		*id_out = id;
	return rc;
}

int
org_create_owned(int64_t *id_out, struct db *db, const struct actor *actor, const char *slug,
    const char *name, const char *email)
{
	struct actor admin = *actor;
	int64_t id = 0;
	int rc;

	admin.role = ROLE_ADMIN;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = org_create(&id, db, &admin, slug, name)) != 0 ||
	    (rc = member_add(db, &admin, id, email, ROLE_ADMIN)) != 0) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db)) == 0 && id_out != NULL)
		*id_out = id;
	return rc;
}

int
org_id_by_slug(int64_t *out, struct db *db, const char *slug)
{
	int rc = db_query_int64_text(out, db, "SELECT id FROM orgs WHERE slug = ?", slug);

	if (rc == AIMS_ENOTFOUND)
		aims_error_set(rc, "org", "no organisation '%s'", slug);
	return rc;
}

static json_t *
org_row_json(struct db_stmt *st)
{
	json_error_t jerr;
	json_t *roles = json_loads(db_column_text(st, 2), 0, &jerr);

	return json_pack("{s:s, s:s, s:o, s:I, s:s, s:s}",
	    "slug", db_column_text(st, 0), "name", db_column_text(st, 1),
	    "ai_roles", roles ? roles : json_array(), "version", (json_int_t)db_column_int64(st, 3),
	    "created_at", db_column_text(st, 4), "updated_at", db_column_text(st, 5));
}

int
org_get(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT slug, name, ai_roles, version, created_at,"
	    " updated_at FROM orgs WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = org_row_json(st);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "org", "no such organisation");
	db_done(st);
	return rc;
}

int
org_timezone(char *out, struct db *db, int64_t org_id)
{
	const char *tz;
	json_t *org = NULL;
	int rc;

	snprintf(out, ORG_TIMEZONE_MAX, "UTC");
	if ((rc = org_get(&org, db, org_id)) != 0)
		return rc;
	if ((tz = json_string_value(json_object_get(org, "timezone"))) != NULL && *tz != '\0')
		snprintf(out, ORG_TIMEZONE_MAX, "%s", tz);
	json_decref(org);
	return 0;
}

int
org_list(json_t **out, struct db *db)
{
	struct db_stmt *st = NULL;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT slug, name, ai_roles, version, created_at,"
	    " updated_at FROM orgs ORDER BY slug")) != 0)
		goto done;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(arr, org_row_json(st));
	if (rc == DB_DONE) {
		*out = arr;
		arr = NULL;
		rc = 0;
	}
done:
	db_done(st);
	json_decref(arr);
	return rc;
}

int
org_update(json_t **out, struct db *db, const struct actor *actor, int64_t org_id,
    int64_t if_version, const char *name, const json_t *ai_roles)
{
	char now[CLOCK_RFC3339_LEN], *roles = NULL;
	struct db_stmt *st = NULL;
	int64_t version = 0;
	char slug[SLUG_MAX + 1] = "";
	int rc;

	if (out)
		*out = NULL;
	if (name && (rc = org_check_name(name)) != 0)
		return rc;
	if (ai_roles && (rc = org_check_ai_roles(ai_roles)) != 0)
		return rc;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if (ai_roles)
		roles = json_dumps(ai_roles, JSON_COMPACT);
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "UPDATE orgs SET name = coalesce(?, name),"
	    " ai_roles = coalesce(?, ai_roles), version = version + 1, updated_at = ?"
	    " WHERE id = ? AND (? = 0 OR version = ?) RETURNING version, slug")) != 0)
		goto done;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, roles);
	db_bind_text(st, 3, now);
	db_bind_int64(st, 4, org_id);
	db_bind_int64(st, 5, if_version);
	db_bind_int64(st, 6, if_version);
	rc = db_step(st);
	if (rc == DB_DONE) {
		rc = if_version ? aims_error_set(AIMS_ESTALE, "version",
		    "the organisation was changed by someone else (expected version %lld)",
		    (long long)if_version) : aims_error_set(AIMS_ENOTFOUND, "org",
		    "no such organisation");
		goto done;
	}
	if (rc != DB_ROW)
		goto done;
	version = db_column_int64(st, 0);
	snprintf(slug, sizeof(slug), "%s", db_column_text(st, 1));
	db_done(st);
	st = NULL;
	rc = org_append(db, actor, org_id, "update", slug, version);
done:
	db_done(st);
	free(roles);
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db)) == 0 && out)
		rc = org_get(out, db, org_id);
	return rc;
}

int
org_record_event(struct db *db, const struct actor *actor, int64_t org_id)
{
	char now[CLOCK_RFC3339_LEN], slug[SLUG_MAX + 1] = "";
	struct db_stmt *st = NULL;
	int64_t version = 0;
	int rc;

	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "UPDATE orgs SET version = version + 1, updated_at = ? "
	    "WHERE id = ? RETURNING version, slug")) != 0)
		return rc;
	db_bind_text(st, 1, now);
	db_bind_int64(st, 2, org_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		version = db_column_int64(st, 0);
		snprintf(slug, sizeof(slug), "%s", db_column_text(st, 1));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "org", "no such organisation");
	db_done(st);
	if (rc != 0)
		return rc;
	return org_append(db, actor, org_id, "update", slug, version);
}

int
org_second_factor_required(bool *out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = false;
	if ((rc = db_prepare(&st, db,
	    "SELECT require_second_factor FROM orgs WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW) {
		*out = db_column_int64(st, 0) != 0;
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "org", "no such organisation");
	db_done(st);
	return rc;
}

int
org_set_second_factor(struct db *db, const struct actor *actor, int64_t org_id, bool require)
{
	char now[CLOCK_RFC3339_LEN], slug[SLUG_MAX + 1] = "";
	struct db_stmt *st = NULL;
	int64_t version = 0;
	int rc;

	if ((rc = db_begin(db)) != 0)
		return rc;
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "UPDATE orgs SET require_second_factor = ?, "
	    "version = version + 1, updated_at = ? WHERE id = ? AND require_second_factor <> ? "
	    "RETURNING version, slug")) != 0)
		goto done;
	db_bind_int64(st, 1, require ? 1 : 0);
	db_bind_text(st, 2, now);
	db_bind_int64(st, 3, org_id);
	db_bind_int64(st, 4, require ? 1 : 0);
	rc = db_step(st);
	if (rc == DB_DONE) {
		rc = 0;		/* already so: nothing to record */
		goto done;
	}
	if (rc != DB_ROW)
		goto done;
	version = db_column_int64(st, 0);
	snprintf(slug, sizeof(slug), "%s", db_column_text(st, 1));
	db_done(st);
	st = NULL;
	rc = org_append(db, actor, org_id, "update", slug, version);
done:
	db_done(st);
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int
org_instance_counts(struct org_instance_counts *out, struct db *db)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_query_int64(&out->orgs, db, "SELECT count(*) FROM orgs")) != 0 ||
	    (rc = db_query_int64(&out->users, db, "SELECT count(*) FROM users")) != 0 ||
	    (rc = db_query_int64(&out->requirements, db,
	    "SELECT count(*) FROM requirements")) != 0)
		return rc;
	return db_query_int64(&out->ledger_entries, db, "SELECT count(*) FROM ledger_entries");
}
