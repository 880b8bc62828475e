/*
 * oidc.c - OpenID Connect sign-in per organisation (see oidc.h). The HTTP
 * requests are libcurl's (util/fetch.c) and the signature checks
 * OpenSSL's libcrypto, which libcurl already brings in on Debian: libsodium
 * has no RSA nor P-256 ECDSA. What is written here is what no library does
 * for C in this shape: splitting the compact JWS, choosing the key from the
 * JWKS, and the claim checks of OpenID Connect Core 3.1.3.7.
 */
#include <ctype.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/member.h"
#include "core/oidc.h"
#include "core/org.h"
#include "core/user.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fetch.h"
#include "util/html.h"
#include "util/str.h"

#define OIDC_DISCOVERY		"/.well-known/openid-configuration"
#define OIDC_RSA_MIN_BITS	2048
#define OIDC_P256_COORD		32	/* bytes of an x or y coordinate, and of r and s */
#define OIDC_SCOPE		"openid email"

/* ---- helpers -------------------------------------------------------------- */

/* Decodes base64url (no padding; padding tolerated); *out caller frees. */
static int
oidc_b64url(unsigned char **out, size_t *len, const char *s, size_t n)
{
	unsigned char *bin;

	*out = NULL;
	*len = 0;
	while (n > 0 && s[n - 1] == '=')
		n--;
	bin = malloc(n + 1);
	if (bin == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "out of memory");
	if (sodium_base642bin(bin, n + 1, s, n, NULL, len, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
		free(bin);
		return aims_error_set(AIMS_EUNAUTH, "id_token", "the ID token is not base64url");
	}
	*out = bin;
	return 0;
}

static void
oidc_b64url_encode(char *out, size_t outlen, const unsigned char *bin, size_t n)
{
	sodium_bin2base64(out, outlen, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* http(s)://HOST... with HOST a loopback address. */
static bool
oidc_loopback(const char *url)
{
	const char *h = strstr(url, "://");
	size_t n;

	if (h == NULL)
		return false;
	h += 3;
	n = strcspn(h, ":/?#");
	return (n == 9 && strncmp(h, "127.0.0.1", 9) == 0) ||
	    (n == 9 && strncasecmp(h, "localhost", 9) == 0) || strncmp(h, "[::1]", 5) == 0;
}

/* An endpoint the server may call: https, or http to a loopback address. */
static bool
oidc_url_ok(const char *url)
{
	if (url == NULL || strlen(url) >= OIDC_URL_MAX)
		return false;
	if (strncmp(url, "https://", 8) == 0)
		return strlen(url) > 8;
	return strncmp(url, "http://", 7) == 0 && oidc_loopback(url);
}

static int
oidc_check_text(const char *s, const char *field, const char *what)
{
	size_t n = s != NULL ? strlen(s) : 0;
	size_t i;

	if (n == 0 || n > OIDC_FIELD_MAX)
		return aims_error_set(AIMS_EINVALID, field, "%s is required (at most %d characters)",
		    what, OIDC_FIELD_MAX);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || s[i] == 0x7f)
			return aims_error_set(AIMS_EINVALID, field, "%s may not contain spaces or "
			    "control characters", what);
	return 0;
}

/* ---- configuration -------------------------------------------------------- */

int
oidc_config_get(json_t **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db,
	    "SELECT issuer, client_id FROM org_sso WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = json_pack("{s:s, s:s}", "issuer", db_column_text(st, 0), "client_id",
		    db_column_text(st, 1));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "sso", "this organisation has no single "
		    "sign-on");
	db_done(st);
	return rc;
}

/* The secret as stored (caller frees), or NULL. */
static int
oidc_secret(char **out, struct db *db, int64_t org_id)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&st, db, "SELECT client_secret FROM org_sso WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = strdup(db_column_text(st, 0));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_ENOTFOUND, "sso", "this organisation has no single "
		    "sign-on");
	db_done(st);
	return rc;
}

