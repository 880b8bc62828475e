/*
 * test_webui.c - unit tests for the web pages' side of the server
 * (src/http/web_*.c), driven through router_handle() with requests built
 * in memory against a real database: routing of page paths, sign-in with
 * its form token, the same-site and CSRF checks, post-redirect-get with a
 * one-shot flash, refused input kept, a stale edit, a viewer's refusals,
 * organisations one is not a member of, and static files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/member.h"
#include "core/org.h"
#include "core/session.h"
#include "core/user.h"
#include "http/auth.h"
#include "http/router.h"
#include "http/webui.h"
#include "testutil.h"
#include "util/clock.h"
#include "util/error.h"

#define HOST		"127.0.0.1:8042"
#define ORIGIN		"http://" HOST
#define ADMIN		"admin@example.org"
#define VIEWER		"viewer@example.org"
#define PW		"correct horse battery staple"
#define FORM_TYPE	"application/x-www-form-urlencoded"

static struct db *db;

struct session_cookie {
	char	cookie[SESSION_TOKEN_LEN + 32];
	char	csrf[SESSION_CSRF_LEN];
};

/* One answered request; free with done(). */
struct answer {
	struct http_req	 req;
	struct http_kv	 headers[6];
	struct http_kv	 query[4];
	struct http_ctx	 c;
	char		 qbuf[256];
};

