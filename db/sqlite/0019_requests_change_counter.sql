-- The requests change counter: every service instance keeps the live financing requests in memory for the
-- banks' inboxes (the reverse matching index) and checks this counter, as it checks 'products', to know
-- whether they are still those in the database.
-- change_seq: the counter value written by the request's last change that matters to matching (its creation,
-- a change of status or of expiry), so that an instance reads just the requests changed since.
-- Triggers keep both, so that no statement that writes requests has to remember them.

INSERT INTO change_counters (name, value) VALUES ('requests', 0);

ALTER TABLE financing_requests ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;

CREATE INDEX ix_financing_requests_change_seq ON financing_requests (change_seq);

CREATE TRIGGER tr_financing_requests_created AFTER INSERT ON financing_requests
BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'requests';
    UPDATE financing_requests SET change_seq = (SELECT value FROM change_counters WHERE name = 'requests') WHERE id = NEW.id;
END;

CREATE TRIGGER tr_financing_requests_changed AFTER UPDATE OF status, expires_at ON financing_requests
BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'requests';
    UPDATE financing_requests SET change_seq = (SELECT value FROM change_counters WHERE name = 'requests') WHERE id = NEW.id;
END;
