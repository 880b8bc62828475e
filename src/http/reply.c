/*
 * reply.c - building answers, the error mapping, and reading request input
 * (see http.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

#include "http/http.h"
#include "http/router.h"
#include "ledger/canon.h"
#include "store/db.h"
#include "util/error.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

void
http_ctx_init(struct http_ctx *c, const struct http_req *req, struct db *db,
    const struct http_server_config *cfg)
{
	memset(c, 0, sizeof(*c));
	c->req = req;
	c->db = db;
	c->cfg = cfg;
	c->actor.name = c->who.name;
}

void
http_ctx_free(struct http_ctx *c)
{
	http_resp_free(&c->resp);
	free(c->param_buf);
	c->param_buf = NULL;
	json_decref(c->body);
	c->body = NULL;
}

int
http_status_of(int code)
{
	switch (code) {
	case AIMS_OK: return 200;
	case AIMS_ENOTFOUND: return 404;
	case AIMS_EEXISTS: return 409;
	case AIMS_EINVALID: return 400;
	case AIMS_ECONFLICT: return 409;
	case AIMS_EFORBIDDEN: return 403;
	case AIMS_ESTALE: return 412;
	case AIMS_ETOOBIG: return 413;
	case AIMS_EUNAUTH: return 401;
	case AIMS_ETHROTTLED: return 429;
	case AIMS_EUNSUPPORTED: return 415;
	case AIMS_EVERIFY: return 422;
	case HTTP_EMETHOD: return 405;
	case HTTP_EUNPROCESSABLE: return 422;
	case HTTP_EUNAVAILABLE: return 503;
	case HTTP_EHEADERS: return 431;
	case HTTP_ETIMEOUT: return 408;
	case HTTP_ENOTIMPL: return 501;
	default: return 500;
	}
}

const char *
http_code_name(int code)
{
	switch (code) {
	case HTTP_EMETHOD: return "method_not_allowed";
	case HTTP_EUNPROCESSABLE: return "unprocessable";
	case HTTP_EUNAVAILABLE: return "unavailable";
	case HTTP_EHEADERS: return "headers_too_large";
	case HTTP_ETIMEOUT: return "timeout";
	case HTTP_ENOTIMPL: return "not_implemented";
	default: return aims_error_name(code);
	}
}

int
http_reply_error(struct http_ctx *c, int code)
{
	int status = http_status_of(code);
	const char *msg = aims_error_message(), *field = aims_error_field();
	json_t *err;

	if (status == 500) {
		/* Details go to the log, not to the caller. */
		log_error("%s %s: %s", c->req->method, c->req->path, msg);
		msg = "internal error; the server log has the details";
		field = "";
	}
	err = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", http_code_name(code),
	    "message", msg, "field", field[0] ? field : NULL);
	if (err == NULL)
		err = json_pack("{s:{s:s, s:s}}", "error", "code", "invalid",
		    "message", "the request could not be read (bad text encoding)");
	http_reply_json(c, status, err);
	return code;
}

void
http_reply_json(struct http_ctx *c, int status, json_t *v)
{
	buf_reset(&c->resp.body);
	/* json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER)'s bytes, written in place. */
	if (canon_compact(&c->resp.body, v) != 0)
		abort();	/* not UTF-8: json_dumps() failed the same way */
	buf_putc(&c->resp.body, '\n');
	json_decref(v);
	c->resp.status = status;
	c->resp.content_type = HTTP_JSON_UTF8;
}

/* A record's answer headers: the ETag of its version and, for 201, its Location. */
static void
http_record_headers(struct http_ctx *c, int status, const json_t *rec, const char *location)
{
	json_t *ver = json_object_get(rec, "version");
	char etag[32];

	if (json_is_integer(ver)) {
		snprintf(etag, sizeof(etag), "\"%lld\"", (long long)json_integer_value(ver));
		http_resp_header(&c->resp, "ETag", etag);
	}
	if (status == 201 && location != NULL)
		http_resp_header(&c->resp, "Location", location);
}

void
http_reply_record(struct http_ctx *c, int status, json_t *rec, const char *location)
{
	http_record_headers(c, status, rec, location);
	http_reply_json(c, status, rec);
}

void
http_reply_record_text(struct http_ctx *c, int status, json_t *rec, const char *text,
    const char *location)
{
	size_t len = strlen(text);

	http_record_headers(c, status, rec, location);
	buf_reset(&c->resp.body);
	buf_grow(&c->resp.body, len + 1);	/* the text and its newline, sized once */
	buf_append(&c->resp.body, text, len);
	buf_putc(&c->resp.body, '\n');
	c->resp.status = status;
	c->resp.content_type = HTTP_JSON_UTF8;
	json_decref(rec);
}

