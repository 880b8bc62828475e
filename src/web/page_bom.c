/*
 * page_bom.c - an AI system's import page: upload a CycloneDX ML-BOM, a
 * Hugging Face model card, a garak report or a promptfoo result file for
 * the system, see what the
 * last upload made (or why it was refused, with the JSON path at fault),
 * and download the system's ML-BOM.
 */
#include <string.h>

#include "web/html.h"
#include "web/web.h"

static const char *
bom_str(const json_t *j, const char *name)
{
	const char *s = json_string_value(json_object_get(j, name));

	return s != NULL ? s : "";
}

/*
 * "created models: MOD-1, MOD-2", each reference a link to its record;
 * after a check (nothing kept) the references are plain text.
 */
static void
bom_refs(struct buf *out, const struct web_ctx *ctx, const char *what, const json_t *set,
    bool link)
{
	struct buf url = BUF_INIT;
	const json_t *refs, *v;
	const char *kind;
	size_t i;

	json_object_foreach((json_t *)set, kind, refs) {
		html_printf(out, "<li>%s %s: ", what, kind);
		json_array_foreach(refs, i, v) {
			if (!link) {
				html_printf(out, "%s%s", i ? ", " : "", json_string_value(v));
				continue;
			}
			buf_reset(&url);
			web_url_record(&url, ctx, kind, json_string_value(v));
			html_printf(out, "%s<a href=\"%s\">%s</a>", i ? ", " : "", buf_str(&url),
			    json_string_value(v));
		}
		buf_puts(out, "</li>");
	}
	buf_free(&url);
}

static void
bom_list(struct buf *out, const char *label, const json_t *list)
{
	const json_t *v;
	size_t i;

	html_printf(out, "<li>%s: ", label);
	if (json_array_size(list) == 0)
		buf_puts(out, "none");
	json_array_foreach(list, i, v)
		html_printf(out, "%s<code>%s</code>", i ? ", " : "", json_string_value(v));
	buf_puts(out, "</li>");
}

static void
bom_result(struct buf *out, const struct web_ctx *ctx, const json_t *s)
{
	bool checked = json_is_true(json_object_get(s, "checked_only"));
	struct buf url = BUF_INIT;

	buf_puts(out, checked ? "<section class=\"card\" id=\"result\" role=\"status\">"
	    "<h2>Checked: nothing was kept</h2><ul>" :
	    "<section class=\"card\" id=\"result\" role=\"status\"><h2>Imported</h2><ul>");
	if (strcmp(bom_str(s, "format"), "cyclonedx") == 0 ||
	    strcmp(bom_str(s, "format"), "modelcard") == 0) {
		bom_refs(out, ctx, checked ? "Would create" : "Created",
		    json_object_get(s, "created"), !checked);
		bom_refs(out, ctx, checked ? "Would update" : "Updated",
		    json_object_get(s, "updated"), !checked);
		html_printf(out, "<li>Unchanged records: %lld; components of the system from the "
		    "BOM: %lld</li>", (long long)json_integer_value(json_object_get(s, "unchanged")),
		    (long long)json_integer_value(json_object_get(s, "components")));
	} else {
		web_url_record(&url, ctx, "evidence", bom_str(s, "evidence"));
		if (json_is_true(json_object_get(s, "already_imported")))
			html_printf(out, "<li>This run was imported already as <a href=\"%s\">%s</a>; "
			    "nothing changed.</li>", buf_str(&url), bom_str(s, "evidence"));
		else if (checked)
			html_printf(out, "<li>The run would be kept as evidence: %s%% of the "
			    "attempts failed.</li>", bom_str(s, "failure_rate"));
		else
			html_printf(out, "<li>Evidence <a href=\"%s\">%s</a>: %s%% of the attempts "
			    "failed.</li>", buf_str(&url), bom_str(s, "evidence"),
			    bom_str(s, "failure_rate"));
		bom_list(out, "OWASP Top 10 for LLM (2025)", json_object_get(s, "owasp_llm"));
		bom_list(out, "MITRE ATLAS", json_object_get(s, "atlas"));
		bom_list(out, "Metrics", json_object_get(s, "metrics"));
		if (*bom_str(s, "worse_than"))
			html_printf(out, "<li><span class=\"tag t-overdue\">Worse</span> than %s: %s"
			    "</li>", bom_str(s, "worse_than"), bom_str(s, "worse_why"));
	}
	buf_puts(out, "</ul></section>\n");
	buf_free(&url);
}

