/*
 * page_work.c - "My work" (a person's tasks and the due dates of the
 * records they own, the sign-offs waiting for them, what they assigned to
 * others) and the certification calendar (external audits with the
 * internal audits and management reviews to hold before each), drawn from
 * core/work.h's answers.
 */
#include <string.h>

#include "core/perm.h"
#include "core/webhook.h"
#include "web/html.h"
#include "web/web.h"

static const char *
pw_str(const json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));

	return s != NULL ? s : "";
}

static void
pw_ref(struct buf *out, const struct web_ctx *ctx, const json_t *it)
{
	struct buf url = BUF_INIT;

	web_url_record(&url, ctx, pw_str(it, "kind"), pw_str(it, "ref"));
	html_printf(out, "<a class=\"ref\" href=\"%s\">%s</a> %s", buf_str(&url),
	    pw_str(it, "ref"), pw_str(it, "title"));
	buf_free(&url);
}

/* One group of items as a table; id names it for links and tests. */
static void
pw_group(struct buf *out, const struct web_ctx *ctx, const json_t *w, const char *name,
    const char *heading, const char *empty, bool with_owner)
{
	const json_t *g = json_object_get(w, name), *it;
	long long n = (long long)json_integer_value(json_object_get(g, "count"));
	size_t i;

	html_printf(out, "<section class=\"card\" id=\"w-%s\" aria-labelledby=\"h-%s\">"
	    "<h2 id=\"h-%s\">%s <span class=\"count\" data-count>%lld%s</span></h2>\n", name,
	    name, name, heading, n, json_is_true(json_object_get(g, "more")) ? "+" : "");
	if (json_array_size(json_object_get(g, "items")) == 0) {
		html_printf(out, "<p class=\"empty\">%s</p></section>\n", empty);
		return;
	}
	buf_puts(out, "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
	    "<th scope=\"col\">Due</th><th scope=\"col\">What</th><th scope=\"col\">Record</th>");
	if (with_owner)
		buf_puts(out, "<th scope=\"col\">Owner</th>");
	buf_puts(out, "</tr></thead><tbody>\n");
	json_array_foreach(json_object_get(g, "items"), i, it) {
		html_printf(out, "<tr><td><time datetime=\"%s\">%s</time></td><td>", pw_str(it, "due"),
		    pw_str(it, "due"));
		web_label(out, pw_str(it, "what"));
		buf_puts(out, "</td><td>");
		pw_ref(out, ctx, it);
		if (with_owner)
			html_printf(out, "</td><td>%s", pw_str(it, "owner"));
		buf_puts(out, "</td></tr>\n");
	}
	buf_puts(out, "</tbody></table></div>\n");
	if ((size_t)n > json_array_size(json_object_get(g, "items")))
		html_printf(out, "<p class=\"more\">The first %zu of %lld%s are listed, nearest "
		    "first.</p>\n", json_array_size(json_object_get(g, "items")), n,
		    json_is_true(json_object_get(g, "more")) ? " or more" : "");
	buf_puts(out, "</section>\n");
}

