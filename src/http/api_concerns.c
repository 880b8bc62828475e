/*
 * api_concerns.c - the concern reporting channel over the API (A.3.3,
 * core/concern.h): the organisation's setting, and the two public routes
 * through which anyone, with no account, sends a concern and reads the
 * replies with the report key.
 *
 * The public routes are limited per client network (an IPv4 address or an
 * IPv6 /64) by buckets kept in this process's memory (http/budget.h): the
 * address is never written to the database, and the access log does not
 * hold addresses nor, for these routes, the report key (server.c).
 */
#include <stdio.h>

#include "core/concern.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/budget.h"
#include "util/clock.h"
#include "util/error.h"

int
http_concern_limit(struct http_ctx *c, const char *what, unsigned n, unsigned period_sec)
{
	char net[AUTH_NET_MAX], caller[BUDGET_CALLER_MAX], secs[16];
	int retry, rc;

	auth_client_net(net, c->req->client_addr != NULL ? c->req->client_addr : "");
	snprintf(caller, sizeof(caller), "%s:%s", what, net);
	if ((rc = budget_take_per(&retry, caller, n, period_sec, clock_mono_usec())) != 0) {
		snprintf(secs, sizeof(secs), "%d", retry);
		http_resp_header(&c->resp, "Retry-After", secs);
	}
	return rc;
}

int
api_concern_channel_get(struct http_ctx *c)
{
	json_t *out = NULL;
	int rc;

	if ((rc = concern_channel_get(&out, c->db, c->org_id)) != 0)
		return rc;
	http_reply_json(c, 200, out);
	return 0;
}

int
api_concern_channel_set(struct http_ctx *c)
{
	json_t *out = NULL;
	int rc;

	if ((rc = concern_channel_set(&out, c->db, &c->actor, c->org_id,
	    json_is_true(json_object_get(c->body, "open")))) != 0)
		return rc;
	http_reply_json(c, 200, out);
	return 0;
}

int
api_public_concern_create(struct http_ctx *c)
{
	char key[CONCERN_KEY_LEN], path[sizeof(HTTP_CONCERN_READ_PATH) + CONCERN_KEY_LEN];
	int rc;

	if ((rc = http_concern_limit(c, "concern", CONCERN_PER_HOUR, 3600)) != 0)
		return rc;
	if ((rc = concern_submit(key, c->db, http_param(c, "org"),
	    http_body_str(c, "text"))) != 0)
		return rc;
	snprintf(path, sizeof(path), "%s%s", HTTP_CONCERN_READ_PATH, key);
	http_reply_json(c, 201, json_pack("{s:s, s:s, s:s}", "key", key, "read", path,
	    "message", "Keep this key: it is the only way to read the replies to your report, "
	    "and it cannot be shown again."));
	return 0;
}

int
api_public_concern_get(struct http_ctx *c)
{
	json_t *out = NULL;
	int rc;

	if ((rc = http_concern_limit(c, "concern-read", CONCERN_READS_PER_MINUTE, 60)) != 0)
		return rc;
	if ((rc = concern_read(&out, NULL, c->db, http_param(c, "key"))) != 0)
		return rc;
	http_reply_json(c, 200, out);
	return 0;
}
