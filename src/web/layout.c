/*
 * layout.c - the page shell: head, header with the organisation switcher
 * and the signed-in user, navigation generated from the record kinds in
 * the order of the standard, breadcrumbs, the flash message and the
 * landmarks (skip link, <nav>, <main>).
 */
#include <stdio.h>
#include <string.h>

#include "core/record.h"
#include "core/role.h"
#include "util/buf.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

#define WEB_APP_NAME	"OpenAIMS"

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
	html_printf(out, "\n<a class=\"nav-open\" href=\"#nav\">");
	web_icon(out, "menu");
	html_printf(out, "Menu</a>\n<div class=\"user\"><a class=\"who\" href=\""
	    WEB_PASSWORD_PATH "\" title=\"Change your password\">%s</a> "
	    "<span class=\"role\">%s</span>\n<form method=\"post\" action=\"/sign-out\">",
	    ctx->user, role_name(ctx->role));
	web_csrf_input(out, ctx);
	html_printf(out, "<button type=\"submit\" class=\"btn quiet\">Sign out</button>"
	    "</form></div>\n</header>\n");
	buf_free(&home);
}

/*
 * The navigation, in the order of the standard. A kind not named here is
 * listed after these, under its own section, so that a new kind is never
 * left out. "@ai-policy" is the documents list filtered to the AI policy.
 */
#define WEB_NAV_PER_SECTION	8
static const struct {
	const char	*section;
	const char	*kinds[WEB_NAV_PER_SECTION];
} web_nav_sections[] = {
	{ "Context", { "scope", "context-issues", "interested-parties" } },
	{ "Leadership", { "@ai-policy", "documents", "responsibilities" } },
	{ "Planning", { "ai-systems", "suppliers", "risk-criteria", "risks",
	    "impact-assessments", "soa" } },
	{ "Support & operation", { "measures", "evidence" } },
};
#define WEB_AI_POLICY_FILTER	"is_ai_policy"

static const struct record_kind *
web_nav_kind(const struct web_ctx *ctx, const char *name)
{
	size_t i;

	for (i = 0; ctx->kinds != NULL && ctx->kinds[i] != NULL &&
	    ctx->kinds[i]->name != NULL; i++)
		if (strcmp(ctx->kinds[i]->name, name) == 0)
			return ctx->kinds[i];
	return NULL;
}

const char *
web__nav_section(const char *kind, int *position)
{
	size_t s, i;
	int n = 0;

	for (s = 0; s < sizeof(web_nav_sections) / sizeof(web_nav_sections[0]); s++)
		for (i = 0; i < WEB_NAV_PER_SECTION && web_nav_sections[s].kinds[i] != NULL; i++) {
			if (kind != NULL && strcmp(web_nav_sections[s].kinds[i], kind) == 0) {
				*position = n;
				return web_nav_sections[s].section;
			}
			n++;
		}
	*position = -1;
	return NULL;
}

static bool
web_nav_listed(const char *name)
{
	int pos;

	return web__nav_section(name, &pos) != NULL;
}

/* "g" then this key follows the link (app.js). */
static const struct {
	const char	*path;
	const char	*key;
} web_nav_keys[] = {
	{ "/", "d" }, { "/soa", "s" }, { "/risks", "r" }, { "/ai-systems", "a" },
	{ "/evidence", "e" }, { "/documents", "p" },
};

static void
web_nav_link(struct buf *out, const struct web_ctx *ctx, const char *path,
    const char *label, const char *clause, bool current)
{
	struct buf url = BUF_INIT;
	size_t i;

	web_url_org(&url, ctx);
	buf_puts(&url, path);
	html_printf(out, "<li><a href=\"%s\"", buf_str(&url));
	html_attr_if(out, current, "aria-current", "page");
	for (i = 0; i < sizeof(web_nav_keys) / sizeof(web_nav_keys[0]); i++)
		if (strcmp(path, web_nav_keys[i].path) == 0)
			html_printf(out, " data-key=\"%s\"", web_nav_keys[i].key);
	buf_puts(out, ">");
	web_label(out, label);
	if (clause != NULL)
		html_printf(out, " <span class=\"clause\">%s</span>", clause);
	buf_puts(out, "</a></li>\n");
	buf_free(&url);
}

