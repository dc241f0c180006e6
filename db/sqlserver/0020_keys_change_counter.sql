-- The keys change counter: every service instance keeps the API keys it has seen in memory and checks this
-- counter, read in one query with the products and requests counters, on every request; a key created, revoked
-- or changed through any instance moves it, and every instance then looks its keys up again, so a revocation
-- takes effect on the next request everywhere. A trigger keeps it, so that no statement that writes keys has to.
-- SET NOCOUNT ON keeps the rows affected that callers check to those of their own statement.

INSERT INTO change_counters (name, value) VALUES ('keys', 0);
GO

CREATE TRIGGER tr_api_keys_changed ON api_keys AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    UPDATE change_counters SET value = value + 1 WHERE name = 'keys';
END;
GO
