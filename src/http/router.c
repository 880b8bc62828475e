/*
 * router.c - matching requests to the declared routes, validating every
 * path parameter, query parameter and JSON field against its declaration,
 * and running the handler behind authentication, the permission check and
 * idempotency (see router.h).
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idem.h"
#include "http/auth.h"
#include "core/record.h"
#include "http/budget.h"
#include "http/router.h"
#include "http/server.h"
#include "http/webui.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

#define ROUTER_ID_MAX		64
#define IDEM_KEY_MAX		255
#define ROUTER_FIELD_PATH_MAX	128	/* "readiness.evidence_max_age_days" */

const struct val_spec router_list_params[] = {
	{ "limit", VAL_INT, 0, 1, HTTP_LIST_LIMIT_MAX, NULL,
	    "items per page (1-500, default 50)" },
	{ "cursor", VAL_STRING, 0, 1, 512, NULL, "opaque position from next_cursor" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

const struct val_spec *
router_spec_find(const struct val_spec *specs, const char *name)
{
	for (; specs != NULL && specs->name != NULL; specs++)
		if (strcmp(specs->name, name) == 0)
			return specs;
	return NULL;
}

/* Compares one pattern segment [p, pe) with one path segment [s, se). */
static bool
router_segment_match(const char *p, size_t plen, const char *s, size_t slen, bool *is_param)
{
	*is_param = plen >= 2 && p[0] == '{' && p[plen - 1] == '}';
	if (*is_param)
		return slen > 0;
	return plen == slen && memcmp(p, s, plen) == 0;
}

/* Does path fit pattern? Records the param segments as offsets into path. */
static bool
router_pattern_match(const char *pattern, const char *path, size_t off[HTTP_PARAMS_MAX],
    size_t len[HTTP_PARAMS_MAX], int *nparams)
{
	const char *p = pattern, *s = path;
	bool is_param;

	*nparams = 0;
	/*
	 * Most routes part from the path before their first parameter: that
	 * literal prefix is compared first, byte by byte, so that walking the
	 * route table to a record route (the last ones) costs a few bytes per
	 * route rather than a segment split of each.
	 */
	for (; *p != '\0' && *p != '{'; p++, s++)
		if (*p != *s)
			return false;
	p = pattern;
	s = path;
	while (*p == '/' && *s == '/') {
		const char *pe = strchr(p + 1, '/'), *se = strchr(s + 1, '/');
		size_t plen, slen;

		plen = pe ? (size_t)(pe - p - 1) : strlen(p + 1);
		slen = se ? (size_t)(se - s - 1) : strlen(s + 1);
		if (!router_segment_match(p + 1, plen, s + 1, slen, &is_param))
			return false;
		if (is_param) {
			if (*nparams == HTTP_PARAMS_MAX)
				return false;
			off[*nparams] = (size_t)(s + 1 - path);
			len[*nparams] = slen;
			(*nparams)++;
		}
		p += plen + 1;
		s += slen + 1;
	}
	return *p == '\0' && *s == '\0';
}

static bool
router_method_is(const char *want, const char *method)
{
	if (strcmp(want, method) == 0)
		return true;
	return strcmp(method, "HEAD") == 0 && strcmp(want, "GET") == 0;
}

static void
router_allow_add(char *allow, size_t allowlen, const char *method)
{
	size_t n = strlen(allow);

	if (strstr(allow, method) != NULL)
		return;
	snprintf(allow + n, allowlen - n, "%s%s", n ? ", " : "", method);
}

static bool
router_is_record_kind(const char *s, size_t n)
{
	char name[64];

	if (n == 0 || n >= sizeof(name))
		return false;
	memcpy(name, s, n);
	name[n] = '\0';
	return record_kind_find(name) != NULL;
}

/*
 * The index of a route table: a trie of the patterns' segments, a literal
 * segment an edge of its own, every {param} one edge that takes any
 * non-empty segment. A path walks it segment by segment, down the literal
 * edge that equals its segment and the parameter edge both, so the routes
 * whose patterns fit it are found in time that follows the path's segments
 * rather than the table's length. Which of them answers is still decided
 * in table order, as by a walk of the whole table (router_match_scan).
 *
 * Built once, on first use, in static storage: nothing to free, and no
 * allocation of its own in the heap the requests' answers grow in.
 */
struct router_node {
	const char	*seg;		/* the literal edge into this node */
	size_t		 seglen;
	int		 param;		/* the {param} child, or 0 */
	int		 lit, nlit;	/* literal children: router_lits[lit..], by seglen, bytes */
	int		 end, nend;	/* routes ending here: router_ends[end..], table order */
	int		 first, next;	/* while building: first literal child, next sibling */
};

struct router_index {
	const struct route	*table;
	int			 size;		/* routes in table */
	int			 root;		/* 0: no index, walk the table */
};

/* Room for both tables' segments and routes, with plenty to spare. */
#define ROUTER_NODES_MAX	2048
#define ROUTER_ROUTES_MAX	1024
/* Routes one path may fit at most before the index gives way to a walk of the table. */
#define ROUTER_HITS_MAX		32

static struct router_node router_nodes[ROUTER_NODES_MAX];	/* [0]: none */
static int router_nnodes = 1;
static int router_lits[ROUTER_NODES_MAX], router_nlits;
static int router_ends[ROUTER_ROUTES_MAX], router_nends;

static struct router_index router_api_index, router_web_index;
static pthread_once_t router_index_once = PTHREAD_ONCE_INIT;

static int
router_table_size(const struct route *table)
{
	int n = 0;

	while (table[n].method != NULL)
		n++;
	return n;
}

static int
router_seg_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return memcmp(a, b, alen);
}

/* A new node, or 0 when the room is spent. */
static int
router_node_new(const char *seg, size_t len)
{
	if (router_nnodes == ROUTER_NODES_MAX)
		return 0;
	router_nodes[router_nnodes].seg = seg;
	router_nodes[router_nnodes].seglen = len;
	return router_nnodes++;
}

/* The literal child of n for seg, added in sibling order if new; 0 when out of room. */
static int
router_node_literal(int n, const char *seg, size_t len)
{
	int *link = &router_nodes[n].first, cmp, child;

	for (; *link != 0; link = &router_nodes[*link].next) {
		cmp = router_seg_cmp(router_nodes[*link].seg, router_nodes[*link].seglen, seg, len);
		if (cmp == 0)
			return *link;
		if (cmp > 0)
			break;
	}
	if ((child = router_node_new(seg, len)) == 0)
		return 0;
	router_nodes[child].next = *link;
	*link = child;
	return child;
}

/*
 * The node where route i of the table ends, its pattern split into
 * segments as router_pattern_match splits it; -1 for a pattern no path can
 * fit (not starting with '/', or with more {params} than a request keeps),
 * which the walk of the table never matches either; 0 when out of room.
 */
static int
router_index_add(const struct router_index *ix, int i)
{
	const char *p = ix->table[i].pattern, *pe;
	int n = ix->root, nparams = 0;
	size_t len;

	if (*p != '\0' && *p != '/')
		return -1;
	while (*p == '/') {
		pe = strchr(p + 1, '/');
		len = pe ? (size_t)(pe - p - 1) : strlen(p + 1);
		if (len >= 2 && p[1] == '{' && p[len] == '}') {
			if (++nparams > HTTP_PARAMS_MAX)
				return -1;
			if (router_nodes[n].param == 0 &&
			    (router_nodes[n].param = router_node_new(NULL, 0)) == 0)
				return 0;
			n = router_nodes[n].param;
		} else if ((n = router_node_literal(n, p + 1, len)) == 0)
			return 0;
		p += len + 1;
	}
	return n;
}

/* Indexes table, or leaves ix->root 0 (a walk of the table) when it does not fit. */
static void
router_index_build(struct router_index *ix, const struct route *table)
{
	static int at[ROUTER_ROUTES_MAX];	/* each route's end node */
	int i, n, first, c;

	ix->table = table;
	ix->size = router_table_size(table);
	if (ix->size > ROUTER_ROUTES_MAX - router_nends ||
	    (first = ix->root = router_node_new(NULL, 0)) == 0)
		goto none;
	for (i = 0; i < ix->size; i++)
		if ((at[i] = router_index_add(ix, i)) == 0)
			goto none;
	/* Each node's children and routes laid out side by side, for the walk. */
	for (n = first; n < router_nnodes; n++) {
		router_nodes[n].lit = router_nlits;
		for (c = router_nodes[n].first; c != 0; c = router_nodes[c].next)
			router_lits[router_nlits++] = c;
		router_nodes[n].nlit = router_nlits - router_nodes[n].lit;
		router_nodes[n].end = router_nends;
		for (i = 0; i < ix->size; i++)
			if (at[i] == n)
				router_ends[router_nends++] = i;
		router_nodes[n].nend = router_nends - router_nodes[n].end;
	}
	return;
none:
	ix->root = 0;
}

static void
router_index_init(void)
{
	router_index_build(&router_api_index, http_routes);
	router_index_build(&router_web_index, webui_routes);
}

static const struct router_index *
router_index_of(const struct route *table)
{
	pthread_once(&router_index_once, router_index_init);
	if (table == http_routes)
		return &router_api_index;
	if (table == webui_routes)
		return &router_web_index;
	return NULL;
}

/* The literal child of n whose edge is seg, or 0. */
static int
router_node_find(const struct router_node *n, const char *seg, size_t len)
{
	const int *lits = router_lits + n->lit;
	size_t lo = 0, hi = (size_t)n->nlit, mid;
	int cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = router_seg_cmp(router_nodes[lits[mid]].seg, router_nodes[lits[mid]].seglen,
		    seg, len);
		if (cmp == 0)
			return lits[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * Collects into hits the routes under n whose pattern fits the rest of the
 * path s (at a '/' or its end). Returns false when more than
 * ROUTER_HITS_MAX fit, and the caller walks the table instead.
 */
static bool
router_node_walk(const struct router_node *n, const char *s, int *hits, size_t *nhits)
{
	const char *se;
	size_t len;
	int i, child;

	if (*s == '\0') {
		if (*nhits + (size_t)n->nend > ROUTER_HITS_MAX)
			return false;
		for (i = 0; i < n->nend; i++)
			hits[(*nhits)++] = router_ends[n->end + i];
		return true;
	}
	if (*s != '/')
		return true;
	se = strchr(s + 1, '/');
	len = se ? (size_t)(se - s - 1) : strlen(s + 1);
	if ((child = router_node_find(n, s + 1, len)) != 0 &&
	    !router_node_walk(&router_nodes[child], s + 1 + len, hits, nhits))
		return false;
	if (n->param != 0 && len > 0 &&
	    !router_node_walk(&router_nodes[n->param], s + 1 + len, hits, nhits))
		return false;
	return true;
}

/*
 * The routes of ix whose pattern fits path, in table order: their number,
 * or -1 when there are too many to hold.
 */
static int
router_index_find(const struct router_index *ix, const char *path, int hits[ROUTER_HITS_MAX])
{
	size_t n = 0, i, j;
	int h;

	if (ix->root == 0 || !router_node_walk(&router_nodes[ix->root], path, hits, &n))
		return -1;
	for (i = 1; i < n; i++) {
		h = hits[i];
		for (j = i; j > 0 && hits[j - 1] > h; j--)
			hits[j] = hits[j - 1];
		hits[j] = h;
	}
	return (int)n;
}

const struct route *
router_match(const char *method, const char *path, const char *params[HTTP_PARAMS_MAX],
    char **param_buf, int *code, char *allow, size_t allowlen)
{
	return router_match_in(http_routes, method, path, params, param_buf, code, allow,
	    allowlen);
}

bool
router_path_known(const struct route *table, const char *path)
{
	size_t off[HTTP_PARAMS_MAX], len[HTTP_PARAMS_MAX];
	const struct router_index *ix = router_index_of(table);
	const struct route *r;
	int hits[ROUTER_HITS_MAX], n;

	if (ix != NULL && (n = router_index_find(ix, path, hits)) >= 0)
		return n > 0;
	for (r = table; r->method != NULL; r++)
		if (router_pattern_match(r->pattern, path, off, len, &n))
			return true;
	return false;
}

int
router_route_index(const struct route *r)
{
	const struct router_index *api = router_index_of(http_routes);
	const struct router_index *web = router_index_of(webui_routes);

	if (r == NULL)
		return -1;
	if (r >= http_routes && r < http_routes + api->size)
		return (int)(r - http_routes);
	if (r >= webui_routes && r < webui_routes + web->size)
		return api->size + (int)(r - webui_routes);
	return -1;
}

const struct route *
router_route_at(int i)
{
	int napi = router_index_of(http_routes)->size, nweb = router_index_of(webui_routes)->size;

	if (i >= 0 && i < napi)
		return &http_routes[i];
	if (i >= napi && i < napi + nweb)
		return &webui_routes[i - napi];
	return NULL;
}

/*
 * Decides among the candidates (routes whose pattern fits path, in table
 * order; with ncand -1, every route of the table) as router_match_in says.
 */
static const struct route *
router_match_among(const struct route *table, const int *cand, int ncand, const char *method,
    const char *path, const char *params[HTTP_PARAMS_MAX], char **param_buf, int *code,
    char *allow, size_t allowlen)
{
	const struct route *r;
	size_t off[HTTP_PARAMS_MAX], len[HTTP_PARAMS_MAX], total = 0;
	bool fixed = false;
	int n, i, k;
	char *p;

	*param_buf = NULL;
	*code = AIMS_ENOTFOUND;
	if (allowlen > 0)
		allow[0] = '\0';
	for (k = 0; ncand < 0 ? table[k].method != NULL : k < ncand; k++) {
		r = ncand < 0 ? &table[k] : &table[cand[k]];
		if (!router_pattern_match(r->pattern, path, off, len, &n))
			continue;
		/*
		 * Record routes come last and only stand for record kinds: a path a
		 * fixed route already claims (with any method) is not a record path.
		 */
		if (r->flags & ROUTE_RECORD) {
			if (fixed || n < 2 || !router_is_record_kind(path + off[1], len[1]))
				continue;
		} else
			fixed = true;
		if (!router_method_is(r->method, method)) {
			*code = HTTP_EMETHOD;
			router_allow_add(allow, allowlen, r->method);
			continue;
		}
		for (i = 0; i < n; i++)
			total += len[i] + 1;
		p = *param_buf = xmalloc(total + 1);
		for (i = 0; i < n; i++) {
			memcpy(p, path + off[i], len[i]);
			p[len[i]] = '\0';
			params[i] = p;
			p += len[i] + 1;
		}
		for (; i < HTTP_PARAMS_MAX; i++)
			params[i] = NULL;
		*code = 0;
		return r;
	}
	if (*code == HTTP_EMETHOD && strcmp(method, "OPTIONS") != 0 &&
	    strstr(allow, "GET") != NULL)
		router_allow_add(allow, allowlen, "HEAD");
	return NULL;
}

const struct route *
router_match_scan(const struct route *table, const char *method, const char *path,
    const char *params[HTTP_PARAMS_MAX], char **param_buf, int *code, char *allow,
    size_t allowlen)
{
	return router_match_among(table, NULL, -1, method, path, params, param_buf, code, allow,
	    allowlen);
}

const struct route *
router_match_in(const struct route *table, const char *method, const char *path,
    const char *params[HTTP_PARAMS_MAX], char **param_buf, int *code, char *allow,
    size_t allowlen)
{
	const struct router_index *ix = router_index_of(table);
	int hits[ROUTER_HITS_MAX], n = -1;

	if (ix != NULL)
		n = router_index_find(ix, path, hits);
	return router_match_among(table, hits, n, method, path, params, param_buf, code, allow,
	    allowlen);
}

int
router_param_index(const struct route *r, const char *name)
{
	const char *p = r->pattern;
	size_t n = strlen(name);
	int i = 0;

	while ((p = strchr(p, '{')) != NULL) {
		if (strncmp(p + 1, name, n) == 0 && p[n + 1] == '}')
			return i;
		i++;
		p++;
	}
	return -1;
}

static bool
router_is_id(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > ROUTER_ID_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

static int
router_check_enum(const struct val_spec *spec, const char *value)
{
	const char *const *v;
	struct buf allowed = BUF_INIT;
	int rc;

	for (v = spec->values; v != NULL && *v != NULL; v++)
		if (strcmp(*v, value) == 0)
			return 0;
	for (v = spec->values; v != NULL && *v != NULL; v++)
		buf_printf(&allowed, "%s%s", v == spec->values ? "" : ", ", *v);
	rc = aims_error_set(AIMS_EINVALID, spec->name, "%s must be one of: %s", spec->name,
	    buf_str(&allowed));
	buf_free(&allowed);
	return rc;
}

int
router_check_string(const struct val_spec *spec, const char *value)
{
	size_t n = strlen(value);
	int64_t iv;
	time_t t;
	enum role role;
	char *end;

	if (!str_is_utf8(value, n))
		return aims_error_set(AIMS_EINVALID, spec->name, "%s is not valid UTF-8",
		    spec->name);
	switch (spec->type) {
	case VAL_STRING:
		if ((int64_t)n < spec->min || (spec->max > 0 && (int64_t)n > spec->max))
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s must be %lld to %lld characters long", spec->name,
			    (long long)spec->min, (long long)spec->max);
		if (strpbrk(value, "\r\n") != NULL || (n > 0 && memchr(value, '\0', n) != NULL))
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s must be a single line", spec->name);
		return 0;
	case VAL_NUMBER:
		if (*value == '\0' || !isfinite(strtod(value, &end)) || *end != '\0')
			return aims_error_set(AIMS_EINVALID, spec->name, "%s must be a number",
			    spec->name);
		return 0;
	case VAL_TEXT:
		if ((int64_t)n < spec->min || (spec->max > 0 && (int64_t)n > spec->max))
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s must be %lld to %lld characters long", spec->name,
			    (long long)spec->min, (long long)spec->max);
		return 0;
	case VAL_INT:
		if (str_to_int64(&iv, value, spec->min, spec->max) != 0)
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s must be a whole number from %lld to %lld", spec->name,
			    (long long)spec->min, (long long)spec->max);
		return 0;
	case VAL_BOOL:
		if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s must be true or false", spec->name);
		return 0;
	case VAL_ENUM:
		return router_check_enum(spec, value);
	case VAL_SLUG:
		if (!str_is_slug(value))
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s must be 2 to %d lowercase letters, digits or '-'", spec->name,
			    SLUG_MAX);
		return 0;
	case VAL_EMAIL:
		if (!str_is_email(value))
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s is not an email address", spec->name);
		return 0;
	case VAL_RFC3339:
		if (n < 20 || clock_parse(&t, value) != 0)
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s must be an RFC 3339 time such as 2026-01-31T12:00:00Z", spec->name);
		return 0;
	case VAL_ROLE:
		if (role_parse(&role, value) != 0)
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s must be one of: admin, manager, contributor, auditor, viewer",
			    spec->name);
		return 0;
	case VAL_ID:
		if (!router_is_id(value))
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s must be 1 to %d letters, digits, '.', '-' or '_'", spec->name,
			    ROUTER_ID_MAX);
		return 0;
	case VAL_STRING_LIST:
		/* Only a JSON body holds a list: a query or path value is never one. */
		return aims_error_set(AIMS_EINVALID, spec->name, "%s must be a list of strings",
		    spec->name);
	case VAL_OBJECT:
		return aims_error_set(AIMS_EINVALID, spec->name, "%s must be an object",
		    spec->name);
	}
	return aims_error_set(AIMS_ERROR, spec->name, "no validator for %s", spec->name);
}

