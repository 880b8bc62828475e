/*
 * server.c - the libmicrohttpd daemon behind `aims serve` (see server.h).
 *
 * A request is collected into a struct http_req (headers, query, a body
 * counted against the limit before it is buffered), handed to the router
 * on the worker thread with that thread's own database connection, and the
 * struct http_resp it produces goes out with the security headers. Writes
 * serialise in SQLite (BEGIN IMMEDIATE plus a busy timeout).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/api.h"
#include "http/budget.h"
#include "http/guard.h"
#include "http/http.h"
#include "http/metrics.h"
#include "http/outbox_job.h"
#include "http/router.h"
#include "http/list_cache.h"
#include "http/server.h"
#include "http/pack_job.h"
#include "http/verify_job.h"
#include "http/webui.h"
#include "core/evidence.h"
#include "core/idem.h"
#include "core/outbox.h"
#include "core/record.h"
#include "core/session.h"
#include "core/throttle.h"
#include "io/deliver.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/sandbox.h"
#include "util/str.h"
#include "util/tz.h"

#define HTTP_CSP	"default-src 'self'; frame-ancestors 'none'; base-uri 'none'; " \
			"form-action 'self'; object-src 'none'"
#define HTTP_LOG_PATH_MAX	512
#define HTTP_LOG_LINE		256	/* room an access log line starts with */
#define HTTP_TMP_DIR		"tmp"	/* in the data directory: $TMPDIR of the server */
/* Read by the C library's malloc before it gives memory of a thread's arena back. */
#define HTTP_OVERCOMMIT_PATH	"/proc/sys/vm/overcommit_memory"

struct http_server {
	struct MHD_Daemon		*daemon;
	struct http_server_config	 cfg;
	char				 host[INET6_ADDRSTRLEN];
	uint16_t			 port;
	struct db			*main_db;
	struct ledger_key		*key;
	struct db_writer		*writer;	/* group commit (store/db.h) */
	int				 listen_fd;
	/* The acceptor (http_acceptor_main): its thread and what wakes it to stop. */
	pthread_t			 acceptor;
	bool				 acceptor_started;
	int				 acceptor_stop;	/* eventfd */
};

/* What one request accumulates between libmicrohttpd's calls. */
struct http_pending {
	bool		 begun;		/* the headers are in; the handler has run once */
	bool		 must_close;	/* framing refused: close after the answer */
	int		 refuse_rc;	/* target or framing refused (guard.h): answer this */
	char		 refuse_msg[AIMS_ERROR_MSG_MAX];
	int64_t		 start_usec;
	int64_t		 db_usec_start;
	struct buf	 body;
	bool		 too_big;
	bool		 answered;
	size_t		 discarded;	/* body bytes dropped after too_big */
	int		 status;
	size_t		 bytes;
	int		 route;
	char		 user[320];
	char		 method[16];
	char		*path;
	/* A page's multipart/form-data body, parsed as it arrives (http_upload_*). */
	bool		 multipart;
	struct multipart *mp;
	struct http_upload *upload;
	uint64_t	 received;
	int		 upload_rc;	/* refused: answered with this once read */
	char		 upload_msg[AIMS_ERROR_MSG_MAX];
	/* Handled by a change worker while the connection was suspended (http_job). */
	struct http_job	*job;
	bool		 db_usec_known;	/* db_usec measured on that worker */
	int64_t		 db_usec;
};

static int64_t http_inflight;	/* requests between first call and completion */
static int64_t http_open_conns;
static int http_quiescing;

/* Every worker connection, to close them once the workers are gone. */
static pthread_mutex_t http_dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *http_dbs[HTTP_THREADS_MAX * 2 + 8];
static size_t http_ndbs;
static _Thread_local struct db *http_thread_db;
/* This thread is a change worker (http_jobs_main()). */
static _Thread_local bool http_thread_changes;
/* The one writer of the database every change of records goes through. */
static struct db_writer *http_writer;

/*
 * A thread's spare response body: the memory of an answer it sent, given
 * back once libmicrohttpd is done with it (http_body_done) and handed to
 * the thread's next answer (http_body_take). A page is then written into
 * room it already has instead of growing from nothing by doubling, each
 * doubling copying what was written. A body larger than HTTP_SPARE_MAX is
 * not kept, so a large export does not stay held by the thread.
 */
#define HTTP_SPARE_MAX	(256 * 1024)
static _Thread_local struct buf http_spare;
static pthread_key_t http_spare_key;	/* frees the spare when its thread ends */
static pthread_once_t http_spare_once = PTHREAD_ONCE_INIT;
static bool http_spare_keyed;

/*
 * Written in the body's own buffer after its NUL, so the free callback
 * knows the buffer's capacity without an allocation of its own.
 */
struct http_body_tail {
	char	*data;
	size_t	 cap;
};

void
http_server_config_default(struct http_server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->listen, sizeof(cfg->listen), "%s", HTTP_LISTEN_DEFAULT);
	cfg->log_format = HTTP_LOG_TEXT;
	cfg->max_body = HTTP_MAX_BODY_DEFAULT;
	cfg->conn_limit = HTTP_CONN_LIMIT;
	cfg->per_ip_limit = HTTP_PER_IP_LIMIT;
	cfg->idle_timeout = HTTP_CONN_TIMEOUT_SEC;
	cfg->header_timeout = HTTP_HEADER_TIMEOUT_SEC;
	cfg->heavy_per_minute = BUDGET_PER_MINUTE;
	cfg->list_cache_bytes = (size_t)LIST_CACHE_DEFAULT_MB * 1024 * 1024;
	cfg->outbox_poll_ms = OUTBOX_POLL_MS_DEFAULT;
	cfg->retry_base = OUTBOX_RETRY_BASE;
	cfg->digest_hour = OUTBOX_DIGEST_HOUR;
}

int
http_server_db(struct db **out, const struct http_server_config *cfg)
{
	struct db *db;
	int rc;

	if ((*out = http_thread_db) != NULL)
		return 0;
	if ((rc = db_open(&db, cfg->db_path, DB_OPEN_NO_MIGRATE)) != 0)
		return rc;
	/*
	 * The writer's copier keeps the log (store/db_writer.c): a sign-in or an
	 * upload committed here must not copy thousands of its pages itself.
	 */
	if ((rc = db_log_watch(db, NULL)) != 0) {
		db_close(db);
		return rc;
	}
	/*
	 * A change worker's read transaction nearly always follows another
	 * connection's commit, and SQLite then drops its whole memory map
	 * (munmap, and a TLB shootdown on every CPU) and faults the pages in
	 * again: 6 % of the server's CPU under 16 writing clients. Its reads
	 * come from the page cache instead; 12-20 % more creates a second.
	 */
	if (http_thread_changes && strcmp(db_backend(db), "sqlite") == 0 &&
	    (rc = db_exec(db, "PRAGMA mmap_size=0")) != 0) {
		db_close(db);
		return rc;
	}
	pthread_mutex_lock(&http_dbs_lock);
	if (http_ndbs == sizeof(http_dbs) / sizeof(http_dbs[0])) {
		pthread_mutex_unlock(&http_dbs_lock);
		db_close(db);
		return aims_error_set(HTTP_EUNAVAILABLE, NULL, "too many database connections");
	}
	http_dbs[http_ndbs++] = db;
	pthread_mutex_unlock(&http_dbs_lock);
	*out = http_thread_db = db;
	return 0;
}

