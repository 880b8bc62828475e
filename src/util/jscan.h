/*
 * jscan.h - reading the members of stored JSON text in place, without
 * building a tree: the lists and downloads of records read a few members
 * of each record's stored view (core/record_store.c), which jansson could
 * only give by parsing the whole record into a tree first.
 *
 * A value is a span of the text; strings are decoded on demand. The text
 * is expected to be JSON as jansson writes it (any whitespace is skipped);
 * malformed text is refused (AIMS_EINVALID), never read past its end.
 */
#ifndef AIMS_UTIL_JSCAN_H
#define AIMS_UTIL_JSCAN_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

#define JSCAN_DEPTH_MAX	64	/* nesting of arrays and objects in one value */

enum jscan_type {
	JSCAN_NULL, JSCAN_FALSE, JSCAN_TRUE, JSCAN_NUMBER, JSCAN_STRING, JSCAN_ARRAY,
	JSCAN_OBJECT,
};

/* One value: its type and its text (a string's with its quotes). */
struct jscan_value {
	enum jscan_type	 type;
	const char	*p;
	size_t		 len;
};

/* Walks the members of one object or the elements of one array. */
struct jscan {
	const char	*p, *end;
	bool		 object;
	bool		 first;
	bool		 done;
};

/* Starts on v, which must be an array or an object: 0 or AIMS_EINVALID. */
int jscan_begin(struct jscan *it, const struct jscan_value *v);
/* The value text begins with (whitespace skipped), which must end there too. */
int jscan_value(struct jscan_value *out, const char *text, size_t len);
/*
 * The array or object text holds, its brackets checked but not what is
 * between them: each member is checked as jscan_next() reaches it, so text
 * read member by member anyway is read once rather than twice. 0 or
 * AIMS_EINVALID.
 */
int jscan_open(struct jscan_value *out, const char *text, size_t len);
/*
 * The next member (key set) or element (key may be NULL): 1, 0 at the
 * end, or AIMS_EINVALID.
 */
int jscan_next(struct jscan *it, struct jscan_value *key, struct jscan_value *val);
/* A string value decoded (escapes, \u pairs as UTF-8), appended to out: 0 or AIMS_EINVALID. */
int jscan_string(struct buf *out, const struct jscan_value *v);
/* Is the string value (a member's key) exactly name? */
bool jscan_string_is(const struct jscan_value *v, const char *name);
/*
 * The member called name of the object obj, the last of that name as a
 * jansson tree keeps it: 1 (out set), 0 when there is none or obj is no
 * object, or AIMS_EINVALID.
 */
int jscan_member(struct jscan_value *out, const struct jscan_value *obj, const char *name);
/* The elements of an array or members of an object: 0 or AIMS_EINVALID. */
int jscan_count(size_t *out, const struct jscan_value *v);
/*
 * A number that jansson reads as an integer (no fraction, no exponent)
 * and that fits: 0, or AIMS_EINVALID for anything else.
 */
int jscan_int(long long *out, const struct jscan_value *v);

#endif
