/* test_canon.c - canonical JSON vectors (RFC 8785 examples and our own). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ledger/canon.h"
#include "util/buf.h"
#include "util/error.h"

/* Parses text with jansson and returns its canonical form (caller frees). */
static char *
canon_of(const char *text)
{
	struct buf b = BUF_INIT;
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);

	assert_non_null(v);
	assert_int_equal(canon_json(&b, v), 0);
	json_decref(v);
	return buf_detach(&b);
}

static void
assert_canon(const char *in, const char *want)
{
	char *got = canon_of(in);

	assert_string_equal(got, want);
	free(got);
}

static void
assert_number(uint64_t bits, const char *want)
{
	char out[CANON_NUMBER_MAX];
	double d;

	memcpy(&d, &bits, sizeof(d));
	assert_int_equal(canon_number(out, d), 0);
	assert_string_equal(out, want);
}

/* RFC 8785 section 3.2.2: the sample input and its canonical output. */
static void
test_canon__rfc8785_sample(void **state)
{
	(void)state;
	assert_canon("{\n"
	    "  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
	    "              2e-3, 0.000000000000000000000000001],\n"
	    "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
	    "  \"literals\": [null, true, false]\n"
	    "}",
	    "{\"literals\":[null,true,false],"
	    "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
	    "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

/* RFC 8785 section 3.2.3: member names sorted by UTF-16 code units. */
static void
test_canon__rfc8785_key_order(void **state)
{
	(void)state;
	assert_canon("{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\","
	    "\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\","
	    "\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
	    "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}",
	    "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
	    "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
	    "\"\xe2\x82\xac\":\"Euro Sign\",\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
	    "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

/* RFC 8785 appendix B: IEEE 754 bit patterns and their text. */
static void
test_canon__rfc8785_numbers(void **state)
{
	char out[CANON_NUMBER_MAX];
	double d;
	uint64_t bits;

	(void)state;
	assert_number(0x0000000000000000ULL, "0");
	assert_number(0x8000000000000000ULL, "0");
	assert_number(0x0000000000000001ULL, "5e-324");
	assert_number(0x8000000000000001ULL, "-5e-324");
	assert_number(0x7fefffffffffffffULL, "1.7976931348623157e+308");
	assert_number(0xffefffffffffffffULL, "-1.7976931348623157e+308");
	assert_number(0x4340000000000000ULL, "9007199254740992");
	assert_number(0xc340000000000000ULL, "-9007199254740992");
	assert_number(0x4430000000000000ULL, "295147905179352830000");
	assert_number(0x44b52d02c7e14af5ULL, "9.999999999999997e+22");
	assert_number(0x44b52d02c7e14af6ULL, "1e+23");
	assert_number(0x44b52d02c7e14af7ULL, "1.0000000000000001e+23");
	assert_number(0x444b1ae4d6e2ef4eULL, "999999999999999700000");
	assert_number(0x444b1ae4d6e2ef4fULL, "999999999999999900000");
	assert_number(0x444b1ae4d6e2ef50ULL, "1e+21");
	assert_number(0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7");
	assert_number(0x3eb0c6f7a0b5ed8dULL, "0.000001");
	assert_number(0x41b3de4355555553ULL, "333333333.3333332");
	assert_number(0x41b3de4355555554ULL, "333333333.33333325");
	assert_number(0x41b3de4355555555ULL, "333333333.3333333");
	assert_number(0x41b3de4355555556ULL, "333333333.3333334");
	assert_number(0x41b3de4355555557ULL, "333333333.33333343");
	assert_number(0xbecbf647612f3696ULL, "-0.0000033333333333333333");
	assert_number(0x43143ff3c1cb0959ULL, "1424953923781206.2");
	/* NaN and Infinity have no JSON form. */
	bits = 0x7fffffffffffffffULL;
	memcpy(&d, &bits, sizeof(d));
	assert_int_equal(canon_number(out, d), AIMS_EINVALID);
	bits = 0x7ff0000000000000ULL;
	memcpy(&d, &bits, sizeof(d));
	assert_int_equal(canon_number(out, d), AIMS_EINVALID);
}

/* Next to a power of two the shortest digits are not the nearest ones. */
static void
test_canon__lopsided_rounding_interval(void **state)
{
	(void)state;
	assert_number(0x0060000000000000ULL, "7.120236347223045e-307");
	assert_number(0x0100000000000000ULL, "7.291122019556398e-304");
	assert_number(0x3ff0000000000000ULL, "1");
	assert_number(0x3fb999999999999aULL, "0.1");
	assert_number(0x3e7ad7f29abcaf48ULL, "1e-7");
	assert_number(0x3fd5555555555555ULL, "0.3333333333333333");
}

static void
test_canon__string_escapes(void **state)
{
	(void)state;
	/* Only " \ and controls are escaped; DEL, U+2028 and non-ASCII stay. */
	assert_canon("\"a\\u0000b\\u0001\\u001f\\b\\f\\n\\r\\t\\u007f\\u2028\\\"\\\\/\"",
	    "\"a\\u0000b\\u0001\\u001f\\b\\f\\n\\r\\t\x7f\xe2\x80\xa8\\\"\\\\/\"");
	assert_canon("\"\\ud83d\\ude00 caf\\u00e9\"", "\"\xf0\x9f\x98\x80 caf\xc3\xa9\"");
	assert_canon("\"\"", "\"\"");
}

static void
test_canon__nested_and_literals(void **state)
{
	(void)state;
	assert_canon(" [ 1 , [ [ ] , { } ] , { \"b\" : [ true , null ] , \"a\" : { \"z\" : -0.0 ,"
	    " \"y\" : 1.50 } } , -12 ] ",
	    "[1,[[],{}],{\"a\":{\"y\":1.5,\"z\":0},\"b\":[true,null]},-12]");
	/* Integers keep full precision; reals that are whole lose the point. */
	assert_canon("[9223372036854775807,-9223372036854775808,2.0,1e2,1E-7,123456789012345680000.0]",
	    "[9223372036854775807,-9223372036854775808,2,100,1e-7,123456789012345680000]");
	assert_canon("{\"b\":1,\"a\":2,\"ab\":3,\"\":0,\"B\":4}",
	    "{\"\":0,\"B\":4,\"a\":2,\"ab\":3,\"b\":1}");
}

static void
test_canon__key_order_utf16(void **state)
{
	struct buf b = BUF_INIT;
	json_t *o;

	(void)state;
	/* U+FFFD sorts after U+1F600 by code point but before it in UTF-16. */
	assert_true(canon_key_cmp("\xef\xbf\xbd", 3, "\xf0\x9f\x98\x80", 4) > 0);
	assert_true(canon_key_cmp("\xed\x9f\xbf", 3, "\xf0\x9f\x98\x80", 4) < 0);	/* U+D7FF */
	assert_true(canon_key_cmp("a", 1, "ab", 2) < 0);
	assert_int_equal(canon_key_cmp("abc", 3, "abc", 3), 0);
	assert_true(canon_key_cmp("Z", 1, "a", 1) < 0);
	assert_true(canon_key_cmp("\xc3\xa9", 2, "z", 1) > 0);
	/* Keys with an embedded NUL are legal JSON and order by code unit 0. */
	o = json_object();
	json_object_setn_new(o, "a\0b", 3, json_integer(1));
	json_object_setn_new(o, "a", 1, json_integer(2));
	json_object_setn_new(o, "a\1", 2, json_integer(3));
	assert_int_equal(canon_json(&b, o), 0);
	assert_string_equal(buf_str(&b), "{\"a\":2,\"a\\u0000b\":1,\"a\\u0001\":3}");
	json_decref(o);
	buf_free(&b);
}

static void
test_canon__bad_input_is_refused(void **state)
{
	struct buf b = BUF_INIT;
	json_t *v, *deep;
	int i;

	(void)state;
	v = json_stringn_nocheck("\xff\xfe", 2);
	assert_int_equal(canon_json(&b, v), AIMS_EINVALID);
	json_decref(v);
	assert_int_equal(canon_json(&b, NULL), AIMS_EINVALID);
	deep = json_array();
	v = deep;
	for (i = 0; i < CANON_DEPTH_MAX + 2; i++) {
		json_t *inner = json_array();

		json_array_append_new(v, inner);
		v = inner;
	}
	buf_reset(&b);
	assert_int_equal(canon_json(&b, deep), AIMS_ETOOBIG);
	json_decref(deep);
	buf_free(&b);
}

/*
 * canon_compact(v) and json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER)
 * agree, and canon_compact_sorted(v) and json_dumps(v, JSON_COMPACT |
 * JSON_SORT_KEYS).
 */
static void
assert_compact_is_jansson(const json_t *v)
{
	struct buf b = BUF_INIT;
	char *want = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER), *got;

	assert_non_null(want);
	assert_int_equal(canon_compact(&b, v), 0);
	assert_string_equal(buf_str(&b), want);
	assert_int_equal(b.len, strlen(want));
	free(want);
	buf_free(&b);
	want = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	got = canon_compact_sorted(v);
	assert_non_null(want);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(want);
	free(got);
}

/* A small random tree: strings of any bytes json_stringn() takes, reals, nesting. */
static json_t *
random_tree(unsigned *seed, int depth)
{
	static const char *const pieces[] = { "a", "\"", "\\", "/", "\x7f", "\xc3\xa9",
	    "\xe2\x80\xa8", "\xf0\x9f\x98\x80", " ", "\n", "\x01", "\x1f", "Zz", "0" };
	char s[64];
	json_t *v;
	size_t n, i, len;
	unsigned r = (unsigned)rand_r(seed);

	switch (depth > 3 ? r % 5 : r % 7) {
	case 0:
		len = 0;
		for (i = 0, n = (unsigned)rand_r(seed) % 6; i < n; i++) {
			const char *p = pieces[(unsigned)rand_r(seed) % 14];

			memcpy(s + len, p, strlen(p));
			len += strlen(p);
		}
		if (rand_r(seed) % 4 == 0)
			s[len++] = '\0';	/* inside the string, counted */
		return json_stringn(s, len);
	case 1:
		return json_integer((json_int_t)rand_r(seed) * (rand_r(seed) % 2 ? -7919 : 104729));
	case 2:
		return json_real((double)rand_r(seed) / ((double)(rand_r(seed) % 1000) + 0.5) *
		    (rand_r(seed) % 2 ? 1e-9 : 1e12));
	case 3:
		return r % 3 == 0 ? json_true() : r % 3 == 1 ? json_false() : json_null();
	case 4:
		return json_integer(0);
	case 5:
		v = json_array();
		for (i = 0, n = (unsigned)rand_r(seed) % 5; i < n; i++)
			json_array_append_new(v, random_tree(seed, depth + 1));
		return v;
	default:
		v = json_object();
		for (i = 0, n = (unsigned)rand_r(seed) % 6; i < n; i++) {
			snprintf(s, sizeof(s), "%c%u\"\\\x02", "zaMb"[i % 4], (unsigned)rand_r(seed) % 50);
			json_object_set_new(v, s, random_tree(seed, depth + 1));
		}
		return v;
	}
}

/*
 * canon_compact() writes json_dumps()' compact bytes: every control (jansson's
 * upper-case \u00XX), quotes, slashes, non-ASCII as is, integers at both
 * ends, reals as jansson prints them, members in insertion order (a key
 * deleted and set again goes last), empty containers; and random trees.
 */
static void
test_canon__compact_is_jansson_text(void **state)
{
	json_t *o, *a;
	char s[2];
	unsigned seed = 42;
	int c, i;

	(void)state;
	o = json_object();
	for (c = 0; c < 0x80; c++) {
		s[0] = (char)c;
		s[1] = '\0';
		json_object_set_new(o, c == 0 ? "nul" : s, json_stringn(s, 1));
	}
	assert_compact_is_jansson(o);
	json_decref(o);
	o = json_pack("{s:I,s:I,s:I,s:f,s:f,s:f,s:f,s:f,s:f,s:[],s:{},s:[[],{}],s:s,s:b,s:n}",
	    "max", (json_int_t)INT64_MAX, "min", (json_int_t)INT64_MIN, "zero", (json_int_t)0,
	    "tenth", 0.1, "big", 1e300, "negzero", -0.0, "whole", 100.0, "small", 1e-7,
	    "long", 123456789012345678.0, "e", "o", "ao", "text", "\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80/",
	    "t", 1, "nothing");
	assert_non_null(o);
	json_object_del(o, "max");
	json_object_set_new(o, "max", json_integer(INT64_MAX));
	assert_compact_is_jansson(o);
	a = json_array();
	json_array_append_new(a, o);
	json_array_append_new(a, json_array());
	assert_compact_is_jansson(a);
	json_decref(a);
	for (i = 0; i < 2000; i++) {
		o = random_tree(&seed, 0);
		if (json_is_object(o) || json_is_array(o))
			assert_compact_is_jansson(o);
		json_decref(o);
	}
}

/* UTF-16 code units of valid UTF-8 s, the order canon_key_cmp() must give. */
static size_t
utf16_units(uint16_t *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n = 0;

	while (*p) {
		if (*p < 0x80)
			cp = *p++;
		else if ((*p & 0xe0) == 0xc0)
			cp = (uint32_t)(*p++ & 0x1f) << 6, cp |= *p++ & 0x3f;
		else if ((*p & 0xf0) == 0xe0)
			cp = (uint32_t)(*p++ & 0x0f) << 12, cp |= (uint32_t)(*p++ & 0x3f) << 6,
			    cp |= *p++ & 0x3f;
		else
			cp = (uint32_t)(*p++ & 0x07) << 18, cp |= (uint32_t)(*p++ & 0x3f) << 12,
			    cp |= (uint32_t)(*p++ & 0x3f) << 6, cp |= *p++ & 0x3f;
		if (cp >= 0x10000) {
			out[n++] = (uint16_t)(0xd800 | ((cp - 0x10000) >> 10));
			out[n++] = (uint16_t)(0xdc00 | ((cp - 0x10000) & 0x3ff));
		} else
			out[n++] = (uint16_t)cp;
	}
	return n;
}

/* canon_key_cmp() against UTF-16 units, for keys of ASCII and other characters mixed. */
static void
test_canon__key_cmp_is_utf16_order(void **state)
{
	static const char *const pieces[] = { "a", "b", "_", "Z", "\xc3\xa9", "\xef\xbd\xa1",
	    "\xf0\x9f\x98\x80", "\x7f", "" };
	char a[32], b[32];
	uint16_t ua[32], ub[32];
	size_t na, nb, i, k;
	unsigned seed = 7;
	int want, got;

	(void)state;
	for (k = 0; k < 20000; k++) {
		a[0] = b[0] = '\0';
		for (i = 0; i < 3; i++) {
			strcat(a, pieces[(unsigned)rand_r(&seed) % 9]);
			strcat(b, pieces[(unsigned)rand_r(&seed) % 9]);
		}
		if (rand_r(&seed) % 3 == 0)
			strcpy(b, a), strcat(b, pieces[(unsigned)rand_r(&seed) % 9]);
		na = utf16_units(ua, a);
		nb = utf16_units(ub, b);
		for (i = 0; i < na && i < nb && ua[i] == ub[i]; i++)
			;
		want = i < na && i < nb ? (ua[i] < ub[i] ? -1 : 1) : na < nb ? -1 : na > nb;
		got = canon_key_cmp(a, strlen(a), b, strlen(b));
		got = got < 0 ? -1 : got > 0;
		assert_int_equal(got, want);
	}
}

/* Where json_dumps() gives nothing, canon_compact() refuses too. */
static void
test_canon__compact_refuses_what_jansson_does(void **state)
{
	struct buf b = BUF_INIT;
	json_t *v = json_integer(1), *o = json_object();

	(void)state;
	assert_null(json_dumps(v, JSON_COMPACT));
	assert_int_equal(canon_compact(&b, v), AIMS_EINVALID);
	json_object_set_new_nocheck(o, "bad", json_string_nocheck("\xff\xfe"));
	assert_null(json_dumps(o, JSON_COMPACT));
	assert_int_equal(canon_compact(&b, o), AIMS_EINVALID);
	json_decref(v);
	json_decref(o);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canon__rfc8785_sample),
		cmocka_unit_test(test_canon__rfc8785_key_order),
		cmocka_unit_test(test_canon__rfc8785_numbers),
		cmocka_unit_test(test_canon__lopsided_rounding_interval),
		cmocka_unit_test(test_canon__string_escapes),
		cmocka_unit_test(test_canon__nested_and_literals),
		cmocka_unit_test(test_canon__key_order_utf16),
		cmocka_unit_test(test_canon__bad_input_is_refused),
		cmocka_unit_test(test_canon__compact_is_jansson_text),
		cmocka_unit_test(test_canon__compact_refuses_what_jansson_does),
		cmocka_unit_test(test_canon__key_cmp_is_utf16_order),
	};

	return cmocka_run_group_tests_name("canon", tests, NULL, NULL);
}