int
http_server_write(struct db *db, int64_t org_id, db_write_fn fn, void *arg)
{
	return db_writer_run_org(__atomic_load_n(&http_writer, __ATOMIC_ACQUIRE), db, org_id, fn,
	    arg);
}

void
http_server_writer_figures(struct db_writer_figures *out)
{
	db_writer_figures(out, __atomic_load_n(&http_writer, __ATOMIC_ACQUIRE));
}

static void
http_close_dbs(void)
{
	size_t i;

	pthread_mutex_lock(&http_dbs_lock);
	for (i = 0; i < http_ndbs; i++)
		db_close(http_dbs[i]);
	http_ndbs = 0;
	pthread_mutex_unlock(&http_dbs_lock);
}

/*
 * Removes the temporary files of uploads and blobs that a crash left
 * behind (evidence.h, evidence_temp_clean): at start, before anything is
 * received, and with the rest of the maintenance.
 */
static void
http_temp_clean(const char *db_file, int64_t now)
{
	char *data = NULL;
	size_t n = 0;

	evidence_data_dir(&data, db_file);
	if (evidence_temp_clean(&n, data, now - EVIDENCE_TEMP_GRACE_SEC) != 0)
		log_warn("removing temporary files: %s", aims_error_message());
	if (n > 0)
		log_info("removed %zu temporary file%s left in %s by an interrupted upload",
		    n, n == 1 ? "" : "s", data);
	free(data);
}

/* The expiry's deletions, as one change of the writer (http_maintenance). */
static int
http_expire_apply(struct db *db, void *arg)
{
	time_t now = *(const time_t *)arg;
	int rc;

	if ((rc = session_expire(db, now)) != 0 || (rc = idem_expire(db, now)) != 0 ||
	    (rc = throttle_expire(db, now)) != 0 || (rc = outbox_expire(db, now)) != 0)
		return rc;
	return 0;
}

/*
 * Deletes expired sessions, idempotency keys and sign-in counts, and stale
 * temporary files: at start and then at most every HTTP_MAINTENANCE_SEC,
 * from whichever request comes. The deletions go through the writer, as a
 * request's changes do: on a request's connection they would wait in
 * SQLite's busy handler while the writer commits (at start there is no
 * writer yet, and they run in a transaction of their own on db).
 */
static void
http_maintenance(struct db *db, bool force)
{
	static int64_t last;
	int64_t now = (int64_t)clock_now(), prev = __atomic_load_n(&last, __ATOMIC_RELAXED);
	time_t at = (time_t)now;

	if (!force && now - prev < HTTP_MAINTENANCE_SEC)
		return;
	if (!__atomic_compare_exchange_n(&last, &prev, now, false, __ATOMIC_SEQ_CST,
	    __ATOMIC_RELAXED))
		return;	/* another thread does it */
	if (http_server_write(db, 0, http_expire_apply, &at) != 0)
		log_warn("expiring old sessions, keys and deliveries failed: %s",
		    aims_error_message());
	http_temp_clean(db_path(db), now);
}

/* Collects headers or query arguments into a growable array of copies. */
struct http_kv_list {
	struct http_kv	*items;
	size_t		 n, cap;
	bool		 overflow;
};

static enum MHD_Result
http_collect_kv(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct http_kv_list *l = cls;

	(void)kind;
	if (l->n == HTTP_QUERY_MAX * 4) {
		l->overflow = true;
		return MHD_NO;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	l->items[l->n].name = xstrdup(key ? key : "");
	l->items[l->n].value = value ? xstrdup(value) : NULL;
	l->n++;
	return MHD_YES;
}

static void
http_kv_free(struct http_kv_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].name);
		free(l->items[i].value);
	}
	free(l->items);
}

static void
http_client_addr(char out[INET6_ADDRSTRLEN], struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	snprintf(out, INET6_ADDRSTRLEN, "unknown");
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		    INET6_ADDRSTRLEN);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
		    INET6_ADDRSTRLEN);
}

/* Joins every X-Forwarded-For header, in order, with commas. */
static enum MHD_Result
http_collect_xff(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct buf *b = cls;

	(void)kind;
	if (key == NULL || value == NULL || strcasecmp(key, "X-Forwarded-For") != 0)
		return MHD_YES;
	if (b->len + strlen(value) + 1 > HTTP_HEADER_VALUE_MAX)
		return MHD_NO;
	if (b->len > 0)
		buf_putc(b, ',');
	buf_append(b, value, strlen(value));
	return MHD_YES;
}

/* The client behind a trusted proxy (proxy.h); out holds the peer's address. */
static void
http_proxied_client(char out[INET6_ADDRSTRLEN], struct MHD_Connection *conn,
    const struct http_server_config *cfg)
{
	struct buf xff = BUF_INIT;
	char peer[INET6_ADDRSTRLEN];

	if (cfg->proxies.n == 0 || !proxy_trusted(&cfg->proxies, out))
		return;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, http_collect_xff, &xff);
	snprintf(peer, sizeof(peer), "%s", out);
	proxy_client(out, &cfg->proxies, peer, xff.len > 0 ? buf_str(&xff) : NULL);
	buf_free(&xff);
}

/* snprintf(dst, size, "%s", src) without the formatting: a request copies a few. */
static void
http_copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
http_spare_free(void *v)
{
	buf_free(v);
}

static void
http_spare_key_make(void)
{
	http_spare_keyed = pthread_key_create(&http_spare_key, http_spare_free) == 0;
}

/* The thread's spare as body's memory, when body has none of its own yet. */
static void
http_body_take(struct buf *body)
{
	if (http_spare.data == NULL || body->data != NULL)
		return;
	*body = http_spare;
	body->len = 0;
	body->data[0] = '\0';
	memset(&http_spare, 0, sizeof(http_spare));
}

/*
 * libmicrohttpd is done with an answer's body (it is sent, or the
 * connection is gone): kept as the spare of the thread that runs this, or
 * freed.
 */
static void
http_body_done(void *cls)
{
	const struct http_body_tail *t = cls;
	char *data = t->data;
	size_t cap = t->cap;

	if (http_spare.data == NULL && cap <= HTTP_SPARE_MAX) {
		pthread_once(&http_spare_once, http_spare_key_make);
		if (http_spare_keyed && (pthread_getspecific(http_spare_key) != NULL ||
		    pthread_setspecific(http_spare_key, &http_spare) == 0)) {
			http_spare.data = data;
			http_spare.cap = cap;
			http_spare.len = 0;
			return;
		}
	}
	free(data);
}

/*
 * The answer's body, handed to libmicrohttpd as it is (never copied): its
 * buffer goes to http_body_done() once sent.
 */
static struct MHD_Response *
http_body_response(struct buf *body)
{
	struct http_body_tail *t;
	struct MHD_Response *r;
	size_t len = body->len, at, align = _Alignof(struct http_body_tail);

	/* The tail's room, aligned, after the NUL: there already but for a few answers. */
	buf_grow(body, sizeof(*t) + align - 1);
	at = (len + 1 + align - 1) / align * align;
	t = (struct http_body_tail *)(void *)(body->data + at);
	t->data = body->data;
	t->cap = body->cap;
	r = MHD_create_response_from_buffer_with_free_callback_cls(len, body->data,
	    http_body_done, t);
	if (r == NULL)
		return NULL;
	memset(body, 0, sizeof(*body));
	return r;
}

