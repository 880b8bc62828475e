/*
 * feed.h - calendar feeds at secret URLs (/ical/ID-SECRET.ics) that a
 * calendar application reads with no other credentials: scope "me" carries
 * the work of the person who made it (core/work.h), scope "org" the
 * certification calendar (external audits, and the internal audits and
 * management reviews to hold before each). The secret is 256 random bits,
 * shown once in the URL; only its SHA-256 is kept and a presented one is
 * compared in constant time. A feed stops when it is revoked or when its
 * person leaves the organisation or is disabled. Creating and revoking are
 * ledger events (kind "calendar-feed").
 */
#ifndef AIMS_CORE_FEED_H
#define AIMS_CORE_FEED_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"

struct db;

#define FEED_LEDGER_KIND	"calendar-feed"
#define FEED_PATH_PREFIX	"/ical/"
#define FEED_PATH_SUFFIX	".ics"
#define FEED_SECRET_BYTES	32
#define FEED_PER_PERSON_MAX	10	/* live feeds a person may hold in an organisation */

/*
 * A new feed of scope "me" or "org" (an org feed: a role that may change
 * the organisation's settings, perm.c): {id, ref, scope, url, created_at};
 * url (the path, FEED_PATH_PREFIX...) is never available again.
 */
int feed_create(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *scope);
/* The caller's live feeds, without their secrets: [{id, ref, scope, created_at}]. */
int feed_list(json_t **out, struct db *db, int64_t org_id, const struct actor *actor);
/* Revokes feed id: its person, or an admin of the organisation; else 404. */
int feed_revoke(struct db *db, int64_t org_id, const struct actor *actor, int64_t id);

/* What a presented key ("ID-SECRET", FEED_PATH_SUFFIX removed) opens. */
struct feed_grant {
	int64_t		org_id;
	int64_t		user_id;
	char		scope[4];
	char		org_name[201];
};
/* Splits "ID-SECRET" (the id's digits, then the secret): 0 or AIMS_ENOTFOUND. */
int feed_key_split(int64_t *id, const char **secret, const char *key);
/* AIMS_ENOTFOUND (nothing said) for an unknown, revoked or orphaned key. */
int feed_resolve(struct feed_grant *out, struct db *db, const char *key);

/* Ledger support, as webhook.h's. */
int feed_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *ref);
typedef int (*feed_visit_fn)(void *arg, const char *kind, const char *ref);
int feed_enumerate(struct db *db, int64_t org_id, feed_visit_fn fn, void *arg);

#endif
