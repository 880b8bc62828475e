/*
 * canon.c - canonical JSON after RFC 8785 (see canon.h for the rules), and
 * jansson's compact text written without its cycle checks (canon_compact()).
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/canon.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define CANON_DIGITS_MAX	17	/* a double never needs more */
#define CANON_EXP_PLAIN_MAX	21	/* ECMAScript: plain notation up to 1e21 */
#define CANON_EXP_PLAIN_MIN	(-6)	/* and down to 1e-6 */
#define CANON_MEMBERS_SMALL	64	/* members sorted without an allocation */

struct canon_member {
	const char	*key;
	size_t		 len;
	json_t		*value;
};

/*
 * A byte or a run into out, in place when it has room: the writers here put
 * out a record a few bytes at a time, and buf_append() checks for room and
 * terminates the text on every call.
 */
static inline void
canon_putc(struct buf *out, char c)
{
	if (out->len + 1 < out->cap) {
		out->data[out->len++] = c;
		out->data[out->len] = '\0';
	} else
		buf_putc(out, c);
}

static inline void
canon_append(struct buf *out, const char *s, size_t len)
{
	if (out->len + len < out->cap) {
		memcpy(out->data + out->len, s, len);
		out->len += len;
		out->data[out->len] = '\0';
	} else
		buf_append(out, s, len);
}

static int canon_value(struct buf *out, const json_t *v, int depth);

/*
 * Next UTF-16 code unit of a valid UTF-8 string: *pend holds the low
 * surrogate still owed for a supplementary character. Returns -1 at the end.
 */
static int32_t
canon_next_unit(const unsigned char **p, const unsigned char *end, uint32_t *pend)
{
	uint32_t cp, c = 0;
	int n, i;

	if (*pend) {
		c = *pend;
		*pend = 0;
		return (int32_t)c;
	}
	if (*p >= end)
		return -1;
	cp = *(*p)++;
	if (cp < 0x80)
		return (int32_t)cp;
	if ((cp & 0xe0) == 0xc0) { n = 1; cp &= 0x1f; }
	else if ((cp & 0xf0) == 0xe0) { n = 2; cp &= 0x0f; }
	else { n = 3; cp &= 0x07; }
	for (i = 0; i < n && *p < end; i++)
		cp = (cp << 6) | (*(*p)++ & 0x3f);
	if (cp < 0x10000)
		return (int32_t)cp;
	cp -= 0x10000;
	*pend = 0xdc00 | (cp & 0x3ff);
	return (int32_t)(0xd800 | (cp >> 10));
}

int
canon_key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const unsigned char *pa = (const unsigned char *)a, *ea = pa + alen;
	const unsigned char *pb = (const unsigned char *)b, *eb = pb + blen;
	uint32_t qa = 0, qb = 0;
	int32_t ua, ub;
	size_t i, n = alen < blen ? alen : blen;

	/*
	 * Names (ASCII in practice) are told apart by their first differing
	 * byte: where both are ASCII, both start a character there and the
	 * byte is its one code unit. Equal up to the shorter, that one is a
	 * prefix of the other and goes first either way.
	 */
	for (i = 0; i < n && pa[i] == pb[i]; i++)
		;
	if (i == n)
		return alen < blen ? -1 : alen > blen;
	if (pa[i] < 0x80 && pb[i] < 0x80)
		return pa[i] < pb[i] ? -1 : 1;
	for (;;) {
		ua = canon_next_unit(&pa, ea, &qa);
		ub = canon_next_unit(&pb, eb, &qb);
		if (ua != ub || ua < 0)
			return ua < ub ? -1 : ua > ub ? 1 : 0;
	}
}

/* s as a JSON string; other controls as \\u00 and two digits from hex. */
static int
canon_string_hex(struct buf *out, const char *s, size_t len, const char *hex)
{
	size_t i, run = 0;
	unsigned char c;

	/*
	 * Most strings (times, kinds, references, actions) are printable ASCII
	 * with nothing to escape: one pass finds that and copies them whole.
	 * `aims verify` rebuilds five per ledger entry.
	 */
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
			break;
	}
	if (i == len) {
		if (out->len + len + 2 >= out->cap)
			buf_grow(out, len + 2);
		out->data[out->len] = '"';
		memcpy(out->data + out->len + 1, s, len);
		out->data[out->len + len + 1] = '"';
		out->len += len + 2;
		out->data[out->len] = '\0';
		return 0;
	}
	if (!str_is_utf8(s, len))
		return aims_error_set(AIMS_EINVALID, NULL, "string is not valid UTF-8");
	buf_grow(out, len + 2);
	canon_putc(out, '"');
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		canon_append(out, s + run, i - run);
		run = i + 1;
		canon_putc(out, '\\');
		switch (c) {
		case '"': canon_putc(out, '"'); break;
		case '\\': canon_putc(out, '\\'); break;
		case '\b': canon_putc(out, 'b'); break;
		case '\f': canon_putc(out, 'f'); break;
		case '\n': canon_putc(out, 'n'); break;
		case '\r': canon_putc(out, 'r'); break;
		case '\t': canon_putc(out, 't'); break;
		default:
			buf_puts(out, "u00");
			canon_putc(out, hex[c >> 4]);
			canon_putc(out, hex[c & 0xf]);
		}
	}
	canon_append(out, s + run, len - run);
	canon_putc(out, '"');
	return 0;
}

