/*
 * report_audit.c - the report of an internal audit (core/audit.h) as one
 * self-contained, printable HTML file: scope, criteria, team and dates,
 * the checklist with the sample, the findings, the conclusion and who
 * issued the report. No script, no external resource; every value escaped.
 */
#include <stdbool.h>
#include <string.h>

#include "io/report.h"
#include "util/error.h"
#include "util/html.h"

static const char audit_css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328;"
    "margin:2rem auto;max-width:1000px;padding:0 1rem}"
    "h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;"
    "border-bottom:1px solid #d0d7de;padding-bottom:.2rem}"
    ".meta{color:#57606a;margin:0 0 1.2rem}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;"
    "padding:.35rem .5rem;border-bottom:1px solid #d0d7de}th{font-weight:600;width:14rem}"
    "tr{page-break-inside:avoid}.notes{white-space:pre-wrap}"
    ".draft{border:2px solid #b26b00;padding:.5rem 1rem;color:#b26b00}"
    "@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}";

static const char *
s_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* A list of strings joined by ", " (or a dash when empty). */
static void
audit_join(struct buf *b, const json_t *a)
{
	size_t i;
	json_t *v;

	if (json_array_size(a) == 0) {
		buf_puts(b, "&mdash;");
		return;
	}
	json_array_foreach(a, i, v)
		html_printf(b, "%s%s", i ? ", " : "", json_is_string(v) ? json_string_value(v) : "");
}

static const char *
audit_conclusion_label(const char *c)
{
	return strcmp(c, "conforming") == 0 ? "conforming" :
	    strcmp(c, "major_nc") == 0 ? "major nonconformity" :
	    strcmp(c, "minor_nc") == 0 ? "minor nonconformity" :
	    strcmp(c, "observation") == 0 ? "observation" :
	    strcmp(c, "opportunity") == 0 ? "opportunity for improvement" :
	    *c ? c : "not concluded";
}

static void
audit_row(struct buf *b, const char *label, const char *value)
{
	html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", label, *value ? value : "-");
}

int
report_audit_body(struct buf *out, const json_t *r)
{
	const json_t *prog = json_object_get(r, "programme"), *v;
	const char *title = NULL;
	size_t i;

	if (!json_is_object(r) || !json_is_string(json_object_get(r, "audit")))
		return aims_error_set(AIMS_EINVALID, "report", "not an audit report");
	html_printf(out, "<article class=\"audit-report\"><h1>Internal audit report: %s %s</h1>\n",
	    s_of(r, "audit"), s_of(r, "title"));
	if (*s_of(r, "issued_by"))
		html_printf(out, "<p class=\"meta\">Issued by %s on %s</p>\n", s_of(r, "issued_by"),
		    s_of(r, "issued_at"));
	else
		html_printf(out, "<p class=\"draft\">Draft: this report has not been issued "
		    "(status %s).</p>\n", s_of(r, "status"));

	buf_puts(out, "<h2>Audit</h2>\n<table>\n");
	if (json_is_object(prog)) {
		html_printf(out, "<tr><th>Programme</th><td>%s %s</td></tr>\n", s_of(prog, "ref"),
		    s_of(prog, "title"));
	}
	audit_row(out, "Lead auditor", s_of(r, "lead_auditor"));
	buf_puts(out, "<tr><th>Team</th><td>");
	audit_join(out, json_object_get(r, "team"));
	buf_puts(out, "</td></tr>\n");
	html_printf(out, "<tr><th>Planned</th><td>%s to %s</td></tr>\n",
	    s_of(r, "planned_start"), s_of(r, "planned_end"));
	html_printf(out, "<tr><th>Performed</th><td>%s to %s</td></tr>\n",
	    s_of(r, "actual_start"), s_of(r, "actual_end"));
	audit_row(out, "Criteria", s_of(r, "criteria"));
	buf_puts(out, "</table>\n<h2>Scope</h2>\n<table>\n");
	json_array_foreach(json_object_get(r, "scope"), i, v)
		html_printf(out, "<tr><th>%s</th><td>%s</td></tr>\n", s_of(v, "id"),
		    s_of(v, "title"));
	buf_puts(out, "<tr><th>AI systems</th><td>");
	audit_join(out, json_object_get(r, "ai_systems"));
	buf_puts(out, "</td></tr>\n<tr><th>Processes</th><td>");
	audit_join(out, json_object_get(r, "processes"));
	buf_puts(out, "</td></tr>\n</table>\n");

	buf_puts(out, "<h2>Checklist and sample</h2>\n<table>\n<tr><th>Requirement</th>"
	    "<th>Conclusion</th><th>Records sampled</th><th>Notes</th></tr>\n");
	json_array_foreach(json_object_get(r, "checklist"), i, v) {
		html_printf(out, "<tr><td>%s</td><td>%s</td><td>", s_of(v, "requirement"),
		    audit_conclusion_label(s_of(v, "conclusion")));
		audit_join(out, json_object_get(v, "sampled"));
		html_printf(out, "</td><td class=\"notes\">%s</td></tr>\n", s_of(v, "notes"));
	}
	buf_puts(out, "</table>\n<p>Records sampled in all: ");
	audit_join(out, json_object_get(r, "sample"));
	buf_puts(out, "</p>\n");

	html_printf(out, "<h2>Findings (%zu)</h2>\n", json_array_size(json_object_get(r,
	    "findings")));
	if (json_array_size(json_object_get(r, "findings")) == 0)
		buf_puts(out, "<p>No findings.</p>\n");
	else
		buf_puts(out, "<table>\n<tr><th>Finding</th><th>Type</th><th>Requirement</th>"
		    "<th>Description</th><th>Nonconformity</th></tr>\n");
	json_array_foreach(json_object_get(r, "findings"), i, v) {
		title = s_of(v, "title");
		html_printf(out, "<tr><td>%s %s</td><td>%s</td><td>%s</td><td class=\"notes\">%s"
		    "</td><td>%s</td></tr>\n", s_of(v, "ref"), title,
		    audit_conclusion_label(s_of(v, "type")), s_of(v, "requirement"),
		    s_of(v, "description"), s_of(v, "nonconformity"));
	}
	if (json_array_size(json_object_get(r, "findings")) > 0)
		buf_puts(out, "</table>\n");
	html_printf(out, "<h2>Conclusion</h2>\n<p class=\"notes\">%s</p>\n</article>\n",
	    *s_of(r, "conclusion") ? s_of(r, "conclusion") : "No conclusion recorded yet.");
	return 0;
}

int
report_audit_html(struct buf *out, const json_t *r)
{
	int rc;

	html_printf(out, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	    "<title>Audit report %s - %s</title><style>", s_of(r, "audit"), s_of(r, "title"));
	buf_puts(out, audit_css);
	buf_puts(out, "</style></head><body>");
	if ((rc = report_audit_body(out, r)) != 0)
		return rc;
	buf_puts(out, "</body></html>\n");
	return 0;
}