/* Each element as a VAL_STRING of the same spec. */
static int
router_check_list(const struct val_spec *spec, const json_t *v)
{
	struct val_spec elem = *spec;
	size_t i;
	json_t *e;
	int rc;

	if (!json_is_array(v))
		return aims_error_set(AIMS_EINVALID, spec->name, "%s must be a list of strings",
		    spec->name);
	if (json_array_size(v) > VAL_LIST_MAX)
		return aims_error_set(AIMS_EINVALID, spec->name, "%s holds more than %d elements",
		    spec->name, VAL_LIST_MAX);
	elem.type = VAL_STRING;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return aims_error_set(AIMS_EINVALID, spec->name, "%s must be a list of "
			    "strings", spec->name);
		if (strlen(json_string_value(e)) != json_string_length(e))
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s may not contain NUL characters", spec->name);
		if ((rc = router_check_string(&elem, json_string_value(e))) != 0)
			return rc;
	}
	return 0;
}

/* Each member by its own spec, named "NAME.FIELD"; members props[] does not declare are refused. */
static int
router_check_object(const struct val_spec *spec, const json_t *v)
{
	char name[ROUTER_FIELD_PATH_MAX];
	const struct val_spec *p;
	struct val_spec sub;
	const char *key;
	json_t *e;
	int rc;

	if (!json_is_object(v))
		return aims_error_set(AIMS_EINVALID, spec->name, "%s must be an object",
		    spec->name);
	json_object_foreach((json_t *)v, key, e) {
		if ((p = router_spec_find(spec->props, key)) == NULL)
			return aims_error_set(AIMS_EINVALID, spec->name, "%s has no field '%.40s'",
			    spec->name, key);
		snprintf(name, sizeof(name), "%s.%s", spec->name, p->name);
		sub = *p;
		sub.name = name;
		if ((rc = router_check_json(&sub, e)) != 0)
			return rc;
	}
	return 0;
}

