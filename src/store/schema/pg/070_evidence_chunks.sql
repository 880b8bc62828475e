-- pg/070_evidence_chunks.sql: the PostgreSQL form of 070_evidence_chunks.sql.
CREATE TABLE evidence_chunks (
	org_id		BIGINT NOT NULL,
	sha256		TEXT NOT NULL,
	seq		BIGINT NOT NULL,
	data		BYTEA NOT NULL,
	PRIMARY KEY (org_id, sha256, seq)
);
-- The chunks are written once and read in order: no compression to undo.
ALTER TABLE evidence_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE FUNCTION evidence_chunks_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'evidence file contents are append-only';
END $$;
CREATE TRIGGER evidence_chunks_append_only BEFORE UPDATE ON evidence_chunks
	FOR EACH ROW EXECUTE FUNCTION evidence_chunks_append_only();

CREATE FUNCTION evidence_chunks_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'evidence file contents are append-only';
END $$;
CREATE TRIGGER evidence_chunks_no_delete BEFORE DELETE ON evidence_chunks
	FOR EACH ROW EXECUTE FUNCTION evidence_chunks_no_delete();
