/*
 * guard.c - framing checks and the header deadline (see guard.h).
 */
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "http/guard.h"
#include "http/http.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/mem.h"

/* ---- framing ------------------------------------------------------------ */

struct guard_framing {
	int	ncl, nte;
	bool	cl_bad;			/* not one decimal number */
	bool	cl_differ;		/* two values that disagree */
	char	cl[GUARD_CL_MAX];
	char	te[GUARD_TE_MAX];	/* the first Transfer-Encoding value */
};

static bool
guard_is_number(const char *s)
{
	const char *p = s;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '\0' && strlen(s) < GUARD_CL_MAX;
}

static enum MHD_Result
guard_collect(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct guard_framing *f = cls;

	(void)kind;
	if (key == NULL)
		return MHD_YES;
	if (value == NULL)
		value = "";
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		if (!guard_is_number(value))
			f->cl_bad = true;
		else if (f->ncl > 0 && strcmp(f->cl, value) != 0)
			f->cl_differ = true;
		else
			snprintf(f->cl, sizeof(f->cl), "%s", value);
		f->ncl++;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		if (f->nte++ == 0)
			snprintf(f->te, sizeof(f->te), "%s", value);
	}
	return MHD_YES;
}

/* "chunked" alone, ignoring case and surrounding blanks. */
static bool
guard_is_chunked(const char *te)
{
	size_t n;

	while (*te == ' ' || *te == '\t')
		te++;
	n = strlen(te);
	while (n > 0 && (te[n - 1] == ' ' || te[n - 1] == '\t'))
		n--;
	return n == 7 && strncasecmp(te, "chunked", 7) == 0;
}

int
guard_check_framing(struct MHD_Connection *conn)
{
	struct guard_framing f;

	memset(&f, 0, sizeof(f));
	MHD_get_connection_values(conn, MHD_HEADER_KIND, guard_collect, &f);
	/* RFC 9112 6.3: a sender must not send both; an intermediary may have read either. */
	if (f.ncl > 0 && f.nte > 0)
		return aims_error_set(AIMS_EINVALID, "Transfer-Encoding",
		    "a request must not carry both Content-Length and Transfer-Encoding");
	if (f.cl_bad)
		return aims_error_set(AIMS_EINVALID, "Content-Length",
		    "Content-Length must be one decimal number");
	if (f.cl_differ)
		return aims_error_set(AIMS_EINVALID, "Content-Length",
		    "the request has Content-Length headers that disagree");
	if (f.nte > 1 || (f.nte == 1 && !guard_is_chunked(f.te)))
		return aims_error_set(HTTP_ENOTIMPL, "Transfer-Encoding",
		    "transfer coding '%.64s' is not supported: only chunked is", f.te);
	return 0;
}

int
guard_check_target(const char *raw)
{
	const char *p;

	if (raw == NULL)
		return 0;
	for (p = raw; (p = strchr(p, '%')) != NULL; p++)
		if (p[1] == '0' && p[2] == '0')
			return aims_error_set(AIMS_EINVALID, "path",
			    "the request target must not contain %%00 (an encoded NUL)");
	return 0;
}

/* ---- header deadline ---------------------------------------------------- */

/* One open connection; its socket_context. */
struct guard_conn {
	struct guard_conn	*prev, *next;
	int			 fd;
	int64_t			 deadline;	/* monotonic usec; 0: none */
	bool			 cut;
};

static struct {
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	pthread_t		 thread;
	bool			 running, stopping;
	struct guard_limits	 limits;
	struct guard_conn	*head;
	uint64_t		 cuts;
} guard = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

/*
 * Shuts down the sockets past their deadline. Under the lock, so a
 * connection cannot close (and its descriptor be reused) meanwhile:
 * libmicrohttpd reports the close, which takes the lock, before it closes
 * the descriptor.
 */
static void
guard_sweep(int64_t now)
{
	struct guard_conn *g;
	unsigned n = 0;

	for (g = guard.head; g != NULL; g = g->next) {
		if (g->deadline == 0 || now < g->deadline)
			continue;
		g->deadline = 0;
		g->cut = true;
		if (shutdown(g->fd, SHUT_RDWR) != 0 && errno != ENOTCONN)
			log_warn("closing a slow connection: %s", strerror(errno));
		n++;
	}
	guard.cuts += n;
	if (n > 0)
		log_debug("closed %u connection(s) whose headers did not arrive in %u s", n,
		    guard.limits.header_sec);
}

