-- pg/067_eu_ai_act.sql: the PostgreSQL form of 067_eu_ai_act.sql (BIGINT, BYTEA, identity keys).
-- organisation's EU AI Act profile (a singleton record) and the obligation
-- records keep their fields in the records' data (010_records.sql), and are
-- read through its indexes, so no table changes. This migration marks the
-- schema version the ai-systems fields came with (`since` 67 in
-- src/core/kind_ai_system.c): ledger entries written before it committed to
-- records without them.
SELECT 1;