/*
 * own: the answer sets these itself: Referrer-Policy (pages: same-origin, so
 * forms carry Origin); Content-Security-Policy and X-Frame-Options (an
 * evidence preview: sandboxed, framed by this site's own record page only).
 */
static void
http_add_security_headers(struct MHD_Response *r, const struct http_server_config *cfg,
    bool cacheable, const struct http_resp *own)
{
	if (http_resp_get_header(own, "Content-Security-Policy") == NULL)
		MHD_add_response_header(r, "Content-Security-Policy", HTTP_CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (http_resp_get_header(own, "Referrer-Policy") == NULL)
		MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	if (http_resp_get_header(own, "X-Frame-Options") == NULL)
		MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	if (!cacheable)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	if (cfg->secure_cookies)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
}

static enum MHD_Result
http_send(struct MHD_Connection *conn, struct http_pending *p, struct http_resp *resp,
    const struct http_server_config *cfg)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len = resp->body.len, i;

	if (resp->has_file) {
		/* libmicrohttpd sends the file from its descriptor and closes it. */
		len = (size_t)resp->file_size;
		r = MHD_create_response_from_fd64(resp->file_size, resp->file_fd);
		if (r == NULL)
			return MHD_NO;
		resp->has_file = false;
	} else if ((r = http_body_response(&resp->body)) == NULL) {
		return MHD_NO;
	}
	http_add_security_headers(r, cfg, resp->cacheable, resp);
	if (resp->content_type != NULL)
		MHD_add_response_header(r, "Content-Type", resp->content_type);
	for (i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
	if (__atomic_load_n(&http_quiescing, __ATOMIC_RELAXED))
		MHD_add_response_header(r, "Connection", "close");
	ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	p->answered = true;
	p->status = resp->status;
	p->bytes = len;
	return ret;
}

/* An answer made without the router (413 before reading, 503), into c. */
static void
http_error_build(struct http_ctx *c, const struct http_pending *p,
    const struct http_server_config *cfg, const struct http_req *req, int code)
{
	http_ctx_init(c, req, NULL, cfg);
	if (req->path != NULL && webui_owns(req->path))
		webui_reply_error(c, code);
	else
		http_reply_error(c, code);
	if (code == HTTP_EUNAVAILABLE)
		http_resp_header(&c->resp, "Retry-After", "1");
	if (code == AIMS_ETOOBIG || code == HTTP_EUNAVAILABLE || p->must_close)
		http_resp_header(&c->resp, "Connection", "close");
}

static enum MHD_Result
http_send_error(struct MHD_Connection *conn, struct http_pending *p,
    const struct http_server_config *cfg, const struct http_req *req, int code)
{
	struct http_ctx c;
	enum MHD_Result ret;

	http_error_build(&c, p, cfg, req, code);
	ret = http_send(conn, p, &c.resp, cfg);
	http_ctx_free(&c);
	return ret;
}

static void
http_note_user(struct http_pending *p, const struct http_ctx *c)
{
	http_copy(p->user, sizeof(p->user), c->who.kind == HTTP_ANON ? "-" : c->who.name);
	p->route = router_route_index(c->route);
}

/*
 * One request's handling: what the router answered, kept until it is sent
 * by the connection's own thread (libmicrohttpd queues answers only from
 * there). A change runs on a change worker while its connection is
 * suspended (http_jobs), so that the worker thread of the connection goes
 * on serving its other connections, and many changes can wait for one
 * commit of the database writer together (group commit, store/db.h).
 */
struct http_job {
	struct MHD_Connection		*conn;
	struct http_pending		*p;
	const struct http_server_config	*cfg;
	const char			*url, *method;
	struct http_kv_list		 headers, query;
	char				 addr[INET6_ADDRSTRLEN];
	struct http_req			 req;
	struct http_ctx			 c;
	struct http_job			*next;
};

/* The change workers and their queue. */
static struct {
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	struct http_job		*head, *tail;
	pthread_t		 threads[HTTP_CHANGE_WORKERS];
	int			 nthreads;
	bool			 stop;
} http_jobs = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

/* Runs the router on j's request; j->c holds the answer. */
static void
http_job_run(struct http_job *j, bool offloaded)
{
	const struct http_server_config *cfg = j->cfg;
	struct http_pending *p = j->p;
	struct http_req *req = &j->req;
	struct db *db = NULL;
	int rc;

	MHD_get_connection_values(j->conn, MHD_HEADER_KIND, http_collect_kv, &j->headers);
	MHD_get_connection_values(j->conn, MHD_GET_ARGUMENT_KIND, http_collect_kv, &j->query);
	http_client_addr(j->addr, j->conn);
	http_proxied_client(j->addr, j->conn, cfg);
	memset(req, 0, sizeof(*req));
	req->method = j->method;
	req->path = j->url;
	req->headers = j->headers.items;
	req->nheaders = j->headers.n;
	req->query = j->query.items;
	req->nquery = j->query.overflow ? HTTP_QUERY_MAX + 1 : j->query.n;
	req->body = p->body.len ? p->body.data : NULL;
	req->body_len = p->body.len;
	req->client_addr = j->addr;
	req->upload = p->upload;
	if (__atomic_load_n(&http_open_conns, __ATOMIC_RELAXED) >
	    (int64_t)HTTP_CONN_BUSY(cfg->conn_limit)) {
		aims_error_set(HTTP_EUNAVAILABLE, NULL, "the server is busy: retry shortly");
		http_error_build(&j->c, p, cfg, req, HTTP_EUNAVAILABLE);
		return;
	}
	if ((rc = http_server_db(&db, cfg)) != 0) {
		log_error("cannot open the database: %s", aims_error_message());
		aims_error_set(HTTP_EUNAVAILABLE, NULL, "the database is not available");
		http_error_build(&j->c, p, cfg, req, HTTP_EUNAVAILABLE);
		return;
	}
	http_maintenance(db, false);
	db_time_track(true);	/* the access log's and /metrics' database time */
	p->db_usec_start = db_time_usec();
	http_ctx_init(&j->c, req, db, cfg);
	http_body_take(&j->c.resp.body);
	/*
	 * The request's reads (caller, role, records) share one snapshot and one
	 * read lock; a write ends it (db.h), and it ends before the answer is sent.
	 */
	if (db_read_begin(db) != 0)
		log_warn("cannot start a read transaction: %s", aims_error_message());
	router_handle(&j->c);
	db_read_end(db);
	/* Handled: its temporary file goes before the answer does, not after. */
	http_upload_free(p->upload);
	p->upload = NULL;
	req->upload = NULL;
	http_note_user(p, &j->c);
	if (offloaded) {
		/* This thread's database time: the connection's thread cannot read it. */
		p->db_usec = db_time_usec() - p->db_usec_start;
		p->db_usec_known = true;
	}
}

/* Sends j's answer from the connection's thread and frees j. */
static enum MHD_Result
http_job_send(struct http_job *j)
{
	enum MHD_Result ret;

	ret = http_send(j->conn, j->p, &j->c.resp, j->cfg);
	http_ctx_free(&j->c);
	http_kv_free(&j->headers);
	http_kv_free(&j->query);
	j->p->job = NULL;
	free(j);
	return ret;
}

static void *
http_jobs_main(void *arg)
{
	struct http_job *j;

	(void)arg;
	http_thread_changes = true;
	pthread_mutex_lock(&http_jobs.lock);
	for (;;) {
		while (http_jobs.head == NULL && !http_jobs.stop)
			pthread_cond_wait(&http_jobs.wake, &http_jobs.lock);
		if ((j = http_jobs.head) == NULL)
			break;
		if ((http_jobs.head = j->next) == NULL)
			http_jobs.tail = NULL;
		pthread_mutex_unlock(&http_jobs.lock);
		http_job_run(j, true);
		/* Its thread is called again, and sends what j->c holds. */
		MHD_resume_connection(j->conn);
		pthread_mutex_lock(&http_jobs.lock);
	}
	pthread_mutex_unlock(&http_jobs.lock);
	return NULL;
}

static int
http_jobs_start(void)
{
	int i;

	http_jobs.stop = false;
	for (i = 0; i < HTTP_CHANGE_WORKERS; i++) {
		if (pthread_create(&http_jobs.threads[i], NULL, http_jobs_main, NULL) != 0)
			break;
		http_jobs.nthreads++;
	}
	return http_jobs.nthreads > 0 ? 0 :
	    aims_error_set(AIMS_ERROR, NULL, "cannot start the change workers");
}

/* After the daemon: every job was answered (in flight reached zero) or is dropped. */
static void
http_jobs_stop(void)
{
	int i;

	pthread_mutex_lock(&http_jobs.lock);
	http_jobs.stop = true;
	pthread_cond_broadcast(&http_jobs.wake);
	pthread_mutex_unlock(&http_jobs.lock);
	for (i = 0; i < http_jobs.nthreads; i++)
		pthread_join(http_jobs.threads[i], NULL);
	http_jobs.nthreads = 0;
}

/* Methods that may change something run on a change worker. */
static bool
http_is_change(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    strcmp(method, "OPTIONS") != 0;
}

static enum MHD_Result
http_dispatch(struct MHD_Connection *conn, struct http_pending *p,
    const struct http_server_config *cfg, const char *url, const char *method)
{
	struct http_job *j = xcalloc(1, sizeof(*j));
	bool queued = false;

	j->conn = conn;
	j->p = p;
	j->cfg = cfg;
	j->url = url;
	j->method = method;
	if (http_is_change(method)) {
		pthread_mutex_lock(&http_jobs.lock);
		if (http_jobs.nthreads > 0 && !http_jobs.stop) {
			p->job = j;
			MHD_suspend_connection(conn);
			if (http_jobs.tail)
				http_jobs.tail->next = j;
			else
				http_jobs.head = j;
			http_jobs.tail = j;
			pthread_cond_signal(&http_jobs.wake);
			queued = true;
		}
		pthread_mutex_unlock(&http_jobs.lock);
		if (queued)
			return MHD_YES;
	}
	http_job_run(j, false);
	return http_job_send(j);
}

static bool
http_content_length_over(struct MHD_Connection *conn, size_t max)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	char *end;
	unsigned long long n;

	if (cl == NULL)
		return false;
	errno = 0;
	n = strtoull(cl, &end, 10);
	return errno != 0 || *end != '\0' || n > max;
}

