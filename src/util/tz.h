/*
 * tz.h - wall-clock time in a named time zone ("Europe/Paris") for display:
 * the offset from UTC and its abbreviation at a given moment, read from the
 * system's tz database (TZif files under TZ_DIR). Storage and the API keep
 * UTC; only pages convert.
 *
 * Written here rather than with localtime_r(): the C library knows one zone
 * per process (the TZ variable), and a server shows each organisation's own
 * at the same time from many threads. A zone is parsed once and kept for
 * the life of the process; tz_load() is safe from any thread.
 */
#ifndef AIMS_UTIL_TZ_H
#define AIMS_UTIL_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define TZ_DIR		"/usr/share/zoneinfo"
#define TZ_NAME_MAX	64	/* "America/Argentina/ComodRivadavia" */
#define TZ_FILE_MAX	(256 * 1024)
#define TZ_ABBR_MAX	16

struct tz;

/* A name of the tz database's form: Area/Location, letters, digits, _+-; never "..". */
bool tz_name_ok(const char *name);
/*
 * The zone called name (NULL, "" or "UTC": UTC without a file), parsed once
 * and cached; borrowed for the life of the process. AIMS_EINVALID naming
 * "timezone" when there is no such zone.
 */
int tz_load(const struct tz **out, const char *name);
/* Parses TZif data (RFC 8536, versions 1 to 4); AIMS_EINVALID when it is not. */
int tz_parse(struct tz **out, const unsigned char *data, size_t len);
void tz_free(struct tz *z);
/*
 * Seconds east of UTC at t, and the abbreviation in force ("CET"), copied
 * into abbr (may be NULL). After the last transition a file lists (Debian's
 * files list them to 2037), the last one stays in force.
 */
long tz_offset(const struct tz *z, time_t t, char abbr[TZ_ABBR_MAX]);
/* The zone's name as loaded ("UTC" for UTC). */
const char *tz_name(const struct tz *z);

#endif
