/*
 * store_copy.c - moving organisations from one store to another (`aims
 * migrate-store`): every row they own, their ledger with its checkpoints,
 * their evidence files, and the signing key, so that `aims verify` passes
 * on the target with the same checkpoints. Either store may be SQLite or
 * PostgreSQL: onto PostgreSQL to grow, back onto a SQLite file to hand an
 * organisation back.
 *
 * The tables are read from the source's own list (sqlite_master, or
 * PostgreSQL's information_schema), not from a list kept here, so a table a
 * later migration adds is copied without a change: a table with an org_id
 * column is copied by organisation; one without (the catalog's reference
 * data) whole, when it is reference data the target lacks. Rows are copied
 * with the types they are stored with (integer, real, text, blob: SQLite's
 * typeof(), which the PostgreSQL schema gives too), in key order (the
 * ledger's gapless trigger wants entries in sequence), in one transaction
 * on the target: all or nothing. Evidence bytes go from the source's blob
 * store (SQLite: data/blobs/; PostgreSQL: evidence_chunks) to the target's.
 *
 * Webhook signing secrets are sealed with a key of each store's own
 * (core/seal.c): they are opened with the source's and sealed again with
 * the target's, so they work there whatever key the target has.
 *
 * Left behind on purpose: sign-in sessions and throttling (people sign in
 * again on the new store), and with --org the instance log (org 0): it
 * commits to every user of the source. The users who are members of the
 * organisation are copied with it, and entered in the target's instance
 * log ("user" "import"), so that verify checks them there.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/evidence.h"
#include "core/seal.h"
#include "core/store_copy.h"
#include "core/user.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#define COPY_TABLES_MAX		128
#define COPY_COLUMNS_MAX	64
#define COPY_NAME_MAX		64

/* Tables whose rows are not copied (see the top of the file). */
static const char *const copy_skipped[] = {
	"schema_migrations", "sessions", "login_throttle", NULL,
};

/* Copied first, in this order: the others refer to them. */
static const char *const copy_first[] = {
	"orgs", "users", "frameworks", "requirements", "org_catalogs", NULL,
};

struct copy_table {
	char	 name[COPY_NAME_MAX];
	char	 cols[COPY_COLUMNS_MAX][COPY_NAME_MAX];
	int	 ncols;
	char	 order[COPY_NAME_MAX * 4];	/* the key columns, for ORDER BY */
	bool	 has_org;
};

static bool
copy_in(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

static bool
copy_name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n >= COPY_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static bool
copy_is_pg(struct db *db)
{
	return strcmp(db_backend(db), "postgres") == 0;
}

/* Adds column c of the source to t, unless its name or one more column cannot be copied. */
static int
copy_column_add(struct copy_table *t, const char *c)
{
	if (!copy_name_ok(c) || t->ncols == COPY_COLUMNS_MAX)
		return aims_error_set(AIMS_ERROR, NULL, "table %s: column %s cannot be copied",
		    t->name, c);
	snprintf(t->cols[t->ncols++], COPY_NAME_MAX, "%s", c);
	if (strcmp(c, "org_id") == 0)
		t->has_org = true;
	return 0;
}

/* Appends col to t's ORDER BY list. */
static void
copy_order_add(struct copy_table *t, const char *col)
{
	size_t n = strlen(t->order);

	snprintf(t->order + n, sizeof(t->order) - n, "%s%s", n ? ", " : "", col);
}

/*
 * The columns and key of table t of a PostgreSQL source: generated columns
 * left out (records_fts.tsv: the target computes its own index), the
 * primary key's columns in key order.
 */
static int
copy_columns_pg(struct copy_table *t, struct db *src)
{
	struct db_stmt *st = NULL;
	char num[16];
	int rc;

	if ((rc = db_prepare(&st, src, "SELECT column_name FROM information_schema.columns "
	    "WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER' "
	    "ORDER BY ordinal_position")) != 0)
		return rc;
	db_bind_text(st, 1, t->name);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *c = db_column_text(st, 0);

		if ((rc = copy_column_add(t, c)) != 0)
			goto done;
	}
	db_done(st);
	st = NULL;
	if (rc < 0)
		return rc;
	if ((rc = db_prepare(&st, src, "SELECT k.column_name FROM "
	    "information_schema.table_constraints c JOIN information_schema.key_column_usage k "
	    "ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name "
	    "WHERE c.table_schema = current_schema() AND c.table_name = ? "
	    "AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position")) != 0)
		return rc;
	db_bind_text(st, 1, t->name);
	t->order[0] = '\0';
	while ((rc = db_step(st)) == DB_ROW)
		if (copy_name_ok(db_column_text(st, 0)))
			copy_order_add(t, db_column_text(st, 0));
	if (rc >= 0 && t->order[0] == '\0')
		/* No key: every column, so the order is the same from run to run. */
		for (rc = 0; rc < t->ncols; rc++) {
			snprintf(num, sizeof(num), "%d", rc + 1);
			copy_order_add(t, num);
		}
done:
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* The columns and key of table t of the source (SQLite: PRAGMA table_info). */
static int
copy_columns(struct copy_table *t, struct db *src)
{
	struct db_stmt *st = NULL;
	struct buf sql = BUF_INIT;
	char pk[8][COPY_NAME_MAX];
	int64_t k;
	int rc, npk = 0, i;

	buf_printf(&sql, "SELECT name, pk FROM pragma_table_info('%s') ORDER BY cid", t->name);
	if ((rc = db_prepare(&st, src, buf_str(&sql))) != 0)
		goto done;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *c = db_column_text(st, 0);

		if ((rc = copy_column_add(t, c)) != 0)
			goto done;
		k = db_column_int64(st, 1);
		if (k >= 1 && k <= 8) {
			snprintf(pk[k - 1], COPY_NAME_MAX, "%s", c);
			if (k > npk)
				npk = (int)k;
		}
	}
	if (rc < 0)
		goto done;
	rc = 0;
	/* The search index (FTS5) is keyed by its rowid, the record's id: not a column. */
	if (strcmp(t->name, "records_fts") == 0 && t->ncols < COPY_COLUMNS_MAX)
		snprintf(t->cols[t->ncols++], COPY_NAME_MAX, "rowid");
	t->order[0] = '\0';
	for (i = 0; i < npk; i++)
		copy_order_add(t, pk[i]);
	if (npk == 0)
		snprintf(t->order, sizeof(t->order), "rowid");
done:
	db_done(st);
	buf_free(&sql);
	return rc;
}

