/* test_report.c - unit tests for src/io/report_*.c: text and HTML readiness reports. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/readiness.h"
#include "io/report.h"
#include "readiness_fixture.h"

static json_t *
evaluate_hostile(struct db **dbp)
{
	struct db *db = fx_open();
	json_t *res = NULL;

	fx_soa_init(db, FX_ORG);
	/* Names and refs that would break the page if they were not escaped. */
	fx_exec(db, "UPDATE orgs SET name = '<script>alert(1)</script> & \"Co\"' WHERE id = 1");
	fx_put(db, "ai-systems", "AIS-1", "{\"name\": \"<img src=x onerror=alert(2)>\", "
	    "\"in_scope\": true}");
	fx_put(db, "responsibilities", "ROLE-1", "{\"role_name\": \"'quoted' <b>role</b>\"}");
	setenv("AIMS_FAKE_NOW", "2026-02-20T09:00:00Z", 1);
	assert_int_equal(readiness_evaluate(&res, db, FX_ORG, READINESS_SAVE), 0);
	json_decref(res);
	setenv("AIMS_FAKE_NOW", FX_NOW, 1);
	assert_int_equal(readiness_evaluate(&res, db, FX_ORG, READINESS_SAVE), 0);
	*dbp = db;
	return res;
}

static void
test_report__html_is_self_contained_and_escaped(void **state)
{
	struct buf out = BUF_INIT;
	struct db *db;
	json_t *res = evaluate_hostile(&db);
	const char *h;

	(void)state;
	assert_int_equal(report_readiness_html(&out, res), 0);
	h = buf_str(&out);
	assert_true(strncmp(h, "<!doctype html>", 15) == 0);
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "<img"));
	assert_null(strstr(h, "<b>role"));
	assert_non_null(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"));
	/* Inline CSS and SVG only: nothing loaded from elsewhere. */
	assert_non_null(strstr(h, "<style>"));
	assert_null(strstr(h, "<link"));
	assert_null(strstr(h, "src=\""));
	/* Reasons name records by title too: a hostile one stays text. */
	assert_non_null(strstr(h, "&lt;img src=x onerror=alert(2)&gt;"));
	assert_null(strstr(h, "url("));
	/* The charts come from io/svg.c, styled by its own rules inline. */
	assert_non_null(strstr(h, "<title id=\"rp-clauses-t\">Readiness score by clause</title>"));
	assert_non_null(strstr(h, "<title id=\"rp-areas-t\">Readiness score by Annex A area</title>"));
	assert_non_null(strstr(h, "<title id=\"rp-trend-t\">Readiness score by day</title>"));
	assert_non_null(strstr(h, ".chart .fill{"));
	assert_non_null(strstr(h, "@media print"));
	assert_non_null(strstr(h, "Not ready"));
	assert_non_null(strstr(h, "There is no approved AIMS scope."));
	assert_non_null(strstr(h, "A.6.2.6"));
	assert_non_null(strstr(h, "</html>"));
	buf_free(&out);
	json_decref(res);
	db_close(db);
}

static void
test_report__text(void **state)
{
	struct buf out = BUF_INIT;
	struct db *db;
	json_t *res = evaluate_hostile(&db);
	const char *t;

	(void)state;
	assert_int_equal(report_readiness_text(&out, res), 0);
	t = buf_str(&out);
	assert_non_null(strstr(t, "Stage 1: NOT READY"));
	assert_non_null(strstr(t, "Stage 2: NOT READY"));
	assert_non_null(strstr(t, "Clauses"));
	assert_non_null(strstr(t, "Annex A"));
	assert_non_null(strstr(t, "[blocking, stage 1] 4.3 "));
	assert_non_null(strstr(t, "(one cause: affects 39 requirements)"));
	assert_non_null(strstr(t, "To confirm by hand"));
	assert_non_null(strstr(t, "1 required roles have nobody assigned: ROLE-1 'quoted' "
	    "<b>role</b>."));
	buf_free(&out);
	json_decref(res);
	db_close(db);
}

static void
test_report__rejects_other_json(void **state)
{
	struct buf out = BUF_INIT;
	json_t *j = json_pack("{s:i}", "score", 3);

	(void)state;
	assert_int_equal(report_readiness_html(&out, j), AIMS_EINVALID);
	assert_int_equal(report_readiness_text(&out, j), AIMS_EINVALID);
	json_decref(j);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report__html_is_self_contained_and_escaped),
		cmocka_unit_test(test_report__text),
		cmocka_unit_test(test_report__rejects_other_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
