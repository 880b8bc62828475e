-- 021_dashboard_counts_core.sql: the dashboard counts are kept by core from
-- each kind's declaration (core/record_counts.c), in the same transaction as
-- the record, instead of by triggers that named kinds and copied a risk rule.
-- The counts the triggers kept until now stay: core counts the same
-- dimensions with the same values from here on, and also the records whose
-- approved version stays in force while a revision is open (012), counted
-- here once for the records that have one already.
DROP TRIGGER dashboard_counts_insert;
DROP TRIGGER dashboard_counts_update_before;
DROP TRIGGER dashboard_counts_update_after;
DROP TRIGGER dashboard_counts_delete;
DROP VIEW dashboard_dims;
INSERT INTO dashboard_counts (org_id, kind, dim, value, n)
	SELECT org_id, kind, 'in_force', 'yes', count(*) FROM records
	WHERE retired = 0 AND in_force > 0 GROUP BY org_id, kind;
