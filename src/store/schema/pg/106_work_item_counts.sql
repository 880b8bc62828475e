-- pg/106_work_item_counts.sql: the PostgreSQL form of 106_work_item_counts.sql
-- (the same table and count, with PostgreSQL's types).
CREATE TABLE work_item_counts (
	org_id		BIGINT NOT NULL,
	kind		TEXT NOT NULL,
	n		BIGINT NOT NULL,
	PRIMARY KEY (org_id, kind)
);

INSERT INTO work_item_counts (org_id, kind, n)
	SELECT org_id, kind, count(*) FROM work_items GROUP BY org_id, kind;
