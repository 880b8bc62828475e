/*
 * export_xlsx.c - the XLSX writer of the export module (libxlsxwriter): per
 * sheet a bold header row that stays frozen, filters over all rows, the
 * column widths given, wrapped long text, numbers as numbers, and the cells
 * of styled columns coloured by the row's style (SoA status).
 */
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "io/export.h"
#include "io/export_sink.h"
#include "util/error.h"
#include "util/mem.h"

#define XLSX_SHEETS_MAX		4
#define XLSX_COLS_MAX		64

static const struct {
	const char	*style;
	lxw_color_t	 fill;
} xlsx_styles[] = {
	{ "implemented", 0xC6EFCE }, { "partial", 0xFFEB9C }, { "planned", 0xDDEBF7 },
	{ "not_started", 0xFFC7CE }, { "undecided", 0xF8CBAD }, { "excluded", 0xE7E6E6 },
};
#define XLSX_NSTYLES	(sizeof(xlsx_styles) / sizeof(xlsx_styles[0]))

struct export_xlsx {
	lxw_workbook		*wb;
	lxw_worksheet		*ws;
	lxw_format		*header, *wrap, *styled[XLSX_NSTYLES];
	const struct export_col	*cols;
	size_t			 ncols;
	lxw_row_t		 row;
	int			 nsheets;
	int			 rc;	/* first error, sticky */
};

static int
xlsx_fail(struct export_xlsx *x, lxw_error e)
{
	if (x->rc == 0)
		x->rc = aims_error_set(AIMS_ERROR, NULL, "spreadsheet: %s", lxw_strerror(e));
	return x->rc;
}

static void
xlsx_formats(struct export_xlsx *x)
{
	size_t i;

	x->header = workbook_add_format(x->wb);
	format_set_bold(x->header);
	format_set_bg_color(x->header, 0x1F3864);
	format_set_font_color(x->header, LXW_COLOR_WHITE);
	format_set_text_wrap(x->header);
	format_set_align(x->header, LXW_ALIGN_VERTICAL_TOP);
	x->wrap = workbook_add_format(x->wb);
	format_set_text_wrap(x->wrap);
	format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
	for (i = 0; i < XLSX_NSTYLES; i++) {
		x->styled[i] = workbook_add_format(x->wb);
		format_set_bg_color(x->styled[i], xlsx_styles[i].fill);
		format_set_align(x->styled[i], LXW_ALIGN_VERTICAL_TOP);
	}
}

int
export_xlsx_new(struct export_xlsx **out, const char *path, const struct export_doc *doc,
    bool constant_memory)
{
	lxw_workbook_options opts = { .constant_memory = constant_memory };
	lxw_doc_properties props = { 0 };
	const char *tmp = getenv("TMPDIR");
	struct export_xlsx *x;

	*out = NULL;
	/* The library's own temporary files follow $TMPDIR too (else tmpfile(3) in /tmp). */
	if (tmp != NULL && *tmp != '\0')
		opts.tmpdir = (char *)tmp;
	x = xcalloc(1, sizeof(*x));
	if ((x->wb = workbook_new_opt(path, &opts)) == NULL) {
		free(x);
		return aims_error_set(AIMS_ERROR, NULL, "cannot start a spreadsheet");
	}
	props.title = (char *)doc->title;
	props.subject = (char *)doc->subject;
	props.company = (char *)doc->company;
	props.comments = (char *)doc->comments;
	props.author = (char *)"OpenAIMS";
	workbook_set_properties(x->wb, &props);
	xlsx_formats(x);
	*out = x;
	return 0;
}

/* Filters over the finished sheet's rows. */
static void
xlsx_sheet_end(struct export_xlsx *x)
{
	lxw_error e;

	if (x->ws == NULL || x->ncols == 0)
		return;
	if ((e = worksheet_autofilter(x->ws, 0, 0, x->row > 0 ? x->row - 1 : 0,
	    (lxw_col_t)(x->ncols - 1))) != LXW_NO_ERROR)
		xlsx_fail(x, e);
}

