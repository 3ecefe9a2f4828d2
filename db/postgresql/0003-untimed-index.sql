-- 0003-untimed-index.sql (PostgreSQL): untimed tickets by creation instant,
-- as db/migrations/0003-untimed-index.sql (the report counts the untimed
-- tickets created in its period).
CREATE INDEX tickets_untimed_created ON tickets (created_at) WHERE deadline_at IS NULL;
