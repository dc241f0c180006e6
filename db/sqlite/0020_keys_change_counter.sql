-- The keys change counter: every service instance keeps the API keys it has seen in memory and checks this
-- counter, read in one query with the products and requests counters, on every request; a key created, revoked
-- or changed through any instance moves it, and every instance then looks its keys up again, so a revocation
-- takes effect on the next request everywhere. Triggers keep it, so that no statement that writes keys has to.

INSERT INTO change_counters (name, value) VALUES ('keys', 0);

CREATE TRIGGER tr_api_keys_created AFTER INSERT ON api_keys
BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'keys';
END;

CREATE TRIGGER tr_api_keys_changed AFTER UPDATE ON api_keys
BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'keys';
END;

CREATE TRIGGER tr_api_keys_deleted AFTER DELETE ON api_keys
BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'keys';
END;
