-- 003_ledger.sql: the per-organisation transparency log (src/ledger/).
-- org_id 0 is the instance log (users); it has no row in orgs, so there is
-- no foreign key. Rows are written by src/ledger only.

-- One row per entry; seq runs 1, 2, 3... per org with no gaps. entry holds
-- the exact canonical JSON that was hashed into leaf_hash; the columns
-- before it are the same facts, so a verifier can rebuild the entry.
-- commitment = SHA-256(salt || canonical record) and is NULL for a delete;
-- salt may later be erased (set NULL) to forget a record's personal data
-- without touching any leaf.
CREATE TABLE ledger_entries (
	org_id		INTEGER NOT NULL,
	seq		INTEGER NOT NULL CHECK (seq >= 1),
	time		TEXT NOT NULL,
	actor		TEXT NOT NULL,
	action		TEXT NOT NULL,
	kind		TEXT NOT NULL,
	ref		TEXT NOT NULL,
	version		INTEGER NOT NULL,
	salt		BLOB,
	commitment	BLOB,
	entry		TEXT NOT NULL,
	leaf_hash	BLOB NOT NULL,
	PRIMARY KEY (org_id, seq)
) WITHOUT ROWID;

-- The latest entry of each record, for the verifier and for history pages.
CREATE INDEX ledger_entries_record ON ledger_entries (org_id, kind, ref, seq);

-- Gapless: an entry must be the next one of its org.
CREATE TRIGGER ledger_entries_gapless BEFORE INSERT ON ledger_entries
WHEN NEW.seq <> (SELECT coalesce(max(seq), 0) + 1 FROM ledger_entries WHERE org_id = NEW.org_id)
BEGIN
	SELECT RAISE(ABORT, 'ledger entries must be appended in sequence');
END;

-- Append-only: the only change allowed is erasing a salt.
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE ON ledger_entries
WHEN NEW.salt IS NOT NULL OR NEW.org_id IS NOT OLD.org_id OR NEW.seq IS NOT OLD.seq
    OR NEW.time IS NOT OLD.time OR NEW.actor IS NOT OLD.actor OR NEW.action IS NOT OLD.action
    OR NEW.kind IS NOT OLD.kind OR NEW.ref IS NOT OLD.ref OR NEW.version IS NOT OLD.version
    OR NEW.commitment IS NOT OLD.commitment OR NEW.entry IS NOT OLD.entry
    OR NEW.leaf_hash IS NOT OLD.leaf_hash
BEGIN
	SELECT RAISE(ABORT, 'ledger entries are append-only');
END;

CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
	SELECT RAISE(ABORT, 'ledger entries are append-only');
END;

-- The head of each org's log: its size and the tree's frontier (the roots
-- of the perfect subtrees that make up a tree of that size, one per bit of
-- size, 32 bytes each), so appending and computing the root cost O(log n).
CREATE TABLE ledger_heads (
	org_id		INTEGER PRIMARY KEY,
	size		INTEGER NOT NULL,
	frontier	BLOB NOT NULL
);

-- Signed checkpoints (C2SP tlog-checkpoint notes), one per committed
-- transaction that appended to the org's log.
CREATE TABLE ledger_checkpoints (
	org_id		INTEGER NOT NULL,
	size		INTEGER NOT NULL CHECK (size >= 1),
	root		BLOB NOT NULL,
	note		TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	PRIMARY KEY (org_id, size)
) WITHOUT ROWID;

CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE ON ledger_checkpoints
BEGIN
	SELECT RAISE(ABORT, 'ledger checkpoints are append-only');
END;

CREATE TRIGGER ledger_checkpoints_no_delete BEFORE DELETE ON ledger_checkpoints
BEGIN
	SELECT RAISE(ABORT, 'ledger checkpoints are append-only');
END;
