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
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/clock.h"
#include "util/embed.h"
#include "util/error.h"

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
