/*
 * page_record.c - the detail page of one record: every declared field, the
 * workflow steps core lists for the person (workflow.c), the records it
 * links to and those that link to it, and its history from the stored
 * versions (who changed which field from what to what, when; each earlier
 * approved version shown whole). Evidence records also show their file:
 * name, size, type, SHA-256 and the download link, and the revisions
 * before it. A document members acknowledge shows who has and who has
 * not (7.3); an AI system shows its life cycle stage by stage (A.6.2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>

#include "core/lifecycle.h"
#include "core/record.h"
#include "io/svg.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/jscan.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

static const struct record_kind *
web_kind_by_name(const struct web_ctx *ctx, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && ctx->kinds != NULL && ctx->kinds[i] != NULL &&
	    ctx->kinds[i]->name != NULL; i++)
		if (strcmp(ctx->kinds[i]->name, name) == 0)
			return ctx->kinds[i];
	return NULL;
}

/* A POST button form on this record: hidden CSRF token and version. */
static void
web_record_button(struct buf *out, const struct web_ctx *ctx, const char *action_url,
    const json_t *rec, const char *action, const char *label, const char *confirm,
    const char *cls)
{
	html_printf(out, "<form method=\"post\" action=\"%s\" class=\"inline\"", action_url);
	if (confirm != NULL)
		html_printf(out, " data-confirm=\"%s\"", confirm);
	buf_puts(out, ">");
	web_csrf_input(out, ctx);
	html_printf(out, "<input type=\"hidden\" name=\"" WEB_VERSION_FIELD "\" value=\"%lld\">",
	    (long long)json_integer_value(json_object_get(rec, "version")));
	if (action != NULL)
		html_printf(out, "<input type=\"hidden\" name=\"action\" value=\"%s\">", action);
	html_printf(out, "<button type=\"submit\" class=\"btn %s\">%s</button></form>", cls, label);
}

static void
web_record_actions(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *rec, const json_t *steps, const char *url)
{
	struct buf target = BUF_INIT, q = BUF_INIT;
	const char *ref = json_string_value(json_object_get(rec, "ref"));
	const struct record_view *view;

	buf_puts(out, "<div class=\"actions\">");
	for (view = k->views; view != NULL && view->path != NULL; view++)
		if (!view->writes || web_can(ctx, WEB_ACT_UPDATE, k))
			html_printf(out, "<a class=\"btn\" href=\"%s/%s\">%s</a>", url,
			    view->path, view->label);
	if (web_can(ctx, WEB_ACT_UPDATE, k)) {
		html_printf(out, "<a class=\"btn\" href=\"%s/edit\" data-shortcut=\"e\">", url);
		web_icon(out, "edit");
		buf_puts(out, "Edit</a>");
	}
	web_workflow_actions(out, ctx, k, rec, steps, url);
	/* A kind whose workflow ends in a final state retires through that step. */
	if (web_can(ctx, WEB_ACT_DELETE, k) && !json_is_true(json_object_get(rec, "retired")) &&
	    (k->workflow == NULL || k->workflow->final == NULL)) {
		buf_reset(&target);
		buf_printf(&target, "%s/delete", url);
		buf_reset(&q);
		buf_printf(&q, k->retain ? "Retire %s? It stays in the records as retired." :
		    "Delete %s? This cannot be undone.", ref ? ref : "");
		web_record_button(out, ctx, buf_str(&target), rec, NULL,
		    k->retain ? "Retire" : "Delete", buf_str(&q), "danger");
	}
	buf_puts(out, "</div>");
	buf_free(&target);
	buf_free(&q);
}

static void
web_record_meta(struct buf *out, const struct web_ctx *ctx, const json_t *rec)
{
	static const struct field when = { .type = FIELD_DATETIME };
	const char *by = web_actor(json_string_value(json_object_get(rec, "updated_by")));

	html_printf(out, "<p class=\"meta\">Version %lld \xc2\xb7 updated ",
	    (long long)json_integer_value(json_object_get(rec, "version")));
	web_value(out, ctx, &when, json_object_get(rec, "updated_at"));
	if (by != NULL)
		html_printf(out, " by %s", by);
	buf_puts(out, " \xc2\xb7 created ");
	web_value(out, ctx, &when, json_object_get(rec, "created_at"));
	if (json_is_true(json_object_get(rec, "retired")))
		buf_puts(out, " \xc2\xb7 <span class=\"tag t-retired\">Retired</span>");
	buf_puts(out, "</p>\n");
}

#define WEB_DAY_SECONDS		86400
#define WEB_HOUR_SECONDS	3600

/* "2 days 3 hours", "5 hours 10 minutes", "40 minutes": a span in words. */
static void
web_span_text(struct buf *out, time_t secs)
{
	long long d = (long long)secs / WEB_DAY_SECONDS;
	long long h = ((long long)secs % WEB_DAY_SECONDS) / WEB_HOUR_SECONDS;
	long long m = ((long long)secs % WEB_HOUR_SECONDS) / 60;

	if (d > 0)
		html_printf(out, "%lld day%s %lld hour%s", d, d == 1 ? "" : "s", h,
		    h == 1 ? "" : "s");
	else if (h > 0)
		html_printf(out, "%lld hour%s %lld minute%s", h, h == 1 ? "" : "s", m,
		    m == 1 ? "" : "s");
	else
		html_printf(out, "%lld minute%s", m, m == 1 ? "" : "s");
}

