/*
 * cli_record.c - 'aims record ...': list, show, create, update, delete the
 * planning records of an organisation, their history and links, for
 * scripts. Input is JSON (--json or standard input); listings print as
 * text, JSON or CSV. Everything goes through core/record.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/acknowledge.h"
#include "core/comment.h"
#include "core/evidence.h"
#include "core/record.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/str.h"

#define CLI_JSON_MAX	(16 * 1024 * 1024)	/* bytes of JSON input */
#define CLI_FILTERS_MAX	16

static const char record_usage[] =
    "usage: aims record COMMAND KIND [REF] --org SLUG [options]\n"
    "Reads and changes the planning records of an organisation.\n"
    "KIND is one of the kinds 'aims record kinds' lists (ai-systems, risks, ...).\n"
    "Common options:\n"
    "  --db PATH          database (default $AIMS_DB or ./aims.db)\n"
    "  --org SLUG         the organisation\n"
    "  --json TEXT        input for create/update (default: standard input)\n"
    "  --if-version N     refuse the change if the record is no longer at version N\n"
    CLI_AS_HELP
    "list options:\n"
    "  --format F         text (default), json or csv\n"
    "  --sort [-]FIELD    sort order (default -updated_at)\n"
    "  --q TEXT           search text\n"
    "  --filter F=V       only records whose field F is V (repeatable)\n"
    "  --limit N          page size (1..500, default 50)\n"
    "  --cursor C         the page after the one that printed this cursor\n"
    "  --all              every page\n"
    "  --retired          include retired records\n"
    "steps and step: 'aims record steps KIND REF --as EMAIL' lists the workflow\n"
    "  steps the record can take now, whether that person may take each and why\n"
    "  not; 'aims record step KIND REF ACTION --as EMAIL' takes one (approve...).\n"
    "acknowledge and acknowledgements (7.3): 'aims record acknowledge documents REF\n"
    "  --as EMAIL' records that member's acknowledgement of the approved version in\n"
    "  force of the AI policy or of a document requiring it; 'aims record\n"
    "  acknowledgements documents REF' lists who has and who has not.\n"
    "comment and comments: 'aims record comment KIND REF TEXT --as EMAIL' adds a\n"
    "  comment (kept in the ledger, never changed; '@' and a member's address\n"
    "  mentions them); 'aims record comments KIND REF' lists them, oldest first.\n"
    "history options:\n"
    "  --status S         only versions in status S (documents: approved)\n"
    "attach: aims record attach evidence REF FILE --org SLUG adds FILE as the\n"
    "  evidence's newest file revision (stored under $AIMS_DATA_DIR, or 'data'\n"
    "  beside the database); 'aims record files evidence REF' lists the revisions.\n";

struct record_opts {
	const char	*db, *org, *json, *sort, *q, *cursor, *status, *kind, *ref, *file, *as;
	const char	*fnames[CLI_FILTERS_MAX], *fvalues[CLI_FILTERS_MAX];
	char		*fbuf[CLI_FILTERS_MAX];
	int		 nfilters, limit, all, retired;
	int64_t		 if_version;
	enum cli_format	 format;
};

static void
record_opts_free(struct record_opts *o)
{
	int i;

	for (i = 0; i < o->nfilters; i++)
		free(o->fbuf[i]);
}

static int
record_opt_filter(struct record_opts *o, const char *arg)
{
	char *eq;

	if (o->nfilters == CLI_FILTERS_MAX)
		return cli_usage_error("record", "at most %d filters", CLI_FILTERS_MAX);
	o->fbuf[o->nfilters] = xstrdup(arg);
	if ((eq = strchr(o->fbuf[o->nfilters], '=')) == NULL) {
		free(o->fbuf[o->nfilters]);
		return cli_usage_error("record", "--filter needs FIELD=VALUE, not '%s'", arg);
	}
	*eq = '\0';
	o->fnames[o->nfilters] = o->fbuf[o->nfilters];
	o->fvalues[o->nfilters] = eq + 1;
	o->nfilters++;
	return CLI_OK;
}

