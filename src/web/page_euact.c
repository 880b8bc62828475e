/*
 * page_euact.c - the EU AI Act page of one AI system: its classification
 * and the reasoning, the obligations that follow (with those already
 * recorded, and a button creating the others), and, for a high-risk system
 * the organisation provides, the Annex IV technical documentation section
 * by section with its gaps, and the downloads (Annex IV, Annex VIII). It
 * renders what core/euact.h answers and decides nothing itself.
 */
#include <stdio.h>
#include <string.h>

#include "core/record.h"
#include "web/html.h"
#include "web/web.h"

static const char *
eu_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

static void
eu_ref(struct buf *out, const struct web_ctx *ctx, const char *kind, const char *ref)
{
	struct buf url = BUF_INIT;

	web_url_record(&url, ctx, kind, ref);
	html_printf(out, "<a class=\"ref\" href=\"%s\">%s</a>", buf_str(&url), ref);
	buf_free(&url);
}

static void
eu_obligations(struct buf *out, const struct web_ctx *ctx, const struct web_euact_view *v)
{
	const json_t *o, *rec;
	struct buf url = BUF_INIT;
	size_t i, unrecorded = 0;

	buf_puts(out, "<section aria-labelledby=\"eu-obl\"><h2 id=\"eu-obl\">Obligations that "
	    "follow</h2>");
	if (v->due_error != NULL) {
		html_printf(out, "<p class=\"empty\">%s</p></section>\n", v->due_error);
		return;
	}
	buf_puts(out, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Article</th>"
	    "<th scope=\"col\">Our role</th><th scope=\"col\">What it asks</th>"
	    "<th scope=\"col\">Applies from</th><th scope=\"col\">Recorded as</th></tr></thead>"
	    "<tbody>");
	json_array_foreach(v->due, i, o) {
		char key[64];

		snprintf(key, sizeof(key), "%s %s", eu_str(o, "article"), eu_str(o, "role"));
		rec = json_object_get(v->recorded, key);
		html_printf(out, "<tr><th scope=\"row\">%s</th><td>", eu_str(o, "title"));
		web_enum_label(out, eu_str(o, "role"));
		html_printf(out, "</td><td>%s</td><td>%s</td><td>", eu_str(o, "duty"),
		    eu_str(o, "applies_from"));
		if (rec != NULL) {
			eu_ref(out, ctx, "obligations", eu_str(rec, "ref"));
			html_printf(out, " <span class=\"tag t-%s\">", eu_str(rec, "status"));
			web_enum_label(out, eu_str(rec, "status"));
			buf_puts(out, "</span>");
		} else {
			buf_puts(out, "<span class=\"empty\">not recorded yet</span>");
			unrecorded++;
		}
		buf_puts(out, "</td></tr>\n");
	}
	if (json_array_size(v->due) == 0)
		buf_puts(out, "<tr><td colspan=\"5\" class=\"empty\">No obligation follows from "
		    "the classification.</td></tr>");
	buf_puts(out, "</tbody></table></div>");
	if (v->can_create && unrecorded > 0) {
		web_url_record(&url, ctx, "ai-systems", v->ref);
		buf_puts(&url, "/eu-ai-act");
		html_printf(out, "<form method=\"post\" action=\"%s\" class=\"actions\">",
		    buf_str(&url));
		web_csrf_input(out, ctx);
		buf_puts(out, "<button type=\"submit\" class=\"btn primary\">Record these "
		    "obligations</button></form>");
	}
	buf_puts(out, "</section>\n");
	buf_free(&url);
}

