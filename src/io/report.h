/*
 * report.h - the readiness answer (engine/readiness.h) rendered for people:
 * as plain text for the terminal, and as one self-contained HTML file
 * (inline CSS and SVG charts, printable, no script, no external resource).
 */
#ifndef AIMS_IO_REPORT_H
#define AIMS_IO_REPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "util/buf.h"

#define REPORT_BARS_MAX		16	/* clauses 4..10, areas A.2..A.10 */
#define REPORT_TREND_MAX	60	/* days in the trend, the latest ones */

/* report_text.c */
int report_readiness_text(struct buf *out, const json_t *readiness);
/*
 * report_audit.c: an audit report (core/audit.h audit_report()) as one
 * self-contained file, or only its content (<article class="audit-report">)
 * for a page that brings its own stylesheet.
 */
int report_audit_html(struct buf *out, const json_t *report);
int report_audit_body(struct buf *out, const json_t *report);
/* report_html.c */
int report_readiness_html(struct buf *out, const json_t *readiness);
/*
 * The readiness charts, drawn the same on the readiness page and in the
 * report: one progress bar per clause or area (groups: the answer's
 * "clauses" or "areas"), and the score by day (trend: its "trend"; false,
 * nothing drawn, with fewer than two days).
 */
void report_chart_scores(struct buf *out, const char *id, const char *title,
    const json_t *groups);
bool report_chart_trend(struct buf *out, const char *id, const json_t *trend);

#endif
