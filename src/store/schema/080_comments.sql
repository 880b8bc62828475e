-- 080_comments.sql: comments on any record, with the members they mention,
-- and reviewers' notes given with a workflow step (an approval, a return to
-- draft). A comment is never changed or removed: each row has its ledger
-- entry (kind "comment", ref "KIND/REF/ID"), which `aims verify` compares
-- it with, and the triggers keep the table append-only.
CREATE TABLE comments (
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	id		INTEGER NOT NULL,	-- 1, 2, ... within the organisation
	kind		TEXT NOT NULL,		-- the record's kind: "risks"
	ref		TEXT NOT NULL,		-- the record's reference: "RISK-4"
	user_id		INTEGER NOT NULL REFERENCES users(id),
	author		TEXT NOT NULL,		-- the author's e-mail address
	body		TEXT NOT NULL,
	mentions	TEXT NOT NULL,		-- JSON array of the members' addresses
	step		TEXT,			-- a reviewer's note: the step it went with
	version		INTEGER,		-- the record's version the step made
	created_at	TEXT NOT NULL,		-- RFC 3339 UTC
	PRIMARY KEY (org_id, id)
);

CREATE INDEX comments_record ON comments (org_id, kind, ref, id);

CREATE TRIGGER comments_append_only BEFORE UPDATE ON comments
BEGIN
	SELECT RAISE(ABORT, 'comments are append-only');
END;

CREATE TRIGGER comments_no_delete BEFORE DELETE ON comments
BEGIN
	SELECT RAISE(ABORT, 'comments are append-only');
END;
