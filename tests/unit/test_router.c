/*
 * test_router.c - unit tests for src/http/router.c: matching, path and query
 * parameters, declared body fields, the error mapping, and the OpenAPI
 * document generated from the route table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/record.h"
#include "http/api.h"
#include "http/multipart.h"
#include "http/router.h"
#include "http/webui.h"
#include "util/error.h"

struct fixture {
	struct http_req	 req;
	struct http_kv	 query[8];
	struct http_kv	 headers[4];
	struct http_ctx	 c;
};

/* Matches method/path and prepares a context with query and JSON body. */
static int
prepare(struct fixture *f, const char *method, const char *path, const char *query,
    const char *body)
{
	static char qbuf[512];
	char allow[64], *save = NULL, *pair;
	int code;

	memset(f, 0, sizeof(*f));
	f->req.method = method;
	f->req.path = path;
	if (query != NULL) {
		snprintf(qbuf, sizeof(qbuf), "%s", query);
		for (pair = strtok_r(qbuf, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
			char *eq = strchr(pair, '=');

			if (eq)
				*eq++ = '\0';
			f->query[f->req.nquery].name = pair;
			f->query[f->req.nquery].value = eq;
			f->req.nquery++;
		}
	}
	f->req.query = f->query;
	f->headers[0].name = "content-type";
	f->headers[0].value = "application/json";
	f->req.headers = f->headers;
	f->req.nheaders = 1;
	f->req.body = body;
	f->req.body_len = body ? strlen(body) : 0;
	http_ctx_init(&f->c, &f->req, NULL, NULL);
	f->c.route = router_match(method, path, f->c.params, &f->c.param_buf, &code, allow,
	    sizeof(allow));
	return f->c.route ? 0 : code;
}

static void
test_router__matches_params(void **state)
{
	struct fixture f;

	(void)state;
	assert_int_equal(prepare(&f, "GET", "/api/v1/orgs/acme/tokens/12", NULL, NULL), 0);
	assert_string_equal(f.c.route->pattern, "/api/v1/orgs/{org}/tokens/{id}");
	assert_string_equal(http_param(&f.c, "org"), "acme");
	assert_string_equal(http_param(&f.c, "id"), "12");
	assert_null(http_param(&f.c, "ref"));
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "GET", "/api/v1/orgs/acme/tokens/", NULL, NULL),
	    AIMS_ENOTFOUND);
	assert_int_equal(prepare(&f, "GET", "/api/v1/orgs//tokens", NULL, NULL), AIMS_ENOTFOUND);
	assert_int_equal(prepare(&f, "GET", "/api/v1/orgs/acme/tokens/1/x", NULL, NULL),
	    AIMS_ENOTFOUND);
	assert_int_equal(prepare(&f, "GET", "", NULL, NULL), AIMS_ENOTFOUND);
	assert_int_equal(prepare(&f, "HEAD", "/healthz", NULL, NULL), 0);
	http_ctx_free(&f.c);
}

static void
test_router__wrong_method_lists_allowed(void **state)
{
	const char *params[HTTP_PARAMS_MAX];
	char *pbuf = NULL, allow[64];
	int code;

	(void)state;
	assert_null(router_match("PUT", "/api/v1/orgs/acme/tokens", params, &pbuf, &code, allow,
	    sizeof(allow)));
	assert_int_equal(code, HTTP_EMETHOD);
	assert_string_equal(allow, "GET, POST, HEAD");
	assert_int_equal(http_status_of(code), 405);
}

static void
test_router__path_param_validated(void **state)
{
	const struct val_spec *org = router_spec_find(http_path_params, "org");
	const struct val_spec *id = router_spec_find(http_path_params, "id");

	(void)state;
	assert_int_equal(router_check_string(org, "acme-2"), 0);
	assert_int_equal(router_check_string(org, "Acme"), AIMS_EINVALID);
	assert_int_equal(router_check_string(org, "-acme"), AIMS_EINVALID);
	assert_int_equal(router_check_string(id, "7"), 0);
	assert_int_equal(router_check_string(id, "0"), AIMS_EINVALID);
	assert_int_equal(router_check_string(id, "7x"), AIMS_EINVALID);
}

static void
test_router__unknown_query_parameter_named(void **state)
{
	struct fixture f;

	(void)state;
	assert_int_equal(prepare(&f, "GET", "/api/v1/orgs/acme/tokens", "limit=5&colour=red", NULL),
	    0);
	assert_int_equal(router_check_query(&f.c), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "colour");
	assert_non_null(strstr(aims_error_message(), "unknown query parameter 'colour'"));
	http_ctx_free(&f.c);
}

