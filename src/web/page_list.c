/*
 * page_list.c - the list page of a record kind: what is past its due date
 * first (for kinds that declare due dates), the states of its workflow as
 * links, search box, a filter for every FIELD_FILTER field, sortable columns
 * for FIELD_SORT fields, counts and cursor pagination. It is a GET form, so it works without script and
 * every state of the page is a URL that can be bookmarked or shared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/record.h"
#include "util/buf.h"
#include "util/jscan.h"
#include "util/mem.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

#define WEB_LIST_OFFSET_PARAM	"at"

static bool web_list_filtered(const struct record_query *q);

static const char *
web_list_filter_value(const struct record_query *q, const char *name)
{
	int i;

	for (i = 0; q != NULL && i < q->nfilters; i++)
		if (strcmp(q->filter_names[i], name) == 0)
			return q->filter_values[i];
	return NULL;
}

/* Where a list URL points: a page of it, or its download. */
struct web_list_at {
	const char	*sort;
	const char	*cursor;	/* NULL: the first page */
	const char	*back;		/* cursors of the pages before (WEB_LIST_BACK_SEP) */
	int64_t		 offset;
	int		 limit;		/* 0 or WEB_LIST_LIMIT_DEFAULT: left out */
	const char	*format;	/* "csv", "xlsx": the download, every page */
};

/* The list URL with the current search and filters, a sort and a page. */
static void
web_list_url(struct buf *url, const struct web_ctx *ctx, const struct record_kind *k,
    const struct record_query *q, const struct web_list_at *at)
{
	char num[24];
	int i;

	web_url_kind(url, ctx, k->name);
	if (q != NULL && q->q != NULL && *q->q != '\0')
		html_url_query(url, "q", q->q);
	for (i = 0; q != NULL && i < q->nfilters; i++)
		html_url_query(url, q->filter_names[i], q->filter_values[i]);
	if (at->sort != NULL)
		html_url_query(url, "sort", at->sort);
	if (at->format != NULL) {
		html_url_query(url, "format", at->format);
		return;
	}
	if (at->limit > 0 && at->limit != WEB_LIST_LIMIT_DEFAULT) {
		snprintf(num, sizeof(num), "%d", at->limit);
		html_url_query(url, WEB_LIST_LIMIT_PARAM, num);
	}
	if (at->cursor != NULL) {
		html_url_query(url, "cursor", at->cursor);
		snprintf(num, sizeof(num), "%lld", (long long)at->offset);
		html_url_query(url, WEB_LIST_OFFSET_PARAM, num);
		if (at->back != NULL && *at->back != '\0')
			html_url_query(url, WEB_LIST_BACK_PARAM, at->back);
	}
}

static int
web_list_limit(const struct web_list *l)
{
	return l->query != NULL && l->query->limit > 0 ? l->query->limit :
	    WEB_LIST_LIMIT_DEFAULT;
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
	web_list_url(&url, ctx, k, l->query, &(struct web_list_at){ .sort = sort,
	    .limit = web_list_limit(l) });
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

/*
 * One row's members as spans of the stored view: only those the row shows
 * (the title, the list columns, the fixed members below); the rest of the
 * record (descriptions, plans, components...) is skipped, not read.
 */
struct web_list_rec {
	struct jscan_value	 ref, updated_at, retired, in_force, generated, source,
				 source_kind, what;
	struct jscan_value	*fields;	/* by the index of the kind's field */
	/* The members wanted, once per page: name, its length, where its span goes. */
	struct web_list_want {
		const char		*name;
		size_t			 len;
		struct jscan_value	*at;
	}			*want;
	size_t			 nwant, nfields;
};

static bool
web_list_shown(const struct field *f)
{
	return (f->flags & (FIELD_TITLE | FIELD_LIST)) != 0;
}

static void
web_list_want(struct web_list_rec *r, const char *name, struct jscan_value *at)
{
	r->want[r->nwant++] = (struct web_list_want){ name, strlen(name), at };
}

static void
web_list_rec_init(struct web_list_rec *r, const struct record_kind *k)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	while (k->fields[r->nfields].name != NULL)
		r->nfields++;
	r->fields = xcalloc(r->nfields + 1, sizeof(*r->fields));
	r->want = xcalloc(r->nfields + 8, sizeof(*r->want));
	web_list_want(r, "ref", &r->ref);
	web_list_want(r, "updated_at", &r->updated_at);
	web_list_want(r, "retired", &r->retired);
	web_list_want(r, "in_force_version", &r->in_force);
	web_list_want(r, "generated", &r->generated);
	web_list_want(r, "source", &r->source);
	web_list_want(r, "source_kind", &r->source_kind);
	web_list_want(r, "what", &r->what);
	for (i = 0; i < r->nfields; i++)
		if (web_list_shown(&k->fields[i]))
			web_list_want(r, k->fields[i].name, &r->fields[i]);
}