/* The kind's deadline (record.h): when, to whom, and the time left or how late. */
static void
web_record_deadline(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *rec)
{
	static const struct field when = { .type = FIELD_DATETIME };
	time_t now = clock_now(), due, met;
	enum record_deadline_state st = record_deadline_state(k, rec, now, &due, &met);
	const char *to = k->deadline != NULL && k->deadline->to != NULL ?
	    json_string_value(json_object_get(rec, k->deadline->to)) : NULL;

	if (st == RECORD_DEADLINE_NONE)
		return;
	html_printf(out, "<div class=\"flash deadline %s\" id=\"deadline\" role=\"%s\"><p>"
	    "<strong>%s due ",
	    st == RECORD_DEADLINE_MET ? "ok" : st == RECORD_DEADLINE_OPEN ? "warn" : "error",
	    st == RECORD_DEADLINE_MISSED ? "alert" : "status", k->deadline->what);
	web_value(out, ctx, &when, json_object_get(rec, k->deadline->field));
	buf_puts(out, "</strong>");
	if (to != NULL)
		html_printf(out, " to %s", to);
	buf_puts(out, ".</p><p>");
	switch (st) {
	case RECORD_DEADLINE_OPEN:
		web_span_text(out, due - now);
		buf_puts(out, " left.");
		break;
	case RECORD_DEADLINE_MISSED:
		buf_puts(out, "Overdue by ");
		web_span_text(out, now - due);
		buf_puts(out, ": nothing is in the notification log yet.");
		break;
	case RECORD_DEADLINE_MET:
		buf_puts(out, "Reported ");
		web_value(out, ctx, &when, json_object_get(rec, k->deadline->met_by));
		buf_puts(out, ", within the deadline.");
		break;
	case RECORD_DEADLINE_LATE:
		buf_puts(out, "Reported ");
		web_value(out, ctx, &when, json_object_get(rec, k->deadline->met_by));
		buf_puts(out, ", ");
		web_span_text(out, met - due);
		buf_puts(out, " late.");
		break;
	default:
		break;
	}
	buf_puts(out, "</p></div>\n");
}

static void
web_record_fields(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *rec)
{
	const struct field *f;

	buf_puts(out, "<section class=\"card\" aria-labelledby=\"h-details\">"
	    "<h2 id=\"h-details\">Details</h2><dl class=\"fields\">\n");
	for (f = k->fields; f->name != NULL; f++) {
		/* The sections the form has, in the same places (record_kind fields). */
		if (f->section != NULL && f != k->fields)
			html_printf(out, "</dl>\n<h3 class=\"fields-section\">%s</h3>"
			    "<dl class=\"fields\">\n", f->section);
		html_printf(out, "<div class=\"%s\"><dt>%s</dt><dd>",
		    f->type == FIELD_TEXT || f->type == FIELD_OBJECT_LIST || f->type == FIELD_OBJECT ?
		    "wide" : "", f->label);
		web_value(out, ctx, f, json_object_get(rec, f->name));
		buf_puts(out, "</dd></div>\n");
	}
	buf_puts(out, "</dl></section>\n");
}

static void
web_record_file(struct buf *out, const struct web_ctx *ctx, const json_t *file,
    const char *download)
{
	static const struct field when = { .type = FIELD_DATETIME };

	html_printf(out, "<dl class=\"fields\"><div><dt>File</dt><dd><a href=\"%s\" download>",
	    download);
	web_icon(out, "file");
	html_printf(out, "%s</a></dd></div><div><dt>Revision</dt><dd>%lld</dd></div>"
	    "<div><dt>Size</dt><dd>%lld bytes</dd></div><div><dt>Type</dt><dd>%s</dd></div>"
	    "<div><dt>Stored</dt><dd>", json_string_value(json_object_get(file, "filename")),
	    (long long)json_integer_value(json_object_get(file, "revision")),
	    (long long)json_integer_value(json_object_get(file, "size")),
	    json_string_value(json_object_get(file, "media_type")));
	web_value(out, ctx, &when, json_object_get(file, "stored_at"));
	html_printf(out, " by %s</dd></div><div class=\"wide\"><dt>SHA-256</dt><dd>"
	    "<code class=\"hash\">%s</code></dd></div></dl>",
	    web_actor(json_string_value(json_object_get(file, "stored_by"))),
	    json_string_value(json_object_get(file, "sha256")));
}

static void web_record_preview(struct buf *out, const json_t *file, const char *url,
    const struct web_record_view *v);