int
router_check_json(const struct val_spec *spec, const json_t *v)
{
	json_int_t iv;

	if (json_is_null(v)) {
		if (spec->flags & VAL_NULLABLE)
			return 0;
		return aims_error_set(AIMS_EINVALID, spec->name, "%s may not be null", spec->name);
	}
	switch (spec->type) {
	case VAL_NUMBER:
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return aims_error_set(AIMS_EINVALID, spec->name, "%s must be a number",
			    spec->name);
		return 0;
	case VAL_INT:
		if (!json_is_integer(v))
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s must be a whole number", spec->name);
		iv = json_integer_value(v);
		if (iv < spec->min || iv > spec->max)
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s must be from %lld to %lld", spec->name, (long long)spec->min,
			    (long long)spec->max);
		return 0;
	case VAL_BOOL:
		if (!json_is_boolean(v))
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s must be true or false", spec->name);
		return 0;
	case VAL_STRING_LIST:
		return router_check_list(spec, v);
	case VAL_OBJECT:
		return router_check_object(spec, v);
	default:
		if (!json_is_string(v))
			return aims_error_set(AIMS_EINVALID, spec->name, "%s must be a string",
			    spec->name);
		if (strlen(json_string_value(v)) != json_string_length(v))
			return aims_error_set(AIMS_EINVALID, spec->name,
			    "%s may not contain NUL characters", spec->name);
		return router_check_string(spec, json_string_value(v));
	}
}

