/*
 * server.h - `aims serve`: the libmicrohttpd daemon (internal epoll thread
 * pool, fed by one acceptor thread that spreads the connections over it),
 * its limits, one database connection per worker thread, the access log,
 * security headers, and graceful shutdown on SIGINT/SIGTERM.
 */
#ifndef AIMS_HTTP_SERVER_H
#define AIMS_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "http/proxy.h"

/* Limits (craft.md B.6: libmicrohttpd's defaults are unsafe for a public server). */
#define HTTP_CONN_LIMIT		2048		/* open connections in total (default) */
#define HTTP_FD_SPARE		256		/* descriptors kept for the database, files, logs */
#define HTTP_CONN_LIMIT_MAX	65536
#define HTTP_PER_IP_LIMIT	64		/* open connections per client address (default) */
#define HTTP_CONN_TIMEOUT_SEC	20		/* idle connection closed after (default) */
#define HTTP_HEADER_TIMEOUT_SEC	10		/* request line and headers due within (default) */
#define HTTP_TIMEOUT_MAX	3600
#define HTTP_CONN_MEMORY	(32 * 1024)	/* per connection: bounds request line + headers */
#define HTTP_MAX_BODY_DEFAULT	(1024 * 1024)	/* JSON bodies */
#define HTTP_MAX_BODY_LIMIT	(64 * 1024 * 1024)
#define HTTP_DISCARD_MAX	(16 * 1024 * 1024)	/* over-limit body read and dropped */
#define HTTP_THREADS_MAX	64
/*
 * Requests that may change something (not GET, HEAD or OPTIONS) run on
 * these threads while their connection is suspended: each waits while its
 * change is committed (group commit, store/db.h), so this bounds how many
 * changes one commit can hold; waiting uses no CPU, and the worker threads
 * go on serving the other connections.
 */
#define HTTP_CHANGE_WORKERS	32
#define HTTP_DRAIN_TIMEOUT_MS	10000		/* in-flight requests get this long at shutdown */
#define HTTP_DRAIN_ACCEPT_MS	100		/* backlog taken after the signal */
#define HTTP_DRAIN_SETTLE_MS	200		/* ... and none may start for this long */
#define HTTP_DRAIN_POLL_MS	10
#define HTTP_ACCEPT_PAUSE_MS	100		/* out of descriptors: accept again after */
#define HTTP_MAINTENANCE_SEC	3600		/* expired sessions and keys deleted this often */
#define HTTP_LISTEN_DEFAULT	"127.0.0.1:8042"
#define HTTP_LISTEN_MAX		64
#define HTTP_LISTEN_BACKLOG	SOMAXCONN	/* the listening socket is opened here, not by libmicrohttpd */

enum http_log_format { HTTP_LOG_TEXT, HTTP_LOG_JSON, HTTP_LOG_NONE };

struct http_server_config {
	char			 listen[HTTP_LISTEN_MAX];	/* "ADDR:PORT", "[::1]:PORT" */
	const char		*db_path;
	unsigned		 threads;	/* 0: one per CPU */
	enum http_log_format	 log_format;
	bool			 secure_cookies;
	size_t			 max_body;
	/* Connection limits (guard.h): 0 in per_ip_limit means none. */
	unsigned		 conn_limit;
	unsigned		 per_ip_limit;
	bool			 per_ip_set;	/* given on the command line */
	unsigned		 idle_timeout;	/* seconds */
	unsigned		 header_timeout;	/* seconds; 0: no header deadline */
	struct proxy_list	 proxies;	/* --trusted-proxy: X-Forwarded-For from these */
	unsigned		 heavy_per_minute;	/* budget.h; 0: no budget */
	size_t			 list_cache_bytes;	/* list_cache.h; 0: none */
	/* Confinement (http_server_confine in server.c, util/sandbox.h). */
	const char		*user;		/* --user: run as this user once started */
	bool			 no_sandbox;	/* --no-sandbox: no Landlock, no seccomp */
	/* The outbox's delivery thread (http/outbox_job.h). */
	const char		*smtp_url;	/* NULL: mail waits in the outbox */
	const char		*mail_from;
	const char		*smtp_ca_file;	/* NULL: the system's CA certificates */
	const char		*site_url;	/* where people reach the server: mailed links */
	bool			 webhooks_private;	/* --webhooks-private */
	unsigned		 outbox_poll_ms;	/* 0: the default */
	unsigned		 retry_base;		/* seconds; 0: the default */
	int			 digest_hour;		/* UTC */
};

/* Above this many open connections, new requests get 503 (a 16th kept free). */
#define HTTP_CONN_BUSY(limit)	((limit) - (limit) / 16)

struct db;
struct http_server;

void http_server_config_default(struct http_server_config *cfg);
int http_server_start(struct http_server **out, const struct http_server_config *cfg);
/* Stops accepting, waits up to timeout_ms for in-flight requests, stops, closes dbs. */
void http_server_shutdown(struct http_server *s, int timeout_ms);
/* Starts, prints the URL, waits for SIGINT/SIGTERM, shuts down. */
int http_server_run(const struct http_server_config *cfg);
/* The calling worker thread's database connection (opened on first use). */
int http_server_db(struct db **out, const struct http_server_config *cfg);
/*
 * Runs fn as one change through the server's writer (group commit,
 * store/db.h: db_writer_run_org()); returns once it is committed, or with its
 * error. db is the calling worker's connection; org_id the organisation
 * whose data fn changes (0: it may change anything), so that on PostgreSQL
 * servers writing different organisations do not wait for each other.
 * Without a running server (unit tests), fn runs on db in a transaction of
 * its own.
 */
typedef int (*db_write_fn)(struct db *db, void *arg);
int http_server_write(struct db *db, int64_t org_id, db_write_fn fn, void *arg);
struct db_writer_figures;
/* The writer's figures so far (store/db.h: db_writer_figures()); 0 without a server. */
void http_server_writer_figures(struct db_writer_figures *out);

#endif
