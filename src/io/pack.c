/*
 * pack.c - writes the audit pack (pack.h, docs/pack.md): the records in
 * scope, each cited version as the canonical JSON its ledger entry commits
 * to, the published SoA, the evidence files, the readiness report, and the
 * log material that proves them (entries, salts, inclusion proofs to the
 * latest signed checkpoint, an older checkpoint with the consistency proof
 * to it, the public key), then the manifest of every file's hash and size.
 *
 * The zip is streamed through libarchive to the file descriptor: evidence
 * files go through in blocks and only the small JSON index files are built
 * in memory. Evidence is stored as it is (mostly already compressed, and
 * the pack should be written at disk speed); JSON and HTML are deflated.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/audit.h"
#include "core/evidence.h"
#include "core/record.h"
#include "core/soa.h"
#include "engine/readiness.h"
#include "io/pack.h"
#include "io/report.h"
#include "ledger/canon.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "ledger/sha256.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"

#define PACK_BLOCK		(1024 * 1024)	/* bytes read from an evidence file at once */
#define PACK_B64_MAX		64
#define PACK_EVIDENCE_KIND	"evidence"
#define PACK_AUDIT_KIND		"audits"	/* whose issued reports the pack carries */

struct pack_version {
	char	*kind, *ref;
	int64_t	 version;
};

struct pack_cited {
	int64_t	 seq;
	json_t	*ledger;	/* {seq, entry, salt, audit_path} */
};

struct pack_ctx {
	struct archive		*a;
	struct db		*db;
	int64_t			 org_id;
	const struct pack_options *o;
	struct ledger_tree	*tree;
	uint64_t		 size;		/* the latest checkpoint's */
	char			 since[CLOCK_RFC3339_LEN];
	json_t			*manifest;	/* [{path, sha256, size}] */
	json_t			*records;	/* pack.json's records */
	json_t			*evidence;	/* sha256 -> {path, size, cited_by} */
	struct pack_cited	*cited;
	size_t			 ncited, capcited;
	struct pack_version	*v;
	size_t			 nv, capv;
	uint64_t		 min_seq;
	struct pack_stats	*st;
};

static int
pack_archive_error(struct pack_ctx *p, const char *what)
{
	return aims_error_set(AIMS_ERROR, NULL, "cannot write the pack (%s): %s", what,
	    archive_error_string(p->a) ? archive_error_string(p->a) : "unknown error");
}

static void
pack_hex(char *out, const uint8_t *in, size_t len)
{
	sodium_bin2hex(out, 2 * len + 1, in, len);
}

static json_t *
pack_b64(const struct merkle_hash *h)
{
	char b64[PACK_B64_MAX];

	sodium_bin2base64(b64, sizeof(b64), h->h, MERKLE_HASH_LEN, sodium_base64_VARIANT_ORIGINAL);
	return json_string(b64);
}

static int
pack_header(struct pack_ctx *p, const char *path, uint64_t size, int deflate)
{
	struct archive_entry *e;
	int rc = 0;

	if ((deflate ? archive_write_zip_set_compression_deflate(p->a) :
	    archive_write_zip_set_compression_store(p->a)) != ARCHIVE_OK)
		return pack_archive_error(p, path);
	e = archive_entry_new();
	archive_entry_set_pathname(e, path);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, clock_now(), 0);
	if (archive_write_header(p->a, e) != ARCHIVE_OK)
		rc = pack_archive_error(p, path);
	archive_entry_free(e);
	return rc;
}

static void
pack_manifest_add(struct pack_ctx *p, const char *path, const uint8_t sha[SHA256_LEN],
    uint64_t size)
{
	char hex[2 * SHA256_LEN + 1];

	pack_hex(hex, sha, SHA256_LEN);
	json_array_append_new(p->manifest, json_pack("{s:s, s:s, s:I}", "path", path,
	    "sha256", hex, "size", (json_int_t)size));
	p->st->files++;
	p->st->bytes += size;
}

static int
pack_put(struct pack_ctx *p, const char *path, const void *data, size_t len, int deflate)
{
	uint8_t sha[SHA256_LEN];
	int rc;

	if ((rc = pack_header(p, path, len, deflate)) != 0)
		return rc;
	if (len > 0 && archive_write_data(p->a, data, len) != (la_ssize_t)len)
		return pack_archive_error(p, path);
	sha256_concat(sha, data, len, NULL, 0);
	pack_manifest_add(p, path, sha, len);
	return 0;
}