static const struct val_spec *
router_query_spec(const struct route *r, const char *name)
{
	const struct val_spec *s = router_spec_find(r->query, name);

	if (s == NULL && (r->flags & ROUTE_LIST))
		s = router_spec_find(router_list_params, name);
	return s;
}

/* A record list's field filter: a field its kind declares filterable. */
static bool
router_record_filter(struct http_ctx *c, const char *name)
{
	const struct record_kind *k;
	const struct field *f;

	if (!(c->route->flags & ROUTE_RECORD) || (c->route->flags & ROUTE_LIST) == 0)
		return false;
	if ((k = record_kind_find(http_param(c, "kind"))) == NULL)
		return false;
	f = record_field_find(k, name);
	return f != NULL && (f->flags & FIELD_FILTER);
}

int
router_check_query(struct http_ctx *c)
{
	const struct http_req *req = c->req;
	const struct val_spec *s;
	size_t i, j;
	int rc;

	if (req->nquery > HTTP_QUERY_MAX)
		return aims_error_set(AIMS_EINVALID, NULL, "too many query parameters (at most %d)",
		    HTTP_QUERY_MAX);
	for (i = 0; i < req->nquery; i++) {
		const char *name = req->query[i].name, *value = req->query[i].value;

		if ((s = router_query_spec(c->route, name)) == NULL &&
		    !router_record_filter(c, name))
			return aims_error_set(AIMS_EINVALID, name, "unknown query parameter '%.64s'",
			    name);
		for (j = 0; j < i; j++)
			if (strcmp(req->query[j].name, name) == 0)
				return aims_error_set(AIMS_EINVALID, name,
				    "query parameter '%s' is given more than once", name);
		if (value == NULL)
			value = "";
		if (s != NULL && (rc = router_check_string(s, value)) != 0)
			return rc;
	}
	for (s = c->route->query; s != NULL && s->name != NULL; s++)
		if ((s->flags & VAL_REQUIRED) && http_query(c, s->name) == NULL)
			return aims_error_set(AIMS_EINVALID, s->name,
			    "query parameter '%s' is required", s->name);
	return 0;
}