static bool
http_expects_continue(struct MHD_Connection *conn)
{
	const char *e = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");

	return e != NULL && strcasecmp(e, "100-continue") == 0;
}

static int
http_upload_error_too_big(void)
{
	return aims_error_set(AIMS_ETOOBIG, "file", "the upload is larger than %llu bytes",
	    (unsigned long long)MULTIPART_UPLOAD_MAX);
}

static enum MHD_Result
http_too_big(struct MHD_Connection *conn, struct http_pending *p,
    const struct http_server_config *cfg, const char *url, const char *method)
{
	struct http_req req = { .method = method, .path = url };

	if (p->multipart)
		http_upload_error_too_big();
	else
		aims_error_set(AIMS_ETOOBIG, NULL, "the body is larger than %zu bytes",
		    cfg->max_body);
	return http_send_error(conn, p, cfg, &req, AIMS_ETOOBIG);
}

/* Keeps the error of an upload to answer once its body is read (maybe on another call). */
static void
http_upload_refuse(struct http_pending *p, int rc)
{
	if (p->upload_rc != 0)
		return;
	p->upload_rc = rc;
	snprintf(p->upload_msg, sizeof(p->upload_msg), "%s", aims_error_message());
	multipart_free(p->mp);
	p->mp = NULL;
}

/*
 * A POST of multipart/form-data to a page, or to an API route that takes
 * a file (router.h, ROUTE_UPLOAD), is parsed as it arrives, its file
 * streamed to disk: if the sender may upload at all (a signed-in session
 * from this site for a page; for the API whatever the route asks, judged
 * from the headers). Otherwise its body is read and dropped, and it is
 * refused once complete. Returns true for such a request.
 */
static bool
http_upload_begin(struct MHD_Connection *conn, struct http_pending *p,
    const struct http_server_config *cfg, const char *url, const char *method)
{
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	struct http_kv_list headers = { 0 }, query = { 0 };
	struct http_req req;
	struct db *db = NULL;
	char *dir = NULL;
	bool page, wanted;
	int rc;

	if (strcmp(method, "POST") != 0 || ct == NULL ||
	    strncasecmp(ct, "multipart/form-data", 19) != 0)
		return false;
	if (!(page = webui_owns(url)) && !router_upload_route(method, url))
		return false;
	p->multipart = true;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, http_collect_kv, &headers);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, http_collect_kv, &query);
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.path = url;
	req.headers = headers.items;
	req.nheaders = headers.n;
	req.query = query.items;
	req.nquery = query.overflow ? HTTP_QUERY_MAX + 1 : query.n;
	/* Not wanted: read and dropped, and the handler refuses a post without its form. */
	wanted = http_server_db(&db, cfg) == 0 &&
	    (page ? webui_upload_wanted(&req, db, cfg) : router_upload_wanted(&req, db, cfg));
	if (wanted && ((rc = webui_upload_dir(&dir, cfg->db_path)) != 0 ||
	    (rc = multipart_begin(&p->mp, ct, dir, EVIDENCE_FILE_MAX)) != 0))
		http_upload_refuse(p, rc);
	free(dir);
	http_kv_free(&headers);
	http_kv_free(&query);
	return true;
}

static enum MHD_Result
http_upload_data(struct http_pending *p, const char *data, size_t *len)
{
	int rc;

	p->received += *len;
	if (p->received > MULTIPART_UPLOAD_MAX) {
		http_upload_refuse(p, http_upload_error_too_big());
		if (p->received > MULTIPART_UPLOAD_MAX + HTTP_DISCARD_MAX) {
			p->status = 413;
			return MHD_NO;
		}
	}
	if (p->mp != NULL && (rc = multipart_feed(p->mp, data, *len)) != 0)
		http_upload_refuse(p, rc);
	*len = 0;
	return MHD_YES;
}

/* The body is complete: the parsed upload, or the reason it is refused. */
static void
http_upload_end(struct http_pending *p)
{
	int rc;

	if (p->mp == NULL)
		return;
	if ((rc = multipart_finish(&p->upload, p->mp)) != 0)
		http_upload_refuse(p, rc);
	multipart_free(p->mp);
	p->mp = NULL;
}

