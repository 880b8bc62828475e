/*
 * layout.c - the page shell: head, header with the organisation switcher
 * and the signed-in user, navigation generated from the record kinds in
 * the order of the standard, breadcrumbs, the flash message and the
 * landmarks (skip link, <nav>, <main>).
 */
#include <stdio.h>
#include <string.h>

#include "core/perm.h"
#include "core/record.h"
#include "core/role.h"
#include "util/buf.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

#define WEB_APP_NAME	"OpenAIMS"
#define WEB_NAV_KEY_DASHBOARD	'd'	/* "g" then d: the dashboard */

bool
web_can(const struct web_ctx *ctx, enum web_action act, const struct record_kind *k)
{
	return ctx != NULL && ctx->can != NULL && ctx->can(ctx, act, k);
}

void
web_url_org(struct buf *out, const struct web_ctx *ctx)
{
	buf_puts(out, "/o/");
	html_url_escape(out, ctx->org);
}

void
web_url_kind(struct buf *out, const struct web_ctx *ctx, const char *kind)
{
	web_url_org(out, ctx);
	buf_putc(out, '/');
	html_url_escape(out, kind);
}

void
web_url_record(struct buf *out, const struct web_ctx *ctx, const char *kind, const char *ref)
{
	web_url_kind(out, ctx, kind);
	buf_putc(out, '/');
	html_url_escape(out, ref);
}

void
web_csrf_input(struct buf *out, const struct web_ctx *ctx)
{
	html_printf(out, "<input type=\"hidden\" name=\"" WEB_CSRF_FIELD "\" value=\"%s\">",
	    ctx != NULL && ctx->csrf != NULL ? ctx->csrf : "");
}

void
web_icon(struct buf *out, const char *name)
{
	struct buf url = BUF_INIT;

	web_asset_url(&url, "icons.svg");
	buf_puts(&url, "#i-");
	buf_puts(&url, name);
	html_printf(out, "<svg class=\"icon\" aria-hidden=\"true\" focusable=\"false\">"
	    "<use href=\"%s\"></use></svg>", buf_str(&url));
	buf_free(&url);
}

