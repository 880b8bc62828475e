/*
 * workflow.c - the workflow of a record on its pages, read from core: the
 * buttons of the steps record_steps() lists, and the notes about an
 * approved version in force. Core alone decides who may take a step; a step
 * the person may not take is shown disabled with core's reason to those who
 * may change the record, and not at all to those who only read it.
 */
#include <string.h>

#include "core/record.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

/* A button of the steps' form: it posts its step as "action". */
static void
web_step_button(struct buf *out, const json_t *rec, const json_t *step)
{
	const char *confirm = json_string_value(json_object_get(step, "confirm"));
	const char *ref = json_string_value(json_object_get(rec, "ref"));

	html_printf(out, "<button type=\"submit\" class=\"btn primary\" name=\"action\" "
	    "value=\"%s\"", json_string_value(json_object_get(step, "action")));
	if (confirm != NULL)
		html_printf(out, " data-confirm=\"%s %s?\"", confirm, ref ? ref : "");
	html_printf(out, ">%s</button>", json_string_value(json_object_get(step, "label")));
}

/*
 * The steps the person may take: one form, a button each, and the
 * reviewer's note that goes with whichever is taken (a comment on the
 * record naming the step, core/comment.h) for those who may comment.
 */
static void
web_step_form(struct buf *out, const struct web_ctx *ctx, const char *url, const json_t *rec,
    const json_t *steps)
{
	const json_t *s;
	size_t i;

	html_printf(out, "<form method=\"post\" action=\"%s/workflow\" class=\"steps\">", url);
	web_csrf_input(out, ctx);
	html_printf(out, "<input type=\"hidden\" name=\"" WEB_VERSION_FIELD "\" value=\"%lld\">",
	    (long long)json_integer_value(json_object_get(rec, "version")));
	json_array_foreach(steps, i, s)
		if (json_is_true(json_object_get(s, "allowed")))
			web_step_button(out, rec, s);
	if (ctx->may_comment)
		html_printf(out, "<details class=\"step-note\"><summary>Add a reviewer's note"
		    "</summary><label for=\"step-note\">Note kept with the step you take"
		    "</label><textarea id=\"step-note\" name=\"" WEB_NOTE_FIELD "\" rows=\"3\" "
		    "maxlength=\"%d\"></textarea></details>", WEB_COMMENT_MAX);
	buf_puts(out, "</form>");
}

/* A step the person may not take: disabled, with the reason next to it. */
static void
web_step_refused(struct buf *out, const json_t *step)
{
	const char *action = json_string_value(json_object_get(step, "action"));

	html_printf(out, "<span class=\"step-off\"><button type=\"button\" class=\"btn\" disabled "
	    "aria-describedby=\"why-%s\" data-step=\"%s\">%s</button> <small class=\"why\" "
	    "id=\"why-%s\">%s.</small></span>", action, action,
	    json_string_value(json_object_get(step, "label")), action,
	    json_string_value(json_object_get(step, "reason")));
}

void
web_workflow_actions(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *rec, const json_t *steps, const char *url)
{
	bool writer = web_can(ctx, WEB_ACT_UPDATE, k), any = false;
	const json_t *s;
	size_t i;

	if (!writer)
		return;
	json_array_foreach(steps, i, s) {
		if (json_is_true(json_object_get(s, "allowed")))
			any = true;
		else
			web_step_refused(out, s);
	}
	if (any)
		web_step_form(out, ctx, url, rec, steps);
}

void
web_workflow_in_force(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *rec, const json_t *in_force)
{
	static const struct field when = { .type = FIELD_DATETIME };
	const struct record_workflow *w = k->workflow;
	json_int_t v = json_integer_value(json_object_get(rec, "in_force_version"));
	const char *by;

	if (w == NULL || w->approved == NULL || v <= 0)
		return;
	html_printf(out, "<div class=\"flash warn\" id=\"in-force\"><p><strong>This is a revision "
	    "in progress.</strong> Version %lld, as approved", (long long)v);
	if (in_force != NULL && w->signed_by != NULL &&
	    (by = json_string_value(json_object_get(in_force, w->signed_by))) != NULL) {
		html_printf(out, " by %s", by);
		if (w->signed_at != NULL) {
			buf_puts(out, " on ");
			web_value(out, ctx, &when, json_object_get(in_force, w->signed_at));
		}
	}
	html_printf(out, ", stays in force (readiness counts it) until this revision is approved; "
	    "it is shown whole in the history below.</p></div>\n");
}

void
web_workflow_edit_note(struct buf *out, const struct record_kind *k, const json_t *values)
{
	const struct record_workflow *w = k->workflow;
	json_int_t v = json_integer_value(json_object_get(values, "in_force_version"));
	const char *state = json_string_value(json_object_get(values, w ? w->field : "status"));
	const struct field *f;
	const char *const *free;

	if (w == NULL || w->approved == NULL)
		return;
	if (v > 0) {
		html_printf(out, "<div class=\"flash warn\" id=\"revision-note\"><p><strong>A "
		    "revision is open.</strong> Version %lld, the approved one, stays in force "
		    "until this revision is approved.</p></div>\n", (long long)v);
		return;
	}
	if (state == NULL || strcmp(state, w->approved) != 0)
		return;
	html_printf(out, "<div class=\"flash warn\" id=\"revision-note\"><p><strong>This %s is "
	    "approved.</strong> Saving a change to its content starts a revision: version %lld "
	    "stays in force (readiness counts it) until the revision is approved.", k->singular,
	    (long long)json_integer_value(json_object_get(values, "version")));
	for (free = w->free_fields; free != NULL && *free != NULL; free++) {
		f = web__field_find(k, *free);
		html_printf(out, "%s%s", free == w->free_fields ? " Changing only " : ", ",
		    f != NULL ? f->label : *free);
	}
	if (w->free_fields != NULL && w->free_fields[0] != NULL)
		buf_puts(out, " changes the approved version without a revision.");
	buf_puts(out, "</p></div>\n");
}