static int
pack_put_json(struct pack_ctx *p, const char *path, const json_t *v)
{
	char *s;
	int rc;

	if ((s = json_dumps(v, JSON_INDENT(1) | JSON_SORT_KEYS)) == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "cannot write %s", path);
	rc = pack_put(p, path, s, strlen(s), 1);
	free(s);
	return rc;
}

/* Names inside the pack are built from kinds and references: keep them plain. */
static int
pack_name_ok(const char *s)
{
	const char *c;

	if (s[0] == '\0' || s[0] == '.' || strlen(s) > 128)
		return 0;
	for (c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.'))
			return 0;
	return 1;
}

static int
pack_collect(void *arg, const char *kind, const char *ref, int64_t version)
{
	struct pack_ctx *p = arg;

	if (p->nv == p->capv) {
		p->capv = p->capv ? 2 * p->capv : 1024;
		p->v = xrealloc(p->v, p->capv * sizeof(*p->v));
	}
	p->v[p->nv].kind = xstrdup(kind);
	p->v[p->nv].ref = xstrdup(ref);
	p->v[p->nv].version = version;
	p->nv++;
	return 0;
}

/* Is the record linked to one of the requirements asked for? */
static int
pack_in_scope(int *yes, struct pack_ctx *p, const char *kind, const char *ref)
{
	struct db_stmt *st = NULL;
	size_t i;
	int rc;

	*yes = p->o->requirements == NULL;
	for (i = 0; !*yes && i < p->o->nrequirements; i++) {
		if ((rc = db_prepare(&st, p->db, "SELECT 1 FROM record_links WHERE org_id = ? "
		    "AND from_kind = ? AND from_ref = ? AND to_kind = 'requirement' "
		    "AND to_ref = ? LIMIT 1")) != 0)
			return rc;
		db_bind_int64(st, 1, p->org_id);
		db_bind_text(st, 2, kind);
		db_bind_text(st, 3, ref);
		db_bind_text(st, 4, p->o->requirements[i]);
		rc = db_step(st);
		db_done(st);
		if (rc < 0)
			return rc;
		*yes = rc == DB_ROW;
	}
	return 0;
}

/*
 * Writes one version as the canonical JSON its entry commits to, checks it
 * against the commitment, and keeps the entry, the salt and the audit path
 * for ledger.json. *skipped: the entry is newer than the checkpoint, or
 * (with since) older than since and not the record's latest version.
 */
static int
pack_version(struct pack_ctx *p, const char *kind, const char *ref, int64_t version,
    const json_t *record, int latest, const char *dir)
{
	struct merkle_hash path[MERKLE_PROOF_MAX];
	uint8_t salt[LEDGER_SALT_LEN];
	char saltx[2 * LEDGER_SALT_LEN + 1], name[PACK_PATH_MAX];
	struct buf entry = BUF_INIT, canon = BUF_INIT;
	json_t *e = NULL, *form = NULL, *arr;
	const char *time, *want;
	int64_t seq;
	size_t n, i;
	int rc, has_salt;

	if ((rc = ledger_version_entry(&seq, &entry, salt, &has_salt, p->db, p->org_id, kind, ref,
	    version)) != 0)
		goto done;
	/* The pack shows the log as of its checkpoint; a later write waits for the next. */
	if ((uint64_t)seq > p->size)
		goto done;
	if ((e = json_loads(buf_str(&entry), 0, NULL)) == NULL) {
		rc = aims_error_set(AIMS_EVERIFY, NULL, "ledger entry %lld is not JSON: run "
		    "'aims verify'", (long long)seq);
		goto done;
	}
	time = json_string_value(json_object_get(e, "time"));
	if (p->since[0] && !latest && (time == NULL || strcmp(time, p->since) < 0))
		goto done;
	if (!has_salt) {
		rc = aims_error_set(AIMS_EVERIFY, NULL, "%s %s version %lld was erased from the "
		    "log (its salt is gone): it cannot be packed", kind, ref, (long long)version);
		goto done;
	}
	/* The bytes committed to: an upgraded database's older entries leave out newer fields. */
	if ((rc = ledger_opening_form(&form, &canon, kind, record, salt,
	    json_string_value(json_object_get(e, "commitment")))) != 0) {
		rc = aims_error_set(AIMS_EVERIFY, NULL, "%s %s version %lld does not match its "
		    "ledger entry %lld: run 'aims verify'", kind, ref, (long long)version,
		    (long long)seq);
		goto done;
	}
	snprintf(name, sizeof(name), "%s/v%lld.json", dir, (long long)version);
	if ((rc = pack_put(p, name, canon.data, canon.len, 1)) != 0)
		goto done;
	if ((rc = ledger_tree_path(path, &n, p->tree, (uint64_t)seq - 1, p->size)) != 0)
		goto done;
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, pack_b64(&path[i]));
	pack_hex(saltx, salt, LEDGER_SALT_LEN);
	if (p->ncited == p->capcited) {
		p->capcited = p->capcited ? 2 * p->capcited : 1024;
		p->cited = xrealloc(p->cited, p->capcited * sizeof(*p->cited));
	}
	p->cited[p->ncited].seq = seq;
	p->cited[p->ncited].ledger = json_pack("{s:I, s:s, s:s, s:o}", "seq", (json_int_t)seq,
	    "entry", buf_str(&entry), "salt", saltx, "audit_path", arr);
	p->ncited++;
	if (p->min_seq == 0 || (uint64_t)seq < p->min_seq)
		p->min_seq = (uint64_t)seq;
	json_array_append_new(p->records, json_pack("{s:s, s:s, s:I, s:I, s:s}", "kind", kind,
	    "ref", ref, "version", (json_int_t)version, "seq", (json_int_t)seq, "path", name));
	p->st->records++;
	/* An evidence version that names a file cites that file. */
	if (strcmp(kind, PACK_EVIDENCE_KIND) == 0 &&
	    (want = json_string_value(json_object_get(form, "sha256"))) != NULL &&
	    json_object_get(p->evidence, want) == NULL)
		json_object_set_new(p->evidence, want, json_pack("{s:s, s:I}", "ref", ref,
		    "version", (json_int_t)version));
done:
	json_decref(e);
	json_decref(form);
	sodium_memzero(salt, sizeof(salt));
	buf_free(&entry);
	buf_free(&canon);
	return rc;
}

