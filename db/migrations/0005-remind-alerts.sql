-- 0005-remind-alerts.sql: alerts that follow their ticket (issue 11, item 3).
--
-- remind_alerts: one row per ticket and webhook that a notice was
-- delivered to, while the alert may still be open.  level is the highest
-- notice delivered (a threshold percentage, 100 the breach), priority the
-- Opsgenie priority it was last given (NULL for a generic webhook, or not
-- known), followed the follow-up already done (0 none, 101 "responded").
-- When the ticket gets its first response or is resolved, the next
-- `remind` run posts the follow-up (Opsgenie: closes the alert by its
-- alias; generic: the "responded"/"resolved" events) as a reminders row
-- of threshold 101 (responded) or 102 (resolved), with the same claim,
-- retry and exactly-once bookkeeping as every notice, and then deletes
-- the row.  Alerts opened before this version (with an alias per
-- threshold) have no row here and are not followed up.
CREATE TABLE remind_alerts (
	ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
	channel    TEXT NOT NULL,
	level      INTEGER NOT NULL,
	priority   TEXT,
	followed   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (ticket_id, channel)
) STRICT;