static void
web_list_rec_free(struct web_list_rec *r)
{
	free(r->fields);
	free(r->want);
}

/*
 * Reads one stored view. The last member of a name counts, as a tree keeps
 * it; a field may have a fixed member's name (evidence's source), and both
 * read it.
 */
static void
web_list_rec_read(struct web_list_rec *r, const struct jscan_value *rec)
{
	const struct web_list_want *w;
	struct jscan it;
	struct jscan_value key, val;
	size_t i;
	bool plain;

	for (i = 0; i < r->nwant; i++)
		memset(r->want[i].at, 0, sizeof(*r->want[i].at));
	if (jscan_begin(&it, rec) != 0)
		return;
	while (jscan_next(&it, &key, &val) == 1) {
		/* Names are stored as they are, without escapes: compared in place. */
		plain = memchr(key.p + 1, '\\', key.len - 2) == NULL;
		for (i = 0; i < r->nwant; i++) {
			w = &r->want[i];
			if (plain ? w->len == key.len - 2 && memcmp(w->name, key.p + 1, w->len) == 0 :
			    jscan_string_is(&key, w->name))
				*w->at = val;
		}
	}
}

/* A string member as text (s reset), or NULL when it is none. */
static const char *
web_list_str(struct buf *s, const struct jscan_value *v)
{
	return web__span_string(s, v) == 0 ? buf_str(s) : NULL;
}

/* web_record_title() of the row: its first non-empty title field, else its ref. */
static void
web_list_title(struct buf *title, const struct record_kind *k, const struct web_list_rec *r)
{
	size_t i;

	for (i = 0; k->fields[i].name != NULL; i++)
		if ((k->fields[i].flags & FIELD_TITLE) &&
		    web__span_string(title, &r->fields[i]) == 0 && buf_str(title)[0] != '\0')
			return;
	if (web__span_string(title, &r->ref) != 0)
		buf_reset(title);
}