static struct http_pending *
http_pending_new(void)
{
	struct http_pending *p = xcalloc(1, sizeof(*p));

	p->start_usec = clock_mono_usec();
	p->route = -1;
	http_copy(p->user, sizeof(p->user), "-");
	http_copy(p->method, sizeof(p->method), "-");
	return p;
}

/*
 * libmicrohttpd's URI log callback: the request line has arrived, with the
 * target as sent. Its answer becomes the request's *con_cls.
 */
static void *
http_request_line(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_pending *p = http_pending_new();

	(void)cls;
	guard_request_line(conn);
	if ((p->refuse_rc = guard_check_target(uri)) != 0)
		snprintf(p->refuse_msg, sizeof(p->refuse_msg), "%s", aims_error_message());
	return p;
}

/*
 * The request's framing or target is refused (guard.h): true, with the
 * error set, for an answer that closes the connection.
 */
static bool
http_framing_refused(struct MHD_Connection *conn, struct http_pending *p)
{
	if (p->refuse_rc != 0) {
		aims_error_set(p->refuse_rc, "path", "%s", p->refuse_msg);
		p->must_close = true;
		return true;
	}
	if ((p->refuse_rc = guard_check_framing(conn)) != 0) {
		p->must_close = true;
		return true;
	}
	return false;
}

/* Answers the error of http_framing_refused() before any of the body is read. */
static enum MHD_Result
http_refuse(struct MHD_Connection *conn, struct http_pending *p,
    const struct http_server_config *cfg, const char *url, const char *method)
{
	struct http_req req = { .method = method, .path = url };

	return http_send_error(conn, p, cfg, &req, p->refuse_rc);
}

static enum MHD_Result
http_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	const struct http_server_config *cfg = cls;
	struct http_pending *p = *con_cls;

	(void)version;
	if (p == NULL)
		*con_cls = p = http_pending_new();
	if (!p->begun) {
		p->begun = true;
		http_copy(p->method, sizeof(p->method), method);
		/* A report key is a credential: the log shows where, not which. */
		p->path = str_has_prefix(url, HTTP_CONCERN_READ_PATH) ?
		    xstrdup(HTTP_CONCERN_READ_PATH "{key}") : xstrndup(url, HTTP_LOG_PATH_MAX);
		__atomic_fetch_add(&http_inflight, 1, __ATOMIC_SEQ_CST);
		guard_headers_done(conn);
		if (http_framing_refused(conn, p))
			return http_refuse(conn, p, cfg, url, method);
		if (http_upload_begin(conn, p, cfg, url, method)) {
			if (http_content_length_over(conn, MULTIPART_UPLOAD_MAX)) {
				http_upload_refuse(p, http_upload_error_too_big());
				if (http_expects_continue(conn))
					return http_too_big(conn, p, cfg, url, method);
			}
			return MHD_YES;
		}
		if (http_content_length_over(conn, cfg->max_body)) {
			/* A client waiting for 100 Continue never sends the body. */
			if (http_expects_continue(conn))
				return http_too_big(conn, p, cfg, url, method);
			p->too_big = true;
		}
		return MHD_YES;
	}
	/* Resumed: a change worker has handled it (http_job). */
	if (p->job != NULL)
		return http_job_send(p->job);
	if (*upload_data_size > 0 && p->multipart)
		return http_upload_data(p, upload_data, upload_data_size);
	if (*upload_data_size > 0) {
		/*
		 * Over the limit: read and drop the rest (never buffered), so the
		 * client can read the 413 instead of a reset; past
		 * HTTP_DISCARD_MAX the connection is dropped.
		 */
		if (!p->too_big && p->body.len + *upload_data_size > cfg->max_body) {
			p->too_big = true;
			buf_free(&p->body);
		}
		if (p->too_big) {
			p->discarded += *upload_data_size;
			*upload_data_size = 0;
			if (p->discarded > HTTP_DISCARD_MAX) {
				p->status = 413;
				return MHD_NO;
			}
			return MHD_YES;
		}
		buf_append(&p->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (p->answered)
		return MHD_YES;
	if (p->too_big)
		return http_too_big(conn, p, cfg, url, method);
	if (p->multipart) {
		http_upload_end(p);
		if (p->upload_rc != 0) {
			struct http_req req = { .method = method, .path = url };

			aims_error_set(p->upload_rc, "file", "%s", p->upload_msg);
			return http_send_error(conn, p, cfg, &req, p->upload_rc);
		}
	}
	return http_dispatch(conn, p, cfg, url, method);
}

static void
http_log_escaped(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;
	char esc[4] = { '\\', 'x', 0, 0 };

	/* Runs of plain bytes go in whole; a byte that is not goes as \xNN. */
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\') {
			buf_append(out, run, (size_t)(s - run));
			esc[2] = hex[ch >> 4];
			esc[3] = hex[ch & 0xf];
			buf_append(out, esc, sizeof(esc));
			run = s + 1;
		}
	}
	buf_append(out, run, (size_t)(s - run));
}

/*
 * The access log's time of day, formatted once a second by each thread
 * rather than once a request: gmtime_r takes the C library's time zone
 * lock, which every worker thread shares.
 */
static const char *
http_log_now(void)
{
	static _Thread_local char now[CLOCK_RFC3339_LEN];
	static _Thread_local time_t sec = -1;
	time_t t = time(NULL);

	if (t != sec) {
		clock_format(now, t);
		sec = t;
	}
	return now;
}

static void
http_access_log(const struct http_server_config *cfg, const struct http_pending *p,
    int64_t usec)
{
	const char *now;
	struct buf line = BUF_INIT;
	json_t *j;
	char *s;

	if (cfg->log_format == HTTP_LOG_NONE)
		return;
	now = http_log_now();
	if (cfg->log_format == HTTP_LOG_JSON) {
		j = json_pack("{s:s, s:s, s:s, s:i, s:I, s:I, s:s}", "time", now, "method",
		    p->method, "path", p->path, "status", p->status, "bytes", (json_int_t)p->bytes,
		    "usec", (json_int_t)usec, "user", p->user);
		if (j == NULL)
			return;
		s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
		json_decref(j);
		if (s != NULL)
			printf("%s\n", s);
		free(s);
		return;
	}
	/* The line is put piece by piece: printf's formatting was most of its cost. */
	buf_grow(&line, HTTP_LOG_LINE);
	buf_puts(&line, now);
	buf_putc(&line, ' ');
	buf_puts(&line, p->method);
	buf_putc(&line, ' ');
	http_log_escaped(&line, p->path);
	buf_putc(&line, ' ');
	buf_put_int(&line, p->status);
	buf_putc(&line, ' ');
	buf_put_int(&line, (long long)p->bytes);
	buf_putc(&line, ' ');
	buf_put_int(&line, (long long)usec);
	buf_puts(&line, "us ");
	http_log_escaped(&line, p->user);
	buf_putc(&line, '\n');
	fwrite(line.data, 1, line.len, stdout);
	buf_free(&line);
}

