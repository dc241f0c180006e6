-- Webhook events that follow time rather than a change: when the expiry job recorded financingRequest.expired for a
-- request (its status stays as stored: open or offered past expires_at reads as expired everywhere), and when the
-- due-soon job recorded note.dueSoon for a note. Each is set once, by a conditional update, so that each event is
-- recorded once whatever the number of runs or instances.

ALTER TABLE financing_requests ADD COLUMN expiry_recorded_at TEXT NULL;
ALTER TABLE notes ADD COLUMN due_soon_recorded_at TEXT NULL;

CREATE INDEX ix_notes_due_soon ON notes (due_date) WHERE due_soon_recorded_at IS NULL;
