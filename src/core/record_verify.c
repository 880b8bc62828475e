/*
 * record_verify.c - the history side of the record source `aims verify`
 * uses (ledger_history_source in ledger.h): every stored version of a
 * record in the form it was ledgered, every stored version listed, and the
 * checks of what is derived from records rather than committed to by an
 * entry of its own: the title, status and owner columns of records and
 * versions, the live counts, the dashboard's counts, and evidence file
 * revisions (each must equal the evidence version that recorded it, which
 * its entry commits to). The search and filter indexes (records_fts,
 * record_fields, record_links) are not compared.
 */
#include <stdio.h>
#include <string.h>

#include "core/record.h"
#include "core/record_private.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"

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
	    "v.data, v.retired, r.created_at, r.created_by FROM records r "
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
		cur.created_at = (char *)db_column_text(st, 7);
		cur.created_by = (char *)db_column_text(st, 8);
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
		    "WHERE org_id = ? AND kind = ?) WHERE %s IS NOT e LIMIT 1", column, column,
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

/*
 * The dashboard's figures are kept by triggers (020_dashboard.sql) rather
 * than counted: they must equal a count over the records' dashboard_dims,
 * or the dashboard top management reads says what the records do not.
 */
static int
verify_dashboard(struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "WITH want AS (SELECT kind, dim, value, count(*) AS n "
	    "FROM dashboard_dims WHERE org_id = ?1 AND value IS NOT NULL "
	    "GROUP BY kind, dim, value), have AS (SELECT kind, dim, value, n "
	    "FROM dashboard_counts WHERE org_id = ?1 AND n <> 0) "
	    "SELECT kind, dim, value, (SELECT n FROM have h WHERE h.kind = d.kind "
	    "AND h.dim = d.dim AND h.value = d.value), (SELECT n FROM want w "
	    "WHERE w.kind = d.kind AND w.dim = d.dim AND w.value = d.value) "
	    "FROM (SELECT * FROM (SELECT * FROM have EXCEPT SELECT * FROM want) UNION "
	    "SELECT * FROM (SELECT * FROM want EXCEPT SELECT * FROM have)) d "
	    "ORDER BY kind, dim, value LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW)
		rc = aims_error_set(AIMS_EVERIFY, NULL, "dashboard_counts says %lld live %s with "
		    "%s '%.*s', but there are %lld", (long long)db_column_int64(st, 3),
		    db_column_text(st, 0), db_column_text(st, 1), VERIFY_SHOWN_MAX,
		    db_column_text(st, 2), (long long)db_column_int64(st, 4));
	else
		rc = rc < 0 ? rc : 0;
	db_done(st);
	return rc;
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

	if ((rc = db_prepare(&st, db, VERIFY_REVISION_SQL "WHERE f.org_id = ? AND "
	    "(v.version IS NULL OR differs IS NOT NULL) ORDER BY f.evidence_ref, f.revision "
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
	if ((rc = verify_dashboard(db, org_id)) != 0 ||
	    (rc = verify_revisions_recorded(db, org_id)) != 0)
		return rc;
	return verify_revisions_present(db, org_id);
}