static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	const struct http_server_config *cfg = cls;
	struct http_pending *p = *con_cls;
	int64_t usec;

	if (p == NULL)
		return;
	*con_cls = NULL;
	if (!p->begun) {
		/* Its headers never came (in time): nothing ran, nothing to log. */
		free(p);
		return;
	}
	guard_request_done(conn);
	usec = clock_mono_usec() - p->start_usec;
	if (!p->answered && p->status == 0)
		p->status = toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 499;
	metrics_record(p->route, p->status, usec, p->db_usec_known ? p->db_usec :
	    p->db_usec_start ? db_time_usec() - p->db_usec_start : 0);
	http_access_log(cfg, p, usec);
	multipart_free(p->mp);
	http_upload_free(p->upload);
	buf_free(&p->body);
	free(p->path);
	free(p);
	__atomic_fetch_sub(&http_inflight, 1, __ATOMIC_SEQ_CST);
}

static void
http_connection_note(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		__atomic_fetch_add(&http_open_conns, 1, __ATOMIC_RELAXED);
		metrics_connection(1);
		guard_conn_open(socket_context, conn);
	} else {
		guard_conn_close(socket_context);
		__atomic_fetch_sub(&http_open_conns, 1, __ATOMIC_RELAXED);
		metrics_connection(-1);
	}
}

static void
http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_debug("libmicrohttpd: %s", msg);
}

/* Parses "A.B.C.D:PORT" or "[v6]:PORT" into a socket address. */
static int
http_parse_listen(struct sockaddr_storage *ss, bool *v6, const char *listen)
{
	char host[HTTP_LISTEN_MAX];
	const char *colon = strrchr(listen, ':');
	int64_t port;
	size_t hl;

	memset(ss, 0, sizeof(*ss));
	if (colon == NULL || str_to_int64(&port, colon + 1, 0, 65535) != 0)
		goto bad;
	hl = (size_t)(colon - listen);
	if (hl >= sizeof(host) || hl == 0)
		goto bad;
	memcpy(host, listen, hl);
	host[hl] = '\0';
	*v6 = host[0] == '[';
	if (*v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		if (hl < 3 || host[hl - 1] != ']')
			goto bad;
		host[hl - 1] = '\0';
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			goto bad;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
	}
	return 0;
bad:
	return aims_error_set(AIMS_EINVALID, "listen",
	    "--listen must be ADDRESS:PORT such as 127.0.0.1:8042 or [::1]:8042, not '%s'", listen);
}

static unsigned
http_thread_count(const struct http_server_config *cfg)
{
	long n = cfg->threads ? (long)cfg->threads : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	return n > HTTP_THREADS_MAX ? HTTP_THREADS_MAX : (unsigned)n;
}

/*
 * Every connection is a descriptor: raises the soft limit to what
 * conn_limit needs when the hard limit allows, else lowers conn_limit.
 */
static void
http_fd_limit(struct http_server_config *cfg)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)cfg->conn_limit + HTTP_FD_SPARE;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 && getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < need && rl.rlim_cur > HTTP_FD_SPARE * 2) {
		log_warn("open files are limited to %llu: at most %llu connections",
		    (unsigned long long)rl.rlim_cur,
		    (unsigned long long)(rl.rlim_cur - HTTP_FD_SPARE));
		cfg->conn_limit = (unsigned)(rl.rlim_cur - HTTP_FD_SPARE);
	}
}

/* The header deadline's watchdog, with the configured limits. */
static int
http_guard_start(const struct http_server_config *cfg)
{
	struct guard_limits limits = { .header_sec = cfg->header_timeout,
		.idle_sec = cfg->idle_timeout };

	return guard_start(&limits);
}

static struct MHD_Daemon *
http_daemon_start(struct http_server *s, bool v6)
{
	/* No listening socket of its own: the acceptor hands it each connection. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
	    MHD_USE_NO_LISTEN_SOCKET | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
	    (v6 ? MHD_USE_IPv6 : 0);
	unsigned threads = http_thread_count(&s->cfg);

	return MHD_start_daemon(flags, 0, NULL, NULL, http_access, &s->cfg,
	    MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0,
	    MHD_OPTION_CONNECTION_LIMIT, s->cfg.conn_limit,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, s->cfg.per_ip_limit,
	    MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.idle_timeout,
	    MHD_OPTION_URI_LOG_CALLBACK, http_request_line, NULL,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, &s->cfg,
	    MHD_OPTION_NOTIFY_CONNECTION, http_connection_note, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, NULL,
	    MHD_OPTION_END);
}

/* ---- the acceptor -------------------------------------------------------- */

/*
 * Why the server accepts its connections itself rather than letting the
 * worker threads do it: every worker waits on the listening socket, and
 * whichever wakes first accepts up to ten connections in a row, so a burst
 * of connections (a proxy's pool, a load test) can land on one worker and
 * one CPU while the others idle; which worker serves what then depends on
 * wake-up timing. This thread accepts each connection and gives it to
 * libmicrohttpd (MHD_add_connection), which spreads them over the workers
 * by descriptor number, so consecutive connections go to different
 * workers; the connection and per-address limits still apply there.
 */
static void *
http_acceptor_main(void *arg)
{
	struct http_server *s = arg;
	struct pollfd pfd[2] = {
		{ .fd = s->listen_fd, .events = POLLIN },
		{ .fd = s->acceptor_stop, .events = POLLIN },
	};
	struct sockaddr_storage addr;
	socklen_t len;
	int fd;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error("accept: poll: %s", strerror(errno));
			break;
		}
		if (pfd[1].revents != 0)
			break;
		/* Everything waiting in the backlog, then back to poll(). */
		for (;;) {
			len = sizeof(addr);
			fd = accept4(s->listen_fd, (struct sockaddr *)&addr, &len,
			    SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (fd < 0)
				break;
			/* Refused (a limit): libmicrohttpd has closed the socket. */
			(void)MHD_add_connection(s->daemon, fd, (const struct sockaddr *)&addr, len);
		}
		if (errno == EMFILE || errno == ENFILE) {
			/* Out of descriptors: let connections close before trying again. */
			log_warn("accept: %s", strerror(errno));
			poll(NULL, 0, HTTP_ACCEPT_PAUSE_MS);
		}
	}
	return NULL;
}

static int
http_acceptor_start(struct http_server *s)
{
	if ((s->acceptor_stop = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0)
		return aims_error_set(AIMS_ERROR, NULL, "cannot start the acceptor: %s",
		    strerror(errno));
	if (pthread_create(&s->acceptor, NULL, http_acceptor_main, s) != 0) {
		close(s->acceptor_stop);
		s->acceptor_stop = -1;
		return aims_error_set(AIMS_ERROR, NULL, "cannot start the acceptor thread");
	}
	s->acceptor_started = true;
	return 0;
}

/* Stops accepting; what waits in the backlog stays there until the socket closes. */
static void
http_acceptor_stop(struct http_server *s)
{
	uint64_t one = 1;

	if (!s->acceptor_started)
		return;
	if (write(s->acceptor_stop, &one, sizeof(one)) != (ssize_t)sizeof(one))
		log_error("acceptor: cannot wake it: %s", strerror(errno));
	pthread_join(s->acceptor, NULL);
	close(s->acceptor_stop);
	s->acceptor_stop = -1;
	s->acceptor_started = false;
}

/* ---- confinement --------------------------------------------------------- */

/*
 * The listening socket is opened here rather than by libmicrohttpd, so
 * that it exists before the process gives up root (a port under 1024) and
 * before the seccomp filter, which allows no socket, bind or listen.
 */
static int
http_listen_open(struct http_server *s, const struct sockaddr_storage *ss, bool v6)
{
	socklen_t len = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	struct sockaddr_storage bound;
	int fd, on = 1, rc;

	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) != 0) ||
	    bind(fd, (const struct sockaddr *)ss, len) != 0 ||
	    listen(fd, HTTP_LISTEN_BACKLOG) != 0)
		goto fail;
	len = sizeof(bound);
	if (getsockname(fd, (struct sockaddr *)&bound, &len) != 0)
		goto fail;
	s->port = ntohs(bound.ss_family == AF_INET6 ?
	    ((struct sockaddr_in6 *)&bound)->sin6_port : ((struct sockaddr_in *)&bound)->sin_port);
	s->listen_fd = fd;
	return 0;