/* Parses options and KIND [REF]; nargs: positional arguments wanted after KIND. */
static int
record_parse(struct record_opts *o, int argc, char **argv, int nargs)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "org", required_argument, NULL, 'o' },
		{ "json", required_argument, NULL, 'j' }, { "if-version", required_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' }, { "sort", required_argument, NULL, 's' },
		{ "q", required_argument, NULL, 'q' }, { "filter", required_argument, NULL, 'F' },
		{ "limit", required_argument, NULL, 'l' }, { "cursor", required_argument, NULL, 'c' },
		{ "all", no_argument, NULL, 'a' }, { "retired", no_argument, NULL, 'r' },
		{ "status", required_argument, NULL, 'S' }, { "help", no_argument, NULL, 'h' },
		{ "as", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	int64_t n;
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->db = cli_default_db();
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'o': o->org = optarg; break;
		case 'j': o->json = optarg; break;
		case 's': o->sort = optarg; break;
		case 'q': o->q = optarg; break;
		case 'c': o->cursor = optarg; break;
		case 'a': o->all = 1; break;
		case 'r': o->retired = 1; break;
		case 'S': o->status = optarg; break;
		case 'A': o->as = optarg; break;
		case 'h': fputs(record_usage, stdout); return -1;
		case 'F':
			if ((rc = record_opt_filter(o, optarg)) != CLI_OK)
				return rc;
			break;
		case 'f':
			if (cli_parse_format(&o->format, optarg) != 0)
				return cli_usage_error("record", "%s", aims_error_message());
			break;
		case 'v':
		case 'l':
			if (str_to_int64(&n, optarg, 1, c == 'l' ? RECORD_LIST_MAX : INT64_MAX) != 0)
				return cli_usage_error("record", "--%s: %s",
				    c == 'l' ? "limit" : "if-version", aims_error_message());
			if (c == 'l')
				o->limit = (int)n;
			else
				o->if_version = n;
			break;
		default: return cli_usage_error("record", "bad option");
		}
	}
	if (argc - optind < 1 || argc - optind > 1 + nargs)
		return cli_usage_error("record", "give the KIND%s", nargs ? " and the REF" : "");
	o->kind = argv[optind];
	o->ref = argc - optind > 1 ? argv[optind + 1] : NULL;
	o->file = argc - optind > 2 ? argv[optind + 2] : NULL;
	if (o->org == NULL)
		return cli_usage_error("record", "--org SLUG is required");
	return CLI_OK;
}

struct record_cmd {
	struct record_opts		 o;
	struct db			*db;
	int64_t				 org_id;
	const struct record_kind	*k;
	struct cli_actor		 who;	/* changes: the person (--as) */
};

/* Parses, opens the store, finds the org and the kind. */
static int
record_begin(struct record_cmd *c, int argc, char **argv, int nargs)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = record_parse(&c->o, argc, argv, nargs)) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if ((c->k = record_kind_find(c->o.kind)) == NULL)
		return cli_usage_error("record", "unknown kind '%s' (see 'aims record kinds')",
		    c->o.kind);
	if (nargs && c->o.ref == NULL && !c->k->singleton)
		return cli_usage_error("record", "give the reference of the %s", c->k->singular);
	if (cli_open_db(&c->db, c->o.db, 0) != CLI_OK)
		return CLI_FAIL;
	if ((rc = cli_org_id(&c->org_id, c->db, c->o.org, "record")) != CLI_OK)
		return rc;
	return -1;	/* go on */
}

/* record_begin() for a change: also the person it is made as. */
static int
record_begin_change(struct record_cmd *c, int argc, char **argv, int nargs)
{
	int rc;

	if ((rc = record_begin(c, argc, argv, nargs)) != -1)
		return rc;
	if ((rc = cli_actor(&c->who, c->db, c->org_id, c->o.as, "record")) != CLI_OK)
		return rc;
	return -1;
}

static int
record_end(struct record_cmd *c, int rc)
{
	db_close(c->db);
	record_opts_free(&c->o);
	return rc;
}

static void
print_json(const json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	printf("%s\n", s);
	free(s);
}

