/*
 * value.c - how a record field's value is shown: enumeration labels, links
 * for references, lists, nested tables for object lists, Markdown for text.
 * The shape of each value follows its struct field; a value of an
 * unexpected shape is shown as its JSON text rather than dropped.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/record.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

#define WEB_BRIEF_TEXT	120	/* characters of a text field in a table cell */

void
web_enum_label_text(struct buf *out, const char *value)
{
	record_enum_label(out, value);
}

const char *
web_actor(const char *actor)
{
	if (actor != NULL && strncmp(actor, "user:", 5) == 0)
		return actor + 5;
	return actor;
}

void
web_label(struct buf *out, const char *s)
{
	size_t start = out->len;

	html_escape(out, s);
	if (out->len > start && out->data[start] >= 'a' && out->data[start] <= 'z')
		out->data[start] = (char)(out->data[start] - 'a' + 'A');
}

void
web_enum_label(struct buf *out, const char *value)
{
	struct buf text = BUF_INIT;

	web_enum_label_text(&text, value);
	html_escape(out, buf_str(&text));
	buf_free(&text);
}

const char *
web_record_title(const struct record_kind *k, const json_t *rec)
{
	const struct field *f;
	const char *s;

	for (f = k->fields; f != NULL && f->name != NULL; f++)
		if ((f->flags & FIELD_TITLE) &&
		    (s = json_string_value(json_object_get(rec, f->name))) != NULL && *s != '\0')
			return s;
	s = json_string_value(json_object_get(rec, "ref"));
	return s != NULL ? s : "";
}

