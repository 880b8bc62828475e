/* cli_serve.c - 'aims serve': run the HTTP server until SIGINT or SIGTERM. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/budget.h"
#include "http/list_cache.h"
#include "http/outbox_job.h"
#include "http/server.h"
#include "store/db.h"
#include "util/conf.h"
#include "util/error.h"
#include "util/str.h"

#define SERVE_STR_(x)	#x
#define SERVE_STR(x)	SERVE_STR_(x)

static const char serve_usage[] =
    "usage: aims serve [--listen ADDR:PORT] [--db PATH] [--threads N]\n"
    "                  [--log-format text|json] [--secure-cookies] [--max-body BYTES]\n"
    "                  [--max-connections N] [--max-connections-per-address N]\n"
    "                  [--header-timeout SEC] [--idle-timeout SEC]\n"
    "                  [--trusted-proxy ADDR[/BITS][,...]]...\n"
    "                  [--heavy-reads-per-minute N] [--list-cache MB]\n"
    "                  [--webhooks-private] [--retry-base SEC] [--outbox-poll MS]\n"
    "                  [--digest-hour H]\n"
    "                  [--user NAME] [--no-sandbox]\n"
    "Serves the JSON API (and the web UI) until SIGINT or SIGTERM, then finishes the\n"
    "requests in flight and exits 0.\n"
    "  --listen ADDR:PORT   address to listen on (default " HTTP_LISTEN_DEFAULT ";\n"
    "                       port 0 picks a free port, printed on start)\n"
    "  --db PATH            database file or postgres:// URL (default $AIMS_DB or ./aims.db)\n"
    "  --threads N          worker threads (default: one per CPU)\n"
    "  --log-format FMT     access log on standard output: text or json (default text)\n"
    "  --secure-cookies     mark cookies Secure and send HSTS (behind HTTPS)\n"
    "  --max-body BYTES     largest JSON body accepted (default 1048576)\n"
    "  --max-connections N  open connections in total; more are closed at once\n"
    "                       (default 2048, lowered to what the descriptor limit\n"
    "                       allows; new requests get 503 above 15/16 of it)\n"
    "  --max-connections-per-address N\n"
    "                       open connections from one client address; 0: no limit\n"
    "                       (default 64; with --trusted-proxy: no limit unless\n"
    "                       given)\n"
    "  --header-timeout SEC request line and headers must arrive within SEC seconds\n"
    "                       of the connection (or of the previous answer plus the\n"
    "                       idle timeout), however steadily they trickle in\n"
    "                       (default 10)\n"
    "  --idle-timeout SEC   a connection that sends nothing for SEC seconds is\n"
    "                       closed (default 20)\n"
    "  --trusted-proxy ADDR reverse proxy (address or network, repeatable or a comma\n"
    "                       list) whose X-Forwarded-For names the client: the\n"
    "                       right-most address in it that is not a trusted proxy.\n"
    "                       Sign-in throttling counts that address. From any other\n"
    "                       peer the header is ignored.\n"
    "  --heavy-reads-per-minute N\n"
    "                       each user, token or anonymous address may make N\n"
    "                       heavy reads (readiness, exports, starting a ledger\n"
    "                       verification, lists of over 100 items) at once,\n"
    "                       refilled at N a minute; then 429 with Retry-After.\n"
    "                       0: no budget (default 30)\n"
    "  --list-cache MB      keep up to MB of record lists' answers in memory, each\n"
    "                       sent again while its organisation's log has not\n"
    "                       grown (checked against the database on every\n"
    "                       request); 0: none (default " SERVE_STR(LIST_CACHE_DEFAULT_MB) ")\n"
    "Mail and webhooks (see docs/operations.md): the mail server is AIMS_SMTP_URL\n"
    "(smtp://USER:PASSWORD@HOST:587 with STARTTLS, or smtps://...) and the sender\n"
    "AIMS_MAIL_FROM, or the same settings kept by 'aims config set smtp_url|mail_from'.\n"
    "A mail server whose certificate a private CA signed: AIMS_SMTP_CA_FILE or\n"
    "smtp_ca_file (a PEM file the server can read: beside the database, or in /etc/ssl).\n"
    "With a mail server, invitations and password reset links are mailed; they point\n"
    "at AIMS_SITE_URL or site_url (https://aims.example.org). Without it, reset links\n"
    "are not mailed (a request's Host could send them elsewhere), and invitations\n"
    "point at the address the inviting administrator used.\n"
    "  --webhooks-private   let webhooks reach loopback, private and link-local\n"
    "                       addresses (refused by default: a webhook URL must not\n"
    "                       reach services inside the network)\n"
    "  --retry-base SEC     wait before a failed delivery's second attempt, doubled\n"
    "                       for each further one up to an hour (default 30)\n"
    "  --outbox-poll MS     how often the delivery thread looks for work (default 500)\n"
    "  --digest-hour H      UTC hour from which the daily digests go out (default 6)\n"
    "Confinement (see docs/operations.md):\n"
    "  --user NAME          when started as root: run as this user (name or uid) once\n"
    "                       the listening socket and the database are open; that user\n"
    "                       must own the database directory and the evidence directory\n"
    "  --no-sandbox         for debugging only (strace, gdb, a library that needs more):\n"
    "                       no Landlock file-access rules and no seccomp system-call\n"
    "                       filter. By default the server may open only its database\n"
    "                       directory, its evidence directory, libmagic's database and\n"
    "                       /dev/urandom, and any system call off its allow-list\n"
    "                       (execve, ptrace, socket, ...) kills it\n";

/* --user and --no-sandbox (http_server_confine in http/server.c). */
static int
serve_parse_confinement(struct http_server_config *cfg, int c, const char *arg)
{
	switch (c) {
	case 'u':
		if (*arg == '\0')
			return cli_usage_error("serve", "--user needs a user name or id");
		cfg->user = arg;
		return CLI_OK;
	case 'S':
		cfg->no_sandbox = true;
		return CLI_OK;
	}
	return cli_usage_error("serve", "bad option");
}

