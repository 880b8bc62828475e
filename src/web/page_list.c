/*
 * page_list.c - the list page of a record kind: what is past its due date
 * first (for kinds that declare due dates), the states of its workflow as
 * links, search box, a filter for every FIELD_FILTER field, sortable columns
 * for FIELD_SORT fields, counts and cursor pagination. It is a GET form, so it works without script and
 * every state of the page is a URL that can be bookmarked or shared.
 */
#include <stdio.h>
#include <string.h>

#include "core/record.h"
#include "util/buf.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

#define WEB_LIST_OFFSET_PARAM	"at"

static const char *
web_list_filter_value(const struct record_query *q, const char *name)
{
	int i;

	for (i = 0; q != NULL && i < q->nfilters; i++)
		if (strcmp(q->filter_names[i], name) == 0)
			return q->filter_values[i];
	return NULL;
}

/* The list URL with the current search and filters, a sort and a page. */
static void
web_list_url(struct buf *url, const struct web_ctx *ctx, const struct record_kind *k,
    const struct record_query *q, const char *sort, const char *cursor, int64_t offset)
{
	char num[24];
	int i;

	web_url_kind(url, ctx, k->name);
	if (q != NULL && q->q != NULL && *q->q != '\0')
		html_url_query(url, "q", q->q);
	for (i = 0; q != NULL && i < q->nfilters; i++)
		html_url_query(url, q->filter_names[i], q->filter_values[i]);
	if (sort != NULL)
		html_url_query(url, "sort", sort);
	if (cursor != NULL) {
		html_url_query(url, "cursor", cursor);
		snprintf(num, sizeof(num), "%lld", (long long)offset);
		html_url_query(url, WEB_LIST_OFFSET_PARAM, num);
	}
}

static void
web_list_head(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list *l)
{
	struct buf url = BUF_INIT;

	buf_puts(out, "<div class=\"page-head\"><h1>");
	web_label(out, k->plural);
	if (l->total >= 0)
		html_printf(out, " <span class=\"count\">%lld</span>", (long long)l->total);
	buf_puts(out, "</h1>");
	if (web_can(ctx, WEB_ACT_CREATE, k) && !k->singleton) {
		web_url_kind(&url, ctx, k->name);
		html_printf(out, "<div class=\"actions\"><a class=\"btn primary\" href=\"%s/new\" "
		    "data-shortcut=\"n\">", buf_str(&url));
		web_icon(out, "plus");
		html_printf(out, "New %s</a></div>", k->singular);
	}
	buf_puts(out, "</div>\n");
	if (k->clause != NULL)
		html_printf(out, "<p class=\"lede\">ISO/IEC 42001 clause %s</p>\n", k->clause);
	buf_free(&url);
}

static void
web_list_filter(struct buf *out, const struct field *f, const char *cur,
    const json_t *choices)
{
	static const char *const yesno[] = { "true", "false", NULL };
	struct web_input in = { .field = f, .id_prefix = "flt-", .name = f->name,
	    .choices = choices, .filter = true };

	html_printf(out, "<div class=\"field\"><label for=\"flt-%s\">%s</label>", f->name, f->label);
	if (f->type == FIELD_BOOL)
		in.enum_values = yesno;
	web__input_filter(out, &in, cur);
	buf_puts(out, "</div>");
}

static void
web_list_filters(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list *l)
{
	const struct record_query *q = l->query;
	const struct field *f;
	struct buf url = BUF_INIT;

	web_url_kind(&url, ctx, k->name);
	html_printf(out, "<form class=\"filters\" method=\"get\" action=\"%s\" role=\"search\">"
	    "<div class=\"field grow\"><label for=\"q\">Search %s</label>"
	    "<input type=\"search\" id=\"q\" name=\"q\" value=\"%s\" data-search></div>",
	    buf_str(&url), k->plural, q != NULL && q->q != NULL ? q->q : "");
	for (f = k->fields; f->name != NULL; f++)
		if (f->flags & FIELD_FILTER)
			web_list_filter(out, f, web_list_filter_value(q, f->name), l->choices);
	if (q != NULL && q->sort != NULL)
		html_printf(out, "<input type=\"hidden\" name=\"sort\" value=\"%s\">", q->sort);
	html_printf(out, "<div class=\"field buttons\"><button type=\"submit\" class=\"btn\">"
	    "Apply</button> <a class=\"btn quiet\" href=\"%s\">Clear</a></div></form>\n",
	    buf_str(&url));
	buf_free(&url);
}

