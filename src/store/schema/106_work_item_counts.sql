-- 106_work_item_counts.sql: how many work items (060_work_items.sql) each
-- kind of each organisation has. The tasks list shows the total of the items
-- other kinds give; counting them at every view read every row of
-- work_items_kind (500,000 items: 77 ms), so core keeps this count in the
-- same transaction as the items (record__work_sync(), core/work.c) and
-- `aims verify` compares it with the items (work_verify()).
CREATE TABLE work_item_counts (
	org_id		INTEGER NOT NULL,
	kind		TEXT NOT NULL,
	n		INTEGER NOT NULL,
	PRIMARY KEY (org_id, kind)
) WITHOUT ROWID;

INSERT INTO work_item_counts (org_id, kind, n)
	SELECT org_id, kind, count(*) FROM work_items GROUP BY org_id, kind;
