/* cli.c - shared command-line helpers (see cli.h). */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/db.h"
#include "util/error.h"
#include "util/mem.h"

#define CLI_TABLE_MAX_COLS 32

struct cli_table {
	int	  ncols;
	char	 *cols[CLI_TABLE_MAX_COLS];
	char	**cells;	/* nrows * ncols */
	size_t	  nrows, cap;
};

const char *
cli_default_db(void)
{
	const char *p = getenv("AIMS_DB");

	return (p && *p) ? p : "./aims.db";
}

int
cli_open_db(struct db **out, const char *path, int create)
{
	if (db_open(out, path, create ? DB_OPEN_CREATE : 0) != 0)
		return cli_fail(NULL);
	return CLI_OK;
}

int
cli_parse_format(enum cli_format *out, const char *s)
{
	if (strcmp(s, "text") == 0)
		*out = CLI_FORMAT_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = CLI_FORMAT_JSON;
	else if (strcmp(s, "csv") == 0)
		*out = CLI_FORMAT_CSV;
	else
		return aims_error_set(AIMS_EINVALID, "format",
		    "unknown format '%s' (allowed: text, json, csv)", s);
	return 0;
}

int
cli_fail(const char *context)
{
	const char *field = aims_error_field();

	if (context)
		fprintf(stderr, "aims: %s: %s", context, aims_error_message());
	else
		fprintf(stderr, "aims: %s", aims_error_message());
	if (field[0] && strstr(aims_error_message(), field) == NULL)
		fprintf(stderr, " (field: %s)", field);
	fputc('\n', stderr);
	return CLI_FAIL;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "aims %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'aims %s --help'.\n", cmd);
	return CLI_USAGE;
}

int
cli_read_stdin_line(char *out, size_t outlen)
{
	size_t n;

	if (fgets(out, (int)outlen, stdin) == NULL)
		return aims_error_set(AIMS_EINVALID, "password", "nothing on standard input");
	n = strlen(out);
	if (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	else if (n == outlen - 1)
		return aims_error_set(AIMS_ETOOBIG, "password", "line on standard input is too long");
	if (n > 0 && out[n - 1] == '\r')
		out[--n] = '\0';
	return 0;
}

int
cli_dispatch(const char *group, const struct cli_command *subs, int argc, char **argv,
    const char *usage)
{
	const struct cli_command *c;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		FILE *f = argc < 2 ? stderr : stdout;

		fprintf(f, "%s\nCommands:\n", usage);
		for (c = subs; c->name; c++)
			fprintf(f, "  aims %s %-10s %s\n", group, c->name, c->summary);
		fprintf(f, "Run 'aims %s COMMAND --help' for a command's options.\n", group);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	for (c = subs; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			return c->run(argc - 1, argv + 1);
	return cli_usage_error(group, "unknown command '%s'", argv[1]);
}

struct cli_table *
cli_table_new(int ncols, const char *const *cols)
{
	struct cli_table *t = xcalloc(1, sizeof(*t));
	int i;

	if (ncols > CLI_TABLE_MAX_COLS)
		abort();
	t->ncols = ncols;
	for (i = 0; i < ncols; i++)
		t->cols[i] = xstrdup(cols[i]);
	return t;
}

void
cli_table_add(struct cli_table *t, const char *const *values)
{
	int i;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = xrealloc(t->cells, t->cap * (size_t)t->ncols * sizeof(char *));
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] =
		    xstrdup(values[i] ? values[i] : "");
	t->nrows++;
}

static void
cli_csv_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void
cli_table_print(struct cli_table *t, enum cli_format fmt, FILE *out)
{
	size_t r, w[CLI_TABLE_MAX_COLS], n;
	int c;

	if (fmt == CLI_FORMAT_JSON) {
		json_t *arr = json_array();
		char *s;

		for (r = 0; r < t->nrows; r++) {
			json_t *o = json_object();

			for (c = 0; c < t->ncols; c++)
				json_object_set_new(o, t->cols[c],
				    json_string(t->cells[r * (size_t)t->ncols + (size_t)c]));
			json_array_append_new(arr, o);
		}
		s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fprintf(out, "%s\n", s);
		free(s);
		json_decref(arr);
		return;
	}
	if (fmt == CLI_FORMAT_CSV) {
		for (c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', out);
			cli_csv_field(out, t->cols[c]);
		}
		fputs("\r\n", out);
		for (r = 0; r < t->nrows; r++) {
			for (c = 0; c < t->ncols; c++) {
				if (c)
					fputc(',', out);
				cli_csv_field(out, t->cells[r * (size_t)t->ncols + (size_t)c]);
			}
			fputs("\r\n", out);
		}
		return;
	}
	for (c = 0; c < t->ncols; c++)
		w[c] = strlen(t->cols[c]);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if ((n = strlen(t->cells[r * (size_t)t->ncols + (size_t)c])) > w[c])
				w[c] = n;
	for (c = 0; c < t->ncols; c++)
		fprintf(out, "%-*s%s", (int)w[c], t->cols[c], c + 1 < t->ncols ? "  " : "\n");
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			fprintf(out, "%-*s%s", c + 1 < t->ncols ? (int)w[c] : 0,
			    t->cells[r * (size_t)t->ncols + (size_t)c], c + 1 < t->ncols ? "  " : "\n");
}

void
cli_table_free(struct cli_table *t)
{
	size_t i;
	int c;

	if (t == NULL)
		return;
	for (c = 0; c < t->ncols; c++)
		free(t->cols[c]);
	for (i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
