-- 004_http.sql: sign-in sessions, API tokens, sign-in throttling, idempotency keys.

-- A session is a random 256-bit token held in a cookie; only its SHA-256 is stored.
CREATE TABLE sessions (
	id		INTEGER PRIMARY KEY,
	token_hash	BLOB NOT NULL UNIQUE,
	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf		TEXT NOT NULL,			-- form token (random, per session)
	created_at	INTEGER NOT NULL,		-- unix seconds
	last_seen	INTEGER NOT NULL,		-- idle expiry counts from here
	expires_at	INTEGER NOT NULL,		-- absolute expiry
	client_addr	TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

-- API tokens for machines: scoped to one organisation and a role; stored hashed.
CREATE TABLE api_tokens (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	name		TEXT NOT NULL,
	token_hash	BLOB NOT NULL UNIQUE,
	hint		TEXT NOT NULL,			-- first characters, to recognise it
	role		TEXT NOT NULL CHECK (role IN ('admin','manager','contributor','auditor','viewer')),
	created_by	INTEGER REFERENCES users(id),
	expires_at	TEXT,				-- RFC 3339 UTC, NULL: never
	last_used_at	TEXT,
	revoked_at	TEXT,
	version		INTEGER NOT NULL DEFAULT 1,
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL
);
CREATE INDEX api_tokens_org ON api_tokens(org_id, id);

-- Failed sign-ins per account ("account:EMAIL") and per client ("addr:IP").
CREATE TABLE login_throttle (
	key		TEXT PRIMARY KEY,
	failures	INTEGER NOT NULL,
	window_start	INTEGER NOT NULL,		-- unix seconds
	blocked_until	INTEGER NOT NULL DEFAULT 0
);

-- Idempotency-Key answers: (org, principal, key) -> the first answer.
CREATE TABLE idempotency_keys (
	org_id		INTEGER NOT NULL,		-- 0 for requests outside an org
	principal	TEXT NOT NULL,
	key		TEXT NOT NULL,
	request_hash	BLOB NOT NULL,
	status		INTEGER NOT NULL DEFAULT 0,	-- 0 while the request runs
	body		TEXT,
	location	TEXT,
	created_at	INTEGER NOT NULL,
	PRIMARY KEY (org_id, principal, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys(created_at);
