-- pg/085_org_settings.sql: the PostgreSQL form of 085_org_settings.sql.
ALTER TABLE orgs ADD COLUMN timezone TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN readiness_options TEXT NOT NULL DEFAULT '{}';
