/*
 * auth.c - identifying the caller (session cookie or bearer token), the
 * same-origin / CSRF rule, the caller's role in {org}, and sign-in.
 *
 * Sign-in answers an unknown email and a wrong password alike, in the same
 * time (an unknown user is checked against a dummy argon2id hash), backs
 * off failures per (account, client address) pair and per client address
 * (core/throttle.h: never per account alone, so nobody can lock an owner
 * out from elsewhere; the address is the proxy's client with
 * --trusted-proxy, http/proxy.h), and lets
 * at most AUTH_PWHASH_CONCURRENCY argon2id verifications run at once, so
 * sign-in cannot be used to exhaust memory or CPU.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/member.h"
#include "core/org.h"
#include "core/session.h"
#include "core/throttle.h"
#include "core/token.h"
#include "core/totp.h"
#include "core/user.h"
#include "http/auth.h"
#include "http/server.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

#define AUTH_COOKIE_MAX		256
#define AUTH_WRONG		"wrong email or password"

static sem_t auth_pwhash_sem;
static pthread_once_t auth_once = PTHREAD_ONCE_INIT;
static unsigned auth_threads;	/* worker threads, read once by auth_init */

/*
 * At most half the worker threads (and no more than AUTH_PWHASH_CONCURRENCY)
 * hash at once, so the others keep answering everything else.
 */
static void
auth_init(void)
{
	unsigned n = auth_threads / 2;

	if (n < 1)
		n = 1;
	if (n > AUTH_PWHASH_CONCURRENCY)
		n = AUTH_PWHASH_CONCURRENCY;
	sem_init(&auth_pwhash_sem, 0, n);
}

/* Finds name=value in a Cookie header; copies the value. */
bool
auth_cookie_value(char *out, size_t outlen, const char *header, const char *name)
{
	size_t n = strlen(name), vlen;
	const char *p = header;

	while (p != NULL && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			p += n + 1;
			vlen = strcspn(p, ";");
			if (vlen == 0 || vlen >= outlen)
				return false;
			memcpy(out, p, vlen);
			out[vlen] = '\0';
			return true;
		}
		p = strchr(p, ';');
	}
	return false;
}

/* A token's or session's last use, written through the database writer. */
struct auth_touch {
	int64_t	id;
	time_t	now;
};

/*
 * The last use written lately, per token and per session: the store's copy
 * is read from each request's snapshot, so a client's burst of concurrent
 * requests all find the same minute due; the first one claims the write
 * here and the rest go on without one. A slot another id takes over only
 * costs one more write.
 */
static struct {
	pthread_mutex_t	lock;
	struct {
		int64_t	id;		/* token id, or minus the session id */
		time_t	at;
	}		slot[AUTH_TOUCH_SLOTS];
} auth_touched = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Whether this caller is the one to write id's last use at now. */
static bool
auth_touch_claim(int64_t id, time_t now, time_t every)
{
	size_t i = (size_t)((uint64_t)id % AUTH_TOUCH_SLOTS);
	bool mine;

	pthread_mutex_lock(&auth_touched.lock);
	mine = auth_touched.slot[i].id != id || now - auth_touched.slot[i].at >= every ||
	    now < auth_touched.slot[i].at;
	if (mine) {
		auth_touched.slot[i].id = id;
		auth_touched.slot[i].at = now;
	}
	pthread_mutex_unlock(&auth_touched.lock);
	return mine;
}

static int
auth_token_touch(struct db *db, void *arg)
{
	const struct auth_touch *t = arg;

	return token_touch(db, t->id, t->now);
}

static int
auth_session_touch(struct db *db, void *arg)
{
	const struct auth_touch *t = arg;

	return session_touch(db, t->id, t->now);
}

/*
 * What signing in and out writes (failures counted, a pair's failures
 * forgotten, a second factor's code spent, the pending sign-in dropped, a
 * session or a pending sign-in started, a session ended), in this order,
 * as one change of the database writer (http_server_write): beside it
 * each would wait in SQLite's busy handler while the writer commits, and
 * the cookie that names a session goes out only once the session is on
 * disk.
 */
