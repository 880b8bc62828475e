/*
 * pack_verify.c - checks an audit pack with nothing but the pack
 * (docs/pack.md is the specification this follows step by step): every
 * file against the manifest, the checkpoints' signatures and origin, the
 * consistency proofs between them, every ledger entry's inclusion proof,
 * every record version against its entry's commitment, every evidence file
 * against the hash its evidence version names. The first thing that fails
 * is named and nothing after it is checked.
 *
 * The zip is read as a stream: evidence files are hashed block by block and
 * never held; the JSON and text files (bounded by PACK_JSON_MAX each and
 * PACK_MEMORY_MAX together) are kept until the end.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "io/pack.h"
#include "ledger/canon.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "ledger/sha256.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#define PV_BLOCK		(1024 * 1024)
#define PV_EVIDENCE_DIR		"evidence/"
#define PV_EVIDENCE_KIND	"evidence"

struct pv_file {
	char		*path;
	uint8_t		 sha[SHA256_LEN];
	uint64_t	 size;
	char		*data;		/* NUL-terminated; NULL for evidence */
	int		 listed;	/* in the manifest */
	int		 cited;		/* by pack.json */
};

struct pv {
	struct pack_report	*r;
	struct pv_file		*f;
	size_t			 n, cap;
	json_t			*names;		/* path -> index into f */
	uint64_t		 memory;
	struct note_verifier	 key;
	char			 origin[NOTE_ORIGIN_MAX + 1];
	uint64_t		 size;		/* the last checkpoint's */
	struct merkle_hash	 root;
	json_t			*index, *ledger;
	json_t			*entries;	/* seq (text) -> ledger element */
};

__attribute__((format(printf, 2, 3)))
static int
pv_fail(struct pv *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->r->failure, sizeof(v->r->failure), fmt, ap);
	va_end(ap);
	return aims_error_set(AIMS_EVERIFY, NULL, "%s", v->r->failure);
}

static struct pv_file *
pv_get(struct pv *v, const char *path)
{
	json_t *i = path ? json_object_get(v->names, path) : NULL;

	return i ? &v->f[json_integer_value(i)] : NULL;
}

/* A plain relative name: no absolute path, no "..", no empty part, no backslash. */
static int
pv_name_ok(const char *s)
{
	const char *p;
	size_t len = strlen(s);

	if (len == 0 || len >= PACK_PATH_MAX || s[0] == '/' || s[len - 1] == '/' ||
	    strchr(s, '\\') != NULL || strstr(s, "//") != NULL)
		return 0;
	for (p = s; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
			return 0;
		if (p[0] == '.' && (p[1] == '/' || p[1] == '\0'))
			return 0;
	}
	return 1;
}

static int
pv_read_entry(struct pv *v, struct archive *a, struct archive_entry *e)
{
	struct sha256_ctx h;
	struct pv_file *f;
	struct buf b = BUF_INIT;
	const char *path = archive_entry_pathname(e);
	char *block = NULL;
	int keep, rc = 0;
	la_ssize_t r;

	if (path == NULL || !pv_name_ok(path))
		return pv_fail(v, "the pack holds a file with an unsafe name '%s'",
		    path ? path : "(none)");
	if (archive_entry_filetype(e) != AE_IFREG)
		return pv_fail(v, "%s is not a regular file", path);
	if (json_object_get(v->names, path))
		return pv_fail(v, "%s is in the pack twice", path);
	if (v->n >= PACK_FILES_MAX)
		return aims_error_set(AIMS_ETOOBIG, NULL, "the pack holds more than %d files",
		    PACK_FILES_MAX);
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 256;
		v->f = xrealloc(v->f, v->cap * sizeof(*v->f));
	}
	f = &v->f[v->n];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	json_object_set_new(v->names, path, json_integer((json_int_t)v->n));
	v->n++;
	keep = strncmp(path, PV_EVIDENCE_DIR, strlen(PV_EVIDENCE_DIR)) != 0;
	block = xmalloc(PV_BLOCK);
	sha256_init(&h);
	while ((r = archive_read_data(a, block, PV_BLOCK)) > 0) {
		sha256_update(&h, block, (size_t)r);
		f->size += (uint64_t)r;
		if (keep) {
			if (f->size > PACK_JSON_MAX || (v->memory += (uint64_t)r) > PACK_MEMORY_MAX) {
				rc = aims_error_set(AIMS_ETOOBIG, NULL, "%s is larger than a pack's "
				    "JSON and text files may be", path);
				goto done;
			}
			buf_append(&b, block, (size_t)r);
		}
	}
	if (r < 0) {
		rc = pv_fail(v, "cannot read %s from the pack: %s", path,
		    archive_error_string(a) ? archive_error_string(a) : "damaged");
		goto done;
	}
	sha256_final(f->sha, &h);
	if (keep) {
		buf_putc(&b, '\0');
		b.len--;
		f->data = buf_detach(&b);
	}
