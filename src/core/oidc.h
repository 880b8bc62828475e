/*
 * oidc.h - OpenID Connect sign-in, configured per organisation: the
 * authorization code flow with PKCE (S256), a state that binds the answer
 * to the browser that asked and works once, a nonce the ID token must
 * carry, and the ID token checked before anything is believed: its
 * signature (RS256 or ES256, with the provider's key from its JWKS; "none"
 * and shared-secret algorithms are refused), issuer, audience (and azp),
 * expiry and issue time. The provider's endpoints come from its discovery
 * document, whose issuer must be the one configured.
 *
 * Accounts are linked by verified e-mail only: the ID token's email with
 * email_verified true must be the address of an enabled account that is a
 * member of the organisation. Nobody is created or added by signing in.
 */
#ifndef AIMS_CORE_OIDC_H
#define AIMS_CORE_OIDC_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "core/actor.h"
#include "core/session.h"

struct db;

#define OIDC_URL_MAX		2048
#define OIDC_FIELD_MAX		512	/* issuer, client id, client secret */
#define OIDC_LOGIN_SEC		600	/* time to come back from the provider */
#define OIDC_LEEWAY_SEC		120	/* clock difference tolerated on exp and iat */
#define OIDC_STATE_LEN		SESSION_TOKEN_LEN
#define OIDC_JWT_MAX		16384	/* an ID token longer than this is refused */

/* The organisation's provider: {issuer, client_id}; AIMS_ENOTFOUND when none. */
int oidc_config_get(json_t **out, struct db *db, int64_t org_id);
/*
 * Sets (issuer non-empty) or removes (issuer empty or NULL) the provider of
 * org_id; a ledgered change of the organisation. client_secret empty or
 * NULL keeps the stored one. The issuer is an https:// URL (http:// only
 * for a loopback address, a provider on the same machine).
 */
int oidc_config_set(struct db *db, const struct actor *actor, int64_t org_id,
    const char *issuer, const char *client_id, const char *client_secret);
/* Adds the provider to the organisation's ledger state (nothing when none). */
int oidc_ledger_state(json_t *state, struct db *db, int64_t org_id);

/*
 * Starts a sign-in to org_slug: *url (caller frees) is the provider's
 * authorization URL to send the browser to, state the value to bind to it
 * (a cookie). redirect_uri: this server's callback; next: a local path to
 * go to afterwards (may be NULL).
 */
int oidc_begin(char **url, char state[OIDC_STATE_LEN], struct db *db, const char *org_slug,
    const char *redirect_uri, const char *next, time_t now);
/*
 * Completes it: takes the sign-in of state (once), exchanges code for the
 * tokens, checks the ID token and finds the account. *user_id, *org_slug
 * and *next (caller frees both) on success; AIMS_EUNAUTH naming what did
 * not check otherwise.
 */
int oidc_finish(int64_t *user_id, char **org_slug, char **next, struct db *db,
    const char *state, const char *code, time_t now);

/*
 * A compact JWS split and decoded, not yet trusted: header and payload as
 * JSON, the signed input ("header.payload") and the signature bytes.
 */
struct oidc_jwt {
	json_t		*header;
	json_t		*payload;
	char		*signed_part;
	size_t		 signed_len;
	unsigned char	*sig;
	size_t		 sig_len;
};
/* Parses text; AIMS_EUNAUTH naming what is malformed. oidc_jwt_free() in every case. */
int oidc_jwt_parse(struct oidc_jwt *out, const char *text);
void oidc_jwt_free(struct oidc_jwt *jwt);
/* Checks jwt's signature with the key of jwks ({keys:[JWK]}) it names; AIMS_EUNAUTH if not. */
int oidc_jwt_verify(const struct oidc_jwt *jwt, const json_t *jwks);

#endif