/* A column header; sortable ones link to the list sorted by them. */
static void
web_list_th(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list *l, const char *name, const char *label, bool sortable)
{
	const char *cur = l->query != NULL && l->query->sort != NULL ? l->query->sort :
	    "-updated_at";
	bool asc = strcmp(cur, name) == 0, desc = cur[0] == '-' && strcmp(cur + 1, name) == 0;
	struct buf url = BUF_INIT;
	char sort[WEB_FORM_NAME_MAX + 2];

	if (!sortable) {
		html_printf(out, "<th scope=\"col\">%s</th>", label);
		return;
	}
	snprintf(sort, sizeof(sort), "%s%s", asc ? "-" : "", name);
	web_list_url(&url, ctx, k, l->query, sort, NULL, 0);
	buf_puts(out, "<th scope=\"col\"");
	html_attr_if(out, asc || desc, "aria-sort", asc ? "ascending" : "descending");
	html_printf(out, "><a href=\"%s\">%s%s</a></th>", buf_str(&url), label,
	    asc ? " \xe2\x96\xb2" : desc ? " \xe2\x96\xbc" : "");
	buf_free(&url);
}

static bool
web_list_column(const struct field *f)
{
	return (f->flags & FIELD_LIST) && !(f->flags & FIELD_TITLE);
}

static void
web_list_row(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *rec)
{
	const char *ref = json_string_value(json_object_get(rec, "ref"));
	const struct field *f;
	struct buf url = BUF_INIT;

	web_url_record(&url, ctx, k->name, ref != NULL ? ref : "");
	html_printf(out, "<tr><td class=\"ref\"><a href=\"%s\">%s</a></td>"
	    "<th scope=\"row\"><a href=\"%s\">%s</a>", buf_str(&url), ref, buf_str(&url),
	    web_record_title(k, rec));
	if (json_is_true(json_object_get(rec, "retired")))
		buf_puts(out, " <span class=\"tag t-retired\">Retired</span>");
	/* A revision is open: the approved version is still the one in force. */
	if (json_integer_value(json_object_get(rec, "in_force_version")) > 0)
		html_printf(out, " <span class=\"tag t-approved\" title=\"A revision is open; "
		    "version %lld stays in force until it is approved\">Approved v%lld in force"
		    "</span>", (long long)json_integer_value(json_object_get(rec,
		    "in_force_version")), (long long)json_integer_value(json_object_get(rec,
		    "in_force_version")));
	buf_puts(out, "</th>");
	for (f = k->fields; f->name != NULL; f++) {
		if (!web_list_column(f))
			continue;
		buf_puts(out, "<td>");
		web_value_brief(out, ctx, f, json_object_get(rec, f->name));
		buf_puts(out, "</td>");
	}
	buf_puts(out, "<td>");
	web_value_brief(out, ctx, &(struct field){ .type = FIELD_DATETIME },
	    json_object_get(rec, "updated_at"));
	buf_puts(out, "</td></tr>\n");
	buf_free(&url);
}

static const struct field *
web_title_field(const struct record_kind *k)
{
	const struct field *f;

	for (f = k->fields; f->name != NULL; f++)
		if (f->flags & FIELD_TITLE)
			return f;
	return NULL;
}

