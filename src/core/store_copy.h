/*
 * store_copy.h - moving organisations between stores (`aims migrate-store`):
 * see store_copy.c for what is copied, what is left behind and why.
 */
#ifndef AIMS_CORE_STORE_COPY_H
#define AIMS_CORE_STORE_COPY_H

#include <stdint.h>

struct db;

struct store_copy_stats {
	int64_t	 tables;	/* tables rows were copied from */
	int64_t	 rows;
	int64_t	 files;		/* evidence blobs */
	int64_t	 users_logged;	/* users entered in the target's instance log */
};

/*
 * Copies organisation org_id (0: every organisation, the users and the
 * instance log; the target must then be empty) from src, a SQLite store,
 * to dst, with the ledger, evidence files and signing key; all or nothing.
 */
int store_copy(struct store_copy_stats *stats, struct db *dst, struct db *src, int64_t org_id);

#endif
