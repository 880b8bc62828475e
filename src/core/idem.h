/*
 * idem.h - Idempotency-Key records: a retried create returns the first
 * answer instead of making a duplicate.
 *
 * A key belongs to (org, principal): the same key from another caller is a
 * different key. idem_begin() reserves the key atomically, so two requests
 * racing with one key cannot both run; the winner stores its answer with
 * idem_finish() (or frees the key with idem_release() when it failed in a way
 * worth retrying). Keys are kept IDEM_TTL_SEC; a reservation older than
 * IDEM_STALE_SEC (its request died) can be taken over.
 */
#ifndef AIMS_CORE_IDEM_H
#define AIMS_CORE_IDEM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct db;

#define IDEM_TTL_SEC		(24 * 3600)
#define IDEM_STALE_SEC		60
#define IDEM_HASH_LEN		32
#define IDEM_BODY_MAX		(1024 * 1024)

enum idem_state {
	IDEM_NEW,	/* reserved for this request: run it, then idem_finish() */
	IDEM_BUSY,	/* another request with this key is running */
	IDEM_MISMATCH,	/* the key was used for a different request */
	IDEM_DONE,	/* finished before: status, body, location hold its answer */
};

struct idem_entry {
	unsigned char	 request_hash[IDEM_HASH_LEN];	/* in: set by the caller */
	enum idem_state	 state;
	int		 status;
	char		*body;		/* owned */
	char		*location;	/* owned, may be NULL */
};

/* SHA-256 over method, path and body: what "the same request" means. */
void idem_hash_request(unsigned char out[IDEM_HASH_LEN], const char *method, const char *path,
    const char *body, size_t body_len);
int idem_begin(struct idem_entry *e, struct db *db, int64_t org_id, const char *principal,
    const char *key, time_t now);
int idem_finish(struct db *db, int64_t org_id, const char *principal, const char *key,
    int status, const char *body, const char *location);
void idem_release(struct db *db, int64_t org_id, const char *principal, const char *key);
void idem_entry_free(struct idem_entry *e);
/* Deletes keys older than IDEM_TTL_SEC; returns how many or a negative code. */
int idem_expire(struct db *db, time_t now);

#endif
