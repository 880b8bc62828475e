-- pg/062_risk_acceptance_due.sql: the PostgreSQL form of 062 (record_fields.value is jsonb here).
-- (core/kind_risk.c): by then its residual risk is accepted again or treated.
-- The field is filterable from now on, and each live risk's date is a work
-- item of its owner (060_work_items.sql); the risks kept before this
-- migration get both here, as the record engine writes them.
INSERT INTO record_fields (org_id, kind, field, live, value, updated_at, num)
SELECT org_id, kind, 'acceptance_expires', CASE retired WHEN 0 THEN 1 ELSE 0 END,
    to_jsonb(json_extract(data, '$.acceptance_expires')), updated_at, num
FROM records
WHERE kind = 'risks' AND json_type(data, '$.acceptance_expires') = 'text';

INSERT INTO work_items (org_id, kind, num, field, ref, title, what, owner, due, assigned_by,
    source)
SELECT org_id, kind, num, 'acceptance_expires', ref, title, 'risk acceptance expires', owner,
    json_extract(data, '$.acceptance_expires'), created_by_id, ref
FROM records
WHERE kind = 'risks' AND retired = 0 AND json_type(data, '$.acceptance_expires') = 'text';