static void
web_record_evidence(struct buf *out, const struct web_ctx *ctx,
    const struct web_record_view *v, const char *url)
{
	const json_t *rec = v->record, *files = v->files;
	static const struct field when = { .type = FIELD_DATETIME };
	size_t i, n = json_array_size(files);
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	struct buf dl = BUF_INIT;
	const json_t *r;

	if (n == 0 && (kind == NULL || strcmp(kind, "file") != 0))
		return;
	buf_puts(out, "<section class=\"card\" aria-labelledby=\"h-file\"><h2 id=\"h-file\">"
	    "File</h2>");
	if (n == 0) {
		buf_puts(out, "<p class=\"empty\">No file stored yet. Edit this evidence to upload "
		    "one.</p></section>\n");
		return;
	}
	buf_printf(&dl, "%s/download", url);
	web_record_file(out, ctx, json_array_get(files, n - 1), buf_str(&dl));
	web_record_preview(out, json_array_get(files, n - 1), url, v);
	if (n > 1) {
		buf_puts(out, "<h3>Earlier revisions</h3><div class=\"table-wrap\"><table>"
		    "<thead><tr><th scope=\"col\">Revision</th><th scope=\"col\">File</th>"
		    "<th scope=\"col\">Stored</th><th scope=\"col\">SHA-256</th></tr></thead>"
		    "<tbody>");
		for (i = n - 1; i-- > 0;) {
			r = json_array_get(files, i);
			buf_reset(&dl);
			buf_printf(&dl, "%s/download?revision=%lld", url,
			    (long long)json_integer_value(json_object_get(r, "revision")));
			html_printf(out, "<tr><td>%lld</td><td><a href=\"%s\" download>%s</a></td><td>",
			    (long long)json_integer_value(json_object_get(r, "revision")),
			    buf_str(&dl), json_string_value(json_object_get(r, "filename")));
			web_value(out, ctx, &when, json_object_get(r, "stored_at"));
			html_printf(out, "</td><td><code class=\"hash\">%s</code></td></tr>",
			    json_string_value(json_object_get(r, "sha256")));
		}
		buf_puts(out, "</tbody></table></div>");
	}
	buf_puts(out, "</section>\n");
	buf_free(&dl);
}

enum web_preview
web_preview_of(const char *media_type)
{
	static const struct {
		const char		*type;
		enum web_preview	 preview;
	} types[] = {
		{ "image/png", WEB_PREVIEW_IMAGE }, { "image/jpeg", WEB_PREVIEW_IMAGE },
		{ "image/gif", WEB_PREVIEW_IMAGE }, { "image/webp", WEB_PREVIEW_IMAGE },
		{ "application/pdf", WEB_PREVIEW_PDF },
		{ "text/plain", WEB_PREVIEW_TEXT }, { "text/csv", WEB_PREVIEW_TEXT },
		{ "text/markdown", WEB_PREVIEW_TEXT }, { "application/json", WEB_PREVIEW_TEXT },
	};
	size_t i;

	for (i = 0; media_type != NULL && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(media_type, types[i].type) == 0)
			return types[i].preview;
	return WEB_PREVIEW_NONE;
}

/* The latest file where it can be shown: framed, as an image, or as escaped text. */
static void
web_record_preview(struct buf *out, const json_t *file, const char *url,
    const struct web_record_view *v)
{
	const char *name = json_string_value(json_object_get(file, "filename"));
	enum web_preview p = web_preview_of(json_string_value(json_object_get(file,
	    "media_type")));

	if (p == WEB_PREVIEW_NONE)
		return;
	html_printf(out, "<figure class=\"preview\" aria-labelledby=\"h-preview\">"
	    "<figcaption id=\"h-preview\">Preview of %s</figcaption>", name ? name : "the file");
	if (p == WEB_PREVIEW_IMAGE)
		html_printf(out, "<img src=\"%s/preview\" alt=\"The stored image %s\" "
		    "loading=\"lazy\">", url, name ? name : "");
	else if (p == WEB_PREVIEW_PDF)
		html_printf(out, "<iframe src=\"%s/preview\" title=\"The stored PDF %s\" "
		    "loading=\"lazy\"></iframe>", url, name ? name : "");
	else if (v->preview_text != NULL)
		html_printf(out, "<pre class=\"preview-text\" tabindex=\"0\">%s</pre>%s",
		    v->preview_text, v->preview_cut ? "<p class=\"help\">The first 64 KB are "
		    "shown: download the file for the rest.</p>" : "");
	buf_puts(out, "</figure>");
}

