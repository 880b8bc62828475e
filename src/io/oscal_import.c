/*
 * oscal_import.c - reading OSCAL 1.2 JSON documents into an organisation
 * (see oscal.h): a catalog, or assessment results from another tool.
 *
 * The parser checks what the import relies on (required fields, types,
 * UUIDs, ids, date-times, limits) and names the JSON path of the first
 * problem; keys it does not use are left alone, so a document with
 * extensions still loads. Nothing is written until the whole document has
 * been read, and then in one transaction.
 */
#include <ctype.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/org_catalog.h"
#include "core/record.h"
#include "io/oscal.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

#define OI_TITLE_MAX		200	/* bytes of an evidence title we make */
#define OI_DESCRIPTION_MAX	20000	/* bytes of an evidence description we make */

/* Where the parser is: the JSON path and how much has been read. */
struct oi {
	json_t	*ids;		/* catalog id -> path of its first use */
	json_t	*items;		/* catalog items, in document order */
	size_t	 groups_unnamed;
};

/* ---- paths and errors ---- */

static int
oi_fail(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
oi_fail(const char *path, const char *fmt, ...)
{
	char msg[AIMS_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return aims_error_set(AIMS_EINVALID, path, "%s: %s", path, msg);
}

/*
 * base + ".key" (or base + "[i]" when key is NULL), cut at OSCAL_PATH_MAX;
 * out may be base.
 */
static void
oi_path(char out[OSCAL_PATH_MAX], const char *base, const char *key, size_t i)
{
	char tail[OSCAL_PATH_MAX];
	size_t n = strnlen(base, OSCAL_PATH_MAX - 1), t;

	if (key) {
		tail[0] = '.';
		t = strnlen(key, sizeof(tail) - 2);
		memcpy(tail + 1, key, t);
		t++;
	} else {
		char idx[24];

		t = (size_t)snprintf(idx, sizeof(idx), "[%zu]", i);
		memcpy(tail, idx, t);
	}
	if (out != base)
		memmove(out, base, n);
	if (n + t > OSCAL_PATH_MAX - 1)
		t = OSCAL_PATH_MAX - 1 - n;
	memcpy(out + n, tail, t);
	out[n + t] = '\0';
}

/* ---- typed reads ---- */

/* A required (or, with optional, possibly absent) object member. */
static int
oi_object(const json_t **out, const json_t *o, const char *base, const char *key, bool optional)
{
	char p[OSCAL_PATH_MAX];
	const json_t *v = json_object_get(o, key);

	oi_path(p, base, key, 0);
	*out = v;
	if (v == NULL)
		return optional ? 0 : oi_fail(p, "required");
	if (!json_is_object(v))
		return oi_fail(p, "must be an object");
	return 0;
}

static int
oi_array(const json_t **out, const json_t *o, const char *base, const char *key, bool optional)
{
	char p[OSCAL_PATH_MAX];
	const json_t *v = json_object_get(o, key);

	oi_path(p, base, key, 0);
	*out = v;
	if (v == NULL)
		return optional ? 0 : oi_fail(p, "required");
	if (!json_is_array(v))
		return oi_fail(p, "must be an array");
	if (json_array_size(v) == 0)
		return oi_fail(p, "must not be empty");
	return 0;
}

static int
oi_string(const char **out, const json_t *o, const char *base, const char *key, bool optional)
{
	char p[OSCAL_PATH_MAX];
	const json_t *v = json_object_get(o, key);

	oi_path(p, base, key, 0);
	*out = NULL;
	if (v == NULL)
		return optional ? 0 : oi_fail(p, "required");
	if (!json_is_string(v))
		return oi_fail(p, "must be a string");
	if (json_string_length(v) == 0)
		return oi_fail(p, "must not be empty");
	*out = json_string_value(v);
	return 0;
}

/* An OSCAL UUID: RFC 4122, version 4 or 5, as the schemas say. */
static bool
oi_is_uuid(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return (s[14] == '4' || s[14] == '5') && strchr("89abAB", s[19]) != NULL;
}

static int
oi_uuid(const char **out, const json_t *o, const char *base, const char *key)
{
	char p[OSCAL_PATH_MAX];
	int rc;

	if ((rc = oi_string(out, o, base, key, false)) != 0)
		return rc;
	oi_path(p, base, key, 0);
	if (!oi_is_uuid(*out))
		return oi_fail(p, "'%.40s' is not a version 4 or 5 UUID", *out);
	return 0;
}

/*
 * An OSCAL token: a letter or '_', then letters, digits, '.', '-', '_'.
 * Bytes of multi-byte UTF-8 characters count as letters (jansson has
 * checked the encoding).
 */
static bool
oi_is_token(const char *s)
{
	size_t i;

	if (!(isalpha((unsigned char)s[0]) || s[0] == '_' || (unsigned char)s[0] >= 0x80))
		return false;
	for (i = 1; s[i] != '\0'; i++)
		if (!(isalnum((unsigned char)s[i]) || strchr(".-_", s[i]) ||
		    (unsigned char)s[i] >= 0x80))
			return false;
	return true;
}

/* A date-time with a time zone, as OSCAL requires; *out: the same instant in UTC. */
static int
oi_date_time(char out[CLOCK_RFC3339_LEN], const json_t *o, const char *base, const char *key,
    bool optional)
{
	char p[OSCAL_PATH_MAX];
	const char *s;
	size_t n;
	time_t t;
	int rc;

	out[0] = '\0';
	if ((rc = oi_string(&s, o, base, key, optional)) != 0 || s == NULL)
		return rc;
	oi_path(p, base, key, 0);
	n = strlen(s);
	if (n <= 10 || clock_parse(&t, s) != 0 ||
	    !(s[n - 1] == 'Z' || s[n - 1] == 'z' || (n > 6 && (s[n - 6] == '+' ||
	    s[n - 6] == '-'))))
		return oi_fail(p, "'%.40s' is not a date-time with a time zone "
		    "(2026-05-01T10:00:00Z)", s);
	clock_format(out, t);
	return 0;
}

static int
oi_metadata(const json_t **meta, const json_t *root, const char *base)
{
	char p[OSCAL_PATH_MAX], when[CLOCK_RFC3339_LEN];
	const char *s;
	int rc;

	oi_path(p, base, "metadata", 0);
	if ((rc = oi_object(meta, root, base, "metadata", false)) != 0 ||
	    (rc = oi_string(&s, *meta, p, "title", false)) != 0 ||
	    (rc = oi_date_time(when, *meta, p, "last-modified", false)) != 0 ||
	    (rc = oi_string(&s, *meta, p, "version", false)) != 0 ||
	    (rc = oi_string(&s, *meta, p, "oscal-version", false)) != 0)
		return rc;
	if (!str_has_prefix(s, "1."))
		return oi_fail(p, "oscal-version '%.20s' is not OSCAL 1.x", s);
	return 0;
}

/* Copies at most max bytes of s into b, not cutting a UTF-8 character. */
static void
oi_put_cut(struct buf *b, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	buf_append(b, s, n);
}

/* ---- catalog ---- */

/* The prose of a part and of the parts inside it, in order. */
static void
oi_prose(struct buf *b, const json_t *parts, int depth)
{
	const json_t *part, *prose;
	size_t i;

	if (depth > OSCAL_DEPTH_MAX)
		return;
	json_array_foreach(parts, i, part) {
		if ((prose = json_object_get(part, "prose")) != NULL && json_is_string(prose)) {
			if (b->len)
				buf_putc(b, ' ');
			buf_puts(b, json_string_value(prose));
		}
		oi_prose(b, json_object_get(part, "parts"), depth + 1);
	}
}

/* The summary kept for an item: the prose of its statement (or overview) part. */
static json_t *
oi_summary(const json_t *node)
{
	const json_t *parts = json_object_get(node, "parts"), *part;
	struct buf b = BUF_INIT, cut = BUF_INIT;
	const char *name;
	json_t *s;
	size_t i;

	json_array_foreach(parts, i, part) {
		name = json_string_value(json_object_get(part, "name"));
		if (name && (strcmp(name, "statement") == 0 || strcmp(name, "overview") == 0)) {
			json_t *one = json_pack("[O]", part);

			oi_prose(&b, one, 0);
			json_decref(one);
			break;
		}
	}
	oi_put_cut(&cut, buf_str(&b), ORG_CATALOG_SUMMARY_MAX);
	s = json_string(buf_str(&cut));
	buf_free(&b);
	buf_free(&cut);
	return s;
}

static int oi_catalog_node(struct oi *st, const json_t *node, const char *path, bool group,
    const char *parent, int depth);

/* The groups[] and controls[] of node (either may be absent). */
static int
oi_catalog_children(struct oi *st, const json_t *node, const char *path, const char *parent,
    int depth, bool may_group)
{
	static const char *const keys[] = { "groups", "controls" };
	char kp[OSCAL_PATH_MAX], ip[OSCAL_PATH_MAX];
	const json_t *list, *child;
	size_t k, i;
	int rc;

	for (k = 0; k < 2; k++) {
		if (!may_group && k == 0)
			continue;
		if ((rc = oi_array(&list, node, path, keys[k], true)) != 0)
			return rc;
		oi_path(kp, path, keys[k], 0);
		json_array_foreach(list, i, child) {
			oi_path(ip, kp, NULL, i);
			if ((rc = oi_catalog_node(st, child, ip, k == 0, parent, depth + 1)) != 0)
				return rc;
		}
	}
	return 0;
}

static int
oi_catalog_node(struct oi *st, const json_t *node, const char *path, bool group,
    const char *parent, int depth)
{
	char p[OSCAL_PATH_MAX], made[32];
	const char *id, *title;
	json_t *seen, *item, *summary;
	int rc;

	if (!json_is_object(node))
		return oi_fail(path, "must be an object");
	if (depth > OSCAL_DEPTH_MAX)
		return oi_fail(path, "nested deeper than %d levels", OSCAL_DEPTH_MAX);
	if (json_array_size(st->items) >= OSCAL_ITEMS_MAX)
		return oi_fail(path, "more than %d groups and controls", OSCAL_ITEMS_MAX);
	if ((rc = oi_string(&id, node, path, "id", group)) != 0 ||
	    (rc = oi_string(&title, node, path, "title", false)) != 0)
		return rc;
	oi_path(p, path, "id", 0);
	if (id == NULL) {
		/* A group may go without an id; ours cannot clash with a token id. */
		snprintf(made, sizeof(made), "_group-%zu", ++st->groups_unnamed);
		id = made;
	} else if (!oi_is_token(id)) {
		return oi_fail(p, "'%.60s' is not an OSCAL token (a letter or '_', then "
		    "letters, digits, '.', '-', '_')", id);
	}
	if (strlen(id) > ORG_CATALOG_ITEM_ID_MAX)
		return oi_fail(p, "longer than %d bytes", ORG_CATALOG_ITEM_ID_MAX);
	if (strlen(title) > ORG_CATALOG_TITLE_MAX) {
		oi_path(p, path, "title", 0);
		return oi_fail(p, "longer than %d bytes", ORG_CATALOG_TITLE_MAX);
	}
	if ((seen = json_object_get(st->ids, id)) != NULL)
		return oi_fail(p, "'%.60s' is used already, at %s", id, json_string_value(seen));
	json_object_set_new(st->ids, id, json_string(path));
	summary = oi_summary(node);
	item = json_pack("{s:s, s:s, s:s, s:o, s:s?}", "id", id, "kind",
	    group ? "group" : "control", "title", title, "summary", summary, "parent", parent);
	json_array_append_new(st->items, item);
	/* The id lives on in items[]: children name it from there. */
	return oi_catalog_children(st, node, path, json_string_value(json_object_get(item, "id")),
	    depth, group);
}

/* "Sample Security Catalog" -> "sample-security-catalog". */
static void
oi_slug(char *out, size_t len, const char *title)
{
	size_t o = 0;
	bool dash = false;

	for (; *title != '\0' && o + 1 < len; title++) {
		if (isalnum((unsigned char)*title) && (unsigned char)*title < 0x80) {
			if (dash && o > 0 && o + 2 < len)
				out[o++] = '-';
			out[o++] = (char)tolower((unsigned char)*title);
			dash = false;
		} else {
			dash = true;
		}
	}
	out[o] = '\0';
	if (o < 2)
		snprintf(out, len, "catalog");
}

static int
oi_catalog(json_t **out, const json_t *cat)
{
	const char *base = "$.catalog", *uuid, *title, *version, *oscal_version;
	const json_t *meta;
	char id[ORG_CATALOG_ID_MAX + 1];
	struct oi st = { 0 };
	int rc;

	if (!json_is_object(cat))
		return oi_fail(base, "must be an object");
	if ((rc = oi_uuid(&uuid, cat, base, "uuid")) != 0 ||
	    (rc = oi_metadata(&meta, cat, base)) != 0)
		return rc;
	title = json_string_value(json_object_get(meta, "title"));
	version = json_string_value(json_object_get(meta, "version"));
	oscal_version = json_string_value(json_object_get(meta, "oscal-version"));
	if (strlen(title) > ORG_CATALOG_TITLE_MAX)
		return oi_fail("$.catalog.metadata.title", "longer than %d bytes",
		    ORG_CATALOG_TITLE_MAX);
	st.ids = json_object();
	st.items = json_array();
	if ((rc = oi_catalog_children(&st, cat, base, NULL, 0, true)) == 0 &&
	    json_array_size(st.items) == 0)
		rc = oi_fail(base, "holds no group and no control");
	if (rc == 0) {
		size_t i, controls = 0;
		const json_t *it;

		json_array_foreach(st.items, i, it)
			controls += strcmp(json_string_value(json_object_get(it, "kind")),
			    "control") == 0;
		if (controls == 0)
			rc = oi_fail(base, "holds no control");
	}
	if (rc == 0) {
		oi_slug(id, sizeof(id), title);
		*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O}", "model", "catalog",
		    "id", id, "uuid", uuid, "title", title, "version", version,
		    "oscal_version", oscal_version, "items", st.items);
	}
	json_decref(st.ids);
	json_decref(st.items);
	return rc;
}

