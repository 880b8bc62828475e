-- pg/020_dashboard.sql: the PostgreSQL form of 020_dashboard.sql. The
-- dashboard counts are kept by core since 021 (core/record_counts.c); the
-- view and triggers that kept them before are not created here, and a new
-- PostgreSQL store has no records yet to count.
CREATE TABLE dashboard_counts (
	org_id		BIGINT NOT NULL,
	kind		TEXT NOT NULL,
	dim		TEXT NOT NULL,
	value		TEXT NOT NULL,
	n		BIGINT NOT NULL,
	PRIMARY KEY (org_id, kind, dim, value)
);