static void
web_record_link_row(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *l, bool in)
{
	const char *kind = json_string_value(json_object_get(l, "kind"));
	const char *ref = json_string_value(json_object_get(l, "ref"));
	const char *fname = json_string_value(json_object_get(l, "field"));
	const struct record_kind *lk = web_kind_by_name(ctx, kind), *rk;
	struct buf url = BUF_INIT;

	if (lk != NULL) {
		web_url_record(&url, ctx, kind, ref != NULL ? ref : "");
	} else if (ref != NULL && (rk = record_kind_of_ref(ref)) != NULL && rk->ref_field != NULL) {
		/*
		 * A requirement that is also the reference of a kind's record (an
		 * Annex A control and its SoA entry): its row on that kind's page.
		 */
		web_url_kind(&url, ctx, rk->name);
		buf_puts(&url, "#ctl-");
		html_url_escape(&url, ref);
	}
	html_printf(out, "<tr><td>%s</td><td>", lk != NULL ? lk->singular : kind);
	if (url.len > 0)
		html_printf(out, "<a class=\"ref\" href=\"%s\">%s</a>", buf_str(&url), ref);
	else
		html_printf(out, "<span class=\"ref\">%s</span>", ref);
	html_printf(out, "</td><td>%s</td><td>", json_string_value(json_object_get(l, "title")));
	web__field_label(out, in ? lk : k, fname);
	buf_puts(out, "</td></tr>");
	buf_free(&url);
}

static void
web_record_links_table(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *links, const char *dir, const char *heading)
{
	const json_t *l;
	size_t i, n = 0;

	json_array_foreach(links, i, l) {
		const char *d = json_string_value(json_object_get(l, "direction"));
		bool in = d != NULL && strcmp(d, "in") == 0;

		if (strcmp(dir, in ? "in" : "out") != 0)
			continue;
		if (n++ == 0)
			html_printf(out, "<h3>%s</h3><div class=\"table-wrap\"><table><thead><tr>"
			    "<th scope=\"col\">Kind</th><th scope=\"col\">Ref</th>"
			    "<th scope=\"col\">Title</th><th scope=\"col\">Through</th></tr></thead>"
			    "<tbody>", heading);
		web_record_link_row(out, ctx, k, l, in);
	}
	if (n > 0)
		buf_puts(out, "</tbody></table></div>");
}

static void
web_record_links(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *links, bool evidence)
{
	html_printf(out, "<section class=\"card\" aria-labelledby=\"h-links\">"
	    "<h2 id=\"h-links\">%s</h2>", evidence ? "What this evidence supports" :
	    "Linked records");
	if (json_array_size(links) == 0) {
		buf_puts(out, "<p class=\"empty\">No linked records.</p></section>\n");
		return;
	}
	web_record_links_table(out, ctx, k, links, "out",
	    evidence ? "Supports" : "This record refers to");
	web_record_links_table(out, ctx, k, links, "in", "Referred to by");
	buf_puts(out, "</section>\n");
}

/* The members of one history entry the page shows, read in one pass (absent: p NULL). */
struct web_history_entry {
	struct jscan_value	 time, actor, by, action, version, changes, record;
};

static void
web_history_entry_read(struct web_history_entry *e, const struct jscan_value *h)
{
	struct {
		const char		*name;
		struct jscan_value	*at;
	} const members[] = {
		{ "time", &e->time }, { "actor", &e->actor }, { "by", &e->by },
		{ "action", &e->action }, { "version", &e->version }, { "changes", &e->changes },
		{ "record", &e->record },
	};
	struct jscan it;
	struct jscan_value key, val;
	size_t i;

	memset(e, 0, sizeof(*e));
	if (jscan_begin(&it, h) != 0)
		return;
	/* The last member of a name counts, as a tree keeps it. */
	while (jscan_next(&it, &key, &val) == 1)
		for (i = 0; i < sizeof(members) / sizeof(members[0]); i++)
			if (jscan_string_is(&key, members[i].name)) {
				*members[i].at = val;
				break;
			}
}

/* An integer, 0 when it is none (as json_integer_value() answers). */
static long long
web_record_int(const struct jscan_value *v)
{
	long long n = 0;

	if (v->p == NULL || jscan_int(&n, v) != 0)
		return 0;
	return n;
}

/* A member of a change, read in place (absent: p NULL). */
static struct jscan_value
web_record_member(const struct jscan_value *o, const char *name)
{
	struct jscan_value m = { 0 };

	if (jscan_member(&m, o, name) != 1)
		memset(&m, 0, sizeof(m));
	return m;
}

/* A string as text (s reset), or NULL when it is none. */
static const char *
web_record_str(struct buf *s, const struct jscan_value *v)
{
	return web__span_string(s, v) == 0 ? buf_str(s) : NULL;
}

/* One side of a change: its value, or "empty". */
static void
web_record_change_side(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const struct jscan_value *v)
{
	if (f != NULL && !(v->p != NULL && v->type == JSCAN_NULL))
		web__span_brief(out, ctx, f, v);
	else
		buf_puts(out, "<em>empty</em>");
}

