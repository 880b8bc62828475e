-- 076_account_links.sql: invitations to join an organisation, and password
-- reset links. Each is a random 256-bit token handed to one address; only
-- its SHA-256 is stored (like sessions), it expires, and it works once:
-- used_at is set by the statement that accepts it. They are credentials,
-- not records: what accepting one does (a user, a membership, a password)
-- is written and ledgered by core/user.c and core/member.c.
CREATE TABLE invites (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	token_hash	BLOB NOT NULL UNIQUE,
	email		TEXT NOT NULL,			-- lower case
	role		TEXT NOT NULL CHECK (role IN ('admin','manager','contributor','auditor','viewer')),
	created_by	INTEGER REFERENCES users(id),	-- NULL: made from the CLI
	created_at	INTEGER NOT NULL,		-- unix seconds
	expires_at	INTEGER NOT NULL,
	used_at		INTEGER,			-- NULL until accepted or withdrawn
	used_by		INTEGER REFERENCES users(id)
);
CREATE INDEX invites_org ON invites(org_id, id);

CREATE TABLE password_resets (
	id		INTEGER PRIMARY KEY,
	token_hash	BLOB NOT NULL UNIQUE,
	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at	INTEGER NOT NULL,
	expires_at	INTEGER NOT NULL,
	used_at		INTEGER
);
CREATE INDEX password_resets_user ON password_resets(user_id);