static void
test_router__query_values_checked(void **state)
{
	struct fixture f;

	(void)state;
	assert_int_equal(prepare(&f, "GET", "/api/v1/orgs/acme/tokens", "limit=501", NULL), 0);
	assert_int_equal(router_check_query(&f.c), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "limit");
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "GET", "/api/v1/orgs/acme/tokens", "limit=1&limit=2", NULL), 0);
	assert_int_equal(router_check_query(&f.c), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "more than once"));
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "GET", "/api/v1/orgs/acme/tokens", "limit=20&cursor=9", NULL), 0);
	assert_int_equal(router_check_query(&f.c), 0);
	assert_int_equal(http_query_int(&f.c, "limit", 50), 20);
	assert_string_equal(http_query(&f.c, "cursor"), "9");
	http_ctx_free(&f.c);
	/* A route that declares no query parameters takes none. */
	assert_int_equal(prepare(&f, "GET", "/healthz", "x=1", NULL), 0);
	assert_int_equal(router_check_query(&f.c), AIMS_EINVALID);
	http_ctx_free(&f.c);
}

static void
test_router__body_fields_declared(void **state)
{
	struct fixture f;

	(void)state;
	assert_int_equal(prepare(&f, "POST", "/api/v1/orgs/acme/tokens", NULL,
	    "{\"name\":\"ci\",\"role\":\"viewer\",\"expires_at\":null}"), 0);
	assert_int_equal(router_check_body(&f.c), 0);
	assert_string_equal(http_body_str(&f.c, "name"), "ci");
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "POST", "/api/v1/orgs/acme/tokens", NULL,
	    "{\"name\":\"ci\",\"role\":\"viewer\",\"org\":\"other\"}"), 0);
	assert_int_equal(router_check_body(&f.c), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "org");
	assert_non_null(strstr(aims_error_message(), "unknown field 'org'"));
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "POST", "/api/v1/orgs/acme/tokens", NULL,
	    "{\"name\":\"ci\"}"), 0);
	assert_int_equal(router_check_body(&f.c), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "role");
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "POST", "/api/v1/orgs/acme/tokens", NULL,
	    "{\"name\":\"ci\",\"role\":\"root\"}"), 0);
	assert_int_equal(router_check_body(&f.c), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "role");
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "POST", "/api/v1/orgs/acme/tokens", NULL,
	    "{\"name\":5,\"role\":\"viewer\"}"), 0);
	assert_int_equal(router_check_body(&f.c), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "name");
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "POST", "/api/v1/orgs/acme/tokens", NULL,
	    "{\"name\":\"a\\u0000b\",\"role\":\"viewer\"}"), 0);
	assert_int_equal(router_check_body(&f.c), AIMS_EINVALID);
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "POST", "/api/v1/orgs/acme/tokens", NULL,
	    "{\"name\":\"ci\",\"role\":\"viewer\",\"expires_at\":\"tomorrow\"}"), 0);
	assert_int_equal(router_check_body(&f.c), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "expires_at");
	http_ctx_free(&f.c);
}

static void
test_router__malformed_json_position(void **state)
{
	struct fixture f;

	(void)state;
	assert_int_equal(prepare(&f, "POST", "/api/v1/session", NULL,
	    "{\"email\": \"a@example.com\",\n \"password\": }"), 0);
	assert_int_equal(router_check_body(&f.c), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "malformed JSON at line 2, column"));
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "POST", "/api/v1/session", NULL,
	    "{\"email\":\"a@example.com\",\"email\":\"b@example.com\",\"password\":\"x\"}"), 0);
	assert_int_equal(router_check_body(&f.c), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "duplicate"));
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "POST", "/api/v1/session", NULL, "[1,2]"), 0);
	assert_int_equal(router_check_body(&f.c), AIMS_EINVALID);
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "POST", "/api/v1/session", NULL, ""), 0);
	assert_int_equal(router_check_body(&f.c), AIMS_EINVALID);
	http_ctx_free(&f.c);
}

static void
test_router__json_content_type_required(void **state)
{
	struct fixture f;

	(void)state;
	assert_int_equal(prepare(&f, "POST", "/api/v1/session", NULL, "{}"), 0);
	f.headers[0].value = "application/x-www-form-urlencoded";
	assert_int_equal(router_check_body(&f.c), AIMS_EUNSUPPORTED);
	assert_int_equal(http_status_of(AIMS_EUNSUPPORTED), 415);
	http_ctx_free(&f.c);
	assert_int_equal(prepare(&f, "POST", "/api/v1/session", NULL,
	    "{\"email\":\"a@example.com\",\"password\":\"x\"}"), 0);
	f.headers[0].value = "application/json; charset=utf-8";
	assert_int_equal(router_check_body(&f.c), 0);
	http_ctx_free(&f.c);
	/* A body where none is declared is refused. */
	assert_int_equal(prepare(&f, "GET", "/healthz", NULL, "{}"), 0);
	assert_int_equal(router_check_body(&f.c), AIMS_EINVALID);
	http_ctx_free(&f.c);
}

