/*
 * export_sink.h - shared by the files of the export module (export*.c), not
 * for other modules: a table producer (export.c) writes sheets of rows into
 * a sink, the CSV writer (export_csv.c) or the XLSX writer (export_xlsx.c).
 */
#ifndef AIMS_IO_EXPORT_SINK_H
#define AIMS_IO_EXPORT_SINK_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

enum export_col_type { COL_TEXT, COL_NUMBER, COL_WRAP };

struct export_col {
	const char		*header;
	int			 width;		/* characters */
	enum export_col_type	 type;
	bool			 styled;	/* takes the row's style (colour) */
};

struct export_doc {
	const char	*title;		/* "Statement of Applicability" */
	const char	*subject;	/* "ISO/IEC 42001:2023, version 3" */
	const char	*company;	/* the organisation's name */
	const char	*comments;	/* "Generated 2026-03-01T10:00:00Z" */
};

struct export_sink {
	/* Starts a sheet; CSV keeps only the first one. */
	int	(*sheet)(void *ctx, const char *name, const struct export_col *cols, size_t ncols);
	/* cells[ncols]; style NULL or a key such as "implemented", "excluded". */
	int	(*row)(void *ctx, const char *const *cells, const char *style);
	void	*ctx;
};

/* export_csv.c: RFC 4180, CRLF, cells that a spreadsheet would run as a formula quoted. */
struct export_csv;
struct export_csv *export_csv_new(struct buf *out);
void export_csv_sink(struct export_sink *sink, struct export_csv *csv);
void export_csv_free(struct export_csv *csv);

/* export_xlsx.c: a workbook written to path when closed. */
struct export_xlsx;
int export_xlsx_new(struct export_xlsx **out, const char *path, const struct export_doc *doc,
    bool constant_memory);
void export_xlsx_sink(struct export_sink *sink, struct export_xlsx *x);
/* Finishes and writes the file; frees x either way. */
int export_xlsx_close(struct export_xlsx *x);

#endif
