-- 127_gapless_plans.sql: nothing to change in SQLite. Its trigger
-- ledger_entries_gapless reads max(seq) from the table's key, which SQLite
-- always answers from the key's last entry. The PostgreSQL form
-- (pg/127_gapless_plans.sql) has its trigger planned anew each time.
SELECT 1;