static int
pack_records(struct pack_ctx *p)
{
	char action[LEDGER_FIELD_MAX + 1], dir[PACK_PATH_MAX];
	json_t *rec;
	size_t i;
	int rc, yes = 0, latest;

	if ((rc = record_enumerate_versions(p->db, p->org_id, pack_collect, p)) != 0)
		return rc;
	for (i = 0; i < p->nv; i++) {
		/* Versions come by record, oldest first: the scope is decided once per record. */
		if (i == 0 || strcmp(p->v[i].kind, p->v[i - 1].kind) != 0 ||
		    strcmp(p->v[i].ref, p->v[i - 1].ref) != 0) {
			if (!pack_name_ok(p->v[i].kind) || !pack_name_ok(p->v[i].ref))
				return aims_error_set(AIMS_EINVALID, "ref", "%s %s cannot name a "
				    "file in the pack", p->v[i].kind, p->v[i].ref);
			if ((rc = pack_in_scope(&yes, p, p->v[i].kind, p->v[i].ref)) != 0)
				return rc;
		}
		if (!yes)
			continue;
		latest = i + 1 == p->nv || strcmp(p->v[i].kind, p->v[i + 1].kind) != 0 ||
		    strcmp(p->v[i].ref, p->v[i + 1].ref) != 0;
		if ((rc = record_load_version_for_ledger(&rec, action, p->db, p->org_id,
		    p->v[i].kind, p->v[i].ref, p->v[i].version)) != 0)
			return rc;
		snprintf(dir, sizeof(dir), "records/%s/%s", p->v[i].kind, p->v[i].ref);
		rc = pack_version(p, p->v[i].kind, p->v[i].ref, p->v[i].version, rec, latest, dir);
		json_decref(rec);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The latest published SoA, always: one committed document, never a part of it. */
static int
pack_soa(struct pack_ctx *p, json_t **soa_path)
{
	json_t *soa = NULL;
	char ref[32];
	size_t before = p->ncited;
	int rc;

	*soa_path = json_null();
	if ((rc = soa_version_get(&soa, p->db, p->org_id, 0)) == AIMS_ENOTFOUND) {
		aims_error_clear();
		return 0;
	}
	if (rc != 0)
		return rc;
	snprintf(ref, sizeof(ref), "%lld",
	    (long long)json_integer_value(json_object_get(soa, "version")));
	rc = pack_version(p, SOA_LEDGER_KIND, ref, 1, soa, 1, "soa");
	json_decref(soa);
	if (rc == 0 && p->ncited > before) {
		json_decref(*soa_path);
		*soa_path = json_string(json_string_value(json_object_get(
		    json_array_get(p->records, json_array_size(p->records) - 1), "path")));
	}
	return rc;
}

/* Streams one evidence file from the store, checking it against its name. */
static int
pack_evidence_file(struct pack_ctx *p, const char *data_dir, const char *sha, const json_t *by)
{
	struct sha256_ctx h;
	struct stat sb;
	uint8_t got[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1], name[PACK_PATH_MAX], *path = NULL, *block = NULL;
	uint64_t left;
	ssize_t r;
	int fd = -1, rc;

	/* The PostgreSQL store: from the database into this server's cache first. */
	if ((rc = evidence_chunks_fetch(p->db, p->org_id, sha, data_dir)) != 0 &&
	    rc != AIMS_EVERIFY)
		return rc;
	if ((rc = evidence_blob_path(&path, data_dir, sha)) != 0)
		return rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) != 0) {
		rc = aims_error_set(AIMS_EVERIFY, NULL, "the file of evidence %s version %lld "
		    "(%s) is missing from the store: %s", json_string_value(json_object_get(by,
		    "ref")), (long long)json_integer_value(json_object_get(by, "version")), sha,
		    strerror(errno));
		goto done;
	}
	snprintf(name, sizeof(name), "evidence/%s", sha);
	if ((rc = pack_header(p, name, (uint64_t)sb.st_size, 0)) != 0)
		goto done;
	block = xmalloc(PACK_BLOCK);
	sha256_init(&h);
	for (left = (uint64_t)sb.st_size; left > 0; left -= (uint64_t)r) {
		r = read(fd, block, left < PACK_BLOCK ? (size_t)left : PACK_BLOCK);
		if (r <= 0) {
			rc = aims_error_set(AIMS_ERROR, NULL, "cannot read %s: %s", path,
			    r < 0 ? strerror(errno) : "shorter than it was");
			goto done;
		}
		sha256_update(&h, block, (size_t)r);
		if (archive_write_data(p->a, block, (size_t)r) != r) {
			rc = pack_archive_error(p, name);
			goto done;
		}
	}
	sha256_final(got, &h);
	pack_hex(hex, got, SHA256_LEN);
	if (strcmp(hex, sha) != 0) {
		rc = aims_error_set(AIMS_EVERIFY, NULL, "the stored file of evidence %s is not "
		    "the file its version %lld names (SHA-256 %s): run 'aims verify'",
		    json_string_value(json_object_get(by, "ref")),
		    (long long)json_integer_value(json_object_get(by, "version")), sha);
		goto done;
	}
	pack_manifest_add(p, name, got, (uint64_t)sb.st_size);
	p->st->evidence++;
done:
	free(block);
	free(path);
	if (fd >= 0)
		close(fd);
	return rc;
}

