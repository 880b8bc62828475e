/*
 * fuzz_jscan.c - libFuzzer harness for the in-place JSON reader
 * (util/jscan.c): any text is refused or walked without reading past its
 * end, and text jansson accepts is read by jscan as the same document
 * (every member, element, decoded string and number); members found by
 * name, counts and integers agree with the tree too.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/jscan.h"

#define FUZZ_DEPTH_COMPARED	32	/* deeper documents: only walked, not compared */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* v as a jansson tree, or NULL when jscan refused a part of it. */
static json_t *
tree(const struct jscan_value *v)
{
	struct jscan it;
	struct jscan_value key, val, m;
	struct buf b = BUF_INIT, k = BUF_INIT;
	json_t *out = NULL, *child, *again;
	long long n;
	size_t count;
	int rc;

	switch (v->type) {
	case JSCAN_NULL: return json_null();
	case JSCAN_TRUE: return json_true();
	case JSCAN_FALSE: return json_false();
	case JSCAN_NUMBER:
		out = json_loadb(v->p, v->len, JSON_DECODE_ANY, NULL);
		/* An integer exactly when jansson reads one, with its value. */
		if (out != NULL) {
			rc = jscan_int(&n, v);
			if ((rc == 0) != json_is_integer(out) ||
			    (rc == 0 && n != json_integer_value(out)))
				abort();
		}
		return out;
	case JSCAN_STRING:
		if (jscan_string(&b, v) == 0)
			out = json_stringn(b.data ? b.data : "", b.len);
		buf_free(&b);
		return out;
	case JSCAN_ARRAY:
	case JSCAN_OBJECT:
		break;
	}
	if (jscan_begin(&it, v) != 0)
		abort();	/* a container jscan_value() accepted */
	out = v->type == JSCAN_OBJECT ? json_object() : json_array();
	while ((rc = jscan_next(&it, &key, &val)) == 1) {
		if ((child = tree(&val)) == NULL)
			goto fail;
		if (v->type == JSCAN_ARRAY) {
			json_array_append_new(out, child);
			continue;
		}
		buf_reset(&k);
		if (jscan_string(&k, &key) != 0) {
			json_decref(child);
			goto fail;
		}
		/* Takes child, even when it fails. */
		if (json_object_setn_new(out, k.data ? k.data : "", k.len, child) != 0)
			goto fail;
		if (k.len > 0 && memchr(k.data, '\0', k.len) == NULL &&
		    !jscan_string_is(&key, buf_str(&k)))
			abort();
	}
	if (rc != 0)
		abort();	/* inside a value jscan_value() accepted whole */
	if (jscan_count(&count, v) != 0 ||
	    count < (json_is_array(out) ? json_array_size(out) : json_object_size(out)))
		abort();	/* an object's repeated names are one member of its tree */
	/* By name: the last member of a name, as the tree keeps it. */
	if (v->type == JSCAN_OBJECT) {
		jscan_begin(&it, v);
		while (jscan_next(&it, &key, &val) == 1) {
			buf_reset(&k);
			if (jscan_string(&k, &key) != 0 || k.len == 0 ||
			    memchr(k.data, '\0', k.len) != NULL)
				continue;
			if (jscan_member(&m, v, buf_str(&k)) != 1)
				abort();
			/* Its text as jansson reads it (not tree(): that would go exponential). */
			again = json_loadb(m.p, m.len, JSON_DECODE_ANY, NULL);
			if (again != NULL && !json_equal(again, json_object_get(out, buf_str(&k))))
				abort();
			json_decref(again);
		}
	}
	buf_free(&k);
	return out;
fail:
	buf_free(&k);
	json_decref(out);
	return NULL;
}

static int
depth(const json_t *j)
{
	const char *key;
	json_t *v;
	size_t i;
	int d = 0, c;

	if (json_is_array(j))
		json_array_foreach(j, i, v)
			if ((c = depth(v)) > d)
				d = c;
	if (json_is_object(j))
		json_object_foreach((json_t *)j, key, v)
			if ((c = depth(v)) > d)
				d = c;
	return d + (json_is_array(j) || json_is_object(j));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jscan_value v, o;
	json_t *want, *got = NULL;
	int ok;

	want = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	ok = jscan_value(&v, (const char *)data, size) == 0;
	if (ok)
		got = tree(&v);
	/* A container jscan_value() accepts opens as the same span. */
	if (ok && (v.type == JSCAN_ARRAY || v.type == JSCAN_OBJECT) &&
	    (jscan_open(&o, (const char *)data, size) != 0 || o.p != v.p || o.len != v.len))
		abort();
	/* jansson stops at a NUL byte; stored text never has one (it is a C string). */
	if (want != NULL && depth(want) <= FUZZ_DEPTH_COMPARED &&
	    memchr(data, '\0', size) == NULL &&
	    (!ok || got == NULL || !json_equal(want, got)))
		abort();
	json_decref(want);
	json_decref(got);
	return 0;
}
