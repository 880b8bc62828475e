-- 105_outbox_channel.sql: pending outbox rows found by channel first. With
-- no mail server configured, mail rows stay pending; the poller, which asks
-- twice a second, walked every one of them through outbox_pending to find
-- the few webhook rows due. Now each channel is its own range.
CREATE INDEX outbox_channel_pending ON outbox(channel, state, next_at, id);
