/*
 * report.h - the readiness answer (engine/readiness.h) rendered for people:
 * as plain text for the terminal, and as one self-contained HTML file
 * (inline CSS and SVG charts, printable, no script, no external resource).
 */
#ifndef AIMS_IO_REPORT_H
#define AIMS_IO_REPORT_H

#include <jansson.h>

#include "util/buf.h"

#define REPORT_TITLE_MAX	60	/* characters of a title in chart labels */

/* report_text.c */
int report_readiness_text(struct buf *out, const json_t *readiness);
/* report_html.c */
int report_readiness_html(struct buf *out, const json_t *readiness);

#endif
