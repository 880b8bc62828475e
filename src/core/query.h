/*
 * query.h - set-based reads over the generic records store (records,
 * record_links) for the readiness engine and the exports: one statement per
 * question, never one round trip per record.
 *
 * Which records a question is about is data, so that the readiness rules in
 * catalog/ need no C change. A condition list is a JSON array; every element
 * must hold:
 *
 *   {"field": F, "eq"|"ne"|"gt"|"gte"|"lt"|"lte": V}
 *   {"field": F, "in"|"not_in": [V, ...]}
 *   {"field": F, "set": true|false}      present and not empty ("", [], {})
 *   {"field": F, "past": true|false}     a date before today | unset or not before
 *   {"field": F, "older_than_days": N}   a date more than N days before today; N may
 *                                        be "$variable" (null: no limit, never older)
 *   {"field": F, "contains": V}          a list field has V among its elements
 *   {"field": F, "justified": true|false} a meaningful justification (core/justify.h)
 *   {"any": [cond, ...]}  {"all": [cond, ...]}  {"not": cond}
 *   {"linked_from": {"kind": K, "field": P, "ref": R, "where": [...]}}
 *       a live record of kind K names this record (in field P; being R)
 *   {"links_to": {"kind": K, "field": P, "ref": R, "where": [...]}}
 *       this record names a live record of kind K (in field P; being R);
 *       K "requirement" means a catalog requirement id (no "where")
 *   {"org_has": {"kind": K, "where": [...]}}
 *       the organisation has a live record of kind K matching where (a
 *       setting kept as a singleton record: the EU AI Act profile)
 *
 * F is a record column (ref, title, status, owner, created_at, updated_at) or
 * a dotted path into the record's fields ("treatment.option"). V is a string,
 * an integer, a boolean or "$name", a variable of the scope; a variable that
 * has no value fails the query with AIMS_ECONFLICT naming it. A missing field
 * is "not equal" to anything, "not in" any list, and not set.
 */
#ifndef AIMS_CORE_QUERY_H
#define AIMS_CORE_QUERY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct db;

#define QUERY_FLAGS_MAX		64	/* boolean columns per query_select() */
#define QUERY_DEPTH_MAX		8	/* nesting of any/all/not/links */
#define QUERY_IN_MAX		32	/* values in one in/not_in list */
#define QUERY_PATH_MAX		96	/* length of a field path */
#define QUERY_DAY_LEN		11	/* "YYYY-MM-DD" + NUL */

struct query_scope {
	struct db	*db;
	int64_t		 org_id;
	char		 today[QUERY_DAY_LEN];
	const json_t	*vars;		/* object name -> string|integer|null; borrowed */
};

/* Fills s for org_id at the date of `now` (UTC). vars may be NULL. */
void query_scope_init(struct query_scope *s, struct db *db, int64_t org_id, time_t now,
    const json_t *vars);

/* Checks the grammar of a condition list (NULL is the empty list). */
int query_conds_check(const json_t *conds);

/*
 * Visits the live records of `kind` matching `where`, in number order. For
 * each, fn gets its ref and one boolean per condition list in flags[] (at
 * most QUERY_FLAGS_MAX; NULL when there are none). A non-zero return of fn
 * (an error, or a positive value of the caller's) stops the walk and is
 * returned as it is.
 */
typedef int (*query_row_fn)(void *arg, const char *ref, const bool *flags);
int query_select(const struct query_scope *s, const char *kind, const json_t *where,
    const json_t *const *flags, size_t nflags, query_row_fn fn, void *arg);
int query_count(int64_t *out, const struct query_scope *s, const char *kind,
    const json_t *where);
/*
 * query_count() that stops at max: whether at least max records match. A
 * where naming one requirement at its top level (query_names_requirement())
 * is walked from that requirement's links.
 */
bool query_names_requirement(const json_t *where);
int query_count_upto(int64_t *out, const struct query_scope *s, const char *kind,
    const json_t *where, int64_t max);

/*
 * The value of `field` in the first live record of `kind` (singletons such as
 * risk-criteria): *out is a JSON string or integer, or NULL when there is no
 * record or no value. Caller owns *out.
 */
int query_field_value(json_t **out, const struct query_scope *s, const char *kind,
    const char *field);

/* The title of the live record `ref` of `kind`: a JSON string, or NULL. */
int query_ref_title(json_t **out, const struct query_scope *s, const char *kind,
    const char *ref);

/*
 * Every live record of `kind` in number order, with its declared fields as
 * parsed JSON (borrowed for the call). Used by exports and SoA publishing.
 * A non-zero return of fn stops the walk and is returned as it is.
 */
struct query_record {
	const char	*ref;
	int64_t		 version;
	const char	*updated_at;
	const char	*updated_by;
	const json_t	*data;
};
typedef int (*query_record_fn)(void *arg, const struct query_record *rec);
int query_records_each(struct db *db, int64_t org_id, const char *kind, query_record_fn fn,
    void *arg);

#endif
