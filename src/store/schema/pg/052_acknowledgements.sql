-- pg/052_acknowledgements.sql: the PostgreSQL form of 052 (BIGINT for INTEGER).
-- approved version in force of a document that asks for it (the AI policy,
-- or one marked as requiring acknowledgement); a new approved version asks
-- again, so an acknowledgement names the version. Each row has its ledger
-- entry (kind "acknowledgement"), which `aims verify` compares it with.
CREATE TABLE acknowledgements (
	org_id		BIGINT NOT NULL REFERENCES orgs(id),
	document	TEXT NOT NULL,		-- the document's ref, "DOC-3"
	version		BIGINT NOT NULL,	-- its approved version acknowledged
	user_id		BIGINT NOT NULL REFERENCES users(id),
	email		TEXT NOT NULL,
	acknowledged_at	TEXT NOT NULL,		-- RFC 3339 UTC
	PRIMARY KEY (org_id, document, version, user_id)
);
