/*
 * query.c - set-based reads over the records store (see query.h).
 *
 * A condition list is compiled into one SQL statement: fixed SQL fragments
 * chosen by the grammar, with every value (field paths, refs, dates, the
 * organisation) bound as a parameter. Comparisons are wrapped in coalesce()
 * so that a missing field gives a definite 0 or 1 and "not" stays sound.
 *
 * The SQL runs on SQLite and PostgreSQL: conditions are booleans (TRUE and
 * FALSE, which SQLite reads as 1 and 0), an integer value is bound as
 * CAST(? AS BIGINT) so that a number in a record's JSON compares as a
 * number on both, and an index is kept from serving a term with an
 * expression both accept (+ on an integer, || '' on text). json_extract(),
 * json_each() and "LIMIT -1 OFFSET 0" (which keeps the projection subquery
 * from being flattened) have PostgreSQL forms in store/db_pg.c and
 * schema/pg/001_tenancy.sql.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/justify.h"
#include "core/query.h"
#include "store/db.h"
#include "store/sqlb.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"

/*
 * Questions are asked of records as they are in force: a record whose
 * revision is open reads as its approved version (schema 012_record_people).
 */
#define QUERY_RECORDS		"records_in_force"
#define QUERY_JSON_FIELD	"json_extract(%s.data, ?)"	/* a field of a record */
#define QUERY_INT_PARAM		"CAST(? AS BIGINT)"		/* an integer value */
#define QUERY_ALIASES_MAX	64			/* subqueries in one statement */
#define QUERY_PATHS_MAX		48			/* fields read once per row */
#define QUERY_COUNT_SELECT	"SELECT count(*)"	/* how a count statement starts */

/* A statement being built, and what the grammar needs to build it. */
struct qbuild {
	struct sqlb	 b;		/* SQL text and parameters (store/sqlb.h) */
	int		 aliases;	/* subquery aliases used so far */
	const char	*alias_kind[QUERY_ALIASES_MAX];	/* record kind of alias tN */
	int		 depth;
	/*
	 * Fields of the main record (t0) are extracted once per row into
	 * columns f0..fN of a subquery (PROJECT_EMIT), after a first pass over
	 * the same conditions has listed them (PROJECT_COLLECT).
	 */
	enum { PROJECT_OFF, PROJECT_COLLECT, PROJECT_EMIT } project;
	char		*paths[QUERY_PATHS_MAX];
	int		 npaths;
	bool		 need_data;	/* t0.data itself is used (contains) */
	const struct query_scope *scope;	/* NULL: grammar check only */
};

static const char *const query_columns[] = {
	"ref", "title", "status", "owner", "created_at", "updated_at", NULL,
};

static int cond_emit(struct qbuild *q, const char *alias, const json_t *c);
static int conds_emit(struct qbuild *q, const char *alias, const json_t *list);

void
query_scope_init(struct query_scope *s, struct db *db, int64_t org_id, time_t now,
    const json_t *vars)
{
	char ts[CLOCK_RFC3339_LEN];

	clock_format(ts, now);
	memset(s, 0, sizeof(*s));
	s->db = db;
	s->org_id = org_id;
	memcpy(s->today, ts, QUERY_DAY_LEN - 1);
	s->today[QUERY_DAY_LEN - 1] = '\0';
	s->vars = vars;
}

static void
qbuild_free(struct qbuild *q)
{
	int i;

	for (i = 0; i < q->npaths; i++)
		free(q->paths[i]);
	sqlb_free(&q->b);
}

/* The column of t0's field path in the projection, or -1 (extract in place). */
static int
qbuild_path(struct qbuild *q, const char *path)
{
	int i;

	for (i = 0; i < q->npaths; i++)
		if (strcmp(q->paths[i], path) == 0)
			return i;
	if (q->project != PROJECT_COLLECT || q->npaths == QUERY_PATHS_MAX)
		return -1;
	q->paths[q->npaths] = xstrdup(path);
	return q->npaths++;
}

static bool
query_is_column(const char *f)
{
	const char *const *c;

	for (c = query_columns; *c; c++)
		if (strcmp(*c, f) == 0)
			return true;
	return false;
}

/* Field paths: lower-case words of [a-z0-9_] joined by single dots. */
static bool
query_path_ok(const char *f)
{
	size_t n = strlen(f), i;

	if (n == 0 || n >= QUERY_PATH_MAX || f[0] == '.' || f[n - 1] == '.')
		return false;
	for (i = 0; i < n; i++) {
		char ch = f[i];

		if (ch == '.' && f[i + 1] == '.')
			return false;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
		    ch == '.'))
			return false;
	}
	return true;
}

static bool
query_kind_ok(const char *k)
{
	size_t i, n = strlen(k);

	if (n == 0 || n > 40)
		return false;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || k[i] == '-'))
			return false;
	return true;
}

/* Appends the SQL expression of field f of the record aliased `alias`. */
static int
field_emit(struct qbuild *q, const char *alias, const json_t *f)
{
	char path[QUERY_PATH_MAX + 2];
	const char *name = json_string_value(f);
	int col;

	if (name == NULL || !query_path_ok(name))
		return aims_error_set(AIMS_EINVALID, "field",
		    "condition field must be a dotted lower-case name");
	if (query_is_column(name)) {
		buf_printf(&q->b.sql, "%s.%s", alias, name);
		return 0;
	}
	snprintf(path, sizeof(path), "$.%s", name);
	if (q->project != PROJECT_OFF && strcmp(alias, "t0") == 0 &&
	    (col = qbuild_path(q, path)) >= 0) {
		buf_printf(&q->b.sql, "t0.f%d", col);
		return 0;
	}
	buf_printf(&q->b.sql, QUERY_JSON_FIELD, alias);
	return sqlb_bind_text(&q->b, path);
}

