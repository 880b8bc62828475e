-- 053_append_only.sql: the tables added since 041 whose rows the ledger
-- commits to (metric readings: one entry per batch; acknowledgements: one
-- entry each) or that open a record to the public (a concern's report key)
-- are append-only, as record versions and evidence revisions are. Nothing
-- in aims changes or deletes these rows; `aims verify` names a trigger that
-- is missing, so a change made while one was dropped is still reported.
CREATE TRIGGER metric_readings_append_only BEFORE UPDATE ON metric_readings
BEGIN
	SELECT RAISE(ABORT, 'metric readings are append-only');
END;

CREATE TRIGGER metric_readings_no_delete BEFORE DELETE ON metric_readings
BEGIN
	SELECT RAISE(ABORT, 'metric readings are append-only');
END;

CREATE TRIGGER acknowledgements_append_only BEFORE UPDATE ON acknowledgements
BEGIN
	SELECT RAISE(ABORT, 'acknowledgements are append-only');
END;

CREATE TRIGGER acknowledgements_no_delete BEFORE DELETE ON acknowledgements
BEGIN
	SELECT RAISE(ABORT, 'acknowledgements are append-only');
END;

CREATE TRIGGER concern_keys_append_only BEFORE UPDATE ON concern_keys
BEGIN
	SELECT RAISE(ABORT, 'concern report keys are never changed');
END;

CREATE TRIGGER concern_keys_no_delete BEFORE DELETE ON concern_keys
BEGIN
	SELECT RAISE(ABORT, 'concern report keys are never deleted');
END;
