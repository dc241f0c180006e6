-- The audit trail's reading position, and chain codes in one form on every provider.

-- pos: where an entry stands in the trail, as readers page through it. An IDENTITY (seq) is taken when a row is
-- written, not when it commits: under READ_COMMITTED_SNAPSHOT a reader can see seq 11 committed while seq 10 is
-- still to commit, move its cursor past 10 and never see it. A rowversion is also taken at write time, but
-- MIN_ACTIVE_ROWVERSION() names the lowest one still uncommitted, so readers stop below it and skip nothing.
-- Existing entries are numbered in one scan of the table, in the order of its clustered key (seq).
ALTER TABLE audit_log ADD pos ROWVERSION NOT NULL;
GO

CREATE UNIQUE INDEX ux_audit_pos ON audit_log (pos);
GO

-- Chain codes are stored upper-case and trimmed, as the service now writes them; SQL Server's collation already
-- compared them without regard to case or trailing spaces, so no two can clash.
UPDATE chains SET code = UPPER(LTRIM(RTRIM(code))) WHERE code <> UPPER(LTRIM(RTRIM(code))) COLLATE Latin1_General_BIN2;
