/*
 * import_write.c - imports from the API and the pages, stored as one
 * change of the server's writer.
 *
 * The file is read and parsed on the request's own thread, and only its
 * records are stored, under the writer's group transaction (store/db.h:
 * db_writer_run_org()): an import neither writes beside the writer (where
 * it would wait in SQLite's busy handler while a group commits) nor holds
 * a group while it parses a large file. The store functions keep their
 * own all-or-nothing transaction, which nests in the group's savepoint.
 *
 * A check keeps nothing: its store function rolls its transaction back,
 * which the writer takes as a refused change and undoes alone; what the
 * check found is answered all the same, since it does not depend on a
 * commit.
 */
#include <string.h>

#include "core/bom.h"
#include "core/redteam.h"
#include "http/import_write.h"
#include "http/router.h"
#include "http/server.h"
#include "io/cyclonedx.h"
#include "io/modelcard.h"
#include "io/oscal.h"
#include "util/error.h"

enum import_kind { IMPORT_BOM, IMPORT_REDTEAM, IMPORT_OSCAL };

struct import_run {
	enum import_kind		 kind;
	struct http_ctx			*c;
	json_t				*doc;		/* parsed */
	const char			*ref;
	const char			*catalog_id;
	const struct evidence_upload	*up;
	bool				 check;
	bool				 checked;	/* a check ran to its end */
	json_t				*summary;
};

static int
import_apply(struct db *db, void *arg)
{
	struct import_run *r = arg;
	struct http_ctx *c = r->c;
	int rc = AIMS_ERROR;

	json_decref(r->summary);
	r->summary = NULL;
	r->checked = false;
	switch (r->kind) {
	case IMPORT_BOM:
		rc = bom_store(&r->summary, db, c->org_id, &c->actor, r->ref, r->doc,
		    r->check ? BOM_CHECK : 0);
		break;
	case IMPORT_REDTEAM:
		rc = redteam_store(&r->summary, db, c->org_id, &c->actor, r->ref, r->doc, r->up,
		    r->check ? REDTEAM_CHECK : 0);
		break;
	case IMPORT_OSCAL:
		rc = oscal_store(&r->summary, db, c->org_id, &c->actor, r->doc, r->catalog_id,
		    r->check ? OSCAL_IMPORT_CHECK : 0);
		break;
	}
	r->checked = r->check && rc == 0;
	return rc;
}

/* Stores r->doc through the writer; *summary set on success. */
static int
import_run(json_t **summary, struct import_run *r)
{
	int rc;

	rc = http_server_write(r->c->db, r->c->org_id, import_apply, r);
	if (r->checked) {
		/* Undone on purpose: the writer's refusal of it is not an error. */
		aims_error_clear();
		rc = 0;
	}
	if (rc == 0) {
		*summary = r->summary;
		r->summary = NULL;
	}
	json_decref(r->summary);	/* set, but its group did not commit */
	json_decref(r->doc);
	return rc;
}

int
import_write_bom(json_t **summary, struct http_ctx *c, const char *format,
    const char *ref, const char *data, size_t len, bool check)
{
	struct import_run r = { .kind = IMPORT_BOM, .c = c, .ref = ref, .check = check };
	int rc;

	*summary = NULL;
	rc = strcmp(format, "cyclonedx") == 0 ? cyclonedx_parse(&r.doc, data, len) :
	    modelcard_parse(&r.doc, data, len);
	if (rc != 0)
		return rc;
	return import_run(summary, &r);
}

int
import_write_redteam(json_t **summary, struct http_ctx *c, enum redteam_format f,
    const char *ref, const struct evidence_upload *up, bool check)
{
	struct import_run r = { .kind = IMPORT_REDTEAM, .c = c, .ref = ref, .up = up,
	    .check = check };
	int rc;

	*summary = NULL;
	if ((rc = redteam_read(&r.doc, f, up->path)) != 0)
		return rc;
	return import_run(summary, &r);
}

int
import_write_oscal(json_t **summary, struct http_ctx *c, const char *data, size_t len,
    const char *catalog_id, bool check)
{
	struct import_run r = { .kind = IMPORT_OSCAL, .c = c, .catalog_id = catalog_id,
	    .check = check };
	int rc;

	*summary = NULL;
	if ((rc = oscal_parse(&r.doc, data, len)) != 0)
		return rc;
	return import_run(summary, &r);
}
