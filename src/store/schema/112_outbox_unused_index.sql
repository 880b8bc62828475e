-- 112_outbox_unused_index.sql: outbox_pending (061) is read by no query
-- since outbox_channel_pending (105) took the claim over: the claim reads
-- each channel's range of that one, the counts and a webhook's removal read
-- outbox_target, a row is settled by its id, and the expiry of old rows
-- reads them all. It was still written with every row a change queues (the
-- owner's mail of a record made, for one).
DROP INDEX outbox_pending;
