/*
 * jscan.c - the members of JSON text read in place (see jscan.h).
 *
 * Written here because jansson, the JSON library used everywhere else,
 * has no way to look at part of a document without parsing all of it
 * into a tree; the lists and downloads only need a few members of each
 * stored record. It validates as it skips (the structure, the strings'
 * escapes, the literals and the numbers' characters), so a span it
 * returns is always whole.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/jscan.h"

static const char *
js_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* The end of the string starting at p (its opening quote), or NULL. */
static const char *
js_string_end(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '"')
			return p + 1;
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\' && ++p >= end)
			return NULL;
	}
	return NULL;
}

static int js_scan(struct jscan_value *out, const char **pp, const char *end, int depth);

/* Skips the members or elements of the container starting at *pp. */
static int
js_container(const char **pp, const char *end, int depth, bool object)
{
	struct jscan_value v;
	const char *p = js_space(*pp + 1, end);
	char close = object ? '}' : ']';

	if (p < end && *p == close) {
		*pp = p + 1;
		return 0;
	}
	for (;;) {
		if (object) {
			if (p >= end || *p != '"' || (p = js_string_end(p, end)) == NULL)
				return AIMS_EINVALID;
			p = js_space(p, end);
			if (p >= end || *p != ':')
				return AIMS_EINVALID;
			p = js_space(p + 1, end);
		}
		if (js_scan(&v, &p, end, depth + 1) != 0)
			return AIMS_EINVALID;
		p = js_space(p, end);
		if (p < end && *p == ',') {
			p = js_space(p + 1, end);
			continue;
		}
		if (p < end && *p == close) {
			*pp = p + 1;
			return 0;
		}
		return AIMS_EINVALID;
	}
}

/* One value from *pp (whitespace before it skipped); *pp is left after it. */
static int
js_scan(struct jscan_value *out, const char **pp, const char *end, int depth)
{
	const char *p = js_space(*pp, end), *start = p;
	static const struct { const char *text; enum jscan_type type; } lits[] = {
		{ "null", JSCAN_NULL }, { "false", JSCAN_FALSE }, { "true", JSCAN_TRUE },
	};
	size_t i, n;

	if (p >= end || depth > JSCAN_DEPTH_MAX)
		return AIMS_EINVALID;
	switch (*p) {
	case '"':
		if ((p = js_string_end(p, end)) == NULL)
			return AIMS_EINVALID;
		out->type = JSCAN_STRING;
		break;
	case '{':
	case '[':
		out->type = *p == '{' ? JSCAN_OBJECT : JSCAN_ARRAY;
		if (js_container(&p, end, depth, *p == '{') != 0)
			return AIMS_EINVALID;
		break;
	case 'n':
	case 'f':
	case 't':
		for (i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
			n = strlen(lits[i].text);
			if ((size_t)(end - p) >= n && memcmp(p, lits[i].text, n) == 0)
				break;
		}
		if (i == sizeof(lits) / sizeof(lits[0]))
			return AIMS_EINVALID;
		out->type = lits[i].type;
		p += strlen(lits[i].text);
		break;
	default:
		if (*p != '-' && (*p < '0' || *p > '9'))
			return AIMS_EINVALID;
		for (p++; p < end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' ||
		    *p == 'E' || *p == '+' || *p == '-'); p++)
			;
		out->type = JSCAN_NUMBER;
		break;
	}
	out->p = start;
	out->len = (size_t)(p - start);
	*pp = p;
	return 0;
}

int
jscan_value(struct jscan_value *out, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	if (js_scan(out, &p, end, 0) != 0 || js_space(p, end) != end)
		return AIMS_EINVALID;
	return 0;
}

int
jscan_open(struct jscan_value *out, const char *text, size_t len)
{
	const char *p = js_space(text, text + len), *end = text + len;

	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
	    end[-1] == '\r'))
		end--;
	if (end - p < 2 || !((*p == '[' && end[-1] == ']') || (*p == '{' && end[-1] == '}')))
		return AIMS_EINVALID;
	out->type = *p == '[' ? JSCAN_ARRAY : JSCAN_OBJECT;
	out->p = p;
	out->len = (size_t)(end - p);
	return 0;
}

int
jscan_begin(struct jscan *it, const struct jscan_value *v)
{
	if (v->type != JSCAN_OBJECT && v->type != JSCAN_ARRAY)
		return AIMS_EINVALID;
	it->p = v->p + 1;
	it->end = v->p + v->len - 1;	/* the closing bracket */
	it->object = v->type == JSCAN_OBJECT;
	it->first = true;
	it->done = false;
	return 0;
}

int
jscan_next(struct jscan *it, struct jscan_value *key, struct jscan_value *val)
{
	const char *p = js_space(it->p, it->end), *k;

	if (it->done || p >= it->end) {
		it->done = true;
		return 0;
	}
	if (!it->first) {
		if (*p != ',')
			return AIMS_EINVALID;
		p = js_space(p + 1, it->end);
	}
	it->first = false;
	if (it->object) {
		k = p;
		if (p >= it->end || *p != '"' || (p = js_string_end(p, it->end)) == NULL)
			return AIMS_EINVALID;
		if (key) {
			key->type = JSCAN_STRING;
			key->p = k;
			key->len = (size_t)(p - k);
		}
		p = js_space(p, it->end);
		if (p >= it->end || *p != ':')
			return AIMS_EINVALID;
		p++;
	} else if (key)
		memset(key, 0, sizeof(*key));
	if (js_scan(val, &p, it->end, 1) != 0)
		return AIMS_EINVALID;
	it->p = p;
	return 1;
}

