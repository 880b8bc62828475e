/*
 * deliver.c - webhook deliveries and mail over libcurl (io/deliver.h).
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "io/deliver.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"

#define DELIVER_USER_AGENT	"OpenAIMS-Webhook/1"
#define DELIVER_MAIL_LINE	76	/* base64 line length in a mail body (RFC 2045) */

int
deliver_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return aims_error_set(AIMS_ERROR, NULL, "cannot initialise libcurl");
	return 0;
}

void
deliver_sign(char *out, const char *secret, time_t t, const char *body, size_t len)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char ts[21], hex[2 * crypto_auth_hmacsha256_BYTES + 1];	/* ts: 19 digits and a sign */

	snprintf(ts, sizeof(ts), "%lld", (long long)t);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	snprintf(out, DELIVER_SIGNATURE_LEN, "t=%s,v1=%s", ts, hex);
}

static bool
deliver_v4_private(uint32_t a)
{
	return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
	    (a & 0xFFC00000u) == 0x64400000u ||	/* 100.64/10, shared address space */
	    (a & 0xFFFF0000u) == 0xA9FE0000u ||	/* 169.254/16, link-local (cloud metadata) */
	    (a & 0xFFF00000u) == 0xAC100000u ||	/* 172.16/12 */
	    (a & 0xFFFF0000u) == 0xC0A80000u ||	/* 192.168/16 */
	    (a & 0xFFFFFF00u) == 0xC0000000u ||	/* 192.0.0/24 */
	    (a & 0xFFFE0000u) == 0xC6120000u ||	/* 198.18/15, benchmarking */
	    (a >> 28) >= 0xE;			/* multicast, reserved, broadcast */
}

bool
deliver_address_private(const void *sockaddr)
{
	const struct sockaddr *sa = sockaddr;
	const struct sockaddr_in6 *s6;
	const unsigned char *b;
	uint32_t v4;

	if (sa->sa_family == AF_INET)
		return deliver_v4_private(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr));
	if (sa->sa_family != AF_INET6)
		return true;
	s6 = (const struct sockaddr_in6 *)sa;
	b = s6->sin6_addr.s6_addr;
	if (IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr) || IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr) ||
	    IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr) || IN6_IS_ADDR_MULTICAST(&s6->sin6_addr) ||
	    (b[0] & 0xFE) == 0xFC)		/* fc00::/7, unique local */
		return true;
	/* An IPv4 address inside (mapped, or NAT64's 64:ff9b::/96) is judged as IPv4. */
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) || (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff &&
	    b[3] == 0x9b && memcmp(b + 4, "\0\0\0\0\0\0\0\0", 8) == 0)) {
		memcpy(&v4, b + 12, 4);
		return deliver_v4_private(ntohl(v4));
	}
	return false;
}

struct deliver_transfer {
	const struct deliver_config	*cfg;
	char				 refused[DELIVER_ERROR_MAX];
	size_t				 answered;	/* bytes of the answer read */
	const char			*data;		/* what is sent (mail) */
	size_t				 len, off;
};

/* Called by libcurl with the resolved address, before it connects: the SSRF check. */
static curl_socket_t
deliver_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct deliver_transfer *t = arg;
	char ip[INET6_ADDRSTRLEN] = "?";

	if (purpose != CURLSOCKTYPE_IPCXN)
		return CURL_SOCKET_BAD;
	if (!t->cfg->allow_private && deliver_address_private(&a->addr)) {
		if (a->family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&a->addr)->sin_addr, ip, sizeof(ip));
		else if (a->family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&a->addr)->sin6_addr, ip,
			    sizeof(ip));
		snprintf(t->refused, sizeof(t->refused), "refused: %s is a loopback, private, "
		    "link-local or reserved address (aims serve --webhooks-private allows them)", ip);
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* The answer is read and dropped; past DELIVER_ANSWER_MAX the transfer stops. */
static size_t
deliver_discard(char *p, size_t size, size_t n, void *arg)
{
	struct deliver_transfer *t = arg;

	(void)p;
	t->answered += size * n;
	return t->answered > DELIVER_ANSWER_MAX ? 0 : size * n;
}

