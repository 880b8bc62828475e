/*
 * openapi.c - the OpenAPI 3.1 document, generated from the route table and
 * its declared parameters and fields, so it describes exactly what is served.
 * The record routes ({kind}) are listed once per kind that has them, with
 * the kind's own schema (components.schemas, named after the kind, made from
 * its field declarations) for their bodies and answers, so that a client
 * generator gets real types.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/perm.h"
#include "core/record.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/router.h"

#define OPENAPI_VERSION		"3.1.0"
#define OPENAPI_API_VERSION	"1.0.0"
#define OPENAPI_SLUG_PATTERN	"^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$"
#define OPENAPI_ID_PATTERN	"^[A-Za-z0-9._-]{1,64}$"
#define OPENAPI_PATCH_SUFFIX	".patch"	/* the schema of a kind's PATCH body */
#define OPENAPI_EXTRA_SUFFIX	".generated"	/* an extra item of a kind's listing */
#define OPENAPI_PATH_MAX	256

static json_t *
openapi_enum(const char *const *values)
{
	json_t *a = json_array();

	for (; values != NULL && *values != NULL; values++)
		json_array_append_new(a, json_string(*values));
	return a;
}

static json_t *openapi_schema(const struct val_spec *s);

/* An object's declared fields, each optional, and nothing else. */
static void
openapi_object_props(json_t *o, const struct val_spec *props)
{
	json_t *p = json_object();

	for (; props != NULL && props->name != NULL; props++)
		json_object_set_new(p, props->name, openapi_schema(props));
	json_object_set_new(o, "properties", p);
	json_object_set_new(o, "additionalProperties", json_false());
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
	case VAL_NUMBER:
		type = "number";
		break;
	case VAL_OBJECT:
		type = "object";
		openapi_object_props(o, s->props);
		break;
	case VAL_STRING_LIST:
		type = "array";
		json_object_set_new(o, "items", json_pack("{s:s, s:I, s:I}", "type", "string",
		    "minLength", (json_int_t)s->min, "maxLength", (json_int_t)s->max));
		json_object_set_new(o, "maxItems", json_integer(VAL_LIST_MAX));
		break;
	case VAL_TEXT:
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

static json_t *openapi_fields_schema(const struct field *fields, bool patch);

/* T, or [T, "null"] where the field may be empty (the record holds null then). */
static json_t *
openapi_type(const char *type, bool nullable)
{
	return nullable ? json_pack("[s, s]", type, "null") : json_string(type);
}

static json_t *
openapi_field_schema(const struct field *f, bool nullable)
{
	json_t *o = json_object(), *items = NULL, *e;
	const char *type = "string";

	switch (f->type) {
	case FIELD_STRING:
	case FIELD_TEXT:
		if (f->max > 0)
			json_object_set_new(o, "maxLength", json_integer(f->max));
		break;
	case FIELD_BOOL:
		type = "boolean";
		break;
	case FIELD_INT:
		type = "integer";
		if (f->min != 0 || f->max != 0) {
			json_object_set_new(o, "minimum", json_integer(f->min));
			json_object_set_new(o, "maximum", json_integer(f->max));
		}
		break;
	case FIELD_ENUM:
		e = openapi_enum(f->values);
		if (nullable)
			json_array_append_new(e, json_null());
		json_object_set_new(o, "enum", e);
		break;
	case FIELD_DATE:
		json_object_set_new(o, "format", json_string("date"));
		break;
	case FIELD_DATETIME:
		json_object_set_new(o, "format", json_string("date-time"));
		break;
	case FIELD_USER:
		json_object_set_new(o, "format", json_string("email"));
		break;
	case FIELD_REF:
		json_object_set_new(o, "x-aims-ref", json_string(f->target != NULL ? f->target :
		    "any"));
		break;
	case FIELD_REQUIREMENT:
		json_object_set_new(o, "x-aims-requirement", json_string(f->req_kinds != NULL ?
		    f->req_kinds : "any"));
		break;
	case FIELD_ENUM_LIST:
		items = json_pack("{s:s, s:o}", "type", "string", "enum", openapi_enum(f->values));
		break;
	case FIELD_STRING_LIST:
		items = json_pack("{s:s}", "type", "string");
		break;
	case FIELD_REF_LIST:
		items = json_pack("{s:s, s:s}", "type", "string", "x-aims-ref",
		    f->target != NULL ? f->target : "any");
		break;
	case FIELD_REQUIREMENT_LIST:
		items = json_pack("{s:s, s:s}", "type", "string", "x-aims-requirement",
		    f->req_kinds != NULL ? f->req_kinds : "any");
		break;
	case FIELD_OBJECT_LIST:
		items = openapi_fields_schema(f->subfields, false);
		break;
	case FIELD_OBJECT:
		json_decref(o);
		o = openapi_fields_schema(f->subfields, false);
		json_object_set_new(o, "type", openapi_type("object", nullable));
		type = NULL;
		break;
	}
	if (items != NULL) {
		type = "array";
		json_object_set_new(o, "items", items);
	}
	if (type != NULL)
		json_object_set_new(o, "type", openapi_type(type, nullable));
	json_object_set_new(o, "title", json_string(f->label));
	if (f->help != NULL)
		json_object_set_new(o, "description", json_string(f->help));
	if (f->flags & FIELD_READONLY)
		json_object_set_new(o, "readOnly", json_true());
	if (f->flags & FIELD_MANAGER)
		json_object_set_new(o, "x-aims-manager-only", json_true());
	return o;
}

/*
 * An object of declared fields: every field may be empty (null) but the
 * required ones, which a PATCH body (patch) need not repeat.
 */
static json_t *
openapi_fields_schema(const struct field *fields, bool patch)
{
	json_t *props = json_object(), *req = json_array();
	const struct field *f;
	bool required;

	for (f = fields; f != NULL && f->name != NULL; f++) {
		required = (f->flags & FIELD_REQUIRED) != 0;
		json_object_set_new(props, f->name, openapi_field_schema(f, !required || patch));
		if (required && !patch)
			json_array_append_new(req, json_string(f->name));
	}
	return json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props,
	    "required", req, "additionalProperties", 0);
}

