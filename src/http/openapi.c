/*
 * openapi.c - the OpenAPI 3.1 document, generated from the route table and
 * its declared parameters and fields, so it describes exactly what is served.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/perm.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/router.h"

#define OPENAPI_VERSION		"3.1.0"
#define OPENAPI_API_VERSION	"1.0.0"
#define OPENAPI_SLUG_PATTERN	"^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$"
#define OPENAPI_ID_PATTERN	"^[A-Za-z0-9._-]{1,64}$"

static json_t *
openapi_enum(const char *const *values)
{
	json_t *a = json_array();

	for (; values != NULL && *values != NULL; values++)
		json_array_append_new(a, json_string(*values));
	return a;
}

static json_t *
openapi_schema(const struct val_spec *s)
{
	static const char *const roles[] = { "admin", "manager", "contributor", "auditor",
	    "viewer", NULL };
	json_t *o = json_object();
	const char *type = "string";

	switch (s->type) {
	case VAL_INT:
		type = "integer";
		json_object_set_new(o, "minimum", json_integer(s->min));
		json_object_set_new(o, "maximum", json_integer(s->max));
		break;
	case VAL_BOOL:
		type = "boolean";
		break;
	case VAL_STRING:
		json_object_set_new(o, "minLength", json_integer(s->min));
		if (s->max > 0)
			json_object_set_new(o, "maxLength", json_integer(s->max));
		break;
	case VAL_ENUM:
		json_object_set_new(o, "enum", openapi_enum(s->values));
		break;
	case VAL_ROLE:
		json_object_set_new(o, "enum", openapi_enum(roles));
		break;
	case VAL_SLUG:
		json_object_set_new(o, "pattern", json_string(OPENAPI_SLUG_PATTERN));
		break;
	case VAL_EMAIL:
		json_object_set_new(o, "format", json_string("email"));
		json_object_set_new(o, "maxLength", json_integer(254));
		break;
	case VAL_RFC3339:
		json_object_set_new(o, "format", json_string("date-time"));
		break;
	case VAL_ID:
		json_object_set_new(o, "pattern", json_string(OPENAPI_ID_PATTERN));
		break;
	}
	if (s->flags & VAL_NULLABLE)
		json_object_set_new(o, "type", json_pack("[s, s]", type, "null"));
	else
		json_object_set_new(o, "type", json_string(type));
	if (s->flags & VAL_SECRET) {
		json_object_set_new(o, "format", json_string("password"));
		json_object_set_new(o, "writeOnly", json_true());
	}
	if (s->doc != NULL)
		json_object_set_new(o, "description", json_string(s->doc));
	return o;
}

static json_t *
openapi_param(const struct val_spec *s, const char *in)
{
	json_t *p = json_pack("{s:s, s:s, s:b, s:o}", "name", s->name, "in", in, "required",
	    strcmp(in, "path") == 0 || (s->flags & VAL_REQUIRED), "schema", openapi_schema(s));

	if (s->doc != NULL)
		json_object_set_new(p, "description", json_string(s->doc));
	return p;
}

static void
openapi_add_params(json_t *params, const struct val_spec *specs, const char *in)
{
	for (; specs != NULL && specs->name != NULL; specs++)
		json_array_append_new(params, openapi_param(specs, in));
}

static json_t *
openapi_parameters(const struct route *r)
{
	json_t *params = json_array();
	const struct val_spec *s;
	const char *p = r->pattern;
	char name[64];
	size_t n;

	while ((p = strchr(p, '{')) != NULL) {
		n = strcspn(p + 1, "}");
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		if ((s = router_spec_find(http_path_params, name)) != NULL)
			json_array_append_new(params, openapi_param(s, "path"));
		p += n + 1;
	}
	if (r->flags & ROUTE_LIST)
		openapi_add_params(params, router_list_params, "query");
	openapi_add_params(params, r->query, "query");
	if (r->flags & ROUTE_IF_MATCH)
		json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s}, s:s}", "name",
		    "If-Match", "in", "header", "required", 0, "schema", "type", "string",
		    "description", "the ETag as read; 412 when the record changed since"));
	if (r->flags & ROUTE_IDEMPOTENT)
		json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s, s:i}, s:s}",
		    "name", "Idempotency-Key", "in", "header", "required", 0, "schema", "type",
		    "string", "maxLength", 255,
		    "description", "a retry with the same key returns the first answer"));
	return params;
}

/* The multipart/form-data body of a ROUTE_UPLOAD route (router.h). */
static json_t *
openapi_upload_body(void)
{
	return json_pack("{s:{s:s, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}}, s:[s], "
	    "s:b}, s:{s:{s:s}}}",
	    "schema", "type", "object", "properties",
	    ROUTER_UPLOAD_FILE, "type", "string", "contentMediaType", "application/octet-stream",
	    "description", "the file; its type is decided from its bytes",
	    ROUTER_UPLOAD_RECORD, "type", "string", "contentMediaType", "application/json",
	    "description", "the record's fields as a JSON object",
	    "required", ROUTER_UPLOAD_FILE, "additionalProperties", 0,
	    "encoding", ROUTER_UPLOAD_RECORD, "contentType", "application/json");
}

