/*
 * fetch.h - outgoing HTTP(S) requests with libcurl, for talking to an
 * organisation's OpenID provider: http and https only, no redirects
 * followed, certificates checked, a time limit and a size limit on the
 * answer. The caller judges the answer; this only fetches it.
 */
#ifndef AIMS_UTIL_FETCH_H
#define AIMS_UTIL_FETCH_H

#include <stddef.h>

#include "util/buf.h"

#define FETCH_TIMEOUT_SEC	10
#define FETCH_CONNECT_SEC	5
#define FETCH_MAX_BYTES		(256 * 1024)	/* an answer larger than this is refused */

/* GET url into *out; *status is the HTTP status. AIMS_ERROR (message) when unreachable. */
int fetch_get(struct buf *out, long *status, const char *url);
/*
 * POST an application/x-www-form-urlencoded body, authenticated with HTTP
 * Basic user:password (each form-urlencoded first, as RFC 6749 2.3.1 asks)
 * when user is not NULL.
 */
int fetch_post_form(struct buf *out, long *status, const char *url, const char *body,
    const char *user, const char *password);

#endif
