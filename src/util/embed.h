/*
 * embed.h - files compiled into the binary by tools/embed.c (schema, catalogs,
 * web assets). Each table ends with an entry whose name is NULL.
 */
#ifndef AIMS_UTIL_EMBED_H
#define AIMS_UTIL_EMBED_H

#include <stddef.h>

struct embed_file {
	const char		*name;	/* path relative to its folder */
	const unsigned char	*data;	/* NUL-terminated for text convenience */
	size_t			 len;
};

extern const struct embed_file schema_files[];	/* src/store/schema/ *.sql */
extern const struct embed_file schema_pg_files[];	/* src/store/schema/pg/ *.sql */
extern const struct embed_file catalog_files[];	/* catalog/ *.json */
extern const struct embed_file web_assets[];	/* src/web/assets/: css, js, svg */
extern const struct embed_file jsonschema_files[];	/* schemas/: JSON Schemas (cyclonedx/...) */
extern const struct embed_file redteam_files[];	/* catalog/redteam/: probe mappings */

const struct embed_file *embed_find(const struct embed_file *table, const char *name);

#endif
