-- The audit trail's reading position, and chain codes in one form on every provider.

-- pos: where an entry stands in the trail, as readers page through it. On SQLite writers take turns (one write
-- transaction at a time), so entries commit in seq order and pos is seq itself. SQL Server gives it from a
-- rowversion instead (see the SQL Server script of the same number).
ALTER TABLE audit_log ADD COLUMN pos INTEGER GENERATED ALWAYS AS (seq) VIRTUAL;
CREATE INDEX ix_audit_pos ON audit_log (pos);

-- Chain codes are stored upper-case and trimmed, as the service now writes them. A code that would then clash
-- with another chain's keeps its old spelling (only SQLite compared codes with regard to case).
UPDATE chains SET code = UPPER(TRIM(code))
WHERE code <> UPPER(TRIM(code))
  AND NOT EXISTS (SELECT 1 FROM chains other WHERE other.id <> chains.id AND UPPER(TRIM(other.code)) = UPPER(TRIM(chains.code)));