int
oidc_ledger_state(json_t *state, struct db *db, int64_t org_id)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1], *secret = NULL;
	json_t *cfg = NULL;
	int rc;

	if ((rc = oidc_config_get(&cfg, db, org_id)) != 0) {
		if (rc != AIMS_ENOTFOUND)
			return rc;
		aims_error_clear();
		return 0;
	}
	if ((rc = oidc_secret(&secret, db, org_id)) != 0) {
		json_decref(cfg);
		return rc;
	}
	crypto_hash_sha256(digest, (const unsigned char *)secret, strlen(secret));
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	json_object_set_new(cfg, "client_secret_sha256", json_string(hex));
	json_object_set_new(state, "sso", cfg);
	sodium_memzero(secret, strlen(secret));
	free(secret);
	return 0;
}

int
oidc_config_set(struct db *db, const struct actor *actor, int64_t org_id,
    const char *issuer, const char *client_id, const char *client_secret)
{
	struct db_stmt *st = NULL;
	char *kept = NULL;
	int rc;

	if (issuer != NULL && *issuer != '\0') {
		if ((rc = oidc_check_text(issuer, "issuer", "the issuer")) != 0)
			return rc;
		if (!oidc_url_ok(issuer))
			return aims_error_set(AIMS_EINVALID, "issuer", "the issuer must be an https:// "
			    "URL (http:// only for a provider on this machine)");
		if ((rc = oidc_check_text(client_id, "client_id", "the client ID")) != 0)
			return rc;
	}
	if ((rc = db_begin(db)) != 0)
		return rc;
	if (issuer == NULL || *issuer == '\0') {
		if ((rc = db_prepare(&st, db, "DELETE FROM org_sso WHERE org_id = ?")) != 0)
			goto done;
		db_bind_int64(st, 1, org_id);
	} else {
		if (client_secret == NULL || *client_secret == '\0') {
			if ((rc = oidc_secret(&kept, db, org_id)) != 0) {
				rc = aims_error_set(AIMS_EINVALID, "client_secret",
				    "the client secret is required");
				goto done;
			}
			client_secret = kept;
		} else if ((rc = oidc_check_text(client_secret, "client_secret",
		    "the client secret")) != 0)
			goto done;
		if ((rc = db_prepare(&st, db, "INSERT INTO org_sso (org_id, issuer, client_id, "
		    "client_secret) VALUES (?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET "
		    "issuer = excluded.issuer, client_id = excluded.client_id, "
		    "client_secret = excluded.client_secret")) != 0)
			goto done;
		db_bind_int64(st, 1, org_id);
		db_bind_text(st, 2, issuer);
		db_bind_text(st, 3, client_id);
		db_bind_text(st, 4, client_secret);
	}
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		goto done;
	rc = org_record_event(db, actor, org_id);
done:
	if (kept != NULL) {
		sodium_memzero(kept, strlen(kept));
		free(kept);
	}
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

/* ---- the provider's documents --------------------------------------------- */

static int
oidc_get_json(json_t **out, const char *url, const char *what)
{
	struct buf body = BUF_INIT;
	json_error_t jerr;
	long status = 0;
	int rc;

	*out = NULL;
	if ((rc = fetch_get(&body, &status, url)) != 0) {
		buf_free(&body);
		return aims_error_set(AIMS_EUNAUTH, "sso", "the provider's %s could not be read: %s",
		    what, aims_error_message());
	}
	if (status == 200)
		*out = json_loadb(body.data != NULL ? body.data : "", body.len, 0, &jerr);
	buf_free(&body);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return aims_error_set(AIMS_EUNAUTH, "sso", "the provider's %s is not a JSON object "
		    "(HTTP %ld)", what, status);
	}
	return 0;
}

