-- 111_search_index_size.sql: the q= search index without its per-record
-- column sizes. FTS5 keeps them (records_fts_docsize, one row per record,
-- written with every change) only for ranking by bm25(), and no search here
-- ranks: lists are in the records' order and the search across kinds by
-- rowid. The table is made again as 010_records.sql made it, with
-- columnsize = 0, and filled from the old one; the positions stay
-- (detail = full), since a search word the tokenizer splits in two (a
-- dash or an apostrophe beyond ASCII) is a phrase query.
CREATE VIRTUAL TABLE records_fts_new USING fts5(body,
	tokenize = "unicode61 remove_diacritics 2 tokenchars '_'", columnsize = 0);
INSERT INTO records_fts_new (rowid, body) SELECT rowid, body FROM records_fts;
DROP TABLE records_fts;
ALTER TABLE records_fts_new RENAME TO records_fts;
