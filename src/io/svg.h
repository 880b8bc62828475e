/*
 * svg.h - the one chart module: inline SVG drawn on the server, for the web
 * pages (web/) and the self-contained readiness report (io/report_html.c).
 * A risk heat map, progress bars, a bar chart and a trend sparkline.
 *
 * Every chart is an <svg role="img"> with a <title> and <desc> (referenced
 * by aria-labelledby) and text labels, so it reads without colour and
 * without a mouse. Colours come from classes (no style attributes: the
 * pages' Content-Security-Policy forbids them), styled by svg_css[]: served
 * as the end of app.css, inlined in a document that carries its own
 * stylesheet. All text is escaped through util/html.h. `id` must be unique
 * within the document.
 */
#ifndef AIMS_IO_SVG_H
#define AIMS_IO_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/tz.h"

#define SVG_GRID_MAX	7	/* risk scales have 3 to 7 levels */
#define SVG_BANDS_MAX	5	/* level bands: classes band-0 .. band-4 */
#define SVG_LABEL_MAX	18	/* characters of a label before it is cut with "…" */

struct svg_heatmap {
	const char		*id;
	const char		*title;		/* "Inherent risk" */
	const char		*desc;		/* one sentence for screen readers */
	int			 rows;		/* likelihood levels, drawn highest on top */
	int			 cols;		/* impact levels, lowest on the left */
	const long long		*counts;	/* rows*cols: [(likelihood-1)*cols + impact-1] */
	const int		*bands;		/* same shape: 0 .. nbands-1 */
	const char *const	*row_labels;	/* rows entries (level 1 first) or NULL */
	const char *const	*col_labels;	/* cols entries or NULL */
	const char		*row_axis;	/* "Likelihood" */
	const char		*col_axis;	/* "Impact" */
	const char *const	*band_labels;	/* nbands entries for the legend */
	int			 nbands;
	const char		*href;		/* list URL the cells link to, or NULL */
	const char		*row_param;	/* query name for the row level */
	const char		*col_param;	/* query name for the column level */
};

struct svg_bar {
	const char	*label;
	long long	 value;
	long long	 total;		/* progress only: the 100% mark; 0: "n/a" */
	const char	*href;		/* NULL: not a link */
};

/* A time series: one point per reading, or per bucket of a downsampled range. */
struct svg_point {
	long long	 at;		/* seconds since the epoch */
	double		 value;		/* the reading, or the bucket's mean */
	double		 min, max;	/* the bucket's extremes (value, value for a reading) */
};

struct svg_threshold {
	const char	*label;		/* "breach", "target" */
	double		 value;
	const char	*cls;		/* "warn", "breach", "target": the line's class */
};

#define SVG_SERIES_W		640
#define SVG_SERIES_H		220
#define SVG_THRESHOLDS_MAX	4

struct svg_series {
	const char			*id;
	const char			*title;		/* "Accuracy (%)" */
	const struct svg_point		*points;	/* oldest first */
	size_t				 n;
	long long			 from, to;	/* the range drawn, seconds */
	const struct svg_threshold	*thresholds;
	size_t				 nthresholds;	/* at most SVG_THRESHOLDS_MAX */
	bool				 downsampled;	/* draw the min..max envelope */
	const struct tz			*tz;		/* the days labelled are in it; NULL: UTC */
};

/*
 * A line chart of a series over [from, to] with its threshold lines, the
 * value axis spanning the readings and the thresholds; a downsampled series
 * also draws the band between each bucket's min and max. desc states the
 * number of points, the range and the lowest, highest and last values.
 */
void svg_series(struct buf *out, const struct svg_series *s);

/* The chart classes' styles (app.css ends with them). */
extern const char svg_css[];

/* Heat map; a grid outside 1..SVG_GRID_MAX draws a one-line notice instead. */
void svg_heatmap(struct buf *out, const struct svg_heatmap *hm);
/* One horizontal progress bar per entry: "value / total (pct%)", or "n/a" without a total. */
void svg_progress(struct buf *out, const char *id, const char *title,
    const struct svg_bar *bars, size_t n);
/* Horizontal bars scaled to the largest value, the count at each bar's end. */
void svg_bar_chart(struct buf *out, const char *id, const char *title,
    const struct svg_bar *bars, size_t n);
/* A small trend line over n values (oldest first); desc states first, last, min, max. */
void svg_sparkline(struct buf *out, const char *id, const char *title,
    const double *values, size_t n);

#endif
