/*
 * ledger.h - the tamper-evident audit trail (DESIGN.md invariant 2).
 *
 * One append-only log per organisation (org 0 is the instance log: users).
 * Every core mutation calls ledger_append() inside its own transaction, so a
 * record change and its ledger entry commit or vanish together. Entries are
 * leaves of an RFC 6962 Merkle tree; an entry commits to the record's state by
 * SHA-256(salt || canonical JSON of the record), so personal data can later be
 * erased (drop record and salt) without changing any leaf.
 */
#ifndef AIMS_LEDGER_LEDGER_H
#define AIMS_LEDGER_LEDGER_H

#include <jansson.h>
#include <stdint.h>

struct db;

struct ledger_event {
	int64_t		 org_id;	/* 0: instance log */
	const char	*actor;		/* "user:EMAIL", "token:NAME", "cli", "system" */
	const char	*action;	/* create, update, delete, retire, approve, ... */
	const char	*kind;		/* org, user, membership, ai-system, risk, ... */
	const char	*ref;		/* per-org reference or natural key */
	int64_t		 version;	/* record version after the change */
	const json_t	*record;	/* state after the change; NULL when deleted */
};

/*
 * Loads the current state of a record exactly as it was given to
 * ledger_append() (same fields), or returns AIMS_ENOTFOUND. Provided by core
 * so the verifier can compare live rows with their latest commitment.
 */
typedef int (*ledger_load_fn)(json_t **out, struct db *db, int64_t org_id, const char *kind,
    const char *ref);

/* Appends one entry; must be called inside a db transaction. */
int ledger_append(int64_t *seq_out, struct db *db, const struct ledger_event *ev);

#endif
