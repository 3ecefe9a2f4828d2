-- 0008-remind-resolve.sql: reminders of the resolution clock.
--
-- Their rows share `reminders`: threshold 1000 + PCT for a threshold of
-- the resolution clock, 1100 for its breach notice (the response clock
-- keeps 1..100, and 101/102 for the webhook follow-ups).
--
-- remind_watch gets a second watch for the resolution clock, beside the
-- response clock's (level, plan, deadline_at, assignee, next_at): the same
-- fields with the prefix resolve_, all NULL while remind never looked at
-- the ticket's resolution clock.  A row written for the resolution clock
-- alone has level -1 (the response clock never looked at).
ALTER TABLE remind_watch ADD COLUMN resolve_level INTEGER;
ALTER TABLE remind_watch ADD COLUMN resolve_plan TEXT;
ALTER TABLE remind_watch ADD COLUMN resolve_deadline_at INTEGER;
ALTER TABLE remind_watch ADD COLUMN resolve_assignee TEXT;
ALTER TABLE remind_watch ADD COLUMN resolve_next_at INTEGER;