static void
web_nav_entry(struct buf *out, const struct web_ctx *ctx, const char *name, const char *active)
{
	const struct record_kind *k;
	char path[128];

	if (strcmp(name, "@ai-policy") == 0) {
		k = web_nav_kind(ctx, "documents");
		if (k != NULL && web__field_find(k, WEB_AI_POLICY_FILTER) != NULL)
			web_nav_link(out, ctx, "/documents?" WEB_AI_POLICY_FILTER "=true",
			    "AI policy", "5.2", false);
		return;
	}
	if ((k = web_nav_kind(ctx, name)) == NULL && strcmp(name, "soa") != 0)
		return;
	snprintf(path, sizeof(path), "/%s", name);
	web_nav_link(out, ctx, path, strcmp(name, "soa") == 0 ? "Statement of Applicability" :
	    k->plural, k != NULL ? k->clause : "6.1.3", strcmp(active, name) == 0);
}

static void
web_nav(struct buf *out, const struct web_ctx *ctx, const char *active)
{
	const struct record_kind *k;
	const char *section = NULL;
	char path[128];
	size_t s, i;

	html_printf(out, "<nav id=\"nav\" class=\"side\" aria-label=\"Main\">\n"
	    "<a class=\"nav-close\" href=\"#\">Close menu</a>\n<ul>\n");
	web_nav_link(out, ctx, "/", "Dashboard", NULL, strcmp(active, "dashboard") == 0);
	web_nav_link(out, ctx, "/readiness", "Readiness", NULL, strcmp(active, "readiness") == 0);
	web_nav_link(out, ctx, "/members", "Members", NULL, strcmp(active, "members") == 0);
	buf_puts(out, "</ul>\n");
	for (s = 0; s < sizeof(web_nav_sections) / sizeof(web_nav_sections[0]); s++) {
		html_printf(out, "<h2>%s</h2>\n<ul>\n", web_nav_sections[s].section);
		for (i = 0; i < WEB_NAV_PER_SECTION && web_nav_sections[s].kinds[i] != NULL; i++)
			web_nav_entry(out, ctx, web_nav_sections[s].kinds[i], active);
		buf_puts(out, "</ul>\n");
	}
	for (i = 0; ctx->kinds != NULL && (k = ctx->kinds[i]) != NULL && k->name != NULL; i++) {
		if (web_nav_listed(k->name))
			continue;
		if (section == NULL || strcmp(section, k->section ? k->section : "") != 0) {
			if (section != NULL)
				buf_puts(out, "</ul>\n");
			section = k->section ? k->section : "";
			html_printf(out, "<h2>%s</h2>\n<ul>\n", section);
		}
		snprintf(path, sizeof(path), "/%s", k->name);
		web_nav_link(out, ctx, path, k->plural, k->clause, strcmp(active, k->name) == 0);
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
	(void)ctx;
	buf_puts(out, "</main>\n</div>\n<footer class=\"foot\"><p>" WEB_APP_NAME
	    " \xc2\xb7 AI management system (ISO/IEC 42001)</p>\n"
	    "<details id=\"shortcuts\"><summary>Keyboard shortcuts</summary><dl>"
	    "<dt><kbd>/</kbd></dt><dd>Search this list</dd>"
	    "<dt><kbd>g</kbd> <kbd>d</kbd></dt><dd>Dashboard</dd>"
	    "<dt><kbd>g</kbd> <kbd>s</kbd></dt><dd>Statement of Applicability</dd>"
	    "<dt><kbd>g</kbd> <kbd>r</kbd></dt><dd>Risks</dd>"
	    "<dt><kbd>g</kbd> <kbd>a</kbd></dt><dd>AI systems</dd>"
	    "<dt><kbd>g</kbd> <kbd>e</kbd></dt><dd>Evidence</dd>"
	    "<dt><kbd>g</kbd> <kbd>p</kbd></dt><dd>Documents and policy</dd>"
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