static int
pack_evidence(struct pack_ctx *p, const char *data_dir, json_t *index)
{
	const char *sha;
	json_t *by;
	char name[PACK_PATH_MAX];
	int rc;

	json_object_foreach(p->evidence, sha, by) {
		if ((rc = pack_evidence_file(p, data_dir, sha, by)) != 0)
			return rc;
		snprintf(name, sizeof(name), "evidence/%s", sha);
		json_array_append_new(index, json_string(name));
	}
	return 0;
}

static int
pack_cited_cmp(const void *a, const void *b)
{
	const struct pack_cited *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ledger.json: one element per cited entry, by seq (a version cited twice is one entry). */
static int
pack_ledger(struct pack_ctx *p)
{
	json_t *doc, *entries;
	size_t i;
	int rc;

	qsort(p->cited, p->ncited, sizeof(*p->cited), pack_cited_cmp);
	entries = json_array();
	for (i = 0; i < p->ncited; i++)
		if (i == 0 || p->cited[i].seq != p->cited[i - 1].seq)
			json_array_append(entries, p->cited[i].ledger);
	doc = json_pack("{s:I, s:o}", "tree_size", (json_int_t)p->size, "entries", entries);
	rc = pack_put_json(p, PACK_LEDGER, doc);
	json_decref(doc);
	return rc;
}

/*
 * The checkpoints: the first that covers the oldest cited entry (the log as
 * an auditor may have seen it then) and the latest, which every inclusion
 * proof leads to, with the consistency proof between them.
 */
static int
pack_checkpoints(struct pack_ctx *p, struct buf *latest, json_t **files, json_t **proofs)
{
	struct merkle_hash proof[MERKLE_PROOF_MAX];
	struct buf old = BUF_INIT;
	char name[PACK_PATH_MAX];
	uint64_t old_size = 0;
	size_t n, i;
	json_t *arr;
	int rc;

	*files = json_array();
	*proofs = json_array();
	if (p->min_seq > 0 && (rc = ledger_checkpoint_find(&old_size, &old, p->db, p->org_id,
	    p->min_seq)) != 0)
		goto done;
	if (old_size > 0 && old_size < p->size) {
		if ((rc = ledger_tree_consistency(proof, &n, p->tree, old_size, p->size)) != 0)
			goto done;
		snprintf(name, sizeof(name), "checkpoints/%llu.txt", (unsigned long long)old_size);
		if ((rc = pack_put(p, name, old.data, old.len, 1)) != 0)
			goto done;
		json_array_append_new(*files, json_string(name));
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, pack_b64(&proof[i]));
		json_array_append_new(*proofs, json_pack("{s:I, s:I, s:o}", "from",
		    (json_int_t)old_size, "to", (json_int_t)p->size, "proof", arr));
		p->st->checkpoints++;
	}
	snprintf(name, sizeof(name), "checkpoints/%llu.txt", (unsigned long long)p->size);
	if ((rc = pack_put(p, name, latest->data, latest->len, 1)) != 0)
		goto done;
	json_array_append_new(*files, json_string(name));
	p->st->checkpoints++;
done:
	buf_free(&old);
	return rc;
}

