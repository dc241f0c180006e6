-- Webhooks: subscriptions, the outbox of events (recorded in the transaction of the change that causes them)
-- and their deliveries, one per event and subscription, claimed with conditional updates.

CREATE TABLE webhook_subscriptions (
    id            TEXT NOT NULL PRIMARY KEY,
    tenant_kind   TEXT NOT NULL,   -- institution | enterprise
    tenant_id     TEXT NOT NULL,   -- the bank's institution id or the enterprise's id
    url           TEXT NOT NULL,
    secret        TEXT NOT NULL,   -- the whsec_ secret protected with ASP.NET Core Data Protection, never plain
    status        TEXT NOT NULL,   -- active | disabled | deleted
    created_by    TEXT NOT NULL,   -- API key id
    created_at    TEXT NOT NULL,
    failing_since TEXT NULL,       -- first failed attempt since the last success
    disabled_at   TEXT NULL,
    deleted_at    TEXT NULL,
    idem_key      TEXT NULL,       -- SHA-256 of the scoped Idempotency-Key, if one was sent
    request_hash  TEXT NULL        -- SHA-256 of the canonical request body, for that key
);

CREATE INDEX ix_webhook_subscriptions_tenant ON webhook_subscriptions (tenant_id, status);
CREATE UNIQUE INDEX ux_webhook_subscriptions_idem ON webhook_subscriptions (created_by, idem_key) WHERE idem_key IS NOT NULL;

CREATE TABLE webhook_subscription_events (
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    event_type      TEXT NOT NULL,
    tenant_id       TEXT NOT NULL,   -- the subscription's, so that fan-out is one index range per recipient
    PRIMARY KEY (subscription_id, event_type)
);

CREATE INDEX ix_webhook_subscription_events_fanout ON webhook_subscription_events (event_type, tenant_id);

CREATE TABLE webhook_events (
    id          TEXT NOT NULL PRIMARY KEY,   -- also the webhook-id header, the same on every attempt
    type        TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    body        TEXT NOT NULL                -- the exact JSON sent and signed: { type, timestamp, data }
);

CREATE TABLE webhook_deliveries (
    subscription_id     TEXT    NOT NULL REFERENCES webhook_subscriptions (id),
    event_id            TEXT    NOT NULL REFERENCES webhook_events (id),
    status              TEXT    NOT NULL,   -- pending | delivering | delivered | failed | cancelled
    attempts            INTEGER NOT NULL,   -- every attempt ever made
    schedule_step       INTEGER NOT NULL,   -- attempts in the current retry schedule (a manual retry starts a new one)
    schedule_started_at TEXT    NULL,
    next_attempt_at     TEXT    NULL,       -- pending: when due; delivering: when the claim lapses
    claim_token         TEXT    NULL,
    last_attempt_at     TEXT    NULL,
    last_response_code  INTEGER NULL,
    last_error          TEXT    NULL,       -- httpStatus | timeout | connectionFailed | addressRefused | endpointDisabled | secretUnreadable
    delivered_at        TEXT    NULL,
    created_at          TEXT    NOT NULL,
    PRIMARY KEY (subscription_id, event_id)
);

CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
