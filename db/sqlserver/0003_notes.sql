-- Receivables and supply-chain notes: a note's holdings are rows of sub-note ranges (子票区间) that
-- partition 1..N; every change takes the note's row first (UPDATE ... version = version + 1), so two
-- writers of one note never interleave. Instants are UTC datetime2; dates are date; money is bigint fen.

CREATE TABLE receivables (
    id              NVARCHAR(40)  NOT NULL PRIMARY KEY,
    creditor_id     NVARCHAR(40)  NOT NULL REFERENCES enterprises (id),
    debtor_id       NVARCHAR(40)  NOT NULL REFERENCES enterprises (id),
    amount_fen      BIGINT        NOT NULL CHECK (amount_fen > 0),
    due_date        DATE          NOT NULL,
    invoice_numbers NVARCHAR(MAX) NOT NULL, -- JSON array of strings
    status          NVARCHAR(20)  NOT NULL, -- registered, confirmed, financed, convertedToNote
    used_by         NVARCHAR(40)  NULL,     -- the note or financing it backs, once used
    version         BIGINT        NOT NULL,
    created_at      DATETIME2(7)  NOT NULL,
    confirmed_at    DATETIME2(7)  NULL,
    used_at         DATETIME2(7)  NULL,
    CONSTRAINT ck_receivables_parties CHECK (creditor_id <> debtor_id)
);

CREATE INDEX ix_receivables_creditor ON receivables (creditor_id);
CREATE INDEX ix_receivables_debtor ON receivables (debtor_id);

-- The note-number serial: one row, incremented inside the issuing transaction, never reused.
CREATE TABLE note_serials (
    name        NVARCHAR(20) NOT NULL PRIMARY KEY,
    last_serial BIGINT       NOT NULL
);

INSERT INTO note_serials (name, last_serial) VALUES ('note', 0);

CREATE TABLE notes (
    id            NVARCHAR(40) NOT NULL PRIMARY KEY,
    number        NCHAR(30)    NOT NULL,
    acceptor_id   NVARCHAR(40) NOT NULL REFERENCES enterprises (id),
    payee_id      NVARCHAR(40) NOT NULL REFERENCES enterprises (id),
    amount_fen    BIGINT       NOT NULL CHECK (amount_fen > 0),
    issue_date    DATE         NOT NULL,
    due_date      DATE         NOT NULL,
    receivable_id NVARCHAR(40) NULL REFERENCES receivables (id),
    status        NVARCHAR(20) NOT NULL, -- outstanding, settled (overdue is computed)
    version       BIGINT       NOT NULL,
    created_at    DATETIME2(7) NOT NULL,
    settled_at    DATETIME2(7) NULL
);

CREATE UNIQUE INDEX ux_notes_number ON notes (number);
-- A receivable backs at most one note (the status guard on receivables is the first line of defence).
CREATE UNIQUE INDEX ux_notes_receivable ON notes (receivable_id) WHERE receivable_id IS NOT NULL;
CREATE INDEX ix_notes_acceptor ON notes (acceptor_id);

-- Who holds which units now. holder_id is an enterprise or, after a discount, an institution.
CREATE TABLE note_holdings (
    note_id   NVARCHAR(40) NOT NULL REFERENCES notes (id),
    from_unit BIGINT       NOT NULL,
    to_unit   BIGINT       NOT NULL,
    holder_id NVARCHAR(40) NOT NULL,
    CONSTRAINT pk_note_holdings PRIMARY KEY (note_id, from_unit),
    CONSTRAINT ck_note_holdings_range CHECK (from_unit >= 1 AND to_unit >= from_unit)
);

CREATE INDEX ix_note_holdings_holder ON note_holdings (holder_id);

-- Everyone who has ever been involved in a note (acceptor, current and past holders): who may see it.
CREATE TABLE note_parties (
    note_id  NVARCHAR(40) NOT NULL REFERENCES notes (id),
    party_id NVARCHAR(40) NOT NULL,
    CONSTRAINT pk_note_parties PRIMARY KEY (note_id, party_id)
);

CREATE INDEX ix_note_parties_party ON note_parties (party_id, note_id);

-- The note's history, in order. ranges: 'from-to' pairs separated by commas.
CREATE TABLE note_events (
    id           NVARCHAR(40)  NOT NULL PRIMARY KEY,
    note_id      NVARCHAR(40)  NOT NULL REFERENCES notes (id),
    seq          INT           NOT NULL,
    type         NVARCHAR(20)  NOT NULL, -- issued, transferred, discounted, paid, settled
    actor_key_id NVARCHAR(40)  NOT NULL,
    actor_id     NVARCHAR(40)  NULL,
    at           DATETIME2(7)  NOT NULL,
    amount_fen   BIGINT        NOT NULL,
    from_id      NVARCHAR(40)  NULL,
    to_id        NVARCHAR(40)  NULL,
    ranges       NVARCHAR(MAX) NOT NULL,
    rate_bps     INT           NULL,
    interest_fen BIGINT        NULL,
    proceeds_fen BIGINT        NULL,
    CONSTRAINT ux_note_events_seq UNIQUE (note_id, seq)
);
GO

-- A note's history is append-only.
CREATE TRIGGER note_events_append_only ON note_events
INSTEAD OF UPDATE, DELETE
AS
BEGIN
    THROW 50002, 'note_events is append-only', 1;
END;
GO