static void
web_list_row(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list_rec *r)
{
	struct buf ref = BUF_INIT, source = BUF_INIT, source_kind = BUF_INIT, what = BUF_INIT;
	struct buf title = BUF_INIT, url = BUF_INIT;
	const char *refs = web_list_str(&ref, &r->ref);
	const char *sources = web_list_str(&source, &r->source);
	const char *source_kinds = web_list_str(&source_kind, &r->source_kind);
	const char *whats = web_list_str(&what, &r->what);
	bool generated = r->generated.p != NULL && r->generated.type == JSCAN_TRUE;
	long long in_force = 0;
	size_t i;

	/* A generated item (record_kind.list_extra) is done on the record it follows. */
	if (generated && sources != NULL && source_kinds != NULL)
		web_url_record(&url, ctx, source_kinds, sources);
	else
		web_url_record(&url, ctx, k->name, refs != NULL ? refs : "");
	web_list_title(&title, k, r);
	html_printf(out, "<tr><td class=\"ref\"><a href=\"%s\">%s</a></td>"
	    "<th scope=\"row\"><a href=\"%s\">%s</a>", buf_str(&url), refs, buf_str(&url),
	    buf_str(&title));
	if (generated)
		html_printf(out, " <span class=\"tag\" title=\"Follows %s: done by completing "
		    "it\">%s</span>", sources != NULL ? sources : "",
		    whats != NULL ? whats : "generated");
	if (r->retired.p != NULL && r->retired.type == JSCAN_TRUE)
		buf_puts(out, " <span class=\"tag t-retired\">Retired</span>");
	/* A revision is open: the approved version is still the one in force. */
	if (r->in_force.p != NULL && jscan_int(&in_force, &r->in_force) == 0 && in_force > 0)
		html_printf(out, " <span class=\"tag t-approved\" title=\"A revision is open; "
		    "version %lld stays in force until it is approved\">Approved v%lld in force"
		    "</span>", in_force, in_force);
	buf_puts(out, "</th>");
	for (i = 0; k->fields[i].name != NULL; i++) {
		if (!web_list_column(&k->fields[i]))
			continue;
		buf_puts(out, "<td>");
		web__span_brief(out, ctx, &k->fields[i], &r->fields[i]);
		buf_puts(out, "</td>");
	}
	/* The day is enough in a list; the record's page has the time. */
	buf_puts(out, "<td>");
	web__span_brief(out, ctx, &(struct field){ .type = FIELD_DATE }, &r->updated_at);
	buf_puts(out, "</td></tr>\n");
	buf_free(&url);
	buf_free(&title);
	buf_free(&ref);
	buf_free(&source);
	buf_free(&source_kind);
	buf_free(&what);
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

/* The table of the page's records; answers how many rows it wrote. */
static size_t
web_list_table(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list *l)
{
	const struct field *f, *tf = web_title_field(k);
	struct web_list_rec r;
	struct jscan it;
	struct jscan_value rec;
	size_t n = 0;

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
	web_list_rec_init(&r, k);
	if (jscan_begin(&it, l->items) == 0)
		while (jscan_next(&it, NULL, &rec) == 1) {
			web_list_rec_read(&r, &rec);
			web_list_row(out, ctx, k, &r);
			n++;
		}
	web_list_rec_free(&r);
	buf_puts(out, "</tbody></table></div>\n");
	return n;
}

/*
 * Previous page: pages are keyset cursors, so the way back is carried in
 * the URL (WEB_LIST_BACK_PARAM: the cursors of the pages before this one).
 * A chain longer than WEB_LIST_BACK_MAX drops its oldest cursors; from
 * where it ends, the way back is the first page, and the link says so.
 */
static void
web_list_pager_links(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list *l, size_t rows)
{
	const struct record_query *q = l->query;
	const char *sort = q != NULL ? q->sort : NULL, *cur = q != NULL ? q->cursor : NULL;
	const char *back = l->back != NULL ? l->back : "", *last;
	int limit = web_list_limit(l);
	int64_t n = (int64_t)rows;
	struct buf url = BUF_INIT, chain = BUF_INIT, prev = BUF_INIT;

	buf_puts(out, "<nav class=\"pager\" aria-label=\"Pages\">");
	if (cur != NULL || l->offset > 0) {
		web_list_url(&url, ctx, k, q, &(struct web_list_at){ .sort = sort,
		    .limit = limit });
		html_printf(out, "<a class=\"btn quiet\" href=\"%s\">First page</a> ",
		    buf_str(&url));
		if (*back != '\0') {
			last = strrchr(back, WEB_LIST_BACK_SEP);
			buf_puts(&prev, last != NULL ? last + 1 : back);
			buf_append(&chain, back, last != NULL ? (size_t)(last - back) : 0);
			buf_reset(&url);
			web_list_url(&url, ctx, k, q, &(struct web_list_at){ .sort = sort,
			    .cursor = buf_str(&prev), .back = buf_str(&chain),
			    .offset = l->offset > limit ? l->offset - limit : 0, .limit = limit });
			html_printf(out, "<a class=\"btn\" rel=\"prev\" href=\"%s\">Previous page"
			    "</a> ", buf_str(&url));
		} else if (cur != NULL && l->offset <= limit) {
			/* Page two: the previous page is the first. */
			buf_reset(&url);
			web_list_url(&url, ctx, k, q, &(struct web_list_at){ .sort = sort,
			    .limit = limit });
			html_printf(out, "<a class=\"btn\" rel=\"prev\" href=\"%s\">Previous page"
			    "</a> ", buf_str(&url));
		}
	}
	if (l->next_cursor != NULL) {
		buf_reset(&chain);
		if (cur != NULL) {
			/* Past WEB_LIST_BACK_MAX the oldest cursors go. */
			while (strlen(back) + strlen(cur) + 1 > WEB_LIST_BACK_MAX &&
			    (last = strchr(back, WEB_LIST_BACK_SEP)) != NULL)
				back = last + 1;
			if (strlen(back) + strlen(cur) + 1 > WEB_LIST_BACK_MAX)
				back = "";
			if (*back != '\0') {
				buf_puts(&chain, back);
				buf_putc(&chain, WEB_LIST_BACK_SEP);
			}
			buf_puts(&chain, cur);
		}
		buf_reset(&url);
		web_list_url(&url, ctx, k, q, &(struct web_list_at){ .sort = sort,
		    .cursor = l->next_cursor, .back = buf_str(&chain), .offset = l->offset + n,
		    .limit = limit });
		html_printf(out, "<a class=\"btn\" rel=\"next\" href=\"%s\">Next page</a>",
		    buf_str(&url));
	}
	buf_puts(out, "</nav>\n");
	buf_free(&url);
	buf_free(&chain);
	buf_free(&prev);
}

/* Rows per page: a GET form that keeps the search, filters and sort. */
static void
web_list_size(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list *l)
{
	static const int sizes[] = WEB_LIST_LIMITS;
	const struct record_query *q = l->query;
	struct buf url = BUF_INIT;
	size_t i;
	int j;

	web_url_kind(&url, ctx, k->name);
	html_printf(out, "<form class=\"page-size\" method=\"get\" action=\"%s\">",
	    buf_str(&url));
	if (q != NULL && q->q != NULL && *q->q != '\0')
		html_printf(out, "<input type=\"hidden\" name=\"q\" value=\"%s\">", q->q);
	for (j = 0; q != NULL && j < q->nfilters; j++)
		html_printf(out, "<input type=\"hidden\" name=\"%s\" value=\"%s\">",
		    q->filter_names[j], q->filter_values[j]);
	if (q != NULL && q->sort != NULL)
		html_printf(out, "<input type=\"hidden\" name=\"sort\" value=\"%s\">", q->sort);
	html_printf(out, "<label for=\"page-size\">Rows per page</label> "
	    "<select id=\"page-size\" name=\"" WEB_LIST_LIMIT_PARAM "\">");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		html_printf(out, "<option value=\"%d\"", sizes[i]);
		html_attr_if(out, sizes[i] == web_list_limit(l), "selected", NULL);
		html_printf(out, ">%d</option>", sizes[i]);
	}
	buf_puts(out, "</select> <button type=\"submit\" class=\"btn quiet\">Show</button>"
	    "</form>");
	buf_free(&url);
}

