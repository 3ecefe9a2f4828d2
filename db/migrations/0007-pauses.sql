-- 0007-pauses.sql: the SLA model of support programmes (issue 12):
-- pauses, excused breaches, a resolution target.
--
-- partners.pause_response: 1 when waiting on the customer also stops the
-- response clock (default 0: the programme's response SLA is not
-- pausable).  partner_targets.resolve_s: the resolution target of the
-- severity (NULL: none, the default).
--
-- tickets: resolve_target_s/resolve_deadline_at, the resolution clock
-- (both NULL or both set); waiting_since, the start of the open pause
-- (NULL while the clocks run) and waiting_response, whether that pause
-- stops the response clock too; excused_at/excuse_reason/excuse_ref, a
-- breach excused with its reason and incident reference.
--
-- ticket_pauses: every interval a ticket's clocks stood still.  kind
-- 'wait' is waiting on the customer; 'closed' is the time a reopened
-- ticket spent resolved (resolution clock only).  response = 1 when the
-- interval also stopped the response clock.  ended_at NULL: still open.
-- The stored deadlines already include every closed pause; the table is
-- what `ticket show` lists and what `recompute` replays.
ALTER TABLE partners ADD COLUMN pause_response INTEGER NOT NULL DEFAULT 0
	CHECK (pause_response IN (0, 1));
ALTER TABLE partner_targets ADD COLUMN resolve_s INTEGER
	CHECK (resolve_s IS NULL OR resolve_s > 0);
ALTER TABLE tickets ADD COLUMN resolve_target_s INTEGER;
ALTER TABLE tickets ADD COLUMN resolve_deadline_at INTEGER;
ALTER TABLE tickets ADD COLUMN waiting_since INTEGER;
ALTER TABLE tickets ADD COLUMN waiting_response INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN excused_at INTEGER;
ALTER TABLE tickets ADD COLUMN excuse_reason TEXT;
ALTER TABLE tickets ADD COLUMN excuse_ref TEXT;

CREATE TABLE ticket_pauses (
	id          INTEGER PRIMARY KEY,
	ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
	kind        TEXT NOT NULL CHECK (kind IN ('wait', 'closed')),
	response    INTEGER NOT NULL DEFAULT 0 CHECK (response IN (0, 1)),
	started_at  INTEGER NOT NULL,
	ended_at    INTEGER,
	CHECK (ended_at IS NULL OR ended_at >= started_at)
) STRICT;
CREATE INDEX ticket_pauses_ticket ON ticket_pauses (ticket_id, started_at);