/* ---- assessment results ---- */

/* The controls a finding names: its target, as a control id. */
static int
oi_finding(json_t *controls_of, const json_t *f, const char *path)
{
	char p[OSCAL_PATH_MAX], tp[OSCAL_PATH_MAX], rp[OSCAL_PATH_MAX], ip[OSCAL_PATH_MAX];
	const char *s, *target_id, *obs;
	const json_t *target, *status, *rel, *r;
	json_t *entry;
	size_t i;
	int rc;

	if (!json_is_object(f))
		return oi_fail(path, "must be an object");
	oi_path(tp, path, "target", 0);
	if ((rc = oi_uuid(&s, f, path, "uuid")) != 0 ||
	    (rc = oi_string(&s, f, path, "title", false)) != 0 ||
	    (rc = oi_string(&s, f, path, "description", false)) != 0 ||
	    (rc = oi_object(&target, f, path, "target", false)) != 0 ||
	    (rc = oi_string(&s, target, tp, "type", false)) != 0 ||
	    (rc = oi_string(&target_id, target, tp, "target-id", false)) != 0)
		return rc;
	oi_path(p, tp, "status", 0);
	if ((rc = oi_object(&status, target, tp, "status", false)) != 0 ||
	    (rc = oi_string(&s, status, p, "state", false)) != 0)
		return rc;
	oi_path(p, tp, "target-id", 0);
	entry = json_pack("{s:s, s:s}", "id", target_id, "path", p);
	if ((rc = oi_array(&rel, f, path, "related-observations", true)) != 0) {
		json_decref(entry);
		return rc;
	}
	oi_path(rp, path, "related-observations", 0);
	json_array_foreach(rel, i, r) {
		oi_path(ip, rp, NULL, i);
		if (!json_is_object(r)) {
			json_decref(entry);
			return oi_fail(ip, "must be an object");
		}
		if ((rc = oi_uuid(&obs, r, ip, "observation-uuid")) != 0) {
			json_decref(entry);
			return rc;
		}
		if (json_object_get(controls_of, obs) == NULL)
			json_object_set_new(controls_of, obs, json_array());
		json_array_append(json_object_get(controls_of, obs), entry);
	}
	json_decref(entry);
	return 0;
}

