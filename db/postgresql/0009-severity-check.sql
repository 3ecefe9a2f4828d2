-- 0009-severity-check.sql (PostgreSQL): nothing to do.  The SQLite
-- migration rewrites the text of tickets.severity's CHECK so SQLite does
-- not build an ephemeral table per row; the rule is the same and
-- PostgreSQL evaluates the IN list of 0001 without that cost.  Kept so
-- both directories number their migrations alike.
SELECT 1;