enum auth_start { AUTH_START_NONE, AUTH_START_SESSION, AUTH_START_CHALLENGE };

struct auth_write {
	time_t				 now;
	const char			*fail_key[2];	/* NULL: none */
	const struct throttle_policy	*fail_policy[2];
	const char			*clear_key;	/* its failures forgotten */
	const char			*code;		/* a second factor's code, spent */
	const char			*drop_challenge;
	enum auth_start			 start;
	int64_t				 user_id;	/* code, start */
	const char			*client_addr;
	char				*token;		/* start: SESSION_TOKEN_LEN, the cookie's value */
	struct session			*session;	/* start: the new session */
	const char			*end_session;	/* a session's token */
};

static int
auth_write_apply(struct db *db, void *arg)
{
	struct auth_write *w = arg;
	size_t i;
	int rc;

	for (i = 0; i < 2; i++)
		if (w->fail_key[i] != NULL &&
		    (rc = throttle_fail(db, w->fail_key[i], w->fail_policy[i], w->now)) != 0)
			return rc;
	if (w->code != NULL && (rc = totp_verify(db, w->user_id, w->code, w->now)) != 0)
		return rc;
	/* Forgetting is a courtesy: its failure does not stop the sign-in. */
	if (w->clear_key != NULL && throttle_clear(db, w->clear_key) != 0)
		log_warn("cannot forget failed sign-ins: %s", aims_error_message());
	if (w->drop_challenge != NULL && (rc = totp_challenge_delete(db, w->drop_challenge)) != 0)
		return rc;
	if (w->end_session != NULL && (rc = session_delete(db, w->end_session)) != 0)
		return rc;
	switch (w->start) {
	case AUTH_START_NONE:
		return 0;
	case AUTH_START_SESSION:
		return session_create(w->token, w->session, db, w->user_id, w->client_addr,
		    w->now);
	case AUTH_START_CHALLENGE:
		return totp_challenge_create(w->token, db, w->user_id, w->client_addr, w->now);
	}
	return aims_error_set(AIMS_ERROR, NULL, "unknown sign-in change");
}

/* Runs w through the writer; the session, challenge and throttle rows are the store's. */
static int
auth_write(struct http_ctx *c, struct auth_write *w)
{
	return http_server_write(c->db, 0, auth_write_apply, w);
}

/* Counts a failure under two keys (either may be NULL); a failure to count is logged. */
static void
auth_count_failure(struct http_ctx *c, const char *k1, const struct throttle_policy *p1,
    const char *k2, const struct throttle_policy *p2)
{
	struct auth_write w = { .now = clock_now(), .fail_key = { k1, k2 },
	    .fail_policy = { p1, p2 } };

	if (auth_write(c, &w) != 0)
		log_warn("cannot count a failed sign-in: %s", aims_error_message());
}

static int
auth_identify_token(struct http_ctx *c, const char *authz)
{
	struct token_grant g;
	struct auth_touch t;
	const char *secret;
	int rc;

	if (strncasecmp(authz, "Bearer ", 7) != 0)
		return aims_error_set(AIMS_EUNAUTH, "Authorization",
		    "Authorization must be 'Bearer TOKEN'");
	secret = authz + 7;
	while (*secret == ' ')
		secret++;
	t.now = clock_now();
	if ((rc = token_find(&g, c->db, secret, t.now)) != 0)
		return rc;
	/*
	 * Once a minute per token. Beside the writer this write would wait in
	 * SQLite's busy handler while the writer commits (sleeping up to 100 ms
	 * a try): each minute, every request of a busy client that found the
	 * time due stalled for hundreds of milliseconds.
	 */
	t.id = g.id;
	if (g.touch && auth_touch_claim(g.id, t.now, TOKEN_USE_WRITE_SEC) &&
	    (rc = http_server_write(c->db, g.org_id, auth_token_touch, &t)) != 0)
		return rc;
	c->who.kind = HTTP_TOKEN;
	c->who.user_id = g.created_by;
	c->who.token_id = g.id;
	c->who.token_org_id = g.org_id;
	c->who.token_role = g.role;
	snprintf(c->who.name, sizeof(c->who.name), "token:%s", g.name);
	return 0;
}