void
http_reply_list(struct http_ctx *c, json_t *items, const char *next_cursor)
{
	json_t *v = json_object();

	json_object_set_new(v, "items", items);
	json_object_set_new(v, "next_cursor", next_cursor ? json_string(next_cursor) : json_null());
	http_reply_json(c, 200, v);
}

void
http_reply_text(struct http_ctx *c, int status, const char *content_type, const char *text,
    size_t len)
{
	buf_reset(&c->resp.body);
	buf_append(&c->resp.body, text, len);
	c->resp.status = status;
	c->resp.content_type = content_type;
}

void
http_reply_empty(struct http_ctx *c, int status)
{
	buf_reset(&c->resp.body);
	c->resp.status = status;
	c->resp.content_type = NULL;
}

void
http_resp_header(struct http_resp *r, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0) {
			free(r->headers[i].value);
			r->headers[i].value = xstrdup(value);
			return;
		}
	http_resp_add_header(r, name, value);
}

void
http_resp_add_header(struct http_resp *r, const char *name, const char *value)
{
	if (r->nheaders == HTTP_RESP_HEADERS_MAX)
		abort();	/* a handler sets a fixed, small number */
	r->headers[r->nheaders].name = xstrdup(name);
	r->headers[r->nheaders].value = xstrdup(value);
	r->nheaders++;
}

const char *
http_resp_get_header(const struct http_resp *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

void
http_resp_free(struct http_resp *r)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	r->nheaders = 0;
	buf_free(&r->body);
	if (r->has_file)
		close(r->file_fd);
	r->has_file = false;
}

const char *
http_header(const struct http_req *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

const char *
http_param(const struct http_ctx *c, const char *name)
{
	int i;

	if (c->route == NULL || (i = router_param_index(c->route, name)) < 0)
		return NULL;
	return c->params[i];
}

const char *
http_query(const struct http_ctx *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->req->nquery; i++)
		if (strcmp(c->req->query[i].name, name) == 0)
			return c->req->query[i].value ? c->req->query[i].value : "";
	return NULL;
}

int64_t
http_query_int(const struct http_ctx *c, const char *name, int64_t dflt)
{
	const char *s = http_query(c, name);
	int64_t v;

	if (s == NULL || str_to_int64(&v, s, INT64_MIN, INT64_MAX) != 0)
		return dflt;
	return v;
}

const char *
http_body_str(const struct http_ctx *c, const char *name)
{
	return json_string_value(json_object_get(c->body, name));
}

int
http_if_match_or_reply(int64_t *out, struct http_ctx *c)
{
	const char *h = http_header(c->req, "If-Match");
	char digits[24];
	size_t n;

	*out = 0;
	if (h == NULL)
		return 0;
	n = strlen(h);
	if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
		h++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(digits))
		goto bad;
	memcpy(digits, h, n);
	digits[n] = '\0';
	if (str_to_int64(out, digits, 1, INT64_MAX) != 0)
		goto bad;
	return 0;
bad:
	aims_error_set(AIMS_EINVALID, "If-Match",
	    "If-Match must be the ETag of the record as read, such as \"3\"");
	return http_reply_error(c, AIMS_EINVALID);
}

int
http_list_args_or_reply(struct http_list_args *out, struct http_ctx *c)
{
	out->limit = (int)http_query_int(c, "limit", HTTP_LIST_LIMIT_DEFAULT);
	out->cursor = http_query(c, "cursor");
	out->sort = http_query(c, "sort");
	out->q = http_query(c, "q");
	if (out->limit < 1 || out->limit > HTTP_LIST_LIMIT_MAX) {
		aims_error_set(AIMS_EINVALID, "limit", "limit must be from 1 to %d",
		    HTTP_LIST_LIMIT_MAX);
		return http_reply_error(c, AIMS_EINVALID);
	}
	return 0;
}

int
http_reply_page(struct http_ctx *c, json_t *all)
{
	struct http_list_args a;
	json_t *items;
	int64_t off = 0;
	size_t i, n = json_array_size(all);
	char next[24];
	int rc;

	if ((rc = http_list_args_or_reply(&a, c)) != 0)
		goto done;
	if (a.cursor != NULL && str_to_int64(&off, a.cursor, 0, INT64_MAX) != 0) {
		aims_error_set(AIMS_EINVALID, "cursor", "cursor is not one this server gave");
		rc = http_reply_error(c, AIMS_EINVALID);
		goto done;
	}
	items = json_array();
	for (i = (size_t)off; i < n && i < (size_t)off + (size_t)a.limit; i++)
		json_array_append(items, json_array_get(all, i));
	snprintf(next, sizeof(next), "%lld", (long long)off + a.limit);
	http_reply_list(c, items, (size_t)off + (size_t)a.limit < n ? next : NULL);
done:
	json_decref(all);
	return rc;
}