/* Binds one value: integer, boolean, string or "$variable". */
static int
value_emit(struct qbuild *q, const json_t *v)
{
	const char *s;
	json_t *var;

	if (json_is_integer(v))
		return sqlb_int(&q->b, QUERY_INT_PARAM, json_integer_value(v));
	if (json_is_boolean(v))
		return sqlb_int(&q->b, QUERY_INT_PARAM, json_is_true(v));
	if (!json_is_string(v))
		return aims_error_set(AIMS_EINVALID, "value",
		    "condition values are strings, integers or booleans");
	s = json_string_value(v);
	if (s[0] != '$' || q->scope == NULL)
		return sqlb_text(&q->b, "?", s);
	var = q->scope->vars ? json_object_get(q->scope->vars, s + 1) : NULL;
	if (json_is_integer(var))
		return sqlb_int(&q->b, QUERY_INT_PARAM, json_integer_value(var));
	if (json_is_string(var))
		return sqlb_text(&q->b, "?", json_string_value(var));
	return aims_error_set(AIMS_ECONFLICT, s + 1, "%s has no value", s + 1);
}

static const struct {
	const char	*op;
	const char	*sql;
	const char	*missing;	/* value when the field is absent */
} compare_ops[] = {
	{ "eq", "=", "FALSE" }, { "ne", "<>", "TRUE" }, { "gt", ">", "FALSE" },
	{ "gte", ">=", "FALSE" }, { "lt", "<", "FALSE" }, { "lte", "<=", "FALSE" },
};

static int
cond_compare(struct qbuild *q, const char *alias, const json_t *f, size_t op, const json_t *v)
{
	int rc;

	buf_puts(&q->b.sql, "coalesce(");
	if ((rc = field_emit(q, alias, f)) != 0)
		return rc;
	buf_printf(&q->b.sql, " %s ", compare_ops[op].sql);
	if ((rc = value_emit(q, v)) != 0)
		return rc;
	buf_printf(&q->b.sql, ", %s)", compare_ops[op].missing);
	return 0;
}

static int
cond_in(struct qbuild *q, const char *alias, const json_t *f, bool negate, const json_t *list)
{
	const json_t *v;
	size_t i;
	int rc;

	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > QUERY_IN_MAX)
		return aims_error_set(AIMS_EINVALID, "in",
		    "in/not_in takes a list of 1 to %d values", QUERY_IN_MAX);
	buf_puts(&q->b.sql, "coalesce(");
	if ((rc = field_emit(q, alias, f)) != 0)
		return rc;
	buf_puts(&q->b.sql, negate ? " NOT IN (" : " IN (");
	json_array_foreach(list, i, v) {
		if (i)
			buf_puts(&q->b.sql, ", ");
		if ((rc = value_emit(q, v)) != 0)
			return rc;
	}
	buf_printf(&q->b.sql, "), %s)", negate ? "TRUE" : "FALSE");
	return 0;
}

/* Whether field f of alias reads a column (no JSON parsing): it can be repeated. */
static bool
field_is_column(const struct qbuild *q, const char *alias, const json_t *f)
{
	const char *name = json_string_value(f);

	if (name == NULL || query_is_column(name))
		return true;
	return q->project == PROJECT_EMIT && strcmp(alias, "t0") == 0;
}

static int
cond_set(struct qbuild *q, const char *alias, const json_t *f, const json_t *v)
{
	static const char *const empty[] = { "''", "'[]'", "'{}'" };
	bool set = json_is_true(v);
	size_t i;
	int rc;

	if (!json_is_boolean(v))
		return aims_error_set(AIMS_EINVALID, "set", "set takes true or false");
	if (!field_is_column(q, alias, f)) {
		buf_puts(&q->b.sql, "coalesce(");
		if ((rc = field_emit(q, alias, f)) != 0)
			return rc;
		buf_puts(&q->b.sql, set ? " NOT IN ('', '[]', '{}'), FALSE)" :
		    " IN ('', '[]', '{}'), TRUE)");
		return 0;
	}
	/* Plain comparisons are cheaper than an IN list on a column. */
	buf_putc(&q->b.sql, '(');
	if ((rc = field_emit(q, alias, f)) != 0)
		return rc;
	buf_puts(&q->b.sql, set ? " IS NOT NULL" : " IS NULL");
	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		buf_puts(&q->b.sql, set ? " AND " : " OR ");
		if ((rc = field_emit(q, alias, f)) != 0)
			return rc;
		buf_printf(&q->b.sql, " %s %s", set ? "<>" : "=", empty[i]);
	}
	buf_putc(&q->b.sql, ')');
	return 0;
}

/* Date comparisons on the first 10 characters (dates and RFC 3339 times). */
static int
cond_date(struct qbuild *q, const char *alias, const json_t *f, const char *op, const char *day,
    const char *missing)
{
	int rc;

	buf_puts(&q->b.sql, "coalesce(nullif(substr(");
	if ((rc = field_emit(q, alias, f)) != 0)
		return rc;
	buf_printf(&q->b.sql, ", 1, 10), '') %s ", op);
	if ((rc = sqlb_text(&q->b, "?", day)) != 0)
		return rc;
	buf_printf(&q->b.sql, ", %s)", missing);
	return 0;
}

