/*
 * import.c - CSV (libcsv) and JSON import files to rows of record input
 * (see import.h).
 */
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "io/import.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define IMPORT_COLUMNS_MAX	128
#define IMPORT_LIST_SEP		';'

struct csv_state {
	const struct record_kind	*k;
	const struct field		*cols[IMPORT_COLUMNS_MAX];
	int				 ncols;
	int				 col;		/* cell index in the current row */
	int				 row;		/* 1-based, header is 1 */
	json_t				*current;	/* object being filled */
	json_t				*rows;
	json_t				*errors;
	int				 fatal;		/* header unusable */
};

static void
import_error(json_t *errors, int row, const char *field, const char *fmt, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg);
	json_array_append_new(errors, json_pack("{s:i, s:s?, s:s}", "row", row, "field", field,
	    "message", msg));
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static json_t *
cell_list(char *cell)
{
	json_t *a = json_array();
	char *p = cell, *sep, *item;

	for (;;) {
		sep = strchr(p, IMPORT_LIST_SEP);
		if (sep)
			*sep = '\0';
		item = trim(p);
		if (*item)
			json_array_append_new(a, json_string(item));
		if (sep == NULL)
			break;
		p = sep + 1;
	}
	return a;
}

/* The cell as the field's JSON type; text when it does not convert. */
static json_t *
cell_value(const struct field *f, char *cell)
{
	int64_t n;
	json_t *j;

	switch (f->type) {
	case FIELD_BOOL:
		if (!strcasecmp(cell, "true") || !strcasecmp(cell, "yes") || !strcmp(cell, "1"))
			return json_true();
		if (!strcasecmp(cell, "false") || !strcasecmp(cell, "no") || !strcmp(cell, "0"))
			return json_false();
		break;
	case FIELD_INT:
		if (str_to_int64(&n, cell, INT64_MIN, INT64_MAX) == 0)
			return json_integer(n);
		break;
	case FIELD_ENUM_LIST:
	case FIELD_STRING_LIST:
	case FIELD_REF_LIST:
	case FIELD_REQUIREMENT_LIST:
		return cell_list(cell);
	case FIELD_OBJECT:
	case FIELD_OBJECT_LIST:
		if ((j = json_loads(cell, JSON_REJECT_DUPLICATES, NULL)) != NULL)
			return j;
		break;
	default:
		break;
	}
	return json_string(cell);
}

static void
csv_header_cell(struct csv_state *s, char *name)
{
	const struct field *f;
	int i;

	name = trim(name);
	if (s->ncols == IMPORT_COLUMNS_MAX) {
		import_error(s->errors, 1, NULL, "more than %s columns", "128");
		s->fatal = 1;
		return;
	}
	f = record_field_find(s->k, name);
	if (f == NULL || (f->flags & FIELD_READONLY)) {
		import_error(s->errors, 1, name, f ? "column '%s' is set by the system" :
		    "unknown column '%s' (use the API's field names)", name);
		s->fatal = 1;
	}
	for (i = 0; f && i < s->ncols; i++)
		if (s->cols[i] == f) {
			import_error(s->errors, 1, name, "column '%s' appears twice", name);
			s->fatal = 1;
		}
	s->cols[s->ncols++] = f;
}

static void
csv_cell(void *data, size_t len, void *arg)
{
	struct csv_state *s = arg;
	char *cell = xstrndup(data ? data : "", len);
	const struct field *f;

	if (s->fatal && s->row > 1) {
		/* The header is unusable: its errors are all there is to say. */
	} else if (strlen(cell) != len) {
		import_error(s->errors, s->row, NULL, "row has a NUL byte%s", "");
	} else if (s->row == 1) {
		/* A UTF-8 byte order mark before the first name is not part of it. */
		csv_header_cell(s, s->col == 0 && str_has_prefix(cell, "\xef\xbb\xbf") ?
		    cell + 3 : cell);
	} else if (s->col >= s->ncols) {
		if (s->col == s->ncols)
			import_error(s->errors, s->row, NULL,
			    "row has more cells than the header has columns%s", "");
	} else if (len > IMPORT_CELL_MAX) {
		import_error(s->errors, s->row, s->cols[s->col]->name, "cell of column '%s' is too long",
		    s->cols[s->col]->name);
	} else if (*trim(cell) != '\0' && (f = s->cols[s->col]) != NULL) {
		if (s->current == NULL)
			s->current = json_object();
		json_object_set_new(s->current, f->name, cell_value(f, trim(cell)));
	}
	free(cell);
	s->col++;
}

