/*
 * web_euact.c - the EU AI Act page of an AI system (/o/ORG/ai-systems/REF/
 * eu-ai-act, web/page_euact.c): GET shows its classification, the
 * obligations that follow and the Annex IV documentation; POST records the
 * obligations not recorded yet (core/euact.h), as the API does.
 */
#include <stdio.h>
#include <string.h>

#include "core/euact.h"
#include "core/record.h"
#include "http/webui.h"
#include "util/error.h"
#include "web/web.h"

int
webui_euact(struct http_ctx *c)
{
	const struct record_kind *ok = record_kind_find(EUACT_OBLIGATION_KIND);
	const char *ref = http_param(c, "ref");
	struct web_euact_view v = { .ref = ref };
	json_t *ai = NULL, *due = NULL, *recorded = NULL, *iv = NULL, *viii = NULL;
	char why[AIMS_ERROR_MSG_MAX] = "", due_why[AIMS_ERROR_MSG_MAX] = "";
	struct buf page = BUF_INIT;
	int rc;

	if ((rc = record_get(&ai, c->db, c->org_id, record_kind_find("ai-systems"), ref)) != 0)
		return rc;
	if ((rc = euact_obligations_due(&due, c->db, c->org_id, ref)) == AIMS_ECONFLICT)
		snprintf(due_why, sizeof(due_why), "%s", aims_error_message());
	else if (rc != 0)
		goto done;
	if ((rc = euact_obligations_recorded(&recorded, c->db, c->org_id, ref)) != 0)
		goto done;
	if ((rc = euact_annex_iv(&iv, c->db, c->org_id, ref)) == AIMS_ECONFLICT)
		snprintf(why, sizeof(why), "%s", aims_error_message());
	else if (rc != 0)
		goto done;
	v.annex_viii_ok = euact_annex_viii(&viii, c->db, c->org_id, ref) == 0;
	v.ai = ai;
	v.due = due;
	v.due_error = due == NULL ? due_why : NULL;
	v.recorded = recorded;
	v.annex_iv = iv;
	v.annex_iv_why = iv == NULL ? why : NULL;
	v.can_create = ok != NULL && web_can(&c->web->ctx, WEB_ACT_CREATE, ok);
	web_page_euact(&page, &c->web->ctx, &v);
	webui_send(c, 200, &page);
	rc = 0;
done:
	json_decref(ai);
	json_decref(due);
	json_decref(recorded);
	json_decref(iv);
	json_decref(viii);
	return rc;
}

int
webui_euact_obligations(struct http_ctx *c)
{
	const char *ref = http_param(c, "ref");
	struct buf url = BUF_INIT;
	json_t *res = NULL;
	int rc;

	if ((rc = euact_obligations_derive(&res, c->db, c->org_id, &c->actor, ref)) != 0)
		return webui_fail(c, rc);
	webui_flash(c, "saved", ref);
	web_url_record(&url, &c->web->ctx, "ai-systems", ref);
	buf_puts(&url, "/eu-ai-act");
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
	json_decref(res);
	return 0;
}