/*
 * older_than_days: N, or "$variable" holding N; a variable set to null
 * (an organisation's option left unset) is no limit: nothing is older.
 */
static int
cond_older(struct qbuild *q, const char *alias, const json_t *f, const json_t *v)
{
	char day[CLOCK_RFC3339_LEN];
	const char *s = json_string_value(v);
	time_t t;

	if (s != NULL && s[0] == '$' && s[1] != '\0') {
		if (q->scope == NULL)
			return field_emit(q, alias, f);
		v = q->scope->vars ? json_object_get(q->scope->vars, s + 1) : NULL;
		if (json_is_null(v)) {
			buf_puts(&q->b.sql, "FALSE");
			return 0;
		}
		if (v == NULL)
			return aims_error_set(AIMS_ECONFLICT, s + 1, "%s has no value", s + 1);
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 36500)
		return aims_error_set(AIMS_EINVALID, "older_than_days",
		    "older_than_days takes a number of days from 0 to 36500, or a $variable");
	if (q->scope == NULL)
		return field_emit(q, alias, f);
	if (clock_parse(&t, q->scope->today) != 0)
		return aims_error_set(AIMS_ERROR, NULL, "bad query date");
	clock_format(day, t - (time_t)json_integer_value(v) * 86400);
	day[10] = '\0';
	return cond_date(q, alias, f, "<", day, "FALSE");
}

/*
 * A meaningful justification (core/justify.h): long enough once trimmed, and
 * not a placeholder. An absent field is not justified.
 */
static int
cond_justified(struct qbuild *q, const char *alias, const json_t *f, const json_t *v)
{
	size_t i;
	int rc;

	if (!json_is_boolean(v))
		return aims_error_set(AIMS_EINVALID, "justified", "justified takes true or false");
	buf_puts(&q->b.sql, json_is_true(v) ? "coalesce(length(trim(" : "NOT coalesce(length(trim(");
	if ((rc = field_emit(q, alias, f)) != 0 ||
	    (rc = sqlb_text(&q->b, ", ?)) >= ", JUSTIFY_TRIM)) != 0)
		return rc;
	buf_putc(&q->b.sql, '?');
	if ((rc = sqlb_bind_int(&q->b, JUSTIFY_MIN_CHARS)) != 0)
		return rc;
	buf_puts(&q->b.sql, " AND lower(trim(");
	if ((rc = field_emit(q, alias, f)) != 0 ||
	    (rc = sqlb_text(&q->b, ", ?)) NOT IN (", JUSTIFY_TRIM)) != 0)
		return rc;
	for (i = 0; justify_empty_words[i]; i++)
		if ((rc = sqlb_text(&q->b, i ? ", ?" : "?", justify_empty_words[i])) != 0)
			return rc;
	buf_puts(&q->b.sql, "), FALSE)");
	return 0;
}

/* A list field holding the value: EXISTS over its elements. */
static int
cond_contains(struct qbuild *q, const char *alias, const json_t *f, const json_t *v)
{
	char path[QUERY_PATH_MAX + 2];
	const char *name = json_string_value(f);
	int rc;

	if (name == NULL || !query_path_ok(name) || query_is_column(name))
		return aims_error_set(AIMS_EINVALID, "contains",
		    "contains applies to a list field");
	snprintf(path, sizeof(path), "$.%s", name);
	if (strcmp(alias, "t0") == 0)
		q->need_data = true;
	buf_printf(&q->b.sql, "EXISTS (SELECT 1 FROM json_each(%s.data, ?) WHERE value = ", alias);
	if ((rc = sqlb_bind_text(&q->b, path)) != 0 || (rc = value_emit(q, v)) != 0)
		return rc;
	buf_putc(&q->b.sql, ')');
	return 0;
}

static int
cond_field(struct qbuild *q, const char *alias, const json_t *c)
{
	const json_t *f = json_object_get(c, "field"), *v;
	const char *op;
	size_t i;

	if (json_object_size(c) != 2)
		return aims_error_set(AIMS_EINVALID, "field",
		    "a field condition has the field and exactly one operator");
	json_object_foreach((json_t *)c, op, v) {
		if (strcmp(op, "field") == 0)
			continue;
		for (i = 0; i < sizeof(compare_ops) / sizeof(compare_ops[0]); i++)
			if (strcmp(op, compare_ops[i].op) == 0)
				return cond_compare(q, alias, f, i, v);
		if (strcmp(op, "in") == 0 || strcmp(op, "not_in") == 0)
			return cond_in(q, alias, f, op[0] == 'n', v);
		if (strcmp(op, "set") == 0)
			return cond_set(q, alias, f, v);
		if (strcmp(op, "past") == 0) {
			if (!json_is_boolean(v))
				return aims_error_set(AIMS_EINVALID, "past",
				    "past takes true or false");
			return json_is_true(v) ?
			    cond_date(q, alias, f, "<", q->scope ? q->scope->today : "", "FALSE") :
			    cond_date(q, alias, f, ">=", q->scope ? q->scope->today : "", "TRUE");
		}
		if (strcmp(op, "older_than_days") == 0)
			return cond_older(q, alias, f, v);
		if (strcmp(op, "contains") == 0)
			return cond_contains(q, alias, f, v);
		if (strcmp(op, "justified") == 0)
			return cond_justified(q, alias, f, v);
		return aims_error_set(AIMS_EINVALID, op, "unknown condition operator '%s'", op);
	}
	return aims_error_set(AIMS_EINVALID, "field", "condition without an operator");
}

