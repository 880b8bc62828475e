/*
 * page_form.c - create and edit forms generated from a record kind: one
 * labelled control per writable field, server-side messages next to the
 * field they concern with the posted values kept, an error summary that
 * links to each field, a hidden CSRF token and record version, and on a
 * stale edit the record's current values beside the user's own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/record.h"
#include "core/role.h"
#include "util/buf.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

#define WEB_FORM_ID_PREFIX	"f-"
#define WEB_OBJECT_BLANKS	1	/* empty rows offered after an object list */

struct web_form_state {
	const struct web_ctx		*ctx;
	const struct web_form_view	*v;
	bool				 create;
};

/* A JSON value inside a double-quoted attribute (escaped by the writer). */
static void
web_json_attr(struct buf *out, const json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT);

	if (text != NULL)
		html_escape(out, text);
	free(text);
}

static bool
web_field_locked(const struct web_ctx *ctx, const struct field *f)
{
	return (f->flags & FIELD_MANAGER) && ctx->role < ROLE_MANAGER;
}

static void
web_form_error_summary(struct buf *out, const struct record_kind *k, const json_t *errors)
{
	const struct field *f;
	const char *key;
	json_t *msg;

	if (json_object_size(errors) == 0)
		return;
	html_printf(out, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
	    "id=\"errors\"><h2>This %s was not saved</h2><ul>", k->singular);
	json_object_foreach((json_t *)errors, key, msg) {
		f = web__field_find(k, key);
		if (strcmp(key, WEB_FILE_FIELD) == 0)
			html_printf(out, "<li><a href=\"#" WEB_FORM_ID_PREFIX WEB_FILE_FIELD "\">File: %s"
			    "</a></li>", json_string_value(msg));
		else if (*key == '\0' || (f == NULL && strchr(key, '.') == NULL))
			html_printf(out, "<li>%s</li>", json_string_value(msg));
		else
			html_printf(out, "<li><a href=\"#" WEB_FORM_ID_PREFIX "%s\">%s: %s</a></li>",
			    key, f != NULL ? f->label : key, json_string_value(msg));
	}
	buf_puts(out, "</ul></div>\n");
}

static void
web_form_stale(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_form_view *v)
{
	static const struct field when = { .type = FIELD_DATETIME };
	struct buf url = BUF_INIT;
	const char *by = web_actor(json_string_value(json_object_get(v->newer, "updated_by")));

	if (v->newer == NULL)
		return;
	web_url_record(&url, ctx, k->name, v->ref);
	html_printf(out, "<div class=\"flash warn\" role=\"alert\"><p><strong>%s was changed "
	    "while you were editing it</strong> (now version %lld, by %s, ", v->ref,
	    (long long)json_integer_value(json_object_get(v->newer, "version")),
	    by != NULL ? by : "someone else");
	web_value(out, ctx, &when, json_object_get(v->newer, "updated_at"));
	html_printf(out, ").</p><p>Your values are kept below and each field that differs shows "
	    "the current value. Save again to replace it with yours, or "
	    "<a href=\"%s\">discard your changes</a>.</p></div>\n", buf_str(&url));
	buf_free(&url);
}

static void
web_form_describedby(struct buf *ids, const char *id, const struct field *f, bool err)
{
	if (f->help != NULL)
		buf_printf(ids, "%s-help", id);
	if (err)
		buf_printf(ids, "%s%s-err", f->help != NULL ? " " : "", id);
}

static void
web_form_notes(struct buf *out, const struct web_form_state *st, const struct field *f,
    const char *id, const char *err, bool locked)
{
	const json_t *now, *mine;

	if (f->help != NULL)
		html_printf(out, "<p class=\"help\" id=\"%s-help\">%s</p>", id, f->help);
	if (locked)
		buf_puts(out, "<p class=\"help\">Only a manager can change this.</p>");
	if (err != NULL)
		html_printf(out, "<p class=\"error\" id=\"%s-err\">%s</p>", id, err);
	if (st->v->newer == NULL)
		return;
	now = json_object_get(st->v->newer, f->name);
	mine = json_object_get(st->v->values, f->name);
	if (web_value_empty(now) && web_value_empty(mine))
		return;
	if (now != NULL && mine != NULL && json_equal((json_t *)now, (json_t *)mine))
		return;
	buf_puts(out, "<div class=\"newer\"><span class=\"newer-label\">Current value:</span> ");
	web_value_brief(out, st->ctx, f, now);
	buf_puts(out, "</div>");
}

