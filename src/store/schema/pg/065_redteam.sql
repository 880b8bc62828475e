-- pg/065_redteam.sql: the PostgreSQL form of 065_redteam.sql (BIGINT, BYTEA, identity keys).
-- their fields in the generic records table, so no table changes: this
-- version marks when evidence gained its run fields (run_tool, run_id,
-- run_results, owasp_llm, atlas, worse_than...), AI systems their red-team
-- flag, and data sets their bom_ref and classification (core/record.h,
-- struct field `since`: ledger entries written before it committed to
-- records without them). Models are a kind of their own (kind_model.c) in
-- the same table; lookups by run_id and bom_ref use the record_fields
-- index of filterable fields. Nothing to change in the schema itself.
SELECT 1;
