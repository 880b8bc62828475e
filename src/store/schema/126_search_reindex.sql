-- 126_search_reindex.sql: records whose search words are to be written
-- again. Words used to run on across spaces, dashes, quotes and symbols
-- beyond ASCII (an em dash, a curly apostrophe), which the index's
-- tokenizer then cut into a scoped and an unscoped half that no search
-- reached (core/record_words.c). Only a body with such a character can
-- differ: those records are listed here, and the server writes their words
-- again when it starts (record_search_reindex), before it serves a request.
-- Until then `aims verify` accepts their old words.
CREATE TABLE search_reindex (
	record_id	INTEGER PRIMARY KEY
);
INSERT INTO search_reindex (record_id)
	SELECT rowid FROM records_fts WHERE body GLOB '*[^ -~]*';
