-- pg/091_requirement_tactics.sql: the PostgreSQL form of 091_requirement_tactics.sql.
-- The tactics an ATLAS technique belongs to, as a JSON array of requirement
-- ids (NULL for entries without such membership); `aims init` fills it when
-- it reloads the catalogs.
ALTER TABLE requirements ADD COLUMN tactics TEXT;
