-- 020_dashboard.sql: figures for the dashboard (engine/dashboard.h), kept
-- current as records change so that the dashboard of a large organisation
-- reads a few dozen small rows instead of scanning every record.
--
-- dashboard_dims says which figures a live record counts towards: its
-- status, a risk's inherent and residual heat-map cell ("likelihood:impact";
-- a retained risk without a new estimate keeps its inherent cell), an AI
-- system's EU AI Act category and life-cycle stage, and a Statement of
-- Applicability entry's decision ("applicable:STATUS", "excluded",
-- "undecided"). dashboard_counts holds how many live records of each kind
-- have each value; the triggers below take a record out of the counts
-- before it changes or goes and put it back after, so the counts move in
-- the same transaction as the record.
CREATE TABLE dashboard_counts (
	org_id		INTEGER NOT NULL,
	kind		TEXT NOT NULL,
	dim		TEXT NOT NULL,
	value		TEXT NOT NULL,
	n		INTEGER NOT NULL,
	PRIMARY KEY (org_id, kind, dim, value)
) WITHOUT ROWID;

CREATE VIEW dashboard_dims (id, org_id, kind, dim, value) AS
	SELECT id, org_id, kind, 'status', status FROM records
	WHERE retired = 0 AND status <> ''
	UNION ALL
	SELECT id, org_id, kind, 'inherent',
	    json_extract(data, '$.likelihood') || ':' || json_extract(data, '$.impact')
	FROM records WHERE kind = 'risks' AND retired = 0
	UNION ALL
	SELECT id, org_id, kind, 'residual', CASE
	    WHEN json_extract(data, '$.treatment.residual_likelihood') IS NOT NULL THEN
		json_extract(data, '$.treatment.residual_likelihood') || ':' ||
		json_extract(data, '$.treatment.residual_impact')
	    WHEN json_extract(data, '$.residual_score') IS NOT NULL THEN
		json_extract(data, '$.likelihood') || ':' || json_extract(data, '$.impact')
	    END
	FROM records WHERE kind = 'risks' AND retired = 0
	UNION ALL
	SELECT id, org_id, kind, 'category', json_extract(data, '$.eu_ai_act_category')
	FROM records WHERE kind = 'ai-systems' AND retired = 0
	UNION ALL
	SELECT id, org_id, kind, 'stage', json_extract(data, '$.lifecycle_stage')
	FROM records WHERE kind = 'ai-systems' AND retired = 0
	UNION ALL
	SELECT id, org_id, kind, 'decision', CASE json_extract(data, '$.applicable')
	    WHEN 1 THEN 'applicable:' || status WHEN 0 THEN 'excluded' ELSE 'undecided' END
	FROM records WHERE kind = 'soa' AND retired = 0;

INSERT INTO dashboard_counts (org_id, kind, dim, value, n)
	SELECT org_id, kind, dim, value, count(*) FROM dashboard_dims
	WHERE value IS NOT NULL GROUP BY org_id, kind, dim, value;

CREATE TRIGGER dashboard_counts_insert AFTER INSERT ON records
BEGIN
	INSERT INTO dashboard_counts (org_id, kind, dim, value, n)
	SELECT org_id, kind, dim, value, 1 FROM dashboard_dims
	WHERE id = NEW.id AND value IS NOT NULL
	ON CONFLICT (org_id, kind, dim, value) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER dashboard_counts_update_before BEFORE UPDATE OF status, data, retired ON records
BEGIN
	UPDATE dashboard_counts SET n = n - 1
	WHERE (org_id, kind, dim, value) IN (SELECT org_id, kind, dim, value
	    FROM dashboard_dims WHERE id = OLD.id AND value IS NOT NULL);
END;

CREATE TRIGGER dashboard_counts_update_after AFTER UPDATE OF status, data, retired ON records
BEGIN
	INSERT INTO dashboard_counts (org_id, kind, dim, value, n)
	SELECT org_id, kind, dim, value, 1 FROM dashboard_dims
	WHERE id = NEW.id AND value IS NOT NULL
	ON CONFLICT (org_id, kind, dim, value) DO UPDATE SET n = n + 1;
	DELETE FROM dashboard_counts WHERE org_id = NEW.org_id AND kind = NEW.kind AND n <= 0;
END;

CREATE TRIGGER dashboard_counts_delete BEFORE DELETE ON records
BEGIN
	UPDATE dashboard_counts SET n = n - 1
	WHERE (org_id, kind, dim, value) IN (SELECT org_id, kind, dim, value
	    FROM dashboard_dims WHERE id = OLD.id AND value IS NOT NULL);
	DELETE FROM dashboard_counts WHERE org_id = OLD.org_id AND kind = OLD.kind AND n <= 0;
END;