/* The control ids a result's reviewed-controls select by id. */
static int
oi_reviewed(json_t *controls, const json_t *result, const char *path)
{
	char rp[OSCAL_PATH_MAX], sp[OSCAL_PATH_MAX], ip[OSCAL_PATH_MAX], cp[OSCAL_PATH_MAX];
	const json_t *rev, *sels, *sel, *incs, *inc;
	const char *id;
	size_t i, j;
	int rc;

	oi_path(rp, path, "reviewed-controls", 0);
	if ((rc = oi_object(&rev, result, path, "reviewed-controls", false)) != 0 ||
	    (rc = oi_array(&sels, rev, rp, "control-selections", false)) != 0)
		return rc;
	oi_path(rp, rp, "control-selections", 0);
	json_array_foreach(sels, i, sel) {
		oi_path(sp, rp, NULL, i);
		if (!json_is_object(sel))
			return oi_fail(sp, "must be an object");
		if ((rc = oi_array(&incs, sel, sp, "include-controls", true)) != 0)
			return rc;
		oi_path(sp, sp, "include-controls", 0);
		json_array_foreach(incs, j, inc) {
			oi_path(ip, sp, NULL, j);
			if (!json_is_object(inc))
				return oi_fail(ip, "must be an object");
			if ((rc = oi_string(&id, inc, ip, "control-id", false)) != 0)
				return rc;
			oi_path(cp, ip, "control-id", 0);
			json_array_append_new(controls, json_pack("{s:s, s:s}", "id", id, "path", cp));
		}
	}
	return 0;
}