static int
auth_identify_session(struct http_ctx *c, const char *token)
{
	struct session s;
	struct auth_touch t;
	json_t *u = NULL;
	const char *email;
	int rc;

	t.now = clock_now();
	if ((rc = session_find(&s, c->db, token, t.now)) != 0)
		return rc == AIMS_ENOTFOUND ? 0 : rc;	/* expired: not signed in */
	/* Through the writer, as a token's last use is (auth_identify_token). */
	t.id = s.id;
	if (s.touch && auth_touch_claim(-s.id, t.now, SESSION_TOUCH_SEC) &&
	    (rc = http_server_write(c->db, 0, auth_session_touch, &t)) != 0)
		return rc;
	if ((rc = user_get(&u, c->db, s.user_id)) != 0)
		return rc == AIMS_ENOTFOUND ? 0 : rc;
	email = json_string_value(json_object_get(u, "email"));
	if (email != NULL && !json_is_true(json_object_get(u, "disabled"))) {
		c->who.kind = HTTP_SESSION;
		c->who.user_id = s.user_id;
		c->who.session_id = s.id;
		snprintf(c->who.email, sizeof(c->who.email), "%s", email);
		snprintf(c->who.name, sizeof(c->who.name), "user:%s", email);
		snprintf(c->who.csrf, sizeof(c->who.csrf), "%s", s.csrf);
	}
	json_decref(u);
	return 0;
}

int
auth_identify(struct http_ctx *c)
{
	const char *authz = http_header(c->req, "Authorization"), *cookie;
	char token[AUTH_COOKIE_MAX];

	memset(&c->who, 0, sizeof(c->who));
	if (authz != NULL)
		return auth_identify_token(c, authz);
	/* Looked for only now: a bearer token wins over any cookie. */
	cookie = http_header(c->req, "Cookie");
	if (cookie != NULL && auth_cookie_value(token, sizeof(token), cookie, AUTH_COOKIE))
		return auth_identify_session(c, token);
	return 0;
}

/* "https://host:port" -> "host:port" matches Host (case-insensitively). */
bool
auth_same_origin(const char *origin, const char *host)
{
	const char *p;

	if (origin == NULL || host == NULL)
		return false;
	if (strncasecmp(origin, "http://", 7) == 0)
		p = origin + 7;
	else if (strncasecmp(origin, "https://", 8) == 0)
		p = origin + 8;
	else
		return false;
	return strcasecmp(p, host) == 0;
}

int
auth_check_csrf(struct http_ctx *c)
{
	const char *m = c->req->method, *tok = http_header(c->req, AUTH_CSRF_HEADER);
	const char *origin = http_header(c->req, "Origin");
	const char *ct = http_header(c->req, "Content-Type");

	if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0)
		return 0;
	if (tok != NULL && strlen(tok) == strlen(c->who.csrf) && c->who.csrf[0] &&
	    sodium_memcmp(tok, c->who.csrf, strlen(tok)) == 0)
		return 0;
	if (!auth_same_origin(origin, http_header(c->req, "Host")))
		return aims_error_set(AIMS_EFORBIDDEN, "Origin",
		    "a signed-in write must come from this site (same-origin Origin header) "
		    "or carry the session's " AUTH_CSRF_HEADER);
	/* An upload is not JSON, whether or not its body was kept (router_upload_wanted). */
	if ((c->req->body_len > 0 || c->req->upload != NULL ||
	    (ct != NULL && strncasecmp(ct, "multipart/", 10) == 0)) &&
	    (ct == NULL || strncasecmp(ct, HTTP_JSON, 16) != 0))
		return aims_error_set(AIMS_EFORBIDDEN, "Content-Type",
		    "a signed-in write must be JSON or carry the session's " AUTH_CSRF_HEADER);
	return 0;
}

