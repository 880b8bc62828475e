-- pg/053_append_only.sql: the PostgreSQL form of 053: the same
-- append-only rules as PL/pgSQL trigger functions named after their trigger.
CREATE FUNCTION metric_readings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'metric readings are append-only';
END $$;
CREATE TRIGGER metric_readings_append_only BEFORE UPDATE ON metric_readings
	FOR EACH ROW EXECUTE FUNCTION metric_readings_append_only();

CREATE FUNCTION metric_readings_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'metric readings are append-only';
END $$;
CREATE TRIGGER metric_readings_no_delete BEFORE DELETE ON metric_readings
	FOR EACH ROW EXECUTE FUNCTION metric_readings_no_delete();

CREATE FUNCTION acknowledgements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'acknowledgements are append-only';
END $$;
CREATE TRIGGER acknowledgements_append_only BEFORE UPDATE ON acknowledgements
	FOR EACH ROW EXECUTE FUNCTION acknowledgements_append_only();

CREATE FUNCTION acknowledgements_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'acknowledgements are append-only';
END $$;
CREATE TRIGGER acknowledgements_no_delete BEFORE DELETE ON acknowledgements
	FOR EACH ROW EXECUTE FUNCTION acknowledgements_no_delete();

CREATE FUNCTION concern_keys_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'concern report keys are never changed';
END $$;
CREATE TRIGGER concern_keys_append_only BEFORE UPDATE ON concern_keys
	FOR EACH ROW EXECUTE FUNCTION concern_keys_append_only();

CREATE FUNCTION concern_keys_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'concern report keys are never deleted';
END $$;
CREATE TRIGGER concern_keys_no_delete BEFORE DELETE ON concern_keys
	FOR EACH ROW EXECUTE FUNCTION concern_keys_no_delete();
