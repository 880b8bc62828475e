/*
 * record_field.c - the one place where a record's input is checked against
 * its kind's field declarations: unknown and system fields refused, every
 * field type validated with a message naming the field (enumerations list
 * their allowed values), references and catalog ids resolved in the org,
 * values normalised (dates in UTC, member emails as registered).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/catalog.h"
#include "core/record_private.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"

#define RECORD_META_FIELDS_N 7
static const char *const record_meta_fields[RECORD_META_FIELDS_N] = {
	"ref", "version", "created_at", "updated_at", "created_by", "updated_by", "retired",
};

const char *
record__enum_list(char *out, size_t outlen, const char *const *values)
{
	size_t n = 0;
	int w;

	out[0] = '\0';
	for (; values && *values && n < outlen; values++) {
		w = snprintf(out + n, outlen - n, "%s%s", n ? ", " : "", *values);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	return out;
}

bool
record__is_empty(const json_t *v)
{
	const char *s;

	if (v == NULL || json_is_null(v))
		return true;
	if (json_is_string(v)) {
		for (s = json_string_value(v); *s; s++)
			if (!isspace((unsigned char)*s))
				return false;
		return true;
	}
	if (json_is_array(v))
		return json_array_size(v) == 0;
	if (json_is_object(v))
		return json_object_size(v) == 0;
	return false;
}

static int
field_check_string(json_t **norm, const struct field *f, const char *path, const json_t *v,
    bool one_line)
{
	const char *s, *p;
	size_t len, max;

	if (!json_is_string(v))
		return aims_error_set(AIMS_EINVALID, path, "field '%s' must be a string", path);
	s = json_string_value(v);
	len = json_string_length(v);
	max = f->max > 0 ? (size_t)f->max : one_line ? RECORD_STRING_MAX : RECORD_TEXT_MAX;
	if (strlen(s) != len)
		return aims_error_set(AIMS_EINVALID, path, "field '%s' contains a NUL character", path);
	if (len > max)
		return aims_error_set(AIMS_EINVALID, path,
		    "field '%s' is too long (%zu bytes; at most %zu)", path, len, max);
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x20 && c != 0x7f)
			continue;
		if (!one_line && (c == '\n' || c == '\t' || c == '\r'))
			continue;
		return aims_error_set(AIMS_EINVALID, path, one_line ?
		    "field '%s' must be one line without control characters" :
		    "field '%s' contains a control character", path);
	}
	*norm = record__is_empty(v) ? json_null() : json_deep_copy(v);
	return 0;
}

static int
field_check_int(json_t **norm, const struct field *f, const char *path, const json_t *v)
{
	json_int_t n;

	if (!json_is_integer(v))
		return aims_error_set(AIMS_EINVALID, path, "field '%s' must be a whole number", path);
	n = json_integer_value(v);
	if (f->min < f->max && (n < f->min || n > f->max))
		return aims_error_set(AIMS_EINVALID, path,
		    "field '%s' must be between %lld and %lld (got %lld)", path,
		    (long long)f->min, (long long)f->max, (long long)n);
	*norm = json_integer(n);
	return 0;
}

static int
field_check_enum(json_t **norm, const struct field *f, const char *path, const json_t *v)
{
	char allowed[1024];
	const char *const *e;
	const char *s;

	if (!json_is_string(v))
		return aims_error_set(AIMS_EINVALID, path, "field '%s' must be one of: %s", path,
		    record__enum_list(allowed, sizeof(allowed), f->values));
	s = json_string_value(v);
	for (e = f->values; e && *e; e++)
		if (strcmp(*e, s) == 0) {
			*norm = json_string(s);
			return 0;
		}
	return aims_error_set(AIMS_EINVALID, path, "field '%s': '%.100s' is not allowed (allowed: %s)",
	    path, s, record__enum_list(allowed, sizeof(allowed), f->values));
}

static int
field_check_date(json_t **norm, const char *path, const json_t *v, bool with_time)
{
	char out[CLOCK_RFC3339_LEN];
	const char *s;
	time_t t;

	if (!json_is_string(v))
		return aims_error_set(AIMS_EINVALID, path, "field '%s' must be a %s string", path,
		    with_time ? "date-time (YYYY-MM-DDTHH:MM:SSZ)" : "date (YYYY-MM-DD)");
	s = json_string_value(v);
	if (clock_parse(&t, s) != 0 || (!with_time && strlen(s) != 10))
		return aims_error_set(AIMS_EINVALID, path, "field '%s': '%.60s' is not a %s", path, s,
		    with_time ? "date-time (YYYY-MM-DDTHH:MM:SSZ)" : "date (YYYY-MM-DD)");
	if (!with_time) {
		*norm = json_string(s);
		return 0;
	}
	clock_format(out, t);
	*norm = json_string(out);
	return 0;
}

static int
field_check_ref(json_t **norm, struct db *db, int64_t org_id, const struct field *f,
    const char *path, const json_t *v)
{
	const struct record_kind *tk;
	const char *s;
	int rc;

	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > RECORD_REF_MAX)
		return aims_error_set(AIMS_EINVALID, path,
		    "field '%s' must be a reference such as %s-1", path,
		    f->target && record_kind_find(f->target) ?
		    record_kind_find(f->target)->prefix : "AIS");
	s = json_string_value(v);
	tk = f->target ? record_kind_find(f->target) : record_kind_of_ref(s);
	if (tk == NULL)
		return aims_error_set(AIMS_EINVALID, path, "field '%s': %.64s does not exist", path, s);
	rc = record__exists(db, org_id, tk->name, s);
	if (rc == AIMS_ENOTFOUND)
		return aims_error_set(AIMS_EINVALID, path, "field '%s': %s %.64s does not exist", path,
		    tk->singular, s);
	if (rc != 0)
		return rc;
	*norm = json_string(s);
	return 0;
}

static int
field_check_requirement(json_t **norm, struct db *db, const struct field *f, const char *path,
    const json_t *v)
{
	char why[AIMS_ERROR_MSG_MAX];
	const char *s;
	int rc;

	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 100)
		return aims_error_set(AIMS_EINVALID, path,
		    "field '%s' must be a catalog id (%s)", path, f->req_kinds ? f->req_kinds : "any");
	s = json_string_value(v);
	if ((rc = catalog_check(db, CATALOG_ISO42001, s, f->req_kinds)) == AIMS_ENOTFOUND ||
	    rc == AIMS_EINVALID) {
		snprintf(why, sizeof(why), "%s", aims_error_message());
		return aims_error_set(AIMS_EINVALID, path, "field '%s': %s (a catalog %s id)", path,
		    why, f->req_kinds ? f->req_kinds : "requirement");
	}
	if (rc != 0)
		return rc;
	*norm = json_string(s);
	return 0;
}

static int
field_check_user(json_t **norm, struct db *db, int64_t org_id, const char *path, const json_t *v)
{
	struct db_stmt *st = NULL;
	int rc;

	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 254)
		return aims_error_set(AIMS_EINVALID, path,
		    "field '%s' must be the email of a member of the organisation", path);
	if ((rc = db_prepare(&st, db, "SELECT u.email FROM users u JOIN memberships m "
	    "ON m.user_id = u.id WHERE m.org_id = ? AND u.email = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, json_string_value(v));
	rc = db_step(st);
	if (rc == DB_ROW) {
		*norm = json_string(db_column_text(st, 0));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_EINVALID, path,
		    "field '%s': %.254s is not a member of this organisation", path,
		    json_string_value(v));
	db_done(st);
	return rc;
}

static int field_check_object(json_t **norm, struct db *db, int64_t org_id,
    const struct field *f, const char *path, const json_t *v);

/* Arrays: each element checked as the element type; duplicates refused. */
static int
field_check_list(json_t **norm, struct db *db, int64_t org_id, const struct field *f,
    const char *path, const json_t *v)
{
	struct field elem = *f;
	char epath[RECORD_PATH_MAX];
	json_t *out, *item, *n;
	size_t i, j;
	int rc = 0;

	if (!json_is_array(v))
		return aims_error_set(AIMS_EINVALID, path, "field '%s' must be a list", path);
	if (json_array_size(v) > RECORD_ITEMS_MAX)
		return aims_error_set(AIMS_EINVALID, path, "field '%s' has more than %d items",
		    path, RECORD_ITEMS_MAX);
	switch (f->type) {
	case FIELD_ENUM_LIST: elem.type = FIELD_ENUM; break;
	case FIELD_STRING_LIST: elem.type = FIELD_STRING; break;
	case FIELD_REF_LIST: elem.type = FIELD_REF; break;
	case FIELD_REQUIREMENT_LIST: elem.type = FIELD_REQUIREMENT; break;
	default: elem.type = FIELD_OBJECT; break;
	}
	out = json_array();
	json_array_foreach(v, i, item) {
		snprintf(epath, sizeof(epath), "%s[%zu]", path, i);
		n = NULL;
		if (elem.type == FIELD_OBJECT)
			rc = field_check_object(&n, db, org_id, &elem, epath, item);
		else
			rc = record__check_value(&n, db, org_id, &elem, epath, item);
		if (rc != 0)
			goto fail;
		if (json_is_null(n)) {
			rc = aims_error_set(AIMS_EINVALID, epath, "field '%s' is empty", epath);
			json_decref(n);
			goto fail;
		}
		for (j = 0; elem.type != FIELD_OBJECT && j < json_array_size(out); j++)
			if (json_equal(json_array_get(out, j), n)) {
				rc = aims_error_set(AIMS_EINVALID, path,
				    "field '%s' lists '%s' twice", path, json_string_value(n));
				json_decref(n);
				goto fail;
			}
		json_array_append_new(out, n);
	}
	*norm = json_array_size(out) ? out : (json_decref(out), json_null());
	return 0;
fail:
	json_decref(out);
	return rc;
}

