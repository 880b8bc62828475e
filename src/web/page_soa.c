/*
 * page_soa.c - the Statement of Applicability: the 38 Annex A controls
 * grouped by area, each row its own small form (applicability,
 * justification, status, owner, measures) that saves in place, with the
 * evidence count per control and filters for what is still open.
 */
#include <string.h>

#include "core/record.h"
#include "util/buf.h"
#include "web/html.h"
#include "web/page.h"
#include "web/svg.h"
#include "web/web.h"

#define SOA_PATH		"soa"
#define SOA_ID_PREFIX		"soa-"
#define SOA_EVIDENCE_KIND	"evidence"
#define SOA_EVIDENCE_FILTER	"requirements"

enum soa_filter { SOA_ALL, SOA_UNDECIDED, SOA_NOT_IMPLEMENTED, SOA_NO_EVIDENCE, SOA_NFILTERS };

static const struct {
	const char	*name;
	const char	*label;
} soa_filters[SOA_NFILTERS] = {
	{ "all", "All controls" },
	{ "undecided", "Not decided" },
	{ "not_implemented", "Applicable, not implemented" },
	{ "no_evidence", "Applicable, no evidence" },
};

/* The row fields, in the order they are shown; each only if the kind has it. */
static const char *const soa_fields[] = { "applicable", "justification", "status", "owner",
    "measures", NULL };

static bool
soa_matches(const json_t *e, enum soa_filter flt)
{
	const json_t *app = json_object_get(e, "applicable");
	const char *status = json_string_value(json_object_get(e, "status"));

	switch (flt) {
	case SOA_UNDECIDED:
		return !json_is_boolean(app);
	case SOA_NOT_IMPLEMENTED:
		return json_is_true(app) && (status == NULL || strcmp(status, "implemented") != 0);
	case SOA_NO_EVIDENCE:
		return json_is_true(app) &&
		    json_integer_value(json_object_get(e, "evidence_count")) == 0;
	default:
		return true;
	}
}

static enum soa_filter
soa_filter_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < SOA_NFILTERS; i++)
		if (strcmp(s, soa_filters[i].name) == 0)
			return (enum soa_filter)i;
	return SOA_ALL;
}

static long long
soa_count(const json_t *entries, enum soa_filter flt)
{
	const json_t *e;
	long long n = 0;
	size_t i;

	json_array_foreach(entries, i, e)
		n += soa_matches(e, flt);
	return n;
}

static void
soa_summary(struct buf *out, const struct web_ctx *ctx, const json_t *entries)
{
	long long total = (long long)json_array_size(entries), decided, applicable = 0, impl = 0;
	struct buf url = BUF_INIT;
	const json_t *e;
	size_t i;

	decided = total - soa_count(entries, SOA_UNDECIDED);
	json_array_foreach(entries, i, e) {
		if (!json_is_true(json_object_get(e, "applicable")))
			continue;
		applicable++;
		impl += !soa_matches(e, SOA_NOT_IMPLEMENTED);
	}
	web_url_kind(&url, ctx, SOA_PATH);
	buf_puts(&url, "?filter=undecided");
	{
		struct svg_bar bars[] = {
			{ "Decided", decided, total, buf_str(&url) },
			{ "Implemented (of applicable)", impl, applicable, NULL },
		};

		buf_puts(out, "<div class=\"card soa-summary\">");
		svg_progress(out, "soa-progress", "Statement of Applicability progress", bars, 2);
		buf_puts(out, "</div>\n");
	}
	buf_free(&url);
}

static void
soa_filter_nav(struct buf *out, const struct web_ctx *ctx, const json_t *entries,
    enum soa_filter cur)
{
	struct buf url = BUF_INIT;
	int i;

	buf_puts(out, "<nav class=\"tabs\" aria-label=\"Filter controls\"><ul>");
	for (i = 0; i < SOA_NFILTERS; i++) {
		buf_reset(&url);
		web_url_kind(&url, ctx, SOA_PATH);
		if (i != SOA_ALL)
			html_url_query(&url, "filter", soa_filters[i].name);
		html_printf(out, "<li><a href=\"%s\"%s>%s <span class=\"count\">%lld</span></a></li>",
		    buf_str(&url), i == (int)cur ? " aria-current=\"page\"" : "",
		    soa_filters[i].label, soa_count(entries, (enum soa_filter)i));
	}
	buf_puts(out, "</ul></nav>\n");
	buf_free(&url);
}

