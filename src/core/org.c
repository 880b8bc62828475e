/*
 * org.c - organisations (tenants): create, read, list, update. Each change is
 * written with its ledger entry in one transaction (DESIGN.md invariant 1).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/member.h"
#include "core/oidc.h"
#include "core/org.h"
#include "core/record.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"
#include "util/tz.h"

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

/*
 * The derived roles read every AI system of the organisation (5,000 of them
 * take milliseconds), and pages show them at every view: the last answer per
 * organisation is kept while its ledger head is the same (every change
 * appends an entry, whichever process makes it). The head is its size and a
 * hash of its frontier, so another database with as many entries (tests,
 * a store being copied) never shares an answer. Only answers read outside a
 * transaction are kept or used: inside one, the head may count entries that
 * are rolled back.
 */
#define ORG_ROLES_CACHE	64

struct org_roles_cached {
	int64_t		 org_id, ledger_size;
	unsigned char	 head[crypto_generichash_BYTES];
	json_t		*derived;
};

static struct org_roles_cached org_roles_cache[ORG_ROLES_CACHE];
static size_t org_roles_next;
static pthread_mutex_t org_roles_lock = PTHREAD_MUTEX_INITIALIZER;

/* The organisation's ledger head: its size (-1: no entry yet) and a hash of its frontier. */
static int
org_ledger_head(int64_t *size, unsigned char head[crypto_generichash_BYTES], struct db *db,
    int64_t org_id)
{
	struct db_stmt *st = NULL;
	const void *frontier;
	size_t len = 0;
	int rc;

	*size = -1;
	memset(head, 0, crypto_generichash_BYTES);
	if ((rc = db_prepare(&st, db, "SELECT size, frontier FROM ledger_heads "
	    "WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW) {
		*size = db_column_int64(st, 0);
		frontier = db_column_blob(st, 1, &len);
		crypto_generichash(head, crypto_generichash_BYTES, frontier, len, NULL, 0);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

/* A copy of the kept answer for the organisation at this head, or NULL. */
static json_t *
org_roles_cached_get(int64_t org_id, int64_t size, const unsigned char *head)
{
	json_t *out = NULL;
	size_t i;

	pthread_mutex_lock(&org_roles_lock);
	for (i = 0; i < ORG_ROLES_CACHE && out == NULL; i++)
		if (org_roles_cache[i].derived != NULL && org_roles_cache[i].org_id == org_id &&
		    org_roles_cache[i].ledger_size == size &&
		    memcmp(org_roles_cache[i].head, head, crypto_generichash_BYTES) == 0)
			out = json_deep_copy(org_roles_cache[i].derived);
	pthread_mutex_unlock(&org_roles_lock);
	return out;
}

static void
org_roles_cached_put(int64_t org_id, int64_t size, const unsigned char *head,
    const json_t *derived)
{
	struct org_roles_cached *c = NULL;
	size_t i;

	pthread_mutex_lock(&org_roles_lock);
	for (i = 0; i < ORG_ROLES_CACHE && c == NULL; i++)
		if (org_roles_cache[i].derived != NULL && org_roles_cache[i].org_id == org_id)
			c = &org_roles_cache[i];
	if (c == NULL)
		c = &org_roles_cache[org_roles_next++ % ORG_ROLES_CACHE];
	json_decref(c->derived);
	c->org_id = org_id;
	c->ledger_size = size;
	memcpy(c->head, head, crypto_generichash_BYTES);
	c->derived = json_deep_copy(derived);
	pthread_mutex_unlock(&org_roles_lock);
}

/* The roles held for in-scope AI systems still in use (their org_role). */
static int
org_ai_roles_derive_read(json_t *out, struct db *db, int64_t org_id)
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

static int
org_ai_roles_derive(json_t *out, struct db *db, int64_t org_id)
{
	unsigned char head[crypto_generichash_BYTES];
	bool keep = !db_in_transaction(db);
	int64_t size = -1;
	json_t *kept, *v;
	size_t i;
	int rc;

	if (keep && (rc = org_ledger_head(&size, head, db, org_id)) != 0)
		return rc;
	if (keep && size >= 0 && (kept = org_roles_cached_get(org_id, size, head)) != NULL) {
		json_array_foreach(kept, i, v)
			json_array_append(out, v);
		json_decref(kept);
		return 0;
	}
	if ((rc = org_ai_roles_derive_read(out, db, org_id)) != 0)
		return rc;
	if (keep && size >= 0)
		org_roles_cached_put(org_id, size, head, out);
	return 0;
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

/*
 * Prepares sql, a read of one organisation whose only parameter is its id,
 * and steps to its row: 0 with *st on the row (the caller finishes it), or
 * an error with *st finished (AIMS_ENOTFOUND: no such organisation).
 */
static int
org_select(struct db_stmt **st, struct db *db, const char *sql, int64_t org_id)
{
	int rc;

	*st = NULL;
	if ((rc = db_prepare(st, db, sql)) != 0)
		return rc;
	db_bind_int64(*st, 1, org_id);
	if ((rc = db_step(*st)) == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "org", "no such organisation");
	db_done(*st);
	*st = NULL;
	return rc;
}

int
org_ledger_state(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	json_t *roles, *opts = NULL;
	json_error_t jerr;
	int rc;

	*out = NULL;
	if ((rc = org_select(&st, db, "SELECT slug, name, ai_roles, require_second_factor, "
	    "timezone, readiness_options FROM orgs WHERE id = ?", org_id)) != 0)
		return rc;
	roles = json_loads(db_column_text(st, 2), 0, &jerr);
	*out = json_pack("{s:s, s:s, s:o}", "slug", db_column_text(st, 0),
	    "name", db_column_text(st, 1), "ai_roles", roles ? roles : json_array());
	/* Only when on: organisations that never used it commit to what they always did. */
	if (db_column_int64(st, 3) != 0)
		json_object_set_new(*out, "require_second_factor", json_true());
	/* The same for the time zone and the readiness options (085). */
	if (*db_column_text(st, 4) != '\0')
		json_object_set_new(*out, "timezone", json_string(db_column_text(st, 4)));
	if ((opts = json_loads(db_column_text(st, 5), 0, &jerr)) != NULL &&
	    json_object_size(opts) > 0)
		json_object_set(*out, "readiness", opts);
	json_decref(opts);
	db_done(st);
	/* Likewise the single sign-on provider, when there is one. */
	if ((rc = oidc_ledger_state(*out, db, org_id)) != 0) {
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

/* ---- readiness options ---- */

void
org_readiness_default(struct org_readiness *r)
{
	memset(r, 0, sizeof(*r));
	r->metric_window_days = ORG_METRIC_WINDOW_DEFAULT;
}

json_t *
org_readiness_json(const struct org_readiness *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "target_stage", r->target_stage != 0 ?
	    json_integer(r->target_stage) : json_null());
	json_object_set_new(o, "audit_date", *r->audit_date != '\0' ?
	    json_string(r->audit_date) : json_null());
	json_object_set_new(o, "evidence_max_age_days", r->evidence_max_age_days != 0 ?
	    json_integer(r->evidence_max_age_days) : json_null());
	json_object_set_new(o, "metric_window_days", json_integer(r->metric_window_days));
	json_object_set_new(o, "manual_as_gaps", json_boolean(r->manual_as_gaps));
	return o;
}

/* What is stored (and ledgered): the options that differ from their defaults. */
static json_t *
org_readiness_changed(const struct org_readiness *r)
{
	json_t *o = json_object();

	if (r->target_stage != 0)
		json_object_set_new(o, "target_stage", json_integer(r->target_stage));
	if (*r->audit_date != '\0')
		json_object_set_new(o, "audit_date", json_string(r->audit_date));
	if (r->evidence_max_age_days != 0)
		json_object_set_new(o, "evidence_max_age_days",
		    json_integer(r->evidence_max_age_days));
	if (r->metric_window_days != ORG_METRIC_WINDOW_DEFAULT)
		json_object_set_new(o, "metric_window_days", json_integer(r->metric_window_days));
	if (r->manual_as_gaps)
		json_object_set_new(o, "manual_as_gaps", json_true());
	return o;
}

static int
org_readiness_int(int *out, const json_t *v, const char *key, int min, int max)
{
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return aims_error_set(AIMS_EINVALID, key, "field '%s': a whole number of days "
		    "from %d to %d, or null for none", key, min, max);
	*out = (int)json_integer_value(v);
	return 0;
}

static int
org_readiness_date(char out[ORG_DATE_LEN], const json_t *v, const char *today)
{
	const char *s = json_string_value(v);
	time_t t, now;

	if (s == NULL || strlen(s) != 10 || clock_parse(&t, s) != 0)
		return aims_error_set(AIMS_EINVALID, "readiness.audit_date", "field "
		    "'readiness.audit_date': the audit's first day as a date (YYYY-MM-DD), "
		    "or null for none");
	if (today != NULL && clock_parse(&now, today) == 0) {
		if (strcmp(s, today) < 0)
			return aims_error_set(AIMS_EINVALID, "readiness.audit_date", "field "
			    "'readiness.audit_date': %s is in the past (today is %s)", s, today);
		if (t - now > (time_t)ORG_AUDIT_AHEAD_MAX_DAYS * 86400)
			return aims_error_set(AIMS_EINVALID, "readiness.audit_date", "field "
			    "'readiness.audit_date': %s is more than three years away", s);
	}
	snprintf(out, ORG_DATE_LEN, "%s", s);
	return 0;
}

static int
org_readiness_key(struct org_readiness *r, const char *key, const json_t *v, const char *today)
{
	struct org_readiness d;

	org_readiness_default(&d);
	if (strcmp(key, "target_stage") == 0) {
		if (json_is_null(v))
			r->target_stage = 0;
		else if (!json_is_integer(v) || (json_integer_value(v) != 1 &&
		    json_integer_value(v) != 2))
			return aims_error_set(AIMS_EINVALID, "readiness.target_stage", "field "
			    "'readiness.target_stage': 1 (Stage 1, the documentation), 2 (Stage 2, "
			    "the AIMS operating) or null for none");
		else
			r->target_stage = (int)json_integer_value(v);
		return 0;
	}
	if (strcmp(key, "audit_date") == 0) {
		if (json_is_null(v)) {
			*r->audit_date = '\0';
			return 0;
		}
		/* The date already set stays acceptable once past: saving the form again works. */
		if (json_is_string(v) && strcmp(json_string_value(v), r->audit_date) == 0)
			return 0;
		return org_readiness_date(r->audit_date, v, today);
	}
	if (strcmp(key, "evidence_max_age_days") == 0) {
		if (json_is_null(v)) {
			r->evidence_max_age_days = 0;
			return 0;
		}
		return org_readiness_int(&r->evidence_max_age_days, v,
		    "readiness.evidence_max_age_days", ORG_EVIDENCE_AGE_MIN, ORG_EVIDENCE_AGE_MAX);
	}
	if (strcmp(key, "metric_window_days") == 0) {
		if (json_is_null(v)) {
			r->metric_window_days = d.metric_window_days;
			return 0;
		}
		return org_readiness_int(&r->metric_window_days, v,
		    "readiness.metric_window_days", ORG_METRIC_WINDOW_MIN, ORG_METRIC_WINDOW_MAX);
	}
	if (strcmp(key, "manual_as_gaps") == 0) {
		if (json_is_null(v))
			r->manual_as_gaps = d.manual_as_gaps;
		else if (!json_is_boolean(v))
			return aims_error_set(AIMS_EINVALID, "readiness.manual_as_gaps", "field "
			    "'readiness.manual_as_gaps': true or false");
		else
			r->manual_as_gaps = json_is_true(v);
		return 0;
	}
	return aims_error_set(AIMS_EINVALID, "readiness", "field 'readiness': unknown option "
	    "'%.40s' (target_stage, audit_date, evidence_max_age_days, metric_window_days, "
	    "manual_as_gaps)", key);
}

int
org_readiness_apply(struct org_readiness *r, const json_t *in, const char *today)
{
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(in))
		return aims_error_set(AIMS_EINVALID, "readiness", "field 'readiness': an object "
		    "of options (target_stage, audit_date, evidence_max_age_days, "
		    "metric_window_days, manual_as_gaps)");
	json_object_foreach((json_t *)in, key, v)
		if ((rc = org_readiness_key(r, key, v, today)) != 0)
			return rc;
	return 0;
}

/* The stored options; what does not read (it was checked when written) stays default. */
static void
org_readiness_stored(struct org_readiness *r, const char *text)
{
	json_t *o = text != NULL ? json_loads(text, 0, NULL) : NULL;
	const char *key;
	json_t *v;

	org_readiness_default(r);
	json_object_foreach(o, key, v)
		if (org_readiness_key(r, key, v, NULL) != 0)
			aims_error_clear();
	json_decref(o);
}

int
org_readiness_get(struct org_readiness *out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	org_readiness_default(out);
	if ((rc = org_select(&st, db, "SELECT readiness_options FROM orgs WHERE id = ?",
	    org_id)) != 0)
		return rc;
	org_readiness_stored(out, db_column_text(st, 0));
	db_done(st);
	return 0;
}

#define ORG_COLUMNS	"slug, name, ai_roles, version, created_at, updated_at, timezone, " \
			"readiness_options"

static json_t *
org_row_json(struct db_stmt *st)
{
	json_error_t jerr;
	json_t *roles = json_loads(db_column_text(st, 2), 0, &jerr);
	const char *tz = db_column_text(st, 6);
	struct org_readiness r;

	org_readiness_stored(&r, db_column_text(st, 7));
	return json_pack("{s:s, s:s, s:o, s:s, s:o, s:I, s:s, s:s}",
	    "slug", db_column_text(st, 0), "name", db_column_text(st, 1),
	    "ai_roles", roles ? roles : json_array(), "timezone", *tz != '\0' ? tz : "UTC",
	    "readiness", org_readiness_json(&r), "version", (json_int_t)db_column_int64(st, 3),
	    "created_at", db_column_text(st, 4), "updated_at", db_column_text(st, 5));
}

int
org_get(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = org_select(&st, db, "SELECT " ORG_COLUMNS " FROM orgs WHERE id = ?",
	    org_id)) != 0)
		return rc;
	*out = org_row_json(st);
	db_done(st);
	return 0;
}

int
org_timezone(char *out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	snprintf(out, ORG_TIMEZONE_MAX, "UTC");
	if ((rc = org_select(&st, db, "SELECT timezone FROM orgs WHERE id = ?", org_id)) != 0)
		return rc;
	if (*db_column_text(st, 0) != '\0')
		snprintf(out, ORG_TIMEZONE_MAX, "%s", db_column_text(st, 0));
	db_done(st);
	return 0;
}

int
org_list(json_t **out, struct db *db)
{
	struct db_stmt *st = NULL;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT " ORG_COLUMNS " FROM orgs ORDER BY slug")) != 0)
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

/*
 * Ledgers an update whose statement *st is on its "RETURNING version, slug"
 * row. *st is finished first: the ledger state is read with another.
 */
static int
org_append_update(struct db *db, const struct actor *actor, int64_t org_id,
    struct db_stmt **st)
{
	char slug[SLUG_MAX + 1];
	int64_t version = db_column_int64(*st, 0);

	snprintf(slug, sizeof(slug), "%s", db_column_text(*st, 1));
	db_done(*st);
	*st = NULL;
	return org_append(db, actor, org_id, "update", slug, version);
}

/*
 * Ends an update's transaction: rolled back when rc is an error, else
 * committed and, when out is given, the organisation read back into it.
 */
static int
org_update_end(json_t **out, struct db *db, int64_t org_id, int rc)
{
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db)) == 0 && out)
		rc = org_get(out, db, org_id);
	return rc;
}

int
org_update(json_t **out, struct db *db, const struct actor *actor, int64_t org_id,
    int64_t if_version, const char *name, const json_t *ai_roles)
{
	char now[CLOCK_RFC3339_LEN], *roles = NULL;
	struct db_stmt *st = NULL;
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
	rc = org_append_update(db, actor, org_id, &st);
done:
	db_done(st);
	free(roles);
	return org_update_end(out, db, org_id, rc);
}

static int
org_version(int64_t *out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = org_select(&st, db, "SELECT version FROM orgs WHERE id = ?", org_id)) != 0)
		return rc;
	*out = db_column_int64(st, 0);
	db_done(st);
	return 0;
}

