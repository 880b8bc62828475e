-- 061_notify.sql: notifications (core/notify.h), the outbox of what leaves
-- the process (mail, webhooks), webhooks and their delivery log, and the
-- secret calendar feeds (core/feed.h).
--
-- Notifications and outbox rows are written in the transaction of the
-- change that causes them: a rollback sends nothing, a crash after the
-- commit loses nothing (the delivery thread of `aims serve` sends what is
-- pending when it starts again).

-- In the app: the bell with its unread count.
CREATE TABLE notifications (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	user_id		INTEGER NOT NULL REFERENCES users(id),
	event		TEXT NOT NULL,		-- "assigned", "approval_requested", ...
	kind		TEXT NOT NULL,		-- of the record it is about ('' none)
	ref		TEXT NOT NULL,
	text		TEXT NOT NULL,		-- in words
	actor		TEXT NOT NULL,		-- who caused it (ledger actor)
	created_at	TEXT NOT NULL,
	read_at		TEXT			-- NULL: unread
);
CREATE INDEX notifications_user ON notifications(org_id, user_id, id);
CREATE INDEX notifications_unread ON notifications(org_id, user_id, read_at);

-- Each person's choice of mail: every assignment and approval request at
-- once, one digest a day, or none. No row: immediate.
CREATE TABLE notify_prefs (
	user_id		INTEGER PRIMARY KEY REFERENCES users(id),
	mail		TEXT NOT NULL CHECK (mail IN ('immediate', 'digest', 'none')),
	updated_at	TEXT NOT NULL
);

-- What leaves the process. channel 'mail': target is a user id, body the
-- message as JSON {to, subject, text}; channel 'webhook': target is a
-- webhook id, body the JSON sent. state pending -> sent, or failed after
-- the last attempt; next_at is when the next attempt is due.
CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL,
	channel		TEXT NOT NULL CHECK (channel IN ('mail', 'webhook')),
	target		INTEGER NOT NULL,
	event		TEXT NOT NULL,
	body		TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_at		TEXT NOT NULL,
	state		TEXT NOT NULL DEFAULT 'pending'
			CHECK (state IN ('pending', 'sent', 'failed')),
	last_error	TEXT,
	sent_at		TEXT
);
CREATE INDEX outbox_pending ON outbox(state, next_at, id);
CREATE INDEX outbox_target ON outbox(org_id, channel, target, id);

-- The daily digest sent to a person for an organisation on a day (UTC):
-- written with the digest's outbox row, so a day gets one digest.
CREATE TABLE digests_sent (
	org_id		INTEGER NOT NULL,
	user_id		INTEGER NOT NULL,
	day		TEXT NOT NULL,
	PRIMARY KEY (org_id, user_id, day)
) WITHOUT ROWID;

-- Webhooks of an organisation. The secret signs every delivery; it is
-- shown once and kept sealed (crypto_secretbox) with a key beside the
-- database (PATH.seal), never in clear. Ledgered as kind "webhook".
CREATE TABLE webhooks (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	url		TEXT NOT NULL,
	events		TEXT NOT NULL,		-- JSON array of event names
	secret_sealed	BLOB NOT NULL,
	enabled		INTEGER NOT NULL DEFAULT 1,
	failures	INTEGER NOT NULL DEFAULT 0,	-- failed attempts in a row
	disabled_reason	TEXT,
	version		INTEGER NOT NULL DEFAULT 1,
	created_by	TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL
);
CREATE INDEX webhooks_org ON webhooks(org_id, id);

-- Every delivery attempt: when, the answer's status (0: none) and why it failed.
CREATE TABLE webhook_deliveries (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL,
	webhook_id	INTEGER NOT NULL,
	outbox_id	INTEGER NOT NULL,
	event		TEXT NOT NULL,
	attempt		INTEGER NOT NULL,
	at		TEXT NOT NULL,
	status		INTEGER NOT NULL,
	ok		INTEGER NOT NULL,
	error		TEXT
);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(org_id, webhook_id, id);

-- Calendar feeds at secret URLs: /ical/ID_SECRET.ics. Only the SHA-256 of
-- the secret is kept (it is 256 random bits: a slow hash adds nothing);
-- scope 'me' carries the tasks of user_id, 'org' the certification
-- calendar. Ledgered as kind "calendar-feed".
CREATE TABLE calendar_feeds (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES orgs(id),
	user_id		INTEGER NOT NULL REFERENCES users(id),
	scope		TEXT NOT NULL CHECK (scope IN ('me', 'org')),
	secret_hash	BLOB NOT NULL,
	revoked_at	TEXT,
	version		INTEGER NOT NULL DEFAULT 1,
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL
);
CREATE INDEX calendar_feeds_org ON calendar_feeds(org_id, user_id, id);
