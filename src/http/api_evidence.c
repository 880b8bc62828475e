/*
 * api_evidence.c - evidence files over the API: a file uploaded as a new
 * evidence record or as the next revision of one (multipart, received and
 * hashed by the server as it arrives, see router.h ROUTE_UPLOAD), the
 * revisions of a record, and the download of one revision with its type
 * and file name. The store and its checks are core's (core/evidence.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/evidence.h"
#include "http/api.h"
#include "http/multipart.h"
#include "http/router.h"
#include "http/server.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"
#include "web/html.h"

/*
 * The file routes are record routes ({kind}/{ref}/files): only a kind that
 * declares files has them; any other answers 404 as an unknown path would.
 */
static int
api_files_kind(struct http_ctx *c)
{
	const struct record_kind *k = record_kind_find(http_param(c, "kind"));

	if (k == NULL || !k->files)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such resource");
	return 0;
}

int
api_evidence_files(struct http_ctx *c)
{
	json_t *items = NULL;
	int rc;

	if ((rc = api_files_kind(c)) != 0)
		return rc;
	if ((rc = evidence_file_list(&items, c->db, c->org_id, http_param(c, "ref"))) != 0)
		return rc;
	http_reply_list(c, items, NULL);
	return 0;
}

/* attachment; filename="ascii"; filename*=UTF-8''percent-encoded (RFC 6266) */
static void
api_evidence_disposition(struct buf *out, const char *name)
{
	const char *p;

	buf_puts(out, "attachment; filename=\"");
	for (p = name; *p != '\0'; p++)
		buf_putc(out, (unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f || *p == '"' ||
		    *p == '\\' ? '_' : *p);
	buf_puts(out, "\"; filename*=UTF-8''");
	html_url_escape(out, name);
}

int
http_reply_evidence_file(struct http_ctx *c, const char *ref, int64_t revision)
{
	char *data_dir = NULL, *path = NULL;
	struct buf disposition = BUF_INIT;
	json_t *meta = NULL;
	struct stat st;
	int fd = -1, rc;

	evidence_data_dir(&data_dir, db_path(c->db));
	if ((rc = evidence_file_get(&meta, &path, c->db, data_dir, c->org_id, ref,
	    revision)) != 0)
		goto done;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0) {
		rc = errno == ENOENT ? aims_error_set(AIMS_ENOTFOUND, NULL,
		    "the stored file is missing: run 'aims verify'") :
		    aims_error_set(AIMS_ERROR, NULL, "cannot open the stored file: %s",
		    strerror(errno));
		goto done;
	}
	api_evidence_disposition(&disposition,
	    json_string_value(json_object_get(meta, "filename")));
	/* Sent from the file as it is, never read into memory whole. */
	http_reply_empty(c, 200);
	/* The media type was checked against the allow-list when it was stored. */
	http_resp_header(&c->resp, "Content-Type", evidence_media_type_static(
	    json_string_value(json_object_get(meta, "media_type"))));
	http_resp_header(&c->resp, "Content-Disposition", buf_str(&disposition));
	http_resp_header(&c->resp, "X-Content-SHA256",
	    json_string_value(json_object_get(meta, "sha256")));
	c->resp.has_file = true;
	c->resp.file_fd = fd;
	c->resp.file_size = (uint64_t)st.st_size;
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	buf_free(&disposition);
	json_decref(meta);
	free(path);
	free(data_dir);
	return rc;
}