done:
	buf_free(&b);
	free(block);
	return rc;
}

static int
pv_hex32(uint8_t out[32], const char *hex)
{
	size_t len;

	return hex == NULL || strlen(hex) != 64 || sodium_hex2bin(out, 32, hex, 64, NULL, &len,
	    NULL) != 0 || len != 32 ? -1 : 0;
}

static int
pv_b64(struct merkle_hash *out, const json_t *s)
{
	const char *t = json_string_value(s), *end;
	size_t len;

	return t == NULL || sodium_base642bin(out->h, MERKLE_HASH_LEN, t, strlen(t), NULL, &len,
	    &end, sodium_base64_VARIANT_ORIGINAL) != 0 || len != MERKLE_HASH_LEN ||
	    *end != '\0' ? -1 : 0;
}

static int
pv_hashes(struct merkle_hash out[MERKLE_PROOF_MAX], size_t *n, const json_t *arr)
{
	size_t i;

	if (!json_is_array(arr) || (*n = json_array_size(arr)) > MERKLE_PROOF_MAX)
		return -1;
	for (i = 0; i < *n; i++)
		if (pv_b64(&out[i], json_array_get(arr, i)) != 0)
			return -1;
	return 0;
}

static json_t *
pv_json(struct pv *v, const char *path)
{
	struct pv_file *f = pv_get(v, path);
	json_error_t jerr;
	json_t *j;

	if (f == NULL || f->data == NULL) {
		pv_fail(v, "%s is missing from the pack", path ? path : "a file pack.json names");
		return NULL;
	}
	if ((j = json_loadb(f->data, f->size, JSON_REJECT_DUPLICATES, &jerr)) == NULL ||
	    !json_is_object(j)) {
		json_decref(j);
		pv_fail(v, "%s is not a JSON object (line %d: %s)", path, jerr.line, jerr.text);
		return NULL;
	}
	return j;
}

/* Step 1: every file is in the manifest with its hash and size, and only those. */
static int
pv_manifest(struct pv *v)
{
	json_t *m, *files, *it;
	struct pv_file *f;
	uint8_t sha[SHA256_LEN];
	const char *path;
	size_t i;
	int rc = 0;

	if ((m = pv_json(v, PACK_MANIFEST)) == NULL)
		return AIMS_EVERIFY;
	if (!json_is_string(json_object_get(m, "format")) ||
	    strcmp(json_string_value(json_object_get(m, "format")), PACK_FORMAT) != 0) {
		rc = aims_error_set(AIMS_EINVALID, "format", "not an audit pack of format %s",
		    PACK_FORMAT);
		goto done;
	}
	if (!json_is_array(files = json_object_get(m, "files"))) {
		rc = pv_fail(v, "%s has no files list", PACK_MANIFEST);
		goto done;
	}
	json_array_foreach(files, i, it) {
		path = json_string_value(json_object_get(it, "path"));
		if (path == NULL || strcmp(path, PACK_MANIFEST) == 0) {
			rc = pv_fail(v, "%s: file %zu has no usable path", PACK_MANIFEST, i + 1);
			goto done;
		}
		if ((f = pv_get(v, path)) == NULL) {
			rc = pv_fail(v, "%s is in the manifest but not in the pack", path);
			goto done;
		}
		if (f->listed) {
			rc = pv_fail(v, "%s is in the manifest twice", path);
			goto done;
		}
		f->listed = 1;
		if (pv_hex32(sha, json_string_value(json_object_get(it, "sha256"))) != 0 ||
		    memcmp(sha, f->sha, SHA256_LEN) != 0) {
			rc = pv_fail(v, "%s: its SHA-256 is not the one in the manifest", path);
			goto done;
		}
		if (!json_is_integer(json_object_get(it, "size")) ||
		    (uint64_t)json_integer_value(json_object_get(it, "size")) != f->size) {
			rc = pv_fail(v, "%s: its size is not the one in the manifest", path);
			goto done;
		}
	}
	for (i = 0; i < v->n; i++)
		if (!v->f[i].listed && strcmp(v->f[i].path, PACK_MANIFEST) != 0) {
			rc = pv_fail(v, "%s is in the pack but not in the manifest", v->f[i].path);
			goto done;
		}
	v->r->stats.files = (int64_t)v->n - 1;
	for (i = 0; i < v->n; i++)
		v->r->stats.bytes += v->f[i].size;
done:
	json_decref(m);
	return rc;
}

