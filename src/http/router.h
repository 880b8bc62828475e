/*
 * router.h - the declared surface of the JSON API.
 *
 * Every route is declared once in routes.c: method, path pattern with
 * {params}, handler, who may call it (public, any signed-in caller, or a
 * member of {org} holding a permission from core/perm.h), and every query
 * parameter and JSON body field with its validator. The router rejects
 * anything undeclared before a handler runs, and the OpenAPI document is
 * generated from the same table (openapi.c), so the two cannot drift.
 */
#ifndef AIMS_HTTP_ROUTER_H
#define AIMS_HTTP_ROUTER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/perm.h"
#include "http/http.h"

enum val_type {
	VAL_STRING,	/* UTF-8 text of min..max characters (bytes) */
	VAL_INT,	/* whole number in min..max */
	VAL_BOOL,
	VAL_ENUM,	/* one of values[] */
	VAL_SLUG,	/* [a-z0-9-], 2..63 */
	VAL_EMAIL,
	VAL_RFC3339,	/* "2026-01-02T03:04:05Z" */
	VAL_ROLE,	/* admin, manager, contributor, auditor, viewer */
	VAL_ID,		/* catalog-style identifier: [A-Za-z0-9._-], 1..64 */
	VAL_NUMBER,	/* a finite number, whole or not */
	VAL_TEXT,	/* like VAL_STRING, lines allowed (body fields only) */
	VAL_STRING_LIST,	/* array of at most VAL_LIST_MAX strings of min..max
				   characters (body fields only) */
	VAL_OBJECT,	/* an object of the fields props[] declares, each optional
			   (body fields only); errors name "NAME.FIELD" */
};

#define VAL_LIST_MAX	1000	/* elements of a VAL_STRING_LIST */

enum val_flags {
	VAL_REQUIRED = 1 << 0,
	VAL_NULLABLE = 1 << 1,	/* JSON null accepted (clears the field) */
	VAL_SECRET = 1 << 2,	/* never echoed in errors or documents */
};

/* One query parameter, path parameter or JSON body field. */
struct val_spec {
	const char		*name;
	enum val_type		 type;
	int			 flags;
	int64_t			 min, max;	/* INT range; STRING length */
	const char *const	*values;	/* ENUM: NULL-terminated */
	const char		*doc;		/* one line for the OpenAPI document */
	const struct val_spec	*props;		/* OBJECT: its fields, END_SPEC-terminated */
};

enum route_auth {
	ROUTE_PUBLIC,		/* anyone */
	ROUTE_SIGNED_IN,	/* a session or a token */
	ROUTE_USER,		/* a signed-in person (session), not a token */
	ROUTE_ORG,		/* a member of {org} with perm (action, kind) */
};

enum route_flags {
	ROUTE_LIST = 1 << 0,		/* takes limit and cursor; answers items, next_cursor */
	ROUTE_IDEMPOTENT = 1 << 1,	/* honours Idempotency-Key */
	ROUTE_IF_MATCH = 1 << 2,	/* honours If-Match */
	ROUTE_RAW = 1 << 3,		/* answers something other than JSON */
	ROUTE_PEOPLE = 1 << 4,		/* refused to API tokens (token management) */
	/*
	 * A planning record route: {kind} names a record kind whose declared
	 * fields (core/record.h) are the query filters and body fields; the
	 * record engine checks them and names any it does not know.
	 */
	ROUTE_RECORD = 1 << 5,
	/*
	 * Also takes a multipart/form-data body (RFC 7578): the file in the part
	 * ROUTER_UPLOAD_FILE and, optionally, the record's fields as a JSON
	 * object in the part ROUTER_UPLOAD_RECORD. The server streams such a body
	 * to disk only once router_upload_wanted() says the caller may send it;
	 * on a ROUTE_RECORD route only a kind that keeps files takes one.
	 */
	ROUTE_UPLOAD = 1 << 6,
	/*
	 * Costly to answer (readiness, exports, starting a verification): each
	 * call takes one from the caller's budget of heavy reads (budget.h), as
	 * does any request for more than BUDGET_LIGHT_LIMIT list items.
	 */
	ROUTE_HEAVY = 1 << 7,
	/* Starts or reports work that runs in the background: 202 while it runs. */
	ROUTE_ACCEPTED = 1 << 8,
	/*
	 * The answer holds a secret shown once, in its top-level field
	 * ROUTER_SECRET_FIELD (a new API token). An Idempotency-Key keeps the
	 * answer without it, so a replay answers the same status, Location and
	 * record but no secret: it is never stored in clear.
	 */
	ROUTE_SECRET = 1 << 9,
	/*
	 * The body is a JSON array whose elements are the objects body
	 * describes, or the same as text/csv with a header line naming those
	 * fields (c->body stays NULL; the handler reads c->req->body). The
	 * handler checks the elements, so an error can name the index.
	 */
	ROUTE_BODY_ARRAY = 1 << 10,
	/*
	 * A ROUTE_UPLOAD route whose file comes with the part
	 * ROUTER_UPLOAD_FORMAT, a short text naming the file's format
	 * (an import: cyclonedx, modelcard, garak, promptfoo), instead of ROUTER_UPLOAD_RECORD.
	 */
	ROUTE_UPLOAD_FORMAT = 1 << 11,
};

