/* test_merkle.c - RFC 6962 tree hashing, proofs and their verification. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "ledger/merkle.h"
#include "util/error.h"

#define TREE_MAX 70

/* The certificate-transparency reference leaves. */
static const char *const ct_leaves[8] = {
	"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};

/* Roots of the trees of the first 1..8 of those leaves. */
static const char *const ct_roots[8] = {
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct proof_vector {
	uint64_t	 a, b;		/* leaf index and size, or old and new size */
	int		 n;
	const char	*hash[3];
};

static const struct proof_vector ct_paths[] = {
	{ 0, 1, 0, { NULL } },
	{ 0, 8, 3, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 5, 8, 3, { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
	{ 2, 3, 1, { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" } },
	{ 1, 5, 3, { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
};

static const struct proof_vector ct_consistency[] = {
	{ 1, 1, 0, { NULL } },
	{ 1, 8, 3, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 6, 8, 3, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
	{ 2, 5, 2, { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
};

static struct merkle_hash leaves[TREE_MAX];

static void
from_hex(struct merkle_hash *out, const char *hex)
{
	assert_int_equal(sodium_hex2bin(out->h, sizeof(out->h), hex, strlen(hex), NULL, NULL,
	    NULL), 0);
}

static int
setup_leaves(void **state)
{
	uint8_t data[32];
	size_t len;
	int i;

	(void)state;
	if (sodium_init() < 0)
		return -1;
	for (i = 0; i < 8; i++) {
		sodium_hex2bin(data, sizeof(data), ct_leaves[i], strlen(ct_leaves[i]), NULL, &len,
		    NULL);
		merkle_hash_leaf(&leaves[i], data, len);
	}
	for (; i < TREE_MAX; i++) {
		data[0] = (uint8_t)i;
		merkle_hash_leaf(&leaves[i], data, 1);
	}
	return 0;
}

/* Reference MTH straight from RFC 6962 section 2.1, recursive. */
static void
mth(struct merkle_hash *out, const struct merkle_hash *d, uint64_t n)
{
	struct merkle_hash l, r;
	uint64_t k = 1;

	if (n == 0) {
		merkle_hash_empty(out);
		return;
	}
	if (n == 1) {
		*out = d[0];
		return;
	}
	while (k * 2 < n)
		k *= 2;
	mth(&l, d, k);
	mth(&r, d + k, n - k);
	merkle_hash_node(out, &l, &r);
}

/* Computes a proof's hashes from the ranges by streaming every leaf. */
static void
collect(struct merkle_hash *out, const struct merkle_range *r, size_t n, uint64_t size)
{
	struct merkle_collector c;
	struct merkle_stack s;
	uint64_t i;

	merkle_stack_init(&s);
	merkle_collector_init(&c, r, n, out);
	for (i = 0; i < size; i++)
		merkle_collector_push(&c, &s, &leaves[i]);
	merkle_collector_take(&c, &s);
	assert_int_equal(merkle_collector_done(&c), 0);
}

static void
test_merkle__ct_roots(void **state)
{
	struct merkle_hash want, got;
	char hex[2 * MERKLE_HASH_LEN + 1];
	int n;

	(void)state;
	merkle_root(&got, leaves, 0);
	from_hex(&want, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_memory_equal(got.h, want.h, MERKLE_HASH_LEN);
	for (n = 1; n <= 8; n++) {
		merkle_root(&got, leaves, (uint64_t)n);
		sodium_bin2hex(hex, sizeof(hex), got.h, MERKLE_HASH_LEN);
		assert_string_equal(hex, ct_roots[n - 1]);
	}
}

static void
test_merkle__ct_inclusion_proofs(void **state)
{
	struct merkle_range r[MERKLE_PROOF_MAX];
	struct merkle_hash got[MERKLE_PROOF_MAX], want, root;
	size_t n, i, v;

	(void)state;
	for (v = 0; v < sizeof(ct_paths) / sizeof(ct_paths[0]); v++) {
		const struct proof_vector *p = &ct_paths[v];

		assert_int_equal(merkle_path_ranges(r, &n, p->a, p->b), 0);
		assert_int_equal(n, (size_t)p->n);
		collect(got, r, n, p->b);
		for (i = 0; i < n; i++) {
			from_hex(&want, p->hash[i]);
			assert_memory_equal(got[i].h, want.h, MERKLE_HASH_LEN);
		}
		merkle_root(&root, leaves, p->b);
		assert_int_equal(merkle_verify_inclusion(p->a, p->b, &leaves[p->a], got, n, &root), 0);
	}
}

static void
test_merkle__ct_consistency_proofs(void **state)
{
	struct merkle_range r[MERKLE_PROOF_MAX];
	struct merkle_hash got[MERKLE_PROOF_MAX], want, r1, r2;
	size_t n, i, v;

	(void)state;
	for (v = 0; v < sizeof(ct_consistency) / sizeof(ct_consistency[0]); v++) {
		const struct proof_vector *p = &ct_consistency[v];

		assert_int_equal(merkle_consistency_ranges(r, &n, p->a, p->b), 0);
		assert_int_equal(n, (size_t)p->n);
		collect(got, r, n, p->b);
		for (i = 0; i < n; i++) {
			from_hex(&want, p->hash[i]);
			assert_memory_equal(got[i].h, want.h, MERKLE_HASH_LEN);
		}
		merkle_root(&r1, leaves, p->a);
		merkle_root(&r2, leaves, p->b);
		assert_int_equal(merkle_verify_consistency(p->a, p->b, &r1, &r2, got, n), 0);
	}
}

/* Every prefix root of the stack equals the recursive definition. */
static void
test_merkle__stack_matches_definition(void **state)
{
	struct merkle_stack s, t;
	struct merkle_hash a, b;
	uint64_t n;

	(void)state;
	merkle_stack_init(&s);
	for (n = 0; n < TREE_MAX; n++) {
		merkle_stack_root(&a, &s);
		mth(&b, leaves, n);
		assert_memory_equal(a.h, b.h, MERKLE_HASH_LEN);
		assert_int_equal(s.depth, __builtin_popcountll(n));
		/* The serialised frontier loads back to the same stack. */
		assert_int_equal(merkle_stack_load(&t, n, s.node,
		    (size_t)s.depth * MERKLE_HASH_LEN), 0);
		merkle_stack_root(&b, &t);
		assert_memory_equal(a.h, b.h, MERKLE_HASH_LEN);
		merkle_stack_push(&s, &leaves[n]);
	}
	assert_int_equal(merkle_stack_load(&t, 3, s.node, MERKLE_HASH_LEN), AIMS_EVERIFY);
	/* The stack of 6 leaves holds [0,4) and [4,6). */
	merkle_stack_init(&s);
	for (n = 0; n < 6; n++)
		merkle_stack_push(&s, &leaves[n]);
	assert_int_equal(merkle_stack_range(&a, &s, 4, 6), 0);
	mth(&b, leaves + 4, 2);
	assert_memory_equal(a.h, b.h, MERKLE_HASH_LEN);
	assert_int_equal(merkle_stack_range(&a, &s, 0, 6), 0);
	mth(&b, leaves, 6);
	assert_memory_equal(a.h, b.h, MERKLE_HASH_LEN);
	assert_int_equal(merkle_stack_range(&a, &s, 0, 2), AIMS_ENOTFOUND);
	assert_int_equal(merkle_stack_range(&a, &s, 4, 5), AIMS_ENOTFOUND);
	assert_int_equal(merkle_stack_range(&a, &s, 4, 7), AIMS_ENOTFOUND);
}

/* All proofs of all small trees verify, and any flipped bit breaks them. */
static void
test_merkle__all_small_proofs_verify_and_tamper_fails(void **state)
{
	struct merkle_range r[MERKLE_PROOF_MAX];
	struct merkle_hash p[MERKLE_PROOF_MAX], r1, r2, bad;
	uint64_t m, n;
	size_t k, i;

	(void)state;
	for (n = 1; n < 40; n++) {
		mth(&r2, leaves, n);
		for (m = 0; m < n; m++) {
			assert_int_equal(merkle_path_ranges(r, &k, m, n), 0);
			collect(p, r, k, n);
			assert_int_equal(merkle_verify_inclusion(m, n, &leaves[m], p, k, &r2), 0);
			assert_int_equal(merkle_verify_inclusion(m, n, &leaves[m ^ 1], p, k, &r2),
			    AIMS_EVERIFY);
			for (i = 0; i < k; i++) {
				p[i].h[i % MERKLE_HASH_LEN] ^= 1;
				assert_int_equal(merkle_verify_inclusion(m, n, &leaves[m], p, k, &r2),
				    AIMS_EVERIFY);
				p[i].h[i % MERKLE_HASH_LEN] ^= 1;
			}
			if (k > 0)
				assert_int_equal(merkle_verify_inclusion(m, n, &leaves[m], p, k - 1,
				    &r2), AIMS_EVERIFY);
			assert_int_equal(merkle_verify_inclusion(n, n, &leaves[m], p, k, &r2),
			    AIMS_EVERIFY);
		}
		for (m = 1; m <= n; m++) {
			mth(&r1, leaves, m);
			assert_int_equal(merkle_consistency_ranges(r, &k, m, n), 0);
			collect(p, r, k, n);
			assert_int_equal(merkle_verify_consistency(m, n, &r1, &r2, p, k), 0);
			bad = r1;
			bad.h[0] ^= 0x80;
			assert_int_equal(merkle_verify_consistency(m, n, &bad, &r2, p, k),
			    AIMS_EVERIFY);
			assert_int_equal(merkle_verify_consistency(m, n, &r1, &bad, p, k),
			    AIMS_EVERIFY);
			for (i = 0; i < k; i++) {
				p[i].h[5] ^= 4;
				assert_int_equal(merkle_verify_consistency(m, n, &r1, &r2, p, k),
				    AIMS_EVERIFY);
				p[i].h[5] ^= 4;
			}
		}
	}
	assert_int_equal(merkle_path_ranges(r, &k, 5, 5), AIMS_EINVALID);
	assert_int_equal(merkle_consistency_ranges(r, &k, 6, 5), AIMS_EINVALID);
}

/*
 * The verifier's way: take what the old tree's stack holds at the old
 * size, stream the new leaves, take the rest at the new size. The proof
 * must come out whole and equal to the one computed from all leaves.
 */
static void
test_merkle__consistency_proof_streams_from_old_size(void **state)
{
	struct merkle_range r[MERKLE_PROOF_MAX];
	struct merkle_hash got[MERKLE_PROOF_MAX], want[MERKLE_PROOF_MAX];
	struct merkle_collector c;
	struct merkle_stack s;
	uint64_t m, n, j;
	size_t k, i;

	(void)state;
	for (m = 1; m < 40; m++) {
		for (n = m; n < 45; n++) {
			merkle_stack_init(&s);
			for (j = 0; j < m; j++)
				merkle_stack_push(&s, &leaves[j]);
			assert_int_equal(merkle_consistency_ranges(r, &k, m, n), 0);
			merkle_collector_init(&c, r, k, got);
			merkle_collector_take(&c, &s);
			for (; j < n; j++)
				merkle_collector_push(&c, &s, &leaves[j]);
			merkle_collector_take(&c, &s);
			assert_int_equal(merkle_collector_done(&c), 0);
			collect(want, r, k, n);
			for (i = 0; i < k; i++)
				assert_memory_equal(got[i].h, want[i].h, MERKLE_HASH_LEN);
		}
	}
	/* A collector that never saw a range says so. */
	assert_int_equal(merkle_path_ranges(r, &k, 3, 9), 0);
	merkle_collector_init(&c, r, k, got);
	assert_int_equal(merkle_collector_done(&c), AIMS_ERROR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merkle__ct_roots),
		cmocka_unit_test(test_merkle__ct_inclusion_proofs),
		cmocka_unit_test(test_merkle__ct_consistency_proofs),
		cmocka_unit_test(test_merkle__stack_matches_definition),
		cmocka_unit_test(test_merkle__all_small_proofs_verify_and_tamper_fails),
		cmocka_unit_test(test_merkle__consistency_proof_streams_from_old_size),
	};

	return cmocka_run_group_tests_name("merkle", tests, setup_leaves, NULL);
}
