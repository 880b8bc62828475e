/*
 * cli.h - shared pieces of the command-line front-end: the command table
 * entry type, common options (--db, --format, --help), opening the store,
 * and printing listings as text, JSON or CSV. Commands live one group per
 * file in src/cli/ and hold no domain rules: they parse, call core, print.
 *
 * Exit codes: CLI_OK 0, CLI_FAIL 1 (the operation failed), CLI_USAGE 2.
 */
#ifndef AIMS_CLI_CLI_H
#define AIMS_CLI_CLI_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "core/actor.h"

struct db;

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

enum cli_format { CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV };

struct cli_command {
	const char	*name;
	const char	*summary;
	int		(*run)(int argc, char **argv);	/* argv[0] is the command name */
};

extern const struct cli_command cli_commands[];	/* main.c */

/* cli.c */
const char *cli_default_db(void);	/* $AIMS_DB or ./aims.db */
int cli_open_db(struct db **out, const char *path, int create);
int cli_parse_format(enum cli_format *out, const char *s);
/* Prints "aims: <message>" for the last error; returns CLI_FAIL. */
int cli_fail(const char *context);
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Reads one line (a password) from stdin, without the newline. */
int cli_read_stdin_line(char *out, size_t outlen);
/* Dispatches "aims GROUP SUB ..." to a table of subcommands. */
int cli_dispatch(const char *group, const struct cli_command *subs, int argc, char **argv,
    const char *usage);

/*
 * A listing command: parses --db, --format, --help (and --org SLUG when
 * needs_org), calls fetch for a JSON array of objects and prints the named
 * columns (arrays joined with ';').
 */
typedef int (*cli_fetch_fn)(json_t **out, struct db *db, int64_t org_id);
int cli_list(int argc, char **argv, const char *cmd, const char *usage, int ncols,
    const char *const *cols, cli_fetch_fn fetch, int needs_org);
/* Resolves an org slug given with --org; prints the error itself. */
int cli_org_id(int64_t *out, struct db *db, const char *slug, const char *cmd);
/*
 * The person a change made on the command line is attributed to: --as
 * EMAIL (as), else $AIMS_AS; an enabled member of the organisation, acting
 * with their role there and their user id (so sign-off rules apply as to
 * anyone), never an anonymous "cli". Prints the error itself: CLI_USAGE
 * when nobody is named, CLI_FAIL when they may not act here.
 */
#define CLI_AS_HELP	"  --as EMAIL         who makes the change: a member of the organisation\n" \
			"                     (default $AIMS_AS); required for changes\n"
#define CLI_ACTOR_NAME_MAX	280
struct cli_actor {
	struct actor	 actor;
	char		 name[CLI_ACTOR_NAME_MAX];	/* "user:EMAIL" */
};
int cli_actor(struct cli_actor *out, struct db *db, int64_t org_id, const char *as,
    const char *cmd);

/*
 * Loads the ledger signing key kept beside the database (PATH.key), creating
 * it when create is set and it is missing.
 */
int cli_ensure_key(struct db *db, int create);
void cli_key_release(void);	/* main() calls it before returning */

/* A listing: columns then rows of strings, printed in the chosen format. */
struct cli_table;
struct cli_table *cli_table_new(int ncols, const char *const *cols);
void cli_table_add(struct cli_table *t, const char *const *values);	/* copies */
void cli_table_print(struct cli_table *t, enum cli_format fmt, FILE *out);
void cli_table_free(struct cli_table *t);



/* Command entry points, one group per file in src/cli/. */
int cmd_migrate(int argc, char **argv);	/* cli_db.c */
int cmd_migrate_store(int argc, char **argv);	/* cli_migrate_store.c */
int cmd_ledger(int argc, char **argv);	/* cli_ledger.c */
int cmd_verify(int argc, char **argv);	/* cli_ledger.c */
int cmd_catalog(int argc, char **argv);	/* cli_catalog.c */
int cmd_crosswalk(int argc, char **argv);	/* cli_crosswalk.c */
int cmd_euact(int argc, char **argv);	/* cli_euact.c */
int cmd_init(int argc, char **argv);	/* cli_init.c */
int cmd_org(int argc, char **argv);	/* cli_org.c */
int cmd_user(int argc, char **argv);	/* cli_user.c */
int cmd_member(int argc, char **argv);	/* cli_member.c */
int cmd_serve(int argc, char **argv);	/* cli_serve.c */
int cmd_token(int argc, char **argv);	/* cli_token.c */
int cmd_record(int argc, char **argv);	/* cli_record.c */
int cmd_import(int argc, char **argv);	/* cli_import.c */
int cmd_report(int argc, char **argv);	/* cli_report.c */
int cmd_export(int argc, char **argv);	/* cli_export.c */
int cmd_export_oscal(int argc, char **argv);	/* cli_oscal.c */
int cmd_import_oscal(int argc, char **argv);	/* cli_oscal.c */
int cmd_import_bom(int argc, char **argv);	/* cli_bom.c: cyclonedx, modelcard, garak, promptfoo */
int cmd_export_bom(int argc, char **argv);	/* cli_bom.c: cyclonedx */
int cmd_soa(int argc, char **argv);	/* cli_soa.c */
int cmd_metrics(int argc, char **argv);	/* cli_metrics.c */
int cmd_pack(int argc, char **argv);	/* cli_pack.c */
int cmd_work(int argc, char **argv);	/* cli_work.c */
int cmd_config(int argc, char **argv);	/* cli_config.c */
int cmd_webhook(int argc, char **argv);	/* cli_webhook.c */

#endif
