/*
 * concern.h - the concern reporting channel (A.3.3): a public form through
 * which anyone, without an account and anonymously, reports a concern about
 * the organisation's AI systems, and reads the organisation's replies with
 * the report key it was given.
 *
 * An organisation opens or closes its channel (a manager or an admin). A
 * report becomes a `concerns` record (kind_concern.c) created by the
 * actor CONCERN_ACTOR; the key is 256 random bits shown once and kept only
 * as its SHA-256, so nobody, the organisation included, can read a report
 * as its reporter. Nothing here receives or keeps the reporter's address:
 * the rate limit of the public routes is the HTTP layer's and lives in
 * memory (http/budget.h).
 */
#ifndef AIMS_CORE_CONCERN_H
#define AIMS_CORE_CONCERN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"

struct db;

#define CONCERN_TEXT_MIN	10	/* a report shorter than this says nothing */
#define CONCERN_TEXT_MAX	20000	/* characters (bytes) of a report */
#define CONCERN_KEY_BYTES	32	/* random bytes of a report key */
#define CONCERN_KEY_LEN		44	/* its URL-safe base64 text, with the terminator */
#define CONCERN_KIND		"concerns"	/* the record kind (kind_concern.c) */
#define CONCERN_LEDGER_KIND	"concern-channel"
#define CONCERN_ACTOR_NAME	"public:concern-form"
/* Who creates a concern sent through the public form: nobody known. */
#define CONCERN_ACTOR		((struct actor){ 0, CONCERN_ACTOR_NAME, ROLE_CONTRIBUTOR })

/* Opens or closes org_id's channel; ledgered. *out (may be NULL): concern_channel_get(). */
int concern_channel_set(json_t **out, struct db *db, const struct actor *actor,
    int64_t org_id, bool open);
/* {"open", "updated_at", "updated_by", "version"}; a channel never opened is closed. */
int concern_channel_get(json_t **out, struct db *db, int64_t org_id);
/*
 * The organisation of slug when its channel is open: *org_id and its display
 * name (*name, caller frees). AIMS_ENOTFOUND, the same answer, for no such
 * organisation and for a closed channel.
 */
int concern_channel_find(int64_t *org_id, char **name, struct db *db, const char *slug);
/*
 * Takes a report for the organisation whose slug is given. AIMS_ENOTFOUND,
 * the same answer, when there is no such organisation or its channel is
 * closed (nobody learns which organisations exist); AIMS_EINVALID naming
 * "text" when the text is too short or too long. key receives the report
 * key, shown once.
 */
int concern_submit(char key[CONCERN_KEY_LEN], struct db *db, const char *slug,
    const char *text);
/*
 * The report whose key is given, as its reporter sees it: {"received_at",
 * "text", "status", "replies": [{"at", "text"}]}, and the organisation it
 * was sent to in *org_id (may be NULL; for its time zone, never shown).
 * AIMS_ENOTFOUND when no report has this key.
 */
int concern_read(json_t **out, int64_t *org_id, struct db *db, const char *key);
/* ledger_source: the channel's ledgered state, and the orgs that have one. */
int concern_channel_load_for_ledger(json_t **out, struct db *db, int64_t org_id,
    const char *kind, const char *ref);

#endif
