/*
 * audit.c - internal audits (9.2): independence of the auditors, the
 * checklist generated from the scope, the coverage of a programme and the
 * audit report (see audit.h). The kinds themselves are declared in
 * kind_audit_programme.c, kind_audit.c and kind_audit_finding.c.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/audit.h"
#include "core/catalog.h"
#include "core/perm.h"
#include "core/query.h"
#include "core/record_private.h"
#include "core/role.h"
#include "store/db.h"
#include "util/error.h"
#include "util/mem.h"

const char *const audit_conclusion_values[] = {
	"conforming", "major_nc", "minor_nc", "observation", "opportunity", NULL,
};

/* The framework whose clauses and controls audits cover. */
#define AUDIT_FRAMEWORK		"iso42001"

static bool
str_eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static bool
audit_array_has(const json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (str_eq(json_string_value(v), s))
			return true;
	return false;
}

/* The member's id and display name; AIMS_EINVALID naming email when not a member. */
static int
audit_member(int64_t *id, char **name, struct db *db, int64_t org_id, const char *email)
{
	struct db_stmt *st = NULL;
	const char *n;
	int rc;

	*name = NULL;
	if ((rc = db_prepare(&st, db, "SELECT u.id, u.display_name FROM users u JOIN "
	    "memberships m ON m.user_id = u.id WHERE m.org_id = ? AND u.email = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, email);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_column_int64(st, 0);
		n = db_column_text(st, 1);
		*name = xstrdup(n && *n ? n : email);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_EINVALID, "email", "%s is not a member of the "
		    "organisation", email);
	db_done(st);
	return rc;
}

static const char *
audit_kind_singular(const char *kind)
{
	const struct record_kind *k = record_kind_find(kind);

	return k ? k->singular : kind;
}

/*
 * A live record (not an audit record) meeting requirement req that the
 * member owns or wrote a version of. Nonconformities raised from audit
 * findings are written by the auditor who found them: they do not count
 * as the auditor's own work.
 */
static int
audit_conflict_record(char *why, size_t len, struct db *db, int64_t org_id, const char *name,
    int64_t uid, const char *email, const char *req)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT r.kind, r.ref, r.owner = ? COLLATE NOCASE "
	    "FROM record_links l JOIN records r ON r.org_id = l.org_id AND "
	    "r.kind = l.from_kind AND r.ref = l.from_ref "
	    "WHERE l.org_id = ? AND l.to_kind = 'requirement' AND l.to_ref = ? "
	    "AND r.retired = 0 AND r.kind NOT IN ('audit-programmes', 'audits', "
	    "'audit-findings', 'responsibilities') AND (r.owner = ? COLLATE NOCASE OR "
	    "(EXISTS (SELECT 1 FROM record_versions v WHERE v.org_id = r.org_id AND "
	    "v.kind = r.kind AND v.num = r.num AND v.actor_id = ?) AND NOT (r.kind = "
	    "'nonconformities' AND coalesce(json_extract(r.data, '$.source'), '') = "
	    "'audit_finding'))) ORDER BY r.kind, r.num LIMIT 1")) != 0)
		return rc;
	db_bind_text(st, 1, email);
	db_bind_int64(st, 2, org_id);
	db_bind_text(st, 3, req);
	db_bind_text(st, 4, email);
	db_bind_int64(st, 5, uid);
	rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(why, len, "%s cannot audit %s: %s %s %s %s, which is recorded against it",
		    name, req, name, db_column_int64(st, 2) ? "owns" : "wrote",
		    audit_kind_singular(db_column_text(st, 0)), db_column_text(st, 1));
		rc = AIMS_EFORBIDDEN;
	} else if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

