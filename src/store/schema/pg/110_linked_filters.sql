-- pg/110_linked_filters.sql: the PostgreSQL form of 110_linked_filters.sql, the
-- same SQL. A filter on a reference field (a ref, a catalog id,
-- or a list of them; core/record_store.c record__field_linked()) is answered
-- from record_links by target, which hold the same values, so its values are
-- no longer written to record_fields as well. The rows written before go here.
-- The pairs are the kinds' filterable, not sortable, reference fields
-- (tests/unit/test_record_kinds.c checks each against the declarations).
DELETE FROM record_fields WHERE
    (kind = 'ai-systems' AND field IN ('redteam_worse_run'))
 OR (kind = 'attestations' AND field IN ('requirement', 'evidence'))
 OR (kind = 'audit-findings' AND field IN ('evidence', 'nonconformity'))
 OR (kind = 'audits' AND field IN ('programme', 'requirements', 'ai_systems'))
 OR (kind = 'changes' AND field IN ('ai_systems'))
 OR (kind = 'communications' AND field IN ('related', 'interested_parties'))
 OR (kind = 'competences' AND field IN ('roles'))
 OR (kind = 'concerns' AND field IN ('records'))
 OR (kind = 'datasets' AND field IN ('ai_systems'))
 OR (kind = 'documents' AND field IN ('requirements'))
 OR (kind = 'evidence' AND field IN ('requirements', 'measures', 'risks', 'ai_systems',
    'worse_than'))
 OR (kind = 'impact-assessments' AND field IN ('ai_system'))
 OR (kind = 'improvements' AND field IN ('origin', 'requirements'))
 OR (kind = 'incidents' AND field IN ('ai_system', 'nonconformities', 'risks', 'communications'))
 OR (kind = 'measures' AND field IN ('requirements', 'risks', 'ai_systems'))
 OR (kind = 'metrics' AND field IN ('ai_system', 'objective'))
 OR (kind = 'models' AND field IN ('ai_systems', 'supplier'))
 OR (kind = 'nonconformities' AND field IN ('finding', 'audit', 'requirements'))
 OR (kind = 'obligations' AND field IN ('ai_system', 'satisfied_by'))
 OR (kind = 'responsibilities' AND field IN ('requirements'))
 OR (kind = 'risks' AND field IN ('ai_systems', 'risk_source', 'objective'))
 OR (kind = 'soa' AND field IN ('measures'))
 OR (kind = 'suppliers' AND field IN ('ai_systems'))
 OR (kind = 'tasks' AND field IN ('source'))
 OR (kind = 'trainings' AND field IN ('competence'));
