-- pg/080_comments.sql: the PostgreSQL form of 080_comments.sql (BIGINT, BYTEA, identity keys, triggers as PL/pgSQL).
-- and reviewers' notes given with a workflow step (an approval, a return to
-- draft). A comment is never changed or removed: each row has its ledger
-- entry (kind "comment", ref "KIND/REF/ID"), which `aims verify` compares
-- it with, and the triggers keep the table append-only.
CREATE TABLE comments (
	org_id		BIGINT NOT NULL REFERENCES orgs(id),
	id		BIGINT NOT NULL,	-- 1, 2, ... within the organisation
	kind		TEXT NOT NULL,		-- the record's kind: "risks"
	ref		TEXT NOT NULL,		-- the record's reference: "RISK-4"
	user_id		BIGINT NOT NULL REFERENCES users(id),
	author		TEXT NOT NULL,		-- the author's e-mail address
	body		TEXT NOT NULL,
	mentions	TEXT NOT NULL,		-- JSON array of the members' addresses
	step		TEXT,			-- a reviewer's note: the step it went with
	version		BIGINT,		-- the record's version the step made
	created_at	TEXT NOT NULL,		-- RFC 3339 UTC
	PRIMARY KEY (org_id, id)
);

CREATE INDEX comments_record ON comments (org_id, kind, ref, id);

CREATE FUNCTION comments_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'comments are append-only';
END $$;
CREATE TRIGGER comments_append_only BEFORE UPDATE ON comments
	FOR EACH ROW EXECUTE FUNCTION comments_append_only();

CREATE FUNCTION comments_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'comments are append-only';
END $$;
CREATE TRIGGER comments_no_delete BEFORE DELETE ON comments
	FOR EACH ROW EXECUTE FUNCTION comments_no_delete();
