-- Notes at maturity: presentments for payment (提示付款), their payment or dishonour (拒付), and recourse claims (追索).
-- Every change of these rows happens under the note's lock (UPDATE notes SET version = version + 1 ...), in the
-- same transaction as the note's history event and audit entry. notes.status may now also be 'dishonoured'.
-- ranges: 'from-to' pairs separated by commas.

CREATE TABLE note_presentments (
    id              NVARCHAR(40)  NOT NULL PRIMARY KEY,
    note_id         NVARCHAR(40)  NOT NULL REFERENCES notes (id),
    holder_id       NVARCHAR(40)  NOT NULL,
    ranges          NVARCHAR(MAX) NOT NULL,
    amount_fen      BIGINT        NOT NULL CHECK (amount_fen > 0),
    status          NVARCHAR(20)  NOT NULL, -- presented, paid, dishonoured
    presented_on    DATE          NOT NULL, -- business date (Asia/Shanghai)
    answer_due_date DATE          NOT NULL, -- the acceptor answers by the end of this day
    presented_at    DATETIME2(7)  NOT NULL,
    answered_at     DATETIME2(7)  NULL,
    reason          NVARCHAR(500) NULL,     -- why it was dishonoured; 'noAnswer' when it was not answered
    CONSTRAINT ux_note_presentments_holder UNIQUE (note_id, holder_id) -- a holder presents its balance once
);

-- The no-answer job looks for presentments still unanswered after their due date; the roster for dishonours in a period.
CREATE INDEX ix_note_presentments_status ON note_presentments (status, answer_due_date);
CREATE INDEX ix_note_presentments_answered ON note_presentments (status, answered_at);

CREATE TABLE note_recourse (
    id             NVARCHAR(40)  NOT NULL PRIMARY KEY,
    note_id        NVARCHAR(40)  NOT NULL REFERENCES notes (id),
    presentment_id NVARCHAR(40)  NOT NULL REFERENCES note_presentments (id),
    claimant_id    NVARCHAR(40)  NOT NULL,
    target_id      NVARCHAR(40)  NOT NULL,
    ranges         NVARCHAR(MAX) NOT NULL,
    amount_fen     BIGINT        NOT NULL CHECK (amount_fen > 0),
    status         NVARCHAR(20)  NOT NULL, -- open, paid, superseded
    claimed_at     DATETIME2(7)  NOT NULL,
    closed_at      DATETIME2(7)  NULL,
    CONSTRAINT ck_note_recourse_parties CHECK (claimant_id <> target_id)
);

CREATE INDEX ix_note_recourse_note ON note_recourse (note_id, id);

-- History events name the presentment or claim they belong to, and the reason of a dishonour.
ALTER TABLE note_events ADD
    presentment_id NVARCHAR(40)  NULL,
    recourse_id    NVARCHAR(40)  NULL,
    reason         NVARCHAR(500) NULL;
GO
