/*
 * evidence.c - evidence file revisions and the content-addressed blob store
 * (see evidence.h). A blob is written as a temporary file in its final
 * directory, fsync'ed, renamed into place and the directory fsync'ed, so a
 * crash leaves either no file or the whole file; a blob that exists already
 * is not written again.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <magic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/evidence.h"
#include "core/record.h"
#include "core/record_private.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"

#define EVIDENCE_IO_CHUNK	65536

static const char *const evidence_types[] = {
	"application/pdf", "text/plain", "text/csv", "text/markdown", "application/json",
	"application/x-ndjson",
	"application/xml", "text/xml", "image/png", "image/jpeg", "image/gif", "image/webp",
	"application/zip", "application/gzip", "application/x-gzip", "application/x-tar",
	"application/x-xz", "application/msword", "application/vnd.ms-excel",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.spreadsheet", NULL,
};

const char *
evidence_media_type_static(const char *type)
{
	size_t i;

	for (i = 0; type != NULL && evidence_types[i] != NULL; i++)
		if (strcmp(type, evidence_types[i]) == 0)
			return evidence_types[i];
	return "application/octet-stream";
}

static bool
sha256_hex_ok(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != EVIDENCE_SHA256_HEX)
		return false;
	for (i = 0; i < EVIDENCE_SHA256_HEX; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

int
evidence_blob_path(char **out, const char *data_dir, const char *sha256)
{
	struct buf b = BUF_INIT;

	*out = NULL;
	if (!sha256_hex_ok(sha256))
		return aims_error_set(AIMS_EINVALID, "sha256",
		    "not a SHA-256 in lowercase hex: '%.80s'", sha256 ? sha256 : "");
	buf_printf(&b, "%s/blobs/%.2s/%s", data_dir, sha256, sha256 + 2);
	*out = buf_detach(&b);
	return 0;
}

int
evidence_media_type(char **out, const char *path)
{
	const char *const *t;
	const char *type;
	magic_t m;
	int rc;

	*out = NULL;
	if ((m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR)) == NULL)
		return aims_error_set(AIMS_ERROR, "file", "cannot start libmagic");
	if (magic_load(m, NULL) != 0) {
		rc = aims_error_set(AIMS_ERROR, "file", "cannot load the libmagic database: %s",
		    magic_error(m));
		goto done;
	}
	if ((type = magic_file(m, path)) == NULL) {
		rc = aims_error_set(AIMS_ERROR, "file", "cannot read the file type: %s",
		    magic_error(m));
		goto done;
	}
	for (t = evidence_types; *t; t++)
		if (strcmp(*t, type) == 0)
			break;
	if (*t == NULL) {
		rc = aims_error_set(AIMS_EUNSUPPORTED, "file",
		    "files of type %s are not accepted as evidence (accepted: PDF, text, CSV, "
		    "Markdown, JSON, XML, PNG, JPEG, GIF, WebP, ZIP, gzip, tar, xz, Office and "
		    "OpenDocument files)", type);
		goto done;
	}
	*out = xstrdup(type);
	rc = 0;
done:
	magic_close(m);
	return rc;
}

static int
evidence_mkdir(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	return aims_error_set(AIMS_ERROR, NULL, "cannot create directory %s: %s", path,
	    strerror(errno));
}

static int
evidence_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0 || fsync(fd) != 0) {
		if (fd >= 0)
			close(fd);
		return aims_error_set(AIMS_ERROR, NULL, "cannot sync directory %s: %s", dir,
		    strerror(errno));
	}
	close(fd);
	return 0;
}

/* Copies src to fd while hashing it; *size receives the byte count. */
static int
evidence_copy_hash(char hex[EVIDENCE_SHA256_HEX + 1], int64_t *size, int src, int dst)
{
	unsigned char chunk[EVIDENCE_IO_CHUNK], digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state h;
	ssize_t n, w, off;

	*size = 0;
	crypto_hash_sha256_init(&h);
	while ((n = read(src, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return aims_error_set(AIMS_ERROR, "file", "cannot read the file: %s",
			    strerror(errno));
		}
		*size += n;
		if (*size > EVIDENCE_FILE_MAX)
			return aims_error_set(AIMS_ETOOBIG, "file",
			    "the file is larger than %d bytes", EVIDENCE_FILE_MAX);
		crypto_hash_sha256_update(&h, chunk, (unsigned long long)n);
		for (off = 0; dst >= 0 && off < n; off += w)
			if ((w = write(dst, chunk + off, (size_t)(n - off))) < 0)
				return aims_error_set(AIMS_ERROR, "file",
				    "cannot write the evidence store: %s", strerror(errno));
	}
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(hex, EVIDENCE_SHA256_HEX + 1, digest, sizeof(digest));
	return 0;
}

struct blob_put {
	char	 sha256[EVIDENCE_SHA256_HEX + 1];
	int64_t	 size;
	char	*path;		/* final blob path */
	bool	 created;	/* written by this call (removed on failure) */
};

static int
blob_dirs(const char *data_dir, const char *sha256, char **dir)
{
	struct buf b = BUF_INIT;
	int rc;

	buf_printf(&b, "%s/blobs", data_dir);
	if ((rc = evidence_mkdir(data_dir)) != 0 || (rc = evidence_mkdir(buf_str(&b))) != 0) {
		buf_free(&b);
		return rc;
	}
	buf_printf(&b, "/%.2s", sha256);
	if ((rc = evidence_mkdir(buf_str(&b))) != 0) {
		buf_free(&b);
		return rc;
	}
	*dir = buf_detach(&b);
	return 0;
}

static int blob_put(struct blob_put *bp, const char *data_dir, const char *src_path,
    const char *expect);

int
evidence_mkdirs(char **dir, const char *data_dir, const char *sha256)
{
	return blob_dirs(data_dir, sha256, dir);
}

int
evidence_blob_import(const char *data_dir, const char *src_path, const char *sha256)
{
	struct blob_put bp;
	int rc = blob_put(&bp, data_dir, src_path, sha256);

	free(bp.path);
	return rc;
}

/* Writes the temporary copy, then moves it into place unless the blob exists. */
static int
blob_put(struct blob_put *bp, const char *data_dir, const char *src_path, const char *expect)
{
	struct buf tmp = BUF_INIT;
	char *dir = NULL;
	int src = -1, dst = -1, rc;

	memset(bp, 0, sizeof(*bp));
	if ((src = open(src_path, O_RDONLY)) < 0)
		return aims_error_set(AIMS_ERROR, "file", "cannot open the file: %s",
		    strerror(errno));
	/* The directory is only known after hashing: write into blobs/ first. */
	buf_printf(&tmp, "%s/blobs", data_dir);
	if ((rc = evidence_mkdir(data_dir)) != 0 || (rc = evidence_mkdir(buf_str(&tmp))) != 0)
		goto done;
	buf_puts(&tmp, "/" EVIDENCE_BLOB_TMP_PREFIX "XXXXXX");
	if ((dst = mkstemp(tmp.data)) < 0) {
		rc = aims_error_set(AIMS_ERROR, "file", "cannot write the evidence store: %s",
		    strerror(errno));
		goto done;
	}
	if ((rc = evidence_temp_hold(dst)) != 0)
		goto done;
	if ((rc = evidence_copy_hash(bp->sha256, &bp->size, src, dst)) != 0)
		goto done;
	if (expect && strcmp(expect, bp->sha256) != 0) {
		rc = aims_error_set(AIMS_EINVALID, "sha256",
		    "the file's SHA-256 is %s, not %s as given", bp->sha256, expect);
		goto done;
	}
	if ((rc = evidence_blob_path(&bp->path, data_dir, bp->sha256)) != 0 ||
	    (rc = blob_dirs(data_dir, bp->sha256, &dir)) != 0)
		goto done;
	if (access(bp->path, F_OK) == 0) {
		rc = 0;		/* the same bytes are stored already */
		goto done;
	}
	/* Stored bytes are never rewritten: read-only from here on. */
	if (fchmod(dst, 0400) != 0 || fsync(dst) != 0 || rename(tmp.data, bp->path) != 0) {
		rc = aims_error_set(AIMS_ERROR, "file", "cannot store the file: %s", strerror(errno));
		goto done;
	}
	bp->created = true;
	rc = evidence_fsync_dir(dir);
done:
	if (dst >= 0) {
		close(dst);
		if (!bp->created)
			unlink(tmp.data);
	}
	if (src >= 0)
		close(src);
	free(dir);
	buf_free(&tmp);
	return rc;
}

/*
 * A received upload (evidence_upload.received) already hashed: the store
 * gets a hard link to the same bytes once they are on disk, so a large
 * file is not read, hashed and written a second time inside the write
 * transaction. Across file systems it is copied like any other file.
 */
static int
blob_link(struct blob_put *bp, const char *data_dir, const char *src_path, const char *sha256)
{
	char *dir = NULL;
	struct stat st;
	int fd = -1, rc;

	memset(bp, 0, sizeof(*bp));
	snprintf(bp->sha256, sizeof(bp->sha256), "%s", sha256);
	if ((fd = open(src_path, O_RDONLY)) < 0 || fstat(fd, &st) != 0) {
		rc = aims_error_set(AIMS_ERROR, "file", "cannot open the file: %s",
		    strerror(errno));
		goto done;
	}
	bp->size = (int64_t)st.st_size;
	if (bp->size > EVIDENCE_FILE_MAX) {
		rc = aims_error_set(AIMS_ETOOBIG, "file", "the file is larger than %d bytes",
		    EVIDENCE_FILE_MAX);
		goto done;
	}
	if ((rc = evidence_blob_path(&bp->path, data_dir, sha256)) != 0 ||
	    (rc = blob_dirs(data_dir, sha256, &dir)) != 0)
		goto done;
	if (access(bp->path, F_OK) == 0)
		goto done;	/* the same bytes are stored already */
	if (fchmod(fd, 0400) != 0 || fsync(fd) != 0) {
		rc = aims_error_set(AIMS_ERROR, "file", "cannot store the file: %s", strerror(errno));
		goto done;
	}
	if (link(src_path, bp->path) != 0) {
		if (errno == EEXIST)
			goto done;
		if (errno == EXDEV) {
			close(fd);
			free(dir);
			free(bp->path);
			return blob_put(bp, data_dir, src_path, sha256);
		}
		rc = aims_error_set(AIMS_ERROR, "file", "cannot store the file: %s", strerror(errno));
		goto done;
	}
	bp->created = true;
	rc = evidence_fsync_dir(dir);
done:
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

static int
evidence_next_revision(int64_t *out, struct db *db, int64_t org_id, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT coalesce(max(revision), 0) + 1 FROM evidence_files "
	    "WHERE org_id = ? AND evidence_ref = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	rc = db_step(st);
	*out = rc == DB_ROW ? db_column_int64(st, 0) : 1;
	db_done(st);
	return rc < 0 ? rc : 0;
}

/*
 * The revision row, after the evidence version that records it: who and
 * when are that version's (updated_by, updated_at of rec), so `aims verify`
 * can hold the row to the version the ledger commits to.
 */
static int
evidence_insert_revision(struct db *db, int64_t org_id, const json_t *rec,
    const char *ref, int64_t revision, const struct blob_put *bp, const char *type,
    const char *filename)
{
	const char *at = record__str(rec, "updated_at"), *by = record__str(rec, "updated_by");
	struct db_stmt *st = NULL;
	int rc;

	if (at == NULL || by == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "evidence %s has no updated_at/updated_by",
		    ref);
	/* The PostgreSQL store keeps the bytes too, in the same transaction. */
	if ((rc = evidence_chunks_put(db, org_id, bp->sha256, bp->path)) != 0)
		return rc;
	if ((rc = db_prepare(&st, db, "INSERT INTO evidence_files (org_id, evidence_ref, revision, "
	    "sha256, size, media_type, filename, stored_at, stored_by) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	db_bind_int64(st, 3, revision);
	db_bind_text(st, 4, bp->sha256);
	db_bind_int64(st, 5, bp->size);
	db_bind_text(st, 6, type);
	db_bind_text(st, 7, filename);
	db_bind_text(st, 8, at);
	db_bind_text(st, 9, by);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : rc < 0 ? rc : AIMS_ERROR;
}

uint32_t
evidence_bidi_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	for (; *p != '\0'; p++) {
		/* U+061C is D8 9C; the others are E2 80 xx and E2 81 xx. */
		if (p[0] == 0xd8 && p[1] == 0x9c)
			return 0x061c;
		if (p[0] != 0xe2 || (p[1] != 0x80 && p[1] != 0x81) || p[2] < 0x80 || p[2] > 0xbf)
			continue;
		cp = 0x2000 | (uint32_t)(p[1] & 0x3f) << 6 | (uint32_t)(p[2] & 0x3f);
		if (cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return cp;
	}
	return 0;
}

/* The last path component, checked: one line, no control characters. */
static int
evidence_filename(const char **out, const char *name)
{
	const char *base, *p;
	uint32_t cp;

	if (name == NULL || *name == '\0')
		return aims_error_set(AIMS_EINVALID, "filename", "the file has no name");
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (strrchr(base, '\\'))
		base = strrchr(base, '\\') + 1;
	if (*base == '\0' || strlen(base) > EVIDENCE_FILENAME_MAX || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0)
		return aims_error_set(AIMS_EINVALID, "filename",
		    "the file name must be 1 to %d characters", EVIDENCE_FILENAME_MAX);
	/* Quotes are kept: downloads escape the name (Content-Disposition, RFC 6266). */
	for (p = base; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return aims_error_set(AIMS_EINVALID, "filename",
			    "the file name contains a control character");
	if ((cp = evidence_bidi_control(base)) != 0)
		return aims_error_set(AIMS_EINVALID, "filename",
		    "the file name contains the bidirectional control character U+%04X, which "
		    "can make a name read as something it is not (for example hide its real "
		    "extension): rename the file without it", (unsigned)cp);
	*out = base;
	return 0;
}

static int
evidence_check_target(struct db *db, int64_t org_id, const char *ref)
{
	json_t *data = NULL;
	const char *kind;
	int rc;

	if ((rc = record__load_data(&data, db, org_id, record_kind_evidence.name, ref)) != 0)
		return rc;
	kind = record__str(data, "kind");
	if (kind == NULL || strcmp(kind, "file") != 0)
		rc = aims_error_set(AIMS_ECONFLICT, "kind",
		    "evidence %s is of kind %s: only file evidence has files", ref,
		    kind ? kind : "none");
	json_decref(data);
	return rc;
}

int
evidence_file_add(json_t **out, struct db *db, const char *data_dir, int64_t org_id,
    const struct actor *actor, const char *ref, int64_t if_version,
    const struct evidence_upload *up)
{
	const struct record_kind *k = &record_kind_evidence;
	struct blob_put bp;
	const char *filename = NULL;
	char *type = NULL;
	json_t *fields = NULL;
	int64_t revision;
	int rc;

	*out = NULL;
	memset(&bp, 0, sizeof(bp));
	if ((rc = evidence_filename(&filename, up->filename)) != 0)
		return rc;
	if ((rc = db_begin(db)) != 0)
		goto done;
	/* The record first: a file for evidence that is not there is a 404, whatever it is. */
	if ((rc = evidence_check_target(db, org_id, ref)) != 0 ||
	    (rc = evidence_media_type(&type, up->path)) != 0 ||
	    (rc = up->received && up->sha256 != NULL ?
	    blob_link(&bp, data_dir, up->path, up->sha256) :
	    blob_put(&bp, data_dir, up->path, up->sha256)) != 0 ||
	    (rc = evidence_next_revision(&revision, db, org_id, ref)) != 0)
		goto fail;
	fields = json_pack("{s:I, s:s, s:I, s:s, s:s}", "revision", (json_int_t)revision,
	    "sha256", bp.sha256, "size", (json_int_t)bp.size, "media_type", type,
	    "filename", filename);
	if ((rc = record__update_system(out, db, org_id, actor, k, ref, if_version, "file",
	    fields)) != 0 || (rc = evidence_insert_revision(db, org_id, *out, ref, revision, &bp,
	    type, filename)) != 0)
		goto fail;
	if ((rc = db_commit(db)) != 0)
		goto undo;
	goto done;
fail:
	db_rollback(db);
undo:
	json_decref(*out);
	*out = NULL;
	if (bp.created)
		unlink(bp.path);
done:
	json_decref(fields);
	free(type);
	free(bp.path);
	return rc;
}

static json_t *
evidence_file_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s}",
	    "revision", (json_int_t)db_column_int64(st, 0), "sha256", db_column_text(st, 1),
	    "size", (json_int_t)db_column_int64(st, 2), "media_type", db_column_text(st, 3),
	    "filename", db_column_text(st, 4), "stored_at", db_column_text(st, 5),
	    "stored_by", db_column_text(st, 6));
}

int
evidence_file_list(json_t **out, struct db *db, int64_t org_id, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = record__exists(db, org_id, record_kind_evidence.name, ref)) != 0)
		return aims_error_set(rc, "ref", "evidence %.64s does not exist", ref);
	if ((rc = db_prepare(&st, db, "SELECT revision, sha256, size, media_type, filename, "
	    "stored_at, stored_by FROM evidence_files WHERE org_id = ? AND evidence_ref = ? "
	    "ORDER BY revision")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	*out = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(*out, evidence_file_row(st));
	db_done(st);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

int
evidence_file_get(json_t **meta, char **path, struct db *db, const char *data_dir,
    int64_t org_id, const char *ref, int64_t revision)
{
	char finding[AIMS_ERROR_MSG_MAX];
	struct db_stmt *st = NULL;
	int rc;

	*meta = NULL;
	*path = NULL;
	if ((rc = db_prepare(&st, db, revision > 0 ?
	    "SELECT revision, sha256, size, media_type, filename, stored_at, stored_by "
	    "FROM evidence_files WHERE org_id = ? AND evidence_ref = ? AND revision = ?" :
	    "SELECT revision, sha256, size, media_type, filename, stored_at, stored_by "
	    "FROM evidence_files WHERE org_id = ? AND evidence_ref = ? "
	    "ORDER BY revision DESC LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, ref);
	if (revision > 0)
		db_bind_int64(st, 3, revision);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*meta = evidence_file_row(st);
		rc = evidence_blob_path(path, data_dir, db_column_text(st, 1));
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "revision", revision > 0 ?
		    "evidence %.64s has no file revision %lld" : "evidence %.64s has no file",
		    ref, (long long)revision);
	db_done(st);
	/*
	 * What is served (the bytes its SHA-256 names, and the header that
	 * repeats it) must be what the ledger commits to: a revision row
	 * changed behind aims's back is refused, not served.
	 */
	if (rc == 0 && (rc = record_verify_revision(db, org_id, ref,
	    json_integer_value(json_object_get(*meta, "revision")))) == AIMS_EVERIFY) {
		snprintf(finding, sizeof(finding), "%s", aims_error_message());
		aims_error_set(rc, "revision", "%s; the file is not served: run 'aims verify'",
		    finding);
	}
	/* The PostgreSQL store: from the database into this server's cache, if need be. */
	if (rc == 0)
		rc = evidence_chunks_fetch(db, org_id, json_string_value(json_object_get(*meta,
		    "sha256")), data_dir);
	if (rc != 0) {
		json_decref(*meta);
		*meta = NULL;
		free(*path);
		*path = NULL;
	}
	return rc;
}

/*
 * Checks one stored blob against its revision: there, of its size, and
 * (rehash) of its SHA-256. *problem set when it is missing or changed.
 */
static int
verify_blob(char **problem, const char *data_dir, const char *sha256, int64_t size,
    bool rehash, const char *what)
{
	char hex[EVIDENCE_SHA256_HEX + 1];
	struct buf b = BUF_INIT;
	char *path = NULL;
	struct stat sb;
	int64_t n;
	int fd, rc;

	if ((rc = evidence_blob_path(&path, data_dir, sha256)) != 0)
		return rc;
	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &sb) != 0) {
		buf_printf(&b, "%s: stored file %s is missing (%s)", what, path, strerror(errno));
	} else if ((int64_t)sb.st_size != size) {
		buf_printf(&b, "%s: stored file %s has changed (%lld bytes, not %lld)", what, path,
		    (long long)sb.st_size, (long long)size);
	} else if (rehash) {
		rc = evidence_copy_hash(hex, &n, fd, -1);
		if (rc == AIMS_ETOOBIG || (rc == 0 && strcmp(hex, sha256) != 0))
			buf_printf(&b, "%s: stored file %s has changed (its SHA-256 is now %s)", what,
			    path, rc == 0 ? hex : "that of a larger file");
		else if (rc != 0)
			buf_printf(&b, "%s: stored file %s cannot be read", what, path);
	}
	if (fd >= 0)
		close(fd);
	free(path);
	if (b.len == 0)
		return 0;
	*problem = buf_detach(&b);
	return aims_error_set(AIMS_EVERIFY, "file", "%s", *problem);
}

static bool
evidence_blob_cached(const char *data_dir, const char *sha256)
{
	char *path = NULL;
	bool there = evidence_blob_path(&path, data_dir, sha256) == 0 && access(path, F_OK) == 0;

	free(path);
	return there;
}

int
evidence_verify_files(char **problem, struct db *db, const char *data_dir, int64_t org_id,
    bool rehash)
{
	struct db_stmt *st = NULL;
	json_t *seen = json_object();
	char what[EVIDENCE_FILENAME_MAX + 200], key[EVIDENCE_SHA256_HEX + 32];
	bool chunks = evidence_chunks_used(db);
	const char *sha;
	int rc;

	*problem = NULL;
	if ((rc = db_prepare(&st, db, "SELECT f.org_id, o.slug, f.evidence_ref, f.revision, "
	    "f.filename, f.sha256, f.size FROM evidence_files f JOIN orgs o ON o.id = f.org_id "
	    "WHERE ? = 0 OR f.org_id = ? ORDER BY f.org_id, f.evidence_ref, f.revision")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		sha = db_column_text(st, 5);
		/* Stored once per organisation in the database, once in data/blobs/. */
		snprintf(key, sizeof(key), "%lld:%s", chunks ? (long long)db_column_int64(st, 0) :
		    0LL, sha);
		if (json_object_get(seen, key))
			continue;
		snprintf(what, sizeof(what), "organisation %s, evidence %s revision %lld (%s)",
		    db_column_text(st, 1), db_column_text(st, 2), (long long)db_column_int64(st, 3),
		    db_column_text(st, 4));
		if ((rc = chunks ? evidence_chunks_verify(problem, db, db_column_int64(st, 0), sha,
		    db_column_int64(st, 6), rehash, what) : verify_blob(problem, data_dir, sha,
		    db_column_int64(st, 6), rehash, what)) != 0)
			goto done;
		/* This server's cached copy is served as it is: it must be the same bytes. */
		if (chunks && evidence_blob_cached(data_dir, sha) && (rc = verify_blob(problem,
		    data_dir, sha, db_column_int64(st, 6), rehash, what)) != 0)
			goto done;
		json_object_set_new(seen, key, json_true());
	}
	rc = rc < 0 ? rc : 0;
done:
	db_done(st);
	json_decref(seen);
	return rc;
}

void
evidence_data_dir(char **out, const char *db_path)
{
	const char *env = getenv("AIMS_DATA_DIR");

	if (env != NULL && *env != '\0') {
		*out = xstrdup(env);
		return;
	}
	evidence_data_dir_beside(out, db_path);
}

void
evidence_data_dir_beside(char **out, const char *db_path)
{
	struct buf b = BUF_INIT;
	const char *slash;
	char *base;

	base = db_local_base(db_path);
	slash = strrchr(base, '/');
	if (slash != NULL)
		buf_append(&b, base, (size_t)(slash - base) + 1);
	buf_puts(&b, "data");
	*out = buf_detach(&b);
	free(base);
}

int
evidence_temp_hold(int fd)
{
	if (flock(fd, LOCK_EX | LOCK_NB) != 0)
		return aims_error_set(AIMS_ERROR, "file", "cannot lock a temporary file: %s",
		    strerror(errno));
	return 0;
}

/* Can this temporary file be locked (no writer holds it)? */
static bool
evidence_temp_orphan(int dirfd, const char *name)
{
	int fd;
	bool ok;

	if ((fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
		return false;
	ok = flock(fd, LOCK_EX | LOCK_NB) == 0;
	close(fd);
	return ok;
}

/* Removes dir/prefix* that no writer holds, modified before `before`. */
static int
evidence_temp_clean_dir(size_t *removed, const char *dir, const char *prefix, int64_t before)
{
	struct dirent *e;
	struct stat st;
	DIR *d;
	int rc = 0;

	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : aims_error_set(AIMS_ERROR, NULL,
		    "cannot read %s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || (int64_t)st.st_mtime >= before ||
		    !evidence_temp_orphan(dirfd(d), e->d_name))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) != 0) {
			rc = aims_error_set(AIMS_ERROR, NULL, "cannot remove %s/%s: %s", dir,
			    e->d_name, strerror(errno));
			break;
		}
		(*removed)++;
	}
	closedir(d);
	return rc;
}

int
evidence_temp_clean(size_t *removed, const char *data_dir, int64_t before)
{
	struct buf dir = BUF_INIT;
	int rc;

	*removed = 0;
	buf_printf(&dir, "%s/" EVIDENCE_UPLOAD_DIR, data_dir);
	if ((rc = evidence_temp_clean_dir(removed, buf_str(&dir), EVIDENCE_UPLOAD_PREFIX,
	    before)) == 0) {
		buf_reset(&dir);
		buf_printf(&dir, "%s/blobs", data_dir);
		rc = evidence_temp_clean_dir(removed, buf_str(&dir), EVIDENCE_BLOB_TMP_PREFIX,
		    before);
	}
	buf_free(&dir);
	return rc;
}

const char *
evidence_magic_path(void)
{
	return magic_getpath(NULL, 0);
}
