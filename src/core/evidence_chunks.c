/*
 * evidence_chunks.c - evidence file bytes in the database (schema 070), for
 * the PostgreSQL store, whose servers share no disk: a blob is written to
 * evidence_chunks in the transaction that records its revision, and a
 * server that lacks the file under data/blobs/ (its cache) writes it there
 * from the chunks before serving it. Both ways go a chunk at a time: a file
 * is never whole in memory. On SQLite every function here does nothing: the
 * blob store is data/blobs/ itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/evidence.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#define CHUNK_SIZE	(256 * 1024)	/* bytes per row: large enough to stream, small to hold */

bool
evidence_chunks_used(struct db *db)
{
	return strcmp(db_backend(db), "postgres") == 0;
}

int
evidence_chunks_put(struct db *db, int64_t org_id, const char *sha256, const char *path)
{
	struct db_stmt *st = NULL;
	unsigned char *chunk = NULL;
	int64_t seq = 0, have = 0;
	size_t len;
	ssize_t n;
	int fd = -1, rc;

	if (!evidence_chunks_used(db))
		return 0;
	if ((rc = db_prepare(&st, db, "SELECT count(*) FROM evidence_chunks "
	    "WHERE org_id = ? AND sha256 = ? AND seq = 0")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, sha256);
	if ((rc = db_step(st)) == DB_ROW)
		have = db_column_int64(st, 0);
	db_done(st);
	st = NULL;
	if (rc < 0 || have > 0)
		return rc < 0 ? rc : 0;	/* the same bytes are stored already */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return aims_error_set(AIMS_ERROR, "file", "cannot read the stored file: %s",
		    strerror(errno));
	chunk = xmalloc(CHUNK_SIZE);
	for (;;) {
		for (len = 0; len < CHUNK_SIZE; len += (size_t)n) {
			if ((n = read(fd, chunk + len, CHUNK_SIZE - len)) < 0 && errno == EINTR) {
				n = 0;
				continue;
			}
			if (n < 0) {
				rc = aims_error_set(AIMS_ERROR, "file", "cannot read the stored file: %s",
				    strerror(errno));
				goto done;
			}
			if (n == 0)
				break;
		}
		/* An empty file is one empty chunk: seq 0 says the bytes are stored. */
		if (len == 0 && seq > 0)
			break;
		if ((rc = db_prepare(&st, db, "INSERT INTO evidence_chunks (org_id, sha256, seq, "
		    "data) VALUES (?, ?, ?, ?)")) != 0)
			goto done;
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, sha256);
		db_bind_int64(st, 3, seq++);
		db_bind_blob(st, 4, chunk, len);
		rc = db_step(st);
		db_done(st);
		st = NULL;
		if (rc != DB_DONE) {
			rc = rc < 0 ? rc : AIMS_ERROR;
			goto done;
		}
		rc = 0;
		if (len < CHUNK_SIZE)
			break;
	}
done:
	free(chunk);
	close(fd);
	return rc;
}

/*
 * Streams the chunks of (org_id, sha256) to fd (-1: nowhere), hashing them;
 * AIMS_ENOTFOUND when there are none.
 */
static int
chunks_stream(char hex[EVIDENCE_SHA256_HEX + 1], int64_t *size, struct db *db, int64_t org_id,
    const char *sha256, int fd)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state h;
	struct db_stmt *st = NULL;
	const unsigned char *p;
	int64_t rows = 0;
	size_t len, off;
	ssize_t w;
	int rc;

	*size = 0;
	crypto_hash_sha256_init(&h);
	/* One row at a time: the result is read as it comes, never the whole file. */
	if ((rc = db_prepare(&st, db, "SELECT data FROM evidence_chunks WHERE org_id = ? "
	    "AND sha256 = ? AND seq = ?")) != 0)
		return rc;
	for (;; rows++) {
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, sha256);
		db_bind_int64(st, 3, rows);
		if ((rc = db_step(st)) != DB_ROW)
			break;
		p = db_column_blob(st, 0, &len);
		crypto_hash_sha256_update(&h, p, len);
		*size += (int64_t)len;
		for (off = 0; fd >= 0 && off < len; off += (size_t)w)
			if ((w = write(fd, p + off, len - off)) < 0 && errno != EINTR) {
				db_done(st);
				return aims_error_set(AIMS_ERROR, "file", "cannot write the file: %s",
				    strerror(errno));
			} else if (w < 0)
				w = 0;
		db_done(st);
		if ((rc = db_prepare(&st, db, "SELECT data FROM evidence_chunks WHERE org_id = ? "
		    "AND sha256 = ? AND seq = ?")) != 0)
			return rc;
	}
	db_done(st);
	if (rc < 0)
		return rc;
	if (rows == 0)
		return AIMS_ENOTFOUND;
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(hex, EVIDENCE_SHA256_HEX + 1, digest, sizeof(digest));
	return 0;
}