/* What the record engine adds to every record (record.h: record_get()). */
static void
openapi_record_meta(json_t *schema, const struct record_kind *k)
{
	json_t *props = json_object_get(schema, "properties");
	json_t *req = json_object_get(schema, "required");
	static const char *const meta[] = { "ref", "version", "created_at", "updated_at",
	    "created_by", "updated_by", "retired", NULL };
	const char *const *m;

	json_object_set_new(props, "ref", json_pack("{s:s, s:b, s:s}", "type", "string",
	    "readOnly", 1, "description", k->ref_field != NULL ?
	    "the record's reference: its ref field's value" : "the record's reference"));
	json_object_set_new(props, "version", json_pack("{s:s, s:b, s:i}", "type", "integer",
	    "readOnly", 1, "minimum", 1));
	json_object_set_new(props, "created_at", json_pack("{s:s, s:s, s:b}", "type", "string",
	    "format", "date-time", "readOnly", 1));
	json_object_set_new(props, "updated_at", json_pack("{s:s, s:s, s:b}", "type", "string",
	    "format", "date-time", "readOnly", 1));
	json_object_set_new(props, "created_by", json_pack("{s:s, s:b}", "type", "string",
	    "readOnly", 1));
	json_object_set_new(props, "updated_by", json_pack("{s:s, s:b}", "type", "string",
	    "readOnly", 1));
	json_object_set_new(props, "retired", json_pack("{s:s, s:b}", "type", "boolean",
	    "readOnly", 1));
	for (m = meta; *m != NULL; m++)
		json_array_append_new(req, json_string(*m));
}

