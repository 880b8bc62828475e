-- pg/002_catalog.sql: the PostgreSQL form of 002 (BIGINT for INTEGER).
CREATE TABLE frameworks (
	id		TEXT PRIMARY KEY,
	title		TEXT NOT NULL,
	edition		TEXT NOT NULL,
	version		BIGINT NOT NULL,
	loaded_at	TEXT NOT NULL
);

CREATE TABLE requirements (
	framework	TEXT NOT NULL REFERENCES frameworks(id),
	id		TEXT NOT NULL,
	kind		TEXT NOT NULL,
	title		TEXT NOT NULL,
	summary		TEXT NOT NULL,
	parent		TEXT,
	position	BIGINT NOT NULL,
	documented_information TEXT NOT NULL DEFAULT '[]',	-- JSON array of strings
	objective	TEXT,
	PRIMARY KEY (framework, id)
);
CREATE INDEX requirements_kind ON requirements(framework, kind, position);