int
canon_string(struct buf *out, const char *s, size_t len)
{
	return canon_string_hex(out, s, len, "0123456789abcdef");
}

/*
 * Reads back M * 10^e; if that is d, stores M's digits (no trailing zeros)
 * and ECMAScript's n (d = 0.digits * 10^n) and returns 1.
 */
static int
canon_try(char digits[CANON_DIGITS_MAX + 1], int *n, double d, uint64_t m, int e)
{
	char tmp[CANON_NUMBER_MAX + 8];
	int k;

	snprintf(tmp, sizeof(tmp), "%llue%d", (unsigned long long)m, e);
	if (strtod(tmp, NULL) != d)
		return 0;
	k = snprintf(digits, CANON_DIGITS_MAX + 1, "%llu", (unsigned long long)m);
	*n = k + e;
	while (k > 1 && digits[k - 1] == '0')
		digits[--k] = '\0';
	return 1;
}

/*
 * Shortest decimal digits that read back as d (d > 0, finite); returns n.
 * At each length the correctly rounded digits are tried first; next to a
 * power of two the rounding interval is lopsided, so the neighbours one
 * unit away are tried too and the one nearer to d wins (ECMAScript's rule).
 */
static int
canon_shortest(char digits[CANON_DIGITS_MAX + 1], double d)
{
	char tmp[CANON_NUMBER_MAX + 8], lo[CANON_DIGITS_MAX + 1], *e;
	uint64_t m;
	int prec, exp10, n = 0, nlo = 0, has_lo, has_hi;
	long double dl = d, dlo, dhi;

	for (prec = 1; prec < CANON_DIGITS_MAX; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
		e = strchr(tmp, 'e');
		exp10 = atoi(e + 1) - (prec - 1);
		*e = '\0';
		if (tmp[1] == '.')
			memmove(tmp + 1, tmp + 2, strlen(tmp + 2) + 1);
		m = strtoull(tmp, NULL, 10);
		if (canon_try(digits, &n, d, m, exp10))
			return n;
		has_lo = canon_try(lo, &nlo, d, m - 1, exp10);
		has_hi = canon_try(digits, &n, d, m + 1, exp10);
		if (has_lo && has_hi) {
			dlo = dl - (long double)(m - 1) * powl(10, exp10);
			dhi = (long double)(m + 1) * powl(10, exp10) - dl;
			has_hi = dhi <= dlo;
		}
		if (has_hi)
			return n;
		if (has_lo) {
			memcpy(digits, lo, sizeof(lo));
			return nlo;
		}
	}
	/* 17 significant digits always read back. */
	snprintf(tmp, sizeof(tmp), "%.*e", CANON_DIGITS_MAX - 1, d);
	e = strchr(tmp, 'e');
	exp10 = atoi(e + 1) - (CANON_DIGITS_MAX - 1);
	*e = '\0';
	memmove(tmp + 1, tmp + 2, strlen(tmp + 2) + 1);
	canon_try(digits, &n, d, strtoull(tmp, NULL, 10), exp10);
	return n;
}

