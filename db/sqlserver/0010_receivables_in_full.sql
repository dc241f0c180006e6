-- Receivables in full: what remains of a receivable after part of it became notes, rejection by the debtor and
-- cancellation by the creditor, several notes from one receivable, the advance ratio of products, and invoices
-- identified as the tax system identifies them.

ALTER TABLE receivables ADD
    remaining_fen    BIGINT         NOT NULL CONSTRAINT df_receivables_remaining DEFAULT 0,
    rejection_reason NVARCHAR(500)  NULL,
    rejected_at      DATETIME2(7)   NULL,
    cancelled_at     DATETIME2(7)   NULL;
GO

-- Before this migration a note used a receivable up whatever its amount: converted receivables keep nothing.
UPDATE receivables SET remaining_fen = CASE WHEN status = 'convertedToNote' THEN 0 ELSE amount_fen END;

ALTER TABLE receivables ADD CONSTRAINT ck_receivables_remaining CHECK (remaining_fen >= 0 AND remaining_fen <= amount_fen);

-- A receivable may now back several notes, each from what remains of it.
DROP INDEX ux_notes_receivable ON notes;
CREATE INDEX ix_notes_receivable ON notes (receivable_id) WHERE receivable_id IS NOT NULL;

-- The share of a receivable's remaining amount a product lends at most (basis points; 9000 = 90 %).
ALTER TABLE products ADD max_advance_ratio_bps INT NOT NULL
    CONSTRAINT df_products_advance_ratio DEFAULT 9000
    CONSTRAINT ck_products_advance_ratio CHECK (max_advance_ratio_bps BETWEEN 1 AND 10000);
GO

-- Invoices: a 数电票 is its 20-digit number, a legacy invoice 'code:number' (10- or 12-digit code, 8-digit number).
-- Earlier entries written as a code and a number with another separator, or run together (10 + 8 digits), take
-- that form, so that registering the same invoice again is refused; of two entries of one debtor that become the
-- same invoice, the older receivable's keeps it and the other stays as it was. Other earlier entries stay as they
-- were: they can never equal an entry of the new forms unless they are one.
WITH keyed AS (
    SELECT i.debtor_id, i.invoice_number, r.created_at, r.id AS receivable_id,
           CASE
               WHEN i.invoice_number LIKE '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][:_/ -][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN LEFT(i.invoice_number, 10) + N':' + SUBSTRING(i.invoice_number, 12, 8)
               WHEN i.invoice_number LIKE '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][:_/ -][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN LEFT(i.invoice_number, 12) + N':' + SUBSTRING(i.invoice_number, 14, 8)
               WHEN i.invoice_number LIKE '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN LEFT(i.invoice_number, 10) + N':' + SUBSTRING(i.invoice_number, 11, 8)
           END AS canonical
    FROM receivable_invoices i JOIN receivables r ON r.id = i.receivable_id
),
chosen AS (
    SELECT k.debtor_id, k.invoice_number, k.canonical
    FROM keyed k
    WHERE k.canonical IS NOT NULL AND k.canonical <> k.invoice_number
      AND NOT EXISTS (
          SELECT 1 FROM keyed o
          WHERE o.debtor_id = k.debtor_id AND o.invoice_number <> k.invoice_number
            AND (o.invoice_number = k.canonical
                 OR (o.canonical = k.canonical AND (o.created_at < k.created_at OR (o.created_at = k.created_at AND o.receivable_id < k.receivable_id)))))
)
UPDATE i SET invoice_number = c.canonical
FROM receivable_invoices i
JOIN chosen c ON c.debtor_id = i.debtor_id AND c.invoice_number = i.invoice_number;
GO