static int
cond_group(struct qbuild *q, const char *alias, const json_t *list, const char *join,
    const char *empty)
{
	const json_t *c;
	size_t i;
	int rc;

	if (!json_is_array(list))
		return aims_error_set(AIMS_EINVALID, "any", "any/all take a list of conditions");
	if (json_array_size(list) == 0) {
		buf_puts(&q->b.sql, empty);
		return 0;
	}
	buf_putc(&q->b.sql, '(');
	json_array_foreach(list, i, c) {
		if (i)
			buf_puts(&q->b.sql, join);
		if ((rc = cond_emit(q, alias, c)) != 0)
			return rc;
	}
	buf_putc(&q->b.sql, ')');
	return 0;
}

/* Optional "field" and "ref" of a link condition, as SQL on link alias l. */
static int
link_filters(struct qbuild *q, const char *l, const json_t *spec, const char *ref_col)
{
	const json_t *p = json_object_get(spec, "field"), *r = json_object_get(spec, "ref");
	char sql[64];
	int rc;

	if (p != NULL) {
		if (!json_is_string(p) || !query_path_ok(json_string_value(p)))
			return aims_error_set(AIMS_EINVALID, "field", "link field must be a name");
		snprintf(sql, sizeof(sql), " AND %s.field = ?", l);
		if ((rc = sqlb_text(&q->b, sql, json_string_value(p))) != 0)
			return rc;
	}
	if (r != NULL) {
		if (!json_is_string(r))
			return aims_error_set(AIMS_EINVALID, "ref", "link ref must be a string");
		buf_printf(&q->b.sql, " AND %s.%s = ", l, ref_col);
		if ((rc = value_emit(q, r)) != 0)
			return rc;
	}
	return 0;
}

static int
link_spec_check(const json_t *spec, const char *op)
{
	const char *key, *k;
	json_t *v;

	if (!json_is_object(spec))
		return aims_error_set(AIMS_EINVALID, op, "%s takes an object", op);
	json_object_foreach((json_t *)spec, key, v)
		if (strcmp(key, "kind") && strcmp(key, "field") && strcmp(key, "ref") &&
		    strcmp(key, "where"))
			return aims_error_set(AIMS_EINVALID, key, "unknown %s member '%s'",
			    op, key);
	k = json_string_value(json_object_get(spec, "kind"));
	if (k == NULL || !query_kind_ok(k))
		return aims_error_set(AIMS_EINVALID, "kind", "%s needs a record kind", op);
	return 0;
}

/* The record kind of an alias "tN". */
static const char *
alias_kind_of(const struct qbuild *q, const char *alias)
{
	int n = atoi(alias + 1);

	return n >= 0 && n < QUERY_ALIASES_MAX ? q->alias_kind[n] : NULL;
}

static int
link_alias(struct qbuild *q, char l[16], char t[16], const char *kind)
{
	int n = ++q->aliases;

	if (n >= QUERY_ALIASES_MAX)
		return aims_error_set(AIMS_ETOOBIG, "where", "too many linked conditions");
	q->alias_kind[n] = kind;
	snprintf(l, 16, "l%d", n);
	snprintf(t, 16, "t%d", n);
	return 0;
}

/*
 * A link to one given record (spec has "ref"): the set of records at this
 * end is small and known, so it is looked up by row id (IN, not correlated),
 * which the planner always prefers to walking every record of the kind.
 */
static int
cond_link_ref(struct qbuild *q, const char *alias, const json_t *spec, bool from,
    const char *kind, const char *l, const char *t)
{
	const char *mine = alias_kind_of(q, alias);
	const char *my_kind = from ? "to_kind" : "from_kind", *my_ref = from ? "to_ref" : "from_ref";
	const char *their_kind = from ? "from_kind" : "to_kind";
	const char *their_ref = from ? "from_ref" : "to_ref";
	bool req = !from && strcmp(kind, "requirement") == 0;
	char sql[512], self[16];
	int rc;

	if (mine == NULL)
		return aims_error_set(AIMS_EINVALID, "where", "link on an unknown record kind");
	snprintf(self, sizeof(self), "s%s", l + 1);
	snprintf(sql, sizeof(sql), "%s.id IN (SELECT %s.id FROM record_links %s "
	    "JOIN " QUERY_RECORDS " %s "
	    "ON %s.org_id = %s.org_id AND %s.kind = %s.%s AND %s.ref = %s.%s", alias, self, l,
	    self, self, l, self, l, my_kind, self, l, my_ref);
	buf_puts(&q->b.sql, sql);
	if (!req)
		buf_printf(&q->b.sql, " JOIN " QUERY_RECORDS " %s ON %s.org_id = %s.org_id "
		    "AND %s.kind = %s.%s "
		    "AND %s.ref = %s.%s AND %s.retired = 0", t, t, l, t, l, their_kind, t, l,
		    their_ref, t);
	snprintf(sql, sizeof(sql), " WHERE %s.org_id = ?", l);
	if ((rc = sqlb_int(&q->b, sql, q->scope ? q->scope->org_id : 0)) != 0)
		return rc;
	snprintf(sql, sizeof(sql), " AND %s.%s = ?", l, my_kind);
	if ((rc = sqlb_text(&q->b, sql, mine)) != 0)
		return rc;
	snprintf(sql, sizeof(sql), " AND %s.%s = ?", l, their_kind);
	if ((rc = sqlb_text(&q->b, sql, kind)) != 0 ||
	    (rc = link_filters(q, l, spec, their_ref)) != 0)
		return rc;
	if (!req) {
		buf_puts(&q->b.sql, " AND ");
		if ((rc = conds_emit(q, t, json_object_get(spec, "where"))) != 0)
			return rc;
	}
	buf_putc(&q->b.sql, ')');
	return 0;
}

