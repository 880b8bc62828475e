/*
 * export.h - downloadable files of an organisation's records:
 *   soa         the Statement of Applicability: xlsx (one row per control,
 *               frozen header, filters, widths, colours by status, a second
 *               sheet with the justification of excluded controls), csv, json;
 *               the draft, or a published version
 *   risks       the risk register: xlsx, csv
 *   ai-systems  the AI system inventory: xlsx, csv
 *   readiness   the readiness report: html (one self-contained file), json
 * Files are written atomically (temp file, fsync, rename).
 */
#ifndef AIMS_IO_EXPORT_H
#define AIMS_IO_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

struct db;

enum export_what { EXPORT_SOA, EXPORT_RISKS, EXPORT_AI_SYSTEMS, EXPORT_READINESS };
enum export_format { EXPORT_XLSX, EXPORT_CSV, EXPORT_JSON, EXPORT_HTML };

#define EXPORT_CELL_MAX		32767	/* characters in one spreadsheet cell */
#define EXPORT_NAME_MAX		64	/* "ai-systems.xlsx" */

struct export_opts {
	int64_t		 soa_version;	/* 0: the draft; N: published version N */
};

/* export.c */
int export_parse_what(enum export_what *out, const char *s);
int export_parse_format(enum export_format *out, const char *s);
/* "soa.xlsx" (the API's file name) -> what and format; AIMS_ENOTFOUND if unknown. */
int export_parse_name(enum export_what *what, enum export_format *fmt, const char *name);
/* AIMS_EUNSUPPORTED naming the formats there are, when `what` has no such format. */
int export_check(enum export_what what, enum export_format fmt);
const char *export_media_type(enum export_format fmt);
/* "soa", "risks", ...; and the file extension of fmt. */
const char *export_what_name(enum export_what what);
const char *export_format_name(enum export_format fmt);

/* The export as bytes (HTTP answers). */
int export_to_buf(struct buf *out, struct db *db, int64_t org_id, enum export_what what,
    enum export_format fmt, const struct export_opts *opts);
/* The export written atomically to path. */
int export_to_file(const char *path, struct db *db, int64_t org_id, enum export_what what,
    enum export_format fmt, const struct export_opts *opts);

/* Bytes written atomically to path (temp file beside it, fsync, rename). */
int export_write_file(const char *path, const struct buf *b);

/*
 * Any record list with its filters, search and sort applied (query.limit and
 * cursor are ignored: every matching record), as CSV or XLSX.
 */
struct record_kind;
struct record_query;
int export_records_to_buf(struct buf *out, struct db *db, int64_t org_id,
    const struct record_kind *k, const struct record_query *query, enum export_format fmt);

#endif
