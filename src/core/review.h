/*
 * review.h - the inputs of a management review (9.3.2) compiled from the
 * organisation's records at the moment the review is held, and frozen in
 * the review (its read-only `inputs` field, kind_management_review.c).
 *
 * Each input is one member of the object, read by kind name through the
 * record engine: a kind the build does not declare yet (metrics,
 * objectives, incidents...) is named in the member's `not_kept`, and the
 * member is there all the same, so a review always lists every input and a
 * kind added later slots in without a change here.
 */
#ifndef AIMS_CORE_REVIEW_H
#define AIMS_CORE_REVIEW_H

#include <jansson.h>
#include <stdint.h>

struct db;

#define REVIEW_INPUT_ITEMS_MAX	100	/* records listed per input; the rest counted */

/* The inputs in the standard's order: member name, clause, title in words. */
struct review_input_name {
	const char	*name;		/* "nonconformities" */
	const char	*clause;	/* "9.3.2 d)" */
	const char	*title;
};
extern const struct review_input_name review_input_names[];	/* name NULL ends */

/*
 * Compiles every input for the review `self` (its ref, left out of the
 * earlier reviews; NULL for one not yet numbered) held on `held_on`
 * (YYYY-MM-DD): {name: {clause, title, kinds, not_kept, since, total,
 * counts: [{what, count}], items: [{kind, ref, title, status, owner, date,
 * note}], more}}: overdue actions first, then in reference order. `since` is the held_on of the latest earlier held review
 * (changes are counted from it; null: the first review). Caller owns *out.
 */
int review_inputs_compile(json_t **out, struct db *db, int64_t org_id, const char *self,
    const char *held_on);

#endif
