/*
 * import.h - reading records to import from a file: CSV whose first row
 * names the fields (as the API names them), or a JSON array of objects.
 * Nothing is written here: the rows go to record_import() in core.
 *
 * CSV cells are converted by the declared type of their column: list
 * fields split on ';', booleans from true/false/yes/no/1/0, whole numbers,
 * objects and object lists as JSON; empty cells are left out. A cell that
 * does not convert stays text, so core's validation names the field. Row
 * numbers count the CSV header as row 1 (so they match a spreadsheet); in
 * JSON the first element is row 1.
 */
#ifndef AIMS_IO_IMPORT_H
#define AIMS_IO_IMPORT_H

#include <jansson.h>
#include <stddef.h>

#include "core/record.h"

#define IMPORT_FILE_MAX		(64 * 1024 * 1024)	/* bytes */
#define IMPORT_ROWS_MAX		200000
#define IMPORT_CELL_MAX		(256 * 1024)		/* bytes in one CSV cell */

/*
 * Parses data into *rows (a JSON array of objects); *row_base is the number
 * of rows[0]. Problems that are not about one field's value (an unknown or
 * repeated column, a row with more cells than the header, bad JSON) are
 * listed in *errors as [{row, field, message}] (empty array when none);
 * the result is AIMS_EINVALID when the file cannot be read as rows at all.
 */
int import_parse(json_t **rows, int *row_base, json_t **errors, const struct record_kind *k,
    const char *data, size_t len);
/* The same from a file (at most IMPORT_FILE_MAX bytes). */
int import_read_file(json_t **rows, int *row_base, json_t **errors,
    const struct record_kind *k, const char *path);

/*
 * Metric readings as CSV: a header line "at,value" (in either order; other
 * columns refused), then one reading a line; blank lines skipped. *readings
 * is the JSON array metric_readings_push() takes: at as written, value a
 * number. AIMS_EINVALID naming "line N" (the header is line 1) and the
 * column when a line cannot be read; the value's check is core's.
 */
int import_readings_csv(json_t **readings, const char *data, size_t len);

#endif
