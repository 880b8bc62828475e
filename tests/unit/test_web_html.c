/* test_web_html.c - unit tests for src/web/html.c: escaping, URLs, Markdown. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "web/html.h"

static const char *const xss_payloads[] = {
	"<script>alert(1)</script>",
	"\"><img src=x onerror=alert(1)>",
	"' onmouseover='alert(1)",
	"</textarea><svg onload=alert(1)>",
	"&lt;script&gt;",
	"javascript:alert(1)",
	NULL,
};

/* No raw markup-significant character may survive escaping. */
static void
assert_inert(const char *s)
{
	assert_null(strchr(s, '<'));
	assert_null(strchr(s, '>'));
	assert_null(strchr(s, '"'));
	assert_null(strchr(s, '\''));
}

static void
test_web_html__printf_escapes_strings(void **state)
{
	struct buf b = BUF_INIT;
	int i;

	(void)state;
	for (i = 0; xss_payloads[i] != NULL; i++) {
		buf_reset(&b);
		html_printf(&b, "%s", xss_payloads[i]);
		assert_inert(buf_str(&b));
	}
	buf_reset(&b);
	html_printf(&b, "<a href=\"%s\" title='%s'>%s</a>", "/x?a=1&b=2", "it's", "<b>");
	assert_string_equal(buf_str(&b),
	    "<a href=\"/x?a=1&amp;b=2\" title='it&#39;s'>&lt;b&gt;</a>");
	buf_free(&b);
}

static void
test_web_html__printf_numbers_and_percent(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	html_printf(&b, "%d|%lld|%zu|%u|%ld|%03d|100%%|%c", -5, (long long)1 << 40,
	    (size_t)7, 3u, -9L, 4, '<');
	assert_string_equal(buf_str(&b), "-5|1099511627776|7|3|-9|004|100%|&lt;");
	buf_free(&b);
}

static void
test_web_html__escape_all_five(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	html_escape(&b, "a&b<c>d\"e'f");
	assert_string_equal(buf_str(&b), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	buf_reset(&b);
	html_escape(&b, NULL);
	assert_string_equal(buf_str(&b), "");
	html_raw_UNSAFE(&b, "<b>");
	assert_string_equal(buf_str(&b), "<b>");
	buf_free(&b);
}

static void
test_web_html__url_escape_component(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	html_url_escape(&b, "a b&c=d/é~_.-");
	assert_string_equal(buf_str(&b), "a%20b%26c%3Dd%2F%C3%A9~_.-");
	buf_reset(&b);
	buf_puts(&b, "/o/acme/risks");
	html_url_query(&b, "q", "<x>&y");
	html_url_query(&b, "status", "in review");
	assert_string_equal(buf_str(&b), "/o/acme/risks?q=%3Cx%3E%26y&status=in%20review");
	buf_free(&b);
}

static void
test_web_html__unsafe_urls_refused(void **state)
{
	(void)state;
	assert_true(html_url_is_safe("/o/acme/risks"));
	assert_true(html_url_is_safe("risks?x=1"));
	assert_true(html_url_is_safe("https://example.org/a:b"));
	assert_true(html_url_is_safe("HTTP://example.org"));
	assert_true(html_url_is_safe("mailto:a@b.co"));
	assert_true(html_url_is_safe("#top"));
	assert_false(html_url_is_safe("javascript:alert(1)"));
	assert_false(html_url_is_safe("JavaScript:alert(1)"));
	assert_false(html_url_is_safe(" javascript:alert(1)"));
	assert_false(html_url_is_safe("java\tscript:alert(1)"));
	assert_false(html_url_is_safe("java\nscript:alert(1)"));
	assert_false(html_url_is_safe("data:text/html,<script>"));
	assert_false(html_url_is_safe("vbscript:msgbox"));
	assert_false(html_url_is_safe(""));
	assert_false(html_url_is_safe(NULL));
	assert_string_equal(html_safe_url("javascript:x"), "#");
	assert_string_equal(html_safe_url("/ok"), "/ok");
}

static void
test_web_html__markdown_is_safe(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	html_markdown_UNSAFE_OK(&b, "# Policy\n\n**bold** and <script>alert(1)</script>\n\n"
	    "<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n"
	    "| a | b |\n|---|---|\n| 1 | 2 |\n\n#### Deep\n");
	/* Under the page's own h1, h2 and h3. */
	assert_non_null(strstr(buf_str(&b), "<h4>Policy</h4>"));
	assert_null(strstr(buf_str(&b), "<h1"));
	assert_non_null(strstr(buf_str(&b), "<strong>bold</strong>"));
	assert_non_null(strstr(buf_str(&b), "<table>"));
	assert_null(strstr(buf_str(&b), "<script"));
	assert_null(strstr(buf_str(&b), "<img"));
	assert_null(strstr(buf_str(&b), "javascript:"));
	assert_non_null(strstr(buf_str(&b), "<h6>Deep</h6>"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_web_html__printf_escapes_strings),
		cmocka_unit_test(test_web_html__printf_numbers_and_percent),
		cmocka_unit_test(test_web_html__escape_all_five),
		cmocka_unit_test(test_web_html__url_escape_component),
		cmocka_unit_test(test_web_html__unsafe_urls_refused),
		cmocka_unit_test(test_web_html__markdown_is_safe),
	};

	return cmocka_run_group_tests_name("web_html", tests, NULL, NULL);
}
