-- pg/021_dashboard_counts_core.sql: the PostgreSQL form of 021: no triggers
-- or view to drop (pg/020 never made them); the in-force counts as in 021.
INSERT INTO dashboard_counts (org_id, kind, dim, value, n)
	SELECT org_id, kind, 'in_force', 'yes', count(*) FROM records
	WHERE retired = 0 AND in_force > 0 GROUP BY org_id, kind;
