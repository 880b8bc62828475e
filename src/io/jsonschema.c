/*
 * jsonschema.c - a JSON Schema (draft-07) checker for the schemas shipped
 * in schemas/ (see jsonschema.h for the keywords it knows).
 *
 * Written here because Debian ships no JSON Schema library for C: jansson
 * parses, and this walks the schema over the parsed document. It answers
 * with the JSON path of the value at fault, which an importer shows the
 * person who made the file. Patterns are POSIX extended expressions
 * (regcomp), which every pattern of the shipped schemas is.
 */
#include <pthread.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/jsonschema.h"
#include "util/embed.h"
#include "util/error.h"

#define JS_MSG_MAX		256
#define JS_PATTERNS_MAX		32	/* distinct patterns compiled for one check */

struct js_pattern {
	const char	*src;
	regex_t		 re;
	bool		 ok;
};

struct js_ctx {
	char		 path[JSONSCHEMA_PATH_MAX];
	size_t		 plen;
	int		 depth;
	bool		 failed;
	char		 err_path[JSONSCHEMA_PATH_MAX];
	char		 err_msg[JS_MSG_MAX];
	struct js_pattern pats[JS_PATTERNS_MAX];
	size_t		 npats;
};

static json_t *js_docs;		/* shipped file name -> parsed schema, read-only */
static pthread_once_t js_once = PTHREAD_ONCE_INIT;

static void
js_load(void)
{
	const struct embed_file *f;
	json_t *doc;

	js_docs = json_object();
	for (f = jsonschema_files; f->name; f++) {
		const char *slash = strrchr(f->name, '/');

		if ((doc = json_loadb((const char *)f->data, f->len, 0, NULL)) != NULL)
			json_object_set_new(js_docs, slash ? slash + 1 : f->name, doc);
	}
}

static bool js_check(struct js_ctx *c, const json_t *doc, const json_t *schema,
    const json_t *v);

