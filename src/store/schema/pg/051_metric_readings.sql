-- pg/051_metric_readings.sql: the PostgreSQL form of 051 (BIGINT for INTEGER).
-- pushed in batches. Keyed by organisation first, then metric and time, so
-- a repeated reading is refused by the key and a chart reads one index range.
-- The value is the shortest decimal text that reads back as the number
-- pushed (core/metric.c), so what the ledger committed to is what is stored.
-- batch numbers the pushes of a metric: one ledger entry per batch.
CREATE TABLE metric_readings (
	org_id		BIGINT NOT NULL REFERENCES orgs(id),
	metric		TEXT NOT NULL,
	at		BIGINT NOT NULL,
	value		TEXT NOT NULL,
	batch		BIGINT NOT NULL,
	PRIMARY KEY (org_id, metric, at)
);

CREATE INDEX metric_readings_batch ON metric_readings (org_id, metric, batch);
