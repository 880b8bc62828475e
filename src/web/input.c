/*
 * input.c - one form control per field type: text inputs, textareas,
 * selects for enumerations and references, checkboxes for booleans and
 * enumeration lists, date inputs. Labels are written by the caller (the
 * form, the filter bar, the SoA row), always with for= the control's id.
 */
#include <stdio.h>
#include <string.h>

#include "core/record.h"
#include "util/buf.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

#define WEB_TEXTAREA_ROWS	4
#define WEB_TEXTAREA_ROWS_BIG	12	/* Markdown bodies */
#define WEB_MULTI_SIZE_MAX	8	/* visible rows of a multiple select */

const json_t *
web__choices(const json_t *choices, const struct field *f)
{
	const json_t *c = NULL;
	char key[WEB_FORM_NAME_MAX];

	switch (f->type) {
	case FIELD_REF:
	case FIELD_REF_LIST:
		c = json_object_get(choices, f->target != NULL ? f->target : "");
		break;
	case FIELD_USER:
		c = json_object_get(choices, "users");
		break;
	case FIELD_REQUIREMENT:
	case FIELD_REQUIREMENT_LIST:
		snprintf(key, sizeof(key), "requirements:%s", f->req_kinds ? f->req_kinds : "");
		c = json_object_get(choices, key);
		break;
	default:
		return NULL;
	}
	return json_is_array(c) && json_array_size(c) <= WEB_CHOICES_MAX ? c : NULL;
}

const char *
web__choice_value(const json_t *c)
{
	static const char *const keys[] = { "ref", "id", "email", "value", NULL };
	const char *s;
	int i;

	if (json_is_string(c))
		return json_string_value(c);
	for (i = 0; keys[i] != NULL; i++)
		if ((s = json_string_value(json_object_get(c, keys[i]))) != NULL)
			return s;
	return "";
}

void
web__choice_label(struct buf *out, const json_t *c)
{
	const char *v = web__choice_value(c);
	const char *title = json_string_value(json_object_get(c, "title"));
	const char *name = json_string_value(json_object_get(c, "name"));

	if (title != NULL)
		html_printf(out, "%s \xe2\x80\x94 %s", v, title);
	else if (name != NULL && strcmp(name, v) != 0)
		html_printf(out, "%s (%s)", name, v);
	else
		html_escape(out, v);
}

static bool
web_json_has(const json_t *v, const char *s)
{
	const json_t *e;
	size_t i;

	if (json_is_string(v))
		return strcmp(json_string_value(v), s) == 0;
	json_array_foreach(v, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), s) == 0)
			return true;
	return false;
}

/* The value as the text a text control holds; lists joined by sep. */
static void
web_value_text(struct buf *out, const struct field *f, const json_t *v, const char *sep)
{
	const json_t *e;
	size_t i;

	if (json_is_string(v)) {
		if (f->type == FIELD_DATETIME && json_string_length(v) >= 16)
			buf_append(out, json_string_value(v), 16);
		else
			buf_puts(out, json_string_value(v));
	} else if (json_is_integer(v)) {
		buf_printf(out, "%lld", (long long)json_integer_value(v));
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (json_is_string(e))
				buf_printf(out, "%s%s", i ? sep : "", json_string_value(e));
	}
}

static void
web_input_attrs(struct buf *out, const struct web_input *in, bool may_require)
{
	html_printf(out, " id=\"%s%s\" name=\"%s\"", in->id_prefix, in->name, in->name);
	html_attr_if(out, in->datalist != NULL, "list", in->datalist);
	if (may_require && !in->filter && !in->norequire && (in->field->flags & FIELD_REQUIRED))
		buf_puts(out, " required");
	if (in->disabled)
		buf_puts(out, " disabled");
	if (in->describedby != NULL)
		html_printf(out, " aria-describedby=\"%s\"", in->describedby);
	if (in->invalid)
		buf_puts(out, " aria-invalid=\"true\"");
}

