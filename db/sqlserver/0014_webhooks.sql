-- Webhooks: subscriptions, the outbox of events (recorded in the transaction of the change that causes them)
-- and their deliveries, one per event and subscription, claimed with conditional updates.

CREATE TABLE webhook_subscriptions (
    id            NVARCHAR(40)   NOT NULL PRIMARY KEY,
    tenant_kind   NVARCHAR(20)   NOT NULL,
    tenant_id     NVARCHAR(40)   NOT NULL,
    url           NVARCHAR(2000) NOT NULL,
    secret        NVARCHAR(1000) NOT NULL,
    status        NVARCHAR(20)   NOT NULL,
    created_by    NVARCHAR(40)   NOT NULL,
    created_at    DATETIME2(7)   NOT NULL,
    failing_since DATETIME2(7)   NULL,
    disabled_at   DATETIME2(7)   NULL,
    deleted_at    DATETIME2(7)   NULL,
    idem_key      NCHAR(64)      NULL,
    request_hash  NCHAR(64)      NULL
);

CREATE INDEX ix_webhook_subscriptions_tenant ON webhook_subscriptions (tenant_id, status);
CREATE UNIQUE INDEX ux_webhook_subscriptions_idem ON webhook_subscriptions (created_by, idem_key) WHERE idem_key IS NOT NULL;

CREATE TABLE webhook_subscription_events (
    subscription_id NVARCHAR(40) NOT NULL REFERENCES webhook_subscriptions (id),
    event_type      NVARCHAR(60) NOT NULL,
    tenant_id       NVARCHAR(40) NOT NULL,
    PRIMARY KEY (subscription_id, event_type)
);

CREATE INDEX ix_webhook_subscription_events_fanout ON webhook_subscription_events (event_type, tenant_id);

CREATE TABLE webhook_events (
    id          NVARCHAR(40)  NOT NULL PRIMARY KEY,
    type        NVARCHAR(60)  NOT NULL,
    occurred_at DATETIME2(7)  NOT NULL,
    body        NVARCHAR(MAX) NOT NULL
);

CREATE TABLE webhook_deliveries (
    subscription_id     NVARCHAR(40)  NOT NULL REFERENCES webhook_subscriptions (id),
    event_id            NVARCHAR(40)  NOT NULL REFERENCES webhook_events (id),
    status              NVARCHAR(20)  NOT NULL,
    attempts            INT           NOT NULL,
    schedule_step       INT           NOT NULL,
    schedule_started_at DATETIME2(7)  NULL,
    next_attempt_at     DATETIME2(7)  NULL,
    claim_token         NVARCHAR(40)  NULL,
    last_attempt_at     DATETIME2(7)  NULL,
    last_response_code  INT           NULL,
    last_error          NVARCHAR(40)  NULL,
    delivered_at        DATETIME2(7)  NULL,
    created_at          DATETIME2(7)  NOT NULL,
    PRIMARY KEY (subscription_id, event_id)
);

CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
