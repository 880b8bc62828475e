/*
 * guard.h - what the server refuses before a handler runs: request framing
 * that two HTTP parsers could read differently (request smuggling), a NUL
 * hidden in the request target, and connections that take too long to send
 * their request line and headers (slowloris).
 *
 * libmicrohttpd 0.9.75 closes a connection only after it has been idle for
 * MHD_OPTION_CONNECTION_TIMEOUT, so a client sending one header byte every
 * few seconds holds its slot for ever. The header deadline here is absolute:
 * a watchdog thread shuts down the socket of any connection whose request
 * line and headers are not complete in time, and libmicrohttpd then closes
 * it as it would a connection the client dropped.
 */
#ifndef AIMS_HTTP_GUARD_H
#define AIMS_HTTP_GUARD_H

#include <stdbool.h>
#include <stdint.h>

struct MHD_Connection;

#define GUARD_TICK_MS		250	/* how often the watchdog looks at deadlines */
#define GUARD_CL_MAX		32	/* longest Content-Length value read */
#define GUARD_TE_MAX		128	/* longest Transfer-Encoding value quoted */

/*
 * The framing of the request on conn, once its headers are in: 0 when it
 * is unambiguous; AIMS_EINVALID (400) for Content-Length together with
 * Transfer-Encoding or Content-Length headers that disagree or are not one
 * decimal number; HTTP_ENOTIMPL (501) for a transfer coding other than
 * chunked. The error message names the header. The caller answers and
 * closes the connection: what follows the headers cannot be trusted.
 */
int guard_check_framing(struct MHD_Connection *conn);
/*
 * The request target exactly as sent (before percent-decoding): refuses
 * an encoded NUL (%00), which decoding would turn into the end of the
 * path or of a query value. 0 or AIMS_EINVALID.
 */
int guard_check_target(const char *raw);

/* The header deadline (all durations in seconds; see server.h for defaults). */
struct guard_limits {
	unsigned	header_sec;	/* request line and headers, from the first byte */
	unsigned	idle_sec;	/* a kept-alive connection waiting for its next request */
};

/* Starts the watchdog thread; 0 or AIMS_ERROR. */
int guard_start(const struct guard_limits *limits);
/* Stops it (after the daemon has stopped). */
void guard_stop(void);
/* libmicrohttpd's connection notifications: a connection opens or closes. */
void guard_conn_open(void **socket_context, struct MHD_Connection *conn);
void guard_conn_close(void **socket_context);
/* Its request line has arrived: the headers must follow within header_sec. */
void guard_request_line(struct MHD_Connection *conn);
/* Its headers are complete: no deadline while the request is handled. */
void guard_headers_done(struct MHD_Connection *conn);
/* Its request has been answered: the next one must start and arrive in time. */
void guard_request_done(struct MHD_Connection *conn);
/* Connections shut down by the watchdog since start (for /metrics and tests). */
uint64_t guard_cut_count(void);

#endif