static int
pv_key_equal(const struct note_verifier *a, const struct note_verifier *b)
{
	return strcmp(a->name, b->name) == 0 && memcmp(a->id, b->id, NOTE_KEY_ID_LEN) == 0 &&
	    memcmp(a->pub, b->pub, NOTE_PUBKEY_LEN) == 0;
}

/* Step 2: the public key, and the pinned one when given. */
static int
pv_key(struct pv *v, const struct note_verifier *pin)
{
	const char *path = json_string_value(json_object_get(v->index, "public_key"));
	struct pv_file *f = pv_get(v, path);
	size_t len;

	if (f == NULL || f->data == NULL)
		return pv_fail(v, "the public key file is missing from the pack");
	len = f->size;
	while (len > 0 && (f->data[len - 1] == '\n' || f->data[len - 1] == '\r'))
		len--;
	if (note_verifier_parse(&v->key, f->data, len) != 0)
		return pv_fail(v, "%s is not a signed-note verifier key", path);
	f->cited = 1;
	snprintf(v->r->key, sizeof(v->r->key), "%s+%02x%02x%02x%02x", v->key.name, v->key.id[0],
	    v->key.id[1], v->key.id[2], v->key.id[3]);
	if (pin && !pv_key_equal(&v->key, pin))
		return pv_fail(v, "the pack carries key %s, not the pinned key %s", v->r->key,
		    pin->name);
	return 0;
}

/* Step 3: every checkpoint signed, of this log, growing, consistent with the next. */
static int
pv_checkpoints(struct pv *v)
{
	json_t *cps = json_object_get(v->index, "checkpoints");
	json_t *cons = json_object_get(v->index, "consistency"), *c;
	struct merkle_hash root, prev_root, proof[MERKLE_PROOF_MAX];
	char origin[NOTE_ORIGIN_MAX + 1];
	const char *path;
	struct pv_file *f;
	uint64_t size, prev = 0;
	size_t i, tlen, n;

	if (!json_is_array(cps) || json_array_size(cps) == 0 || !json_is_array(cons) ||
	    json_array_size(cons) != json_array_size(cps) - 1)
		return pv_fail(v, "pack.json must list the checkpoints and one consistency proof "
		    "between each two");
	for (i = 0; i < json_array_size(cps); i++) {
		path = json_string_value(json_array_get(cps, i));
		if ((f = pv_get(v, path)) == NULL || f->data == NULL)
			return pv_fail(v, "checkpoint %s is missing from the pack",
			    path ? path : "(unnamed)");
		f->cited = 1;
		if (note_verify(&tlen, f->data, f->size, &v->key) != 0)
			return pv_fail(v, "checkpoint %s is not signed by the pack's key %s", path,
			    v->r->key);
		if (note_checkpoint_parse(origin, &size, &root, f->data, tlen) != 0)
			return pv_fail(v, "checkpoint %s is not a checkpoint", path);
		if (strcmp(origin, v->origin) != 0)
			return pv_fail(v, "checkpoint %s is of log %s, not of this pack's log %s", path,
			    origin, v->origin);
		if (i > 0) {
			c = json_array_get(cons, i - 1);
			if (size <= prev)
				return pv_fail(v, "checkpoint %s is not larger than the one before", path);
			if (!json_is_integer(json_object_get(c, "from")) ||
			    !json_is_integer(json_object_get(c, "to")) ||
			    (uint64_t)json_integer_value(json_object_get(c, "from")) != prev ||
			    (uint64_t)json_integer_value(json_object_get(c, "to")) != size ||
			    pv_hashes(proof, &n, json_object_get(c, "proof")) != 0)
				return pv_fail(v, "consistency proof %zu does not name checkpoints of "
				    "%llu and %llu entries", i, (unsigned long long)prev,
				    (unsigned long long)size);
			if (merkle_verify_consistency(prev, size, &prev_root, &root, proof, n) != 0)
				return pv_fail(v, "checkpoint %s is not consistent with the checkpoint "
				    "of %llu entries before it: the log was rewritten", path,
				    (unsigned long long)prev);
		}
		prev = size;
		prev_root = root;
	}
	aims_error_clear();
	v->size = prev;
	v->root = prev_root;
	v->r->stats.checkpoints = (int64_t)json_array_size(cps);
	v->r->stats.tree_size = prev;
	return 0;
}