/* A responsibilities record assigning req to the member (by e-mail or name). */
static int
audit_conflict_role(char *why, size_t len, struct db *db, int64_t org_id, const char *name,
    const char *email, const char *req)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT r.ref, r.title FROM record_links l JOIN records r "
	    "ON r.org_id = l.org_id AND r.kind = l.from_kind AND r.ref = l.from_ref "
	    "WHERE l.org_id = ? AND l.from_kind = 'responsibilities' AND "
	    "l.to_kind = 'requirement' AND l.to_ref = ? AND r.retired = 0 AND "
	    "trim(coalesce(json_extract(r.data, '$.assignee'), '')) COLLATE NOCASE IN (?, ?) "
	    "ORDER BY r.num LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, req);
	db_bind_text(st, 3, email);
	db_bind_text(st, 4, name);
	rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(why, len, "%s cannot audit %s: %s is responsible for it as %s (%s)",
		    name, req, name, db_column_text(st, 1), db_column_text(st, 0));
		rc = AIMS_EFORBIDDEN;
	} else if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

/* An AI system in scope the member owns or wrote. */
static int
audit_conflict_system(char *why, size_t len, struct db *db, int64_t org_id, const char *name,
    int64_t uid, const char *email, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT r.owner = ? COLLATE NOCASE FROM records r "
	    "WHERE r.org_id = ? AND r.kind = 'ai-systems' AND r.ref = ? AND "
	    "(r.owner = ? COLLATE NOCASE OR EXISTS (SELECT 1 FROM record_versions v WHERE "
	    "v.org_id = r.org_id AND v.kind = r.kind AND v.num = r.num AND "
	    "v.actor_id = ?))")) != 0)
		return rc;
	db_bind_text(st, 1, email);
	db_bind_int64(st, 2, org_id);
	db_bind_text(st, 3, ref);
	db_bind_text(st, 4, email);
	db_bind_int64(st, 5, uid);
	rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(why, len, "%s cannot audit AI system %s: %s %s it", name, ref, name,
		    db_column_int64(st, 0) ? "owns" : "wrote");
		rc = AIMS_EFORBIDDEN;
	} else if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

int
audit_conflict_find(char *why, size_t len, struct db *db, int64_t org_id, const char *email,
    const json_t *requirements, const json_t *ai_systems)
{
	const char *req;
	char *name = NULL;
	int64_t uid = 0;
	size_t i;
	json_t *v;
	int rc;

	*why = '\0';
	if ((rc = audit_member(&uid, &name, db, org_id, email)) != 0) {
		snprintf(why, len, "%s", aims_error_message());
		return rc;
	}
	json_array_foreach(requirements, i, v) {
		if ((req = json_string_value(v)) == NULL)
			continue;
		if ((rc = audit_conflict_record(why, len, db, org_id, name, uid, email,
		    req)) != 0 ||
		    (rc = audit_conflict_role(why, len, db, org_id, name, email, req)) != 0)
			goto done;
	}
	json_array_foreach(ai_systems, i, v)
		if (json_is_string(v) && (rc = audit_conflict_system(why, len, db, org_id, name,
		    uid, email, json_string_value(v))) != 0)
			goto done;
	rc = 0;
done:
	free(name);
	return rc;
}

static bool
audit_row_has_content(const json_t *row)
{
	return !record__is_empty(json_object_get(row, "notes")) ||
	    !record__is_empty(json_object_get(row, "sampled")) ||
	    !record__is_empty(json_object_get(row, "conclusion"));
}

