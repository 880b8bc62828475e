/*
 * web_account.c - the signed-in person's own account: the page where they
 * change their password. The rule (current password checked and counted
 * like a sign-in, other sessions ended) is auth_change_password's, shared
 * with POST /api/v1/session/password.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/user.h"
#include "http/auth.h"
#include "http/webui.h"
#include "util/error.h"

/* The page, with an error (first letter up, a full stop) or the confirmation. */
static void
webui_password_show(struct http_ctx *c, int status, const char *error, const char *field,
    bool changed)
{
	struct web_password p = {
		.email = c->who.email, .csrf = c->who.csrf, .field = field, .changed = changed,
		.min_length = USER_PASSWORD_MIN,
	};
	char msg[AIMS_ERROR_MSG_MAX + 2];
	struct buf page = BUF_INIT;
	size_t n;

	if (error != NULL) {
		n = (size_t)snprintf(msg, sizeof(msg) - 1, "%s", error);
		if (n > sizeof(msg) - 2)
			n = sizeof(msg) - 2;
		msg[0] = (char)toupper((unsigned char)msg[0]);
		if (n > 0 && msg[n - 1] != '.') {
			msg[n] = '.';
			msg[n + 1] = '\0';
		}
		p.error = msg;
	}
	web_page_password(&page, &p);
	webui_send(c, status, &page);
}

int
webui_password_page(struct http_ctx *c)
{
	const char *changed = http_query(c, "changed");

	webui_password_show(c, 200, NULL, NULL, changed != NULL && strcmp(changed, "1") == 0);
	return 0;
}

int
webui_password_change(struct http_ctx *c)
{
	const char *next = webui_posted(c, "new_password");
	const char *again = webui_posted(c, "new_password_again");
	int rc, status;

	if (next == NULL || again == NULL || strcmp(next, again) != 0) {
		webui_password_show(c, 422, "the two new passwords differ", "new_password_again",
		    false);
		return 0;
	}
	if ((rc = auth_change_password(c, webui_posted(c, "current_password"), next)) == 0) {
		webui_redirect(c, WEB_PASSWORD_PATH "?changed=1");
		return 0;
	}
	if ((status = http_status_of(rc)) >= 500)
		return rc;
	webui_password_show(c, status == 400 ? 422 : status, aims_error_message(),
	    *aims_error_field() != '\0' ? aims_error_field() : NULL, false);
	return 0;
}
