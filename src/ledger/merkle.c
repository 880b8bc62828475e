/*
 * merkle.c - RFC 6962 / 9162 tree hashing, proofs and their verification
 * (see merkle.h).
 */
#include <sodium.h>
#include <string.h>

#include "ledger/merkle.h"
#include "ledger/sha256.h"
#include "util/error.h"

#define MERKLE_LEAF_PREFIX	0x00
#define MERKLE_NODE_PREFIX	0x01

void
merkle_hash_leaf(struct merkle_hash *out, const void *entry, size_t len)
{
	const uint8_t prefix = MERKLE_LEAF_PREFIX;

	sha256_concat(out->h, &prefix, 1, entry, len);
}

void
merkle_hash_node(struct merkle_hash *out, const struct merkle_hash *left,
    const struct merkle_hash *right)
{
	uint8_t in[1 + 2 * MERKLE_HASH_LEN];

	in[0] = MERKLE_NODE_PREFIX;
	memcpy(in + 1, left->h, MERKLE_HASH_LEN);
	memcpy(in + 1 + MERKLE_HASH_LEN, right->h, MERKLE_HASH_LEN);
	sha256_concat(out->h, in, sizeof(in), NULL, 0);
}

void
merkle_hash_empty(struct merkle_hash *out)
{
	crypto_hash_sha256(out->h, NULL, 0);
}

/* Largest power of two strictly below n (n >= 2). */
static uint64_t
merkle_split(uint64_t n)
{
	uint64_t k = 1;

	while (k < n - k)
		k <<= 1;
	return k;
}

void
merkle_stack_init(struct merkle_stack *s)
{
	s->size = 0;
	s->depth = 0;
}

void
merkle_stack_push_tap(struct merkle_stack *s, const struct merkle_hash *leaf, merkle_tap_fn tap,
    void *arg)
{
	uint64_t t, w = 1, end = s->size + 1;

	s->node[s->depth++] = *leaf;
	if (tap)
		tap(arg, end - 1, end, leaf);
	/* Each trailing one bit of the old size is a subtree now completed. */
	for (t = s->size; t & 1; t >>= 1) {
		merkle_hash_node(&s->node[s->depth - 2], &s->node[s->depth - 2],
		    &s->node[s->depth - 1]);
		s->depth--;
		w <<= 1;
		if (tap)
			tap(arg, end - w, end, &s->node[s->depth - 1]);
	}
	s->size = end;
}

void
merkle_stack_push(struct merkle_stack *s, const struct merkle_hash *leaf)
{
	merkle_stack_push_tap(s, leaf, NULL, NULL);
}

void
merkle_stack_root(struct merkle_hash *out, const struct merkle_stack *s)
{
	struct merkle_hash r;
	int i;

	if (s->depth == 0) {
		merkle_hash_empty(out);
		return;
	}
	r = s->node[s->depth - 1];
	for (i = s->depth - 2; i >= 0; i--)
		merkle_hash_node(&r, &s->node[i], &r);
	*out = r;
}

int
merkle_stack_load(struct merkle_stack *s, uint64_t size, const void *nodes, size_t len)
{
	int depth = __builtin_popcountll(size);

	if (len != (size_t)depth * MERKLE_HASH_LEN)
		return aims_error_set(AIMS_EVERIFY, NULL,
		    "tree frontier holds %zu bytes, a tree of %llu leaves needs %d hashes",
		    len, (unsigned long long)size, depth);
	s->size = size;
	s->depth = depth;
	if (len)
		memcpy(s->node, nodes, len);
	return 0;
}

int
merkle_stack_range(struct merkle_hash *out, const struct merkle_stack *s, uint64_t begin,
    uint64_t end)
{
	uint64_t start = 0, w = 0;
	int bit, i = 0, j;

	if (begin >= end || end > s->size)
		return AIMS_ENOTFOUND;
	for (bit = MERKLE_LEVELS_MAX - 1; bit >= 0; bit--) {
		if (!(s->size >> bit & 1))
			continue;
		w = (uint64_t)1 << bit;
		if (start == begin)
			break;
		start += w;
		i++;
	}
	if (start != begin || i >= s->depth)
		return AIMS_ENOTFOUND;
	if (start + w == end) {
		*out = s->node[i];
		return 0;
	}
	if (end != s->size)
		return AIMS_ENOTFOUND;
	*out = s->node[s->depth - 1];
	for (j = s->depth - 2; j >= i; j--)
		merkle_hash_node(out, &s->node[j], out);
	return 0;
}