/* {"linked_from": {...}} and {"links_to": {...}} as subqueries. */
static int
cond_link(struct qbuild *q, const char *alias, const json_t *spec, bool from)
{
	const char *op = from ? "linked_from" : "links_to";
	const char *theirs = from ? "from" : "to", *mine = from ? "to" : "from";
	const char *kind;
	char l[16], t[16], sql[512];
	int rc;

	if ((rc = link_spec_check(spec, op)) != 0)
		return rc;
	kind = json_string_value(json_object_get(spec, "kind"));
	if (!from && strcmp(kind, "requirement") == 0 && json_object_get(spec, "where") != NULL)
		return aims_error_set(AIMS_EINVALID, "where",
		    "links_to a requirement takes no where");
	if ((rc = link_alias(q, l, t, kind)) != 0)
		return rc;
	if (json_object_get(spec, "ref") != NULL)
		return cond_link_ref(q, alias, spec, from, kind, l, t);
	if (!from && strcmp(kind, "requirement") == 0) {
		buf_printf(&q->b.sql, "EXISTS (SELECT 1 FROM record_links %s WHERE %s.org_id = "
		    "%s.org_id AND %s.from_kind = %s.kind AND %s.from_ref = %s.ref AND "
		    "%s.to_kind = 'requirement'", l, l, alias, l, alias, l, alias, l);
		if ((rc = link_filters(q, l, spec, "to_ref")) != 0)
			return rc;
		buf_putc(&q->b.sql, ')');
		return 0;
	}
	/* The link's end at the other record (theirs) and at this one (mine). */
	snprintf(sql, sizeof(sql), "EXISTS (SELECT 1 FROM record_links %s "
	    "JOIN " QUERY_RECORDS " %s "
	    "ON %s.org_id = %s.org_id AND %s.kind = %s.%s_kind AND %s.ref = %s.%s_ref "
	    "AND %s.retired = 0 WHERE %s.org_id = %s.org_id AND %s.%s_kind = %s.kind AND "
	    "%s.%s_ref = %s.ref AND %s.%s_kind = ?",
	    l, t, t, l, t, l, theirs, t, l, theirs, t, l, alias, l, mine, alias, l, mine, alias,
	    l, theirs);
	if ((rc = sqlb_text(&q->b, sql, kind)) != 0 ||
	    (rc = link_filters(q, l, spec, from ? "from_ref" : "to_ref")) != 0)
		return rc;
	buf_puts(&q->b.sql, " AND ");
	if ((rc = conds_emit(q, t, json_object_get(spec, "where"))) != 0)
		return rc;
	buf_putc(&q->b.sql, ')');
	return 0;
}

/*
 * {"org_has": {"kind": K, "where": [...]}}: the organisation of the row has
 * a live record of kind K matching where (a setting kept as a singleton
 * record, such as the EU AI Act profile, read by a rule about other records).
 */
static int
cond_org_has(struct qbuild *q, const char *alias, const json_t *spec)
{
	const char *kind;
	char l[16], t[16], sql[256];
	int rc;

	if ((rc = link_spec_check(spec, "org_has")) != 0)
		return rc;
	if (json_object_get(spec, "field") != NULL || json_object_get(spec, "ref") != NULL)
		return aims_error_set(AIMS_EINVALID, "org_has", "org_has takes kind and where");
	kind = json_string_value(json_object_get(spec, "kind"));
	if ((rc = link_alias(q, l, t, kind)) != 0)
		return rc;
	snprintf(sql, sizeof(sql), "EXISTS (SELECT 1 FROM " QUERY_RECORDS " %s WHERE %s.org_id = "
	    "%s.org_id AND %s.kind = ? AND %s.retired = 0 AND ", t, t, alias, t, t);
	if ((rc = sqlb_text(&q->b, sql, kind)) != 0 ||
	    (rc = conds_emit(q, t, json_object_get(spec, "where"))) != 0)
		return rc;
	buf_putc(&q->b.sql, ')');
	return 0;
}

static int
cond_emit(struct qbuild *q, const char *alias, const json_t *c)
{
	const json_t *v;
	int rc;

	if (!json_is_object(c))
		return aims_error_set(AIMS_EINVALID, "where", "a condition is an object");
	if (++q->depth > QUERY_DEPTH_MAX) {
		q->depth--;
		return aims_error_set(AIMS_EINVALID, "where",
		    "conditions nest deeper than %d", QUERY_DEPTH_MAX);
	}
	if (json_object_get(c, "field") != NULL)
		rc = cond_field(q, alias, c);
	else if (json_object_size(c) != 1)
		rc = aims_error_set(AIMS_EINVALID, "where",
		    "a condition has one of field, any, all, not, linked_from, links_to, org_has");
	else if ((v = json_object_get(c, "any")) != NULL)
		rc = cond_group(q, alias, v, " OR ", "FALSE");
	else if ((v = json_object_get(c, "all")) != NULL)
		rc = cond_group(q, alias, v, " AND ", "TRUE");
	else if ((v = json_object_get(c, "not")) != NULL) {
		buf_puts(&q->b.sql, "(NOT ");
		if ((rc = cond_emit(q, alias, v)) == 0)
			buf_putc(&q->b.sql, ')');
	} else if ((v = json_object_get(c, "linked_from")) != NULL)
		rc = cond_link(q, alias, v, true);
	else if ((v = json_object_get(c, "links_to")) != NULL)
		rc = cond_link(q, alias, v, false);
	else if ((v = json_object_get(c, "org_has")) != NULL)
		rc = cond_org_has(q, alias, v);
	else
		rc = aims_error_set(AIMS_EINVALID, "where", "unknown condition");
	q->depth--;
	return rc;
}

