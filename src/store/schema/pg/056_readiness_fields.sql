-- pg/056_readiness_fields.sql: the PostgreSQL form of 056_readiness_fields.sql (BIGINT, BYTEA, identity keys).
-- auditor. AI systems gain `scope_justification` (why a system is left out of
-- the AIMS scope, 4.3) and the record kind "attestations" arrives (a
-- requirement confirmed by hand: who, when, with what evidence, until when).
-- Both live in the generic records store (010_records.sql), so no table
-- changes; this version marks when the field appeared, which the ledger
-- verifier needs for records written before it (record.h, struct field
-- `since`).
SELECT 1;
