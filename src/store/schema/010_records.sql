-- 010_records.sql: the generic planning records (core/record.h).
--
-- One row per record; the declared fields are kept as canonical JSON in
-- `data`; title, status and owner are copied out for lists. `id` is an
-- internal row number (stable across VACUUM) used only by the search index;
-- the key people use is (org_id, kind, num) and its reference (org_id, kind, ref).
CREATE TABLE records (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	kind		TEXT NOT NULL,
	num		INTEGER NOT NULL,
	ref		TEXT NOT NULL,
	version		INTEGER NOT NULL,
	title		TEXT NOT NULL DEFAULT '',
	status		TEXT NOT NULL DEFAULT '',
	owner		TEXT NOT NULL DEFAULT '',
	data		TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL,
	created_by	TEXT NOT NULL,
	updated_by	TEXT NOT NULL,
	retired		INTEGER NOT NULL DEFAULT 0,
	UNIQUE (org_id, kind, num),
	UNIQUE (org_id, kind, ref)
);
-- List orders; retired follows the key so the default "not retired" lists,
-- their filters by status or owner, and their counts are index ranges.
CREATE INDEX records_updated ON records(org_id, kind, retired, updated_at, num);
CREATE INDEX records_created ON records(org_id, kind, retired, created_at, num);
CREATE INDEX records_title ON records(org_id, kind, retired, title, num);
CREATE INDEX records_status ON records(org_id, kind, retired, status, updated_at, num);
CREATE INDEX records_owner ON records(org_id, kind, retired, owner, updated_at, num);

-- Live (not retired) record count per org and kind: list totals without a scan.
CREATE TABLE record_counts (
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	kind		TEXT NOT NULL,
	live		INTEGER NOT NULL,
	PRIMARY KEY (org_id, kind)
);

-- Values of the declared fields flagged filter or sort (other than title,
-- status, owner), one row per value (list fields: one per element), so
-- ?field=value and ?sort=field use an index. `value` is INTEGER for
-- int/bool fields and TEXT otherwise; a missing sortable value is ''.
-- live and updated_at copy the record's (not retired, last change), so a
-- filtered list in the default order is read from the index in order.
CREATE TABLE record_fields (
	org_id		INTEGER NOT NULL,
	kind		TEXT NOT NULL,
	field		TEXT NOT NULL,
	live		INTEGER NOT NULL,
	value		NOT NULL,	-- no declared type: values keep the type they are bound with
	updated_at	TEXT NOT NULL,
	num		INTEGER NOT NULL,
	PRIMARY KEY (org_id, kind, field, live, value, updated_at, num)
) WITHOUT ROWID;

-- Links kept from ref, ref-list and requirement fields (nested ones named
-- "treatment.controls"), read both ways. Requirements have to_kind 'requirement'.
CREATE TABLE record_links (
	org_id		INTEGER NOT NULL,
	from_kind	TEXT NOT NULL,
	from_ref	TEXT NOT NULL,
	field		TEXT NOT NULL,
	to_kind		TEXT NOT NULL,
	to_ref		TEXT NOT NULL,
	PRIMARY KEY (org_id, from_kind, from_ref, field, to_kind, to_ref)
) WITHOUT ROWID;
CREATE INDEX record_links_to ON record_links(org_id, to_kind, to_ref);

-- Every version of every record: its declared fields (data, as in records)
-- and what changed it; record_history() rebuilds the record_get() form.
-- Rows are never updated: approved document versions stay as approved.
CREATE TABLE record_versions (
	org_id		INTEGER NOT NULL,
	kind		TEXT NOT NULL,
	num		INTEGER NOT NULL,
	version		INTEGER NOT NULL,
	action		TEXT NOT NULL,
	status		TEXT NOT NULL DEFAULT '',
	retired		INTEGER NOT NULL DEFAULT 0,
	at		TEXT NOT NULL,
	actor		TEXT NOT NULL,
	data		TEXT NOT NULL,
	PRIMARY KEY (org_id, kind, num, version)
);

-- q= search over the fields flagged search; rowid = records.id. Every word
-- is stored prefixed with a scope naming the organisation, the kind and
-- whether the record is retired ("s12_risks_" + "drift", "s12_risks_r_"
-- + "drift"; '_' is part of a token and never of a word), so a search
-- walks the postings of one kind of one organisation only, and counts its
-- matches without reading the records.
CREATE VIRTUAL TABLE records_fts USING fts5(body,
	tokenize = "unicode61 remove_diacritics 2 tokenchars '_'");

-- File revisions of evidence records; the bytes live in the content-addressed
-- store <data dir>/blobs/ab/cdef... named by their SHA-256.
CREATE TABLE evidence_files (
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	evidence_ref	TEXT NOT NULL,
	revision	INTEGER NOT NULL,
	sha256		TEXT NOT NULL,
	size		INTEGER NOT NULL,
	media_type	TEXT NOT NULL,
	filename	TEXT NOT NULL,
	stored_at	TEXT NOT NULL,
	stored_by	TEXT NOT NULL,
	PRIMARY KEY (org_id, evidence_ref, revision)
);
CREATE INDEX evidence_files_sha256 ON evidence_files(sha256);
