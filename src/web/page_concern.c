/*
 * page_concern.c - the public pages of the concern reporting channel
 * (A.3.3, core/concern.h): the form anyone uses to report a concern, the
 * page that gives the report key once, and the page where the reporter
 * reads the replies with that key. They need no account and show nothing
 * of the organisation but its name.
 */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "web/html.h"
#include "web/web.h"

static void
web_concern_error(struct buf *out, const char *error)
{
	if (error != NULL)
		html_printf(out, "<div class=\"flash error\" role=\"alert\" id=\"concern-error\">"
		    "%s</div>\n", error);
}

void
web_page_concern_form(struct buf *out, const struct web_concern *v)
{
	web_page_begin_bare(out, "Report a concern");
	html_printf(out, "<div class=\"signin card concern\">\n<p class=\"brand\">%s</p>\n"
	    "<h1>Report a concern</h1>\n"
	    "<p>Tell %s about a concern with its AI systems: harm to people, unfair or unsafe "
	    "results, misuse, or anything that should not happen. You need no account, and "
	    "you do not have to give your name: this form does not record who you are or "
	    "where you write from.</p>\n", v->org_name, v->org_name);
	web_concern_error(out, v->error);
	buf_puts(out, "<form method=\"post\" class=\"record-form\" action=\"");
	html_printf(out, "/public/orgs/%s/concerns\">\n", v->org);
	html_printf(out, "<input type=\"hidden\" name=\"" WEB_CSRF_FIELD "\" value=\"%s\">\n",
	    v->csrf != NULL ? v->csrf : "");
	html_printf(out, "<div class=\"field\"><label for=\"text\">Your concern</label>"
	    "<textarea id=\"text\" name=\"text\" rows=\"10\" required minlength=\"%d\" "
	    "maxlength=\"%d\" aria-describedby=\"text-help\"", v->text_min, v->text_max);
	html_attr_if(out, v->error != NULL, "aria-invalid", "true");
	html_attr_if(out, v->error != NULL, "aria-errormessage", "concern-error");
	html_printf(out, ">%s</textarea><p class=\"help\" id=\"text-help\">What happened, "
	    "with which system, and when. Leave out your name and contact details if you "
	    "want to stay anonymous.</p></div>\n"
	    "<div class=\"form-actions\"><button type=\"submit\" class=\"btn primary\">Send"
	    "</button></div>\n</form>\n"
	    "<p><a href=\"/public/concerns\">Read the replies to a concern you sent</a></p>\n"
	    "</div>\n", v->text != NULL ? v->text : "");
	web_page_end_bare(out);
}

void
web_page_concern_sent(struct buf *out, const struct web_concern *v)
{
	web_page_begin_bare(out, "Concern sent");
	html_printf(out, "<div class=\"signin card concern\">\n<p class=\"brand\">%s</p>\n"
	    "<h1>Your concern was sent</h1>\n"
	    "<p>This is your report key. Keep it somewhere safe: it is the only way to read "
	    "the replies of %s, and it cannot be shown again, not even to them.</p>\n"
	    "<p><code class=\"concern-key\" id=\"concern-key\">%s</code></p>\n"
	    "<p><a href=\"/public/concerns\">Read the replies</a> with it later.</p>\n</div>\n",
	    v->org_name, v->org_name, v->key);
	web_page_end_bare(out);
}

void
web_page_concern_lookup(struct buf *out, const struct web_concern *v)
{
	web_page_begin_bare(out, "Read the replies to your concern");
	buf_puts(out, "<div class=\"signin card concern\">\n<h1>Replies to your concern</h1>\n");
	web_concern_error(out, v->error);
	buf_puts(out, "<form method=\"post\" action=\"/public/concerns\" class=\"record-form\">\n");
	html_printf(out, "<input type=\"hidden\" name=\"" WEB_CSRF_FIELD "\" value=\"%s\">\n",
	    v->csrf != NULL ? v->csrf : "");
	buf_puts(out, "<div class=\"field\"><label for=\"key\">Report key</label>"
	    "<input type=\"password\" id=\"key\" name=\"key\" required autocomplete=\"off\" "
	    "spellcheck=\"false\"></div>\n"
	    "<div class=\"form-actions\"><button type=\"submit\" class=\"btn primary\">Read"
	    "</button></div>\n</form>\n</div>\n");
	web_page_end_bare(out);
}

void
web_page_concern_read(struct buf *out, const json_t *report, const struct tz *zone)
{
	const json_t *replies = json_object_get(report, "replies"), *r;
	const struct web_ctx ctx = { .tz = zone };
	size_t i;

	web_page_begin_bare(out, "Your concern");
	buf_puts(out, "<div class=\"signin card concern\">\n<h1>Your concern</h1>\n<p>Sent ");
	web_time(out, &ctx, json_string_value(json_object_get(report, "received_at")));
	html_printf(out, "; status: %s.</p>\n<blockquote class=\"concern-text\">%s</blockquote>\n"
	    "<h2>Replies</h2>\n",
	    json_string_value(json_object_get(report, "status")),
	    json_string_value(json_object_get(report, "text")));
	if (json_array_size(replies) == 0)
		buf_puts(out, "<p class=\"empty\">No reply yet.</p>\n");
	else
		buf_puts(out, "<ol class=\"concern-replies\">\n");
	json_array_foreach(replies, i, r) {
		buf_puts(out, "<li><p class=\"meta\">");
		web_time(out, &ctx, json_string_value(json_object_get(r, "at")));
		html_printf(out, "</p><p>%s</p></li>\n", json_string_value(json_object_get(r, "text")));
	}
	if (json_array_size(replies) > 0)
		buf_puts(out, "</ol>\n");
	buf_puts(out, "</div>\n");
	web_page_end_bare(out);
}
