-- pg/054_metric_rollups.sql: the PostgreSQL form of 054_metric_rollups.sql
-- (BIGINT, DOUBLE PRECISION for REAL; the triggers as PL/pgSQL functions).
CREATE TABLE metric_batches (
	org_id		BIGINT NOT NULL REFERENCES orgs(id),
	metric		TEXT NOT NULL,
	batch		BIGINT NOT NULL,
	first_at	BIGINT NOT NULL,
	last_at		BIGINT NOT NULL,
	count		BIGINT NOT NULL,
	PRIMARY KEY (org_id, metric, batch)
);

INSERT INTO metric_batches (org_id, metric, batch, first_at, last_at, count)
SELECT org_id, metric, batch, min(at), max(at), count(*) FROM metric_readings
GROUP BY org_id, metric, batch;

CREATE TABLE metric_hours (
	org_id		BIGINT NOT NULL REFERENCES orgs(id),
	metric		TEXT NOT NULL,
	hour		BIGINT NOT NULL,
	count		BIGINT NOT NULL,
	sum		DOUBLE PRECISION NOT NULL,
	min		DOUBLE PRECISION NOT NULL,
	max		DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (org_id, metric, hour)
);

INSERT INTO metric_hours (org_id, metric, hour, count, sum, min, max)
SELECT org_id, metric, div(at, 3600), count(*), sum(CAST(value AS DOUBLE PRECISION)),
    min(CAST(value AS DOUBLE PRECISION)), max(CAST(value AS DOUBLE PRECISION))
FROM metric_readings GROUP BY org_id, metric, div(at, 3600);

DROP INDEX metric_readings_batch;

CREATE FUNCTION metric_batches_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'metric batches are append-only';
END $$;
CREATE TRIGGER metric_batches_append_only BEFORE UPDATE ON metric_batches
	FOR EACH ROW EXECUTE FUNCTION metric_batches_append_only();

CREATE FUNCTION metric_batches_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'metric batches are append-only';
END $$;
CREATE TRIGGER metric_batches_no_delete BEFORE DELETE ON metric_batches
	FOR EACH ROW EXECUTE FUNCTION metric_batches_no_delete();