void
merkle_root(struct merkle_hash *out, const struct merkle_hash *leaves, uint64_t n)
{
	struct merkle_stack s;
	uint64_t i;

	merkle_stack_init(&s);
	for (i = 0; i < n; i++)
		merkle_stack_push(&s, &leaves[i]);
	merkle_stack_root(out, &s);
}

static void
merkle_reverse(struct merkle_range *r, size_t n)
{
	struct merkle_range t;
	size_t i;

	for (i = 0; i < n / 2; i++) {
		t = r[i];
		r[i] = r[n - 1 - i];
		r[n - 1 - i] = t;
	}
}

int
merkle_path_ranges(struct merkle_range out[MERKLE_PROOF_MAX], size_t *n, uint64_t index,
    uint64_t size)
{
	uint64_t b = 0, e = size, k;

	*n = 0;
	if (index >= size)
		return aims_error_set(AIMS_EINVALID, "leaf_index",
		    "leaf %llu is not in a tree of %llu leaves",
		    (unsigned long long)index, (unsigned long long)size);
	/* Walk down from the root; each step records the sibling subtree. */
	while (e - b > 1) {
		k = merkle_split(e - b);
		if (index < b + k) {
			out[(*n)++] = (struct merkle_range){ b + k, e };
			e = b + k;
		} else {
			out[(*n)++] = (struct merkle_range){ b, b + k };
			b += k;
		}
	}
	merkle_reverse(out, *n);
	return 0;
}

int
merkle_consistency_ranges(struct merkle_range out[MERKLE_PROOF_MAX], size_t *n,
    uint64_t old_size, uint64_t new_size)
{
	uint64_t b = 0, e = new_size, k;
	int whole = 1;	/* RFC 9162 SUBPROOF's b: still on the old tree's root */

	*n = 0;
	if (old_size > new_size)
		return aims_error_set(AIMS_EINVALID, "tree_size",
		    "a tree of %llu leaves cannot extend one of %llu",
		    (unsigned long long)new_size, (unsigned long long)old_size);
	if (old_size == 0 || old_size == new_size)
		return 0;
	for (;;) {
		if (old_size == e) {
			if (!whole)
				out[(*n)++] = (struct merkle_range){ b, e };
			break;
		}
		k = merkle_split(e - b);
		if (old_size <= b + k) {
			out[(*n)++] = (struct merkle_range){ b + k, e };
			e = b + k;
		} else {
			out[(*n)++] = (struct merkle_range){ b, b + k };
			b += k;
			whole = 0;
		}
	}
	merkle_reverse(out, *n);
	return 0;
}

static int
merkle_range_before(const struct merkle_range *a, const struct merkle_range *b)
{
	if (a->end != b->end)
		return a->end < b->end;
	return a->end - a->begin < b->end - b->begin;
}

void
merkle_collector_init(struct merkle_collector *c, const struct merkle_range *ranges, size_t n,
    struct merkle_hash *out)
{
	size_t i, j, t;

	c->ranges = ranges;
	c->out = out;
	c->n = n < MERKLE_PROOF_MAX ? n : MERKLE_PROOF_MAX;
	for (i = 0; i < c->n; i++) {
		c->order[i] = i;
		c->done[i] = 0;
	}
	/* Insertion sort: the order pushes complete subtrees in. */
	for (i = 1; i < c->n; i++)
		for (j = i; j > 0 && merkle_range_before(&ranges[c->order[j]],
		    &ranges[c->order[j - 1]]); j--) {
			t = c->order[j];
			c->order[j] = c->order[j - 1];
			c->order[j - 1] = t;
		}
	c->next = 0;
}

void
merkle_collector_take(struct merkle_collector *c, const struct merkle_stack *s)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!c->done[i] && merkle_stack_range(&c->out[i], s, c->ranges[i].begin,
		    c->ranges[i].end) == 0)
			c->done[i] = 1;
}

