-- 041_ledger_integrity.sql: the history tables the ledger commits to are
-- append-only, as ledger_entries and ledger_checkpoints are (003). `aims
-- verify` compares the triggers with these definitions and reports one that
-- is missing or changed.

-- An evidence file revision is checked against the evidence version that
-- recorded it, who and when included. Revisions stored before this
-- migration took stored_at from a second clock read in the same transaction
-- (the same second, or the one before): they take the version's time, so
-- one rule holds for old and new revisions. A revision no version recorded
-- is left as it is, for `aims verify` to name.
UPDATE evidence_files SET stored_at = (
	SELECT v.at FROM records r JOIN record_versions v ON v.org_id = r.org_id
	    AND v.kind = r.kind AND v.num = r.num
	WHERE r.org_id = evidence_files.org_id AND r.kind = 'evidence'
	    AND r.ref = evidence_files.evidence_ref AND v.action = 'file'
	    AND json_extract(v.data, '$.revision') = evidence_files.revision)
WHERE EXISTS (
	SELECT 1 FROM records r JOIN record_versions v ON v.org_id = r.org_id
	    AND v.kind = r.kind AND v.num = r.num
	WHERE r.org_id = evidence_files.org_id AND r.kind = 'evidence'
	    AND r.ref = evidence_files.evidence_ref AND v.action = 'file'
	    AND json_extract(v.data, '$.revision') = evidence_files.revision);

-- The approved version in force when a version was written is part of the
-- state the ledger was given (in_force_version, 012): kept with the version
-- so verify can rebuild that state. Versions written before this migration
-- were written with none in force, except on a database that ran 012's code
-- before this migration, where verify names such a version.
ALTER TABLE record_versions ADD COLUMN in_force INTEGER NOT NULL DEFAULT 0;

-- A version is never changed; columns added later (not listed) may be filled in.
CREATE TRIGGER record_versions_append_only BEFORE UPDATE ON record_versions
WHEN NEW.org_id IS NOT OLD.org_id OR NEW.kind IS NOT OLD.kind OR NEW.num IS NOT OLD.num
    OR NEW.version IS NOT OLD.version OR NEW.action IS NOT OLD.action
    OR NEW.status IS NOT OLD.status OR NEW.retired IS NOT OLD.retired OR NEW.at IS NOT OLD.at
    OR NEW.actor IS NOT OLD.actor OR NEW.data IS NOT OLD.data
    OR NEW.actor_id IS NOT OLD.actor_id OR NEW.in_force IS NOT OLD.in_force
BEGIN
	SELECT RAISE(ABORT, 'record versions are append-only');
END;

-- Versions go only with their record (a delete the ledger records); the
-- record row is removed first (record__row_erase()).
CREATE TRIGGER record_versions_no_delete BEFORE DELETE ON record_versions
WHEN EXISTS (SELECT 1 FROM records WHERE org_id = OLD.org_id AND kind = OLD.kind
    AND num = OLD.num)
BEGIN
	SELECT RAISE(ABORT, 'record versions are deleted only with their record');
END;

CREATE TRIGGER evidence_files_append_only BEFORE UPDATE ON evidence_files
BEGIN
	SELECT RAISE(ABORT, 'evidence file revisions are append-only');
END;

CREATE TRIGGER evidence_files_no_delete BEFORE DELETE ON evidence_files
BEGIN
	SELECT RAISE(ABORT, 'evidence file revisions are append-only');
END;

CREATE TRIGGER soa_versions_append_only BEFORE UPDATE ON soa_versions
BEGIN
	SELECT RAISE(ABORT, 'published SoA versions are append-only');
END;

CREATE TRIGGER soa_versions_no_delete BEFORE DELETE ON soa_versions
BEGIN
	SELECT RAISE(ABORT, 'published SoA versions are append-only');
END;
