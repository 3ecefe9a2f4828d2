-- 0008-remind-resolve.sql (PostgreSQL): reminders of the resolution clock,
-- as db/migrations/0008-remind-resolve.sql: remind_watch's second watch,
-- the resolve_* columns (all NULL until remind looks at that clock).
ALTER TABLE remind_watch ADD COLUMN resolve_level BIGINT;
ALTER TABLE remind_watch ADD COLUMN resolve_plan TEXT;
ALTER TABLE remind_watch ADD COLUMN resolve_deadline_at BIGINT;
ALTER TABLE remind_watch ADD COLUMN resolve_assignee TEXT;
ALTER TABLE remind_watch ADD COLUMN resolve_next_at BIGINT;