/* The source's tables, those others refer to first. */
static int
copy_tables(struct copy_table **out, int *n, struct db *src)
{
	struct copy_table *t = xcalloc(COPY_TABLES_MAX, sizeof(*t));
	struct db_stmt *st = NULL;
	const char *const *first;
	int rc, i;

	*out = t;
	*n = 0;
	for (first = copy_first; *first; first++)
		snprintf(t[(*n)++].name, COPY_NAME_MAX, "%s", *first);
	/* FTS5 keeps its index in shadow tables (records_fts_data...): only the table itself. */
	if ((rc = db_prepare(&st, src, copy_is_pg(src) ?
	    "SELECT table_name FROM information_schema.tables WHERE table_schema = "
	    "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name" :
	    "SELECT name FROM sqlite_master WHERE type = 'table' "
	    "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'records_fts_%' ORDER BY name")) != 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *name = db_column_text(st, 0);

		if (copy_in(copy_first, name) || copy_in(copy_skipped, name))
			continue;
		if (!copy_name_ok(name) || *n == COPY_TABLES_MAX) {
			rc = aims_error_set(AIMS_ERROR, NULL, "table %s cannot be copied", name);
			break;
		}
		snprintf(t[(*n)++].name, COPY_NAME_MAX, "%s", name);
	}
	db_done(st);
	if (rc < 0)
		return rc;
	for (i = 0; i < *n; i++)
		if ((rc = copy_is_pg(src) ? copy_columns_pg(&t[i], src) :
		    copy_columns(&t[i], src)) != 0)
			return rc;
	return 0;
}

/* The WHERE of table t for one organisation (org_id > 0) or all (0). */
static void
copy_where(struct buf *sql, const struct copy_table *t, int64_t org_id)
{
	if (org_id == 0)
		return;
	if (strcmp(t->name, "orgs") == 0)
		buf_puts(sql, " WHERE id = ?");
	else if (strcmp(t->name, "users") == 0)
		/* Its members, and whoever made one of its tokens (a foreign key). */
		buf_puts(sql, " WHERE id IN (SELECT user_id FROM memberships WHERE org_id = ?1) "
		    "OR id IN (SELECT created_by FROM api_tokens WHERE org_id = ?1)");
	else if (strcmp(t->name, "records_fts") == 0)
		buf_puts(sql, " WHERE rowid IN (SELECT id FROM records WHERE org_id = ?)");
	else if (strcmp(t->name, "search_reindex") == 0)
		buf_puts(sql, " WHERE record_id IN (SELECT id FROM records WHERE org_id = ?)");
	else if (t->has_org)
		buf_puts(sql, " WHERE org_id = ?");
}

