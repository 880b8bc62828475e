/*
 * lifecycle.h - what the rest of the application asks of an AI system's
 * life-cycle records (kind_lifecycle.c, A.6.2): the stages in words, and
 * whether a stage has an approved record (the deployment rule).
 */
#ifndef AIMS_CORE_LIFECYCLE_H
#define AIMS_CORE_LIFECYCLE_H

#include <jansson.h>
#include <stdint.h>

struct db;
struct record_kind;

/* A life-cycle stage in words ("Verification and validation"); stage if unknown. */
const char *lifecycle_stage_label(const char *stage);
/*
 * 0 when AI system ai_ref has an approved record of stage (its version in
 * force counts while a revision is open); AIMS_ENOTFOUND when it has none;
 * another AIMS_E* code on failure.
 */
int lifecycle_has_approved(struct db *db, int64_t org_id, const char *ai_ref,
    const char *stage);
/*
 * An AI system's life-cycle records for its page, in stage order then by
 * ref; *out NULL for a record of a kind life-cycle records do not belong to.
 */
int lifecycle_of(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const char *ref);

#endif
