#!/bin/sh
# tests/pg/schema-columns.sh BACKEND TARGET: the schema of a slatrack
# database as sorted lines that do not depend on the backend, so a SQLite
# and a PostgreSQL schema can be compared with cmp.
#   column TABLE COLUMN TYPE-CLASS NOTNULL DEFAULT-PRESENT PK
#   index TABLE NAME COLUMNS PARTIAL      (indexes created by name)
#   unique TABLE COLUMNS                  (UNIQUE constraints)
#   trigger TABLE NAME                   (not PostgreSQL's *_no_truncate:
#                                         SQLite has no TRUNCATE)
# TYPE-CLASS is int, text or blob; NOTNULL counts a primary key column as
# not null (SQLite lets a non-rowid key column hold NULL; PostgreSQL does
# not, and slatrack never writes one); PK is the column's position in the
# primary key (0: not in it).  BACKEND sqlite: TARGET is a file (sqlite3
# shell); BACKEND pg: TARGET is a URL (psql; audit_sequence, the
# counterpart of SQLite's internal sqlite_sequence, and schema_version, the store's
# own table, is left out).
set -eu
case ${1-} in
sqlite)
	sqlite3 -batch -noheader -separator ' ' "$2" <<'SQL'
SELECT 'column', m.name, c.name,
       CASE upper(c.type) WHEN 'INTEGER' THEN 'int' WHEN 'TEXT' THEN 'text'
            WHEN 'BLOB' THEN 'blob' ELSE 'other:' || c.type END,
       CASE WHEN c."notnull" OR c.pk > 0 THEN 1 ELSE 0 END,
       CASE WHEN c.dflt_value IS NULL THEN 0 ELSE 1 END, c.pk
FROM sqlite_schema m, pragma_table_info(m.name) c
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%';
SELECT 'index', m.tbl_name, m.name,
       (SELECT group_concat(name, ',') FROM
          (SELECT name FROM pragma_index_info(m.name) ORDER BY seqno)),
       (SELECT l.partial FROM pragma_index_list(m.tbl_name) l WHERE l.name = m.name)
FROM sqlite_schema m WHERE m.type = 'index' AND m.sql IS NOT NULL;
SELECT 'unique', t.name,
       (SELECT group_concat(name, ',') FROM
          (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno))
FROM sqlite_schema t, pragma_index_list(t.name) l
WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%' AND l.origin = 'u';
SELECT 'trigger', tbl_name, name FROM sqlite_schema WHERE type = 'trigger';
SQL
	;;
pg)
	psql -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -d "$2" <<'SQL'
SELECT 'column', c.table_name, c.column_name,
       CASE c.data_type WHEN 'bigint' THEN 'int' WHEN 'text' THEN 'text'
            WHEN 'bytea' THEN 'blob' ELSE 'other:' || c.data_type END,
       CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END,
       CASE WHEN c.column_default IS NULL THEN 0 ELSE 1 END,
       coalesce((SELECT k.ordinal_position FROM information_schema.table_constraints tc
                 JOIN information_schema.key_column_usage k
                   ON k.constraint_schema = tc.constraint_schema
                  AND k.constraint_name = tc.constraint_name
                 WHERE tc.constraint_type = 'PRIMARY KEY'
                   AND tc.table_schema = c.table_schema AND tc.table_name = c.table_name
                   AND k.column_name = c.column_name), 0)
FROM information_schema.columns c
WHERE c.table_schema = current_schema()
  AND c.table_name NOT IN ('schema_version', 'audit_sequence');
SELECT CASE WHEN con.oid IS NULL THEN 'index' ELSE 'unique' END, t.relname,
       concat(CASE WHEN con.oid IS NULL THEN i.relname || ' ' END,
       (SELECT string_agg(a.attname, ',' ORDER BY k.n)
          FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum),
       CASE WHEN con.oid IS NULL THEN
            CASE WHEN x.indpred IS NULL THEN ' 0' ELSE ' 1' END END)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace ns ON ns.oid = t.relnamespace AND ns.nspname = current_schema()
LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.contype IN ('p', 'u')
WHERE t.relname NOT IN ('schema_version', 'audit_sequence') AND NOT x.indisprimary;
SELECT 'trigger', c.relname, tg.tgname
FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema()
WHERE NOT tg.tgisinternal AND tg.tgname NOT LIKE '%\_no\_truncate';
SQL
	;;
*)
	echo "usage: schema-columns.sh sqlite FILE | pg URL" >&2
	exit 2
	;;
esac | LC_ALL=C sort