/* Step 4: ledger.json's entries, in order, canonical, each in the latest checkpoint's tree. */
static int
pv_ledger(struct pv *v)
{
	struct merkle_hash leaf, path[MERKLE_PROOF_MAX];
	struct pv_file *f;
	struct buf canon = BUF_INIT;
	json_t *entries, *it, *e;
	const char *text;
	json_int_t seq, prev = 0;
	char key[32];
	size_t i, n;
	int rc = 0;

	if ((f = pv_get(v, json_string_value(json_object_get(v->index, "ledger")))) == NULL ||
	    (v->ledger = pv_json(v, f->path)) == NULL)
		return pv_fail(v, "the ledger file is missing from the pack");
	f->cited = 1;
	if (!json_is_integer(json_object_get(v->ledger, "tree_size")) ||
	    (uint64_t)json_integer_value(json_object_get(v->ledger, "tree_size")) != v->size)
		return pv_fail(v, "%s: tree_size is not the size of the latest checkpoint (%llu)",
		    f->path, (unsigned long long)v->size);
	if (!json_is_array(entries = json_object_get(v->ledger, "entries")))
		return pv_fail(v, "%s has no entries", f->path);
	json_array_foreach(entries, i, it) {
		if (!json_is_integer(json_object_get(it, "seq")) ||
		    (text = json_string_value(json_object_get(it, "entry"))) == NULL)
			return pv_fail(v, "%s: element %zu is not a ledger entry", f->path, i + 1);
		seq = json_integer_value(json_object_get(it, "seq"));
		if (seq <= prev)
			return pv_fail(v, "ledger entry %lld comes after entry %lld: the entries are "
			    "out of order", (long long)seq, (long long)prev);
		if (seq < 1 || (uint64_t)seq > v->size)
			return pv_fail(v, "ledger entry %lld is outside the latest checkpoint "
			    "(entries 1..%llu)", (long long)seq, (unsigned long long)v->size);
		prev = seq;
		e = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
		buf_reset(&canon);
		if (e == NULL || !json_is_object(e) || canon_json(&canon, e) != 0 ||
		    strcmp(buf_str(&canon), text) != 0 ||
		    !json_is_integer(json_object_get(e, "seq")) ||
		    json_integer_value(json_object_get(e, "seq")) != seq) {
			json_decref(e);
			rc = pv_fail(v, "ledger entry %lld: its text is not the canonical JSON of "
			    "entry %lld", (long long)seq, (long long)seq);
			goto done;
		}
		json_decref(e);
		if (pv_hashes(path, &n, json_object_get(it, "audit_path")) != 0) {
			rc = pv_fail(v, "ledger entry %lld: its audit_path is not a list of hashes",
			    (long long)seq);
			goto done;
		}
		merkle_hash_leaf(&leaf, text, strlen(text));
		if (merkle_verify_inclusion((uint64_t)seq - 1, v->size, &leaf, path, n,
		    &v->root) != 0) {
			rc = pv_fail(v, "ledger entry %lld is not in the signed log of %llu entries: "
			    "its inclusion proof fails", (long long)seq, (unsigned long long)v->size);
			goto done;
		}
		snprintf(key, sizeof(key), "%lld", (long long)seq);
		json_object_set(v->entries, key, it);
	}
	aims_error_clear();
done:
	buf_free(&canon);
	return rc;
}

