-- Notes at maturity: presentments for payment (提示付款), their payment or dishonour (拒付), and recourse claims (追索).
-- Every change of these rows happens under the note's lock (UPDATE notes SET version = version + 1 ...), in the
-- same transaction as the note's history event and audit entry. notes.status may now also be 'dishonoured'.
-- ranges: 'from-to' pairs separated by commas.

CREATE TABLE note_presentments (
    id              TEXT    NOT NULL PRIMARY KEY,
    note_id         TEXT    NOT NULL REFERENCES notes (id),
    holder_id       TEXT    NOT NULL,
    ranges          TEXT    NOT NULL,
    amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
    status          TEXT    NOT NULL, -- presented, paid, dishonoured
    presented_on    TEXT    NOT NULL, -- business date (Asia/Shanghai)
    answer_due_date TEXT    NOT NULL, -- the acceptor answers by the end of this day
    presented_at    TEXT    NOT NULL,
    answered_at     TEXT    NULL,
    reason          TEXT    NULL,     -- why it was dishonoured; 'noAnswer' when it was not answered
    UNIQUE (note_id, holder_id)       -- a holder presents its balance once
);

-- The no-answer job looks for presentments still unanswered after their due date; the roster for dishonours in a period.
CREATE INDEX ix_note_presentments_status ON note_presentments (status, answer_due_date);
CREATE INDEX ix_note_presentments_answered ON note_presentments (status, answered_at);

CREATE TABLE note_recourse (
    id             TEXT    NOT NULL PRIMARY KEY,
    note_id        TEXT    NOT NULL REFERENCES notes (id),
    presentment_id TEXT    NOT NULL REFERENCES note_presentments (id),
    claimant_id    TEXT    NOT NULL,
    target_id      TEXT    NOT NULL,
    ranges         TEXT    NOT NULL,
    amount_fen     INTEGER NOT NULL CHECK (amount_fen > 0),
    status         TEXT    NOT NULL, -- open, paid, superseded
    claimed_at     TEXT    NOT NULL,
    closed_at      TEXT    NULL,
    CHECK (claimant_id <> target_id)
);

CREATE INDEX ix_note_recourse_note ON note_recourse (note_id, id);

-- History events name the presentment or claim they belong to, and the reason of a dishonour.
ALTER TABLE note_events ADD COLUMN presentment_id TEXT NULL;
ALTER TABLE note_events ADD COLUMN recourse_id TEXT NULL;
ALTER TABLE note_events ADD COLUMN reason TEXT NULL;
