/*
 * cyclonedx.h - CycloneDX ML-BOMs (JSON, specVersion 1.6 or 1.7) into and
 * out of an AI system's records (core/bom.h).
 *
 * Import: the file is checked against the shipped CycloneDX schema of its
 * specVersion (io/jsonschema.h) before anything is read from it; a file
 * that is not JSON, or not valid, is refused naming the JSON path at
 * fault. Components of type machine-learning-model become models (their
 * modelCard the model card), components of type data become data sets,
 * every other component and every service joins the AI system's
 * components, and each supplier, manufacturer or provider named becomes
 * (or is found as) a supplier record linked to the system.
 *
 * Export: a CycloneDX 1.6 ML-BOM of one AI system, with the system as
 * metadata.component, its models (with their model cards), data sets and
 * components, and the dependencies between them. It is checked against the
 * same schema before it is answered.
 */
#ifndef AIMS_IO_CYCLONEDX_H
#define AIMS_IO_CYCLONEDX_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "util/buf.h"

struct db;

#define CYCLONEDX_FILE_MAX	(16 * 1024 * 1024)	/* bytes of a BOM to import */
#define CYCLONEDX_DEPTH_MAX	8	/* nesting of components in components */
#define CYCLONEDX_SPEC_EXPORT	"1.6"

/*
 * Reads and checks a BOM: *out is the plain form bom_store() takes
 * (core/bom.h). Errors: AIMS_EINVALID naming the JSON path ("$" for a file
 * that is not JSON, with the line and column), AIMS_EUNSUPPORTED for a
 * specVersion other than 1.6 and 1.7, AIMS_ETOOBIG over CYCLONEDX_FILE_MAX.
 */
int cyclonedx_parse(json_t **out, const char *data, size_t len);

/* Parses and stores, all or nothing (flags: BOM_CHECK keeps nothing). */
int cyclonedx_import(json_t **summary, struct db *db, int64_t org_id,
    const struct actor *actor, const char *ais_ref, const char *data, size_t len, int flags);

/*
 * The ML-BOM of AI system ais_ref as indented JSON text. org_slug seeds
 * the serial number, which is derived from the records exported, so the
 * same records give the same serial number. AIMS_ENOTFOUND for no such
 * system in the organisation.
 */
int cyclonedx_export(struct buf *out, struct db *db, int64_t org_id, const char *org_slug,
    const char *ais_ref);

#endif