/* A value of the form by the name a form gives it: "impact", "treatment.residual_impact". */
static int64_t
web_form_int(const json_t *values, const char *name)
{
	const char *dot = strchr(name, '.');
	char head[WEB_FORM_NAME_MAX];
	const json_t *v;

	if (dot == NULL) {
		v = json_object_get(values, name);
	} else {
		snprintf(head, sizeof(head), "%.*s", (int)(dot - name), name);
		v = json_object_get(json_object_get(values, head), dot + 1);
	}
	if (json_is_string(v))
		return strtoll(json_string_value(v), NULL, 10);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/*
 * The score core will compute from two fields (the kind's form_hints),
 * shown after the second: as saved or typed when the page is drawn, and
 * kept current by app.js from the same grid as the fields change.
 */
static void
web_form_scores(struct buf *out, const struct web_form_state *st, const char *after)
{
	const json_t *sc, *grid, *cell;
	const char *a, *b;
	int64_t x, y;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(st->v->choices, WEB_CHOICES_HINTS),
	    "scores"), i, sc) {
		if (strcmp(json_string_value(json_object_get(sc, "after")) ?: "", after) != 0)
			continue;
		a = json_string_value(json_array_get(json_object_get(sc, "from"), 0));
		b = json_string_value(json_array_get(json_object_get(sc, "from"), 1));
		grid = json_object_get(sc, "grid");
		if (a == NULL || b == NULL || grid == NULL)
			continue;
		x = web_form_int(st->v->values, a);
		y = web_form_int(st->v->values, b);
		cell = x > 0 && y > 0 ? json_array_get(json_array_get(grid, (size_t)x - 1),
		    (size_t)y - 1) : NULL;
		html_printf(out, "<p class=\"score\" data-score data-from=\"" WEB_FORM_ID_PREFIX
		    "%s " WEB_FORM_ID_PREFIX "%s\" data-grid=\"", a, b);
		web_json_attr(out, grid);
		html_printf(out, "\"><span class=\"score-label\">%s:</span> <output for=\""
		    WEB_FORM_ID_PREFIX "%s " WEB_FORM_ID_PREFIX "%s\" aria-live=\"polite\">",
		    json_string_value(json_object_get(sc, "label")), a, b);
		if (cell != NULL)
			html_printf(out, "score %lld, <strong>%s</strong>",
			    (long long)json_integer_value(json_object_get(cell, "score")),
			    json_string_value(json_object_get(cell, "level")) ?: "no level");
		else
			buf_puts(out, "set both to see the score");
		buf_puts(out, "</output></p>\n");
	}
}

/* One control of an object-list item, named "FIELD.INDEX.SUBFIELD". */
static void
web_form_subfield(struct buf *out, struct web_input *in, const json_t *value, const char *err)
{
	const struct field *sf = in->field;

	in->invalid = err != NULL;
	if (sf->type == FIELD_ENUM_LIST) {
		html_printf(out, "<fieldset class=\"field%s\"><legend>%s</legend>",
		    err ? " invalid" : "", sf->label);
		web__input(out, in, value);
	} else if (sf->type == FIELD_BOOL) {
		html_printf(out, "<div class=\"field check%s\">", err ? " invalid" : "");
		web__input(out, in, value);
		html_printf(out, "<label for=\"" WEB_FORM_ID_PREFIX "%s\">%s</label>", in->name,
		    sf->label);
	} else {
		html_printf(out, "<div class=\"field%s\"><label for=\"" WEB_FORM_ID_PREFIX
		    "%s\">%s</label>", err ? " invalid" : "", in->name, sf->label);
		web__input(out, in, value);
	}
	if (err != NULL)
		html_printf(out, "<p class=\"error\">%s</p>", err);
	buf_puts(out, sf->type == FIELD_ENUM_LIST ? "</fieldset>" : "</div>");
}

static void
web_form_objects(struct buf *out, const struct web_form_state *st, const struct field *f,
    const char *err)
{
	const json_t *items = json_object_get(st->v->values, f->name);
	size_t i, n = json_is_array(items) ? json_array_size(items) : 0;
	const struct field *sf;
	char name[WEB_FORM_NAME_MAX];
	struct web_input in = { .id_prefix = WEB_FORM_ID_PREFIX, .choices = st->v->choices,
	    .norequire = true };

	html_printf(out, "<fieldset class=\"field objects%s\" id=\"" WEB_FORM_ID_PREFIX "%s\" "
	    "data-objects=\"%s\"><legend>%s</legend>", err ? " invalid" : "", f->name, f->name,
	    f->label);
	for (i = 0; i < n + WEB_OBJECT_BLANKS; i++) {
		const json_t *item = json_array_get(items, i);

		html_printf(out, "<fieldset class=\"item\" data-item=\"%zu\"><legend>%s: item %zu</legend>",
		    i, f->label, i + 1);
		for (sf = f->subfields; sf != NULL && sf->name != NULL; sf++) {
			snprintf(name, sizeof(name), "%s.%zu.%s", f->name, i, sf->name);
			in.field = sf;
			in.name = name;
			web_form_subfield(out, &in, json_object_get(item, sf->name),
			    json_string_value(json_object_get(st->v->errors, name)));
		}
		buf_puts(out, "</fieldset>");
	}
	html_printf(out, "<button type=\"button\" class=\"btn quiet\" data-add-item hidden>"
	    "Add another</button>");
	if (err != NULL)
		html_printf(out, "<p class=\"error\">%s</p>", err);
	buf_puts(out, "</fieldset>\n");
}

