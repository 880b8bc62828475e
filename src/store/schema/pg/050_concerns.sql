-- pg/050_concerns.sql: the PostgreSQL form of 050 (BIGINT, BYTEA).
-- organisation's public channel is open, and the report keys: a reporter
-- reads the replies to a concern with the key given when it was sent, and
-- only the key's SHA-256 is kept. Nothing here holds an address: the rate
-- limit of the public form lives in the server's memory (http/budget.h).
CREATE TABLE concern_channels (
	org_id		BIGINT PRIMARY KEY REFERENCES orgs(id),
	open		BIGINT NOT NULL DEFAULT 0,	-- 1: the public form takes reports
	version		BIGINT NOT NULL DEFAULT 1,
	updated_at	TEXT NOT NULL,			-- RFC 3339 UTC
	updated_by	TEXT NOT NULL			-- the actor who opened or closed it
);

CREATE TABLE concern_keys (
	org_id		BIGINT NOT NULL REFERENCES orgs(id),
	ref		TEXT NOT NULL,			-- the concerns record ("CON-3")
	key_hash	BYTEA NOT NULL,			-- SHA-256 of the report key
	PRIMARY KEY (org_id, ref)
);
CREATE UNIQUE INDEX concern_keys_hash ON concern_keys (key_hash);