/* A list: all must hold. NULL or [] is true. */
static int
conds_emit(struct qbuild *q, const char *alias, const json_t *list)
{
	if (list == NULL) {
		buf_puts(&q->b.sql, "TRUE");
		return 0;
	}
	if (!json_is_array(list))
		return aims_error_set(AIMS_EINVALID, "where", "conditions are a list");
	return cond_group(q, alias, list, " AND ", "TRUE");
}

int
query_conds_check(const json_t *conds)
{
	struct qbuild q;
	int rc;

	memset(&q, 0, sizeof(q));
	q.alias_kind[0] = "records";	/* any kind: the grammar is all that is checked */
	rc = conds_emit(&q, "t0", conds);
	qbuild_free(&q);
	return rc;
}

/* A top-level condition links to one named record: it picks the rows. */
static bool
where_names_a_link(const json_t *where)
{
	const json_t *c, *spec;
	size_t i;

	json_array_foreach(where, i, c) {
		if ((spec = json_object_get(c, "links_to")) == NULL)
			spec = json_object_get(c, "linked_from");
		if (json_object_get(spec, "ref") != NULL)
			return true;
	}
	return false;
}

/*
 * " FROM records_in_force t0 WHERE <org, kind, live> AND ". When where links to one
 * named record, the organisation, kind and live terms are written as
 * expressions (+t0.org_id, t0.kind || '') so that no index serves them: the
 * row ids of the link's IN then drive the query instead of a walk over
 * every record of the kind.
 */
static int
qbuild_records(struct qbuild *q, const struct query_scope *s, const char *kind,
    const json_t *where)
{
	bool link = where_names_a_link(where);
	const char *plus = link ? "+" : "";
	char sql[64];
	int rc;

	snprintf(sql, sizeof(sql), " FROM " QUERY_RECORDS " t0 WHERE %st0.org_id = ?", plus);
	if ((rc = sqlb_int(&q->b, sql, s->org_id)) != 0)
		return rc;
	snprintf(sql, sizeof(sql), " AND t0.kind%s = ?", link ? " || ''" : "");
	if ((rc = sqlb_text(&q->b, sql, kind)) != 0)
		return rc;
	buf_printf(&q->b.sql, " AND %st0.retired = 0 AND ", plus);
	return 0;
}

/*
 * " FROM records_in_force t0 WHERE <org, kind, live> AND <where>", or with the
 * projection " FROM (SELECT <columns>, <fields> FROM records_in_force t0 WHERE <org,
 * kind, live> AND <where> ORDER BY num LIMIT -1 OFFSET 0) t0": OFFSET keeps
 * the subquery from being flattened, so each field of the flags is read
 * once per row, while where still uses the indexes.
 */
static int
qbuild_from(struct qbuild *q, const struct query_scope *s, const char *kind, const json_t *where)
{
	int rc, i, mode;

	if (!query_kind_ok(kind))
		return aims_error_set(AIMS_EINVALID, "kind", "bad record kind");
	q->alias_kind[0] = kind;
	if (q->project == PROJECT_OFF) {
		if ((rc = qbuild_records(q, s, kind, where)) != 0)
			return rc;
		return conds_emit(q, "t0", where);
	}
	buf_puts(&q->b.sql, " FROM (SELECT t0.id, t0.org_id, t0.kind, t0.num, t0.ref, t0.title, "
	    "t0.status, t0.owner, t0.created_at, t0.updated_at");
	if (q->need_data)
		buf_puts(&q->b.sql, ", t0.data");
	for (i = 0; i < q->npaths; i++) {
		buf_puts(&q->b.sql, ", json_extract(t0.data, ?)");
		if ((rc = sqlb_bind_text(&q->b, q->paths[i])) != 0)
			return rc;
		buf_printf(&q->b.sql, " AS f%d", i);
	}
	/* where filters inside, where it can use the indexes of records. */
	if ((rc = qbuild_records(q, s, kind, where)) != 0)
		return rc;
	mode = q->project;
	q->project = PROJECT_OFF;
	rc = conds_emit(q, "t0", where);
	q->project = mode;
	if (rc != 0)
		return rc;
	buf_puts(&q->b.sql, " ORDER BY t0.num LIMIT -1 OFFSET 0) t0");
	return 0;
}

