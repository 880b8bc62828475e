/*
 * error.h - the one error idiom of OpenAIMS.
 *
 * Every function that can fail returns int: 0 on success or one of the
 * negative AIMS_E* codes below. Before returning a code it records a
 * human-readable message (and, for bad input, the name of the offending
 * field) in thread-local storage with aims_error_set(). Callers that only
 * pass an error up return the code unchanged and never overwrite the message.
 */
#ifndef AIMS_UTIL_ERROR_H
#define AIMS_UTIL_ERROR_H

enum aims_code {
	AIMS_OK = 0,
	AIMS_ERROR = -1,	/* unexpected failure (I/O, database, library) */
	AIMS_ENOTFOUND = -2,	/* no such record (or not visible to this org) */
	AIMS_EEXISTS = -3,	/* unique key already taken */
	AIMS_EINVALID = -4,	/* bad input; field says which */
	AIMS_ECONFLICT = -5,	/* violates a rule given the current state */
	AIMS_EFORBIDDEN = -6,	/* authenticated but not allowed */
	AIMS_ESTALE = -7,	/* version mismatch (If-Match) */
	AIMS_ETOOBIG = -8,	/* input over a size limit */
	AIMS_EUNAUTH = -9,	/* not authenticated */
	AIMS_ETHROTTLED = -10,	/* too many attempts */
	AIMS_EUNSUPPORTED = -11,/* wrong media type or format */
	AIMS_EVERIFY = -12,	/* integrity check failed */
};

#define AIMS_ERROR_MSG_MAX	512
#define AIMS_ERROR_FIELD_MAX	128

/* Records code, field (may be NULL) and message; returns code. */
int aims_error_set(int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void aims_error_clear(void);
int aims_error_code(void);
const char *aims_error_message(void);	/* borrowed, thread-local */
const char *aims_error_field(void);	/* borrowed; "" when none */
const char *aims_error_name(int code);	/* stable snake_case code name */

#endif
