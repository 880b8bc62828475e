/*
 * web_audits.c - the auditor's pages (web/page_audit.c): my audits, the
 * checklist whose rows post on their own and come back to the same place
 * (or with the row's message and what was typed), the report and the
 * coverage of a programme. Who may write what is core's to judge; the
 * page only offers the forms to the audit team while the report is open.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/audit.h"
#include "core/catalog.h"
#include "http/webui.h"
#include "util/error.h"
#include "web/html.h"

#define WEBUI_AUDIT_KIND	"audits"
#define WEBUI_SAMPLED_MAX	200	/* references in one posted row */

int
webui_my_audits(struct http_ctx *c)
{
	struct buf page = BUF_INIT;
	json_t *items = NULL;
	int rc;

	if ((rc = audit_list_mine(&items, c->db, c->org_id, &c->actor)) != 0)
		return rc;
	web_page_my_audits(&page, &c->web->ctx, items);
	webui_send(c, 200, &page);
	json_decref(items);
	return 0;
}

static bool
webui_on_team(const json_t *audit, const char *email)
{
	const char *lead = json_string_value(json_object_get(audit, "lead_auditor"));
	size_t i;
	json_t *v;

	if (email == NULL)
		return false;
	if (lead != NULL && strcasecmp(lead, email) == 0)
		return true;
	json_array_foreach(json_object_get(audit, "team"), i, v)
		if (json_is_string(v) && strcasecmp(json_string_value(v), email) == 0)
			return true;
	return false;
}

/* The checklist page; errors and typed as in web_audit_view. */
static int
webui_checklist_show(struct http_ctx *c, int status, const json_t *errors, const json_t *typed)
{
	const struct record_kind *k = record_kind_find(WEBUI_AUDIT_KIND);
	const struct record_kind *fk = record_kind_find("audit-findings");
	struct web_audit_view v = { .errors = errors, .typed = typed };
	struct record_query q = { .limit = RECORD_LIST_MAX, .sort = "ref", .nfilters = 1,
	    .filter_names = { "audit" } };
	json_t *audit = NULL, *reqs = NULL, *titles = json_object(), *r, *findings = NULL;
	char *next = NULL;
	const char *st;
	struct buf page = BUF_INIT;
	size_t i;
	int rc;

	if ((rc = record_get(&audit, c->db, c->org_id, k, http_param(c, "ref"))) != 0 ||
	    (rc = catalog_list(&reqs, c->db, CATALOG_ISO42001, NULL)) != 0)
		goto done;
	json_array_foreach(reqs, i, r)
		json_object_set(titles, json_string_value(json_object_get(r, "id")),
		    json_object_get(r, "title"));
	q.filter_values[0] = json_string_value(json_object_get(audit, "ref"));
	if (fk != NULL && (rc = record_list(&findings, &next, NULL, c->db, c->org_id, fk,
	    &q)) != 0)
		goto done;
	v.findings = findings;
	st = json_string_value(json_object_get(audit, "status"));
	v.audit = audit;
	v.titles = titles;
	v.editable = web_can(&c->web->ctx, WEB_ACT_UPDATE, k) &&
	    webui_on_team(audit, c->web->ctx.user) && st != NULL &&
	    strcmp(st, "reported") != 0 && strcmp(st, "closed") != 0;
	v.can_find = v.editable && fk != NULL && web_can(&c->web->ctx, WEB_ACT_CREATE, fk);
	if (!v.editable)
		v.why_readonly = st != NULL && (strcmp(st, "reported") == 0 ||
		    strcmp(st, "closed") == 0) ? "The report is issued: the checklist is kept "
		    "as it was." : "Only the lead auditor and the audit team record the checklist.";
	web_page_audit_checklist(&page, &c->web->ctx, &v);
	webui_send(c, status, &page);
done:
	json_decref(audit);
	json_decref(reqs);
	json_decref(titles);
	json_decref(findings);
	free(next);
	return rc;
}

int
webui_audit_checklist(struct http_ctx *c)
{
	return webui_checklist_show(c, 200, NULL, NULL);
}

/* "EV-3, RISK-12" or "EV-3 RISK-12": the references as a list (NULL when none). */
static json_t *
webui_sampled(const char *text)
{
	json_t *a = json_array();
	const char *p = text, *start;

	while (p != NULL && *p != '\0') {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		start = p;
		while (*p != '\0' && *p != ',' && !isspace((unsigned char)*p))
			p++;
		if (p > start && json_array_size(a) < WEBUI_SAMPLED_MAX)
			json_array_append_new(a, json_stringn(start, (size_t)(p - start)));
	}
	if (json_array_size(a) == 0) {
		json_decref(a);
		return json_null();
	}
	return a;
}

static json_t *
webui_text_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

int
webui_audit_checklist_save(struct http_ctx *c)
{
	const char *ref = http_param(c, "ref"), *req = http_param(c, "req");
	json_t *row, *rec = NULL, *errs, *typed;
	struct buf url = BUF_INIT;
	int rc;

	row = json_pack("{s:o, s:o, s:o}", "notes", webui_text_or_null(webui_posted(c, "notes")),
	    "sampled", webui_sampled(webui_posted(c, "sampled")),
	    "conclusion", webui_text_or_null(webui_posted(c, "conclusion")));
	if (row == NULL)
		return aims_error_set(AIMS_EINVALID, NULL, "The row is not valid text.");
	rc = audit_checklist_save(&rec, c->db, c->org_id, &c->actor, ref, req, row);
	json_decref(rec);
	if (rc == 0) {
		webui_flash(c, "saved", req);
		web_url_record(&url, &c->web->ctx, WEBUI_AUDIT_KIND, ref);
		buf_puts(&url, "/checklist#row-");
		html_url_escape(&url, req);
		webui_redirect(c, buf_str(&url));
		buf_free(&url);
		json_decref(row);
		return 0;
	}
	if (rc == AIMS_ENOTFOUND && (strcmp(aims_error_field(), "requirement") != 0)) {
		json_decref(row);
		return rc;
	}
	/* The row again, with its message and what was typed. */
	json_object_set_new(row, "sampled", json_string(webui_posted(c, "sampled") ?
	    webui_posted(c, "sampled") : ""));
	errs = json_pack("{s:s}", req, aims_error_message());
	typed = json_pack("{s:O}", req, row);
	rc = webui_checklist_show(c, rc == AIMS_EINVALID ? 422 : http_status_of(rc), errs, typed);
	json_decref(errs);
	json_decref(typed);
	json_decref(row);
	return rc;
}

int
webui_audit_report(struct http_ctx *c)
{
	struct buf page = BUF_INIT;
	json_t *rep = NULL;
	int rc;

	if ((rc = audit_report(&rep, c->db, c->org_id, http_param(c, "ref"))) != 0)
		return rc;
	web_page_audit_report(&page, &c->web->ctx, rep);
	webui_send(c, 200, &page);
	json_decref(rep);
	return 0;
}

int
webui_audit_coverage(struct http_ctx *c)
{
	struct buf page = BUF_INIT;
	json_t *cov = NULL;
	int rc;

	if ((rc = audit_programme_coverage(&cov, c->db, c->org_id, http_param(c, "ref"))) != 0)
		return rc;
	web_page_audit_coverage(&page, &c->web->ctx, cov);
	webui_send(c, 200, &page);
	json_decref(cov);
	return 0;
}
