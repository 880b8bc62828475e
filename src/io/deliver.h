/*
 * deliver.h - what leaves the process, over libcurl: a webhook delivery
 * (HTTP POST of JSON, signed) and a mail (SMTP, STARTTLS). One transfer per
 * call, with a timeout, no redirect followed, no proxy from the
 * environment, and for webhooks only public addresses unless the operator
 * allows private ones: the address is checked after name resolution, at
 * the moment of connecting, so a name that resolves to an internal address
 * (or changes to one) is refused too.
 */
#ifndef AIMS_IO_DELIVER_H
#define AIMS_IO_DELIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define DELIVER_TIMEOUT_SEC	10		/* a whole transfer */
#define DELIVER_CONNECT_SEC	5
#define DELIVER_ANSWER_MAX	(64 * 1024)	/* bytes of a webhook's answer read, then cut */
#define DELIVER_BODY_MAX	(256 * 1024)	/* bytes of a webhook body or a mail's text */
#define DELIVER_ERROR_MAX	256
#define DELIVER_SIGNATURE_HEADER	"X-AIMS-Signature"

struct deliver_config {
	const char	*smtp_url;	/* smtp://[user:password@]host[:port] or smtps://...; NULL: no mail */
	const char	*mail_from;	/* the sender address */
	bool		 allow_private;	/* webhooks to loopback, private and link-local addresses */
	const char	*smtp_ca_file;	/* CA certificates the mail server's is checked against;
					   NULL: the system's */
};

/* Once, before any thread starts (and before the sandbox). */
int deliver_global_init(void);

/*
 * "t=UNIX,v1=HEX": HEX the HMAC-SHA256, keyed with secret, of the decimal
 * time, '.', and body. out: at least DELIVER_SIGNATURE_LEN bytes.
 */
#define DELIVER_SIGNATURE_LEN	(2 + 20 + 4 + 64 + 1)
void deliver_sign(char *out, const char *secret, time_t t, const char *body, size_t len);

/*
 * POSTs body to url: 0 when it answered 2xx; otherwise AIMS_ERROR with the
 * reason in err (the status in *status, 0 when there was no answer).
 */
int deliver_webhook(int *status, char err[DELIVER_ERROR_MAX], const struct deliver_config *cfg,
    const char *url, const char *secret, const char *event, int64_t delivery_id,
    const char *body, time_t now);

/* Sends one plain-text mail: 0, or AIMS_ERROR with the reason in err. */
int deliver_mail(char err[DELIVER_ERROR_MAX], const struct deliver_config *cfg, const char *to,
    const char *subject, const char *text, int64_t id, time_t now);

/* Is the address one a webhook may not reach by default (for tests and the API)? */
bool deliver_address_private(const void *sockaddr);

#endif
