/*
 * test_oidc.c - unit tests for src/core/oidc.c: the compact JWS parser and
 * the RS256 / ES256 signature checks against a JWKS, with keys made here by
 * OpenSSL; and the provider settings (checked, ledgered, secret kept).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "core/oidc.h"
#include "core/org.h"
#include "testutil.h"

static char *
b64u(const unsigned char *bin, size_t n)
{
	size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = malloc(len);

	sodium_bin2base64(out, len, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

static char *
b64u_bn(EVP_PKEY *key, const char *param)
{
	BIGNUM *bn = NULL;
	unsigned char buf[1024];
	int n;

	assert_int_equal(EVP_PKEY_get_bn_param(key, param, &bn), 1);
	n = BN_bn2bin(bn, buf);
	BN_free(bn);
	return b64u(buf, (size_t)n);
}

/* A JWKS holding the public halves of rsa (kid "r") and ec (kid "e"). */
static json_t *
jwks_of(EVP_PKEY *rsa, EVP_PKEY *ec)
{
	unsigned char pub[65];
	size_t len = 0;
	char *n = b64u_bn(rsa, OSSL_PKEY_PARAM_RSA_N), *e = b64u_bn(rsa, OSSL_PKEY_PARAM_RSA_E);
	char *x, *y;
	json_t *j;

	assert_int_equal(EVP_PKEY_get_octet_string_param(ec, OSSL_PKEY_PARAM_PUB_KEY, pub,
	    sizeof(pub), &len), 1);
	assert_int_equal(len, 65);
	x = b64u(pub + 1, 32);
	y = b64u(pub + 33, 32);
	j = json_pack("{s:[{s:s, s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s, s:s, s:s}]}", "keys",
	    "kty", "RSA", "kid", "r", "use", "sig", "n", n, "e", e,
	    "kty", "EC", "kid", "e", "use", "sig", "crv", "P-256", "x", x, "y", y);
	free(n);
	free(e);
	free(x);
	free(y);
	return j;
}

/* header.payload.signature, signed with key as alg ("RS256", "ES256"). */
static char *
jws(const char *alg, const char *kid, const char *payload, EVP_PKEY *key)
{
	char header[128], *h, *p, *s, *out;
	unsigned char sig[512], raw[64];
	size_t sig_len = sizeof(sig), n;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	const unsigned char *q;
	ECDSA_SIG *es;

	snprintf(header, sizeof(header), "{\"alg\":\"%s\",\"kid\":\"%s\"}", alg, kid);
	h = b64u((const unsigned char *)header, strlen(header));
	p = b64u((const unsigned char *)payload, strlen(payload));
	n = strlen(h) + strlen(p) + 2;
	out = malloc(n + 200);
	snprintf(out, n, "%s.%s", h, p);
	assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key), 1);
	assert_int_equal(EVP_DigestSign(md, sig, &sig_len, (unsigned char *)out, strlen(out)), 1);
	EVP_MD_CTX_free(md);
	if (strcmp(alg, "ES256") == 0) {	/* DER to the raw r || s of JWS */
		q = sig;
		es = d2i_ECDSA_SIG(NULL, &q, (long)sig_len);
		BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32);
		BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32);
		ECDSA_SIG_free(es);
		s = b64u(raw, 64);
	} else
		s = b64u(sig, sig_len);
	out = realloc(out, strlen(out) + strlen(s) + 2);
	strcat(out, ".");
	strcat(out, s);
	free(h);
	free(p);
	free(s);
	return out;
}

static void
test_oidc__jwt_parse_refuses_malformed(void **state)
{
	struct oidc_jwt j;

	(void)state;
	assert_int_equal(oidc_jwt_parse(&j, NULL), AIMS_EUNAUTH);
	oidc_jwt_free(&j);
	assert_int_equal(oidc_jwt_parse(&j, "a.b"), AIMS_EUNAUTH);
	oidc_jwt_free(&j);
	assert_int_equal(oidc_jwt_parse(&j, "a.b.c.d"), AIMS_EUNAUTH);
	oidc_jwt_free(&j);
	/* {"alg":"RS256"} . [] (not an object) . sig */
	assert_int_equal(oidc_jwt_parse(&j, "eyJhbGciOiJSUzI1NiJ9.W10.c2ln"), AIMS_EUNAUTH);
	oidc_jwt_free(&j);
	assert_int_equal(oidc_jwt_parse(&j, "eyJhbGciOiJSUzI1NiJ9.e30.!!"), AIMS_EUNAUTH);
	oidc_jwt_free(&j);
	assert_int_equal(oidc_jwt_parse(&j, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), 0);
	assert_string_equal(json_string_value(json_object_get(j.header, "alg")), "RS256");
	assert_int_equal(j.sig_len, 3);
	assert_int_equal(j.signed_len, strlen("eyJhbGciOiJSUzI1NiJ9.e30"));
	oidc_jwt_free(&j);
}

