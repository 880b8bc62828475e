-- pg/031_soa_versions.sql: the PostgreSQL form of 031 (BIGINT for INTEGER).
-- Rows are never updated: a published version stays as it was approved.
CREATE TABLE soa_versions (
	org_id		BIGINT NOT NULL REFERENCES orgs(id),
	version		BIGINT NOT NULL,
	published_at	TEXT NOT NULL,		-- RFC 3339 UTC
	published_by	TEXT NOT NULL,		-- the actor who published it
	approver	TEXT NOT NULL,		-- e-mail of the approving manager
	edition		TEXT NOT NULL,		-- "ISO/IEC 42001:2023"
	note		TEXT NOT NULL DEFAULT '',
	rows		TEXT NOT NULL,		-- JSON array: every row as published
	PRIMARY KEY (org_id, version)
);