static int
field_check_object(json_t **norm, struct db *db, int64_t org_id, const struct field *f,
    const char *path, const json_t *v)
{
	char spath[RECORD_PATH_MAX];
	const struct field *sf;
	const char *key;
	json_t *out, *val, *n;
	int rc = 0;

	if (!json_is_object(v))
		return aims_error_set(AIMS_EINVALID, path, "field '%s' must be an object", path);
	out = json_object();
	json_object_foreach((json_t *)v, key, val) {
		snprintf(spath, sizeof(spath), "%s.%s", path, key);
		for (sf = f->subfields; sf && sf->name; sf++)
			if (strcmp(sf->name, key) == 0)
				break;
		if (sf == NULL || sf->name == NULL) {
			rc = aims_error_set(AIMS_EINVALID, spath, "unknown field '%s'", spath);
			goto fail;
		}
		if (json_is_null(val))
			continue;
		n = NULL;
		if ((rc = record__check_value(&n, db, org_id, sf, spath, val)) != 0)
			goto fail;
		if (json_is_null(n))
			json_decref(n);
		else
			json_object_set_new(out, key, n);
	}
	for (sf = f->subfields; sf && sf->name; sf++) {
		if ((sf->flags & FIELD_REQUIRED) && record__is_empty(json_object_get(out, sf->name))) {
			snprintf(spath, sizeof(spath), "%s.%s", path, sf->name);
			rc = aims_error_set(AIMS_EINVALID, spath, "field '%s' is required", spath);
			goto fail;
		}
	}
	*norm = out;
	return 0;
fail:
	json_decref(out);
	return rc;
}

