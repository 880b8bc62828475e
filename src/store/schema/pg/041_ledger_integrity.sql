-- pg/041_ledger_integrity.sql: the PostgreSQL form of 041: the same
-- append-only rules as PL/pgSQL trigger functions named after their trigger.
UPDATE evidence_files SET stored_at = (
	SELECT v.at FROM records r JOIN record_versions v ON v.org_id = r.org_id
	    AND v.kind = r.kind AND v.num = r.num
	WHERE r.org_id = evidence_files.org_id AND r.kind = 'evidence'
	    AND r.ref = evidence_files.evidence_ref AND v.action = 'file'
	    AND json_extract(v.data, '$.revision') = evidence_files.revision::text)
WHERE EXISTS (
	SELECT 1 FROM records r JOIN record_versions v ON v.org_id = r.org_id
	    AND v.kind = r.kind AND v.num = r.num
	WHERE r.org_id = evidence_files.org_id AND r.kind = 'evidence'
	    AND r.ref = evidence_files.evidence_ref AND v.action = 'file'
	    AND json_extract(v.data, '$.revision') = evidence_files.revision::text);

ALTER TABLE record_versions ADD COLUMN in_force BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION record_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.org_id IS DISTINCT FROM OLD.org_id
	    OR NEW.kind IS DISTINCT FROM OLD.kind
	    OR NEW.num IS DISTINCT FROM OLD.num
	    OR NEW.version IS DISTINCT FROM OLD.version
	    OR NEW.action IS DISTINCT FROM OLD.action
	    OR NEW.status IS DISTINCT FROM OLD.status
	    OR NEW.retired IS DISTINCT FROM OLD.retired
	    OR NEW.at IS DISTINCT FROM OLD.at
	    OR NEW.actor IS DISTINCT FROM OLD.actor
	    OR NEW.data IS DISTINCT FROM OLD.data
	    OR NEW.actor_id IS DISTINCT FROM OLD.actor_id
	    OR NEW.in_force IS DISTINCT FROM OLD.in_force THEN
		RAISE EXCEPTION 'record versions are append-only';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER record_versions_append_only BEFORE UPDATE ON record_versions
	FOR EACH ROW EXECUTE FUNCTION record_versions_append_only();

CREATE FUNCTION record_versions_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM records WHERE org_id = OLD.org_id AND kind = OLD.kind
	    AND num = OLD.num) THEN
		RAISE EXCEPTION 'record versions are deleted only with their record';
	END IF;
	RETURN OLD;
END $$;
CREATE TRIGGER record_versions_no_delete BEFORE DELETE ON record_versions
	FOR EACH ROW EXECUTE FUNCTION record_versions_no_delete();

CREATE FUNCTION evidence_files_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'evidence file revisions are append-only';
END $$;
CREATE TRIGGER evidence_files_append_only BEFORE UPDATE ON evidence_files
	FOR EACH ROW EXECUTE FUNCTION evidence_files_append_only();

CREATE FUNCTION evidence_files_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'evidence file revisions are append-only';
END $$;
CREATE TRIGGER evidence_files_no_delete BEFORE DELETE ON evidence_files
	FOR EACH ROW EXECUTE FUNCTION evidence_files_no_delete();

CREATE FUNCTION soa_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'published SoA versions are append-only';
END $$;
CREATE TRIGGER soa_versions_append_only BEFORE UPDATE ON soa_versions
	FOR EACH ROW EXECUTE FUNCTION soa_versions_append_only();

CREATE FUNCTION soa_versions_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'published SoA versions are append-only';
END $$;
CREATE TRIGGER soa_versions_no_delete BEFORE DELETE ON soa_versions
	FOR EACH ROW EXECUTE FUNCTION soa_versions_no_delete();