/* What a version changed, field by field: "Label: old → new". */
static void
web_record_changes(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct jscan_value *changes)
{
	const struct field *f;
	struct jscan it;
	struct jscan_value c, name_v, from, to;
	struct buf field = BUF_INIT;
	const char *name;
	size_t n;

	if (changes->p == NULL || changes->type != JSCAN_ARRAY ||
	    jscan_count(&n, changes) != 0 || n == 0 || jscan_begin(&it, changes) != 0)
		return;
	buf_puts(out, "<ul class=\"changes\">");
	while (jscan_next(&it, NULL, &c) == 1) {
		name_v = web_record_member(&c, "field");
		name = web_record_str(&field, &name_v);
		f = web__field_find(k, name);
		buf_puts(out, "<li><span class=\"change-field\">");
		html_escape(out, f != NULL ? f->label : name);
		buf_puts(out, "</span>: <span class=\"change-from\">");
		from = web_record_member(&c, "from");
		web_record_change_side(out, ctx, f, &from);
		buf_puts(out, "</span> \xe2\x86\x92 <span class=\"change-to\">");
		to = web_record_member(&c, "to");
		web_record_change_side(out, ctx, f, &to);
		buf_puts(out, "</span></li>");
	}
	buf_puts(out, "</ul>");
	buf_free(&field);
}

/* An earlier approved version, every field as it was approved. */
static void
web_record_version_whole(struct buf *out, const struct web_ctx *ctx,
    const struct record_kind *k, const struct web_history_entry *h)
{
	struct jscan_value v;
	long long version = web_record_int(&h->version);
	const struct field *f;

	html_printf(out, "<tr class=\"approved-version\"><td colspan=\"5\"><details "
	    "id=\"version-%lld\"><summary>Version %lld as approved</summary>"
	    "<dl class=\"fields\">", version, version);
	for (f = k->fields; f->name != NULL; f++) {
		html_printf(out, "<div class=\"%s\"><dt>%s</dt><dd>",
		    f->type == FIELD_TEXT || f->type == FIELD_OBJECT_LIST || f->type == FIELD_OBJECT ?
		    "wide" : "", f->label);
		v = web_record_member(&h->record, f->name);
		web__span(out, ctx, f, &v);
		buf_puts(out, "</dd></div>");
	}
	buf_puts(out, "</dl></details></td></tr>");
}

/* A version made by approving the record, other than its current one. */
static bool
web_record_earlier_approved(const struct record_kind *k, const struct web_history_entry *h,
    const char *action, json_int_t current)
{
	const struct record_workflow *w = k->workflow;
	const struct record_step *s;

	if (w == NULL || w->approved == NULL || action == NULL ||
	    web_record_int(&h->version) == current)
		return false;
	for (s = w->steps; s->action != NULL; s++)
		if (strcmp(s->to, w->approved) == 0 && strcmp(s->action, action) == 0)
			return true;
	return false;
}

/*
 * The versions, newest first, at most history_max of them, read in place
 * from record_history_text()'s array: no version is parsed into a tree.
 */
static void
web_record_history(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *rec, const struct web_record_view *v)
{
	static const struct field when = { .type = FIELD_DATETIME };
	json_int_t current = json_integer_value(json_object_get(rec, "version"));
	struct buf by = BUF_INIT, action = BUF_INIT;
	struct web_history_entry e;
	struct jscan it;
	struct jscan_value h;
	const char *who, *what;
	size_t i;

	buf_puts(out, "<section class=\"card\" aria-labelledby=\"h-history\">"
	    "<h2 id=\"h-history\">History</h2>");
	if (v->history == NULL || v->history->type != JSCAN_ARRAY || v->history_max == 0 ||
	    jscan_begin(&it, v->history) != 0 || jscan_next(&it, NULL, &h) != 1) {
		buf_puts(out, "<p class=\"empty\">No recorded changes.</p></section>\n");
		return;
	}
	buf_puts(out, "<div class=\"table-wrap\"><table class=\"history\"><thead><tr>"
	    "<th scope=\"col\">When</th><th scope=\"col\">Who</th><th scope=\"col\">What</th>"
	    "<th scope=\"col\">Version</th><th scope=\"col\">Changes</th></tr></thead><tbody>");
	for (i = 0; i < v->history_max; i++) {
		if (i > 0 && jscan_next(&it, NULL, &h) != 1)
			break;
		web_history_entry_read(&e, &h);
		if ((who = web_record_str(&by, &e.by)) == NULL)
			who = web_actor(web_record_str(&by, &e.actor));
		what = web_record_str(&action, &e.action);
		buf_puts(out, "<tr><td>");
		web__span(out, ctx, &when, &e.time);
		html_printf(out, "</td><td>%s</td><td>", who);
		web_enum_label(out, what);
		html_printf(out, "</td><td>%lld</td><td>", web_record_int(&e.version));
		web_record_changes(out, ctx, k, &e.changes);
		buf_puts(out, "</td></tr>");
		if (web_record_earlier_approved(k, &e, what, current))
			web_record_version_whole(out, ctx, k, &e);
	}
	buf_puts(out, "</tbody></table></div></section>\n");
	buf_free(&by);
	buf_free(&action);
}