/* A member signed in with a password where the organisation requires a second factor has one. */
static int
auth_second_factor_ok(struct http_ctx *c, int64_t org_id, const char *slug)
{
	bool required = false, enabled = false;
	int rc;

	if ((rc = org_second_factor_required(&required, c->db, org_id)) != 0 || !required ||
	    (rc = totp_enabled(&enabled, c->db, c->who.user_id)) != 0 || enabled)
		return rc;
	return aims_error_set(AIMS_EFORBIDDEN, "second_factor", "%s requires a second factor "
	    "of its members: set one up on your account page first", slug);
}

int
auth_org_role(struct http_ctx *c, const char *slug)
{
	enum role role = ROLE_NONE;
	int64_t org_id = 0;
	int rc;

	if ((rc = org_id_by_slug(&org_id, c->db, slug)) != 0)
		goto notfound;
	if (c->who.kind == HTTP_TOKEN) {
		if (c->who.token_org_id != org_id)
			goto notfound;
		role = c->who.token_role;
	} else if ((rc = member_role(&role, c->db, org_id, c->who.user_id)) != 0) {
		goto notfound;
	} else if ((rc = auth_second_factor_ok(c, org_id, slug)) != 0) {
		return rc;
	}
	c->org_id = org_id;
	c->role = role;
	c->actor.user_id = c->who.user_id;
	c->actor.name = c->who.name;
	c->actor.role = role;
	return 0;
notfound:
	if (rc != 0 && rc != AIMS_ENOTFOUND)
		return rc;
	/* Not a member, or no such organisation: the same answer. */
	return aims_error_set(AIMS_ENOTFOUND, NULL, "no such organisation");
}

static const struct throttle_policy auth_pair_policy = THROTTLE_PAIR_POLICY;
static const struct throttle_policy auth_addr_policy = THROTTLE_ADDR_POLICY;

/*
 * Whom the throttle counts: an IPv4 address, or an IPv6 address's /64
 * (one subscriber's network holds 2^64 addresses to rotate through).
 */
void
auth_client_net(char out[AUTH_NET_MAX], const char *addr)
{
	struct in6_addr a6;
	char text[INET6_ADDRSTRLEN];

	if (inet_pton(AF_INET6, addr, &a6) != 1 || IN6_IS_ADDR_V4MAPPED(&a6)) {
		snprintf(out, AUTH_NET_MAX, "%s", addr);
		return;
	}
	memset(a6.s6_addr + 8, 0, 8);
	inet_ntop(AF_INET6, &a6, text, sizeof(text));
	snprintf(out, AUTH_NET_MAX, "%s/64", text);
}

/* "pair:EMAIL|NET" (email in lower case) and "addr:NET". */
static void
auth_keys(char pkey[THROTTLE_KEY_MAX], char akey[THROTTLE_KEY_MAX], const char *email,
    const char *addr)
{
	char *low = str_lower(email), net[AUTH_NET_MAX];

	auth_client_net(net, addr);
	snprintf(pkey, THROTTLE_KEY_MAX, "pair:%s|%s", low, net);
	snprintf(akey, THROTTLE_KEY_MAX, "addr:%s", net);
	free(low);
}

static int
auth_throttled(int *retry_after, struct http_ctx *c, const char *pkey, const char *akey)
{
	int ra = 0, rb = 0, rc;
	char secs[16];

	if ((rc = throttle_check(&ra, c->db, pkey, clock_now())) != 0 && rc != AIMS_ETHROTTLED)
		return rc;
	if ((rc = throttle_check(&rb, c->db, akey, clock_now())) != 0 && rc != AIMS_ETHROTTLED)
		return rc;
	if (ra == 0 && rb == 0)
		return 0;
	*retry_after = ra > rb ? ra : rb;
	snprintf(secs, sizeof(secs), "%d", *retry_after);
	http_resp_header(&c->resp, "Retry-After", secs);
	return aims_error_set(AIMS_ETHROTTLED, NULL,
	    "too many failed sign-ins: try again in %s seconds", secs);
}

/* A free verification slot, or 503 at once: a worker never waits for one. */
static int
auth_pwhash_acquire(struct http_ctx *c)
{
	auth_threads = c->cfg ? c->cfg->threads : 1;
	pthread_once(&auth_once, auth_init);
	while (sem_trywait(&auth_pwhash_sem) != 0)
		if (errno != EINTR) {
			http_resp_header(&c->resp, "Retry-After", "1");
			return aims_error_set(HTTP_EUNAVAILABLE, NULL,
			    "too many sign-ins at once: retry in a second");
		}
	return 0;
}

