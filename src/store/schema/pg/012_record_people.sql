-- pg/012_record_people.sql: the PostgreSQL form of 012 (BIGINT columns).
-- (the one approval model: whoever signs off is not its author or
-- proposer, whatever the credential), and the approved version that stays
-- in force while a revision of it is open.
--
-- created_by_id: the user who proposed (created) the record, 0 for the
-- system. in_force: the number of the approved version (record_versions)
-- in force while the record itself is a revision; 0 when the record is
-- its own effective state.
ALTER TABLE records ADD COLUMN created_by_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN in_force BIGINT NOT NULL DEFAULT 0;
-- actor_id: the user behind each version: the history names people by it,
-- and the authors of a version to approve are those who changed its content.
ALTER TABLE record_versions ADD COLUMN actor_id BIGINT NOT NULL DEFAULT 0;

-- Records written before this migration: the user named by "user:EMAIL".
UPDATE records SET created_by_id = coalesce((SELECT u.id FROM users u
	WHERE 'user:' || u.email = records.created_by COLLATE NOCASE), 0);
UPDATE record_versions SET actor_id = coalesce((SELECT u.id FROM users u
	WHERE 'user:' || u.email = record_versions.actor COLLATE NOCASE), 0);

-- Every record as it is in force: a record under revision reads as its
-- approved version (status and fields) until the revision is approved.
-- The readiness checks and exports read this (core/query.c). Without a
-- join, so that the indexes of records still serve org, kind and retired.
CREATE VIEW records_in_force AS SELECT id, org_id, kind, num, ref, version, title, owner,
	created_at, updated_at, created_by, updated_by, retired, in_force,
	CASE WHEN in_force = 0 THEN status ELSE coalesce((SELECT v.status FROM record_versions v
		WHERE v.org_id = records.org_id AND v.kind = records.kind AND v.num = records.num
		AND v.version = records.in_force), status) END AS status,
	CASE WHEN in_force = 0 THEN data ELSE coalesce((SELECT v.data FROM record_versions v
		WHERE v.org_id = records.org_id AND v.kind = records.kind AND v.num = records.num
		AND v.version = records.in_force), data) END AS data
	FROM records;
