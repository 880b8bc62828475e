/*
 * catalog.h - frameworks as data: loading, validating and reading the
 * requirement catalogs (the JSON files in catalog/, compiled in; the format is in
 * catalog/README.md).
 */
#ifndef AIMS_CORE_CATALOG_H
#define AIMS_CORE_CATALOG_H

#include <jansson.h>
#include <stddef.h>

struct db;

#define CATALOG_ISO42001		"iso42001"
#define CATALOG_ISO42001_CONTROLS	38
#define CATALOG_ISO42001_OBJECTIVES	11
#define CATALOG_ISO42001_RISK_SOURCES	7
#define CATALOG_SUMMARY_MAX		300
#define CATALOG_TITLE_MAX		200
#define CATALOG_TACTICS_MAX		32	/* tactics an ATLAS technique belongs to */

/* The kinds an entry may have, NULL-terminated. */
extern const char *const catalog_kinds[];

/*
 * Validates a catalog document without touching the database. On failure the
 * error message names the bad entry (by id or position) and what is wrong.
 */
int catalog_validate(const json_t *doc, const char *source);
/* Validates and (re)loads one catalog in the caller's or its own transaction. */
int catalog_load(struct db *db, const char *json, size_t len, const char *source);
/* Loads every catalog compiled into the binary; *count gets how many. */
int catalog_load_builtin(struct db *db, int *count);

/* Lists requirements; framework and kind may be NULL (all). Caller owns *out. */
int catalog_list(json_t **out, struct db *db, const char *framework, const char *kind);
/* One requirement with its children ids. AIMS_ENOTFOUND when unknown. */
int catalog_get(json_t **out, struct db *db, const char *framework, const char *id);
/* Checks that id exists with one of the kinds in kinds ("control,clause"); NULL: any. */
int catalog_check(struct db *db, const char *framework, const char *id, const char *kinds);

#endif