/* The whole SELECT: the ref and flags, or count(*). */
static int
qbuild_select(struct qbuild *q, const struct query_scope *s, const char *kind, const json_t *where,
    const json_t *const *flags, size_t nflags, bool count)
{
	size_t i;
	int rc;

	q->scope = s;
	q->alias_kind[0] = kind;
	buf_puts(&q->b.sql, count ? QUERY_COUNT_SELECT : "SELECT t0.ref");
	for (i = 0; i < nflags; i++) {
		buf_puts(&q->b.sql, ", ");
		if ((rc = conds_emit(q, "t0", flags[i])) != 0)
			return rc;
	}
	if ((rc = qbuild_from(q, s, kind, where)) != 0)
		return rc;
	/* The projection's rows come in its own num order, sorting them again costs. */
	if (!count && q->project == PROJECT_OFF)
		buf_puts(&q->b.sql, " ORDER BY t0.num");
	return 0;
}

/* Builds the statement in two passes: list t0's fields, then emit with them. */
static int
qbuild_statement(struct qbuild *q, const struct query_scope *s, const char *kind,
    const json_t *where, const json_t *const *flags, size_t nflags, bool count)
{
	struct qbuild pass;
	int rc;

	memset(&pass, 0, sizeof(pass));
	pass.project = PROJECT_COLLECT;
	rc = qbuild_select(&pass, s, kind, where, flags, nflags, count);
	memset(q, 0, sizeof(*q));
	if (rc != 0) {
		qbuild_free(&pass);
		return rc;
	}
	q->project = PROJECT_EMIT;
	memcpy(q->paths, pass.paths, sizeof(q->paths));
	q->npaths = pass.npaths;
	q->need_data = pass.need_data;
	pass.npaths = 0;	/* moved to q */
	qbuild_free(&pass);
	return qbuild_select(q, s, kind, where, flags, nflags, count);
}

int
query_select(const struct query_scope *s, const char *kind, const json_t *where,
    const json_t *const *flags, size_t nflags, query_row_fn fn, void *arg)
{
	struct db_stmt *st = NULL;
	bool fl[QUERY_FLAGS_MAX];
	struct qbuild q;
	size_t i;
	int rc;

	memset(&q, 0, sizeof(q));
	if (nflags > QUERY_FLAGS_MAX) {
		rc = aims_error_set(AIMS_ETOOBIG, "flags", "more than %d flags", QUERY_FLAGS_MAX);
		goto done;
	}
	if ((rc = qbuild_statement(&q, s, kind, where, flags, nflags, false)) != 0 ||
	    (rc = sqlb_prepare(&st, s->db, &q.b)) != 0)
		goto done;
	while ((rc = db_step(st)) == DB_ROW) {
		for (i = 0; i < nflags; i++)
			fl[i] = db_column_int64(st, (int)i + 1) != 0;
		if ((rc = fn(arg, db_column_text(st, 0), nflags ? fl : NULL)) != 0)
			goto done;
	}
done:
	if (st)
		db_done(st);
	qbuild_free(&q);
	return rc;	/* fn's non-zero, an error, or DB_DONE (0) */
}

int
query_count(int64_t *out, const struct query_scope *s, const char *kind, const json_t *where)
{
	struct db_stmt *st = NULL;
	struct qbuild q;
	int rc;

	/*
	 * No flags, no projection: a plain count lets the planner drive from
	 * an IN over links instead of walking every record of the kind in order.
	 */
	*out = 0;
	memset(&q, 0, sizeof(q));
	if ((rc = qbuild_select(&q, s, kind, where, NULL, 0, true)) != 0 ||
	    (rc = sqlb_prepare(&st, s->db, &q.b)) != 0)
		goto done;
	if ((rc = db_step(st)) == DB_ROW) {
		*out = db_column_int64(st, 0);
		rc = 0;
	}
done:
	if (st)
		db_done(st);
	qbuild_free(&q);
	return rc;
}

/* The index of a top-level {"links_to": {"kind": "requirement", "ref": R}}, or -1. */
static int
where_requirement_link(const json_t *where);

bool
query_names_requirement(const json_t *where)
{
	return where_requirement_link(where) >= 0;
}

static int
where_requirement_link(const json_t *where)
{
	const json_t *c, *spec;
	size_t i;

	json_array_foreach(where, i, c) {
		spec = json_object_get(c, "links_to");
		if (spec && json_object_size(c) == 1 && json_is_string(json_object_get(spec, "ref")) &&
		    json_object_get(spec, "where") == NULL &&
		    strcmp(json_string_value(json_object_get(spec, "kind")) ?: "", "requirement") == 0)
			return (int)i;
	}
	return -1;
}

/*
 * Records of kind linked to one requirement and matching the other
 * conditions, walked from the links (their index) and stopping at the
 * max-th: "is there current evidence of A.6.2.6" reads one row, not every
 * piece of evidence linked to it.
 */