static int
router_check_path(struct http_ctx *c)
{
	const struct val_spec *s;
	const char *p = c->route->pattern;
	char name[64];
	int i = 0;
	size_t n;

	while ((p = strchr(p, '{')) != NULL) {
		n = strcspn(p + 1, "}");
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		s = router_spec_find(http_path_params, name);
		if (s == NULL || router_check_string(s, c->params[i]) != 0)
			return aims_error_set(AIMS_ENOTFOUND, NULL, "no such %s: %.80s", name,
			    c->params[i]);
		p += n + 1;
		i++;
	}
	return 0;
}

/* "application/json" with optional parameters (charset=utf-8 only). */
static bool
router_is_json_type(const char *ct)
{
	size_t n = strlen(HTTP_JSON);
	const char *p;

	if (ct == NULL || strncasecmp(ct, HTTP_JSON, n) != 0)
		return false;
	p = ct + n;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return true;
	if (*p != ';')
		return false;
	p++;
	while (*p == ' ')
		p++;
	return strncasecmp(p, "charset=utf-8", 13) == 0 && p[13] == '\0';
}

/* "multipart/form-data", with its parameters. */
static bool
router_is_multipart_type(const char *ct)
{
	return ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0 &&
	    (ct[19] == '\0' || ct[19] == ';' || ct[19] == ' ');
}

/* Does route r take a file, for the record kind named kind (ROUTE_RECORD)? */
static bool
router_takes_upload(const struct route *r, const char *kind)
{
	const struct record_kind *k;

	if (r == NULL || !(r->flags & ROUTE_UPLOAD))
		return false;
	if (!(r->flags & ROUTE_RECORD))
		return true;
	return kind != NULL && (k = record_kind_find(kind)) != NULL && k->files;
}

/*
 * A multipart body, already received (server.c): the file in the part
 * ROUTER_UPLOAD_FILE, nothing else but an optional JSON object of fields in
 * ROUTER_UPLOAD_RECORD, which becomes c->body (a record route without it:
 * an empty object, for the record engine to name what is missing).
 */
static int
router_check_upload(struct http_ctx *c)
{
	const struct http_upload *u = c->req->upload;
	const char *record = NULL, *kind = http_param(c, "kind");
	json_error_t jerr;
	size_t i;

	if (!router_takes_upload(c->route, kind))
		return kind != NULL ? aims_error_set(AIMS_EUNSUPPORTED, "Content-Type",
		    "%.64s keep no files: send this record as Content-Type: application/json",
		    kind) : aims_error_set(AIMS_EUNSUPPORTED, "Content-Type",
		    "this takes no file: send Content-Type: application/json");
	if (u == NULL)
		return aims_error_set(AIMS_EINVALID, ROUTER_UPLOAD_FILE,
		    "the upload was not received whole: send it again");
	if (u->file_path == NULL)
		return aims_error_set(AIMS_EINVALID, ROUTER_UPLOAD_FILE,
		    "a file is required, in the form part named '" ROUTER_UPLOAD_FILE "'");
	if (strcmp(u->file_field, ROUTER_UPLOAD_FILE) != 0)
		return aims_error_set(AIMS_EINVALID, u->file_field,
		    "unknown part '%.64s': the file goes in the part named '" ROUTER_UPLOAD_FILE "'",
		    u->file_field);
	if (c->route->flags & ROUTE_UPLOAD_FORMAT) {
		/* The handler reads the format part; nothing else may come with the file. */
		for (i = 0; i < u->fields.n; i++)
			if (strcmp(u->fields.names[i], ROUTER_UPLOAD_FORMAT) != 0)
				return aims_error_set(AIMS_EINVALID, u->fields.names[i],
				    "unknown part '%.64s' (the parts are '" ROUTER_UPLOAD_FILE "' and '"
				    ROUTER_UPLOAD_FORMAT "')", u->fields.names[i]);
		return 0;
	}
	for (i = 0; i < u->fields.n; i++) {
		if (strcmp(u->fields.names[i], ROUTER_UPLOAD_RECORD) != 0)
			return aims_error_set(AIMS_EINVALID, u->fields.names[i],
			    "unknown part '%.64s' (the parts are '" ROUTER_UPLOAD_FILE "' and '"
			    ROUTER_UPLOAD_RECORD "')", u->fields.names[i]);
		if (record != NULL)
			return aims_error_set(AIMS_EINVALID, ROUTER_UPLOAD_RECORD,
			    "the part '" ROUTER_UPLOAD_RECORD "' is given twice");
		record = u->fields.values[i];
	}
	if (record == NULL) {
		/* A new record gets an empty object, a new file revision nothing. */
		c->body = (c->route->flags & ROUTE_RECORD) && http_param(c, "ref") == NULL ?
		    json_object() : NULL;
		return 0;
	}
	c->body = json_loads(record, JSON_REJECT_DUPLICATES, &jerr);
	if (c->body == NULL)
		return aims_error_set(AIMS_EINVALID, ROUTER_UPLOAD_RECORD,
		    "part '" ROUTER_UPLOAD_RECORD "': malformed JSON at line %d, column %d: %s",
		    jerr.line, jerr.column, jerr.text);
	if (!json_is_object(c->body))
		return aims_error_set(AIMS_EINVALID, ROUTER_UPLOAD_RECORD,
		    "part '" ROUTER_UPLOAD_RECORD "' must be a JSON object of the record's fields");
	return 0;	/* the record engine checks the fields */
}