static int
read_input(json_t **out, const char *text)
{
	struct buf b = BUF_INIT;
	json_error_t err;
	char chunk[65536];
	size_t n;

	if (text == NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
			if (b.len + n > CLI_JSON_MAX) {
				buf_free(&b);
				return aims_error_set(AIMS_ETOOBIG, NULL, "the JSON input is too big");
			}
			buf_append(&b, chunk, n);
		}
		text = buf_str(&b);
	}
	*out = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	buf_free(&b);
	if (*out == NULL)
		return aims_error_set(AIMS_EINVALID, NULL, "the input is not valid JSON: %s (line %d)",
		    err.text, err.line);
	return 0;
}

static char *
cell_text(const json_t *v)
{
	struct buf b = BUF_INIT;
	json_t *item;
	size_t i;

	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		buf_printf(&b, "%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		buf_puts(&b, json_is_true(v) ? "true" : "false");
	else if (json_is_array(v) && (json_array_size(v) == 0 ||
	    json_is_string(json_array_get(v, 0)))) {
		json_array_foreach(v, i, item)
			buf_printf(&b, "%s%s", i ? "; " : "", json_string_value(item));
	} else if (v && !json_is_null(v)) {
		char *s = json_dumps(v, JSON_COMPACT);

		buf_puts(&b, s);
		free(s);
	}
	return buf_detach(&b);
}

static struct cli_table *
list_table(const struct record_kind *k, const char **cols, int *ncols)
{
	const struct field *f;

	*ncols = 0;
	cols[(*ncols)++] = "ref";
	for (f = k->fields; f->name && *ncols < 31; f++)
		if (f->flags & (FIELD_LIST | FIELD_TITLE))
			cols[(*ncols)++] = f->name;
	return cli_table_new(*ncols, cols);
}

static void
list_add_rows(struct cli_table *t, const char **cols, int ncols, const json_t *items,
    json_t *all)
{
	const char *vals[32];
	char *cells[32];
	json_t *it;
	size_t i;
	int c;

	json_array_foreach(items, i, it) {
		if (all) {
			json_array_append(all, it);
			continue;
		}
		for (c = 0; c < ncols; c++)
			vals[c] = cells[c] = cell_text(json_object_get(it, cols[c]));
		cli_table_add(t, vals);
		for (c = 0; c < ncols; c++)
			free(cells[c]);
	}
}

static int
cmd_record_list(int argc, char **argv)
{
	struct record_cmd c;
	struct record_query q;
	struct cli_table *t = NULL;
	const char *cols[32];
	json_t *items = NULL, *all = NULL;
	char *next = NULL, *cursor = NULL;
	int rc, ncols;

	if ((rc = record_begin(&c, argc, argv, 0)) != -1)
		return record_end(&c, rc);
	memset(&q, 0, sizeof(q));
	q.limit = c.o.limit;
	q.sort = c.o.sort;
	q.q = c.o.q;
	q.include_retired = c.o.retired;
	q.nfilters = c.o.nfilters;
	memcpy(q.filter_names, c.o.fnames, sizeof(c.o.fnames));
	memcpy(q.filter_values, c.o.fvalues, sizeof(c.o.fvalues));
	cursor = c.o.cursor ? xstrdup(c.o.cursor) : NULL;
	t = list_table(c.k, cols, &ncols);
	if (c.o.format == CLI_FORMAT_JSON)
		all = json_array();
	do {
		q.cursor = cursor;
		if (record_list(&items, &next, NULL, c.db, c.org_id, c.k, &q) != 0) {
			rc = cli_fail(NULL);
			goto done;
		}
		list_add_rows(t, cols, ncols, items, all);
		json_decref(items);
		free(cursor);
		cursor = next;
	} while (c.o.all && cursor);
	if (all)
		print_json(all);
	else
		cli_table_print(t, c.o.format, stdout);
	if (cursor && !c.o.all)
		fprintf(stderr, "more: --cursor %s\n", cursor);
	rc = CLI_OK;
done:
	free(cursor);
	json_decref(all);
	cli_table_free(t);
	return record_end(&c, rc);
}

static int
cmd_record_show(int argc, char **argv)
{
	struct record_cmd c;
	json_t *rec = NULL;
	int rc;

	if ((rc = record_begin(&c, argc, argv, 1)) != -1)
		return record_end(&c, rc);
	if (record_get(&rec, c.db, c.org_id, c.k, c.o.ref) != 0)
		return record_end(&c, cli_fail(NULL));
	print_json(rec);
	json_decref(rec);
	return record_end(&c, CLI_OK);
}

static int
cmd_record_write(int argc, char **argv, bool create)
{
	struct record_cmd c;
	json_t *in = NULL, *rec = NULL;
	int rc;

	if ((rc = record_begin_change(&c, argc, argv, create ? 0 : 1)) != -1)
		return record_end(&c, rc);
	if (create && c.o.ref)
		return record_end(&c, cli_usage_error("record", "create takes no REF"));
	if (read_input(&in, c.o.json) != 0)
		return record_end(&c, cli_fail(NULL));
	rc = create ? record_create(&rec, c.db, c.org_id, &c.who.actor, c.k, in) :
	    record_update(&rec, c.db, c.org_id, &c.who.actor, c.k, c.o.ref, c.o.if_version, in);
	json_decref(in);
	if (rc != 0)
		return record_end(&c, cli_fail(NULL));
	print_json(rec);
	json_decref(rec);
	return record_end(&c, CLI_OK);
}

static int
cmd_record_create(int argc, char **argv)
{
	return cmd_record_write(argc, argv, true);
}

static int
cmd_record_update(int argc, char **argv)
{
	return cmd_record_write(argc, argv, false);
}

static int
cmd_record_delete(int argc, char **argv)
{
	struct record_cmd c;
	int rc;

	if ((rc = record_begin_change(&c, argc, argv, 1)) != -1)
		return record_end(&c, rc);
	if (record_delete(c.db, c.org_id, &c.who.actor, c.k, c.o.ref, c.o.if_version) != 0)
		return record_end(&c, cli_fail(NULL));
	printf("%s %s %s\n", c.k->retain ? "retired" : "deleted", c.k->singular, c.o.ref);
	return record_end(&c, CLI_OK);
}

static int
cmd_record_history(int argc, char **argv)
{
	struct record_cmd c;
	json_t *h = NULL;
	int rc;

	if ((rc = record_begin(&c, argc, argv, 1)) != -1)
		return record_end(&c, rc);
	if (record_history(&h, c.db, c.org_id, c.k, c.o.ref, c.o.status) != 0)
		return record_end(&c, cli_fail(NULL));
	print_json(h);
	json_decref(h);
	return record_end(&c, CLI_OK);
}

static int
cmd_record_links(int argc, char **argv)
{
	struct record_cmd c;
	json_t *l = NULL;
	int rc;

	if ((rc = record_begin(&c, argc, argv, 1)) != -1)
		return record_end(&c, rc);
	if (record_links(&l, c.db, c.org_id, c.k, c.o.ref) != 0)
		return record_end(&c, cli_fail(NULL));
	print_json(l);
	json_decref(l);
	return record_end(&c, CLI_OK);
}

/* attach and files work on evidence only. */
static int
record_begin_evidence(struct record_cmd *c, int argc, char **argv, int nargs)
{
	int rc;

	if ((rc = record_begin(c, argc, argv, nargs)) != -1)
		return rc;
	if (!c->k->files)
		return cli_usage_error("record", "%s keep no files", c->k->plural);
	if (nargs == 2 && c->o.file == NULL)
		return cli_usage_error("record", "give the evidence REF and the FILE");
	return -1;
}

static int
cmd_record_attach(int argc, char **argv)
{
	struct evidence_upload up;
	struct record_cmd c;
	char *data_dir = NULL;
	json_t *rec = NULL;
	int rc;

	if ((rc = record_begin_evidence(&c, argc, argv, 2)) != -1)
		return record_end(&c, rc);
	if ((rc = cli_actor(&c.who, c.db, c.org_id, c.o.as, "record")) != CLI_OK)
		return record_end(&c, rc);
	evidence_data_dir(&data_dir, c.o.db);
	up = (struct evidence_upload){ c.o.file, NULL, c.o.file };
	rc = evidence_file_add(&rec, c.db, data_dir, c.org_id, &c.who.actor, c.o.ref,
	    c.o.if_version, &up);
	free(data_dir);
	if (rc != 0)
		return record_end(&c, cli_fail("attach"));
	print_json(rec);
	json_decref(rec);
	return record_end(&c, CLI_OK);
}

static int
cmd_record_files(int argc, char **argv)
{
	struct record_cmd c;
	json_t *files = NULL;
	int rc;

	if ((rc = record_begin_evidence(&c, argc, argv, 1)) != -1)
		return record_end(&c, rc);
	if (evidence_file_list(&files, c.db, c.org_id, c.o.ref) != 0)
		return record_end(&c, cli_fail(NULL));
	print_json(files);
	json_decref(files);
	return record_end(&c, CLI_OK);
}

static const char kinds_usage[] =
    "usage: aims record kinds [KIND] [--format text|json]\n"
    "Lists the record kinds as they are declared: reference prefix, clause,\n"
    "navigation section, done states, due dates, dashboard counts, files and\n"
    "retention. With KIND, lists that kind's fields instead (type, flags,\n"
    "allowed values, form section, help). --format json prints the whole\n"
    "declaration, as the OpenAPI document's schemas are made from it.\n"
    "  --format F         text (default) or json\n";

/* "a, b, c" of a NULL-terminated list, or "-". */
static void
kinds_join(struct buf *b, const char *const *v)
{
	buf_reset(b);
	for (; v != NULL && *v != NULL; v++)
		buf_printf(b, "%s%s", b->len > 0 ? ", " : "", *v);
	if (b->len == 0)
		buf_puts(b, "-");
}

static void
kinds_print_all(void)
{
	static const char *const cols[] = { "kind", "prefix", "clause", "section", "done",
	    "due", "counts", "files", "retain" };
	struct buf done = BUF_INIT, due = BUF_INIT, counts = BUF_INIT;
	const struct record_kind *const *k;
	const struct record_count *c;
	const struct record_due *d;
	struct cli_table *t = cli_table_new(9, cols);

	for (k = record_kinds; (*k)->name != NULL; k++) {
		kinds_join(&done, (*k)->done);
		buf_reset(&due);
		for (d = (*k)->due; d != NULL && d->field != NULL; d++)
			buf_printf(&due, "%s%s (%s)", due.len > 0 ? ", " : "", d->field, d->what);
		buf_reset(&counts);
		buf_puts(&counts, "status");
		for (c = (*k)->counts; c != NULL && c->dim != NULL; c++)
			buf_printf(&counts, ", %s", c->dim);
		cli_table_add(t, (const char *const[]){ (*k)->name, (*k)->prefix, (*k)->clause,
		    (*k)->section, buf_str(&done), due.len > 0 ? buf_str(&due) : "-",
		    buf_str(&counts), (*k)->files ? "yes" : "no", (*k)->retain ? "yes" : "no" });
	}
	cli_table_print(t, CLI_FORMAT_TEXT, stdout);
	cli_table_free(t);
	buf_free(&done);
	buf_free(&due);
	buf_free(&counts);
}

static void
kinds_print_fields(const struct record_kind *k)
{
	static const char *const cols[] = { "field", "label", "type", "flags", "values",
	    "section", "help" };
	struct cli_table *t = cli_table_new(7, cols);
	json_t *desc = record_kind_describe(k), *f, *flags;
	struct buf fl = BUF_INIT, vals = BUF_INIT;
	size_t i, j;

	json_array_foreach(json_object_get(desc, "fields"), i, f) {
		buf_reset(&fl);
		flags = json_object_get(f, "flags");
		for (j = 0; j < json_array_size(flags); j++)
			buf_printf(&fl, "%s%s", j > 0 ? "," : "",
			    json_string_value(json_array_get(flags, j)));
		buf_reset(&vals);
		for (j = 0; j < json_array_size(json_object_get(f, "values")); j++)
			buf_printf(&vals, "%s%s", j > 0 ? "," : "", json_string_value(
			    json_array_get(json_object_get(f, "values"), j)));
		cli_table_add(t, (const char *const[]){
		    json_string_value(json_object_get(f, "name")),
		    json_string_value(json_object_get(f, "label")),
		    json_string_value(json_object_get(f, "type")), fl.len > 0 ? buf_str(&fl) : "-",
		    vals.len > 0 ? buf_str(&vals) : "-",
		    json_string_value(json_object_get(f, "section")) ?
		    json_string_value(json_object_get(f, "section")) : "-",
		    json_string_value(json_object_get(f, "help")) ?
		    json_string_value(json_object_get(f, "help")) : "-" });
	}
	cli_table_print(t, CLI_FORMAT_TEXT, stdout);
	cli_table_free(t);
	json_decref(desc);
	buf_free(&fl);
	buf_free(&vals);
}

/* The steps for the person given with --as (or $AIMS_AS), with the reasons. */
static int
cmd_record_steps(int argc, char **argv)
{
	struct record_cmd c;
	json_t *steps = NULL;
	int rc;

	if ((rc = record_begin_change(&c, argc, argv, 1)) != -1)
		return record_end(&c, rc);
	if (record_steps(&steps, c.db, c.org_id, &c.who.actor, c.k, c.o.ref) != 0)
		return record_end(&c, cli_fail(NULL));
	print_json(steps);
	json_decref(steps);
	return record_end(&c, CLI_OK);
}

static int
cmd_record_step(int argc, char **argv)
{
	struct record_cmd c;
	json_t *rec = NULL;
	int rc;

	if ((rc = record_begin_change(&c, argc, argv, 2)) != -1)
		return record_end(&c, rc);
	/* KIND REF ACTION; a one-per-organisation kind's REF is its prefix (SCOPE). */
	if (c.o.file == NULL)
		return record_end(&c, cli_usage_error("record", "give the KIND, the REF and the "
		    "ACTION (see 'aims record steps KIND REF'; a one-per-organisation kind's REF "
		    "is its prefix, %s here)", c.k->singleton ? c.k->prefix : "such as SCOPE"));
	if (record_step_take(&rec, c.db, c.org_id, &c.who.actor, c.k, c.o.ref, c.o.if_version,
	    c.o.file) != 0)
		return record_end(&c, cli_fail(NULL));
	print_json(rec);
	json_decref(rec);
	return record_end(&c, CLI_OK);
}

/* The member given with --as acknowledges the document's version in force. */
static int
cmd_record_acknowledge(int argc, char **argv)
{
	struct record_cmd c;
	json_t *ack = NULL;
	int rc;

	if ((rc = record_begin_change(&c, argc, argv, 1)) != -1)
		return record_end(&c, rc);
	if (strcmp(c.k->name, "documents") != 0)
		return record_end(&c, cli_usage_error("record acknowledge", "only documents are "
		    "acknowledged, not %s", c.k->name));
	if (ack_add(&ack, c.db, c.org_id, &c.who.actor, c.o.ref) != 0)
		return record_end(&c, cli_fail(NULL));
	print_json(ack);
	json_decref(ack);
	return record_end(&c, CLI_OK);
}

/* Who has and who has not acknowledged the document's version in force. */
static int
cmd_record_acknowledgements(int argc, char **argv)
{
	struct record_cmd c;
	json_t *st = NULL;
	int rc;

	if ((rc = record_begin(&c, argc, argv, 1)) != -1)
		return record_end(&c, rc);
	if (strcmp(c.k->name, "documents") != 0)
		return record_end(&c, cli_usage_error("record acknowledgements", "only documents "
		    "are acknowledged, not %s", c.k->name));
	if (ack_status(&st, c.db, c.org_id, c.o.ref) != 0)
		return record_end(&c, cli_fail(NULL));
	print_json(st);
	json_decref(st);
	return record_end(&c, CLI_OK);
}

/* The member given with --as comments on the record: KIND REF TEXT. */
static int
cmd_record_comment(int argc, char **argv)
{
	struct record_cmd c;
	json_t *said = NULL;
	int rc;

	if ((rc = record_begin_change(&c, argc, argv, 2)) != -1)
		return record_end(&c, rc);
	if (c.o.file == NULL)
		return record_end(&c, cli_usage_error("record comment", "give the KIND, the REF "
		    "and the TEXT of the comment (quoted); '@' and a member's e-mail address "
		    "mentions them"));
	if (comment_add(&said, c.db, c.org_id, &c.who.actor, c.k, c.o.ref, c.o.file, NULL,
	    0) != 0)
		return record_end(&c, cli_fail(NULL));
	print_json(said);
	json_decref(said);
	return record_end(&c, CLI_OK);
}

/* A record's comments and reviewers' notes, oldest first. */
static int
cmd_record_comments(int argc, char **argv)
{
	struct record_cmd c;
	json_t *list = NULL, *rec = NULL;
	int rc;

	if ((rc = record_begin(&c, argc, argv, 1)) != -1)
		return record_end(&c, rc);
	if (record_get(&rec, c.db, c.org_id, c.k, c.o.ref) != 0 ||
	    comment_list(&list, c.db, c.org_id, c.k, c.o.ref) != 0) {
		json_decref(rec);
		return record_end(&c, cli_fail(NULL));
	}
	print_json(list);
	json_decref(list);
	json_decref(rec);
	return record_end(&c, CLI_OK);
}

static int
cmd_record_kinds(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum cli_format fmt = CLI_FORMAT_TEXT;
	const struct record_kind *const *k, *one = NULL;
	json_t *all;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (cli_parse_format(&fmt, optarg) != 0 || fmt == CLI_FORMAT_CSV)
				return cli_usage_error("record kinds",
				    "--format is text or json, not '%s'", optarg);
			break;
		case 'h':
			fputs(kinds_usage, stdout);
			return CLI_OK;
		default:
			return cli_usage_error("record kinds", "bad option (see --help)");
		}
	}
	if (optind < argc && (one = record_kind_find(argv[optind])) == NULL)
		return cli_usage_error("record kinds", "unknown kind '%s'", argv[optind]);
	if (optind + 1 < argc)
		return cli_usage_error("record kinds", "unexpected argument '%s'",
		    argv[optind + 1]);
	if (fmt == CLI_FORMAT_JSON) {
		if (one != NULL)
			all = record_kind_describe(one);
		else
			for (all = json_array(), k = record_kinds; (*k)->name != NULL; k++)
				json_array_append_new(all, record_kind_describe(*k));
		print_json(all);
		json_decref(all);
	} else if (one != NULL)
		kinds_print_fields(one);
	else
		kinds_print_all();
	return CLI_OK;
}

