-- Foundation: API keys, the chain registry, lead-bank pairing and the audit trail.
-- Instants are UTC datetime2; dates are date; money is bigint fen.

CREATE TABLE api_keys (
    id             NVARCHAR(40)  NOT NULL PRIMARY KEY,
    name           NVARCHAR(200) NOT NULL,
    role           NVARCHAR(20)  NOT NULL,
    institution_id NVARCHAR(40)  NULL,
    enterprise_id  NVARCHAR(40)  NULL,
    key_hash       NVARCHAR(64)  NOT NULL CONSTRAINT ux_api_keys_hash UNIQUE,
    created_at     DATETIME2(7)  NOT NULL,
    revoked_at     DATETIME2(7)  NULL
);

CREATE TABLE chains (
    id         NVARCHAR(40)  NOT NULL PRIMARY KEY,
    code       NVARCHAR(32)  NOT NULL CONSTRAINT ux_chains_code UNIQUE,
    name       NVARCHAR(200) NOT NULL,
    category   NVARCHAR(20)  NOT NULL,
    region     NCHAR(6)      NOT NULL,
    chief      NVARCHAR(200) NULL,
    active     BIT           NOT NULL DEFAULT 1,
    created_at DATETIME2(7)  NOT NULL
);

CREATE TABLE institutions (
    id          NVARCHAR(40)  NOT NULL PRIMARY KEY,
    name        NVARCHAR(200) NOT NULL,
    kind        NVARCHAR(20)  NOT NULL,
    credit_code NCHAR(18)     NOT NULL CONSTRAINT ux_institutions_credit_code UNIQUE,
    region      NCHAR(6)      NOT NULL,
    created_at  DATETIME2(7)  NOT NULL
);

CREATE TABLE enterprises (
    id                 NVARCHAR(40)  NOT NULL PRIMARY KEY,
    name               NVARCHAR(200) NOT NULL,
    credit_code        NCHAR(18)     NOT NULL CONSTRAINT ux_enterprises_credit_code UNIQUE,
    industry           NVARCHAR(40)  NOT NULL,
    employees          INT           NOT NULL,
    annual_revenue_fen BIGINT        NOT NULL,
    total_assets_fen   BIGINT        NOT NULL,
    region             NCHAR(6)      NOT NULL,
    size               NVARCHAR(10)  NOT NULL,
    created_at         DATETIME2(7)  NOT NULL
);

CREATE TABLE chain_members (
    chain_id      NVARCHAR(40) NOT NULL REFERENCES chains (id),
    enterprise_id NVARCHAR(40) NOT NULL REFERENCES enterprises (id),
    role          NVARCHAR(20) NOT NULL,
    since         DATETIME2(7) NOT NULL,
    CONSTRAINT pk_chain_members PRIMARY KEY (chain_id, enterprise_id)
);

CREATE INDEX ix_chain_members_enterprise ON chain_members (enterprise_id);

CREATE TABLE lead_bank_pairings (
    id             NVARCHAR(40) NOT NULL PRIMARY KEY,
    chain_id       NVARCHAR(40) NOT NULL REFERENCES chains (id),
    institution_id NVARCHAR(40) NOT NULL REFERENCES institutions (id),
    since          DATETIME2(7) NOT NULL,
    until          DATETIME2(7) NULL,
    paired_by      NVARCHAR(40) NOT NULL
);

-- 一链一行: at most one current lead bank per chain.
CREATE UNIQUE INDEX ux_lead_bank_current ON lead_bank_pairings (chain_id) WHERE until IS NULL;
CREATE INDEX ix_lead_bank_institution ON lead_bank_pairings (institution_id);

CREATE TABLE audit_log (
    seq         BIGINT IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    at          DATETIME2(7)  NOT NULL,
    actor       NVARCHAR(40)  NOT NULL,
    role        NVARCHAR(20)  NOT NULL,
    action      NVARCHAR(60)  NOT NULL,
    entity_type NVARCHAR(40)  NOT NULL,
    entity_id   NVARCHAR(40)  NOT NULL,
    details     NVARCHAR(MAX) NOT NULL
);

CREATE INDEX ix_audit_entity ON audit_log (entity_id);
CREATE INDEX ix_audit_actor ON audit_log (actor);
GO

-- The audit trail is append-only.
CREATE TRIGGER audit_log_append_only ON audit_log
INSTEAD OF UPDATE, DELETE
AS
BEGIN
    THROW 50001, 'audit_log is append-only', 1;
END;
GO

CREATE TABLE idempotency_keys (
    owner         NVARCHAR(40)  NOT NULL,
    idem_key      NVARCHAR(100) NOT NULL,
    request_hash  NCHAR(64)     NOT NULL,
    status_code   INT           NULL,
    location      NVARCHAR(400) NULL,
    response_body NVARCHAR(MAX) NULL,
    created_at    DATETIME2(7)  NOT NULL,
    CONSTRAINT pk_idempotency_keys PRIMARY KEY (owner, idem_key)
);