int
router_check_body(struct http_ctx *c)
{
	const char *ct = http_header(c->req, "Content-Type");
	const struct val_spec *s;
	json_error_t jerr;
	const char *key;
	json_t *v;
	int rc;

	if ((c->route->flags & ROUTE_UPLOAD) &&
	    (c->req->upload != NULL || router_is_multipart_type(ct)))
		return router_check_upload(c);
	if ((c->route->flags & ROUTE_UPLOAD) && c->route->body == NULL)
		return aims_error_set(AIMS_EUNSUPPORTED, "Content-Type",
		    "send the file as Content-Type: multipart/form-data, in a part named '"
		    ROUTER_UPLOAD_FILE "'");
	if (c->route->body == NULL) {
		if (c->req->body_len > 0)
			return aims_error_set(AIMS_EINVALID, NULL, "this request takes no body");
		return 0;
	}
	if ((c->route->flags & ROUTE_BODY_ARRAY) && ct != NULL &&
	    strncasecmp(ct, ROUTER_CSV, strlen(ROUTER_CSV)) == 0)
		return 0;
	if (!router_is_json_type(ct))
		return aims_error_set(AIMS_EUNSUPPORTED, "Content-Type",
		    "the body must be JSON: send Content-Type: application/json");
	if (c->req->body_len == 0)
		return aims_error_set(AIMS_EINVALID, NULL, "a JSON object is required as the body");
	c->body = json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (c->body == NULL)
		return aims_error_set(AIMS_EINVALID, NULL, "malformed JSON at line %d, column %d: %s",
		    jerr.line, jerr.column, jerr.text);
	if (c->route->flags & ROUTE_BODY_ARRAY)
		return json_is_array(c->body) ? 0 : aims_error_set(AIMS_EINVALID, NULL,
		    "the body must be a JSON array");
	if (!json_is_object(c->body))
		return aims_error_set(AIMS_EINVALID, NULL, "the body must be a JSON object");
	/*
	 * A record route with an empty spec takes the kind's fields, which the
	 * record engine checks; one with its own (comments) is checked here.
	 */
	if ((c->route->flags & ROUTE_RECORD) && c->route->body->name == NULL)
		return 0;
	json_object_foreach(c->body, key, v) {
		if ((s = router_spec_find(c->route->body, key)) == NULL)
			return aims_error_set(AIMS_EINVALID, key, "unknown field '%.64s'", key);
		if ((rc = router_check_json(s, v)) != 0)
			return rc;
	}
	for (s = c->route->body; s->name != NULL; s++)
		if ((s->flags & VAL_REQUIRED) && json_object_get(c->body, s->name) == NULL)
			return aims_error_set(AIMS_EINVALID, s->name, "%s is required", s->name);
	return 0;
}

/* Checks who may call the route; ROUTE_ORG also resolves {org} and the role. */
static int
router_authorise(struct http_ctx *c)
{
	const struct route *r = c->route;
	const struct record_kind *k;
	enum perm_kind pk;
	int rc, i;

	if (r->auth == ROUTE_PUBLIC)
		return 0;
	if (c->who.kind == HTTP_ANON)
		return aims_error_set(AIMS_EUNAUTH, NULL,
		    "sign in first (POST /api/v1/session) or send Authorization: Bearer TOKEN");
	if (r->auth != ROUTE_ORG) {
		if (r->auth == ROUTE_USER && c->who.kind != HTTP_SESSION)
			return aims_error_set(AIMS_EFORBIDDEN, NULL,
			    "this request needs a signed-in person, not an API token");
		return 0;
	}
	if ((i = router_param_index(r, "org")) < 0)
		return aims_error_set(AIMS_ERROR, NULL, "route %s has no {org}", r->pattern);
	if ((rc = auth_org_role(c, c->params[i])) != 0)
		return rc;
	if ((r->flags & ROUTE_PEOPLE) && c->who.kind != HTTP_SESSION)
		return aims_error_set(AIMS_EFORBIDDEN, NULL,
		    "this request needs a signed-in person, not an API token");
	/* A record route acts on the permission kind its {kind} declares (audits...). */
	pk = r->kind;
	if ((r->flags & ROUTE_RECORD) && (k = record_kind_find(http_param(c, "kind"))) != NULL &&
	    perm_kind_parse(&pk, k->perm_kind) != 0)
		pk = r->kind;
	if (!perm_allows(c->role, r->action, pk))
		return aims_error_set(AIMS_EFORBIDDEN, NULL,
		    "your role (%s) may not %s %s in this organisation", role_name(c->role),
		    perm_action_name(r->action), perm_kind_name(pk));
	return 0;
}