static void
web_input_text(struct buf *out, const struct web_input *in, const json_t *v,
    const char *type, const char *sep)
{
	const struct field *f = in->field;
	struct buf text = BUF_INIT;

	web_value_text(&text, f, v, sep);
	html_printf(out, "<input type=\"%s\"", type);
	web_input_attrs(out, in, true);
	if (f->type == FIELD_INT) {
		if (f->min != 0 || f->max != 0)
			html_printf(out, " min=\"%lld\" max=\"%lld\"", (long long)f->min,
			    (long long)f->max);
		buf_puts(out, " step=\"1\" inputmode=\"numeric\"");
	} else if (f->type == FIELD_STRING && f->max > 0) {
		html_printf(out, " maxlength=\"%lld\"", (long long)f->max);
	}
	html_printf(out, " value=\"%s\">", buf_str(&text));
	buf_free(&text);
}

static void
web_input_textarea(struct buf *out, const struct web_input *in, const json_t *v)
{
	struct buf text = BUF_INIT;
	bool big = in->field->type == FIELD_TEXT && in->field->max == 0;

	int rows = big ? WEB_TEXTAREA_ROWS_BIG : WEB_TEXTAREA_ROWS, lines = 1;
	size_t i;

	web_value_text(&text, in->field, v, "\n");
	for (i = 0; i < text.len; i++)
		lines += text.data[i] == '\n';
	/* A list shows all its lines, and one more to add to. */
	if (in->field->type == FIELD_STRING_LIST && lines + 1 > rows)
		rows = lines + 1 < WEB_TEXTAREA_ROWS_BIG ? lines + 1 : WEB_TEXTAREA_ROWS_BIG;
	buf_puts(out, "<textarea");
	web_input_attrs(out, in, in->field->type == FIELD_TEXT);
	html_printf(out, " rows=\"%d\"", rows);
	if (in->field->type == FIELD_TEXT && in->field->max > 0)
		html_printf(out, " maxlength=\"%lld\"", (long long)in->field->max);
	/* A newline right after <textarea> is eaten by the parser: keep the first one. */
	html_printf(out, ">\n%s</textarea>", buf_str(&text));
	buf_free(&text);
}

static void
web_input_enum_options(struct buf *out, const char *const *values, const json_t *v)
{
	size_t i;

	for (i = 0; values != NULL && values[i] != NULL; i++) {
		html_printf(out, "<option value=\"%s\"%s>", values[i],
		    web_json_has(v, values[i]) ? " selected" : "");
		web_enum_label(out, values[i]);
		buf_puts(out, "</option>");
	}
}

static void
web_input_choice_options(struct buf *out, const json_t *choices, const json_t *v)
{
	const json_t *c;
	size_t i;

	json_array_foreach(choices, i, c) {
		html_printf(out, "<option value=\"%s\"%s>", web__choice_value(c),
		    web_json_has(v, web__choice_value(c)) ? " selected" : "");
		web__choice_label(out, c);
		buf_puts(out, "</option>");
	}
}

static void
web_input_select(struct buf *out, const struct web_input *in, const json_t *v,
    const json_t *choices, bool multiple)
{
	size_t n = choices != NULL ? json_array_size(choices) : 0;

	buf_puts(out, "<select");
	web_input_attrs(out, in, !multiple);
	if (multiple)
		html_printf(out, " multiple size=\"%d\"",
		    n < WEB_MULTI_SIZE_MAX ? (n > 2 ? (int)n : 3) : WEB_MULTI_SIZE_MAX);
	buf_puts(out, ">");
	if (!multiple)
		html_printf(out, "<option value=\"\">%s</option>",
		    in->filter ? "Any" : "\xe2\x80\x94");
	if (choices != NULL)
		web_input_choice_options(out, choices, v);
	else
		web_input_enum_options(out, in->enum_values ? in->enum_values :
		    in->field->values, v);
	buf_puts(out, "</select>");
}

static void
web_input_checks(struct buf *out, const struct web_input *in, const json_t *v)
{
	const char *const *values = in->field->values;
	size_t i;

	buf_puts(out, "<div class=\"checks\">");
	for (i = 0; values != NULL && values[i] != NULL; i++) {
		html_printf(out, "<span class=\"check\"><input type=\"checkbox\" "
		    "id=\"%s%s-%zu\" name=\"%s\" value=\"%s\"%s%s>", in->id_prefix, in->name, i,
		    in->name, values[i], web_json_has(v, values[i]) ? " checked" : "",
		    in->disabled ? " disabled" : "");
		html_printf(out, "<label for=\"%s%s-%zu\">", in->id_prefix, in->name, i);
		web_enum_label(out, values[i]);
		buf_puts(out, "</label></span>");
	}
	buf_puts(out, "</div>");
}