int
evidence_chunks_fetch(struct db *db, int64_t org_id, const char *sha256, const char *data_dir)
{
	char hex[EVIDENCE_SHA256_HEX + 1];
	struct buf tmp = BUF_INIT;
	char *path = NULL, *dir = NULL;
	int64_t size;
	int fd = -1, rc;
	bool placed = false;

	if (!evidence_chunks_used(db))
		return 0;
	if ((rc = evidence_blob_path(&path, data_dir, sha256)) != 0)
		return rc;
	if (access(path, F_OK) == 0)
		goto done;	/* cached already */
	if ((rc = evidence_mkdirs(&dir, data_dir, sha256)) != 0)
		goto done;
	/* Where an interrupted copy is cleaned up, as an upload's (evidence_temp_clean()). */
	buf_printf(&tmp, "%s/blobs/" EVIDENCE_BLOB_TMP_PREFIX "XXXXXX", data_dir);
	if ((fd = mkstemp(tmp.data)) < 0) {
		rc = aims_error_set(AIMS_ERROR, "file", "cannot write the evidence cache: %s",
		    strerror(errno));
		goto done;
	}
	if ((rc = evidence_temp_hold(fd)) != 0)
		goto done;
	if ((rc = chunks_stream(hex, &size, db, org_id, sha256, fd)) != 0) {
		if (rc == AIMS_ENOTFOUND)
			rc = aims_error_set(AIMS_EVERIFY, "file", "the stored file %s is not in the "
			    "database", sha256);
		goto done;
	}
	if (strcmp(hex, sha256) != 0) {
		rc = aims_error_set(AIMS_EVERIFY, "file", "the stored file %s has changed in the "
		    "database (its SHA-256 is now %s)", sha256, hex);
		goto done;
	}
	if (fchmod(fd, 0400) != 0 || fsync(fd) != 0 || rename(tmp.data, path) != 0) {
		rc = aims_error_set(AIMS_ERROR, "file", "cannot store the file: %s", strerror(errno));
		goto done;
	}
	placed = true;
done:
	if (fd >= 0) {
		close(fd);
		if (!placed)
			unlink(tmp.data);
	}
	buf_free(&tmp);
	free(dir);
	free(path);
	return rc;
}

int
evidence_chunks_verify(char **problem, struct db *db, int64_t org_id, const char *sha256,
    int64_t size, bool rehash, const char *what)
{
	char hex[EVIDENCE_SHA256_HEX + 1];
	struct buf b = BUF_INIT;
	int64_t n = 0;
	int rc;

	*problem = NULL;
	if (!rehash) {
		struct db_stmt *st = NULL;

		if ((rc = db_prepare(&st, db, "SELECT count(*), coalesce(sum(length(data)), 0) "
		    "FROM evidence_chunks WHERE org_id = ? AND sha256 = ?")) != 0)
			return rc;
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, sha256);
		if ((rc = db_step(st)) == DB_ROW) {
			rc = db_column_int64(st, 0) > 0 ? 0 : AIMS_ENOTFOUND;
			n = db_column_int64(st, 1);
		}
		db_done(st);
	} else
		rc = chunks_stream(hex, &n, db, org_id, sha256, -1);
	if (rc == AIMS_ENOTFOUND)
		buf_printf(&b, "%s: the stored file %s is missing from the database", what, sha256);
	else if (rc < 0)
		return rc;
	else if (n != size)
		buf_printf(&b, "%s: the stored file %s has changed in the database (%lld bytes, "
		    "not %lld)", what, sha256, (long long)n, (long long)size);
	else if (rehash && strcmp(hex, sha256) != 0)
		buf_printf(&b, "%s: the stored file %s has changed in the database (its SHA-256 "
		    "is now %s)", what, sha256, hex);
	if (b.len == 0)
		return 0;
	*problem = buf_detach(&b);
	return aims_error_set(AIMS_EVERIFY, "file", "%s", *problem);
}