#define ROUTER_CSV	"text/csv"

#define ROUTER_UPLOAD_FILE	"file"
#define ROUTER_UPLOAD_RECORD	"record"
#define ROUTER_UPLOAD_FORMAT	"format"
/* The formats an import route takes in ROUTER_UPLOAD_FORMAT, as OpenAPI lists them. */
#define ROUTER_IMPORT_FORMATS	"cyclonedx", "modelcard", "garak", "promptfoo"
#define ROUTER_SECRET_FIELD	"token"

typedef int (*route_fn)(struct http_ctx *c);

struct route {
	const char		*method;
	const char		*pattern;	/* "/api/v1/orgs/{org}/members" */
	route_fn		 handler;
	enum route_auth		 auth;
	enum perm_action	 action;	/* ROUTE_ORG only */
	enum perm_kind		 kind;
	const struct val_spec	*query;		/* name NULL ends; NULL: none */
	const struct val_spec	*body;		/* name NULL ends; NULL: no body */
	int			 flags;
	int			 status;	/* success status: 200, 201, 204 */
	const char		*summary;
	const char		*tag;		/* OpenAPI grouping */
	const char		*metric;	/* label for /metrics: the pattern */
};

/* routes.c: the table, terminated by method NULL; and path params. */
extern const struct route http_routes[];
extern const struct val_spec http_path_params[];

/* router.c */
/*
 * Finds the route for method and path. Returns it and fills params (copied
 * into *param_buf, caller frees) or returns NULL with *code AIMS_ENOTFOUND or
 * HTTP_EMETHOD (allow then holds the methods, comma-separated).
 */
const struct route *router_match(const char *method, const char *path,
    const char *params[HTTP_PARAMS_MAX], char **param_buf, int *code, char *allow,
    size_t allowlen);
/* The same over another table (the web pages' webui_routes). */
const struct route *router_match_in(const struct route *table, const char *method,
    const char *path, const char *params[HTTP_PARAMS_MAX], char **param_buf, int *code,
    char *allow, size_t allowlen);
/*
 * The same by trying every route of table in turn: what router_match_in
 * answers through its index of the table, kept as the reference the index
 * is checked against.
 */
const struct route *router_match_scan(const struct route *table, const char *method,
    const char *path, const char *params[HTTP_PARAMS_MAX], char **param_buf, int *code,
    char *allow, size_t allowlen);
/* Does any route of table have a pattern that fits path (whatever the method)? */
bool router_path_known(const struct route *table, const char *path);
/*
 * One index over both tables for metrics: http_routes first, then
 * webui_routes; -1 for NULL or a route of neither. router_route_at() is the
 * reverse (NULL past the end).
 */
int router_route_index(const struct route *r);
const struct route *router_route_at(int i);
/* Index of {name} in r's pattern, or -1. */
int router_param_index(const struct route *r, const char *name);
/* Validates one scalar string value (path or query) against spec. */
int router_check_string(const struct val_spec *spec, const char *value);
/* Validates a JSON value against spec (field named in errors). */
int router_check_json(const struct val_spec *spec, const json_t *v);
/* Validates query parameters of c against the route: unknown, duplicate, bad. */
int router_check_query(struct http_ctx *c);
/* Parses and validates the body of c into c->body. */
int router_check_body(struct http_ctx *c);
/* Is this a POST to a ROUTE_UPLOAD route (for a record route: of a kind with files)? */
bool router_upload_route(const char *method, const char *path);
/*
 * May the multipart body of req be stored while it arrives? True when its
 * route takes uploads and the caller, as identified by the headers alone,
 * passes every check that comes before the body. A false answer is not an
 * answer to the client: the request is refused once its body is dropped.
 */
bool router_upload_wanted(const struct http_req *req, struct db *db,
    const struct http_server_config *cfg);
/*
 * Charges a heavy request (ROUTE_HEAVY, or a limit over BUDGET_LIGHT_LIMIT)
 * to its caller's budget, once identified: 0, or AIMS_ETHROTTLED with
 * Retry-After set on the answer.
 */
int router_charge(struct http_ctx *c);
/* The same for a request its handler finds heavy (a whole list as a file). */
int router_charge_heavy(struct http_ctx *c);
/* Full handling: match, validate, authenticate, authorise, run, reply. */
void router_handle(struct http_ctx *c);
/* The list parameters (limit, cursor) every ROUTE_LIST takes. */
extern const struct val_spec router_list_params[];
/* Finds spec name in a NULL-ended spec list. */
const struct val_spec *router_spec_find(const struct val_spec *specs, const char *name);

#endif
