-- pg/111_search_index_size.sql: the PostgreSQL form of 111_search_index_size.sql.
-- The search index there is a tsvector column with a GIN index
-- (pg/010_records.sql), which keeps no per-record column sizes: nothing to
-- change. This migration keeps the schema versions of both stores alike.
SELECT 1;
