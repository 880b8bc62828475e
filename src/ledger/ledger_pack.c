/*
 * ledger_pack.c - what an audit pack (src/io/pack.c) needs from an org's
 * log: the entry and salt that wrote one record version, the stored
 * checkpoints, and inclusion and consistency proofs for many leaves at
 * once. Proofs for a pack are computed from the leaf hashes held in
 * memory as the levels of the tree (2n hashes), so each proof costs
 * O(log n) hashes instead of a pass over the log (ledger_proof.c's way for
 * one entry).
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/canon.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/sha256.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

struct ledger_tree {
	uint64_t		 size;
	int			 nlevels;
	struct merkle_hash	*level[MERKLE_LEVELS_MAX];	/* level[k][i]: leaves [i 2^k, (i+1) 2^k) */
	uint64_t		 count[MERKLE_LEVELS_MAX];
};

void
ledger_tree_free(struct ledger_tree *t)
{
	int k;

	if (t == NULL)
		return;
	for (k = 0; k < t->nlevels; k++)
		free(t->level[k]);
	free(t);
}

int
ledger_tree_load(struct ledger_tree **out, struct db *db, int64_t org_id, uint64_t size)
{
	struct ledger_tree *t;
	struct db_stmt *st = NULL;
	const void *p;
	uint64_t i, n;
	size_t len;
	int rc, k;

	*out = NULL;
	if (size > LEDGER_TREE_MAX)
		return aims_error_set(AIMS_ETOOBIG, "org", "the log has more than %llu entries",
		    (unsigned long long)LEDGER_TREE_MAX);
	t = xcalloc(1, sizeof(*t));
	t->size = size;
	t->level[0] = xcalloc(size ? size : 1, sizeof(struct merkle_hash));
	t->count[0] = size;
	t->nlevels = 1;
	if ((rc = db_prepare(&st, db, "SELECT leaf_hash FROM ledger_entries "
	    "WHERE org_id = ? AND seq <= ? ORDER BY seq")) != 0)
		goto fail;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, (int64_t)size);
	for (i = 0; (rc = db_step(st)) == DB_ROW && i < size; i++) {
		p = db_column_blob(st, 0, &len);
		if (p && len == MERKLE_HASH_LEN)
			memcpy(t->level[0][i].h, p, len);
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	if (i != size) {
		rc = aims_error_set(AIMS_EVERIFY, NULL, "the log holds %llu of the %llu entries its "
		    "checkpoint covers: run 'aims verify'", (unsigned long long)i,
		    (unsigned long long)size);
		goto fail;
	}
	for (k = 1, n = size / 2; n > 0 && k < MERKLE_LEVELS_MAX; k++, n /= 2) {
		t->level[k] = xcalloc(n, sizeof(struct merkle_hash));
		t->count[k] = n;
		for (i = 0; i < n; i++)
			merkle_hash_node(&t->level[k][i], &t->level[k - 1][2 * i],
			    &t->level[k - 1][2 * i + 1]);
		t->nlevels = k + 1;
	}
	*out = t;
	return 0;
fail:
	ledger_tree_free(t);
	return rc;
}

/* MTH(D[begin:end]) (RFC 9162 2.1.1), from the levels when the range is aligned. */
static void
tree_range(struct merkle_hash *out, const struct ledger_tree *t, uint64_t begin, uint64_t end)
{
	struct merkle_hash l, r;
	uint64_t n = end - begin, k = 1;
	int lvl = 0;

	if (n == 0) {
		merkle_hash_empty(out);
		return;
	}
	if ((n & (n - 1)) == 0) {
		while ((1ULL << lvl) < n)
			lvl++;
		if (lvl < t->nlevels && begin % n == 0 && begin / n < t->count[lvl]) {
			*out = t->level[lvl][begin / n];
			return;
		}
		if (n == 1) {
			*out = t->level[0][begin];
			return;
		}
	}
	while (k * 2 < n)
		k *= 2;
	tree_range(&l, t, begin, begin + k);
	tree_range(&r, t, begin + k, end);
	merkle_hash_node(out, &l, &r);
}

static int
tree_fill(struct merkle_hash *out, const struct ledger_tree *t, const struct merkle_range *r,
    size_t n, uint64_t size)
{
	size_t i;

	if (size > t->size)
		return aims_error_set(AIMS_EINVALID, "size", "the tree holds %llu entries, not %llu",
		    (unsigned long long)t->size, (unsigned long long)size);
	for (i = 0; i < n; i++)
		tree_range(&out[i], t, r[i].begin, r[i].end);
	return 0;
}

int
ledger_tree_root(struct merkle_hash *out, const struct ledger_tree *t, uint64_t size)
{
	if (size > t->size)
		return aims_error_set(AIMS_EINVALID, "size", "the tree holds %llu entries, not %llu",
		    (unsigned long long)t->size, (unsigned long long)size);
	tree_range(out, t, 0, size);
	return 0;
}

