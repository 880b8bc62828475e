/*
 * ledger_proof.c - offline inclusion proofs: one entry, its audit path to
 * the root of the org's latest signed checkpoint, that checkpoint and the
 * public key, in one JSON document that `aims verify --proof` checks
 * without the database (see ledger.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "ledger/canon.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"

#define PROOF_B64_MAX	64	/* base64 of one hash, with NUL */

static json_t *
proof_b64(const struct merkle_hash *h)
{
	char b64[PROOF_B64_MAX];

	sodium_bin2base64(b64, sizeof(b64), h->h, MERKLE_HASH_LEN, sodium_base64_VARIANT_ORIGINAL);
	return json_string(b64);
}

static int
proof_unb64(struct merkle_hash *out, const char *s, const char *field)
{
	const char *end;
	size_t len;

	if (s == NULL || sodium_base642bin(out->h, MERKLE_HASH_LEN, s, strlen(s), NULL, &len, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || len != MERKLE_HASH_LEN || *end != '\0')
		return aims_error_set(AIMS_EINVALID, field, "%s is not a base64 SHA-256 hash", field);
	return 0;
}

/* The latest checkpoint of an org: size, root and note (note: caller frees). */
static int
proof_checkpoint(uint64_t *size, struct merkle_hash *root, struct buf *note, struct db *db,
    int64_t org_id)
{
	struct db_stmt *st;
	const void *p;
	size_t len;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT size, root, note FROM ledger_checkpoints "
	    "WHERE org_id = ? ORDER BY size DESC LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW) {
		*size = (uint64_t)db_column_int64(st, 0);
		p = db_column_blob(st, 1, &len);
		if (p && len == MERKLE_HASH_LEN)
			memcpy(root->h, p, len);
		buf_puts(note, db_column_text(st, 2));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "org", "the log has no checkpoint yet");
	db_done(st);
	return rc;
}

/* The text of entry seq (caller frees). */
static int
proof_entry(struct buf *out, struct db *db, int64_t org_id, int64_t seq)
{
	struct db_stmt *st;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT entry FROM ledger_entries "
	    "WHERE org_id = ? AND seq = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, seq);
	if ((rc = db_step(st)) == DB_ROW) {
		buf_puts(out, db_column_text(st, 0));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "seq", "no entry %lld", (long long)seq);
	db_done(st);
	return rc;
}