static json_t *
openapi_body(const struct route *r)
{
	json_t *props = json_object(), *req = json_array(), *content = json_object();
	const struct val_spec *s;

	for (s = r->body; s != NULL && s->name != NULL; s++) {
		json_object_set_new(props, s->name, openapi_schema(s));
		if (s->flags & VAL_REQUIRED)
			json_array_append_new(req, json_string(s->name));
	}
	if (r->body != NULL)
		json_object_set_new(content, "application/json", json_pack("{s:{s:s, s:o, s:o, s:b}}",
		    "schema", "type", "object", "properties", props, "required", req,
		    "additionalProperties", 0));
	else {
		json_decref(props);
		json_decref(req);
	}
	if (r->flags & ROUTE_UPLOAD)
		json_object_set_new(content, "multipart/form-data", openapi_upload_body());
	return json_pack("{s:b, s:o}", "required", 1, "content", content);
}

/* Routes whose answer has a schema of its own in components.schemas. */
static const struct {
	const char	*pattern;
	const char	*schema;
} openapi_answers[] = {
	{ "/api/v1/orgs/{org}/{kind}/{ref}/steps", "#/components/schemas/WorkflowSteps" },
};

static const char *
openapi_answer_schema(const struct route *r)
{
	size_t i;

	for (i = 0; i < sizeof(openapi_answers) / sizeof(openapi_answers[0]); i++)
		if (strcmp(openapi_answers[i].pattern, r->pattern) == 0)
			return openapi_answers[i].schema;
	return NULL;
}

static json_t *
openapi_responses(const struct route *r)
{
	json_t *resp = json_object(), *ok;
	const char *named = openapi_answer_schema(r);
	char status[8];

	snprintf(status, sizeof(status), "%d", r->status);
	if (named != NULL)
		ok = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "ok", "content",
		    "application/json", "schema", "$ref", named);
	else if (r->status == 204)
		ok = json_pack("{s:s}", "description", "done");
	else if (r->flags & ROUTE_RAW)
		ok = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "ok", "content",
		    "text/plain", "schema", "type", "string");
	else
		ok = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "ok", "content",
		    "application/json", "schema", "type", "object");
	json_object_set_new(resp, status, ok);
	json_object_set_new(resp, "default", json_pack("{s:s, s:{s:{s:{s:s}}}}", "description",
	    "an error", "content", "application/json", "schema", "$ref",
	    "#/components/schemas/Error"));
	return resp;
}

static json_t *
openapi_security(const struct route *r)
{
	if (r->auth == ROUTE_PUBLIC)
		return json_array();
	if (r->auth == ROUTE_USER || (r->flags & ROUTE_PEOPLE))
		return json_pack("[{s:[]}]", "session");
	return json_pack("[{s:[]}, {s:[]}]", "session", "bearer");
}

static void
openapi_operation_id(char *out, size_t len, const struct route *r)
{
	const char *p;
	size_t n = 0;

	for (p = r->method; *p && n + 1 < len; p++)
		out[n++] = (char)tolower((unsigned char)*p);
	for (p = r->pattern; *p && n + 1 < len; p++) {
		if (isalnum((unsigned char)*p))
			out[n++] = (char)tolower((unsigned char)*p);
		else if (out[n - 1] != '_')
			out[n++] = '_';
	}
	while (n > 0 && out[n - 1] == '_')
		n--;
	out[n] = '\0';
}

