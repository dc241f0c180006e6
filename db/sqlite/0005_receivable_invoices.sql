-- An invoice backs at most one receivable of a debtor. invoice_number is the number's key
-- (InvoiceNumbers.Key: NFKC, upper case), filled in the transaction that registers the receivable.

CREATE TABLE receivable_invoices (
    debtor_id      TEXT NOT NULL REFERENCES enterprises (id),
    invoice_number TEXT NOT NULL,
    receivable_id  TEXT NOT NULL REFERENCES receivables (id)
);

CREATE UNIQUE INDEX ux_receivable_invoices ON receivable_invoices (debtor_id, invoice_number);
CREATE INDEX ix_receivable_invoices_receivable ON receivable_invoices (receivable_id);

-- Receivables registered before this table: the first (oldest) receivable keeps each invoice.
INSERT OR IGNORE INTO receivable_invoices (debtor_id, invoice_number, receivable_id)
SELECT r.debtor_id, UPPER(TRIM(j.value)), r.id
FROM receivables r, json_each(r.invoice_numbers) j
ORDER BY r.created_at, r.id;
