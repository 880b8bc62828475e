/* clock.c - RFC 3339 formatting/parsing and clocks (see clock.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

time_t
clock_now(void)
{
#ifdef AIMS_TEST_HOOKS
	/*
	 * Test builds only: tests move time forward (expiry, throttling)
	 * without sleeping. A release build has no such variable.
	 */
	const char *fake = getenv("AIMS_FAKE_NOW");
	time_t t;

	if (fake != NULL && clock_parse(&t, fake) == 0)
		return t;
#endif
	return time(NULL);
}

int64_t
clock_mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
clock_format(char out[CLOCK_RFC3339_LEN], time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, CLOCK_RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
clock_days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : d[m - 1];
}

int
clock_parse(time_t *out, const char *s)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0, oh = 0, om = 0;
	const char *p;
	long off = 0;

	if (s == NULL || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		goto bad;
	p = s + n;
	if (*p != '\0') {
		if ((*p != 'T' && *p != 't') ||
		    sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &se, &n) != 3 || n != 8)
			goto bad;
		p += 1 + n;
		if (*p == '.') {
			p++;
			if (*p < '0' || *p > '9')
				goto bad;
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (*p == 'Z' || *p == 'z')
			p++;
		else if ((*p == '+' || *p == '-') &&
		    sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) == 2 && n == 5) {
			off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
			p += 6;
		} else
			goto bad;
		if (*p != '\0')
			goto bad;
	}
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > clock_days_in_month(y, mo) || h > 23 || mi > 59 || se > 60 || oh > 23 || om > 59)
		goto bad;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = timegm(&tm) - off;
	return 0;
bad:
	return aims_error_set(AIMS_EINVALID, NULL,
	    "not an RFC 3339 date-time (YYYY-MM-DDTHH:MM:SSZ) or date (YYYY-MM-DD): '%s'", s ? s : "");
}
