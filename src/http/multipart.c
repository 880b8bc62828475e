/*
 * multipart.c - the streaming multipart/form-data parser (see multipart.h).
 *
 * The body is scanned for the delimiter CRLF "--" boundary. A boundary may
 * not contain CR (RFC 2046 bchars), so CR occurs in the delimiter only as
 * its first byte: when a partial match fails, the bytes matched so far are
 * plain content and matching restarts only if the failing byte is a CR.
 * That keeps the scan a single pass with a few bytes of state carried from
 * one piece of the body to the next. The body's start is treated as if a
 * CRLF preceded it, so that a first boundary at offset 0 is found too.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/evidence.h"
#include "http/multipart.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define MP_DELIM_MAX	(4 + MULTIPART_BOUNDARY_MAX)
#define MP_TYPE		"multipart/form-data"

enum mp_state {
	MP_PREAMBLE,	/* before the first boundary: skipped */
	MP_AFTER,	/* just after a boundary: CRLF (a part) or "--" (the end) */
	MP_HEADERS,	/* a part's header block, up to CRLF CRLF */
	MP_BODY,	/* a part's content */
	MP_EPILOGUE,	/* after the closing boundary: skipped */
	MP_FAILED,
};

enum mp_sink { MP_SINK_NONE, MP_SINK_TEXT, MP_SINK_FILE };

struct multipart {
	enum mp_state	 state;
	char		 delim[MP_DELIM_MAX + 1];	/* CRLF "--" boundary */
	size_t		 dlen;
	size_t		 matched;	/* delimiter bytes matched so far */
	char		 after[2];	/* bytes seen in MP_AFTER */
	size_t		 nafter;
	struct buf	 head;		/* the current part's headers */
	enum mp_sink	 sink;
	char		*name;		/* the current part's field name */
	struct buf	 text;		/* the current text field */
	size_t		 text_total;
	size_t		 parts;
	uint64_t	 file_max;
	char		*tmp_dir;
	FILE		*file;
	crypto_hash_sha256_state sha;
	struct http_upload *up;
	int		 error;
};

static int
mp_fail(struct multipart *mp, int code, const char *msg)
{
	mp->state = MP_FAILED;
	mp->error = aims_error_set(code, "file", "%s", msg);
	return mp->error;
}

static int
mp_fail_io(struct multipart *mp)
{
	char msg[AIMS_ERROR_MSG_MAX];

	snprintf(msg, sizeof(msg), "cannot store the upload: %s", strerror(errno));
	return mp_fail(mp, AIMS_ERROR, msg);
}

/* The boundary parameter of a multipart/form-data Content-Type. */
static int
mp_boundary(char out[MULTIPART_BOUNDARY_MAX + 1], const char *ct)
{
	const char *p;
	size_t n = 0;
	bool quoted;

	if (ct == NULL || strncasecmp(ct, MP_TYPE, strlen(MP_TYPE)) != 0)
		return aims_error_set(AIMS_EUNSUPPORTED, "Content-Type",
		    "the body must be multipart/form-data");
	for (p = ct + strlen(MP_TYPE); (p = strchr(p, ';')) != NULL; ) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) != 0)
			continue;
		p += 9;
		if ((quoted = *p == '"'))
			p++;
		while (p[n] != '\0' && p[n] != (quoted ? '"' : ';') &&
		    (quoted || (p[n] != ' ' && p[n] != '\t')))
			if (p[n] == '\r' || p[n] == '\n' || ++n > MULTIPART_BOUNDARY_MAX)
				goto bad;
		if (n == 0 || (quoted && p[n] != '"'))
			goto bad;
		memcpy(out, p, n);
		out[n] = '\0';
		return 0;
	}
bad:
	return aims_error_set(AIMS_EINVALID, "Content-Type",
	    "multipart/form-data needs a boundary of 1 to %d characters",
	    MULTIPART_BOUNDARY_MAX);
}

