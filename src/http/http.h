/*
 * http.h - the request and response of the JSON API as plain data, and the
 * helpers every handler uses to read its input and write its answer.
 *
 * server.c turns a libmicrohttpd request into a struct http_req and a
 * struct http_resp back into a libmicrohttpd answer; everything between
 * (router, auth, handlers) sees only these types, so it is unit-tested and
 * fuzzed without sockets.
 *
 * Handlers return 0 after filling c->resp, or a negative code after
 * aims_error_set(): the router then answers the error with
 * http_status_of(code) as {"error":{"code","message","field"}}.
 */
#ifndef AIMS_HTTP_HTTP_H
#define AIMS_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/role.h"
#include "util/buf.h"

struct db;
struct http_upload;
struct route;
struct webui;

/* Codes of the HTTP layer itself, beside util/error.h's AIMS_E* codes. */
enum http_code {
	HTTP_EMETHOD = -100,		/* 405: no such method on this path */
	HTTP_EUNPROCESSABLE = -101,	/* 422: well-formed but cannot be done as asked */
	HTTP_EUNAVAILABLE = -102,	/* 503: overloaded or shutting down */
	HTTP_EHEADERS = -103,		/* 431: request headers too large */
	HTTP_ETIMEOUT = -104,		/* 408: request not received in time */
	HTTP_ENOTIMPL = -105,		/* 501: a transfer coding the server does not know */
};

#define HTTP_PARAMS_MAX		8	/* {params} in one path pattern */
#define HTTP_RESP_HEADERS_MAX	12
#define HTTP_QUERY_MAX		32	/* query parameters in one request */
#define HTTP_HEADER_VALUE_MAX	8192	/* one request header value, joined repeats included */

#define HTTP_JSON		"application/json"
#define HTTP_JSON_UTF8		"application/json; charset=utf-8"

struct http_kv {
	char	*name;
	char	*value;
};

/* A request as received. Strings are NUL-terminated and owned by the caller. */
struct http_req {
	const char		*method;
	const char		*path;		/* percent-decoded, without the query */
	const struct http_kv	*query;		/* decoded query parameters, in order */
	size_t			 nquery;
	const struct http_kv	*headers;	/* names as sent; compared case-insensitively */
	size_t			 nheaders;
	const char		*body;		/* NULL when none */
	size_t			 body_len;
	const char		*client_addr;	/* "127.0.0.1" */
	const struct http_upload *upload;	/* a web form's multipart body, or NULL */
};

struct http_resp {
	int		 status;	/* 0 until answered */
	struct buf	 body;
	const char	*content_type;	/* static string */
	struct http_kv	 headers[HTTP_RESP_HEADERS_MAX];	/* owned copies */
	size_t		 nheaders;
	bool		 cacheable;	/* false: Cache-Control: no-store */
	bool		 has_file;	/* the body is file_fd (owned; closed after) */
	int		 file_fd;
	uint64_t	 file_size;
};

enum http_principal_kind { HTTP_ANON, HTTP_SESSION, HTTP_TOKEN };

/* Who is calling, as established by auth.c from the cookie or bearer token. */
struct http_principal {
	enum http_principal_kind kind;
	int64_t		 user_id;	/* session user, or the token's creator */
	char		 name[320];	/* "user:EMAIL" or "token:NAME": the ledger actor */
	char		 email[256];	/* session only */
	int64_t		 session_id;
	char		 csrf[65];	/* session only: the form token */
	int64_t		 token_id;
	int64_t		 token_org_id;	/* a token acts in this org only */
	enum role	 token_role;
};

struct http_server_config;

/* Everything one request's handling sees. */
struct http_ctx {
	const struct http_req	*req;
	struct http_resp	 resp;
	struct db		*db;		/* this worker thread's connection */
	const struct http_server_config *cfg;
	const struct route	*route;		/* matched route, NULL before */
	const char		*params[HTTP_PARAMS_MAX];	/* path params by pattern order */
	char			*param_buf;	/* storage of params */
	json_t			*body;		/* validated JSON object, or NULL */
	struct http_principal	 who;
	int64_t			 org_id;	/* {org} resolved, else 0 */
	enum role		 role;		/* caller's role in org_id */
	struct actor		 actor;		/* for core mutations */
	struct webui		*web;		/* web pages only (http/webui.h) */
};

/* reply.c: answers and the error mapping. */
void http_ctx_init(struct http_ctx *c, const struct http_req *req, struct db *db,
    const struct http_server_config *cfg);
void http_ctx_free(struct http_ctx *c);
/* THE mapping from AIMS_E* / HTTP_E* codes to status codes. */
int http_status_of(int code);
const char *http_code_name(int code);
/* Answers the last error (aims_error_*) with its status; returns code. */
int http_reply_error(struct http_ctx *c, int code);
/* Answers status with the JSON value (stolen). */
void http_reply_json(struct http_ctx *c, int status, json_t *v);
/* A record: ETag from its "version"; 201 also sets Location to location. */
void http_reply_record(struct http_ctx *c, int status, json_t *rec, const char *location);
/*
 * The same answer when text is rec's view as stored, byte for byte what
 * http_reply_record() would write (record_create_text()); rec stolen.
 */
void http_reply_record_text(struct http_ctx *c, int status, json_t *rec, const char *text,
    const char *location);
/* {"items":[...],"next_cursor":...}; items stolen; next_cursor may be NULL. */
void http_reply_list(struct http_ctx *c, json_t *items, const char *next_cursor);
/* One page (limit, cursor = offset) of a complete list; all stolen. */
int http_reply_page(struct http_ctx *c, json_t *all);
void http_reply_text(struct http_ctx *c, int status, const char *content_type,
    const char *text, size_t len);
void http_reply_empty(struct http_ctx *c, int status);
/* Adds a response header (copied); replaces one of the same name. */
void http_resp_header(struct http_resp *r, const char *name, const char *value);
void http_resp_add_header(struct http_resp *r, const char *name, const char *value);
const char *http_resp_get_header(const struct http_resp *r, const char *name);
void http_resp_free(struct http_resp *r);

/* Input accessors: all borrowed, valid for the request. */
const char *http_header(const struct http_req *req, const char *name);
const char *http_param(const struct http_ctx *c, const char *name);
const char *http_query(const struct http_ctx *c, const char *name);
/* Validated integer query parameter or dflt when absent. */
int64_t http_query_int(const struct http_ctx *c, const char *name, int64_t dflt);
const char *http_body_str(const struct http_ctx *c, const char *name);

/*
 * The _or_reply helpers: each returns 0 with its value, or answers the
 * error itself and returns its code, so handlers read straight down.
 */
/* If-Match: 0 when absent; "N" or N gives N; anything else 400. */
int http_if_match_or_reply(int64_t *out, struct http_ctx *c);
/* The list arguments (limit 1..500 default 50, cursor; sort and q where declared). */
struct http_list_args {
	int		 limit;
	const char	*cursor;
	const char	*sort;
	const char	*q;
};
int http_list_args_or_reply(struct http_list_args *out, struct http_ctx *c);

#define HTTP_LIST_LIMIT_MAX	500
#define HTTP_LIST_LIMIT_DEFAULT	50

#endif
