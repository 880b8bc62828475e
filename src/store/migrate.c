/*
 * migrate.c - versioned schema migrations, compiled in from schema/NNN_name.sql.
 *
 * The tables are applied in file-name order, each in its own transaction, and
 * recorded in schema_migrations. Every compiled-in migration not recorded yet
 * is applied, also one numbered below the newest applied (number ranges are
 * given to parts of the code that are merged in any order). A database whose
 * version is newer than this binary knows is refused: an old binary must not
 * write a newer schema.
 *
 * PostgreSQL: a migration is applied from schema/pg/NNN_name.sql when that
 * file exists, else from schema/NNN_name.sql as it is. The rule for which
 * need one: a migration that uses any SQLite-only form (db_schema_sqlite_only()
 * names them: types, triggers, virtual tables, SQLite functions...) has a
 * PostgreSQL form; one in plain portable SQL does not. A migration that
 * breaks the rule is refused on PostgreSQL with its name, and the unit test
 * of the store fails on it before that (tests/unit/test_db_pg.c).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embed.h"
#include "util/error.h"
#include "util/mem.h"

static int
migrate_version_of(const char *name)
{
	return atoi(name);	/* "012_x.sql" -> 12; names are checked by the build */
}

int
db_schema_latest(void)
{
	const struct embed_file *f;
	int v, latest = 0;

	for (f = schema_files; f->name; f++)
		if ((v = migrate_version_of(f->name)) > latest)
			latest = v;
	return latest;
}

int
db_schema_version(int *out, struct db *db)
{
	int64_t v = 0;
	int rc;

	*out = 0;
	rc = db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
	if (rc != 0)
		return rc;
	if ((rc = db_query_int64(&v, db,
	    "SELECT coalesce(max(version), 0) FROM schema_migrations")) != 0)
		return rc;
	*out = (int)v;
	return 0;
}

/* The SQLite-only forms of migration text, matched case-sensitively as the schema writes them. */
static const char *const migrate_sqlite_only[] = {
	"INTEGER", "REAL", "BLOB", "WITHOUT ROWID", "AUTOINCREMENT", "CREATE TRIGGER", "DROP TRIGGER",
	"RAISE(", "VIRTUAL TABLE", "fts5", "json_extract", "json_each", "json_type",
	"json_set", "json_insert", "json_remove", "json_group_array", "json_object(",
	"COLLATE NOCASE", "PRAGMA", "INSERT OR ", "REPLACE INTO", "strftime", "julianday",
	"datetime(", "unixepoch", "typeof", "GLOB", "rowid", "IS NOT ?", "ifnull", "iif(",
	"group_concat", "randomblob", "sqlite_", NULL,
};

const char *
db_schema_sqlite_only(const char *sql)
{
	const char *const *form;
	const char *p;

	for (form = migrate_sqlite_only; *form; form++)
		for (p = sql; (p = strstr(p, *form)) != NULL; p++) {
			/* Comments (to the end of the line) may say anything. */
			const char *line = p;

			while (line > sql && line[-1] != '\n')
				line--;
			if (strstr(line, "--") == NULL || strstr(line, "--") > p)
				return *form;
		}
	/* "a IS NOT b" compares with NULL as equal in SQLite only. */
	for (p = sql; (p = strstr(p, " IS NOT ")) != NULL; p++)
		if (strncmp(p + 8, "NULL", 4) != 0)
			return "IS NOT (other than IS NOT NULL)";
	return NULL;
}

/* The file to apply for migration f on this database's backend. */
static int
migrate_source(const struct embed_file **out, struct db *db, const struct embed_file *f)
{
	const char *form;

	*out = f;
	if (strcmp(db_backend(db), "postgres") != 0)
		return 0;
	if ((*out = embed_find(schema_pg_files, f->name)) != NULL)
		return 0;
	*out = f;
	if ((form = db_schema_sqlite_only((const char *)f->data)) != NULL)
		return aims_error_set(AIMS_EUNSUPPORTED, "db", "migration %s uses the SQLite-only "
		    "form %s and has no PostgreSQL form (src/store/schema/pg/%s)", f->name, form,
		    f->name);
	return 0;
}

