/*
 * multipart.h - a bounded, streaming parser of multipart/form-data request
 * bodies (RFC 7578), fed in pieces of any size as they arrive.
 *
 * Text fields are kept in memory, limited in number and in total size. At
 * most one file field: its bytes go straight to a temporary file (never
 * buffered whole), hashed with SHA-256 on the way, and limited in size.
 * Anything malformed is AIMS_EINVALID, anything over a limit AIMS_ETOOBIG;
 * after an error the parser refuses further input. Part headers other than
 * Content-Disposition are ignored: what a file is, is decided from its
 * bytes (core/evidence.h), not from what the client claims.
 */
#ifndef AIMS_HTTP_MULTIPART_H
#define AIMS_HTTP_MULTIPART_H

#include <stddef.h>
#include <stdint.h>

#include "core/evidence.h"
#include "web/web.h"

#define MULTIPART_BOUNDARY_MAX	70		/* RFC 2046 */
#define MULTIPART_HEADERS_MAX	2048		/* header block of one part */
#define MULTIPART_TEXT_MAX	(1024 * 1024)	/* all text fields together */
#define MULTIPART_PARTS_MAX	WEB_FORM_PAIRS_MAX
#define MULTIPART_FILENAME_MAX	1024
#define MULTIPART_SHA256_HEX	64
/* Bytes of an upload's whole body: the largest evidence file and the form around it. */
#define MULTIPART_UPLOAD_MAX	((uint64_t)EVIDENCE_FILE_MAX + 2 * MULTIPART_TEXT_MAX)

/* What a complete body held. */
struct http_upload {
	struct web_form	 fields;	/* the text fields, in order */
	char		*file_path;	/* temporary file, or NULL: no file chosen */
	int		 file_hold;	/* holds its lock until freed (evidence_temp_hold), or -1 */
	char		*file_field;	/* name of the file's form field */
	char		*file_name;	/* as the client named it, directories dropped */
	uint64_t	 file_size;
	char		 sha256[MULTIPART_SHA256_HEX + 1];
};

struct multipart;

/*
 * Starts a parser for a body of type content_type ("multipart/form-data;
 * boundary=..."); a file goes into a new temporary file in tmp_dir and may
 * be at most file_max bytes.
 */
int multipart_begin(struct multipart **out, const char *content_type, const char *tmp_dir,
    uint64_t file_max);
/* Takes the next len bytes of the body. */
int multipart_feed(struct multipart *mp, const char *data, size_t len);
/* Checks that the body ended properly; *out then owns the fields and the file. */
int multipart_finish(struct http_upload **out, struct multipart *mp);
/* Frees the parser; its temporary file is removed unless finish took it. */
void multipart_free(struct multipart *mp);
/* Frees an upload and removes its temporary file. */
void http_upload_free(struct http_upload *u);

#endif
