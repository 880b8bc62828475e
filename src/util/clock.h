/*
 * clock.h - wall-clock time as RFC 3339 UTC strings, and a monotonic clock.
 */
#ifndef AIMS_UTIL_CLOCK_H
#define AIMS_UTIL_CLOCK_H

#include <stdint.h>
#include <time.h>

#define CLOCK_RFC3339_LEN 21	/* "2026-01-02T03:04:05Z" + NUL */

/* Test builds (AIMS_TEST_HOOKS) honour AIMS_FAKE_NOW; a release build ignores it. */
time_t clock_now(void);
int64_t clock_mono_usec(void);
void clock_format(char out[CLOCK_RFC3339_LEN], time_t t);
/* Parses "YYYY-MM-DDTHH:MM:SSZ" (fraction and offsets accepted) or "YYYY-MM-DD". */
int clock_parse(time_t *out, const char *s);

#endif
