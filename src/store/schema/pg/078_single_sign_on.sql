-- pg/078_single_sign_on.sql: the PostgreSQL form of 078 (identity keys, BYTEA, BIGINT).
-- 078_single_sign_on.sql: OpenID Connect sign-in configured per organisation,
-- and the sign-ins under way (authorization code flow with PKCE).

-- The organisation's OpenID provider. client_secret is sent to the provider's
-- token endpoint, so it is kept as given; the ledger commits to its SHA-256.
CREATE TABLE org_sso (
	org_id		BIGINT PRIMARY KEY REFERENCES orgs(id),
	issuer		TEXT NOT NULL,
	client_id	TEXT NOT NULL,
	client_secret	TEXT NOT NULL
);

-- A sign-in sent to the provider: state (only its SHA-256 is the key), the
-- nonce the ID token must carry, the PKCE verifier, where to go afterwards.
-- Taken (deleted) by the callback: a state works once.
CREATE TABLE sso_logins (
	state_hash	BYTEA PRIMARY KEY,
	org_id		BIGINT NOT NULL REFERENCES orgs(id),
	nonce		TEXT NOT NULL,
	verifier	TEXT NOT NULL,
	redirect_uri	TEXT NOT NULL,
	next		TEXT NOT NULL DEFAULT '',
	expires_at	BIGINT NOT NULL
);
CREATE INDEX sso_logins_expiry ON sso_logins(expires_at);