/* Whether table t is copied at all for org_id (0: everything). */
static bool
copy_wanted(const struct copy_table *t, int64_t org_id)
{
	if (t->ncols == 0)
		return false;	/* in copy_first but not in this source */
	/* Evidence bytes: copy_blobs() puts them where the target keeps them. */
	if (strcmp(t->name, "evidence_chunks") == 0)
		return false;
	if (org_id == 0 || t->has_org || strcmp(t->name, "orgs") == 0 ||
	    strcmp(t->name, "users") == 0 || strcmp(t->name, "records_fts") == 0)
		return true;
	/* Reference data (the catalog): copied when the target has none. */
	return true;
}

/*
 * Is the number in column col a whole one? PostgreSQL's typeof() says
 * "integer" for any JSON number (record_fields.value): 2.5 goes as a real.
 */
static bool
copy_integral(struct db_stmt *rd, int col)
{
	const char *v = db_column_text(rd, col);

	if (v == NULL)
		return true;
	if (*v == '-')
		v++;
	return *v != '\0' && strspn(v, "0123456789") == strlen(v);
}

/* Is column i of t sealed with the store's own key (core/seal.h)? */
static bool
copy_sealed(const struct copy_table *t, int i)
{
	return strcmp(t->name, "webhooks") == 0 && strcmp(t->cols[i], "secret_sealed") == 0;
}

/* The secret sealed for src (len bytes at p), sealed again for dst into out. */
static int
copy_reseal(struct buf *out, struct db *dst, struct db *src, const void *p, size_t len)
{
	struct buf plain = BUF_INIT;
	int rc;

	buf_reset(out);
	if ((rc = seal_open(&plain, src, p ? p : "", len)) == 0)
		rc = seal_bytes(out, dst, plain.data, plain.len);
	if (plain.data != NULL)
		sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
	return rc;
}

static int
copy_table(struct store_copy_stats *stats, struct db *dst, struct db *src,
    const struct copy_table *t, int64_t org_id)
{
	struct db_stmt *rd = NULL, *wr = NULL;
	struct buf sel = BUF_INIT, ins = BUF_INIT, sealed = BUF_INIT;
	int64_t have = 0, rows = 0;
	int rc, i;
	bool reference = org_id != 0 && !t->has_org && strcmp(t->name, "orgs") != 0 &&
	    strcmp(t->name, "users") != 0 && strcmp(t->name, "records_fts") != 0;

	if (reference) {
		buf_printf(&sel, "SELECT count(*) FROM %s", t->name);
		rc = db_query_int64(&have, dst, buf_str(&sel));
		buf_reset(&sel);
		if (rc != 0)
			goto done;
		if (have > 0) {
			rc = 0;		/* the target has its reference data */
			goto done;
		}
		org_id = 0;
	}
	buf_puts(&sel, "SELECT ");
	buf_printf(&ins, "INSERT INTO %s (", t->name);
	for (i = 0; i < t->ncols; i++) {
		buf_printf(&sel, "%stypeof(%s), %s", i ? ", " : "", t->cols[i], t->cols[i]);
		buf_printf(&ins, "%s%s", i ? ", " : "", t->cols[i]);
	}
	buf_printf(&sel, " FROM %s", t->name);
	copy_where(&sel, t, org_id);
	buf_printf(&sel, " ORDER BY %s", t->order);
	buf_puts(&ins, ") VALUES (");
	for (i = 0; i < t->ncols; i++)
		buf_puts(&ins, i ? ", ?" : "?");
	buf_puts(&ins, ")");
	if ((rc = db_prepare(&rd, src, buf_str(&sel))) != 0 ||
	    (rc = db_prepare(&wr, dst, buf_str(&ins))) != 0)
		goto done;
	if (org_id != 0)
		db_bind_int64(rd, 1, org_id);
	while ((rc = db_step(rd)) == DB_ROW) {
		for (i = 0; i < t->ncols; i++) {
			const char *type = db_column_text(rd, 2 * i);
			const void *p;
			size_t len;

			if (strcmp(type, "integer") == 0 && copy_integral(rd, 2 * i + 1))
				rc = db_bind_int64(wr, i + 1, db_column_int64(rd, 2 * i + 1));
			else if (strcmp(type, "integer") == 0 || strcmp(type, "real") == 0)
				rc = db_bind_double(wr, i + 1, db_column_double(rd, 2 * i + 1));
			else if (strcmp(type, "blob") == 0 && copy_sealed(t, i)) {
				p = db_column_blob(rd, 2 * i + 1, &len);
				if ((rc = copy_reseal(&sealed, dst, src, p, len)) == 0)
					rc = db_bind_blob(wr, i + 1, sealed.data, sealed.len);
			} else if (strcmp(type, "blob") == 0) {
				p = db_column_blob(rd, 2 * i + 1, &len);
				rc = db_bind_blob(wr, i + 1, p ? p : "", len);
			} else if (strcmp(type, "null") == 0)
				rc = db_bind_null(wr, i + 1);
			else
				rc = db_bind_text(wr, i + 1, db_column_text(rd, 2 * i + 1));
			if (rc != 0)
				goto done;
		}
		if ((rc = db_step(wr)) != DB_DONE) {
			char msg[AIMS_ERROR_MSG_MAX];

			snprintf(msg, sizeof(msg), "%s", aims_error_message());
			rc = aims_error_set(rc < 0 ? rc : AIMS_ERROR, NULL, "table %s: %s", t->name,
			    msg);
			goto done;
		}
		db_done(wr);
		if ((rc = db_prepare(&wr, dst, buf_str(&ins))) != 0)
			goto done;
		rows++;
	}
	if (rc < 0)
		goto done;
	rc = 0;
	stats->rows += rows;
	stats->tables++;
done:
	db_done(rd);
	db_done(wr);
	buf_free(&sel);
	buf_free(&ins);
	buf_free(&sealed);
	return rc;
}

