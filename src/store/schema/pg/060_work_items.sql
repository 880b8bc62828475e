-- pg/060_work_items.sql: the PostgreSQL form of 060_work_items.sql (BIGINT, BYTEA, identity keys).
--
-- Every date a record kind declares due (record_kind.due: a document's next
-- review, a risk's review, evidence expiry, a corrective action, a task made
-- by hand...) is one work item while the record is live and, for a date
-- that ends with the record (until_done), not in a done state. Core keeps
-- the rows in step with the records in the same transaction as each write
-- (record_store.c), so a kind that declares a due date gets work items with
-- no code of its own; `aims verify` recomputes them from the records.
-- owner is the record's owner (an email, '' when it has none);
-- assigned_by the user who created the record (0: the system); source the
-- record the item follows (its own ref, or what a task made by hand is about).
CREATE TABLE work_items (
	org_id		BIGINT NOT NULL,
	kind		TEXT NOT NULL,
	num		BIGINT NOT NULL,
	field		TEXT NOT NULL,
	ref		TEXT NOT NULL,
	title		TEXT NOT NULL,
	what		TEXT NOT NULL,
	owner		TEXT NOT NULL,
	due		TEXT NOT NULL,
	assigned_by	BIGINT NOT NULL,
	source		TEXT NOT NULL,
	PRIMARY KEY (org_id, kind, num, field)
);
-- "My work": a person's items by date, holding what the page shows so a
-- page of them is read from the index alone; "assigned by me"; the calendar.
CREATE INDEX work_items_owner ON work_items(org_id, owner, due, kind, ref, field, what,
    title, source);
CREATE INDEX work_items_assigned ON work_items(org_id, assigned_by, due);
CREATE INDEX work_items_due ON work_items(org_id, due);
CREATE INDEX work_items_kind ON work_items(org_id, kind, field, due);

-- The records written before this migration, by the due dates the kinds
-- declared when it was written (kinds and due fields added later start
-- with their first write).
WITH due (kind, field, what, until_done, done, who) AS (VALUES
	('documents', 'next_review', 'review', 0, '["approved"]', NULL),
	('suppliers', 'next_assessment', 'supplier assessment', 0, '[]', NULL),
	('risks', 'next_review', 'risk review', 0, '["treated","accepted","closed"]', NULL),
	('impact-assessments', 'next_assessment', 'reassessment', 0, '["approved"]', NULL),
	('objectives', 'due', 'objective due', 1, '["achieved","not_achieved","cancelled"]', NULL),
	('changes', 'planned_for', 'planned change', 1, '["done","cancelled"]', 'responsible'),
	('trainings', 'valid_until', 'training expires', 0, '[]', 'person'),
	('communications', 'planned_on', 'communication', 1, '["made","cancelled"]', 'communicator'),
	('evidence', 'valid_until', 'evidence expires', 0, '[]', NULL),
	('audits', 'planned_start', 'internal audit', 1, '["reported","closed"]', 'lead_auditor'),
	('management-reviews', 'review_due', 'management review', 1, '["approved"]', NULL),
	('management-reviews', 'next_decision_due', 'review action', 0, '["approved"]', NULL),
	('nonconformities', 'next_action_due', 'corrective action', 1, '["closed"]', NULL),
	('improvements', 'action_due', 'improvement', 1, '["rejected","implemented"]', NULL))
INSERT INTO work_items (org_id, kind, num, field, ref, title, what, owner, due, assigned_by,
    source)
SELECT r.org_id, r.kind, r.num, d.field, r.ref, r.title, d.what,
    CASE WHEN d.who IS NULL THEN r.owner ELSE coalesce(json_extract(r.data, '$.' || d.who), '') END,
    json_extract(r.data, '$.' || d.field), r.created_by_id, r.ref
FROM records r JOIN due d ON d.kind = r.kind
WHERE r.retired = 0 AND json_type(r.data, '$.' || d.field) = 'text'
    AND NOT (d.until_done = 1 AND r.status IN (SELECT value FROM json_each(d.done, '$')));