int
audit_checklist_build(json_t **out, const json_t *requirements, const json_t *checklist)
{
	json_t *rows = json_array(), *row, *v, *found;
	const char *req, *r;
	size_t i, j;
	int rc = 0;

	*out = NULL;
	json_array_foreach(checklist, j, row) {
		if ((r = record__str(row, "requirement")) == NULL) {
			rc = aims_error_set(AIMS_EINVALID, "checklist", "checklist row %zu names no "
			    "requirement", j + 1);
			goto fail;
		}
		for (i = 0; i < j; i++)
			if (str_eq(record__str(json_array_get(checklist, i), "requirement"), r)) {
				rc = aims_error_set(AIMS_EINVALID, "checklist", "the checklist "
				    "has two rows for %s", r);
				goto fail;
			}
	}
	json_array_foreach(requirements, i, v) {
		if ((req = json_string_value(v)) == NULL)
			continue;
		found = NULL;
		json_array_foreach(checklist, j, row)
			if (str_eq(record__str(row, "requirement"), req)) {
				found = row;
				break;
			}
		json_array_append_new(rows, found ? json_deep_copy(found) :
		    json_pack("{s:s}", "requirement", req));
	}
	json_array_foreach(checklist, j, row) {
		r = record__str(row, "requirement");
		found = NULL;
		json_array_foreach(requirements, i, v)
			if (str_eq(json_string_value(v), r))
				found = v;
		if (found == NULL && audit_row_has_content(row)) {
			rc = aims_error_set(AIMS_EINVALID, "checklist", "the checklist row of %s "
			    "holds notes, samples or a conclusion, but %s is no longer in the "
			    "audit's scope: clear the row or keep %s in the requirements", r, r, r);
			goto fail;
		}
	}
	*out = rows;
	return 0;
fail:
	json_decref(rows);
	return rc;
}

static int
audit_checklist_save_now(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ref, const char *requirement, const json_t *row)
{
	const struct record_kind *k = record_kind_find("audits");
	json_t *audit = NULL, *list, *patch = NULL, *r, *v;
	const char *key;
	size_t i;
	int rc;

	*out = NULL;
	if (k == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "the audits kind is not declared");
	if (!perm_allows(actor->role, PERM_WRITE, PERM_KIND_AUDIT))
		return aims_error_set(AIMS_EFORBIDDEN, NULL, "your role (%s) may not record audit "
		    "checklists", role_name(actor->role));
	if (!json_is_object(row))
		return aims_error_set(AIMS_EINVALID, NULL, "the checklist row must be given as "
		    "a JSON object");
	json_object_foreach((json_t *)row, key, v)
		if (strcmp(key, "notes") != 0 && strcmp(key, "sampled") != 0 &&
		    strcmp(key, "conclusion") != 0)
			return aims_error_set(AIMS_EINVALID, key, "unknown field '%.64s' for a "
			    "checklist row (fields: notes, sampled, conclusion)", key);
	/* Read and write the checklist in one transaction: two rows saved at once both stay. */
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = record_get(&audit, db, org_id, k, ref)) != 0) {
		db_rollback(db);
		return rc;
	}
	list = json_deep_copy(json_object_get(audit, "checklist"));
	if (!json_is_array(list)) {
		json_decref(list);
		list = json_array();
	}
	r = NULL;
	json_array_foreach(list, i, v)
		if (str_eq(record__str(v, "requirement"), requirement)) {
			r = v;
			break;
		}
	if (r == NULL) {
		rc = aims_error_set(AIMS_ENOTFOUND, "requirement", "%s is not in the scope of "
		    "audit %s", requirement ? requirement : "(none)", ref);
		json_decref(list);
		goto done;
	}
	json_object_foreach((json_t *)row, key, v) {
		if (json_is_null(v) || (json_is_string(v) && *json_string_value(v) == '\0'))
			json_object_del(r, key);
		else
			json_object_set(r, key, v);
	}
	patch = json_pack("{s:o}", "checklist", list);
	rc = record_update(out, db, org_id, actor, k, ref, 0, patch);
done:
	if (rc == 0 && (rc = db_commit(db)) != 0) {
		json_decref(*out);
		*out = NULL;
	}
	if (rc != 0 && db_in_transaction(db))
		db_rollback(db);
	json_decref(patch);
	json_decref(audit);
	return rc;
}

/* Per requirement id: {last_audited, last_audit, planned, planned_audit}. */
struct audit_cov {
	json_t		*by_req;
	const char	*programme;
	const char	*start, *end;
};