/* PostgreSQL: identity columns go on after the highest id copied. */
static int
copy_identities(struct db *dst)
{
	struct db_stmt *st = NULL;
	struct buf sql = BUF_INIT;
	char tables[COPY_TABLES_MAX][COPY_NAME_MAX];
	int rc, n = 0, i;

	if (strcmp(db_backend(dst), "postgres") != 0)
		return 0;
	if ((rc = db_prepare(&st, dst, "SELECT table_name FROM information_schema.columns "
	    "WHERE table_schema = current_schema() AND column_name = 'id' "
	    "AND is_identity = 'YES' ORDER BY table_name")) != 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW && n < COPY_TABLES_MAX)
		if (copy_name_ok(db_column_text(st, 0)))
			snprintf(tables[n++], COPY_NAME_MAX, "%s", db_column_text(st, 0));
	db_done(st);
	if (rc < 0)
		return rc;
	for (i = 0; i < n && rc >= 0; i++) {
		int64_t v;

		buf_reset(&sql);
		buf_printf(&sql, "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
		    "(SELECT coalesce(max(id), 0) + 1 FROM %s), false)", tables[i], tables[i]);
		rc = db_query_int64(&v, dst, buf_str(&sql));
	}
	buf_free(&sql);
	return rc < 0 ? rc : 0;
}

/* The organisations to move must not be in the target: by id or by slug. */
static int
copy_check_target(struct db *dst, struct db *src, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int64_t n = 0;
	int rc;

	if (org_id == 0) {
		if ((rc = db_query_int64(&n, dst, "SELECT (SELECT count(*) FROM orgs) + "
		    "(SELECT count(*) FROM users) + (SELECT count(*) FROM ledger_entries)")) != 0)
			return rc;
		if (n > 0)
			return aims_error_set(AIMS_ECONFLICT, "to", "the target store is not empty: "
			    "copy one organisation at a time with --org");
		return 0;
	}
	if ((rc = db_prepare(&st, src, "SELECT slug FROM orgs WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW) {
		char slug[128];

		snprintf(slug, sizeof(slug), "%s", db_column_text(st, 0));
		db_done(st);
		if ((rc = db_prepare(&st, dst, "SELECT count(*) FROM orgs WHERE id = ? "
		    "OR slug = ?")) != 0)
			return rc;
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, slug);
		if ((rc = db_step(st)) == DB_ROW && db_column_int64(st, 0) > 0)
			rc = aims_error_set(AIMS_EEXISTS, "org", "organisation '%s' (id %lld) is "
			    "already in the target store", slug, (long long)org_id);
		else if (rc >= 0)
			rc = 0;
	} else if (rc >= 0)
		rc = aims_error_set(AIMS_ENOTFOUND, "org", "no organisation %lld", (long long)org_id);
	db_done(st);
	if (rc != 0)
		return rc;
	/* Users are instance-wide: one with the same id must be the same person. */
	if ((rc = db_prepare(&st, dst, "SELECT count(*) FROM users")) != 0)
		return rc;
	rc = db_step(st) == DB_ROW && db_column_int64(st, 0) > 0 ?
	    aims_error_set(AIMS_ECONFLICT, "to", "the target store has users already: "
	    "an organisation is moved into a new store (users are instance-wide and keep "
	    "their ids)") : 0;
	db_done(st);
	return rc;
}

/* The users copied with one organisation, entered in the target's instance log. */
static int
copy_users_logged(struct store_copy_stats *stats, struct db *dst)
{
	struct db_stmt *st = NULL;
	char **emails = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	if ((rc = db_prepare(&st, dst, "SELECT email FROM users ORDER BY id")) != 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			emails = xrealloc(emails, cap * sizeof(*emails));
		}
		emails[n++] = xstrdup(db_column_text(st, 0));
	}
	db_done(st);
	for (i = 0; i < n; i++) {
		if (rc >= 0 && (rc = user_ledger_import(dst, emails[i])) == 0)
			stats->users_logged++;
		free(emails[i]);
	}
	free(emails);
	return rc < 0 ? rc : 0;
}

