/*
 * record_import.c - bulk creation of records, all or nothing: every row goes
 * through record_create() inside one transaction; bad rows are collected
 * (not only the first) and, if there are any, the transaction is rolled
 * back so nothing is kept.
 */
#include "core/record_private.h"
#include "store/db.h"
#include "util/error.h"

#define IMPORT_PROGRESS_EVERY	100	/* rows between progress calls */

static bool
import_row_error(int rc)
{
	return rc == AIMS_EINVALID || rc == AIMS_ECONFLICT || rc == AIMS_EFORBIDDEN ||
	    rc == AIMS_EEXISTS || rc == AIMS_ENOTFOUND || rc == AIMS_ETOOBIG;
}

static void
import_note(json_t *errors, int row)
{
	const char *field = aims_error_field();

	json_array_append_new(errors, json_pack("{s:i, s:s?, s:s}", "row", row,
	    "field", field[0] ? field : NULL, "message", aims_error_message()));
}

int
record_import(json_t **errors, json_t **refs, struct db *db, int64_t org_id,
    const struct actor *actor, const struct record_kind *k, const json_t *rows, int row_base,
    int flags, record_progress_fn progress, void *arg)
{
	json_t *errs = json_array(), *made = json_array(), *row, *rec;
	size_t i, n = json_array_size(rows);
	int rc = 0;

	*errors = NULL;
	if (refs)
		*refs = NULL;
	if (!json_is_array(rows)) {
		rc = aims_error_set(AIMS_EINVALID, NULL, "the rows must be a JSON array");
		goto done;
	}
	if ((rc = db_begin(db)) != 0)
		goto done;
	record__notify_batch_begin();
	json_array_foreach(rows, i, row) {
		rc = record_create(&rec, db, org_id, actor, k, row);
		if (rc == 0) {
			json_array_append_new(made, json_string(record__str(rec, "ref")));
			json_decref(rec);
		} else if (import_row_error(rc)) {
			import_note(errs, row_base + (int)i);
			rc = 0;
			if (json_array_size(errs) >= RECORD_IMPORT_MAX_ERRORS)
				break;
		} else
			break;
		if (progress && ((i + 1) % IMPORT_PROGRESS_EVERY == 0 || i + 1 == n))
			progress(arg, i + 1, n);
	}
	if (rc == 0 && json_array_size(errs) > 0)
		rc = aims_error_set(AIMS_EINVALID, NULL,
		    "%zu row%s with errors%s: nothing was imported", json_array_size(errs),
		    json_array_size(errs) == 1 ? "" : "s",
		    json_array_size(errs) >= RECORD_IMPORT_MAX_ERRORS ? " (stopped counting)" : "");
	if (record__notify_batch_end(db, org_id, actor, k,
	    rc == 0 && !(flags & RECORD_IMPORT_CHECK)) != 0 && rc == 0)
		rc = aims_error_code();
	if (rc != 0 || (flags & RECORD_IMPORT_CHECK)) {
		db_rollback(db);
		goto done;
	}
	if ((rc = db_commit(db)) != 0)
		goto done;
	if (refs) {
		*refs = made;
		made = NULL;
	}
done:
	if (json_array_size(errs) > 0 && rc == AIMS_EINVALID)
		*errors = json_incref(errs);
	json_decref(errs);
	json_decref(made);
	return rc;
}