static int
router_check_idem_key(const char *key)
{
	size_t n = strlen(key), i;

	if (n == 0 || n > IDEM_KEY_MAX)
		goto bad;
	for (i = 0; i < n; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			goto bad;
	return 0;
bad:
	return aims_error_set(AIMS_EINVALID, "Idempotency-Key",
	    "Idempotency-Key must be 1 to %d visible ASCII characters", IDEM_KEY_MAX);
}

/*
 * What an upload is, for Idempotency-Key: its parts and the file's hash
 * (the file itself was hashed while it arrived), each ended by a NUL.
 */
static void
router_digest_part(struct buf *out, const char *s)
{
	if (s == NULL)
		s = "";
	buf_append(out, s, strlen(s) + 1);
}

static void
router_upload_digest(struct buf *out, const struct http_upload *u)
{
	size_t i;

	router_digest_part(out, u->file_field);
	router_digest_part(out, u->file_name);
	router_digest_part(out, u->sha256);
	for (i = 0; i < u->fields.n; i++) {
		router_digest_part(out, u->fields.names[i]);
		router_digest_part(out, u->fields.values[i]);
	}
}

/*
 * Whose Idempotency-Keys these are: a person by their name ("user:EMAIL"),
 * a token by its id, since two tokens may share a name and must not see
 * each other's answers.
 */
#define ROUTER_PRINCIPAL_MAX	32

static const char *
router_principal(char buf[ROUTER_PRINCIPAL_MAX], const struct http_ctx *c)
{
	if (c->who.kind != HTTP_TOKEN)
		return c->who.name;
	snprintf(buf, ROUTER_PRINCIPAL_MAX, "token#%" PRId64, c->who.token_id);
	return buf;
}

/*
 * An Idempotency-Key's reservation, answer or release, written by the
 * server's writer like the change it guards (http_server_write): beside it
 * each would wait in SQLite's busy handler while the writer commits, and
 * the answer is on disk before the 2xx that it replays goes out.
 */
enum router_idem_op { ROUTER_IDEM_RESERVE, ROUTER_IDEM_STORE, ROUTER_IDEM_RELEASE };

struct router_idem_write {
	enum router_idem_op	 op;
	struct idem_entry	*e;		/* RESERVE: its request_hash in, the state out */
	int64_t			 org_id;
	const char		*principal;
	const char		*key;
	time_t			 now;
	int			 status;	/* STORE: the answer */
	const char		*body;
	const char		*location;
};

static int
router_idem_apply(struct db *db, void *arg)
{
	struct router_idem_write *w = arg;

	switch (w->op) {
	case ROUTER_IDEM_RESERVE:
		return idem_begin(w->e, db, w->org_id, w->principal, w->key, w->now);
	case ROUTER_IDEM_STORE:
		return idem_finish(db, w->org_id, w->principal, w->key, w->status, w->body,
		    w->location);
	case ROUTER_IDEM_RELEASE:
		idem_release(db, w->org_id, w->principal, w->key);
		return 0;
	}
	return aims_error_set(AIMS_ERROR, NULL, "unknown idempotency change");
}

/* Returns 1 when the answer was replayed from an earlier request. */
static int
router_idem_begin(struct http_ctx *c, const char *key, struct idem_entry *e)
{
	char who[ROUTER_PRINCIPAL_MAX];
	struct router_idem_write w;
	struct buf up = BUF_INIT;
	const char *loc;
	int rc;

	if ((rc = router_check_idem_key(key)) != 0)
		return rc;
	if (c->req->upload != NULL) {
		router_upload_digest(&up, c->req->upload);
		idem_hash_request(e->request_hash, c->req->method, c->req->path, up.data, up.len);
		buf_free(&up);
	} else {
		idem_hash_request(e->request_hash, c->req->method, c->req->path, c->req->body,
		    c->req->body_len);
	}
	w = (struct router_idem_write){ .op = ROUTER_IDEM_RESERVE, .e = e, .org_id = c->org_id,
	    .principal = router_principal(who, c), .key = key, .now = clock_now() };
	if ((rc = http_server_write(c->db, c->org_id, router_idem_apply, &w)) != 0)
		return rc;
	switch (e->state) {
	case IDEM_NEW:
		return 0;
	case IDEM_BUSY:
		return aims_error_set(AIMS_ECONFLICT, "Idempotency-Key",
		    "a request with this Idempotency-Key is still being processed");
	case IDEM_MISMATCH:
		return aims_error_set(HTTP_EUNPROCESSABLE, "Idempotency-Key",
		    "this Idempotency-Key was used with a different request");
	case IDEM_DONE:
		c->resp.status = e->status;
		c->resp.content_type = HTTP_JSON_UTF8;
		buf_puts(&c->resp.body, e->body ? e->body : "");
		if ((loc = e->location) != NULL && *loc)
			http_resp_header(&c->resp, "Location", loc);
		http_resp_header(&c->resp, "Idempotent-Replayed", "true");
		return 1;
	}
	return aims_error_set(AIMS_ERROR, NULL, "bad idempotency state");
}

/*
 * A ROUTE_SECRET answer as an Idempotency-Key keeps it: without its secret
 * (caller frees), or NULL when it is not a JSON object (nothing safe to keep).
 */
static char *
router_idem_without_secret(const struct http_ctx *c)
{
	json_t *body = json_loadb(c->resp.body.data, c->resp.body.len, 0, NULL);
	char *text = NULL;

	if (json_is_object(body)) {
		json_object_del(body, ROUTER_SECRET_FIELD);
		text = json_dumps(body, JSON_COMPACT);
	}
	json_decref(body);
	return text;
}

static void
router_idem_finish(struct http_ctx *c, const char *key)
{
	char who[ROUTER_PRINCIPAL_MAX], *owned = NULL;
	struct router_idem_write w = { .op = ROUTER_IDEM_STORE, .org_id = c->org_id,
	    .principal = router_principal(who, c), .key = key, .status = c->resp.status,
	    .location = http_resp_get_header(&c->resp, "Location") };

	if (c->route->flags & ROUTE_SECRET)
		w.body = owned = router_idem_without_secret(c);
	else
		w.body = buf_str(&c->resp.body);
	if (c->resp.status >= 500 || c->resp.status == 409 || c->resp.status == 429 ||
	    w.body == NULL)
		w.op = ROUTER_IDEM_RELEASE;
	if (http_server_write(c->db, c->org_id, router_idem_apply, &w) != 0)
		log_warn("cannot %s the answer for an idempotency key: %s",
		    w.op == ROUTER_IDEM_STORE ? "store" : "release", aims_error_message());
	free(owned);
}

/* Runs the handler, with Idempotency-Key handling around it when declared. */
static int
router_run(struct http_ctx *c)
{
	struct idem_entry e;
	const char *key = NULL;
	int rc;

	if ((c->route->flags & ROUTE_IDEMPOTENT) &&
	    (key = http_header(c->req, "Idempotency-Key")) != NULL) {
		memset(&e, 0, sizeof(e));
		rc = router_idem_begin(c, key, &e);
		idem_entry_free(&e);
		if (rc > 0)
			return 0;	/* replayed */
		if (rc < 0)
			return http_reply_error(c, rc);
	}
	rc = c->route->handler(c);
	if (rc != 0 && c->resp.status == 0)
		http_reply_error(c, rc);
	if (key != NULL)
		router_idem_finish(c, key);
	return 0;
}

/* Everything that comes before the body: match, path, query, caller, CSRF, permission. */
static int
router_prepare_head(struct http_ctx *c)
{
	char allow[64];
	int code, rc;

	c->route = router_match(c->req->method, c->req->path, c->params, &c->param_buf, &code,
	    allow, sizeof(allow));
	if (c->route == NULL) {
		if (code == HTTP_EMETHOD) {
			http_resp_header(&c->resp, "Allow", allow);
			return aims_error_set(HTTP_EMETHOD, NULL, "%s is not allowed here (allowed: %s)",
			    c->req->method, allow);
		}
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such resource");
	}
	if ((rc = router_check_path(c)) != 0 || (rc = router_check_query(c)) != 0)
		return rc;
	if ((rc = auth_identify(c)) != 0)
		return rc;
	if (c->who.kind == HTTP_SESSION && (rc = auth_check_csrf(c)) != 0)
		return rc;
	return router_authorise(c);
}

static int
router_prepare(struct http_ctx *c)
{
	int rc;

	if ((rc = router_prepare_head(c)) != 0)
		return rc;
	return router_check_body(c);
}

bool
router_upload_route(const char *method, const char *path)
{
	const char *params[HTTP_PARAMS_MAX];
	const struct route *r;
	char *buf = NULL, allow[64];
	int code, i;
	bool ok;

	if (strcmp(method, "POST") != 0)
		return false;
	r = router_match(method, path, params, &buf, &code, allow, sizeof(allow));
	i = r != NULL ? router_param_index(r, "kind") : -1;
	ok = router_takes_upload(r, i >= 0 ? params[i] : NULL);
	free(buf);
	return ok;
}

bool
router_upload_wanted(const struct http_req *req, struct db *db,
    const struct http_server_config *cfg)
{
	struct http_ctx c;
	bool ok;

	if (!router_upload_route(req->method, req->path))
		return false;
	http_ctx_init(&c, req, db, cfg);
	ok = router_prepare_head(&c) == 0;
	http_ctx_free(&c);
	aims_error_clear();
	return ok;
}

int
router_charge(struct http_ctx *c)
{
	if (c->route == NULL || (!(c->route->flags & ROUTE_HEAVY) &&
	    http_query_int(c, "limit", 0) <= BUDGET_LIGHT_LIMIT))
		return 0;
	return router_charge_heavy(c);
}

int
router_charge_heavy(struct http_ctx *c)
{
	char caller[BUDGET_CALLER_MAX], secs[16];
	unsigned per_minute = c->cfg != NULL ? c->cfg->heavy_per_minute : 0;
	int retry, rc;

	if (per_minute == 0)
		return 0;
	if (c->who.kind == HTTP_TOKEN)
		snprintf(caller, sizeof(caller), "token:%lld", (long long)c->who.token_id);
	else if (c->who.kind == HTTP_SESSION)
		snprintf(caller, sizeof(caller), "user:%lld", (long long)c->who.user_id);
	else
		snprintf(caller, sizeof(caller), "addr:%s",
		    c->req->client_addr != NULL ? c->req->client_addr : "");
	if ((rc = budget_take(&retry, caller, per_minute, clock_mono_usec())) != 0) {
		snprintf(secs, sizeof(secs), "%d", retry);
		http_resp_header(&c->resp, "Retry-After", secs);
	}
	return rc;
}

static void
router_dispatch(struct http_ctx *c)
{
	int rc;

	if (webui_owns(c->req->path)) {
		webui_handle(c);
		return;
	}
	if ((rc = router_prepare(c)) != 0 || (rc = router_charge(c)) != 0) {
		http_reply_error(c, rc);
		return;
	}
	router_run(c);
	if (c->resp.status == 0)	/* fail closed: a handler that did not answer */
		http_reply_error(c, aims_error_set(AIMS_ERROR, NULL, "%s %s gave no answer",
		    c->req->method, c->route->pattern));
}

void
router_handle(struct http_ctx *c)
{
	int64_t strays = db_stray_writes();

	/* A request's changes go through the writer (http_server_write): any other is counted. */
	if (c->db != NULL)
		db_guard_writes(c->db, true);
	router_dispatch(c);
	/* Named, so that the path to route through the writer is found (the count may be another's). */
	if (db_stray_writes() != strays)
		log_warn("a change beside the database writer during %s %s", c->req->method,
		    c->req->path);
}
