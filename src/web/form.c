/*
 * form.c - posted HTML forms: application/x-www-form-urlencoded parsing
 * (bounded) and the conversion of a record form into the JSON object core
 * takes. Only the fields the form declares (WEB_FIELDS_FIELD) are read, so
 * an unticked checkbox means false and an empty list means none, while a
 * field the form did not show is left alone. This converts types only;
 * every rule about the values is core's.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/record.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

#define WEB_OBJECT_ITEMS_MAX	500	/* rows of one object list in a form */

void
web_form_add(struct web_form *f, const char *name, const char *value)
{
	f->names = xrealloc(f->names, (f->n + 1) * sizeof(*f->names));
	f->values = xrealloc(f->values, (f->n + 1) * sizeof(*f->values));
	f->names[f->n] = xstrdup(name);
	f->values[f->n] = xstrdup(value);
	f->n++;
}

void
web_form_free(struct web_form *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->names[i]);
		free(f->values[i]);
	}
	free(f->names);
	free(f->values);
	memset(f, 0, sizeof(*f));
}

const char *
web_form_get(const struct web_form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->names[i], name) == 0)
			return f->values[i];
	return NULL;
}

static int
web_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes s[0..len) ('+' is a space, %XX a byte) into a new string. */
static int
web_form_decode(char **out, const char *s, size_t len)
{
	char *d = xmalloc(len + 1);
	size_t i, n = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '+') {
			d[n++] = ' ';
		} else if (s[i] != '%') {
			d[n++] = s[i];
		} else if (i + 2 < len && (hi = web_hex((unsigned char)s[i + 1])) >= 0 &&
		    (lo = web_hex((unsigned char)s[i + 2])) >= 0) {
			d[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			free(d);
			return aims_error_set(AIMS_EINVALID, NULL, "bad %% escape in form data");
		}
	}
	d[n] = '\0';
	if (memchr(d, '\0', n) != NULL || !str_is_utf8(d, n)) {
		free(d);
		return aims_error_set(AIMS_EINVALID, NULL, "form data is not UTF-8 text");
	}
	*out = d;
	return 0;
}

static int
web_form_pair(struct web_form *f, const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);
	size_t nlen = eq != NULL ? (size_t)(eq - s) : len;
	char *name = NULL, *value = NULL;
	int rc;

	if ((rc = web_form_decode(&name, s, nlen)) != 0)
		goto done;
	if (strlen(name) > WEB_FORM_NAME_MAX) {
		rc = aims_error_set(AIMS_EINVALID, NULL, "form field name too long");
		goto done;
	}
	if ((rc = web_form_decode(&value, eq != NULL ? eq + 1 : s + len,
	    eq != NULL ? len - nlen - 1 : 0)) != 0)
		goto done;
	web_form_add(f, name, value);
done:
	free(name);
	free(value);
	return rc;
}

int
web_form_parse(struct web_form *out, const char *body, size_t len)
{
	const char *p = body, *end = body + len, *amp;
	int rc;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if (amp > p) {
			if (out->n >= WEB_FORM_PAIRS_MAX) {
				rc = aims_error_set(AIMS_ETOOBIG, NULL, "too many form fields");
				goto fail;
			}
			if ((rc = web_form_pair(out, p, (size_t)(amp - p))) != 0)
				goto fail;
		}
		p = amp + 1;
	}
	return 0;
fail:
	web_form_free(out);
	return rc;
}