static void
web_list_table(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list *l)
{
	const struct field *f, *tf = web_title_field(k);
	const json_t *rec;
	size_t i;

	html_printf(out, "<div class=\"table-wrap\"><table class=\"list\">"
	    "<caption class=\"sr\">%s</caption><thead><tr>", k->plural);
	web_list_th(out, ctx, k, l, "ref", "Ref", false);
	web_list_th(out, ctx, k, l, tf != NULL ? tf->name : "ref",
	    tf != NULL ? tf->label : "Title", tf != NULL && (tf->flags & FIELD_SORT));
	for (f = k->fields; f->name != NULL; f++)
		if (web_list_column(f))
			web_list_th(out, ctx, k, l, f->name, f->label, f->flags & FIELD_SORT);
	web_list_th(out, ctx, k, l, "updated_at", "Updated", true);
	buf_puts(out, "</tr></thead>\n<tbody>\n");
	json_array_foreach(l->items, i, rec)
		web_list_row(out, ctx, k, rec);
	buf_puts(out, "</tbody></table></div>\n");
}

static void
web_list_pager(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list *l)
{
	size_t n = json_array_size(l->items);
	const char *sort = l->query != NULL ? l->query->sort : NULL;
	struct buf url = BUF_INIT;
	bool first = l->offset == 0 && (l->query == NULL || l->query->cursor == NULL);

	html_printf(out, "<p class=\"summary\" role=\"status\">Showing %lld\xe2\x80\x93%lld",
	    (long long)l->offset + 1, (long long)(l->offset + (int64_t)n));
	if (l->total >= 0)
		html_printf(out, " of %lld", (long long)l->total);
	html_printf(out, " %s</p>\n", k->plural);
	if (first && l->next_cursor == NULL)
		return;
	buf_puts(out, "<nav class=\"pager\" aria-label=\"Pages\">");
	if (!first) {
		web_list_url(&url, ctx, k, l->query, sort, NULL, 0);
		html_printf(out, "<a class=\"btn quiet\" href=\"%s\">First page</a> ", buf_str(&url));
	}
	if (l->next_cursor != NULL) {
		buf_reset(&url);
		web_list_url(&url, ctx, k, l->query, sort, l->next_cursor,
		    l->offset + (int64_t)n);
		html_printf(out, "<a class=\"btn\" rel=\"next\" href=\"%s\">Next page</a>",
		    buf_str(&url));
	}
	buf_puts(out, "</nav>\n");
	buf_free(&url);
}

/* Records past a due date, the longest overdue first: what a lead acts on first. */
static void
web_list_overdue(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *overdue)
{
	struct buf url = BUF_INIT;
	const json_t *e;
	size_t i;

	if (json_array_size(overdue) == 0)
		return;
	html_printf(out, "<section class=\"overdue\" aria-labelledby=\"overdue-h\">"
	    "<h2 id=\"overdue-h\">Past due <span class=\"count\">%zu</span></h2>"
	    "<div class=\"table-wrap\"><table class=\"list\"><caption class=\"sr\">%s past "
	    "due</caption><thead><tr><th scope=\"col\">Ref</th><th scope=\"col\">Title</th>"
	    "<th scope=\"col\">What</th><th scope=\"col\">Due</th></tr></thead><tbody>\n",
	    json_array_size(overdue), k->plural);
	json_array_foreach(overdue, i, e) {
		buf_reset(&url);
		web_url_record(&url, ctx, k->name, json_string_value(json_object_get(e, "ref")));
		html_printf(out, "<tr><td><a href=\"%s\">%s</a></td><td>%s</td><td>%s</td>"
		    "<td class=\"overdue\">%s</td></tr>\n", buf_str(&url),
		    json_string_value(json_object_get(e, "ref")),
		    json_string_value(json_object_get(e, "title")),
		    json_string_value(json_object_get(e, "what")),
		    json_string_value(json_object_get(e, "date")));
	}
	buf_puts(out, "</tbody></table></div></section>\n");
	buf_free(&url);
}