static void
web_head(struct buf *out, const char *title, const char *org_name)
{
	struct buf css = BUF_INIT, js = BUF_INIT, icon = BUF_INIT;

	web_asset_url(&css, "app.css");
	web_asset_url(&js, "app.js");
	web_asset_url(&icon, "favicon.svg");
	html_printf(out, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<title>");
	web_label(out, title);
	if (org_name != NULL)
		html_printf(out, " \xc2\xb7 %s", org_name);
	html_printf(out, " \xc2\xb7 " WEB_APP_NAME "</title>\n"
	    "<link rel=\"stylesheet\" href=\"%s\">\n"
	    "<link rel=\"icon\" type=\"image/svg+xml\" href=\"%s\">\n"
	    "<script src=\"%s\" defer></script>\n</head>\n",
	    buf_str(&css), buf_str(&icon), buf_str(&js));
	buf_free(&css);
	buf_free(&js);
	buf_free(&icon);
}

static void
web_org_switcher(struct buf *out, const struct web_ctx *ctx)
{
	size_t i;

	if (ctx->norgs < 2) {
		html_printf(out, "<span class=\"org\">%s</span>", ctx->org_name);
		return;
	}
	html_printf(out, "<details class=\"menu org\"><summary>"
	    "<span class=\"sr\">Organisation: </span>%s</summary><ul>", ctx->org_name);
	for (i = 0; i < ctx->norgs; i++) {
		buf_puts(out, "<li><a href=\"/o/");
		html_url_escape(out, ctx->orgs[i].slug);
		buf_puts(out, "/\"");
		html_attr_if(out, strcmp(ctx->orgs[i].slug, ctx->org) == 0, "aria-current", "true");
		html_printf(out, ">%s</a></li>", ctx->orgs[i].name);
	}
	buf_puts(out, "</ul></details>");
}

static void
web_header(struct buf *out, const struct web_ctx *ctx)
{
	struct buf home = BUF_INIT;

	web_url_org(&home, ctx);
	html_printf(out, "<header class=\"top\">\n<a class=\"brand\" href=\"%s/\">"
	    WEB_APP_NAME "</a>\n", buf_str(&home));
	web_org_switcher(out, ctx);
	/* Every kind at once; a list's own search box narrows to one. */
	html_printf(out, "\n<form class=\"find\" method=\"get\" action=\"%s/search\" "
	    "role=\"search\"><label for=\"find-q\" class=\"sr\">Search all records</label>"
	    "<input type=\"search\" id=\"find-q\" name=\"q\" placeholder=\"Search all records\" "
	    "maxlength=\"%d\" value=\"%s\"><button type=\"submit\" class=\"btn quiet\">Search"
	    "</button></form>", buf_str(&home), WEB_SEARCH_Q_MAX,
	    ctx->search != NULL ? ctx->search : "");
	html_printf(out, "\n<a class=\"nav-open\" href=\"#nav\">");
	web_icon(out, "menu");
	html_printf(out, "Menu</a>\n<div class=\"user\"><a class=\"bell\" href=\"%s/notifications\" "
	    "data-unread=\"%lld\" title=\"Notifications\">", buf_str(&home), (long long)ctx->unread);
	web_icon(out, "bell");
	if (ctx->unread > 0)
		html_printf(out, "<span class=\"badge\">%lld</span><span class=\"sr\"> unread "
		    "notifications</span>", (long long)ctx->unread);
	else
		buf_puts(out, "<span class=\"sr\">Notifications</span>");
	html_printf(out, "</a> <a class=\"who\" href=\"/account\" "
	    "title=\"Your account: password and sessions\">%s</a> "
	    "<span class=\"role\">%s</span>\n<form method=\"post\" action=\"/sign-out\">",
	    ctx->user, role_name(ctx->role));
	web_csrf_input(out, ctx);
	html_printf(out, "<button type=\"submit\" class=\"btn quiet\">Sign out</button>"
	    "</form></div>\n</header>\n");
	buf_free(&home);
}

/*
 * The navigation: the kinds the context lists (record_kinds[] order, the
 * standard's) under their declared sections, each with its declared label,
 * clause, filtered view and "g" key. Nothing here names a kind.
 */
static void
web_nav_link(struct buf *out, const struct web_ctx *ctx, const char *path,
    const struct record_nav_view *view, const char *label, const char *clause, char key,
    bool current)
{
	struct buf url = BUF_INIT;

	web_url_org(&url, ctx);
	buf_puts(&url, path);
	if (view != NULL)
		html_url_query(&url, view->filter, view->value);
	html_printf(out, "<li><a href=\"%s\"", buf_str(&url));
	html_attr_if(out, current, "aria-current", "page");
	if (key != 0)
		html_printf(out, " data-key=\"%c\"", key);
	buf_puts(out, ">");
	web_label(out, label);
	if (clause != NULL)
		html_printf(out, " <span class=\"clause\">%s</span>", clause);
	buf_puts(out, "</a></li>\n");
	buf_free(&url);
}

static void
web_nav_entry(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const char *active)
{
	const struct record_nav_view *v = k->nav_view;
	char path[128];

	snprintf(path, sizeof(path), "/%s", k->name);
	if (v != NULL)
		web_nav_link(out, ctx, path, v, v->label, v->clause, 0, false);
	web_nav_link(out, ctx, path, NULL, record_kind_nav_label(k), k->clause, k->nav_key,
	    strcmp(active, k->name) == 0);
}

static void
web_nav(struct buf *out, const struct web_ctx *ctx, const char *active)
{
	const struct record_kind *k;
	const char *section = NULL;
	size_t i;

	html_printf(out, "<nav id=\"nav\" class=\"side\" aria-label=\"Main\">\n"
	    "<a class=\"nav-close\" href=\"#\">Close menu</a>\n<ul>\n");
	web_nav_link(out, ctx, "/", NULL, "Dashboard", NULL, WEB_NAV_KEY_DASHBOARD,
	    strcmp(active, "dashboard") == 0);
	web_nav_link(out, ctx, "/readiness", NULL, "Readiness", NULL, 0,
	    strcmp(active, "readiness") == 0);
	web_nav_link(out, ctx, "/my-work", NULL, "My work", NULL, 0,
	    strcmp(active, "my-work") == 0);
	web_nav_link(out, ctx, "/calendar", NULL, "Calendar", NULL, 0,
	    strcmp(active, "calendar") == 0);
	web_nav_link(out, ctx, "/coverage", NULL, "Crosswalks", NULL, 0,
	    strcmp(active, "coverage") == 0);
	web_nav_link(out, ctx, "/my-audits", NULL, "My audits", NULL, 0,
	    strcmp(active, "my-audits") == 0);
	web_nav_link(out, ctx, "/members", NULL, "Members", NULL, 0,
	    strcmp(active, "members") == 0);
	web_nav_link(out, ctx, "/pack", NULL, "Audit pack", NULL, 0,
	    strcmp(active, "pack") == 0);
	web_nav_link(out, ctx, "/settings", NULL, "Settings", NULL, 0,
	    strcmp(active, "settings") == 0);
	if (perm_allows(ctx->role, PERM_READ, PERM_KIND_TOKEN))
		web_nav_link(out, ctx, "/tokens", NULL, "API tokens", NULL, 0,
		    strcmp(active, "tokens") == 0);
	buf_puts(out, "</ul>\n");
	for (i = 0; ctx->kinds != NULL && (k = ctx->kinds[i]) != NULL && k->name != NULL; i++) {
		if (section == NULL || strcmp(section, k->section) != 0) {
			if (section != NULL)
				buf_puts(out, "</ul>\n");
			section = k->section;
			html_printf(out, "<h2>%s</h2>\n<ul>\n", section);
		}
		web_nav_entry(out, ctx, k, active);
	}
	if (section != NULL)
		buf_puts(out, "</ul>\n");
	buf_puts(out, "</nav>\n");
}

static void
web_crumbs(struct buf *out, const struct web_ctx *ctx, const struct web_crumb *crumbs,
    size_t n)
{
	struct buf home = BUF_INIT;
	size_t i;

	if (n == 0)
		return;
	web_url_org(&home, ctx);
	html_printf(out, "<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><ol>"
	    "<li><a href=\"%s/\">%s</a></li>", buf_str(&home), ctx->org_name);
	for (i = 0; i < n; i++) {
		if (crumbs[i].href != NULL)
			html_printf(out, "<li><a href=\"%s\">", html_safe_url(crumbs[i].href));
		else
			buf_puts(out, "<li aria-current=\"page\">");
		web_label(out, crumbs[i].label);
		buf_puts(out, crumbs[i].href != NULL ? "</a></li>" : "</li>");
	}
	buf_puts(out, "</ol></nav>\n");
	buf_free(&home);
}

static void
web_flash(struct buf *out, const struct web_ctx *ctx)
{
	if (ctx->flash == NULL || ctx->flash_kind == WEB_FLASH_NONE)
		return;
	if (ctx->flash_kind == WEB_FLASH_ERROR)
		html_printf(out, "<div class=\"flash error\" role=\"alert\">%s</div>\n", ctx->flash);
	else
		html_printf(out, "<div class=\"flash ok\" role=\"status\">%s</div>\n", ctx->flash);
}

void
web_page_begin(struct buf *out, const struct web_ctx *ctx, const char *title,
    const char *active, const struct web_crumb *crumbs, size_t ncrumbs)
{
	web_head(out, title, ctx->org_name);
	html_printf(out, "<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n");
	web_header(out, ctx);
	buf_puts(out, "<div class=\"shell\">\n");
	web_nav(out, ctx, active != NULL ? active : "");
	buf_puts(out, "<main id=\"main\" tabindex=\"-1\">\n");
	web_crumbs(out, ctx, crumbs, ncrumbs);
	web_flash(out, ctx);
}

void
web_page_end(struct buf *out, const struct web_ctx *ctx)
{
	const struct record_kind *k;
	size_t i;

	html_printf(out, "</main>\n</div>\n<footer class=\"foot\"><p>" WEB_APP_NAME
	    " \xc2\xb7 AI management system (ISO/IEC 42001)</p>\n"
	    "<details id=\"shortcuts\"><summary>Keyboard shortcuts</summary><dl>"
	    "<dt><kbd>/</kbd></dt><dd>Search this list</dd>"
	    "<dt><kbd>g</kbd> <kbd>%c</kbd></dt><dd>Dashboard</dd>", WEB_NAV_KEY_DASHBOARD);
	for (i = 0; ctx->kinds != NULL && (k = ctx->kinds[i]) != NULL && k->name != NULL; i++)
		if (k->nav_key != 0) {
			html_printf(out, "<dt><kbd>g</kbd> <kbd>%c</kbd></dt><dd>", k->nav_key);
			web_label(out, record_kind_nav_label(k));
			buf_puts(out, "</dd>");
		}
	buf_puts(out,
	    "<dt><kbd>n</kbd></dt><dd>New record (on a list)</dd>"
	    "<dt><kbd>e</kbd></dt><dd>Edit (on a record)</dd>"
	    "<dt><kbd>?</kbd></dt><dd>Show these shortcuts</dd>"
	    "</dl></details>\n</footer>\n</body>\n</html>\n");
}

void
web_page_begin_bare(struct buf *out, const char *title)
{
	web_head(out, title, NULL);
	html_printf(out, "<body class=\"bare\">\n<a class=\"skip\" href=\"#main\">"
	    "Skip to content</a>\n<main id=\"main\" tabindex=\"-1\">\n");
}

void
web_page_end_bare(struct buf *out)
{
	buf_puts(out, "</main>\n</body>\n</html>\n");
}