static void
csv_row_end(int c, void *arg)
{
	struct csv_state *s = arg;

	(void)c;
	if (s->row > 1) {
		json_array_append_new(s->rows, s->current ? s->current : json_object());
		s->current = NULL;
	}
	s->row++;
	s->col = 0;
}

static int
import_csv(json_t **rows, json_t *errors, const struct record_kind *k, const char *data,
    size_t len)
{
	struct csv_parser p;
	struct csv_state s;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.k = k;
	s.row = 1;
	s.rows = json_array();
	s.errors = errors;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return aims_error_set(AIMS_ERROR, NULL, "cannot start the CSV parser");
	if (csv_parse(&p, data, len, csv_cell, csv_row_end, &s) != len ||
	    csv_fini(&p, csv_cell, csv_row_end, &s) != 0) {
		import_error(errors, s.row, NULL, "not valid CSV here: %s",
		    csv_strerror(csv_error(&p)));
		rc = AIMS_EINVALID;
	}
	csv_free(&p);
	json_decref(s.current);
	if (s.row == 1 && rc == 0) {
		import_error(errors, 1, NULL, "the file is empty: the first row must name the "
		    "fields%s", "");
		rc = AIMS_EINVALID;
	}
	if (s.fatal || json_array_size(s.rows) > IMPORT_ROWS_MAX) {
		if (!s.fatal)
			import_error(errors, IMPORT_ROWS_MAX + 2, NULL, "more than %s rows", "200000");
		rc = AIMS_EINVALID;
	}
	if (rc != 0) {
		json_decref(s.rows);
		return aims_error_set(rc, NULL, "the file cannot be imported");
	}
	*rows = s.rows;
	return 0;
}

static int
import_json(json_t **rows, json_t *errors, const char *data, size_t len)
{
	json_error_t jerr;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	char where[64];

	if (j == NULL || !json_is_array(j) || json_array_size(j) > IMPORT_ROWS_MAX) {
		snprintf(where, sizeof(where), "line %d", jerr.line);
		import_error(errors, 0, NULL, j == NULL ? "not valid JSON (%s)" :
		    "the file must be one JSON array of objects (at most 200000)%s",
		    j == NULL ? where : "");
		json_decref(j);
		return aims_error_set(AIMS_EINVALID, NULL, "the file cannot be imported");
	}
	*rows = j;
	return 0;
}

int
import_parse(json_t **rows, int *row_base, json_t **errors, const struct record_kind *k,
    const char *data, size_t len)
{
	size_t i = 0;

	*rows = NULL;
	*errors = json_array();
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	if (i < len && data[i] == '[') {
		*row_base = 1;
		return import_json(rows, *errors, data + i, len - i);
	}
	*row_base = 2;
	return import_csv(rows, *errors, k, data, len);
}

int
import_read_file(json_t **rows, int *row_base, json_t **errors, const struct record_kind *k,
    const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	FILE *f;
	int rc;

	*rows = NULL;
	*errors = NULL;
	if ((f = fopen(path, "rb")) == NULL)
		return aims_error_set(AIMS_ENOTFOUND, "file", "cannot open %s: %s", path,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > IMPORT_FILE_MAX) {
			fclose(f);
			buf_free(&b);
			return aims_error_set(AIMS_ETOOBIG, "file", "%s is larger than %d bytes",
			    path, IMPORT_FILE_MAX);
		}
		buf_append(&b, chunk, n);
	}
	rc = ferror(f) ? aims_error_set(AIMS_ERROR, "file", "cannot read %s", path) : 0;
	fclose(f);
	if (rc == 0)
		rc = import_parse(rows, row_base, errors, k, buf_str(&b), b.len);
	buf_free(&b);
	return rc;
}