static void
deliver_common(CURL *h, struct deliver_transfer *t, char *errbuf)
{
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)DELIVER_TIMEOUT_SEC);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)DELIVER_CONNECT_SEC);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	/* No proxy from the environment: it would carry deliveries past the address check. */
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, deliver_open_socket);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, t);
}

static int
deliver_error(char err[DELIVER_ERROR_MAX], const struct deliver_transfer *t, CURLcode cc,
    const char *errbuf)
{
	if (t->refused[0] != '\0')
		snprintf(err, DELIVER_ERROR_MAX, "%s", t->refused);
	else
		snprintf(err, DELIVER_ERROR_MAX, "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
	return aims_error_set(AIMS_ERROR, NULL, "%s", err);
}

int
deliver_webhook(int *status, char err[DELIVER_ERROR_MAX], const struct deliver_config *cfg,
    const char *url, const char *secret, const char *event, int64_t delivery_id,
    const char *body, time_t now)
{
	struct deliver_transfer t = { .cfg = cfg };
	char errbuf[CURL_ERROR_SIZE] = "", sig[DELIVER_SIGNATURE_LEN], line[160];
	struct curl_slist *hdr = NULL;
	size_t len = strlen(body);
	long code = 0;
	CURLcode cc;
	CURL *h;
	int rc;

	*status = 0;
	err[0] = '\0';
	if (len > DELIVER_BODY_MAX) {
		snprintf(err, DELIVER_ERROR_MAX, "the body is over %d bytes", DELIVER_BODY_MAX);
		return aims_error_set(AIMS_ETOOBIG, NULL, "%s", err);
	}
	if ((h = curl_easy_init()) == NULL) {
		snprintf(err, DELIVER_ERROR_MAX, "cannot start a transfer");
		return aims_error_set(AIMS_ERROR, NULL, "%s", err);
	}
	deliver_sign(sig, secret, now, body, len);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	snprintf(line, sizeof(line), DELIVER_SIGNATURE_HEADER ": %s", sig);
	hdr = curl_slist_append(hdr, line);
	snprintf(line, sizeof(line), "X-AIMS-Event: %s", event);
	hdr = curl_slist_append(hdr, line);
	snprintf(line, sizeof(line), "X-AIMS-Delivery: %lld", (long long)delivery_id);
	hdr = curl_slist_append(hdr, line);
	hdr = curl_slist_append(hdr, "Expect:");
	deliver_common(h, &t, errbuf);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_USERAGENT, DELIVER_USER_AGENT);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, deliver_discard);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	*status = (int)code;
	if (cc == CURLE_WRITE_ERROR && t.answered > DELIVER_ANSWER_MAX && code >= 200 &&
	    code < 300)
		cc = CURLE_OK;	/* a long answer to a delivered body: delivered */
	if (cc != CURLE_OK)
		rc = deliver_error(err, &t, cc, errbuf);
	else if (code < 200 || code > 299) {
		snprintf(err, DELIVER_ERROR_MAX, "the receiver answered %ld", code);
		rc = aims_error_set(AIMS_ERROR, NULL, "%s", err);
	} else
		rc = 0;
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return rc;
}

/* libcurl reads the message from here. */
static size_t
deliver_read(char *p, size_t size, size_t n, void *arg)
{
	struct deliver_transfer *t = arg;
	size_t room = size * n, left = t->len - t->off;

	if (room > left)
		room = left;
	memcpy(p, t->data + t->off, room);
	t->off += room;
	return room;
}

/* A header value on one line: no CR or LF (header injection), at most max bytes. */
static void
deliver_header_value(struct buf *b, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < max; i++)
		buf_putc(b, (s[i] == '\r' || s[i] == '\n') ? ' ' : s[i]);
}

/* The subject, as RFC 2047 encoded-words when it is not plain ASCII. */
static void
deliver_subject(struct buf *b, const char *s)
{
	struct buf clean = BUF_INIT;
	char enc[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
	const char *p;
	bool ascii = true;
	size_t off, n;

	deliver_header_value(&clean, s, 400);
	for (p = buf_str(&clean); *p; p++)
		if ((unsigned char)*p >= 0x80)
			ascii = false;
	if (ascii) {
		buf_puts(b, buf_str(&clean));
		buf_free(&clean);
		return;
	}
	for (off = 0; off < clean.len; off += n) {
		n = clean.len - off > 45 ? 45 : clean.len - off;
		/* Never split a UTF-8 character between two encoded-words. */
		while (off + n < clean.len && n > 1 &&
		    ((unsigned char)clean.data[off + n] & 0xC0) == 0x80)
			n--;
		sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)clean.data + off, n,
		    sodium_base64_VARIANT_ORIGINAL);
		buf_printf(b, "%s=?UTF-8?B?%s?=", off > 0 ? "\r\n " : "", enc);
	}
	buf_free(&clean);
}

