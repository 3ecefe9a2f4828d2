-- 0005-remind-alerts.sql (PostgreSQL): alerts that follow their ticket
-- (issue 11, item 3), as db/migrations/0005-remind-alerts.sql: one
-- remind_alerts row per ticket and webhook a notice was delivered to.
CREATE TABLE remind_alerts (
	ticket_id  BIGINT NOT NULL REFERENCES tickets(id),
	channel    TEXT NOT NULL,
	level      BIGINT NOT NULL,
	priority   TEXT,
	followed   BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (ticket_id, channel)
);