/* The discovery document of issuer, its endpoints checked. */
static int
oidc_discover(json_t **out, const char *issuer)
{
	struct buf url = BUF_INIT;
	const char *keys[] = { "authorization_endpoint", "token_endpoint", "jwks_uri", NULL };
	size_t n = strlen(issuer), i;
	int rc;

	buf_printf(&url, "%.*s" OIDC_DISCOVERY, (int)(n > 0 && issuer[n - 1] == '/' ? n - 1 : n),
	    issuer);
	rc = oidc_get_json(out, buf_str(&url), "discovery document");
	buf_free(&url);
	if (rc != 0)
		return rc;
	if (!json_is_string(json_object_get(*out, "issuer")) ||
	    strcmp(json_string_value(json_object_get(*out, "issuer")), issuer) != 0) {
		rc = aims_error_set(AIMS_EUNAUTH, "issuer", "the provider's discovery document names "
		    "another issuer");
		goto fail;
	}
	for (i = 0; keys[i] != NULL; i++)
		if (!oidc_url_ok(json_string_value(json_object_get(*out, keys[i])))) {
			rc = aims_error_set(AIMS_EUNAUTH, "sso", "the provider's %s is missing or not "
			    "an https:// URL", keys[i]);
			goto fail;
		}
	return 0;
fail:
	json_decref(*out);
	*out = NULL;
	return rc;
}

/* ---- starting a sign-in ------------------------------------------------- */

/*
 * A sign-in's state row, with the expired ones dropped: a change of the
 * server's writer when it starts on a request's connection (db_write_via),
 * after the provider was asked (never inside the change).
 */
struct oidc_login_row {
	const unsigned char	*state_hash;	/* crypto_hash_sha256_BYTES */
	int64_t			 org_id;
	const char		*nonce, *verifier, *redirect_uri, *next;
	time_t			 now;
};

