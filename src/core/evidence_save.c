/*
 * evidence_save.c - creating or changing an evidence record together with
 * a new file revision, in one transaction (see evidence_save() in
 * evidence.h): what a form with fields and a file does in one step.
 */
#include <string.h>

#include "core/evidence.h"
#include "core/record.h"
#include "store/db.h"
#include "util/error.h"


int
evidence_save(json_t **out, struct db *db, const char *data_dir, int64_t org_id,
    const struct actor *actor, const char *ref, int64_t if_version, const json_t *fields,
    const struct evidence_upload *up)
{
	const struct record_kind *k = record_kind_with_files();
	json_t *rec = NULL, *input = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if (ref == NULL) {
		input = json_deep_copy(fields);
		if (up != NULL && json_object_get(input, "kind") == NULL)
			json_object_set_new(input, "kind", json_string("file"));
		rc = record_create(&rec, db, org_id, actor, k, input);
	} else {
		rc = record_update(&rec, db, org_id, actor, k, ref, if_version, fields);
	}
	if (rc == 0 && up != NULL) {
		ref = json_string_value(json_object_get(rec, "ref"));
		json_decref(*out);
		rc = evidence_file_add(out, db, data_dir, org_id, actor, ref,
		    json_integer_value(json_object_get(rec, "version")), up);
	} else if (rc == 0) {
		*out = json_incref(rec);
	}
	if (rc == 0 && (rc = db_commit(db)) == 0)
		goto done;
	if (rc != 0 && db_in_transaction(db))
		db_rollback(db);
	json_decref(*out);
	*out = NULL;
done:
	json_decref(rec);
	json_decref(input);
	return rc;
}
