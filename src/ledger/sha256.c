/*
 * sha256.c - SHA-256 on the x86-64 SHA extensions, or libsodium (see
 * sha256.h). The block function follows the instruction sequence Intel
 * documents for SHA-NI: message schedule with sha256msg1/sha256msg2, four
 * rounds per pair of sha256rnds2, state kept as ABEF/CDGH.
 */
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

#include "ledger/sha256.h"

#define SHA256_BLOCK	64

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#define SHA256_HAVE_NI	1
#endif

static atomic_int sha256_ni = -1;	/* -1: not probed yet */

#ifdef SHA256_HAVE_NI
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static const uint32_t sha256_iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
	0x5be0cd19,
};

struct sha256_ni_ctx {
	uint32_t	state[8];
	uint8_t		buf[SHA256_BLOCK];
	size_t		buflen;
	uint64_t	total;
};

__attribute__((target("sha,sse4.1")))
static void
sha256_ni_blocks(uint32_t state[8], const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i s0, s1, t, msg, m[4], abef, cdgh;
	int j;

	t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xB1);	/* CDAB */
	s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1B);	/* EFGH */
	s0 = _mm_alignr_epi8(t, s1, 8);		/* ABEF */
	s1 = _mm_blend_epi16(s1, t, 0xF0);	/* CDGH */
	for (; n > 0; n--, p += SHA256_BLOCK) {
		abef = s0;
		cdgh = s1;
		for (j = 0; j < 16; j++) {
			if (j < 4)
				m[j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * j)),
				    bswap);
			else	/* W[t] from W[t-16], W[t-15], W[t-7] and W[t-2] */
				m[j & 3] = _mm_sha256msg2_epu32(_mm_add_epi32(
				    _mm_sha256msg1_epu32(m[j & 3], m[(j + 1) & 3]),
				    _mm_alignr_epi8(m[(j + 3) & 3], m[(j + 2) & 3], 4)), m[(j + 3) & 3]);
			msg = _mm_add_epi32(m[j & 3], _mm_loadu_si128((const __m128i *)&sha256_k[4 * j]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
			s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(msg, 0x0E));
		}
		s0 = _mm_add_epi32(s0, abef);
		s1 = _mm_add_epi32(s1, cdgh);
	}
	t = _mm_shuffle_epi32(s0, 0x1B);	/* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xB1);	/* DCHG */
	_mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(t, s1, 0xF0));	/* DCBA */
	_mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(s1, t, 8));	/* HGFE */
}

static void
sha256_ni_update(struct sha256_ni_ctx *c, const uint8_t *p, size_t len)
{
	size_t n;

	if (len == 0)
		return;
	c->total += len;
	if (c->buflen > 0) {
		n = SHA256_BLOCK - c->buflen < len ? SHA256_BLOCK - c->buflen : len;
		memcpy(c->buf + c->buflen, p, n);
		c->buflen += n;
		p += n;
		len -= n;
		if (c->buflen < SHA256_BLOCK)
			return;
		sha256_ni_blocks(c->state, c->buf, 1);
		c->buflen = 0;
	}
	if ((n = len / SHA256_BLOCK) > 0) {
		sha256_ni_blocks(c->state, p, n);
		p += n * SHA256_BLOCK;
		len -= n * SHA256_BLOCK;
	}
	memcpy(c->buf, p, len);
	c->buflen = len;
}

static void
sha256_ni_final(uint8_t out[SHA256_LEN], struct sha256_ni_ctx *c)
{
	uint8_t pad[2 * SHA256_BLOCK] = { 0 };
	uint64_t bits = c->total * 8;
	size_t n = c->buflen + 9 <= SHA256_BLOCK ? SHA256_BLOCK : 2 * SHA256_BLOCK;
	int i;

	memcpy(pad, c->buf, c->buflen);
	pad[c->buflen] = 0x80;
	for (i = 0; i < 8; i++)
		pad[n - 1 - (size_t)i] = (uint8_t)(bits >> (8 * i));
	sha256_ni_blocks(c->state, pad, n / SHA256_BLOCK);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->state[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->state[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->state[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->state[i];
	}
}

/* CPUID directly: clang 14 does not know __builtin_cpu_supports("sha"). */
static int
sha256_probe(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b & (1u << 29)) != 0;	/* CPUID.7.0:EBX.SHA */
}
#else
static int
sha256_probe(void)
{
	return 0;
}
#endif

int
sha256_hardware(void)
{
	int v = atomic_load(&sha256_ni);

	if (v < 0) {
		v = sha256_probe();	/* two threads racing here store the same value */
		atomic_store(&sha256_ni, v);
	}
	return v;
}

void
sha256_set_hardware(int on)
{
	atomic_store(&sha256_ni, on ? sha256_probe() : 0);
}

void
sha256_concat(uint8_t out[SHA256_LEN], const void *a, size_t alen, const void *b, size_t blen)
{
	crypto_hash_sha256_state st;

#ifdef SHA256_HAVE_NI
	if (sha256_hardware()) {
		struct sha256_ni_ctx c;

		memcpy(c.state, sha256_iv, sizeof(c.state));
		c.buflen = 0;
		c.total = 0;
		sha256_ni_update(&c, a, alen);
		sha256_ni_update(&c, b, blen);
		sha256_ni_final(out, &c);
		return;
	}
#endif
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, a, alen);
	crypto_hash_sha256_update(&st, b, blen);
	crypto_hash_sha256_final(&st, out);
}

void
sha256_init(struct sha256_ctx *c)
{
	memset(c, 0, sizeof(*c));
#ifdef SHA256_HAVE_NI
	if ((c->hw = sha256_hardware()) != 0) {
		memcpy(c->state, sha256_iv, sizeof(c->state));
		return;
	}
#endif
	crypto_hash_sha256_init(&c->sodium);
}

void
sha256_update(struct sha256_ctx *c, const void *p, size_t len)
{
#ifdef SHA256_HAVE_NI
	if (c->hw) {
		struct sha256_ni_ctx n;

		/* The same layout field by field: the context stays opaque to callers. */
		memcpy(n.state, c->state, sizeof(n.state));
		memcpy(n.buf, c->buf, sizeof(n.buf));
		n.buflen = c->buflen;
		n.total = c->total;
		sha256_ni_update(&n, p, len);
		memcpy(c->state, n.state, sizeof(c->state));
		memcpy(c->buf, n.buf, sizeof(c->buf));
		c->buflen = n.buflen;
		c->total = n.total;
		return;
	}
#endif
	crypto_hash_sha256_update(&c->sodium, p, len);
}

void
sha256_final(uint8_t out[SHA256_LEN], struct sha256_ctx *c)
{
#ifdef SHA256_HAVE_NI
	if (c->hw) {
		struct sha256_ni_ctx n;

		memcpy(n.state, c->state, sizeof(n.state));
		memcpy(n.buf, c->buf, sizeof(n.buf));
		n.buflen = c->buflen;
		n.total = c->total;
		sha256_ni_final(out, &n);
		return;
	}
#endif
	crypto_hash_sha256_final(&c->sodium, out);
}