static void
js_fail(struct js_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
js_fail(struct js_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return;
	c->failed = true;
	memcpy(c->err_path, c->path, c->plen + 1);
	va_start(ap, fmt);
	vsnprintf(c->err_msg, sizeof(c->err_msg), fmt, ap);
	va_end(ap);
}

/* Appends ".key" or "[i]" to the path; returns the length to restore. */
static size_t
js_push_key(struct js_ctx *c, const char *key)
{
	size_t was = c->plen;
	int n = snprintf(c->path + c->plen, sizeof(c->path) - c->plen, ".%s", key);

	if (n > 0)
		c->plen = strnlen(c->path, sizeof(c->path) - 1);
	return was;
}

static size_t
js_push_index(struct js_ctx *c, size_t i)
{
	size_t was = c->plen;
	int n = snprintf(c->path + c->plen, sizeof(c->path) - c->plen, "[%zu]", i);

	if (n > 0)
		c->plen = strnlen(c->path, sizeof(c->path) - 1);
	return was;
}

static void
js_pop(struct js_ctx *c, size_t was)
{
	c->plen = was;
	c->path[was] = '\0';
}

/* Follows a JSON pointer ("/definitions/x") from root; NULL when it leads nowhere. */
static const json_t *
js_pointer(const json_t *root, const char *ptr)
{
	char tok[256];
	const json_t *cur = root;
	size_t n;

	while (cur && *ptr == '/') {
		ptr++;
		for (n = 0; *ptr && *ptr != '/' && n + 1 < sizeof(tok); ptr++) {
			if (ptr[0] == '~' && ptr[1] == '0')
				tok[n++] = '~', ptr++;
			else if (ptr[0] == '~' && ptr[1] == '1')
				tok[n++] = '/', ptr++;
			else
				tok[n++] = *ptr;
		}
		tok[n] = '\0';
		cur = json_is_array(cur) ? json_array_get(cur, (size_t)strtoul(tok, NULL, 10)) :
		    json_object_get(cur, tok);
	}
	return *ptr == '\0' ? cur : NULL;
}

static bool
js_ref(struct js_ctx *c, const json_t *doc, const char *ref, const json_t *v)
{
	char file[128];
	const char *hash = strchr(ref, '#');
	const json_t *target_doc = doc, *target;
	size_t n = hash ? (size_t)(hash - ref) : strlen(ref);

	if (n > 0) {
		if (n >= sizeof(file)) {
			js_fail(c, "the schema refers to an unknown document");
			return false;
		}
		memcpy(file, ref, n);
		file[n] = '\0';
		target_doc = json_object_get(js_docs, file);
	}
	target = target_doc ? js_pointer(target_doc, hash ? hash + 1 : "") : NULL;
	if (target == NULL) {
		js_fail(c, "the schema refers to '%s', which is not shipped", ref);
		return false;
	}
	return js_check(c, target_doc, target, v);
}

static bool
js_type_is(const char *t, const json_t *v)
{
	if (strcmp(t, "object") == 0)
		return json_is_object(v);
	if (strcmp(t, "array") == 0)
		return json_is_array(v);
	if (strcmp(t, "string") == 0)
		return json_is_string(v);
	if (strcmp(t, "boolean") == 0)
		return json_is_boolean(v);
	if (strcmp(t, "null") == 0)
		return json_is_null(v);
	if (strcmp(t, "number") == 0)
		return json_is_number(v);
	if (strcmp(t, "integer") == 0)
		return json_is_integer(v) || (json_is_real(v) &&
		    json_real_value(v) == (double)(long long)json_real_value(v));
	return false;
}

static const char *
js_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static size_t
js_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static bool
js_digits(const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* RFC 3339 date-time: 2024-04-09T10:00:00(.123)?(Z|+02:00). */
static bool
js_date_time(const char *s)
{
	if (strlen(s) < 20 || !js_digits(s, 4) || s[4] != '-' || !js_digits(s + 5, 2) ||
	    s[7] != '-' || !js_digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') ||
	    !js_digits(s + 11, 2) || s[13] != ':' || !js_digits(s + 14, 2) || s[16] != ':' ||
	    !js_digits(s + 17, 2))
		return false;
	s += 19;
	if (*s == '.') {
		if (!js_digits(++s, 1))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
		return true;
	return (*s == '+' || *s == '-') && js_digits(s + 1, 2) && s[3] == ':' &&
	    js_digits(s + 4, 2) && s[6] == '\0';
}

static bool
js_pattern_match(struct js_ctx *c, const char *pattern, const char *s)
{
	struct js_pattern *p = NULL;
	size_t i;

	for (i = 0; i < c->npats; i++)
		if (c->pats[i].src == pattern)
			p = &c->pats[i];
	if (p == NULL) {
		if (c->npats == JS_PATTERNS_MAX)
			return true;	/* more patterns than any shipped schema has */
		p = &c->pats[c->npats++];
		p->src = pattern;
		p->ok = regcomp(&p->re, pattern, REG_EXTENDED | REG_NOSUB) == 0;
	}
	return !p->ok || regexec(&p->re, s, 0, NULL, 0) == 0;
}

/* The value as canonical text, to compare for uniqueItems in one pass. */
static bool
js_unique(const json_t *arr, size_t *dup)
{
	json_t *seen = json_object();
	const json_t *item;
	bool unique = true;
	char *key;
	size_t i;

	json_array_foreach(arr, i, item) {
		key = json_dumps(item, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		if (key && json_object_get(seen, key)) {
			*dup = i;
			unique = false;
		} else if (key) {
			json_object_set_new(seen, key, json_true());
		}
		free(key);
		if (!unique)
			break;
	}
	json_decref(seen);
	return unique;
}

/*
 * oneOf / anyOf: counts the branches v matches. When none does, the error
 * kept is the one found deepest in the document (the branch that came
 * closest), or a plain "none of the forms" at this path.
 */
static int
js_branches(struct js_ctx *c, const json_t *doc, const json_t *list, const json_t *v)
{
	char best_path[JSONSCHEMA_PATH_MAX] = "", best_msg[JS_MSG_MAX] = "";
	size_t i, best_len = 0, here = c->plen;
	const json_t *s;
	int matched = 0;

	json_array_foreach(list, i, s) {
		c->failed = false;
		if (js_check(c, doc, s, v))
			matched++;
		else if (strlen(c->err_path) > best_len || best_msg[0] == '\0') {
			best_len = strlen(c->err_path);
			memcpy(best_path, c->err_path, sizeof(best_path));
			memcpy(best_msg, c->err_msg, sizeof(best_msg));
		}
		js_pop(c, here);
	}
	c->failed = false;
	if (matched == 0 && best_len > here) {
		c->failed = true;
		memcpy(c->err_path, best_path, sizeof(c->err_path));
		memcpy(c->err_msg, best_msg, sizeof(c->err_msg));
	}
	return matched;
}

/* Does v match schema? Asked without it being an error either way (not, if). */
static bool
js_matches(struct js_ctx *c, const json_t *doc, const json_t *schema, const json_t *v)
{
	size_t here = c->plen;
	bool ok = js_check(c, doc, schema, v);

	js_pop(c, here);
	c->failed = false;
	return ok;
}

static bool
js_check_object(struct js_ctx *c, const json_t *doc, const json_t *schema, const json_t *v)
{
	const json_t *props = json_object_get(schema, "properties");
	const json_t *addl = json_object_get(schema, "additionalProperties");
	const json_t *req = json_object_get(schema, "required"), *sub, *r;
	const char *key;
	json_t *val;
	size_t i, was;

	json_array_foreach(req, i, r)
		if (json_is_string(r) && json_object_get(v, json_string_value(r)) == NULL) {
			js_fail(c, "'%s' is required here", json_string_value(r));
			return false;
		}
	json_object_foreach((json_t *)v, key, val) {
		sub = props ? json_object_get(props, key) : NULL;
		if (sub == NULL)
			sub = addl;
		if (sub == NULL)
			continue;
		was = js_push_key(c, key);
		if (json_is_false(sub)) {
			js_fail(c, "'%s' is not a property allowed here", key);
			return false;
		}
		if (!js_check(c, doc, sub, val))
			return false;
		js_pop(c, was);
	}
	return true;
}

static bool
js_check_array(struct js_ctx *c, const json_t *doc, const json_t *schema, const json_t *v)
{
	const json_t *items = json_object_get(schema, "items");
	const json_t *addl = json_object_get(schema, "additionalItems");
	const json_t *mn = json_object_get(schema, "minItems");
	const json_t *mx = json_object_get(schema, "maxItems"), *sub, *item;
	size_t i, was, dup = 0, n = json_array_size(v);

	if (mn && (json_int_t)n < json_integer_value(mn)) {
		js_fail(c, "at least %lld items are required here",
		    (long long)json_integer_value(mn));
		return false;
	}
	if (mx && (json_int_t)n > json_integer_value(mx)) {
		js_fail(c, "at most %lld items are allowed here",
		    (long long)json_integer_value(mx));
		return false;
	}
	json_array_foreach(v, i, item) {
		sub = json_is_array(items) ? (i < json_array_size(items) ?
		    json_array_get(items, i) : addl) : items;
		if (sub == NULL)
			continue;
		was = js_push_index(c, i);
		if (json_is_false(sub)) {
			js_fail(c, "no more items are allowed here");
			return false;
		}
		if (!js_check(c, doc, sub, item))
			return false;
		js_pop(c, was);
	}
	if (json_is_true(json_object_get(schema, "uniqueItems")) && !js_unique(v, &dup)) {
		was = js_push_index(c, dup);
		js_fail(c, "this item repeats an earlier one; items must be unique");
		return false;
	}
	return true;
}

static bool
js_check_scalar(struct js_ctx *c, const json_t *schema, const json_t *v)
{
	const json_t *k;
	const char *s;
	double d;

	if (json_is_string(v)) {
		s = json_string_value(v);
		if ((k = json_object_get(schema, "minLength")) &&
		    (json_int_t)js_utf8_len(s) < json_integer_value(k)) {
			js_fail(c, "at least %lld characters are required here",
			    (long long)json_integer_value(k));
			return false;
		}
		if ((k = json_object_get(schema, "maxLength")) &&
		    (json_int_t)js_utf8_len(s) > json_integer_value(k)) {
			js_fail(c, "at most %lld characters are allowed here",
			    (long long)json_integer_value(k));
			return false;
		}
		if ((k = json_object_get(schema, "pattern")) && json_is_string(k) &&
		    !js_pattern_match(c, json_string_value(k), s)) {
			js_fail(c, "'%.60s' does not match the pattern %.80s", s,
			    json_string_value(k));
			return false;
		}
		if ((k = json_object_get(schema, "format")) &&
		    strcmp(json_string_value(k) ? json_string_value(k) : "", "date-time") == 0 &&
		    !js_date_time(s)) {
			js_fail(c, "'%.60s' is not an RFC 3339 date-time", s);
			return false;
		}
	}
	if (json_is_number(v)) {
		d = json_number_value(v);
		if ((k = json_object_get(schema, "minimum")) && d < json_number_value(k)) {
			js_fail(c, "%g is below the minimum %g", d, json_number_value(k));
			return false;
		}
		if ((k = json_object_get(schema, "maximum")) && d > json_number_value(k)) {
			js_fail(c, "%g is above the maximum %g", d, json_number_value(k));
			return false;
		}
	}
	return true;
}

static bool
js_check_enum(struct js_ctx *c, const json_t *schema, const json_t *v)
{
	const json_t *e = json_object_get(schema, "enum"), *k, *x;
	size_t i;

	if ((k = json_object_get(schema, "const")) && !json_equal((json_t *)k, (json_t *)v)) {
		js_fail(c, "this value is not the one allowed here");
		return false;
	}
	if (e == NULL)
		return true;
	json_array_foreach(e, i, x)
		if (json_equal((json_t *)x, (json_t *)v))
			return true;
	if (json_is_string(v))
		js_fail(c, "'%.60s' is not one of the values allowed here", json_string_value(v));
	else
		js_fail(c, "this value is not one of those allowed here");
	return false;
}

static bool
js_check_type(struct js_ctx *c, const json_t *schema, const json_t *v)
{
	const json_t *t = json_object_get(schema, "type"), *x;
	size_t i;

	if (t == NULL)
		return true;
	if (json_is_string(t) && js_type_is(json_string_value(t), v))
		return true;
	json_array_foreach(t, i, x)
		if (json_is_string(x) && js_type_is(json_string_value(x), v))
			return true;
	if (json_is_string(t))
		js_fail(c, "%s must be %s%s here, not %s", "the value",
		    strchr("aeiou", json_string_value(t)[0]) ? "an " : "a ",
		    json_string_value(t), js_type_name(v));
	else
		js_fail(c, "the value has a type not allowed here (%s)", js_type_name(v));
	return false;
}

static bool
js_check(struct js_ctx *c, const json_t *doc, const json_t *schema, const json_t *v)
{
	const json_t *k, *sub;
	size_t i;
	int n;

	if (json_is_true(schema))
		return true;
	if (json_is_false(schema) || !json_is_object(schema)) {
		js_fail(c, "no value is allowed here");
		return false;
	}
	if (++c->depth > JSONSCHEMA_DEPTH_MAX) {
		c->depth--;
		js_fail(c, "the document nests deeper than %d levels", JSONSCHEMA_DEPTH_MAX);
		return false;
	}
	/* Draft-07: beside $ref every other keyword is ignored. */
	if ((k = json_object_get(schema, "$ref")) && json_is_string(k)) {
		bool ok = js_ref(c, doc, json_string_value(k), v);

		c->depth--;
		return ok;
	}
	if (!js_check_type(c, schema, v) || !js_check_enum(c, schema, v) ||
	    !js_check_scalar(c, schema, v) ||
	    (json_is_object(v) && !js_check_object(c, doc, schema, v)) ||
	    (json_is_array(v) && !js_check_array(c, doc, schema, v)))
		goto fail;
	json_array_foreach(json_object_get(schema, "allOf"), i, sub)
		if (!js_check(c, doc, sub, v))
			goto fail;
	if ((k = json_object_get(schema, "anyOf")) && js_branches(c, doc, k, v) == 0) {
		js_fail(c, "the value matches none of the %zu forms allowed here",
		    json_array_size(k));
		goto fail;
	}
	if ((k = json_object_get(schema, "oneOf")) &&
	    (n = js_branches(c, doc, k, v)) != 1) {
		js_fail(c, n == 0 ? "the value matches none of the %zu forms allowed here" :
		    "the value matches more than one of the %zu forms allowed here (exactly one "
		    "must match)", json_array_size(k));
		goto fail;
	}
	if ((k = json_object_get(schema, "not")) && js_matches(c, doc, k, v)) {
		js_fail(c, "the value has a form not allowed here");
		goto fail;
	}
	if ((k = json_object_get(schema, "if")) != NULL) {
		sub = json_object_get(schema, js_matches(c, doc, k, v) ? "then" : "else");
		if (sub && !js_check(c, doc, sub, v))
			goto fail;
	}
	c->depth--;
	return true;
fail:
	c->depth--;
	return false;
}

int
jsonschema_check(const char *name, const json_t *doc)
{
	struct js_ctx *c;
	const json_t *schema;
	size_t i;
	int rc = 0;

	pthread_once(&js_once, js_load);
	if ((schema = json_object_get(js_docs, name)) == NULL)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no schema %s is shipped", name);
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "out of memory");
	c->path[0] = '$';
	c->plen = 1;
	if (!js_check(c, schema, schema, doc))
		rc = aims_error_set(AIMS_EINVALID, c->err_path, "%s: %s (schema %s)", c->err_path,
		    c->err_msg, name);
	for (i = 0; i < c->npats; i++)
		if (c->pats[i].ok)
			regfree(&c->pats[i].re);
	free(c);
	return rc;
}
