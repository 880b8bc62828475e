/*
 * page_audit.c - the auditor's workspace: "My audits", the checklist of an
 * audit made for fast entry (one small form per requirement, saved in
 * place with script and as a plain post without; Ctrl+Enter saves, the
 * next row takes the focus), the audit report in the page shell (printable)
 * and the coverage of an audit programme.
 */
#include <string.h>

#include "core/audit.h"
#include "io/report.h"
#include "util/buf.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

#define AUDIT_KIND		"audits"
#define AUDIT_ROW_PREFIX	"row-"

static const char *
pa_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static void
pa_url_audit(struct buf *url, const struct web_ctx *ctx, const char *ref, const char *tail)
{
	web_url_record(url, ctx, AUDIT_KIND, ref);
	buf_puts(url, tail);
}

void
web_page_my_audits(struct buf *out, const struct web_ctx *ctx, const json_t *items)
{
	const struct web_crumb crumbs[] = { { "My audits", NULL } };
	struct buf url = BUF_INIT;
	const json_t *a;
	size_t i;

	web_page_begin(out, ctx, "My audits", "my-audits", crumbs, 1);
	buf_puts(out, "<h1>My audits</h1>\n<p class=\"lead\">The internal audits you lead or "
	    "are on the team of, open ones first. Every other record is yours to read for "
	    "sampling.</p>\n");
	if (json_array_size(items) == 0) {
		buf_puts(out, "<p class=\"empty\">You are not on the team of any audit.</p>\n");
		web_page_end(out, ctx);
		return;
	}
	buf_puts(out, "<table class=\"list\"><thead><tr><th>Audit</th><th>Status</th>"
	    "<th>Planned</th><th>Scope</th><th>To conclude</th><th></th></tr></thead><tbody>\n");
	json_array_foreach(items, i, a) {
		const json_t *row;
		size_t j, open = 0;

		json_array_foreach(json_object_get(a, "checklist"), j, row)
			open += json_object_get(row, "conclusion") == NULL;
		buf_reset(&url);
		pa_url_audit(&url, ctx, pa_str(a, "ref"), "");
		html_printf(out, "<tr><td><a href=\"%s\">%s %s</a></td><td>", buf_str(&url),
		    pa_str(a, "ref"), pa_str(a, "title"));
		web_enum_label(out, pa_str(a, "status"));
		html_printf(out, "</td><td>%s</td><td>%zu requirements</td><td>%zu</td>",
		    pa_str(a, "planned_start"),
		    json_array_size(json_object_get(a, "requirements")), open);
		buf_reset(&url);
		pa_url_audit(&url, ctx, pa_str(a, "ref"), "/checklist");
		html_printf(out, "<td><a class=\"btn\" href=\"%s\">Checklist</a> ", buf_str(&url));
		buf_reset(&url);
		pa_url_audit(&url, ctx, pa_str(a, "ref"), "/report");
		html_printf(out, "<a class=\"btn quiet\" href=\"%s\">Report</a></td></tr>\n",
		    buf_str(&url));
	}
	buf_puts(out, "</tbody></table>\n");
	buf_free(&url);
	web_page_end(out, ctx);
}

/* The conclusions in words, as the report writes them. */
static const char *
pa_conclusion_label(const char *v)
{
	return strcmp(v, "major_nc") == 0 ? "Major nonconformity" :
	    strcmp(v, "minor_nc") == 0 ? "Minor nonconformity" :
	    strcmp(v, "opportunity") == 0 ? "Opportunity for improvement" :
	    strcmp(v, "observation") == 0 ? "Observation" :
	    strcmp(v, "conforming") == 0 ? "Conforming" : v;
}

static void
pa_conclusion_select(struct buf *out, const char *id, const char *cur, bool disabled)
{
	const char *const *v;

	html_printf(out, "<select id=\"%s\" name=\"conclusion\"", id);
	html_attr_if(out, disabled, "disabled", NULL);
	html_printf(out, "><option value=\"\"%s>Not concluded</option>", *cur ? "" : " selected");
	for (v = audit_conclusion_values; *v != NULL; v++) {
		html_printf(out, "<option value=\"%s\"%s>%s</option>", *v, strcmp(*v, cur) == 0 ?
		    " selected" : "", pa_conclusion_label(*v));
	}
	buf_puts(out, "</select>");
}