static int
query_count_linked_upto(int64_t *out, const struct query_scope *s, const char *kind,
    const json_t *where, int link, int64_t max)
{
	const json_t *spec = json_object_get(json_array_get(where, (size_t)link), "links_to");
	json_t *rest = json_deep_copy(where);
	struct db_stmt *st = NULL;
	struct qbuild q;
	int rc;

	*out = 0;
	json_array_remove(rest, (size_t)link);
	memset(&q, 0, sizeof(q));
	q.scope = s;
	q.alias_kind[0] = kind;
	if (!query_kind_ok(kind)) {
		rc = aims_error_set(AIMS_EINVALID, "kind", "bad record kind");
		goto done;
	}
	buf_puts(&q.b.sql, "SELECT count(*) FROM (SELECT 1 FROM record_links l JOIN "
	    QUERY_RECORDS " t0 ON t0.org_id = l.org_id AND t0.kind = l.from_kind "
	    "AND t0.ref = l.from_ref");
	if ((rc = sqlb_int(&q.b, " WHERE l.org_id = ?", s->org_id)) != 0 ||
	    (rc = sqlb_text(&q.b, " AND l.from_kind = ?", kind)) != 0)
		goto done;
	buf_puts(&q.b.sql, " AND l.to_kind = 'requirement'");
	if ((rc = link_filters(&q, "l", spec, "to_ref")) != 0)
		goto done;
	buf_puts(&q.b.sql, " AND t0.retired = 0 AND ");
	if ((rc = conds_emit(&q, "t0", rest)) != 0 ||
	    (rc = sqlb_int(&q.b, " LIMIT ?) x", max)) != 0 ||
	    (rc = sqlb_prepare(&st, s->db, &q.b)) != 0)
		goto done;
	if ((rc = db_step(st)) == DB_ROW) {
		*out = db_column_int64(st, 0);
		rc = 0;
	}
done:
	if (st)
		db_done(st);
	qbuild_free(&q);
	json_decref(rest);
	return rc;
}

int
query_count_upto(int64_t *out, const struct query_scope *s, const char *kind,
    const json_t *where, int64_t max)
{
	struct db_stmt *st = NULL;
	struct qbuild q;
	char *tail;
	int rc, link;

	if ((link = where_requirement_link(where)) >= 0)
		return query_count_linked_upto(out, s, kind, where, link, max);
	/*
	 * The same plain count (no order: the planner drives from the links),
	 * over at most max rows, so it stops at the max-th.
	 */
	*out = 0;
	memset(&q, 0, sizeof(q));
	if ((rc = qbuild_select(&q, s, kind, where, NULL, 0, true)) != 0)
		goto done;
	tail = xstrdup(buf_str(&q.b.sql) + strlen(QUERY_COUNT_SELECT));
	buf_reset(&q.b.sql);
	buf_printf(&q.b.sql, "SELECT count(*) FROM (SELECT 1%s", tail);
	free(tail);
	if ((rc = sqlb_int(&q.b, " LIMIT ?) x", max)) != 0 ||
	    (rc = sqlb_prepare(&st, s->db, &q.b)) != 0)
		goto done;
	if ((rc = db_step(st)) == DB_ROW) {
		*out = db_column_int64(st, 0);
		rc = 0;
	}
done:
	if (st)
		db_done(st);
	qbuild_free(&q);
	return rc;
}

int
query_field_value(json_t **out, const struct query_scope *s, const char *kind,
    const char *field)
{
	struct db_stmt *st = NULL;
	json_t *f = json_string(field);
	struct qbuild q;
	int rc;

	memset(&q, 0, sizeof(q));
	q.scope = s;
	*out = NULL;
	buf_puts(&q.b.sql, "SELECT ");
	if ((rc = field_emit(&q, "t0", f)) != 0 || (rc = qbuild_from(&q, s, kind, NULL)) != 0)
		goto done;
	buf_puts(&q.b.sql, " ORDER BY t0.num LIMIT 1");
	if ((rc = sqlb_prepare(&st, s->db, &q.b)) != 0)
		goto done;
	if ((rc = db_step(st)) == DB_ROW && !db_column_is_null(st, 0)) {
		const char *txt = db_column_text(st, 0);
		int64_t iv = db_column_int64(st, 0);
		char num[32];

		/* Integers come back as such; anything else is kept as text. */
		snprintf(num, sizeof(num), "%lld", (long long)iv);
		*out = strcmp(num, txt) == 0 ? json_integer(iv) : json_string(txt);
	}
	rc = rc < 0 ? rc : 0;
done:
	if (st)
		db_done(st);
	qbuild_free(&q);
	json_decref(f);
	return rc;
}

int
query_records_each(struct db *db, int64_t org_id, const char *kind, query_record_fn fn,
    void *arg)
{
	struct query_record rec;
	struct db_stmt *st;
	json_error_t jerr;
	json_t *data;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT ref, version, updated_at, updated_by, data "
	    "FROM records WHERE org_id = ? AND kind = ? AND retired = 0 ORDER BY num")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	while ((rc = db_step(st)) == DB_ROW) {
		data = json_loads(db_column_text(st, 4), 0, &jerr);
		if (!json_is_object(data)) {
			json_decref(data);
			rc = aims_error_set(AIMS_ERROR, NULL, "record %s has unreadable data",
			    db_column_text(st, 0));
			break;
		}
		rec.ref = db_column_text(st, 0);
		rec.version = db_column_int64(st, 1);
		rec.updated_at = db_column_text(st, 2);
		rec.updated_by = db_column_text(st, 3);
		rec.data = data;
		rc = fn(arg, &rec);
		json_decref(data);
		if (rc != 0)
			break;
	}
	db_done(st);
	return rc;	/* fn's non-zero, an error, or DB_DONE (0) */
}

int
query_ref_title(json_t **out, const struct query_scope *s, const char *kind, const char *ref)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, s->db, "SELECT title FROM " QUERY_RECORDS
	    " WHERE org_id = ? AND kind = ? AND ref = ? AND retired = 0")) != 0)
		return rc;
	db_bind_int64(st, 1, s->org_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, ref);
	if ((rc = db_step(st)) == DB_ROW) {
		if (db_column_text(st, 0) != NULL && *db_column_text(st, 0) != '\0')
			*out = json_string(db_column_text(st, 0));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}