static int
js_hex4(uint32_t *out, const char *p, const char *end)
{
	int i;

	*out = 0;
	if (end - p < 4)
		return AIMS_EINVALID;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		*out <<= 4;
		if (c >= '0' && c <= '9')
			*out |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*out |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*out |= (uint32_t)(c - 'A' + 10);
		else
			return AIMS_EINVALID;
	}
	return 0;
}

static void
js_utf8(struct buf *out, uint32_t c)
{
	if (c < 0x80)
		buf_putc(out, (char)c);
	else if (c < 0x800) {
		buf_putc(out, (char)(0xc0 | (c >> 6)));
		buf_putc(out, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_putc(out, (char)(0xe0 | (c >> 12)));
		buf_putc(out, (char)(0x80 | ((c >> 6) & 0x3f)));
		buf_putc(out, (char)(0x80 | (c & 0x3f)));
	} else {
		buf_putc(out, (char)(0xf0 | (c >> 18)));
		buf_putc(out, (char)(0x80 | ((c >> 12) & 0x3f)));
		buf_putc(out, (char)(0x80 | ((c >> 6) & 0x3f)));
		buf_putc(out, (char)(0x80 | (c & 0x3f)));
	}
}

int
jscan_string(struct buf *out, const struct jscan_value *v)
{
	const char *p, *end, *run;
	uint32_t c, lo;

	if (v->type != JSCAN_STRING || v->len < 2)
		return AIMS_EINVALID;
	p = v->p + 1;
	end = v->p + v->len - 1;
	while (p < end) {
		for (run = p; p < end && *p != '\\'; p++)
			;
		buf_append(out, run, (size_t)(p - run));
		if (p >= end)
			break;
		if (++p >= end)
			return AIMS_EINVALID;
		switch (*p++) {
		case '"': buf_putc(out, '"'); break;
		case '\\': buf_putc(out, '\\'); break;
		case '/': buf_putc(out, '/'); break;
		case 'b': buf_putc(out, '\b'); break;
		case 'f': buf_putc(out, '\f'); break;
		case 'n': buf_putc(out, '\n'); break;
		case 'r': buf_putc(out, '\r'); break;
		case 't': buf_putc(out, '\t'); break;
		case 'u':
			if (js_hex4(&c, p, end) != 0)
				return AIMS_EINVALID;
			p += 4;
			if (c >= 0xdc00 && c <= 0xdfff)
				return AIMS_EINVALID;
			if (c >= 0xd800 && c <= 0xdbff) {
				/* A pair: the low half follows as its own escape. */
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
				    js_hex4(&lo, p + 2, end) != 0 || lo < 0xdc00 || lo > 0xdfff)
					return AIMS_EINVALID;
				p += 6;
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			}
			js_utf8(out, c);
			break;
		default:
			return AIMS_EINVALID;
		}
	}
	return 0;
}

bool
jscan_string_is(const struct jscan_value *v, const char *name)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(name);
	bool is;

	if (v->type != JSCAN_STRING || v->len < 2)
		return false;
	/* Keys are names: as stored, without escapes. */
	if (memchr(v->p + 1, '\\', v->len - 2) == NULL)
		return v->len - 2 == n && memcmp(v->p + 1, name, n) == 0;
	is = jscan_string(&b, v) == 0 && b.len == n && memcmp(b.data, name, n) == 0;
	buf_free(&b);
	return is;
}

int
jscan_member(struct jscan_value *out, const struct jscan_value *obj, const char *name)
{
	struct jscan it;
	struct jscan_value key, val;
	int rc, found = 0;

	if (obj->type != JSCAN_OBJECT)
		return 0;
	if ((rc = jscan_begin(&it, obj)) != 0)
		return rc;
	while ((rc = jscan_next(&it, &key, &val)) == 1)
		if (jscan_string_is(&key, name)) {
			*out = val;
			found = 1;
		}
	return rc < 0 ? rc : found;
}

int
jscan_count(size_t *out, const struct jscan_value *v)
{
	struct jscan it;
	struct jscan_value val;
	int rc;

	*out = 0;
	if ((rc = jscan_begin(&it, v)) != 0)
		return rc;
	while ((rc = jscan_next(&it, NULL, &val)) == 1)
		(*out)++;
	return rc;
}

int
jscan_int(long long *out, const struct jscan_value *v)
{
	char text[32], *end;
	size_t i;

	*out = 0;
	if (v->type != JSCAN_NUMBER || v->len == 0 || v->len >= sizeof(text))
		return AIMS_EINVALID;
	/* jansson's rule: a fraction or an exponent makes a real. */
	for (i = 0; i < v->len; i++)
		if (v->p[i] == '.' || v->p[i] == 'e' || v->p[i] == 'E')
			return AIMS_EINVALID;
	memcpy(text, v->p, v->len);
	text[v->len] = '\0';
	errno = 0;
	*out = strtoll(text, &end, 10);
	if (errno != 0 || *end != '\0') {
		*out = 0;
		return AIMS_EINVALID;
	}
	return 0;
}