static void
soa_applicable_select(struct buf *out, const struct web_input *in, const json_t *v)
{
	html_printf(out, "<select id=\"%s%s\" name=\"%s\"%s%s><option value=\"\"%s>Not decided"
	    "</option><option value=\"true\"%s>Applicable</option><option value=\"false\"%s>"
	    "Not applicable</option></select>", in->id_prefix, in->name, in->name,
	    in->invalid ? " aria-invalid=\"true\"" : "", in->disabled ? " disabled" : "",
	    json_is_boolean(v) ? "" : " selected", json_is_true(v) ? " selected" : "",
	    json_is_false(v) ? " selected" : "");
}

static void
soa_row_field(struct buf *out, const struct web_soa_view *v, const json_t *e,
    const struct field *f, const char *prefix, const json_t *errors)
{
	const char *err = json_string_value(json_object_get(errors, f->name));
	struct web_input in = { .field = f, .id_prefix = prefix, .name = f->name,
	    .choices = v->choices, .invalid = err != NULL, .norequire = true };
	const json_t *val = json_object_get(e, f->name);

	html_printf(out, "<input type=\"hidden\" name=\"" WEB_FIELDS_FIELD "\" value=\"%s\">"
	    "<div class=\"field soa-%s%s\"><label for=\"%s%s\">%s</label>", f->name, f->name,
	    err ? " invalid" : "", prefix, f->name, f->label);
	if (f->type == FIELD_BOOL)
		soa_applicable_select(out, &in, val);
	else if (f->type == FIELD_TEXT)
		html_printf(out, "<textarea id=\"%s%s\" name=\"%s\" rows=\"2\"%s>\n%s</textarea>",
		    prefix, f->name, f->name, err ? " aria-invalid=\"true\"" : "",
		    json_string_value(val));
	else
		web__input(out, &in, val);
	if (err != NULL)
		html_printf(out, "<p class=\"error\">%s</p>", err);
	buf_puts(out, "</div>");
}

static void
soa_evidence_link(struct buf *out, const struct web_ctx *ctx, const json_t *e)
{
	long long n = json_integer_value(json_object_get(e, "evidence_count"));
	struct buf url = BUF_INIT;

	web_url_kind(&url, ctx, SOA_EVIDENCE_KIND);
	html_url_query(&url, SOA_EVIDENCE_FILTER, json_string_value(json_object_get(e, "control")));
	html_printf(out, "<div class=\"soa-evidence\"><a href=\"%s\"%s>%lld evidence</a></div>",
	    buf_str(&url), n == 0 ? " class=\"none\"" : "", n);
	buf_free(&url);
}

static void
soa_row_readonly(struct buf *out, const struct web_ctx *ctx, const struct web_soa_view *v,
    const json_t *e)
{
	const struct field *f;
	int i;

	for (i = 0; soa_fields[i] != NULL; i++) {
		if ((f = web__field_find(v->kind, soa_fields[i])) == NULL)
			continue;
		html_printf(out, "<div class=\"field soa-%s\"><span class=\"label\">%s</span> ",
		    f->name, f->label);
		if (f->type == FIELD_BOOL) {
			const json_t *a = json_object_get(e, f->name);

			buf_puts(out, json_is_true(a) ? "Applicable" : json_is_false(a) ?
			    "Not applicable" : "<span class=\"none\">Not decided</span>");
		} else {
			web_value_brief(out, ctx, f, json_object_get(e, f->name));
		}
		buf_puts(out, "</div>");
	}
}

