/* test_web_readiness.c - the readiness page rendered from a real evaluation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/org.h"
#include "core/record.h"
#include "engine/readiness.h"
#include "testutil.h"
#include "web/web.h"

static json_t *
evaluate(struct db *db, int64_t org)
{
	json_t *r = NULL;

	assert_int_equal(readiness_evaluate(&r, db, org, 0), 0);
	return r;
}

static struct web_ctx
ctx_for(void)
{
	return (struct web_ctx){ .org = "acme", .org_name = "Acme <script>x</script>",
	    .user = "a@example.org", .role = ROLE_VIEWER, .csrf = "tok", .kinds = record_kinds,
	    .today = "2026-11-22" };
}

/* A permission table that allows everything: the page's links as a manager sees them. */
static bool
can_all(const struct web_ctx *ctx, enum web_action act, const struct record_kind *k)
{
	(void)ctx;
	(void)act;
	(void)k;
	return true;
}

static void
test_web_readiness__verdicts_reasons_and_links(void **state)
{
	struct db *db = NULL;
	struct actor a = ACTOR_CLI;
	struct web_ctx ctx = ctx_for();
	struct buf out = BUF_INIT;
	json_t *r, *sys = NULL, *in = json_pack("{s:s, s:b}", "name", "Unassessed", "in_scope", 1);
	int64_t org;

	(void)state;
	assert_int_equal(testutil_open_db(&db, "wr.db"), 0);
	assert_int_equal(org_create(&org, db, &a, "acme", "Acme"), 0);
	assert_int_equal(record_create(&sys, db, org, &a, record_kind_find("ai-systems"), in), 0);
	r = evaluate(db, org);
	web_page_readiness(&out, &ctx, r, NULL);
	assert_non_null(strstr(buf_str(&out), "Stage 1 audit"));
	assert_non_null(strstr(buf_str(&out), "Not ready"));
	assert_non_null(strstr(buf_str(&out), "id=\"req-4.3\""));
	assert_non_null(strstr(buf_str(&out), "id=\"req-A.6.2.6\""));
	/* The in-scope system without a risk is named, as a link to fix it. */
	assert_non_null(strstr(buf_str(&out), "href=\"/o/acme/ai-systems/AIS-1\""));
	assert_non_null(strstr(buf_str(&out), "/api/v1/orgs/acme/exports/readiness.html"));
	assert_null(strstr(buf_str(&out), "<script>x"));
	assert_true(out.len < 100 * 1024);	/* pages weigh under 100 KB */
	buf_reset(&out);
	web_page_readiness(&out, &ctx, r, "met");
	assert_null(strstr(buf_str(&out), "st-not_met"));
	/* The filter shown is marked as the current page, as markup, not escaped text. */
	assert_non_null(strstr(buf_str(&out), "?status=met\" aria-current=\"page\">"));
	assert_null(strstr(buf_str(&out), "aria-current=&quot;"));
	buf_reset(&out);
	/* Grouped by clause and area; each status a colour, a symbol and a word. */
	web_page_readiness(&out, &ctx, r, NULL);
	assert_non_null(strstr(buf_str(&out), "<tr class=\"group\"><th scope=\"rowgroup\" "
	    "colspan=\"2\"><span class=\"req\">4</span> Context of the organization"));
	assert_non_null(strstr(buf_str(&out), "<span class=\"tag st st-not_met\"><span "
	    "class=\"st-mark\" aria-hidden=\"true\">\u2717</span> Not met</span>"));
	/* The next things to do, and where the AI roles are set. */
	assert_non_null(strstr(buf_str(&out), "id=\"rd-next\""));
	assert_non_null(strstr(buf_str(&out), "href=\"/o/acme/ai-roles\""));
	/* The forms that fix a gap are offered to who may use them: not to this viewer. */
	assert_null(strstr(buf_str(&out), "href=\"/o/acme/attestations/new?requirement=4.1\""));
	assert_null(strstr(buf_str(&out), "/new\""));
	buf_reset(&out);
	ctx.role = ROLE_MANAGER;
	ctx.can = can_all;
	web_page_readiness(&out, &ctx, r, NULL);
	assert_non_null(strstr(buf_str(&out), "href=\"/o/acme/attestations/new?requirement=4.1\""));
	buf_free(&out);
	json_decref(r);
	json_decref(sys);
	json_decref(in);
	testutil_close_db(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_web_readiness__verdicts_reasons_and_links),
	};

	return cmocka_run_group_tests_name("web_readiness", tests, NULL, NULL);
}
