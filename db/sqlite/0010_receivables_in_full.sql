-- Receivables in full: what remains of a receivable after part of it became notes, rejection by the debtor and
-- cancellation by the creditor, several notes from one receivable, the advance ratio of products, and invoices
-- identified as the tax system identifies them.

ALTER TABLE receivables ADD COLUMN remaining_fen INTEGER NOT NULL DEFAULT 0 CHECK (remaining_fen >= 0 AND remaining_fen <= amount_fen);
ALTER TABLE receivables ADD COLUMN rejection_reason TEXT NULL;
ALTER TABLE receivables ADD COLUMN rejected_at TEXT NULL;
ALTER TABLE receivables ADD COLUMN cancelled_at TEXT NULL;

-- Before this migration a note used a receivable up whatever its amount: converted receivables keep nothing.
UPDATE receivables SET remaining_fen = CASE WHEN status = 'convertedToNote' THEN 0 ELSE amount_fen END;

-- A receivable may now back several notes, each from what remains of it.
DROP INDEX ux_notes_receivable;
CREATE INDEX ix_notes_receivable ON notes (receivable_id) WHERE receivable_id IS NOT NULL;

-- The share of a receivable's remaining amount a product lends at most (basis points; 9000 = 90 %).
ALTER TABLE products ADD COLUMN max_advance_ratio_bps INTEGER NOT NULL DEFAULT 9000 CHECK (max_advance_ratio_bps BETWEEN 1 AND 10000);

-- Invoices: a 数电票 is its 20-digit number, a legacy invoice 'code:number' (10- or 12-digit code, 8-digit number).
-- Earlier entries written as a code and a number with another separator, or run together (10 + 8 digits), take
-- that form, so that registering the same invoice again is refused; of two entries of one debtor that become the
-- same invoice, the older receivable's keeps it and the other stays as it was. Other earlier entries stay as they
-- were: they can never equal an entry of the new forms unless they are one.
CREATE TEMP TABLE invoice_keys AS
SELECT i.rowid AS rid, i.debtor_id, i.invoice_number, r.created_at, r.id AS receivable_id,
       CASE
           WHEN i.invoice_number GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][:_/ -][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN substr(i.invoice_number, 1, 10) || ':' || substr(i.invoice_number, 12, 8)
           WHEN i.invoice_number GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][:_/ -][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN substr(i.invoice_number, 1, 12) || ':' || substr(i.invoice_number, 14, 8)
           WHEN i.invoice_number GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN substr(i.invoice_number, 1, 10) || ':' || substr(i.invoice_number, 11, 8)
       END AS canonical
FROM receivable_invoices i JOIN receivables r ON r.id = i.receivable_id;

UPDATE receivable_invoices
SET invoice_number = (SELECT k.canonical FROM invoice_keys k WHERE k.rid = receivable_invoices.rowid)
WHERE rowid IN (
    SELECT k.rid FROM invoice_keys k
    WHERE k.canonical IS NOT NULL AND k.canonical <> k.invoice_number
      AND NOT EXISTS (
          SELECT 1 FROM invoice_keys o
          WHERE o.debtor_id = k.debtor_id AND o.rid <> k.rid
            AND (o.invoice_number = k.canonical
                 OR (o.canonical = k.canonical AND (o.created_at < k.created_at OR (o.created_at = k.created_at AND o.receivable_id < k.receivable_id))))));

DROP TABLE invoice_keys;
