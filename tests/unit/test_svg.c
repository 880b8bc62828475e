/* test_svg.c - unit tests for src/io/svg.c: the server-drawn charts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "io/svg.h"
#include "util/buf.h"
#include "testutil.h"

#define XSS "<script>alert(1)</script>\"'"

static void
assert_accessible(const char *svg, const char *id)
{
	char want[128];

	snprintf(want, sizeof(want), "aria-labelledby=\"%s-t %s-d\"", id, id);
	assert_non_null(strstr(svg, want));
	/* One image, or a group when its parts are links (an image's parts are hidden). */
	assert_non_null(strstr(svg, strstr(svg, "<a ") != NULL ? "role=\"group\"" :
	    "role=\"img\""));
	snprintf(want, sizeof(want), "<title id=\"%s-t\">", id);
	assert_non_null(strstr(svg, want));
	snprintf(want, sizeof(want), "<desc id=\"%s-d\">", id);
	assert_non_null(strstr(svg, want));
	assert_null(strstr(svg, "style="));
	assert_null(strstr(svg, "<script"));
	assert_int_equal(count_of(svg, "<svg"), 1);
	assert_int_equal(count_of(svg, "</svg>"), 1);
}

static void
fill_grid(long long counts[25], int bands[25])
{
	int l, i;

	for (l = 1; l <= 5; l++)
		for (i = 1; i <= 5; i++) {
			counts[(l - 1) * 5 + i - 1] = (l == 3 && i == 4) ? 7 : (l == i ? 1 : 0);
			bands[(l - 1) * 5 + i - 1] = (l * i >= 15) ? 3 : (l * i >= 8) ? 2 :
			    (l * i >= 4) ? 1 : 0;
		}
}

static void
test_svg__heatmap_cells_link_to_filtered_list(void **state)
{
	static const char *const lab[] = { "Rare", "Unlikely", "Possible", "Likely",
	    "Almost certain" };
	static const char *const bl[] = { "Low", "Medium", "High", "Critical" };
	struct svg_heatmap hm = { "hm-inh", "Inherent risk", NULL, 5, 5, NULL, NULL,
	    lab, lab, "Likelihood", "Impact", bl, 4, "/o/acme/risks", "likelihood", "impact" };
	struct buf b = BUF_INIT;
	long long counts[25];
	int bands[25];
	const char *s;

	(void)state;
	fill_grid(counts, bands);
	hm.counts = counts;
	hm.bands = bands;
	svg_heatmap(&b, &hm);
	s = buf_str(&b);
	assert_accessible(s, "hm-inh");
	assert_int_equal(count_of(s, "<rect class=\"cell band-"), 25);
	/* 5 diagonal cells + the 7 at likelihood 3, impact 4: six links. */
	assert_int_equal(count_of(s, "<a href="), 6);
	assert_non_null(strstr(s, "href=\"/o/acme/risks?likelihood=3&amp;impact=4\""));
	assert_non_null(strstr(s, ">7</text>"));
	assert_non_null(strstr(s, "aria-label=\"Likelihood 3 (Possible), Impact 4 (Likely): 7\""));
	assert_non_null(strstr(s, "cell band-3"));
	assert_non_null(strstr(s, "Almost certain"));
	assert_non_null(strstr(s, "Critical"));
	assert_non_null(strstr(s, "12 risks by Likelihood"));
	buf_free(&b);
}

static void
test_svg__heatmap_escapes_labels_and_refuses_bad_grid(void **state)
{
	static const char *const lab[] = { XSS, XSS, XSS };
	static const char *const bl[] = { XSS };
	long long counts[9] = { 1, 0, 0, 0, 2, 0, 0, 0, 3 };
	int bands[9] = { 0 };
	struct svg_heatmap hm = { "h", XSS, XSS, 3, 3, counts, bands, lab, lab, XSS, XSS,
	    bl, 1, "javascript:alert(1)", "l", "i" };
	struct buf b = BUF_INIT;

	(void)state;
	svg_heatmap(&b, &hm);
	assert_accessible(buf_str(&b), "h");
	assert_null(strstr(buf_str(&b), "javascript:"));
	assert_null(strstr(buf_str(&b), "'"));
	buf_reset(&b);
	hm.rows = 8;
	svg_heatmap(&b, &hm);
	assert_null(strstr(buf_str(&b), "<svg"));
	assert_non_null(strstr(buf_str(&b), "not set"));
	buf_free(&b);
}