/* The whole filtered list as a file, for whoever may read it. */
static void
web_list_downloads(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list *l)
{
	static const char *const formats[][2] = { { "csv", "CSV" }, { "xlsx", "Excel (XLSX)" } };
	struct buf url = BUF_INIT;
	size_t i;

	buf_puts(out, "<p class=\"downloads\">Download ");
	html_printf(out, "%s: ", web_list_filtered(l->query) ? "these results" : "all");
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		buf_reset(&url);
		web_list_url(&url, ctx, k, l->query, &(struct web_list_at){
		    .sort = l->query != NULL ? l->query->sort : NULL, .format = formats[i][0] });
		html_printf(out, "%s<a href=\"%s\" download>", i ? " \xc2\xb7 " : "",
		    buf_str(&url));
		web_icon(out, "download");
		html_printf(out, "%s</a>", formats[i][1]);
	}
	buf_puts(out, "</p>");
	buf_free(&url);
}

/* Below the table: what it shows of how many, downloads, rows per page, pages. */
static void
web_list_pager(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list *l, size_t n)
{

	html_printf(out, "<div class=\"list-foot\"><p class=\"summary\" role=\"status\">"
	    "Showing %lld\xe2\x80\x93%lld", (long long)l->offset + 1,
	    (long long)(l->offset + (int64_t)n));
	if (l->total >= 0)
		html_printf(out, " of %lld", (long long)l->total);
	html_printf(out, " %s</p>\n", k->plural);
	web_list_downloads(out, ctx, k, l);
	web_list_size(out, ctx, k, l);
	if ((l->query != NULL && l->query->cursor != NULL) || l->next_cursor != NULL ||
	    l->offset > 0)
		web_list_pager_links(out, ctx, k, l, n);
	buf_puts(out, "</div>\n");
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

/* Is there anything between the brackets of the page's records? */
static bool
web_list_any(const struct jscan_value *items)
{
	size_t i;

	for (i = 1; items != NULL && items->type == JSCAN_ARRAY && i + 1 < items->len; i++)
		if (!strchr(" \t\r\n", items->p[i]))
			return true;
	return false;
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
	size_t n;

	web_page_begin(out, ctx, k->plural, k->name, crumbs, 1);
	web_list_head(out, ctx, k, l);
	web_list_overdue(out, ctx, k, l->overdue);
	web_list_states(out, ctx, k, l->query);
	if (l->channel != NULL)
		web_list_channel(out, ctx, l);
	web_list_filters(out, ctx, k, l);
	/* The records are counted as the table reads them: one pass over their text. */
	if (web_list_any(l->items)) {
		n = web_list_table(out, ctx, k, l);
		web_list_pager(out, ctx, k, l, n);
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