/* The sampled references as typed: "EV-3, RISK-12". */
static void
pa_sampled_text(struct buf *b, const json_t *v)
{
	const json_t *e;
	size_t i;

	if (json_is_string(v)) {
		buf_puts(b, json_string_value(v));
		return;
	}
	json_array_foreach(v, i, e)
		buf_printf(b, "%s%s", i ? ", " : "", json_is_string(e) ? json_string_value(e) : "");
}

static void
pa_checklist_row(struct buf *out, const struct web_ctx *ctx, const struct web_audit_view *v,
    const json_t *row, size_t index)
{
	const char *req = pa_str(row, "requirement"), *title;
	const json_t *typed = NULL, *shown = row;
	const char *err = json_string_value(json_object_get(v->errors, req));
	struct buf url = BUF_INIT, sampled = BUF_INIT;
	char id[96];

	if (err != NULL && (typed = json_object_get(v->typed, req)) != NULL)
		shown = typed;
	title = json_string_value(json_object_get(v->titles, req));
	pa_url_audit(&url, ctx, pa_str(v->audit, "ref"), "/checklist/");
	html_url_escape(&url, req);
	html_printf(out, "<form id=\"" AUDIT_ROW_PREFIX "%s\" class=\"ck-row%s\" method=\"post\" "
	    "action=\"%s\"", req, err ? " invalid" : "", buf_str(&url));
	if (v->editable)
		buf_puts(out, " data-soa data-next-row");
	buf_puts(out, ">");
	web_csrf_input(out, ctx);
	html_printf(out, "<h2 class=\"ck-req\">%s <span>%s</span></h2>\n", req, title ? title : "");
	if (err != NULL)
		html_printf(out, "<p class=\"error\" id=\"err-%zu\">%s</p>", index, err);
	snprintf(id, sizeof(id), "ck-%zu-notes", index);
	html_printf(out, "<div class=\"field ck-notes\"><label for=\"%s\">Notes</label>"
	    "<textarea id=\"%s\" name=\"notes\" rows=\"3\"", id, id);
	html_attr_if(out, !v->editable, "readonly", NULL);
	html_printf(out, ">%s</textarea></div>\n", pa_str(shown, "notes"));
	snprintf(id, sizeof(id), "ck-%zu-sampled", index);
	pa_sampled_text(&sampled, json_object_get(shown, "sampled"));
	html_printf(out, "<div class=\"field ck-sampled\"><label for=\"%s\">Records sampled</label>"
	    "<input id=\"%s\" name=\"sampled\" value=\"%s\" placeholder=\"EV-3, RISK-12\" "
	    "aria-describedby=\"%s-help\"", id, id, buf_str(&sampled), id);
	html_attr_if(out, !v->editable, "readonly", NULL);
	html_printf(out, "><small id=\"%s-help\">references, separated by commas</small></div>\n",
	    id);
	snprintf(id, sizeof(id), "ck-%zu-conclusion", index);
	html_printf(out, "<div class=\"field ck-conclusion\"><label for=\"%s\">Conclusion</label>",
	    id);
	pa_conclusion_select(out, id, pa_str(shown, "conclusion"), !v->editable);
	buf_puts(out, "</div>\n<div class=\"ck-save\">");
	if (v->editable)
		buf_puts(out, "<button type=\"submit\" class=\"btn primary\">Save</button>");
	if (v->can_find) {
		buf_reset(&url);
		web_url_kind(&url, ctx, "audit-findings");
		buf_puts(&url, "/new");
		html_url_query(&url, "audit", pa_str(v->audit, "ref"));
		html_url_query(&url, "requirement", req);
		html_printf(out, "<a class=\"btn quiet\" href=\"%s\">Record a finding</a>",
		    buf_str(&url));
	}
	buf_puts(out, "<output class=\"soa-msg\" role=\"status\"></output></div></form>\n");
	buf_free(&url);
	buf_free(&sampled);
}