/* An upload as the server hands it over: a file in part file_field, text parts name=value. */
static void
upload_fill(struct http_upload *u, const char *file_field, const char *name,
    const char *value)
{
	static char path[] = "/nonexistent/upload", fname[] = "report.txt";
	static char *names[1], *values[1];

	memset(u, 0, sizeof(*u));
	u->file_field = (char *)file_field;
	u->file_path = file_field ? path : NULL;
	u->file_name = fname;
	if (name != NULL) {
		names[0] = (char *)name;
		values[0] = (char *)value;
		u->fields.names = names;
		u->fields.values = values;
		u->fields.n = 1;
	}
}

static int
check_upload(struct fixture *f, const char *path, const struct http_upload *u)
{
	assert_int_equal(prepare(f, "POST", path, NULL, NULL), 0);
	f->headers[0].value = "multipart/form-data; boundary=b";
	f->req.upload = u;
	return router_check_body(&f->c);
}

static void
test_router__upload_bodies(void **state)
{
	const char *files = "/api/v1/orgs/acme/evidence/EV-1/files";
	struct http_upload u;
	struct fixture f;

	(void)state;
	assert_true(router_upload_route("POST", files));
	assert_true(router_upload_route("POST", "/api/v1/orgs/acme/evidence"));
	assert_false(router_upload_route("POST", "/api/v1/orgs/acme/ai-systems"));
	assert_false(router_upload_route("GET", files));
	assert_false(router_upload_route("POST", "/api/v1/orgs/acme/members"));

	upload_fill(&u, "file", NULL, NULL);
	assert_int_equal(check_upload(&f, files, &u), 0);
	assert_null(f.c.body);			/* no fields to change */
	http_ctx_free(&f.c);
	assert_int_equal(check_upload(&f, "/api/v1/orgs/acme/evidence", &u), 0);
	assert_true(json_is_object(f.c.body));	/* the engine names what is missing */
	http_ctx_free(&f.c);
	upload_fill(&u, "file", "record", "{\"title\":\"Eval\"}");
	assert_int_equal(check_upload(&f, "/api/v1/orgs/acme/evidence", &u), 0);
	assert_string_equal(json_string_value(json_object_get(f.c.body, "title")), "Eval");
	http_ctx_free(&f.c);

	upload_fill(&u, "file", "record", "{\"title\":");
	assert_int_equal(check_upload(&f, files, &u), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "record");
	http_ctx_free(&f.c);
	upload_fill(&u, "file", "record", "[1]");
	assert_int_equal(check_upload(&f, files, &u), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "record");
	http_ctx_free(&f.c);
	upload_fill(&u, "file", "title", "x");
	assert_int_equal(check_upload(&f, files, &u), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "title");
	http_ctx_free(&f.c);
	upload_fill(&u, "attachment", NULL, NULL);
	assert_int_equal(check_upload(&f, files, &u), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "attachment");
	http_ctx_free(&f.c);
	upload_fill(&u, NULL, "record", "{}");
	assert_int_equal(check_upload(&f, files, &u), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "file");
	http_ctx_free(&f.c);
	/* A kind without files, and no upload at all. */
	upload_fill(&u, "file", NULL, NULL);
	assert_int_equal(check_upload(&f, "/api/v1/orgs/acme/ai-systems", &u), AIMS_EUNSUPPORTED);
	http_ctx_free(&f.c);
	assert_int_equal(check_upload(&f, files, NULL), AIMS_EINVALID);
	http_ctx_free(&f.c);
	/* JSON to the file route: what to send instead. */
	assert_int_equal(prepare(&f, "POST", files, NULL, "{}"), 0);
	assert_int_equal(router_check_body(&f.c), AIMS_EUNSUPPORTED);
	assert_non_null(strstr(aims_error_message(), "multipart/form-data"));
	http_ctx_free(&f.c);
	/* JSON to the create route is still JSON. */
	assert_int_equal(prepare(&f, "POST", "/api/v1/orgs/acme/evidence", NULL,
	    "{\"title\":\"T\"}"), 0);
	assert_int_equal(router_check_body(&f.c), 0);
	http_ctx_free(&f.c);
}

static void
test_router__error_answer_shape(void **state)
{
	struct fixture f;
	json_t *v;

	(void)state;
	assert_int_equal(prepare(&f, "GET", "/healthz", NULL, NULL), 0);
	aims_error_set(AIMS_EINVALID, "name", "name is required");
	assert_int_equal(http_reply_error(&f.c, AIMS_EINVALID), AIMS_EINVALID);
	assert_int_equal(f.c.resp.status, 400);
	v = json_loads(f.c.resp.body.data, 0, NULL);
	assert_non_null(v);
	assert_string_equal(json_string_value(json_object_get(json_object_get(v, "error"),
	    "code")), "invalid");
	assert_string_equal(json_string_value(json_object_get(json_object_get(v, "error"),
	    "field")), "name");
	assert_int_equal(json_object_size(v), 1);
	json_decref(v);
	/* Internal errors do not leak their message. */
	aims_error_set(AIMS_ERROR, NULL, "disk I/O error at /secret/path");
	http_reply_error(&f.c, AIMS_ERROR);
	assert_int_equal(f.c.resp.status, 500);
	assert_null(strstr(f.c.resp.body.data, "secret"));
	http_ctx_free(&f.c);
}

