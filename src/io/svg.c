/*
 * svg.c - server-drawn inline SVG charts (see svg.h).
 *
 * Geometry is in integer user units inside a viewBox; the CSS scales the
 * chart to its container. Numbers go through html_printf's %d/%lld, text
 * through its escaping %s, so nothing a user typed can become markup.
 */
#include <stdio.h>
#include <time.h>
#include <string.h>

#include "util/buf.h"
#include "util/html.h"
#include "io/svg.h"

/* Heat map geometry. */
#define HM_AXIS_W	22	/* rotated row-axis title */
#define HM_LABEL_W	132	/* row labels */
#define HM_CELL_W	64
#define HM_CELL_H	44
#define HM_TOP		6
#define HM_COL_LABEL	9	/* characters of a column label */
#define HM_LEGEND_H	26

/* Bar geometry (progress and bar chart): the label above each bar. */
#define BAR_W		300
#define BAR_TEXT_W	120
#define BAR_ROW_H	44
#define BAR_LABEL_Y	14	/* baseline of the label from the row top */
#define BAR_Y		20	/* bar top from the row top */
#define BAR_H		16
#define BAR_LABEL_MAX	48

/* Sparkline geometry. */
#define SPARK_W		120
#define SPARK_H		32
#define SPARK_PAD	3

/*
 * The one stylesheet of the charts. The pages get it at the end of app.css
 * (web/asset.c), whose custom properties (--brand, --text...) it uses; a
 * document without them, such as the readiness report, gets the fallbacks.
 */
const char svg_css[] =
    "\n/* Charts (io/svg.c) */\n"
    "svg.chart{display:block;width:100%;height:auto;"
    "font-family:var(--font,system-ui,sans-serif)}\n"
    "svg.heatmap{max-width:34rem}\n"
    "svg.progress,svg.bars{max-width:30rem}\n"
    "svg.spark{width:120px;display:inline-block;vertical-align:middle}\n"
    ".chart text{fill:var(--text,#1a1f27);font-size:12px}\n"
    ".chart .tick{fill:var(--muted,#566170)}\n"
    ".chart .small{font-size:10px}\n"
    ".chart .axis{font-weight:700;fill:var(--muted,#566170);font-size:11px;"
    "letter-spacing:.04em}\n"
    ".chart .count{font-weight:700;font-size:14px;fill:#101828}\n"
    ".chart .cell{stroke:#fff;stroke-width:2}\n"
    ".chart a:hover .cell{stroke:var(--brand-dark,#1e3a8a)}\n"
    ".chart a:focus{outline:none}\n"
    ".chart a:focus-visible .cell{stroke:var(--focus,#f59e0b);stroke-width:4}\n"
    ".chart .band-0{fill:#c9f0d6}\n"
    ".chart .band-1{fill:#fdf0b8}\n"
    ".chart .band-2{fill:#fdd49e}\n"
    ".chart .band-3{fill:#fba89f}\n"
    ".chart .band-4{fill:#e5564a}\n"
    ".chart .track{fill:#e7eaef}\n"
    ".chart .fill{fill:var(--brand,#1d4ed8)}\n"
    ".chart a:hover .fill{fill:var(--brand-dark,#1e3a8a)}\n"
    ".chart .label{fill:var(--text,#1a1f27);font-size:13px}\n"
    ".chart .value{font-size:13px;fill:var(--muted,#566170);"
    "font-variant-numeric:tabular-nums}\n"
    ".chart .line{stroke:var(--brand,#1d4ed8);stroke-width:2}\n"
    ".chart .last{fill:var(--brand,#1d4ed8)}\n"
    "svg.series{max-width:40rem}\n"
    ".chart .frame{fill:none;stroke:#d5dae1}\n"
    ".chart .envelope{fill:#c7d7fb;stroke:none}\n"
    ".chart .th{stroke-width:1.5;stroke-dasharray:6 4}\n"
    ".chart .th-warn{stroke:#b45309}\n"
    ".chart .th-breach{stroke:#b91c1c}\n"
    ".chart .th-target{stroke:#047857}\n";

