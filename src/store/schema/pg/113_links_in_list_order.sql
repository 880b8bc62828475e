-- pg/113_links_in_list_order.sql: the PostgreSQL form of
-- 113_links_in_list_order.sql (BIGINT). A link carries what a list needs of
-- the record it is from, as a record_fields row does: whether it is live
-- (not retired), its last change and its number. Filters on reference
-- fields are answered from the links by target (110); with these in the
-- index by target, a filtered list in the default order (-updated_at) is
-- read from the index in order, and its total counted from the index alone,
-- as from record_fields before. The record engine writes the links again
-- with every change of their record already, so the columns cost no more
-- writes.
ALTER TABLE record_links ADD COLUMN live BIGINT NOT NULL DEFAULT 1;
ALTER TABLE record_links ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
ALTER TABLE record_links ADD COLUMN num BIGINT NOT NULL DEFAULT 0;
UPDATE record_links SET (live, updated_at, num) = (
	SELECT 1 - r.retired, r.updated_at, r.num FROM records r
	WHERE r.org_id = record_links.org_id AND r.kind = record_links.from_kind
	    AND r.ref = record_links.from_ref)
WHERE EXISTS (SELECT 1 FROM records r WHERE r.org_id = record_links.org_id
    AND r.kind = record_links.from_kind AND r.ref = record_links.from_ref);
DROP INDEX record_links_to;
CREATE INDEX record_links_to ON record_links(org_id, to_kind, to_ref, from_kind, field, live,
    updated_at, num);