static void
audit_cov_note(json_t *by_req, const char *req, const char *date_key, const char *ref_key,
    const char *date, const char *ref, bool latest)
{
	json_t *e = json_object_get(by_req, req);
	const char *cur;

	if (e == NULL || date == NULL)
		return;
	cur = record__str(e, date_key);
	if (cur == NULL || (latest ? strcmp(date, cur) > 0 : strcmp(date, cur) < 0)) {
		json_object_set_new(e, date_key, json_string(date));
		json_object_set_new(e, ref_key, json_string(ref));
	}
}

static int
audit_cov_visit(void *arg, const struct query_record *rec)
{
	struct audit_cov *c = arg;
	const char *status = record__str(rec->data, "status"), *date;
	json_t *v;
	size_t i;
	bool done;

	if (!str_eq(record__str(rec->data, "programme"), c->programme))
		return 0;
	done = str_eq(status, "reported") || str_eq(status, "closed");
	if (done) {
		date = record__str(rec->data, "actual_end");
		if (date == NULL)
			date = record__str(rec->data, "actual_start");
		if (date == NULL)
			date = record__str(rec->data, "planned_start");
	} else
		date = record__str(rec->data, "planned_start");
	json_array_foreach(json_object_get(rec->data, "requirements"), i, v)
		audit_cov_note(c->by_req, json_string_value(v), done ? "last_audited" :
		    "planned", done ? "last_audit" : "planned_audit", date, rec->ref, done);
	return 0;
}

/* Annex A controls the SoA marks not applicable: an object used as a set. */
static int
audit_cov_excluded(void *arg, const struct query_record *rec)
{
	if (json_is_false(json_object_get(rec->data, "applicable")))
		json_object_set_new(arg, rec->ref, json_true());
	return 0;
}

static bool
audit_in_period(const char *date, const char *start, const char *end)
{
	return date != NULL && strcmp(date, start) >= 0 && strcmp(date, end) <= 0;
}

int
audit_programme_coverage(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	const struct record_kind *k = record_kind_find("audit-programmes");
	json_t *prog = NULL, *clauses = NULL, *controls = NULL, *excluded = json_object();
	json_t *rows = json_array(), *missing = json_array(), *e, *v;
	struct audit_cov c = { .by_req = json_object() };
	const char *id;
	size_t i, covered = 0;
	json_t *lists[2];
	int rc, l;

	*out = NULL;
	if (k == NULL) {
		rc = aims_error_set(AIMS_ERROR, NULL, "the audit programmes kind is not declared");
		goto done;
	}
	if ((rc = record_get(&prog, db, org_id, k, ref)) != 0 ||
	    (rc = catalog_list(&clauses, db, AUDIT_FRAMEWORK, "clause")) != 0 ||
	    (rc = catalog_list(&controls, db, AUDIT_FRAMEWORK, "control")) != 0 ||
	    (rc = query_records_each(db, org_id, "soa", audit_cov_excluded, excluded)) != 0)
		goto done;
	lists[0] = clauses;
	lists[1] = controls;
	for (l = 0; l < 2; l++)
		json_array_foreach(lists[l], i, v) {
			id = record__str(v, "id");
			if (id == NULL || json_object_get(excluded, id) != NULL)
				continue;
			e = json_pack("{s:s, s:s?, s:s}", "id", id, "title", record__str(v, "title"),
			    "kind", l == 0 ? "clause" : "control");
			json_object_set_new(c.by_req, id, e);
			json_array_append(rows, e);
		}
	c.programme = record__str(prog, "ref");
	c.start = record__str(prog, "period_start");
	c.end = record__str(prog, "period_end");
	if ((rc = query_records_each(db, org_id, "audits", audit_cov_visit, &c)) != 0)
		goto done;
	json_array_foreach(rows, i, e) {
		bool yes = audit_in_period(record__str(e, "last_audited"), c.start, c.end) ||
		    audit_in_period(record__str(e, "planned"), c.start, c.end);

		json_object_set_new(e, "covered", json_boolean(yes));
		if (yes)
			covered++;
		else
			json_array_append_new(missing, json_string(record__str(e, "id")));
	}
	*out = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:O, s:O, s:I, s:I}", "programme",
	    c.programme, "title", record__str(prog, "title"), "status",
	    record__str(prog, "status"), "period_start", c.start, "period_end", c.end,
	    "requirements", rows, "not_covered", missing, "covered", (json_int_t)covered,
	    "total", (json_int_t)json_array_size(rows));
