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

/* Exactly n decimal digits at p into *out; 0 or -1. */
static int
clock_digits(const char *p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar, by the
 * closed formula over 400-year eras (H. Hinnant's days_from_civil). Written
 * out because timegm() goes through the C library's broken-down time and
 * its normalisation, which is most of the cost when a push of metric
 * readings parses thousands of times.
 */
static int64_t
clock_days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
clock_parse(time_t *out, const char *s)
{
	int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0;
	const char *p;
	long off = 0;

	/* Digits only where RFC 3339 has them: no sign, space or short field. */
	if (s == NULL || clock_digits(s, 4, &y) || s[4] != '-' || clock_digits(s + 5, 2, &mo) ||
	    s[7] != '-' || clock_digits(s + 8, 2, &d))
		goto bad;
	p = s + 10;
	if (*p != '\0') {
		if ((*p != 'T' && *p != 't') || clock_digits(p + 1, 2, &h) || p[3] != ':' ||
		    clock_digits(p + 4, 2, &mi) || p[6] != ':' || clock_digits(p + 7, 2, &se))
			goto bad;
		p += 9;
		if (*p == '.') {
			p++;
			if (*p < '0' || *p > '9')
				goto bad;
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (*p == 'Z' || *p == 'z')
			p++;
		else if ((*p == '+' || *p == '-') && clock_digits(p + 1, 2, &oh) == 0 &&
		    p[3] == ':' && clock_digits(p + 4, 2, &om) == 0) {
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
	/* A leap second (:60) counts as the next second, as timegm() had it. */
	*out = (time_t)(clock_days_from_civil(y, mo, d) * 86400 + h * 3600L + mi * 60L + se -
	    off);
	return 0;
bad:
	return aims_error_set(AIMS_EINVALID, NULL,
	    "not an RFC 3339 date-time (YYYY-MM-DDTHH:MM:SSZ) or date (YYYY-MM-DD): '%s'", s ? s : "");
}