int
record__check_value(json_t **norm, struct db *db, int64_t org_id, const struct field *f,
    const char *path, const json_t *v)
{
	*norm = NULL;
	if (json_is_null(v)) {
		*norm = json_null();
		return 0;
	}
	switch (f->type) {
	case FIELD_STRING:
		return field_check_string(norm, f, path, v, true);
	case FIELD_TEXT:
		return field_check_string(norm, f, path, v, false);
	case FIELD_BOOL:
		if (!json_is_boolean(v))
			return aims_error_set(AIMS_EINVALID, path,
			    "field '%s' must be true or false", path);
		*norm = json_boolean(json_is_true(v));
		return 0;
	case FIELD_INT:
		return field_check_int(norm, f, path, v);
	case FIELD_ENUM:
		return field_check_enum(norm, f, path, v);
	case FIELD_DATE:
		return field_check_date(norm, path, v, false);
	case FIELD_DATETIME:
		return field_check_date(norm, path, v, true);
	case FIELD_REF:
		return field_check_ref(norm, db, org_id, f, path, v);
	case FIELD_REQUIREMENT:
		return field_check_requirement(norm, db, f, path, v);
	case FIELD_USER:
		return field_check_user(norm, db, org_id, path, v);
	case FIELD_OBJECT:
		return field_check_object(norm, db, org_id, f, path, v);
	case FIELD_ENUM_LIST:
	case FIELD_STRING_LIST:
	case FIELD_REF_LIST:
	case FIELD_REQUIREMENT_LIST:
	case FIELD_OBJECT_LIST:
		return field_check_list(norm, db, org_id, f, path, v);
	}
	return aims_error_set(AIMS_ERROR, path, "field '%s' has an unknown type", path);
}