static int
setup(void **state)
{
	struct actor cli = ACTOR_CLI;
	int64_t org = 0, other = 0;

	(void)state;
	setenv("AIMS_FAST_HASH", "1", 1);
	if (testutil_open_db(&db, "w.db") != 0)
		return -1;
	if (org_create(&org, db, &cli, "acme", "Acme & Co") != 0 ||
	    org_create(&other, db, &cli, "other", "Other Ltd") != 0 ||
	    user_add(NULL, db, &cli, ADMIN, "Ada", PW) != 0 ||
	    user_add(NULL, db, &cli, VIEWER, "Vic", PW) != 0 ||
	    member_add(db, &cli, org, ADMIN, ROLE_ADMIN) != 0 ||
	    member_add(db, &cli, org, VIEWER, ROLE_VIEWER) != 0) {
		fprintf(stderr, "setup: %s\n", aims_error_message());
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	testutil_close_db(db);
	return 0;
}

static void
login(struct session_cookie *out, const char *email)
{
	char token[SESSION_TOKEN_LEN];
	struct session s;
	int64_t uid;

	assert_int_equal(user_id_by_email(&uid, db, email), 0);
	assert_int_equal(session_create(token, &s, db, uid, "127.0.0.1", clock_now()), 0);
	snprintf(out->cookie, sizeof(out->cookie), AUTH_COOKIE "=%s", token);
	snprintf(out->csrf, sizeof(out->csrf), "%s", s.csrf);
}

/* query: "a=b&c=d" split into the request (no decoding needed in these tests). */
static void
ask(struct answer *a, const char *method, const char *path, const char *query,
    const char *cookie, const char *origin, const char *body)
{
	char *save = NULL, *pair;
	size_t h = 0;

	memset(a, 0, sizeof(*a));
	a->req.method = method;
	a->req.path = path;
	a->req.client_addr = "127.0.0.1";
	a->headers[h++] = (struct http_kv){ "Host", HOST };
	if (cookie != NULL)
		a->headers[h++] = (struct http_kv){ "Cookie", (char *)cookie };
	if (origin != NULL)
		a->headers[h++] = (struct http_kv){ "Origin", (char *)origin };
	if (body != NULL)
		a->headers[h++] = (struct http_kv){ "Content-Type", FORM_TYPE };
	a->req.headers = a->headers;
	a->req.nheaders = h;
	if (query != NULL) {
		snprintf(a->qbuf, sizeof(a->qbuf), "%s", query);
		for (pair = strtok_r(a->qbuf, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
			char *eq = strchr(pair, '=');

			if (eq)
				*eq++ = '\0';
			a->query[a->req.nquery++] = (struct http_kv){ pair, eq };
		}
	}
	a->req.query = a->query;
	a->req.body = body;
	a->req.body_len = body ? strlen(body) : 0;
	http_ctx_init(&a->c, &a->req, db, NULL);
	router_handle(&a->c);
}

static void
done(struct answer *a)
{
	http_ctx_free(&a->c);
}

static const char *
page(const struct answer *a)
{
	return a->c.resp.body.data ? a->c.resp.body.data : "";
}

static const char *
header(const struct answer *a, const char *name)
{
	return http_resp_get_header(&a->c.resp, name);
}

/* A Set-Cookie of the answer that starts with prefix, or NULL. */
static const char *
set_cookie(const struct answer *a, const char *prefix)
{
	size_t i;

	for (i = 0; i < a->c.resp.nheaders; i++)
		if (strcmp(a->c.resp.headers[i].name, "Set-Cookie") == 0 &&
		    strncmp(a->c.resp.headers[i].value, prefix, strlen(prefix)) == 0)
			return a->c.resp.headers[i].value;
	return NULL;
}

static void
test_webui__pages_own_every_path_but_the_api(void **state)
{
	struct answer a;

	(void)state;
	assert_true(webui_owns("/"));
	assert_true(webui_owns("/o/acme/risks"));
	assert_true(webui_owns("/nope"));
	assert_false(webui_owns("/api/v1/orgs"));
	assert_false(webui_owns("/healthz"));
	assert_false(webui_owns("/metrics"));
	ask(&a, "GET", "/", NULL, NULL, NULL, NULL);
	assert_int_equal(a.c.resp.status, 303);
	assert_string_equal(header(&a, "Location"), "/sign-in");
	done(&a);
	ask(&a, "GET", "/o/acme/risks", "q=x", NULL, NULL, NULL);
	assert_int_equal(a.c.resp.status, 303);
	assert_string_equal(header(&a, "Location"), "/sign-in?next=%2Fo%2Facme%2Frisks%3Fq%3Dx");
	done(&a);
	ask(&a, "GET", "/nope", NULL, NULL, NULL, NULL);
	assert_int_equal(a.c.resp.status, 404);
	assert_non_null(strstr(page(&a), "<h1>Not found</h1>"));
	assert_string_equal(a.c.resp.content_type, WEBUI_HTML);
	done(&a);
	ask(&a, "DELETE", "/sign-in", NULL, NULL, NULL, NULL);
	assert_int_equal(a.c.resp.status, 405);
	assert_non_null(header(&a, "Allow"));
	done(&a);
}

static void
test_webui__sign_in_needs_the_form_token(void **state)
{
	struct answer a;
	char cookie[128], body[512], token[64];
	const char *sc, *p;

	(void)state;
	ask(&a, "GET", "/sign-in", NULL, NULL, NULL, NULL);
	assert_int_equal(a.c.resp.status, 200);
	sc = set_cookie(&a, WEBUI_SIGNIN_COOKIE "=");
	assert_non_null(sc);
	assert_non_null(strstr(sc, "HttpOnly"));
	assert_non_null(strstr(sc, "SameSite=Strict"));
	snprintf(token, sizeof(token), "%.*s", (int)strcspn(sc + strlen(WEBUI_SIGNIN_COOKIE) + 1, ";"),
	    sc + strlen(WEBUI_SIGNIN_COOKIE) + 1);
	p = strstr(page(&a), "name=\"_csrf\" value=\"");
	assert_non_null(p);
	assert_memory_equal(p + 20, token, strlen(token));
	done(&a);
	snprintf(cookie, sizeof(cookie), WEBUI_SIGNIN_COOKIE "=%s", token);
	/* Without the cookie's token: refused, nothing checked. */
	snprintf(body, sizeof(body), "_csrf=wrong&email=%s&password=x", ADMIN);
	ask(&a, "POST", "/sign-in", NULL, cookie, ORIGIN, body);
	assert_int_equal(a.c.resp.status, 403);
	assert_non_null(strstr(page(&a), "expired"));
	done(&a);
	/* Wrong password: the message, the email kept. */
	snprintf(body, sizeof(body), "_csrf=%s&email=%s&password=wrong+one", token, ADMIN);
	ask(&a, "POST", "/sign-in", NULL, cookie, ORIGIN, body);
	assert_int_equal(a.c.resp.status, 401);
	assert_non_null(strstr(page(&a), "Wrong email or password."));
	assert_non_null(strstr(page(&a), "value=\"" ADMIN "\""));
	done(&a);
	/* Right: a session cookie and to the page asked for. */
	snprintf(body, sizeof(body), "_csrf=%s&email=%s&password=correct+horse+battery+staple"
	    "&next=%%2Fo%%2Facme%%2Frisks", token, ADMIN);
	ask(&a, "POST", "/sign-in", NULL, cookie, ORIGIN, body);
	assert_int_equal(a.c.resp.status, 303);
	assert_string_equal(header(&a, "Location"), "/o/acme/risks");
	assert_non_null(set_cookie(&a, AUTH_COOKIE "="));
	done(&a);
	/* A post from another site is refused before anything else. */
	ask(&a, "POST", "/sign-in", NULL, cookie, "http://evil.example", body);
	assert_int_equal(a.c.resp.status, 403);
	assert_non_null(strstr(page(&a), "another site"));
	done(&a);
}

static void
test_webui__post_redirect_get_with_flash(void **state)
{
	struct session_cookie s;
	struct answer a;
	char body[512], cookie[512];
	const char *flash;

	(void)state;
	login(&s, ADMIN);
	snprintf(body, sizeof(body), "_csrf=%s&_f=title%%2Ckind&title=Data+drift&kind=external",
	    s.csrf);
	/* Without the token, with a foreign Origin: refused, nothing created. */
	ask(&a, "POST", "/o/acme/context-issues", NULL, s.cookie, ORIGIN,
	    "_f=title%2Ckind&title=Planted&kind=external");
	assert_int_equal(a.c.resp.status, 403);
	done(&a);
	ask(&a, "POST", "/o/acme/context-issues", NULL, s.cookie, "http://evil.example", body);
	assert_int_equal(a.c.resp.status, 403);
	done(&a);
	ask(&a, "POST", "/o/acme/context-issues", NULL, s.cookie, ORIGIN, body);
	assert_int_equal(a.c.resp.status, 303);
	assert_string_equal(header(&a, "Location"), "/o/acme/context-issues/CI-1");
	flash = set_cookie(&a, WEBUI_FLASH_COOKIE "=");
	assert_non_null(flash);
	snprintf(cookie, sizeof(cookie), "%s; %.*s", s.cookie, (int)strcspn(flash, ";"), flash);
	done(&a);
	ask(&a, "GET", "/o/acme/context-issues/CI-1", NULL, cookie, NULL, NULL);
	assert_int_equal(a.c.resp.status, 200);
	assert_non_null(strstr(page(&a), "CI-1 created."));
	assert_non_null(strstr(page(&a), "Data drift"));
	assert_non_null(set_cookie(&a, WEBUI_FLASH_COOKIE "=;"));	/* one shot */
	done(&a);
	/* A forged flash names no message: nothing shown. */
	snprintf(cookie, sizeof(cookie), "%s; " WEBUI_FLASH_COOKIE "=<script>:CI-1", s.cookie);
	ask(&a, "GET", "/o/acme/context-issues/CI-1", NULL, cookie, NULL, NULL);
	assert_null(strstr(page(&a), "class=\"flash"));
	done(&a);
}

static void
test_webui__refused_input_and_stale_edit(void **state)
{
	struct session_cookie s;
	struct answer a;
	char body[512];

	(void)state;
	login(&s, ADMIN);
	/* Core refuses: the message next to the field, the value kept. */
	snprintf(body, sizeof(body), "_csrf=%s&_f=title%%2Clikelihood&title=Bias&likelihood=6",
	    s.csrf);
	ask(&a, "POST", "/o/acme/risks", NULL, s.cookie, ORIGIN, body);
	assert_int_equal(a.c.resp.status, 422);
	assert_non_null(strstr(page(&a), "id=\"f-likelihood-err\""));
	assert_non_null(strstr(page(&a), "value=\"Bias\""));
	done(&a);
	/* The form itself cannot convert a value. */
	snprintf(body, sizeof(body), "_csrf=%s&_f=title%%2Cimpact&title=Bias&impact=high", s.csrf);
	ask(&a, "POST", "/o/acme/risks", NULL, s.cookie, ORIGIN, body);
	assert_int_equal(a.c.resp.status, 422);
	assert_non_null(strstr(page(&a), "Enter a whole number."));
	done(&a);
	snprintf(body, sizeof(body), "_csrf=%s&_f=title&title=Bias", s.csrf);
	ask(&a, "POST", "/o/acme/risks", NULL, s.cookie, ORIGIN, body);
	assert_int_equal(a.c.resp.status, 303);
	done(&a);
	snprintf(body, sizeof(body), "_csrf=%s&_version=1&_f=title&title=Bias+v2", s.csrf);
	ask(&a, "POST", "/o/acme/risks/RISK-1", NULL, s.cookie, ORIGIN, body);
	assert_int_equal(a.c.resp.status, 303);
	done(&a);
	/* Version 1 again: stale; the newer value shown, the typed one kept. */
	snprintf(body, sizeof(body), "_csrf=%s&_version=1&_f=title&title=Bias+mine", s.csrf);
	ask(&a, "POST", "/o/acme/risks/RISK-1", NULL, s.cookie, ORIGIN, body);
	assert_int_equal(a.c.resp.status, 409);
	assert_non_null(strstr(page(&a), "was changed while you were editing it"));
	assert_non_null(strstr(page(&a), "value=\"Bias mine\""));
	assert_non_null(strstr(page(&a), "Bias v2"));
	assert_non_null(strstr(page(&a), "name=\"_version\" value=\"2\""));
	done(&a);
	/* A workflow step core refuses: the record page with the reason. */
	snprintf(body, sizeof(body), "_csrf=%s&_version=2&action=nonsense", s.csrf);
	ask(&a, "POST", "/o/acme/risks/RISK-1/workflow", NULL, s.cookie, ORIGIN, body);
	assert_int_equal(a.c.resp.status, 400);
	assert_non_null(strstr(page(&a), "flash error"));
	done(&a);
}

static void
test_webui__viewer_and_strangers_are_refused(void **state)
{
	struct session_cookie s;
	struct answer a;
	char body[512];

	(void)state;
	login(&s, VIEWER);
	ask(&a, "GET", "/o/acme/context-issues", NULL, s.cookie, NULL, NULL);
	assert_int_equal(a.c.resp.status, 200);
	assert_null(strstr(page(&a), "/new\""));
	done(&a);
	ask(&a, "GET", "/o/acme/context-issues/new", NULL, s.cookie, NULL, NULL);
	assert_int_equal(a.c.resp.status, 403);
	done(&a);
	snprintf(body, sizeof(body), "_csrf=%s&_f=title%%2Ckind&title=x&kind=internal", s.csrf);
	ask(&a, "POST", "/o/acme/context-issues", NULL, s.cookie, ORIGIN, body);
	assert_int_equal(a.c.resp.status, 403);
	done(&a);
	snprintf(body, sizeof(body), "_csrf=%s&_f=applicable&applicable=true", s.csrf);
	ask(&a, "POST", "/o/acme/soa/A.5.2", NULL, s.cookie, ORIGIN, body);
	assert_int_equal(a.c.resp.status, 403);
	done(&a);
	/* Not a member, or no such organisation: the same 404. */
	ask(&a, "GET", "/o/other/", NULL, s.cookie, NULL, NULL);
	assert_int_equal(a.c.resp.status, 404);
	done(&a);
	ask(&a, "GET", "/o/nosuch/", NULL, s.cookie, NULL, NULL);
	assert_int_equal(a.c.resp.status, 404);
	done(&a);
	ask(&a, "GET", "/o/acme/no-such-kind", NULL, s.cookie, NULL, NULL);
	assert_int_equal(a.c.resp.status, 404);
	done(&a);
}

static void
test_webui__overview_pages_and_static(void **state)
{
	const struct web_asset *css = web_asset_find("app.css");
	struct session_cookie s;
	struct answer a;
	char q[64];

	(void)state;
	login(&s, ADMIN);
	ask(&a, "GET", "/", NULL, s.cookie, NULL, NULL);
	assert_int_equal(a.c.resp.status, 303);
	assert_string_equal(header(&a, "Location"), "/o/acme/");
	done(&a);
	ask(&a, "GET", "/o/acme", NULL, s.cookie, NULL, NULL);
	assert_int_equal(a.c.resp.status, 303);
	assert_string_equal(header(&a, "Location"), "/o/acme/");
	done(&a);
	ask(&a, "GET", "/o/acme/", NULL, s.cookie, NULL, NULL);
	assert_int_equal(a.c.resp.status, 200);
	assert_non_null(strstr(page(&a), "id=\"hm-inherent\""));
	assert_non_null(strstr(page(&a), "Acme &amp; Co"));
	done(&a);
	ask(&a, "GET", "/o/acme/soa", "edit=A.5.2", s.cookie, NULL, NULL);
	assert_int_equal(a.c.resp.status, 200);
	assert_non_null(strstr(page(&a), "<form method=\"post\" action=\"/o/acme/soa/A.5.2\""));
	done(&a);
	ask(&a, "GET", "/o/acme/scope", NULL, s.cookie, NULL, NULL);
	assert_int_equal(a.c.resp.status, 303);
	assert_string_equal(header(&a, "Location"), "/o/acme/scope/new");
	done(&a);
	assert_non_null(css);
	snprintf(q, sizeof(q), "v=%s", css->version);
	ask(&a, "GET", "/static/app.css", q, NULL, NULL, NULL);
	assert_int_equal(a.c.resp.status, 200);
	assert_string_equal(header(&a, "Cache-Control"), WEB_ASSET_CACHE_LONG);
	assert_true(a.c.resp.cacheable);
	done(&a);
	ask(&a, "GET", "/static/nothing.js", NULL, NULL, NULL, NULL);
	assert_int_equal(a.c.resp.status, 404);
	done(&a);
}

/* After signing in, only a page of this site: never a path a browser reads as another site. */
static void
test_webui__sign_in_next_stays_on_this_site(void **state)
{
	static const char *const bad[] = {
		"//evil.example/", "/\\evil.example", "https://evil.example/", "evil.example",
		"/%09/evil.example", "/%0D%0A/evil.example", "/%0B/evil.example",
		"/%7F/evil.example", "%09//evil.example", "javascript:alert(1)",
	};
	struct answer a;
	char cookie[128], body[512], token[64];
	const char *sc;
	size_t i;

	(void)state;
	ask(&a, "GET", "/sign-in", NULL, NULL, NULL, NULL);
	sc = set_cookie(&a, WEBUI_SIGNIN_COOKIE "=");
	assert_non_null(sc);
	snprintf(token, sizeof(token), "%.*s", (int)strcspn(sc + strlen(WEBUI_SIGNIN_COOKIE) + 1, ";"),
	    sc + strlen(WEBUI_SIGNIN_COOKIE) + 1);
	done(&a);
	snprintf(cookie, sizeof(cookie), WEBUI_SIGNIN_COOKIE "=%s", token);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "_csrf=%s&email=%s&password=correct+horse+battery+staple"
		    "&next=%s", token, ADMIN, bad[i]);
		ask(&a, "POST", "/sign-in", NULL, cookie, ORIGIN, body);
		assert_int_equal(a.c.resp.status, 303);
		if (strcmp(header(&a, "Location"), "/") != 0)
			fail_msg("next=%s went to '%s'", bad[i], header(&a, "Location"));
		done(&a);
	}
	/* The page does not carry such a target into its form either (a tab, decoded). */
	ask(&a, "GET", "/sign-in", "next=/\t/evil.example", NULL, NULL, NULL);
	assert_null(strstr(page(&a), "name=\"next\""));
	done(&a);
	ask(&a, "GET", "/sign-in", "next=/o/acme/risks", NULL, NULL, NULL);
	assert_non_null(strstr(page(&a), "name=\"next\" value=\"/o/acme/risks\""));
	done(&a);
	assert_true(web_next_is_local("/o/acme/risks?sort=title"));
	assert_false(web_next_is_local("/\t/evil.example"));
	assert_false(web_next_is_local("/o/acme\x1b[2J"));
	assert_false(web_next_is_local(NULL));
}