int
canon_number(char out[CANON_NUMBER_MAX], double d)
{
	char digits[CANON_DIGITS_MAX + 1], *p = out;
	int n, k, i;

	if (!isfinite(d))
		return aims_error_set(AIMS_EINVALID, NULL, "NaN and Infinity have no JSON form");
	if (d == 0) {
		strcpy(out, "0");	/* also -0 */
		return 0;
	}
	if (d < 0) {
		*p++ = '-';
		d = -d;
	}
	n = canon_shortest(digits, d);
	k = (int)strlen(digits);
	if (k <= n && n <= CANON_EXP_PLAIN_MAX) {
		memcpy(p, digits, (size_t)k);
		memset(p + k, '0', (size_t)(n - k));
		p[n] = '\0';
	} else if (0 < n && n <= CANON_EXP_PLAIN_MAX) {
		memcpy(p, digits, (size_t)n);
		p[n] = '.';
		strcpy(p + n + 1, digits + n);
	} else if (CANON_EXP_PLAIN_MIN < n && n <= 0) {
		*p++ = '0';
		*p++ = '.';
		for (i = 0; i < -n; i++)
			*p++ = '0';
		strcpy(p, digits);
	} else {
		*p++ = digits[0];
		if (k > 1) {
			*p++ = '.';
			memcpy(p, digits + 1, (size_t)(k - 1));
			p += k - 1;
		}
		snprintf(p, (size_t)(out + CANON_NUMBER_MAX - p), "e%c%d", n - 1 < 0 ? '-' : '+',
		    abs(n - 1));
	}
	return 0;
}

static int
canon_member_cmp(const void *a, const void *b)
{
	const struct canon_member *x = a, *y = b;

	return canon_key_cmp(x->key, x->len, y->key, y->len);
}

/*
 * v's members sorted by cmp: in small when they fit (a record's members
 * do; larger objects are rare), else in memory the caller frees when it is
 * not small. *n is their count.
 */
static struct canon_member *
canon_members_sorted(struct canon_member small[CANON_MEMBERS_SMALL], size_t *n,
    const json_t *v, int (*cmp)(const void *, const void *))
{
	struct canon_member *m = small;
	size_t count = json_object_size(v), i = 0;
	void *it;

	if (count > CANON_MEMBERS_SMALL)
		m = xcalloc(count, sizeof(*m));
	for (it = json_object_iter((json_t *)v); it && i < count;
	    it = json_object_iter_next((json_t *)v, it), i++) {
		m[i].key = json_object_iter_key(it);
		m[i].len = json_object_iter_key_len(it);
		m[i].value = json_object_iter_value(it);
	}
	qsort(m, i, sizeof(*m), cmp);
	*n = i;
	return m;
}

static int
canon_object(struct buf *out, const json_t *v, int depth)
{
	struct canon_member small[CANON_MEMBERS_SMALL], *m;
	size_t n, i;
	int rc = 0;

	m = canon_members_sorted(small, &n, v, canon_member_cmp);
	canon_putc(out, '{');
	for (i = 0; i < n; i++) {
		if (i)
			canon_putc(out, ',');
		if ((rc = canon_string(out, m[i].key, m[i].len)) != 0)
			goto done;
		canon_putc(out, ':');
		if ((rc = canon_value(out, m[i].value, depth + 1)) != 0)
			goto done;
	}
	canon_putc(out, '}');
done:
	if (m != small)
		free(m);
	return rc;
}

static int
canon_value(struct buf *out, const json_t *v, int depth)
{
	char num[CANON_NUMBER_MAX];
	size_t i;
	int rc;

	if (depth > CANON_DEPTH_MAX)
		return aims_error_set(AIMS_ETOOBIG, NULL, "JSON nested deeper than %d levels",
		    CANON_DEPTH_MAX);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return canon_object(out, v, depth);
	case JSON_ARRAY:
		canon_putc(out, '[');
		for (i = 0; i < json_array_size(v); i++) {
			if (i)
				canon_putc(out, ',');
			if ((rc = canon_value(out, json_array_get(v, i), depth + 1)) != 0)
				return rc;
		}
		canon_putc(out, ']');
		return 0;
	case JSON_STRING:
		return canon_string(out, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	case JSON_REAL:
		if ((rc = canon_number(num, json_real_value(v))) != 0)
			return rc;
		buf_puts(out, num);
		return 0;
	case JSON_TRUE:
		canon_append(out, "true", 4);
		return 0;
	case JSON_FALSE:
		canon_append(out, "false", 5);
		return 0;
	case JSON_NULL:
		canon_append(out, "null", 4);
		return 0;
	}
	return aims_error_set(AIMS_EINVALID, NULL, "unknown JSON value type");
}

int
canon_json(struct buf *out, const json_t *v)
{
	if (v == NULL)
		return aims_error_set(AIMS_EINVALID, NULL, "no JSON value");
	return canon_value(out, v, 0);
}

int
canon_json_member(struct buf *out, const json_t *v)
{
	if (v == NULL)
		return aims_error_set(AIMS_EINVALID, NULL, "no JSON value");
	return canon_value(out, v, 1);
}

