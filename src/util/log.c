/* log.c - leveled diagnostics on stderr (see log.h). */
#include <stdarg.h>
#include <stdio.h>

#include "util/clock.h"
#include "util/log.h"

/* The threshold: debug messages (libmicrohttpd's own) are not written. */
static const enum log_level log_level = LOG_LEVEL_INFO;

void
log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *names[] = { "debug", "info", "warn", "error" };
	char ts[CLOCK_RFC3339_LEN];
	va_list ap;

	if (level < log_level)
		return;
	clock_format(ts, clock_now());
	flockfile(stderr);
	fprintf(stderr, "%s aims[%s]: ", ts, names[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}
