/*
 * acknowledge.h - awareness (7.3): members acknowledge the approved version
 * in force of the AI policy and of documents marked as requiring
 * acknowledgement. A new approved version asks everyone again. Each
 * acknowledgement is a ledger entry of kind ACK_LEDGER_KIND whose ref is
 * "DOC-3/v4/ann@example.com" (document, version, member).
 */
#ifndef AIMS_CORE_ACKNOWLEDGE_H
#define AIMS_CORE_ACKNOWLEDGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"

struct db;
struct record_kind;

#define ACK_LEDGER_KIND		"acknowledgement"

/*
 * The acting member acknowledges document ref's approved version in force.
 * *out: the acknowledgement {document, version, email, acknowledged_at}.
 * AIMS_EFORBIDDEN: not a person (the command line without --as, a token
 * made by nobody); AIMS_ECONFLICT: the document does not ask for
 * acknowledgement, has no approved version in force, or this member already
 * acknowledged that version; AIMS_ENOTFOUND: no such document here.
 */
int ack_add(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ref);
/* ack_add()'s arguments, to acknowledge as one request of the server's writer. */
struct ack_change {
	int64_t			 org_id;
	const struct actor	*actor;
	const char		*ref;
	json_t			*out;
};

/* db_write_fn: arg is a struct ack_change; its out is ack_add()'s. */
int ack_change_apply(struct db *db, void *arg);
/*
 * Who acknowledged the version in force and who did not:
 * {document, title, version (null: none in force), asks (bool),
 *  acknowledged: [{email, name, acknowledged_at}], pending: [{email, name}],
 *  members, share (integer percent)}, over the enabled members.
 */
int ack_status(json_t **out, struct db *db, int64_t org_id, const char *ref);
/* Does document (a record as record_get gives it) ask members to acknowledge it? */
bool ack_asked(const json_t *document);
/* Are records of kind k the ones members acknowledge (documents)? */
bool ack_kind(const struct record_kind *k);
/*
 * What a record's page shows of acknowledgements: ack_status() for a
 * document that asks to be acknowledged; *out NULL for any other record.
 */
int ack_view(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const json_t *record);
/* The version of document in force (0: none). */
int64_t ack_version_in_force(const json_t *document);

/* Ledger support (ledger_source.c). */
int ack_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *ref);
int ack_enumerate(struct db *db, int64_t org_id,
    int (*fn)(void *arg, const char *kind, const char *ref), void *arg);

#endif
