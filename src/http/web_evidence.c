/*
 * web_evidence.c - evidence files in the browser: a form's file (received
 * by the multipart parser into a temporary file, already hashed) saved
 * with the record in one step by core, and the download of a stored
 * revision, always as an attachment so that a stored file is never shown
 * as a page of this site. The preview serves images, PDF documents and text
 * inline for the record page to frame, under a sandboxing policy, text
 * always as text/plain (web_preview_of() decides; HTML and SVG are never
 * on the evidence allow-list).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/evidence.h"
#include "http/api.h"
#include "http/webui.h"
#include "store/db.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"
#include "web/html.h"

/*
 * A preview runs nothing: a sandbox of its own origin, no script, no form,
 * no request anywhere but for its own bytes, framed by this site only.
 */
#define WEBUI_PREVIEW_CSP	"sandbox; default-src 'none'; img-src 'self'; " \
				"frame-ancestors 'self'"

static int
webui_evidence_save(json_t **out, struct http_ctx *c, const char *ref, int64_t version,
    const json_t *fields)
{
	struct evidence_upload up;
	bool file = http_upload_evidence(&up, c->req->upload);

	/* Through the writer, as the API's uploads (http_evidence_write). */
	return http_evidence_write(out, c, ref, version, fields, false, file ? &up : NULL);
}

int
webui_evidence_create(json_t **out, struct http_ctx *c, const json_t *fields)
{
	return webui_evidence_save(out, c, NULL, 0, fields);
}

int
webui_evidence_update(json_t **out, struct http_ctx *c, const char *ref, int64_t version,
    const json_t *patch)
{
	return webui_evidence_save(out, c, ref, version, patch);
}

int
webui_download(struct http_ctx *c)
{
	const char *ref = http_param(c, "ref");
	int64_t revision = http_query_int(c, "revision", 0);

	if (!c->web->kind->files || strlen(ref) > WEBUI_REF_MAX)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such file.");
	return http_reply_evidence_file(c, ref, revision > 0 ? revision : 0);
}

int
webui_preview(struct http_ctx *c)
{
	const char *ref = http_param(c, "ref");
	int64_t revision = http_query_int(c, "revision", 0);
	char *data_dir = NULL, *path = NULL;
	struct buf disposition = BUF_INIT;
	enum web_preview p;
	json_t *meta = NULL;
	struct stat st;
	int fd = -1, rc;

	if (!c->web->kind->files || strlen(ref) > WEBUI_REF_MAX)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such file.");
	evidence_data_dir(&data_dir, db_path(c->db));
	if ((rc = evidence_file_get(&meta, &path, c->db, data_dir, c->org_id, ref,
	    revision > 0 ? revision : 0)) != 0)
		goto done;
	p = web_preview_of(json_string_value(json_object_get(meta, "media_type")));
	if (p == WEB_PREVIEW_NONE) {
		rc = aims_error_set(AIMS_ENOTFOUND, NULL, "This file has no preview: download it.");
		goto done;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0) {
		rc = aims_error_set(errno == ENOENT ? AIMS_ENOTFOUND : AIMS_ERROR, NULL,
		    "The stored file cannot be read: run 'aims verify'.");
		goto done;
	}
	buf_puts(&disposition, "inline; filename*=UTF-8''");
	html_url_escape(&disposition, json_string_value(json_object_get(meta, "filename")));
	http_reply_empty(c, 200);
	http_resp_header(&c->resp, "Content-Type", p == WEB_PREVIEW_TEXT ?
	    "text/plain; charset=utf-8" : evidence_media_type_static(json_string_value(
	    json_object_get(meta, "media_type"))));
	http_resp_header(&c->resp, "Content-Disposition", buf_str(&disposition));
	http_resp_header(&c->resp, "Content-Security-Policy", WEBUI_PREVIEW_CSP);
	http_resp_header(&c->resp, "X-Frame-Options", "SAMEORIGIN");
	http_resp_header(&c->resp, "Referrer-Policy", "no-referrer");
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

/*
 * The first WEB_PREVIEW_TEXT_MAX bytes of the latest file of an evidence
 * record, when it is text, cut at a character boundary: *out NULL when it
 * is not text. Caller frees *out.
 */
int
webui_preview_text(char **out, bool *cut, struct http_ctx *c, const char *ref,
    const json_t *files)
{
	const json_t *last = json_array_get(files, json_array_size(files) - 1);
	char *data_dir = NULL, *path = NULL, *text = NULL;
	json_t *meta = NULL;
	ssize_t n;
	int fd = -1, rc = 0;

	*out = NULL;
	*cut = false;
	if (last == NULL || web_preview_of(json_string_value(json_object_get(last,
	    "media_type"))) != WEB_PREVIEW_TEXT)
		return 0;
	evidence_data_dir(&data_dir, db_path(c->db));
	if ((rc = evidence_file_get(&meta, &path, c->db, data_dir, c->org_id, ref, 0)) != 0) {
		/* The page still shows, with the download's own refusal when asked. */
		rc = 0;
		goto done;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		goto done;
	text = xmalloc(WEB_PREVIEW_TEXT_MAX + 2);
	if ((n = read(fd, text, WEB_PREVIEW_TEXT_MAX + 1)) < 0)
		goto done;
	if (n > WEB_PREVIEW_TEXT_MAX) {
		*cut = true;
		n = WEB_PREVIEW_TEXT_MAX;
		/* Never half a UTF-8 character. */
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	text[n] = '\0';
	*out = text;
	text = NULL;
done:
	if (fd >= 0)
		close(fd);
	free(text);
	json_decref(meta);
	free(path);
	free(data_dir);
	return rc;
}
