-- pg/073_record_views.sql: the PostgreSQL form of 073_record_views.sql (BIGINT, BYTEA, identity keys).
-- text beside its data by the write path, so that a list or a read is
-- written by splicing stored text instead of parsing every record into a
-- tree and serialising it again. view_shape names the kind's field list
-- the text was written with (a hash of the declared field names in order):
-- a view of another shape (a field added since) is not served, the record
-- is then answered from its data, and the next write brings it up to date.
-- `aims verify` rebuilds every current view from the record and compares.
ALTER TABLE records ADD COLUMN view TEXT;
ALTER TABLE records ADD COLUMN view_shape BIGINT NOT NULL DEFAULT 0;