const struct field *
web__field_find(const struct record_kind *k, const char *name)
{
	const struct field *f;

	for (f = k != NULL ? k->fields : NULL; f != NULL && f->name != NULL && name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

void
web__field_label(struct buf *out, const struct record_kind *k, const char *path)
{
	const struct field *f = web__field_find(k, path), *sf;
	const char *dot = path != NULL ? strchr(path, '.') : NULL;
	char parent[WEB_FORM_NAME_MAX];

	if (f == NULL && dot != NULL && (size_t)(dot - path) < sizeof(parent)) {
		memcpy(parent, path, (size_t)(dot - path));
		parent[dot - path] = '\0';
		f = web__field_find(k, parent);
		for (sf = f != NULL ? f->subfields : NULL; sf != NULL && sf->name != NULL; sf++)
			if (strcmp(sf->name, dot + 1) == 0) {
				html_printf(out, "%s: %s", f->label, sf->label);
				return;
			}
		f = NULL;
	}
	if (f != NULL)
		html_escape(out, f->label);
	else
		web_enum_label(out, path);
}

bool
web_value_empty(const json_t *v)
{
	return v == NULL || json_is_null(v) ||
	    (json_is_string(v) && json_string_length(v) == 0) ||
	    (json_is_array(v) && json_array_size(v) == 0);
}

static void web_value_any(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const json_t *v, bool brief);

void
web__value_json(struct buf *out, const json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

	html_printf(out, "<code>%s</code>", s);
	free(s);
}

void
web__value_ref(struct buf *out, const struct web_ctx *ctx, const char *target,
    const char *ref)
{
	struct buf url = BUF_INIT;

	web_url_record(&url, ctx, target, ref);
	html_printf(out, "<a class=\"ref\" href=\"%s\">%s</a>", buf_str(&url), ref);
	buf_free(&url);
}

static void
web_value_ref(struct buf *out, const struct web_ctx *ctx, const char *target, const json_t *v)
{
	if (!json_is_string(v))
		web__value_json(out, v);
	else
		web__value_ref(out, ctx, target, json_string_value(v));
}

void
web__value_enum(struct buf *out, const char *s)
{
	html_printf(out, "<span class=\"tag t-%s\">", s);
	web_enum_label(out, s);
	buf_puts(out, "</span>");
}

static void
web_value_enum(struct buf *out, const json_t *v)
{
	if (!json_is_string(v))
		web__value_json(out, v);
	else
		web__value_enum(out, json_string_value(v));
}

void
web__value_string(struct buf *out, const char *s)
{
	if ((str_has_prefix(s, "https://") || str_has_prefix(s, "http://")) && html_url_is_safe(s))
		html_printf(out, "<a href=\"%s\" rel=\"noopener noreferrer\">%s</a>", s, s);
	else
		html_escape(out, s);
}

static void
web_value_string(struct buf *out, const json_t *v)
{
	if (!json_is_string(v))
		web__value_json(out, v);
	else
		web__value_string(out, json_string_value(v));
}

/* An address may break before its "@" rather than widen a column. */
void
web__value_user(struct buf *out, const char *s)
{
	const char *at = strchr(s, '@');

	if (at == NULL) {
		web__value_string(out, s);
		return;
	}
	html_escape_n(out, s, (size_t)(at - s));
	buf_puts(out, "<wbr>");
	html_escape(out, at);
}

static void
web_value_user(struct buf *out, const json_t *v)
{
	if (!json_is_string(v))
		web__value_json(out, v);
	else
		web__value_user(out, json_string_value(v));
}

/* A requirement as people read it: its id, then its title where known. */
void
web__value_req(struct buf *out, const struct web_ctx *ctx, const char *id)
{
	const char *title = ctx != NULL ? json_string_value(json_object_get(ctx->req_titles,
	    id)) : NULL;

	html_printf(out, "<span class=\"req\">%s</span>", id);
	if (title != NULL)
		html_printf(out, " <span class=\"req-title\">%s</span>", title);
}

/* A number, with its label where it is a level of a labelled scale ("4 \u2014 Likely"). */
void
web__value_int(struct buf *out, const struct web_ctx *ctx, const struct field *f, long long n)
{
	const char *key, *dot;
	const json_t *scale, *e;

	html_printf(out, "%lld", (long long)n);
	if (ctx == NULL || f->name == NULL || n < 1)
		return;
	/* Scales are named as forms name fields: "impact", "treatment.residual_impact". */
	json_object_foreach((json_t *)ctx->scales, key, scale) {
		dot = strrchr(key, '.');
		if (strcmp(dot != NULL ? dot + 1 : key, f->name) != 0)
			continue;
		if ((e = json_array_get(scale, (size_t)n - 1)) != NULL &&
		    json_is_string(json_object_get(e, "title")))
			html_printf(out, " \xe2\x80\x94 %s", json_string_value(json_object_get(e,
			    "title")));
		return;
	}
}

/* One scalar element of a list field. */
static void
web_value_item(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const json_t *v)
{
	switch (f->type) {
	case FIELD_ENUM_LIST:
		web_value_enum(out, v);
		break;
	case FIELD_REF_LIST:
		web_value_ref(out, ctx, f->target, v);
		break;
	case FIELD_REQUIREMENT_LIST:
		if (json_is_string(v))
			web__value_req(out, ctx, json_string_value(v));
		else
			web__value_json(out, v);
		break;
	default:
		web_value_string(out, v);
		break;
	}
}

static void
web_value_list(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const json_t *v, bool brief)
{
	size_t i, n = json_array_size(v);

	if (!json_is_array(v)) {
		web__value_json(out, v);
		return;
	}
	buf_puts(out, brief ? "<span class=\"items\">" : "<ul class=\"items\">");
	for (i = 0; i < n; i++) {
		if (brief && i == WEB_LIST_ITEMS_MAX) {
			html_printf(out, " <span class=\"more\">+%zu more</span>", n - i);
			break;
		}
		buf_puts(out, brief ? (i ? ", " : "") : "<li>");
		web_value_item(out, ctx, f, json_array_get(v, i));
		if (!brief)
			buf_puts(out, "</li>");
	}
	buf_puts(out, brief ? "</span>" : "</ul>");
}

static void
web_value_objects(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const json_t *v)
{
	const struct field *sf;
	const json_t *o;
	size_t i;

	if (!json_is_array(v) || f->subfields == NULL) {
		web__value_json(out, v);
		return;
	}
	buf_puts(out, "<div class=\"table-wrap\"><table class=\"nested\"><thead><tr>");
	for (sf = f->subfields; sf->name != NULL; sf++)
		html_printf(out, "<th scope=\"col\">%s</th>", sf->label);
	buf_puts(out, "</tr></thead><tbody>");
	json_array_foreach(v, i, o) {
		buf_puts(out, "<tr>");
		for (sf = f->subfields; sf->name != NULL; sf++) {
			buf_puts(out, "<td>");
			web_value_brief(out, ctx, sf, json_object_get(o, sf->name));
			buf_puts(out, "</td>");
		}
		buf_puts(out, "</tr>");
	}
	buf_puts(out, "</tbody></table></div>");
}

/* Are all of f's subfields objects themselves (the inputs of a management review)? */
static bool
web_value_parts(const struct field *f)
{
	const struct field *sf;

	for (sf = f->subfields; sf != NULL && sf->name != NULL; sf++)
		if (sf->type != FIELD_OBJECT)
			return false;
	return f->subfields != NULL && f->subfields->name != NULL;
}

/*
 * An object of objects in full: one section per part, headed by its label,
 * so that a long compiled record (every input of a review) reads as a
 * document with a heading to jump to for each part.
 */
static void
web_value_object_parts(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const json_t *v)
{
	const struct field *sf;
	const json_t *sv;

	buf_puts(out, "<div class=\"object-parts\">");
	for (sf = f->subfields; sf->name != NULL; sf++) {
		sv = json_object_get(v, sf->name);
		html_printf(out, "<section class=\"object-part\" id=\"%s-%s\"><h4>%s</h4>",
		    f->name, sf->name, sf->label);
		if (web_value_empty(sv))
			buf_puts(out, "<p class=\"empty\">Not recorded.</p>");
		else
			web_value_any(out, ctx, sf, sv, false);
		buf_puts(out, "</section>");
	}
	buf_puts(out, "</div>");
}

/* One object: its subfields as a list of label and value ("; " between, brief). */
static void
web_value_object(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const json_t *v, bool brief)
{
	const struct field *sf;
	size_t n = 0;

	if (!json_is_object(v) || f->subfields == NULL) {
		web__value_json(out, v);
		return;
	}
	if (!brief && web_value_parts(f)) {
		web_value_object_parts(out, ctx, f, v);
		return;
	}
	buf_puts(out, brief ? "<span class=\"object\">" : "<dl class=\"object\">");
	for (sf = f->subfields; sf->name != NULL; sf++) {
		const json_t *sv = json_object_get(v, sf->name);

		if (web_value_empty(sv))
			continue;
		if (brief)
			html_printf(out, "%s%s: ", n++ > 0 ? "; " : "", sf->label);
		else
			html_printf(out, "<div><dt>%s</dt><dd>", sf->label);
		web_value_any(out, ctx, sf, sv, brief);
		if (!brief)
			buf_puts(out, "</dd></div>");
	}
	buf_puts(out, brief ? "</span>" : "</dl>");
}

/*
 * A moment in the organisation's time zone ("2026-03-01 10:00 CET"), or as
 * its day there; the machine-readable UTC stays in datetime=. Dates
 * ("YYYY-MM-DD") are shown as they are.
 */
void
web__value_time(struct buf *out, const struct web_ctx *ctx, const char *s, bool datetime)
{
	char abbr[TZ_ABBR_MAX], shown[48];
	struct tm tm;
	time_t t;
	long off;

	if (strlen(s) <= 10 || clock_parse(&t, s) != 0) {
		html_printf(out, "<time datetime=\"%s\">%s</time>", s, s);
		return;
	}
	off = tz_offset(ctx != NULL ? ctx->tz : NULL, t, abbr);
	t += off;
	gmtime_r(&t, &tm);
	if (datetime)
		strftime(shown, sizeof(shown), "%Y-%m-%d %H:%M", &tm);
	else
		strftime(shown, sizeof(shown), "%Y-%m-%d", &tm);
	if (datetime)
		html_printf(out, "<time datetime=\"%s\">%s %s</time>", s, shown, abbr);
	else
		html_printf(out, "<time datetime=\"%s\">%s</time>", s, shown);
}

static void
web_value_time(struct buf *out, const struct web_ctx *ctx, const json_t *v, bool datetime)
{
	if (!json_is_string(v))
		web__value_json(out, v);
	else
		web__value_time(out, ctx, json_string_value(v), datetime);
}

void
web_time(struct buf *out, const struct web_ctx *ctx, const char *rfc3339)
{
	if (rfc3339 == NULL || *rfc3339 == '\0') {
		buf_puts(out, "\xe2\x80\x94");	/* an em dash: none */
		return;
	}
	web__value_time(out, ctx, rfc3339, true);
}

void
web_time_t(struct buf *out, const struct web_ctx *ctx, time_t t)
{
	char s[CLOCK_RFC3339_LEN];

	clock_format(s, t);
	web_time(out, ctx, s);
}

void
web__value_text_brief(struct buf *out, const char *s)
{
	size_t n = 0, i;

	for (i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++n > WEB_BRIEF_TEXT)
			break;
	html_escape_n(out, s, i);
	if (s[i] != '\0')
		buf_puts(out, "\xe2\x80\xa6");
}

static void
web_value_any(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const json_t *v, bool brief)
{
	if (web_value_empty(v)) {
		buf_puts(out, "<span class=\"none\">\xe2\x80\x94</span>");
		return;
	}
	switch (f->type) {
	case FIELD_TEXT:
		if (brief && json_is_string(v)) {
			web__value_text_brief(out, json_string_value(v));
		} else if (json_is_string(v)) {
			buf_puts(out, "<div class=\"md\">");
			html_markdown_UNSAFE_OK(out, json_string_value(v));
			buf_puts(out, "</div>");
		} else {
			web__value_json(out, v);
		}
		break;
	case FIELD_BOOL:
		if (json_is_boolean(v))
			buf_puts(out, json_is_true(v) ? "Yes" : "No");
		else
			web__value_json(out, v);
		break;
	case FIELD_INT:
		if (json_is_integer(v))
			web__value_int(out, ctx, f, json_integer_value(v));
		else
			web__value_json(out, v);
		break;
	case FIELD_ENUM:
		web_value_enum(out, v);
		break;
	case FIELD_DATE:
	case FIELD_DATETIME:
		web_value_time(out, ctx, v, f->type == FIELD_DATETIME);
		break;
	case FIELD_REF:
		web_value_ref(out, ctx, f->target, v);
		break;
	case FIELD_USER:
		web_value_user(out, v);
		break;
	case FIELD_REQUIREMENT:
		web_value_item(out, ctx, &(struct field){ .type = FIELD_REQUIREMENT_LIST }, v);
		break;
	case FIELD_ENUM_LIST:
	case FIELD_STRING_LIST:
	case FIELD_REF_LIST:
	case FIELD_REQUIREMENT_LIST:
		web_value_list(out, ctx, f, v, brief);
		break;
	case FIELD_OBJECT:
		web_value_object(out, ctx, f, v, brief);
		break;
	case FIELD_OBJECT_LIST:
		if (brief && json_is_array(v))
			html_printf(out, "%zu", json_array_size(v));
		else
			web_value_objects(out, ctx, f, v);
		break;
	default:
		web_value_string(out, v);
		break;
	}
}

void
web_value(struct buf *out, const struct web_ctx *ctx, const struct field *f, const json_t *v)
{
	web_value_any(out, ctx, f, v, false);
}

void
web_value_brief(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const json_t *v)
{
	web_value_any(out, ctx, f, v, true);
}