/* Streams the stored leaf hashes of the first size entries into the path. */
static int
proof_path(struct merkle_hash *path, size_t *n, struct db *db, int64_t org_id, uint64_t index,
    uint64_t size)
{
	struct merkle_range r[MERKLE_PROOF_MAX];
	struct merkle_collector c;
	struct merkle_stack s;
	struct merkle_hash leaf;
	struct db_stmt *st;
	const void *p;
	size_t len;
	int rc;

	if ((rc = merkle_path_ranges(r, n, index, size)) != 0)
		return rc;
	merkle_stack_init(&s);
	merkle_collector_init(&c, r, *n, path);
	if ((rc = db_prepare(&st, db, "SELECT leaf_hash FROM ledger_entries "
	    "WHERE org_id = ? AND seq <= ? ORDER BY seq")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, (int64_t)size);
	while ((rc = db_step(st)) == DB_ROW) {
		p = db_column_blob(st, 0, &len);
		memset(leaf.h, 0, sizeof(leaf.h));
		if (p && len == MERKLE_HASH_LEN)
			memcpy(leaf.h, p, len);
		merkle_collector_push(&c, &s, &leaf);
	}
	db_done(st);
	if (rc < 0)
		return rc;
	if (s.size != size)
		return aims_error_set(AIMS_EVERIFY, NULL, "the log holds %llu of the %llu entries "
		    "its checkpoint covers: run 'aims verify'", (unsigned long long)s.size,
		    (unsigned long long)size);
	merkle_collector_take(&c, &s);
	return merkle_collector_done(&c);
}

static json_t *
proof_org(struct db *db, int64_t org_id)
{
	struct db_stmt *st;
	json_t *slug = NULL;

	if (org_id == LEDGER_INSTANCE_ORG ||
	    db_prepare(&st, db, "SELECT slug FROM orgs WHERE id = ?") != 0)
		return json_null();
	db_bind_int64(st, 1, org_id);
	if (db_step(st) == DB_ROW)
		slug = json_string(db_column_text(st, 0));
	db_done(st);
	return slug ? slug : json_null();
}

int
ledger_proof(json_t **out, struct db *db, int64_t org_id, int64_t seq,
    const struct note_verifier *key)
{
	struct merkle_hash root, path[MERKLE_PROOF_MAX];
	struct buf note = BUF_INIT, entry = BUF_INIT, vkey = BUF_INIT;
	char origin[LEDGER_ORIGIN_MAX], summary[LEDGER_REPORT_MAX];
	uint64_t size = 0;
	size_t n = 0, i;
	json_t *p = NULL, *arr;
	int rc;

	*out = NULL;
	if ((rc = proof_checkpoint(&size, &root, &note, db, org_id)) != 0)
		goto done;
	if (seq < 1 || (uint64_t)seq > size) {
		rc = aims_error_set(AIMS_ENOTFOUND, "seq", "entry %lld is not covered by the latest "
		    "checkpoint (entries 1..%llu)", (long long)seq, (unsigned long long)size);
		goto done;
	}
	if ((rc = proof_entry(&entry, db, org_id, seq)) != 0 ||
	    (rc = proof_path(path, &n, db, org_id, (uint64_t)seq - 1, size)) != 0)
		goto done;
	ledger_origin(origin, org_id);
	note_verifier_format(&vkey, key);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, proof_b64(&path[i]));
	p = json_pack("{s:s, s:o, s:s, s:I, s:s, s:I, s:I, s:o, s:o, s:s, s:s}",
	    "format", LEDGER_PROOF_FORMAT, "org", proof_org(db, org_id), "origin", origin,
	    "seq", (json_int_t)seq, "entry", buf_str(&entry), "leaf_index", (json_int_t)(seq - 1),
	    "tree_size", (json_int_t)size, "root", proof_b64(&root), "audit_path", arr,
	    "checkpoint", buf_str(&note), "public_key", buf_str(&vkey));
	if (p == NULL) {
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot build the proof document");
		goto done;
	}
	/* Never hand out a proof that does not check. */
	if ((rc = ledger_proof_verify(summary, p, key)) != 0)
		goto done;
	*out = p;
	p = NULL;
done:
	json_decref(p);
	buf_free(&note);
	buf_free(&entry);
	buf_free(&vkey);
	return rc;
}

/* The proof's fields; strings borrowed from the document. */
struct proof_doc {
	const char	*format, *origin, *entry, *root, *checkpoint, *public_key;
	json_int_t	 seq, leaf_index, tree_size;
	json_t		*org, *path;
};

static int
proof_read(struct proof_doc *d, const json_t *proof)
{
	json_error_t jerr;

	memset(d, 0, sizeof(*d));
	if (json_unpack_ex((json_t *)proof, &jerr, JSON_STRICT,
	    "{s:s, s?o, s:s, s:I, s:s, s:I, s:I, s:s, s:o, s:s, s:s}",
	    "format", &d->format, "org", &d->org, "origin", &d->origin, "seq", &d->seq,
	    "entry", &d->entry, "leaf_index", &d->leaf_index, "tree_size", &d->tree_size,
	    "root", &d->root, "audit_path", &d->path, "checkpoint", &d->checkpoint,
	    "public_key", &d->public_key) != 0)
		return aims_error_set(AIMS_EINVALID, "proof", "not an inclusion proof: %s",
		    jerr.text);
	if (strcmp(d->format, LEDGER_PROOF_FORMAT) != 0)
		return aims_error_set(AIMS_EUNSUPPORTED, "format",
		    "unknown proof format '%s' (expected %s)", d->format, LEDGER_PROOF_FORMAT);
	if (d->org && !json_is_string(d->org) && !json_is_null(d->org))
		return aims_error_set(AIMS_EINVALID, "org", "org must be a slug or null");
	if (!json_is_array(d->path) || json_array_size(d->path) > MERKLE_PROOF_MAX)
		return aims_error_set(AIMS_EINVALID, "audit_path",
		    "audit_path must be an array of at most %d hashes", MERKLE_PROOF_MAX);
	if (d->seq < 1 || d->leaf_index != d->seq - 1 || d->tree_size < d->seq)
		return aims_error_set(AIMS_EINVALID, "leaf_index",
		    "seq, leaf_index and tree_size do not fit together");
	return 0;
}

