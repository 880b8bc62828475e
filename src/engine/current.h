/*
 * current.h - the engine's answers that read a whole organisation
 * (readiness, crosswalk coverage), kept for the pages shown at every view.
 *
 * A kept answer is reused while it is still the answer: nothing was written
 * to the organisation since (its ledger has the same size: every change
 * appends an entry), on the same day, and for at most CURRENT_SECONDS, so
 * that deadlines judged to the second and changes made by another process
 * show within that time. The API and the exports evaluate afresh.
 */
#ifndef AIMS_ENGINE_CURRENT_H
#define AIMS_ENGINE_CURRENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

#define CURRENT_SLOTS		64	/* answers kept, the oldest replaced */
#define CURRENT_SECONDS		60	/* a kept answer is reused this long at most */
#define CURRENT_KEY_MAX		48	/* "readiness", "coverage:eu-ai-act" */

/* Computes the answer kept under a key. */
typedef int (*current_fn)(json_t **out, struct db *db, int64_t org_id, const void *arg);

enum current_use {
	CURRENT_COPY,	/* *out is the caller's own copy, to change at will */
	CURRENT_SHARED,	/* *out is shared with other requests: read it, never change it */
};

/*
 * The answer kept for (org_id, key), or fn's, kept for the next caller.
 * Thread-safe; fn runs outside the lock (two callers may both compute it).
 * Caller decrefs *out either way.
 */
int current_get(json_t **out, struct db *db, int64_t org_id, const char *key,
    enum current_use use, current_fn fn, const void *arg);

#endif