/* The person's mail choice and calendar feeds, on their own work page. */
static void
pw_settings(struct buf *out, const struct web_ctx *ctx, const json_t *set)
{
	static const struct { const char *value, *label; } choices[] = {
		{ "immediate", "A mail for each assignment and sign-off request" },
		{ "digest", "One mail a day with my work" },
		{ "none", "No mail (the bell only)" },
	};
	const char *mail = pw_str(set, "mail"), *url = pw_str(set, "new_url");
	struct buf base = BUF_INIT;
	const json_t *f;
	size_t i;

	web_url_org(&base, ctx);
	html_printf(out, "<section class=\"card\" id=\"w-settings\" aria-labelledby=\"h-settings\">"
	    "<h2 id=\"h-settings\">Notifications and calendar</h2>\n"
	    "<form method=\"post\" action=\"%s/my-work/mail\"><fieldset><legend>Mail</legend>",
	    buf_str(&base));
	web_csrf_input(out, ctx);
	for (i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		html_printf(out, "<label><input type=\"radio\" name=\"mail\" value=\"%s\"",
		    choices[i].value);
		html_attr_if(out, strcmp(mail, choices[i].value) == 0, "checked", "checked");
		html_printf(out, "> %s</label><br>\n", choices[i].label);
	}
	buf_puts(out, "<button type=\"submit\" class=\"btn\">Save</button></fieldset></form>\n");
	if (*url != '\0')
		html_printf(out, "<p class=\"ok\" data-feed-url>Your new calendar feed: "
		    "<a class=\"feed-url\" href=\"%s\">%s</a><br>Copy the link's address now into "
		    "your calendar application (subscribe by URL): it is not shown again. Anyone "
		    "with it can read the calendar; revoke it when it leaks.</p>\n", url, url);
	buf_puts(out, "<h3>Calendar feeds</h3>");
	if (json_array_size(json_object_get(set, "feeds")) == 0)
		buf_puts(out, "<p class=\"empty\">No calendar feed.</p>");
	else {
		buf_puts(out, "<ul class=\"due-list\">");
		json_array_foreach(json_object_get(set, "feeds"), i, f) {
			html_printf(out, "<li>%s, made ", strcmp(pw_str(f, "scope"), "org") == 0 ?
			    "Certification calendar" : "My work");
			web_time(out, ctx, pw_str(f, "created_at"));
			html_printf(out, " <form method=\"post\" class=\"inline\" "
			    "action=\"%s/my-work/feeds/%lld/revoke\">", buf_str(&base),
			    (long long)json_integer_value(json_object_get(f, "id")));
			web_csrf_input(out, ctx);
			buf_puts(out, "<button type=\"submit\" class=\"btn quiet\">Revoke</button>"
			    "</form></li>\n");
		}
		buf_puts(out, "</ul>");
	}
	html_printf(out, "<form method=\"post\" action=\"%s/my-work/feeds\">", buf_str(&base));
	web_csrf_input(out, ctx);
	buf_puts(out, "<label>New feed of <select name=\"scope\"><option value=\"me\">my work"
	    "</option><option value=\"org\">the certification calendar</option></select></label> "
	    "<button type=\"submit\" class=\"btn\">Make a feed</button></form>");
	if (perm_allows(ctx->role, PERM_ADMIN, PERM_KIND_ORG))
		html_printf(out, "<p><a class=\"btn quiet\" href=\"%s/webhooks\">The organisation's webhooks</a></p>",
		    buf_str(&base));
	buf_puts(out, "</section>\n");
	buf_free(&base);
}

void
web_page_my_work(struct buf *out, const struct web_ctx *ctx, const json_t *w,
    const json_t *settings)
{
	const struct web_crumb crumbs[] = { { "My work", NULL } };
	const json_t *ap = json_object_get(json_object_get(w, "approvals"), "items"), *it;
	struct buf url = BUF_INIT;
	size_t i;

	web_page_begin(out, ctx, "My work", "my-work", crumbs, 1);
	html_printf(out, "<div class=\"page-head\"><h1>My work</h1>");
	web_url_kind(&url, ctx, "tasks");
	if (web_can(ctx, WEB_ACT_CREATE, record_kind_find("tasks")))
		html_printf(out, "<a class=\"btn\" href=\"%s/new\">New task</a>", buf_str(&url));
	html_printf(out, "</div>\n<p class=\"lede\">Your tasks and the due dates of the records "
	    "you own, on %s.</p>\n", pw_str(w, "today"));
	pw_group(out, ctx, w, "overdue", "Overdue", "Nothing overdue.", false);
	pw_group(out, ctx, w, "this_week", "Due this week", "Nothing due this week.", false);
	html_printf(out, "<section class=\"card\" id=\"w-approvals\" aria-labelledby="
	    "\"h-approvals\"><h2 id=\"h-approvals\">Waiting for my approval <span class=\"count\" "
	    "data-count>%zu</span></h2>\n", json_array_size(ap));
	if (json_array_size(ap) == 0)
		buf_puts(out, "<p class=\"empty\">Nothing waits for your sign-off.</p>\n");
	else {
		buf_puts(out, "<ul class=\"due-list\">");
		json_array_foreach(ap, i, it) {
			buf_puts(out, "<li>");
			pw_ref(out, ctx, it);
			html_printf(out, " \xe2\x80\x94 %s</li>\n", pw_str(it, "label"));
		}
		buf_puts(out, "</ul>\n");
	}
	buf_puts(out, "</section>\n");
	ap = json_object_get(json_object_get(w, "stale_metrics"), "items");
	if (json_array_size(ap) > 0) {
		html_printf(out, "<section class=\"card\" id=\"w-stale\" aria-labelledby=\"h-stale\">"
		    "<h2 id=\"h-stale\">Metrics without a recent reading <span class=\"count\" "
		    "data-count>%zu</span></h2><ul class=\"due-list\">\n", json_array_size(ap));
		json_array_foreach(ap, i, it) {
			buf_puts(out, "<li>");
			pw_ref(out, ctx, it);
			if (json_is_string(json_object_get(it, "last_at"))) {
				buf_puts(out, " \xe2\x80\x94 last reading ");
				web_time(out, ctx, pw_str(it, "last_at"));
				buf_puts(out, ", one was due by ");
				web_time(out, ctx, pw_str(it, "due"));
				buf_puts(out, "</li>\n");
			}
			else
				buf_puts(out, " \xe2\x80\x94 no reading yet</li>\n");
		}
		buf_puts(out, "</ul></section>\n");
	}
	pw_group(out, ctx, w, "assigned_by_me", "Assigned by me",
	    "Nothing you assigned to others is open.", true);
	pw_group(out, ctx, w, "later", "Later", "Nothing further ahead.", false);
	if (settings != NULL)
		pw_settings(out, ctx, settings);
	buf_free(&url);
	web_page_end(out, ctx);
}

