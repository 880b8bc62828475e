/*
 * sha256.h - SHA-256 for the Merkle tree's hot path.
 *
 * `aims verify` hashes every entry and every tree node (about six SHA-256
 * blocks per entry), so the hash is most of its cost. libsodium's SHA-256
 * is portable C; on x86-64 CPUs with the SHA extensions (Intel since Ice
 * Lake and Goldmont, AMD since Zen) this module runs the same function on
 * them instead, about four times faster. Everywhere else, and whenever the
 * CPU lacks them, it calls libsodium. The tests check both paths against
 * libsodium on every length up to several blocks. The record commitments
 * (a hash of a kilobyte or more for every change, and again for every
 * record `aims verify` checks) use it too; key ids and signatures use
 * libsodium directly.
 */
#ifndef AIMS_LEDGER_SHA256_H
#define AIMS_LEDGER_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#define SHA256_LEN	32

/* sha256.c */
/* SHA-256 of the concatenation a || b. */
void sha256_concat(uint8_t out[SHA256_LEN], const void *a, size_t alen, const void *b,
    size_t blen);
/*
 * Streaming SHA-256 of long inputs (evidence files in an audit pack), on
 * the SHA extensions when present, like sha256_concat().
 */
struct sha256_ctx {
	int				hw;
	uint32_t			state[8];
	uint8_t				buf[64];
	size_t				buflen;
	uint64_t			total;
	crypto_hash_sha256_state	sodium;
};
void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *p, size_t len);
void sha256_final(uint8_t out[SHA256_LEN], struct sha256_ctx *c);
/* 1 when the CPU's SHA extensions are in use. */
int sha256_hardware(void);
/* Turns the SHA extensions off (0) or back on if present (1): tests, benchmarks. */
void sha256_set_hardware(int on);

#endif
