/*
 * page_soa.c - the Statement of Applicability: the 38 Annex A controls
 * grouped by area, with the evidence count per control and filters for
 * what is still open. Each row opens in place as its own small form
 * (applicability, justification, status, owner, measures): without script
 * through ?edit=CONTROL, with script by swapping the row (app.js). Rows
 * stay text until opened so that the page stays light.
 */
#include <string.h>

#include "core/record.h"
#include "io/svg.h"
#include "util/buf.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

#define SOA_PATH		"soa"
#define SOA_ID_PREFIX		"soa-"
#define SOA_USERS_LIST		"soa-users"
#define SOA_MEASURES_LIST	"soa-measures"

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
			{ "Implemented", impl, applicable, NULL },
		};

		buf_puts(out, "<div class=\"card soa-summary\">");
		svg_progress(out, "soa-progress", "Controls decided, and applicable controls implemented",
		    bars, 2);
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
		html_printf(out, "<li><a href=\"%s\"", buf_str(&url));
		html_attr_if(out, i == (int)cur, "aria-current", "page");
		html_printf(out, ">%s <span class=\"count\">%lld</span></a></li>",
		    soa_filters[i].label, soa_count(entries, (enum soa_filter)i));
	}
	buf_puts(out, "</ul></nav>\n");
	buf_free(&url);
}

