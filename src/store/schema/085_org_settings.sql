-- 085_org_settings.sql: an organisation's settings kept on its row: the
-- time zone its pages show times in (a tz database name, '' for UTC;
-- storage and the API stay UTC), and its readiness options (JSON object,
-- core/org.h struct org_readiness: target stage, audit date, evidence
-- freshness window, metric evaluation window, manual items as gaps). Both
-- are part of the organisation's ledgered state once set.
ALTER TABLE orgs ADD COLUMN timezone TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN readiness_options TEXT NOT NULL DEFAULT '{}';
