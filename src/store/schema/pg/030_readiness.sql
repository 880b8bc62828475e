-- pg/030_readiness.sql: the PostgreSQL form of 030 (BIGINT for INTEGER).
-- framework and day (the latest evaluation of the day), for the trend.
CREATE TABLE readiness_snapshots (
	org_id		BIGINT NOT NULL REFERENCES orgs(id),
	framework	TEXT NOT NULL,
	day		TEXT NOT NULL,			-- YYYY-MM-DD (UTC)
	taken_at	TEXT NOT NULL,			-- RFC 3339 UTC
	score		BIGINT NOT NULL,		-- 0..100
	stage1_ready	BIGINT NOT NULL,
	stage1_blocking	BIGINT NOT NULL,
	stage2_ready	BIGINT NOT NULL,
	stage2_blocking	BIGINT NOT NULL,
	met		BIGINT NOT NULL,
	partly_met	BIGINT NOT NULL,
	not_met		BIGINT NOT NULL,
	not_applicable	BIGINT NOT NULL,
	scores		TEXT NOT NULL,			-- JSON {"4": 80, ..., "A.10": 50}
	PRIMARY KEY (org_id, framework, day)
);