static int
oidc_login_save(struct db *db, void *arg)
{
	const struct oidc_login_row *r = arg;
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "DELETE FROM sso_logins WHERE expires_at <= ?")) != 0)
		return rc;
	db_bind_int64(st, 1, (int64_t)r->now);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	if ((rc = db_prepare(&st, db, "INSERT INTO sso_logins (state_hash, org_id, nonce, "
	    "verifier, redirect_uri, next, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) != 0)
		return rc;
	db_bind_blob(st, 1, r->state_hash, crypto_hash_sha256_BYTES);
	db_bind_int64(st, 2, r->org_id);
	db_bind_text(st, 3, r->nonce);
	db_bind_text(st, 4, r->verifier);
	db_bind_text(st, 5, r->redirect_uri);
	db_bind_text(st, 6, r->next != NULL ? r->next : "");
	db_bind_int64(st, 7, (int64_t)r->now + OIDC_LOGIN_SEC);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
oidc_begin(char **url, char state[OIDC_STATE_LEN], struct db *db, const char *org_slug,
    const char *redirect_uri, const char *next, time_t now)
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	char nonce[SESSION_TOKEN_LEN], verifier[SESSION_TOKEN_LEN], challenge[SESSION_TOKEN_LEN];
	json_t *cfg = NULL, *disc = NULL;
	struct oidc_login_row save;
	struct buf u = BUF_INIT;
	int64_t org_id = 0;
	int rc;

	*url = NULL;
	state[0] = '\0';
	if (org_slug == NULL || !str_is_slug(org_slug) ||
	    db_query_int64_text(&org_id, db, "SELECT id FROM orgs WHERE slug = ?", org_slug) != 0)
		return aims_error_set(AIMS_ENOTFOUND, "org", "no organisation '%s' with single "
		    "sign-on", org_slug != NULL ? org_slug : "");
	if ((rc = oidc_config_get(&cfg, db, org_id)) != 0)
		return aims_error_set(AIMS_ENOTFOUND, "org", "no organisation '%s' with single "
		    "sign-on", org_slug);
	if ((rc = oidc_discover(&disc, json_string_value(json_object_get(cfg, "issuer")))) != 0)
		goto done;
	session_random_token(state);
	session_random_token(nonce);
	session_random_token(verifier);
	crypto_hash_sha256(hash, (const unsigned char *)verifier, strlen(verifier));
	oidc_b64url_encode(challenge, sizeof(challenge), hash, sizeof(hash));
	session_hash_token(hash, state);
	save = (struct oidc_login_row){ hash, org_id, nonce, verifier, redirect_uri, next, now };
	if ((rc = db_write_via(db, 0, oidc_login_save, &save)) != 0)
		goto done;
	buf_puts(&u, json_string_value(json_object_get(disc, "authorization_endpoint")));
	html_url_query(&u, "response_type", "code");
	html_url_query(&u, "client_id", json_string_value(json_object_get(cfg, "client_id")));
	html_url_query(&u, "redirect_uri", redirect_uri);
	html_url_query(&u, "scope", OIDC_SCOPE);
	html_url_query(&u, "state", state);
	html_url_query(&u, "nonce", nonce);
	html_url_query(&u, "code_challenge", challenge);
	html_url_query(&u, "code_challenge_method", "S256");
	*url = buf_detach(&u);
done:
	buf_free(&u);
	json_decref(cfg);
	json_decref(disc);
	sodium_memzero(verifier, sizeof(verifier));
	if (rc != 0)
		sodium_memzero(state, OIDC_STATE_LEN);
	return rc;
}

/* ---- the ID token ------------------------------------------------------- */

void
oidc_jwt_free(struct oidc_jwt *jwt)
{
	json_decref(jwt->header);
	json_decref(jwt->payload);
	free(jwt->signed_part);
	free(jwt->sig);
	memset(jwt, 0, sizeof(*jwt));
}

static json_t *
oidc_b64url_json(const char *s, size_t n)
{
	unsigned char *bin = NULL;
	json_error_t jerr;
	json_t *j = NULL;
	size_t len = 0;

	if (oidc_b64url(&bin, &len, s, n) != 0)
		return NULL;
	j = json_loadb((const char *)bin, len, JSON_REJECT_DUPLICATES, &jerr);
	free(bin);
	if (!json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

int
oidc_jwt_parse(struct oidc_jwt *out, const char *text)
{
	const char *dot1, *dot2;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (text == NULL || (n = strlen(text)) == 0 || n > OIDC_JWT_MAX)
		return aims_error_set(AIMS_EUNAUTH, "id_token", "no ID token, or one too long");
	if ((dot1 = strchr(text, '.')) == NULL || (dot2 = strchr(dot1 + 1, '.')) == NULL ||
	    strchr(dot2 + 1, '.') != NULL)
		return aims_error_set(AIMS_EUNAUTH, "id_token", "the ID token is not a compact JWS "
		    "(three parts)");
	if ((out->header = oidc_b64url_json(text, (size_t)(dot1 - text))) == NULL ||
	    (out->payload = oidc_b64url_json(dot1 + 1, (size_t)(dot2 - dot1 - 1))) == NULL)
		return aims_error_set(AIMS_EUNAUTH, "id_token", "the ID token's header or claims "
		    "are not a JSON object");
	if (oidc_b64url(&out->sig, &out->sig_len, dot2 + 1, strlen(dot2 + 1)) != 0)
		return aims_error_set(AIMS_EUNAUTH, "id_token", "the ID token's signature is not "
		    "base64url");
	out->signed_len = (size_t)(dot2 - text);
	out->signed_part = strndup(text, out->signed_len);
	return out->signed_part != NULL ? 0 : aims_error_set(AIMS_ERROR, NULL, "out of memory");
}

/* A member of the JWK as bytes (base64url); NULL when absent or bad. */
static unsigned char *
oidc_jwk_bytes(size_t *len, const json_t *jwk, const char *name)
{
	const char *s = json_string_value(json_object_get(jwk, name));
	unsigned char *bin = NULL;

	if (s == NULL || oidc_b64url(&bin, len, s, strlen(s)) != 0)
		return NULL;
	return bin;
}

static EVP_PKEY *
oidc_jwk_rsa(const json_t *jwk)
{
	unsigned char *n = NULL, *e = NULL;
	size_t nlen = 0, elen = 0;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	BIGNUM *bn = NULL, *be = NULL;

	if ((n = oidc_jwk_bytes(&nlen, jwk, "n")) == NULL ||
	    (e = oidc_jwk_bytes(&elen, jwk, "e")) == NULL || nlen * 8 < OIDC_RSA_MIN_BITS)
		goto done;
	bn = BN_bin2bn(n, (int)nlen, NULL);
	be = BN_bin2bn(e, (int)elen, NULL);
	if (bn == NULL || be == NULL || (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
		key = NULL;
done:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn);
	BN_free(be);
	free(n);
	free(e);
	return key;
}

static EVP_PKEY *
oidc_jwk_p256(const json_t *jwk)
{
	unsigned char *x = NULL, *y = NULL, pub[1 + 2 * OIDC_P256_COORD];
	size_t xlen = 0, ylen = 0;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	const char *crv = json_string_value(json_object_get(jwk, "crv"));

	if (crv == NULL || strcmp(crv, "P-256") != 0 ||
	    (x = oidc_jwk_bytes(&xlen, jwk, "x")) == NULL ||
	    (y = oidc_jwk_bytes(&ylen, jwk, "y")) == NULL ||
	    xlen != OIDC_P256_COORD || ylen != OIDC_P256_COORD)
		goto done;
	pub[0] = 0x04;		/* uncompressed point */
	memcpy(pub + 1, x, OIDC_P256_COORD);
	memcpy(pub + 1 + OIDC_P256_COORD, y, OIDC_P256_COORD);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub)) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
		key = NULL;
done:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	free(x);
	free(y);
	return key;
}

/* ES256's raw r || s as the DER ECDSA-Sig-Value libcrypto verifies; *der caller frees. */
static int
oidc_es256_der(unsigned char **der, int *len, const unsigned char *sig, size_t n)
{
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;

	*der = NULL;
	*len = 0;
	if (n != 2 * OIDC_P256_COORD || (es = ECDSA_SIG_new()) == NULL)
		return -1;
	r = BN_bin2bn(sig, OIDC_P256_COORD, NULL);
	s = BN_bin2bn(sig + OIDC_P256_COORD, OIDC_P256_COORD, NULL);
	if (r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return -1;
	}
	*len = i2d_ECDSA_SIG(es, der);
	ECDSA_SIG_free(es);
	return *len > 0 ? 0 : -1;
}

/* The key of jwks for alg (kty RSA or EC) with kid (any when the token names none). */
static const json_t *
oidc_jwks_find(const json_t *jwks, const char *kty, const char *kid)
{
	const json_t *k, *found = NULL;
	const char *use, *kk;
	size_t i, n = 0;

	json_array_foreach(json_object_get(jwks, "keys"), i, k) {
		if (!json_is_string(json_object_get(k, "kty")) ||
		    strcmp(json_string_value(json_object_get(k, "kty")), kty) != 0)
			continue;
		if ((use = json_string_value(json_object_get(k, "use"))) != NULL &&
		    strcmp(use, "sig") != 0)
			continue;
		kk = json_string_value(json_object_get(k, "kid"));
		if (kid != NULL && (kk == NULL || strcmp(kk, kid) != 0))
			continue;
		found = k;
		n++;
	}
	/* Without a kid, only an unambiguous key will do. */
	return n == 1 || (kid != NULL && found != NULL) ? found : NULL;
}

int
oidc_jwt_verify(const struct oidc_jwt *jwt, const json_t *jwks)
{
	const char *alg = json_string_value(json_object_get(jwt->header, "alg"));
	const char *kid = json_string_value(json_object_get(jwt->header, "kid"));
	const unsigned char *sig = jwt->sig;
	unsigned char *der = NULL;
	EVP_MD_CTX *md = NULL;
	EVP_PKEY *key = NULL;
	const json_t *jwk;
	size_t sig_len = jwt->sig_len;
	int dlen = 0, ok = 0;
	bool es;

	if (alg == NULL || (strcmp(alg, "RS256") != 0 && strcmp(alg, "ES256") != 0))
		return aims_error_set(AIMS_EUNAUTH, "id_token", "the ID token's algorithm (%s) is "
		    "not RS256 or ES256", alg != NULL ? alg : "none");
	es = strcmp(alg, "ES256") == 0;
	if ((jwk = oidc_jwks_find(jwks, es ? "EC" : "RSA", kid)) == NULL)
		return aims_error_set(AIMS_EUNAUTH, "id_token", "the provider publishes no key %s "
		    "for the ID token", kid != NULL ? kid : "(unnamed)");
	if ((key = es ? oidc_jwk_p256(jwk) : oidc_jwk_rsa(jwk)) == NULL)
		return aims_error_set(AIMS_EUNAUTH, "id_token", "the provider's key %s is not a "
		    "usable %s key", kid != NULL ? kid : "", es ? "P-256" : "RSA (2048 bits or more)");
	if (es) {
		if (oidc_es256_der(&der, &dlen, jwt->sig, jwt->sig_len) != 0)
			goto done;
		sig = der;
		sig_len = (size_t)dlen;
	}
	if ((md = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
	    EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)jwt->signed_part,
	    jwt->signed_len) == 1)
		ok = 1;
done:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	OPENSSL_free(der);
	return ok ? 0 : aims_error_set(AIMS_EUNAUTH, "id_token", "the ID token's signature "
	    "does not verify");
}

/* OpenID Connect Core 3.1.3.7: who issued it, for whom, when, for which sign-in. */
static int
oidc_claims_check(const json_t *c, const char *issuer, const char *client_id, const char *nonce,
    time_t now)
{
	const json_t *aud = json_object_get(c, "aud"), *a;
	const char *azp = json_string_value(json_object_get(c, "azp"));
	const char *iss = json_string_value(json_object_get(c, "iss"));
	const char *n = json_string_value(json_object_get(c, "nonce"));
	json_int_t exp = json_integer_value(json_object_get(c, "exp"));
	json_int_t iat = json_integer_value(json_object_get(c, "iat"));
	bool for_us = false;
	size_t i;

	if (iss == NULL || strcmp(iss, issuer) != 0)
		return aims_error_set(AIMS_EUNAUTH, "iss", "the ID token was issued by another "
		    "provider");
	if (json_is_string(aud))
		for_us = strcmp(json_string_value(aud), client_id) == 0;
	json_array_foreach(aud, i, a)
		if (json_is_string(a) && strcmp(json_string_value(a), client_id) == 0)
			for_us = true;
	if (!for_us || (json_array_size(aud) > 1 && (azp == NULL || strcmp(azp, client_id) != 0)))
		return aims_error_set(AIMS_EUNAUTH, "aud", "the ID token is for another client");
	if (!json_is_integer(json_object_get(c, "exp")) || exp + OIDC_LEEWAY_SEC <= (json_int_t)now)
		return aims_error_set(AIMS_EUNAUTH, "exp", "the ID token has expired");
	if (!json_is_integer(json_object_get(c, "iat")) || iat > (json_int_t)now + OIDC_LEEWAY_SEC)
		return aims_error_set(AIMS_EUNAUTH, "iat", "the ID token is issued in the future");
	if (n == NULL || strlen(n) != strlen(nonce) || sodium_memcmp(n, nonce, strlen(nonce)) != 0)
		return aims_error_set(AIMS_EUNAUTH, "nonce", "the ID token is not for this sign-in "
		    "(nonce)");
	return 0;
}

/* ---- completing a sign-in ------------------------------------------------- */

struct oidc_login {
	int64_t	 org_id;
	char	 nonce[SESSION_TOKEN_LEN];
	char	 verifier[SESSION_TOKEN_LEN];
	char	*redirect_uri;
	char	*next;
};

/* Its state row taken (once), before the provider is asked: see oidc_login_take(). */
struct oidc_take {
	struct oidc_login	*l;
	unsigned char		 hash[crypto_hash_sha256_BYTES];
	time_t			 now;
};

static int
oidc_login_take_apply(struct db *db, void *arg)
{
	struct oidc_take *t = arg;
	struct oidc_login *l = t->l;
	struct db_stmt *st = NULL;
	int rc;

	if ((rc = db_prepare(&st, db, "DELETE FROM sso_logins WHERE state_hash = ? AND "
	    "expires_at > ? RETURNING org_id, nonce, verifier, redirect_uri, next")) != 0)
		return rc;
	db_bind_blob(st, 1, t->hash, sizeof(t->hash));
	db_bind_int64(st, 2, (int64_t)t->now);
	rc = db_step(st);
	if (rc == DB_ROW) {
		l->org_id = db_column_int64(st, 0);
		snprintf(l->nonce, sizeof(l->nonce), "%s", db_column_text(st, 1));
		snprintf(l->verifier, sizeof(l->verifier), "%s", db_column_text(st, 2));
		l->redirect_uri = strdup(db_column_text(st, 3));
		l->next = strdup(db_column_text(st, 4));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = aims_error_set(AIMS_EUNAUTH, "state", "this sign-in is unknown, was used or "
		    "has expired (state)");
	db_done(st);
	return rc;
}

/* The sign-in state names, taken so that it serves once; a change (db_write_via). */
static int
oidc_login_take(struct oidc_login *l, struct db *db, const char *state, time_t now)
{
	struct oidc_take t = { .l = l, .now = now };
	int rc;

	memset(l, 0, sizeof(*l));
	if (state == NULL || strlen(state) != OIDC_STATE_LEN - 1)
		return aims_error_set(AIMS_EUNAUTH, "state", "this sign-in is unknown or has "
		    "expired (state)");
	session_hash_token(t.hash, state);
	if ((rc = db_write_via(db, 0, oidc_login_take_apply, &t)) != 0) {
		/* Read, then undone with its group: nothing was taken. */
		free(l->redirect_uri);
		free(l->next);
		sodium_memzero(l, sizeof(*l));
	}
	return rc;
}

static void
oidc_form_add(struct buf *b, const char *name, const char *value)
{
	if (b->len > 0)
		buf_putc(b, '&');
	html_url_escape(b, name);
	buf_putc(b, '=');
	html_url_escape(b, value);
}

/* Exchanges the code at the token endpoint; *id_token caller frees. */
static int
oidc_exchange(char **id_token, const json_t *disc, const json_t *cfg, const char *secret,
    const struct oidc_login *l, const char *code)
{
	struct buf body = BUF_INIT, answer = BUF_INIT;
	json_t *tok = NULL;
	json_error_t jerr;
	long status = 0;
	const char *s;
	int rc;

	*id_token = NULL;
	if (code == NULL || *code == '\0' || strlen(code) > OIDC_URL_MAX)
		return aims_error_set(AIMS_EUNAUTH, "code", "the provider sent no code");
	oidc_form_add(&body, "grant_type", "authorization_code");
	oidc_form_add(&body, "code", code);
	oidc_form_add(&body, "redirect_uri", l->redirect_uri);
	oidc_form_add(&body, "code_verifier", l->verifier);
	rc = fetch_post_form(&answer, &status, json_string_value(json_object_get(disc,
	    "token_endpoint")), buf_str(&body), json_string_value(json_object_get(cfg,
	    "client_id")), secret);
	buf_free(&body);
	if (rc != 0) {
		buf_free(&answer);
		return aims_error_set(AIMS_EUNAUTH, "sso", "the provider's token endpoint could not "
		    "be reached: %s", aims_error_message());
	}
	tok = json_loadb(answer.data != NULL ? answer.data : "", answer.len, 0, &jerr);
	buf_free(&answer);
	if (status != 200 || (s = json_string_value(json_object_get(tok, "id_token"))) == NULL) {
		rc = aims_error_set(AIMS_EUNAUTH, "code", "the provider did not exchange the code "
		    "(HTTP %ld%s%s)", status, json_is_string(json_object_get(tok, "error")) ?
		    ": " : "", json_is_string(json_object_get(tok, "error")) ?
		    json_string_value(json_object_get(tok, "error")) : "");
		json_decref(tok);
		return rc;
	}
	*id_token = strdup(s);
	json_decref(tok);
	return 0;
}

/* The enabled account of the token's verified e-mail that belongs to org_id. */
static int
oidc_account(int64_t *user_id, struct db *db, int64_t org_id, const json_t *claims)
{
	const char *email = json_string_value(json_object_get(claims, "email"));
	json_t *u = NULL;
	enum role role;
	char *lower;
	int rc;

	if (email == NULL || !str_is_email(email))
		return aims_error_set(AIMS_EUNAUTH, "email", "the provider gave no e-mail address: "
		    "allow the \"email\" scope for this client");
	if (!json_is_true(json_object_get(claims, "email_verified")))
		return aims_error_set(AIMS_EUNAUTH, "email_verified", "the provider has not "
		    "verified %s: accounts are linked by verified address only", email);
	lower = str_lower(email);
	rc = user_id_by_email(user_id, db, lower);
	if (rc == 0 && (rc = user_get(&u, db, *user_id)) == 0 &&
	    json_is_true(json_object_get(u, "disabled")))
		rc = AIMS_ENOTFOUND;
	if (rc == 0)
		rc = member_role(&role, db, org_id, *user_id);
	json_decref(u);
	if (rc == AIMS_ENOTFOUND)
		rc = aims_error_set(AIMS_EUNAUTH, "email", "the address %s is not a member of "
		    "this organisation here: ask an administrator to invite it", lower);
	free(lower);
	return rc;
}

int
oidc_finish(int64_t *user_id, char **org_slug, char **next, struct db *db, const char *state,
    const char *code, time_t now)
{
	struct oidc_login l;
	struct oidc_jwt jwt = { 0 };
	json_t *cfg = NULL, *disc = NULL, *jwks = NULL, *org = NULL;
	char *secret = NULL, *id_token = NULL;
	int rc;

	*user_id = 0;
	*org_slug = *next = NULL;
	if ((rc = oidc_login_take(&l, db, state, now)) != 0)
		return rc;
	if ((rc = oidc_config_get(&cfg, db, l.org_id)) != 0 ||
	    (rc = oidc_secret(&secret, db, l.org_id)) != 0 ||
	    (rc = oidc_discover(&disc, json_string_value(json_object_get(cfg, "issuer")))) != 0 ||
	    (rc = oidc_exchange(&id_token, disc, cfg, secret, &l, code)) != 0 ||
	    (rc = oidc_jwt_parse(&jwt, id_token)) != 0 ||
	    (rc = oidc_get_json(&jwks, json_string_value(json_object_get(disc, "jwks_uri")),
	    "keys (JWKS)")) != 0 ||
	    (rc = oidc_jwt_verify(&jwt, jwks)) != 0 ||
	    (rc = oidc_claims_check(jwt.payload, json_string_value(json_object_get(cfg,
	    "issuer")), json_string_value(json_object_get(cfg, "client_id")), l.nonce, now)) != 0 ||
	    (rc = oidc_account(user_id, db, l.org_id, jwt.payload)) != 0 ||
	    (rc = org_get(&org, db, l.org_id)) != 0)
		goto done;
	*org_slug = strdup(json_string_value(json_object_get(org, "slug")));
	*next = l.next;
	l.next = NULL;
done:
	if (rc != 0)
		*user_id = 0;
	oidc_jwt_free(&jwt);
	json_decref(cfg);
	json_decref(disc);
	json_decref(jwks);
	json_decref(org);
	if (secret != NULL) {
		sodium_memzero(secret, strlen(secret));
		free(secret);
	}
	free(id_token);
	free(l.redirect_uri);
	free(l.next);
	sodium_memzero(&l, sizeof(l));
	return rc;
}
