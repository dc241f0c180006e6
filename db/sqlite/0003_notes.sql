-- Receivables and supply-chain notes: a note's holdings are rows of sub-note ranges (子票区间) that
-- partition 1..N; every change takes the note's row first (UPDATE ... version = version + 1), so two
-- writers of one note never interleave. Instants are UTC text; dates 'yyyy-MM-dd'; money integer fen.

CREATE TABLE receivables (
    id              TEXT    NOT NULL PRIMARY KEY,
    creditor_id     TEXT    NOT NULL REFERENCES enterprises (id),
    debtor_id       TEXT    NOT NULL REFERENCES enterprises (id),
    amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
    due_date        TEXT    NOT NULL,
    invoice_numbers TEXT    NOT NULL, -- JSON array of strings
    status          TEXT    NOT NULL, -- registered, confirmed, financed, convertedToNote
    used_by         TEXT    NULL,     -- the note or financing it backs, once used
    version         INTEGER NOT NULL,
    created_at      TEXT    NOT NULL,
    confirmed_at    TEXT    NULL,
    used_at         TEXT    NULL,
    CHECK (creditor_id <> debtor_id)
);

CREATE INDEX ix_receivables_creditor ON receivables (creditor_id);
CREATE INDEX ix_receivables_debtor ON receivables (debtor_id);

-- The note-number serial: one row, incremented inside the issuing transaction, never reused.
CREATE TABLE note_serials (
    name        TEXT    NOT NULL PRIMARY KEY,
    last_serial INTEGER NOT NULL
);

INSERT INTO note_serials (name, last_serial) VALUES ('note', 0);

CREATE TABLE notes (
    id            TEXT    NOT NULL PRIMARY KEY,
    number        TEXT    NOT NULL,
    acceptor_id   TEXT    NOT NULL REFERENCES enterprises (id),
    payee_id      TEXT    NOT NULL REFERENCES enterprises (id),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    issue_date    TEXT    NOT NULL,
    due_date      TEXT    NOT NULL,
    receivable_id TEXT    NULL REFERENCES receivables (id),
    status        TEXT    NOT NULL, -- outstanding, settled (overdue is computed)
    version       INTEGER NOT NULL,
    created_at    TEXT    NOT NULL,
    settled_at    TEXT    NULL
);

CREATE UNIQUE INDEX ux_notes_number ON notes (number);
-- A receivable backs at most one note (the status guard on receivables is the first line of defence).
CREATE UNIQUE INDEX ux_notes_receivable ON notes (receivable_id) WHERE receivable_id IS NOT NULL;
CREATE INDEX ix_notes_acceptor ON notes (acceptor_id);

-- Who holds which units now. holder_id is an enterprise or, after a discount, an institution.
CREATE TABLE note_holdings (
    note_id   TEXT    NOT NULL REFERENCES notes (id),
    from_unit INTEGER NOT NULL,
    to_unit   INTEGER NOT NULL,
    holder_id TEXT    NOT NULL,
    PRIMARY KEY (note_id, from_unit),
    CHECK (from_unit >= 1 AND to_unit >= from_unit)
);

CREATE INDEX ix_note_holdings_holder ON note_holdings (holder_id);

-- Everyone who has ever been involved in a note (acceptor, current and past holders): who may see it.
CREATE TABLE note_parties (
    note_id  TEXT NOT NULL REFERENCES notes (id),
    party_id TEXT NOT NULL,
    PRIMARY KEY (note_id, party_id)
);

CREATE INDEX ix_note_parties_party ON note_parties (party_id, note_id);

-- The note's history, in order. ranges: 'from-to' pairs separated by commas.
CREATE TABLE note_events (
    id           TEXT    NOT NULL PRIMARY KEY,
    note_id      TEXT    NOT NULL REFERENCES notes (id),
    seq          INTEGER NOT NULL,
    type         TEXT    NOT NULL, -- issued, transferred, discounted, paid, settled
    actor_key_id TEXT    NOT NULL,
    actor_id     TEXT    NULL,
    at           TEXT    NOT NULL,
    amount_fen   INTEGER NOT NULL,
    from_id      TEXT    NULL,
    to_id        TEXT    NULL,
    ranges       TEXT    NOT NULL,
    rate_bps     INTEGER NULL,
    interest_fen INTEGER NULL,
    proceeds_fen INTEGER NULL,
    UNIQUE (note_id, seq)
);

-- A note's history is append-only.
CREATE TRIGGER note_events_no_update BEFORE UPDATE ON note_events
BEGIN
    SELECT RAISE(ABORT, 'note_events is append-only');
END;

CREATE TRIGGER note_events_no_delete BEFORE DELETE ON note_events
BEGIN
    SELECT RAISE(ABORT, 'note_events is append-only');
END;
