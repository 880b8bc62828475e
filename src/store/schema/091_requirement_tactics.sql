-- 091_requirement_tactics.sql: the tactics an ATLAS technique belongs to. A
-- technique can serve several tactics while its parent is one of them, so
-- the others are kept beside it: a JSON array of requirement ids, NULL for
-- entries of frameworks without such membership. The catalogs are reloaded
-- whole by `aims init`, which fills it.
ALTER TABLE requirements ADD COLUMN tactics TEXT;
