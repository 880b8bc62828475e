-- 070_evidence_chunks.sql: evidence file bytes kept in the database, for
-- stores whose servers share no disk. The PostgreSQL store keeps each
-- organisation's blobs here, in chunks of 256 KiB (core/evidence_chunks.c),
-- and the files under data/blobs/ are then each server's cache; the SQLite
-- store keeps its blobs in data/blobs/ and leaves this table empty.
-- Keyed by organisation first: the same bytes in two organisations are
-- stored twice, and an organisation's files move with it.
CREATE TABLE evidence_chunks (
	org_id		INTEGER NOT NULL,
	sha256		TEXT NOT NULL,
	seq		INTEGER NOT NULL,	-- 0, 1, 2... in file order
	data		BLOB NOT NULL,
	PRIMARY KEY (org_id, sha256, seq)
) WITHOUT ROWID;

-- Stored bytes are never changed (the revisions that name them are append-only).
CREATE TRIGGER evidence_chunks_append_only BEFORE UPDATE ON evidence_chunks
BEGIN
	SELECT RAISE(ABORT, 'evidence file contents are append-only');
END;

CREATE TRIGGER evidence_chunks_no_delete BEFORE DELETE ON evidence_chunks
BEGIN
	SELECT RAISE(ABORT, 'evidence file contents are append-only');
END;