/* One chart's thresholds: the metric's warn and breach, an objective's target. */
static size_t
web_chart_thresholds(struct svg_threshold *th, const json_t *metric, const json_t *target)
{
	static const char *const names[] = { "warn", "breach" };
	const char *v;
	size_t i, n = 0;

	for (i = 0; i < 2; i++)
		if ((v = json_string_value(json_object_get(metric, names[i]))) != NULL)
			th[n++] = (struct svg_threshold){ names[i], strtod(v, NULL), names[i] };
	if (json_is_string(target))
		th[n++] = (struct svg_threshold){ "target", strtod(json_string_value(target), NULL),
		    "target" };
	return n;
}

static void
web_record_chart(struct buf *out, const struct web_ctx *ctx, const json_t *c, size_t idx)
{
	const json_t *m = json_object_get(c, "metric"), *series = json_object_get(c, "series");
	const json_t *pts = json_object_get(series, "points"), *p;
	const char *ref = json_string_value(json_object_get(m, "ref"));
	const char *unit = json_string_value(json_object_get(m, "unit"));
	struct svg_threshold th[SVG_THRESHOLDS_MAX];
	struct svg_point *points;
	struct buf title = BUF_INIT, url = BUF_INIT;
	char id[32];
	time_t from = 0, to = 0;
	size_t i, n = json_array_size(pts);

	points = calloc(n ? n : 1, sizeof(*points));
	json_array_foreach(pts, i, p) {
		time_t t = 0;

		clock_parse(&t, json_string_value(json_object_get(p, "at")));
		points[i] = (struct svg_point){ (long long)t,
		    json_number_value(json_object_get(p, "value")),
		    json_number_value(json_object_get(p, "min")),
		    json_number_value(json_object_get(p, "max")) };
	}
	clock_parse(&from, json_string_value(json_object_get(series, "from")));
	clock_parse(&to, json_string_value(json_object_get(series, "to")));
	buf_printf(&title, "%s %s%s%s%s", ref, json_string_value(json_object_get(m, "title")),
	    unit ? " (" : "", unit ? unit : "", unit ? ")" : "");
	snprintf(id, sizeof(id), "chart-%zu", idx);
	web_url_record(&url, ctx, "metrics", ref);
	html_printf(out, "<figure class=\"metric-chart\"><figcaption><a href=\"%s\">%s</a>",
	    buf_str(&url), buf_str(&title));
	if (json_is_true(json_object_get(series, "downsampled")))
		html_printf(out, " <span class=\"muted\">%lld readings, shown as %zu time "
		    "buckets</span>", (long long)json_integer_value(json_object_get(series, "count")),
		    n);
	buf_puts(out, "</figcaption>");
	svg_series(out, &(struct svg_series){ .id = id, .title = buf_str(&title),
	    .points = points, .n = n, .from = (long long)from, .to = (long long)to,
	    .thresholds = th, .nthresholds = web_chart_thresholds(th, m,
	    json_object_get(c, "target")),
	    .downsampled = json_is_true(json_object_get(series, "downsampled")), .tz = ctx->tz });
	buf_puts(out, "</figure>\n");
	free(points);
	buf_free(&title);
	buf_free(&url);
}

/* The monitoring section: range links, then one chart per metric. */
static void
web_record_charts(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *rec, const struct web_record_view *v)
{
	static const int ranges[] = WEB_CHART_RANGES;
	struct buf url = BUF_INIT;
	const json_t *c;
	size_t i;

	if (v->charts == NULL)
		return;
	buf_puts(out, "<section class=\"card\" id=\"monitoring\"><h2>Monitoring</h2>");
	if (json_array_size(v->charts) == 0) {
		buf_puts(out, "<p class=\"muted\">No metric measures this record yet.</p></section>\n");
		return;
	}
	buf_puts(out, "<p class=\"ranges\">Range:");
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		buf_reset(&url);
		web_url_record(&url, ctx, k->name, json_string_value(json_object_get(rec, "ref")));
		buf_printf(&url, "?range=%d#monitoring", ranges[i]);
		if (ranges[i] == v->range_days)
			html_printf(out, " <strong aria-current=\"true\">%d days</strong>", ranges[i]);
		else
			html_printf(out, " <a href=\"%s\">%d days</a>", buf_str(&url), ranges[i]);
	}
	buf_puts(out, "</p>");
	json_array_foreach(v->charts, i, c)
		web_record_chart(out, ctx, c, i);
	buf_puts(out, "</section>\n");
	buf_free(&url);
}

/*
 * Awareness (7.3): who acknowledged the approved version in force and who
 * has still to; the signed-in member acknowledges from here.
 */