static void *
guard_main(void *arg)
{
	struct timespec ts;

	(void)arg;
	pthread_mutex_lock(&guard.lock);
	while (!guard.stopping) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += GUARD_TICK_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&guard.wake, &guard.lock, &ts);
		if (!guard.stopping)
			guard_sweep(clock_mono_usec());
	}
	pthread_mutex_unlock(&guard.lock);
	return NULL;
}

int
guard_start(const struct guard_limits *limits)
{
	int rc;

	pthread_mutex_lock(&guard.lock);
	guard.limits = *limits;
	guard.stopping = false;
	guard.cuts = 0;
	pthread_mutex_unlock(&guard.lock);
	if ((rc = pthread_create(&guard.thread, NULL, guard_main, NULL)) != 0)
		return aims_error_set(AIMS_ERROR, NULL, "cannot start the connection watchdog: %s",
		    strerror(rc));
	guard.running = true;
	return 0;
}

void
guard_stop(void)
{
	if (!guard.running)
		return;
	pthread_mutex_lock(&guard.lock);
	guard.stopping = true;
	pthread_cond_signal(&guard.wake);
	pthread_mutex_unlock(&guard.lock);
	pthread_join(guard.thread, NULL);
	guard.running = false;
}

static int64_t
guard_after(unsigned sec)
{
	return clock_mono_usec() + (int64_t)sec * 1000000;
}

void
guard_conn_open(void **socket_context, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	struct guard_conn *g = xcalloc(1, sizeof(*g));

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	g->fd = ci != NULL ? ci->connect_fd : -1;
	pthread_mutex_lock(&guard.lock);
	/* The first request line and headers are due header_sec after the connection. */
	if (g->fd >= 0 && guard.limits.header_sec > 0)
		g->deadline = guard_after(guard.limits.header_sec);
	g->next = guard.head;
	if (guard.head != NULL)
		guard.head->prev = g;
	guard.head = g;
	pthread_mutex_unlock(&guard.lock);
	*socket_context = g;
}

void
guard_conn_close(void **socket_context)
{
	struct guard_conn *g = *socket_context;

	if (g == NULL)
		return;
	pthread_mutex_lock(&guard.lock);
	if (g->prev != NULL)
		g->prev->next = g->next;
	else
		guard.head = g->next;
	if (g->next != NULL)
		g->next->prev = g->prev;
	pthread_mutex_unlock(&guard.lock);
	free(g);
	*socket_context = NULL;
}

static struct guard_conn *
guard_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

void
guard_request_line(struct MHD_Connection *conn)
{
	struct guard_conn *g = guard_of(conn);
	int64_t d;

	if (g == NULL || guard.limits.header_sec == 0)
		return;
	d = guard_after(guard.limits.header_sec);
	pthread_mutex_lock(&guard.lock);
	/* Never later than the deadline already running (a dribbled request line). */
	if (!g->cut && (g->deadline == 0 || d < g->deadline))
		g->deadline = d;
	pthread_mutex_unlock(&guard.lock);
}

void
guard_headers_done(struct MHD_Connection *conn)
{
	struct guard_conn *g = guard_of(conn);

	if (g == NULL)
		return;
	pthread_mutex_lock(&guard.lock);
	g->deadline = 0;
	pthread_mutex_unlock(&guard.lock);
}

void
guard_request_done(struct MHD_Connection *conn)
{
	struct guard_conn *g = guard_of(conn);

	if (g == NULL || guard.limits.header_sec == 0)
		return;
	pthread_mutex_lock(&guard.lock);
	/*
	 * Kept alive: the next request may wait idle_sec to start (libmicrohttpd's
	 * own idle timeout), and then has header_sec to arrive.
	 */
	if (!g->cut)
		g->deadline = guard_after(guard.limits.idle_sec + guard.limits.header_sec);
	pthread_mutex_unlock(&guard.lock);
}

uint64_t
guard_cut_count(void)
{
	uint64_t n;

	pthread_mutex_lock(&guard.lock);
	n = guard.cuts;
	pthread_mutex_unlock(&guard.lock);
	return n;
}