static void
soa_applicable_select(struct buf *out, const struct web_input *in, const json_t *v)
{
	html_printf(out, "<select id=\"%s%s\" name=\"%s\"", in->id_prefix, in->name, in->name);
	html_attr_if(out, in->invalid, "aria-invalid", "true");
	html_attr_if(out, in->disabled, "disabled", NULL);
	html_printf(out, "><option value=\"\"%s>Not decided</option><option value=\"true\"%s>"
	    "Applicable</option><option value=\"false\"%s>Not applicable</option></select>",
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

	/* One shared list of options per page keeps 38 rows light. */
	if (f->type == FIELD_USER)
		in.datalist = SOA_USERS_LIST;
	else if (f->type == FIELD_REF_LIST || f->type == FIELD_REF)
		in.datalist = SOA_MEASURES_LIST;
	html_printf(out, "<div class=\"field soa-%s%s\"><label for=\"%s%s\">%s</label>", f->name,
	    err ? " invalid" : "", prefix, f->name, f->label);
	if (f->type == FIELD_BOOL) {
		soa_applicable_select(out, &in, val);
	} else if (f->type == FIELD_TEXT) {
		html_printf(out, "<textarea id=\"%s%s\" name=\"%s\" rows=\"2\"", prefix,
		    f->name, f->name);
		html_attr_if(out, err != NULL, "aria-invalid", "true");
		html_printf(out, ">\n%s</textarea>", json_string_value(val));
	} else {
		web__input(out, &in, val);
	}
	if (err != NULL)
		html_printf(out, "<p class=\"error\">%s</p>", err);
	buf_puts(out, "</div>");
}

static void
soa_evidence_link(struct buf *out, const struct web_ctx *ctx, const json_t *e)
{
	long long n = json_integer_value(json_object_get(e, "evidence_count"));
	const struct record_kind *k = record_kind_with_evidence();
	struct buf url = BUF_INIT;

	if (k == NULL)
		return;
	web_url_kind(&url, ctx, k->name);
	html_url_query(&url, k->evidence_for, json_string_value(json_object_get(e, "control")));
	html_printf(out, "<div class=\"soa-evidence\"><a href=\"%s\"", buf_str(&url));
	html_attr_if(out, n == 0, "class", "none");
	html_printf(out, ">%lld evidence</a></div>", n);
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

/* The hidden list of the fields a row form carries. */
static void
soa_fields_input(struct buf *out, const struct record_kind *k)
{
	int i, n = 0;

	buf_puts(out, "<input type=\"hidden\" name=\"" WEB_FIELDS_FIELD "\" value=\"");
	for (i = 0; soa_fields[i] != NULL; i++)
		if (web__field_find(k, soa_fields[i]) != NULL)
			html_printf(out, "%s%s", n++ ? "," : "", soa_fields[i]);
	buf_puts(out, "\">");
}

static void
soa_datalist(struct buf *out, const char *id, const json_t *choices)
{
	const json_t *c;
	size_t i;

	if (json_array_size(choices) > WEB_CHOICES_MAX)
		return;
	html_printf(out, "<datalist id=\"%s\">", id);
	json_array_foreach(choices, i, c) {
		html_printf(out, "<option value=\"%s\">", web__choice_value(c));
		web__choice_label(out, c);
		buf_puts(out, "</option>");
	}
	buf_puts(out, "</datalist>\n");
}

/* The SoA URL keeping the filter, optionally opening one row for editing. */
static void
soa_url(struct buf *url, const struct web_ctx *ctx, const struct web_soa_view *v,
    const char *edit, const char *anchor)
{
	web_url_kind(url, ctx, SOA_PATH);
	if (soa_filter_parse(v->filter) != SOA_ALL)
		html_url_query(url, "filter", v->filter);
	if (edit != NULL)
		html_url_query(url, "edit", edit);
	if (anchor != NULL) {
		buf_puts(url, "#ctl-");
		buf_puts(url, anchor);
	}
}

/* What the control asks, in the catalog's own words, one click away. */
static void
soa_about(struct buf *out, const json_t *e, const char *ctl)
{
	const char *summary = json_string_value(json_object_get(e, "summary"));

	if (summary == NULL)
		return;
	html_printf(out, "<details class=\"soa-about\"><summary>About %s</summary><p>%s</p>"
	    "</details>", ctl, summary);
}

/* One of the row's own measure inputs (not a field of the entry), with its message. */
static void
soa_measure_input(struct buf *out, const char *prefix, const char *name, const char *label,
    const char *help, const char *list, const json_t *e, const json_t *errors)
{
	const char *err = json_string_value(json_object_get(errors, name));
	const char *typed = json_string_value(json_object_get(e, name));

	html_printf(out, "<div class=\"field%s\"><label for=\"%s%s\">%s</label>",
	    err ? " invalid" : "", prefix, name, label);
	html_printf(out, "<input type=\"text\" id=\"%s%s\" name=\"%s\" value=\"%s\" "
	    "aria-describedby=\"%s%s-help", prefix, name, name, typed ? typed : "", prefix, name);
	if (err != NULL)
		html_printf(out, " %s%s-error\" aria-invalid=\"true", prefix, name);
	buf_puts(out, "\"");
	if (list != NULL)
		html_printf(out, " list=\"%s\" autocomplete=\"off\"", list);
	html_printf(out, "><small id=\"%s%s-help\">%s</small>", prefix, name, help);
	if (err != NULL)
		html_printf(out, "<p class=\"error\" id=\"%s%s-error\">%s</p>", prefix, name, err);
	buf_puts(out, "</div>");
}

/*
 * A measure for the control without leaving the row: an existing one
 * picked by its reference, or a new one by its title, made (with the
 * control as the requirement it meets) and linked when the row is saved.
 */
static void
soa_measure_fields(struct buf *out, const struct web_soa_view *v, const json_t *e,
    const char *ctl, const char *prefix, const json_t *errors)
{
	bool open = json_object_get(errors, "add_measure") != NULL ||
	    json_object_get(errors, "new_measure") != NULL ||
	    *(json_string_value(json_object_get(e, "add_measure")) ?: "") != '\0' ||
	    *(json_string_value(json_object_get(e, "new_measure")) ?: "") != '\0';

	html_printf(out, "<details class=\"soa-add-measure\"%s><summary>Add a measure for %s"
	    "</summary><div class=\"soa-add-fields\">", open ? " open" : "", ctl);
	soa_measure_input(out, prefix, "add_measure", "An existing measure",
	    "its reference (MEA-3); the list offers them as you type", SOA_MEASURES_LIST, e,
	    errors);
	if (v->can_create_measure)
		soa_measure_input(out, prefix, "new_measure", "Or a new measure, by its title",
		    "made when you save the row, with this control as the requirement it meets",
		    NULL, e, errors);
	buf_puts(out, "</div></details>");
}

static void
soa_row_form(struct buf *out, const struct web_ctx *ctx, const struct web_soa_view *v,
    const json_t *e, const char *ctl, const json_t *errors)
{
	struct buf url = BUF_INIT, prefix = BUF_INIT;
	const struct field *f;
	int i;

	web_url_record(&url, ctx, SOA_PATH, ctl);
	buf_printf(&prefix, SOA_ID_PREFIX "%s-", ctl);
	html_printf(out, "<form method=\"post\" action=\"%s\" class=\"soa-row editing%s\" "
	    "id=\"ctl-%s\" data-soa>", buf_str(&url), errors ? " invalid" : "", ctl);
	web_csrf_input(out, ctx);
	html_printf(out, "<input type=\"hidden\" name=\"" WEB_VERSION_FIELD "\" value=\"%lld\">",
	    (long long)json_integer_value(json_object_get(e, "version")));
	if (v->filter != NULL)
		html_printf(out, "<input type=\"hidden\" name=\"filter\" value=\"%s\">", v->filter);
	soa_fields_input(out, v->kind);
	html_printf(out, "<div class=\"soa-ctl\"><a class=\"ref\" href=\"%s\">%s</a> "
	    "<span class=\"soa-title\">%s</span>", buf_str(&url), ctl,
	    json_string_value(json_object_get(e, "title")));
	soa_about(out, e, ctl);
	buf_puts(out, "</div>");
	for (i = 0; soa_fields[i] != NULL; i++)
		if ((f = web__field_find(v->kind, soa_fields[i])) != NULL)
			soa_row_field(out, v, e, f, buf_str(&prefix), errors);
	if (web__field_find(v->kind, "measures") != NULL)
		soa_measure_fields(out, v, e, ctl, buf_str(&prefix), errors);
	soa_evidence_link(out, ctx, e);
	if (json_object_get(errors, "") != NULL)
		html_printf(out, "<p class=\"error\">%s</p>",
		    json_string_value(json_object_get(errors, "")));
	buf_reset(&url);
	soa_url(&url, ctx, v, NULL, ctl);
	html_printf(out, "<div class=\"soa-save\"><button type=\"submit\" class=\"btn primary\">"
	    "Save<span class=\"sr\"> %s</span></button> <a class=\"btn quiet\" href=\"%s\" "
	    "data-soa-swap>Cancel</a><span class=\"soa-msg\" role=\"status\"></span></div>"
	    "</form>\n", ctl, buf_str(&url));
	buf_free(&url);
	buf_free(&prefix);
}

static void
soa_row_view(struct buf *out, const struct web_ctx *ctx, const struct web_soa_view *v,
    const json_t *e, const char *ctl, bool can_edit)
{
	struct buf url = BUF_INIT;

	web_url_record(&url, ctx, SOA_PATH, ctl);
	html_printf(out, "<div class=\"soa-row\" id=\"ctl-%s\"><div class=\"soa-ctl\">", ctl);
	/* Chosen for a decision on many rows at once (the bulk form above). */
	if (can_edit)
		html_printf(out, "<input type=\"checkbox\" class=\"soa-pick\" form=\"soa-bulk\" "
		    "name=\"controls\" value=\"%s\" id=\"pick-%s\"><label for=\"pick-%s\" "
		    "class=\"sr\">Select %s</label> ", ctl, ctl, ctl, ctl);
	html_printf(out, "<a class=\"ref\" href=\"%s\">%s</a> <span class=\"soa-title\">%s</span>",
	    buf_str(&url), ctl, json_string_value(json_object_get(e, "title")));
	soa_about(out, e, ctl);
	buf_puts(out, "</div>");
	soa_row_readonly(out, ctx, v, e);
	soa_evidence_link(out, ctx, e);
	if (can_edit) {
		buf_reset(&url);
		soa_url(&url, ctx, v, ctl, ctl);
		html_printf(out, "<div class=\"soa-save\"><a class=\"btn\" href=\"%s\" "
		    "data-soa-swap>Edit<span class=\"sr\"> %s</span></a><span class=\"soa-msg\" "
		    "role=\"status\"></span></div>", buf_str(&url), ctl);
	}
	buf_puts(out, "</div>\n");
	buf_free(&url);
}

static bool
soa_row_is_form(const struct web_soa_view *v, const char *ctl)
{
	return json_object_get(v->errors, ctl) != NULL ||
	    (v->edit != NULL && strcmp(v->edit, ctl) == 0);
}

static void
soa_row(struct buf *out, const struct web_ctx *ctx, const struct web_soa_view *v,
    const json_t *e, bool can_edit)
{
	const char *ctl = json_string_value(json_object_get(e, "control"));

	if (ctl == NULL)
		return;
	if (can_edit && soa_row_is_form(v, ctl))
		soa_row_form(out, ctx, v, e, ctl, json_object_get(v->errors, ctl));
	else
		soa_row_view(out, ctx, v, e, ctl, can_edit);
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

/*
 * One decision for many rows: the rows' checkboxes belong to this form
 * (form="soa-bulk"), so it works without script; each row is saved as its
 * own change and a refused one opens with its message.
 */
static void
soa_bulk_form(struct buf *out, const struct web_ctx *ctx, const struct web_soa_view *v)
{
	struct buf url = BUF_INIT;

	web_url_kind(&url, ctx, SOA_PATH);
	html_printf(out, "<form method=\"post\" action=\"%s/bulk\" id=\"soa-bulk\" "
	    "class=\"card soa-bulk\" aria-labelledby=\"soa-bulk-h\"><h2 id=\"soa-bulk-h\">"
	    "Decide several controls at once</h2><p class=\"help\">Tick the controls below, then "
	    "give their decision and its justification here.</p>", buf_str(&url));
	web_csrf_input(out, ctx);
	if (v->filter != NULL)
		html_printf(out, "<input type=\"hidden\" name=\"filter\" value=\"%s\">", v->filter);
	buf_puts(out, "<div class=\"soa-bulk-fields\"><div class=\"field\"><label for=\"bulk-applicable\">"
	    "Decision</label><select id=\"bulk-applicable\" name=\"applicable\" required>"
	    "<option value=\"\">Choose</option><option value=\"true\">Applicable</option>"
	    "<option value=\"false\">Not applicable</option></select></div>"
	    "<div class=\"field grow\"><label for=\"bulk-justification\">Justification</label>"
	    "<textarea id=\"bulk-justification\" name=\"justification\" rows=\"2\" required>"
	    "</textarea></div><div class=\"field buttons\"><button type=\"submit\" "
	    "class=\"btn primary\">Apply to the selected controls</button> <button type=\"button\" "
	    "class=\"btn quiet\" data-soa-all hidden>Select all shown</button></div></div></form>\n");
	buf_free(&url);
}

/* Publish: the draft becomes version `next`, with an optional note. */
static void
soa_publish_form(struct buf *out, const struct web_ctx *ctx, const char *action,
    const char *cls, json_int_t next)
{
	html_printf(out, "<form method=\"post\" action=\"%s\" class=\"%s\">", action, cls);
	web_csrf_input(out, ctx);
	html_printf(out, "<div class=\"field\"><label for=\"publish-note\">Note for this version "
	    "(optional)</label><input type=\"text\" id=\"publish-note\" name=\"note\" "
	    "maxlength=\"%d\"></div><button type=\"submit\" class=\"btn primary\">Publish the "
	    "draft as version %lld</button></form>\n", WEB_SOA_NOTE_MAX, (long long)next);
}

/* The published versions in brief, and Publish for who may approve. */
static void
soa_publish_card(struct buf *out, const struct web_ctx *ctx, const struct web_soa_view *v)
{
	const json_t *latest = json_array_get(v->versions, 0);
	struct buf url = BUF_INIT;

	if (v->versions == NULL)
		return;
	web_url_kind(&url, ctx, SOA_PATH);
	buf_puts(&url, "/versions");
	buf_puts(out, "<section class=\"card soa-published\" aria-labelledby=\"soa-pub-h\">"
	    "<h2 id=\"soa-pub-h\">Published versions</h2>");
	if (latest != NULL)
		html_printf(out, "<p>Version %lld, published by %s on ",
		    (long long)json_integer_value(json_object_get(latest, "version")),
		    json_string_value(json_object_get(latest, "published_by")));
	else
		buf_puts(out, "<p>Nothing published yet: the auditor reads a published version. ");
	if (latest != NULL) {
		web_value(out, ctx, &(struct field){ .type = FIELD_DATETIME },
		    json_object_get(latest, "published_at"));
		buf_puts(out, ". ");
	}
	html_printf(out, "<a href=\"%s\">Versions and what changed since</a></p>", buf_str(&url));
	if (v->can_publish)
		soa_publish_form(out, ctx, buf_str(&url), "soa-publish",
		    json_integer_value(json_object_get(latest, "version")) + 1);
	buf_puts(out, "</section>\n");
	buf_free(&url);
}

static void
soa_diff_value(struct buf *out, const json_t *v)
{
	const json_t *e;
	size_t i;

	if (json_is_null(v) || v == NULL)
		buf_puts(out, "<em>empty</em>");
	else if (json_is_true(v))
		buf_puts(out, "Applicable");
	else if (json_is_false(v))
		buf_puts(out, "Not applicable");
	else if (json_is_string(v))
		web_enum_label(out, json_string_value(v));
	else if (json_is_array(v))
		json_array_foreach(v, i, e)
			html_printf(out, "%s%s", i ? ", " : "", json_string_value(e) ?: "");
	else if (json_is_integer(v))
		html_printf(out, "%lld", (long long)json_integer_value(v));
}

void
web_page_soa_versions(struct buf *out, const struct web_ctx *ctx, const json_t *versions,
    const json_t *diff, bool can_publish)
{
	static const struct field when = { .type = FIELD_DATETIME };
	struct web_crumb crumbs[] = { { "Statement of Applicability", NULL },
	    { "Versions", NULL } };
	const json_t *ver, *ch, *f, *base = json_object_get(diff, "base_version");
	struct buf soa = BUF_INIT, url = BUF_INIT;
	size_t i, j;

	web_url_kind(&soa, ctx, SOA_PATH);
	crumbs[0].href = buf_str(&soa);
	web_page_begin(out, ctx, "Statement of Applicability versions", SOA_PATH, crumbs, 2);
	buf_puts(out, "<h1>Published versions of the Statement of Applicability</h1>\n");
	if (json_array_size(versions) == 0)
		buf_puts(out, "<p class=\"empty\">Nothing published yet.</p>");
	else {
		buf_puts(out, "<div class=\"table-wrap\"><table class=\"list\"><caption class=\"sr\">"
		    "Published versions</caption><thead><tr><th scope=\"col\">Version</th>"
		    "<th scope=\"col\">Published</th><th scope=\"col\">By</th>"
		    "<th scope=\"col\">Note</th><th scope=\"col\">Files</th>"
		    "<th scope=\"col\">Changes</th></tr></thead><tbody>");
		json_array_foreach(versions, i, ver) {
			long long n = json_integer_value(json_object_get(ver, "version"));

			html_printf(out, "<tr><td>%lld</td><td>", n);
			web_value(out, ctx, &when, json_object_get(ver, "published_at"));
			html_printf(out, "</td><td>%s</td><td>%s</td><td><a href=\"/api/v1/orgs/%s/"
			    "exports/soa.xlsx?version=%lld\" download>XLSX</a> \xc2\xb7 <a href=\""
			    "/api/v1/orgs/%s/exports/soa.csv?version=%lld\" download>CSV</a></td>",
			    json_string_value(json_object_get(ver, "published_by")),
			    json_string_value(json_object_get(ver, "note")) ?: "", ctx->org, n,
			    ctx->org, n);
			buf_reset(&url);
			buf_printf(&url, "%s/versions?version=%lld", buf_str(&soa), n);
			html_printf(out, "<td><a href=\"%s\">Draft since v%lld</a></td></tr>",
			    buf_str(&url), n);
		}
		buf_puts(out, "</tbody></table></div>\n");
	}
	buf_puts(out, "<section class=\"card\" aria-labelledby=\"diff-h\"><h2 id=\"diff-h\">");
	if (json_is_integer(base))
		html_printf(out, "What changed in the draft since version %lld",
		    (long long)json_integer_value(base));
	else
		buf_puts(out, "The draft (nothing published to compare with)");
	html_printf(out, " <span class=\"count\">%zu</span></h2>",
	    json_array_size(json_object_get(diff, "changes")));
	if (json_array_size(json_object_get(diff, "changes")) == 0)
		buf_puts(out, "<p class=\"empty\">No change: the draft is the published version."
		    "</p>");
	else {
		buf_puts(out, "<div class=\"table-wrap\"><table class=\"list\"><caption class=\"sr\">"
		    "Changes</caption><thead><tr><th scope=\"col\">Control</th><th scope=\"col\">"
		    "Field</th><th scope=\"col\">Published</th><th scope=\"col\">Draft</th></tr>"
		    "</thead><tbody>");
		json_array_foreach(json_object_get(diff, "changes"), i, ch)
			json_array_foreach(json_object_get(ch, "fields"), j, f) {
				html_printf(out, "<tr><th scope=\"row\">%s %s</th><td>",
				    json_string_value(json_object_get(ch, "control")),
				    json_string_value(json_object_get(ch, "title")) ?: "");
				web_enum_label(out, json_string_value(json_object_get(f, "field")));
				buf_puts(out, "</td><td>");
				soa_diff_value(out, json_object_get(f, "from"));
				buf_puts(out, "</td><td>");
				soa_diff_value(out, json_object_get(f, "to"));
				buf_puts(out, "</td></tr>");
			}
		buf_puts(out, "</tbody></table></div>");
	}
	buf_puts(out, "</section>\n");
	if (can_publish) {
		buf_reset(&url);
		buf_printf(&url, "%s/versions", buf_str(&soa));
		soa_publish_form(out, ctx, buf_str(&url), "card soa-publish",
		    json_integer_value(json_object_get(json_array_get(versions, 0), "version")) + 1);
	}
	web_page_end(out, ctx);
	buf_free(&soa);
	buf_free(&url);
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
	if (editable && (v->edit != NULL || json_object_size(v->errors) > 0)) {
		soa_datalist(out, SOA_USERS_LIST, json_object_get(v->choices, "users"));
		soa_datalist(out, SOA_MEASURES_LIST, json_object_get(v->choices, "measures"));
	}
	soa_publish_card(out, ctx, v);
	soa_filter_nav(out, ctx, v->entries, flt);
	if (editable)
		soa_bulk_form(out, ctx, v);
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
