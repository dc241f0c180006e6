-- An invoice backs at most one receivable of a debtor. invoice_number is the number's key
-- (InvoiceNumbers.Key: NFKC, upper case), filled in the transaction that registers the receivable.

CREATE TABLE receivable_invoices (
    debtor_id      NVARCHAR(40) NOT NULL REFERENCES enterprises (id),
    invoice_number NVARCHAR(50) NOT NULL,
    receivable_id  NVARCHAR(40) NOT NULL REFERENCES receivables (id)
);

CREATE UNIQUE INDEX ux_receivable_invoices ON receivable_invoices (debtor_id, invoice_number);
CREATE INDEX ix_receivable_invoices_receivable ON receivable_invoices (receivable_id);
GO

-- Receivables registered before this table: the first (oldest) receivable keeps each invoice.
INSERT INTO receivable_invoices (debtor_id, invoice_number, receivable_id)
SELECT debtor_id, invoice_number, receivable_id
FROM (
    SELECT r.debtor_id, UPPER(LTRIM(RTRIM(j.[value]))) AS invoice_number, r.id AS receivable_id,
           ROW_NUMBER() OVER (PARTITION BY r.debtor_id, UPPER(LTRIM(RTRIM(j.[value]))) ORDER BY r.created_at, r.id) AS n
    FROM receivables r
    CROSS APPLY OPENJSON(r.invoice_numbers) j
) numbered
WHERE n = 1;
GO