/* Builds a multipart POST's head (no body: it has not arrived yet). */
static bool
upload_wanted(const char *path, const char *cookie, const char *origin)
{
	struct http_kv headers[4];
	struct http_req req;
	size_t h = 0;

	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.path = path;
	req.client_addr = "127.0.0.1";
	headers[h++] = (struct http_kv){ "Host", HOST };
	headers[h++] = (struct http_kv){ "Content-Type", "multipart/form-data; boundary=x" };
	if (cookie != NULL)
		headers[h++] = (struct http_kv){ "Cookie", (char *)cookie };
	if (origin != NULL)
		headers[h++] = (struct http_kv){ "Origin", (char *)origin };
	req.headers = headers;
	req.nheaders = h;
	return webui_upload_wanted(&req, db, NULL);
}

/* A multipart POST whose body was read and dropped (not wanted): its answer. */
static void
ask_dropped_upload(struct answer *a, const char *path, const char *cookie)
{
	memset(a, 0, sizeof(*a));
	a->req.method = "POST";
	a->req.path = path;
	a->req.client_addr = "127.0.0.1";
	a->headers[0] = (struct http_kv){ "Host", HOST };
	a->headers[1] = (struct http_kv){ "Cookie", (char *)cookie };
	a->headers[2] = (struct http_kv){ "Origin", ORIGIN };
	a->headers[3] = (struct http_kv){ "Content-Type", "multipart/form-data; boundary=x" };
	a->req.headers = a->headers;
	a->req.nheaders = 4;
	http_ctx_init(&a->c, &a->req, db, NULL);
	router_handle(&a->c);
}