#define IMPORT_READING_CELL_MAX	64	/* an RFC 3339 time or a number, and room */

/*
 * One CSV cell of a readings line, from p up to the next comma or end: no
 * quotes are needed for times and numbers, so quotes and spaces are dropped.
 * Returns the cell's length in the line, or -1 when it does not fit in out:
 * cut, it would be read as another time or number.
 */
static ssize_t
import_reading_cell(char *out, size_t outlen, const char *p, const char *end)
{
	size_t n = 0, i, j = 0;

	while (p + n < end && p[n] != ',')
		n++;
	for (i = 0; i < n; i++) {
		if (isspace((unsigned char)p[i]) || p[i] == '"')
			continue;
		if (j + 1 >= outlen)
			return -1;
		out[j++] = p[i];
	}
	out[j] = '\0';
	return (ssize_t)n;
}

/* The reading of one line into *out; AIMS_EINVALID, naming the line, when it is not one. */
static int
import_reading(json_t **out, const char *at, const char *val, int line)
{
	char *num_end;
	double v;

	*out = NULL;
	v = strtod(val, &num_end);
	if (*val == '\0' || *num_end != '\0' || !isfinite(v))
		return aims_error_set(AIMS_EINVALID, "value",
		    "line %d, column value: '%s' is not a number", line, val);
	/* Checked here: json_pack() would refuse it, and the reading would vanish. */
	if (!str_is_utf8(at, strlen(at)))
		return aims_error_set(AIMS_EINVALID, "at", "line %d, column at: not UTF-8 text",
		    line);
	*out = json_pack("{s:s, s:f}", "at", at, "value", v);
	return 0;
}

int
import_readings_csv(json_t **readings, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *eol;
	char a[IMPORT_READING_CELL_MAX], b[IMPORT_READING_CELL_MAX];
	int at_col = -1, line = 0, rc = 0;
	ssize_t na, nb = 0;
	json_t *arr = json_array(), *r;

	*readings = NULL;
	for (; p < end && rc == 0; p = eol + 1) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if ((na = import_reading_cell(a, sizeof(a), p, eol)) < 0 ||
		    (p + na < eol && (nb = import_reading_cell(b, sizeof(b), p + na + 1, eol)) < 0)) {
			rc = aims_error_set(AIMS_EINVALID, "csv", "line %d: a cell is longer than "
			    "%d bytes", line, IMPORT_READING_CELL_MAX - 1);
		} else if (p + na >= eol) {
			/* One cell: a blank line is skipped, anything else is refused. */
			if (a[0] != '\0' || line == 1)
				rc = aims_error_set(AIMS_EINVALID, "csv",
				    "line %d: expected two columns, at and value", line);
		} else if (p + na + 1 + nb < eol) {
			rc = aims_error_set(AIMS_EINVALID, "csv",
			    "line %d: more than two columns (at, value)", line);
		} else if (line == 1) {
			if (strcmp(a, "at") == 0 && strcmp(b, "value") == 0)
				at_col = 0;
			else if (strcmp(a, "value") == 0 && strcmp(b, "at") == 0)
				at_col = 1;
			else
				rc = aims_error_set(AIMS_EINVALID, "csv",
				    "line 1: the header must name the columns at and value");
		} else if ((rc = import_reading(&r, at_col == 0 ? a : b, at_col == 0 ? b : a,
		    line)) == 0)
			json_array_append_new(arr, r);
		if (eol == end)
			break;
	}
	if (rc == 0 && at_col < 0)
		rc = aims_error_set(AIMS_EINVALID, "csv",
		    "line 1: the header must name the columns at and value");
	if (rc != 0) {
		json_decref(arr);
		return rc;
	}
	*readings = arr;
	return 0;
}