static void
test_router__status_mapping(void **state)
{
	(void)state;
	assert_int_equal(http_status_of(AIMS_ENOTFOUND), 404);
	assert_int_equal(http_status_of(AIMS_EEXISTS), 409);
	assert_int_equal(http_status_of(AIMS_ECONFLICT), 409);
	assert_int_equal(http_status_of(AIMS_EFORBIDDEN), 403);
	assert_int_equal(http_status_of(AIMS_ESTALE), 412);
	assert_int_equal(http_status_of(AIMS_ETOOBIG), 413);
	assert_int_equal(http_status_of(AIMS_EUNAUTH), 401);
	assert_int_equal(http_status_of(AIMS_ETHROTTLED), 429);
	assert_int_equal(http_status_of(HTTP_EUNPROCESSABLE), 422);
	assert_int_equal(http_status_of(HTTP_EUNAVAILABLE), 503);
	assert_int_equal(http_status_of(AIMS_ERROR), 500);
}

/* Fills a pattern's {params} with values that pass their validators. */
static void
sample_path(char *out, size_t len, const char *pattern)
{
	const struct val_spec *s;
	const char *p = pattern;
	size_t n = 0, k;
	char name[64];

	while (*p && n + 1 < len) {
		if (*p != '{') {
			out[n++] = *p++;
			continue;
		}
		k = strcspn(p + 1, "}");
		snprintf(name, sizeof(name), "%.*s", (int)k, p + 1);
		s = router_spec_find(http_path_params, name);
		assert_non_null(s);
		n += (size_t)snprintf(out + n, len - n, "%s", s->type == VAL_INT ? "1" :
		    s->type == VAL_EMAIL ? "a@example.com" :
		    strcmp(name, "kind") == 0 ? "ai-systems" : "acme");
		p += k + 2;
	}
	out[n] = '\0';
}

/* pattern with its {kind} replaced by the kind params[] holds for it. */
static void
expand_kind(char *out, size_t len, const char *pattern, const char *const *params)
{
	const char *at = strstr(pattern, "{kind}"), *p;
	int i = 0;

	if (at == NULL) {
		snprintf(out, len, "%s", pattern);
		return;
	}
	for (p = pattern; p < at; p++)
		if (*p == '{')
			i++;
	snprintf(out, len, "%.*s%s%s", (int)(at - pattern), pattern, params[i],
	    at + strlen("{kind}"));
}

/* Every "$ref" under j names a schema in components.schemas. */
static void
assert_refs_resolve(const json_t *j, const json_t *schemas)
{
	const char *key, *ref;
	const json_t *v;
	size_t i;

	if (json_is_object(j)) {
		if ((ref = json_string_value(json_object_get(j, "$ref"))) != NULL) {
			assert_true(strncmp(ref, "#/components/schemas/", 21) == 0);
			if (json_object_get(schemas, ref + 21) == NULL)
				fail_msg("$ref %s names no schema", ref);
		}
		json_object_foreach((json_t *)j, key, v)
			assert_refs_resolve(v, schemas);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			assert_refs_resolve(v, schemas);
	}
}

static void
test_router__openapi_describes_every_route(void **state)
{
	json_t *doc = openapi_document(), *paths = json_object_get(doc, "paths"), *item, *op;
	const json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
	const struct route *r, *m;
	const struct record_kind *const *k;
	const char *path, *method, *at;
	const char *params[HTTP_PARAMS_MAX];
	char url[256], upper[16], *pbuf, allow[64], served[256];
	size_t nops = 0, i, found;
	int code;

	(void)state;
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	for (r = http_routes; r->method != NULL; r++) {
		char lower[16];

		for (i = 0; r->method[i]; i++)
			lower[i] = (char)(r->method[i] | 0x20);
		lower[i] = '\0';
		/* A record route is listed once per kind it serves, and serves one at least. */
		at = (r->flags & ROUTE_RECORD) ? strstr(r->pattern, "{kind}") : NULL;
		found = 0;
		for (k = record_kinds; at != NULL && (*k)->name != NULL; k++) {
			snprintf(served, sizeof(served), "%.*s%s%s", (int)(at - r->pattern),
			    r->pattern, (*k)->name, at + strlen("{kind}"));
			op = json_object_get(json_object_get(paths, served), lower);
			if (op != NULL)
				found++;
		}
		if (at == NULL)
			found = json_object_get(json_object_get(paths, r->pattern), lower) != NULL;
		if (found == 0)
			fail_msg("%s %s is served but not in the document", r->method, r->pattern);
	}
	json_object_foreach(paths, path, item) {
		assert_null(strstr(path, "{kind}"));
		json_object_foreach(item, method, op) {
			for (i = 0; method[i]; i++)
				upper[i] = (char)(method[i] & ~0x20);
			upper[i] = '\0';
			sample_path(url, sizeof(url), path);
			m = router_match(upper, url, params, &pbuf, &code, allow, sizeof(allow));
			if (m != NULL)
				expand_kind(served, sizeof(served), m->pattern, params);
			if (m == NULL || strcmp(served, path) != 0)
				fail_msg("%s %s is in the document but not served", upper, path);
			free(pbuf);
			nops++;
		}
	}
	assert_refs_resolve(doc, schemas);
	assert_true(nops >= (size_t)(r - http_routes));
	json_decref(doc);
}

