/*
 * migrate.c - versioned schema migrations, compiled in from schema/NNN_name.sql.
 *
 * The tables are applied in file-name order, each in its own transaction, and
 * recorded in schema_migrations. Every compiled-in migration not recorded yet
 * is applied, also one numbered below the newest applied (number ranges are
 * given to parts of the code that are merged in any order). A database whose
 * version is newer than this binary knows is refused: an old binary must not
 * write a newer schema.
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

static int
migrate_apply(struct db *db, const struct embed_file *f)
{
	char now[CLOCK_RFC3339_LEN];
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_exec(db, (const char *)f->data)) != 0) {
		aims_error_set(rc, NULL, "migration %s failed: %s", f->name, aims_error_message());
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
