/*
 * record_search.c - the header search's prefix step for one kind, answered
 * from the kind's newest records when it can be (record__search_recent()).
 *
 * The search index answers a prefix by gathering every posting of every
 * word the prefix starts before it can give the newest few: "evi" in the
 * 500,000 evidence records of a generated organisation that all say
 * "Evidence" cost 39 ms, however few are shown. The newest records of the
 * kind hold the answer whenever the prefix is common, which is when the
 * index is slow; so their stored search text (the body of records_fts) is
 * read newest first and matched here the way the index matches it, and the
 * index is asked only when they do not settle the answer.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/record_private.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"

/*
 * Records read newest first before the index is asked instead: enough that
 * a prefix most records hold is settled in a few rows, few enough that a
 * kind where it is rare costs a fraction of a millisecond before the index
 * (which is then quick: it has few postings to gather).
 */
#define SEARCH_RECENT_ROWS	100
#define SEARCH_WORDS_MAX	16

struct search_word {
	const char	*p;
	size_t		 n;
};

/*
 * The words of q as the index's expression takes them (plan_fts_expr() in
 * record_list.c: runs of letters and digits); false when there are none,
 * too many, or one is not ASCII, which only the index folds as it does.
 */
static bool
search_words(struct search_word *w, int *nw, const char *q)
{
	const unsigned char *p, *start = NULL;

	*nw = 0;
	for (p = (const unsigned char *)q;; p++) {
		if (*p >= 0x80)
			return false;
		if (*p && isalnum(*p)) {
			if (start == NULL)
				start = p;
			continue;
		}
		if (start != NULL) {
			if (*nw == SEARCH_WORDS_MAX)
				return false;
			w[*nw].p = (const char *)start;
			w[(*nw)++].n = (size_t)(p - start);
		}
		start = NULL;
		if (*p == '\0')
			break;
	}
	return *nw > 0;
}

/*
 * Does the stored search text body hold word w under scope (whole, or
 * starting with it when prefix)? The text is " scope+word" tokens
 * (record__search_text()); ASCII letters compare without case, as the index
 * folds them (SQLite's unicode61, PostgreSQL's lower()).
 */
static bool
search_body_has(const char *body, const char *scope, size_t scope_len,
    const struct search_word *w, bool prefix)
{
	const char *t, *end;
	size_t n;

	for (t = body; *t != '\0'; t = end) {
		t += strspn(t, " ");
		end = t + strcspn(t, " ");
		n = (size_t)(end - t);
		if (n < scope_len + w->n || (!prefix && n != scope_len + w->n))
			continue;
		if (strncasecmp(t, scope, scope_len) == 0 &&
		    strncasecmp(t + scope_len, w->p, w->n) == 0)
			return true;
	}
	return false;
}

/* Does body match every word, the last as a prefix? -1: text not ASCII. */
static int
search_body_matches(const char *body, const char *scope, const struct search_word *w,
    int nw)
{
	const unsigned char *p;
	size_t scope_len = strlen(scope);
	int i;

	for (p = (const unsigned char *)body; *p; p++)
		if (*p >= 0x80)
			return -1;
	for (i = 0; i < nw; i++)
		if (!search_body_has(body, scope, scope_len, &w[i], i == nw - 1))
			return 0;
	return 1;
}

/*
 * The candidates, newest first: with whole words before the prefix, the
 * records holding them all, from the index (which walks whole words
 * newest first and stops); with the prefix alone, the kind's newest live
 * records by reference number, which grows with the row id the index
 * orders by (a record's number and its row are taken in the same write,
 * and a row is never inserted again). Either way every record between
 * the newest and the last read is read, so the first per_kind + 1
 * matches are the index's newest. PostgreSQL's planner answers the whole
 * words newest first by walking every newer row of every kind (24 ms to
 * reach the risks behind 30,000 evidence records), so there the newest
 * records of the kind are the candidates in both cases.
 */
