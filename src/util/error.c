/* error.c - thread-local last-error storage (see error.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"

static _Thread_local int err_code;
static _Thread_local char err_msg[AIMS_ERROR_MSG_MAX];
static _Thread_local char err_field[AIMS_ERROR_FIELD_MAX];

int
aims_error_set(int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	err_code = code;
	va_start(ap, fmt);
	vsnprintf(err_msg, sizeof(err_msg), fmt, ap);
	va_end(ap);
	snprintf(err_field, sizeof(err_field), "%s", field ? field : "");
	return code;
}

void
aims_error_clear(void)
{
	err_code = 0;
	err_msg[0] = '\0';
	err_field[0] = '\0';
}

int
aims_error_code(void)
{
	return err_code;
}

const char *
aims_error_message(void)
{
	return err_msg[0] ? err_msg : "unknown error";
}

const char *
aims_error_field(void)
{
	return err_field;
}

const char *
aims_error_name(int code)
{
	switch (code) {
	case AIMS_OK: return "ok";
	case AIMS_ENOTFOUND: return "not_found";
	case AIMS_EEXISTS: return "exists";
	case AIMS_EINVALID: return "invalid";
	case AIMS_ECONFLICT: return "conflict";
	case AIMS_EFORBIDDEN: return "forbidden";
	case AIMS_ESTALE: return "stale";
	case AIMS_ETOOBIG: return "too_big";
	case AIMS_EUNAUTH: return "unauthenticated";
	case AIMS_ETHROTTLED: return "throttled";
	case AIMS_EUNSUPPORTED: return "unsupported";
	case AIMS_EVERIFY: return "verify_failed";
	default: return "internal";
	}
}
