-- 030_readiness.sql: dated readiness snapshots, one per organisation,
-- framework and day (the latest evaluation of the day), for the trend.
CREATE TABLE readiness_snapshots (
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	framework	TEXT NOT NULL,
	day		TEXT NOT NULL,			-- YYYY-MM-DD (UTC)
	taken_at	TEXT NOT NULL,			-- RFC 3339 UTC
	score		INTEGER NOT NULL,		-- 0..100
	stage1_ready	INTEGER NOT NULL,
	stage1_blocking	INTEGER NOT NULL,
	stage2_ready	INTEGER NOT NULL,
	stage2_blocking	INTEGER NOT NULL,
	met		INTEGER NOT NULL,
	partly_met	INTEGER NOT NULL,
	not_met		INTEGER NOT NULL,
	not_applicable	INTEGER NOT NULL,
	scores		TEXT NOT NULL,			-- JSON {"4": 80, ..., "A.10": 50}
	PRIMARY KEY (org_id, framework, day)
);
