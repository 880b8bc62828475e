-- pg/001_tenancy.sql: the PostgreSQL form of 001_tenancy.sql, and the
-- SQLite functions and collation the portable SQL of aims uses (db_pg.c).
-- Identifiers are BIGINT (SQLite's INTEGER is 64 bits); e-mail addresses
-- compare without regard to case, as SQLite's NOCASE does.
CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2',
	deterministic = false);

-- json_extract(text, '$.a.b'): the value at the path as SQL sees it in
-- SQLite: a string as its text, true/false as 1/0, a number as its text,
-- an object or array as its JSON text, null or a missing path as NULL.
CREATE FUNCTION json_extract(doc text, path text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE jsonb_typeof(v) WHEN 'string' THEN v #>> '{}'
	    WHEN 'boolean' THEN CASE WHEN v = 'true'::jsonb THEN '1' ELSE '0' END
	    WHEN 'null' THEN NULL ELSE v::text END
	FROM (SELECT doc::jsonb #> string_to_array(substr(path, 3), '.') AS v) x
$$;

-- json_type(text, '$.a'): SQLite's names: null, true, false, integer, real, text, array, object.
CREATE FUNCTION json_type(doc text, path text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE jsonb_typeof(v) WHEN 'string' THEN 'text'
	    WHEN 'boolean' THEN v::text
	    WHEN 'number' THEN CASE WHEN v::text ~ '^-?[0-9]+$' THEN 'integer' ELSE 'real' END
	    ELSE jsonb_typeof(v) END
	FROM (SELECT doc::jsonb #> string_to_array(substr(path, 3), '.') AS v) x
$$;

-- json_each(text, '$.a'): the elements of the array (or values of the object) at the path.
CREATE FUNCTION json_each(doc text, path text) RETURNS TABLE (key text, value text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE jsonb_typeof(a) WHEN 'array' THEN (ord - 1)::text ELSE e.key END,
	    CASE jsonb_typeof(e.v) WHEN 'string' THEN e.v #>> '{}'
		WHEN 'null' THEN NULL ELSE e.v::text END
	FROM (SELECT doc::jsonb #> string_to_array(substr(path, 3), '.') AS a) x,
	LATERAL (SELECT NULL::text AS key, v, ord FROM jsonb_array_elements(
		CASE jsonb_typeof(x.a) WHEN 'array' THEN x.a ELSE '[]'::jsonb END)
		WITH ORDINALITY AS t(v, ord)
	    UNION ALL
	    SELECT k, v, 0 FROM jsonb_each(
		CASE jsonb_typeof(x.a) WHEN 'object' THEN x.a ELSE '{}'::jsonb END) AS o(k, v)) e
$$;

-- typeof(x): SQLite's storage class names.
CREATE FUNCTION typeof(anyelement) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN $1 IS NULL THEN 'null'
	    WHEN pg_typeof($1) IN ('bigint'::regtype, 'integer'::regtype, 'smallint'::regtype,
		'boolean'::regtype) THEN 'integer'
	    WHEN pg_typeof($1) IN ('numeric'::regtype, 'double precision'::regtype,
		'real'::regtype) THEN 'real'
	    WHEN pg_typeof($1) = 'bytea'::regtype THEN 'blob'
	    WHEN pg_typeof($1) = 'jsonb'::regtype THEN
		CASE jsonb_typeof($1::text::jsonb) WHEN 'number' THEN 'integer'
		    WHEN 'null' THEN 'null' ELSE 'text' END
	    ELSE 'text' END
$$;

-- Text compared with an integer (json_extract() of a number with an INTEGER
-- column): as SQLite compares them, by value; text that is not a number is
-- greater than any integer. STRICT: NULL compared with anything is NULL.
CREATE FUNCTION aims_text_eq_int8(a text, b bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT CASE WHEN a ~ '^-?[0-9]+(\.[0-9]+)?$' THEN a::numeric = b ELSE false END
$$;
CREATE OPERATOR = (LEFTARG = text, RIGHTARG = bigint, FUNCTION = aims_text_eq_int8);
CREATE FUNCTION aims_text_ne_int8(a text, b bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT CASE WHEN a ~ '^-?[0-9]+(\.[0-9]+)?$' THEN a::numeric <> b ELSE true END
$$;
CREATE OPERATOR <> (LEFTARG = text, RIGHTARG = bigint, FUNCTION = aims_text_ne_int8);
CREATE FUNCTION aims_text_lt_int8(a text, b bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT CASE WHEN a ~ '^-?[0-9]+(\.[0-9]+)?$' THEN a::numeric < b ELSE false END
$$;
CREATE OPERATOR < (LEFTARG = text, RIGHTARG = bigint, FUNCTION = aims_text_lt_int8);
CREATE FUNCTION aims_text_gt_int8(a text, b bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT CASE WHEN a ~ '^-?[0-9]+(\.[0-9]+)?$' THEN a::numeric > b ELSE true END
$$;
CREATE OPERATOR > (LEFTARG = text, RIGHTARG = bigint, FUNCTION = aims_text_gt_int8);
CREATE FUNCTION aims_text_le_int8(a text, b bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT CASE WHEN a ~ '^-?[0-9]+(\.[0-9]+)?$' THEN a::numeric <= b ELSE false END
$$;
CREATE OPERATOR <= (LEFTARG = text, RIGHTARG = bigint, FUNCTION = aims_text_le_int8);
CREATE FUNCTION aims_text_ge_int8(a text, b bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT CASE WHEN a ~ '^-?[0-9]+(\.[0-9]+)?$' THEN a::numeric >= b ELSE true END
$$;
CREATE OPERATOR >= (LEFTARG = text, RIGHTARG = bigint, FUNCTION = aims_text_ge_int8);
CREATE FUNCTION aims_int8_eq_text(a bigint, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT aims_text_eq_int8(b, a) $$;
CREATE OPERATOR = (LEFTARG = bigint, RIGHTARG = text, FUNCTION = aims_int8_eq_text);
CREATE FUNCTION aims_int8_ne_text(a bigint, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT aims_text_ne_int8(b, a) $$;
CREATE OPERATOR <> (LEFTARG = bigint, RIGHTARG = text, FUNCTION = aims_int8_ne_text);
CREATE FUNCTION aims_int8_lt_text(a bigint, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT aims_text_gt_int8(b, a) $$;
CREATE OPERATOR < (LEFTARG = bigint, RIGHTARG = text, FUNCTION = aims_int8_lt_text);
CREATE FUNCTION aims_int8_gt_text(a bigint, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT aims_text_lt_int8(b, a) $$;
CREATE OPERATOR > (LEFTARG = bigint, RIGHTARG = text, FUNCTION = aims_int8_gt_text);
CREATE FUNCTION aims_int8_le_text(a bigint, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT aims_text_ge_int8(b, a) $$;
CREATE OPERATOR <= (LEFTARG = bigint, RIGHTARG = text, FUNCTION = aims_int8_le_text);
CREATE FUNCTION aims_int8_ge_text(a bigint, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT aims_text_le_int8(b, a) $$;
CREATE OPERATOR >= (LEFTARG = bigint, RIGHTARG = text, FUNCTION = aims_int8_ge_text);

CREATE TABLE orgs (
	id		BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	slug		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL,
	ai_roles	TEXT NOT NULL DEFAULT '[]',
	version		BIGINT NOT NULL DEFAULT 1,
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL
);

CREATE TABLE users (
	id		BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	email		TEXT COLLATE nocase NOT NULL UNIQUE,
	display_name	TEXT NOT NULL,
	password_hash	TEXT NOT NULL,
	disabled	BIGINT NOT NULL DEFAULT 0,
	version		BIGINT NOT NULL DEFAULT 1,
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL
);

CREATE TABLE memberships (
	org_id		BIGINT NOT NULL REFERENCES orgs(id),
	user_id		BIGINT NOT NULL REFERENCES users(id),
	role		TEXT NOT NULL CHECK (role IN ('admin','manager','contributor','auditor','viewer')),
	version		BIGINT NOT NULL DEFAULT 1,
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL,
	PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE ref_counters (
	org_id		BIGINT NOT NULL REFERENCES orgs(id),
	kind		TEXT NOT NULL,
	next		BIGINT NOT NULL,
	PRIMARY KEY (org_id, kind)
);