int
ledger_tree_path(struct merkle_hash *out, size_t *n,
    const struct ledger_tree *t, uint64_t index, uint64_t size)
{
	struct merkle_range r[MERKLE_PROOF_MAX];
	int rc;

	if ((rc = merkle_path_ranges(r, n, index, size)) != 0)
		return rc;
	return tree_fill(out, t, r, *n, size);
}

int
ledger_tree_consistency(struct merkle_hash *out, size_t *n,
    const struct ledger_tree *t, uint64_t old_size, uint64_t new_size)
{
	struct merkle_range r[MERKLE_PROOF_MAX];
	int rc;

	if ((rc = merkle_consistency_ranges(r, n, old_size, new_size)) != 0)
		return rc;
	return tree_fill(out, t, r, *n, new_size);
}

int
ledger_version_entry(int64_t *seq, struct buf *entry, uint8_t salt[LEDGER_SALT_LEN],
    int *has_salt, struct db *db, int64_t org_id, const char *kind, const char *ref,
    int64_t version)
{
	struct db_stmt *st = NULL;
	const void *p;
	size_t len;
	int rc;

	*has_salt = 0;
	/*
	 * The record index, as ledger_check_version() uses: left to itself the
	 * planner walks the whole log backwards by seq for every version.
	 */
	if ((rc = db_prepare(&st, db, "SELECT seq, entry, salt FROM ledger_entries "
	    "INDEXED BY ledger_entries_record WHERE org_id = ? AND kind = ? AND ref = ? "
	    "AND version = ? ORDER BY seq DESC LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, ref);
	db_bind_int64(st, 4, version);
	if ((rc = db_step(st)) == DB_ROW) {
		*seq = db_column_int64(st, 0);
		buf_reset(entry);
		buf_puts(entry, db_column_text(st, 1));
		p = db_column_blob(st, 2, &len);
		if (p && len == LEDGER_SALT_LEN) {
			memcpy(salt, p, len);
			*has_salt = 1;
		}
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_EVERIFY, NULL, "no ledger entry wrote %s %s version %lld: "
		    "run 'aims verify'", kind, ref, (long long)version);
	db_done(st);
	return rc;
}

int
ledger_checkpoint_find(uint64_t *size, struct buf *note, struct db *db, int64_t org_id,
    uint64_t at_least)
{
	struct db_stmt *st = NULL;
	int rc;

	/* at_least 0: the latest; otherwise the first that covers entry at_least. */
	if ((rc = db_prepare(&st, db, at_least == 0 ?
	    "SELECT size, note FROM ledger_checkpoints WHERE org_id = ? AND size >= ? "
	    "ORDER BY size DESC LIMIT 1" :
	    "SELECT size, note FROM ledger_checkpoints WHERE org_id = ? AND size >= ? "
	    "ORDER BY size LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, (int64_t)at_least);
	if ((rc = db_step(st)) == DB_ROW) {
		*size = (uint64_t)db_column_int64(st, 0);
		buf_reset(note);
		buf_puts(note, db_column_text(st, 1));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "org", "the log has no checkpoint%s yet",
		    at_least ? " covering that entry" : "");
	db_done(st);
	return rc;
}

int
ledger_opening_form(json_t **out, struct buf *canon, const char *kind, const json_t *record,
    const uint8_t salt[LEDGER_SALT_LEN], const char *commitment)
{
	const struct ledger_history_source *hist = ledger__history();
	uint8_t got[LEDGER_COMMIT_LEN];
	char hex[2 * LEDGER_COMMIT_LEN + 1];
	json_t *earlier = NULL;
	int rc;

	*out = NULL;
	buf_reset(canon);
	if (commitment == NULL)
		return aims_error_set(AIMS_EVERIFY, NULL, "the entry commits to no record");
	if ((rc = canon_json(canon, record)) != 0)
		return rc;
	ledger_commitment_canon(got, salt, canon->data, canon->len);
	ledger__hex(hex, got, sizeof(got));
	if (strcmp(hex, commitment) == 0) {
		*out = json_incref((json_t *)record);
		return 0;
	}
	/* Written before the kind gained fields: the form without them while empty. */
	if (hist != NULL && hist->earlier_form != NULL &&
	    (earlier = hist->earlier_form(kind, record)) != NULL) {
		buf_reset(canon);
		if ((rc = canon_json(canon, earlier)) != 0) {
			json_decref(earlier);
			return rc;
		}
		ledger_commitment_canon(got, salt, canon->data, canon->len);
		ledger__hex(hex, got, sizeof(got));
		if (strcmp(hex, commitment) == 0) {
			*out = earlier;
			return 0;
		}
		json_decref(earlier);
	}
	buf_reset(canon);
	return aims_error_set(AIMS_EVERIFY, NULL, "the record does not open its commitment");
}