static int
auth_check_password(int64_t *user_id, struct http_ctx *c, const char *email,
    const char *password)
{
	int rc;

	if ((rc = auth_pwhash_acquire(c)) != 0)
		return rc;
	rc = user_authenticate(user_id, c->db, email, password);
	sem_post(&auth_pwhash_sem);
	return rc;
}

/* {user:{email,name}, organisations:[{slug,name,role}]} */
static int
auth_whoami(json_t **out, struct http_ctx *c, int64_t user_id)
{
	json_t *orgs = NULL, *u = NULL;
	int rc;

	*out = NULL;
	if ((rc = user_get(&u, c->db, user_id)) != 0 ||
	    (rc = member_orgs_of_user(&orgs, c->db, user_id)) != 0) {
		json_decref(u);
		return rc;
	}
	*out = json_pack("{s:{s:O, s:O}, s:o}", "user", "email", json_object_get(u, "email"),
	    "name", json_object_get(u, "display_name"), "organisations", orgs);
	json_decref(u);
	return *out ? 0 : aims_error_set(AIMS_ERROR, NULL, "user record without email or name");
}

void
auth_session_cookie(struct http_ctx *c, const char *token, int max_age)
{
	char cookie[AUTH_COOKIE_MAX + 128];
	bool secure = c->cfg != NULL && c->cfg->secure_cookies;

	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s",
	    AUTH_COOKIE, token, max_age, secure ? "; Secure" : "");
	http_resp_add_header(&c->resp, "Set-Cookie", cookie);
}

int
auth_sign_in(char token[SESSION_TOKEN_LEN], struct session *s, int *retry_after,
    struct http_ctx *c, const char *email, const char *password)
{
	char pkey[THROTTLE_KEY_MAX], akey[THROTTLE_KEY_MAX];
	const char *addr = c->req->client_addr ? c->req->client_addr : "";
	struct auth_write w;
	int64_t user_id = 0;
	bool second = false;
	int rc;

	*retry_after = 0;
	auth_keys(pkey, akey, email, addr);
	if ((rc = auth_throttled(retry_after, c, pkey, akey)) != 0) {
		log_info("sign-in for %.64s from %s refused: paused for %d s", email, addr,
		    *retry_after);
		return rc;
	}
	rc = auth_check_password(&user_id, c, email, password);
	if (rc == AIMS_EUNAUTH || rc == AIMS_ENOTFOUND) {
		auth_count_failure(c, pkey, &auth_pair_policy, akey, &auth_addr_policy);
		log_info("sign-in failed for %.64s from %s", email, addr);
		return aims_error_set(AIMS_EUNAUTH, NULL, AUTH_WRONG);
	}
	if (rc != 0)
		return rc;
	if ((rc = totp_enabled(&second, c->db, user_id)) != 0)
		return rc;
	/*
	 * The address's budget stays: one known password must not reset a spray.
	 * With a second factor, no session yet: token is the pending sign-in a
	 * code completes.
	 */
	memset(s, 0, sizeof(*s));
	s->user_id = user_id;
	w = (struct auth_write){ .now = clock_now(), .clear_key = pkey,
	    .start = second ? AUTH_START_CHALLENGE : AUTH_START_SESSION, .user_id = user_id,
	    .client_addr = c->req->client_addr, .token = token, .session = s };
	if ((rc = auth_write(c, &w)) != 0 || second)
		return rc;
	auth_session_cookie(c, token, SESSION_ABSOLUTE_SEC);
	snprintf(c->who.name, sizeof(c->who.name), "user:%s", email);
	c->who.kind = HTTP_SESSION;
	c->who.user_id = user_id;
	return 0;
}