/*
 * A page upload is stored while it arrives only when its handler would
 * take it: a member whose role may write a kind with files, from this site.
 */
static void
test_webui__uploads_stored_only_when_allowed(void **state)
{
	struct session_cookie admin, viewer;
	struct answer a;

	(void)state;
	login(&admin, ADMIN);
	login(&viewer, VIEWER);
	assert_true(upload_wanted("/o/acme/evidence", admin.cookie, ORIGIN));
	assert_true(upload_wanted("/o/acme/evidence/EV-1", admin.cookie, ORIGIN));
	/* Not signed in, another site, another organisation, a role that may not write. */
	assert_false(upload_wanted("/o/acme/evidence", NULL, ORIGIN));
	assert_false(upload_wanted("/o/acme/evidence", admin.cookie, "http://evil.example"));
	assert_false(upload_wanted("/o/other/evidence", admin.cookie, ORIGIN));
	assert_false(upload_wanted("/o/no-such-org/evidence", admin.cookie, ORIGIN));
	assert_false(upload_wanted("/o/acme/evidence", viewer.cookie, ORIGIN));
	/* Pages that take no file. */
	assert_false(upload_wanted("/o/acme/risks", admin.cookie, ORIGIN));
	assert_false(upload_wanted("/o/acme/evidence/EV-1/workflow", admin.cookie, ORIGIN));
	assert_false(upload_wanted("/o/acme/evidence/EV-1/delete", admin.cookie, ORIGIN));
	assert_false(upload_wanted("/sign-in", admin.cookie, ORIGIN));
	assert_false(upload_wanted("/o/acme/no-such-kind", admin.cookie, ORIGIN));
	/* Once such a body has been dropped, the answer says why, never runs the handler. */
	ask_dropped_upload(&a, "/o/acme/evidence", viewer.cookie);
	assert_int_equal(a.c.resp.status, 403);
	assert_non_null(strstr(page(&a), "Your role (viewer) may not write evidence"));
	done(&a);
	ask_dropped_upload(&a, "/o/other/evidence", admin.cookie);
	assert_int_equal(a.c.resp.status, 404);
	done(&a);
	ask_dropped_upload(&a, "/o/acme/risks", admin.cookie);
	assert_int_equal(a.c.resp.status, 415);
	assert_non_null(strstr(page(&a), "does not take a file"));
	done(&a);
	ask_dropped_upload(&a, "/o/acme/evidence", "aims_session=expired");
	assert_int_equal(a.c.resp.status, 401);
	done(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_webui__pages_own_every_path_but_the_api),
		cmocka_unit_test(test_webui__sign_in_needs_the_form_token),
		cmocka_unit_test(test_webui__post_redirect_get_with_flash),
		cmocka_unit_test(test_webui__refused_input_and_stale_edit),
		cmocka_unit_test(test_webui__viewer_and_strangers_are_refused),
		cmocka_unit_test(test_webui__overview_pages_and_static),
		cmocka_unit_test(test_webui__uploads_stored_only_when_allowed),
		cmocka_unit_test(test_webui__sign_in_next_stays_on_this_site),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