/* Who made an observation: a tool or platform is "ci", a party "person". */
static const char *
oi_source(const json_t *obs)
{
	const json_t *origin, *actor;
	const char *type;
	size_t i, j;

	json_array_foreach(json_object_get(obs, "origins"), i, origin)
		json_array_foreach(json_object_get(origin, "actors"), j, actor) {
			type = json_string_value(json_object_get(actor, "type"));
			if (type && strcmp(type, "party") == 0)
				return "person";
		}
	return "ci";
}

static int
oi_observation(json_t **out, const json_t *obs, const char *path, const char *result_title)
{
	char p[OSCAL_PATH_MAX], ip[OSCAL_PATH_MAX], collected[CLOCK_RFC3339_LEN];
	char expires[CLOCK_RFC3339_LEN];
	const char *uuid, *desc, *title, *s, *url = NULL;
	const json_t *methods, *evs, *ev, *m;
	size_t i;
	int rc;

	*out = NULL;
	if (!json_is_object(obs))
		return oi_fail(path, "must be an object");
	if ((rc = oi_uuid(&uuid, obs, path, "uuid")) != 0 ||
	    (rc = oi_string(&desc, obs, path, "description", false)) != 0 ||
	    (rc = oi_string(&title, obs, path, "title", true)) != 0 ||
	    (rc = oi_array(&methods, obs, path, "methods", false)) != 0 ||
	    (rc = oi_date_time(collected, obs, path, "collected", false)) != 0 ||
	    (rc = oi_date_time(expires, obs, path, "expires", true)) != 0 ||
	    (rc = oi_array(&evs, obs, path, "relevant-evidence", true)) != 0)
		return rc;
	oi_path(p, path, "methods", 0);
	json_array_foreach(methods, i, m)
		if (!json_is_string(m)) {
			oi_path(ip, p, NULL, i);
			return oi_fail(ip, "must be a string");
		}
	oi_path(p, path, "relevant-evidence", 0);
	json_array_foreach(evs, i, ev) {
		oi_path(ip, p, NULL, i);
		if (!json_is_object(ev))
			return oi_fail(ip, "must be an object");
		if ((rc = oi_string(&s, ev, ip, "description", false)) != 0 ||
		    (rc = oi_string(&s, ev, ip, "href", true)) != 0)
			return rc;
		if (url == NULL && s && (str_has_prefix(s, "https://") ||
		    str_has_prefix(s, "http://")))
			url = s;
	}
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s, s:O, s:[]}", "path", path,
	    "uuid", uuid, "title", title ? title : result_title, "description", desc,
	    "collected", collected, "expires", expires[0] ? expires : NULL, "url", url,
	    "source", oi_source(obs), "methods", methods, "controls");
	return 0;
}

