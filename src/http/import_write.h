/*
 * import_write.h - imports from the API and the pages, stored as one
 * change of the server's writer (see import_write.c).
 */
#ifndef AIMS_HTTP_IMPORT_WRITE_H
#define AIMS_HTTP_IMPORT_WRITE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/evidence.h"
#include "http/http.h"
#include "io/redteam.h"

/*
 * A CycloneDX ML-BOM or a model card (format "cyclonedx" or "modelcard")
 * for AI system ref: parsed here, stored through the writer; check: keep
 * nothing, answer what would be kept. *summary as bom_store() gives it.
 */
int import_write_bom(json_t **summary, struct http_ctx *c, const char *format,
    const char *ref, const char *data, size_t len, bool check);
/* A red-team report at up->path for AI system ref (redteam_store()). */
int import_write_redteam(json_t **summary, struct http_ctx *c, enum redteam_format f,
    const char *ref, const struct evidence_upload *up, bool check);
/* An OSCAL catalog or assessment results (oscal_store()). */
int import_write_oscal(json_t **summary, struct http_ctx *c, const char *data, size_t len,
    const char *catalog_id, bool check);

#endif