static void
test_oidc__signatures(void **state)
{
	EVP_PKEY *rsa = EVP_RSA_gen(2048), *ec = EVP_EC_gen("P-256"), *rsa2 = EVP_RSA_gen(2048);
	json_t *jwks = jwks_of(rsa, ec);
	const char *claims = "{\"iss\":\"https://idp.example\",\"nonce\":\"n\"}";
	char *rs = jws("RS256", "r", claims, rsa), *es = jws("ES256", "e", claims, ec);
	char *other = jws("RS256", "r", claims, rsa2), *unknown = jws("RS256", "zz", claims, rsa);
	char *mixed = jws("ES256", "r", claims, ec), *tampered = malloc(strlen(rs) + 64), *dot;
	const char *evil = "{\"iss\":\"https://evil.example\"}";
	char *forged;
	struct oidc_jwt j;

	(void)state;
	assert_int_equal(oidc_jwt_parse(&j, rs), 0);
	assert_int_equal(oidc_jwt_verify(&j, jwks), 0);
	oidc_jwt_free(&j);
	assert_int_equal(oidc_jwt_parse(&j, es), 0);
	assert_int_equal(oidc_jwt_verify(&j, jwks), 0);
	oidc_jwt_free(&j);
	assert_int_equal(oidc_jwt_parse(&j, other), 0);
	assert_int_equal(oidc_jwt_verify(&j, jwks), AIMS_EUNAUTH);
	oidc_jwt_free(&j);
	assert_int_equal(oidc_jwt_parse(&j, unknown), 0);
	assert_int_equal(oidc_jwt_verify(&j, jwks), AIMS_EUNAUTH);
	assert_non_null(strstr(aims_error_message(), "no key zz"));
	oidc_jwt_free(&j);
	/* An EC signature presented under the RSA key's id finds no EC key "r". */
	assert_int_equal(oidc_jwt_parse(&j, mixed), 0);
	assert_int_equal(oidc_jwt_verify(&j, jwks), AIMS_EUNAUTH);
	oidc_jwt_free(&j);
	/* Other claims under the same header and signature. */
	forged = b64u((const unsigned char *)evil, strlen(evil));
	dot = strchr(rs, '.');
	snprintf(tampered, strlen(rs) + 64, "%.*s.%s%s", (int)(dot - rs), rs, forged,
	    strchr(dot + 1, '.'));
	assert_int_equal(oidc_jwt_parse(&j, tampered), 0);
	assert_string_equal(json_string_value(json_object_get(j.payload, "iss")),
	    "https://evil.example");
	assert_int_equal(oidc_jwt_verify(&j, jwks), AIMS_EUNAUTH);
	oidc_jwt_free(&j);
	/* alg none and HS256 are refused whatever the signature. */
	assert_int_equal(oidc_jwt_parse(&j, "eyJhbGciOiJub25lIn0.e30.c2ln"), 0);
	assert_int_equal(oidc_jwt_verify(&j, jwks), AIMS_EUNAUTH);
	assert_non_null(strstr(aims_error_message(), "(none)"));
	oidc_jwt_free(&j);
	assert_int_equal(oidc_jwt_parse(&j, "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"), 0);
	assert_int_equal(oidc_jwt_verify(&j, jwks), AIMS_EUNAUTH);
	oidc_jwt_free(&j);
	free(rs);
	free(es);
	free(other);
	free(unknown);
	free(mixed);
	free(tampered);
	free(forged);
	json_decref(jwks);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(rsa2);
	EVP_PKEY_free(ec);
}

static void
test_oidc__config(void **state)
{
	struct actor cli = ACTOR_CLI;
	struct db *db = NULL;
	json_t *cfg = NULL, *st = NULL;
	int64_t org = 0;
	char *dump;

	(void)state;
	assert_int_equal(testutil_open_db(&db, "oidc.db"), 0);
	assert_int_equal(org_create(&org, db, &cli, "acme", "Acme"), 0);
	assert_int_equal(oidc_config_get(&cfg, db, org), AIMS_ENOTFOUND);
	assert_int_equal(oidc_config_set(db, &cli, org, "http://idp.example.com", "c", "s"),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "issuer");
	assert_int_equal(oidc_config_set(db, &cli, org, "https://idp.example.com", "", "s"),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "client_id");
	assert_int_equal(oidc_config_set(db, &cli, org, "https://idp.example.com", "c", NULL),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "client_secret");
	assert_int_equal(oidc_config_set(db, &cli, org, "http://127.0.0.1:9", "c", "s3"), 0);
	assert_int_equal(oidc_config_set(db, &cli, org, "https://idp.example.com", "c2", ""), 0);
	assert_int_equal(oidc_config_get(&cfg, db, org), 0);
	assert_string_equal(json_string_value(json_object_get(cfg, "client_id")), "c2");
	assert_null(json_object_get(cfg, "client_secret"));
	json_decref(cfg);
	assert_int_equal(org_ledger_state(&st, db, org), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(st, "sso"),
	    "issuer")), "https://idp.example.com");
	/* The secret kept, committed to by its SHA-256 only. */
	assert_int_equal(strlen(json_string_value(json_object_get(json_object_get(st, "sso"),
	    "client_secret_sha256"))), 64);
	dump = json_dumps(st, 0);
	assert_null(strstr(dump, "\"s3\""));
	free(dump);
	json_decref(st);
	assert_int_equal(oidc_config_set(db, &cli, org, "", NULL, NULL), 0);
	assert_int_equal(oidc_config_get(&cfg, db, org), AIMS_ENOTFOUND);
	assert_int_equal(org_ledger_state(&st, db, org), 0);
	assert_null(json_object_get(st, "sso"));
	json_decref(st);
	testutil_close_db(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oidc__jwt_parse_refuses_malformed),
		cmocka_unit_test(test_oidc__signatures),
		cmocka_unit_test(test_oidc__config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