static int
oi_result(json_t *observations, const json_t *result, const char *path)
{
	char p[OSCAL_PATH_MAX], ip[OSCAL_PATH_MAX], start[CLOCK_RFC3339_LEN];
	const char *uuid, *title, *desc, *id;
	const json_t *obs_list, *find_list, *o, *c;
	json_t *controls_of = json_object(), *reviewed = json_array(), *ob, *list;
	size_t i, j;
	int rc;

	if (!json_is_object(result)) {
		rc = oi_fail(path, "must be an object");
		goto done;
	}
	if ((rc = oi_uuid(&uuid, result, path, "uuid")) != 0 ||
	    (rc = oi_string(&title, result, path, "title", false)) != 0 ||
	    (rc = oi_string(&desc, result, path, "description", false)) != 0 ||
	    (rc = oi_date_time(start, result, path, "start", false)) != 0 ||
	    (rc = oi_reviewed(reviewed, result, path)) != 0 ||
	    (rc = oi_array(&find_list, result, path, "findings", true)) != 0 ||
	    (rc = oi_array(&obs_list, result, path, "observations", true)) != 0)
		goto done;
	oi_path(p, path, "findings", 0);
	json_array_foreach(find_list, i, o) {
		oi_path(ip, p, NULL, i);
		if ((rc = oi_finding(controls_of, o, ip)) != 0)
			goto done;
	}
	oi_path(p, path, "observations", 0);
	json_array_foreach(obs_list, i, o) {
		oi_path(ip, p, NULL, i);
		if (json_array_size(observations) >= OSCAL_OBSERVATIONS_MAX) {
			rc = oi_fail(ip, "more than %d observations", OSCAL_OBSERVATIONS_MAX);
			goto done;
		}
		if ((rc = oi_observation(&ob, o, ip, title)) != 0)
			goto done;
		/* The controls its findings name; else those the result reviewed. */
		id = json_string_value(json_object_get(ob, "uuid"));
		list = json_object_get(controls_of, id);
		json_array_foreach(list ? list : reviewed, j, c)
			json_array_append(json_object_get(ob, "controls"), (json_t *)c);
		json_object_set_new(ob, "result", json_string(title));
		json_array_append_new(observations, ob);
	}
done:
	json_decref(controls_of);
	json_decref(reviewed);
	return rc;
}