static void
web_record_acks(struct buf *out, const struct web_ctx *ctx, const json_t *acks,
    const char *url)
{
	const json_t *version = json_object_get(acks, "version"), *a;
	const json_t *done = json_object_get(acks, "acknowledged");
	const json_t *pending = json_object_get(acks, "pending");
	bool mine = false;
	size_t i;

	html_printf(out, "<section class=\"card\" id=\"acknowledgements\" "
	    "aria-labelledby=\"h-acks\"><h2 id=\"h-acks\">Acknowledgements (7.3)</h2>");
	if (!json_is_integer(version)) {
		buf_puts(out, "<p class=\"empty\">No approved version is in force yet: members "
		    "acknowledge it once it is approved.</p></section>\n");
		return;
	}
	html_printf(out, "<p data-ack-summary>Version %lld is in force: %lld of %lld members "
	    "acknowledged it.</p>", (long long)json_integer_value(version),
	    (long long)json_array_size(done),
	    (long long)json_integer_value(json_object_get(acks, "members")));
	json_array_foreach(pending, i, a)
		if (ctx->user && strcasecmp(json_string_value(json_object_get(a, "email")),
		    ctx->user) == 0)
			mine = true;
	if (mine) {
		html_printf(out, "<form method=\"post\" action=\"%s/acknowledge\" "
		    "class=\"inline\">", url);
		web_csrf_input(out, ctx);
		html_printf(out, "<button type=\"submit\" class=\"btn primary\" "
		    "data-ack>I have read and acknowledge version %lld</button></form>",
		    (long long)json_integer_value(version));
	}
	buf_puts(out, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Member"
	    "</th><th scope=\"col\">E-mail</th><th scope=\"col\">Acknowledged</th></tr>"
	    "</thead><tbody>");
	json_array_foreach(done, i, a) {
		html_printf(out, "<tr data-acked><td>%s</td><td>%s</td><td>",
		    json_string_value(json_object_get(a, "name")) ?
		    json_string_value(json_object_get(a, "name")) : "",
		    json_string_value(json_object_get(a, "email")));
		web_time(out, ctx, json_string_value(json_object_get(a, "acknowledged_at")));
		buf_puts(out, "</td></tr>");
	}
	json_array_foreach(pending, i, a)
		html_printf(out, "<tr data-pending><td>%s</td><td>%s</td><td>not yet</td></tr>",
		    json_string_value(json_object_get(a, "name")) ?
		    json_string_value(json_object_get(a, "name")) : "",
		    json_string_value(json_object_get(a, "email")));
	buf_puts(out, "</tbody></table></div></section>\n");
}

/* The stages an AI system's life cycle records, in order (kind lifecycle-records). */
static const char *const web_lifecycle_stages[] = {
	"requirements", "design", "verification_validation", "deployment", "operation",
	"technical_documentation", "event_logs", NULL,
};

/* An AI system's life cycle (A.6.2): each stage with its records and their status. */
static void
web_record_lifecycle(struct buf *out, const struct web_ctx *ctx, const json_t *rec,
    const json_t *records)
{
	const char *ref = json_string_value(json_object_get(rec, "ref"));
	const struct record_kind *lk = web_kind_by_name(ctx, "lifecycle-records");
	struct buf url = BUF_INIT;
	const json_t *r;
	size_t s, i;

	if (lk == NULL)
		return;
	buf_puts(out, "<section class=\"card\" id=\"lifecycle\" aria-labelledby=\"h-lc\">"
	    "<h2 id=\"h-lc\">Life cycle (A.6.2)</h2><p class=\"help\">The system moves to "
	    "its deployment stage once its verification and validation and its deployment "
	    "plan are approved.</p><div class=\"table-wrap\"><table><thead><tr>"
	    "<th scope=\"col\">Stage</th><th scope=\"col\">Records</th></tr></thead><tbody>");
	for (s = 0; web_lifecycle_stages[s]; s++) {
		size_t n = 0;

		html_printf(out, "<tr data-stage=\"%s\"><th scope=\"row\">%s</th><td>",
		    web_lifecycle_stages[s], lifecycle_stage_label(web_lifecycle_stages[s]));
		json_array_foreach(records, i, r) {
			const char *st = json_string_value(json_object_get(r, "stage"));
			const char *rref = json_string_value(json_object_get(r, "ref"));

			if (st == NULL || strcmp(st, web_lifecycle_stages[s]) != 0)
				continue;
			buf_reset(&url);
			web_url_record(&url, ctx, lk->name, rref ? rref : "");
			html_printf(out, "%s<a class=\"ref\" href=\"%s\">%s</a> %s "
			    "<span class=\"badge\">%s</span>", n++ ? "<br>" : "", buf_str(&url),
			    rref, web_record_title(lk, r),
			    json_string_value(json_object_get(r, "status")) ?
			    json_string_value(json_object_get(r, "status")) : "");
		}
		if (n == 0)
			buf_puts(out, "<span class=\"empty\" data-missing>none recorded</span>");
		buf_puts(out, "</td></tr>");
	}
	buf_puts(out, "</tbody></table></div>");
	if (web_can(ctx, WEB_ACT_CREATE, lk)) {
		buf_reset(&url);
		web_url_kind(&url, ctx, lk->name);
		html_printf(out, "<p><a class=\"btn\" href=\"%s/new?ai_system=%s\">Add a "
		    "life-cycle record</a></p>", buf_str(&url), ref ? ref : "");
	}
	buf_puts(out, "</section>\n");
	buf_free(&url);
}