/* s without leading and trailing white space, in a new string. */
static char *
web_trim(const char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* Multi-line text with CR LF and lone CR turned into LF. */
static json_t *
web_text_value(const char *s)
{
	char *d = xmalloc(strlen(s) + 1);
	size_t n = 0;
	json_t *v;

	for (; *s != '\0'; s++) {
		if (*s == '\r') {
			d[n++] = '\n';
			if (s[1] == '\n')
				s++;
		} else {
			d[n++] = *s;
		}
	}
	d[n] = '\0';
	v = json_string(d);
	free(d);
	return v;
}

static void
web_form_error(json_t *errors, const char *name, const char *msg)
{
	if (json_object_get(errors, name) == NULL)
		json_object_set_new(errors, name, json_string(msg));
}

/* "2026-01-02T03:04" from a datetime-local input -> "2026-01-02T03:04:00Z". */
static json_t *
web_datetime_value(const char *s)
{
	char buf[32];
	size_t n = strlen(s);

	if (n == 16 && s[10] == 'T')
		snprintf(buf, sizeof(buf), "%s:00Z", s);
	else if (n == 19 && s[10] == 'T')
		snprintf(buf, sizeof(buf), "%sZ", s);
	else
		return json_string(s);
	return json_string(buf);
}

/*
 * One scalar value (already trimmed, not empty) as JSON for field f.
 * A value that does not convert is returned as text with an error noted.
 */
static json_t *
web_form_scalar(const struct field *f, const char *s, const char *name, json_t *errors)
{
	int64_t n;

	switch (f->type) {
	case FIELD_TEXT:
		return web_text_value(s);
	case FIELD_INT:
		if (str_to_int64(&n, s, INT64_MIN, INT64_MAX) == 0)
			return json_integer(n);
		web_form_error(errors, name, "Enter a whole number.");
		return json_string(s);
	case FIELD_BOOL:
		return json_boolean(strcmp(s, "true") == 0 || strcmp(s, "on") == 0);
	case FIELD_DATETIME:
		return web_datetime_value(s);
	default:
		return json_string(s);
	}
}

/* Appends the items of s, split at any of seps, trimmed, empties dropped. */
static void
web_split_into(json_t *arr, const char *s, const char *seps)
{
	char *copy = xstrdup(s), *tok, *save = NULL, *t;

	for (tok = strtok_r(copy, seps, &save); tok != NULL; tok = strtok_r(NULL, seps, &save)) {
		t = web_trim(tok);
		if (*t != '\0')
			json_array_append_new(arr, json_string(t));
		free(t);
	}
	free(copy);
}

static json_t *
web_form_list(const struct field *f, const struct web_form *form, const char *name)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < form->n; i++) {
		if (strcmp(form->names[i], name) != 0)
			continue;
		if (f->type == FIELD_STRING_LIST)
			web_split_into(arr, form->values[i], "\r\n");
		else if (f->type == FIELD_ENUM_LIST)
			web_split_into(arr, form->values[i], "");
		else
			web_split_into(arr, form->values[i], ", \t\r\n");
	}
	return arr;
}

static bool
web_is_list(const struct field *f)
{
	return f->type == FIELD_ENUM_LIST || f->type == FIELD_STRING_LIST ||
	    f->type == FIELD_REF_LIST || f->type == FIELD_REQUIREMENT_LIST;
}

/* The value of a scalar field: NULL when empty (absent from the form). */
static json_t *
web_form_one(const struct field *f, const char *raw, const char *name, json_t *errors)
{
	json_t *v;
	char *t;

	/* Unticked checkbox: false. A select left on its empty choice: not set. */
	if (f->type == FIELD_BOOL && raw == NULL)
		return json_false();
	if (raw == NULL)
		return NULL;
	t = f->type == FIELD_TEXT ? xstrdup(raw) : web_trim(raw);
	v = *t != '\0' && (f->type != FIELD_TEXT || t[strspn(t, " \t\r\n")] != '\0') ?
	    web_form_scalar(f, t, name, errors) : NULL;
	free(t);
	return v;
}

/* Parses "NAME.INDEX.SUB" for object list f; index < WEB_OBJECT_ITEMS_MAX. */
static const struct field *
web_object_key(const struct field *f, const char *key, size_t *index)
{
	size_t n = strlen(f->name);
	const struct field *sf;
	const char *p;
	char *end;
	unsigned long i;

	if (strncmp(key, f->name, n) != 0 || key[n] != '.' || !isdigit((unsigned char)key[n + 1]))
		return NULL;
	i = strtoul(key + n + 1, &end, 10);
	if (*end != '.' || i >= WEB_OBJECT_ITEMS_MAX)
		return NULL;
	p = end + 1;
	for (sf = f->subfields; sf != NULL && sf->name != NULL; sf++)
		if (strcmp(sf->name, p) == 0) {
			*index = i;
			return sf;
		}
	return NULL;
}