fail:
	rc = aims_error_set(AIMS_ERROR, "listen", "cannot listen on %s: %s", s->cfg.listen,
	    strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The directory of a file path ("." for a bare name). Caller frees. */
static char *
http_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/*
 * What the server may still open once confined: the database's directory
 * (the database, its -wal, -shm and journal, the ledger's public key),
 * the evidence directory, libmagic's database (upload types),
 * /dev/urandom and the kernel's overcommit setting (malloc reads it), and,
 * read-only, the resolver's files and the trusted certificates (single
 * sign-on, and the mail server's CA file when one is set); nothing else, and nothing to execute. owned[] keeps the strings alive
 * until the sandbox is entered.
 */
static const char *const http_net_paths[] = {
	"/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf",
	"/etc/ssl", "/usr/lib/ssl", "/usr/share/ca-certificates",
};

static int
http_sandbox_paths(struct sandbox_config *sb, char *owned[], size_t nowned,
    const char *db_file)
{
	const char *magic = evidence_magic_path();
	struct buf mgc = BUF_INIT;
	char *list, *p, *save = NULL, *real;
	size_t n = 0, i;
	int rc;

	/*
	 * PostgreSQL: no database file; the server is reached over a socket,
	 * and the key and evidence files live in the data directory.
	 */
	if (db_path_is_url(db_file)) {
		sb->connect = true;
		real = db_local_base(db_file);
		owned[n] = http_dir_of(real);
		free(real);
		if ((rc = sandbox_path_add(sb, owned[n++], SANDBOX_WRITE, false)) != 0)
			return rc;
		goto data;
	}
	/* SQLite follows a link to the database and puts its -wal beside the target. */
	if ((real = realpath(db_file, NULL)) == NULL)
		return aims_error_set(AIMS_ERROR, "db", "cannot resolve %s: %s", db_file,
		    strerror(errno));
	owned[n] = http_dir_of(real);
	free(real);
	if ((rc = sandbox_path_add(sb, owned[n++], SANDBOX_WRITE, false)) != 0)
		return rc;
data:
	evidence_data_dir(&owned[n], db_file);
	if ((rc = sandbox_path_add(sb, owned[n++], SANDBOX_WRITE, false)) != 0 ||
	    (rc = sandbox_path_add(sb, "/dev/urandom", SANDBOX_READ, true)) != 0 ||
	    (rc = sandbox_path_add(sb, HTTP_OVERCOMMIT_PATH, SANDBOX_READ, true)) != 0)
		return rc;
	/*
	 * Single sign-on (util/fetch.c) resolves the provider's name and checks
	 * its certificate: the resolver's files and the trusted certificates.
	 */
	for (i = 0; i < sizeof(http_net_paths) / sizeof(http_net_paths[0]); i++)
		if ((rc = sandbox_path_add(sb, http_net_paths[i], SANDBOX_READ, true)) != 0)
			return rc;
	/* Pages show times in each organisation's zone, read when first needed (util/tz.h). */
	if ((rc = sandbox_path_add(sb, TZ_DIR, SANDBOX_READ, true)) != 0)
		return rc;
	/* libmagic tries each entry, and its compiled form with ".mgc" added. */
	list = owned[n++] = xstrdup(magic != NULL ? magic : "");
	for (p = strtok_r(list, ":", &save); p != NULL; p = strtok_r(NULL, ":", &save)) {
		if (n >= nowned)
			return aims_error_set(AIMS_ETOOBIG, NULL, "too many libmagic paths: %s",
			    magic);
		buf_printf(&mgc, "%s.mgc", p);
		owned[n] = buf_detach(&mgc);
		if ((rc = sandbox_path_add(sb, p, SANDBOX_READ, true)) != 0 ||
		    (rc = sandbox_path_add(sb, owned[n++], SANDBOX_READ, true)) != 0)
			return rc;
	}
	return 0;
}

/*
 * Spreadsheet exports write temporary files ($TMPDIR, else /tmp): the
 * server's go to <data dir>/tmp, private to it and inside its sandbox.
 * Set before any thread starts (setenv is not thread-safe).
 */
static int
http_tmp_dir(const char *db_file)
{
	struct buf dir = BUF_INIT;
	char *data = NULL;
	int rc = 0;

	evidence_data_dir(&data, db_file);
	buf_printf(&dir, "%s/" HTTP_TMP_DIR, data);
	if (mkdir(buf_str(&dir), 0700) != 0 && errno != EEXIST)
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot create %s: %s", buf_str(&dir),
		    strerror(errno));
	else if (setenv("TMPDIR", buf_str(&dir), 1) != 0)
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot set TMPDIR: %s", strerror(errno));
	buf_free(&dir);
	free(data);
	return rc;
}

/* An error after the switch to --user: say what to do about it. */
static int
http_user_hint(int rc, const char *user)
{
	char msg[AIMS_ERROR_MSG_MAX];

	snprintf(msg, sizeof(msg), "%s", aims_error_message());
	return aims_error_set(rc, NULL, "%s (running as %s: give that user the database "
	    "directory, for example with chown -R)", msg, user);
}

/*
 * After the socket and the database are open and before any thread
 * starts: the switch to --user, the evidence directories made by the
 * user that will write them, then Landlock and seccomp (util/sandbox.h)
 * unless --no-sandbox.
 */
static int
http_server_confine(struct http_server *s)
{
	struct sandbox_config sb;
	char *owned[SANDBOX_PATHS_MAX], *uploads = NULL;
	size_t i;
	int rc;

	memset(&sb, 0, sizeof(sb));
	memset(owned, 0, sizeof(owned));
	if (s->cfg.user != NULL && (rc = sandbox_user_drop(s->cfg.user)) != 0)
		return rc;
	if (geteuid() == 0)
		log_warn("running as root: start as an unprivileged user, or as root with "
		    "--user NAME");
	if ((rc = webui_upload_dir(&uploads, s->cfg.db_path)) != 0 ||
	    (rc = http_tmp_dir(s->cfg.db_path)) != 0) {
		if (s->cfg.user != NULL)
			rc = http_user_hint(rc, s->cfg.user);
		goto done;
	}
	if (s->cfg.no_sandbox) {
		log_warn("--no-sandbox: file access and system calls are not restricted");
		goto done;
	}
#if defined(__SANITIZE_ADDRESS__)
	/* The leak check at exit stops the threads from a forked tracer and reads /proc. */
	log_warn("a sanitizer build: file access and system calls are not restricted");
	goto done;
#endif
	/* The delivery thread connects out: webhooks and the mail server. */
	/*
	 * The mail server's own CA file (smtp_ca_file) may be anywhere: beside a
	 * SQLite file it was readable by chance, beside a PostgreSQL store not.
	 */
	if ((rc = http_sandbox_paths(&sb, owned, SANDBOX_PATHS_MAX, s->cfg.db_path)) == 0 &&
	    (rc = sandbox_outbound_paths(&sb)) == 0 &&
	    (s->cfg.smtp_ca_file == NULL ||
	    (rc = sandbox_path_add(&sb, s->cfg.smtp_ca_file, SANDBOX_READ, true)) == 0))
		rc = sandbox_enter(&sb);
done:
	for (i = 0; i < SANDBOX_PATHS_MAX; i++)
		free(owned[i]);
	free(uploads);
	return rc;
}