void
web_page_calendar(struct buf *out, const struct web_ctx *ctx, const json_t *cal)
{
	const struct web_crumb crumbs[] = { { "Certification calendar", NULL } };
	const json_t *next = json_object_get(cal, "next"), *e, *b;
	struct buf url = BUF_INIT;
	size_t i, j;

	web_page_begin(out, ctx, "Certification calendar", "calendar", crumbs, 1);
	buf_puts(out, "<div class=\"page-head\"><h1>Certification calendar</h1>");
	web_url_kind(&url, ctx, "certification");
	if (web_can(ctx, WEB_ACT_CREATE, record_kind_find("certification")))
		html_printf(out, "<a class=\"btn\" href=\"%s/new\">New certification cycle</a>",
		    buf_str(&url));
	buf_puts(out, "</div>\n");
	if (json_is_object(next))
		html_printf(out, "<p class=\"lede\" data-next>Next external audit: %s on "
		    "<time datetime=\"%s\">%s</time>, in %lld days.</p>\n", pw_str(next, "what"),
		    pw_str(next, "date"), pw_str(next, "date"),
		    (long long)json_integer_value(json_object_get(next, "days")));
	else
		buf_puts(out, "<p class=\"lede\" data-next>No external audit is planned: record "
		    "the certification cycle with the dates the certification body gave.</p>\n");
	buf_puts(out, "<ol class=\"calendar\">\n");
	json_array_foreach(json_object_get(cal, "events"), i, e) {
		html_printf(out, "<li class=\"event%s\"><h2><time datetime=\"%s\">%s</time> ",
		    json_is_true(json_object_get(e, "past")) ? " past" : "", pw_str(e, "date"),
		    pw_str(e, "date"));
		web_label(out, pw_str(e, "what"));
		buf_puts(out, "</h2><p>");
		pw_ref(out, ctx, e);
		buf_puts(out, "</p>\n");
		if (json_array_size(json_object_get(e, "before")) == 0) {
			buf_puts(out, "<p class=\"warn\">No internal audit or management review is "
			    "planned before it.</p>\n");
		} else {
			buf_puts(out, "<ul class=\"due-list\">");
			json_array_foreach(json_object_get(e, "before"), j, b) {
				html_printf(out, "<li><time datetime=\"%s\">%s</time> ", pw_str(b, "date"),
				    pw_str(b, "date"));
				web_label(out, pw_str(b, "what"));
				buf_puts(out, ": ");
				pw_ref(out, ctx, b);
				html_printf(out, " <span class=\"badge\">%s</span></li>\n",
				    json_is_true(json_object_get(b, "held")) ? "held" : "to hold");
			}
			buf_puts(out, "</ul>\n");
		}
		buf_puts(out, "</li>\n");
	}
	buf_puts(out, "</ol>\n");
	buf_free(&url);
	web_page_end(out, ctx);
}

void
web_page_notifications(struct buf *out, const struct web_ctx *ctx, const json_t *list)
{
	const struct web_crumb crumbs[] = { { "Notifications", NULL } };
	struct buf base = BUF_INIT;
	const json_t *n;
	size_t i;

	web_url_org(&base, ctx);
	web_page_begin(out, ctx, "Notifications", "notifications", crumbs, 1);
	html_printf(out, "<div class=\"page-head\"><h1>Notifications</h1>"
	    "<form method=\"post\" action=\"%s/notifications/read\">", buf_str(&base));
	web_csrf_input(out, ctx);
	html_printf(out, "<button type=\"submit\" class=\"btn quiet\">Mark all read</button>"
	    "</form></div>\n<p class=\"lede\">%lld unread. How you receive mail is set under "
	    "<a href=\"%s/my-work#w-settings\">My work</a>.</p>\n",
	    (long long)json_integer_value(json_object_get(list, "unread")), buf_str(&base));
	if (json_array_size(json_object_get(list, "items")) == 0)
		buf_puts(out, "<p class=\"empty\">No notifications.</p>\n");
	else {
		buf_puts(out, "<ul class=\"due-list notifications\">");
		json_array_foreach(json_object_get(list, "items"), i, n) {
			html_printf(out, "<li class=\"%s\">",
			    json_is_true(json_object_get(n, "read")) ? "read" : "unread");
			web_time(out, ctx, pw_str(n, "created_at"));
			buf_putc(out, ' ');
			if (json_is_string(json_object_get(n, "ref")) &&
			    json_is_string(json_object_get(n, "kind"))) {
				struct buf url = BUF_INIT;

				web_url_record(&url, ctx, pw_str(n, "kind"), pw_str(n, "ref"));
				html_printf(out, "<a href=\"%s\">%s</a></li>\n", buf_str(&url),
				    pw_str(n, "text"));
				buf_free(&url);
			} else
				html_printf(out, "%s</li>\n", pw_str(n, "text"));
		}
		buf_puts(out, "</ul>\n");
	}
	buf_free(&base);
	web_page_end(out, ctx);
}

