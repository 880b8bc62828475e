/*
 * workflow.c - the workflow buttons of kinds whose "status" field moves
 * draft -> in_review -> approved -> retired, and risk acceptance. This only
 * decides which buttons to offer and the patch a button sends; whether the
 * step is allowed (who may approve, not one's own work, required fields)
 * is decided by core when the patch is applied.
 */
#include <string.h>

#include "core/record.h"
#include "util/error.h"
#include "web/page.h"
#include "web/web.h"

#define WEB_STATUS_FIELD	"status"
#define WEB_ACCEPT_FIELD	"accepted_by"
#define WEB_RESIDUAL_FIELD	"residual_score"

static const struct web_step web_steps[] = {
	{ "submit", "Submit for review", "draft", "in_review", WEB_ACT_UPDATE, NULL },
	{ "approve", "Approve", "in_review", "approved", WEB_ACT_APPROVE, NULL },
	{ "approve", "Approve", "draft", "approved", WEB_ACT_APPROVE, NULL },
	{ "return", "Return to draft", "in_review", "draft", WEB_ACT_UPDATE, NULL },
	{ "retire", "Retire", "approved", "retired", WEB_ACT_APPROVE, "Retire" },
	{ "accept", "Accept risk", NULL, "accepted", WEB_ACT_APPROVE,
	    "Accept the residual risk of" },
};

static bool
web_enum_has(const struct field *f, const char *value)
{
	size_t i;

	for (i = 0; f != NULL && f->values != NULL && f->values[i] != NULL; i++)
		if (strcmp(f->values[i], value) == 0)
			return true;
	return false;
}

static bool
web_step_applies(const struct web_step *s, const struct record_kind *k, const json_t *rec)
{
	const struct field *st = web__field_find(k, WEB_STATUS_FIELD);
	const char *cur = json_string_value(json_object_get(rec, WEB_STATUS_FIELD));

	if (json_is_true(json_object_get(rec, "retired")))
		return false;
	if (s->from == NULL)	/* acceptance: a risk with a residual not yet accepted */
		return web__field_find(k, WEB_ACCEPT_FIELD) != NULL &&
		    web_value_empty(json_object_get(rec, WEB_ACCEPT_FIELD)) &&
		    !web_value_empty(json_object_get(rec, WEB_RESIDUAL_FIELD)) &&
		    web_enum_has(st, s->to);
	if (st == NULL || st->type != FIELD_ENUM || cur == NULL || strcmp(cur, s->from) != 0)
		return false;
	if (!web_enum_has(st, s->from) || !web_enum_has(st, s->to))
		return false;
	/* Straight from draft to approved only where there is no review step. */
	if (strcmp(s->from, "draft") == 0 && strcmp(s->to, "approved") == 0)
		return !web_enum_has(st, "in_review");
	return true;
}

size_t
web_workflow_steps(const struct web_step **steps, size_t max, const struct web_ctx *ctx,
    const struct record_kind *k, const json_t *rec)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(web_steps) / sizeof(web_steps[0]) && n < max; i++)
		if (web_can(ctx, web_steps[i].perm, k) && web_step_applies(&web_steps[i], k, rec))
			steps[n++] = &web_steps[i];
	return n;
}

int
web_workflow_patch(json_t **out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *rec, const char *action)
{
	const struct web_step *steps[sizeof(web_steps) / sizeof(web_steps[0])];
	size_t i, n;

	*out = NULL;
	n = web_workflow_steps(steps, sizeof(steps) / sizeof(steps[0]), ctx, k, rec);
	for (i = 0; i < n; i++) {
		if (action == NULL || strcmp(steps[i]->action, action) != 0)
			continue;
		*out = json_pack("{s:s}", WEB_STATUS_FIELD, steps[i]->to);
		return 0;
	}
	return aims_error_set(AIMS_EINVALID, "action", "'%s' is not a step this %s can take now",
	    action ? action : "", k->singular);
}
