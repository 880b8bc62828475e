/*
 * record_words.c: where a search word starts and ends, the same for what
 * is indexed (record_store.c) and what is asked (record_list.c).
 *
 * Every word is stored behind its organisation-and-kind scope
 * ("s12_risks_word"), so the search index's tokenizer must see each word
 * as the one token it was written as. SQLite's unicode61 splits at any
 * Unicode space, punctuation or symbol; a word that ran on across an em
 * dash or a curly apostrophe used to be written as one ("triage—scoring"),
 * and the tokenizer cut it into a scoped token and an unscoped one that no
 * search could reach. The separators beyond ASCII are listed here by hand:
 * SQLite does not export unicode61's table, and the C library's iswalnum()
 * needs a UTF-8 locale loaded, which the server's sandbox does not offer.
 * The list covers the blocks of spaces, punctuation and symbols that text
 * meets (Latin-1, General Punctuation, currency, arrows, mathematical and
 * technical symbols, box drawing, dingbats, CJK and full-width punctuation,
 * emoji); any other character beyond ASCII is a letter of a word, as it
 * was before.
 *
 * record_search_reindex() writes again the words of the records indexed
 * before (listed by migration 126), in batches, when the server starts.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/record.h"
#include "core/record_private.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"

/* Records whose words one transaction writes again. */
#define REINDEX_BATCH	500

/* Code point ranges (inclusive) that separate words. */
static const struct { uint32_t lo, hi; } record_separators[] = {
	{ 0x0080, 0x00a9 }, { 0x00ab, 0x00b1 }, { 0x00b4, 0x00b4 }, { 0x00b6, 0x00b8 },
	{ 0x00bb, 0x00bb }, { 0x00bf, 0x00bf }, { 0x00d7, 0x00d7 }, { 0x00f7, 0x00f7 },
	{ 0x2000, 0x206f },	/* spaces, dashes, quotes, bullets, ellipsis */
	{ 0x20a0, 0x20cf },	/* currency symbols */
	{ 0x2190, 0x245f },	/* arrows, mathematical and technical symbols */
	{ 0x2500, 0x2775 },	/* box drawing, shapes, miscellaneous symbols, dingbats */
	{ 0x2794, 0x2bff },	/* more arrows and mathematical symbols */
	{ 0x2e00, 0x2e7f },	/* supplemental punctuation */
	{ 0x3000, 0x3004 }, { 0x3008, 0x3020 }, { 0x3030, 0x3030 },	/* CJK punctuation */
	{ 0xfe00, 0xfe0f },	/* variation selectors (after an emoji) */
	{ 0xfe10, 0xfe1f }, { 0xfe30, 0xfe6f },	/* vertical and small forms */
	{ 0xfeff, 0xfeff },	/* byte order mark */
	{ 0xff01, 0xff0f }, { 0xff1a, 0xff20 }, { 0xff3b, 0xff40 }, { 0xff5b, 0xff65 },
	{ 0x1f000, 0x1faff },	/* emoji and pictographs */
};

/* Decodes the UTF-8 sequence at p into *cp; its length, 0 when malformed. */
static size_t
words_decode(uint32_t *cp, const unsigned char *p)
{
	size_t n, i;

	if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, *cp = p[0] & 0x07;
	else if (p[0] >= 0xe0)
		n = 3, *cp = p[0] & 0x0f;
	else if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, *cp = p[0] & 0x1f;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	return n;
}

static bool
words_separator(uint32_t cp)
{
	size_t i;

	for (i = 0; i < sizeof(record_separators) / sizeof(record_separators[0]); i++)
		if (cp >= record_separators[i].lo && cp <= record_separators[i].hi)
			return true;
	return false;
}

size_t
record__word_char(bool *word, const unsigned char *p)
{
	uint32_t cp;
	size_t n;

	if (*p < 0x80) {
		*word = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z');
		return 1;
	}
	if ((n = words_decode(&cp, p)) == 0) {
		*word = true;	/* a stray byte stays inside its word, as before */
		return 1;
	}
	*word = !words_separator(cp);
	return n;
}

/* Runs one statement that writes, binding text (or NULL) and an id. */
static int
reindex_exec(struct db *db, const char *sql, const char *text, int64_t id)
{
	struct db_stmt *st;
	int rc, i = 1;

	if ((rc = db_prepare(&st, db, sql)) != 0)
		return rc;
	if (text)
		db_bind_text(st, i++, text);
	db_bind_int64(st, i, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : rc < 0 ? rc :
	    aims_error_set(AIMS_ERROR, NULL, "cannot write a record's search words");
}

/* Writes again the words of one record, if it is still there. */
static int
reindex_record(struct db *db, struct buf *b, int64_t id)
{
	struct db_stmt *st = NULL;
	const struct record_kind *k;
	struct record_row r;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT " RECORD_ROW_COLUMNS ", org_id, kind "
	    "FROM records WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, id);
	if ((rc = db_step(st)) == DB_ROW && (k = record_kind_find(db_column_text(st, 16))) != NULL) {
		if ((rc = record__row_read(&r, st)) == 0) {
			buf_reset(b);
			record__search_text(b, db_column_int64(st, 15), k, &r, false);
		}
		record__row_free(&r);
		db_done(st);
		if (rc != 0)
			return rc;
		return reindex_exec(db, "UPDATE records_fts SET body = ? WHERE rowid = ?",
		    buf_str(b), id);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* Writes the words of one batch of listed records; *n: how many it took. */
static int
reindex_batch(int *n, struct db *db)
{
	int64_t ids[REINDEX_BATCH];
	struct db_stmt *st = NULL;
	struct buf b = BUF_INIT;
	int i, rc;

	*n = 0;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_prepare(&st, db, "SELECT record_id FROM search_reindex "
	    "ORDER BY record_id LIMIT ?")) != 0)
		goto done;
	db_bind_int64(st, 1, REINDEX_BATCH);
	while (*n < REINDEX_BATCH && (rc = db_step(st)) == DB_ROW)
		ids[(*n)++] = db_column_int64(st, 0);
	db_done(st);
	if (rc < 0)
		goto done;
	for (rc = 0, i = 0; i < *n && rc == 0; i++)
		if ((rc = reindex_record(db, &b, ids[i])) == 0)
			rc = reindex_exec(db, "DELETE FROM search_reindex WHERE record_id = ?",
			    NULL, ids[i]);
done:
	buf_free(&b);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int
record_search_reindex(int64_t *done, struct db *db)
{
	int n, rc;

	*done = 0;
	do {
		if ((rc = reindex_batch(&n, db)) != 0)
			return rc;
		*done += n;
	} while (n == REINDEX_BATCH);
	return 0;
}