static int
oi_assessment_results(json_t **out, const json_t *ar)
{
	const char *base = "$.assessment-results", *uuid, *s;
	char rp[OSCAL_PATH_MAX], ip[OSCAL_PATH_MAX];
	const json_t *meta, *ap, *results, *r;
	json_t *observations;
	size_t i;
	int rc;

	if (!json_is_object(ar))
		return oi_fail(base, "must be an object");
	if ((rc = oi_uuid(&uuid, ar, base, "uuid")) != 0 ||
	    (rc = oi_metadata(&meta, ar, base)) != 0 ||
	    (rc = oi_object(&ap, ar, base, "import-ap", false)) != 0 ||
	    (rc = oi_string(&s, ap, "$.assessment-results.import-ap", "href", false)) != 0 ||
	    (rc = oi_array(&results, ar, base, "results", false)) != 0)
		return rc;
	oi_path(rp, base, "results", 0);
	observations = json_array();
	json_array_foreach(results, i, r) {
		oi_path(ip, rp, NULL, i);
		if ((rc = oi_result(observations, r, ip)) != 0) {
			json_decref(observations);
			return rc;
		}
	}
	if (json_array_size(observations) == 0) {
		json_decref(observations);
		return oi_fail(rp, "hold no observation: there is no evidence to import");
	}
	*out = json_pack("{s:s, s:s, s:s, s:o}", "model", "assessment-results", "uuid", uuid,
	    "title", json_string_value(json_object_get(meta, "title")), "observations",
	    observations);
	return 0;
}

/* ---- the document ---- */

static const char *const oi_models[] = {
	"catalog", "profile", "component-definition", "system-security-plan",
	"assessment-plan", "assessment-results", "plan-of-action-and-milestones",
	"mapping-collection",
};