/* One comment: who and when, the step a reviewer's note went with, the text. */
static void
web_record_comment(struct buf *out, const struct web_ctx *ctx, const json_t *c)
{
	static const struct field when = { .type = FIELD_DATETIME };
	const char *step = json_string_value(json_object_get(c, "step"));
	const json_t *m;
	size_t i;

	html_printf(out, "<li id=\"comment-%lld\"><p class=\"comment-meta\"><span class=\"who\">"
	    "%s</span> \xc2\xb7 ", (long long)json_integer_value(json_object_get(c, "id")),
	    json_string_value(json_object_get(c, "author")));
	web_value(out, ctx, &when, json_object_get(c, "created_at"));
	if (step != NULL) {
		buf_puts(out, " \xc2\xb7 <span class=\"comment-step\">Note with ");
		web_enum_label(out, step);
		html_printf(out, " (version %lld)</span>",
		    (long long)json_integer_value(json_object_get(c, "version")));
	}
	buf_puts(out, "</p><div class=\"md\">");
	html_markdown_UNSAFE_OK(out, json_string_value(json_object_get(c, "body")));
	buf_puts(out, "</div>");
	if (json_array_size(json_object_get(c, "mentions")) > 0) {
		buf_puts(out, "<p class=\"help\">Mentions: ");
		json_array_foreach(json_object_get(c, "mentions"), i, m)
			html_printf(out, "%s%s", i ? ", " : "", json_string_value(m));
		buf_puts(out, "</p>");
	}
	buf_puts(out, "</li>");
}

/* The record's comments, oldest first, and the form to add one for who may. */
static void
web_record_comments(struct buf *out, const struct web_ctx *ctx, const json_t *comments,
    const char *url)
{
	const json_t *c;
	size_t i;

	html_printf(out, "<section class=\"card comments\" id=\"comments\" "
	    "aria-labelledby=\"h-comments\"><h2 id=\"h-comments\">Comments <span "
	    "class=\"count\">%zu</span></h2>", json_array_size(comments));
	if (json_array_size(comments) == 0)
		buf_puts(out, "<p class=\"empty\">No comments yet.</p>");
	else {
		buf_puts(out, "<ol>");
		json_array_foreach(comments, i, c)
			web_record_comment(out, ctx, c);
		buf_puts(out, "</ol>");
	}
	if (ctx->may_comment) {
		html_printf(out, "<form method=\"post\" action=\"%s/comments\" "
		    "class=\"comment-form\">", url);
		web_csrf_input(out, ctx);
		html_printf(out, "<div class=\"field\"><label for=\"comment-body\">Add a comment"
		    "</label><textarea id=\"comment-body\" name=\"" WEB_COMMENT_FIELD "\" "
		    "rows=\"3\" maxlength=\"%d\" required aria-describedby=\"comment-help\">"
		    "</textarea><p class=\"help\" id=\"comment-help\">Markdown. Mention a member "
		    "with @ and their e-mail address (@ann@example.com). Comments are kept in the "
		    "audit trail and never changed.</p></div><div class=\"form-actions\"><button "
		    "type=\"submit\" class=\"btn\">Comment</button></div></form>", WEB_COMMENT_MAX);
	}
	buf_puts(out, "</section>\n");
}

void
web_page_record(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_record_view *v)
{
	const char *ref = json_string_value(json_object_get(v->record, "ref"));
	const char *title = web_record_title(k, v->record);
	bool evidence = k->files;
	struct buf url = BUF_INIT, list = BUF_INIT;
	struct web_crumb crumbs[2];

	web_url_kind(&list, ctx, k->name);
	web_url_record(&url, ctx, k->name, ref != NULL ? ref : "");
	crumbs[0] = (struct web_crumb){ k->plural, buf_str(&list) };
	crumbs[1] = (struct web_crumb){ ref != NULL ? ref : k->singular, NULL };
	web_page_begin(out, ctx, title, k->name, crumbs, k->singleton ? 0 : 2);
	html_printf(out, "<div class=\"page-head\"><h1><span class=\"ref\">%s</span> %s</h1>",
	    ref, strcmp(title, ref ? ref : "") != 0 ? title : k->singular);
	web_record_actions(out, ctx, k, v->record, v->steps, buf_str(&url));
	buf_puts(out, "</div>\n");
	web_record_meta(out, ctx, v->record);
	web_record_deadline(out, ctx, k, v->record);
	web_workflow_in_force(out, ctx, k, v->record, v->in_force);
	if (evidence)
		web_record_evidence(out, ctx, v, buf_str(&url));
	if (v->acks != NULL)
		web_record_acks(out, ctx, v->acks, buf_str(&url));
	web_record_fields(out, ctx, k, v->record);
	web_record_charts(out, ctx, k, v->record, v);
	if (v->lifecycle != NULL)
		web_record_lifecycle(out, ctx, v->record, v->lifecycle);
	web_record_links(out, ctx, k, v->links, evidence);
	if (v->comments != NULL)
		web_record_comments(out, ctx, v->comments, buf_str(&url));
	web_record_history(out, ctx, k, v->record, v);
	web_page_end(out, ctx);
	buf_free(&url);
	buf_free(&list);
}
