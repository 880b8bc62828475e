/*
 * record_org.c - the records every organisation has from its creation: one
 * Statement of Applicability entry per Annex A control of the catalog, and
 * the default risk criteria.
 */
#include "core/catalog.h"
#include "core/record_private.h"
#include "core/risk.h"
#include "store/db.h"
#include "util/error.h"

/*
 * The Annex A controls of ISO/IEC 42001 in catalog order: [{control, title}].
 * The compiled-in catalog is loaded first when the database has none yet.
 */
static int
org_annex_a(json_t **out, struct db *db)
{
	json_t *controls = NULL, *c;
	size_t i;
	int rc, n;

	*out = NULL;
	if ((rc = catalog_list(&controls, db, CATALOG_ISO42001, "control")) != 0)
		return rc;
	if (json_array_size(controls) == 0) {
		json_decref(controls);
		if ((rc = catalog_load_builtin(db, &n)) != 0 ||
		    (rc = catalog_list(&controls, db, CATALOG_ISO42001, "control")) != 0)
			return rc;
	}
	if (json_array_size(controls) != CATALOG_ISO42001_CONTROLS) {
		rc = aims_error_set(AIMS_ERROR, NULL, "the catalog holds %zu Annex A controls, "
		    "not %d: the Statement of Applicability cannot be created",
		    json_array_size(controls), CATALOG_ISO42001_CONTROLS);
		json_decref(controls);
		return rc;
	}
	*out = json_array();
	json_array_foreach(controls, i, c)
		json_array_append_new(*out, json_pack("{s:O, s:O}", "control",
		    json_object_get(c, "id"), "title", json_object_get(c, "title")));
	json_decref(controls);
	return 0;
}

int
record_org_init(struct db *db, int64_t org_id, const struct actor *actor)
{
	json_t *controls = NULL, *c, *rec = NULL, *criteria = risk_criteria_default();
	size_t i;
	int rc;

	if ((rc = db_begin(db)) != 0)
		goto done;
	if ((rc = org_annex_a(&controls, db)) != 0)
		goto fail;
	json_array_foreach(controls, i, c) {
		if ((rc = record__create_system(&rec, db, org_id, actor, &record_kind_soa, c)) != 0)
			goto fail;
		json_decref(rec);
	}
	if ((rc = record__create_system(&rec, db, org_id, actor, &record_kind_risk_criteria,
	    criteria)) != 0)
		goto fail;
	json_decref(rec);
	rc = db_commit(db);
	goto done;
fail:
	db_rollback(db);
done:
	json_decref(controls);
	json_decref(criteria);
	return rc;
}
