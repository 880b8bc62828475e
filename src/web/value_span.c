/*
 * value_span.c - a field's value shown from its stored JSON text, read in
 * place (util/jscan.h), for the pages that show many stored records at
 * once: the rows of a list and the versions of a record's history. Parsing
 * each of them into a jansson tree only to show a few members cost more
 * than writing the page.
 *
 * It follows value.c case for case and shares its pieces (web__value_*),
 * so the HTML is the same as web_value() gives for the value's tree. A
 * value of a shape its field does not expect is rare; that one value is
 * parsed and shown as its JSON text, as value.c shows it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/record.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/jscan.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

static void span_any(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v, bool brief);

int
web__span_string(struct buf *s, const struct jscan_value *v)
{
	buf_reset(s);
	if (v == NULL || v->p == NULL || v->type != JSCAN_STRING)
		return AIMS_EINVALID;
	if (jscan_string(s, v) != 0)
		return AIMS_EINVALID;
	buf_putc(s, '\0');	/* an empty string still has its terminator */
	s->len--;
	return 0;
}

bool
web__span_empty(const struct jscan_value *v)
{
	size_t n;

	if (v == NULL || v->p == NULL || v->type == JSCAN_NULL)
		return true;
	if (v->type == JSCAN_STRING)
		return v->len == 2;
	return v->type == JSCAN_ARRAY && jscan_count(&n, v) == 0 && n == 0;
}

/* A value of a shape its field does not expect: its JSON text, as value.c shows it. */
static void
span_json(struct buf *out, const struct jscan_value *v)
{
	json_t *j = json_loadb(v->p, v->len, JSON_DECODE_ANY, NULL);

	if (j != NULL) {
		web__value_json(out, j);
		json_decref(j);
		return;
	}
	/* Not even jansson reads it (a number too large): the text as stored. */
	buf_puts(out, "<code>");
	html_escape_n(out, v->p, v->len);
	buf_puts(out, "</code>");
}

/* One scalar element of a list field (value.c's web_value_item()). */
static void
span_item(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v, struct buf *s)
{
	if (web__span_string(s, v) != 0) {
		span_json(out, v);
		return;
	}
	switch (f->type) {
	case FIELD_ENUM_LIST:
		web__value_enum(out, buf_str(s));
		break;
	case FIELD_REF_LIST:
		web__value_ref(out, ctx, f->target, buf_str(s));
		break;
	case FIELD_REQUIREMENT_LIST:
		web__value_req(out, ctx, buf_str(s));
		break;
	default:
		web__value_string(out, buf_str(s));
		break;
	}
}

static void
span_list(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v, bool brief)
{
	struct jscan it;
	struct jscan_value e;
	struct buf s = BUF_INIT;
	size_t i, n;

	if (v->type != JSCAN_ARRAY || jscan_count(&n, v) != 0 || jscan_begin(&it, v) != 0) {
		span_json(out, v);
		return;
	}
	buf_puts(out, brief ? "<span class=\"items\">" : "<ul class=\"items\">");
	for (i = 0; i < n && jscan_next(&it, NULL, &e) == 1; i++) {
		if (brief && i == WEB_LIST_ITEMS_MAX) {
			html_printf(out, " <span class=\"more\">+%zu more</span>", n - i);
			break;
		}
		buf_puts(out, brief ? (i ? ", " : "") : "<li>");
		span_item(out, ctx, f, &e, &s);
		if (!brief)
			buf_puts(out, "</li>");
	}
	buf_puts(out, brief ? "</span>" : "</ul>");
	buf_free(&s);
}

/* A member of o (absent when o is no object or has none of that name). */
static struct jscan_value
span_member(const struct jscan_value *o, const char *name)
{
	struct jscan_value m = { 0 };

	if (jscan_member(&m, o, name) != 1)
		memset(&m, 0, sizeof(m));
	return m;
}

static void
span_objects(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v)
{
	const struct field *sf;
	struct jscan it;
	struct jscan_value o, sv;

	if (v->type != JSCAN_ARRAY || f->subfields == NULL || jscan_begin(&it, v) != 0) {
		span_json(out, v);
		return;
	}
	buf_puts(out, "<div class=\"table-wrap\"><table class=\"nested\"><thead><tr>");
	for (sf = f->subfields; sf->name != NULL; sf++)
		html_printf(out, "<th scope=\"col\">%s</th>", sf->label);
	buf_puts(out, "</tr></thead><tbody>");
	while (jscan_next(&it, NULL, &o) == 1) {
		buf_puts(out, "<tr>");
		for (sf = f->subfields; sf->name != NULL; sf++) {
			sv = span_member(&o, sf->name);
			buf_puts(out, "<td>");
			span_any(out, ctx, sf, &sv, true);
			buf_puts(out, "</td>");
		}
		buf_puts(out, "</tr>");
	}
	buf_puts(out, "</tbody></table></div>");
}

