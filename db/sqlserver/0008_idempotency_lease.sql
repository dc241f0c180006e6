-- Idempotency keys in progress hold a lease: the token of the request that holds the key and when it took it.
-- A key whose request died before its change committed (the change and its stored response commit together)
-- is taken over by a retry once the lease has run out (60 s), with a new token; a completion needs its token.

ALTER TABLE idempotency_keys ADD
    lease_token NVARCHAR(32) NOT NULL CONSTRAINT df_idempotency_keys_lease_token DEFAULT N'',
    leased_at   DATETIME2(7) NULL;
GO

-- Keys left in progress by an earlier version took their lease when they were created.
UPDATE idempotency_keys SET leased_at = created_at WHERE leased_at IS NULL;
