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
/* The field called name in k (either may be NULL), or NULL. */
const struct field *web__field_find(const struct record_kind *k, const char *name);
/* The label of a field or of "object.subfield" (escaped); the name itself if unknown. */
void web__field_label(struct buf *out, const struct record_kind *k, const char *path);

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