/* The findings recorded so far, each with the nonconformity it raised. */
static void
pa_findings(struct buf *out, const struct web_ctx *ctx, const json_t *findings)
{
	struct buf url = BUF_INIT;
	const json_t *f;
	size_t i;

	html_printf(out, "<h2 id=\"findings\">Findings (%zu)</h2>\n", json_array_size(findings));
	if (json_array_size(findings) == 0) {
		buf_puts(out, "<p class=\"empty\">No finding recorded yet.</p>\n");
		return;
	}
	buf_puts(out, "<table class=\"list\"><thead><tr><th>Finding</th><th>Type</th>"
	    "<th>Requirement</th><th>Nonconformity</th></tr></thead><tbody>\n");
	json_array_foreach(findings, i, f) {
		buf_reset(&url);
		web_url_record(&url, ctx, "audit-findings", pa_str(f, "ref"));
		html_printf(out, "<tr><td><a href=\"%s\">%s</a> %s</td><td>%s</td><td>%s</td><td>",
		    buf_str(&url), pa_str(f, "ref"), pa_str(f, "title"),
		    pa_conclusion_label(pa_str(f, "type")), pa_str(f, "requirement"));
		if (*pa_str(f, "nonconformity")) {
			buf_reset(&url);
			web_url_record(&url, ctx, "nonconformities", pa_str(f, "nonconformity"));
			html_printf(out, "<a href=\"%s\">%s</a>", buf_str(&url),
			    pa_str(f, "nonconformity"));
		}
		buf_puts(out, "</td></tr>\n");
	}
	buf_puts(out, "</tbody></table>\n");
	buf_free(&url);
}

void
web_page_audit_checklist(struct buf *out, const struct web_ctx *ctx,
    const struct web_audit_view *v)
{
	const char *ref = pa_str(v->audit, "ref");
	struct buf url = BUF_INIT, audits = BUF_INIT, title = BUF_INIT;
	struct web_crumb crumbs[3];
	const json_t *row;
	size_t i;

	web_url_kind(&audits, ctx, AUDIT_KIND);
	pa_url_audit(&url, ctx, ref, "");
	buf_printf(&title, "%s checklist", ref);
	crumbs[0] = (struct web_crumb){ "Internal audits", buf_str(&audits) };
	crumbs[1] = (struct web_crumb){ ref, buf_str(&url) };
	crumbs[2] = (struct web_crumb){ "Checklist", NULL };
	web_page_begin(out, ctx, buf_str(&title), AUDIT_KIND, crumbs, 3);
	html_printf(out, "<h1>Checklist: %s %s</h1>\n<p class=\"lead\">Status: ", ref,
	    pa_str(v->audit, "title"));
	web_enum_label(out, pa_str(v->audit, "status"));
	html_printf(out, ". Lead auditor %s.", pa_str(v->audit, "lead_auditor"));
	if (v->editable)
		buf_puts(out, " Each row saves on its own: <kbd>Ctrl</kbd>+<kbd>Enter</kbd> "
		    "saves the row you are in and moves to the next.");
	else if (v->why_readonly != NULL)
		html_printf(out, " %s", v->why_readonly);
	buf_puts(out, "</p>\n");
	buf_reset(&url);
	pa_url_audit(&url, ctx, ref, "/report");
	html_printf(out, "<p class=\"actions\"><a class=\"btn\" href=\"%s\">Report</a></p>\n",
	    buf_str(&url));
	json_array_foreach(json_object_get(v->audit, "checklist"), i, row)
		pa_checklist_row(out, ctx, v, row, i);
	pa_findings(out, ctx, v->findings);
	buf_free(&url);
	buf_free(&audits);
	buf_free(&title);
	web_page_end(out, ctx);
}

