/*
 * crosswalk.h - the crosswalk catalogs (EU AI Act, NIST AI RMF, ISO/IEC
 * 27001 Annex A, OWASP Top 10 for LLM, MITRE ATLAS) and their typed
 * mappings to ISO/IEC 42001, as compiled into the binary: catalog/NAME.json
 * and catalog/map-NAME.json (catalog/README.md describes both formats).
 *
 * They are read from the compiled-in files, parsed and checked once per
 * process, so coverage works the same on a database made before a
 * framework was added (the store's requirements table is filled by
 * `aims init`, core/catalog.h).
 */
#ifndef AIMS_CORE_CROSSWALK_H
#define AIMS_CORE_CROSSWALK_H

#include <jansson.h>
#include <stdbool.h>

#define CROSSWALK_TARGET	"iso42001"

/*
 * The frameworks with a mapping to ISO/IEC 42001, in a fixed order:
 * "eu-ai-act", "nist-ai-rmf", "iso27001", "owasp-llm-2025", "atlas".
 */
extern const char *const crosswalk_frameworks[];
bool crosswalk_known(const char *framework);

/*
 * The framework's catalog document and its mapping document as parsed from
 * the compiled-in files (borrowed: valid for the life of the process;
 * jansson's reference counts are atomic here, JSON_HAVE_ATOMIC_BUILTINS, so
 * answers built on any thread may hold references into them).
 * AIMS_ENOTFOUND for a framework without a mapping; AIMS_EINVALID when a
 * file is malformed, naming the file and the entry.
 */
int crosswalk_get(const json_t **catalog, const json_t **mapping, const char *framework);

/*
 * Checks a mapping document against its source catalog and the ISO/IEC
 * 42001 catalog document: every map names an existing source entry with
 * no children and of one of the mapping's "kinds" (those it assesses:
 * articles, subcategories, controls...), a known relationship (OSCAL's: equivalent-to, equal-to,
 * subset-of, superset-of, intersects-with, no-relationship), existing
 * targets (none only for no-relationship), and every entry of those kinds
 * without children has exactly one map. 0 or AIMS_EINVALID naming the file and map.
 */
int crosswalk_check(const json_t *mapping, const json_t *catalog, const json_t *iso,
    const char *source);

/* Does the relationship say ISO/IEC 42001's side holds all of the source's? */
bool crosswalk_relationship_covers(const char *relationship);

#endif