/* One object (FIELD_OBJECT): its subfields named "FIELD.SUBFIELD". */
static void
web_form_object(struct buf *out, const struct web_form_state *st, const struct field *f,
    const char *err)
{
	const json_t *obj = json_object_get(st->v->values, f->name);
	const struct field *sf;
	char name[WEB_FORM_NAME_MAX];
	struct web_input in = { .id_prefix = WEB_FORM_ID_PREFIX, .choices = st->v->choices,
	    .norequire = true };

	html_printf(out, "<fieldset class=\"field object%s\" id=\"" WEB_FORM_ID_PREFIX "%s\">"
	    "<legend>%s</legend>", err ? " invalid" : "", f->name, f->label);
	for (sf = f->subfields; sf != NULL && sf->name != NULL; sf++) {
		if (sf->flags & FIELD_READONLY)
			continue;
		snprintf(name, sizeof(name), "%s.%s", f->name, sf->name);
		in.field = sf;
		in.name = name;
		web_form_subfield(out, &in, json_object_get(obj, sf->name),
		    json_string_value(json_object_get(st->v->errors, name)));
		web_form_scores(out, st, name);
	}
	snprintf(name, sizeof(name), WEB_FORM_ID_PREFIX "%s", f->name);
	web_form_notes(out, st, f, name, err, false);
	buf_puts(out, "</fieldset>\n");
}

static void
web_form_field(struct buf *out, const struct web_form_state *st, const struct field *f)
{
	const char *err = json_string_value(json_object_get(st->v->errors, f->name));
	bool locked = web_field_locked(st->ctx, f);
	struct buf ids = BUF_INIT;
	char id[WEB_FORM_NAME_MAX + 8];
	struct web_input in = { .field = f, .id_prefix = WEB_FORM_ID_PREFIX, .name = f->name,
	    .choices = st->v->choices, .invalid = err != NULL, .disabled = locked };

	snprintf(id, sizeof(id), WEB_FORM_ID_PREFIX "%s", f->name);
	if (!locked)
		html_printf(out, "<input type=\"hidden\" name=\"" WEB_FIELDS_FIELD "\" value=\"%s\">",
		    f->name);
	if (f->type == FIELD_OBJECT_LIST) {
		web_form_objects(out, st, f, err);
		return;
	}
	if (f->type == FIELD_OBJECT) {
		web_form_object(out, st, f, err);
		return;
	}
	web_form_describedby(&ids, id, f, err != NULL);
	in.describedby = ids.len > 0 ? buf_str(&ids) : NULL;
	if (f->type == FIELD_ENUM_LIST) {
		html_printf(out, "<fieldset class=\"field%s\" id=\"%s\"><legend>%s</legend>",
		    err ? " invalid" : "", id, f->label);
		web__input(out, &in, json_object_get(st->v->values, f->name));
		web_form_notes(out, st, f, id, err, locked);
		buf_puts(out, "</fieldset>\n");
	} else if (f->type == FIELD_BOOL) {
		html_printf(out, "<div class=\"field check%s\">", err ? " invalid" : "");
		web__input(out, &in, json_object_get(st->v->values, f->name));
		html_printf(out, "<label for=\"%s\">%s</label>", id, f->label);
		web_form_notes(out, st, f, id, err, locked);
		buf_puts(out, "</div>\n");
	} else {
		html_printf(out, "<div class=\"field%s\"><label for=\"%s\">%s",
		    err ? " invalid" : "", id, f->label);
		if (f->flags & FIELD_REQUIRED)
			buf_puts(out, " <span class=\"req-mark\">required</span>");
		buf_puts(out, "</label>");
		web__input(out, &in, json_object_get(st->v->values, f->name));
		web_form_notes(out, st, f, id, err, locked);
		buf_puts(out, "</div>\n");
	}
	web_form_scores(out, st, f->name);
	buf_free(&ids);
}

