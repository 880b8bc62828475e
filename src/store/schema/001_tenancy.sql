-- 001_tenancy.sql: organisations (tenants), users, memberships, reference counters.
CREATE TABLE orgs (
	id		INTEGER PRIMARY KEY,
	slug		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL,
	ai_roles	TEXT NOT NULL DEFAULT '[]',	-- JSON array of ISO/IEC 22989 roles
	version		INTEGER NOT NULL DEFAULT 1,
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL
);

-- Users are instance-wide; what they may do lives in memberships.
CREATE TABLE users (
	id		INTEGER PRIMARY KEY,
	email		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	display_name	TEXT NOT NULL,
	password_hash	TEXT NOT NULL,
	disabled	INTEGER NOT NULL DEFAULT 0,
	version		INTEGER NOT NULL DEFAULT 1,
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL
);

CREATE TABLE memberships (
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	user_id		INTEGER NOT NULL REFERENCES users(id),
	role		TEXT NOT NULL CHECK (role IN ('admin','manager','contributor','auditor','viewer')),
	version		INTEGER NOT NULL DEFAULT 1,
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL,
	PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

-- Per-organisation reference numbers people can say aloud: AIS-7, RISK-42.
CREATE TABLE ref_counters (
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	kind		TEXT NOT NULL,
	next		INTEGER NOT NULL,
	PRIMARY KEY (org_id, kind)
);