static const struct cli_command record_subs[] = {
	{ "kinds", "list the record kinds as declared (--format json: all of it)",
	    cmd_record_kinds },
	{ "list", "list records of a kind", cmd_record_list },
	{ "show", "print one record as JSON", cmd_record_show },
	{ "create", "create a record from JSON", cmd_record_create },
	{ "update", "change the fields given in JSON", cmd_record_update },
	{ "delete", "delete (or retire) a record", cmd_record_delete },
	{ "history", "print a record's versions", cmd_record_history },
	{ "links", "print the records linked to and from a record", cmd_record_links },
	{ "steps", "list the workflow steps a person may take on a record", cmd_record_steps },
	{ "step", "take a workflow step (approve, submit, accept...)", cmd_record_step },
	{ "acknowledge", "acknowledge a document's approved version in force (--as EMAIL)",
	    cmd_record_acknowledge },
	{ "acknowledgements", "list who has and has not acknowledged a document",
	    cmd_record_acknowledgements },
	{ "comment", "comment on a record (--as EMAIL; @EMAIL mentions a member)",
	    cmd_record_comment },
	{ "comments", "list a record's comments and reviewers' notes", cmd_record_comments },
	{ "attach", "add a file revision to file evidence", cmd_record_attach },
	{ "files", "list the file revisions of evidence", cmd_record_files },
	{ NULL, NULL, NULL },
};

int
cmd_record(int argc, char **argv)
{
	return cli_dispatch("record", record_subs, argc, argv, record_usage);
}