done:
	json_decref(prog);
	json_decref(clauses);
	json_decref(controls);
	json_decref(excluded);
	json_decref(rows);
	json_decref(missing);
	json_decref(c.by_req);
	return rc;
}

struct audit_findings {
	const char	*audit;
	json_t		*items;
};

static int
audit_findings_visit(void *arg, const struct query_record *rec)
{
	struct audit_findings *f = arg;
	json_t *o;

	if (!str_eq(record__str(rec->data, "audit"), f->audit))
		return 0;
	o = json_deep_copy(rec->data);
	json_object_set_new(o, "ref", json_string(rec->ref));
	json_array_append_new(f->items, o);
	return 0;
}

int
audit_report(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	const struct record_kind *k = record_kind_find("audits");
	struct audit_findings f = { .items = json_array() };
	json_t *audit = NULL, *scope = json_array(), *sample = json_array(), *req = NULL;
	json_t *prog = NULL, *v, *s;
	const char *id, *p;
	size_t i, j;
	int rc;

	*out = NULL;
	if (k == NULL) {
		rc = aims_error_set(AIMS_ERROR, NULL, "the audits kind is not declared");
		goto done;
	}
	if ((rc = record_get(&audit, db, org_id, k, ref)) != 0)
		goto done;
	json_array_foreach(json_object_get(audit, "requirements"), i, v) {
		id = json_string_value(v);
		req = NULL;
		if (catalog_get(&req, db, AUDIT_FRAMEWORK, id) != 0)
			aims_error_clear();
		json_array_append_new(scope, json_pack("{s:s, s:s?}", "id", id, "title",
		    req ? record__str(req, "title") : NULL));
		json_decref(req);
	}
	json_array_foreach(json_object_get(audit, "checklist"), i, v)
		json_array_foreach(json_object_get(v, "sampled"), j, s)
			if (json_is_string(s) && !audit_array_has(sample,
			    json_string_value(s)))
				json_array_append(sample, s);
	if ((p = record__str(audit, "programme")) != NULL &&
	    record_kind_find("audit-programmes") != NULL &&
	    record_get(&prog, db, org_id, record_kind_find("audit-programmes"), p) != 0) {
		aims_error_clear();
		prog = NULL;
	}
	f.audit = record__str(audit, "ref");
	if ((rc = query_records_each(db, org_id, "audit-findings", audit_findings_visit,
	    &f)) != 0)
		goto done;
	*out = json_pack("{s:s, s:s?, s:s?, s:o, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, "
	    "s:O, s:O, s:O, s:O, s:O, s:s?, s:s?}",
	    "audit", f.audit, "title", record__str(audit, "title"),
	    "status", record__str(audit, "status"),
	    "programme", prog ? json_pack("{s:s?, s:s?}", "ref", record__str(prog, "ref"),
	    "title", record__str(prog, "title")) : json_null(),
	    "scope", scope,
	    "ai_systems", json_object_get(audit, "ai_systems") ?: json_null(),
	    "processes", json_object_get(audit, "processes") ?: json_null(),
	    "criteria", json_object_get(audit, "criteria") ?: json_null(),
	    "lead_auditor", json_object_get(audit, "lead_auditor") ?: json_null(),
	    "team", json_object_get(audit, "team") ?: json_null(),
	    "planned_start", json_object_get(audit, "planned_start") ?: json_null(),
	    "planned_end", json_object_get(audit, "planned_end") ?: json_null(),
	    "actual_start", json_object_get(audit, "actual_start") ?: json_null(),
	    "actual_end", json_object_get(audit, "actual_end") ?: json_null(),
	    "checklist", json_object_get(audit, "checklist") ?: json_null(),
	    "sample", sample,
	    "findings", f.items,
	    "conclusion", json_object_get(audit, "conclusion") ?: json_null(),
	    "issued_by", record__str(audit, "report_issued_by"),
	    "issued_at", record__str(audit, "report_issued_at"));
done:
	json_decref(prog);
	json_decref(audit);
	json_decref(scope);
	json_decref(sample);
	json_decref(f.items);
	return rc;
}

