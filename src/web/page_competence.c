/*
 * page_competence.c - the competence gap page (7.2, A.4.6): who is assigned
 * a role without a current training for a competence the role requires, or
 * holds it only by an expired one, and the share of members with current
 * AI-literacy training (EU AI Act Art. 4), from core/competence.h.
 */
#include <string.h>

#include "web/html.h"
#include "web/web.h"

static const char *
web_gap_str(const json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));

	return s != NULL ? s : "";
}

/* A record reference as a link to its page. */
static void
web_gap_ref(struct buf *out, const struct web_ctx *ctx, const char *kind, const char *ref,
    const char *title)
{
	struct buf url = BUF_INIT;

	web_url_record(&url, ctx, kind, ref);
	html_printf(out, "<a class=\"ref\" href=\"%s\">%s</a> %s", buf_str(&url), ref, title);
	buf_free(&url);
}

void
web_page_competence_gaps(struct buf *out, const struct web_ctx *ctx, const json_t *view)
{
	const struct web_crumb crumbs[] = { { "Competence gaps", NULL } };
	const json_t *gaps = json_object_get(view, "gaps"), *lit, *g;
	size_t i;

	lit = json_object_get(view, "ai_literacy");
	web_page_begin(out, ctx, "Competence gaps", "competences", crumbs, 1);
	buf_puts(out, "<div class=\"page-head\"><h1>Competence gaps (7.2)</h1></div>\n"
	    "<p class=\"lede\">People assigned a role without a current training, qualification "
	    "or experience record for a competence the role requires.</p>\n");
	buf_puts(out, "<div class=\"table-wrap\"><table data-gaps><thead><tr>"
	    "<th scope=\"col\">Person</th><th scope=\"col\">Role</th>"
	    "<th scope=\"col\">Competence</th><th scope=\"col\">Gap</th></tr></thead><tbody>");
	json_array_foreach(gaps, i, g) {
		html_printf(out, "<tr><th scope=\"row\">%s</th><td>", *web_gap_str(g, "name") ?
		    web_gap_str(g, "name") : web_gap_str(g, "person"));
		web_gap_ref(out, ctx, "responsibilities", web_gap_str(g, "role"),
		    web_gap_str(g, "role_title"));
		buf_puts(out, "</td><td>");
		web_gap_ref(out, ctx, "competences", web_gap_str(g, "competence"),
		    web_gap_str(g, "competence_title"));
		if (strcmp(web_gap_str(g, "reason"), "expired") == 0)
			html_printf(out, "</td><td>expired on %s</td></tr>\n",
			    web_gap_str(g, "valid_until"));
		else
			buf_puts(out, "</td><td>no training recorded</td></tr>\n");
	}
	if (json_array_size(gaps) == 0)
		buf_puts(out, "<tr><td colspan=\"4\" class=\"empty\">No gaps: everyone in a role "
		    "holds the competences it requires.</td></tr>");
	buf_puts(out, "</tbody></table></div>\n");
	html_printf(out, "<section class=\"card\" aria-labelledby=\"h-lit\"><h2 id=\"h-lit\">"
	    "AI literacy (EU AI Act Art. 4)</h2><p data-literacy>%lld of %lld members (%lld%%) "
	    "have current AI-literacy training.</p>",
	    (long long)json_integer_value(json_object_get(lit, "covered")),
	    (long long)json_integer_value(json_object_get(lit, "members")),
	    (long long)json_integer_value(json_object_get(lit, "share")));
	if (json_array_size(json_object_get(lit, "not_covered")) > 0) {
		buf_puts(out, "<p>Not covered yet:</p><ul>");
		json_array_foreach(json_object_get(lit, "not_covered"), i, g)
			html_printf(out, "<li>%s</li>", json_string_value(g));
		buf_puts(out, "</ul>");
	}
	buf_puts(out, "</section>\n");
	web_page_end(out, ctx);
}