static int
migrate_apply(struct db *db, const struct embed_file *f)
{
	char now[CLOCK_RFC3339_LEN];
	const struct embed_file *src;
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = migrate_source(&src, db, f)) != 0)
		return rc;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_exec(db, (const char *)src->data)) != 0) {
		char msg[AIMS_ERROR_MSG_MAX];

		/* A copy: the message is rewritten from itself otherwise. */
		snprintf(msg, sizeof(msg), "%s", aims_error_message());
		aims_error_set(rc, NULL, "migration %s failed: %s", f->name, msg);
		goto done;
	}
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db,
	    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")) != 0)
		goto done;
	db_bind_int64(st, 1, migrate_version_of(f->name));
	db_bind_text(st, 2, f->name);
	db_bind_text(st, 3, now);
	rc = db_step(st) == DB_DONE ? 0 : AIMS_ERROR;
done:
	db_done(st);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static int
migrate_is_applied(bool *out, struct db *db, int version)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = false;
	if ((rc = db_prepare(&st, db, "SELECT 1 FROM schema_migrations WHERE version = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, version);
	rc = db_step(st);
	*out = rc == DB_ROW;
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
db_migrate(struct db *db, int *applied)
{
	const struct embed_file *f, *next;
	int rc, current, v, latest = db_schema_latest(), floor;
	bool done;

	*applied = 0;
	if ((rc = db_schema_version(&current, db)) != 0)
		return rc;
	if (current > latest)
		return aims_error_set(AIMS_ECONFLICT, "db",
		    "database schema version %d is newer than this aims binary supports (%d): "
		    "upgrade aims before using this database", current, latest);
	/* Apply in ascending order without assuming the table is sorted. */
	for (floor = 0;;) {
		next = NULL;
		for (f = schema_files; f->name; f++) {
			v = migrate_version_of(f->name);
			if (v > floor && (next == NULL || v < migrate_version_of(next->name)))
				next = f;
		}
		if (next == NULL)
			break;
		floor = migrate_version_of(next->name);
		if (floor <= current) {
			if ((rc = migrate_is_applied(&done, db, floor)) != 0)
				return rc;
			if (done)
				continue;
		}
		if ((rc = migrate_apply(db, next)) != 0)
			return rc;
		(*applied)++;
	}
	return 0;
}

#define TRIGGER_NAME_MAX	64
#define TRIGGERS_MAX		128	/* triggers the migrations may create */
#define TRIGGER_CREATE		"CREATE TRIGGER "
#define TRIGGER_DROP		"DROP TRIGGER "
#define TRIGGER_END		"\nEND;"

struct trigger_def {
	char		 name[TRIGGER_NAME_MAX];
	const char	*sql;	/* in the embedded file, from CREATE to END */
	size_t		 len;
};

/* Reads the trigger name after a CREATE or DROP TRIGGER (IF [NOT] EXISTS skipped). */
static const char *
trigger_name(char out[TRIGGER_NAME_MAX], const char *p)
{
	size_t n = 0;

	if (strncmp(p, "IF NOT EXISTS ", 14) == 0)
		p += 14;
	else if (strncmp(p, "IF EXISTS ", 10) == 0)
		p += 10;
	while ((isalnum((unsigned char)*p) || *p == '_') && n + 1 < TRIGGER_NAME_MAX)
		out[n++] = *p++;
	out[n] = '\0';
	return p;
}

static struct trigger_def *
trigger_find(struct trigger_def *defs, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

/* The triggers the migrations leave behind, in migration order. */
static int
trigger_defs(struct trigger_def *defs, size_t *n)
{
	const struct embed_file *f, *next;
	struct trigger_def *d;
	char name[TRIGGER_NAME_MAX];
	const char *p, *line, *end;
	int floor;

	*n = 0;
	for (floor = 0;;) {
		next = NULL;
		for (f = schema_files; f->name; f++)
			if (migrate_version_of(f->name) > floor && (next == NULL ||
			    migrate_version_of(f->name) < migrate_version_of(next->name)))
				next = f;
		if (next == NULL)
			return 0;
		floor = migrate_version_of(next->name);
		/* Statements begin a line; a comment that mentions one does not count. */
		for (line = (const char *)next->data; line && *line; ) {
			if (strncmp(line, TRIGGER_CREATE, strlen(TRIGGER_CREATE)) == 0) {
				p = trigger_name(name, line + strlen(TRIGGER_CREATE));
				if ((end = strstr(p, TRIGGER_END)) == NULL)
					return aims_error_set(AIMS_ERROR, NULL, "migration %s: "
					    "trigger %s has no END;", next->name, name);
				if ((d = trigger_find(defs, *n, name)) == NULL) {
					if (*n == TRIGGERS_MAX)
						return aims_error_set(AIMS_ERROR, NULL,
						    "more than %d triggers", TRIGGERS_MAX);
					d = &defs[(*n)++];
					snprintf(d->name, sizeof(d->name), "%s", name);
				}
				d->sql = line;
				d->len = (size_t)(end - line) + strlen(TRIGGER_END) - 1;
			} else if (strncmp(line, TRIGGER_DROP, strlen(TRIGGER_DROP)) == 0) {
				trigger_name(name, line + strlen(TRIGGER_DROP));
				if ((d = trigger_find(defs, *n, name)) != NULL)
					*d = defs[--(*n)];
			}
			if ((line = strchr(line, '\n')) != NULL)
				line++;
		}
	}
}

/* Appends s with each run of white space as one space (SQLite keeps the text as written). */
static void
trigger_normalise(struct buf *out, const char *s, size_t len)
{
	bool space = false;
	size_t i;

	buf_reset(out);
	for (i = 0; i < len && s[i]; i++) {
		if (isspace((unsigned char)s[i])) {
			space = true;
			continue;
		}
		if (space && out->len > 0)
			buf_putc(out, ' ');
		space = false;
		buf_putc(out, s[i]);
	}
}

/* The table a definition is ON, for messages. */
static void
trigger_table(char out[TRIGGER_NAME_MAX], const struct trigger_def *d)
{
	struct buf b = BUF_INIT;
	const char *on;

	trigger_normalise(&b, d->sql, d->len);
	if ((on = strstr(buf_str(&b), " ON ")) != NULL)
		trigger_name(out, on + 4);
	else
		snprintf(out, TRIGGER_NAME_MAX, "?");
	buf_free(&b);
}

/*
 * PostgreSQL: the triggers of the schema/pg/ files (the last definition of
 * each; a trigger and its function share a name), compared with pg_trigger:
 * each present, on its table, enabled (ALTER TABLE ... DISABLE TRIGGER is
 * the quiet way around one), calling its function whose body is the one
 * the schema creates, and no other trigger.
 */
#define PG_FUNC_CREATE	"CREATE FUNCTION "
#define PG_BODY_MARK	"$$"

struct pg_trigger_def {
	char		 name[TRIGGER_NAME_MAX];
	char		 table[TRIGGER_NAME_MAX];
	const char	*body;	/* between the $$ of its function */
	size_t		 len;
};

static int
pg_trigger_defs(struct pg_trigger_def *defs, size_t *n)
{
	const struct embed_file *f;
	struct pg_trigger_def *d;
	char name[TRIGGER_NAME_MAX];
	const char *line, *p, *b, *e;
	size_t i;

	*n = 0;
	/* The table is in name order (001 < 003 < ...): migration order. */
	for (f = schema_pg_files; f->name; f++) {
		for (line = (const char *)f->data; line && *line; ) {
			if (strncmp(line, TRIGGER_CREATE, strlen(TRIGGER_CREATE)) == 0 ||
			    strncmp(line, PG_FUNC_CREATE, strlen(PG_FUNC_CREATE)) == 0) {
				bool trig = line[7] == 'T';

				p = trigger_name(name, line + (trig ? strlen(TRIGGER_CREATE) :
				    strlen(PG_FUNC_CREATE)));
				for (d = NULL, i = 0; i < *n; i++)
					if (strcmp(defs[i].name, name) == 0)
						d = &defs[i];
				if (d == NULL && !trig && strncmp(p, "() RETURNS trigger", 18) != 0)
					goto next;	/* a function that is not a trigger's */
				if (d == NULL) {
					if (*n == TRIGGERS_MAX)
						return aims_error_set(AIMS_ERROR, NULL,
						    "more than %d triggers", TRIGGERS_MAX);
					d = &defs[(*n)++];
					memset(d, 0, sizeof(*d));
					snprintf(d->name, sizeof(d->name), "%s", name);
				}
				if (trig) {
					if ((p = strstr(p, " ON ")) != NULL)
						trigger_name(d->table, p + 4);
				} else if ((b = strstr(p, PG_BODY_MARK)) != NULL &&
				    (e = strstr(b + 2, PG_BODY_MARK)) != NULL) {
					d->body = b + 2;
					d->len = (size_t)(e - b - 2);
				}
			}
next:
			if ((line = strchr(line, '\n')) != NULL)
				line++;
		}
	}
	return 0;
}

static int
pg_check_triggers(struct db *db)
{
	struct pg_trigger_def *defs = xcalloc(TRIGGERS_MAX, sizeof(*defs)), *d;
	bool *seen = xcalloc(TRIGGERS_MAX, sizeof(*seen));
	struct buf want = BUF_INIT, got = BUF_INIT;
	struct db_stmt *st = NULL;
	const char *name, *table, *enabled, *src;
	size_t n, i;
	int rc;

	if ((rc = pg_trigger_defs(defs, &n)) != 0 || (rc = db_prepare(&st, db,
	    "SELECT t.tgname, c.relname, t.tgenabled, p.proname, p.prosrc FROM pg_trigger t "
	    "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
	    "JOIN pg_namespace ns ON ns.oid = c.relnamespace "
	    "WHERE NOT t.tgisinternal AND ns.nspname = current_schema() ORDER BY t.tgname")) != 0)
		goto done;
	while ((rc = db_step(st)) == DB_ROW) {
		name = db_column_text(st, 0);
		table = db_column_text(st, 1);
		enabled = db_column_text(st, 2);
		src = db_column_text(st, 4);
		for (d = NULL, i = 0; i < n; i++)
			if (strcmp(defs[i].name, name) == 0)
				d = &defs[i];
		if (d == NULL || strcmp(d->table, table) != 0) {
			rc = aims_error_set(AIMS_EVERIFY, NULL, "trigger %s on table %s is not one "
			    "the schema creates: it was added around aims", name, table);
			goto done;
		}
		if (strcmp(enabled, "D") == 0) {
			rc = aims_error_set(AIMS_EVERIFY, NULL, "trigger %s on table %s is disabled: "
			    "the protection the schema gives the table is off", name, table);
			goto done;
		}
		trigger_normalise(&want, d->body ? d->body : "", d->len);
		trigger_normalise(&got, src ? src : "", SIZE_MAX);
		if (strcmp(db_column_text(st, 3), name) != 0 ||
		    strcmp(buf_str(&want), buf_str(&got)) != 0) {
			rc = aims_error_set(AIMS_EVERIFY, NULL, "trigger %s on table %s was changed "
			    "from the one the schema creates", name, table);
			goto done;
		}
		seen[d - defs] = true;
	}
	if (rc < 0)
		goto done;
	rc = 0;
	for (i = 0; i < n; i++)
		if (!seen[i]) {
			rc = aims_error_set(AIMS_EVERIFY, NULL, "trigger %s on table %s is missing: "
			    "the protection the schema gives the table was removed", defs[i].name,
			    defs[i].table);
			break;
		}
done:
	db_done(st);
	buf_free(&want);
	buf_free(&got);
	free(defs);
	free(seen);
	return rc;
}

int
db_schema_check_triggers(struct db *db)
{
	struct trigger_def *defs = xcalloc(TRIGGERS_MAX, sizeof(*defs)), *d;
	struct db_stmt *st = NULL;
	struct buf want = BUF_INIT, got = BUF_INIT;
	bool *seen = xcalloc(TRIGGERS_MAX, sizeof(*seen));
	char on[TRIGGER_NAME_MAX];
	const char *name, *table, *sql;
	size_t n, i;
	int rc;

	if (strcmp(db_backend(db), "postgres") == 0) {
		free(defs);
		free(seen);
		return pg_check_triggers(db);
	}
	if ((rc = trigger_defs(defs, &n)) != 0 || (rc = db_prepare(&st, db,
	    "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
	    "ORDER BY name")) != 0)
		goto done;
	while ((rc = db_step(st)) == DB_ROW) {
		name = db_column_text(st, 0);
		table = db_column_text(st, 1);
		sql = db_column_text(st, 2);
		if ((d = trigger_find(defs, n, name)) == NULL) {
			rc = aims_error_set(AIMS_EVERIFY, NULL, "trigger %s on table %s is not one "
			    "the schema creates: it was added around aims", name, table);
			goto done;
		}
		trigger_normalise(&want, d->sql, d->len);
		trigger_normalise(&got, sql ? sql : "", SIZE_MAX);
		if (strcmp(buf_str(&want), buf_str(&got)) != 0) {
			rc = aims_error_set(AIMS_EVERIFY, NULL, "trigger %s on table %s was changed "
			    "from the one the schema creates", name, table);
			goto done;
		}
		seen[d - defs] = true;
	}
	if (rc < 0)
		goto done;
	rc = 0;
	for (i = 0; i < n; i++)
		if (!seen[i]) {
			trigger_table(on, &defs[i]);
			rc = aims_error_set(AIMS_EVERIFY, NULL, "trigger %s on table %s is missing: "
			    "the protection the schema gives the table was removed", defs[i].name, on);
			break;
		}
done:
	db_done(st);
	buf_free(&want);
	buf_free(&got);
	free(defs);
	free(seen);
	return rc;
}