void
web_page_audit_report(struct buf *out, const struct web_ctx *ctx, const json_t *report)
{
	const char *ref = pa_str(report, "audit");
	struct buf url = BUF_INIT, audits = BUF_INIT, title = BUF_INIT;
	struct web_crumb crumbs[3];

	web_url_kind(&audits, ctx, AUDIT_KIND);
	pa_url_audit(&url, ctx, ref, "");
	buf_printf(&title, "%s report", ref);
	crumbs[0] = (struct web_crumb){ "Internal audits", buf_str(&audits) };
	crumbs[1] = (struct web_crumb){ ref, buf_str(&url) };
	crumbs[2] = (struct web_crumb){ "Report", NULL };
	web_page_begin(out, ctx, buf_str(&title), AUDIT_KIND, crumbs, 3);
	report_audit_body(out, report);
	web_page_end(out, ctx);
	buf_free(&url);
	buf_free(&audits);
	buf_free(&title);
}

void
web_page_audit_coverage(struct buf *out, const struct web_ctx *ctx, const json_t *cov)
{
	const char *ref = pa_str(cov, "programme");
	struct buf url = BUF_INIT, list = BUF_INIT, title = BUF_INIT;
	struct web_crumb crumbs[3];
	const json_t *r;
	size_t i;

	web_url_kind(&list, ctx, "audit-programmes");
	web_url_record(&url, ctx, "audit-programmes", ref);
	buf_printf(&title, "%s coverage", ref);
	crumbs[0] = (struct web_crumb){ "Audit programmes", buf_str(&list) };
	crumbs[1] = (struct web_crumb){ ref, buf_str(&url) };
	crumbs[2] = (struct web_crumb){ "Coverage", NULL };
	web_page_begin(out, ctx, buf_str(&title), "audit-programmes", crumbs, 3);
	html_printf(out, "<h1>Coverage: %s %s</h1>\n<p class=\"lead\">Period %s to %s. "
	    "%lld of %lld clauses and applicable Annex A controls are audited or planned "
	    "within it.</p>\n", ref, pa_str(cov, "title"), pa_str(cov, "period_start"),
	    pa_str(cov, "period_end"), (long long)json_integer_value(json_object_get(cov,
	    "covered")), (long long)json_integer_value(json_object_get(cov, "total")));
	if (json_array_size(json_object_get(cov, "not_covered")) > 0) {
		buf_puts(out, "<h2>Not covered within the period</h2>\n<p class=\"ck-missing\">");
		json_array_foreach(json_object_get(cov, "not_covered"), i, r)
			html_printf(out, "%s%s", i ? ", " : "", json_string_value(r));
		buf_puts(out, "</p>\n");
	}
	buf_puts(out, "<table class=\"list\"><thead><tr><th>Requirement</th><th>Last audited</th>"
	    "<th>Planned</th><th>Covered</th></tr></thead><tbody>\n");
	json_array_foreach(json_object_get(cov, "requirements"), i, r) {
		html_printf(out, "<tr id=\"cov-%s\"><td>%s %s</td><td>", pa_str(r, "id"),
		    pa_str(r, "id"), pa_str(r, "title"));
		if (*pa_str(r, "last_audit")) {
			buf_reset(&url);
			pa_url_audit(&url, ctx, pa_str(r, "last_audit"), "");
			html_printf(out, "%s (<a href=\"%s\">%s</a>)", pa_str(r, "last_audited"),
			    buf_str(&url), pa_str(r, "last_audit"));
		}
		buf_puts(out, "</td><td>");
		if (*pa_str(r, "planned_audit")) {
			buf_reset(&url);
			pa_url_audit(&url, ctx, pa_str(r, "planned_audit"), "");
			html_printf(out, "%s (<a href=\"%s\">%s</a>)", pa_str(r, "planned"),
			    buf_str(&url), pa_str(r, "planned_audit"));
		}
		html_printf(out, "</td><td>%s</td></tr>\n", json_is_true(json_object_get(r,
		    "covered")) ? "yes" : "no");
	}
	buf_puts(out, "</tbody></table>\n");
	buf_free(&url);
	buf_free(&list);
	buf_free(&title);
	web_page_end(out, ctx);
}
