/*
 * evidence.h - evidence files: revisions of a file-kind `evidence` record,
 * their bytes kept in a content-addressed store under the data directory,
 * <data dir>/blobs/ab/cdef... named by SHA-256 (identical files stored
 * once). Each added revision is a new version of the evidence record whose
 * readonly fields (revision, sha256, size, media_type, filename) carry the
 * hash into the ledger event. Older revisions and their hashes are kept.
 */
#ifndef AIMS_CORE_EVIDENCE_H
#define AIMS_CORE_EVIDENCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"

struct db;

#define EVIDENCE_FILE_MAX	(100 * 1024 * 1024)	/* bytes per file */
#define EVIDENCE_FILENAME_MAX	255
#define EVIDENCE_SHA256_HEX	64
/*
 * Temporary files: uploads being received (<data dir>/uploads/upload-*)
 * and blobs being written (<data dir>/blobs/.tmp-*). Their writer holds
 * an exclusive flock(2) on each until it closes it, so one that can be
 * locked has no writer left: a crash left it, and evidence_temp_clean()
 * removes it. One younger than EVIDENCE_TEMP_GRACE_SEC is left alone, its
 * writer may not have locked it yet.
 */
#define EVIDENCE_UPLOAD_DIR	"uploads"
#define EVIDENCE_UPLOAD_PREFIX	"upload-"
#define EVIDENCE_BLOB_TMP_PREFIX ".tmp-"
#define EVIDENCE_TEMP_GRACE_SEC	5

struct evidence_upload {
	const char	*path;		/* the uploaded bytes; copied into the store */
	const char	*sha256;	/* hex computed while receiving, or NULL */
	const char	*filename;	/* as the user named it (directories dropped) */
	/*
	 * path is a private temporary file on the data directory's file system
	 * and sha256 was computed as its bytes were written: it is linked into
	 * the store instead of copied (the caller still removes its name).
	 */
	bool		 received;
};

/*
 * Adds a file revision to evidence `ref` (kind file): checks size and type
 * (libmagic, against an allow-list), stores the bytes, records the revision
 * and updates the record, all in one transaction; on failure nothing is
 * left behind. if_version 0: no check. *out: the updated evidence record.
 */
int evidence_file_add(json_t **out, struct db *db, const char *data_dir, int64_t org_id,
    const struct actor *actor, const char *ref, int64_t if_version,
    const struct evidence_upload *up);
/*
 * Creates evidence (ref NULL: fields is the new record) or changes it
 * (fields is the patch, if_version as for record_update()) and, when up is
 * not NULL, adds up as its next file revision, all in one transaction:
 * either both are kept or neither. A new record given a file and no kind is
 * of kind file. *out: the evidence record as it is afterwards.
 */
int evidence_save(json_t **out, struct db *db, const char *data_dir, int64_t org_id,
    const struct actor *actor, const char *ref, int64_t if_version, const json_t *fields,
    const struct evidence_upload *up);
/* The revisions, oldest first: [{revision, sha256, size, media_type, filename, stored_at, stored_by}]. */
int evidence_file_list(json_t **out, struct db *db, int64_t org_id, const char *ref);
/*
 * One revision (0: the latest) for download: *meta as in the list and *path
 * the stored file (caller frees both). AIMS_EVERIFY, naming the difference,
 * when the revision does not match the evidence version that recorded it or
 * that version its ledger entry: a forged revision is not served.
 */
int evidence_file_get(json_t **meta, char **path, struct db *db, const char *data_dir,
    int64_t org_id, const char *ref, int64_t revision);
/* The allow-listed media type equal to type, as a static string; else octet-stream. */
const char *evidence_media_type_static(const char *type);
/* <data_dir>/blobs/ab/cdef...; AIMS_EINVALID unless sha256 is 64 lowercase hex digits. */
int evidence_blob_path(char **out, const char *data_dir, const char *sha256);
/*
 * Stores the file at src_path in data_dir's blob store (as an upload is
 * stored), checking that its SHA-256 is sha256: another store's blob, moved.
 */
int evidence_blob_import(const char *data_dir, const char *src_path, const char *sha256);
/* Makes data_dir/blobs/XX for sha256 (its path in *dir, the caller frees it). */
int evidence_mkdirs(char **dir, const char *data_dir, const char *sha256);

/*
 * evidence_chunks.c: the bytes in the database on the PostgreSQL store
 * (schema 070); every function does nothing on SQLite.
 */
bool evidence_chunks_used(struct db *db);
/* Stores the file at path as the bytes of (org_id, sha256), unless stored already. */
int evidence_chunks_put(struct db *db, int64_t org_id, const char *sha256, const char *path);
/* Writes the blob into data_dir/blobs/ from the database unless it is there. */
int evidence_chunks_fetch(struct db *db, int64_t org_id, const char *sha256,
    const char *data_dir);
/* The bytes in the database against size and (rehash) SHA-256; *problem when not. */
int evidence_chunks_verify(char **problem, struct db *db, int64_t org_id, const char *sha256,
    int64_t size, bool rehash, const char *what);
/* The media type libmagic sees in path, if on the allow-list; else AIMS_EUNSUPPORTED. */
int evidence_media_type(char **out, const char *path);
/*
 * Checks the stored file of every revision (org_id 0: of every
 * organisation): present, of the revision's size, and, when rehash is
 * true, re-hashed to the revision's SHA-256. Returns 0, or AIMS_EVERIFY
 * with *problem describing the first file that is missing or changed
 * (caller frees).
 */
int evidence_verify_files(char **problem, struct db *db, const char *data_dir, int64_t org_id,
    bool rehash);
/*
 * The data directory of a database: $AIMS_DATA_DIR, or "data" beside the
 * database file. Caller frees *out.
 */
void evidence_data_dir(char **out, const char *db_path);
/* "data" beside the database file (or the PostgreSQL store's local directory), whatever $AIMS_DATA_DIR says. */
void evidence_data_dir_beside(char **out, const char *db_path);
/*
 * Removes the temporary files under data_dir that no writer holds and
 * that were last modified before the time `before` (see
 * EVIDENCE_UPLOAD_PREFIX); *removed counts them. A directory that does
 * not exist has none.
 */
int evidence_temp_clean(size_t *removed, const char *data_dir, int64_t before);
/* Marks a temporary file just made as held by this process (see above). */
int evidence_temp_hold(int fd);
/*
 * Where libmagic reads its database (colon-separated, as magic_getpath()
 * says), for a sandbox that must leave it readable.
 */
const char *evidence_magic_path(void);
/*
 * A file name a person reads as something it is not: a bidirectional
 * control character (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069)
 * can make "report\u202Efdp.exe" show as "reportexe.pdf". Returns the code
 * point of the first one in s, or 0.
 */
uint32_t evidence_bidi_control(const char *s);

#endif
