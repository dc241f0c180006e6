-- The requests change counter: every service instance keeps the live financing requests in memory for the
-- banks' inboxes (the reverse matching index) and checks this counter, as it checks 'products', to know
-- whether they are still those in the database.
-- change_seq: the counter value written by the request's last change that matters to matching (its creation,
-- a change of status or of expiry), so that an instance reads just the requests changed since.
-- A trigger keeps both, so that no statement that writes requests has to remember them. SET NOCOUNT ON keeps
-- the rows affected that callers check to those of their own statement.

INSERT INTO change_counters (name, value) VALUES ('requests', 0);

ALTER TABLE financing_requests ADD change_seq BIGINT NOT NULL CONSTRAINT df_financing_requests_change_seq DEFAULT 0;

CREATE INDEX ix_financing_requests_change_seq ON financing_requests (change_seq);
GO

CREATE TRIGGER tr_financing_requests_changed ON financing_requests AFTER INSERT, UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    IF UPDATE(status) OR UPDATE(expires_at)
    BEGIN
        UPDATE change_counters SET value = value + 1 WHERE name = 'requests';
        UPDATE r SET change_seq = (SELECT value FROM change_counters WHERE name = 'requests')
        FROM financing_requests r JOIN inserted i ON i.id = r.id;
    END
END;
GO