/* Rare in records: jansson prints a real, so its digits stay its own. */
static int
canon_compact_real(struct buf *out, const json_t *v)
{
	char num[CANON_NUMBER_MAX * 4];
	size_t n;

	n = json_dumpb(v, num, sizeof(num), JSON_ENCODE_ANY | JSON_COMPACT);
	if (n == 0 || n >= sizeof(num))
		return aims_error_set(AIMS_EINVALID, NULL, "a number has no JSON form");
	canon_append(out, num, n);
	return 0;
}

/* jansson's JSON_SORT_KEYS order: bytes, then length. */
static int
canon_compact_key_cmp(const void *a, const void *b)
{
	const struct canon_member *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);

	return c != 0 ? c : x->len < y->len ? -1 : x->len > y->len;
}

static int canon_compact_value(struct buf *out, const json_t *v, int depth, bool sorted);

/* An object's members in jansson's sorted order. */
static int
canon_compact_sorted_object(struct buf *out, const json_t *v, int depth)
{
	static const char hex[] = "0123456789ABCDEF";
	struct canon_member small[CANON_MEMBERS_SMALL], *m;
	size_t n, i;
	int rc = 0;

	m = canon_members_sorted(small, &n, v, canon_compact_key_cmp);
	canon_putc(out, '{');
	for (i = 0; i < n; i++) {
		if (i)
			canon_putc(out, ',');
		if ((rc = canon_string_hex(out, m[i].key, m[i].len, hex)) != 0)
			goto done;
		canon_putc(out, ':');
		if ((rc = canon_compact_value(out, m[i].value, depth + 1, true)) != 0)
			goto done;
	}
	canon_putc(out, '}');
done:
	if (m != small)
		free(m);
	return rc;
}

static int
canon_compact_value(struct buf *out, const json_t *v, int depth, bool sorted)
{
	/* jansson's own digits (\\u00XX) for controls: the same bytes as json_dumps(). */
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	void *it;
	int rc;

	if (depth > CANON_COMPACT_DEPTH_MAX)
		return aims_error_set(AIMS_ETOOBIG, NULL, "JSON nested deeper than %d levels",
		    CANON_COMPACT_DEPTH_MAX);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (sorted)
			return canon_compact_sorted_object(out, v, depth);
		canon_putc(out, '{');
		for (it = json_object_iter((json_t *)v), i = 0; it != NULL;
		    it = json_object_iter_next((json_t *)v, it), i++) {
			if (i)
				canon_putc(out, ',');
			if ((rc = canon_string_hex(out, json_object_iter_key(it),
			    json_object_iter_key_len(it), hex)) != 0)
				return rc;
			canon_putc(out, ':');
			if ((rc = canon_compact_value(out, json_object_iter_value(it),
			    depth + 1, false)) != 0)
				return rc;
		}
		canon_putc(out, '}');
		return 0;
	case JSON_ARRAY:
		canon_putc(out, '[');
		for (i = 0; i < json_array_size(v); i++) {
			if (i)
				canon_putc(out, ',');
			if ((rc = canon_compact_value(out, json_array_get(v, i), depth + 1,
			    sorted)) != 0)
				return rc;
		}
		canon_putc(out, ']');
		return 0;
	case JSON_STRING:
		return canon_string_hex(out, json_string_value(v), json_string_length(v), hex);
	case JSON_INTEGER:
		/* json_int_t is long long here: "%" JSON_INTEGER_FORMAT's digits. */
		buf_put_int(out, json_integer_value(v));
		return 0;
	case JSON_REAL:
		return canon_compact_real(out, v);
	case JSON_TRUE:
		canon_append(out, "true", 4);
		return 0;
	case JSON_FALSE:
		canon_append(out, "false", 5);
		return 0;
	case JSON_NULL:
		canon_append(out, "null", 4);
		return 0;
	}
	return aims_error_set(AIMS_EINVALID, NULL, "unknown JSON value type");
}

int
canon_compact_any(struct buf *out, const json_t *v)
{
	if (v == NULL)
		return aims_error_set(AIMS_EINVALID, NULL, "no JSON value");
	return canon_compact_value(out, v, 0, false);
}

int
canon_compact_string(struct buf *out, const char *s, size_t len)
{
	return canon_string_hex(out, s, len, "0123456789ABCDEF");
}

int
canon_compact(struct buf *out, const json_t *v)
{
	if (v == NULL || (!json_is_object(v) && !json_is_array(v)))
		return aims_error_set(AIMS_EINVALID, NULL, "not a JSON object or array");
	return canon_compact_value(out, v, 0, false);
}

char *
canon_compact_sorted(const json_t *v)
{
	struct buf b = BUF_INIT;

	if (v == NULL || (!json_is_object(v) && !json_is_array(v)) ||
	    canon_compact_value(&b, v, 0, true) != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}
