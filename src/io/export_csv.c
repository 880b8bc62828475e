/*
 * export_csv.c - the CSV writer of the export module (RFC 4180 with CRLF).
 * A text cell that starts with = + - @ or a tab/CR would be run as a formula
 * by a spreadsheet; it is written with a leading apostrophe instead.
 */
#include <stdlib.h>
#include <string.h>

#include "io/export_sink.h"
#include "util/mem.h"

struct export_csv {
	struct buf		*out;
	const struct export_col	*cols;
	size_t			 ncols;
	int			 sheets;
};

struct export_csv *
export_csv_new(struct buf *out)
{
	struct export_csv *c = xcalloc(1, sizeof(*c));

	c->out = out;
	return c;
}

void
export_csv_free(struct export_csv *c)
{
	free(c);
}

static void
csv_cell(struct buf *b, const char *s, bool text)
{
	bool formula = text && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
	const char *p;

	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

static void
csv_line(struct export_csv *c, const char *const *cells, bool header)
{
	size_t i;

	for (i = 0; i < c->ncols; i++) {
		if (i)
			buf_putc(c->out, ',');
		csv_cell(c->out, cells[i] ? cells[i] : "",
		    header || c->cols[i].type != COL_NUMBER);
	}
	buf_puts(c->out, "\r\n");
}

static int
csv_sheet(void *ctx, const char *name, const struct export_col *cols, size_t ncols)
{
	struct export_csv *c = ctx;
	const char *headers[64];
	size_t i;

	(void)name;
	if (c->sheets++ > 0 || ncols > sizeof(headers) / sizeof(headers[0]))
		return 0;
	c->cols = cols;
	c->ncols = ncols;
	for (i = 0; i < ncols; i++)
		headers[i] = cols[i].header;
	csv_line(c, headers, true);
	return 0;
}

static int
csv_row(void *ctx, const char *const *cells, const char *style)
{
	struct export_csv *c = ctx;

	(void)style;
	if (c->sheets == 1)
		csv_line(c, cells, false);
	return 0;
}

void
export_csv_sink(struct export_sink *sink, struct export_csv *c)
{
	sink->sheet = csv_sheet;
	sink->row = csv_row;
	sink->ctx = c;
}
