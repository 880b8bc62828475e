/*
 * jsonschema.h - checks a JSON document against a JSON Schema (draft-07)
 * compiled into the binary (schemas/ at the top of the source tree), naming
 * the JSON path of the first value at fault. Used for imported CycloneDX
 * ML-BOMs (io/cyclonedx.h).
 *
 * Only the keywords the shipped schemas use are implemented: type, enum,
 * const, properties, additionalProperties, required, items (one schema or
 * a list), additionalItems, minItems, maxItems, uniqueItems, minLength,
 * maxLength, minimum, maximum, pattern (POSIX extended expressions, which
 * the shipped patterns are), format "date-time", oneOf, anyOf, allOf, not,
 * if/then/else and $ref (within a document, and to another shipped
 * document by its file name, with an optional #/json/pointer). A keyword
 * not in that list is ignored, as draft-07 ignores unknown keywords; a
 * schema that needs more is refused when loaded (jsonschema_load()).
 */
#ifndef AIMS_IO_JSONSCHEMA_H
#define AIMS_IO_JSONSCHEMA_H

#include <jansson.h>

#define JSONSCHEMA_DEPTH_MAX	64	/* nesting of a checked document */
#define JSONSCHEMA_PATH_MAX	128	/* bytes of a JSON path (AIMS_ERROR_FIELD_MAX) */

/*
 * Checks doc against the shipped schema file `name` ("bom-1.6.schema.json").
 * 0, AIMS_EINVALID with the JSON path at fault as the error's field
 * ("$.components[0].licenses[0].license.id") and a message saying what is
 * wrong there, or AIMS_ENOTFOUND when no such schema is shipped.
 */
int jsonschema_check(const char *name, const json_t *doc);

#endif
