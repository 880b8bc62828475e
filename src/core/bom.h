/*
 * bom.h - an AI system's bill of materials kept as records: its models
 * (the models kind, model cards), its data sets (datasets), its other
 * third-party components and services (the AI system's components) and
 * the suppliers of all of them (suppliers, linked to the system). The
 * CycloneDX reader and writer (io/cyclonedx.h) turn ML-BOM files into the
 * plain form below and back; this file does the writing, all or nothing.
 */
#ifndef AIMS_CORE_BOM_H
#define AIMS_CORE_BOM_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"

struct db;

#define BOM_ITEMS_MAX		5000	/* models + data sets + components in one BOM */
#define BOM_CHECK		(1 << 0)	/* check everything, keep nothing */

/*
 * Creates or updates the records of AI system ais_ref from bom, in one
 * transaction. bom is {"models": [M], "datasets": [D], "components": [C]}
 * where each element has "path" (its JSON path in the file, named by any
 * error), "fields" (the record's fields as its kind declares them, without
 * the links below) and:
 *   M: "supplier" (a name or null), "datasets" (bom-refs of D elements)
 *   D: "supplier", and optionally "on_create": fields set only when the
 *      data set is created (a model card's data sets are its training data)
 *   C: the AI system's component fields (kind, name, version, supplier,
 *      licence, purl, bom_ref, endpoint)
 * A model is the same record again when its purl, or else its bom_ref for
 * this AI system, matches (or, with neither, its name for this system); a
 * data set when its bom_ref for this system does (or, without, its title); a component when its bom_ref, purl, or kind and name do; a
 * supplier when its name does. Only what changed makes a new version, so
 * importing the same BOM twice changes nothing the second time.
 * *summary: {"ai_system", "created": {"models": [refs], "datasets",
 * "suppliers"}, "updated": {...}, "unchanged": N, "components": N}.
 * Errors name the element's JSON path as the field; AIMS_ENOTFOUND when
 * the organisation has no such AI system.
 */
int bom_store(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ais_ref, const json_t *bom, int flags);

#endif