static json_t *
openapi_operation(const struct route *r)
{
	char opid[160];
	json_t *op;

	openapi_operation_id(opid, sizeof(opid), r);
	op = json_pack("{s:s, s:s, s:[s], s:o, s:o, s:o}", "operationId", opid, "summary",
	    r->summary, "tags", r->tag, "parameters", openapi_parameters(r), "responses",
	    openapi_responses(r), "security", openapi_security(r));
	if (r->body != NULL || (r->flags & ROUTE_UPLOAD))
		json_object_set_new(op, "requestBody", openapi_body(r));
	if (r->auth == ROUTE_ORG)
		json_object_set_new(op, "x-aims-permission", json_pack("{s:s, s:s}", "action",
		    perm_action_name(r->action), "kind", perm_kind_name(r->kind)));
	return op;
}

static void
openapi_lower(char *out, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

/* A step as record_steps() (core/record.h) describes it. */
static json_t *
openapi_step_schemas(void)
{
	return json_pack("{s:{s:s, s:[s], s:{s:{s:s, s:{s:s, s:s}}}}, "
	    "s:{s:s, s:[s, s, s, s, s], s:{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:[s, s], s:s}, "
	    "s:{s:s, s:s}, s:{s:s, s:s}, s:{s:[s, s], s:s}, s:{s:[s, s], s:s}}}}",
	    "WorkflowSteps", "type", "object", "required", "items", "properties", "items",
	    "type", "array", "items", "$ref", "#/components/schemas/WorkflowStep",
	    "WorkflowStep", "type", "object", "required", "action", "label", "to", "allowed",
	    "reason", "properties",
	    "action", "type", "string", "description", "the step's name (approve, submit, accept...)",
	    "label", "type", "string", "description", "the step in words, as the pages show it",
	    "from", "type", "string", "null", "description",
	    "the state it starts from; null: any other state",
	    "to", "type", "string", "description", "the state it sets (PATCH status to this)",
	    "allowed", "type", "boolean", "description", "whether the caller may take it now",
	    "reason", "type", "string", "null", "description",
	    "why not, in words naming people (null when allowed)",
	    "confirm", "type", "string", "null", "description",
	    "the question the pages ask before taking it");
}

static json_t *
openapi_components_base(void)
{
	return json_pack("{s:{s:{s:s, s:[s], s:{s:{s:s, s:[s, s, s], s:{s:{s:s}, s:{s:s}, "
	    "s:{s:s}}}}}}, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}",
	    "schemas", "Error", "type", "object", "required", "error", "properties", "error",
	    "type", "object", "required", "code", "message", "field", "properties",
	    "code", "type", "string", "message", "type", "string", "field", "type", "string",
	    "securitySchemes", "session", "type", "apiKey", "in", "cookie", "name", AUTH_COOKIE,
	    "bearer", "type", "http", "scheme", "bearer");
}

static json_t *
openapi_components(void)
{
	json_t *c = openapi_components_base(), *steps = openapi_step_schemas();

	json_object_update(json_object_get(c, "schemas"), steps);
	json_decref(steps);
	return c;
}

json_t *
openapi_document(void)
{
	json_t *doc, *paths = json_object(), *item;
	const struct route *r;
	char method[16];

	for (r = http_routes; r->method != NULL; r++) {
		if ((item = json_object_get(paths, r->pattern)) == NULL) {
			item = json_object();
			json_object_set_new(paths, r->pattern, item);
		}
		openapi_lower(method, sizeof(method), r->method);
		json_object_set_new(item, method, openapi_operation(r));
	}
	doc = json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:o}", "openapi", OPENAPI_VERSION, "info",
	    "title", "OpenAIMS API", "version", OPENAPI_API_VERSION, "description",
	    "JSON API of OpenAIMS, an ISO/IEC 42001 AI management system. Errors are "
	    "{\"error\":{\"code\",\"message\",\"field\"}}; unknown fields and parameters are "
	    "rejected.", "paths", paths, "components", openapi_components());
	return doc;
}