/* Each kind's schema holds its fields with their types, rules and read-only ones. */
static void
test_router__openapi_schema_per_kind(void **state)
{
	json_t *doc = openapi_document(), *paths = json_object_get(doc, "paths");
	const json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
	const json_t *risk = json_object_get(schemas, "risks"), *props;
	json_t *body;
	const struct record_kind *const *k;
	const struct field *f;
	char path[160];

	(void)state;
	for (k = record_kinds; (*k)->name != NULL; k++) {
		props = json_object_get(json_object_get(schemas, (*k)->name), "properties");
		if (props == NULL)
			fail_msg("kind %s has no schema", (*k)->name);
		for (f = (*k)->fields; f->name != NULL; f++)
			if (json_object_get(props, f->name) == NULL)
				fail_msg("kind %s: field %s is not in its schema", (*k)->name, f->name);
		snprintf(path, sizeof(path), "/api/v1/orgs/{org}/%s", (*k)->name);
		if (json_object_get(json_object_get(paths, path), "get") == NULL)
			fail_msg("kind %s has no GET %s", (*k)->name, path);
	}
	props = json_object_get(risk, "properties");
	assert_true(json_is_true(json_object_get(json_object_get(props, "inherent_score"),
	    "readOnly")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(props, "likelihood"),
	    "minimum")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(props, "likelihood"),
	    "maximum")), 7);
	body = json_pack("[s, s, s, s, s, s, n]", "identified", "assessed", "treatment_planned",
	    "treated", "accepted", "closed");
	assert_true(json_equal(json_object_get(json_object_get(props, "status"), "enum"), body));
	json_decref(body);
	assert_string_equal(json_string_value(json_array_get(json_object_get(risk, "required"), 0)),
	    "title");
	assert_int_equal(json_array_size(json_object_get(json_object_get(json_object_get(
	    json_object_get(props, "treatment"), "properties"), "option"), "enum")), 5);
	/* Bodies and answers name the kind's schema; PATCH takes the one without required. */
	body = json_object_get(json_object_get(json_object_get(json_object_get(json_object_get(
	    json_object_get(paths, "/api/v1/orgs/{org}/risks"), "post"), "requestBody"),
	    "content"), "application/json"), "schema");
	assert_string_equal(json_string_value(json_object_get(body, "$ref")),
	    "#/components/schemas/risks");
	body = json_object_get(json_object_get(json_object_get(json_object_get(json_object_get(
	    json_object_get(paths, "/api/v1/orgs/{org}/risks/{ref}"), "patch"), "requestBody"),
	    "content"), "application/json"), "schema");
	assert_string_equal(json_string_value(json_object_get(body, "$ref")),
	    "#/components/schemas/risks.patch");
	assert_int_equal(json_array_size(json_object_get(json_object_get(schemas, "risks.patch"),
	    "required")), 0);
	/* Only the kind that keeps files has the file routes and a multipart create. */
	assert_non_null(json_object_get(paths, "/api/v1/orgs/{org}/evidence/{ref}/files"));
	assert_null(json_object_get(paths, "/api/v1/orgs/{org}/risks/{ref}/files"));
	assert_null(json_object_get(json_object_get(json_object_get(json_object_get(json_object_get(
	    paths, "/api/v1/orgs/{org}/risks"), "post"), "requestBody"), "content"),
	    "multipart/form-data"));
	/* One-per-organisation kinds have no /{ref} routes; fixed ones no create or delete. */
	assert_null(json_object_get(paths, "/api/v1/orgs/{org}/scope/{ref}"));
	assert_non_null(json_object_get(json_object_get(paths, "/api/v1/orgs/{org}/scope"),
	    "patch"));
	assert_null(json_object_get(json_object_get(paths, "/api/v1/orgs/{org}/soa"), "post"));
	assert_null(json_object_get(json_object_get(paths, "/api/v1/orgs/{org}/soa/{ref}"),
	    "delete"));
	/* DELETE says whether the kind is retired or erased. */
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(json_object_get(
	    paths, "/api/v1/orgs/{org}/risks/{ref}"), "delete"), "description")), "retired"));
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(json_object_get(
	    paths, "/api/v1/orgs/{org}/context-issues/{ref}"), "delete"), "description")),
	    "erased"));
	/* The permission is the kind's own. */
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(
	    json_object_get(paths, "/api/v1/orgs/{org}/scope"), "get"), "x-aims-permission"),
	    "kind")), record_kind_find("scope")->perm_kind);
	json_decref(doc);
}

