-- pg/127_gapless_plans.sql: ledger_entries_gapless plans its max(seq)
-- afresh on each call. PL/pgSQL keeps a statement's plan for the session,
-- and after five calls a generic one made from the statistics of then: in
-- a large import (one transaction, which autovacuum cannot analyse), those
-- said the table was nearly empty, and the plan read the organisation's
-- entries one by one on every insert, so an import of 10,000 rows took
-- 27 s where it takes 16.6 s planned each time (test_import).
ALTER FUNCTION ledger_entries_gapless() SET plan_cache_mode = force_custom_plan;
