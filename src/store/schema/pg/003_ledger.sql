-- pg/003_ledger.sql: the PostgreSQL form of 003_ledger.sql (same tables;
-- the triggers as PL/pgSQL functions). Trigger functions are named after
-- their trigger; db_schema_check_triggers() compares both with these.
CREATE TABLE ledger_entries (
	org_id		BIGINT NOT NULL,
	seq		BIGINT NOT NULL CHECK (seq >= 1),
	time		TEXT NOT NULL,
	actor		TEXT NOT NULL,
	action		TEXT NOT NULL,
	kind		TEXT NOT NULL,
	ref		TEXT NOT NULL,
	version		BIGINT NOT NULL,
	salt		BYTEA,
	commitment	BYTEA,
	entry		TEXT NOT NULL,
	leaf_hash	BYTEA NOT NULL,
	PRIMARY KEY (org_id, seq)
);
CREATE INDEX ledger_entries_record ON ledger_entries (org_id, kind, ref, seq);

CREATE FUNCTION ledger_entries_gapless() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.seq <> (SELECT coalesce(max(seq), 0) + 1 FROM ledger_entries
	    WHERE org_id = NEW.org_id) THEN
		RAISE EXCEPTION 'ledger entries must be appended in sequence';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER ledger_entries_gapless BEFORE INSERT ON ledger_entries
	FOR EACH ROW EXECUTE FUNCTION ledger_entries_gapless();

CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.salt IS NOT NULL OR NEW.org_id IS DISTINCT FROM OLD.org_id
	    OR NEW.seq IS DISTINCT FROM OLD.seq OR NEW.time IS DISTINCT FROM OLD.time
	    OR NEW.actor IS DISTINCT FROM OLD.actor OR NEW.action IS DISTINCT FROM OLD.action
	    OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.ref IS DISTINCT FROM OLD.ref
	    OR NEW.version IS DISTINCT FROM OLD.version
	    OR NEW.commitment IS DISTINCT FROM OLD.commitment
	    OR NEW.entry IS DISTINCT FROM OLD.entry OR NEW.leaf_hash IS DISTINCT FROM OLD.leaf_hash
	THEN
		RAISE EXCEPTION 'ledger entries are append-only';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE ON ledger_entries
	FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();

CREATE FUNCTION ledger_entries_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'ledger entries are append-only';
END $$;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
	FOR EACH ROW EXECUTE FUNCTION ledger_entries_no_delete();

CREATE TABLE ledger_heads (
	org_id		BIGINT PRIMARY KEY,
	size		BIGINT NOT NULL,
	frontier	BYTEA NOT NULL
);

CREATE TABLE ledger_checkpoints (
	org_id		BIGINT NOT NULL,
	size		BIGINT NOT NULL CHECK (size >= 1),
	root		BYTEA NOT NULL,
	note		TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	PRIMARY KEY (org_id, size)
);

CREATE FUNCTION ledger_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'ledger checkpoints are append-only';
END $$;
CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE ON ledger_checkpoints
	FOR EACH ROW EXECUTE FUNCTION ledger_checkpoints_append_only();

CREATE FUNCTION ledger_checkpoints_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'ledger checkpoints are append-only';
END $$;
CREATE TRIGGER ledger_checkpoints_no_delete BEFORE DELETE ON ledger_checkpoints
	FOR EACH ROW EXECUTE FUNCTION ledger_checkpoints_no_delete();
