/*
 * oscal.h - NIST OSCAL 1.2 (JSON) out of and into OpenAIMS.
 *
 * Export (oscal_export.c), one document per model, of one organisation:
 *   catalog             ISO/IEC 42001 as our catalog: ids, short titles and
 *                       our own summaries (never the standard's text); or,
 *                       with opts.catalog, a catalog the organisation imported
 *   profile             the controls the SoA declares applicable
 *   ssp                 the AIMS as a system security plan: the SoA rows and
 *                       measures as implemented requirements, the AI systems
 *                       as components, the responsibilities as roles
 *   assessment-results  readiness as a result: observations (checks and the
 *                       newest OSCAL_EVIDENCE_PER_REQ evidence records behind a
 *                       requirement; the finding counts them all), findings
 *   poam                a plan of action and milestones from readiness gaps
 * Results and POA&M items are gathered from a table of sources (readiness
 * today); internal audit findings and nonconformities join those tables
 * when their record kinds exist, without changing the writers.
 *
 * UUIDs are derived (RFC 4122 version 5 layout, SHA-256 of a fixed
 * namespace, the organisation's slug and the record's identity), so the
 * same records give the same UUIDs in every export. A document's own uuid
 * is derived from its content, so it changes exactly when the content does.
 *
 * Import (oscal_import.c): a catalog (kept for the importing organisation
 * only, see core/org_catalog.h) or assessment results from another tool
 * (one evidence record per observation, linked to the ISO/IEC 42001
 * requirements its findings or reviewed controls name). A bad document is
 * refused with the JSON path at fault as the error's field
 * ("$.catalog.groups[2].controls[0].id") and nothing is kept.
 */
#ifndef AIMS_IO_OSCAL_H
#define AIMS_IO_OSCAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "util/buf.h"

struct db;

#define OSCAL_VERSION		"1.2.1"	/* the release whose schemas the tests check */
#define OSCAL_NS		"https://openaims.org/ns/oscal"	/* our props' ns */
#define OSCAL_UUID_LEN		37	/* 36 characters + NUL */
#define OSCAL_FILE_MAX		(32 * 1024 * 1024)	/* bytes of a document to import */
#define OSCAL_ITEMS_MAX		20000	/* groups + controls of an imported catalog */
#define OSCAL_DEPTH_MAX		16	/* nesting of groups and controls */
#define OSCAL_PATH_MAX		128	/* bytes of a JSON path in an error (AIMS_ERROR_FIELD_MAX) */
#define OSCAL_OBSERVATIONS_MAX	10000	/* observations imported from one document */
#define OSCAL_EVIDENCE_PER_REQ	100	/* newest evidence records cited per requirement */

enum oscal_model {
	OSCAL_CATALOG, OSCAL_PROFILE, OSCAL_SSP, OSCAL_ASSESSMENT_RESULTS, OSCAL_POAM,
	OSCAL_MODEL_COUNT
};

struct oscal_opts {
	const char	*catalog;	/* catalog model: an imported catalog's id (NULL: ISO) */
	int64_t		 soa_version;	/* profile, ssp: a published SoA version (0: draft) */
};

/* oscal.c */
/* "catalog", "profile", "ssp", "assessment-results", "poam" -> model. */
int oscal_parse_model(enum oscal_model *out, const char *s);
const char *oscal_model_name(enum oscal_model m);
/* The document's root key: "catalog", ..., "system-security-plan", ... */
const char *oscal_model_root(enum oscal_model m);
/*
 * A stable UUID for (org slug, kind, key): the same arguments give the same
 * UUID, any different one another.
 */
void oscal_uuid(char out[OSCAL_UUID_LEN], const char *org, const char *kind, const char *key);
/* Our control id in OSCAL token form: "A.6.2.8" -> "iso42001-a.6.2.8". */
void oscal_control_id(char *out, size_t len, const char *requirement);
/*
 * The other way: "iso42001-a.6.2.8", "A.6.2.8", "a.6.2.8", or a statement
 * or objective id of one ("iso42001-a.6.2.8_smt") -> "A.6.2.8". 0 when s
 * has the form of an ISO/IEC 42001 id (whether it exists is for the caller).
 */
int oscal_requirement_id(char *out, size_t len, const char *s);

/* oscal_export.c */
/* The document as JSON. Caller owns *out. */
int oscal_export(json_t **out, struct db *db, int64_t org_id, enum oscal_model model,
    const struct oscal_opts *opts);
/* The document as indented JSON text, ending with a newline. */
int oscal_export_to_buf(struct buf *out, struct db *db, int64_t org_id, enum oscal_model model,
    const struct oscal_opts *opts);

/* oscal_mapping.c */
/*
 * The organisation's coverage of a crosswalk framework (engine/coverage.h)
 * as an OSCAL mapping collection: typed maps to ISO/IEC 42001 with the
 * coverage status of each and what is missing. Caller owns *out.
 */
int oscal_mapping_export(json_t **out, struct db *db, int64_t org_id, const char *framework);

/* oscal_import.c */
/*
 * Checks a document's shape without the database and answers what it would
 * import: {model: "catalog", id, uuid, title, version, oscal_version,
 * items: [{id, kind, title, summary, parent}]} or {model:
 * "assessment-results", title, observations: [{path, title, description,
 * collected, expires, url, source, controls: [{id, path}]}]}. Other models
 * are AIMS_EUNSUPPORTED. Errors name the JSON path as the field.
 */
int oscal_parse(json_t **out, const char *data, size_t len);
/*
 * Parses and keeps a document for org_id, all or nothing; catalog_id (may
 * be NULL) names an imported catalog (default: from its title). *summary:
 * {model, ...what was kept: catalog id and counts, or evidence refs}. With
 * OSCAL_IMPORT_CHECK everything is checked against the organisation (the
 * requirements named, the evidence records' fields) and nothing is kept.
 */
#define OSCAL_IMPORT_CHECK	(1 << 0)	/* check everything, keep nothing */
int oscal_import(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    const char *data, size_t len, const char *catalog_id, int flags);
/* Keeps a document oscal_parse() gave, as oscal_import() does. */
int oscal_store(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    json_t *doc, const char *catalog_id, int flags);

#endif