/* Appends s cut to max code points (the last one replaced by "…"), escaped. */
static void
svg_put_label(struct buf *out, const char *s, int max)
{
	size_t i, cut = 0;
	int n = 0;

	if (s == NULL)
		return;
	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (++n == max)
			cut = i;
	}
	if (n <= max) {
		html_escape(out, s);
		return;
	}
	html_escape_n(out, s, cut);
	buf_puts(out, "\xe2\x80\xa6");
}

/*
 * A chart whose parts link somewhere is a group of links, not one image:
 * an image's children are hidden from assistive technology, so links in it
 * would be unreachable (WCAG 4.1.2, axe "nested-interactive").
 */
static void
svg_open(struct buf *out, const char *cls, const char *id, int w, int h,
    const char *title, const char *desc, bool links)
{
	html_printf(out, "<svg class=\"chart %s\" id=\"%s\" viewBox=\"0 0 %d %d\" "
	    "role=\"%s\" aria-labelledby=\"%s-t %s-d\" xmlns=\"http://www.w3.org/2000/svg\">"
	    "<title id=\"%s-t\">%s</title>", cls, id, w, h, links ? "group" : "img", id, id,
	    id, title);
	html_printf(out, "<desc id=\"%s-d\">", id);
	html_escape(out, desc);
	buf_puts(out, "</desc>");
}

static long long
svg_heatmap_total(const struct svg_heatmap *hm)
{
	long long total = 0;
	int i;

	for (i = 0; i < hm->rows * hm->cols; i++)
		total += hm->counts[i];
	return total;
}

static const char *
svg_level_label(const char *const *labels, int level)
{
	return labels != NULL ? labels[level - 1] : NULL;
}

/* Spreads n bands over the colour classes so the last band is always the darkest. */
static int
svg_band_class(const struct svg_heatmap *hm, int band)
{
	int n = hm->nbands > 1 ? hm->nbands : SVG_BANDS_MAX;

	if (band < 0)
		band = 0;
	if (band >= n)
		band = n - 1;
	return n > 1 ? (band * (SVG_BANDS_MAX - 1) + (n - 1) / 2) / (n - 1) : 0;
}

static void
svg_heatmap_cell(struct buf *out, const struct svg_heatmap *hm, int row, int col,
    int x, int y)
{
	long long count = hm->counts[(row - 1) * hm->cols + col - 1];
	int band = hm->bands[(row - 1) * hm->cols + col - 1];
	struct buf url = BUF_INIT, name = BUF_INIT;
	const char *rl = svg_level_label(hm->row_labels, row);
	const char *cl = svg_level_label(hm->col_labels, col);
	char num[24];

	band = svg_band_class(hm, band);
	html_printf(&name, "%s %d%s%s%s, %s %d%s%s%s: %lld", hm->row_axis, row,
	    rl ? " (" : "", rl ? rl : "", rl ? ")" : "", hm->col_axis, col,
	    cl ? " (" : "", cl ? cl : "", cl ? ")" : "", count);
	if (count > 0 && hm->href != NULL) {
		buf_puts(&url, hm->href);
		snprintf(num, sizeof(num), "%d", row);
		html_url_query(&url, hm->row_param, num);
		snprintf(num, sizeof(num), "%d", col);
		html_url_query(&url, hm->col_param, num);
		html_printf(out, "<a href=\"%s\" aria-label=\"", html_safe_url(buf_str(&url)));
		html_raw_UNSAFE(out, buf_str(&name));	/* escaped above */
		buf_puts(out, "\">");
	} else {
		buf_puts(out, "<g>");
	}
	html_printf(out, "<rect class=\"cell band-%d\" x=\"%d\" y=\"%d\" width=\"%d\" "
	    "height=\"%d\" rx=\"4\"><title>", band, x + 1, y + 1, HM_CELL_W - 2, HM_CELL_H - 2);
	html_raw_UNSAFE(out, buf_str(&name));		/* escaped above */
	buf_puts(out, "</title></rect>");
	if (count > 0)
		html_printf(out, "<text class=\"count\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
		    "dominant-baseline=\"central\">%lld</text>", x + HM_CELL_W / 2,
		    y + HM_CELL_H / 2, count);
	buf_puts(out, count > 0 && hm->href != NULL ? "</a>" : "</g>");
	buf_free(&url);
	buf_free(&name);
}