static void
test_svg__progress_bars_scale_to_total(void **state)
{
	struct svg_bar bars[] = {
		{ "Decided", 19, 38, "/o/acme/soa?filter=undecided" },
		{ "Implemented", 38, 38, NULL },
		{ "Empty", 0, 0, NULL },
	};
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	svg_progress(&b, "soa", "Statement of Applicability", bars, 3);
	s = buf_str(&b);
	assert_accessible(s, "soa");
	assert_non_null(strstr(s, "19 / 38 (50%)"));
	assert_non_null(strstr(s, "38 / 38 (100%)"));
	assert_non_null(strstr(s, ">n/a</text>"));	/* nothing to measure against */
	assert_non_null(strstr(s, "width=\"150\" height=\"16\""));	/* half of 300 */
	assert_non_null(strstr(s, "width=\"300\" height=\"16\""));
	assert_non_null(strstr(s, "Decided: 19 of 38; Implemented: 38 of 38"));
	assert_int_equal(count_of(s, "<a href="), 1);
	buf_free(&b);
}

static void
test_svg__bar_chart_scales_to_max(void **state)
{
	struct svg_bar bars[] = {
		{ "High-risk", 4, 0, "/o/acme/ai-systems?eu_ai_act_category=high_risk" },
		{ "Minimal", 8, 0, NULL },
		{ "A label that is much longer than the space it has, even above the bar", 2, 0,
		    NULL },
	};
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	svg_bar_chart(&b, "cat", "AI systems by category", bars, 3);
	s = buf_str(&b);
	assert_accessible(s, "cat");
	assert_non_null(strstr(s, "width=\"150\""));	/* 4 of max 8 */
	assert_non_null(strstr(s, "width=\"300\""));
	assert_non_null(strstr(s, ">8</text>"));
	assert_non_null(strstr(s, "A label that is much longer than the space it h\xe2\x80\xa6"));
	assert_non_null(strstr(s, "eu_ai_act_category=high_risk"));
	buf_free(&b);
}

static void
test_svg__sparkline_points(void **state)
{
	double v[] = { 1, 3, 2, 5 };
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	svg_sparkline(&b, "sp", "Readiness trend", v, 4);
	s = buf_str(&b);
	assert_accessible(s, "sp");
	assert_non_null(strstr(s, "points=\"3.0,29.0 41.0,16.0 79.0,22.5 117.0,3.0\""));
	assert_non_null(strstr(s, "4 values from 1 to 5; lowest 1, highest 5."));
	assert_non_null(strstr(s, "<circle class=\"last\" cx=\"117.0\" cy=\"3.0\""));
	buf_reset(&b);
	svg_sparkline(&b, "sp0", "Empty", v, 0);
	assert_accessible(buf_str(&b), "sp0");
	assert_non_null(strstr(buf_str(&b), "no data"));
	buf_free(&b);
}

/* A bar without a total (nothing to measure against) says n/a, not 0 %. */
static void
test_svg__progress_without_total_is_na(void **state)
{
	struct svg_bar bars[] = {
		{ "4 Context", 80, 100, NULL },
		{ "A.10 Third parties", 0, 0, NULL },
	};
	struct buf out = BUF_INIT;
	const char *s;

	(void)state;
	svg_progress(&out, "p", "Scores", bars, 2);
	s = buf_str(&out);
	assert_non_null(strstr(s, ">80 / 100 (80%)</text>"));
	assert_non_null(strstr(s, ">n/a</text>"));
	assert_null(strstr(s, "0 / 0"));
	assert_non_null(strstr(s, "A.10 Third parties: n/a."));
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg__heatmap_cells_link_to_filtered_list),
		cmocka_unit_test(test_svg__heatmap_escapes_labels_and_refuses_bad_grid),
		cmocka_unit_test(test_svg__progress_bars_scale_to_total),
		cmocka_unit_test(test_svg__bar_chart_scales_to_max),
		cmocka_unit_test(test_svg__sparkline_points),
		cmocka_unit_test(test_svg__progress_without_total_is_na),
	};

	return cmocka_run_group_tests_name("web_svg", tests, NULL, NULL);
}
