/*
 * seal.h - secrets the server must use again (a webhook's signing secret)
 * kept sealed in the database: XSalsa20-Poly1305 (libsodium secretbox)
 * with a random key in a file beside the database (PATH.seal, 0600, made
 * on first use), so a copy of the database alone does not give them away.
 */
#ifndef AIMS_CORE_SEAL_H
#define AIMS_CORE_SEAL_H

#include <stddef.h>

#include "util/buf.h"

struct db;

/* Appends nonce || box of the len bytes at p to out. */
int seal_bytes(struct buf *out, struct db *db, const void *p, size_t len);
/* Appends what sealed (len bytes) opens to; AIMS_EVERIFY when it does not open. */
int seal_open(struct buf *out, struct db *db, const void *sealed, size_t len);

#endif
