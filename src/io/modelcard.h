/*
 * modelcard.h - Hugging Face model cards (a README.md whose YAML front
 * matter carries the model's metadata) into an AI system's records
 * (core/bom.h), as the CycloneDX import does.
 *
 * The front matter is read with libyaml into a tree of mappings,
 * sequences and text scalars, within the limits below; anything else
 * (several documents, tags other than YAML's core ones, keys that are not
 * text, more aliases than MODELCARD_ALIASES_MAX) is refused naming the
 * path at fault and the line of the file. The keys read are license
 * (license_name when it is "other"), pipeline_tag, library_name,
 * language, tags, base_model, base_model_relation, datasets and
 * model-index; the others (widget, thumbnail, ...) are read but not kept.
 *
 * The card becomes one model record of the system: its name is that of
 * the first model-index entry, else the card's first '# ' heading; the
 * model-index results become its performance metrics (the metric, its
 * value as written, and the evaluation data set, configuration and split
 * as the slice); each data set of `datasets` becomes a data set record
 * linked to the model, and a Hub namespace ("acme/claims-2025") becomes
 * its supplier. The card's text is read loosely for one thing: the bullet
 * points (or first paragraph) of its sections on limitations, bias, risks
 * and out-of-scope use become the model's technical limitations.
 * Importing the card again updates the same records.
 */
#ifndef AIMS_IO_MODELCARD_H
#define AIMS_IO_MODELCARD_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"

struct db;

#define MODELCARD_FILE_MAX	(1024 * 1024)	/* bytes of a card (README.md) */
#define MODELCARD_FRONT_MAX	(256 * 1024)	/* bytes of its front matter */
#define MODELCARD_DEPTH_MAX	16	/* nesting of mappings and sequences */
#define MODELCARD_NODES_MAX	20000	/* nodes, an alias counting as its copy */
#define MODELCARD_ALIASES_MAX	32	/* alias uses in the front matter */
#define MODELCARD_METRICS_MAX	500	/* model-index metrics kept on the model */
#define MODELCARD_PATH_MAX	200	/* a path named by an error */

/*
 * The front matter of a card as JSON: mappings become objects, sequences
 * arrays, scalars strings (the plain scalars null, ~ and the empty one
 * become null). *out is an object, empty when the card's front matter is.
 * AIMS_EINVALID naming the path ("$", "$.model-index[0].name") and the
 * line; AIMS_ETOOBIG past MODELCARD_FILE_MAX or MODELCARD_FRONT_MAX.
 */
int modelcard_front_matter(json_t **out, const char *data, size_t len);

/*
 * Reads a card into the plain form bom_store() takes: {"models": [one],
 * "datasets": [...], "components": []}. Errors as above; a card that names
 * no model (no model-index name, no '# ' heading) is refused at "$".
 */
int modelcard_parse(json_t **out, const char *data, size_t len);

/* Parses and stores, all or nothing (flags: BOM_CHECK keeps nothing). */
int modelcard_import(json_t **summary, struct db *db, int64_t org_id,
    const struct actor *actor, const char *ais_ref, const char *data, size_t len, int flags);

#endif