/* Step 5: each cited record version against its entry's commitment. */
static int
pv_record(struct pv *v, const json_t *rec)
{
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	const char *ref = json_string_value(json_object_get(rec, "ref"));
	const char *path = json_string_value(json_object_get(rec, "path"));
	json_int_t version = json_integer_value(json_object_get(rec, "version"));
	json_int_t seq = json_integer_value(json_object_get(rec, "seq"));
	uint8_t salt[LEDGER_SALT_LEN], want[LEDGER_COMMIT_LEN], got[LEDGER_COMMIT_LEN];
	char key[32], evpath[PACK_PATH_MAX];
	struct pv_file *f, *ef;
	json_t *el, *e = NULL, *data = NULL;
	const char *sha;
	uint8_t esha[SHA256_LEN];
	int rc = 0;

	if (kind == NULL || ref == NULL || path == NULL || version < 1 || seq < 1)
		return pv_fail(v, "pack.json: a record lacks kind, ref, version, seq or path");
	if ((f = pv_get(v, path)) == NULL || f->data == NULL)
		return pv_fail(v, "%s %s version %lld: %s is missing from the pack", kind, ref,
		    (long long)version, path);
	f->cited = 1;
	snprintf(key, sizeof(key), "%lld", (long long)seq);
	if ((el = json_object_get(v->entries, key)) == NULL)
		return pv_fail(v, "%s %s version %lld cites ledger entry %lld, which the pack "
		    "does not hold", kind, ref, (long long)version, (long long)seq);
	e = json_loads(json_string_value(json_object_get(el, "entry")), 0, NULL);
	if (e == NULL || !json_is_string(json_object_get(e, "kind")) ||
	    strcmp(json_string_value(json_object_get(e, "kind")), kind) != 0 ||
	    !json_is_string(json_object_get(e, "ref")) ||
	    strcmp(json_string_value(json_object_get(e, "ref")), ref) != 0 ||
	    json_integer_value(json_object_get(e, "version")) != version) {
		rc = pv_fail(v, "%s %s version %lld: ledger entry %lld wrote another record or "
		    "version", kind, ref, (long long)version, (long long)seq);
		goto done;
	}
	if (pv_hex32(salt, json_string_value(json_object_get(el, "salt"))) != 0 ||
	    pv_hex32(want, json_string_value(json_object_get(e, "commitment"))) != 0) {
		rc = pv_fail(v, "%s %s version %lld: ledger entry %lld has no salt or commitment "
		    "to open", kind, ref, (long long)version, (long long)seq);
		goto done;
	}
	sha256_concat(got, salt, sizeof(salt), f->data, f->size);
	if (sodium_memcmp(got, want, LEDGER_COMMIT_LEN) != 0) {
		rc = pv_fail(v, "%s %s version %lld (%s) does not match the commitment of ledger "
		    "entry %lld: the record was changed", kind, ref, (long long)version, path,
		    (long long)seq);
		goto done;
	}
	/* An evidence version naming a file: that file, by that hash, is in the pack. */
	if (strcmp(kind, PV_EVIDENCE_KIND) == 0 &&
	    (data = json_loadb(f->data, f->size, 0, NULL)) != NULL &&
	    (sha = json_string_value(json_object_get(data, "sha256"))) != NULL) {
		snprintf(evpath, sizeof(evpath), "%s%s", PV_EVIDENCE_DIR, sha);
		if ((ef = pv_get(v, evpath)) == NULL) {
			rc = pv_fail(v, "evidence %s version %lld names file %s, which the pack does "
			    "not hold", ref, (long long)version, sha);
			goto done;
		}
		if (pv_hex32(esha, sha) != 0 || memcmp(esha, ef->sha, SHA256_LEN) != 0) {
			rc = pv_fail(v, "%s is not the file evidence %s version %lld names: its "
			    "SHA-256 differs", evpath, ref, (long long)version);
			goto done;
		}
		if (!ef->cited)
			v->r->stats.evidence++;
		ef->cited = 1;
	}
	v->r->stats.records++;
done:
	json_decref(e);
	json_decref(data);
	return rc;
}