int
oscal_parse(json_t **out, const char *data, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	const char *key, *root_key = NULL;
	json_error_t jerr;
	json_t *doc, *v;
	size_t i;
	int rc;

	*out = NULL;
	if (len > OSCAL_FILE_MAX)
		return aims_error_set(AIMS_ETOOBIG, "$", "$: the document is over %d bytes",
		    OSCAL_FILE_MAX);
	if ((doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		return aims_error_set(AIMS_EINVALID, "$", "$: not JSON: %s (line %d, column %d)",
		    jerr.text, jerr.line, jerr.column);
	if (!json_is_object(doc)) {
		rc = oi_fail("$", "an OSCAL document is a JSON object");
		goto done;
	}
	json_object_foreach(doc, key, v) {
		char p[OSCAL_PATH_MAX];

		if (strcmp(key, "$schema") == 0)
			continue;
		oi_path(p, "$", key, 0);
		for (i = 0; i < sizeof(oi_models) / sizeof(oi_models[0]); i++)
			if (strcmp(key, oi_models[i]) == 0)
				break;
		if (i == sizeof(oi_models) / sizeof(oi_models[0])) {
			rc = oi_fail(p, "not an OSCAL model");
			goto done;
		}
		if (root_key != NULL) {
			rc = oi_fail(p, "a document holds one model, and this one has %s already",
			    root_key);
			goto done;
		}
		root_key = key;
	}
	if (root_key == NULL) {
		rc = oi_fail("$", "required: one model (catalog, assessment-results, ...)");
		goto done;
	}
	if (strcmp(root_key, "catalog") == 0)
		rc = oi_catalog(out, json_object_get(doc, root_key));
	else if (strcmp(root_key, "assessment-results") == 0)
		rc = oi_assessment_results(out, json_object_get(doc, root_key));
	else {
		char p[OSCAL_PATH_MAX];

		oi_path(p, "$", root_key, 0);
		rc = aims_error_set(AIMS_EUNSUPPORTED, p, "%s: OpenAIMS imports catalogs and "
		    "assessment results; this document is a %s", p, root_key);
	}
	if (rc == 0) {
		crypto_hash_sha256(h, (const unsigned char *)data, len);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		json_object_set_new(*out, "sha256", json_string(hex));
	}
done:
	json_decref(doc);
	return rc;
}

/* ---- keeping it ---- */

static int
oi_keep_catalog(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    json_t *cat, const char *catalog_id, int flags)
{
	json_t *saved = NULL;
	int rc;

	if (catalog_id != NULL) {
		if (!str_is_slug(catalog_id) || strlen(catalog_id) > ORG_CATALOG_ID_MAX)
			return aims_error_set(AIMS_EINVALID, "catalog-id", "the catalog id is a slug "
			    "of at most %d characters (a-z, 0-9, '-')", ORG_CATALOG_ID_MAX);
		json_object_set_new(cat, "id", json_string(catalog_id));
	}
	if (flags & OSCAL_IMPORT_CHECK) {
		*summary = json_pack("{s:s, s:O, s:O, s:I}", "model", "catalog", "id",
		    json_object_get(cat, "id"), "title", json_object_get(cat, "title"),
		    "item_count", (json_int_t)json_array_size(json_object_get(cat, "items")));
		return 0;
	}
	if ((rc = org_catalog_save(&saved, db, org_id, actor, cat)) != 0)
		return rc;
	*summary = json_pack("{s:s, s:O, s:O, s:O, s:O, s:O}", "model", "catalog",
	    "id", json_object_get(saved, "id"), "title", json_object_get(saved, "title"),
	    "item_count", json_object_get(saved, "item_count"),
	    "revision", json_object_get(saved, "revision"),
	    "sha256", json_object_get(saved, "sha256"));
	json_decref(saved);
	return 0;
}

/* The ISO/IEC 42001 requirements an observation names, each checked. */
static int
oi_requirements(json_t **out, struct db *db, int64_t org_id, const json_t *controls)
{
	char cat[ORG_CATALOG_ID_MAX + 1];
	char id[CATALOG_TITLE_MAX];
	const json_t *c;
	const char *raw;
	json_t *reqs = json_array();
	size_t i;

	json_array_foreach(controls, i, c) {
		raw = json_string_value(json_object_get(c, "id"));
		if (oscal_requirement_id(id, sizeof(id), raw) != 0 ||
		    catalog_check(db, CATALOG_ISO42001, id, NULL) != 0) {
			json_decref(reqs);
			if (org_catalog_find_item(cat, db, org_id, raw) == 0)
				return oi_fail(json_string_value(json_object_get(c, "path")),
				    "'%.60s' is a control of the imported catalog '%s': evidence "
				    "links to ISO/IEC 42001 requirements only", raw, cat);
			return oi_fail(json_string_value(json_object_get(c, "path")),
			    "'%.60s' names no ISO/IEC 42001 requirement (such as "
			    "iso42001-a.6.2.8 or A.6.2.8)", raw);
		}
		{
			const json_t *have;
			size_t j;
			bool dup = false;

			json_array_foreach(reqs, j, have)
				dup = dup || strcmp(json_string_value(have), id) == 0;
			if (!dup)
				json_array_append_new(reqs, json_string(id));
		}
	}
	*out = reqs;
	return 0;
}

/* An observation as the fields of an evidence record. */
static int
oi_evidence_row(json_t **out, struct db *db, int64_t org_id, const json_t *ar,
    const json_t *o)
{
	struct buf title = BUF_INIT, desc = BUF_INIT, body = BUF_INIT;
	const char *url = json_string_value(json_object_get(o, "url"));
	const char *expires = json_string_value(json_object_get(o, "expires"));
	const json_t *m;
	json_t *reqs = NULL, *row;
	size_t i;
	int rc;

	if ((rc = oi_requirements(&reqs, db, org_id, json_object_get(o, "controls"))) != 0)
		return rc;
	oi_put_cut(&title, json_string_value(json_object_get(o, "title")), OI_TITLE_MAX);
	buf_puts(&body, json_string_value(json_object_get(o, "description")));
	buf_printf(&body, "\n\nImported from the OSCAL assessment results \"%s\" (%s), result "
	    "\"%s\", observation %s. Methods:", json_string_value(json_object_get(ar, "title")),
	    json_string_value(json_object_get(ar, "uuid")),
	    json_string_value(json_object_get(o, "result")),
	    json_string_value(json_object_get(o, "uuid")));
	json_array_foreach(json_object_get(o, "methods"), i, m)
		buf_printf(&body, "%s %s", i ? "," : "", json_string_value(m));
	buf_putc(&body, '.');
	if (!url)
		buf_puts(&body, " No web address of the evidence was given: attach the file.");
	oi_put_cut(&desc, buf_str(&body), OI_DESCRIPTION_MAX);
	row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "title", buf_str(&title),
	    "kind", url ? "link" : "file", "description", buf_str(&desc),
	    "collected_at", json_string_value(json_object_get(o, "collected")),
	    "source", json_string_value(json_object_get(o, "source")), "requirements", reqs);
	if (url)
		json_object_set_new(row, "url", json_string(url));
	if (expires)
		json_object_set_new(row, "valid_until", json_stringn(expires, 10));
	buf_free(&title);
	buf_free(&desc);
	buf_free(&body);
	*out = row;
	return 0;
}

static int
oi_keep_results(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *ar, int flags)
{
	const struct record_kind *k = record_kind_find("evidence");
	const json_t *o, *e;
	json_t *rows = json_array(), *row, *errors = NULL, *refs = NULL;
	size_t i;
	int rc;

	json_array_foreach(json_object_get(ar, "observations"), i, o) {
		if ((rc = oi_evidence_row(&row, db, org_id, ar, o)) != 0)
			goto done;
		json_array_append_new(rows, row);
	}
	rc = record_import(&errors, &refs, db, org_id, actor, k, rows, 0,
	    flags & OSCAL_IMPORT_CHECK ? RECORD_IMPORT_CHECK : 0, NULL, NULL);
	if (rc != 0 && (e = json_array_get(errors, 0)) != NULL) {
		/* Name the observation the bad row came from. */
		o = json_array_get(json_object_get(ar, "observations"),
		    (size_t)json_integer_value(json_object_get(e, "row")));
		rc = aims_error_set(rc, json_string_value(json_object_get(o, "path")), "%s: %s",
		    json_string_value(json_object_get(o, "path")),
		    json_string_value(json_object_get(e, "message")));
		goto done;
	}
	if (rc != 0)
		goto done;
	*summary = json_pack("{s:s, s:O, s:I, s:o}", "model", "assessment-results",
	    "title", json_object_get(ar, "title"),
	    "evidence_count", (json_int_t)json_array_size(rows),
	    "refs", refs ? refs : json_array());
	refs = NULL;
done:
	json_decref(rows);
	json_decref(errors);
	json_decref(refs);
	return rc;
}

int
oscal_store(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    json_t *doc, const char *catalog_id, int flags)
{
	const char *model = json_string_value(json_object_get(doc, "model"));

	*summary = NULL;
	if (model != NULL && strcmp(model, "catalog") == 0)
		return oi_keep_catalog(summary, db, org_id, actor, doc, catalog_id, flags);
	if (catalog_id != NULL)
		return aims_error_set(AIMS_EINVALID, "catalog-id",
		    "a catalog id goes with a catalog, not with %s", model ? model : "this document");
	return oi_keep_results(summary, db, org_id, actor, doc, flags);
}

int
oscal_import(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    const char *data, size_t len, const char *catalog_id, int flags)
{
	json_t *doc = NULL;
	int rc;

	*summary = NULL;
	if ((rc = oscal_parse(&doc, data, len)) != 0)
		return rc;
	rc = oscal_store(summary, db, org_id, actor, doc, catalog_id, flags);
	json_decref(doc);
	return rc;
}
