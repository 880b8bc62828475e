/*
 * canon.h - canonical JSON: the exact bytes the ledger hashes; and
 * jansson's compact text, written faster (canon_compact()).
 *
 * RFC 8785 (JSON Canonicalization Scheme) is the model: object members
 * sorted by the UTF-16 code units of their names, no insignificant
 * whitespace, strings as UTF-8 with the minimal JCS escapes (\" \\ \b \f
 * \n \r \t, other controls as \u00xx), reals in the shortest form that
 * reads back to the same double, printed by the ECMAScript
 * Number.prototype.toString rules (1e+21, 0.000001, 1e-7, -0 as 0).
 * One deliberate difference: JSON integers (jansson json_integer) are
 * printed as plain decimal at full 64-bit precision, where JCS would round
 * them through a double; records never hold integers beyond 2^53 in
 * practice, and an exact decimal is what an auditor expects to see.
 */
#ifndef AIMS_LEDGER_CANON_H
#define AIMS_LEDGER_CANON_H

#include <jansson.h>
#include <stddef.h>

struct buf;

#define CANON_DEPTH_MAX		128	/* nesting of arrays and objects */
#define CANON_NUMBER_MAX	32	/* longest number text, with NUL */
/* canon_compact(): deeper than json_loads() reads (2048); no tree here is a cycle. */
#define CANON_COMPACT_DEPTH_MAX	4096

/* canon.c */
/* Appends the canonical form of v to out; AIMS_EINVALID on bad input. */
int canon_json(struct buf *out, const json_t *v);
/*
 * The same for v as the value of an object's member: the bytes canon_json()
 * of the object writes for it, nesting counted from there.
 */
int canon_json_member(struct buf *out, const json_t *v);
/* Appends s (len bytes of UTF-8) as a canonical JSON string. */
int canon_string(struct buf *out, const char *s, size_t len);
/* Formats a finite double the ECMAScript way; AIMS_EINVALID for NaN/Inf. */
int canon_number(char out[CANON_NUMBER_MAX], double d);
/* Orders two UTF-8 strings by their UTF-16 code units (<0, 0, >0). */
int canon_key_cmp(const char *a, size_t alen, const char *b, size_t blen);
/*
 * Appends v (an object or array) as json_dumps(v, JSON_COMPACT) writes it,
 * byte for byte: members in their order, not sorted, and not canonical. It
 * is the text of stored views and of answers; json_dumps() spent most of its
 * time checking for cycles, which a tree built here never has (nesting is
 * bounded by CANON_COMPACT_DEPTH_MAX instead). AIMS_EINVALID where
 * json_dumps() fails (a string that is not UTF-8).
 */
int canon_compact(struct buf *out, const json_t *v);
/* The same for any value (JSON_ENCODE_ANY), and for a string of len bytes. */
int canon_compact_any(struct buf *out, const json_t *v);
int canon_compact_string(struct buf *out, const char *s, size_t len);
/*
 * json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS), byte for byte (members by
 * their bytes, then length, at every depth): the stored form of a record's
 * data. NULL where json_dumps() gives NULL; the caller frees the text.
 */
char *canon_compact_sorted(const json_t *v);

#endif