static int
xlsx_sheet(void *ctx, const char *name, const struct export_col *cols, size_t ncols)
{
	struct export_xlsx *x = ctx;
	lxw_error e;
	size_t i;

	if (x->rc)
		return x->rc;
	if (x->nsheets == XLSX_SHEETS_MAX || ncols == 0 || ncols > XLSX_COLS_MAX)
		return x->rc = aims_error_set(AIMS_ERROR, NULL, "spreadsheet shape not supported");
	xlsx_sheet_end(x);
	if ((x->ws = workbook_add_worksheet(x->wb, name)) == NULL)
		return x->rc = aims_error_set(AIMS_ERROR, NULL, "cannot add sheet %s", name);
	x->nsheets++;
	x->cols = cols;
	x->ncols = ncols;
	x->row = 0;
	for (i = 0; i < ncols; i++) {
		worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].width,
		    cols[i].type == COL_WRAP ? x->wrap : NULL);
		if ((e = worksheet_write_string(x->ws, 0, (lxw_col_t)i, cols[i].header,
		    x->header)) != LXW_NO_ERROR)
			return xlsx_fail(x, e);
	}
	worksheet_freeze_panes(x->ws, 1, 0);
	x->row = 1;
	return 0;
}

static lxw_format *
xlsx_cell_format(struct export_xlsx *x, size_t col, const char *style)
{
	size_t i;

	if (style && x->cols[col].styled)
		for (i = 0; i < XLSX_NSTYLES; i++)
			if (strcmp(xlsx_styles[i].style, style) == 0)
				return x->styled[i];
	return x->cols[col].type == COL_WRAP ? x->wrap : NULL;
}

/* A copy of s cut to EXPORT_CELL_MAX bytes on a UTF-8 boundary, or NULL if it fits. */
static char *
xlsx_cut(const char *s)
{
	size_t n = strlen(s);

	if (n <= EXPORT_CELL_MAX)
		return NULL;
	n = EXPORT_CELL_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return xstrndup(s, n);
}

static int
xlsx_row(void *ctx, const char *const *cells, const char *style)
{
	struct export_xlsx *x = ctx;
	const char *s;
	char *end, *cut;
	double v;
	lxw_error e;
	size_t i;

	if (x->rc)
		return x->rc;
	if (x->row >= LXW_ROW_MAX)
		return x->rc = aims_error_set(AIMS_ETOOBIG, NULL, "too many rows for a spreadsheet");
	for (i = 0; i < x->ncols; i++) {
		s = cells[i] ? cells[i] : "";
		if (*s == '\0' && !(style && x->cols[i].styled))
			continue;
		if (x->cols[i].type == COL_NUMBER && *s && (v = strtod(s, &end), *end == '\0'))
			e = worksheet_write_number(x->ws, x->row, (lxw_col_t)i, v,
			    xlsx_cell_format(x, i, style));
		else {
			cut = xlsx_cut(s);
			e = worksheet_write_string(x->ws, x->row, (lxw_col_t)i, cut ? cut : s,
			    xlsx_cell_format(x, i, style));
			free(cut);
		}
		if (e != LXW_NO_ERROR)
			return xlsx_fail(x, e);
	}
	x->row++;
	return 0;
}

void
export_xlsx_sink(struct export_sink *sink, struct export_xlsx *x)
{
	sink->sheet = xlsx_sheet;
	sink->row = xlsx_row;
	sink->ctx = x;
}

int
export_xlsx_close(struct export_xlsx *x)
{
	lxw_error e;
	int rc;

	xlsx_sheet_end(x);
	e = workbook_close(x->wb);
	rc = x->rc;
	if (rc == 0 && e != LXW_NO_ERROR)
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot write the spreadsheet: %s",
		    lxw_strerror(e));
	free(x);
	return rc;
}