int
http_server_start(struct http_server **out, const struct http_server_config *cfg)
{
	struct sockaddr_storage ss;
	struct http_server *s;
	int64_t reindexed;
	bool v6 = false;
	int rc;

	*out = NULL;
	if ((rc = http_parse_listen(&ss, &v6, cfg->listen)) != 0)
		return rc;
	s = xcalloc(1, sizeof(*s));
	s->listen_fd = -1;
	s->acceptor_stop = -1;
	s->cfg = *cfg;
	s->cfg.threads = http_thread_count(cfg);
	/* Opening once here applies pending migrations before any worker runs. */
	if ((rc = db_open(&s->main_db, cfg->db_path, 0)) != 0)
		goto fail;
	/* Every write appends to the ledger, signed with the key beside the database. */
	if ((rc = ledger_key_load(&s->key, cfg->db_path)) != 0)
		goto fail;
	ledger_key_use(s->key);
	http_maintenance(s->main_db, true);
	list_cache_configure(cfg->list_cache_bytes);
	/* Search words an upgrade listed are written before any search runs. */
	if ((rc = record_search_reindex(&reindexed, s->main_db)) != 0)
		goto fail;
	if (reindexed > 0)
		log_info("wrote the search words of %lld records again", (long long)reindexed);
	__atomic_store_n(&http_quiescing, 0, __ATOMIC_SEQ_CST);
	/* Behind a proxy every client shares its address: the proxy limits them. */
	if (s->cfg.proxies.n > 0 && !s->cfg.per_ip_set)
		s->cfg.per_ip_limit = 0;
	/* Before the confinement, which keeps the process from raising it. */
	http_fd_limit(&s->cfg);
	/* libcurl and its TLS library read their configuration before the confinement. */
	if ((rc = deliver_global_init()) != 0)
		goto fail;
	if ((rc = http_listen_open(s, &ss, v6)) != 0 || (rc = http_server_confine(s)) != 0)
		goto fail;
	if ((rc = outbox_job_start(&s->cfg)) != 0)
		goto fail;
	/* The watchdog thread starts confined, like every other. */
	if ((rc = http_guard_start(&s->cfg)) != 0)
		goto fail;
	if ((rc = db_writer_start(&s->writer, cfg->db_path)) != 0) {
		guard_stop();
		goto fail;
	}
	__atomic_store_n(&http_writer, s->writer, __ATOMIC_RELEASE);
	/* Changes made below a request's handler go through it too (db_write_via). */
	db_set_write_hook(http_server_write);
	if ((rc = http_jobs_start()) != 0) {
		guard_stop();
		__atomic_store_n(&http_writer, NULL, __ATOMIC_RELEASE);
		db_writer_stop(s->writer);
		goto fail;
	}
	if ((s->daemon = http_daemon_start(s, v6)) == NULL) {
		rc = aims_error_set(AIMS_ERROR, "listen", "cannot listen on %s: %s", cfg->listen,
		    errno ? strerror(errno) : "libmicrohttpd refused the settings");
		guard_stop();
		http_jobs_stop();
		__atomic_store_n(&http_writer, NULL, __ATOMIC_RELEASE);
		db_writer_stop(s->writer);
		goto fail;
	}
	if ((rc = http_acceptor_start(s)) != 0) {
		MHD_stop_daemon(s->daemon);
		guard_stop();
		http_jobs_stop();
		__atomic_store_n(&http_writer, NULL, __ATOMIC_RELEASE);
		db_writer_stop(s->writer);
		goto fail;
	}
	snprintf(s->host, sizeof(s->host), "%.*s", (int)(strrchr(cfg->listen, ':') - cfg->listen),
	    cfg->listen);
	*out = s;
	return 0;
fail:
	outbox_job_stop();
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	ledger_key_use(NULL);
	ledger_key_free(s->key);
	db_close(s->main_db);
	free(s);
	return rc;
}

void
http_server_shutdown(struct http_server *s, int timeout_ms)
{
	int waited = 0, idle = 0;

	if (s == NULL)
		return;
	/*
	 * Answers now say Connection: close. Connections that clients opened
	 * before the signal may still wait in the kernel's backlog: give the
	 * workers HTTP_DRAIN_ACCEPT_MS to take them before we stop accepting.
	 */
	__atomic_store_n(&http_quiescing, 1, __ATOMIC_SEQ_CST);
	usleep(HTTP_DRAIN_ACCEPT_MS * 1000);
	/* No new connection from now on; the socket closes once the workers stop. */
	http_acceptor_stop(s);
	/*
	 * In flight: requests between their first call and completion. A
	 * request whose headers are still arriving is not counted yet, so the
	 * count must stay at zero for HTTP_DRAIN_SETTLE_MS before we stop.
	 */
	while (waited < timeout_ms && idle < HTTP_DRAIN_SETTLE_MS) {
		if (__atomic_load_n(&http_inflight, __ATOMIC_SEQ_CST) > 0)
			idle = 0;
		else
			idle += HTTP_DRAIN_POLL_MS;
		usleep(HTTP_DRAIN_POLL_MS * 1000);
		waited += HTTP_DRAIN_POLL_MS;
	}
	/*
	 * Changes still queued or running finish first and resume their
	 * connections while the daemon can still answer them; any change that
	 * comes after runs on its connection's own thread.
	 */
	http_jobs_stop();
	MHD_stop_daemon(s->daemon);
	guard_stop();
	verify_job_shutdown();
	pack_job_shutdown();
	list_cache_configure(0);
	outbox_job_stop();
	close(s->listen_fd);
	/* After the workers: what they queued is applied and answered first. */
	__atomic_store_n(&http_writer, NULL, __ATOMIC_RELEASE);
	db_writer_stop(s->writer);
	http_close_dbs();
	db_close(s->main_db);
	ledger_key_use(NULL);
	ledger_key_free(s->key);
	fflush(stdout);
	free(s);
}

int
http_server_run(const struct http_server_config *cfg)
{
	struct http_server *s = NULL;
	sigset_t set;
	int sig = 0, rc;

	/* Block the signals before any thread starts, so only sigwait sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if ((rc = http_server_start(&s, cfg)) != 0)
		return rc;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("aims: serving on http://%s:%u/ (database %s)\n", s->host,
	    (unsigned)s->port, cfg->db_path);
	fflush(stdout);
	sigdelset(&set, SIGPIPE);
	while (sigwait(&set, &sig) != 0 || (sig != SIGINT && sig != SIGTERM))
		;
	log_info("signal %d: finishing requests in flight, then stopping", sig);
	http_server_shutdown(s, HTTP_DRAIN_TIMEOUT_MS);
	log_info("stopped");
	return 0;
}