/* The entry must be canonical and be entry seq. */
static int
proof_entry_check(const struct proof_doc *d)
{
	struct buf b = BUF_INIT;
	json_error_t jerr;
	json_t *e, *seq;
	int rc = 0;

	if ((e = json_loads(d->entry, JSON_REJECT_DUPLICATES, &jerr)) == NULL || !json_is_object(e))
		rc = aims_error_set(AIMS_EINVALID, "entry", "entry is not a JSON object");
	else if ((seq = json_object_get(e, "seq")) == NULL || !json_is_integer(seq) ||
	    json_integer_value(seq) != d->seq)
		rc = aims_error_set(AIMS_EVERIFY, "entry", "the entry is not entry %lld",
		    (long long)d->seq);
	else if (canon_json(&b, e) != 0 || strcmp(buf_str(&b), d->entry) != 0)
		rc = aims_error_set(AIMS_EVERIFY, "entry", "the entry is not in canonical form");
	json_decref(e);
	buf_free(&b);
	return rc;
}

static int
proof_key_equal(const struct note_verifier *a, const struct note_verifier *b)
{
	return strcmp(a->name, b->name) == 0 && memcmp(a->id, b->id, NOTE_KEY_ID_LEN) == 0 &&
	    memcmp(a->pub, b->pub, NOTE_PUBKEY_LEN) == 0;
}

int
ledger_proof_verify(char summary[LEDGER_REPORT_MAX], const json_t *proof,
    const struct note_verifier *pin)
{
	struct merkle_hash root, noted, leaf, path[MERKLE_PROOF_MAX];
	struct note_verifier key;
	struct proof_doc d;
	char origin[NOTE_ORIGIN_MAX + 1];
	uint64_t size;
	size_t tlen, i, n;
	int rc;

	if (summary)
		summary[0] = '\0';
	if ((rc = proof_read(&d, proof)) != 0 ||
	    (rc = note_verifier_parse(&key, d.public_key, strlen(d.public_key))) != 0 ||
	    (rc = proof_unb64(&root, d.root, "root")) != 0)
		return rc;
	if (pin && !proof_key_equal(&key, pin))
		return aims_error_set(AIMS_EVERIFY, "public_key", "the proof is signed by key %s, "
		    "not by the expected key %s", key.name, pin->name);
	n = json_array_size(d.path);
	for (i = 0; i < n; i++)
		if ((rc = proof_unb64(&path[i], json_string_value(json_array_get(d.path, i)),
		    "audit_path")) != 0)
			return rc;
	if ((rc = note_verify(&tlen, d.checkpoint, strlen(d.checkpoint), &key)) != 0)
		return rc;
	if ((rc = note_checkpoint_parse(origin, &size, &noted, d.checkpoint, tlen)) != 0)
		return rc;
	if (strcmp(origin, d.origin) != 0 || size != (uint64_t)d.tree_size ||
	    memcmp(noted.h, root.h, MERKLE_HASH_LEN) != 0)
		return aims_error_set(AIMS_EVERIFY, "checkpoint", "the signed checkpoint (%s, size "
		    "%llu) is not the one the proof names", origin, (unsigned long long)size);
	if ((rc = proof_entry_check(&d)) != 0)
		return rc;
	merkle_hash_leaf(&leaf, d.entry, strlen(d.entry));
	if ((rc = merkle_verify_inclusion((uint64_t)d.leaf_index, size, &leaf, path, n,
	    &root)) != 0)
		return rc;
	if (summary)
		snprintf(summary, LEDGER_REPORT_MAX, "entry %lld is in the log %s of %llu entries, "
		    "signed by key %s+%02x%02x%02x%02x", (long long)d.seq, origin,
		    (unsigned long long)size, key.name, key.id[0], key.id[1], key.id[2], key.id[3]);
	return 0;
}