static void
web_input_bool(struct buf *out, const struct web_input *in, const json_t *v)
{
	buf_puts(out, "<input type=\"checkbox\" value=\"true\"");
	web_input_attrs(out, in, false);
	buf_puts(out, json_is_true(v) ? " checked>" : ">");
}

const json_t *
web__scale(const json_t *choices, const char *name)
{
	const json_t *s = json_object_get(json_object_get(json_object_get(choices,
	    WEB_CHOICES_HINTS), "scales"), name);

	return json_is_array(s) && json_array_size(s) > 0 ? s : NULL;
}

/* A number on a labelled scale: a select of "3 \u2014 Possible"; the number is posted. */
static void
web_input_scale(struct buf *out, const struct web_input *in, const json_t *v,
    const json_t *scale)
{
	json_t *text = NULL, *all = json_copy((json_t *)scale), *c;
	const json_t *cur;
	char num[24];
	size_t i;

	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		text = json_string(num);
	}
	cur = text != NULL ? text : v;
	/* A value off the scale (refused, or from older criteria) stays shown as it is. */
	if (json_is_string(cur) && *json_string_value(cur) != '\0') {
		json_array_foreach(scale, i, c)
			if (strcmp(web__choice_value(c), json_string_value(cur)) == 0)
				break;
		if (i == json_array_size(scale))
			json_array_append(all, (json_t *)cur);
	}
	web_input_select(out, in, cur, all, false);
	json_decref(all);
	json_decref(text);
}

void
web__input(struct buf *out, const struct web_input *in, const json_t *value)
{
	const struct field *f = in->field;
	const json_t *choices = in->datalist == NULL ? web__choices(in->choices, f) : NULL;

	switch (f->type) {
	case FIELD_TEXT:
	case FIELD_STRING_LIST:
		web_input_textarea(out, in, value);
		break;
	case FIELD_BOOL:
		web_input_bool(out, in, value);
		break;
	case FIELD_INT:
		if ((choices = web__scale(in->choices, in->name)) != NULL)
			web_input_scale(out, in, value, choices);
		else
			web_input_text(out, in, value, "number", "");
		break;
	case FIELD_ENUM:
		web_input_select(out, in, value, NULL, false);
		break;
	case FIELD_ENUM_LIST:
		web_input_checks(out, in, value);
		break;
	case FIELD_DATE:
		web_input_text(out, in, value, "date", "");
		break;
	case FIELD_DATETIME:
		web_input_text(out, in, value, "datetime-local", "");
		break;
	case FIELD_REF:
	case FIELD_USER:
	case FIELD_REQUIREMENT:
		if (choices != NULL)
			web_input_select(out, in, value, choices, false);
		else
			web_input_text(out, in, value, f->type == FIELD_USER ? "email" : "text", "");
		break;
	case FIELD_REF_LIST:
	case FIELD_REQUIREMENT_LIST:
		if (choices != NULL)
			web_input_select(out, in, value, choices, true);
		else
			web_input_text(out, in, value, "text", ", ");
		break;
	default:
		web_input_text(out, in, value, "text", ", ");
		break;
	}
}

void
web__input_filter(struct buf *out, const struct web_input *in, const char *cur)
{
	const struct field *f = in->field;
	json_t *v = json_string(cur != NULL ? cur : "");
	const json_t *choices = web__choices(in->choices, f);
	struct web_input fin = *in;

	fin.filter = true;
	if (f->type == FIELD_INT && (choices = web__scale(in->choices, in->name)) != NULL)
		web_input_select(out, &fin, v, choices, false);
	else if (in->enum_values != NULL || f->type == FIELD_ENUM || f->type == FIELD_ENUM_LIST)
		web_input_select(out, &fin, v, NULL, false);
	else if (choices != NULL)
		web_input_select(out, &fin, v, choices, false);
	else if (f->type == FIELD_INT)
		web_input_text(out, &fin, v, "number", "");
	else if (f->type == FIELD_DATE)
		web_input_text(out, &fin, v, "date", "");
	else
		web_input_text(out, &fin, v, "text", "");
	json_decref(v);
}
