/*
 * page_auth.c - the sign-in page (with the message shown while sign-in is
 * throttled), the page where a signed-in person changes their password,
 * and the error page.
 */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "web/html.h"
#include "web/web.h"

bool
web_next_is_local(const char *next)
{
	const unsigned char *p;

	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return false;
	for (p = (const unsigned char *)next; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

#define WEB_MINUTE	60

static void
web_retry_text(struct buf *out, int seconds)
{
	int minutes = (seconds + WEB_MINUTE - 1) / WEB_MINUTE;

	if (seconds < WEB_MINUTE)
		html_printf(out, "%d second%s", seconds, seconds == 1 ? "" : "s");
	else
		html_printf(out, "%d minute%s", minutes, minutes == 1 ? "" : "s");
}

void
web_page_sign_in(struct buf *out, const struct web_sign_in *s)
{
	web_page_begin_bare(out, "Sign in");
	html_printf(out, "<div class=\"signin card\">\n<p class=\"brand\">OpenAIMS</p>\n"
	    "<h1>Sign in</h1>\n");
	if (s->retry_after > 0) {
		buf_puts(out, "<div class=\"flash error\" role=\"alert\">Too many failed attempts "
		    "from this network. Signing in from here is paused: try again in ");
		web_retry_text(out, s->retry_after);
		buf_puts(out, ".</div>\n");
	} else if (s->error != NULL) {
		html_printf(out, "<div class=\"flash error\" role=\"alert\">%s</div>\n", s->error);
	} else if (s->notice != NULL) {
		html_printf(out, "<div class=\"flash ok\" role=\"status\">%s</div>\n", s->notice);
	}
	buf_puts(out, "<form method=\"post\" action=\"/sign-in\" class=\"record-form\">\n");
	if (s->csrf != NULL)
		html_printf(out, "<input type=\"hidden\" name=\"" WEB_CSRF_FIELD "\" value=\"%s\">",
		    s->csrf);
	if (web_next_is_local(s->next))
		html_printf(out, "<input type=\"hidden\" name=\"next\" value=\"%s\">", s->next);
	html_printf(out, "<div class=\"field\"><label for=\"email\">Email</label>"
	    "<input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"username\" "
	    "required autofocus value=\"%s\"></div>\n"
	    "<div class=\"field\"><label for=\"password\">Password</label>"
	    "<input type=\"password\" id=\"password\" name=\"password\" "
	    "autocomplete=\"current-password\" required></div>\n"
	    "<div class=\"form-actions\"><button type=\"submit\" class=\"btn primary\">Sign in"
	    "</button> <a href=\"/reset\">Forgot your password?</a></div>\n</form>\n",
	    s->email != NULL ? s->email : "");
	/* Single sign-on: the organisation names its provider (web/admin.h, /sso). */
	buf_puts(out, "<form method=\"get\" action=\"/sso\" class=\"record-form sso\">"
	    "<h2>Single sign-on</h2><div class=\"field\"><label for=\"sso-org\">Organisation "
	    "(short name)</label><input type=\"text\" id=\"sso-org\" name=\"org\" required "
	    "pattern=\"[a-z0-9-]{2,63}\" autocomplete=\"organization\"></div>");
	if (web_next_is_local(s->next))
		html_printf(out, "<input type=\"hidden\" name=\"next\" value=\"%s\">", s->next);
	buf_puts(out, "<div class=\"form-actions\"><button type=\"submit\" class=\"btn\">"
	    "Continue with your provider</button></div></form>\n</div>\n");
	web_page_end_bare(out);
}

/* One password field; invalid: marked and pointed at the page's error. */
static void
web_password_input(struct buf *out, const struct web_password *p, const char *name,
    const char *label, const char *autocomplete, const char *help)
{
	bool invalid = p->field != NULL && strcmp(p->field, name) == 0;

	html_printf(out, "<div class=\"field\"><label for=\"%s\">%s</label>"
	    "<input type=\"password\" id=\"%s\" name=\"%s\" autocomplete=\"%s\" required",
	    name, label, name, name, autocomplete);
	if (strcmp(autocomplete, "new-password") == 0)
		html_printf(out, " minlength=\"%d\"", p->min_length);
	html_attr_if(out, strcmp(name, "current_password") == 0, "autofocus", NULL);
	html_attr_if(out, invalid, "aria-invalid", "true");
	html_attr_if(out, invalid, "aria-errormessage", "pw-error");
	buf_puts(out, ">");
	if (help != NULL)
		html_printf(out, "<p class=\"help\">%s</p>", help);
	buf_puts(out, "</div>\n");
}

void
web_page_password(struct buf *out, const struct web_password *p)
{
	char help[64];

	web_page_begin_bare(out, "Change your password");
	html_printf(out, "<div class=\"signin card\">\n<p class=\"brand\">OpenAIMS</p>\n"
	    "<h1>Change your password</h1>\n<p>Signed in as %s. Changing your password signs "
	    "you out everywhere else.</p>\n", p->email);
	if (p->error != NULL)
		html_printf(out, "<div class=\"flash error\" role=\"alert\" id=\"pw-error\">%s"
		    "</div>\n", p->error);
	else if (p->changed)
		buf_puts(out, "<div class=\"flash ok\" role=\"status\">Your password is changed; "
		    "your other sessions have ended.</div>\n");
	html_printf(out, "<form method=\"post\" action=\"" WEB_PASSWORD_PATH "\" "
	    "class=\"record-form\">\n<input type=\"hidden\" name=\"" WEB_CSRF_FIELD "\" "
	    "value=\"%s\">\n", p->csrf);
	snprintf(help, sizeof(help), "At least %d characters.", p->min_length);
	web_password_input(out, p, "current_password", "Current password", "current-password",
	    NULL);
	web_password_input(out, p, "new_password", "New password", "new-password", help);
	web_password_input(out, p, "new_password_again", "New password again", "new-password",
	    NULL);
	buf_puts(out, "<div class=\"form-actions\"><button type=\"submit\" class=\"btn primary\">"
	    "Change password</button> <a class=\"btn\" href=\"/account\">Back</a></div>\n</form>\n"
	    "</div>\n");
	web_page_end_bare(out);
}

static const char *
web_status_title(int status)
{
	switch (status) {
	case 400: return "Bad request";
	case 403: return "Not allowed";
	case 404: return "Not found";
	case 409: return "Conflict";
	case 412: return "Changed meanwhile";
	case 413: return "Too large";
	case 422: return "Not saved";
	case 429: return "Too many requests";
	default: return status >= 500 ? "Something went wrong" : "Error";
	}
}

void
web_page_error(struct buf *out, const struct web_ctx *ctx, int status, const char *message)
{
	const char *title = web_status_title(status);
	struct buf home = BUF_INIT;

	if (ctx != NULL && ctx->org != NULL) {
		web_page_begin(out, ctx, title, NULL, NULL, 0);
		web_url_org(&home, ctx);
		buf_putc(&home, '/');
	} else {
		web_page_begin_bare(out, title);
		buf_puts(&home, "/");
	}
	html_printf(out, "<div class=\"card error-page\"><h1>%s</h1><p>%s</p>"
	    "<p class=\"small\">Status %d</p><p><a class=\"btn\" href=\"%s\">Back to the start</a>"
	    "</p></div>\n", title, message != NULL ? message : "", status, buf_str(&home));
	if (ctx != NULL && ctx->org != NULL)
		web_page_end(out, ctx);
	else
		web_page_end_bare(out);
	buf_free(&home);
}
