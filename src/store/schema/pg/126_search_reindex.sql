-- pg/126_search_reindex.sql: the PostgreSQL form of 126_search_reindex.sql
-- (a regular expression instead of SQLite's GLOB).
CREATE TABLE search_reindex (
	record_id	BIGINT PRIMARY KEY
);
INSERT INTO search_reindex (record_id)
	SELECT rowid FROM records_fts WHERE body ~ '[^ -~]';