void
web_page_webhooks(struct buf *out, const struct web_ctx *ctx, const json_t *hooks,
    const json_t *created)
{
	const struct web_crumb crumbs[] = { { "Webhooks", NULL } };
	const json_t *w, *d, *e;
	struct buf base = BUF_INIT;
	size_t i, j;

	web_url_org(&base, ctx);
	web_page_begin(out, ctx, "Webhooks", "webhooks", crumbs, 1);
	buf_puts(out, "<div class=\"page-head\"><h1>Webhooks</h1></div>\n<p class=\"lede\">The "
	    "organisation's events, POSTed as JSON and signed with X-AIMS-Signature "
	    "(see the API reference). A webhook whose deliveries fail again and again is "
	    "disabled until you enable it.</p>\n");
	if (created != NULL)
		html_printf(out, "<p class=\"ok\" data-secret>The signing secret of %s: <span "
		    "class=\"feed-url\">%s</span><br>Copy it now into the receiver: it is not "
		    "shown again.</p>\n", pw_str(created, "url"), pw_str(created, "secret"));
	json_array_foreach(hooks, i, w) {
		html_printf(out, "<section class=\"card\" data-webhook=\"%lld\"><h2 class=\"feed-url\">"
		    "%s</h2><p>Events: ", (long long)json_integer_value(json_object_get(w, "id")),
		    pw_str(w, "url"));
		json_array_foreach(json_object_get(w, "events"), j, e)
			html_printf(out, "%s%s", j ? ", " : "", json_string_value(e));
		if (json_is_true(json_object_get(w, "enabled")))
			html_printf(out, ". <strong>Enabled</strong>; failed attempts in a row: %lld.</p>",
			    (long long)json_integer_value(json_object_get(w, "failures")));
		else {
			html_printf(out, ". <strong class=\"warn\">Disabled</strong>: %s</p><form "
			    "method=\"post\" action=\"%s/webhooks/%lld/enable\">",
			    pw_str(w, "disabled_reason"), buf_str(&base),
			    (long long)json_integer_value(json_object_get(w, "id")));
			web_csrf_input(out, ctx);
			buf_puts(out, "<button type=\"submit\" class=\"btn\">Enable</button></form>");
		}
		if (json_array_size(json_object_get(w, "deliveries")) > 0) {
			buf_puts(out, "<ul class=\"due-list\">");
			json_array_foreach(json_object_get(w, "deliveries"), j, d) {
				buf_puts(out, "<li>");
				web_time(out, ctx, pw_str(d, "at"));
				html_printf(out, " %s, attempt %lld: %s%s%s</li>", pw_str(d, "event"),
				    (long long)json_integer_value(json_object_get(d, "attempt")),
				    json_is_true(json_object_get(d, "ok")) ? "delivered" : "failed",
				    json_is_string(json_object_get(d, "error")) ? " \xe2\x80\x94 " : "",
				    pw_str(d, "error"));
			}
			buf_puts(out, "</ul>");
		}
		html_printf(out, "<form method=\"post\" action=\"%s/webhooks/%lld/delete\">",
		    buf_str(&base), (long long)json_integer_value(json_object_get(w, "id")));
		web_csrf_input(out, ctx);
		buf_puts(out, "<button type=\"submit\" class=\"btn quiet\">Delete</button></form>"
		    "</section>\n");
	}
	html_printf(out, "<section class=\"card\"><h2>New webhook</h2><form method=\"post\" "
	    "action=\"%s/webhooks\">", buf_str(&base));
	web_csrf_input(out, ctx);
	buf_puts(out, "<label>URL <input type=\"url\" name=\"url\" required size=\"60\" "
	    "placeholder=\"https://hooks.example.org/aims\"></label><fieldset><legend>Events"
	    "</legend>");
	for (i = 0; webhook_events[i] != NULL; i++)
		html_printf(out, "<label><input type=\"checkbox\" name=\"events\" value=\"%s\"> %s"
		    "</label><br>", webhook_events[i], webhook_events[i]);
	buf_puts(out, "</fieldset><button type=\"submit\" class=\"btn\">Add</button></form>"
	    "</section>\n");
	buf_free(&base);
	web_page_end(out, ctx);
}