int
org_update_settings(json_t **out, struct db *db, const struct actor *actor, int64_t org_id,
    int64_t if_version, const char *timezone, const json_t *readiness)
{
	char now[CLOCK_RFC3339_LEN], today[ORG_DATE_LEN];
	char zone[ORG_TIMEZONE_MAX] = "";
	struct org_readiness r;
	const struct tz *tz;
	struct db_stmt *st = NULL;
	json_t *stored = NULL;
	char *opts = NULL;
	int64_t version = 0;
	int rc;

	if (out)
		*out = NULL;
	if (timezone != NULL && *timezone != '\0' && strcmp(timezone, "UTC") != 0) {
		if ((rc = tz_load(&tz, timezone)) != 0)
			return rc;
		snprintf(zone, sizeof(zone), "%s", timezone);
	}
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = org_readiness_get(&r, db, org_id)) != 0)
		goto done;
	clock_format(now, clock_now());
	snprintf(today, sizeof(today), "%.10s", now);
	if (readiness != NULL && (rc = org_readiness_apply(&r, readiness, today)) != 0)
		goto done;
	stored = org_readiness_changed(&r);
	opts = json_dumps(stored, JSON_COMPACT | JSON_SORT_KEYS);
	/* Only a real change is written: a form saved as it was adds no ledger entry. */
	if ((rc = db_prepare(&st, db, "UPDATE orgs SET timezone = coalesce(?, timezone), "
	    "readiness_options = coalesce(?, readiness_options), version = version + 1, "
	    "updated_at = ? WHERE id = ? AND (? = 0 OR version = ?) "
	    "AND (timezone <> coalesce(?, timezone) OR readiness_options <> coalesce(?, "
	    "readiness_options)) RETURNING version, slug")) != 0)
		goto done;
	db_bind_text(st, 1, timezone != NULL ? zone : NULL);
	db_bind_text(st, 2, readiness != NULL ? opts : NULL);
	db_bind_text(st, 3, now);
	db_bind_int64(st, 4, org_id);
	db_bind_int64(st, 5, if_version);
	db_bind_int64(st, 6, if_version);
	db_bind_text(st, 7, timezone != NULL ? zone : NULL);
	db_bind_text(st, 8, readiness != NULL ? opts : NULL);
	rc = db_step(st);
	if (rc == DB_DONE) {
		db_done(st);
		st = NULL;
		/* Nothing changed; unless the version was stale or there is no such org. */
		if ((rc = org_version(&version, db, org_id)) == 0 && if_version != 0 &&
		    version != if_version)
			rc = aims_error_set(AIMS_ESTALE, "version", "the organisation was changed by "
			    "someone else (expected version %lld)", (long long)if_version);
		goto done;
	}
	if (rc != DB_ROW)
		goto done;
	rc = org_append_update(db, actor, org_id, &st);
done:
	db_done(st);
	json_decref(stored);
	free(opts);
	return org_update_end(out, db, org_id, rc);
}

int
org_record_event(struct db *db, const struct actor *actor, int64_t org_id)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	int rc;

	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "UPDATE orgs SET version = version + 1, updated_at = ? "
	    "WHERE id = ? RETURNING version, slug")) != 0)
		return rc;
	db_bind_text(st, 1, now);
	db_bind_int64(st, 2, org_id);
	if ((rc = db_step(st)) == DB_ROW)
		return org_append_update(db, actor, org_id, &st);
	if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "org", "no such organisation");
	db_done(st);
	return rc;
}

int
org_second_factor_required(bool *out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = false;
	if ((rc = org_select(&st, db, "SELECT require_second_factor FROM orgs WHERE id = ?",
	    org_id)) != 0)
		return rc;
	*out = db_column_int64(st, 0) != 0;
	db_done(st);
	return 0;
}

int
org_set_second_factor(struct db *db, const struct actor *actor, int64_t org_id, bool require)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
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
	rc = org_append_update(db, actor, org_id, &st);
done:
	db_done(st);
	return org_update_end(NULL, db, org_id, rc);
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
