/*
 * record_ledger.c - what the ledger verifier needs from the record engine:
 * the current state of a record exactly as it was given to ledger_append()
 * (the record_get() form), and every record of an organisation.
 */
#include "core/record_private.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdlib.h>

/* Checked by the compiler: these have the ledger's callback types. */
static const ledger_load_fn record_ledger_loader = record_load_for_ledger;
static const ledger_enum_fn record_ledger_enum = record_enumerate;

int
record_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *kind,
    const char *ref)
{
	const struct record_kind *k = record_kind_find(kind);

	(void)record_ledger_loader;
	(void)record_ledger_enum;
	*out = NULL;
	if (k == NULL)
		return aims_error_set(AIMS_EUNSUPPORTED, NULL, "%s is not a record kind", kind);
	return record_get(out, db, org_id, k, ref);
}

json_t *
record_earlier_form(const char *kind, const json_t *record)
{
	const struct record_kind *k = record_kind_find(kind);
	const struct field *f;
	json_t *earlier = NULL, *v;

	for (f = k != NULL ? k->fields : NULL; f != NULL && f->name != NULL; f++) {
		if (f->since == 0 || (v = json_object_get(record, f->name)) == NULL ||
		    !record__is_empty(v))
			continue;
		if (earlier == NULL && (earlier = json_deep_copy(record)) == NULL)
			return NULL;
		json_object_del(earlier, f->name);
	}
	return earlier;
}

int
record_enumerate(struct db *db, int64_t org_id, record_visit_fn fn, void *arg)
{
	struct db_stmt *st = NULL;
	char *kind, *ref;
	int rc, visit = 0;

	if ((rc = db_prepare(&st, db, "SELECT kind, ref FROM records WHERE org_id = ? "
	    "ORDER BY kind, num")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		kind = xstrdup(db_column_text(st, 0));
		ref = xstrdup(db_column_text(st, 1));
		visit = fn(arg, kind, ref);
		free(kind);
		free(ref);
		if (visit != 0)
			break;
	}
	db_done(st);
	if (visit != 0)
		return visit;
	return rc < 0 ? rc : 0;
}