static int
audit_mine_visit(void *arg, const struct query_record *rec)
{
	json_t **a = arg;
	const char *email = json_string_value(json_array_get(a[1], 0));
	json_t *o, *v;
	bool mine = record__str(rec->data, "lead_auditor") != NULL &&
	    strcasecmp(record__str(rec->data, "lead_auditor"), email) == 0;
	size_t i;

	json_array_foreach(json_object_get(rec->data, "team"), i, v)
		if (json_is_string(v) && strcasecmp(json_string_value(v), email) == 0)
			mine = true;
	if (!mine)
		return 0;
	o = json_deep_copy(rec->data);
	json_object_set_new(o, "ref", json_string(rec->ref));
	json_array_append_new(a[0], o);
	return 0;
}

static int
audit_mine_cmp(const void *pa, const void *pb)
{
	const json_t *a = *(const json_t *const *)pa, *b = *(const json_t *const *)pb;
	bool ca = str_eq(record__str(a, "status"), "closed");
	bool cb = str_eq(record__str(b, "status"), "closed");
	const char *da = record__str(a, "planned_start");
	const char *dbs = record__str(b, "planned_start");

	if (ca != cb)
		return ca ? 1 : -1;
	return strcmp(da ? da : "9999", dbs ? dbs : "9999");
}

int
audit_list_mine(json_t **out, struct db *db, int64_t org_id, const struct actor *actor)
{
	json_t *a[2], **items;
	char *email = NULL;
	size_t i, n;
	int rc;

	*out = NULL;
	if ((rc = record__actor_email(&email, db, actor)) != 0)
		return rc;
	if (email == NULL) {
		*out = json_array();
		return 0;
	}
	a[0] = json_array();
	a[1] = json_pack("[s]", email);
	free(email);
	if ((rc = query_records_each(db, org_id, "audits", audit_mine_visit, a)) != 0) {
		json_decref(a[0]);
		json_decref(a[1]);
		return rc;
	}
	n = json_array_size(a[0]);
	items = xcalloc(n ? n : 1, sizeof(*items));
	for (i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(a[0], i));
	qsort(items, n, sizeof(*items), audit_mine_cmp);
	*out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(*out, items[i]);
	free(items);
	json_decref(a[0]);
	json_decref(a[1]);
	return 0;
}

/* A checklist row saved from a request goes through the server's writer (db_write_via()). */
struct audit_checklist_change {
	json_t			**out;
	int64_t			 org_id;
	const struct actor	*actor;
	const char		*ref, *requirement;
	const json_t		*row;
};

static int
audit_checklist_apply(struct db *db, void *arg)
{
	const struct audit_checklist_change *a = arg;

	return audit_checklist_save_now(a->out, db, a->org_id, a->actor, a->ref, a->requirement,
	    a->row);
}

int
audit_checklist_save(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ref, const char *requirement, const json_t *row)
{
	struct audit_checklist_change a = { out, org_id, actor, ref, requirement, row };

	return db_write_via(db, org_id, audit_checklist_apply, &a);
}