/* A new token's secret is never kept for an Idempotency-Key replay, and the document says so. */
static void
test_router__token_creation_keeps_no_secret(void **state)
{
	json_t *doc = openapi_document(), *params, *p;
	const char *params_doc = NULL;
	struct fixture f;
	size_t i;

	(void)state;
	assert_int_equal(prepare(&f, "POST", "/api/v1/orgs/acme/tokens", NULL, NULL), 0);
	assert_true(f.c.route->flags & ROUTE_IDEMPOTENT);
	assert_true(f.c.route->flags & ROUTE_SECRET);
	http_ctx_free(&f.c);
	params = json_object_get(json_object_get(json_object_get(json_object_get(doc, "paths"),
	    "/api/v1/orgs/{org}/tokens"), "post"), "parameters");
	json_array_foreach(params, i, p)
		if (strcmp(json_string_value(json_object_get(p, "name")), "Idempotency-Key") == 0)
			params_doc = json_string_value(json_object_get(p, "description"));
	assert_non_null(params_doc);
	assert_non_null(strstr(params_doc, "without its secret '" ROUTER_SECRET_FIELD "'"));
	json_decref(doc);
}

/* The schemas the document refers to are all there, and nothing else. */
static void
test_router__openapi_component_schemas(void **state)
{
	json_t *doc = openapi_document();
	json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
	json_t *step = json_object_get(schemas, "WorkflowStep");

	(void)state;
	assert_non_null(json_object_get(schemas, "Error"));
	assert_non_null(json_object_get(schemas, "WorkflowSteps"));
	assert_non_null(step);
	assert_int_equal(json_array_size(json_object_get(step, "required")), 5);
	assert_int_equal(json_object_size(json_object_get(step, "properties")), 7);
	assert_null(json_object_get(schemas, "object"));
	json_decref(doc);
}

/* A copy of table, which the router has no index of: it walks it route by route. */
static const struct route *
unindexed(const struct route *table)
{
	static const struct route *from[2];
	static struct route *copy[2];
	size_t i, n;

	for (i = 0; i < 2 && from[i] != NULL && from[i] != table; i++)
		;
	assert_true(i < 2);
	if (from[i] == NULL) {
		for (n = 0; table[n].method != NULL; n++)
			;
		copy[i] = malloc((n + 1) * sizeof(*table));
		assert_non_null(copy[i]);
		memcpy(copy[i], table, (n + 1) * sizeof(*table));
		from[i] = table;
	}
	return copy[i];
}

/*
 * The index must answer what a walk of the whole table answers: the same
 * route, parameters, 404 or 405 and Allow. Returns the route matched.
 */
static const struct route *
assert_match_as_scan(const struct route *table, const char *method, const char *path)
{
	const char *p1[HTTP_PARAMS_MAX], *p2[HTTP_PARAMS_MAX];
	char *b1 = NULL, *b2 = NULL, a1[64], a2[64];
	const struct route *r1, *r2;
	int c1, c2, i;

	r1 = router_match_in(table, method, path, p1, &b1, &c1, a1, sizeof(a1));
	r2 = router_match_scan(table, method, path, p2, &b2, &c2, a2, sizeof(a2));
	if (r1 != r2 || c1 != c2)
		fail_msg("%s %s: the index answers %s (%d), the table %s (%d)", method, path,
		    r1 ? r1->pattern : "none", c1, r2 ? r2->pattern : "none", c2);
	if (r1 == NULL && strcmp(a1, a2) != 0)
		fail_msg("%s %s: Allow %s from the index, %s from the table", method, path, a1, a2);
	for (i = 0; r1 != NULL && i < HTTP_PARAMS_MAX; i++)
		if ((p1[i] == NULL) != (p2[i] == NULL) ||
		    (p1[i] != NULL && strcmp(p1[i], p2[i]) != 0))
			fail_msg("%s %s: parameter %d differs", method, path, i);
	if (router_path_known(table, path) != router_path_known(unindexed(table), path))
		fail_msg("%s: known to the index or to the table, not both", path);
	free(b1);
	free(b2);
	return r1;
}

/* pattern with each {param} replaced by value (kind, when given, for {kind}). */
static void
fill_pattern(char *out, size_t len, const char *pattern, const char *value, const char *kind)
{
	const char *p = pattern;
	size_t n = 0, k;

	while (*p && n + 1 < len) {
		if (*p != '{') {
			out[n++] = *p++;
			continue;
		}
		k = strcspn(p + 1, "}");
		n += (size_t)snprintf(out + n, len - n, "%s",
		    kind != NULL && strncmp(p + 1, "kind}", 5) == 0 ? kind : value);
		p += k + 2;
	}
	out[n < len ? n : len - 1] = '\0';
}