/* A session just started (on disk): its cookie, and who the caller is now. */
static int
auth_session_begun(const char *token, struct http_ctx *c, int64_t user_id)
{
	json_t *u = NULL;
	int rc;

	if ((rc = user_get(&u, c->db, user_id)) != 0)
		return rc;
	auth_session_cookie(c, token, SESSION_ABSOLUTE_SEC);
	snprintf(c->who.name, sizeof(c->who.name), "user:%s",
	    json_string_value(json_object_get(u, "email")));
	c->who.kind = HTTP_SESSION;
	c->who.user_id = user_id;
	json_decref(u);
	return 0;
}

static const struct throttle_policy auth_code_policy = TOTP_THROTTLE_POLICY;

int
auth_sign_in_code(char token[SESSION_TOKEN_LEN], struct session *s, int *retry_after,
    struct http_ctx *c, const char *challenge, const char *code)
{
	char key[THROTTLE_KEY_MAX], secs[16], msg[AIMS_ERROR_MSG_MAX];
	char field[AIMS_ERROR_FIELD_MAX];
	struct auth_write w;
	int64_t user_id = 0;
	int rc;

	*retry_after = 0;
	if ((rc = totp_challenge_find(&user_id, c->db, challenge, clock_now())) != 0)
		return rc;
	/* Counted per account: only someone who knows its password gets here. */
	snprintf(key, sizeof(key), "code:%lld", (long long)user_id);
	if ((rc = throttle_check(retry_after, c->db, key, clock_now())) != 0) {
		if (rc == AIMS_ETHROTTLED) {
			snprintf(secs, sizeof(secs), "%d", *retry_after);
			http_resp_header(&c->resp, "Retry-After", secs);
		}
		return rc;
	}
	/* The code is spent with the session started, or not at all. */
	w = (struct auth_write){ .now = clock_now(), .code = code, .clear_key = key,
	    .drop_challenge = challenge, .start = AUTH_START_SESSION, .user_id = user_id,
	    .client_addr = c->req->client_addr, .token = token, .session = s };
	if ((rc = auth_write(c, &w)) != 0) {
		if (rc == AIMS_EUNAUTH) {
			snprintf(msg, sizeof(msg), "%s", aims_error_message());
			snprintf(field, sizeof(field), "%s", aims_error_field());
			auth_count_failure(c, key, &auth_code_policy, NULL, NULL);
			log_info("second-factor code refused for user %lld", (long long)user_id);
			aims_error_set(rc, field[0] ? field : NULL, "%s", msg);
		}
		return rc;
	}
	return auth_session_begun(token, c, user_id);
}

int
auth_session_start(char token[SESSION_TOKEN_LEN], struct session *s, struct http_ctx *c,
    int64_t user_id)
{
	struct auth_write w = { .now = clock_now(), .start = AUTH_START_SESSION,
	    .user_id = user_id, .client_addr = c->req->client_addr, .token = token, .session = s };
	int rc;

	if ((rc = auth_write(c, &w)) != 0)
		return rc;
	return auth_session_begun(token, c, user_id);
}

int
auth_challenge_start(char token[SESSION_TOKEN_LEN], struct http_ctx *c, int64_t user_id)
{
	struct auth_write w = { .now = clock_now(), .start = AUTH_START_CHALLENGE,
	    .user_id = user_id, .client_addr = c->req->client_addr, .token = token };

	return auth_write(c, &w);
}

int
auth_session_end(struct http_ctx *c, const char *token)
{
	struct auth_write w = { .now = clock_now(), .end_session = token };

	return auth_write(c, &w);
}

int
auth_session_create(struct http_ctx *c)
{
	const char *email = http_body_str(c, "email"), *password = http_body_str(c, "password");
	char token[SESSION_TOKEN_LEN];
	struct auth_write w;
	struct session s;
	json_t *who = NULL;
	int rc, retry;

	if ((rc = auth_sign_in(token, &s, &retry, c, email, password)) != 0)
		goto done;
	if (s.id == 0) {
		/* A second factor: the API takes none; the pending sign-in is dropped. */
		w = (struct auth_write){ .now = clock_now(), .drop_challenge = token };
		if (auth_write(c, &w) != 0)
			log_warn("cannot drop a pending sign-in: %s", aims_error_message());
		rc = aims_error_set(AIMS_EFORBIDDEN, "code", "this account signs in with a second "
		    "factor: sign in on the web page, or use an API token");
		goto done;
	}
	if ((rc = auth_whoami(&who, c, s.user_id)) != 0)
		goto done;
	json_object_set_new(who, "csrf_token", json_string(s.csrf));
	http_reply_json(c, 200, who);
done:
	sodium_memzero(token, sizeof(token));
	return rc;
}

