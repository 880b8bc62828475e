/*
 * org_catalog.h - catalogs an organisation imported (from OSCAL, see
 * io/oscal.h), kept for that organisation only: another organisation's
 * lists, exports and lookups never see them (an unknown id and another
 * organisation's id answer the same AIMS_ENOTFOUND). The built-in
 * frameworks (core/catalog.h) stay shared reference data.
 *
 * A catalog is {id, uuid, title, version, oscal_version, sha256, items:
 * [{id, kind "group"|"control", title, summary, parent}]}. Saving it again
 * under the same id replaces its items and raises its revision. Every save
 * is ledgered as kind "org-catalogs", ref the id, in the same transaction.
 */
#ifndef AIMS_CORE_ORG_CATALOG_H
#define AIMS_CORE_ORG_CATALOG_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"

struct db;

#define ORG_CATALOG_LEDGER_KIND	"org-catalogs"
#define ORG_CATALOG_ID_MAX	64	/* bytes of a catalog's id (a slug) */
#define ORG_CATALOG_ITEM_ID_MAX	128	/* bytes of a group's or control's id */
#define ORG_CATALOG_TITLE_MAX	500
#define ORG_CATALOG_SUMMARY_MAX	2000

/* Keeps cat (see above) for org_id; *out: the catalog as org_catalog_get() answers. */
int org_catalog_save(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *cat);
/* [{id, uuid, title, version, oscal_version, sha256, item_count, revision, imported_at,
 * imported_by}] in id order. */
int org_catalog_list(json_t **out, struct db *db, int64_t org_id);
/* One catalog with its items[] in document order; AIMS_ENOTFOUND when org_id has none. */
int org_catalog_get(json_t **out, struct db *db, int64_t org_id, const char *id);

/* Which of org_id's imported catalogs holds item id (the first by id): AIMS_ENOTFOUND if none. */
int org_catalog_find_item(char catalog[ORG_CATALOG_ID_MAX + 1], struct db *db, int64_t org_id,
    const char *id);

/* The ledger's record source (core/ledger_source.c): the state that was ledgered. */
int org_catalog_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *kind,
    const char *ref);
int org_catalog_enumerate(struct db *db, int64_t org_id,
    int (*fn)(void *arg, const char *kind, const char *ref), void *arg);

#endif
