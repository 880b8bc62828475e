/*
 * record_verify.c - the history side of the record source `aims verify`
 * uses (ledger_history_source in ledger.h): every stored version of a
 * record in the form it was ledgered, every stored version listed, and the
 * checks of what is derived from records rather than committed to by an
 * entry of its own: the title, status and owner columns of records and
 * versions, the live counts, the dashboard's counts, and evidence file
 * revisions (each must equal the evidence version that recorded it, which
 * its entry commits to), the records' stored views (what reads and lists
 * answer), and the filter, link and search indexes (record_fields,
 * record_links, records_fts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metric.h"
#include "core/record.h"
#include "core/record_counts.h"
#include "core/record_private.h"
#include "core/work.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#define VERIFY_EVIDENCE_KIND	"evidence"
#define VERIFY_FILE_ACTION	"file"	/* the version evidence_file_add() writes */
#define VERIFY_SHOWN_MAX	80	/* bytes of a column value quoted in a finding */

int
record_load_version_for_ledger(json_t **out, char *action, struct db *db, int64_t org_id,
    const char *kind, const char *ref, int64_t version)
{
	const struct record_kind *k = record_kind_find(kind);
	struct record_row cur;
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if (k == NULL)
		return aims_error_set(AIMS_EUNSUPPORTED, NULL, "%s keeps no versions", kind);
	/*
	 * One statement, and the record's own data is not parsed: a version
	 * needs only the record's reference and creation (verify reads every
	 * version of every record, so this is its inner loop).
	 */
	if ((rc = db_prepare(&st, db, "SELECT v.version, v.action, v.status, v.at, v.actor, "
	    "v.data, v.retired, v.in_force, r.created_at, r.created_by FROM records r "
	    "JOIN record_versions v ON v.org_id = r.org_id AND v.kind = r.kind AND v.num = r.num "
	    "WHERE r.org_id = ? AND r.kind = ? AND r.ref = ? AND v.version = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	db_bind_text(st, 3, ref);
	db_bind_int64(st, 4, version);
	if ((rc = db_step(st)) == DB_ROW) {
		memset(&cur, 0, sizeof(cur));
		cur.ref = (char *)ref;
		cur.created_at = (char *)db_column_text(st, 8);
		cur.created_by = (char *)db_column_text(st, 9);
		snprintf(action, LEDGER_FIELD_MAX + 1, "%s", db_column_text(st, 1));
		/* Stored data that is not JSON cannot match any commitment: give {}. */
		if ((*out = record__version_json(k, &cur, st)) == NULL)
			*out = json_object();
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "version", "%s %s has no version %lld",
		    k->singular, ref, (long long)version);
	db_done(st);
	return rc;
}

int
record_enumerate_versions(struct db *db, int64_t org_id, record_version_fn fn, void *arg)
{
	struct db_stmt *st = NULL;
	char orphan[64];
	const char *ref;
	int rc;

	/* A version whose record row is gone is named by its number. */
	if ((rc = db_prepare(&st, db, "SELECT v.kind, r.ref, v.num, v.version "
	    "FROM record_versions v LEFT JOIN records r ON r.org_id = v.org_id "
	    "AND r.kind = v.kind AND r.num = v.num WHERE v.org_id = ? "
	    "ORDER BY v.kind, v.num, v.version")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if ((ref = db_column_text(st, 1)) == NULL) {
			snprintf(orphan, sizeof(orphan), "number %lld",
			    (long long)db_column_int64(st, 2));
			ref = orphan;
		}
		if ((rc = fn(arg, db_column_text(st, 0), ref, db_column_int64(st, 3))) != 0)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : rc == DB_DONE ? 0 : rc;
}

/* The SQL expression a column should hold for kind k: what record__row_columns() computes. */
static void
verify_column_expr(struct buf *b, const struct record_kind *k, const char *column)
{
	const struct field *f;
	const char *col;

	for (f = k->fields; f->name; f++)
		if ((col = record__field_column(k, f)) != NULL && strcmp(col, column) == 0)
			break;
	if (f->name == NULL) {
		buf_puts(b, strcmp(column, "title") == 0 ? "ref" : "''");
		return;
	}
	/* Field names are identifiers declared in the kind, never input. */
	buf_printf(b, "CASE json_type(data, '$.%s') WHEN 'text' THEN json_extract(data, '$.%s') "
	    "ELSE %s END", f->name, f->name, strcmp(column, "title") == 0 ? "ref" : "''");
}

static int
verify_column_finding(struct db_stmt *st, const struct record_kind *k, const char *column,
    int versions)
{
	if (versions)
		return aims_error_set(AIMS_EVERIFY, NULL, "record %s (%s) version %lld: column "
		    "%s is '%.*s' but the version's data says '%.*s'", db_column_text(st, 0),
		    k->name, (long long)db_column_int64(st, 1), column, VERIFY_SHOWN_MAX,
		    db_column_text(st, 2), VERIFY_SHOWN_MAX, db_column_text(st, 3));
	return aims_error_set(AIMS_EVERIFY, NULL, "record %s (%s): column %s is '%.*s' but the "
	    "record's data says '%.*s'", db_column_text(st, 0), k->name, column,
	    VERIFY_SHOWN_MAX, db_column_text(st, 2), VERIFY_SHOWN_MAX, db_column_text(st, 3));
}

/*
 * The columns lists, filters and pages read instead of the record's data
 * (records: title, status, owner; versions: status) must say what the data
 * says: one query per kind and column, evaluated by SQLite's JSON functions.
 */
static int
verify_columns(struct db *db, int64_t org_id, const struct record_kind *k, const char *column,
    int versions)
{
	struct db_stmt *st = NULL;
	struct buf sql = BUF_INIT, expr = BUF_INIT;
	int rc;

	verify_column_expr(&expr, k, column);
	if (versions)
		buf_printf(&sql, "SELECT r.ref, v.version, v.%s, e FROM (SELECT org_id, kind, num, "
		    "version, %s, %s AS e FROM record_versions WHERE org_id = ? AND kind = ?) v "
		    "JOIN records r ON r.org_id = v.org_id AND r.kind = v.kind AND r.num = v.num "
		    "WHERE v.%s IS NOT e LIMIT 1", column, column, buf_str(&expr), column);
	else
		buf_printf(&sql, "SELECT ref, 0, %s, e FROM (SELECT ref, %s, %s AS e FROM records "
		    "WHERE org_id = ? AND kind = ?) x WHERE %s IS NOT e LIMIT 1", column, column,
		    buf_str(&expr), column);
	if ((rc = db_prepare(&st, db, buf_str(&sql))) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	if ((rc = db_step(st)) == DB_ROW)
		rc = verify_column_finding(st, k, column, versions);
	else
		rc = rc < 0 ? rc : 0;
done:
	db_done(st);
	buf_free(&sql);
	buf_free(&expr);
	return rc;
}

/*
 * Sign-off compares people by the user id kept beside the actor's name
 * (records.created_by_id, record_versions.actor_id), which the ledger does
 * not commit to: each must be the id the committed name stands for, so that
 * nobody becomes "someone else" by editing a number. "user:EMAIL" is that
 * user; "token:NAME" a creator of a token of that name in the organisation
 * (0 for a token made with the command line); any other actor is no person.
 */
#define VERIFY_PERSON_OK(name, id) \
	"CASE WHEN " name " LIKE 'user:%' THEN " id " = coalesce((SELECT u.id FROM users u " \
	"WHERE 'user:' || u.email = " name " COLLATE NOCASE), -1) " \
	"WHEN " name " LIKE 'token:%' THEN " id " IN (SELECT coalesce(t.created_by, 0) " \
	"FROM api_tokens t WHERE t.org_id = ?1 AND 'token:' || t.name = " name ") " \
	"ELSE " id " = 0 END"

static int
verify_people(struct db *db, int64_t org_id)
{
	static const char *const sql[] = {
		/* Qualified: api_tokens has a created_by column of its own. */
		"SELECT r.kind, r.ref, 0, r.created_by, r.created_by_id FROM records r "
		"WHERE r.org_id = ?1 AND NOT (" VERIFY_PERSON_OK("r.created_by", "r.created_by_id")
		") LIMIT 1",
		"SELECT r.kind, r.ref, v.version, v.actor, v.actor_id FROM record_versions v "
		"JOIN records r ON r.org_id = v.org_id AND r.kind = v.kind AND r.num = v.num "
		"WHERE v.org_id = ?1 AND NOT (" VERIFY_PERSON_OK("v.actor", "v.actor_id") ") "
		"LIMIT 1",
	};
	struct db_stmt *st = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < sizeof(sql) / sizeof(sql[0]); i++) {
		if ((rc = db_prepare(&st, db, sql[i])) != 0)
			break;
		db_bind_int64(st, 1, org_id);
		if ((rc = db_step(st)) == DB_ROW)
			rc = aims_error_set(AIMS_EVERIFY, NULL, "record %s (%s)%s%.0lld: the user id "
			    "kept for %.*s is %lld, which is not who that name is", db_column_text(st, 1),
			    db_column_text(st, 0), i ? " version " : "",
			    (long long)db_column_int64(st, 2), VERIFY_SHOWN_MAX, db_column_text(st, 3),
			    (long long)db_column_int64(st, 4));
		else
			rc = rc < 0 ? rc : 0;
		db_done(st);
	}
	return rc;
}

/*
 * A concern's report key opens that concern to whoever holds it: each
 * concern sent through the public form has its key (made when it was sent;
 * one recorded by a member from a call or a letter has none), and no key
 * points at a concern that is not there. The key itself is a hash the ledger does
 * not hold; its row is append-only (053).
 */
static int
verify_concern_keys(struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT r.ref, 'sent through the public form has no report key' FROM records r "
	    "WHERE r.org_id = ?1 AND r.kind = 'concerns' AND "
	    "json_extract(r.data, '$.channel') = 'public_form' AND NOT EXISTS (SELECT 1 FROM "
	    "concern_keys k WHERE k.org_id = r.org_id AND k.ref = r.ref) "
	    "UNION ALL SELECT k.ref, 'has a report key but no record' FROM concern_keys k "
	    "WHERE k.org_id = ?1 AND NOT EXISTS (SELECT 1 FROM records r WHERE "
	    "r.org_id = k.org_id AND r.kind = 'concerns' AND r.ref = k.ref) LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW)
		rc = aims_error_set(AIMS_EVERIFY, NULL, "concern %s %s", db_column_text(st, 0),
		    db_column_text(st, 1));
	else
		rc = rc < 0 ? rc : 0;
	db_done(st);
	return rc;
}

/* record_counts must count the live records, or list totals lie. */
static int
verify_counts(struct db *db, int64_t org_id, const struct record_kind *k)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT (SELECT count(*) FROM records WHERE org_id = ?1 "
	    "AND kind = ?2 AND retired = 0), (SELECT coalesce(sum(live), 0) FROM record_counts "
	    "WHERE org_id = ?1 AND kind = ?2)")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, k->name);
	if ((rc = db_step(st)) == DB_ROW && db_column_int64(st, 0) != db_column_int64(st, 1))
		rc = aims_error_set(AIMS_EVERIFY, NULL, "record_counts says %lld live %s, but there "
		    "are %lld", (long long)db_column_int64(st, 1), k->plural,
		    (long long)db_column_int64(st, 0));
	else
		rc = rc < 0 ? rc : 0;
	db_done(st);
	return rc;
}

#define VERIFY_KEY_PARTS	6	/* columns of a record_fields key */

/* Splits a key of record__fields_key() or record__links_key() at its tabs (in place). */
static size_t
verify_key_split(char *key, const char *part[VERIFY_KEY_PARTS])
{
	char *save = NULL, *p;
	size_t n = 0;

	for (p = strtok_r(key, "\t", &save); p && n < VERIFY_KEY_PARTS;
	    p = strtok_r(NULL, "\t", &save))
		part[n++] = p;
	while (n < VERIFY_KEY_PARTS)
		part[n++] = "";
	return n;
}

/*
 * A finding about an index row of record (kind, num): "record RISK-1
 * (risks): <what>". The reference is looked up, as the index holds numbers.
 */
static int
verify_index_finding(struct db *db, int64_t org_id, const char *kind, const char *num,
    const char *what)
{
	struct db_stmt *st = NULL;
	char ref[RECORD_REF_MAX + 1];

	snprintf(ref, sizeof(ref), "number %s", num);
	if (db_prepare(&st, db, "SELECT ref FROM records WHERE org_id = ? AND kind = ? "
	    "AND num = ?") == 0) {
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, kind);
		db_bind_int64(st, 3, strtoll(num, NULL, 10));
		if (db_step(st) == DB_ROW)
			snprintf(ref, sizeof(ref), "%s", db_column_text(st, 0));
		db_done(st);
	}
	return aims_error_set(AIMS_EVERIFY, NULL, "record %s (%s): %s", ref, kind, what);
}

/* A record_fields key as a finding: extra (stored, not given) or missing. */
static int
verify_fields_finding(struct db *db, int64_t org_id, const char *key, int extra)
{
	const char *part[VERIFY_KEY_PARTS];
	char *copy = xstrdup(key), what[VERIFY_SHOWN_MAX * 3];
	int rc;

	verify_key_split(copy, part);
	snprintf(what, sizeof(what), "record_fields %s field %s = '%.*s' (%s, updated %s)",
	    extra ? "has a row the record does not give:" : "lacks the row the record gives:",
	    part[1], VERIFY_SHOWN_MAX, strchr(part[3], ':') ? strchr(part[3], ':') + 1 : part[3],
	    strcmp(part[2], "1") == 0 ? "live" : "retired", part[4]);
	rc = verify_index_finding(db, org_id, part[0], part[5], what);
	free(copy);
	return rc;
}

/* A record_links key as a finding: extra (stored, not given) or missing. */
static int
verify_links_finding(const char *key, int extra)
{
	const char *part[VERIFY_KEY_PARTS];
	char *copy = xstrdup(key);
	int rc;

	verify_key_split(copy, part);
	rc = aims_error_set(AIMS_EVERIFY, NULL, "record %s (%s): record_links %s field %s -> "
	    "%.*s (%s)", part[1], part[0], extra ? "has a link the record does not give:" :
	    "lacks the link the record gives:", part[2], VERIFY_SHOWN_MAX, part[4], part[3]);
	free(copy);
	return rc;
}

/*
 * Is the record listed to have its words written again (migration 126)? Its
 * index may then hold the words as they were split before, until the server
 * starts; any other words are still a finding.
 */
static bool
verify_search_pending(struct db *db, int64_t id)
{
	struct db_stmt *st;
	bool pending;

	if (db_prepare(&st, db, "SELECT 1 FROM search_reindex WHERE record_id = ?") != 0)
		return false;
	db_bind_int64(st, 1, id);
	pending = db_step(st) == DB_ROW;
	db_done(st);
	return pending;
}

/* The search index must hold the words the record gives, in its scope. */
static int
verify_search_text(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, struct buf *want)
{
	struct db_stmt *st = NULL;
	char shown[VERIFY_SHOWN_MAX + 1];
	const char *have;
	bool legacy;
	int rc;

	buf_reset(want);
	record__search_text(want, org_id, k, r, false);
	if ((rc = db_prepare(&st, db, "SELECT body FROM records_fts WHERE rowid = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, r->id);
	if ((rc = db_step(st)) == DB_ROW) {
		have = db_column_text(st, 0);
		if (have != NULL && strcmp(have, buf_str(want)) == 0) {
			db_done(st);
			return 0;
		}
		/* Listed to be rewritten: the words as split before, and only those. */
		buf_reset(want);
		record__search_text(want, org_id, k, r, true);
		legacy = have != NULL && strcmp(have, buf_str(want)) == 0;
		snprintf(shown, sizeof(shown), "%.*s", VERIFY_SHOWN_MAX, have ? have : "");
		db_done(st);
		return legacy && verify_search_pending(db, r->id) ? 0 :
		    aims_error_set(AIMS_EVERIFY, NULL, "record %s (%s): records_fts holds other "
		    "words than the record gives ('%s')", r->ref, k->name, shown);
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_EVERIFY, NULL, "record %s (%s): records_fts has no words "
		    "for it: searches do not find it", r->ref, k->name);
	db_done(st);
	return rc;
}

/*
 * The stored view reads and lists answer without parsing must be the record
 * as its data gives it (a view of an older shape is never served: skipped).
 */
static int
verify_view(struct db_stmt *st, const struct record_kind *k, const struct record_row *r)
{
	const char *have = db_column_text(st, RECORD_VIEW_COL);
	char *want;
	int rc = 0;

	if (have == NULL || db_column_int64(st, RECORD_VIEW_COL + 1) != record__view_shape(k))
		return 0;
	want = record__view_text(k, r);
	if (strcmp(have, want) != 0)
		rc = aims_error_set(AIMS_EVERIFY, NULL, "record %s (%s): its stored view (what "
		    "reads and lists answer) is not the record: '%.*s'", r->ref, k->name,
		    VERIFY_SHOWN_MAX, have);
	free(want);
	return rc;
}

/*
 * Search words in the org's scopes whose row is none of its records: a
 * search would count them (counts are read from the index alone).
 */
static int
verify_search_orphans(struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	char match[RECORD_SCOPE_MAX];
	int rc;

	snprintf(match, sizeof(match), "s%lld_*", (long long)org_id);
	if ((rc = db_prepare(&st, db, "SELECT rowid, substr(body, 1, 80) FROM records_fts "
	    "WHERE records_fts MATCH ? AND rowid NOT IN (SELECT id FROM records "
	    "WHERE org_id = ?) LIMIT 1")) != 0)
		return rc;
	db_bind_text(st, 1, match);
	db_bind_int64(st, 2, org_id);
	if ((rc = db_step(st)) == DB_ROW)
		rc = aims_error_set(AIMS_EVERIFY, NULL, "records_fts row %lld ('%s') belongs to "
		    "none of the organisation's records", (long long)db_column_int64(st, 0),
		    db_column_text(st, 1));
	else
		rc = rc < 0 ? rc : 0;
	db_done(st);
	return rc;
}

/*
 * The filter, sort and link indexes lists and readiness read instead of the
 * records' data (record_fields, record_links) must hold exactly the rows
 * the records give: each record's rows are collected as the writer would
 * write them (record__derived_collect()), then every stored row is struck
 * off; a stored row left over, or an expected one not found, is named.
 */
static int
verify_indexes(struct db *db, int64_t org_id)
{
	json_t *fields = json_object(), *links = json_object();
	struct db_stmt *st = NULL;
	struct record_row r;
	struct buf key = BUF_INIT;
	const struct record_kind *k;
	void *iter;
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	for (i = 0; (k = record_kinds[i])->name; i++) {
		if ((rc = db_prepare(&st, db, "SELECT " RECORD_VIEW_COLUMNS " FROM records "
		    "WHERE org_id = ? AND kind = ?")) != 0)
			goto done;
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, k->name);
		while ((rc = db_step(st)) == DB_ROW) {
			/* Data that is not JSON is the commitment check's finding, not this one's. */
			if (record__row_read(&r, st) == 0 &&
			    ((rc = verify_view(st, k, &r)) != 0 ||
			    (rc = record__derived_collect(fields, links, org_id, k, &r)) != 0 ||
			    (rc = verify_search_text(db, org_id, k, &r, &key)) != 0))
				goto done;
			record__row_free(&r);
		}
		db_done(st);
		st = NULL;
		if (rc < 0)
			goto done;
	}
	if ((rc = db_prepare(&st, db, "SELECT kind, field, live, typeof(value), "
	    "value, updated_at, num FROM record_fields WHERE org_id = ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		record__fields_key(&key, db_column_text(st, 0), db_column_text(st, 1),
		    (int)db_column_int64(st, 2), db_column_text(st, 3), db_column_text(st, 4),
		    db_column_text(st, 5), db_column_int64(st, 6));
		if (json_object_del(fields, buf_str(&key)) != 0) {
			rc = verify_fields_finding(db, org_id, buf_str(&key), 1);
			goto done;
		}
	}
	db_done(st);
	st = NULL;
	if (rc < 0)
		goto done;
	if ((rc = db_prepare(&st, db, "SELECT from_kind, from_ref, field, to_kind, to_ref, "
	    "live, updated_at, num FROM record_links WHERE org_id = ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		record__links_key(&key, db_column_text(st, 0), db_column_text(st, 1),
		    db_column_text(st, 2), db_column_text(st, 3), db_column_text(st, 4),
		    (int)db_column_int64(st, 5), db_column_text(st, 6), db_column_int64(st, 7));
		if (json_object_del(links, buf_str(&key)) != 0) {
			rc = verify_links_finding(buf_str(&key), 1);
			goto done;
		}
	}
	if (rc < 0)
		goto done;
	rc = 0;
	/* What is left was expected and not stored. */
	if ((iter = json_object_iter(fields)) != NULL)
		rc = verify_fields_finding(db, org_id, json_object_iter_key(iter), 0);
	else if ((iter = json_object_iter(links)) != NULL)
		rc = verify_links_finding(json_object_iter_key(iter), 0);
done:
	db_done(st);
	record__row_free(&r);
	buf_free(&key);
	json_decref(fields);
	json_decref(links);
	return rc;
}

/*
 * The dashboard's figures are kept by core as records change
 * (record_counts.c) rather than counted on each read: they must equal a
 * count over the live records by the kinds' declarations, or the dashboard
 * top management reads says what the records do not.
 */
static int
verify_dashboard(struct db *db, int64_t org_id)
{
	return record_counts_verify(db, org_id);
}

/*
 * Each file revision against the evidence version that recorded it (action
 * "file", the same revision number): hash, size, type, name, who and when.
 * Columns: ref, revision, file name, version (NULL: none recorded it),
 * what differs (NULL: nothing). The caller adds the WHERE clause.
 */
#define VERIFY_REVISION_SQL \
	"SELECT f.evidence_ref, f.revision, f.filename, v.version, " \
	"CASE WHEN v.version IS NULL THEN NULL " \
	"WHEN f.sha256 IS NOT json_extract(v.data, '$.sha256') THEN 'SHA-256' " \
	"WHEN f.size IS NOT json_extract(v.data, '$.size') THEN 'size' " \
	"WHEN f.media_type IS NOT json_extract(v.data, '$.media_type') THEN 'media type' " \
	"WHEN f.filename IS NOT json_extract(v.data, '$.filename') THEN 'file name' " \
	"WHEN f.stored_by IS NOT v.actor THEN 'stored_by' " \
	"WHEN f.stored_at IS NOT v.at THEN 'stored_at' END AS differs " \
	"FROM evidence_files f LEFT JOIN records r ON r.org_id = f.org_id " \
	"AND r.kind = '" VERIFY_EVIDENCE_KIND "' AND r.ref = f.evidence_ref " \
	"LEFT JOIN record_versions v ON v.org_id = r.org_id AND v.kind = r.kind " \
	"AND v.num = r.num AND v.action = '" VERIFY_FILE_ACTION "' " \
	"AND json_extract(v.data, '$.revision') = f.revision "

/* The finding for a row of VERIFY_REVISION_SQL, or 0 when it matches. */
static int
verify_revision_row(struct db_stmt *st)
{
	if (db_column_is_null(st, 3))
		return aims_error_set(AIMS_EVERIFY, NULL, "evidence %s file revision %lld (%.*s) "
		    "was not recorded by any version of the evidence: it was added around aims",
		    db_column_text(st, 0), (long long)db_column_int64(st, 1), VERIFY_SHOWN_MAX,
		    db_column_text(st, 2));
	if (!db_column_is_null(st, 4))
		return aims_error_set(AIMS_EVERIFY, NULL, "evidence %s file revision %lld (%.*s): "
		    "its %s differs from version %lld of the evidence, which recorded it",
		    db_column_text(st, 0), (long long)db_column_int64(st, 1), VERIFY_SHOWN_MAX,
		    db_column_text(st, 2), db_column_text(st, 4), (long long)db_column_int64(st, 3));
	return 0;
}

/*
 * Every file revision must equal the evidence version that recorded it.
 * That version is checked against its ledger entry, so a revision
 * re-pointed at other bytes, renamed, retyped or added by hand is named.
 */
static int
verify_revisions_recorded(struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	/* A subquery: the alias "differs" is not visible in its own WHERE in standard SQL. */
	if ((rc = db_prepare(&st, db, "SELECT * FROM (" VERIFY_REVISION_SQL "WHERE f.org_id = ?) x "
	    "WHERE version IS NULL OR differs IS NOT NULL ORDER BY evidence_ref, revision "
	    "LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW)
		rc = verify_revision_row(st);
	else
		rc = rc < 0 ? rc : 0;
	db_done(st);
	return rc;
}

int
record_verify_revision(struct db *db, int64_t org_id, const char *ref, int64_t revision)
{
	struct db_stmt *st = NULL;
	char action[LEDGER_FIELD_MAX + 1];
	json_t *rec = NULL;
	int64_t version = 0;
	int rc;

	if ((rc = db_prepare(&st, db, VERIFY_REVISION_SQL "WHERE f.org_id = ? "
	    "AND f.evidence_ref = ? AND f.revision = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, revision);
	if ((rc = db_step(st)) == DB_ROW) {
		version = db_column_int64(st, 3);
		rc = verify_revision_row(st);
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "revision", "evidence %.64s has no file "
		    "revision %lld", ref, (long long)revision);
	db_done(st);
	if (rc == 0 && (rc = record_load_version_for_ledger(&rec, action, db, org_id,
	    VERIFY_EVIDENCE_KIND, ref, version)) == 0)
		rc = ledger_check_version(db, org_id, VERIFY_EVIDENCE_KIND, ref, version, rec);
	json_decref(rec);
	return rc;
}

/* And every revision an evidence version recorded must still be there. */
static int
verify_revisions_present(struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT r.ref, json_extract(v.data, '$.revision'), "
	    "json_extract(v.data, '$.filename'), v.version FROM records r "
	    "JOIN record_versions v ON v.org_id = r.org_id AND v.kind = r.kind AND v.num = r.num "
	    "WHERE r.org_id = ? AND r.kind = '" VERIFY_EVIDENCE_KIND "' "
	    "AND v.action = '" VERIFY_FILE_ACTION "' AND NOT EXISTS (SELECT 1 FROM evidence_files f "
	    "WHERE f.org_id = r.org_id AND f.evidence_ref = r.ref "
	    "AND f.revision = json_extract(v.data, '$.revision')) "
	    "ORDER BY r.ref, v.version LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW)
		rc = aims_error_set(AIMS_EVERIFY, NULL, "evidence %s file revision %lld (%.*s), "
		    "recorded by version %lld of the evidence, is missing from its file revisions",
		    db_column_text(st, 0), (long long)db_column_int64(st, 1), VERIFY_SHOWN_MAX,
		    db_column_text(st, 2) ? db_column_text(st, 2) : "?",
		    (long long)db_column_int64(st, 3));
	else
		rc = rc < 0 ? rc : 0;
	db_done(st);
	return rc;
}

int
record_verify_derived(struct db *db, int64_t org_id)
{
	static const char *const columns[] = { "title", "status", "owner", NULL };
	const struct record_kind *k;
	size_t i, c;
	int rc;

	for (i = 0; (k = record_kinds[i])->name; i++) {
		for (c = 0; columns[c]; c++)
			if ((rc = verify_columns(db, org_id, k, columns[c], 0)) != 0)
				return rc;
		if ((rc = verify_columns(db, org_id, k, "status", 1)) != 0 ||
		    (rc = verify_counts(db, org_id, k)) != 0)
			return rc;
	}
	if ((rc = verify_people(db, org_id)) != 0 ||
	    (rc = verify_dashboard(db, org_id)) != 0 ||
	    (rc = verify_indexes(db, org_id)) != 0 ||
	    (rc = verify_search_orphans(db, org_id)) != 0 ||
	    (rc = verify_revisions_recorded(db, org_id)) != 0)
		return rc;
	if ((rc = verify_revisions_present(db, org_id)) != 0 ||
	    (rc = work_verify(db, org_id)) != 0)
		return rc;
	if ((rc = verify_concern_keys(db, org_id)) != 0)
		return rc;
	return metric_verify_derived(db, org_id);
}
