/*
 * record_counts.h - the figures the dashboard reads, kept by core as records
 * change: live records per kind, and per kind how many have each value of
 * their status and of each dimension their declaration counts
 * (record_kind.counts); the records whose due-date field falls in a range;
 * and how many records name a requirement. The engine asks these questions
 * here instead of reading core's tables.
 */
#ifndef AIMS_CORE_RECORD_COUNTS_H
#define AIMS_CORE_RECORD_COUNTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/record.h"

struct db;

/* {kind: live records} for the org. Caller owns *out. */
int record_counts_live(json_t **out, struct db *db, int64_t org_id);

/*
 * Besides its status and declared dimensions, a record whose revision is
 * open while its approved version stays in force is counted here, so that
 * what counts as done follows the version in force.
 */
#define RECORD_COUNT_IN_FORCE		"in_force"
#define RECORD_COUNT_IN_FORCE_YES	"yes"

/* {"kind/dim": {value: n}} (n > 0) for the org. Caller owns *out. */
int record_counts_dims(json_t **out, struct db *db, int64_t org_id);

/*
 * Calls fn for the live records of k whose due field d lies in [from, to)
 * (YYYY-MM-DD), nearest first or, with newest_first, latest first; at most
 * limit of them. fn's non-zero return stops the walk and is returned.
 */
typedef int (*record_due_fn)(void *arg, const char *ref, const char *title,
    const char *date);
int record_due_between(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_due *d, const char *from, const char *to, bool newest_first,
    int limit, record_due_fn fn, void *arg);

/* The title of a record, or NULL in *out when there is none. Caller frees. */
int record_title_of(char **out, struct db *db, int64_t org_id, const char *kind,
    const char *ref);

/*
 * Checks the kept counts of the org against a count made now from its live
 * records by the kinds' declarations: 0, or AIMS_EVERIFY naming the first
 * kind, dimension and value whose kept count differs, with both numbers.
 */
int record_counts_verify(struct db *db, int64_t org_id);

/*
 * How many live records of k have value in their filterable field `field`
 * (list fields: among their elements), counted up to cap.
 */
int record_count_with(int64_t *out, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *field, const char *value, int64_t cap);

/*
 * How many live records of k have each of the n fields at its value (as
 * the kept counts write values: "4", "high", "true"), when a dimension k
 * counts (record_kind.counts) is exactly those fields: *out from the kept
 * count and *kept true, so a list filtered by a heat-map cell has its total
 * in one read. Otherwise *kept false and nothing is read.
 */
int record_count_kept(int64_t *out, bool *kept, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *const *fields, const char *const *values,
    int n);

#endif