static void
svg_heatmap_axes(struct buf *out, const struct svg_heatmap *hm, int gx, int gy)
{
	int r, c, x, y, gh = hm->rows * HM_CELL_H;

	html_printf(out, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
	    "transform=\"rotate(-90 %d %d)\">%s</text>", 14, gy + gh / 2, 14, gy + gh / 2,
	    hm->row_axis);
	for (r = hm->rows; r >= 1; r--) {
		y = gy + (hm->rows - r) * HM_CELL_H + HM_CELL_H / 2;
		html_printf(out, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\" "
		    "dominant-baseline=\"central\"><title>%s</title>%d ", gx - 6, y,
		    svg_level_label(hm->row_labels, r), r);
		svg_put_label(out, svg_level_label(hm->row_labels, r), SVG_LABEL_MAX - 2);
		buf_puts(out, "</text>");
	}
	for (c = 1; c <= hm->cols; c++) {
		x = gx + (c - 1) * HM_CELL_W + HM_CELL_W / 2;
		html_printf(out, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
		    "<title>%s</title>%d</text>", x, gy + gh + 14,
		    svg_level_label(hm->col_labels, c), c);
		html_printf(out, "<text class=\"tick small\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">", x, gy + gh + 27);
		svg_put_label(out, svg_level_label(hm->col_labels, c), HM_COL_LABEL);
		buf_puts(out, "</text>");
	}
	html_printf(out, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
	    gx + hm->cols * HM_CELL_W / 2, gy + gh + 44, hm->col_axis);
}

static void
svg_heatmap_legend(struct buf *out, const struct svg_heatmap *hm, int x, int y)
{
	int i;

	for (i = 0; i < hm->nbands && i < SVG_BANDS_MAX; i++) {
		html_printf(out, "<rect class=\"band-%d\" x=\"%d\" y=\"%d\" width=\"12\" "
		    "height=\"12\" rx=\"2\"/><text class=\"tick small\" x=\"%d\" y=\"%d\">",
		    svg_band_class(hm, i), x, y, x + 16, y + 10);
		svg_put_label(out, hm->band_labels[i], 12);
		buf_puts(out, "</text>");
		x += 100;
	}
}

void
svg_heatmap(struct buf *out, const struct svg_heatmap *hm)
{
	struct buf desc = BUF_INIT;
	int gx = HM_AXIS_W + HM_LABEL_W, gy = HM_TOP, r, c, w, h;

	if (hm->rows < 1 || hm->rows > SVG_GRID_MAX || hm->cols < 1 ||
	    hm->cols > SVG_GRID_MAX) {
		html_printf(out, "<p class=\"notice\">%s: the risk scales are not set.</p>",
		    hm->title);
		return;
	}
	w = gx + hm->cols * HM_CELL_W + 8;
	if (w < HM_AXIS_W + hm->nbands * 100)
		w = HM_AXIS_W + hm->nbands * 100;
	h = gy + hm->rows * HM_CELL_H + 52 + (hm->nbands > 0 ? HM_LEGEND_H : 0);
	if (hm->desc != NULL)
		buf_puts(&desc, hm->desc);
	else
		buf_printf(&desc, "%lld risks by %s (rows, highest first) and %s (columns).",
		    svg_heatmap_total(hm), hm->row_axis, hm->col_axis);
	svg_open(out, "heatmap", hm->id, w, h, hm->title, buf_str(&desc), hm->href != NULL);
	svg_heatmap_axes(out, hm, gx, gy);
	for (r = hm->rows; r >= 1; r--)
		for (c = 1; c <= hm->cols; c++)
			svg_heatmap_cell(out, hm, r, c, gx + (c - 1) * HM_CELL_W,
			    gy + (hm->rows - r) * HM_CELL_H);
	if (hm->nbands > 0)
		svg_heatmap_legend(out, hm, HM_AXIS_W, h - HM_LEGEND_H + 8);
	buf_puts(out, "</svg>");
	buf_free(&desc);
}

static void
svg_bar_label(struct buf *out, const struct svg_bar *b, int top)
{
	html_printf(out, "<text class=\"label\" x=\"0\" y=\"%d\"><title>%s</title>",
	    top + BAR_LABEL_Y, b->label);
	svg_put_label(out, b->label, BAR_LABEL_MAX);
	buf_puts(out, "</text>");
}

static void
svg_bar_open_link(struct buf *out, const struct svg_bar *b)
{
	if (b->href != NULL)
		html_printf(out, "<a href=\"%s\">", html_safe_url(b->href));
}

static void
svg_bar_close_link(struct buf *out, const struct svg_bar *b)
{
	if (b->href != NULL)
		buf_puts(out, "</a>");
}

static bool
svg_bars_link(const struct svg_bar *bars, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (bars[i].href != NULL)
			return true;
	return false;
}

static long long
svg_scale(long long v, long long max, long long width)
{
	if (max <= 0 || v <= 0)
		return 0;
	if (v >= max)
		return width;
	return v * width / max;
}

void
svg_progress(struct buf *out, const char *id, const char *title,
    const struct svg_bar *bars, size_t n)
{
	struct buf desc = BUF_INIT;
	long long pct;
	size_t i;
	int y;

	for (i = 0; i < n; i++) {
		if (bars[i].total > 0)
			buf_printf(&desc, "%s%s: %lld of %lld", i ? "; " : "", bars[i].label,
			    bars[i].value, bars[i].total);
		else
			buf_printf(&desc, "%s%s: n/a", i ? "; " : "", bars[i].label);
	}
	buf_putc(&desc, '.');
	svg_open(out, "progress", id, BAR_W + BAR_TEXT_W, (int)n * BAR_ROW_H, title,
	    buf_str(&desc), svg_bars_link(bars, n));
	for (i = 0; i < n; i++) {
		y = (int)i * BAR_ROW_H;
		pct = bars[i].total > 0 ? svg_scale(bars[i].value, bars[i].total, 100) : 0;
		svg_bar_open_link(out, &bars[i]);
		svg_bar_label(out, &bars[i], y);
		html_printf(out, "<rect class=\"track\" x=\"0\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\" rx=\"3\"/><rect class=\"fill\" x=\"0\" y=\"%d\" "
		    "width=\"%lld\" height=\"%d\" rx=\"3\"/>", y + BAR_Y, BAR_W, BAR_H,
		    y + BAR_Y, svg_scale(bars[i].value, bars[i].total, BAR_W), BAR_H);
		html_printf(out, "<text class=\"value\" x=\"%d\" y=\"%d\" "
		    "dominant-baseline=\"central\">", BAR_W + 8, y + BAR_Y + BAR_H / 2);
		if (bars[i].total > 0)
			html_printf(out, "%lld / %lld (%lld%%)", bars[i].value, bars[i].total, pct);
		else
			buf_puts(out, "n/a");
		buf_puts(out, "</text>");
		svg_bar_close_link(out, &bars[i]);
	}
	buf_puts(out, "</svg>");
	buf_free(&desc);
}

void
svg_bar_chart(struct buf *out, const char *id, const char *title,
    const struct svg_bar *bars, size_t n)
{
	struct buf desc = BUF_INIT;
	long long max = 0;
	size_t i;
	int y;

	for (i = 0; i < n; i++) {
		if (bars[i].value > max)
			max = bars[i].value;
		buf_printf(&desc, "%s%s: %lld", i ? "; " : "", bars[i].label, bars[i].value);
	}
	buf_putc(&desc, '.');
	svg_open(out, "bars", id, BAR_W + BAR_TEXT_W / 2, (int)n * BAR_ROW_H, title,
	    buf_str(&desc), svg_bars_link(bars, n));
	for (i = 0; i < n; i++) {
		long long bw = svg_scale(bars[i].value, max, BAR_W);

		y = (int)i * BAR_ROW_H;
		svg_bar_open_link(out, &bars[i]);
		svg_bar_label(out, &bars[i], y);
		html_printf(out, "<rect class=\"fill\" x=\"0\" y=\"%d\" width=\"%lld\" "
		    "height=\"%d\" rx=\"3\"/><text class=\"value\" x=\"%lld\" y=\"%d\" "
		    "dominant-baseline=\"central\">%lld</text>", y + BAR_Y, bw, BAR_H, bw + 6,
		    y + BAR_Y + BAR_H / 2, bars[i].value);
		svg_bar_close_link(out, &bars[i]);
	}
	buf_puts(out, "</svg>");
	buf_free(&desc);
}

static void
svg_spark_range(const double *v, size_t n, double *min, double *max)
{
	size_t i;

	*min = *max = v[0];
	for (i = 1; i < n; i++) {
		if (v[i] < *min)
			*min = v[i];
		if (v[i] > *max)
			*max = v[i];
	}
}

static void
svg_spark_point(const double *v, size_t n, size_t i, double min, double max,
    double *x, double *y)
{
	double span = max - min;

	*x = n > 1 ? SPARK_PAD + (double)i * (SPARK_W - 2 * SPARK_PAD) / (double)(n - 1)
	    : SPARK_W / 2.0;
	*y = span > 0 ? SPARK_H - SPARK_PAD - (v[i] - min) * (SPARK_H - 2 * SPARK_PAD) / span
	    : SPARK_H / 2.0;
}

void
svg_sparkline(struct buf *out, const char *id, const char *title,
    const double *values, size_t n)
{
	struct buf desc = BUF_INIT;
	double min, max, x, y;
	size_t i;

	if (n == 0) {
		svg_open(out, "spark", id, SPARK_W, SPARK_H, title, "No readings yet.", false);
		html_printf(out, "<text class=\"tick small\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">no data</text></svg>", SPARK_W / 2, SPARK_H / 2);
		return;
	}
	svg_spark_range(values, n, &min, &max);
	buf_printf(&desc, "%zu values from %g to %g; lowest %g, highest %g.", n, values[0],
	    values[n - 1], min, max);
	svg_open(out, "spark", id, SPARK_W, SPARK_H, title, buf_str(&desc), false);
	buf_puts(out, "<polyline class=\"line\" fill=\"none\" points=\"");
	for (i = 0; i < n; i++) {
		svg_spark_point(values, n, i, min, max, &x, &y);
		buf_printf(out, "%s%.1f,%.1f", i ? " " : "", x, y);
	}
	buf_puts(out, "\"/>");
	svg_spark_point(values, n, n - 1, min, max, &x, &y);
	buf_printf(out, "<circle class=\"last\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/></svg>", x, y);
	buf_free(&desc);
}

/* Plot area of a series chart, inside the axis labels. */
#define SERIES_LEFT	56
#define SERIES_RIGHT	88	/* room for threshold labels */
#define SERIES_TOP	10
#define SERIES_BOTTOM	28

static double
series_x(const struct svg_series *s, long long at)
{
	double w = SVG_SERIES_W - SERIES_LEFT - SERIES_RIGHT;

	if (s->to <= s->from)
		return SERIES_LEFT;
	return SERIES_LEFT + w * (double)(at - s->from) / (double)(s->to - s->from);
}

static double
series_y(double v, double lo, double hi)
{
	double h = SVG_SERIES_H - SERIES_TOP - SERIES_BOTTOM;

	return SERIES_TOP + h * (hi - v) / (hi - lo);
}

/* The day of t in the zone tz (the organisation's: readings are labelled by its days). */
static void
series_day(char out[11], long long t, const struct tz *tz)
{
	time_t tt = (time_t)t;
	struct tm tm;

	tt += tz_offset(tz, tt, NULL);
	gmtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void
svg_series(struct buf *out, const struct svg_series *s)
{
	struct buf desc = BUF_INIT;
	double lo = 0, hi = 0, y;
	char d0[11], d1[11];
	size_t i, nth = s->nthresholds < SVG_THRESHOLDS_MAX ? s->nthresholds :
	    SVG_THRESHOLDS_MAX;

	series_day(d0, s->from, s->tz);
	series_day(d1, s->to, s->tz);
	if (s->n == 0) {
		buf_printf(&desc, "No readings from %s to %s.", d0, d1);
		svg_open(out, "series", s->id, SVG_SERIES_W, SVG_SERIES_H / 2, s->title,
		    buf_str(&desc), false);
		html_printf(out, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
		    "no readings in this range</text></svg>", SVG_SERIES_W / 2, SVG_SERIES_H / 4);
		buf_free(&desc);
		return;
	}
	lo = s->points[0].min;
	hi = s->points[0].max;
	for (i = 0; i < s->n; i++) {
		lo = s->points[i].min < lo ? s->points[i].min : lo;
		hi = s->points[i].max > hi ? s->points[i].max : hi;
	}
	buf_printf(&desc, "%zu %s from %s to %s; lowest %g, highest %g, last %g.", s->n,
	    s->downsampled ? "points (each the mean of a time bucket)" : "readings", d0, d1, lo,
	    hi, s->points[s->n - 1].value);
	for (i = 0; i < nth; i++) {
		lo = s->thresholds[i].value < lo ? s->thresholds[i].value : lo;
		hi = s->thresholds[i].value > hi ? s->thresholds[i].value : hi;
		buf_printf(&desc, " %s line at %g.", s->thresholds[i].label,
		    s->thresholds[i].value);
	}
	if (hi == lo) {
		hi += 1;
		lo -= 1;
	} else {
		double pad = (hi - lo) * 0.05;

		hi += pad;
		lo -= pad;
	}
	svg_open(out, "series", s->id, SVG_SERIES_W, SVG_SERIES_H, s->title, buf_str(&desc),
	    false);
	buf_printf(out, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
	    SERIES_LEFT, SERIES_TOP, SVG_SERIES_W - SERIES_LEFT - SERIES_RIGHT,
	    SVG_SERIES_H - SERIES_TOP - SERIES_BOTTOM);
	buf_printf(out, "<text class=\"tick small\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">"
	    "%.4g</text>", SERIES_LEFT - 4, series_y(hi, lo, hi) + 4, hi);
	buf_printf(out, "<text class=\"tick small\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">"
	    "%.4g</text>", SERIES_LEFT - 4, series_y(lo, lo, hi), lo);
	buf_printf(out, "<text class=\"tick small\" x=\"%d\" y=\"%d\">%s</text>",
	    SERIES_LEFT, SVG_SERIES_H - 8, d0);
	buf_printf(out, "<text class=\"tick small\" x=\"%d\" y=\"%d\" text-anchor=\"end\">"
	    "%s</text>", SVG_SERIES_W - SERIES_RIGHT, SVG_SERIES_H - 8, d1);
	if (s->downsampled && s->n > 1) {
		buf_puts(out, "<polygon class=\"envelope\" points=\"");
		for (i = 0; i < s->n; i++)
			buf_printf(out, "%s%.1f,%.1f", i ? " " : "", series_x(s, s->points[i].at),
			    series_y(s->points[i].max, lo, hi));
		for (i = s->n; i-- > 0;)
			buf_printf(out, " %.1f,%.1f", series_x(s, s->points[i].at),
			    series_y(s->points[i].min, lo, hi));
		buf_puts(out, "\"/>");
	}
	for (i = 0; i < nth; i++) {
		y = series_y(s->thresholds[i].value, lo, hi);
		html_printf(out, "<line class=\"th th-%s\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" "
		    "y2=\"%.1f\"/>", s->thresholds[i].cls, SERIES_LEFT,
		    SVG_SERIES_W - SERIES_RIGHT, y, y);
		html_printf(out, "<text class=\"tick small\" x=\"%d\" y=\"%.1f\">%s %.4g</text>",
		    SVG_SERIES_W - SERIES_RIGHT + 4, y + 4, s->thresholds[i].label,
		    s->thresholds[i].value);
	}
	buf_puts(out, "<polyline class=\"line\" fill=\"none\" points=\"");
	for (i = 0; i < s->n; i++)
		buf_printf(out, "%s%.1f,%.1f", i ? " " : "", series_x(s, s->points[i].at),
		    series_y(s->points[i].value, lo, hi));
	buf_puts(out, "\"/>");
	buf_printf(out, "<circle class=\"last\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/></svg>",
	    series_x(s, s->points[s->n - 1].at), series_y(s->points[s->n - 1].value, lo, hi));
	buf_free(&desc);
}