void
web_page_bom_import(struct buf *out, const struct web_ctx *ctx, const struct web_bom_view *v)
{
	const char *ref = bom_str(v->ai_system, "ref"), *name = bom_str(v->ai_system, "name");
	static const char *const formats[][2] = {
		{ "cyclonedx", "CycloneDX ML-BOM (1.6 or 1.7, JSON)" },
		{ "modelcard", "Hugging Face model card (README.md)" },
		{ "garak", "garak report (.report.jsonl)" },
		{ "promptfoo", "promptfoo result file (JSON)" },
	};
	struct buf list = BUF_INIT, rec = BUF_INIT, action = BUF_INIT;
	struct web_crumb crumbs[3] = { { "AI systems", NULL }, { ref, NULL }, { "Import", NULL } };
	size_t i;

	web_url_kind(&list, ctx, "ai-systems");
	web_url_record(&rec, ctx, "ai-systems", ref);
	crumbs[0].href = buf_str(&list);
	crumbs[1].href = buf_str(&rec);
	web_page_begin(out, ctx, "Import", "ai-systems", crumbs, 3);
	html_printf(out, "<div class=\"page-head\"><h1>Import into %s %s</h1></div>\n", ref, name);
	buf_puts(out, "<p class=\"lede\">An ML-BOM adds or updates the system's models (with "
	    "their model cards), data sets, components and suppliers; importing the same BOM "
	    "again changes nothing; a Hugging Face model card does the same for its model and "
	    "data sets. A garak or promptfoo run becomes evidence of verification "
	    "and validation (A.6.2.4) with its results per probe family, labelled with the OWASP "
	    "Top 10 for LLM Applications (2025) and MITRE ATLAS; each family's failure rate "
	    "becomes a reading of its metric, and a run worse than the previous one of the tool "
	    "is flagged here and on the system. A file with any fault is refused whole.</p>\n");
	if (v->error)
		html_printf(out, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
		    "id=\"errors\"><h2>Nothing was imported</h2><ul><li>%s</li></ul></div>\n",
		    v->error);
	if (v->summary)
		bom_result(out, ctx, v->summary);
	buf_printf(&action, "%s/import", buf_str(&rec));
	html_printf(out, "<form method=\"post\" action=\"%s\" enctype=\"multipart/form-data\" "
	    "class=\"card\">", buf_str(&action));
	web_csrf_input(out, ctx);
	html_printf(out, "<h2>Import a file</h2><div class=\"field\"><label for=\"f-format\">"
	    "Format</label><select id=\"f-format\" name=\"format\">");
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		html_printf(out, "<option value=\"%s\"%s>%s</option>", formats[i][0],
		    v->format && strcmp(v->format, formats[i][0]) == 0 ? " selected" : "",
		    formats[i][1]);
	buf_puts(out, "</select></div><div class=\"field\"><label for=\"f-file\">File</label>"
	    "<input type=\"file\" id=\"f-file\" name=\"file\" required></div>"
	    "<div class=\"field\"><label><input type=\"checkbox\" name=\"check\" value=\"true\"> "
	    "Only check the file; keep nothing</label></div>"
	    "<button type=\"submit\" class=\"btn primary\">Import</button></form>\n");
	html_printf(out, "<section class=\"card\"><h2>ML-BOM</h2><p><a class=\"btn\" "
	    "href=\"/api/v1/orgs/%s/ai-systems/%s/bom.json\" download>Download the ML-BOM "
	    "(CycloneDX 1.6)</a></p></section>\n", ctx->org, ref);
	web_page_end(out, ctx);
	buf_free(&list);
	buf_free(&rec);
	buf_free(&action);
}
