/*
 * comment.h - comments on any record, and reviewers' notes given with a
 * workflow step. A comment names the members it mentions ("@ann@example.com"
 * in its text, matched against the organisation's members); it is never
 * changed or removed, and each is a ledger entry of kind COMMENT_LEDGER_KIND
 * whose ref is "KIND/REF/ID" ("risks/RISK-4/12"). Each member mentioned is
 * told (notify_person(), event COMMENT_NOTIFY_EVENT) in the same transaction.
 */
#ifndef AIMS_CORE_COMMENT_H
#define AIMS_CORE_COMMENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"

struct db;
struct record_kind;

#define COMMENT_LEDGER_KIND	"comment"
#define COMMENT_BODY_MAX	10000	/* bytes of a comment's text */
#define COMMENT_MENTIONS_MAX	20	/* members one comment may mention */
#define COMMENT_LIST_MAX	500	/* comments a record's page lists, oldest first */
#define COMMENT_EMAIL_MAX	254	/* an address a mention may name */
#define COMMENT_NOTIFY_EVENT	"mention"	/* what a mentioned member is told */

/*
 * The acting member comments on record ref of kind k (which must exist in
 * the organisation: AIMS_ENOTFOUND otherwise). step and version (NULL, 0:
 * a plain comment) make it a reviewer's note on that workflow step and the
 * version it made. *out: the comment as comment_list() gives it.
 * AIMS_EINVALID naming "body" when the text is empty or too long;
 * AIMS_EFORBIDDEN when the actor is not a person (the command line without
 * --as, a token made by nobody).
 */
int comment_add(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *ref, const char *body, const char *step,
    int64_t version);
/* comment_add()'s arguments, to add it as one request of the server's writer. */
struct comment_change {
	int64_t				 org_id;
	const struct actor		*actor;
	const struct record_kind	*k;
	const char			*ref, *body, *step;
	int64_t				 version;
	json_t				*out;
};

/* db_write_fn: arg is a struct comment_change; its out is comment_add()'s. */
int comment_change_apply(struct db *db, void *arg);
/*
 * The record's comments, oldest first: [{id, author, body, mentions [emails],
 * step (or null), version (or null), created_at}].
 */
int comment_list(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const char *ref);
/*
 * The next mention in the text from *cursor: "@" starting a word, then an
 * address (a final full stop is the sentence's). Copies it into out and
 * moves *cursor past it; false (and *cursor NULL) when there is none.
 */
bool comment_scan_mention(const char **cursor, char out[COMMENT_EMAIL_MAX + 1]);
/* The members body mentions, as a JSON array of their addresses (caller owns). */
int comment_mentions(json_t **out, struct db *db, int64_t org_id, const char *body);

/* Ledger support (ledger_source.c). */
int comment_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *ref);
int comment_enumerate(struct db *db, int64_t org_id,
    int (*fn)(void *arg, const char *kind, const char *ref), void *arg);

#endif