static int
search_candidates(struct db_stmt **st, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *scope, const struct search_word *w, int nw)
{
	struct buf expr = BUF_INIT;
	int i, rc;

	if (nw == 1 || strcmp(db_backend(db), "postgres") == 0) {
		/* From the (org, kind, num) index alone: a retired one is left out later. */
		if ((rc = db_prepare(st, db, "SELECT r.id, f.body FROM records r "
		    "CROSS JOIN records_fts f ON f.rowid = r.id WHERE r.org_id = ? AND "
		    "r.kind = ? ORDER BY r.num DESC LIMIT ?")) != 0)
			return rc;
		db_bind_int64(*st, 1, org_id);
		db_bind_text(*st, 2, k->name);
		db_bind_int64(*st, 3, SEARCH_RECENT_ROWS);
		return 0;
	}
	for (i = 0; i < nw - 1; i++)
		buf_printf(&expr, "%s\"%s%.*s\"", i > 0 ? " AND " : "", scope, (int)w[i].n,
		    w[i].p);
	/* The scoped words hold only this org's and kind's live records (record__search_text()). */
	if ((rc = db_prepare(st, db, "SELECT rowid, body FROM records_fts WHERE records_fts "
	    "MATCH ? ORDER BY rowid DESC LIMIT ?")) == 0) {
		db_bind_text(*st, 1, buf_str(&expr));
		db_bind_int64(*st, 2, SEARCH_RECENT_ROWS);
	}
	buf_free(&expr);
	return rc;
}

/* Appends the live record id of k to items as the search shows it (*added). */
static int
search_add(bool *added, json_t *items, struct db *db, int64_t org_id,
    const struct record_kind *k, int64_t id)
{
	struct db_stmt *st = NULL;
	const char *ref, *title;
	int rc;

	*added = false;
	if ((rc = db_prepare(&st, db, "SELECT ref, title FROM records WHERE id = ? AND "
	    "org_id = ? AND kind = ? AND retired = 0")) != 0)
		return rc;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, org_id);
	db_bind_text(st, 3, k->name);
	if ((rc = db_step(st)) == DB_ROW && (ref = db_column_text(st, 0)) != NULL) {
		title = db_column_text(st, 1);
		json_array_append_new(items, json_pack("{s:s, s:s}", "ref", ref, "title",
		    title != NULL && *title != '\0' ? title : ref));
		*added = true;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
record__search_recent(bool *settled, json_t *items, bool *more, struct db *db,
    int64_t org_id, const struct record_kind *k, const char *q, int per_kind)
{
	struct search_word w[SEARCH_WORDS_MAX];
	char scope[RECORD_SCOPE_MAX];
	struct db_stmt *st = NULL;
	int64_t ids[RECORD_LIST_MAX];
	const char *body;
	int nw, rows = 0, found = 0, live = 0, m, i, rc;
	bool read_all, added;

	*settled = false;
	*more = false;
	if (per_kind < 1 || per_kind >= RECORD_LIST_MAX || !search_words(w, &nw, q))
		return 0;
	record__search_scope(scope, sizeof(scope), org_id, k->name, false);
	if ((rc = search_candidates(&st, db, org_id, k, scope, w, nw)) != 0)
		return rc;
	/* One more match than shown tells whether there are more. */
	while (found <= per_kind && (rc = db_step(st)) == DB_ROW) {
		rows++;
		body = db_column_text(st, 1);
		if ((m = search_body_matches(body != NULL ? body : "", scope, w, nw)) < 0)
			break;
		if (m > 0)
			ids[found++] = db_column_int64(st, 0);
	}
	db_done(st);
	if (rc < 0)
		return rc;
	read_all = rc == DB_DONE && rows < SEARCH_RECENT_ROWS;
	if (found <= per_kind && !read_all)
		return 0;
	rc = 0;
	for (i = 0; i < found && rc == 0; i++) {
		if ((rc = search_add(&added, items, db, org_id, k, ids[i])) == 0 && added &&
		    ++live > per_kind) {
			json_array_remove(items, json_array_size(items) - 1);
			*more = true;
		}
	}
	/* Settled: more than shown, or every candidate read (a retired match: ask the index). */
	if (rc == 0 && (*more || read_all))
		*settled = true;
	else
		json_array_clear(items);
	return rc;
}
