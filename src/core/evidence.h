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

#endif