static int
record_unknown_field(const struct record_kind *k, const char *name)
{
	const struct field *f;
	struct buf b = BUF_INIT;
	int rc;

	for (f = k->fields; f->name; f++)
		if (!(f->flags & FIELD_READONLY))
			buf_printf(&b, "%s%s", b.len ? ", " : "", f->name);
	rc = aims_error_set(AIMS_EINVALID, name, "unknown field '%.64s' for %s (fields: %s)",
	    name, k->name, buf_str(&b));
	buf_free(&b);
	return rc;
}

int
record__check_input(json_t **norm, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const json_t *input)
{
	const struct field *f;
	const char *key;
	json_t *out, *val, *n;
	int rc = 0, i;

	*norm = NULL;
	if (!json_is_object(input))
		return aims_error_set(AIMS_EINVALID, NULL, "the %s must be given as a JSON object",
		    k->singular);
	out = json_object();
	json_object_foreach((json_t *)input, key, val) {
		for (i = 0; i < RECORD_META_FIELDS_N; i++)
			if (strcmp(key, record_meta_fields[i]) == 0)
				break;
		if (i < RECORD_META_FIELDS_N || (k->ref_field && strcmp(key, k->ref_field) == 0)) {
			rc = aims_error_set(AIMS_EINVALID, key,
			    "field '%s' is set by the system and cannot be given", key);
			goto fail;
		}
		if ((f = record_field_find(k, key)) == NULL) {
			rc = record_unknown_field(k, key);
			goto fail;
		}
		if (f->flags & FIELD_READONLY) {
			rc = aims_error_set(AIMS_EINVALID, key,
			    "field '%s' is set by the system and cannot be given", key);
			goto fail;
		}
		if ((f->flags & FIELD_MANAGER) && actor->role < ROLE_MANAGER) {
			rc = aims_error_set(AIMS_EFORBIDDEN, key,
			    "field '%s' may only be set by a manager or an admin", key);
			goto fail;
		}
		if ((rc = record__check_value(&n, db, org_id, f, key, val)) != 0)
			goto fail;
		json_object_set_new(out, key, n);
	}
	*norm = out;
	return 0;
fail:
	json_decref(out);
	return rc;
}

int
record__check_required(const struct record_kind *k, const json_t *data)
{
	const struct field *f;

	for (f = k->fields; f->name; f++)
		if ((f->flags & FIELD_REQUIRED) && record__is_empty(json_object_get(data, f->name)))
			return aims_error_set(AIMS_EINVALID, f->name, "field '%s' is required",
			    f->name);
	return 0;
}

const char *
record__str(const json_t *data, const char *name)
{
	return json_string_value(json_object_get(data, name));
}

int64_t
record__int(const json_t *data, const char *name, int64_t dflt)
{
	json_t *v = json_object_get(data, name);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}
