-- 0003-untimed-index.sql: untimed tickets by creation instant.  The report
-- counts the untimed tickets created in its period; without this index
-- that was a scan of every untimed ticket (store-report.c names it).
CREATE INDEX tickets_untimed_created ON tickets (created_at) WHERE deadline_at IS NULL;
