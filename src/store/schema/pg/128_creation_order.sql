-- pg/128_creation_order.sql: a list sorted by created_at is read in the order
-- of the records' numbers, from the key (org_id, kind, num). A record's
-- number is taken from its kind's counter in the transaction that creates
-- it, and created_at is that transaction's time, so the two orders are one
-- (the number's is also right when the clock was set back). The index on
-- created_at was one more tree written by every create, for an order the
-- key has already: under creates from 16 clients it was about 4 % of the
-- pages each commit wrote.
DROP INDEX records_created;
