/* cli.c - shared command-line helpers (see cli.h). */
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/member.h"
#include "core/org.h"
#include "core/user.h"
#include "ledger/ledger.h"
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
	/*
	 * The signing key sits beside the database. A missing key is only an
	 * error once something is written: ledger_append() then says so.
	 */
	if (!create && cli_ensure_key(*out, 0) != 0 && aims_error_code() != AIMS_ENOTFOUND) {
		db_close(*out);
		*out = NULL;
		return cli_fail(NULL);
	}
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

/* One text cell padded to width; line breaks and tabs become spaces. */
static void
cli_text_cell(FILE *out, const char *s, size_t width, const char *sep)
{
	size_t n = 0;

	for (; *s; s++, n++)
		fputc(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s, out);
	for (; n < width; n++)
		fputc(' ', out);
	fputs(sep, out);
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
		cli_text_cell(out, t->cols[c], c + 1 < t->ncols ? w[c] : 0,
		    c + 1 < t->ncols ? "  " : "\n");
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			cli_text_cell(out, t->cells[r * (size_t)t->ncols + (size_t)c],
			    c + 1 < t->ncols ? w[c] : 0, c + 1 < t->ncols ? "  " : "\n");
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

static void
cli_cell(char *out, size_t outlen, const json_t *v)
{
	const json_t *e;
	size_t i, n = 0;

	out[0] = '\0';
	if (json_is_string(v))
		snprintf(out, outlen, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, outlen, "%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		snprintf(out, outlen, "%s", json_is_true(v) ? "true" : "false");
	else if (json_is_real(v))
		snprintf(out, outlen, "%g", json_real_value(v));
	else if (json_is_array(v))
		json_array_foreach(v, i, e) {
			if (n < outlen)
				n += (size_t)snprintf(out + n, outlen - n, "%s%s", i ? ";" : "",
				    json_is_string(e) ? json_string_value(e) : "");
		}
}

int
cli_org_id(int64_t *out, struct db *db, const char *slug, const char *cmd)
{
	if (slug == NULL)
		return cli_usage_error(cmd, "--org SLUG is required");
	if (org_id_by_slug(out, db, slug) != 0)
		return cli_fail(cmd);
	return CLI_OK;
}

int
cli_actor(struct cli_actor *out, struct db *db, int64_t org_id, const char *as, const char *cmd)
{
	json_t *user = NULL;
	int64_t user_id;
	enum role role;

	memset(out, 0, sizeof(*out));
	if (as == NULL || *as == '\0')
		as = getenv("AIMS_AS");
	if (as == NULL || *as == '\0')
		return cli_usage_error(cmd, "say who makes this change: --as EMAIL (a member of the "
		    "organisation), or set AIMS_AS");
	if (user_id_by_email(&user_id, db, as) != 0 || member_role(&role, db, org_id,
	    user_id) != 0 || user_get(&user, db, user_id) != 0) {
		fprintf(stderr, "aims %s: --as %s: not a member of this organisation\n", cmd, as);
		return CLI_FAIL;
	}
	if (json_is_true(json_object_get(user, "disabled"))) {
		fprintf(stderr, "aims %s: --as %s: this user is disabled\n", cmd, as);
		json_decref(user);
		return CLI_FAIL;
	}
	snprintf(out->name, sizeof(out->name), "user:%s",
	    json_string_value(json_object_get(user, "email")));
	json_decref(user);
	out->actor = (struct actor){ user_id, out->name, role };
	return CLI_OK;
}

int
cli_list(int argc, char **argv, const char *cmd, const char *usage, int ncols,
    const char *const *cols, cli_fetch_fn fetch, int needs_org)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "org", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *org = NULL, *row[CLI_TABLE_MAX_COLS];
	char cells[CLI_TABLE_MAX_COLS][512];
	enum cli_format fmt = CLI_FORMAT_TEXT;
	struct cli_table *t = NULL;
	struct db *db = NULL;
	json_t *items = NULL, *e;
	int64_t org_id = 0;
	int c, rc, i;
	size_t k;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'o': org = optarg; break;
		case 'F':
			if (cli_parse_format(&fmt, optarg) != 0)
				return cli_usage_error(cmd, "%s", aims_error_message());
			break;
		case 'h': fputs(usage, stdout); return CLI_OK;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (org && !needs_org)
		return cli_usage_error(cmd, "--org does not apply here");
	if (needs_org && org == NULL)
		return cli_usage_error(cmd, "--org SLUG is required");
	if ((rc = cli_open_db(&db, path, 0)) != CLI_OK)
		return rc;
	if (needs_org && (rc = cli_org_id(&org_id, db, org, cmd)) != CLI_OK)
		goto done;
	if (fetch(&items, db, org_id) != 0) {
		rc = cli_fail(cmd);
		goto done;
	}
	t = cli_table_new(ncols, cols);
	json_array_foreach(items, k, e) {
		for (i = 0; i < ncols; i++) {
			cli_cell(cells[i], sizeof(cells[i]), json_object_get(e, cols[i]));
			row[i] = cells[i];
		}
		cli_table_add(t, row);
	}
	cli_table_print(t, fmt, stdout);
	rc = CLI_OK;
done:
	cli_table_free(t);
	json_decref(items);
	db_close(db);
	return rc;
}

static struct ledger_key *cli_key;	/* loaded once per process; freed by cli_key_release */

int
cli_ensure_key(struct db *db, int create)
{
	int rc;

	if (cli_key != NULL)
		return 0;
	rc = ledger_key_load(&cli_key, db_path(db));
	if (rc == AIMS_ENOTFOUND && create) {
		if ((rc = ledger_key_create(db_path(db))) != 0)
			return rc;
		rc = ledger_key_load(&cli_key, db_path(db));
	}
	if (rc != 0)
		return rc;
	ledger_key_use(cli_key);
	return 0;
}

void
cli_key_release(void)
{
	ledger_key_use(NULL);
	ledger_key_free(cli_key);
	cli_key = NULL;
}