static bool
web_row_empty(const json_t *row)
{
	const char *key;
	json_t *e;

	json_object_foreach((json_t *)row, key, e)
		if (!web_value_empty(e) && !json_is_false(e))
			return false;
	return true;
}

static json_t *
web_form_objects(const struct field *f, const struct web_form *form, json_t *errors)
{
	json_t *rows = json_object(), *arr = json_array(), *row, *v;
	const struct field *sf;
	char idx[24];
	size_t i, index, last = 0;

	for (i = 0; i < form->n; i++) {
		if ((sf = web_object_key(f, form->names[i], &index)) == NULL)
			continue;
		snprintf(idx, sizeof(idx), "%zu", index);
		if ((row = json_object_get(rows, idx)) == NULL)
			json_object_set_new(rows, idx, row = json_object());
		if (index > last)
			last = index;
		if (web_is_list(sf)) {
			if (json_object_get(row, sf->name) == NULL)
				json_object_set_new(row, sf->name, web_form_list(sf, form,
				    form->names[i]));
		} else if ((v = web_form_one(sf, form->values[i], form->names[i], errors)) != NULL) {
			json_object_set_new(row, sf->name, v);
		}
	}
	for (index = 0; index <= last; index++) {
		snprintf(idx, sizeof(idx), "%zu", index);
		row = json_object_get(rows, idx);
		if (row != NULL && !web_row_empty(row))
			json_array_append(arr, row);
	}
	json_decref(rows);
	return arr;
}

/* An object field from its "NAME.SUB" inputs; NULL when all are empty. */
static json_t *
web_form_object(const struct field *f, const struct web_form *form, json_t *errors)
{
	json_t *obj = json_object(), *v;
	const struct field *sf;
	char name[WEB_FORM_NAME_MAX];

	for (sf = f->subfields; sf != NULL && sf->name != NULL; sf++) {
		if (sf->flags & FIELD_READONLY)
			continue;
		snprintf(name, sizeof(name), "%s.%s", f->name, sf->name);
		if (web_is_list(sf))
			v = web_form_list(sf, form, name);
		else
			v = web_form_one(sf, web_form_get(form, name), name, errors);
		if (v != NULL && json_is_array(v) && json_array_size(v) == 0) {
			json_decref(v);
			v = NULL;
		}
		if (v != NULL)
			json_object_set_new(obj, sf->name, v);
	}
	if (web_row_empty(obj)) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

int
web_form_to_json(json_t **values, json_t **errors, const struct record_kind *k,
    const struct web_form *form, bool create)
{
	json_t *out = json_object(), *errs = json_object(), *names = json_array(), *name, *v;
	const struct field *f;
	size_t i;

	for (i = 0; i < form->n; i++)
		if (strcmp(form->names[i], WEB_FIELDS_FIELD) == 0)
			web_split_into(names, form->values[i], ", ");
	json_array_foreach(names, i, name) {
		if ((f = web__field_find(k, json_string_value(name))) == NULL) {
			web_form_error(errs, "", "The form names a field this record does not have.");
			continue;
		}
		if (f->type == FIELD_OBJECT_LIST)
			v = web_form_objects(f, form, errs);
		else if (f->type == FIELD_OBJECT)
			v = web_form_object(f, form, errs);
		else if (web_is_list(f))
			v = web_form_list(f, form, f->name);
		else
			v = web_form_one(f, web_form_get(form, f->name), f->name, errs);
		if (v != NULL && json_is_array(v) && json_array_size(v) == 0 && create) {
			json_decref(v);
			v = NULL;
		}
		if (v != NULL)
			json_object_set_new(out, f->name, v);
		else if (!create)
			json_object_set_new(out, f->name, json_null());
	}
	json_decref(names);
	*values = out;
	*errors = errs;
	return json_object_size(errs) > 0 ? AIMS_EINVALID : 0;
}