static void
web_form_upload(struct buf *out, bool create, const char *err)
{
	html_printf(out, "<div class=\"field dropzone%s\" data-dropzone><label for=\"f-file\">%s"
	    "</label><input type=\"file\" id=\"f-file\" name=\"file\" aria-describedby=\""
	    "f-file-help%s\"", err != NULL ? " invalid" : "", create ? "File" :
	    "Upload a new revision", err != NULL ? " f-file-err" : "");
	html_attr_if(out, err != NULL, "aria-invalid", "true");
	buf_puts(out, "><p class=\"help\" id=\"f-file-help\">Drop a file here or choose one. "
	    "Its SHA-256 hash is recorded; a newer file keeps the older ones as revisions.</p>");
	if (err != NULL)
		html_printf(out, "<p class=\"error\" id=\"f-file-err\">%s</p>", err);
	buf_puts(out, "<progress class=\"upload-progress\" max=\"100\" value=\"0\" hidden>"
	    "</progress></div>\n");
}

/*
 * The editable fields under the form sections the kind declares: a field
 * naming a section starts it (its heading is written before the first
 * editable field from there on, so a read-only field may start one too).
 */
static void
web_form_fields(struct buf *out, const struct web_form_state *st, const struct record_kind *k)
{
	const char *pending = NULL;
	const struct field *f;
	int nsections = 0;

	for (f = k->fields; f->name != NULL; f++) {
		if (f->section != NULL)
			pending = f->section;
		if (f->flags & FIELD_READONLY)
			continue;
		if (pending != NULL) {
			if (nsections > 0)
				buf_puts(out, "</section>\n");
			html_printf(out, "<section class=\"form-section\" "
			    "aria-labelledby=\"fs-%d\"><h2 id=\"fs-%d\">%s</h2>\n", nsections,
			    nsections, pending);
			nsections++;
			pending = NULL;
		}
		web_form_field(out, st, f);
	}
	if (nsections > 0)
		buf_puts(out, "</section>\n");
}

void
web_page_form(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_form_view *v)
{
	struct web_form_state st = { ctx, v, v->ref == NULL };
	bool evidence = k->files;
	struct buf list = BUF_INIT, rec = BUF_INIT, title = BUF_INIT;
	struct web_crumb crumbs[3];
	int64_t version = v->newer != NULL ?
	    json_integer_value(json_object_get(v->newer, "version")) : v->version;
	size_t nc = 0;

	web_url_kind(&list, ctx, k->name);
	if (!k->singleton)
		crumbs[nc++] = (struct web_crumb){ k->plural, buf_str(&list) };
	if (st.create) {
		buf_printf(&title, "New %s", k->singular);
		buf_puts(&rec, buf_str(&list));
	} else {
		buf_printf(&title, "Edit %s", v->ref);
		web_url_record(&rec, ctx, k->name, v->ref);
		crumbs[nc++] = (struct web_crumb){ v->ref, buf_str(&rec) };
	}
	crumbs[nc++] = (struct web_crumb){ st.create ? "New" : "Edit", NULL };
	web_page_begin(out, ctx, buf_str(&title), k->name, crumbs, nc);
	html_printf(out, "<div class=\"page-head\"><h1>%s</h1></div>\n", buf_str(&title));
	web_form_error_summary(out, k, v->errors);
	web_form_stale(out, ctx, k, v);
	if (!st.create)
		web_workflow_edit_note(out, k, v->newer != NULL ? v->newer : v->values);
	html_printf(out, "<form method=\"post\" action=\"%s\" class=\"record-form\"",
	    buf_str(st.create ? &list : &rec));
	html_attr_if(out, evidence, "enctype", "multipart/form-data");
	html_attr_if(out, evidence, "data-upload", NULL);
	buf_puts(out, ">\n");
	web_csrf_input(out, ctx);
	if (!st.create)
		html_printf(out, "<input type=\"hidden\" name=\"" WEB_VERSION_FIELD "\" value=\"%lld\">",
		    (long long)version);
	buf_putc(out, '\n');
	if (evidence)
		web_form_upload(out, st.create, json_string_value(json_object_get(v->errors,
		    WEB_FILE_FIELD)));
	web_form_fields(out, &st, k);
	html_printf(out, "<div class=\"form-actions\"><button type=\"submit\" class=\"btn primary\">"
	    "%s</button> <a class=\"btn quiet\" href=\"%s\">Cancel</a></div>\n</form>\n",
	    st.create ? "Create" : "Save", buf_str(&rec));
	web_page_end(out, ctx);
	buf_free(&list);
	buf_free(&rec);
	buf_free(&title);
}