static void
soa_row(struct buf *out, const struct web_ctx *ctx, const struct web_soa_view *v,
    const json_t *e, bool editable)
{
	const char *ctl = json_string_value(json_object_get(e, "control"));
	const json_t *errors = json_object_get(v->errors, ctl != NULL ? ctl : "");
	struct buf url = BUF_INIT, prefix = BUF_INIT;
	const struct field *f;
	int i;

	web_url_record(&url, ctx, SOA_PATH, ctl != NULL ? ctl : "");
	buf_printf(&prefix, SOA_ID_PREFIX "%s-", ctl != NULL ? ctl : "");
	if (editable) {
		html_printf(out, "<form method=\"post\" action=\"%s\" class=\"soa-row%s\" "
		    "id=\"ctl-%s\" data-soa>", buf_str(&url), errors ? " invalid" : "", ctl);
		web_csrf_input(out, ctx);
		html_printf(out, "<input type=\"hidden\" name=\"" WEB_VERSION_FIELD "\" "
		    "value=\"%lld\">", (long long)json_integer_value(json_object_get(e, "version")));
	} else {
		html_printf(out, "<div class=\"soa-row\" id=\"ctl-%s\">", ctl);
	}
	html_printf(out, "<div class=\"soa-ctl\"><a class=\"ref\" href=\"%s\">%s</a> "
	    "<span class=\"soa-title\">%s</span></div>", buf_str(&url), ctl,
	    json_string_value(json_object_get(e, "title")));
	if (editable) {
		for (i = 0; soa_fields[i] != NULL; i++)
			if ((f = web__field_find(v->kind, soa_fields[i])) != NULL)
				soa_row_field(out, v, e, f, buf_str(&prefix), errors);
	} else {
		soa_row_readonly(out, ctx, v, e);
	}
	soa_evidence_link(out, ctx, e);
	if (editable) {
		if (json_object_get(errors, "") != NULL)
			html_printf(out, "<p class=\"error\">%s</p>",
			    json_string_value(json_object_get(errors, "")));
		html_printf(out, "<div class=\"soa-save\"><button type=\"submit\" class=\"btn\">Save"
		    "<span class=\"sr\"> %s</span></button><span class=\"soa-msg\" role=\"status\">"
		    "</span></div></form>\n", ctl);
	} else {
		buf_puts(out, "</div>\n");
	}
	buf_free(&url);
	buf_free(&prefix);
}

static void
soa_area_open(struct buf *out, const json_t *e, const json_t *entries)
{
	const char *area = json_string_value(json_object_get(e, "area"));
	const char *title = json_string_value(json_object_get(e, "area_title"));
	long long n = 0, impl = 0;
	const json_t *x;
	size_t i;

	json_array_foreach(entries, i, x) {
		const char *a = json_string_value(json_object_get(x, "area"));

		if (a == NULL || area == NULL || strcmp(a, area) != 0)
			continue;
		n++;
		impl += json_is_true(json_object_get(x, "applicable")) &&
		    !soa_matches(x, SOA_NOT_IMPLEMENTED);
	}
	html_printf(out, "<section class=\"card soa-area\" aria-labelledby=\"area-%s\">"
	    "<h2 id=\"area-%s\"><span class=\"ref\">%s</span> %s <span class=\"count\">%lld of "
	    "%lld implemented</span></h2>\n", area, area, area, title != NULL ? title : "",
	    impl, n);
}

void
web_page_soa(struct buf *out, const struct web_ctx *ctx, const struct web_soa_view *v)
{
	static const struct web_crumb crumbs[] = { { "Statement of Applicability", NULL } };
	enum soa_filter flt = soa_filter_parse(v->filter);
	bool editable = v->kind != NULL && web_can(ctx, WEB_ACT_UPDATE, v->kind);
	const char *area = NULL, *a;
	const json_t *e;
	size_t i, shown = 0;

	web_page_begin(out, ctx, "Statement of Applicability", SOA_PATH, crumbs, 1);
	html_printf(out, "<div class=\"page-head\"><h1>Statement of Applicability</h1></div>\n"
	    "<p class=\"lede\">ISO/IEC 42001 clause 6.1.3 \xc2\xb7 %zu Annex A controls: for each, "
	    "whether it applies and why, and how far it is implemented.</p>\n",
	    json_array_size(v->entries));
	soa_summary(out, ctx, v->entries);
	soa_filter_nav(out, ctx, v->entries, flt);
	json_array_foreach(v->entries, i, e) {
		if (!soa_matches(e, flt))
			continue;
		a = json_string_value(json_object_get(e, "area"));
		if (area == NULL || a == NULL || strcmp(area, a) != 0) {
			if (area != NULL)
				buf_puts(out, "</section>\n");
			soa_area_open(out, e, v->entries);
			area = a != NULL ? a : "";
		}
		soa_row(out, ctx, v, e, editable);
		shown++;
	}
	if (area != NULL)
		buf_puts(out, "</section>\n");
	if (shown == 0)
		html_printf(out, "<p class=\"empty\">No control is %s.</p>\n",
		    flt == SOA_UNDECIDED ? "left undecided" : "in this list");
	web_page_end(out, ctx);
}