int
multipart_begin(struct multipart **out, const char *content_type, const char *tmp_dir,
    uint64_t file_max)
{
	char boundary[MULTIPART_BOUNDARY_MAX + 1];
	struct multipart *mp;
	int rc;

	*out = NULL;
	if ((rc = mp_boundary(boundary, content_type)) != 0)
		return rc;
	mp = xcalloc(1, sizeof(*mp));
	mp->dlen = (size_t)snprintf(mp->delim, sizeof(mp->delim), "\r\n--%s", boundary);
	mp->matched = 2;	/* the body starts as if after a CRLF */
	mp->state = MP_PREAMBLE;
	mp->file_max = file_max;
	mp->tmp_dir = xstrdup(tmp_dir);
	mp->up = xcalloc(1, sizeof(*mp->up));
	mp->up->file_hold = -1;
	*out = mp;
	return 0;
}

/* A parameter of a Content-Disposition value: name="value" or name=token. */
static char *
mp_param(const char *value, const char *name)
{
	size_t n = strlen(name), len;
	const char *p = value;
	struct buf b = BUF_INIT;

	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, name, n) != 0 || p[n] != '=')
			continue;
		p += n + 1;
		if (*p != '"') {
			len = strcspn(p, "; \t");
			return xstrndup(p, len);
		}
		for (p++; *p != '\0' && *p != '"'; p++) {
			if (*p == '\\' && p[1] != '\0') {
				buf_putc(&b, *++p);
				continue;
			}
			/* Browsers and curl send these three as the HTML standard says. */
			if (strncmp(p, "%22", 3) == 0 || strncasecmp(p, "%0D", 3) == 0 ||
			    strncasecmp(p, "%0A", 3) == 0) {
				buf_putc(&b, p[2] == '2' ? '"' : (p[2] | 0x20) == 'd' ? '\r' : '\n');
				p += 2;
				continue;
			}
			buf_putc(&b, *p);
		}
		if (*p != '"') {
			buf_free(&b);
			return NULL;
		}
		return buf_detach(&b);
	}
	return NULL;
}

/* The Content-Disposition line of a header block, or NULL. Borrowed from head. */
static const char *
mp_disposition(char *head)
{
	static const char hname[] = "content-disposition:";
	char *line, *save = NULL;

	for (line = strtok_r(head, "\r\n", &save); line != NULL;
	    line = strtok_r(NULL, "\r\n", &save))
		if (strncasecmp(line, hname, sizeof(hname) - 1) == 0) {
			line += sizeof(hname) - 1;
			while (*line == ' ' || *line == '\t')
				line++;
			return line;
		}
	return NULL;
}