int
deliver_mail(char err[DELIVER_ERROR_MAX], const struct deliver_config *cfg, const char *to,
    const char *subject, const char *text, int64_t id, time_t now)
{
	struct deliver_transfer t = { .cfg = cfg };
	char errbuf[CURL_ERROR_SIZE] = "", date[64], line[DELIVER_MAIL_LINE + 1];
	char *enc = NULL;
	struct curl_slist *rcpt = NULL;
	struct buf msg = BUF_INIT, addr = BUF_INIT;
	size_t len = strlen(text), enclen, off;
	struct tm tm;
	CURLcode cc;
	CURL *h = NULL;
	int rc = 0;

	err[0] = '\0';
	if (cfg->smtp_url == NULL || cfg->mail_from == NULL) {
		snprintf(err, DELIVER_ERROR_MAX, "mail is not configured: set AIMS_SMTP_URL and "
		    "AIMS_MAIL_FROM, or aims config set smtp_url / mail_from");
		return aims_error_set(AIMS_EUNSUPPORTED, NULL, "%s", err);
	}
	if (len > DELIVER_BODY_MAX)
		len = DELIVER_BODY_MAX;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_printf(&msg, "Date: %s\r\nFrom: ", date);
	deliver_header_value(&msg, cfg->mail_from, 254);
	buf_puts(&msg, "\r\nTo: ");
	deliver_header_value(&msg, to, 254);
	buf_puts(&msg, "\r\nSubject: ");
	deliver_subject(&msg, subject);
	buf_printf(&msg, "\r\nMessage-ID: <%lld.%lld@openaims>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n", (long long)id, (long long)now);
	/* base64 keeps any text 7-bit and its lines short, whatever the server supports. */
	enclen = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	enc = malloc(enclen);
	if (enc == NULL)
		abort();
	sodium_bin2base64(enc, enclen, (const unsigned char *)text, len,
	    sodium_base64_VARIANT_ORIGINAL);
	for (off = 0; enc[off] != '\0'; off += strlen(line)) {
		snprintf(line, sizeof(line), "%.*s", DELIVER_MAIL_LINE, enc + off);
		buf_printf(&msg, "%s\r\n", line);
	}
	t.data = msg.data;
	t.len = msg.len;
	if ((h = curl_easy_init()) == NULL) {
		snprintf(err, DELIVER_ERROR_MAX, "cannot start a transfer");
		rc = aims_error_set(AIMS_ERROR, NULL, "%s", err);
		goto done;
	}
	deliver_common(h, &t, errbuf);
	/* The mail server is the operator's: it may well be on a private address. */
	t.cfg = &(struct deliver_config){ .allow_private = true };
	if (cfg->smtp_ca_file != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, cfg->smtp_ca_file);
	curl_easy_setopt(h, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/*
	 * smtp:// with a password: STARTTLS or nothing, so credentials never cross
	 * in clear; without one, STARTTLS whenever the server offers it.
	 */
	curl_easy_setopt(h, CURLOPT_USE_SSL, strchr(cfg->smtp_url, '@') != NULL ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	buf_putc(&addr, '<');
	deliver_header_value(&addr, cfg->mail_from, 254);
	buf_putc(&addr, '>');
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, buf_str(&addr));
	buf_reset(&addr);
	buf_putc(&addr, '<');
	deliver_header_value(&addr, to, 254);
	buf_putc(&addr, '>');
	rcpt = curl_slist_append(rcpt, buf_str(&addr));
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, deliver_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &t);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	if ((cc = curl_easy_perform(h)) != CURLE_OK)
		rc = deliver_error(err, &t, cc, errbuf);
done:
	curl_slist_free_all(rcpt);
	if (h != NULL)
		curl_easy_cleanup(h);
	free(enc);
	buf_free(&msg);
	buf_free(&addr);
	return rc;
}