/*
 * Every route of both tables, and paths near each (parameters that are
 * literals of other routes, unknown kinds, an empty, extra or missing
 * segment, a trailing slash), with every method: the index agrees with
 * the walk of the table.
 */
static void
test_router__index_agrees_with_table(void **state)
{
	static const char *const methods[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
	    "OPTIONS", "get", NULL };
	static const char *const values[] = { "acme", "1", "a@example.com", "risks", "ai-systems",
	    "evidence", "members", "tokens", "latest", "nosuch", "new", "o", "api", "v1", "orgs",
	    "%2F", "a.b", NULL };
	static const char *const extra[] = { "", "/", "/x", "//", "/files", "/versions/1",
	    "?x", NULL };
	const struct route *tables[] = { http_routes, webui_routes, NULL };
	const struct record_kind *const *k;
	const struct route *t, *r;
	char path[300], full[320];
	size_t ti, vi, ei, mi;
	int n = 0;

	(void)state;
	for (ti = 0; (t = tables[ti]) != NULL; ti++) {
		for (r = t; r->method != NULL; r++) {
			for (vi = 0; values[vi] != NULL; vi++) {
				fill_pattern(path, sizeof(path), r->pattern, values[vi], NULL);
				for (ei = 0; extra[ei] != NULL; ei++) {
					snprintf(full, sizeof(full), "%s%s", path, extra[ei]);
					for (mi = 0; methods[mi] != NULL; mi++, n++)
						assert_match_as_scan(t, methods[mi], full);
				}
				/* The pattern cut short at each of its slashes. */
				for (ei = strlen(path); ei > 0; ei--)
					if (path[ei] == '/') {
						path[ei] = '\0';
						assert_match_as_scan(t, "GET", path);
						assert_match_as_scan(t, "POST", path);
						n += 2;
					}
			}
			for (k = record_kinds; (*k)->name != NULL; k++) {
				fill_pattern(path, sizeof(path), r->pattern, "acme", (*k)->name);
				for (mi = 0; methods[mi] != NULL; mi++, n++)
					assert_match_as_scan(t, methods[mi], path);
			}
		}
	}
	static const char *const odd[] = { "", "/", "//", "///", "healthz", "/healthz/",
	    "/HEALTHZ", "/api", "/api/", "/api/v1", "/api/v1/orgs/", "/api/v1/orgs//risks",
	    "/api/v1/orgs/acme//", "/o/acme/", "/o/acme//", "/o//", "/o", "/static/",
	    "/api/v1/orgs/acme/risks/R-1/files/1/x/y/z/a/b/c/d/e/f", NULL };
	for (vi = 0; odd[vi] != NULL; vi++)
		for (ti = 0; tables[ti] != NULL; ti++)
			for (mi = 0; methods[mi] != NULL; mi++, n++)
				assert_match_as_scan(tables[ti], methods[mi], odd[vi]);
	assert_true(n > 10000);
}

/* Every route of both tables is reached by a path built from its own pattern. */
static void
test_router__every_route_reached(void **state)
{
	const struct route *tables[] = { http_routes, webui_routes, NULL };
	const struct record_kind *const *k;
	const struct route *t, *r, *m;
	char path[300];
	size_t ti;
	bool found;

	(void)state;
	for (ti = 0; (t = tables[ti]) != NULL; ti++)
		for (r = t; r->method != NULL; r++) {
			found = false;
			for (k = record_kinds; !found && (*k)->name != NULL; k++) {
				fill_pattern(path, sizeof(path), r->pattern, "acme",
				    (r->flags & ROUTE_RECORD) ? (*k)->name : NULL);
				m = assert_match_as_scan(t, r->method, path);
				found = m == r;
				if (!(r->flags & ROUTE_RECORD))
					break;
			}
			if (!found)
				fail_msg("%s %s is not reached by a path of its own", r->method,
				    r->pattern);
			if (strcmp(r->method, "GET") == 0 && assert_match_as_scan(t, "HEAD", path) != r)
				fail_msg("HEAD %s is not answered as GET", r->pattern);
		}
}