int
auth_session_get(struct http_ctx *c)
{
	json_t *who = NULL, *o = NULL;
	int rc;

	if (c->who.kind == HTTP_TOKEN) {
		if ((rc = org_get(&o, c->db, c->who.token_org_id)) != 0)
			return rc;
		http_reply_json(c, 200, json_pack("{s:{s:s, s:O, s:s}}", "token", "name",
		    c->who.name + strlen("token:"), "organisation", json_object_get(o, "slug"),
		    "role", role_name(c->who.token_role)));
		json_decref(o);
		return 0;
	}
	if ((rc = auth_whoami(&who, c, c->who.user_id)) != 0)
		return rc;
	json_object_set_new(who, "csrf_token", json_string(c->who.csrf));
	http_reply_json(c, 200, who);
	return 0;
}

int
auth_session_delete(struct http_ctx *c)
{
	const char *cookie = http_header(c->req, "Cookie");
	char token[AUTH_COOKIE_MAX];
	int rc;

	if (cookie != NULL && auth_cookie_value(token, sizeof(token), cookie, AUTH_COOKIE) &&
	    (rc = auth_session_end(c, token)) != 0)
		return rc;
	auth_session_cookie(c, "", 0);
	http_reply_empty(c, 204);
	return 0;
}

/* The new password, hashed before, set as one change of the writer (the store's). */
struct auth_password {
	const struct actor	*actor;
	const char		*email;
	int64_t			 keep_session;
	char			 hash[USER_HASH_MAX];
};

static int
auth_password_apply(struct db *db, void *arg)
{
	const struct auth_password *p = arg;

	return user_set_password_hashed(db, p->actor, p->email, p->hash, p->keep_session);
}

int
auth_change_password(struct http_ctx *c, const char *current, const char *next)
{
	struct actor self = { c->who.user_id, c->who.name, ROLE_NONE };
	struct auth_password p = { .actor = &self, .email = c->who.email,
	    .keep_session = c->who.session_id };
	char akey[THROTTLE_KEY_MAX], ckey[THROTTLE_KEY_MAX], msg[AIMS_ERROR_MSG_MAX];
	int64_t user_id = 0;
	int rc, retry = 0;

	if (c->who.kind != HTTP_SESSION)
		return aims_error_set(AIMS_EFORBIDDEN, NULL,
		    "only a signed-in person changes their password");
	if ((rc = user_check_password_policy(next)) != 0) {
		snprintf(msg, sizeof(msg), "new %s", aims_error_message());
		return aims_error_set(rc, "new_password", "%s", msg);
	}
	auth_keys(akey, ckey, c->who.email, c->req->client_addr ? c->req->client_addr : "");
	if ((rc = auth_throttled(&retry, c, akey, ckey)) != 0)
		return rc;
	rc = auth_check_password(&user_id, c, c->who.email, current ? current : "");
	if (rc == AIMS_EUNAUTH || rc == AIMS_ENOTFOUND || (rc == 0 && user_id != c->who.user_id)) {
		auth_count_failure(c, akey, &auth_pair_policy, ckey, &auth_addr_policy);
		return aims_error_set(AIMS_EFORBIDDEN, "current_password",
		    "the current password is wrong");
	}
	if (rc != 0)
		return rc;
	if ((rc = user_password_hash(p.hash, next)) == 0)
		rc = http_server_write(c->db, 0, auth_password_apply, &p);
	sodium_memzero(p.hash, sizeof(p.hash));
	return rc;
}

int
auth_password_change(struct http_ctx *c)
{
	int rc;

	if ((rc = auth_change_password(c, http_body_str(c, "current_password"),
	    http_body_str(c, "new_password"))) != 0)
		return rc;
	http_reply_empty(c, 204);
	return 0;
}