static void
merkle_collector_tap(void *arg, uint64_t begin, uint64_t end, const struct merkle_hash *h)
{
	struct merkle_collector *c = arg;
	const struct merkle_range *r;
	struct merkle_range got = { begin, end };

	while (c->next < c->n) {
		r = &c->ranges[c->order[c->next]];
		if (!merkle_range_before(r, &got))
			break;
		c->next++;	/* not a perfect subtree: left to take() */
	}
	if (c->next < c->n) {
		r = &c->ranges[c->order[c->next]];
		if (r->begin == begin && r->end == end) {
			c->out[c->order[c->next]] = *h;
			c->done[c->order[c->next]] = 1;
			c->next++;
		}
	}
}

void
merkle_collector_push(struct merkle_collector *c, struct merkle_stack *s,
    const struct merkle_hash *leaf)
{
	merkle_stack_push_tap(s, leaf, c->next < c->n ? merkle_collector_tap : NULL, c);
}

int
merkle_collector_done(const struct merkle_collector *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!c->done[i])
			return aims_error_set(AIMS_ERROR, NULL,
			    "proof hash for leaves [%llu, %llu) was not computed",
			    (unsigned long long)c->ranges[i].begin,
			    (unsigned long long)c->ranges[i].end);
	return 0;
}

int
merkle_verify_inclusion(uint64_t index, uint64_t size, const struct merkle_hash *leaf,
    const struct merkle_hash *path, size_t n, const struct merkle_hash *root)
{
	struct merkle_hash r = *leaf;
	uint64_t fn = index, sn;
	size_t i;

	if (index >= size)
		return aims_error_set(AIMS_EVERIFY, NULL, "leaf %llu is beyond a tree of %llu",
		    (unsigned long long)index, (unsigned long long)size);
	sn = size - 1;
	for (i = 0; i < n; i++) {
		if (sn == 0)
			return aims_error_set(AIMS_EVERIFY, NULL, "inclusion proof is too long");
		if ((fn & 1) || fn == sn) {
			merkle_hash_node(&r, &path[i], &r);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			merkle_hash_node(&r, &r, &path[i]);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return aims_error_set(AIMS_EVERIFY, NULL, "inclusion proof is too short");
	if (sodium_memcmp(r.h, root->h, MERKLE_HASH_LEN) != 0)
		return aims_error_set(AIMS_EVERIFY, NULL,
		    "inclusion proof does not lead to the tree's root");
	return 0;
}

int
merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
    const struct merkle_hash *old_root, const struct merkle_hash *new_root,
    const struct merkle_hash *proof, size_t n)
{
	struct merkle_hash fr, sr;
	uint64_t fn, sn;
	size_t i = 0;

	if (old_size > new_size)
		return aims_error_set(AIMS_EVERIFY, NULL, "the newer tree is smaller than the older");
	if (old_size == 0)
		return n == 0 ? 0 : aims_error_set(AIMS_EVERIFY, NULL,
		    "a proof from the empty tree must be empty");
	if (old_size == new_size) {
		if (n != 0)
			return aims_error_set(AIMS_EVERIFY, NULL,
			    "a proof between equal sizes must be empty");
		if (sodium_memcmp(old_root->h, new_root->h, MERKLE_HASH_LEN) != 0)
			return aims_error_set(AIMS_EVERIFY, NULL,
			    "two trees of the same size have different roots");
		return 0;
	}
	fn = old_size - 1;
	sn = new_size - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	/* If the old tree is a perfect subtree, its root starts the proof. */
	if (fn == 0 && (old_size & (old_size - 1)) == 0)
		fr = *old_root;
	else if (n == 0)
		return aims_error_set(AIMS_EVERIFY, NULL, "consistency proof is empty");
	else
		fr = proof[i++];
	sr = fr;
	for (; i < n; i++) {
		if (sn == 0)
			return aims_error_set(AIMS_EVERIFY, NULL, "consistency proof is too long");
		if ((fn & 1) || fn == sn) {
			merkle_hash_node(&fr, &proof[i], &fr);
			merkle_hash_node(&sr, &proof[i], &sr);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			merkle_hash_node(&sr, &sr, &proof[i]);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return aims_error_set(AIMS_EVERIFY, NULL, "consistency proof is too short");
	if (sodium_memcmp(fr.h, old_root->h, MERKLE_HASH_LEN) != 0 ||
	    sodium_memcmp(sr.h, new_root->h, MERKLE_HASH_LEN) != 0)
		return aims_error_set(AIMS_EVERIFY, NULL,
		    "consistency proof does not join the two roots");
	return 0;
}
