-- 054_metric_rollups.sql: what ingest keeps beside the readings so that
-- neither a push nor a chart walks readings one by one.
--
-- metric_batches: one row per push of a metric (the batch a ledger entry
-- commits to), with the time range and number of its readings. It replaces
-- the per-reading batch index: verify reads a batch through its time range,
-- and the next batch number and a metric's reading count come from here.
--
-- metric_hours: per metric and hour (unix time / 3600), the count, sum, min
-- and max of the readings, kept in the push's transaction. A chart over a
-- long range reads hours instead of readings. Derived data: `aims verify`
-- recomputes both tables from the readings.
CREATE TABLE metric_batches (
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	metric		TEXT NOT NULL,
	batch		INTEGER NOT NULL,
	first_at	INTEGER NOT NULL,
	last_at		INTEGER NOT NULL,
	count		INTEGER NOT NULL,
	PRIMARY KEY (org_id, metric, batch)
) WITHOUT ROWID;

INSERT INTO metric_batches (org_id, metric, batch, first_at, last_at, count)
SELECT org_id, metric, batch, min(at), max(at), count(*) FROM metric_readings
GROUP BY org_id, metric, batch;

CREATE TABLE metric_hours (
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	metric		TEXT NOT NULL,
	hour		INTEGER NOT NULL,
	count		INTEGER NOT NULL,
	sum		REAL NOT NULL,
	min		REAL NOT NULL,
	max		REAL NOT NULL,
	PRIMARY KEY (org_id, metric, hour)
) WITHOUT ROWID;

INSERT INTO metric_hours (org_id, metric, hour, count, sum, min, max)
SELECT org_id, metric, at / 3600, count(*), sum(CAST(value AS REAL)),
    min(CAST(value AS REAL)), max(CAST(value AS REAL))
FROM metric_readings GROUP BY org_id, metric, at / 3600;

DROP INDEX metric_readings_batch;

-- A batch, like the readings it describes, is never changed or removed.
CREATE TRIGGER metric_batches_append_only BEFORE UPDATE ON metric_batches
BEGIN
	SELECT RAISE(ABORT, 'metric batches are append-only');
END;

CREATE TRIGGER metric_batches_no_delete BEFORE DELETE ON metric_batches
BEGIN
	SELECT RAISE(ABORT, 'metric batches are append-only');
END;