/* The schema named after the kind, and the one of its PATCH body. */
static void
openapi_kind_schemas(json_t *schemas, const struct record_kind *k)
{
	json_t *full = openapi_fields_schema(k->fields, false);
	char name[128];

	openapi_record_meta(full, k);
	json_object_set_new(full, "title", json_string(k->singular));
	json_object_set_new(full, "description", json_string(k->plural));
	json_object_set_new(full, "x-aims-kind", json_pack("{s:s, s:s, s:s, s:b, s:b, s:b}",
	    "name", k->name, "prefix", k->prefix, "clause", k->clause, "singleton", k->singleton,
	    "retain", k->retain, "files", k->files));
	if (k->list_extra != NULL) {
		/* Its listing marks its records and the extra items apart. */
		json_object_set_new(json_object_get(full, "properties"), "generated",
		    json_pack("{s:s, s:[b], s:b, s:s}", "type", "boolean", "enum", 0, "readOnly", 1,
		    "description", "in a listing: false, a record of this kind"));
		snprintf(name, sizeof(name), "%s" OPENAPI_EXTRA_SUFFIX, k->name);
		json_object_set_new(schemas, name, k->list_extra->schema());
	}
	json_object_set_new(schemas, k->name, full);
	snprintf(name, sizeof(name), "%s" OPENAPI_PATCH_SUFFIX, k->name);
	json_object_set_new(schemas, name, openapi_fields_schema(k->fields, true));
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
openapi_parameters(const struct route *r, const struct record_kind *k)
{
	json_t *params = json_array();
	const struct val_spec *s;
	const char *p = r->pattern;
	char name[64];
	size_t n;

	while ((p = strchr(p, '{')) != NULL) {
		n = strcspn(p + 1, "}");
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		if (k != NULL && strcmp(name, "kind") == 0)
			;	/* the kind is part of the path */
		else if ((s = router_spec_find(http_path_params, name)) != NULL)
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
		    "description", (r->flags & ROUTE_SECRET) ?
		    "a retry with the same key returns the first answer without its secret '"
		    ROUTER_SECRET_FIELD "' (shown once, never stored in clear)" :
		    "a retry with the same key returns the first answer"));
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

/*
 * The multipart/form-data body of an import (ROUTE_UPLOAD_FORMAT): the file and its format.
 * The enum's "s" count is that of ROUTER_IMPORT_FORMATS: a format added there is added here.
 */
static json_t *
openapi_upload_format_body(void)
{
	return json_pack("{s:{s:s, s:{s:{s:s, s:s, s:s}, s:{s:s, s:[s,s,s,s], s:s}}, s:[s,s], "
	    "s:b}}",
	    "schema", "type", "object", "properties",
	    ROUTER_UPLOAD_FILE, "type", "string", "contentMediaType", "application/octet-stream",
	    "description", "the file to import",
	    ROUTER_UPLOAD_FORMAT, "type", "string", "enum", ROUTER_IMPORT_FORMATS,
	    "description", "the file's format",
	    "required", ROUTER_UPLOAD_FILE, ROUTER_UPLOAD_FORMAT, "additionalProperties", 0);
}

/* #/components/schemas/NAME[SUFFIX] */
static json_t *
openapi_ref(const char *name, const char *suffix)
{
	char ref[160];

	snprintf(ref, sizeof(ref), "#/components/schemas/%s%s", name, suffix);
	return json_pack("{s:s}", "$ref", ref);
}

static json_t *
openapi_body(const struct route *r, const struct record_kind *k)
{
	json_t *props = json_object(), *req = json_array(), *content = json_object();
	const struct val_spec *s;

	/* An empty spec on a record route: the kind's own schema (comments have theirs). */
	if (k != NULL && r->body != NULL && r->body->name == NULL) {
		json_object_set_new(content, "application/json", json_pack("{s:o}", "schema",
		    openapi_ref(k->name, strcmp(r->method, "PATCH") == 0 ?
		    OPENAPI_PATCH_SUFFIX : "")));
		json_decref(props);
		json_decref(req);
		if ((r->flags & ROUTE_UPLOAD) && k->files)
			json_object_set_new(content, "multipart/form-data", openapi_upload_body());
		return json_pack("{s:b, s:o}", "required", 1, "content", content);
	}
	for (s = r->body; s != NULL && s->name != NULL; s++) {
		json_object_set_new(props, s->name, openapi_schema(s));
		if (s->flags & VAL_REQUIRED)
			json_array_append_new(req, json_string(s->name));
	}
	if (r->body != NULL && (r->flags & ROUTE_BODY_ARRAY)) {
		json_object_set_new(content, "application/json", json_pack("{s:{s:s, s:{s:s, s:o, "
		    "s:o, s:b}}}", "schema", "type", "array", "items", "type", "object",
		    "properties", props, "required", req, "additionalProperties", 0));
		json_object_set_new(content, ROUTER_CSV, json_pack("{s:{s:s}}", "schema", "type",
		    "string"));
	} else if (r->body != NULL)
		json_object_set_new(content, "application/json", json_pack("{s:{s:s, s:o, s:o, s:b}}",
		    "schema", "type", "object", "properties", props, "required", req,
		    "additionalProperties", 0));
	else {
		json_decref(props);
		json_decref(req);
	}
	if (r->flags & ROUTE_UPLOAD_FORMAT)
		json_object_set_new(content, "multipart/form-data", openapi_upload_format_body());
	else if (r->flags & ROUTE_UPLOAD)
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

/*
 * What a record route answers for kind k: the record, or a page of them;
 * NULL where the answer is not the kind's record (versions, links, files).
 */
static json_t *
openapi_record_answer(const struct route *r, const struct record_kind *k)
{
	const char *rest = strstr(r->pattern, "{kind}") + strlen("{kind}");

	if (strcmp(rest, "") == 0 && (r->flags & ROUTE_LIST) && !k->singleton)
		return json_pack("{s:s, s:[s, s], s:{s:{s:s, s:o}, s:{s:[s, s]}, s:{s:s}}}",
		    "type", "object", "required", "items", "next_cursor", "properties",
		    "items", "type", "array", "items", k->list_extra == NULL ?
		    openapi_ref(k->name, "") : json_pack("{s:[o, o]}", "oneOf",
		    openapi_ref(k->name, ""), openapi_ref(k->name, OPENAPI_EXTRA_SUFFIX)),
		    "next_cursor", "type", "string", "null", "total", "type", "integer");
	if (strcmp(rest, "") == 0 || strcmp(rest, "/{ref}") == 0)
		return openapi_ref(k->name, "");
	return NULL;
}

static json_t *
openapi_responses(const struct route *r, const struct record_kind *k)
{
	json_t *resp = json_object(), *ok, *schema;
	const char *named = openapi_answer_schema(r);
	char status[8];

	snprintf(status, sizeof(status), "%d", r->status);
	if (named != NULL)
		ok = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "ok", "content",
		    "application/json", "schema", "$ref", named);
	else if (r->status != 204 && k != NULL && !(r->flags & ROUTE_RAW) &&
	    (schema = openapi_record_answer(r, k)) != NULL)
		ok = json_pack("{s:s, s:{s:{s:o}}}", "description", "ok", "content",
		    "application/json", "schema", schema);
	else if (r->status == 204)
		ok = json_pack("{s:s}", "description", "done");
	else if (r->flags & ROUTE_RAW)
		ok = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "ok", "content",
		    "text/plain", "schema", "type", "string");
	else
		ok = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "ok", "content",
		    "application/json", "schema", "type", "object");
	json_object_set_new(resp, status, ok);
	if ((r->flags & ROUTE_ACCEPTED) && r->status != 202)
		json_object_set_new(resp, "202", json_pack("{s:s, s:{s:{s:{s:s}}}}", "description",
		    "still running: the answer has its progress", "content", "application/json",
		    "schema", "type", "object"));
	/* A list of more than the light limit, or downloaded whole, is heavy too. */
	if (r->flags & (ROUTE_HEAVY | ROUTE_LIST))
		json_object_set_new(resp, "429", json_pack("{s:s, s:{s:{s:s}}, s:{s:{s:{s:s}}}}",
		    "description", "over the caller's budget of heavy reads (aims serve "
		    "--heavy-reads-per-minute)", "headers", "Retry-After", "description",
		    "seconds until the next heavy read is allowed", "content", "application/json",
		    "schema", "$ref", "#/components/schemas/Error"));
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
openapi_operation_id(char *out, size_t len, const char *method, const char *path)
{
	const char *p;
	size_t n = 0;

	for (p = method; *p && n + 1 < len; p++)
		out[n++] = (char)tolower((unsigned char)*p);
	for (p = path; *p && n + 1 < len; p++) {
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
openapi_operation(const struct route *r, const char *path, const struct record_kind *k)
{
	char opid[OPENAPI_PATH_MAX + 16];
	json_t *op;

	openapi_operation_id(opid, sizeof(opid), r->method, path);
	op = json_pack("{s:s, s:s, s:[s], s:o, s:o, s:o}", "operationId", opid, "summary",
	    r->summary, "tags", k != NULL ? k->name : r->tag, "parameters",
	    openapi_parameters(r, k), "responses", openapi_responses(r, k), "security",
	    openapi_security(r));
	if (r->body != NULL || ((r->flags & ROUTE_UPLOAD) && (k == NULL || k->files)))
		json_object_set_new(op, "requestBody", openapi_body(r, k));
	/* What a DELETE does to this kind: the declaration says whether it is kept. */
	if (k != NULL && strcmp(r->method, "DELETE") == 0)
		json_object_set_new(op, "description", json_string(k->retain ?
		    "The standard asks to keep these records: the record is retired (kept, "
		    "marked retired, left out of lists unless ?retired=true), not erased." :
		    "The record and its versions are erased; the audit trail keeps its events."));
	if (r->auth == ROUTE_ORG)
		json_object_set_new(op, "x-aims-permission", json_pack("{s:s, s:s}", "action",
		    perm_action_name(r->action), "kind", k != NULL ? k->perm_kind :
		    perm_kind_name(r->kind)));
	return op;
}

/*
 * Does the record route r serve kind k? One-per-organisation kinds are
 * addressed without a reference, fixed ones are neither created nor
 * deleted, only a kind that keeps files has the file routes, and only one
 * with a workflow lists its steps.
 */
static bool
openapi_route_serves(const struct route *r, const struct record_kind *k)
{
	const char *rest = strstr(r->pattern, "{kind}") + strlen("{kind}");
	bool post = strcmp(r->method, "POST") == 0, del = strcmp(r->method, "DELETE") == 0;

	if (strcmp(rest, "") == 0)
		return post ? !k->fixed : strcmp(r->method, "PATCH") != 0 || k->singleton;
	if (k->singleton)
		return false;
	if (strncmp(rest, "/{ref}/files", 12) == 0)
		return k->files;
	if (strcmp(rest, "/{ref}/steps") == 0)
		return k->workflow != NULL;
	return !(del && k->fixed);
}

static void
openapi_lower(char *out, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

static void
openapi_add(json_t *paths, const char *path, const struct route *r,
    const struct record_kind *k)
{
	json_t *item;
	char method[16];

	if ((item = json_object_get(paths, path)) == NULL) {
		item = json_object();
		json_object_set_new(paths, path, item);
	}
	openapi_lower(method, sizeof(method), r->method);
	json_object_set_new(item, method, openapi_operation(r, path, k));
}

/* A step as record_steps() (core/record.h) describes it. */
static json_t *
openapi_step_schemas(void)
{
	return json_pack("{s:{s:s, s:[s], s:{s:{s:s, s:{s:s}}}}, "
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
	const struct record_kind *const *k;
	json_t *c;

	c = json_pack("{s:{s:{s:s, s:[s], s:{s:{s:s, s:[s, s, s], s:{s:{s:s}, s:{s:s}, "
	    "s:{s:s}}}}}}, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}",
	    "schemas", "Error", "type", "object", "required", "error", "properties", "error",
	    "type", "object", "required", "code", "message", "field", "properties",
	    "code", "type", "string", "message", "type", "string", "field", "type", "string",
	    "securitySchemes", "session", "type", "apiKey", "in", "cookie", "name", AUTH_COOKIE,
	    "bearer", "type", "http", "scheme", "bearer");
	for (k = record_kinds; (*k)->name != NULL; k++)
		openapi_kind_schemas(json_object_get(c, "schemas"), *k);
	return c;
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
	json_t *doc, *paths = json_object();
	const struct record_kind *const *k;
	const struct route *r;
	char path[OPENAPI_PATH_MAX];
	const char *at;

	for (r = http_routes; r->method != NULL; r++) {
		if (!(r->flags & ROUTE_RECORD) || (at = strstr(r->pattern, "{kind}")) == NULL) {
			openapi_add(paths, r->pattern, r, NULL);
			continue;
		}
		for (k = record_kinds; (*k)->name != NULL; k++) {
			if (!openapi_route_serves(r, *k))
				continue;
			snprintf(path, sizeof(path), "%.*s%s%s", (int)(at - r->pattern), r->pattern,
			    (*k)->name, at + strlen("{kind}"));
			openapi_add(paths, path, r, *k);
		}
	}
	doc = json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:o}", "openapi", OPENAPI_VERSION, "info",
	    "title", "OpenAIMS API", "version", OPENAPI_API_VERSION, "description",
	    "JSON API of OpenAIMS, an ISO/IEC 42001 AI management system. Errors are "
	    "{\"error\":{\"code\",\"message\",\"field\"}}; unknown fields and parameters are "
	    "rejected.", "paths", paths, "components", openapi_components());
	return doc;
}
