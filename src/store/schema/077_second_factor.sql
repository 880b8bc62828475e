-- 077_second_factor.sql: TOTP second factor (RFC 6238), its recovery codes,
-- the pending sign-ins waiting for a code, and the organisation option that
-- requires a second factor of its members.

-- One authenticator per account. secret: the raw key the authenticator app
-- holds (it must be readable to compute codes, so it is not hashed; the
-- ledger commits to its SHA-256, so a swapped key fails `aims verify`).
CREATE TABLE user_totp (
	user_id		INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	secret		BLOB NOT NULL,
	enabled_at	INTEGER,			-- NULL while set up but not yet confirmed
	last_counter	INTEGER NOT NULL DEFAULT -1	-- time step of the last accepted code
);

-- Recovery codes: shown once; only a keyed BLAKE2b hash is kept.
CREATE TABLE totp_recovery_codes (
	id		INTEGER PRIMARY KEY,
	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	code_hash	BLOB NOT NULL UNIQUE,
	used_at		INTEGER
);
CREATE INDEX totp_recovery_codes_user ON totp_recovery_codes(user_id);

-- A password accepted, a code still to come: a random token held in a
-- short-lived cookie; only its SHA-256 is stored.
CREATE TABLE sign_in_challenges (
	token_hash	BLOB PRIMARY KEY,
	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	client_addr	TEXT NOT NULL DEFAULT '',
	expires_at	INTEGER NOT NULL
);

ALTER TABLE orgs ADD COLUMN require_second_factor INTEGER NOT NULL DEFAULT 0;