/* Which route wins, and 404 against 405, where fixed and record routes meet. */
static void
test_router__precedence_and_method_errors(void **state)
{
	const char *params[HTTP_PARAMS_MAX];
	char *pbuf = NULL, allow[64];
	const struct route *r;
	int code;

	(void)state;
	/* A fixed route claims its path for every method: no record route behind it. */
	assert_null(router_match("PUT", "/api/v1/orgs/acme/members", params, &pbuf, &code, allow,
	    sizeof(allow)));
	assert_int_equal(code, HTTP_EMETHOD);
	assert_string_equal(allow, "GET, POST, HEAD");
	assert_null(router_match("DELETE", "/api/v1/orgs/acme/readiness", params, &pbuf, &code,
	    allow, sizeof(allow)));
	assert_int_equal(code, HTTP_EMETHOD);
	assert_string_equal(allow, "GET, HEAD");
	/* A record kind takes the record routes, with their methods in table order. */
	r = router_match("GET", "/api/v1/orgs/acme/risks", params, &pbuf, &code, allow,
	    sizeof(allow));
	assert_non_null(r);
	assert_string_equal(r->pattern, "/api/v1/orgs/{org}/{kind}");
	assert_string_equal(params[0], "acme");
	assert_string_equal(params[1], "risks");
	assert_null(params[2]);
	free(pbuf);
	assert_null(router_match("PUT", "/api/v1/orgs/acme/risks", params, &pbuf, &code, allow,
	    sizeof(allow)));
	assert_int_equal(code, HTTP_EMETHOD);
	assert_string_equal(allow, "GET, POST, PATCH, HEAD");
	/* OPTIONS gets the methods without HEAD added. */
	assert_null(router_match("OPTIONS", "/api/v1/orgs/acme/risks", params, &pbuf, &code,
	    allow, sizeof(allow)));
	assert_int_equal(code, HTTP_EMETHOD);
	assert_string_equal(allow, "GET, POST, PATCH");
	/* Not a kind: not found, whatever the method. */
	assert_null(router_match("GET", "/api/v1/orgs/acme/nosuch", params, &pbuf, &code, allow,
	    sizeof(allow)));
	assert_int_equal(code, AIMS_ENOTFOUND);
	assert_null(router_match("PUT", "/api/v1/orgs/acme/nosuch/R-1", params, &pbuf, &code,
	    allow, sizeof(allow)));
	assert_int_equal(code, AIMS_ENOTFOUND);
	/* A literal segment beats a parameter only by coming first in the table. */
	r = router_match("GET", "/api/v1/orgs/acme/packs/latest", params, &pbuf, &code, allow,
	    sizeof(allow));
	assert_non_null(r);
	assert_string_equal(r->pattern, "/api/v1/orgs/{org}/packs/latest");
	free(pbuf);
	/* A trailing slash is a segment of its own: a route only when declared so. */
	assert_null(router_match("GET", "/api/v1/orgs/acme/risks/", params, &pbuf, &code, allow,
	    sizeof(allow)));
	assert_int_equal(code, AIMS_ENOTFOUND);
	r = router_match_in(webui_routes, "GET", "/o/acme/", params, &pbuf, &code, allow,
	    sizeof(allow));
	assert_non_null(r);
	assert_string_equal(r->pattern, "/o/{org}/");
	free(pbuf);
	r = router_match_in(webui_routes, "GET", "/o/acme", params, &pbuf, &code, allow,
	    sizeof(allow));
	assert_non_null(r);
	assert_string_equal(r->pattern, "/o/{org}");
	free(pbuf);
	/* An empty segment takes no parameter. */
	assert_null(router_match_in(webui_routes, "GET", "/o//", params, &pbuf, &code, allow,
	    sizeof(allow)));
	assert_int_equal(code, AIMS_ENOTFOUND);
	/* Paths are matched as given: case counts, a method is upper case. */
	assert_null(router_match("GET", "/HEALTHZ", params, &pbuf, &code, allow, sizeof(allow)));
	assert_int_equal(code, AIMS_ENOTFOUND);
	assert_null(router_match("get", "/healthz", params, &pbuf, &code, allow, sizeof(allow)));
	assert_int_equal(code, HTTP_EMETHOD);
	assert_string_equal(allow, "GET, HEAD");
	assert_true(router_path_known(http_routes, "/api/v1/orgs/acme/nosuch"));
	assert_false(router_path_known(http_routes, "/api/v1/orgs/acme/"));
	assert_false(router_path_known(http_routes, "/o/acme"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_router__matches_params),
		cmocka_unit_test(test_router__wrong_method_lists_allowed),
		cmocka_unit_test(test_router__index_agrees_with_table),
		cmocka_unit_test(test_router__every_route_reached),
		cmocka_unit_test(test_router__precedence_and_method_errors),
		cmocka_unit_test(test_router__path_param_validated),
		cmocka_unit_test(test_router__unknown_query_parameter_named),
		cmocka_unit_test(test_router__query_values_checked),
		cmocka_unit_test(test_router__body_fields_declared),
		cmocka_unit_test(test_router__malformed_json_position),
		cmocka_unit_test(test_router__json_content_type_required),
		cmocka_unit_test(test_router__upload_bodies),
		cmocka_unit_test(test_router__token_creation_keeps_no_secret),
		cmocka_unit_test(test_router__openapi_component_schemas),
		cmocka_unit_test(test_router__error_answer_shape),
		cmocka_unit_test(test_router__status_mapping),
		cmocka_unit_test(test_router__openapi_describes_every_route),
		cmocka_unit_test(test_router__openapi_schema_per_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