/* Are all of f's subfields objects themselves (value.c's web_value_parts())? */
static bool
span_parts(const struct field *f)
{
	const struct field *sf;

	for (sf = f->subfields; sf != NULL && sf->name != NULL; sf++)
		if (sf->type != FIELD_OBJECT)
			return false;
	return f->subfields != NULL && f->subfields->name != NULL;
}

static void
span_object_parts(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v)
{
	const struct field *sf;
	struct jscan_value sv;

	buf_puts(out, "<div class=\"object-parts\">");
	for (sf = f->subfields; sf->name != NULL; sf++) {
		sv = span_member(v, sf->name);
		html_printf(out, "<section class=\"object-part\" id=\"%s-%s\"><h4>%s</h4>",
		    f->name, sf->name, sf->label);
		if (web__span_empty(&sv))
			buf_puts(out, "<p class=\"empty\">Not recorded.</p>");
		else
			span_any(out, ctx, sf, &sv, false);
		buf_puts(out, "</section>");
	}
	buf_puts(out, "</div>");
}

static void
span_object(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v, bool brief)
{
	const struct field *sf;
	struct jscan_value sv;
	size_t n = 0;

	if (v->type != JSCAN_OBJECT || f->subfields == NULL) {
		span_json(out, v);
		return;
	}
	if (!brief && span_parts(f)) {
		span_object_parts(out, ctx, f, v);
		return;
	}
	buf_puts(out, brief ? "<span class=\"object\">" : "<dl class=\"object\">");
	for (sf = f->subfields; sf->name != NULL; sf++) {
		sv = span_member(v, sf->name);
		if (web__span_empty(&sv))
			continue;
		if (brief)
			html_printf(out, "%s%s: ", n++ > 0 ? "; " : "", sf->label);
		else
			html_printf(out, "<div><dt>%s</dt><dd>", sf->label);
		span_any(out, ctx, sf, &sv, brief);
		if (!brief)
			buf_puts(out, "</dd></div>");
	}
	buf_puts(out, brief ? "</span>" : "</dl>");
}

/* The scalar fields: each takes a string (or a number, a boolean) or shows the JSON. */
static void
span_scalar(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v, bool brief)
{
	struct buf s = BUF_INIT;
	long long n;

	if (f->type == FIELD_BOOL && (v->type == JSCAN_TRUE || v->type == JSCAN_FALSE)) {
		buf_puts(out, v->type == JSCAN_TRUE ? "Yes" : "No");
		return;
	}
	if (f->type == FIELD_INT && jscan_int(&n, v) == 0) {
		web__value_int(out, ctx, f, n);
		return;
	}
	if (f->type == FIELD_BOOL || f->type == FIELD_INT || web__span_string(&s, v) != 0) {
		span_json(out, v);
		buf_free(&s);
		return;
	}
	switch (f->type) {
	case FIELD_TEXT:
		if (brief) {
			web__value_text_brief(out, buf_str(&s));
		} else {
			buf_puts(out, "<div class=\"md\">");
			html_markdown_UNSAFE_OK(out, buf_str(&s));
			buf_puts(out, "</div>");
		}
		break;
	case FIELD_ENUM:
		web__value_enum(out, buf_str(&s));
		break;
	case FIELD_DATE:
	case FIELD_DATETIME:
		web__value_time(out, ctx, buf_str(&s), f->type == FIELD_DATETIME);
		break;
	case FIELD_REF:
		web__value_ref(out, ctx, f->target, buf_str(&s));
		break;
	case FIELD_USER:
		web__value_user(out, buf_str(&s));
		break;
	case FIELD_REQUIREMENT:
		web__value_req(out, ctx, buf_str(&s));
		break;
	default:
		web__value_string(out, buf_str(&s));
		break;
	}
	buf_free(&s);
}

static void
span_any(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v, bool brief)
{
	size_t n;

	if (web__span_empty(v)) {
		buf_puts(out, "<span class=\"none\">\xe2\x80\x94</span>");
		return;
	}
	switch (f->type) {
	case FIELD_ENUM_LIST:
	case FIELD_STRING_LIST:
	case FIELD_REF_LIST:
	case FIELD_REQUIREMENT_LIST:
		span_list(out, ctx, f, v, brief);
		break;
	case FIELD_OBJECT:
		span_object(out, ctx, f, v, brief);
		break;
	case FIELD_OBJECT_LIST:
		if (brief && v->type == JSCAN_ARRAY && jscan_count(&n, v) == 0)
			html_printf(out, "%zu", n);
		else
			span_objects(out, ctx, f, v);
		break;
	default:
		span_scalar(out, ctx, f, v, brief);
		break;
	}
}

void
web__span(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v)
{
	span_any(out, ctx, f, v, false);
}

void
web__span_brief(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v)
{
	span_any(out, ctx, f, v, true);
}