/* The report of every issued internal audit the pack cites: reports/audit-REF.html. */
static int
pack_audit_reports(struct pack_ctx *p, json_t *index)
{
	struct buf html = BUF_INIT;
	char name[PACK_PATH_MAX];
	const char *ref, *prev = "";
	json_t *rec, *rep = NULL;
	size_t i;
	int rc = 0;

	/* Records are listed by kind and reference: each audit once. */
	json_array_foreach(p->records, i, rec) {
		if (strcmp(json_string_value(json_object_get(rec, "kind")), PACK_AUDIT_KIND) != 0 ||
		    strcmp(ref = json_string_value(json_object_get(rec, "ref")), prev) == 0)
			continue;
		prev = ref;
		if ((rc = audit_report(&rep, p->db, p->org_id, ref)) != 0)
			break;
		if (json_is_string(json_object_get(rep, "issued_at"))) {
			buf_reset(&html);
			snprintf(name, sizeof(name), "reports/audit-%s.html", ref);
			if ((rc = report_audit_html(&html, rep)) != 0 ||
			    (rc = pack_put(p, name, html.data, html.len, 1)) != 0)
				break;
			json_array_append_new(index, json_string(name));
		}
		json_decref(rep);
		rep = NULL;
	}
	json_decref(rep);
	buf_free(&html);
	return rc;
}

static int
pack_reports(struct pack_ctx *p, json_t *index)
{
	struct buf html = BUF_INIT;
	json_t *res = NULL;
	int rc;

	if ((rc = readiness_evaluate(&res, p->db, p->org_id, 0)) != 0 ||
	    (rc = report_readiness_html(&html, res)) != 0 ||
	    (rc = pack_put(p, "reports/readiness.html", html.data, html.len, 1)) != 0)
		goto done;
	json_array_append_new(index, json_string("reports/readiness.html"));
	rc = pack_audit_reports(p, index);
done:
	json_decref(res);
	buf_free(&html);
	return rc;
}

static json_t *
pack_org_slug(struct db *db, int64_t org_id)
{
	struct db_stmt *st;
	json_t *slug = NULL;

	if (db_prepare(&st, db, "SELECT slug FROM orgs WHERE id = ?") != 0)
		return json_null();
	db_bind_int64(st, 1, org_id);
	if (db_step(st) == DB_ROW)
		slug = json_string(db_column_text(st, 0));
	db_done(st);
	return slug ? slug : json_null();
}

