/*
 * page.h - helpers shared by the page files of src/web (not used outside
 * it): form controls for a struct field and the option lists behind them.
 */
#ifndef AIMS_WEB_PAGE_H
#define AIMS_WEB_PAGE_H

#include <jansson.h>
#include <stdbool.h>

#include "core/record.h"
#include "util/buf.h"

struct jscan_value;
struct web_ctx;

struct web_input {
	const struct field	*field;
	const char		*id_prefix;	/* "f-", "flt-", "soa-A.2.2-" */
	const char		*name;		/* form name: "title", "components.0.name" */
	const json_t		*choices;	/* see web_form_view */
	const char *const	*enum_values;	/* overrides field->values (BOOL filters) */
	const char		*describedby;	/* ids of help and error, or NULL */
	const char		*datalist;	/* pickers: a text input with this list */
	bool			 filter;	/* list filter: "Any" first, never required */
	bool			 norequire;	/* never mark required (blank list rows) */
	bool			 invalid;
	bool			 disabled;
};


/* value.c */
/*
 * The pieces of web_value() for a value known to be a string (or a number),
 * shared with value_span.c so that a tree and stored text show the same.
 */
void web__value_json(struct buf *out, const json_t *v);
void web__value_ref(struct buf *out, const struct web_ctx *ctx, const char *target,
    const char *ref);
void web__value_enum(struct buf *out, const char *s);
void web__value_string(struct buf *out, const char *s);
void web__value_user(struct buf *out, const char *s);
void web__value_req(struct buf *out, const struct web_ctx *ctx, const char *id);
void web__value_int(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    long long n);
void web__value_time(struct buf *out, const struct web_ctx *ctx, const char *s,
    bool datetime);
void web__value_text_brief(struct buf *out, const char *s);
/* The field called name in k (either may be NULL), or NULL. */
const struct field *web__field_find(const struct record_kind *k, const char *name);
/* The label of a field or of "object.subfield" (escaped); the name itself if unknown. */
void web__field_label(struct buf *out, const struct record_kind *k, const char *path);

/* value_span.c */
/*
 * web_value() and web_value_brief() of a value's stored JSON text read in
 * place (util/jscan.h): the same HTML as for the value parsed into a tree.
 * v NULL, or v->p NULL, is a value that is absent.
 */
void web__span(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v);
void web__span_brief(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v);
/* web_value_empty() of the text: absent, null, "" or []. */
bool web__span_empty(const struct jscan_value *v);
/* The string's text, decoded, into s (reset first): 0, or AIMS_EINVALID for any other value. */
int web__span_string(struct buf *s, const struct jscan_value *v);

/* input.c */
/* The control for in (no label): input, select, textarea or checkboxes. */
void web__input(struct buf *out, const struct web_input *in, const json_t *value);
/* A list filter control holding cur (NULL: none). */
void web__input_filter(struct buf *out, const struct web_input *in, const char *cur);
/* The options for f's picker, or NULL (none given, or too many for a select). */
const json_t *web__choices(const json_t *choices, const struct field *f);
/* The labelled scale of the number field a form names name, or NULL (WEB_CHOICES_HINTS). */
const json_t *web__scale(const json_t *choices, const char *name);
/* Option value and label of one choice; borrowed. */
const char *web__choice_value(const json_t *c);
void web__choice_label(struct buf *out, const json_t *c);

#endif