/*
 * Each evidence blob of the organisations copied, into the target's data
 * directory, and on a PostgreSQL target into its database too (schema 070).
 */
static int
copy_blobs(struct store_copy_stats *stats, struct db *dst, struct db *src,
    const char *src_data, const char *dst_data, int64_t org_id)
{
	struct db_stmt *st = NULL;
	char *path = NULL, *stored = NULL;
	int rc;

	if ((rc = db_prepare(&st, src, "SELECT DISTINCT org_id, sha256 FROM evidence_files "
	    "WHERE ?1 = 0 OR org_id = ?1 ORDER BY org_id, sha256")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *sha = db_column_text(st, 1);

		/* From PostgreSQL the bytes come from its chunks, checked against their hash. */
		if (evidence_chunks_used(src)) {
			if ((rc = evidence_chunks_fetch(src, db_column_int64(st, 0), sha,
			    dst_data)) != 0)
				break;
		} else if ((rc = evidence_blob_path(&path, src_data, sha)) != 0 ||
		    (rc = evidence_blob_import(dst_data, path, sha)) != 0)
			break;
		if ((rc = evidence_blob_path(&stored, dst_data, sha)) != 0 ||
		    (rc = evidence_chunks_put(dst, db_column_int64(st, 0), sha, stored)) != 0)
			break;
		free(path);
		free(stored);
		path = stored = NULL;
		stats->files++;
	}
	free(path);
	free(stored);
	db_done(st);
	return rc < 0 ? rc : 0;
}

static void
copy_data_dir(char **out, struct db *db)
{
	if (copy_is_pg(db))
		evidence_data_dir(out, db_path(db));
	else
		evidence_data_dir_beside(out, db_path(db));
}

int
store_copy(struct store_copy_stats *stats, struct db *dst, struct db *src, int64_t org_id)
{
	struct copy_table *t = NULL;
	struct ledger_key *key = NULL;
	char *src_data = NULL, *dst_data = NULL;
	int rc, n = 0, i;

	memset(stats, 0, sizeof(*stats));
	if (strcmp(db_path(src), db_path(dst)) == 0)
		return aims_error_set(AIMS_EINVALID, "to", "the target is the source");
	if ((rc = copy_tables(&t, &n, src)) != 0 || (rc = db_read_begin(src)) != 0)
		goto done;
	/* The members entered in the target's instance log are signed with the same key. */
	if ((rc = ledger_key_copy(db_path(dst), db_path(src))) != 0 ||
	    (rc = ledger_key_load(&key, db_path(dst))) != 0 || (rc = db_begin(dst)) != 0) {
		db_read_end(src);
		goto done;
	}
	ledger_key_use(key);
	if ((rc = copy_check_target(dst, src, org_id)) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		if (!copy_wanted(&t[i], org_id))
			continue;
		if ((rc = copy_table(stats, dst, src, &t[i], org_id)) != 0)
			goto fail;
	}
	if ((rc = copy_identities(dst)) != 0 ||
	    (org_id != 0 && (rc = copy_users_logged(stats, dst)) != 0))
		goto fail;
	/*
	 * Files before the commit: a failure leaves rows nowhere and files
	 * unreferenced. $AIMS_DATA_DIR is the PostgreSQL store's directory; a
	 * SQLite store's files are beside it, as its key is.
	 */
	copy_data_dir(&src_data, src);
	copy_data_dir(&dst_data, dst);
	if ((rc = copy_blobs(stats, dst, src, src_data, dst_data, org_id)) != 0)
		goto fail;
	db_read_end(src);
	rc = db_commit(dst);
	goto done;
fail:
	db_read_end(src);
	db_rollback(dst);
done:
	if (key) {
		ledger_key_use(NULL);
		ledger_key_free(key);
	}
	free(src_data);
	free(dst_data);
	free(t);
	return rc;
}