int
pack_write(struct pack_stats *st, int fd, struct db *db, const char *data_dir, int64_t org_id,
    const struct pack_options *o, const struct note_verifier *key)
{
	struct pack_ctx p;
	struct buf latest = BUF_INIT, vkey = BUF_INIT;
	char origin[LEDGER_ORIGIN_MAX], now[CLOCK_RFC3339_LEN];
	json_t *index = NULL, *soa = NULL, *cps = NULL, *cons = NULL, *ev = NULL, *reports = NULL;
	json_t *reqs;
	time_t t;
	size_t i;
	int rc;

	memset(st, 0, sizeof(*st));
	memset(&p, 0, sizeof(p));
	p.db = db;
	p.org_id = org_id;
	p.o = o;
	p.st = st;
	p.manifest = json_array();
	p.records = json_array();
	p.evidence = json_object();
	if (o->since) {
		if (clock_parse(&t, o->since) != 0) {
			rc = aims_error_set(AIMS_EINVALID, "since", "--since must be a date "
			    "(YYYY-MM-DD) or an RFC 3339 time, not '%s'", o->since);
			goto done;
		}
		clock_format(p.since, t);
	}
	if ((rc = ledger_checkpoint_find(&p.size, &latest, db, org_id, 0)) != 0 ||
	    (rc = ledger_tree_load(&p.tree, db, org_id, p.size)) != 0)
		goto done;
	st->tree_size = p.size;
	if ((p.a = archive_write_new()) == NULL) {
		rc = aims_error_set(AIMS_ERROR, NULL, "out of memory");
		goto done;
	}
	if (archive_write_set_format_zip(p.a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(p.a, 1) != ARCHIVE_OK ||
	    archive_write_open_fd(p.a, fd) != ARCHIVE_OK) {
		rc = pack_archive_error(&p, "open");
		goto done;
	}
	note_verifier_format(&vkey, key);
	buf_putc(&vkey, '\n');
	if ((rc = pack_put(&p, PACK_PUBKEY, vkey.data, vkey.len, 1)) != 0 ||
	    (rc = pack_records(&p)) != 0 || (rc = pack_soa(&p, &soa)) != 0 ||
	    (rc = pack_checkpoints(&p, &latest, &cps, &cons)) != 0 ||
	    (rc = pack_ledger(&p)) != 0)
		goto done;
	ev = json_array();
	reports = json_array();
	if ((rc = pack_evidence(&p, data_dir, ev)) != 0 || (rc = pack_reports(&p, reports)) != 0)
		goto done;
	ledger_origin(origin, org_id);
	clock_format(now, clock_now());
	if (o->requirements) {
		reqs = json_array();
		for (i = 0; i < o->nrequirements; i++)
			json_array_append_new(reqs, json_string(o->requirements[i]));
	} else
		reqs = json_null();
	index = json_pack("{s:s, s:o, s:s, s:s, s:o, s:o, s:s, s:O, s:O, s:s, s:O, s:O, s:O, s:O}",
	    "format", PACK_FORMAT, "org", pack_org_slug(db, org_id), "origin", origin,
	    "created", now, "since", p.since[0] ? json_string(p.since) : json_null(),
	    "requirements", reqs, "public_key", PACK_PUBKEY, "checkpoints", cps,
	    "consistency", cons, "ledger", PACK_LEDGER, "records", p.records, "soa", soa,
	    "evidence", ev, "reports", reports);
	if (index == NULL) {
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot build %s", PACK_INDEX);
		goto done;
	}
	if ((rc = pack_put_json(&p, PACK_INDEX, index)) != 0)
		goto done;
	/* The manifest lists every other file; it is written last, once they are all known. */
	json_decref(index);
	index = json_pack("{s:s, s:O}", "format", PACK_FORMAT, "files", p.manifest);
	if ((rc = pack_put_json(&p, PACK_MANIFEST, index)) != 0)
		goto done;
	st->files--;	/* the manifest itself is not one of the files it lists */
	if (archive_write_close(p.a) != ARCHIVE_OK)
		rc = pack_archive_error(&p, "close");
done:
	if (p.a)
		archive_write_free(p.a);
	for (i = 0; i < p.nv; i++) {
		free(p.v[i].kind);
		free(p.v[i].ref);
	}
	free(p.v);
	for (i = 0; i < p.ncited; i++)
		json_decref(p.cited[i].ledger);
	free(p.cited);
	ledger_tree_free(p.tree);
	json_decref(p.manifest);
	json_decref(p.records);
	json_decref(p.evidence);
	json_decref(index);
	json_decref(soa);
	json_decref(cps);
	json_decref(cons);
	json_decref(ev);
	json_decref(reports);
	buf_free(&latest);
	buf_free(&vkey);
	return rc;
}