/* The workflow's states as links to the list filtered by each. */
static void
web_list_states(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct record_query *q)
{
	const struct field *f = k->workflow ? record_field_find(k, k->workflow->field) : NULL;
	const char *cur = f ? web_list_filter_value(q, f->name) : NULL;
	const char *const *v;
	struct buf url = BUF_INIT;

	if (f == NULL || f->values == NULL || !(f->flags & FIELD_FILTER))
		return;
	web_url_kind(&url, ctx, k->name);
	html_printf(out, "<nav class=\"states\" aria-label=\"%s by %s\"><a href=\"%s\"",
	    k->plural, f->label, buf_str(&url));
	html_attr_if(out, cur == NULL, "aria-current", "page");
	buf_puts(out, ">All</a>");
	for (v = f->values; *v != NULL; v++) {
		buf_reset(&url);
		web_url_kind(&url, ctx, k->name);
		html_url_query(&url, f->name, *v);
		html_printf(out, " <a href=\"%s\"", buf_str(&url));
		html_attr_if(out, cur != NULL && strcmp(cur, *v) == 0, "aria-current", "page");
		buf_putc(out, '>');
		web_enum_label(out, *v);
		buf_puts(out, "</a>");
	}
	buf_puts(out, "</nav>\n");
	buf_free(&url);
}

static bool
web_list_filtered(const struct record_query *q)
{
	return q != NULL && ((q->q != NULL && *q->q != '\0') || q->nfilters > 0);
}

/* The concern list's public channel: its address, and Open or Close for who may. */
static void
web_list_channel(struct buf *out, const struct web_ctx *ctx, const struct web_list *l)
{
	bool open = json_is_true(json_object_get(l->channel, "open"));
	struct buf url = BUF_INIT;

	web_url_org(&url, ctx);
	html_printf(out, "<section class=\"card channel\" id=\"concern-channel\" "
	    "aria-labelledby=\"h-channel\"><h2 id=\"h-channel\">Public reporting channel</h2>");
	if (open)
		html_printf(out, "<p>Open: anyone may report a concern, without an account and "
		    "anonymously, at <a href=\"/public/orgs/%s/concerns\">/public/orgs/%s/concerns"
		    "</a>. Reporters read your replies with their report key.</p>", ctx->org,
		    ctx->org);
	else
		buf_puts(out, "<p>Closed: the public form answers that there is no such page.</p>");
	if (l->channel_can) {
		html_printf(out, "<form method=\"post\" action=\"%s/concern-channel\">",
		    buf_str(&url));
		web_csrf_input(out, ctx);
		html_printf(out, "<input type=\"hidden\" name=\"open\" value=\"%s\">"
		    "<button type=\"submit\" class=\"btn%s\">%s the channel</button></form>",
		    open ? "0" : "1", open ? "" : " primary", open ? "Close" : "Open");
	}
	buf_puts(out, "</section>\n");
	buf_free(&url);
}

void
web_page_list(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list *l)
{
	struct web_crumb crumbs[] = { { k->plural, NULL } };
	struct buf url = BUF_INIT;

	web_page_begin(out, ctx, k->plural, k->name, crumbs, 1);
	web_list_head(out, ctx, k, l);
	web_list_overdue(out, ctx, k, l->overdue);
	web_list_states(out, ctx, k, l->query);
	if (l->channel != NULL)
		web_list_channel(out, ctx, l);
	web_list_filters(out, ctx, k, l);
	if (json_array_size(l->items) > 0) {
		web_list_table(out, ctx, k, l);
		web_list_pager(out, ctx, k, l);
	} else if (web_list_filtered(l->query)) {
		web_url_kind(&url, ctx, k->name);
		html_printf(out, "<p class=\"empty\">No %s match this search. "
		    "<a href=\"%s\">Show all %s</a>.</p>\n", k->plural, buf_str(&url), k->plural);
	} else {
		html_printf(out, "<p class=\"empty\">There are no %s yet.</p>\n", k->plural);
	}
	web_page_end(out, ctx);
	buf_free(&url);
}