static int
serve_parse_option(struct http_server_config *cfg, int c, const char *arg)
{
	int64_t n;

	switch (c) {
	case 'l':
		if (strlen(arg) >= sizeof(cfg->listen))
			return cli_usage_error("serve", "--listen is too long");
		snprintf(cfg->listen, sizeof(cfg->listen), "%s", arg);
		return CLI_OK;
	case 'd':
		cfg->db_path = arg;
		return CLI_OK;
	case 't':
		if (str_to_int64(&n, arg, 1, HTTP_THREADS_MAX) != 0)
			return cli_usage_error("serve", "--threads must be from 1 to %d",
			    HTTP_THREADS_MAX);
		cfg->threads = (unsigned)n;
		return CLI_OK;
	case 'f':
		if (strcmp(arg, "text") == 0)
			cfg->log_format = HTTP_LOG_TEXT;
		else if (strcmp(arg, "json") == 0)
			cfg->log_format = HTTP_LOG_JSON;
		else
			return cli_usage_error("serve", "--log-format must be text or json");
		return CLI_OK;
	case 's':
		cfg->secure_cookies = true;
		return CLI_OK;
	case 'C':
		if (str_to_int64(&n, arg, 16, HTTP_CONN_LIMIT_MAX) != 0)
			return cli_usage_error("serve", "--max-connections must be from 16 to %d",
			    HTTP_CONN_LIMIT_MAX);
		cfg->conn_limit = (unsigned)n;
		return CLI_OK;
	case 'P':
		if (str_to_int64(&n, arg, 0, HTTP_CONN_LIMIT_MAX) != 0)
			return cli_usage_error("serve",
			    "--max-connections-per-address must be from 0 (no limit) to %d",
			    HTTP_CONN_LIMIT_MAX);
		cfg->per_ip_limit = (unsigned)n;
		cfg->per_ip_set = true;
		return CLI_OK;
	case 'H':
		if (str_to_int64(&n, arg, 1, HTTP_TIMEOUT_MAX) != 0)
			return cli_usage_error("serve", "--header-timeout must be from 1 to %d seconds",
			    HTTP_TIMEOUT_MAX);
		cfg->header_timeout = (unsigned)n;
		return CLI_OK;
	case 'I':
		if (str_to_int64(&n, arg, 1, HTTP_TIMEOUT_MAX) != 0)
			return cli_usage_error("serve", "--idle-timeout must be from 1 to %d seconds",
			    HTTP_TIMEOUT_MAX);
		cfg->idle_timeout = (unsigned)n;
		return CLI_OK;
	case 'x':
		if (proxy_add(&cfg->proxies, arg) != 0)
			return cli_usage_error("serve", "%s", aims_error_message());
		return CLI_OK;
	case 'R':
		if (str_to_int64(&n, arg, 0, BUDGET_PER_MINUTE_MAX) != 0)
			return cli_usage_error("serve",
			    "--heavy-reads-per-minute must be from 0 (no budget) to %d",
			    BUDGET_PER_MINUTE_MAX);
		cfg->heavy_per_minute = (unsigned)n;
		return CLI_OK;
	case 'L':
		if (str_to_int64(&n, arg, 0, LIST_CACHE_MAX_MB) != 0)
			return cli_usage_error("serve",
			    "--list-cache must be from 0 (none) to %d MB", LIST_CACHE_MAX_MB);
		cfg->list_cache_bytes = (size_t)n * 1024 * 1024;
		return CLI_OK;
	case 'W':
		cfg->webhooks_private = true;
		return CLI_OK;
	case 'r':
		if (str_to_int64(&n, arg, 1, OUTBOX_RETRY_BASE_MAX) != 0)
			return cli_usage_error("serve", "--retry-base must be from 1 to %d seconds",
			    OUTBOX_RETRY_BASE_MAX);
		cfg->retry_base = (unsigned)n;
		return CLI_OK;
	case 'p':
		if (str_to_int64(&n, arg, 10, OUTBOX_POLL_MS_MAX) != 0)
			return cli_usage_error("serve", "--outbox-poll must be from 10 to %d ms",
			    OUTBOX_POLL_MS_MAX);
		cfg->outbox_poll_ms = (unsigned)n;
		return CLI_OK;
	case 'g':
		if (str_to_int64(&n, arg, 0, 23) != 0)
			return cli_usage_error("serve", "--digest-hour must be from 0 to 23");
		cfg->digest_hour = (int)n;
		return CLI_OK;
	case 'b':
		if (str_to_int64(&n, arg, 1024, HTTP_MAX_BODY_LIMIT) != 0)
			return cli_usage_error("serve", "--max-body must be from 1024 to %d",
			    HTTP_MAX_BODY_LIMIT);
		cfg->max_body = (size_t)n;
		return CLI_OK;
	}
	return serve_parse_confinement(cfg, c, arg);
}

