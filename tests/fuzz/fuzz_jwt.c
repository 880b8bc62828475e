/*
 * fuzz_jwt.c - libFuzzer harness for the ID token parser of single sign-on
 * (src/core/oidc.c): the input as a compact JWS, parsed and checked against
 * a fixed JWKS (an RSA and a P-256 key); and the input as a JWKS, against
 * which fixed RS256 and ES256 tokens are checked (the JWK to key path).
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/oidc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_jwks[] =
    "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"zdRU9W_lnJGeOR2qCmkXpSrXazN3UCIS99Kqy9pxv8ts5U3rV"
    "A0kk-1vUD-1_ZYrOin2arQMHqN8IDo04PP8nUNtjpo0SJqDzR2R_1dKDHBDZflcXNGUZDdrsfA_7"
    "FaY_szmVPMH3L-7zH1GGMwJl5zaMVb2f-zYDEHATSa59zjUrjjiAqViWNJWNK1dVmUWTiIHvrxjD"
    "63wrG6a_CYIXDUFdyRe5CIL7uaD-oY2GoMMA-kaDVnb45rjZ3g4-IxDEU-DziN_mAYhtFww06RAb"
    "T0N-ObBHRZdwdENhHnSqIeUzDPqQ12AQ77_LRGGibyngTWeIXEVY5O96KJsutO7WQ\",\"e\":\"AQAB"
    "\",\"kid\":\"r\"},{\"kty\":\"EC\",\"x\":\"SLVKp47RDfq1_YJIaAe-eQsXfBgbalz8cXNo76A-4OQ\",\""
    "y\":\"gI9Cx5DDvMsNqzmheLH7BnKMkCPh-1MDjgfnTap-Nk0\",\"crv\":\"P-256\",\"kid\":\"e\"}]}";
static const char *const fuzz_tokens[] = {
	    "eyJhbGciOiJSUzI1NiIsImtpZCI6InIifQ.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlIiwiY"
	    "XVkIjoiYWltcyIsIm5vbmNlIjoibiIsImV4cCI6MjAwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwL"
	    "CJlbWFpbCI6ImFAZXhhbXBsZS5jb20iLCJlbWFpbF92ZXJpZmllZCI6dHJ1ZX0.nmVtftycNuTXp"
	    "U9E_Q1JBtBJ4Svh-A11pYGusoWtQbkizJlKBOCHeflLVLj_uheVNdubDKb5B_zQadym75ggAuubG"
	    "gOfrh-Ml5lJcOqEf9Npto_vQeGYe1WTQ5kqKmpXAln8f7mi3ZKbSiEmDOGeQN06nwLokBmcGjx4C"
	    "SmZMtfAi6JbX0lVc6Bihq1XbFb-T4gOyw0aVJUrruat2g4YM-C_MZBSX_wdTFe74QYD4aweN5bFB"
	    "ZKrAT4dRBBW7vlZhwNdVF5AR3bsR5ddueayZyKMIt1YHkOcfxIKQSZjA4EQjP2JZN3AitAbQ3_ez"
	    "RMMg9OahZyDs4DiR9x9By_kJA",
	    "eyJhbGciOiJFUzI1NiIsImtpZCI6ImUifQ.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlIiwiY"
	    "XVkIjoiYWltcyIsIm5vbmNlIjoibiIsImV4cCI6MjAwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwL"
	    "CJlbWFpbCI6ImFAZXhhbXBsZS5jb20iLCJlbWFpbF92ZXJpZmllZCI6dHJ1ZX0.fz97tkkJ8yQVz"
	    "kq7nHTGmeGsxB-7qN3VznK6iqMw_IHzvV7SgNyQBcrKEDaSmmKt1O_aPYYPvgOHNfao1y-7FA",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *jwks;
	struct oidc_jwt jwt;
	json_error_t err;
	json_t *keys;
	char *text;
	size_t i;

	if (jwks == NULL && (jwks = json_loads(fuzz_jwks, 0, &err)) == NULL)
		abort();
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (oidc_jwt_parse(&jwt, text) == 0)
		oidc_jwt_verify(&jwt, jwks);
	oidc_jwt_free(&jwt);
	if ((keys = json_loadb((const char *)data, size, 0, &err)) != NULL) {
		for (i = 0; i < sizeof(fuzz_tokens) / sizeof(fuzz_tokens[0]); i++) {
			if (oidc_jwt_parse(&jwt, fuzz_tokens[i]) == 0)
				oidc_jwt_verify(&jwt, keys);
			oidc_jwt_free(&jwt);
		}
		json_decref(keys);
	}
	free(text);
	return 0;
}
