/*
 * api_audits.c - the internal audit views over JSON (core/audit.h): the
 * coverage of an audit programme, one checklist row saved in place, the
 * audit report (JSON or printable HTML) and the caller's own audits. The
 * records themselves are the generic record routes (api_records.c).
 */
#include <string.h>

#include "core/audit.h"
#include "http/api.h"
#include "io/report.h"
#include "util/buf.h"
#include "util/error.h"

int
api_audit_coverage(struct http_ctx *c)
{
	json_t *cov = NULL;
	int rc;

	if ((rc = audit_programme_coverage(&cov, c->db, c->org_id, http_param(c, "ref"))) != 0)
		return rc;
	http_reply_json(c, 200, cov);
	return 0;
}

int
api_audit_checklist_save(struct http_ctx *c)
{
	json_t *rec = NULL;
	int rc;

	if ((rc = audit_checklist_save(&rec, c->db, c->org_id, &c->actor, http_param(c, "ref"),
	    http_param(c, "req"), c->body)) != 0)
		return rc;
	http_reply_json(c, 200, rec);
	return 0;
}

int
api_audit_report(struct http_ctx *c)
{
	const char *format = http_query(c, "format");
	struct buf out = BUF_INIT;
	json_t *rep = NULL;
	int rc;

	if ((rc = audit_report(&rep, c->db, c->org_id, http_param(c, "ref"))) != 0)
		return rc;
	if (format == NULL || strcmp(format, "json") == 0) {
		http_reply_json(c, 200, rep);
		return 0;
	}
	rc = report_audit_html(&out, rep);
	json_decref(rep);
	if (rc == 0) {
		http_reply_text(c, 200, "text/html; charset=utf-8", out.data ? out.data : "",
		    out.len);
		/* A file to keep and print: its own styles apply once opened from disk. */
		buf_reset(&out);
		buf_printf(&out, "attachment; filename=\"%s-report.html\"", http_param(c, "ref"));
		http_resp_header(&c->resp, "Content-Disposition", buf_str(&out));
	}
	buf_free(&out);
	return rc;
}

int
api_audits_mine(struct http_ctx *c)
{
	json_t *items = NULL;
	int rc;

	if ((rc = audit_list_mine(&items, c->db, c->org_id, &c->actor)) != 0)
		return rc;
	http_reply_list(c, items, NULL);
	return 0;
}