static int
mp_open_file(struct multipart *mp, const char *filename)
{
	struct buf path = BUF_INIT;
	const char *base = filename;
	char msg[AIMS_ERROR_MSG_MAX];
	int fd;

	if (mp->up->file_path != NULL) {
		/* Often a text part sent as a file (a Blob in FormData): say which. */
		snprintf(msg, sizeof(msg), "one file per upload: parts '%.64s' and '%.64s' both "
		    "have a file name (send text parts without one)", mp->up->file_field, mp->name);
		return mp_fail(mp, AIMS_EINVALID, msg);
	}
	buf_printf(&path, "%s/" EVIDENCE_UPLOAD_PREFIX "XXXXXX", mp->tmp_dir);
	/* Held while it is written, so a start-up clean-up leaves it alone (evidence.h). */
	if ((fd = mkstemp(path.data)) < 0 || evidence_temp_hold(fd) != 0 ||
	    (mp->up->file_hold = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0 ||
	    (mp->file = fdopen(fd, "wb")) == NULL) {
		mp_fail_io(mp);
		if (fd >= 0) {
			close(fd);
			unlink(path.data);
		}
		buf_free(&path);
		return mp->error;
	}
	mp->up->file_path = buf_detach(&path);
	mp->up->file_field = xstrdup(mp->name);
	for (; *filename != '\0'; filename++)
		if (*filename == '/' || *filename == '\\')
			base = filename + 1;
	mp->up->file_name = xstrdup(base);
	crypto_hash_sha256_init(&mp->sha);
	mp->sink = MP_SINK_FILE;
	return 0;
}

/* The header block of a part is complete: decide where its content goes. */
static int
mp_part_begin(struct multipart *mp)
{
	const char *disp = mp_disposition(mp->head.data);
	char *filename = NULL;
	int rc = 0;

	if (disp == NULL || strncasecmp(disp, "form-data", 9) != 0)
		return mp_fail(mp, AIMS_EINVALID, "a part without Content-Disposition: form-data");
	free(mp->name);
	mp->name = mp_param(disp, "name");
	if (mp->name == NULL || mp->name[0] == '\0' || strlen(mp->name) > WEB_FORM_NAME_MAX ||
	    !str_is_utf8(mp->name, strlen(mp->name)))
		return mp_fail(mp, AIMS_EINVALID, "a part without a proper field name");
	if (++mp->parts > MULTIPART_PARTS_MAX)
		return mp_fail(mp, AIMS_ETOOBIG, "too many form fields");
	filename = mp_param(disp, "filename");
	if (filename != NULL && strlen(filename) > MULTIPART_FILENAME_MAX)
		rc = mp_fail(mp, AIMS_EINVALID, "the file name is too long");
	else if (filename != NULL && filename[0] != '\0')
		rc = mp_open_file(mp, filename);
	else
		mp->sink = filename != NULL ? MP_SINK_NONE : MP_SINK_TEXT;
	free(filename);
	buf_reset(&mp->text);
	return rc;
}

static int
mp_emit(struct multipart *mp, const char *data, size_t len)
{
	if (len == 0)
		return 0;
	switch (mp->sink) {
	case MP_SINK_TEXT:
		if (mp->text_total + len > MULTIPART_TEXT_MAX)
			return mp_fail(mp, AIMS_ETOOBIG, "the form's text is too large");
		mp->text_total += len;
		buf_append(&mp->text, data, len);
		return 0;
	case MP_SINK_FILE:
		if (mp->up->file_size + len > mp->file_max)
			return mp_fail(mp, AIMS_ETOOBIG, "the file is larger than the limit");
		if (fwrite(data, 1, len, mp->file) != len)
			return mp_fail_io(mp);
		crypto_hash_sha256_update(&mp->sha, (const unsigned char *)data, len);
		mp->up->file_size += len;
		return 0;
	default:
		/* An empty file input: a browser sends no bytes for it. */
		return mp_fail(mp, AIMS_EINVALID, "content for a file without a name");
	}
}

static int
mp_part_end(struct multipart *mp)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	const char *text = buf_str(&mp->text);
	bool bad;

	switch (mp->sink) {
	case MP_SINK_TEXT:
		if (memchr(mp->text.data ? mp->text.data : "", '\0', mp->text.len) != NULL ||
		    !str_is_utf8(text, mp->text.len))
			return mp_fail(mp, AIMS_EINVALID, "a form field is not UTF-8 text");
		web_form_add(&mp->up->fields, mp->name, text);
		break;
	case MP_SINK_FILE:
		bad = fflush(mp->file) != 0;
		bad = fclose(mp->file) != 0 || bad;
		mp->file = NULL;
		if (bad)
			return mp_fail_io(mp);
		crypto_hash_sha256_final(&mp->sha, h);
		sodium_bin2hex(mp->up->sha256, sizeof(mp->up->sha256), h, sizeof(h));
		break;
	default:
		break;
	}
	mp->sink = MP_SINK_NONE;
	return 0;
}

