/*
 * test_jscan.c - unit tests for src/util/jscan.c: members and elements read
 * in place, strings decoded (escapes, surrogate pairs), malformed text
 * refused without reading past its end, members found by name, elements
 * counted, integers read as jansson reads them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/jscan.h"

static void
test_jscan__members_in_place(void **state)
{
	const char *text = " {\"ref\":\"RISK-1\", \"n\" : [1, 2.5, -3e2], \"o\":{\"a\":[{}]},"
	    "\"b\":true,\"f\":false,\"z\":null,\"s\":\"\"} ";
	static const char *const keys[] = { "ref", "n", "o", "b", "f", "z", "s" };
	static const enum jscan_type types[] = { JSCAN_STRING, JSCAN_ARRAY, JSCAN_OBJECT,
		JSCAN_TRUE, JSCAN_FALSE, JSCAN_NULL, JSCAN_STRING };
	struct jscan it, in;
	struct jscan_value doc, key, val, e;
	int i = 0, rc;

	(void)state;
	assert_int_equal(jscan_value(&doc, text, strlen(text)), 0);
	assert_int_equal(doc.type, JSCAN_OBJECT);
	assert_int_equal(jscan_begin(&it, &doc), 0);
	while ((rc = jscan_next(&it, &key, &val)) == 1) {
		assert_true(jscan_string_is(&key, keys[i]));
		assert_int_equal(val.type, types[i]);
		if (i == 1) {
			/* The array's elements, each its own span. */
			assert_int_equal(jscan_begin(&in, &val), 0);
			assert_int_equal(jscan_next(&in, NULL, &e), 1);
			assert_int_equal(e.len, 1);
			assert_int_equal(jscan_next(&in, NULL, &e), 1);
			assert_memory_equal(e.p, "2.5", 3);
			assert_int_equal(jscan_next(&in, NULL, &e), 1);
			assert_memory_equal(e.p, "-3e2", 4);
			assert_int_equal(jscan_next(&in, NULL, &e), 0);
		}
		i++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(i, 7);
	/* A scalar has no members. */
	assert_int_equal(jscan_value(&doc, "12", 2), 0);
	assert_int_equal(jscan_begin(&it, &doc), AIMS_EINVALID);
}

static void
test_jscan__strings_decoded(void **state)
{
	const char *text = "\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\u20ac\\ud83d\\ude00\"";
	struct jscan_value v;
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(jscan_value(&v, text, strlen(text)), 0);
	assert_int_equal(jscan_string(&b, &v), 0);
	assert_string_equal(buf_str(&b), "a\"b\\c/d\n\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	buf_free(&b);
	/* A key with an escape still compares by what it says. */
	assert_int_equal(jscan_value(&v, "\"n\\u0061me\"", 11), 0);
	assert_true(jscan_string_is(&v, "name"));
	assert_false(jscan_string_is(&v, "nam"));
	/* A lone half of a pair, or an unknown escape, is refused. */
	assert_int_equal(jscan_value(&v, "\"\\ud83d\"", 8), 0);
	assert_int_equal(jscan_string(&b, &v), AIMS_EINVALID);
	assert_int_equal(jscan_value(&v, "\"\\q\"", 4), 0);
	assert_int_equal(jscan_string(&b, &v), AIMS_EINVALID);
	buf_free(&b);
}

static void
test_jscan__malformed_refused(void **state)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1 2]", "tru", "nul",
		"\"abc", "{\"a\":1}x", "[\"\n\"]", "{a:1}", "]", "[}",
	};
	char deep[2 * (JSCAN_DEPTH_MAX + 2) + 1];
	struct jscan_value v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(jscan_value(&v, bad[i], strlen(bad[i])), AIMS_EINVALID);
	/* Nesting deeper than JSCAN_DEPTH_MAX is refused rather than followed. */
	memset(deep, '[', JSCAN_DEPTH_MAX + 2);
	memset(deep + JSCAN_DEPTH_MAX + 2, ']', JSCAN_DEPTH_MAX + 2);
	deep[sizeof(deep) - 1] = '\0';
	assert_int_equal(jscan_value(&v, deep, strlen(deep)), AIMS_EINVALID);
	/* Only the bytes given are read: the closing brace past len is not seen. */
	assert_int_equal(jscan_value(&v, "{\"a\":1}", 6), AIMS_EINVALID);
}