static int
pv_records(struct pv *v)
{
	json_t *recs = json_object_get(v->index, "records"), *it, *reports;
	const char *soa = json_string_value(json_object_get(v->index, "soa"));
	struct pv_file *f;
	size_t i;
	int rc, soa_cited = soa == NULL;

	if (!json_is_array(recs))
		return pv_fail(v, "pack.json has no records list");
	json_array_foreach(recs, i, it) {
		if ((rc = pv_record(v, it)) != 0)
			return rc;
		if (soa && strcmp(soa, json_string_value(json_object_get(it, "path"))) == 0)
			soa_cited = 1;
	}
	if (!soa_cited)
		return pv_fail(v, "the SoA %s is not one of the records the pack proves", soa);
	reports = json_object_get(v->index, "reports");
	json_array_foreach(reports, i, it) {
		if ((f = pv_get(v, json_string_value(it))) == NULL)
			return pv_fail(v, "report %s is missing from the pack",
			    json_string_value(it) ? json_string_value(it) : "(unnamed)");
		f->cited = 1;
	}
	/* Nothing rides along unproved: every file is a record, proof, key or report. */
	for (i = 0; i < v->n; i++) {
		f = &v->f[i];
		if (!f->cited && strcmp(f->path, PACK_MANIFEST) != 0 &&
		    strcmp(f->path, PACK_INDEX) != 0)
			return pv_fail(v, "%s is in the pack but no record, proof or report "
			    "pack.json lists cites it", f->path);
	}
	return 0;
}

static int
pv_run(struct pv *v, struct archive *a, const struct note_verifier *pin)
{
	struct archive_entry *e;
	const char *fmt, *org, *origin;
	int rc;

	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK)
		if ((rc = pv_read_entry(v, a, e)) != 0)
			return rc;
	if (rc != ARCHIVE_EOF)
		return aims_error_set(AIMS_EINVALID, "pack", "not a readable zip: %s",
		    archive_error_string(a) ? archive_error_string(a) : "damaged");
	if ((rc = pv_manifest(v)) != 0)
		return rc;
	if ((v->index = pv_json(v, PACK_INDEX)) == NULL)
		return AIMS_EVERIFY;
	fmt = json_string_value(json_object_get(v->index, "format"));
	origin = json_string_value(json_object_get(v->index, "origin"));
	if (fmt == NULL || strcmp(fmt, PACK_FORMAT) != 0)
		return aims_error_set(AIMS_EINVALID, "format", "not an audit pack of format %s",
		    PACK_FORMAT);
	if (origin == NULL || strlen(origin) > NOTE_ORIGIN_MAX)
		return pv_fail(v, "pack.json names no log origin");
	snprintf(v->origin, sizeof(v->origin), "%s", origin);
	if ((org = json_string_value(json_object_get(v->index, "org"))) != NULL)
		snprintf(v->r->org, sizeof(v->r->org), "%s", org);
	if ((rc = pv_key(v, pin)) != 0 || (rc = pv_checkpoints(v)) != 0 ||
	    (rc = pv_ledger(v)) != 0 || (rc = pv_records(v)) != 0)
		return rc;
	return 0;
}

static int
pv_main(struct pack_report *r, struct archive *a, int opened, const struct note_verifier *pin)
{
	struct pv v;
	size_t i;
	int rc;

	memset(&v, 0, sizeof(v));
	v.r = r;
	v.names = json_object();
	v.entries = json_object();
	if (opened != ARCHIVE_OK)
		rc = aims_error_set(AIMS_EINVALID, "pack", "cannot open the pack: %s",
		    archive_error_string(a) ? archive_error_string(a) : "not a zip");
	else
		rc = pv_run(&v, a, pin);
	if (rc != 0 && r->failure[0] == '\0')
		snprintf(r->failure, sizeof(r->failure), "%s", aims_error_message());
	archive_read_free(a);
	for (i = 0; i < v.n; i++) {
		free(v.f[i].path);
		free(v.f[i].data);
	}
	free(v.f);
	json_decref(v.names);
	json_decref(v.entries);
	json_decref(v.index);
	json_decref(v.ledger);
	return rc;
}

static struct archive *
pv_archive(void)
{
	struct archive *a = archive_read_new();

	if (a == NULL)
		abort();	/* libarchive allocates nothing else before this */
	archive_read_support_format_zip(a);
	return a;
}

int
pack_verify_file(struct pack_report *r, const char *path, const struct note_verifier *pin)
{
	struct archive *a = pv_archive();

	memset(r, 0, sizeof(*r));
	return pv_main(r, a, archive_read_open_filename(a, path, PV_BLOCK), pin);
}

int
pack_verify_memory(struct pack_report *r, const void *data, size_t len,
    const struct note_verifier *pin)
{
	struct archive *a = pv_archive();

	memset(r, 0, sizeof(*r));
	return pv_main(r, a, archive_read_open_memory(a, data, len), pin);
}