/* Content up to a delimiter; returns bytes used. A found delimiter ends the part. */
static size_t
mp_scan(struct multipart *mp, const char *data, size_t len, bool keep)
{
	size_t i = 0, start = 0;
	const char *cr;

	while (i < len && mp->state != MP_FAILED) {
		if (mp->matched == 0) {
			cr = memchr(data + i, '\r', len - i);
			i = cr != NULL ? (size_t)(cr - data) : len;
			if (i == len)
				break;
		}
		if (data[i] == mp->delim[mp->matched]) {
			if (mp->matched == 0 && keep)
				mp_emit(mp, data + start, i - start);
			i++;
			if (++mp->matched == mp->dlen) {
				mp->matched = 0;
				if (mp->state == MP_BODY)
					mp_part_end(mp);
				if (mp->state != MP_FAILED)
					mp->state = MP_AFTER;
				mp->nafter = 0;
				return i;
			}
			start = i;
			continue;
		}
		/* Not a delimiter after all: what matched is content. */
		if (keep && mp->matched > 0)
			mp_emit(mp, mp->delim, mp->matched);
		mp->matched = 0;
		start = i;
		if (data[i] != '\r')
			i++;
	}
	if (keep && mp->matched == 0 && mp->state != MP_FAILED)
		mp_emit(mp, data + start, len - start);
	return len;
}

static size_t
mp_after(struct multipart *mp, const char *data, size_t len)
{
	size_t i = 0;

	while (i < len && mp->nafter < 2)
		mp->after[mp->nafter++] = data[i++];
	if (mp->nafter < 2)
		return i;
	if (memcmp(mp->after, "--", 2) == 0) {
		mp->state = MP_EPILOGUE;
	} else if (memcmp(mp->after, "\r\n", 2) == 0) {
		buf_reset(&mp->head);
		mp->state = MP_HEADERS;
	} else {
		mp_fail(mp, AIMS_EINVALID, "a boundary followed by junk");
	}
	return i;
}

static size_t
mp_headers(struct multipart *mp, const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		buf_putc(&mp->head, data[i]);
		if (mp->head.len > MULTIPART_HEADERS_MAX) {
			mp_fail(mp, AIMS_ETOOBIG, "a part's headers are too large");
			return len;
		}
		if (mp->head.len >= 4 &&
		    memcmp(mp->head.data + mp->head.len - 4, "\r\n\r\n", 4) == 0) {
			if (memchr(mp->head.data, '\0', mp->head.len) != NULL) {
				mp_fail(mp, AIMS_EINVALID, "a NUL byte in a part's headers");
				return len;
			}
			if (mp_part_begin(mp) == 0) {
				mp->state = MP_BODY;
				/* The delimiter's CRLF may follow the headers at once. */
				mp->matched = 0;
			}
			return i + 1;
		}
	}
	return len;
}

int
multipart_feed(struct multipart *mp, const char *data, size_t len)
{
	size_t used;

	while (len > 0) {
		switch (mp->state) {
		case MP_PREAMBLE:
			used = mp_scan(mp, data, len, false);
			break;
		case MP_AFTER:
			used = mp_after(mp, data, len);
			break;
		case MP_HEADERS:
			used = mp_headers(mp, data, len);
			break;
		case MP_BODY:
			used = mp_scan(mp, data, len, true);
			break;
		case MP_EPILOGUE:
			return 0;
		default:
			return mp->error != 0 ? mp->error : AIMS_EINVALID;
		}
		data += used;
		len -= used;
	}
	return mp->state == MP_FAILED ? mp->error : 0;
}

int
multipart_finish(struct http_upload **out, struct multipart *mp)
{
	*out = NULL;
	if (mp->state == MP_FAILED)
		return mp->error;
	if (mp->state != MP_EPILOGUE)
		return mp_fail(mp, AIMS_EINVALID, "the form data ends before its closing boundary");
	*out = mp->up;
	mp->up = NULL;
	return 0;
}

void
http_upload_free(struct http_upload *u)
{
	if (u == NULL)
		return;
	if (u->file_path != NULL)
		unlink(u->file_path);
	if (u->file_hold >= 0)
		close(u->file_hold);	/* after the unlink: never unheld while it exists */
	free(u->file_path);
	free(u->file_field);
	free(u->file_name);
	web_form_free(&u->fields);
	free(u);
}

void
multipart_free(struct multipart *mp)
{
	if (mp == NULL)
		return;
	if (mp->file != NULL)
		fclose(mp->file);
	http_upload_free(mp->up);
	buf_free(&mp->head);
	buf_free(&mp->text);
	free(mp->name);
	free(mp->tmp_dir);
	free(mp);
}