int
api_evidence_download(struct http_ctx *c)
{
	int64_t revision = 0;
	int rc;

	if ((rc = api_files_kind(c)) != 0)
		return rc;
	if (str_to_int64(&revision, http_param(c, "id"), 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such revision");
	return http_reply_evidence_file(c, http_param(c, "ref"), revision);
}

bool
http_upload_evidence(struct evidence_upload *out, const struct http_upload *u)
{
	memset(out, 0, sizeof(*out));
	if (u == NULL || u->file_path == NULL)
		return false;
	out->path = u->file_path;
	out->sha256 = u->sha256;
	out->filename = u->file_name;
	out->received = true;
	return true;
}

/*
 * An upload's change: the record and its new file revision, applied by the
 * server's writer (http_server_write) like every other change of records,
 * so that it never waits in SQLite's busy handler and its 201 still means
 * committed. The file is linked into the store inside the change, as
 * before: two uploads of the same bytes stay one after the other.
 */
struct api_evidence_write {
	const char			*data_dir;
	int64_t				 org_id;
	const struct actor		*actor;
	const char			*ref;		/* NULL: a new record */
	int64_t				 version;
	const json_t			*fields;
	bool				 file_only;	/* a revision alone: fields unused */
	const struct evidence_upload	*up;
	json_t				*out;
};

static int
api_evidence_apply(struct db *db, void *arg)
{
	struct api_evidence_write *w = arg;

	if (w->file_only)
		return evidence_file_add(&w->out, db, w->data_dir, w->org_id, w->actor, w->ref,
		    w->version, w->up);
	return evidence_save(&w->out, db, w->data_dir, w->org_id, w->actor, w->ref, w->version,
	    w->fields, w->up);
}

int
http_evidence_write(json_t **out, struct http_ctx *c, const char *ref, int64_t version,
    const json_t *fields, bool file_only, const struct evidence_upload *up)
{
	struct api_evidence_write w = { .org_id = c->org_id, .actor = &c->actor, .ref = ref,
	    .version = version, .fields = fields, .file_only = file_only, .up = up };
	char *data_dir = NULL;
	int rc;

	*out = NULL;
	evidence_data_dir(&data_dir, db_path(c->db));
	w.data_dir = data_dir;
	rc = http_server_write(c->db, c->org_id, api_evidence_apply, &w);
	if (rc == 0)
		*out = w.out;
	else
		json_decref(w.out);
	free(data_dir);
	return rc;
}

/* The router has checked that the file is there (router_check_upload). */
static int
api_evidence_received(struct evidence_upload *up, const struct http_ctx *c)
{
	if (!http_upload_evidence(up, c->req->upload))
		return aims_error_set(AIMS_EINVALID, ROUTER_UPLOAD_FILE,
		    "a file is required, in the form part named '" ROUTER_UPLOAD_FILE "'");
	return 0;
}

int
api_evidence_create(struct http_ctx *c)
{
	struct evidence_upload up = { 0 };
	json_t *rec = NULL;
	char loc[512];
	int rc;

	if ((rc = api_evidence_received(&up, c)) != 0)
		return rc;
	if ((rc = http_evidence_write(&rec, c, NULL, 0, c->body, false, &up)) != 0)
		return rc;
	snprintf(loc, sizeof(loc), "/api/v1/orgs/%s/%s/%s", http_param(c, "org"),
	    http_param(c, "kind"), json_string_value(json_object_get(rec, "ref")));
	http_reply_record(c, 201, rec, loc);
	return 0;
}

int
api_evidence_upload(struct http_ctx *c)
{
	struct evidence_upload up = { 0 };
	const char *ref = http_param(c, "ref");
	json_t *rec = NULL;
	char loc[512];
	int64_t version;
	int rc;

	if ((rc = api_files_kind(c)) != 0 || (rc = http_if_match_or_reply(&version, c)) != 0)
		return rc;
	if ((rc = api_evidence_received(&up, c)) != 0)
		return rc;
	/* With a 'record' part, its fields change in the same transaction. */
	if ((rc = http_evidence_write(&rec, c, ref, version, c->body, c->body == NULL,
	    &up)) != 0)
		return rc;
	snprintf(loc, sizeof(loc), "/api/v1/orgs/%s/%s/%s/files/%lld",
	    http_param(c, "org"), http_param(c, "kind"), ref,
	    (long long)json_integer_value(json_object_get(rec, "revision")));
	http_reply_record(c, 201, rec, loc);
	return 0;
}