static void
test_jscan__member_count_int(void **state)
{
	const char *text = "{\"a\":1,\"b\":[1,[2,3],{}],\"a\":\"last\",\"n\\u0061me\":-42,"
	    "\"big\":92233720368547758070,\"r\":2.5,\"x\":1e3,\"z\":-0}";
	struct jscan_value doc, m, e;
	long long n;
	size_t c;

	(void)state;
	assert_int_equal(jscan_value(&doc, text, strlen(text)), 0);
	/* The last member of a name, as a jansson tree keeps it. */
	assert_int_equal(jscan_member(&m, &doc, "a"), 1);
	assert_int_equal(m.type, JSCAN_STRING);
	assert_memory_equal(m.p, "\"last\"", 6);
	assert_int_equal(jscan_member(&m, &doc, "name"), 1);
	assert_int_equal(jscan_int(&n, &m), 0);
	assert_int_equal(n, -42);
	assert_int_equal(jscan_member(&m, &doc, "missing"), 0);
	/* No members in what is not an object. */
	assert_int_equal(jscan_value(&e, "[1]", 3), 0);
	assert_int_equal(jscan_member(&m, &e, "a"), 0);
	/* Counts: members, elements, only the outer ones. */
	assert_int_equal(jscan_count(&c, &doc), 0);
	assert_int_equal(c, 8);
	assert_int_equal(jscan_member(&m, &doc, "b"), 1);
	assert_int_equal(jscan_count(&c, &m), 0);
	assert_int_equal(c, 3);
	assert_int_equal(jscan_value(&e, " [ ] ", 5), 0);
	assert_int_equal(jscan_count(&c, &e), 0);
	assert_int_equal(c, 0);
	assert_int_equal(jscan_value(&e, "\"s\"", 3), 0);
	assert_int_equal(jscan_count(&c, &e), AIMS_EINVALID);
	/* Integers as jansson reads them: no fraction, no exponent, in range. */
	assert_int_equal(jscan_member(&m, &doc, "z"), 1);
	assert_int_equal(jscan_int(&n, &m), 0);
	assert_int_equal(n, 0);
	assert_int_equal(jscan_member(&m, &doc, "r"), 1);
	assert_int_equal(jscan_int(&n, &m), AIMS_EINVALID);
	assert_int_equal(jscan_member(&m, &doc, "x"), 1);
	assert_int_equal(jscan_int(&n, &m), AIMS_EINVALID);
	assert_int_equal(jscan_member(&m, &doc, "big"), 1);
	assert_int_equal(jscan_int(&n, &m), AIMS_EINVALID);
	assert_int_equal(jscan_member(&m, &doc, "a"), 1);
	assert_int_equal(jscan_int(&n, &m), AIMS_EINVALID);
	/* Opened without reading between the brackets; each element checked when reached. */
	assert_int_equal(jscan_open(&e, " [1,{\"a\":2},x] \n", 16), 0);
	assert_int_equal(e.type, JSCAN_ARRAY);
	assert_int_equal(e.len, 13);
	assert_int_equal(jscan_count(&c, &e), AIMS_EINVALID);
	assert_int_equal(jscan_open(&e, "{}", 2), 0);
	assert_int_equal(e.type, JSCAN_OBJECT);
	assert_int_equal(jscan_open(&e, "[1}", 3), AIMS_EINVALID);
	assert_int_equal(jscan_open(&e, " [", 2), AIMS_EINVALID);
	assert_int_equal(jscan_open(&e, "\"[]\"", 4), AIMS_EINVALID);
	assert_int_equal(jscan_value(&e, "9223372036854775807", 19), 0);
	assert_int_equal(jscan_int(&n, &e), 0);
	assert_true(n == 9223372036854775807LL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jscan__members_in_place),
		cmocka_unit_test(test_jscan__strings_decoded),
		cmocka_unit_test(test_jscan__malformed_refused),
		cmocka_unit_test(test_jscan__member_count_int),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