int
cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "db", required_argument, NULL, 'd' },
		{ "threads", required_argument, NULL, 't' },
		{ "log-format", required_argument, NULL, 'f' },
		{ "secure-cookies", no_argument, NULL, 's' },
		{ "max-body", required_argument, NULL, 'b' },
		{ "max-connections", required_argument, NULL, 'C' },
		{ "max-connections-per-address", required_argument, NULL, 'P' },
		{ "header-timeout", required_argument, NULL, 'H' },
		{ "idle-timeout", required_argument, NULL, 'I' },
		{ "trusted-proxy", required_argument, NULL, 'x' },
		{ "heavy-reads-per-minute", required_argument, NULL, 'R' },
		{ "list-cache", required_argument, NULL, 'L' },
		{ "webhooks-private", no_argument, NULL, 'W' },
		{ "retry-base", required_argument, NULL, 'r' },
		{ "outbox-poll", required_argument, NULL, 'p' },
		{ "digest-hour", required_argument, NULL, 'g' },
		{ "user", required_argument, NULL, 'u' },
		{ "no-sandbox", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* The settings live as long as the server. */
	static char smtp_url[CONF_VALUE_MAX], mail_from[CONF_VALUE_MAX], smtp_ca[CONF_VALUE_MAX];
	static char site_url[CONF_VALUE_MAX];
	struct http_server_config cfg;
	char *base;
	int c, rc;

	http_server_config_default(&cfg);
	cfg.db_path = cli_default_db();
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(serve_usage, stdout);
			return CLI_OK;
		}
		if ((rc = serve_parse_option(&cfg, c, optarg)) != CLI_OK)
			return rc;
	}
	if (optind != argc)
		return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
	/* The settings file: beside a SQLite file, in the local directory of a PostgreSQL store. */
	base = db_local_base(cfg.db_path);
	cfg.smtp_url = conf_setting(smtp_url, base, "smtp_url", "AIMS_SMTP_URL");
	cfg.mail_from = conf_setting(mail_from, base, "mail_from", "AIMS_MAIL_FROM");
	cfg.smtp_ca_file = conf_setting(smtp_ca, base, "smtp_ca_file", "AIMS_SMTP_CA_FILE");
	free(base);
	if (cfg.smtp_url != NULL && cfg.mail_from == NULL)
		return cli_usage_error("serve", "a mail server is set (smtp_url) but no sender: "
		    "set AIMS_MAIL_FROM or aims config set mail_from ADDRESS");
	cfg.site_url = conf_setting(site_url, cfg.db_path, "site_url", "AIMS_SITE_URL");
	if (cfg.site_url != NULL && strncmp(cfg.site_url, "https://", 8) != 0 &&
	    strncmp(cfg.site_url, "http://", 7) != 0)
		return cli_usage_error("serve", "site_url must be an http:// or https:// address "
		    "(https://aims.example.org), not '%s'", cfg.site_url);
	/* Links are joined to it: "https://host/" and "https://host" are the same. */
	if (cfg.site_url != NULL) {
		snprintf(site_url, sizeof(site_url), "%s", cfg.site_url);
		if (site_url[strlen(site_url) - 1] == '/')
			site_url[strlen(site_url) - 1] = '\0';
		cfg.site_url = site_url;
	}
	if (http_server_run(&cfg) != 0)
		return cli_fail("serve");
	return CLI_OK;
}