static void
eu_annex_iv(struct buf *out, const struct web_ctx *ctx, const json_t *doc)
{
	const json_t *s, *r, *g;
	const char *key;
	json_t *val;
	size_t i, j;

	html_printf(out, "<section aria-labelledby=\"eu-iv\"><h2 id=\"eu-iv\">Annex IV technical "
	    "documentation</h2><p><span class=\"tag t-%s\">%s</span> %zu gaps</p>",
	    json_is_true(json_object_get(doc, "complete")) ? "covered" : "partial",
	    json_is_true(json_object_get(doc, "complete")) ? "\xe2\x9c\x93 Complete" :
	    "\xe2\x97\x90 Gaps", json_array_size(json_object_get(doc, "gaps")));
	json_array_foreach(json_object_get(doc, "sections"), i, s) {
		html_printf(out, "<h3>%lld. %s <span class=\"tag t-%s\">%s</span></h3>",
		    (long long)json_integer_value(json_object_get(s, "point")), eu_str(s, "title"),
		    json_is_true(json_object_get(s, "complete")) ? "covered" : "not_covered",
		    json_is_true(json_object_get(s, "complete")) ? "\xe2\x9c\x93 Present" :
		    "\xe2\x9c\x97 Gap");
		buf_puts(out, "<ul class=\"items\">");
		json_object_foreach((json_t *)json_object_get(s, "text"), key, val)
			if (json_is_string(val))
				html_printf(out, "<li><strong>%s</strong>: %s</li>", key,
				    json_string_value(val));
		json_array_foreach(json_object_get(s, "records"), j, r) {
			buf_puts(out, "<li>");
			eu_ref(out, ctx, eu_str(r, "kind"), eu_str(r, "ref"));
			html_printf(out, " %s</li>", eu_str(r, "title"));
		}
		json_array_foreach(json_object_get(s, "gaps"), j, g)
			html_printf(out, "<li class=\"gap\">Gap: %s</li>", json_string_value(g));
		buf_puts(out, "</ul>");
	}
	buf_puts(out, "</section>\n");
}

void
web_page_euact(struct buf *out, const struct web_ctx *ctx, const struct web_euact_view *v)
{
	struct buf url = BUF_INIT, list = BUF_INIT;
	const char *name = eu_str(v->ai, "name");
	char api[256];

	web_url_kind(&list, ctx, "ai-systems");
	web_url_record(&url, ctx, "ai-systems", v->ref);
	{
		const struct web_crumb crumbs[] = {
			{ "AI systems", buf_str(&list) }, { v->ref, buf_str(&url) },
			{ "EU AI Act", NULL },
		};

		web_page_begin(out, ctx, "EU AI Act", "ai-systems", crumbs, 3);
	}
	html_printf(out, "<div class=\"page-head\"><h1>EU AI Act: %s %s</h1></div>\n", v->ref,
	    name);
	html_printf(out, "<section aria-labelledby=\"eu-class\"><h2 id=\"eu-class\">"
	    "Classification</h2><p><span class=\"tag t-%s\">", eu_str(v->ai,
	    "eu_ai_act_category"));
	web_enum_label(out, *eu_str(v->ai, "eu_ai_act_category") ?
	    eu_str(v->ai, "eu_ai_act_category") : "not_assessed");
	html_printf(out, "</span></p><pre class=\"reasoning\">%s</pre>",
	    eu_str(v->ai, "eu_ai_act_reasoning"));
	if (web_can(ctx, WEB_ACT_UPDATE, record_kind_find("ai-systems")))
		html_printf(out, "<p><a href=\"%s/edit\">Change the answers</a></p>", buf_str(&url));
	buf_puts(out, "</section>\n");
	eu_obligations(out, ctx, v);
	buf_puts(out, "<p class=\"actions\">");
	if (v->annex_iv != NULL) {
		snprintf(api, sizeof(api), "/api/v1/orgs/%s/ai-systems/%s/annex-iv.json", ctx->org,
		    v->ref);
		html_printf(out, "<a class=\"btn\" href=\"%s\" download>Annex IV (JSON)</a> ", api);
	}
	if (v->annex_viii_ok) {
		snprintf(api, sizeof(api), "/api/v1/orgs/%s/ai-systems/%s/annex-viii.json",
		    ctx->org, v->ref);
		html_printf(out, "<a class=\"btn\" href=\"%s\" download>Annex VIII registration "
		    "data (JSON)</a>", api);
	}
	buf_puts(out, "</p>\n");
	if (v->annex_iv != NULL)
		eu_annex_iv(out, ctx, v->annex_iv);
	else if (v->annex_iv_why != NULL)
		html_printf(out, "<p class=\"small\">Annex IV: %s</p>\n", v->annex_iv_why);
	web_page_end(out, ctx);
	buf_free(&url);
	buf_free(&list);
}
