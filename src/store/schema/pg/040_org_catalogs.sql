-- pg/040_org_catalogs.sql: the PostgreSQL form of 040 (BIGINT for INTEGER).
-- that organisation only: other organisations never see them, and the shared
-- frameworks/requirements tables (002) stay the built-in reference data.
CREATE TABLE org_catalogs (
	org_id		BIGINT NOT NULL REFERENCES orgs(id),
	id		TEXT NOT NULL,		-- our name for it, a slug
	uuid		TEXT NOT NULL,		-- the document's own uuid
	title		TEXT NOT NULL,
	version		TEXT NOT NULL,		-- metadata.version of the document
	oscal_version	TEXT NOT NULL,
	sha256		TEXT NOT NULL,		-- of the document as imported
	item_count	BIGINT NOT NULL,
	revision	BIGINT NOT NULL,	-- 1, then +1 at each re-import
	imported_at	TEXT NOT NULL,
	imported_by	TEXT NOT NULL,
	PRIMARY KEY (org_id, id)
);

-- Its groups and controls, in document order; parent is the enclosing
-- group's or control's id (NULL at the top).
CREATE TABLE org_catalog_items (
	org_id		BIGINT NOT NULL,
	catalog		TEXT NOT NULL,
	id		TEXT NOT NULL,
	kind		TEXT NOT NULL,		-- group or control
	title		TEXT NOT NULL,
	summary		TEXT NOT NULL DEFAULT '',
	parent		TEXT,
	position	BIGINT NOT NULL,
	PRIMARY KEY (org_id, catalog, id),
	FOREIGN KEY (org_id, catalog) REFERENCES org_catalogs(org_id, id)
);
CREATE INDEX org_catalog_items_order ON org_catalog_items(org_id, catalog, position);
