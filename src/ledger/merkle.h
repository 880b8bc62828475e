/*
 * merkle.h - the RFC 6962 / RFC 9162 Merkle tree over ledger entries.
 *
 * Leaf hash SHA-256(0x00 || entry), node hash SHA-256(0x01 || left ||
 * right), the tree of n leaves split at the largest power of two below n.
 * A merkle_stack holds the roots of the perfect subtrees that make up a tree
 * of any size (at most one per bit of the size), so leaves can be streamed
 * through it in O(log n) memory and the root of every prefix read off it.
 * Proofs are described first as the leaf ranges whose subtree hashes they
 * carry (merkle_*_ranges), then those hashes are computed by whoever has
 * the leaves (a merkle_collector streams them), and merkle_verify_*
 * checks a proof as RFC 9162 sections 2.1.3.2 and 2.1.4.2 do.
 */
#ifndef AIMS_LEDGER_MERKLE_H
#define AIMS_LEDGER_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH_LEN		32
#define MERKLE_LEVELS_MAX	64	/* a stack for up to 2^64 - 1 leaves */
#define MERKLE_PROOF_MAX	128	/* hashes in any inclusion or consistency proof */

struct merkle_hash {
	uint8_t	h[MERKLE_HASH_LEN];
};

struct merkle_stack {
	uint64_t		size;		/* leaves pushed */
	int			depth;		/* subtrees held: popcount(size) */
	struct merkle_hash	node[MERKLE_LEVELS_MAX];	/* leftmost (largest) first */
};

struct merkle_range {
	uint64_t	begin, end;	/* leaves [begin, end) */
};

/* Called for every perfect subtree a push completes: leaves [begin, end). */
typedef void (*merkle_tap_fn)(void *arg, uint64_t begin, uint64_t end,
    const struct merkle_hash *h);

/*
 * Gathers the hashes a proof needs while leaves stream through a stack:
 * each range of a proof is either a perfect subtree (caught as a push
 * completes it) or a run of the stack's subtrees at the moment the stack
 * holds the range's end (taken with merkle_collector_take()). Memory is
 * O(1) in the tree size, and no hash is computed twice.
 */
struct merkle_collector {
	const struct merkle_range	*ranges;
	struct merkle_hash		*out;		/* out[i] gets ranges[i]'s hash */
	size_t				 n;
	size_t				 order[MERKLE_PROOF_MAX];	/* by end, then size */
	size_t				 next;		/* into order */
	uint8_t				 done[MERKLE_PROOF_MAX];
};

/* merkle.c */
void merkle_hash_leaf(struct merkle_hash *out, const void *entry, size_t len);
void merkle_hash_node(struct merkle_hash *out, const struct merkle_hash *left,
    const struct merkle_hash *right);
void merkle_hash_empty(struct merkle_hash *out);	/* root of the empty tree */

void merkle_stack_init(struct merkle_stack *s);
void merkle_stack_push(struct merkle_stack *s, const struct merkle_hash *leaf);
void merkle_stack_push_tap(struct merkle_stack *s, const struct merkle_hash *leaf,
    merkle_tap_fn tap, void *arg);
void merkle_stack_root(struct merkle_hash *out, const struct merkle_stack *s);
/* Sets a stack from its serialised form (the depth hashes concatenated). */
int merkle_stack_load(struct merkle_stack *s, uint64_t size, const void *nodes, size_t len);
/*
 * The hash of leaves [begin, end) if the stack can tell: the range is one
 * of its subtrees, or ends at the stack's size and begins where one does.
 */
int merkle_stack_range(struct merkle_hash *out, const struct merkle_stack *s,
    uint64_t begin, uint64_t end);
/* Root of n leaf hashes held in memory. */
void merkle_root(struct merkle_hash *out, const struct merkle_hash *leaves, uint64_t n);

/* Ranges of an inclusion proof (audit path), leaf to root. */
int merkle_path_ranges(struct merkle_range out[MERKLE_PROOF_MAX], size_t *n, uint64_t index,
    uint64_t size);
/* Ranges of a consistency proof from old_size to new_size, RFC 9162 order. */
int merkle_consistency_ranges(struct merkle_range out[MERKLE_PROOF_MAX], size_t *n,
    uint64_t old_size, uint64_t new_size);

void merkle_collector_init(struct merkle_collector *c, const struct merkle_range *ranges,
    size_t n, struct merkle_hash *out);
/* Fills every range the stack can answer now (see merkle_stack_range). */
void merkle_collector_take(struct merkle_collector *c, const struct merkle_stack *s);
/* Pushes a leaf onto s, catching the subtrees it completes. */
void merkle_collector_push(struct merkle_collector *c, struct merkle_stack *s,
    const struct merkle_hash *leaf);
/* 0 when every range has its hash. */
int merkle_collector_done(const struct merkle_collector *c);

/* 0 when the proof holds, AIMS_EVERIFY otherwise. */
int merkle_verify_inclusion(uint64_t index, uint64_t size, const struct merkle_hash *leaf,
    const struct merkle_hash *path, size_t n, const struct merkle_hash *root);
int merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
    const struct merkle_hash *old_root, const struct merkle_hash *new_root,
    const struct merkle_hash *proof, size_t n);

#endif
